//! Checks and accounting shared by the backstop instructions (`create_backstop` …
//! `buy_from_backstop`): loading the pool and a depositor, turning a warmed-up deposit into shares.

use pinocchio::{
    account_info::AccountInfo,
    instruction::{Seed, Signer},
    pubkey::Pubkey,
};

use crate::safe_math::SafeMath;
use crate::{
    checks::{require_pda, require_system_program, require_writable},
    context::load_prices,
    error::GavelError,
    math::{
        self,
        backstop::{basket_value_ceil, deposit_price},
    },
    oracle::Now,
    state::{seeds_gen::BACKSTOP_DEPOSITOR_SEED, Backstop, BackstopDepositor, Market},
    utils::create_pda_account,
};

/// Loads a writable backstop of `market`.
pub fn load_backstop_mut(account: &AccountInfo, market: &Pubkey) -> Result<Backstop, GavelError> {
    require_writable(account)?;
    let backstop = Backstop::load(account)?;
    if &backstop.market != market {
        return Err(GavelError::BackstopMismatch);
    }
    Ok(backstop)
}

/// Loads `owner`'s writable depositor account of `backstop`, creating it (rent paid by `owner`,
/// who must then be writable; `system_program` is checked only then) when it does not exist.
pub fn load_or_create_depositor(
    owner: &AccountInfo,
    account: &AccountInfo,
    backstop: &Pubkey,
    system_program: &AccountInfo,
) -> Result<BackstopDepositor, GavelError> {
    require_writable(account)?;
    if account.data_len() != 0 || account.is_owned_by(&crate::ID) {
        let depositor = BackstopDepositor::load(account)?;
        if &depositor.backstop != backstop || &depositor.owner != owner.key() {
            return Err(GavelError::BackstopMismatch);
        }
        return Ok(depositor);
    }
    require_writable(owner)?;
    require_system_program(system_program)?;
    let bump = require_pda(
        account,
        &crate::seeds!(BACKSTOP_DEPOSITOR_SEED, backstop, owner.key()),
    )?;
    let bump_seed = [bump];
    let seeds = [
        Seed::from(BACKSTOP_DEPOSITOR_SEED),
        Seed::from(backstop),
        Seed::from(owner.key()),
        Seed::from(&bump_seed),
    ];
    create_pda_account(
        owner,
        account,
        BackstopDepositor::LEN,
        &crate::ID,
        &Signer::from(&seeds),
    )
    .map_err(|_| GavelError::AccountAddressInvalid)?;
    Ok(BackstopDepositor {
        backstop: *backstop,
        owner: *owner.key(),
        warming: 0,
        warm_at: 0,
        withdraw_shares: 0,
        withdraw_at: 0,
        bump,
    })
}

/// Turns the depositor's warmed-up deposit into shares when its warm-up has ended; returns
/// `(debt tokens activated, shares minted)` (zeros when nothing is due). The shares are priced
/// against the basket with its collateral valued high (`math::backstop::deposit_price`, read
/// from `oracles` only when the pool holds collateral) and the funding the market owes the pool
/// (`Market::backstop_due`) counted in, so the newcomer never gets more than the basket is worth
/// nor a part of funding earned before it joined. The caller mints the shares. Inlined: five
/// arguments and a tuple result.
#[inline(always)]
pub fn activate_warm_deposit(
    backstop: &mut Backstop,
    depositor: &mut BackstopDepositor,
    market: &Market,
    oracles: &[AccountInfo],
    now: &Now,
) -> Result<(u64, u64), GavelError> {
    let amount = depositor.warming;
    if amount == 0 || now.unix_timestamp < depositor.warm_at {
        return Ok((0, 0));
    }
    let debt = backstop.debt.safe_add(market.backstop_due)?;
    let value = if backstop.collateral == 0 {
        debt
    } else {
        let mid = load_prices(market, oracles, now)?.mid;
        let price = deposit_price(mid, market.params.max_conf_bps as u64)
            .ok_or(GavelError::MathOverflow)?;
        basket_value_ceil(debt, backstop.collateral, price).ok_or(GavelError::MathOverflow)?
    };
    if backstop.total_shares > 0 && value == 0 {
        return Err(GavelError::BackstopInsolvent);
    }
    let shares = math::shares_for_deposit(amount, value, backstop.total_shares)
        .ok_or(GavelError::MathOverflow)?;
    if shares == 0 {
        return Err(GavelError::DepositTooSmall);
    }
    depositor.warming = 0;
    backstop.warming = backstop.warming.safe_sub(amount)?;
    backstop.debt = backstop
        .debt
        .checked_add(amount)
        .ok_or(GavelError::MathOverflow)?;
    backstop.total_shares = backstop
        .total_shares
        .checked_add(shares)
        .ok_or(GavelError::MathOverflow)?;
    Ok((amount, shares))
}

//! `borrow`: the owner borrows debt tokens against their collateral, keeping LTV ≤ `max_ltv_bps`
//! (collateral at oracle price − confidence, at a fresh price) and debt ≥ `dust`.
//!
//! Who: the position owner, while stop < 3.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `BorrowAccounts`):
//! - `owner`: Signer.
//! - `config`: PDA `["config"]`. The protocol's Config (admin, stop level).
//! - `market`: Writable.
//! - `position`: Writable, PDA `["position", market, owner]`.
//! - `liquidity_vault`: Writable, PDA `["liquidity_vault", market]`.
//! - `destination`: Writable. Debt mint.
//! - `token_program`: SPL Token program.
//! - `oracles @ ..`: The market's collateral oracle, then its debt oracle when it has one. In the IDL: `collateral_oracle`.
//!
//! Args: `amount: u64` (> 0, ≤ idle cash).
//! Changes: accrues; `art += ceil(amount / rate)`; pays `amount` from the vault; `cash -= amount`;
//! emits `DebtBorrowed`.

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::safe_math::SafeMath;
use crate::{
    checks::{
        require_distinct, require_signer, require_token_account, require_token_program,
        require_vault,
    },
    context::{
        load_market_mut, load_position_mut, load_prices, now, require_stop, require_within_max_ltv,
    },
    error::GavelError,
    events::{DebtBorrowed, Event},
    math,
    state::Reader,
    token::transfer_from_vault,
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::BorrowAccounts {
        owner,
        config,
        market: market_info,
        position: position_info,
        liquidity_vault,
        destination,
        token_program,
        oracles,
    } = super::accounts_gen::BorrowAccounts::from_slice(accounts)?;
    let mut r = Reader::new(args, 0);
    let amount = r.u64()?;
    r.finish()?;

    require_signer(owner)?;
    require_token_program(token_program)?;
    require_stop(config, crate::state::stop::BORROW)?;
    let mut market_slot = core::mem::MaybeUninit::uninit();
    let market = load_market_mut(market_info, &mut market_slot)?;
    let mut position_slot = core::mem::MaybeUninit::uninit();
    let position = load_position_mut(
        position_info,
        market_info.key(),
        Some(owner.key()),
        &mut position_slot,
    )?;
    require_vault(liquidity_vault, &market.liquidity_vault)?;
    require_token_account(destination, &market.debt_mint)?;
    require_distinct(destination, liquidity_vault)?;
    if amount == 0 {
        return Err(GavelError::AmountInvalid.into());
    }
    if amount > market.cash {
        return Err(GavelError::LiquidityInsufficient.into());
    }
    let now = now()?;
    market.accrue(now.unix_timestamp)?;

    let added_art =
        math::art_from_debt_ceil(amount, market.rate).ok_or(GavelError::MathOverflow)?;
    position.art = position
        .art
        .checked_add(added_art)
        .ok_or(GavelError::MathOverflow)?;
    market.art_total = market
        .art_total
        .checked_add(added_art)
        .ok_or(GavelError::MathOverflow)?;
    let debt = math::debt_from_art(position.art, market.rate).ok_or(GavelError::MathOverflow)?;
    if debt < market.params.dust {
        return Err(GavelError::DebtBelowDust.into());
    }
    let prices = load_prices(market, oracles, &now)?;
    require_within_max_ltv(market, position.ink, debt, prices.low)?;
    market.cash = market.cash.safe_sub(amount)?;

    transfer_from_vault(market, market_info, liquidity_vault, destination, amount)?;
    position.store(position_info)?;
    market.store(market_info)?;
    DebtBorrowed {
        market: *market_info.key(),
        position: *position_info.key(),
        owner: *owner.key(),
        amount,
        art: position.art,
        debt,
        rate: market.rate,
    }
    .emit();
    Ok(())
}

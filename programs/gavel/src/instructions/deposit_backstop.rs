//! `deposit_backstop`: a depositor puts debt tokens into a market's backstop. The deposit warms
//! up first: for `warmup_secs` it is neither shares nor usable by absorbs, so nobody can deposit
//! just before a profitable absorb and share in it. The next `deposit_backstop` after the warm-up
//! (with `amount` 0 to only do that) turns it into shares.
//!
//! Who: anyone, while stop < 3.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `DepositBackstopAccounts`):
//! - `depositor`: Signer, writable. Pays the depositor account's rent the first time.
//! - `config`: PDA `["config"]`. The protocol's Config (admin, stop level).
//! - `market`
//! - `backstop`: Writable, PDA `["backstop", market]`.
//! - `depositor_account`: Writable, PDA `["backstop_depositor", backstop, depositor]`. Created when missing.
//! - `debt_vault`: Writable, PDA `["backstop_debt", market]`.
//! - `share_mint`: Writable, PDA `["backstop_shares", market]`.
//! - `depositor_debt_account`: Writable. Debt mint.
//! - `depositor_share_account`: Writable. Backstop share mint.
//! - `token_program`: SPL Token program.
//! - `system_program`: System program.
//! - `oracles @ ..`: The market's collateral oracle, then its debt oracle when it has one. Read only when the pool holds collateral and a warmed-up deposit becomes shares. Not in the IDL.
//!
//! Args: `amount: u64` (debt base units; 0 = only turn a warmed-up deposit into shares).
//! Rules: a warmed-up deposit becomes `floor(warming × total_shares / value)` shares (1:1 for the
//! first), where `value = debt + due + ceil(collateral × deposit price)`, `due` is the funding the
//! market owes the pool (`Market::backstop_due`, as of its last accrual) and the deposit price is the
//! oracle mid × (1 + max_conf_bps) rounded up (`math::backstop`): the pool's collateral is valued
//! high so a newcomer never dilutes the holders. The basket is the accounting (`debt`,
//! `collateral`), never the vault balances, so donations cannot inflate a share. Refused with
//! `BackstopInsolvent` when shares exist but the basket is worth 0, `DepositTooSmall` when the
//! shares round to 0, `AmountInvalid` when there is nothing to deposit or activate.
//! Changes: `amount` moves into the debt vault and joins the depositor's warming balance, whose
//! warm-up restarts (`warm_at = now + warmup_secs`); activation mints shares, moves the tokens
//! from `warming` to `debt`. Emits `BackstopDeposited`.

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::{
    backstop::{activate_warm_deposit, load_backstop_mut, load_or_create_depositor},
    checks::{require_token_account, require_vault},
    context::{now, read_u64_arg, require_user_call},
    error::GavelError,
    events::{BackstopDeposited, Event},
    state::Market,
    token::{mint_shares, transfer_from_user},
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::DepositBackstopAccounts {
        depositor,
        config,
        market: market_info,
        backstop: backstop_info,
        depositor_account: depositor_info,
        debt_vault,
        share_mint,
        depositor_debt_account,
        depositor_share_account,
        token_program,
        system_program,
        oracles,
    } = super::accounts_gen::DepositBackstopAccounts::from_slice(accounts)?;
    let amount = read_u64_arg(args)?;

    require_user_call(
        depositor,
        token_program,
        config,
        crate::state::stop::DEPOSIT_BACKSTOP,
    )?;
    let market = Market::load(market_info)?;
    let mut backstop = load_backstop_mut(backstop_info, market_info.key())?;
    require_vault(debt_vault, &backstop.debt_vault)?;
    require_vault(share_mint, &backstop.share_mint)?;
    require_token_account(depositor_debt_account, &market.debt_mint)?;
    require_token_account(depositor_share_account, &backstop.share_mint)?;
    let mut account = load_or_create_depositor(
        depositor,
        depositor_info,
        backstop_info.key(),
        system_program,
    )?;

    let now = now()?;
    let (activated, shares) =
        activate_warm_deposit(&mut backstop, &mut account, &market, oracles, &now)?;
    if amount == 0 && activated == 0 {
        return Err(GavelError::AmountInvalid.into());
    }
    if shares > 0 {
        mint_shares(
            &market,
            market_info,
            share_mint,
            depositor_share_account,
            shares,
        )?;
    }
    if amount > 0 {
        transfer_from_user(depositor_debt_account, debt_vault, depositor, amount)?;
        account.warming = account
            .warming
            .checked_add(amount)
            .ok_or(GavelError::MathOverflow)?;
        backstop.warming = backstop
            .warming
            .checked_add(amount)
            .ok_or(GavelError::MathOverflow)?;
        account.warm_at = now
            .unix_timestamp
            .checked_add(backstop.params.warmup_secs as i64)
            .ok_or(GavelError::MathOverflow)?;
    }
    account.store(depositor_info)?;
    backstop.store(backstop_info)?;
    BackstopDeposited {
        market: *market_info.key(),
        depositor: *depositor.key(),
        amount,
        activated,
        shares,
        total_shares: backstop.total_shares,
        warming: account.warming,
        warm_at: account.warm_at,
    }
    .emit();
    Ok(())
}

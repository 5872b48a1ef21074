//! `fund_backstop`: moves what a market owes its backstop pool (its shares of borrow interest and
//! of penalties, `Market::backstop_due`) from the liquidity vault into the pool, so a market can
//! grow its backstop. A permissionless crank: nobody's funds but the protocol's move.
//!
//! Who: anyone, while stop < 3.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `FundBackstopAccounts`):
//! - `config`: PDA `["config"]`. The protocol's Config (admin, stop level).
//! - `market`: Writable.
//! - `backstop`: Writable, PDA `["backstop", market]`.
//! - `liquidity_vault`: Writable, PDA `["liquidity_vault", market]`. The market's.
//! - `debt_vault`: Writable, PDA `["backstop_debt", market]`. The backstop's.
//! - `token_program`: SPL Token program.
//!
//! Args: none.
//! Rules: accrues the market first; moves `min(backstop_due, cash)` (the rest stays due until
//! borrowers repay); refused when that is 0 (`BackstopFundingNone`) or when the pool has no shares
//! (`BackstopNoShares`: funding an empty pool would hand it to its first depositor).
//! Changes: `market.cash` and `market.backstop_due` fall by the amount (the LPs' pool value is
//! unchanged: the due was never theirs), `backstop.debt` rises by it (every share is worth more).
//! Emits `BackstopFunded`.

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::safe_math::SafeMath;
use crate::{
    backstop::load_backstop_mut,
    checks::{require_token_program, require_vault},
    context::{load_market_mut, now, require_stop},
    error::GavelError,
    events::{BackstopFunded, Event},
    state::Reader,
    token::transfer_from_vault,
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::FundBackstopAccounts {
        config,
        market: market_info,
        backstop: backstop_info,
        liquidity_vault,
        debt_vault,
        token_program,
    } = super::accounts_gen::FundBackstopAccounts::from_slice(accounts)?;
    Reader::new(args, 0).finish()?;

    require_token_program(token_program)?;
    require_stop(config, crate::state::stop::FUND_BACKSTOP)?;
    let mut market_slot = core::mem::MaybeUninit::uninit();
    let market = load_market_mut(market_info, &mut market_slot)?;
    let mut backstop = load_backstop_mut(backstop_info, market_info.key())?;
    require_vault(liquidity_vault, &market.liquidity_vault)?;
    require_vault(debt_vault, &backstop.debt_vault)?;

    let now = now()?.unix_timestamp;
    market.accrue(now)?;
    let amount = market.backstop_due.min(market.cash);
    if amount == 0 {
        return Err(GavelError::BackstopFundingNone.into());
    }
    if backstop.total_shares == 0 {
        return Err(GavelError::BackstopNoShares.into());
    }
    market.cash = market.cash.safe_sub(amount)?;
    market.backstop_due = market.backstop_due.safe_sub(amount)?;
    backstop.debt = backstop.debt.safe_add(amount)?;

    transfer_from_vault(market, market_info, liquidity_vault, debt_vault, amount)?;
    market.store(market_info)?;
    backstop.store(backstop_info)?;
    BackstopFunded {
        market: *market_info.key(),
        backstop: *backstop_info.key(),
        amount,
        backstop_due: market.backstop_due,
        backstop_debt: backstop.debt,
        total_shares: backstop.total_shares,
        unix_timestamp: now,
    }
    .emit();
    Ok(())
}

//! `withdraw_backstop`: pays a depositor's withdrawal request once its cooldown has ended, pro
//! rata in both tokens of the basket (no price needed, so no valuation can favour the leaver).
//!
//! Who: the depositor, while stop < 3.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `WithdrawBackstopAccounts`):
//! - `depositor`: Signer.
//! - `config`: PDA `["config"]`. The protocol's Config (admin, stop level).
//! - `market`
//! - `backstop`: Writable, PDA `["backstop", market]`.
//! - `depositor_account`: Writable, PDA `["backstop_depositor", backstop, depositor]`.
//! - `debt_vault`: Writable, PDA `["backstop_debt", market]`.
//! - `collateral_vault`: Writable, PDA `["backstop_collateral", market]`.
//! - `depositor_debt_account`: Writable. Debt mint.
//! - `depositor_collateral_account`: Writable. Collateral mint.
//! - `token_program`: SPL Token program.
//!
//! Args: none.
//! Rules: a request whose `withdraw_at` has passed (`BackstopWithdrawalNotReady`); refused while
//! the market has any live auction (`dirt > 0`, `BackstopAuctionsLive`): every absorb happens
//! while an auction is live, so no one can leave ahead of an absorb loss that is already
//! visible. (The program cannot list a market's auctions to test each one for absorbability;
//! "no live auction" is the conservative form of that rule.)
//! Changes: pays `floor(shares × debt / total_shares)` debt tokens and
//! `floor(shares × collateral / total_shares)` collateral; the basket and `total_shares` shrink;
//! the request is cleared. Emits `BackstopWithdrawn`.

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::safe_math::SafeMath;
use crate::{
    backstop::load_backstop_mut,
    checks::{require_distinct, require_token_account, require_vault, require_writable},
    context::{now, require_user_call},
    error::GavelError,
    events::{BackstopWithdrawn, Event},
    math,
    state::{BackstopDepositor, Market},
    token::transfer_from_vault,
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::WithdrawBackstopAccounts {
        depositor,
        config,
        market: market_info,
        backstop: backstop_info,
        depositor_account: depositor_info,
        debt_vault,
        collateral_vault,
        depositor_debt_account,
        depositor_collateral_account,
        token_program,
    } = super::accounts_gen::WithdrawBackstopAccounts::from_slice(accounts)?;
    if !args.is_empty() {
        return Err(GavelError::InstructionDataInvalid.into());
    }
    require_user_call(
        depositor,
        token_program,
        config,
        crate::state::stop::WITHDRAW_BACKSTOP,
    )?;
    let market = Market::load(market_info)?;
    let mut backstop = load_backstop_mut(backstop_info, market_info.key())?;
    require_writable(depositor_info)?;
    let mut account = BackstopDepositor::load(depositor_info)?;
    if &account.backstop != backstop_info.key() || &account.owner != depositor.key() {
        return Err(GavelError::BackstopMismatch.into());
    }
    require_vault(debt_vault, &backstop.debt_vault)?;
    require_vault(collateral_vault, &backstop.collateral_vault)?;
    require_token_account(depositor_debt_account, &market.debt_mint)?;
    require_token_account(depositor_collateral_account, &market.collateral_mint)?;
    require_distinct(depositor_debt_account, debt_vault)?;
    require_distinct(depositor_collateral_account, collateral_vault)?;

    let shares = account.withdraw_shares;
    if shares == 0 || now()?.unix_timestamp < account.withdraw_at {
        return Err(GavelError::BackstopWithdrawalNotReady.into());
    }
    if market.dirt > 0 {
        return Err(GavelError::BackstopAuctionsLive.into());
    }
    let total = backstop.total_shares;
    let debt =
        math::amount_for_shares(shares, backstop.debt, total).ok_or(GavelError::MathOverflow)?;
    let collateral = math::amount_for_shares(shares, backstop.collateral, total)
        .ok_or(GavelError::MathOverflow)?;
    backstop.debt = backstop.debt.safe_sub(debt)?;
    backstop.collateral = backstop.collateral.safe_sub(collateral)?;
    backstop.total_shares = backstop.total_shares.safe_sub(shares)?;
    account.withdraw_shares = 0;

    if debt > 0 {
        transfer_from_vault(
            &market,
            market_info,
            debt_vault,
            depositor_debt_account,
            debt,
        )?;
    }
    if collateral > 0 {
        transfer_from_vault(
            &market,
            market_info,
            collateral_vault,
            depositor_collateral_account,
            collateral,
        )?;
    }
    account.store(depositor_info)?;
    backstop.store(backstop_info)?;
    BackstopWithdrawn {
        market: *market_info.key(),
        depositor: *depositor.key(),
        shares,
        debt,
        collateral,
        total_shares: backstop.total_shares,
    }
    .emit();
    Ok(())
}

//! `cancel_withdrawal`: an LP takes back the shares of their withdrawal request.
//!
//! Who: the LP who made the request, while stop < 3, at any time.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `CancelWithdrawalAccounts`):
//! - `lp`: Signer, writable. Gets the request's rent back.
//! - `config`: PDA `["config"]`. The protocol's Config (admin, stop level).
//! - `market`: Writable.
//! - `share_mint`: Writable, PDA `["share_mint", market]`.
//! - `lp_share_account`: Writable. Share mint.
//! - `withdrawal_request`: Writable, PDA `["withdrawal", market, lp]`. The LP's request in this market.
//! - `token_program`: SPL Token program.
//!
//! Args: none.
//! Changes: accrues; mints back every share of the request if they are worth at most the
//! request's `value` now (at the pool value), otherwise only the shares that `value` buys now
//! (`math::cancel_shares`): the rest, what they earned since the request, are forfeited to the
//! pool and leave `total_shares`. So a standing request is never better than a claim, and
//! requesting early "just in case" buys no way out of a later loss. Closes the request. Refused
//! with `WithdrawalRequestMismatch` for another LP's or market's request. Emits
//! `WithdrawalCancelled`.

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::safe_math::SafeMath;
use crate::{
    checks::{require_token_account, require_vault, require_writable},
    context::{load_market_mut, load_request_mut, now, require_user_call},
    error::GavelError,
    events::{Event, WithdrawalCancelled},
    math,
    state::Reader,
    token::mint_shares,
    utils::close_program_account,
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::CancelWithdrawalAccounts {
        lp,
        config,
        market: market_info,
        share_mint,
        lp_share_account,
        withdrawal_request: request_info,
        token_program,
    } = super::accounts_gen::CancelWithdrawalAccounts::from_slice(accounts)?;
    Reader::new(args, 0).finish()?;

    require_user_call(
        lp,
        token_program,
        config,
        crate::state::stop::CANCEL_WITHDRAWAL,
    )?;
    require_writable(lp)?;
    let mut market_slot = core::mem::MaybeUninit::uninit();
    let market = load_market_mut(market_info, &mut market_slot)?;
    require_vault(share_mint, &market.share_mint)?;
    require_token_account(lp_share_account, &market.share_mint)?;
    let request = load_request_mut(request_info, market_info.key(), lp.key())?;

    market.accrue(now()?.unix_timestamp)?;
    let returned = math::cancel_shares(
        request.shares,
        request.value,
        market.pool_value()?,
        market.total_shares,
    )
    .ok_or(GavelError::MathOverflow)?;
    let forfeited = request.shares.safe_sub(returned)?;
    market.total_shares = market.total_shares.safe_sub(forfeited)?;

    if returned > 0 {
        mint_shares(market, market_info, share_mint, lp_share_account, returned)?;
    }
    market.store(market_info)?;
    close_program_account(request_info, lp)?;
    WithdrawalCancelled {
        market: *market_info.key(),
        lp: *lp.key(),
        shares_returned: returned,
        shares_forfeited: forfeited,
        total_shares: market.total_shares,
    }
    .emit();
    Ok(())
}

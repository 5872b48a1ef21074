//! `withdraw_liquidity`: second step of an LP withdrawal. Claims shares of the LP's withdrawal
//! request once its cooldown is over, for debt tokens paid from idle cash.
//!
//! Who: the LP who made the request, while stop < 1 (claims wait while kicks are paused: an unsafe
//! position that cannot be kicked would still count at face value), from the request's
//! `claimable_ts` on.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `WithdrawLiquidityAccounts`):
//! - `lp`: Signer, writable. Gets the request's rent back when it closes.
//! - `config`: PDA `["config"]`. The protocol's Config (admin, stop level).
//! - `market`: Writable.
//! - `liquidity_vault`: Writable, PDA `["liquidity_vault", market]`.
//! - `lp_debt_account`: Writable. Debt mint.
//! - `withdrawal_request`: Writable, PDA `["withdrawal", market, lp]`. The LP's request in this market.
//! - `token_program`: SPL Token program.
//!
//! Args: `shares: u64` (> 0, at most the request's shares; a part may be claimed).
//! Changes: accrues; pays `min(value at request, value now)` for `shares`, where the value at
//! request is their part of the request's `value` and the value now is
//! `floor(shares × withdrawal value / total shares)` (`Market::withdrawal_value`: live auctions'
//! debt counted only up to the insurance fund). So the shares shared every loss that became
//! visible during the cooldown, and earned nothing after the request (what they would have
//! earned stays with the pool). Removes `shares` from `total_shares` and from the request; closes
//! the request when it is empty. Refused with `WithdrawalCooldownActive` before `claimable_ts`,
//! `WithdrawalRequestMismatch` for another LP's or market's request, `LiquidityInsufficient` if
//! more than idle cash, or for the last shares while auctions are live (their proceeds would
//! belong to no one); `AmountInvalid` if it rounds to 0. Emits `LiquidityWithdrawn` (with the
//! full pool value after).

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::safe_math::SafeMath;
use crate::{
    checks::{require_distinct, require_token_account, require_vault, require_writable},
    context::{
        emit_liquidity_event, load_market_mut, load_request_mut, now, read_u64_arg,
        require_user_call,
    },
    error::GavelError,
    math,
    token::transfer_from_vault,
    utils::close_program_account,
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::WithdrawLiquidityAccounts {
        lp,
        config,
        market: market_info,
        liquidity_vault,
        lp_debt_account,
        withdrawal_request: request_info,
        token_program,
    } = super::accounts_gen::WithdrawLiquidityAccounts::from_slice(accounts)?;
    let shares = read_u64_arg(args)?;

    require_user_call(
        lp,
        token_program,
        config,
        crate::state::stop::WITHDRAW_LIQUIDITY,
    )?;
    require_writable(lp)?;
    let mut market_slot = core::mem::MaybeUninit::uninit();
    let market = load_market_mut(market_info, &mut market_slot)?;
    require_vault(liquidity_vault, &market.liquidity_vault)?;
    require_token_account(lp_debt_account, &market.debt_mint)?;
    // Paying the vault to itself would remove the LP's shares and leave the tokens in place.
    require_distinct(lp_debt_account, liquidity_vault)?;
    let mut request = load_request_mut(request_info, market_info.key(), lp.key())?;
    if shares == 0 || shares > request.shares || shares > market.total_shares {
        return Err(GavelError::AmountInvalid.into());
    }
    let clock = now()?;
    if clock.unix_timestamp < request.claimable_ts {
        return Err(GavelError::WithdrawalCooldownActive.into());
    }

    market.accrue(clock.unix_timestamp)?;
    let cap = math::request_value_of(shares, request.shares, request.value)
        .ok_or(GavelError::MathOverflow)?;
    let amount = math::claim_amount(shares, cap, market.withdrawal_value()?, market.total_shares)
        .ok_or(GavelError::MathOverflow)?;
    if amount == 0 {
        return Err(GavelError::AmountInvalid.into());
    }
    if amount > market.cash || (shares == market.total_shares && market.auction_debt > 0) {
        return Err(GavelError::LiquidityInsufficient.into());
    }
    market.cash = market.cash.safe_sub(amount)?;
    market.total_shares = market.total_shares.safe_sub(shares)?;
    request.shares = request.shares.safe_sub(shares)?;
    request.value = request.value.safe_sub(cap)?;

    transfer_from_vault(
        market,
        market_info,
        liquidity_vault,
        lp_debt_account,
        amount,
    )?;
    market.store(market_info)?;
    if request.shares == 0 {
        close_program_account(request_info, lp)?;
    } else {
        request.store(request_info)?;
    }
    emit_liquidity_event!(LiquidityWithdrawn, market, market_info, lp, amount, shares);
    Ok(())
}

//! `withdraw_liquidity`: an LP burns shares for their value in debt tokens, paid from idle cash.
//!
//! Who: the holder of the shares, while stop < 3.
//! Accounts: `lp` (signer, authority of `lp_share_account`), `config`, `market` (writable),
//! `liquidity_vault` (writable), `share_mint` (writable), `lp_debt_account` (writable, debt
//! mint), `lp_share_account` (writable, share mint), `token_program`.
//! Args: `shares: u64` (> 0).
//! Changes: accrues; burns `shares`; pays `floor(shares × withdrawal value / total shares)` from
//! the vault, where the withdrawal value counts live auctions' debt only up to the insurance fund
//! (`Market::withdrawal_value`: no running ahead of a pending bad debt). Refused with
//! `LiquidityInsufficient` if more than idle cash, or for the last shares while auctions are live
//! (their proceeds would belong to no one); `AmountInvalid` if it rounds to 0. Emits
//! `LiquidityWithdrawn` (with the full pool value after).

use pinocchio::{account_info::AccountInfo, ProgramResult};

use super::deposit_liquidity::STOP_LIQUIDITY;
use crate::safe_math::SafeMath;
use crate::{
    context::{load_market_mut, now, require_stop_below, require_vault},
    error::GavelError,
    events::{Event, LiquidityWithdrawn},
    math,
    state::Reader,
    token::{burn_shares, require_token_account, require_token_program, transfer_from_vault},
    utils::{require_distinct, require_signer},
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let [lp, config, market_info, liquidity_vault, share_mint, lp_debt_account, lp_share_account, token_program, ..] =
        accounts
    else {
        return Err(GavelError::AccountsMissing.into());
    };
    let mut r = Reader::new(args, 0);
    let shares = r.u64()?;
    r.finish()?;

    require_signer(lp)?;
    require_token_program(token_program)?;
    require_stop_below(config, STOP_LIQUIDITY)?;
    let mut market = load_market_mut(market_info)?;
    require_vault(liquidity_vault, &market.liquidity_vault)?;
    require_vault(share_mint, &market.share_mint)?;
    require_token_account(lp_debt_account, &market.debt_mint)?;
    require_token_account(lp_share_account, &market.share_mint)?;
    // Paying the vault to itself would burn the LP's shares and leave the tokens in place.
    require_distinct(lp_debt_account, liquidity_vault)?;
    if shares == 0 || shares > market.total_shares {
        return Err(GavelError::AmountInvalid.into());
    }

    market.accrue(now()?.unix_timestamp)?;
    let amount = math::amount_for_shares(shares, market.withdrawal_value()?, market.total_shares)
        .ok_or(GavelError::MathOverflow)?;
    if amount == 0 {
        return Err(GavelError::AmountInvalid.into());
    }
    if amount > market.cash || (shares == market.total_shares && market.auction_debt > 0) {
        return Err(GavelError::LiquidityInsufficient.into());
    }
    market.cash = market.cash.safe_sub(amount)?;
    market.total_shares = market.total_shares.safe_sub(shares)?;

    burn_shares(share_mint, lp_share_account, lp, shares)?;
    transfer_from_vault(
        &market,
        market_info,
        liquidity_vault,
        lp_debt_account,
        amount,
    )?;
    market.store(market_info)?;
    LiquidityWithdrawn {
        market: *market_info.key(),
        lp: *lp.key(),
        amount,
        shares,
        total_shares: market.total_shares,
        pool_value: market.pool_value()?,
    }
    .emit();
    Ok(())
}

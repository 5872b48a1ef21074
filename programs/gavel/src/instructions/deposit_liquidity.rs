//! `deposit_liquidity`: an LP deposits debt tokens and receives LP shares at the current share
//! price (pool value / shares; it rises as borrowers pay interest).
//!
//! Who: anyone, while stop < 3.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `DepositLiquidityAccounts`):
//! - `lp`: Signer. Authority of `lp_debt_account`.
//! - `config`: PDA `["config"]`. The protocol's Config (admin, stop level).
//! - `market`: Writable.
//! - `liquidity_vault`: Writable, PDA `["liquidity_vault", market]`.
//! - `share_mint`: Writable, PDA `["share_mint", market]`.
//! - `lp_debt_account`: Writable. Debt mint.
//! - `lp_share_account`: Writable. Share mint.
//! - `token_program`: SPL Token program.
//!
//! Args: `amount: u64` (debt base units, > 0).
//! Changes: accrues; moves `amount` into the vault; mints `floor(amount × shares / pool value)`
//! shares (refused if 0); `cash += amount`; emits `LiquidityDeposited`.

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::{
    checks::{require_token_account, require_vault},
    context::{emit_liquidity_event, load_market_mut, now, read_u64_arg, require_user_call},
    error::GavelError,
    math,
    token::{mint_shares, transfer_from_user},
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::DepositLiquidityAccounts {
        lp,
        config,
        market: market_info,
        liquidity_vault,
        share_mint,
        lp_debt_account,
        lp_share_account,
        token_program,
    } = super::accounts_gen::DepositLiquidityAccounts::from_slice(accounts)?;
    let amount = read_u64_arg(args)?;

    require_user_call(
        lp,
        token_program,
        config,
        crate::state::stop::DEPOSIT_LIQUIDITY,
    )?;
    let mut market_slot = core::mem::MaybeUninit::uninit();
    let market = load_market_mut(market_info, &mut market_slot)?;
    require_vault(liquidity_vault, &market.liquidity_vault)?;
    require_vault(share_mint, &market.share_mint)?;
    require_token_account(lp_debt_account, &market.debt_mint)?;
    require_token_account(lp_share_account, &market.share_mint)?;
    if amount == 0 {
        return Err(GavelError::AmountInvalid.into());
    }

    market.accrue(now()?.unix_timestamp)?;
    let pool_value = market.pool_value()?;
    if market.total_shares > 0 && pool_value == 0 {
        return Err(GavelError::PoolInsolvent.into());
    }
    let shares = math::shares_for_deposit(amount, pool_value, market.total_shares)
        .ok_or(GavelError::MathOverflow)?;
    if shares == 0 {
        return Err(GavelError::DepositTooSmall.into());
    }
    market.cash = market
        .cash
        .checked_add(amount)
        .ok_or(GavelError::MathOverflow)?;
    market.total_shares = market
        .total_shares
        .checked_add(shares)
        .ok_or(GavelError::MathOverflow)?;

    transfer_from_user(lp_debt_account, liquidity_vault, lp, amount)?;
    mint_shares(market, market_info, share_mint, lp_share_account, shares)?;
    market.store(market_info)?;
    emit_liquidity_event!(LiquidityDeposited, market, market_info, lp, amount, shares);
    Ok(())
}

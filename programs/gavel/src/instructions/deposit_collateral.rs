//! `deposit_collateral`: adds collateral to a position. Needs no oracle, works at every stop
//! level: a borrower can always make their position safer.
//!
//! Who: anyone (usually the owner), for any position.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `DepositCollateralAccounts`):
//! - `depositor`: Signer. Authority of `source`.
//! - `market`: Writable, address `position.market`.
//! - `position`: Writable.
//! - `collateral_vault`: Writable, PDA `["collateral_vault", market]`.
//! - `source`: Writable. Collateral mint.
//! - `token_program`: SPL Token program.
//!
//! Args: `amount: u64` (> 0).
//! Changes: accrues; moves `amount` into the vault; `ink += amount`; emits `CollateralDeposited`.

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::{
    checks::{require_signer, require_token_account, require_token_program, require_vault},
    context::{load_market_mut, load_position_mut, now, read_u64_arg},
    error::GavelError,
    events::{CollateralDeposited, Event},
    token::transfer_from_user,
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::DepositCollateralAccounts {
        depositor,
        market: market_info,
        position: position_info,
        collateral_vault,
        source,
        token_program,
    } = super::accounts_gen::DepositCollateralAccounts::from_slice(accounts)?;
    let amount = read_u64_arg(args)?;

    require_signer(depositor)?;
    require_token_program(token_program)?;
    let mut market_slot = core::mem::MaybeUninit::uninit();
    let market = load_market_mut(market_info, &mut market_slot)?;
    let mut position_slot = core::mem::MaybeUninit::uninit();
    let position = load_position_mut(position_info, market_info.key(), None, &mut position_slot)?;
    require_vault(collateral_vault, &market.collateral_vault)?;
    require_token_account(source, &market.collateral_mint)?;
    if amount == 0 {
        return Err(GavelError::AmountInvalid.into());
    }
    market.accrue(now()?.unix_timestamp)?;
    position.ink = position
        .ink
        .checked_add(amount)
        .ok_or(GavelError::MathOverflow)?;
    market.collateral_total = market
        .collateral_total
        .checked_add(amount)
        .ok_or(GavelError::MathOverflow)?;
    transfer_from_user(source, collateral_vault, depositor, amount)?;
    position.store(position_info)?;
    market.store(market_info)?;
    CollateralDeposited {
        market: *market_info.key(),
        position: *position_info.key(),
        depositor: *depositor.key(),
        amount,
        ink: position.ink,
    }
    .emit();
    Ok(())
}

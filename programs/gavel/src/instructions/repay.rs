//! `repay`: pays down a position's debt. Needs no oracle and works at every stop level: a
//! borrower can always repay. Over-repayment is capped at the debt (`u64::MAX` repays all).
//!
//! Who: anyone (usually the owner), for any position.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `RepayAccounts`):
//! - `payer`: Signer. Authority of `source`.
//! - `market`: Writable, address `position.market`.
//! - `position`: Writable.
//! - `liquidity_vault`: Writable, PDA `["liquidity_vault", market]`.
//! - `source`: Writable. Debt mint.
//! - `token_program`: SPL Token program.
//!
//! Args: `amount: u64` (> 0).
//! Changes: accrues; pays `min(amount, debt)` into the vault (`cash +=`); removes
//! `floor(paid / rate)` of art (all of it on full repayment); remaining debt must be 0 or
//! ≥ `dust`; emits `DebtRepaid`.

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::safe_math::SafeMath;
use crate::{
    checks::{require_signer, require_token_account, require_token_program, require_vault},
    context::{load_market_mut, load_position_mut, now, read_u64_arg},
    error::GavelError,
    events::{DebtRepaid, Event},
    math,
    token::transfer_from_user,
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::RepayAccounts {
        payer,
        market: market_info,
        position: position_info,
        liquidity_vault,
        source,
        token_program,
    } = super::accounts_gen::RepayAccounts::from_slice(accounts)?;
    let amount = read_u64_arg(args)?;

    require_signer(payer)?;
    require_token_program(token_program)?;
    let mut market_slot = core::mem::MaybeUninit::uninit();
    let market = load_market_mut(market_info, &mut market_slot)?;
    let mut position_slot = core::mem::MaybeUninit::uninit();
    let position = load_position_mut(position_info, market_info.key(), None, &mut position_slot)?;
    require_vault(liquidity_vault, &market.liquidity_vault)?;
    require_token_account(source, &market.debt_mint)?;
    if amount == 0 || position.art == 0 {
        return Err(GavelError::AmountInvalid.into());
    }
    market.accrue(now()?.unix_timestamp)?;

    let debt = math::debt_from_art(position.art, market.rate).ok_or(GavelError::MathOverflow)?;
    let (paid, art_removed) = if amount >= debt {
        (debt, position.art)
    } else {
        let removed =
            math::art_from_debt_floor(amount, market.rate).ok_or(GavelError::MathOverflow)?;
        (amount, removed)
    };
    if art_removed == 0 {
        return Err(GavelError::AmountInvalid.into());
    }
    position.art = position.art.safe_sub(art_removed)?;
    market.art_total = market.art_total.saturating_sub(art_removed);
    let remaining =
        math::debt_from_art(position.art, market.rate).ok_or(GavelError::MathOverflow)?;
    if remaining > 0 && remaining < market.params.dust {
        return Err(GavelError::DebtBelowDust.into());
    }
    market.cash = market
        .cash
        .checked_add(paid)
        .ok_or(GavelError::MathOverflow)?;

    transfer_from_user(source, liquidity_vault, payer, paid)?;
    position.store(position_info)?;
    market.store(market_info)?;
    DebtRepaid {
        market: *market_info.key(),
        position: *position_info.key(),
        payer: *payer.key(),
        amount: paid,
        art: position.art,
        debt: remaining,
        rate: market.rate,
    }
    .emit();
    Ok(())
}

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

use crate::payout::{open_payout, pay_out, require_within_max_ltv, Payout};
use crate::safe_math::SafeMath;
use crate::{
    context::PositionSlots,
    error::GavelError,
    events::{DebtBorrowed, Event},
    math,
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let payout = Payout::from(super::accounts_gen::BorrowAccounts::from_slice(accounts)?);
    let mut slots = PositionSlots::uninit();
    let (market, position, amount, now) = open_payout(&payout, args, &mut slots)?;

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
    require_within_max_ltv(&payout, market, position.ink, debt, &now)?;
    market.cash = market.cash.safe_sub(amount)?;

    pay_out(&payout, market, position, amount)?;
    DebtBorrowed {
        market: *payout.market.key(),
        position: *payout.position.key(),
        owner: *payout.owner.key(),
        amount,
        art: position.art,
        debt,
        rate: market.rate,
    }
    .emit();
    Ok(())
}

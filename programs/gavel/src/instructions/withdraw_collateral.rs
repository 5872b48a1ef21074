//! `withdraw_collateral`: the owner takes collateral out, keeping LTV ≤ `max_ltv_bps` with the
//! collateral valued conservatively (oracle price − confidence) at a fresh oracle price.
//!
//! Who: the position owner, while stop < 3.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `WithdrawCollateralAccounts`):
//! - `owner`: Signer.
//! - `config`: PDA `["config"]`. The protocol's Config (admin, stop level).
//! - `market`: Writable.
//! - `position`: Writable, PDA `["position", market, owner]`.
//! - `collateral_vault`: Writable, PDA `["collateral_vault", market]`.
//! - `destination`: Writable. Collateral mint.
//! - `token_program`: SPL Token program.
//! - `oracles @ ..`: The market's collateral oracle, then its debt oracle when it has one. Read only when the position has debt. In the IDL: `collateral_oracle`.
//!
//! Args: `amount: u64` (> 0, ≤ ink).
//! Changes: accrues; `ink -= amount`; pays `amount` from the vault; emits `CollateralWithdrawn`.

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::payout::{open_payout, pay_out, require_within_max_ltv, Payout};
use crate::safe_math::SafeMath;
use crate::{
    context::PositionSlots,
    error::GavelError,
    events::{CollateralWithdrawn, Event},
    math,
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let payout = Payout::from(super::accounts_gen::WithdrawCollateralAccounts::from_slice(
        accounts,
    )?);
    let mut slots = PositionSlots::uninit();
    let (market, position, amount, now) = open_payout(&payout, args, &mut slots)?;
    position.ink = position.ink.safe_sub(amount)?;
    market.collateral_total = market.collateral_total.safe_sub(amount)?;
    if position.art > 0 {
        let debt =
            math::debt_from_art(position.art, market.rate).ok_or(GavelError::MathOverflow)?;
        require_within_max_ltv(&payout, market, position.ink, debt, &now)?;
    }
    pay_out(&payout, market, position, amount)?;
    CollateralWithdrawn {
        market: *payout.market.key(),
        position: *payout.position.key(),
        owner: *payout.owner.key(),
        amount,
        ink: position.ink,
    }
    .emit();
    Ok(())
}

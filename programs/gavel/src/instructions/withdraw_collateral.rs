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

use crate::safe_math::SafeMath;
use crate::{
    checks::{
        require_distinct, require_signer, require_token_account, require_token_program,
        require_vault,
    },
    context::{
        load_market_mut, load_position_mut, load_prices, now, require_stop, require_within_max_ltv,
    },
    error::GavelError,
    events::{CollateralWithdrawn, Event},
    math,
    state::Reader,
    token::transfer_from_vault,
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::WithdrawCollateralAccounts {
        owner,
        config,
        market: market_info,
        position: position_info,
        collateral_vault,
        destination,
        token_program,
        oracles,
    } = super::accounts_gen::WithdrawCollateralAccounts::from_slice(accounts)?;
    let mut r = Reader::new(args, 0);
    let amount = r.u64()?;
    r.finish()?;

    require_signer(owner)?;
    require_token_program(token_program)?;
    require_stop(config, crate::state::stop::WITHDRAW_COLLATERAL)?;
    let mut market_slot = core::mem::MaybeUninit::uninit();
    let market = load_market_mut(market_info, &mut market_slot)?;
    let mut position_slot = core::mem::MaybeUninit::uninit();
    let position = load_position_mut(
        position_info,
        market_info.key(),
        Some(owner.key()),
        &mut position_slot,
    )?;
    require_vault(collateral_vault, &market.collateral_vault)?;
    require_token_account(destination, &market.collateral_mint)?;
    require_distinct(destination, collateral_vault)?;
    if amount == 0 {
        return Err(GavelError::AmountInvalid.into());
    }
    if amount > position.ink {
        return Err(GavelError::CollateralInsufficient.into());
    }
    let now = now()?;
    market.accrue(now.unix_timestamp)?;
    position.ink = position.ink.safe_sub(amount)?;
    market.collateral_total = market.collateral_total.safe_sub(amount)?;
    if position.art > 0 {
        let prices = load_prices(market, oracles, &now)?;
        let debt =
            math::debt_from_art(position.art, market.rate).ok_or(GavelError::MathOverflow)?;
        require_within_max_ltv(market, position.ink, debt, prices.low)?;
    }
    transfer_from_vault(market, market_info, collateral_vault, destination, amount)?;
    position.store(position_info)?;
    market.store(market_info)?;
    CollateralWithdrawn {
        market: *market_info.key(),
        position: *position_info.key(),
        owner: *owner.key(),
        amount,
        ink: position.ink,
    }
    .emit();
    Ok(())
}

//! `close_position`: closes an empty position and returns its rent to the owner.
//!
//! Who: the position owner, any stop level.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `ClosePositionAccounts`):
//! - `owner`: Signer, writable. Receives the rent.
//! - `market`
//! - `position`: Writable, PDA `["position", market, owner]`.
//!
//! Args: none.
//! Changes: position must have no collateral and no debt; its data is zeroed and the account
//! closed (so it cannot be revived within the transaction); emits `PositionClosed`.

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::{
    checks::{require_signer, require_writable},
    context::load_position_mut,
    error::GavelError,
    events::{Event, PositionClosed},
    state::{Market, Reader},
    utils::close_program_account,
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::ClosePositionAccounts {
        owner,
        market: market_info,
        position: position_info,
    } = super::accounts_gen::ClosePositionAccounts::from_slice(accounts)?;
    Reader::new(args, 0).finish()?;
    require_signer(owner)?;
    require_writable(owner)?;
    Market::load(market_info)?;
    let mut position_slot = core::mem::MaybeUninit::uninit();
    let position = load_position_mut(
        position_info,
        market_info.key(),
        Some(owner.key()),
        &mut position_slot,
    )?;
    if position.ink != 0 || position.art != 0 || position.auctions != 0 {
        return Err(GavelError::PositionNotEmpty.into());
    }
    close_program_account(position_info, owner)?;
    PositionClosed {
        market: *market_info.key(),
        position: *position_info.key(),
        owner: *owner.key(),
    }
    .emit();
    Ok(())
}

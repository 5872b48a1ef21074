//! `open_position`: a borrower opens their (empty) position in a market.
//!
//! Who: anyone, for themselves, while stop < 3.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `OpenPositionAccounts`):
//! - `owner`: Signer, writable. Pays the rent.
//! - `config`: PDA `["config"]`. The protocol's Config (admin, stop level).
//! - `market`
//! - `position`: Writable, PDA `["position", market, owner]`.
//! - `system_program`: System program.
//!
//! Args: none.
//! Changes: creates the position; emits `PositionOpened`.

use pinocchio::{
    account_info::AccountInfo,
    instruction::{Seed, Signer},
    ProgramResult,
};

use crate::{
    checks::{require_pda, require_signer, require_system_program, require_writable},
    context::require_stop,
    error::GavelError,
    events::{Event, PositionOpened},
    state::{seeds_gen::POSITION_SEED, Market, Position, Reader},
    utils::create_pda_account,
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::OpenPositionAccounts {
        owner,
        config,
        market: market_info,
        position: position_info,
        system_program,
    } = super::accounts_gen::OpenPositionAccounts::from_slice(accounts)?;
    Reader::new(args, 0).finish()?;
    require_signer(owner)?;
    require_writable(owner)?;
    require_writable(position_info)?;
    require_system_program(system_program)?;
    require_stop(config, crate::state::stop::OPEN_POSITION)?;
    Market::load(market_info)?;
    let bump = require_pda(
        position_info,
        &crate::seeds!(POSITION_SEED, market_info.key(), owner.key()),
    )?;
    if position_info.data_len() != 0 || position_info.is_owned_by(&crate::ID) {
        return Err(GavelError::AccountDuplicate.into());
    }
    let bump_seed = [bump];
    let seeds = [
        Seed::from(POSITION_SEED),
        Seed::from(market_info.key()),
        Seed::from(owner.key()),
        Seed::from(&bump_seed),
    ];
    create_pda_account(
        owner,
        position_info,
        Position::LEN,
        &crate::ID,
        &Signer::from(&seeds),
    )?;
    Position {
        market: *market_info.key(),
        owner: *owner.key(),
        ink: 0,
        art: 0,
        auctions: 0,
        bump,
        unearned_rewards: 0,
    }
    .store(position_info)?;
    PositionOpened {
        market: *market_info.key(),
        position: *position_info.key(),
        owner: *owner.key(),
    }
    .emit();
    Ok(())
}

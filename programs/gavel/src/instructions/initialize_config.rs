//! `initialize_config`: creates the protocol `Config` PDA with the signer as admin and stop 0.
//!
//! Who: anyone, once (the deploy script calls it right after deploying).
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `InitializeConfigAccounts`):
//! - `admin`: Signer, writable. Pays the rent; becomes the admin.
//! - `config`: Writable, PDA `["config"]`. The protocol's Config (admin, stop level).
//! - `system_program`: System program.
//!
//! Args: none.
//! Changes: creates `config`; emits `ConfigInitialized`.

use pinocchio::{
    account_info::AccountInfo,
    instruction::{Seed, Signer},
    ProgramResult,
};

use crate::{
    checks::{require_pda, require_signer, require_system_program, require_writable},
    error::GavelError,
    events::{ConfigInitialized, Event},
    state::{seeds_gen::CONFIG_SEED, Config, Reader},
    utils::create_pda_account,
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::InitializeConfigAccounts {
        admin,
        config,
        system_program,
    } = super::accounts_gen::InitializeConfigAccounts::from_slice(accounts)?;
    Reader::new(args, 0).finish()?;
    require_signer(admin)?;
    require_writable(admin)?;
    require_writable(config)?;
    require_system_program(system_program)?;
    let bump = require_pda(config, &crate::seeds!(CONFIG_SEED))?;
    if config.is_owned_by(&crate::ID) || config.data_len() != 0 {
        return Err(GavelError::ConfigAlreadyInitialized.into());
    }

    let bump_seed = [bump];
    let seeds = [Seed::from(CONFIG_SEED), Seed::from(&bump_seed)];
    create_pda_account(
        admin,
        config,
        Config::LEN,
        &crate::ID,
        &Signer::from(&seeds),
    )?;

    Config {
        admin: *admin.key(),
        pending_admin: [0u8; 32],
        stop: 0,
        bump,
    }
    .store(config)?;
    ConfigInitialized {
        admin: *admin.key(),
    }
    .emit();
    Ok(())
}

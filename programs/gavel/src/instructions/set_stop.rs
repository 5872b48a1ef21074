//! `set_stop`: sets the emergency stop level.
//!
//! Who: the config admin.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `SetStopAccounts`):
//! - `admin`: Signer.
//! - `config`: Writable, PDA `["config"]`. The protocol's Config (admin, stop level).
//!
//! Args: `stop: u8` — 0 live, 1 no new kicks, 2 no kicks and no resets, 3 admin only.
//! Changes: `config.stop`; emits `StopChanged`.

use pinocchio::{
    account_info::AccountInfo,
    sysvars::{clock::Clock, Sysvar},
    ProgramResult,
};

use crate::{
    checks::{require_signer, require_writable},
    error::GavelError,
    events::{Event, StopChanged},
    state::{config::STOP_MAX, Config, Reader},
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::SetStopAccounts {
        admin,
        config: config_info,
    } = super::accounts_gen::SetStopAccounts::from_slice(accounts)?;
    let mut r = Reader::new(args, 0);
    let stop = r.u8()?;
    r.finish()?;

    require_signer(admin)?;
    require_writable(config_info)?;
    let mut config = Config::load(config_info)?;
    if admin.key() != &config.admin {
        return Err(GavelError::AdminRequired.into());
    }
    if stop > STOP_MAX {
        return Err(GavelError::StopLevelInvalid.into());
    }

    let previous = config.stop;
    config.stop = stop;
    config.store(config_info)?;
    StopChanged {
        admin: *admin.key(),
        previous,
        stop,
        unix_timestamp: Clock::get()
            .map_err(|_| GavelError::ClockUnavailable)?
            .unix_timestamp,
    }
    .emit();
    Ok(())
}

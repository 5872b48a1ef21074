//! `accept_admin`: the nominated admin takes over.
//!
//! Who: `config.pending_admin`.
//! Accounts: `pending_admin` (signer), `config` (writable).
//! Args: none.
//! Changes: `config.admin` = signer, `pending_admin` cleared; emits `AdminTransferAccepted`.

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::{
    checks::{require_signer, require_writable},
    error::GavelError,
    events::{AdminTransferAccepted, Event},
    state::{Config, Reader},
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let [pending, config_info, ..] = accounts else {
        return Err(GavelError::AccountsMissing.into());
    };
    Reader::new(args, 0).finish()?;
    require_signer(pending)?;
    require_writable(config_info)?;
    let mut config = Config::load(config_info)?;
    if config.pending_admin == [0u8; 32] || config.pending_admin != *pending.key() {
        return Err(GavelError::PendingAdminRequired.into());
    }
    let previous_admin = config.admin;
    config.admin = config.pending_admin;
    config.pending_admin = [0u8; 32];
    config.store(config_info)?;
    AdminTransferAccepted {
        previous_admin,
        admin: config.admin,
    }
    .emit();
    Ok(())
}

//! `accept_admin`: the nominated admin takes over.
//!
//! Who: `config.pending_admin`.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `AcceptAdminAccounts`):
//! - `pending_admin`: Signer.
//! - `config`: Writable, PDA `["config"]`. The protocol's Config (admin, stop level).
//!
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
    let super::accounts_gen::AcceptAdminAccounts {
        pending_admin: pending,
        config: config_info,
    } = super::accounts_gen::AcceptAdminAccounts::from_slice(accounts)?;
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

//! `transfer_admin`: nominates a new admin; takes effect when they call `accept_admin`.
//!
//! Who: the config admin.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `TransferAdminAccounts`):
//! - `admin`: Signer.
//! - `config`: Writable, PDA `["config"]`. The protocol's Config (admin, stop level).
//!
//! Args: `new_admin: Pubkey` (all zero cancels a pending nomination).
//! Changes: `config.pending_admin`; emits `AdminTransferProposed`.

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::{
    checks::{require_signer, require_writable},
    error::GavelError,
    events::{AdminTransferProposed, Event},
    state::{Config, Reader},
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::TransferAdminAccounts {
        admin,
        config: config_info,
    } = super::accounts_gen::TransferAdminAccounts::from_slice(accounts)?;
    let mut r = Reader::new(args, 0);
    let new_admin = r.pubkey()?;
    r.finish()?;

    require_signer(admin)?;
    require_writable(config_info)?;
    let mut config = Config::load(config_info)?;
    if config.admin != *admin.key() {
        return Err(GavelError::AdminRequired.into());
    }
    config.pending_admin = new_admin;
    config.store(config_info)?;
    AdminTransferProposed {
        admin: config.admin,
        pending_admin: new_admin,
    }
    .emit();
    Ok(())
}

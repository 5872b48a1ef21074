//! `update_backstop`: replaces a backstop's parameters (mint, vaults and balances stay).
//!
//! Who: the config admin (any stop level).
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `UpdateBackstopAccounts`):
//! - `admin`: Signer.
//! - `config`: PDA `["config"]`. The protocol's Config (admin, stop level).
//! - `backstop`: Writable.
//!
//! Args: `params: BackstopParams` (validated).
//! Changes: `backstop.params`; emits `BackstopUpdated`. Requests and warm-ups already running
//! keep the times they were given.

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::{
    checks::{require_signer, require_writable},
    error::GavelError,
    events::{BackstopUpdated, Event},
    state::{Backstop, BackstopParams, Config, Reader},
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::UpdateBackstopAccounts {
        admin,
        config,
        backstop: backstop_info,
    } = super::accounts_gen::UpdateBackstopAccounts::from_slice(accounts)?;
    let mut r = Reader::new(args, 0);
    let params = BackstopParams::read(&mut r)?;
    r.finish()?;

    require_signer(admin)?;
    if Config::load(config)?.admin != *admin.key() {
        return Err(GavelError::AdminRequired.into());
    }
    params.validate()?;
    require_writable(backstop_info)?;
    let mut backstop = Backstop::load(backstop_info)?;
    backstop.params = params;
    backstop.store(backstop_info)?;
    BackstopUpdated {
        market: backstop.market,
        backstop: *backstop_info.key(),
        params,
    }
    .emit();
    Ok(())
}

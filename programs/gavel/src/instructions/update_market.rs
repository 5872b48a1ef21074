//! `update_market`: replaces a market's parameters (mints and vaults stay).
//!
//! Who: the config admin (any stop level).
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `UpdateMarketAccounts`):
//! - `admin`: Signer.
//! - `config`: PDA `["config"]`. The protocol's Config (admin, stop level).
//! - `market`: Writable.
//!
//! Args: `params: MarketParams` (validated).
//! Changes: interest is accrued at the old rate up to now, then `market.params`; the newest
//! publish time seen of an oracle the update replaces is forgotten (it belonged to another feed);
//! emits `MarketUpdated`. Live auctions keep the price mode they were kicked with.

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::{
    checks::require_signer,
    context::{load_market_mut, now},
    error::GavelError,
    events::{Event, MarketUpdated},
    state::{Config, MarketParams, Reader},
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::UpdateMarketAccounts {
        admin,
        config,
        market: market_info,
    } = super::accounts_gen::UpdateMarketAccounts::from_slice(accounts)?;
    let mut r = Reader::new(args, 0);
    let params = MarketParams::read(&mut r)?;
    r.finish()?;

    require_signer(admin)?;
    if Config::load(config)?.admin != *admin.key() {
        return Err(GavelError::AdminRequired.into());
    }
    params.validate()?;
    let mut market_slot = core::mem::MaybeUninit::uninit();
    let market = load_market_mut(market_info, &mut market_slot)?;
    market.accrue(now()?.unix_timestamp)?;
    if params.collateral_oracle != market.params.collateral_oracle {
        market.collateral_publish_time = 0;
    }
    if params.debt_oracle != market.params.debt_oracle {
        market.debt_publish_time = 0;
    }
    market.params = params;
    market.store(market_info)?;
    MarketUpdated {
        market: *market_info.key(),
        params,
    }
    .emit();
    Ok(())
}

//! `accrue`: compounds a market's borrow index up to now (Maker's `drip`). Every instruction that
//! touches a market accrues too; this one lets anyone do it alone (e.g. before reading shares).
//!
//! Who: anyone, any stop level.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `AccrueAccounts`):
//! - `market`: Writable.
//!
//! Args: none.
//! Changes: `rate`, `last_accrual_ts`; emits `InterestAccrued` when time has passed.

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::{
    context::{load_market_mut, now},
    events::{Event, InterestAccrued},
    state::Reader,
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::AccrueAccounts {
        market: market_info,
    } = super::accounts_gen::AccrueAccounts::from_slice(accounts)?;
    Reader::new(args, 0).finish()?;
    let mut market_slot = core::mem::MaybeUninit::uninit();
    let market = load_market_mut(market_info, &mut market_slot)?;
    let now = now()?.unix_timestamp;
    let elapsed_secs = market.accrue(now)?;
    if elapsed_secs > 0 {
        market.store(market_info)?;
        InterestAccrued {
            market: *market_info.key(),
            rate: market.rate,
            elapsed_secs,
            total_debt: market.total_debt()?,
            unix_timestamp: now,
        }
        .emit();
    }
    Ok(())
}

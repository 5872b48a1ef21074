//! `Backstop`, PDA `["backstop", market]`: a market's liquidation pool (Liquity's Stability Pool,
//! Compound III's absorb). Depositors put debt tokens in; when an auction stalls or nears
//! insolvency, anyone may `absorb` it and the pool buys the lot at the auction's price. A share
//! is a claim on the pool's basket: debt tokens + absorbed collateral.
//!
//! Token custody: the share mint `["backstop_shares", market]`, the debt vault
//! `["backstop_debt", market]` and the collateral vault `["backstop_collateral", market]` are PDAs
//! whose token authority is the market PDA (like the market's own vaults).
//!
//! `BackstopDepositor`, PDA `["backstop_depositor", backstop, owner]`: one depositor's warming
//! deposit and pending withdrawal request.
//!
//! The basket is counted from the accounting fields `debt` and `collateral`, never from vault
//! balances, so tokens sent to a vault directly (a donation) change no share's value: the
//! first-depositor share-inflation attack has nothing to inflate with.

pub use super::layout_gen::{Backstop, BackstopDepositor, BackstopParams};
use crate::{error::GavelError, math::BPS};

/// Longest allowed warm-up, cooldown or absorb delay: 30 days.
pub const MAX_BACKSTOP_SECS: u64 = 30 * 86_400;
/// Highest allowed `buy_discount_bps`: 20%.
pub const MAX_BUY_DISCOUNT_BPS: u16 = 2_000;

impl BackstopParams {
    /// Checks every parameter: delays up to 30 days (the warm-up at least 1 s, so a deposit
    /// never shares in an absorb of its own slot), `near` ≤ 100%, discount ≤ 20%.
    pub fn validate(&self) -> Result<(), GavelError> {
        let ok = self.absorb_after_secs <= MAX_BACKSTOP_SECS
            && (self.absorb_near_bps as u64) <= BPS
            && self.buy_discount_bps <= MAX_BUY_DISCOUNT_BPS
            && self.withdraw_cooldown_secs <= MAX_BACKSTOP_SECS
            && self.warmup_secs > 0
            && self.warmup_secs <= MAX_BACKSTOP_SECS;
        if ok {
            Ok(())
        } else {
            Err(GavelError::BackstopParamsInvalid)
        }
    }
}

//! Anchored price mode (liquidation engine v2): the auction price follows the live oracle,
//! `price = oracle × (1 − d)`, with a discount `d` that starts at `d_start`, grows by `d_rate`
//! per minute and stops at `d_max`, a bound fixed at the kick from the position's health
//! (Euler v1, Kamino) and limited so the lot can still raise the tab. Exact integer arithmetic,
//! `core` only, host-tested.
//!
//! Discounts are in basis points, prices on PRICE_SCALE. Every rounding favours the protocol:
//! the bound from the lot rounds down, the discount's growth rounds down, and the price a taker
//! pays per unit rounds up.
//!
//! The TypeScript mirror is `sdk/src/anchored.ts`; both are checked against the golden vectors in
//! `tests/vectors/anchored.json`, produced by `scripts/gen-anchored-vectors.py` with Python's
//! exact integers.
//!
//! On-chain codegen (see [`super`]): every function returns a scalar and is `#[inline(never)]`;
//! none can panic or fail (overflowing intermediates saturate, which only caps a discount).

use super::{mul_div_ceil, mul_div_floor, BPS};

#[cfg(test)]
#[path = "anchored_tests.rs"]
mod tests;

/// Seconds per minute: `d_rate` is a growth per minute.
pub const SECS_PER_MIN: u64 = 60;

/// Input of [`d_max_bps`]: the position's health at the kick and the new auction's size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DmaxInput {
    /// LTV at the kick at the oracle mid, rounded up (`math::ltv_bps`; saturates at u64::MAX).
    pub ltv_bps: u64,
    /// The market's liquidation LTV.
    pub liquidation_ltv_bps: u64,
    /// `anchor_max_base_bps`: d_max of a position exactly at the liquidation LTV.
    pub max_base_bps: u64,
    /// `anchor_max_cap_bps`: the largest d_max.
    pub max_cap_bps: u64,
    /// The auction's tab (debt + penalty, debt base units).
    pub tab: u64,
    /// The auction's lot valued at the oracle mid, rounded down (debt base units).
    pub lot_value: u64,
}

/// The auction's largest discount, in exactly this order:
///
/// ```text
/// health = min(max_base + max(ltv − liquidation_ltv, 0), max_cap)       // saturating add
/// if 0 < lot_value and tab ≤ lot_value:                                 // the lot can raise the tab
///     d_max = min(health, floor((lot_value − tab) × BPS / lot_value))
/// else:                                                                 // it cannot at any discount
///     d_max = health
/// ```
///
/// The deeper the position is in trouble, the larger the discount (up to the cap); and while the
/// position is solvent the discount never goes so deep that the whole lot would fetch less than
/// the tab at the kick's price. A position whose lot cannot raise its tab even at no discount
/// keeps the health bound (the bad-debt path then handles the shortfall).
#[inline(never)]
pub fn d_max_bps(i: &DmaxInput) -> u64 {
    let over = i.ltv_bps.saturating_sub(i.liquidation_ltv_bps);
    let health = i.max_base_bps.saturating_add(over).min(i.max_cap_bps);
    if i.lot_value == 0 || i.tab > i.lot_value {
        return health;
    }
    // (lot_value − tab) / lot_value ≤ 1, so this never fails (the fallback is unreachable).
    let room = mul_div_floor(i.lot_value.saturating_sub(i.tab), BPS, i.lot_value).unwrap_or(0);
    health.min(room)
}

/// The discount `elapsed_secs` after the auction (re)started:
/// `min(d_max, d_start + floor(d_rate × elapsed / 60))`, the growth saturating at u64::MAX (so
/// any elapsed time beyond u64's reach gives `d_max`).
#[inline(never)]
pub fn discount_bps(
    start_bps: u64,
    rate_bps_per_min: u64,
    d_max_bps: u64,
    elapsed_secs: u64,
) -> u64 {
    let growth = mul_div_floor(rate_bps_per_min, elapsed_secs, SECS_PER_MIN).unwrap_or(u64::MAX);
    start_bps.saturating_add(growth).min(d_max_bps)
}

/// The anchored price at discount `discount_bps`: `ceil(oracle × (BPS − d) / BPS)`, with a
/// discount above 100 % counting as 100 % (price 0). Never above `oracle`; never fails.
#[inline(never)]
pub fn anchored_price(oracle: u64, discount_bps: u64) -> u64 {
    let keep = BPS.saturating_sub(discount_bps);
    // keep / BPS ≤ 1, so the quotient fits (the fallback is unreachable).
    mul_div_ceil(oracle, keep, BPS).unwrap_or(oracle)
}

//! Freshness and confidence guards applied to every price read.

use super::{Now, OracleGuards, OraclePrice};
use crate::{error::GavelError, math::mul_wide};

/// Basis points in 100 %.
pub(super) const BPS: u64 = 10_000;

/// `a × b ≤ c × d`, exactly (128-bit products, no rounding).
#[inline(always)]
pub(super) fn product_le(a: u64, b: u64, c: u64, d: u64) -> bool {
    let (h1, l1) = mul_wide(a, b);
    let (h2, l2) = mul_wide(c, d);
    h1 < h2 || (h1 == h2 && l1 <= l2)
}

/// Seconds from `then` to `now`; 0 when `then` is not in the past. Exact over the whole `i64`
/// range (the difference of two `i64`s fits in a `u64` when positive).
pub(super) fn elapsed_secs(now: i64, then: i64) -> u64 {
    if now > then {
        (now as u64).wrapping_sub(then as u64)
    } else {
        0
    }
}

/// Freshness and confidence checks.
///
/// * `OraclePriceInvalid` when `price == 0` (the readers never return one; defensive).
/// * `OracleStale` when `now.unix_timestamp − publish_time > max_age_secs`. A `publish_time` in
///   the future (by any amount, e.g. Pythnet's clock running ahead of Solana's) counts as age 0.
/// * `OracleStale` when `max_age_slots > 0` and `now.slot − publish_slot > max_age_slots`; a
///   `publish_slot` in the future counts as 0 slots old.
/// * `OracleConfidenceTooWide` when `conf × 10_000 > max_conf_bps × price`. Both products are
///   compared exactly in 128 bits, so there is no rounding: a confidence exactly at the limit
///   passes, one unit more is refused, and no input overflows.
pub fn check_guards(p: &OraclePrice, guards: &OracleGuards, now: &Now) -> Result<(), GavelError> {
    if p.price == 0 {
        return Err(GavelError::OraclePriceInvalid);
    }
    if elapsed_secs(now.unix_timestamp, p.publish_time) > guards.max_age_secs {
        return Err(GavelError::OracleStale);
    }
    if guards.max_age_slots > 0 && now.slot.saturating_sub(p.publish_slot) > guards.max_age_slots {
        return Err(GavelError::OracleStale);
    }
    if !product_le(p.conf, BPS, guards.max_conf_bps, p.price) {
        return Err(GavelError::OracleConfidenceTooWide);
    }
    Ok(())
}

//! Partial kick sizing (liquidation engine v2): a kick moves only the debt that brings the
//! position back to the market's target LTV, with the collateral that debt's tab needs at the
//! auction's largest discount; the whole position when it is deeply unhealthy or the remainder
//! would be dust. Exact integer arithmetic, `core` only, host-tested.
//!
//! With debt `D`, collateral value `V`, target `T`, penalty `c` and discount `d`, moving debt `x`
//! with collateral worth `x(1 + c)/(1 − d)` leaves `(D − x) / (V − x(1 + c)/(1 − d)) = T`, so
//! `x = (D − T·V)(1 − d) / ((1 − d) − T(1 + c))`. The hole and dust rules of the kick apply to the
//! result afterwards (`instructions/kick.rs`).
//!
//! The TypeScript mirror is `sdk/src/partial.ts`; both are checked against the golden vectors in
//! `tests/vectors/partial.json`, produced by `scripts/gen-partial-vectors.py` with Python's exact
//! integers.
//!
//! On-chain codegen (see [`super`]): [`partial_kick`] writes through `&mut` and returns nothing
//! (it cannot fail: every failure of an intermediate means "the whole position").

use super::{mul_div_ceil, mul_div_floor, mul_wide, BPS, PRICE_SCALE, RATE_SCALE};

#[cfg(test)]
#[path = "partial_tests.rs"]
mod tests;

/// Input of [`partial_kick`]: the position, the oracle price and the market's parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartialInput {
    /// Collateral of the position (collateral base units).
    pub ink: u64,
    /// Normalized debt of the position.
    pub art: u64,
    /// The market's borrow index, accrued to now (RATE_SCALE).
    pub rate: u64,
    /// Oracle price (PRICE_SCALE): the price itself.
    pub price: u64,
    /// The position's debt, `ceil(art × rate / RATE_SCALE)` (the kick has it already).
    pub debt: u64,
    /// The collateral's value, `floor(ink × price / PRICE_SCALE)` (the kick has it already).
    pub value: u64,
    /// `kick_target_ltv_bps`: the LTV the kick restores; 0 = whole positions.
    pub target_ltv_bps: u64,
    /// `kick_full_ltv_bps`: at or above this LTV the whole position goes.
    pub full_ltv_bps: u64,
    /// Liquidation penalty.
    pub chop_bps: u64,
    /// The auction's largest discount, `d` (the health bound: `math::anchored::d_max_bps` without
    /// a lot).
    pub discount_bps: u64,
    /// Smallest debt the position may keep.
    pub dust: u64,
}

/// What a kick moves into the auction before the hole and dust rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartialSize {
    /// Normalized debt moved (`art` itself for the whole position).
    pub art: u64,
    /// Collateral moved (`ink` itself for the whole position).
    pub ink: u64,
    /// Debt moved: `ceil(art_moved × rate / RATE_SCALE)` (`debt` itself for the whole position).
    pub debt: u64,
    /// Its tab, `ceil(debt_moved × (BPS + chop) / BPS)` (0 when that overflows: the kick's own
    /// arithmetic then refuses).
    pub tab: u64,
}

/// Sizes a kick, in exactly this order (any intermediate beyond u64, or a non-positive
/// denominator, means the whole position):
///
/// ```text
/// whole = (art, ink, debt, ceil(debt × (BPS + chop) / BPS))
/// if target == 0: whole
/// if value == 0 or debt × BPS ≥ full × value: whole           // LTV at or above the full-kick LTV
/// target_debt = floor(value × target / BPS); if debt ≤ target_debt: whole
/// den = (BPS − d) × BPS − target × (BPS + chop);  if d ≥ BPS or den ≤ 0: whole
/// x = max(ceil((debt − target_debt) × (BPS − d) × BPS / den), dust)   // debt to move, ≥ dust
/// dart = ceil(x × RATE_SCALE / rate);  if dart ≥ art: whole
/// if ceil((art − dart) × rate / RATE_SCALE) < dust: whole       // the remainder would be dust
/// auction_debt = ceil(dart × rate / RATE_SCALE); tab = ceil(auction_debt × (BPS + chop) / BPS)
/// dink = ceil(ceil(tab × PRICE_SCALE / price) × BPS / (BPS − d)); if dink ≥ ink: whole
/// (dart, dink, auction_debt, tab)
/// ```
///
/// A partial auction holds at least `dust` of debt, so a position just over the liquidation LTV
/// can always be kicked (the debt that restores the target may be smaller than `dust`).
///
/// Every rounding moves more, never less: the debt up, its collateral up (so the lot raises the
/// tab at the discount `d`), never beyond the position.
#[inline(never)]
pub fn partial_kick(i: &PartialInput, out: &mut PartialSize) {
    *out = match partial_inner(i) {
        Some(s) => s,
        None => PartialSize {
            art: i.art,
            ink: i.ink,
            debt: i.debt,
            tab: BPS
                .checked_add(i.chop_bps)
                .and_then(|c| mul_div_ceil(i.debt, c, BPS))
                .unwrap_or(0),
        },
    };
}

/// Body of [`partial_kick`]: `None` means the whole position.
#[inline(always)]
fn partial_inner(i: &PartialInput) -> Option<PartialSize> {
    if i.target_ltv_bps == 0 {
        return None;
    }
    let (debt, value) = (i.debt, i.value);
    if value == 0 {
        return None;
    }
    // debt × BPS ≥ full × value, exactly: compare debt with ceil(full × value / BPS).
    let full_debt = mul_div_ceil(value, i.full_ltv_bps, BPS)?;
    if debt >= full_debt {
        return None;
    }
    let target_debt = mul_div_floor(value, i.target_ltv_bps, BPS)?;
    if debt <= target_debt || i.discount_bps >= BPS {
        return None;
    }
    let keep = BPS.saturating_sub(i.discount_bps); // discount < BPS (checked above)
    let penalized = BPS.checked_add(i.chop_bps)?;
    let (hi, moved) = mul_wide(i.target_ltv_bps, penalized);
    if hi != 0 {
        return None;
    }
    // keep × BPS ≤ 1e8, so this product cannot wrap; debt > target_debt (checked above).
    let keep_scaled = keep.wrapping_mul(BPS);
    let den = keep_scaled.checked_sub(moved).filter(|&d| d > 0)?;
    let x = mul_div_ceil(debt.saturating_sub(target_debt), keep_scaled, den)?.max(i.dust);
    let dart = mul_div_ceil(x, RATE_SCALE, i.rate)?;
    if dart >= i.art {
        return None;
    }
    if mul_div_ceil(i.art.saturating_sub(dart), i.rate, RATE_SCALE)? < i.dust {
        return None;
    }
    let auction_debt = mul_div_ceil(dart, i.rate, RATE_SCALE)?;
    let tab = mul_div_ceil(auction_debt, penalized, BPS)?;
    let at_price = mul_div_ceil(tab, PRICE_SCALE, i.price)?;
    let dink = mul_div_ceil(at_price, BPS, keep)?;
    if dink >= i.ink {
        return None;
    }
    Some(PartialSize {
        art: dart,
        ink: dink,
        debt: auction_debt,
        tab,
    })
}

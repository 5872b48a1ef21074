//! Dutch-auction math (Maker's `abaci` price curves and `clip.take`'s slice/owe rule), exact
//! integer arithmetic, `core` only, host-tested.
//!
//! Prices are on PRICE_SCALE (debt base units per collateral base unit × 1e12); curve cut factors
//! on [`CUT_SCALE`] (1e18 = 1.0). Every price is rounded down and never exceeds `top`; the take
//! rule rounds what the bidder pays up and what the bidder gets down.
//!
//! The TypeScript mirror is `sdk/src/auction.ts`; both are checked against the golden vectors in
//! `tests/vectors/auction.json`, produced by `scripts/gen-auction-vectors.py` with Python's exact
//! integers.
//!
//! On-chain codegen (see [`super`]): the curve functions and [`needs_reset`] return a scalar and
//! are `#[inline(never)]`; [`take_quote`] returns a `Result`, so it is an `#[inline(always)]`
//! wrapper around an out-of-line worker that writes through `&mut` and returns an error code.
//! No function here can panic: there is no unchecked division and no `u128` arithmetic.

use super::{mul_div_ceil, mul_div_floor, mul_wide, BPS, PRICE_SCALE, WAD};

#[cfg(test)]
#[path = "auction_tests.rs"]
mod tests;

/// Fixed point of curve cut factors: `CUT_SCALE` = 1.0, so a cut of 0.99 is
/// 990_000_000_000_000_000.
pub const CUT_SCALE: u64 = WAD;

/// Largest cut a market may set: 1 − 1e-9 per step.
///
/// The price is monotone non-increasing for any cut ≤ CUT_SCALE (see [`rpow_floor`]); this bound
/// makes it actually *fall*. The exponentiation rounds down, and after `n` steps its accumulated
/// error is below `n` units of CUT_SCALE (each squaring at most doubles the error of the base
/// plus one unit, each product adds the base's error plus one unit, so the total is below
/// `Σ 2^k` over the set bits of `n`, which is `n`). One step of decay removes
/// `f × (CUT_SCALE − cut) ≥ f × 1e9` units from the current factor `f` (a fraction of 1.0), which
/// exceeds that worst-case rounding while `f > n × 1e-9`; so even at the slowest allowed cut the
/// factor falls strictly every step for over five years (about 1.6e8 steps: `f` is then still
/// about 0.85 > 0.16) instead of stalling on rounding. A cut of 1.0 would never fall at all.
pub const MAX_CUT: u64 = CUT_SCALE - 1_000_000_000;

/// `floor(x × y / CUT_SCALE)` for `x, y ≤ CUT_SCALE`: the product is below 2^120 and the quotient
/// at most CUT_SCALE, so [`mul_div_floor`] cannot fail (the `0` is unreachable).
#[inline(always)]
fn mul_cut(x: u64, y: u64) -> u64 {
    mul_div_floor(x, y, CUT_SCALE).unwrap_or(0)
}

/// `base^n` on CUT_SCALE, rounded down step by step (Maker's `rpow`, flooring).
///
/// Right-to-left binary exponentiation, in exactly this order (the TS mirror and the Python
/// reference do the same):
///
/// ```text
/// result = CUT_SCALE; n = n
/// loop { if n & 1 == 1 { result = floor(result × base / CUT_SCALE) }
///        n >>= 1; if n == 0 { break }          // no squaring after the last bit
///        base = floor(base × base / CUT_SCALE) }
/// ```
///
/// It returns 0 as soon as the result or the base reaches 0 (every later product would be 0, so
/// this changes no result; with `n` near u64::MAX it bounds the work). `n == 0` gives CUT_SCALE.
/// A `base` above CUT_SCALE (refused by market validation) is treated as CUT_SCALE, so the
/// result never exceeds CUT_SCALE and nothing can overflow.
///
/// Monotone: `rpow_floor(base, n + 1) ≤ rpow_floor(base, n)` for every `n`, exactly. Let
/// `b_0 = base`, `b_{k+1} = floor(b_k² / S)` be the squares and `P_0 = S`,
/// `P_{k+1} = floor(P_k × b_k / S)` the running product of all of them; then `P_k ≥ b_k` by
/// induction (`P_0 = S ≥ b_0`; `P_{k+1} ≥ floor(b_k × b_k / S) = b_{k+1}`). If bit `j` is the
/// lowest zero bit of `n`, the loop for `n` reaches bit `j` with `P_j` and the loop for `n + 1`
/// with `b_j`, and both then multiply by the same squares, with `floor(x × b / S)` monotone in `x`.
#[inline(never)]
pub fn rpow_floor(base: u64, n: u64) -> u64 {
    let mut base = if base > CUT_SCALE { CUT_SCALE } else { base };
    let mut result = CUT_SCALE;
    let mut n = n;
    while n != 0 {
        if n & 1 == 1 {
            result = mul_cut(result, base);
            if result == 0 {
                return 0;
            }
        }
        n >>= 1;
        if n == 0 {
            break;
        }
        base = mul_cut(base, base);
        if base == 0 {
            return 0; // a higher bit is set, so the result would be multiplied by 0
        }
    }
    result
}

/// Linear curve (Maker's `LinearDecrease`): `floor(top × (tau − elapsed) / tau)` for
/// `elapsed < tau`, else 0. Exactly 0 from `tau` on; `tau_secs == 0` (refused by market
/// validation) prices 0.
#[inline(never)]
pub fn linear_price(top: u64, tau_secs: u64, elapsed_secs: u64) -> u64 {
    if elapsed_secs >= tau_secs {
        return 0;
    }
    // tau > elapsed ≥ 0 and (tau − elapsed) / tau ≤ 1: never fails (the `0` is unreachable).
    mul_div_floor(top, tau_secs.saturating_sub(elapsed_secs), tau_secs).unwrap_or(0)
}

/// Stairstep curve (Maker's `StairstepExponentialDecrease`): one cut per whole `step_secs`,
/// `floor(top × rpow_floor(cut, elapsed / step) / CUT_SCALE)`. `step_secs == 0` (refused by
/// market validation) prices 0.
#[inline(never)]
pub fn stairstep_price(top: u64, step_secs: u64, cut: u64, elapsed_secs: u64) -> u64 {
    if step_secs == 0 {
        return 0;
    }
    scale_top(
        top,
        rpow_floor(cut, elapsed_secs.checked_div(step_secs).unwrap_or(0)),
    )
}

/// Exponential curve (Maker's `ExponentialDecrease`): one cut per second,
/// `floor(top × rpow_floor(cut, elapsed) / CUT_SCALE)`.
#[inline(never)]
pub fn exp_price(top: u64, cut: u64, elapsed_secs: u64) -> u64 {
    scale_top(top, rpow_floor(cut, elapsed_secs))
}

/// `floor(top × factor / CUT_SCALE)` for `factor ≤ CUT_SCALE`: at most `top`, never fails.
#[inline(always)]
fn scale_top(top: u64, factor: u64) -> u64 {
    mul_div_floor(top, factor, CUT_SCALE).unwrap_or(0)
}

/// Input of [`needs_reset`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResetInput {
    /// Start price of the current curve (PRICE_SCALE).
    pub top: u64,
    /// Current price on the curve (PRICE_SCALE).
    pub price: u64,
    /// Reset once the price falls below `top × cusp_bps / BPS`.
    pub cusp_bps: u64,
    /// Seconds since the curve started.
    pub elapsed_secs: u64,
    /// Reset once more than this many seconds have elapsed.
    pub tail_secs: u64,
}

/// Whether an auction must be reset before it can be taken (Maker's `status`): `elapsed > tail`
/// or `price × BPS < top × cusp_bps`, both products compared exactly in 128 bits (no rounding).
/// Exactly at the cusp and exactly at the tail the auction is still live.
#[inline(never)]
pub fn needs_reset(n: &ResetInput) -> bool {
    if n.elapsed_secs > n.tail_secs {
        return true;
    }
    let (price_hi, price_lo) = mul_wide(n.price, BPS);
    let (cusp_hi, cusp_lo) = mul_wide(n.top, n.cusp_bps);
    price_hi < cusp_hi || (price_hi == cusp_hi && price_lo < cusp_lo)
}

/// Input of [`take_quote`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TakeInput {
    /// Debt still to raise (debt base units).
    pub tab: u64,
    /// Collateral left (collateral base units).
    pub lot: u64,
    /// Most collateral the bidder wants.
    pub max_collateral: u64,
    /// Current auction price (PRICE_SCALE).
    pub price: u64,
    /// Smallest tab a partial take may leave (Maker's `chost`).
    pub dust: u64,
}

/// What a take buys and pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TakeQuote {
    /// Collateral the bidder receives.
    pub collateral: u64,
    /// Debt tokens the bidder pays.
    pub owe: u64,
}

/// Why [`take_quote`] refuses a take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TakeError {
    /// The take would buy no collateral or pay nothing.
    TooSmall,
    /// The tab is at most `dust`, so only a take of the whole lot or tab is allowed.
    PartialLeavesDust,
    /// An intermediate exceeds u64 (the collateral's value at this price).
    Overflow,
}

/// `take_quote_raw` codes.
const TAKE_OK: u64 = 0;
const TAKE_TOO_SMALL: u64 = 1;
const TAKE_LEAVES_DUST: u64 = 2;
const TAKE_OVERFLOW: u64 = 3;

/// Prices a take at `price` (Maker's `clip.take` slice/owe rule, rounded in the protocol's
/// favour), in exactly this order:
///
/// ```text
/// slice = min(lot, max_collateral)
/// owe = ceil(slice × price / PRICE_SCALE)               // the bidder pays rounded up
/// if owe > tab {                                        // more than needed: buy just the tab
///     owe = tab
///     slice = min(floor(tab × PRICE_SCALE / price), lot) // the bidder gets rounded down
/// } else if owe < tab && slice < lot {                  // a partial take
///     if tab − owe < dust {                             // would leave a dusty tab (chost)
///         if tab <= dust { refuse PartialLeavesDust }   // only buying all of it is allowed
///         owe = tab − dust
///         slice = floor(owe × PRICE_SCALE / price)
///     }
/// }
/// if slice == 0 || owe == 0 { refuse TooSmall }
/// ```
///
/// Any intermediate beyond u64 refuses with `Overflow` (in practice only the first `owe`). After
/// the cap at the tab, `ceil(slice × price / PRICE_SCALE)` may be below `tab`: the bidder pays the
/// whole tab for slightly less collateral, so the tab is always raised in full. The result
/// satisfies `owe ≤ tab`, `collateral ≤ min(lot, max_collateral)`,
/// `owe ≥ ceil(collateral × price / PRICE_SCALE)`, and leaves a tab of 0 or at least `dust`
/// unless it takes the whole lot. A zero price (the caller skipped [`needs_reset`]) never sells
/// anything: it refuses with TooSmall, or PartialLeavesDust for a partial take of a tab below
/// `dust`.
#[inline(always)]
pub fn take_quote(t: &TakeInput) -> Result<TakeQuote, TakeError> {
    let mut q = TakeQuote {
        collateral: 0,
        owe: 0,
    };
    match take_quote_raw(t, &mut q) {
        TAKE_OK => Ok(q),
        TAKE_TOO_SMALL => Err(TakeError::TooSmall),
        TAKE_LEAVES_DUST => Err(TakeError::PartialLeavesDust),
        _ => Err(TakeError::Overflow),
    }
}

/// [`take_quote`] out of line: writes the quote to `out` and returns `TAKE_OK`, or returns an
/// error code.
#[inline(never)]
fn take_quote_raw(t: &TakeInput, out: &mut TakeQuote) -> u64 {
    match take_quote_inner(t) {
        Ok(q) => {
            *out = q;
            TAKE_OK
        }
        Err(TakeError::TooSmall) => TAKE_TOO_SMALL,
        Err(TakeError::PartialLeavesDust) => TAKE_LEAVES_DUST,
        Err(TakeError::Overflow) => TAKE_OVERFLOW,
    }
}

/// Body of [`take_quote`], inlined into [`take_quote_raw`].
#[inline(always)]
fn take_quote_inner(t: &TakeInput) -> Result<TakeQuote, TakeError> {
    let (tab, lot, price, dust) = (t.tab, t.lot, t.price, t.dust);
    let mut slice = if t.max_collateral < lot {
        t.max_collateral
    } else {
        lot
    };
    let mut owe = mul_div_ceil(slice, price, PRICE_SCALE).ok_or(TakeError::Overflow)?;
    if owe > tab {
        // owe > 0, so price > 0; and tab × S / price < slice, so this fits (and is below lot).
        owe = tab;
        let s = mul_div_floor(tab, PRICE_SCALE, price).ok_or(TakeError::Overflow)?;
        slice = if s < lot { s } else { lot };
    } else if owe < tab && slice < lot && tab.saturating_sub(owe) < dust {
        if tab <= dust {
            return Err(TakeError::PartialLeavesDust);
        }
        // owe > tab − dust > 0, so price > 0, and the new slice is below the old one.
        owe = tab.saturating_sub(dust); // tab > dust
        slice = mul_div_floor(owe, PRICE_SCALE, price).ok_or(TakeError::Overflow)?;
    }
    if slice == 0 || owe == 0 {
        return Err(TakeError::TooSmall);
    }
    Ok(TakeQuote {
        collateral: slice,
        owe,
    })
}

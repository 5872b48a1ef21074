//! Pure fixed-point math (no Solana imports, `core` only), host-tested.
//!
//! Every function returns `Option`; `None` means a zero divisor or a result outside u64, and the
//! caller maps it to `GavelError::MathOverflow`. Intermediates are 128 bits wide but built from
//! 64-bit operations ([`wide`]), because the on-chain target cannot multiply or divide `u128`.
//! Rounding always favours the protocol: debt and LTV round up, collateral value, shares and
//! payouts round down.
//!
//! The TypeScript mirror is `sdk/src/math.ts`; both are checked against the golden vectors in
//! `tests/vectors/math.json`, produced by `scripts/gen-math-vectors.py` with Python's exact
//! integers.
//!
//! On-chain codegen rule: upstream LLVM's BPF backend refuses any function that returns an
//! aggregate (`Option<u64>` and tuples are returned through a hidden `sret` pointer), so every
//! `Option`-returning function here is `#[inline(always)]`, and the heavy work sits in
//! `#[inline(never)]` `*_raw` functions that return a scalar and write through `&mut u64`.

pub mod anchored;
pub mod auction;
pub mod backstop;
pub mod kick;
pub mod partial;
mod wide;

#[cfg(test)]
mod test_rng;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;

pub use wide::{div_wide, mul_wide};

/// Basis points: 10_000 bps = 100 %. Scale of LTVs, penalties, fees.
pub const BPS: u64 = 10_000;

/// 1e18 fixed point ("wad"): per-second borrow rates and compounding factors (WAD = 1.0).
pub const WAD: u64 = 1_000_000_000_000_000_000;

/// 1e12 fixed point of the cumulative borrow index `rate`, which starts at RATE_SCALE (= 1.0).
/// A position's debt is `art × rate / RATE_SCALE` (see [`debt_from_art`]).
pub const RATE_SCALE: u64 = 1_000_000_000_000;

/// 1e12 fixed point of prices: debt-token base units per ONE collateral base unit, × PRICE_SCALE.
/// E.g. SOL (9 decimals) at $150 against USDC (6 decimals) at $1: one lamport is worth 0.15 USDC
/// base units, so the price is 150_000_000_000.
pub const PRICE_SCALE: u64 = 1_000_000_000_000;

/// Longest span, in seconds (365 days), compounded in one step by [`accrue_rate`].
pub const MAX_ACCRUAL_CHUNK_SECS: u64 = 31_536_000;

/// Out-of-line core of every mul-div: returns `floor(a × b / c)` and writes the remainder to
/// `rem`. On failure (`c == 0` or a quotient beyond u64) it returns 0 and writes `u64::MAX`, which
/// no remainder can equal (a remainder is below `c ≤ u64::MAX`).
#[inline(never)]
fn mul_div_raw(a: u64, b: u64, c: u64, rem: &mut u64) -> u64 {
    let (hi, lo) = mul_wide(a, b);
    match div_wide(hi, lo, c) {
        Some((q, r)) => {
            *rem = r;
            q
        }
        None => {
            *rem = u64::MAX;
            0
        }
    }
}

/// Quotient and remainder of `a × b / c` with a 128-bit intermediate; `None` if `c == 0` or the
/// quotient exceeds u64.
#[inline(always)]
fn mul_div_rem(a: u64, b: u64, c: u64) -> Option<(u64, u64)> {
    let mut rem = 0;
    let q = mul_div_raw(a, b, c, &mut rem);
    if rem == u64::MAX {
        None
    } else {
        Some((q, rem))
    }
}

/// `floor(a × b / c)` with a 128-bit intermediate; `None` if `c == 0` or the result exceeds u64.
#[inline(always)]
pub fn mul_div_floor(a: u64, b: u64, c: u64) -> Option<u64> {
    let mut rem = 0;
    let q = mul_div_raw(a, b, c, &mut rem);
    if rem == u64::MAX {
        None
    } else {
        Some(q)
    }
}

/// `ceil(a × b / c)` with a 128-bit intermediate; `None` if `c == 0` or the result exceeds u64.
#[inline(always)]
pub fn mul_div_ceil(a: u64, b: u64, c: u64) -> Option<u64> {
    let (q, r) = mul_div_rem(a, b, c)?;
    if r == 0 {
        Some(q)
    } else {
        q.checked_add(1)
    }
}

/// `10^n`; `None` if `n > 19` (10^20 exceeds u64). Computed by a loop, not a table (the on-chain
/// linker does not align `.rodata`).
#[inline(always)]
pub fn pow10(n: u32) -> Option<u64> {
    if n > 19 {
        return None;
    }
    let mut p: u64 = 1;
    for _ in 0..n {
        p = p.wrapping_mul(10); // at most 10^19 < 2^64: never wraps (`checked_mul` needs __multi3)
    }
    Some(p)
}

/// `(1 + r)^secs` in WAD, where `r = rate_per_sec_wad / WAD`.
///
/// Right-to-left binary exponentiation, every product rounded down with
/// `mul_div_floor(x, y, WAD)`, in exactly this order (the TS mirror and the Python reference do
/// the same):
///
/// ```text
/// result = WAD; base = WAD + r; n = secs
/// loop { if n & 1 == 1 { result = floor(result × base / WAD) }
///        n >>= 1; if n == 0 { break }          // no squaring after the last bit
///        base = floor(base × base / WAD) }
/// ```
///
/// `secs == 0` gives WAD. `None` if `WAD + r`, a square or a product exceeds u64 (a factor of
/// about 18.4 or more).
#[inline(always)]
pub fn compound_wad(rate_per_sec_wad: u64, secs: u64) -> Option<u64> {
    // The result is at least WAD, so 0 can signal overflow.
    match compound_wad_raw(rate_per_sec_wad, secs) {
        0 => None,
        f => Some(f),
    }
}

/// [`compound_wad`] out of line; returns 0 on overflow.
#[inline(never)]
fn compound_wad_raw(rate_per_sec_wad: u64, secs: u64) -> u64 {
    compound_wad_inner(rate_per_sec_wad, secs).unwrap_or(0)
}

/// Body of [`compound_wad`], inlined into [`compound_wad_raw`].
#[inline(always)]
fn compound_wad_inner(rate_per_sec_wad: u64, secs: u64) -> Option<u64> {
    let mut base = WAD.checked_add(rate_per_sec_wad)?;
    let mut result = WAD;
    let mut n = secs;
    while n != 0 {
        if n & 1 == 1 {
            result = mul_div_floor(result, base, WAD)?;
        }
        n >>= 1;
        if n == 0 {
            break;
        }
        base = mul_div_floor(base, base, WAD)?;
    }
    Some(result)
}

/// Accrues the cumulative borrow index over `secs` seconds at `rate_per_sec_wad` per second.
///
/// To keep each compounding factor small, `secs` is split into `secs / MAX_ACCRUAL_CHUNK_SECS`
/// whole one-year chunks applied FIRST, then the remainder `secs % MAX_ACCRUAL_CHUNK_SECS` (if
/// non-zero) applied LAST; each chunk does
/// `rate = floor(rate × compound_wad(rate_per_sec_wad, chunk) / WAD)`.
/// The one-year factor is computed once (only if `secs` spans a whole year), and the whole-year
/// loop stops early once the index no longer changes (a fixed point of the same deterministic
/// step), so the result is exactly that of applying every chunk. That loop runs at most
/// `secs / 1 year` times (a few dozen for any real clock). `secs == 0` returns `rate`.
/// `None` if any factor or the index exceeds u64.
#[inline(always)]
pub fn accrue_rate(rate: u64, rate_per_sec_wad: u64, secs: u64) -> Option<u64> {
    let mut index = 0;
    if accrue_rate_raw(rate, rate_per_sec_wad, secs, &mut index) {
        Some(index)
    } else {
        None
    }
}

/// [`accrue_rate`] out of line: writes the new index to `out`, returns false on overflow.
#[inline(never)]
fn accrue_rate_raw(rate: u64, rate_per_sec_wad: u64, secs: u64, out: &mut u64) -> bool {
    match accrue_rate_inner(rate, rate_per_sec_wad, secs) {
        Some(index) => {
            *out = index;
            true
        }
        None => false,
    }
}

/// Body of [`accrue_rate`], inlined into [`accrue_rate_raw`].
#[inline(always)]
fn accrue_rate_inner(rate: u64, rate_per_sec_wad: u64, secs: u64) -> Option<u64> {
    let mut index = rate;
    let years = secs / MAX_ACCRUAL_CHUNK_SECS;
    let rest = secs % MAX_ACCRUAL_CHUNK_SECS;
    if years > 0 {
        let year_factor = compound_wad(rate_per_sec_wad, MAX_ACCRUAL_CHUNK_SECS)?;
        for _ in 0..years {
            let next = mul_div_floor(index, year_factor, WAD)?;
            if next == index {
                break;
            }
            index = next;
        }
    }
    if rest > 0 {
        let factor = compound_wad(rate_per_sec_wad, rest)?;
        index = mul_div_floor(index, factor, WAD)?;
    }
    Some(index)
}

/// Debt of a position: `ceil(art × rate / RATE_SCALE)` (rounds UP, in the protocol's favour).
#[inline(always)]
pub fn debt_from_art(art: u64, rate: u64) -> Option<u64> {
    mul_div_ceil(art, rate, RATE_SCALE)
}

/// Normalized debt for `debt`, rounded down: `floor(debt × RATE_SCALE / rate)`.
/// Repaying `debt` removes this much art. `None` if `rate == 0`.
#[inline(always)]
pub fn art_from_debt_floor(debt: u64, rate: u64) -> Option<u64> {
    mul_div_floor(debt, RATE_SCALE, rate)
}

/// Normalized debt for `debt`, rounded up: `ceil(debt × RATE_SCALE / rate)`.
/// Borrowing `debt` adds this much art. `None` if `rate == 0`.
#[inline(always)]
pub fn art_from_debt_ceil(debt: u64, rate: u64) -> Option<u64> {
    mul_div_ceil(debt, RATE_SCALE, rate)
}

/// Collateral `amount` valued in debt base units at `price` (PRICE_SCALE fixed point), rounded
/// down: `floor(amount × price / PRICE_SCALE)`.
#[inline(always)]
pub fn value_floor(amount: u64, price: u64) -> Option<u64> {
    mul_div_floor(amount, price, PRICE_SCALE)
}

/// Loan-to-value in bps, rounded up: `ceil(debt × BPS / collateral_value)`.
///
/// With `collateral_value == 0`: `u64::MAX` if `debt > 0`, else 0. A ratio beyond u64 also
/// saturates to `u64::MAX` (it is "infinitely" unsafe, like zero collateral), so this never
/// returns `None`; the `Option` keeps the signature uniform.
#[inline(always)]
pub fn ltv_bps(debt: u64, collateral_value: u64) -> Option<u64> {
    if collateral_value == 0 {
        return Some(if debt > 0 { u64::MAX } else { 0 });
    }
    Some(mul_div_ceil(debt, BPS, collateral_value).unwrap_or(u64::MAX))
}

/// Largest debt allowed against `collateral_value` at `ltv_bps`: `floor(value × ltv_bps / BPS)`.
#[inline(always)]
pub fn max_debt_for(collateral_value: u64, ltv_bps: u64) -> Option<u64> {
    mul_div_floor(collateral_value, ltv_bps, BPS)
}

/// LP shares minted for depositing `amount`: `floor(amount × total_shares / total_liquidity)`;
/// the first deposit (`total_shares == 0`) mints `amount` shares. `None` if shares exist but the
/// pool holds no liquidity (wiped out: deposits refused).
#[inline(always)]
pub fn shares_for_deposit(amount: u64, total_liquidity: u64, total_shares: u64) -> Option<u64> {
    if total_shares == 0 {
        return Some(amount);
    }
    mul_div_floor(amount, total_shares, total_liquidity)
}

/// Liquidity redeemed for `shares`: `floor(shares × total_liquidity / total_shares)`;
/// `None` if `total_shares == 0`.
#[inline(always)]
pub fn amount_for_shares(shares: u64, total_liquidity: u64, total_shares: u64) -> Option<u64> {
    mul_div_floor(shares, total_liquidity, total_shares)
}

/// The at-request value of `shares` of a withdrawal request holding `request_shares` worth
/// `request_value` when it was made: `floor(shares × request_value / request_shares)`, and exactly
/// `request_value` when `shares == request_shares` (so partial claims never add up to more than
/// the request's value). `None` if `shares > request_shares` or `request_shares == 0`.
#[inline(always)]
pub fn request_value_of(shares: u64, request_shares: u64, request_value: u64) -> Option<u64> {
    if shares > request_shares {
        return None;
    }
    if shares == request_shares {
        return Some(request_value);
    }
    mul_div_floor(shares, request_value, request_shares)
}

/// What a withdrawal claim pays: the lower of the shares' value at request (`cap`) and their
/// value now at `withdrawal_value` / `total_shares` (rounded down). `None` if `total_shares == 0`.
#[inline(always)]
pub fn claim_amount(
    shares: u64,
    cap: u64,
    withdrawal_value: u64,
    total_shares: u64,
) -> Option<u64> {
    Some(amount_for_shares(shares, withdrawal_value, total_shares)?.min(cap))
}

/// Shares a cancelled withdrawal request gives back (`total_shares` includes the request's).
/// All `request_shares` when they are worth at most `request_value` now (at `pool_value` /
/// `total_shares`), or when no other shares exist (the interest belongs to no one else).
/// Otherwise the most shares `b` still worth at most `request_value` once the others are
/// forfeited, `b × pool_value / (others + b) ≤ request_value`, i.e.
/// `b = floor(request_value × others / (pool_value − request_value))`, where
/// `others = total_shares − request_shares`. The forfeited shares leave `total_shares`, so what
/// the request's shares earned since the request goes to the other LPs: shares stop earning once
/// their withdrawal is requested. `None` if `total_shares == 0` or `request_shares > total_shares`.
#[inline(always)]
pub fn cancel_shares(
    request_shares: u64,
    request_value: u64,
    pool_value: u64,
    total_shares: u64,
) -> Option<u64> {
    let now = amount_for_shares(request_shares, pool_value, total_shares)?;
    let others = total_shares.checked_sub(request_shares)?;
    if now <= request_value || others == 0 {
        return Some(request_shares);
    }
    // `now > request_value` implies `pool_value > request_value` (the shares are at most all).
    let back = mul_div_floor(
        request_value,
        others,
        pool_value.checked_sub(request_value)?,
    )?;
    Some(back.min(request_shares))
}

/// `floor(amount × bps / BPS)`.
#[inline(always)]
pub fn bps_of(amount: u64, bps: u64) -> Option<u64> {
    mul_div_floor(amount, bps, BPS)
}

/// Oracle prices and token decimals of a market, input of [`price_from_pyth`].
///
/// The USD price of one whole collateral token is `coll_price × 10^coll_expo`, likewise for the
/// debt token; a market without a debt oracle passes `debt_price = 1, debt_expo = 0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PythPair {
    /// Collateral price mantissa (Pyth `price`, checked positive by the caller).
    pub coll_price: u64,
    /// Collateral price exponent (Pyth `expo`).
    pub coll_expo: i32,
    /// Debt-token price mantissa (1 without a debt oracle).
    pub debt_price: u64,
    /// Debt-token price exponent (0 without a debt oracle).
    pub debt_expo: i32,
    /// Decimals of the collateral mint.
    pub coll_decimals: u8,
    /// Decimals of the debt mint.
    pub debt_decimals: u8,
}

/// Price in PRICE_SCALE fixed point (debt base units per collateral base unit), rounded down.
///
/// Exact: with `e = coll_expo − debt_expo − coll_decimals + debt_decimals + 12` the price is
/// `floor(coll_price × 10^e / debt_price)` for `e ≥ 0`, and
/// `floor(coll_price / (debt_price × 10^−e)) = floor(floor(coll_price / debt_price) / 10^−e)`
/// for `e < 0`. For `20 ≤ e ≤ 38` the power is split as `10^19 × 10^(e−19)` and the remainder of
/// the first division is carried, so the result is still the exact floor. `None` if either price
/// is 0, or the result is 0 or exceeds u64 (always the case for `e ≥ 39`).
#[inline(always)]
pub fn price_from_pyth(p: &PythPair) -> Option<u64> {
    // A valid price is never 0, so 0 signals None.
    match price_from_pyth_raw(p) {
        0 => None,
        price => Some(price),
    }
}

/// [`price_from_pyth`] out of line; returns 0 for `None`.
#[inline(never)]
fn price_from_pyth_raw(p: &PythPair) -> u64 {
    price_from_pyth_inner(p).unwrap_or(0)
}

/// Body of [`price_from_pyth`], inlined into [`price_from_pyth_raw`]. May return `Some(0)`, which
/// the wrapper refuses.
#[inline(always)]
fn price_from_pyth_inner(p: &PythPair) -> Option<u64> {
    let (cp, dp) = (p.coll_price, p.debt_price);
    if cp == 0 || dp == 0 {
        return None;
    }
    // In i64 so that no i32 exponent can overflow.
    let e = (p.coll_expo as i64)
        .checked_sub(p.debt_expo as i64)?
        .checked_sub(p.coll_decimals as i64)?
        .checked_add(p.debt_decimals as i64)?
        .checked_add(12)?;
    let price = if e >= 0 {
        if e <= 19 {
            mul_div_floor(cp, pow10(e as u32)?, dp)?
        } else if e <= 38 {
            // floor(cp·10^19·10^k / dp) = q·10^k + floor(r·10^k / dp), with
            // q, r = divmod(cp·10^19, dp); r < dp, so the second term is below 10^k.
            let k = e.checked_sub(19)? as u32;
            let p10k = pow10(k)?;
            let (q, r) = mul_div_rem(cp, pow10(19)?, dp)?;
            let (hi, lo) = mul_wide(q, p10k);
            if hi != 0 {
                return None;
            }
            lo.checked_add(mul_div_floor(r, p10k, dp)?)?
        } else {
            return None; // ≥ 10^39 / (2^64 − 1) > u64::MAX
        }
    } else {
        let k = e.unsigned_abs();
        if k > 19 {
            return None; // 10^k > u64::MAX ≥ cp / dp: the price would be 0
        }
        cp.checked_div(dp)?.checked_div(pow10(k as u32)?)?
    };
    Some(price)
}

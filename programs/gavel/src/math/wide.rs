//! 64×64→128 multiplication and 128÷64 division built from 64-bit operations only.
//!
//! On `bpfel-unknown-none` a `u128` multiply or divide lowers to `__multi3` / `__udivti3`, which
//! the offline build cannot link, so the wide product is assembled from 32-bit halves and the
//! division is Knuth's algorithm D with two 32-bit digits (Hacker's Delight, `divlu`). Both use
//! only u64 `*`, `/`, `%`, shifts, adds and compares.
//!
//! Both are `#[inline(always)]`: upstream LLVM's BPF backend rejects functions that return an
//! aggregate (a tuple or `Option` is returned through a hidden pointer), so they must never be
//! emitted out of line on chain. The non-inlined entry point is `math::mul_div_raw`.

//!
//! This module is the one place with bare integer operators (`clippy::arithmetic_side_effects` is
//! allowed here only): every operation's range is proven in the comment beside it (32-bit halves,
//! normalized divisors) and the results are tested against native u128 (`math::tests`); checked
//! forms would add branches to the hottest code and `checked_mul` would need `__multi3`.
#![allow(clippy::arithmetic_side_effects)]

/// Mask of the low 32 bits of a u64.
const LO32: u64 = 0xffff_ffff;

/// The full 128-bit product `a × b`, returned as `(hi, lo)` 64-bit words.
///
/// LLVM 22 recognizes this schoolbook product and folds it back into an `i128` multiply (a
/// `__multi3` call on BPF), even inside an `#[inline(never)]` function; passing the low half of
/// `b` through `black_box` (one stack store and load) hides the pattern.
#[inline(always)]
pub fn mul_wide(a: u64, b: u64) -> (u64, u64) {
    let (a1, a0) = (a >> 32, a & LO32);
    let (b1, b0) = (b >> 32, core::hint::black_box(b & LO32));
    // Each partial product of two 32-bit values is below 2^64.
    let p00 = a0 * b0;
    let p01 = a0 * b1;
    let p10 = a1 * b0;
    let p11 = a1 * b1;
    // Sum of three values below 2^32 each: no overflow.
    let mid = (p00 >> 32) + (p01 & LO32) + (p10 & LO32);
    let lo = (mid << 32) | (p00 & LO32);
    // The true high word is below 2^64, so this sum cannot overflow.
    let hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    (hi, lo)
}

/// Quotient and remainder of `(hi × 2^64 + lo) / d`.
///
/// `None` when `d == 0` or `hi >= d` (the quotient would not fit in a u64).
#[inline(always)]
pub fn div_wide(hi: u64, lo: u64, d: u64) -> Option<(u64, u64)> {
    if hi >= d {
        return None; // also covers d == 0
    }
    if hi == 0 {
        return Some((lo / d, lo % d));
    }
    // Normalize so the divisor's top bit is set (s < 64 since d > hi >= 1).
    let s = d.leading_zeros();
    let v = d << s;
    // v's top bit is set, so vn1 >= 2^31; OR-ing that bit in changes nothing but lets the
    // compiler see that vn1 != 0 (no division-by-zero panic path on chain).
    let (vn1, vn0) = ((v >> 32) | (1 << 31), v & LO32);
    // Dividend shifted by s: three 32-bit-ish pieces un32 (64 bits), un1, un0. hi < d, so
    // un32 < v and no bits are lost.
    let un32 = if s == 0 {
        hi
    } else {
        (hi << s) | (lo >> (64 - s))
    };
    let un10 = lo << s;
    let (un1, un0) = (un10 >> 32, un10 & LO32);
    let (q1, un21) = div_digit(un32, un1, v, vn1, vn0);
    let (q0, rem) = div_digit(un21, un0, v, vn1, vn0);
    Some(((q1 << 32) | q0, rem >> s))
}

/// One 32-bit quotient digit of the long division: `(u × 2^32 + un) / v` and its remainder,
/// where `v = vn1 × 2^32 + vn0` is normalized (top bit set), `u < v` and `un < 2^32`.
#[inline(always)]
fn div_digit(u: u64, un: u64, v: u64, vn1: u64, vn0: u64) -> (u64, u64) {
    // Estimate the digit from the top word of the divisor; it is at most 2 too large.
    let mut q = u / vn1;
    let mut rhat = u - q * vn1;
    // `q * vn0` is only evaluated when q < 2^32, and rhat < 2^32 inside the loop, so neither
    // the product nor `(rhat << 32) | un` overflows.
    while q > LO32 || q * vn0 > ((rhat << 32) | un) {
        q -= 1;
        rhat += vn1;
        if rhat > LO32 {
            break;
        }
    }
    // The true remainder is below v < 2^64, so computing it modulo 2^64 is exact.
    let rem = (u << 32).wrapping_add(un).wrapping_sub(q.wrapping_mul(v));
    (q, rem)
}

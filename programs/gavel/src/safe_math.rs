//! Checked arithmetic on amounts, counters and offsets (after Drift's `safe_math`): every
//! operation returns `Err(GavelError::MathOverflow)` instead of wrapping, and logs where it failed.
//!
//! The crate denies `clippy::arithmetic_side_effects` (lib.rs), so a bare `+`, `-`, `*`, `/` or
//! `+=` on an integer does not compile outside the limb helpers of `math::wide`; instruction code
//! uses these methods, pure math uses `checked_*` and `Option`.
//!
//! Where: the methods are `#[track_caller]`, and a failure logs
//! `MathOverflow at line L column C` of the caller. The file is not logged: a `Location`'s path
//! pointer sits in `.rodata`, which sbpf-linker 0.1.9 does not relocate (TOOLCHAIN.md), so
//! reading it on chain would fault; the instruction (one file each) and the line locate the site.
//!
//! Multiplication: u64 `checked_mul` lowers to `__multi3` on this toolchain, so `safe_mul` uses the
//! 64-bit limb product of `math::mul_wide` (overflow iff the high word is not zero).

use core::panic::Location;

use crate::{error::GavelError, math::mul_wide};

/// Checked arithmetic with a logged location on failure.
pub trait SafeMath: Sized {
    /// `self + rhs`.
    fn safe_add(self, rhs: Self) -> Result<Self, GavelError>;
    /// `self − rhs`.
    fn safe_sub(self, rhs: Self) -> Result<Self, GavelError>;
    /// `self × rhs`.
    fn safe_mul(self, rhs: Self) -> Result<Self, GavelError>;
    /// `self / rhs` (refuses a zero divisor).
    fn safe_div(self, rhs: Self) -> Result<Self, GavelError>;
}

/// Logs the caller's line and column and returns `MathOverflow`. Out of line and cold: the
/// success path of every operation stays a compare and a branch.
#[cold]
#[inline(never)]
fn overflow(at: &'static Location<'static>) -> GavelError {
    let mut buf = [0u8; 64];
    let mut w = LogBuf {
        buf: &mut buf,
        len: 0,
    };
    w.text(b"MathOverflow at line ");
    w.number(at.line() as u64);
    w.text(b" column ");
    w.number(at.column() as u64);
    pinocchio::log::sol_log(w.as_str());
    GavelError::MathOverflow
}

/// A fixed buffer for one log line (no allocator on chain).
struct LogBuf<'a> {
    buf: &'a mut [u8; 64],
    len: usize,
}

impl LogBuf<'_> {
    /// Appends `s`; a piece that would not fit is dropped (never happens: line and column are
    /// `u32`s, so the longest line is 21 + 10 + 8 + 10 = 49 bytes). One copy, not a byte loop:
    /// the loop, unrolled over each literal, cost ~2 KB of `.so`.
    fn text(&mut self, s: &[u8]) {
        let end = self.len.wrapping_add(s.len());
        if let Some(dst) = self.buf.get_mut(self.len..end) {
            dst.copy_from_slice(s);
            self.len = end;
        }
    }

    fn number(&mut self, mut n: u64) {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i = i.saturating_sub(1);
            digits[i] = (n % 10) as u8 | b'0'; // a digit below 10 in the low nibble of '0'
            n /= 10;
            if n == 0 || i == 0 {
                break;
            }
        }
        self.text(&digits[i..]);
    }

    fn as_str(&self) -> &str {
        // Only ASCII was written.
        core::str::from_utf8(&self.buf[..self.len]).unwrap_or("MathOverflow")
    }
}

/// `safe_add`, `safe_sub` and `safe_div` of one type: its `checked_*`, with the caller's location
/// logged on `None` (the same for every type; only `safe_mul` differs).
macro_rules! checked_methods {
    ($($name:ident => $checked:ident),+) => {$(
        #[track_caller]
        #[inline(always)]
        fn $name(self, rhs: Self) -> Result<Self, GavelError> {
            match self.$checked(rhs) {
                Some(v) => Ok(v),
                None => Err(overflow(Location::caller())),
            }
        }
    )+};
}

macro_rules! safe_math_unsigned {
    ($($t:ty),+) => {$(
        impl SafeMath for $t {
            checked_methods!(safe_add => checked_add, safe_sub => checked_sub, safe_div => checked_div);

            #[track_caller]
            #[inline(always)]
            fn safe_mul(self, rhs: Self) -> Result<Self, GavelError> {
                match mul_wide(self as u64, rhs as u64) {
                    (0, lo) => <$t>::try_from(lo).map_err(|_| overflow(Location::caller())),
                    _ => Err(overflow(Location::caller())),
                }
            }
        }
    )+};
}

safe_math_unsigned!(u64, usize);

impl SafeMath for i64 {
    checked_methods!(safe_add => checked_add, safe_sub => checked_sub, safe_div => checked_div);

    /// Signed products are not needed on chain (and `checked_mul` would need `__multi3`): only
    /// non-negative factors whose product fits.
    #[track_caller]
    #[inline(always)]
    fn safe_mul(self, rhs: Self) -> Result<Self, GavelError> {
        if self >= 0 && rhs >= 0 {
            let (hi, lo) = mul_wide(self as u64, rhs as u64);
            if hi == 0 && lo <= i64::MAX as u64 {
                return Ok(lo as i64);
            }
        }
        Err(overflow(Location::caller()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_results_and_errors() {
        assert_eq!(2u64.safe_add(3), Ok(5));
        assert_eq!(u64::MAX.safe_add(1), Err(GavelError::MathOverflow));
        assert_eq!(0u64.safe_sub(1), Err(GavelError::MathOverflow));
        assert_eq!((1u64 << 32).safe_mul(1 << 31), Ok(1 << 63));
        assert_eq!(
            (1u64 << 32).safe_mul(1 << 32),
            Err(GavelError::MathOverflow)
        );
        assert_eq!(u64::MAX.safe_mul(1), Ok(u64::MAX));
        assert_eq!(7u64.safe_div(0), Err(GavelError::MathOverflow));
        assert_eq!(usize::MAX.safe_add(1), Err(GavelError::MathOverflow));
        assert_eq!(i64::MIN.safe_sub(1), Err(GavelError::MathOverflow));
        assert_eq!(3i64.safe_mul(-1), Err(GavelError::MathOverflow));
        assert_eq!(3i64.safe_mul(4), Ok(12));
        assert_eq!(i64::MIN.safe_div(-1), Err(GavelError::MathOverflow));
    }

    #[test]
    fn the_log_line_names_the_callers_line_and_column() {
        let mut buf = [0u8; 64];
        let mut w = LogBuf {
            buf: &mut buf,
            len: 0,
        };
        w.text(b"MathOverflow at line ");
        w.number(1234);
        w.text(b" column ");
        w.number(0);
        assert_eq!(w.as_str(), "MathOverflow at line 1234 column 0");
        let here = Location::caller();
        assert!(here.line() > 0);
    }
}

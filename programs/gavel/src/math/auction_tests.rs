//! Host tests of the auction math: the shared golden vectors (`tests/vectors/auction.json`,
//! computed by `scripts/gen-auction-vectors.py` with exact integers) and seeded property tests
//! (curves bounded by `top` and monotone over five years, the take rule's invariants), checked
//! against native `u128` where useful (the tests may use it; the module itself may not).

use super::*;
use crate::math::test_rng::Rng;
use crate::math::test_support::{num, u, Golden};
use serde_json::{json, Value};

/// The result of `name` on `args`, encoded as the vector file encodes `expected`.
fn run(name: &str, args: &[Value]) -> Value {
    let a = |i: usize| u(&args[i]);
    match name {
        "rpow_floor" => num(rpow_floor(a(0), a(1))),
        "linear_price" => num(linear_price(a(0), a(1), a(2))),
        "stairstep_price" => num(stairstep_price(a(0), a(1), a(2), a(3))),
        "exp_price" => num(exp_price(a(0), a(1), a(2))),
        "needs_reset" => Value::Bool(needs_reset(&ResetInput {
            top: a(0),
            price: a(1),
            cusp_bps: a(2),
            elapsed_secs: a(3),
            tail_secs: a(4),
        })),
        "take_quote" => match take_quote(&TakeInput {
            tab: a(0),
            lot: a(1),
            max_collateral: a(2),
            price: a(3),
            dust: a(4),
        }) {
            Ok(q) => json!({ "collateral": q.collateral.to_string(), "owe": q.owe.to_string() }),
            Err(e) => Value::String(format!("{e:?}")),
        },
        other => panic!("vector file names an unknown function {other}"),
    }
}

#[test]
fn golden_vectors_match() {
    Golden {
        file: "auction",
        functions: &[
            "rpow_floor",
            "linear_price",
            "stairstep_price",
            "exp_price",
            "needs_reset",
            "take_quote",
        ],
        min_cases: 200,
        min_total: 2_000,
    }
    .check(run);
}

#[test]
fn constants() {
    assert_eq!(CUT_SCALE, 1_000_000_000_000_000_000);
    assert_eq!(MAX_CUT, 999_999_999_000_000_000);
    assert_eq!(rpow_floor(MAX_CUT, 1), MAX_CUT);
    assert_eq!(rpow_floor(CUT_SCALE, u64::MAX), CUT_SCALE);
    assert_eq!(rpow_floor(u64::MAX, 3), CUT_SCALE); // clamped to 1.0
}

#[test]
fn readable_examples() {
    // SOL at $150 in USDC with a 20 % buffer: top = 0.18 USDC base units per lamport.
    let top = 180_000_000_000;
    // Maker ETH-A-like stairstep: 0.99 every 90 s.
    let cut99 = 990_000_000_000_000_000;
    assert_eq!(stairstep_price(top, 90, cut99, 0), top);
    assert_eq!(stairstep_price(top, 90, cut99, 89), top);
    assert_eq!(stairstep_price(top, 90, cut99, 90), 178_200_000_000);
    assert_eq!(stairstep_price(top, 90, cut99, 180), 176_418_000_000);
    // Exponential 0.9999 per second: 1 s, and about e^-0.36 after an hour.
    let cut9999 = 999_900_000_000_000_000;
    assert_eq!(exp_price(top, cut9999, 1), 179_982_000_000);
    let hour = exp_price(top, cut9999, 3_600);
    assert!(hour > 125_000_000_000 && hour < 126_000_000_000, "{hour}");
    // Linear over an hour: half way at 30 min, 0 at the hour.
    assert_eq!(linear_price(top, 3_600, 1_800), 90_000_000_000);
    assert_eq!(linear_price(top, 3_600, 3_599), 50_000_000);
    assert_eq!(linear_price(top, 3_600, 3_600), 0);

    // Reset at 40 % of top: exactly 40 % is still live.
    let at_cusp = ResetInput {
        top,
        price: 72_000_000_000,
        cusp_bps: 4_000,
        elapsed_secs: 0,
        tail_secs: 7_200,
    };
    assert!(!needs_reset(&at_cusp));
    assert!(needs_reset(&ResetInput {
        price: 71_999_999_999,
        ..at_cusp
    }));
    assert!(!needs_reset(&ResetInput {
        elapsed_secs: 7_200,
        ..at_cusp
    }));
    assert!(needs_reset(&ResetInput {
        elapsed_secs: 7_201,
        ..at_cusp
    }));

    // 10 SOL against a 1200 USDC tab at $150, dust 100 USDC.
    let t = TakeInput {
        tab: 1_200_000_000,
        lot: 10_000_000_000,
        max_collateral: 10_000_000_000,
        price: 150_000_000_000,
        dust: 100_000_000,
    };
    // Everything: capped at the tab, 8 SOL for 1200 USDC.
    assert_eq!(
        take_quote(&t),
        Ok(TakeQuote {
            collateral: 8_000_000_000,
            owe: 1_200_000_000
        })
    );
    // 2 SOL for 300 USDC.
    let partial = TakeInput {
        max_collateral: 2_000_000_000,
        ..t
    };
    assert_eq!(
        take_quote(&partial),
        Ok(TakeQuote {
            collateral: 2_000_000_000,
            owe: 300_000_000
        })
    );
    // 7.4 SOL would leave 90 USDC (< dust): cut to 1100 USDC, leaving exactly the dust.
    let chost = TakeInput {
        max_collateral: 7_400_000_000,
        ..t
    };
    assert_eq!(
        take_quote(&chost),
        Ok(TakeQuote {
            collateral: 7_333_333_333,
            owe: 1_100_000_000
        })
    );
    // A 50 USDC tab can only be bought in full.
    let small_tab = TakeInput {
        tab: 50_000_000,
        max_collateral: 100_000_000,
        ..t
    };
    assert_eq!(take_quote(&small_tab), Err(TakeError::PartialLeavesDust));
    assert_eq!(
        take_quote(&TakeInput {
            max_collateral: 0,
            ..t
        }),
        Err(TakeError::TooSmall)
    );
    assert_eq!(
        take_quote(&TakeInput { price: 0, ..t }),
        Err(TakeError::TooSmall)
    );
    assert_eq!(
        take_quote(&TakeInput {
            lot: u64::MAX,
            max_collateral: u64::MAX,
            price: u64::MAX,
            ..t
        }),
        Err(TakeError::Overflow)
    );
}

// ------------------------------------------------------------------ seeded property tests

impl Rng {
    /// Uniform in `[lo, hi]`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi - lo == u64::MAX {
            return self.next();
        }
        lo + self.next() % (hi - lo + 1)
    }

    /// A value with a random bit length (small and large magnitudes both common).
    fn bits(&mut self) -> u64 {
        let bits = self.next() % 65;
        if bits == 0 {
            0
        } else {
            self.next() >> (64 - bits)
        }
    }

    /// A valid cut (0 < cut ≤ MAX_CUT): steep, Maker-like, or close to MAX_CUT.
    fn cut(&mut self) -> u64 {
        match self.next() % 4 {
            0 => self.range(1, MAX_CUT),
            1 => MAX_CUT - (self.bits() % MAX_CUT),
            2 => CUT_SCALE - 10u64.pow(9 + (self.next() % 10) as u32) * self.range(1, 9) / 10,
            _ => [
                1,
                CUT_SCALE / 2,
                990_000_000_000_000_000,
                999_900_000_000_000_000,
                MAX_CUT,
            ][(self.next() % 5) as usize],
        }
    }
}

const FIVE_YEARS: u64 = 5 * 365 * 86_400;

/// Exact reference of [`rpow_floor`] with native `u128` (host only).
fn rpow_u128(base: u64, n: u64) -> u64 {
    let s = CUT_SCALE as u128;
    let (mut b, mut r, mut n) = ((base as u128).min(s), s, n);
    while n != 0 {
        if n & 1 == 1 {
            r = r * b / s;
        }
        n >>= 1;
        if n != 0 {
            b = b * b / s;
        }
    }
    r as u64
}

#[test]
fn rpow_matches_u128() {
    let mut rng = Rng(11);
    for i in 0..200_000 {
        let base = if i % 3 == 0 { rng.bits() } else { rng.cut() };
        let n = match i % 4 {
            0 => rng.bits(),
            1 => rng.range(0, 1_000),
            _ => rng.range(0, FIVE_YEARS),
        };
        assert_eq!(rpow_floor(base, n), rpow_u128(base, n), "{base}^{n}");
    }
}

#[test]
fn rpow_is_monotone_step_by_step() {
    // Every consecutive exponent, for cuts of every speed (the proof in rpow_floor's docs).
    let mut rng = Rng(12);
    let mut cuts = vec![
        1,
        2,
        CUT_SCALE / 2,
        990_000_000_000_000_000,
        MAX_CUT,
        CUT_SCALE,
    ];
    cuts.extend((0..40).map(|_| rng.cut()));
    for cut in cuts {
        let mut prev = rpow_floor(cut, 0);
        assert_eq!(prev, CUT_SCALE);
        for n in 1..20_000 {
            let r = rpow_floor(cut, n);
            assert!(r <= prev, "cut {cut}: {n} -> {r} > {prev}");
            prev = r;
        }
    }
}

#[test]
fn rpow_falls_strictly_while_the_factor_exceeds_n_rounding() {
    // MAX_CUT's rationale: while the factor is above n × 1e-9 (r > n × 1e9 units), one step
    // of decay exceeds the accumulated rounding, so the factor falls strictly.
    let mut rng = Rng(13);
    for i in 0..200_000 {
        let cut = if i % 4 == 0 { MAX_CUT } else { rng.cut() };
        let n = if i % 2 == 0 {
            rng.range(0, FIVE_YEARS)
        } else {
            rng.range(0, 10_000)
        };
        let r = rpow_floor(cut, n);
        if r as u128 > n as u128 * 1_000_000_000 {
            assert!(rpow_floor(cut, n + 1) < r, "cut {cut} n {n}");
        }
    }
    // At the slowest allowed cut that holds for over five years.
    assert!(rpow_floor(MAX_CUT, FIVE_YEARS) as u128 > FIVE_YEARS as u128 * 1_000_000_000);
}

#[test]
fn curves_are_bounded_and_monotone_over_five_years() {
    let mut rng = Rng(14);
    for config in 0..3_000 {
        let top = match config % 4 {
            0 => u64::MAX - rng.range(0, 2),
            1 => rng.range(0, 1_000),
            _ => rng.bits(),
        };
        let tau = match config % 3 {
            0 => rng.range(1, 86_400),
            1 => rng.range(1, FIVE_YEARS),
            _ => rng.bits().max(1),
        };
        let step = match config % 3 {
            0 => rng.range(1, 600),
            1 => rng.range(1, 86_400),
            _ => rng.bits().max(1),
        };
        let (cut_s, cut_e) = (rng.cut(), rng.cut());
        let curves = |t: u64| {
            [
                linear_price(top, tau, t),
                stairstep_price(top, step, cut_s, t),
                exp_price(top, cut_e, t),
            ]
        };
        assert_eq!(curves(0), [top, top, top], "config {config}");
        // Sample points (each with its successor), sorted, over five years and a bit beyond.
        let mut ts: Vec<u64> = (0..40)
            .map(|i| match i % 4 {
                0 => rng.range(0, 7_200),
                1 => rng.range(0, FIVE_YEARS),
                2 => [tau - 1, tau, step - 1, step, 2 * step.min(FIVE_YEARS)][(i / 4) % 5],
                _ => rng.range(0, 100_000),
            })
            .flat_map(|t| [t, t.saturating_add(1)])
            .collect();
        ts.extend([FIVE_YEARS, FIVE_YEARS + 1, u64::MAX - 1, u64::MAX]);
        ts.sort_unstable();
        let mut prev = curves(0);
        for &t in &ts {
            let now = curves(t);
            for k in 0..3 {
                assert!(
                    now[k] <= top,
                    "curve {k} above top at {t} (config {config})"
                );
                assert!(
                    now[k] <= prev[k],
                    "curve {k} rises at {t}: {} -> {} (config {config})",
                    prev[k],
                    now[k]
                );
            }
            prev = now;
        }
        // Linear: exactly 0 from tau on, positive just before unless the floor is 0.
        assert_eq!(linear_price(top, tau, tau), 0);
        assert_eq!(linear_price(top, tau, tau.saturating_add(1)), 0);
        let last = linear_price(top, tau, tau - 1);
        assert_eq!(last as u128, top as u128 / tau as u128, "config {config}");
    }
}

#[test]
fn needs_reset_matches_u128() {
    let mut rng = Rng(15);
    for i in 0..200_000 {
        let top = rng.bits();
        let cusp_bps = if i % 2 == 0 {
            rng.range(0, 10_000)
        } else {
            rng.bits()
        };
        let exact = top as u128 * cusp_bps as u128 / BPS as u128;
        let price = if i % 3 == 0 {
            rng.bits()
        } else {
            (exact as i128 + rng.range(0, 4) as i128 - 2).clamp(0, u64::MAX as i128) as u64
        };
        let tail_secs = rng.bits();
        let elapsed_secs = match i % 4 {
            0 => tail_secs,
            1 => tail_secs.saturating_add(1),
            2 => tail_secs.saturating_sub(1),
            _ => rng.bits(),
        };
        let want = elapsed_secs > tail_secs
            || (price as u128) * (BPS as u128) < (top as u128) * (cusp_bps as u128);
        let n = ResetInput {
            top,
            price,
            cusp_bps,
            elapsed_secs,
            tail_secs,
        };
        assert_eq!(needs_reset(&n), want, "{n:?}");
    }
}

#[test]
fn take_quote_invariants() {
    let mut rng = Rng(16);
    let (mut ok, mut errors) = (0, [0usize; 3]);
    for i in 0..300_000 {
        let lot = if i % 3 == 0 {
            rng.bits()
        } else {
            rng.range(0, 1 << 40)
        };
        let price = if i % 3 == 1 {
            rng.bits()
        } else {
            rng.range(0, 1 << 50)
        };
        let value =
            (lot as u128 * price as u128 / PRICE_SCALE as u128).min(u64::MAX as u128) as u64;
        let tab = match i % 4 {
            0 => rng.bits(),
            _ => rng.range(0, value.saturating_mul(2).max(1)),
        };
        let max_collateral = match i % 5 {
            0 => lot,
            1 => rng.bits(),
            _ => rng.range(0, lot),
        };
        let dust = match i % 4 {
            0 => 0,
            1 => rng.bits(),
            _ => rng.range(0, tab / 2 + 1),
        };
        let t = TakeInput {
            tab,
            lot,
            max_collateral,
            price,
            dust,
        };
        match take_quote(&t) {
            Ok(q) => {
                ok += 1;
                assert!(q.owe > 0 && q.collateral > 0, "{t:?} {q:?}");
                assert!(q.owe <= tab, "{t:?} {q:?}");
                assert!(q.collateral <= lot.min(max_collateral), "{t:?} {q:?}");
                let left = tab - q.owe;
                assert!(
                    left == 0 || left >= dust || q.collateral == lot,
                    "dusty tab left: {t:?} {q:?}"
                );
                // The bidder never underpays.
                let fair = (q.collateral as u128 * price as u128).div_ceil(PRICE_SCALE as u128);
                assert!(q.owe as u128 >= fair, "underpays: {t:?} {q:?}");
                // And is never overcharged beyond the rounding of their own slice, unless they
                // bought the whole tab.
                assert!(
                    q.owe == tab || q.owe as u128 == fair || left == dust,
                    "{t:?} {q:?}"
                );
            }
            Err(e) => {
                errors[e as usize] += 1;
                if e == TakeError::Overflow {
                    let owe = (lot.min(max_collateral) as u128 * price as u128)
                        .div_ceil(PRICE_SCALE as u128);
                    assert!(owe > u64::MAX as u128, "{t:?}");
                }
            }
        }
    }
    assert!(
        ok > 100_000 && errors.iter().all(|&n| n > 100),
        "{ok} {errors:?}"
    );
}

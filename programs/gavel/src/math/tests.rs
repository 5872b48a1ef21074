//! Host tests of the math module: the shared golden vectors (`tests/vectors/math.json`, computed
//! by `scripts/gen-math-vectors.py` with exact integers) and seeded property tests of the limb
//! arithmetic against native `u128` (which the tests may use; the module itself may not).

use super::test_rng::Rng;
use super::test_support::{num, u, Golden};
use super::*;
use serde_json::Value;

/// A small integer argument (JSON number).
fn n(v: &Value) -> i64 {
    v.as_i64().expect("small int args are numbers")
}

fn run(name: &str, args: &[Value]) -> Option<u64> {
    let a = |i: usize| u(&args[i]);
    match name {
        "mul_div_floor" => mul_div_floor(a(0), a(1), a(2)),
        "mul_div_ceil" => mul_div_ceil(a(0), a(1), a(2)),
        "pow10" => pow10(u32::try_from(n(&args[0])).expect("u32")),
        "compound_wad" => compound_wad(a(0), a(1)),
        "accrue_rate" => accrue_rate(a(0), a(1), a(2)),
        "debt_from_art" => debt_from_art(a(0), a(1)),
        "art_from_debt_floor" => art_from_debt_floor(a(0), a(1)),
        "art_from_debt_ceil" => art_from_debt_ceil(a(0), a(1)),
        "value_floor" => value_floor(a(0), a(1)),
        "ltv_bps" => ltv_bps(a(0), a(1)),
        "max_debt_for" => max_debt_for(a(0), a(1)),
        "shares_for_deposit" => shares_for_deposit(a(0), a(1), a(2)),
        "amount_for_shares" => amount_for_shares(a(0), a(1), a(2)),
        "bps_of" => bps_of(a(0), a(1)),
        "request_value_of" => request_value_of(a(0), a(1), a(2)),
        "claim_amount" => claim_amount(a(0), a(1), a(2), a(3)),
        "cancel_shares" => cancel_shares(a(0), a(1), a(2), a(3)),
        "price_from_pyth" => price_from_pyth(&PythPair {
            coll_price: a(0),
            coll_expo: i32::try_from(n(&args[1])).expect("i32"),
            debt_price: a(2),
            debt_expo: i32::try_from(n(&args[3])).expect("i32"),
            coll_decimals: u8::try_from(n(&args[4])).expect("u8"),
            debt_decimals: u8::try_from(n(&args[5])).expect("u8"),
        }),
        other => panic!("vector file names an unknown function {other}"),
    }
}

const FUNCTIONS: &[&str] = &[
    "mul_div_floor",
    "mul_div_ceil",
    "pow10",
    "compound_wad",
    "accrue_rate",
    "debt_from_art",
    "art_from_debt_floor",
    "art_from_debt_ceil",
    "value_floor",
    "ltv_bps",
    "max_debt_for",
    "shares_for_deposit",
    "amount_for_shares",
    "bps_of",
    "price_from_pyth",
    "request_value_of",
    "claim_amount",
    "cancel_shares",
];

#[test]
fn golden_vectors_match() {
    Golden {
        file: "math",
        functions: FUNCTIONS,
        min_cases: 0,
        min_total: 4_000,
    }
    .check(|name, args| run(name, args).map_or(Value::Null, num));
}

#[test]
fn constants() {
    assert_eq!(pow10(4), Some(BPS));
    assert_eq!(pow10(18), Some(WAD));
    assert_eq!(pow10(12), Some(RATE_SCALE));
    assert_eq!(pow10(12), Some(PRICE_SCALE));
    assert_eq!(MAX_ACCRUAL_CHUNK_SECS, 365 * 24 * 3600);
}

#[test]
fn readable_examples() {
    // SOL ($150, 9 decimals) in USDC ($1, 6 decimals): one lamport = 0.15 USDC base units.
    let sol = PythPair {
        coll_price: 15_000_000_000,
        coll_expo: -8,
        debt_price: 1,
        debt_expo: 0,
        coll_decimals: 9,
        debt_decimals: 6,
    };
    assert_eq!(price_from_pyth(&sol), Some(150_000_000_000));
    // 2 SOL are worth 300 USDC; 50 % LTV allows 150 USDC.
    let value = value_floor(2_000_000_000, 150_000_000_000).unwrap();
    assert_eq!(value, 300_000_000);
    assert_eq!(max_debt_for(value, 5_000), Some(150_000_000));
    assert_eq!(ltv_bps(150_000_000, value), Some(5_000));
    // One base unit more rounds the LTV up.
    assert_eq!(ltv_bps(150_000_001, value), Some(5_001));
    // Borrow 100 USDC at index 1.05: art rounds up, debt rounds up, repay-art rounds down.
    let rate = 1_050_000_000_000;
    let art = art_from_debt_ceil(100_000_000, rate).unwrap();
    assert_eq!(art, 95_238_096);
    assert!(debt_from_art(art, rate).unwrap() >= 100_000_000);
    assert_eq!(art_from_debt_floor(100_000_000, rate), Some(95_238_095));
    // 0 s of interest changes nothing; the index only grows.
    assert_eq!(compound_wad(1_547_125_957, 0), Some(WAD));
    assert_eq!(accrue_rate(RATE_SCALE, 1_547_125_957, 0), Some(RATE_SCALE));
    let year = accrue_rate(RATE_SCALE, 1_547_125_957, MAX_ACCRUAL_CHUNK_SECS).unwrap();
    assert!(
        year > 1_049_999_000_000 && year <= 1_050_000_000_000,
        "{year}"
    );
}

// ------------------------------------------------------------------ seeded property tests

impl Rng {
    /// A value with a random bit length (so small and large magnitudes are both common), or a
    /// value from a list of edge cases.
    fn wide_range(&mut self) -> u64 {
        const EDGES: [u64; 12] = [
            0,
            1,
            2,
            0xffff_ffff,
            0x1_0000_0000,
            0x1_0000_0001,
            0x8000_0000_0000_0000,
            0x8000_0000_0000_0001,
            0xffff_ffff_0000_0000,
            0xffff_ffff_ffff_fffe,
            u64::MAX,
            1_000_000_000_000_000_000,
        ];
        let r = self.next();
        if r.is_multiple_of(16) {
            return EDGES[(r >> 8) as usize % EDGES.len()];
        }
        let bits = (r >> 8) % 65;
        if bits == 0 {
            0
        } else {
            self.next() >> (64 - bits)
        }
    }
}

const ITERATIONS: usize = 300_000;

#[test]
fn mul_wide_matches_u128() {
    let mut rng = Rng(1);
    for _ in 0..ITERATIONS {
        let (a, b) = (rng.wide_range(), rng.wide_range());
        let p = a as u128 * b as u128;
        assert_eq!(mul_wide(a, b), ((p >> 64) as u64, p as u64), "{a} * {b}");
    }
}

#[test]
fn div_wide_matches_u128() {
    let mut rng = Rng(2);
    let mut checked = 0;
    for i in 0..ITERATIONS {
        let d = rng.wide_range();
        // Half the time force hi < d (a quotient that fits), with hi close to d sometimes.
        let hi = match i % 4 {
            0 => rng.wide_range(),
            1 if d > 0 => d - 1 - rng.next() % d.min(4),
            _ if d > 0 => rng.next() % d,
            _ => rng.wide_range(),
        };
        let lo = rng.wide_range();
        let got = div_wide(hi, lo, d);
        if d == 0 || hi >= d {
            assert_eq!(got, None, "{hi}:{lo} / {d}");
            continue;
        }
        let n = ((hi as u128) << 64) | lo as u128;
        let want = ((n / d as u128) as u64, (n % d as u128) as u64);
        assert_eq!(got, Some(want), "{hi}:{lo} / {d}");
        checked += 1;
    }
    assert!(checked > ITERATIONS / 2);
}

/// Divisors whose top 32 bits are small or whose low half triggers Knuth's correction steps.
#[test]
fn div_wide_correction_paths() {
    let mut rng = Rng(3);
    for _ in 0..ITERATIONS {
        let d = match rng.next() % 4 {
            0 => (1 << 32) | (rng.next() & 0xffff_ffff),
            1 => (rng.next() | (1 << 63)) | 0xffff_ffff,
            2 => (rng.next() | (1 << 63)) & !0xffff_ffff,
            _ => (rng.next() >> (rng.next() % 64)) | 1,
        };
        let hi = d - 1 - (rng.next() % 3).min(d - 1);
        let lo = match rng.next() % 3 {
            0 => u64::MAX,
            1 => 0,
            _ => rng.next(),
        };
        let n = ((hi as u128) << 64) | lo as u128;
        let want = ((n / d as u128) as u64, (n % d as u128) as u64);
        assert_eq!(div_wide(hi, lo, d), Some(want), "{hi}:{lo} / {d}");
    }
}

#[test]
fn mul_div_matches_u128() {
    let mut rng = Rng(4);
    for _ in 0..ITERATIONS {
        let (a, b, c) = (rng.wide_range(), rng.wide_range(), rng.wide_range());
        let (floor, ceil) = if c == 0 {
            (None, None)
        } else {
            let p = a as u128 * b as u128;
            let (q, r) = (p / c as u128, p % c as u128);
            let q_ceil = q + (r != 0) as u128;
            (u64::try_from(q).ok(), u64::try_from(q_ceil).ok())
        };
        assert_eq!(mul_div_floor(a, b, c), floor, "floor {a} * {b} / {c}");
        assert_eq!(mul_div_ceil(a, b, c), ceil, "ceil {a} * {b} / {c}");
    }
}

#[test]
fn rounding_directions_hold() {
    let mut rng = Rng(5);
    for _ in 0..ITERATIONS / 10 {
        let art = rng.next() >> (rng.next() % 64);
        let rate = RATE_SCALE + (rng.next() >> (20 + rng.next() % 44));
        if let Some(debt) = debt_from_art(art, rate) {
            // Debt rounds up, so converting it back never gives less art than the position has.
            assert!(art_from_debt_ceil(debt, rate).unwrap() >= art);
            assert!(art_from_debt_floor(debt, rate).unwrap() >= art);
        }
        let amount = rng.next() >> (rng.next() % 64);
        let (floor, ceil) = (
            art_from_debt_floor(amount, rate).unwrap(),
            art_from_debt_ceil(amount, rate).unwrap(),
        );
        assert!(ceil == floor || ceil == floor + 1);
    }
}

//! Host tests of the partial kick sizing: the shared golden vectors (`tests/vectors/partial.json`,
//! computed by `scripts/gen-partial-vectors.py` with exact integers), readable examples and seeded
//! property tests checked against native `u128` (the tests may use it; the module may not).

use super::*;
use crate::math::test_support::{u, Golden};
use serde_json::json;

fn size(i: &PartialInput) -> PartialSize {
    let mut out = PartialSize {
        art: 0,
        ink: 0,
        debt: 0,
        tab: 0,
    };
    partial_kick(i, &mut out);
    out
}

/// From the vector arguments (with the position's debt and value).
fn input_full(a: &[u64]) -> PartialInput {
    PartialInput {
        ink: a[0],
        art: a[1],
        rate: a[2],
        price: a[3],
        debt: a[4],
        value: a[5],
        target_ltv_bps: a[6],
        full_ltv_bps: a[7],
        chop_bps: a[8],
        discount_bps: a[9],
        dust: a[10],
    }
}

/// From `[ink, art, rate, price, target, full, chop, d, dust]`, computing debt and value.
fn input(a: &[u64]) -> PartialInput {
    let debt = (a[1] as u128 * a[2] as u128).div_ceil(RATE_SCALE as u128) as u64;
    let value = (a[0] as u128 * a[3] as u128 / PRICE_SCALE as u128) as u64;
    input_full(&[
        a[0], a[1], a[2], a[3], debt, value, a[4], a[5], a[6], a[7], a[8],
    ])
}

#[test]
fn golden_vectors_match() {
    Golden {
        file: "partial",
        functions: &["partial_kick"],
        min_cases: 400,
        min_total: 0,
    }
    .check(|_, args| {
        let args: Vec<u64> = args.iter().map(u).collect();
        let got = size(&input_full(&args));
        json!({
            "art": got.art.to_string(),
            "ink": got.ink.to_string(),
            "debt": got.debt.to_string(),
            "tab": got.tab.to_string(),
        })
    });
}

const SOL: u64 = 1_000_000_000;
const USDC: u64 = 1_000_000;
const RS: u64 = RATE_SCALE;
const P120: u64 = 120_000_000_000;

/// 10 SOL at $120 against `debt` (USDC base units, rate 1.0): back to `target_ltv_bps` at a
/// 6.34 % discount with a 10 % penalty, the whole position from 90 % LTV (the full-kick LTV).
fn ten_sol(debt: u64, target_ltv_bps: u64, dust: u64) -> PartialSize {
    size(&input(&[
        10 * SOL,
        debt,
        RS,
        P120,
        target_ltv_bps,
        9_000,
        1_000,
        634,
        dust,
    ]))
}

#[test]
fn readable_examples() {
    // Alice: 10 SOL at $120 against 1,000 USDC (83.3 % LTV); back to 70 % with a 10 % penalty at
    // a 6.34 % discount: about 899.5 USDC and 8.8 SOL move, leaving 100.5 USDC against 1.2 SOL.
    let s = ten_sol(1_000 * USDC, 7_000, 10 * USDC);
    assert_eq!((s.art, s.ink), (899_495_799, 8_803_521_417));
    assert_eq!((s.debt, s.tab), (899_495_799, 989_445_379));
    let left_debt = (1_000 * USDC - s.art) as u128;
    let left_value = ((10 * SOL - s.ink) as u128 * P120 as u128) / PRICE_SCALE as u128;
    // The position left behind is at the target LTV (70 %), to within rounding.
    assert!(
        left_debt * 10_000 <= left_value * 7_000 + 10_000,
        "{left_debt} {left_value}"
    );
    // At 90 % LTV the whole position goes (the full-kick LTV).
    let whole = ten_sol(1_080 * USDC, 7_000, 10 * USDC);
    assert_eq!((whole.art, whole.ink), (1_080 * USDC, 10 * SOL));
    assert_eq!((whole.debt, whole.tab), (1_080 * USDC, 1_188 * USDC));
    // Any position above (1 − d) / (1 + c) = 85.1 % LTV goes whole too: restoring 70 % would
    // need more debt than it has (x ≥ D). At 84 % a partial kick still leaves a position.
    assert_eq!(ten_sol(1_022 * USDC, 7_000, 10 * USDC).art, 1_022 * USDC);
    assert!(ten_sol(1_008 * USDC, 7_000, 10 * USDC).art < 1_008 * USDC);
    // A remainder under dust: the whole position.
    assert_eq!(ten_sol(1_000 * USDC, 7_000, 101 * USDC).art, 1_000 * USDC);
    // Target 0: whole positions, as before engine v2.
    assert_eq!(ten_sol(1_000 * USDC, 0, 10 * USDC).art, 1_000 * USDC);
}

/// xorshift64 for reproducible pseudo-random inputs.
fn next(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

#[test]
fn partial_kicks_restore_the_target_and_their_lot_raises_the_tab() {
    let mut x = 0x1234_5678_9abc_def1u64;
    let mut partial = 0;
    for _ in 0..20_000 {
        let liq = 6_000 + next(&mut x) % 3_000;
        let target = 3_000 + next(&mut x) % (liq - 3_000);
        let chop = next(&mut x) % 1_500;
        let d = next(&mut x) % 800;
        if target * (BPS + chop) >= (BPS - 800) * BPS {
            continue;
        }
        let full = liq + 1 + next(&mut x) % (BPS - liq);
        let price = 1_000 + next(&mut x) % 1_000_000_000_000;
        let ink = 1_000_000 + next(&mut x) % 1_000_000_000_000;
        let value = (ink as u128 * price as u128 / PRICE_SCALE as u128) as u64;
        let ltv = liq + next(&mut x) % (full - liq);
        let art = (value as u128 * ltv as u128 / BPS as u128) as u64 + 1;
        let i = input(&[ink, art, RS, price, target, full, chop, d, 0]);
        assert_eq!(i.debt, art); // rate 1.0
        let s = size(&i);
        assert!(s.art <= art && s.ink <= ink && s.debt <= i.debt);
        if s.art == art {
            continue;
        }
        partial += 1;
        // The lot at the discount raises the tab: ink × price × (1 − d) ≥ tab.
        let tab = (s.art as u128 * (BPS + chop) as u128).div_ceil(BPS as u128);
        assert_eq!(s.tab as u128, tab);
        let raised = s.ink as u128 * price as u128 * (BPS - d) as u128;
        assert!(
            raised >= tab * PRICE_SCALE as u128 * BPS as u128,
            "{i:?} {s:?}"
        );
        // The position left is at the target LTV, to within the rounding of a few base units of
        // debt and collateral (the sizing rounds both up).
        let left_value = (ink - s.ink) as u128 * price as u128 / PRICE_SCALE as u128;
        let left_debt = (art - s.art) as u128;
        let slack = BPS as u128 * (4 + 4 * (price as u128).div_ceil(PRICE_SCALE as u128));
        assert!(
            left_debt * BPS as u128 <= left_value * target as u128 + slack,
            "{i:?} {s:?}: {left_debt} vs {left_value}"
        );
    }
    assert!(partial > 5_000, "only {partial} partial kicks");
}

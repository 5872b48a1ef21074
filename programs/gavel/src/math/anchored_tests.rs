//! Host tests of the anchored price math: the shared golden vectors (`tests/vectors/anchored.json`,
//! computed by `scripts/gen-anchored-vectors.py` with exact integers), readable examples and
//! seeded property tests checked against native `u128` (the tests may use it; the module may not).

use super::*;
use crate::math::test_support::{num, u, Golden};
use serde_json::Value;

/// The result of `name` on `args` (u64 decimal strings).
fn run(name: &str, args: &[Value]) -> u64 {
    let a = |i: usize| u(&args[i]);
    match name {
        "d_max_bps" => d_max_bps(&DmaxInput {
            ltv_bps: a(0),
            liquidation_ltv_bps: a(1),
            max_base_bps: a(2),
            max_cap_bps: a(3),
            tab: a(4),
            lot_value: a(5),
        }),
        "discount_bps" => discount_bps(a(0), a(1), a(2), a(3)),
        "anchored_price" => anchored_price(a(0), a(1)),
        other => panic!("vector file names an unknown function {other}"),
    }
}

#[test]
fn golden_vectors_match() {
    Golden {
        file: "anchored",
        functions: &["d_max_bps", "discount_bps", "anchored_price"],
        min_cases: 300,
        min_total: 1_000,
    }
    .check(|name, args| num(run(name, args)));
}

#[test]
fn readable_examples() {
    let input = |ltv_bps, tab, lot_value| DmaxInput {
        ltv_bps,
        liquidation_ltv_bps: 8_000,
        max_base_bps: 300,
        max_cap_bps: 800,
        tab,
        lot_value,
    };
    // At the liquidation LTV: 3 %; 2.5 points over it: 5.5 %; far over it: the 8 % cap.
    assert_eq!(d_max_bps(&input(8_000, 0, 0)), 300);
    assert_eq!(d_max_bps(&input(8_250, 0, 0)), 550);
    assert_eq!(d_max_bps(&input(9_500, 0, 0)), 800);
    // A whole position at 85 % LTV with a 10 % penalty: the $10k lot must raise $9,350, so the
    // discount stops at 6.5 % (not the health bound's 8 %).
    assert_eq!(d_max_bps(&input(8_500, 9_350_000_000, 10_000_000_000)), 650);
    // Insolvent (the tab exceeds the lot's value): the health bound.
    assert_eq!(
        d_max_bps(&input(11_000, 12_000_000_000, 10_000_000_000)),
        800
    );

    // 0.5 % at the kick, +0.5 % a minute, stops at 8 % after 15 minutes.
    assert_eq!(discount_bps(50, 50, 800, 0), 50);
    assert_eq!(discount_bps(50, 50, 800, 1), 50); // 50 × 1 / 60 rounds down to 0
    assert_eq!(discount_bps(50, 50, 800, 59), 99);
    assert_eq!(discount_bps(50, 50, 800, 60), 100);
    assert_eq!(discount_bps(50, 50, 800, 90), 125);
    assert_eq!(discount_bps(50, 50, 800, 899), 799);
    assert_eq!(discount_bps(50, 50, 800, 900), 800);
    assert_eq!(discount_bps(50, 50, 800, u64::MAX), 800);

    // SOL at $150 (0.15 USDC base units per lamport): 3 % off is $145.50.
    assert_eq!(anchored_price(150_000_000_000, 300), 145_500_000_000);
    assert_eq!(anchored_price(150_000_000_000, 0), 150_000_000_000);
    // Rounded up: 333 × 0.97 = 323.01 → 324.
    assert_eq!(anchored_price(333, 300), 324);
    assert_eq!(anchored_price(333, BPS), 0);
    assert_eq!(anchored_price(333, u64::MAX), 0);
}

/// xorshift64 for reproducible pseudo-random inputs.
fn next(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x >> (*x % 64)
}

#[test]
fn properties() {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..20_000 {
        let oracle = next(&mut x);
        let (s, r, cap) = (next(&mut x) % 500, next(&mut x) % 500, next(&mut x) % 3_000);
        let (e1, e2) = (next(&mut x), next(&mut x));
        let (lo, hi) = if e1 <= e2 { (e1, e2) } else { (e2, e1) };
        // The discount never decreases with time and never exceeds d_max...
        let (d1, d2) = (discount_bps(s, r, cap, lo), discount_bps(s, r, cap, hi));
        assert!(d1 <= d2 && d2 <= cap, "{s} {r} {cap} {lo} {hi}");
        // ...so the price never rises while the oracle stands still, and never exceeds it.
        let (p1, p2) = (anchored_price(oracle, d1), anchored_price(oracle, d2));
        assert!(p2 <= p1 && p1 <= oracle);
        // Exact against u128: the smallest price with price × BPS ≥ oracle × (BPS − d).
        let keep = BPS.saturating_sub(d1) as u128;
        let want = (oracle as u128 * keep).div_ceil(BPS as u128);
        assert_eq!(p1 as u128, want);

        // d_max: never above the cap; when the lot can raise the tab, the whole lot at the
        // discounted price still raises it.
        let lot_value = next(&mut x);
        let tab = next(&mut x) % lot_value.saturating_add(1).max(1);
        let i = DmaxInput {
            ltv_bps: next(&mut x) % 20_000,
            liquidation_ltv_bps: 8_000,
            max_base_bps: s,
            max_cap_bps: cap.max(s),
            tab,
            lot_value,
        };
        let d = d_max_bps(&i);
        assert!(d <= i.max_cap_bps);
        if lot_value > 0 && tab <= lot_value {
            let raised = lot_value as u128 * (BPS - d.min(BPS)) as u128;
            assert!(raised >= tab as u128 * BPS as u128, "{i:?} → {d}");
        }
    }
}

//! Host tests of kick sizing and rewards: the shared golden vectors (`tests/vectors/kick.json`,
//! computed by `scripts/gen-kick-vectors.py` with exact integers), readable examples and seeded
//! properties (a kick plus any number of resets never pays more than the penalty; a chain of
//! auctions of one position never more than the penalties collected plus one penalty).

use super::*;
use crate::math::test_support::{num, u, Golden};
use serde_json::{json, Value};

fn reward_input(a: &dyn Fn(usize) -> u64) -> RewardInput {
    RewardInput {
        tip: a(0),
        chip_bps: a(1),
        tab: a(2),
        debt: a(3),
        initial_penalty: a(4),
        rewards_paid: a(5),
        insurance: a(6),
    }
}

/// The result of `name` on `args`, encoded as the vector file encodes `expected`.
fn run(name: &str, args: &[Value]) -> Value {
    let a = |i: usize| u(&args[i]);
    match name {
        "kick_size" => match kick_size(&KickInput {
            ink: a(0),
            art: a(1),
            rate: a(2),
            price: a(3),
            dirt: a(4),
            params: KickParams {
                liquidation_ltv_bps: a(5),
                chop_bps: a(6),
                buf_bps: a(7),
                hole: a(8),
                dust: a(9),
                target_ltv_bps: a(10),
                full_ltv_bps: a(11),
                max_base_bps: a(12),
                max_cap_bps: a(13),
            },
        }) {
            Ok(s) => json!({
                "art": s.art.to_string(),
                "ink": s.ink.to_string(),
                "debt": s.debt.to_string(),
                "tab": s.tab.to_string(),
                "top": s.top.to_string(),
                "d_max_bps": s.d_max_bps.to_string(),
            }),
            Err(e) => Value::String(format!("{e:?}")),
        },
        "kick_reward" => num(kick_reward(&reward_input(&a))),
        "reset_reward" => num(reset_reward(&reward_input(&a), a(7), a(8))),
        "unearned_rewards" => num(unearned_rewards(&UnearnedInput {
            rewards_paid: a(0),
            initial_tab: a(1),
            initial_debt: a(2),
            tab: a(3),
            debt: a(4),
        })),
        other => panic!("vector file names an unknown function {other}"),
    }
}

const FUNCTIONS: &[&str] = &[
    "kick_size",
    "kick_reward",
    "reset_reward",
    "unearned_rewards",
];

#[test]
fn golden_vectors_match() {
    let v = Golden {
        file: "kick",
        functions: FUNCTIONS,
        min_cases: 250,
        min_total: 0,
    }
    .check(run);
    let binds: std::collections::BTreeSet<String> = FUNCTIONS
        .iter()
        .flat_map(|name| {
            v[name].as_array().expect("cases").iter().map(move |case| {
                format!("{name}: {}", case["binds"].as_str().expect("binds label"))
            })
        })
        .collect();
    // Every cap binds somewhere.
    for label in [
        "kick_size: hole (partial)",
        "kick_size: hole full",
        "kick_size: dust-whole (the rest would be dust)",
        "kick_size: dust-refuse (the auction would be dust)",
        "kick_reward: penalty still to raise",
        "kick_reward: cumulative per-auction cap",
        "kick_reward: insurance",
        "kick_reward: tip + chip",
        "unearned_rewards: unearned",
        "unearned_rewards: earned (penalty collected covers the rewards)",
    ] {
        assert!(binds.contains(label), "no case where {label}");
    }
}

/// Test-market defaults (sdk/testkit/params.ts).
const PARAMS: KickParams = KickParams {
    liquidation_ltv_bps: 8_000,
    chop_bps: 1_000,
    buf_bps: 12_000,
    hole: 1_000_000_000_000,
    dust: 10_000_000,
    target_ltv_bps: 0,
    full_ltv_bps: 0,
    max_base_bps: 0,
    max_cap_bps: 0,
};
const USD_120: u64 = 120_000_000_000; // $120 per SOL in USDC base units per lamport × 1e12

#[test]
fn readable_examples() {
    // Issue 15: 0.2 SOL and 20 USDC of debt at $120 → tab 22, lot 0.2 SOL, top $144.
    let k = KickInput {
        ink: 200_000_000,
        art: 20_000_000,
        rate: RATE_SCALE,
        price: USD_120,
        dirt: 0,
        params: PARAMS,
    };
    let s = kick_size(&k).unwrap();
    assert_eq!(
        (s.art, s.ink, s.debt, s.tab, s.top),
        (
            20_000_000,
            200_000_000,
            20_000_000,
            22_000_000,
            144_000_000_000
        )
    );
    // At $150 the position is safe.
    assert_eq!(
        kick_size(&KickInput {
            price: 150_000_000_000,
            ..k
        }),
        Err(KickError::Safe)
    );
    // 1,000 USDC against 10 SOL under a 600 USDC hole: 545.454545 of debt (tab ≤ 600) moves.
    let big = KickInput {
        ink: 10_000_000_000,
        art: 1_000_000_000,
        params: KickParams {
            hole: 600_000_000,
            ..PARAMS
        },
        ..k
    };
    let s = kick_size(&big).unwrap();
    assert_eq!((s.debt, s.tab), (545_454_545, 600_000_000));
    assert_eq!(s.ink, 5_454_545_450);
    // With 595 USDC of the hole used, 5 USDC of room is under dust: refused.
    assert_eq!(
        kick_size(&KickInput {
            dirt: 595_000_000,
            ..big
        }),
        Err(KickError::Dusty)
    );
    assert_eq!(
        kick_size(&KickInput {
            dirt: 600_000_000,
            ..big
        }),
        Err(KickError::HoleFull)
    );

    // The reward: 2 USDC (the whole penalty) at the kick, then nothing for the resets.
    let r = RewardInput {
        tip: 5_000_000,
        chip_bps: 10,
        tab: 22_000_000,
        debt: 20_000_000,
        initial_penalty: 2_000_000,
        rewards_paid: 0,
        insurance: 1_000_000_000,
    };
    assert_eq!(kick_reward(&r), 2_000_000);
    let after = RewardInput {
        rewards_paid: 2_000_000,
        ..r
    };
    assert_eq!(reset_reward(&after, 24_000_000, 10_000_000), 0);
    // A dusty lot earns nothing even with penalty left.
    assert_eq!(reset_reward(&r, 9_999_999, 10_000_000), 0);
    assert_eq!(reset_reward(&r, 10_000_000, 10_000_000), 2_000_000);
}

/// xorshift64*: a small deterministic generator for the property tests.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[test]
fn a_kick_and_any_resets_pay_at_most_the_penalty() {
    let mut rng = Rng(0x5eed_cafe);
    for _ in 0..20_000 {
        let debt = 1 + rng.below(1 << 40);
        let chop = rng.below(5_000);
        let tab = mul_div_ceil(debt, BPS + chop, BPS).unwrap();
        let penalty = tab - debt;
        let mut r = RewardInput {
            tip: rng.below(1 << 30),
            chip_bps: rng.below(1_001),
            tab,
            debt,
            initial_penalty: penalty,
            rewards_paid: 0,
            insurance: rng.below(1 << 42),
        };
        let mut total = 0u64;
        let resets = rng.below(20);
        for i in 0..=resets {
            let paid = if i == 0 {
                kick_reward(&r)
            } else {
                reset_reward(&r, rng.below(1 << 41), rng.below(1 << 25))
            };
            assert!(paid <= r.insurance);
            r.insurance -= paid;
            r.rewards_paid += paid;
            total += paid;
        }
        assert!(total <= penalty, "{total} > {penalty}");
    }
}

/// A chain of auctions of one position, as the program runs it: each kick starts `rewards_paid` at
/// the carried unearned rewards, the kick and resets pay under the per-auction cap, the auction
/// raises a random part of its tab (debt first), and the settlement carries
/// [`unearned_rewards`] on. Whatever runs out, the rewards paid never exceed the penalties
/// collected plus the largest penalty of the chain.
#[test]
fn a_chain_of_auctions_pays_at_most_the_penalties_collected_plus_one_penalty() {
    let mut rng = Rng(0x0c4a_1105);
    for _ in 0..5_000 {
        let (tip, chip_bps) = (rng.below(1 << 30), rng.below(1_001));
        let (mut carry, mut rewards, mut collected, mut largest) = (0u64, 0u64, 0u64, 0u64);
        for _ in 0..1 + rng.below(12) {
            let debt = 1 + rng.below(1 << 36);
            let tab = mul_div_ceil(debt, BPS + rng.below(2_000), BPS).unwrap();
            largest = largest.max(tab - debt);
            let mut r = RewardInput {
                tip,
                chip_bps,
                tab,
                debt,
                initial_penalty: tab - debt,
                rewards_paid: carry,
                insurance: u64::MAX,
            };
            for i in 0..=rng.below(4) {
                let paid = if i == 0 {
                    kick_reward(&r)
                } else {
                    reset_reward(&r, u64::MAX, 0)
                };
                r.rewards_paid += paid;
                rewards += paid;
            }
            // Raised: nothing, part of the debt, the debt and part of the penalty, or all of it.
            let raised = match rng.below(4) {
                0 => 0,
                1 => rng.below(debt),
                2 => debt + rng.below(tab - debt + 1),
                _ => tab,
            };
            let debt_left = debt - raised.min(debt);
            collected += raised - (debt - debt_left);
            carry = unearned_rewards(&UnearnedInput {
                rewards_paid: r.rewards_paid,
                initial_tab: tab,
                initial_debt: debt,
                tab: tab - raised,
                debt: debt_left,
            });
            assert_eq!(
                carry,
                (r.rewards_paid).saturating_sub(raised - (debt - debt_left))
            );
            assert!(
                rewards <= collected + carry,
                "{rewards} > {collected} + {carry}"
            );
            assert!(
                carry <= largest,
                "carry {carry} > largest penalty {largest}"
            );
        }
    }
}

#[test]
fn kick_sizes_respect_the_hole_and_the_position() {
    let mut rng = Rng(0xdead_beef);
    for _ in 0..20_000 {
        let k = KickInput {
            ink: rng.below(1 << 44),
            art: rng.below(1 << 40),
            rate: RATE_SCALE + rng.below(RATE_SCALE),
            price: rng.below(1 << 40),
            dirt: rng.below(1 << 40),
            params: KickParams {
                liquidation_ltv_bps: 5_000 + rng.below(5_000),
                chop_bps: rng.below(3_000),
                buf_bps: 10_000 + rng.below(10_000),
                hole: rng.below(1 << 41),
                dust: rng.below(1 << 30),
                target_ltv_bps: rng.below(2) * (2_000 + rng.below(2_000)),
                full_ltv_bps: 10_000,
                max_base_bps: 300,
                max_cap_bps: 800,
            },
        };
        if let Ok(s) = kick_size(&k) {
            assert!(s.art <= k.art && s.ink <= k.ink && s.ink > 0);
            assert!(s.tab >= s.debt);
            let room = k.params.hole - k.dirt;
            // Within the hole, unless the whole position was taken to leave no dust behind.
            assert!(s.tab <= room || s.art == k.art, "{k:?} → {s:?}");
            if s.art < k.art {
                assert!(s.debt >= k.params.dust);
            }
        }
    }
}

//! Property tests of the fixed-point helpers and auction math against slow exact references
//! (arbitrary-precision integers on the host), complementing `src/math/tests.rs` (golden vectors,
//! mul/div against u128, art rounding) and `src/math/auction_tests.rs` (rpow against u128, curve
//! monotonicity, `needs_reset`, single-take invariants). What is checked here:
//!
//! - `price_from_pyth` is the exact floor of `coll × 10^e / debt` for every exponent and decimals
//!   combination (the program splits 10^e for e ≥ 20), and is monotone in both prices;
//! - `compound_wad` never exceeds the exact `(1 + r)^n` and is below it by a bounded rounding;
//!   compounding and accrual never lower the index;
//! - accruing every second instead of once loses at most one index unit per accrual (so nobody
//!   can meaningfully shave interest by calling `accrue` often);
//! - LP deposits and withdrawals never lower the share price, and a deposit round trip never
//!   returns more than was put in;
//! - repaying `p` never removes more than `p` of debt; borrow-then-repay never lowers `art`;
//!   the borrow limit is consistent with `ltv_bps`;
//! - a sequence of partial takes at one price never pays less than the exact value of the
//!   collateral bought (no rounding exploit by splitting), and ends with the tab raised, the lot
//!   exhausted, or a tab of at least `dust`;
//! - once an auction needs a reset it keeps needing one as time passes.

use gavel::math::{
    accrue_rate, amount_for_shares, art_from_debt_ceil, art_from_debt_floor,
    auction::{exp_price, linear_price, needs_reset, stairstep_price, take_quote, ResetInput},
    auction::{TakeInput, CUT_SCALE, MAX_CUT},
    compound_wad, debt_from_art, ltv_bps, max_debt_for, price_from_pyth, shares_for_deposit,
    value_floor, PythPair, BPS, PRICE_SCALE, RATE_SCALE, WAD,
};

#[path = "../src/math/test_rng.rs"]
mod test_rng;

use test_rng::Rng;

// ------------------------------------------------------------------ helpers

impl Rng {
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        let span = hi - lo;
        if span == u64::MAX {
            return self.next();
        }
        lo + self.next() % (span + 1)
    }

    /// A value of random bit length (small and large magnitudes alike), never 0.
    fn bits(&mut self) -> u64 {
        let b = self.next() % 64 + 1;
        (self.next() >> (64 - b)).max(1)
    }
}

/// Minimal unsigned big integer (little-endian 32-bit limbs) for exact references.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Big(Vec<u32>);

impl Big {
    fn from_u128(mut v: u128) -> Self {
        let mut limbs = Vec::new();
        while v > 0 {
            limbs.push(v as u32);
            v >>= 32;
        }
        Big(limbs)
    }

    fn trim(mut self) -> Self {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
        self
    }

    fn mul(&self, other: &Big) -> Big {
        let mut out = vec![0u64; self.0.len() + other.0.len() + 1];
        for (i, &a) in self.0.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &b) in other.0.iter().enumerate() {
                let t = out[i + j] + a as u64 * b as u64 + carry;
                out[i + j] = t & 0xffff_ffff;
                carry = t >> 32;
            }
            let mut k = i + other.0.len();
            while carry > 0 {
                let t = out[k] + carry;
                out[k] = t & 0xffff_ffff;
                carry = t >> 32;
                k += 1;
            }
        }
        Big(out.into_iter().map(|x| x as u32).collect()).trim()
    }

    fn pow(&self, n: u32) -> Big {
        let mut r = Big::from_u128(1);
        for _ in 0..n {
            r = r.mul(self);
        }
        r
    }

    /// Quotient and remainder by a non-zero u64.
    fn div_u64(&self, d: u64) -> (Big, u64) {
        let mut q = vec![0u32; self.0.len()];
        let mut rem: u128 = 0;
        for i in (0..self.0.len()).rev() {
            let cur = (rem << 32) | self.0[i] as u128;
            q[i] = (cur / d as u128) as u32;
            rem = cur % d as u128;
        }
        (Big(q).trim(), rem as u64)
    }

    fn to_u64(&self) -> Option<u64> {
        match self.0.len() {
            0 => Some(0),
            1 => Some(self.0[0] as u64),
            2 => Some(self.0[0] as u64 | (self.0[1] as u64) << 32),
            _ => None,
        }
    }

    fn cmp(&self, other: &Big) -> std::cmp::Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }
}

// ------------------------------------------------------------------ oracle price conversion

/// Exact `floor(cp × 10^e / dp)` (e ≥ 0) or `floor(cp / (dp × 10^−e))`, `None` outside 1..=u64::MAX.
fn price_reference(p: &PythPair) -> Option<u64> {
    let e = p.coll_expo as i64 - p.debt_expo as i64 - p.coll_decimals as i64
        + p.debt_decimals as i64
        + 12;
    let q = if e >= 0 {
        let n = Big::from_u128(p.coll_price as u128).mul(&Big::from_u128(10).pow(e as u32));
        n.div_u64(p.debt_price).0.to_u64()?
    } else {
        let k = (-e) as u32;
        if k > 38 {
            0
        } else {
            let den = (p.debt_price as u128).checked_mul(10u128.pow(k));
            match den {
                Some(den) => (p.coll_price as u128 / den) as u64,
                None => 0,
            }
        }
    };
    (q > 0).then_some(q)
}

fn random_pair(rng: &mut Rng) -> PythPair {
    PythPair {
        coll_price: rng.bits(),
        coll_expo: rng.range(0, 40) as i32 - 20,
        debt_price: if rng.next().is_multiple_of(4) {
            1
        } else {
            rng.bits()
        },
        debt_expo: if rng.next().is_multiple_of(4) {
            0
        } else {
            rng.range(0, 40) as i32 - 20
        },
        coll_decimals: rng.range(0, 18) as u8,
        debt_decimals: rng.range(0, 18) as u8,
    }
}

#[test]
fn price_from_pyth_is_the_exact_floor() {
    let mut rng = Rng(101);
    let (mut some, mut none) = (0, 0);
    for _ in 0..200_000 {
        let p = random_pair(&mut rng);
        let want = price_reference(&p);
        assert_eq!(price_from_pyth(&p), want, "{p:?}");
        if want.is_some() {
            some += 1;
        } else {
            none += 1;
        }
    }
    assert!(some > 20_000 && none > 20_000, "{some} {none}");
}

#[test]
fn price_from_pyth_is_monotone_in_both_prices() {
    let mut rng = Rng(102);
    for _ in 0..100_000 {
        let p = random_pair(&mut rng);
        let higher_coll = PythPair {
            coll_price: p.coll_price.saturating_add(rng.bits()),
            ..p
        };
        let higher_debt = PythPair {
            debt_price: p.debt_price.saturating_add(rng.bits()),
            ..p
        };
        let (base, up, down) = (
            price_from_pyth(&p),
            price_from_pyth(&higher_coll),
            price_from_pyth(&higher_debt),
        );
        // A higher collateral price never lowers the market price (unless it overflows: None).
        if let (Some(b), Some(u)) = (base, up) {
            assert!(u >= b, "{p:?}");
        }
        // A higher debt price never raises it.
        if let (Some(b), Some(d)) = (base, down) {
            assert!(d <= b, "{p:?}");
        }
    }
}

// ------------------------------------------------------------------ interest

#[test]
fn compound_wad_is_below_the_exact_power_by_a_bounded_rounding() {
    let mut rng = Rng(103);
    for i in 0..3_000 {
        let r = match i % 3 {
            0 => rng.range(0, 75_000_000_000),
            1 => rng.range(0, 10_000_000_000),
            _ => rng.range(0, 100_000),
        };
        let n = rng.range(0, 160) as u32;
        let Some(got) = compound_wad(r, n as u64) else {
            continue;
        };
        assert!(got >= WAD, "compounding lowered the factor: r={r} n={n}");
        // got ≤ (WAD + r)^n / WAD^(n−1) < got + slack, compared exactly as integers.
        let exact_num = Big::from_u128((WAD + r) as u128).pow(n);
        let den = Big::from_u128(WAD as u128).pow(n.saturating_sub(1));
        let lhs = Big::from_u128(got as u128).mul(&den);
        let lhs = if n == 0 {
            Big::from_u128(got as u128)
        } else {
            lhs
        };
        let exact_num = if n == 0 {
            Big::from_u128(WAD as u128)
        } else {
            exact_num
        };
        assert!(
            lhs.cmp(&exact_num) != std::cmp::Ordering::Greater,
            "compound_wad above the exact power: r={r} n={n} got={got}"
        );
        // A unit lost by flooring a squared base is raised with the rest of the exponent, so the
        // total loss is about n units at most (as for `rpow_floor`); n + 64 bounds it for n ≤ 160
        // and factors below 2.
        let upper = Big::from_u128(got as u128 + n as u128 + 64).mul(&den);
        if n > 0 {
            assert!(
                exact_num.cmp(&upper) == std::cmp::Ordering::Less,
                "compound_wad loses too much: r={r} n={n} got={got}"
            );
        }
    }
}

#[test]
fn accrual_never_lowers_the_index_and_is_monotone_in_time() {
    let mut rng = Rng(104);
    for i in 0..20_000 {
        let rate = RATE_SCALE + rng.range(0, RATE_SCALE * 10);
        let r = if i % 2 == 0 {
            rng.range(0, 75_000_000_000)
        } else {
            rng.range(0, 2_000_000_000)
        };
        let secs = rng.range(0, 3 * 31_536_000);
        let (Some(a), Some(b)) = (
            accrue_rate(rate, r, secs),
            accrue_rate(rate, r, secs + rng.range(1, 1_000)),
        ) else {
            continue;
        };
        assert!(a >= rate, "accrual lowered the index");
        // A longer time never gives a smaller index (within one accrual), up to one unit of the
        // floored products (right-to-left exponentiation takes different rounding paths).
        assert!(
            b + 1 >= a,
            "index fell with time: rate={rate} r={r} secs={secs}: {a} > {b}"
        );
    }
}

#[test]
fn accruing_every_second_loses_at_most_one_index_unit_per_accrual() {
    let mut rng = Rng(105);
    for _ in 0..300 {
        let start = RATE_SCALE + rng.range(0, RATE_SCALE);
        let r = rng.range(1, 75_000_000_000);
        let n = rng.range(1, 600);
        let once = accrue_rate(start, r, n).unwrap();
        let mut often = start;
        for _ in 0..n {
            often = accrue_rate(often, r, 1).unwrap();
        }
        // The frequent caller shaves at most n units (each second's product is floored), and
        // cannot make the index grow faster than one accrual over the whole span (+ rounding).
        assert!(often + n + 2 >= once, "r={r} n={n}: {often} vs {once}");
        assert!(often <= once + n, "r={r} n={n}: {often} vs {once}");
    }
}

// ------------------------------------------------------------------ LP shares

#[test]
fn lp_deposits_and_withdrawals_never_lower_the_share_price() {
    let mut rng = Rng(106);
    let (mut deposits, mut withdrawals) = (0, 0);
    for _ in 0..300_000 {
        let liquidity = rng.bits();
        let shares = rng.bits();
        let amount = rng.bits();
        // Deposit: (L + a) / (S + s) ≥ L / S  ⇔  (L + a)·S ≥ L·(S + s).
        if let Some(s) = shares_for_deposit(amount, liquidity, shares) {
            if s > 0 && liquidity.checked_add(amount).is_some() && shares.checked_add(s).is_some() {
                deposits += 1;
                let after = (liquidity as u128 + amount as u128) * shares as u128;
                let before = liquidity as u128 * (shares as u128 + s as u128);
                assert!(
                    after >= before,
                    "deposit diluted: L={liquidity} S={shares} a={amount}"
                );
                // Round trip: burning the new shares right away returns at most the deposit.
                let back =
                    amount_for_shares(s, liquidity + amount, shares + s).expect("redeemable");
                assert!(
                    back <= amount,
                    "round trip profit: L={liquidity} S={shares} a={amount}"
                );
            }
        }
        // Withdraw: (L − w) / (S − b) ≥ L / S  ⇔  (L − w)·S ≥ L·(S − b).
        let burn = rng.range(1, shares);
        if let Some(w) = amount_for_shares(burn, liquidity, shares) {
            withdrawals += 1;
            assert!(w <= liquidity);
            if burn < shares {
                let after = (liquidity - w) as u128 * shares as u128;
                let before = liquidity as u128 * (shares - burn) as u128;
                assert!(
                    after >= before,
                    "withdrawal diluted: L={liquidity} S={shares} b={burn}"
                );
            }
        }
    }
    assert!(
        deposits > 10_000 && withdrawals > 100_000,
        "{deposits} {withdrawals}"
    );
}

// ------------------------------------------------------------------ debt and LTV

#[test]
fn repaying_never_removes_more_debt_than_paid_and_borrowing_back_never_lowers_art() {
    let mut rng = Rng(107);
    for _ in 0..200_000 {
        let rate = RATE_SCALE + rng.range(0, RATE_SCALE * 100);
        let art = rng.range(0, 1 << 50);
        let Some(debt) = debt_from_art(art, rate) else {
            continue;
        };
        // Partial repayment of p < debt removes floor(p / rate) art.
        if debt > 1 {
            let p = rng.range(1, debt - 1);
            let removed = art_from_debt_floor(p, rate).unwrap().min(art);
            let left = debt_from_art(art - removed, rate).unwrap();
            assert!(
                debt - left <= p,
                "repay {p} removed {} of debt",
                debt - left
            );
        }
        // Borrow a, then repay a: the art never ends below where it started.
        let a = rng.range(1, 1 << 50);
        let added = art_from_debt_ceil(a, rate).unwrap();
        let removed = art_from_debt_floor(a, rate).unwrap();
        assert!(added >= removed);
        // The debt recorded for a borrow covers what was lent.
        assert!(debt_from_art(added, rate).unwrap() >= a);
    }
}

#[test]
fn the_borrow_limit_is_consistent_with_ltv() {
    let mut rng = Rng(108);
    for _ in 0..200_000 {
        let ink = rng.bits() >> 1;
        let price = rng.range(1, 1 << 50);
        let ltv = rng.range(1, BPS - 1);
        let Some(value) = value_floor(ink, price) else {
            continue;
        };
        if value == 0 {
            continue;
        }
        let max = max_debt_for(value, ltv).unwrap();
        assert!(
            ltv_bps(max, value).unwrap() <= ltv,
            "limit above its own LTV"
        );
        // One unit more is over the limit as the program computes it (debt > max).
        let over = max + 1;
        assert!(over as u128 * BPS as u128 > value as u128 * ltv as u128);
    }
}

// ------------------------------------------------------------------ auctions

#[test]
fn splitting_a_purchase_into_many_takes_never_pays_less() {
    let mut rng = Rng(109);
    let mut sequences = 0;
    for _ in 0..20_000 {
        let lot = rng.range(1, 1 << 40);
        let price = rng.range(1, 1 << 45);
        let value = (lot as u128 * price as u128 / PRICE_SCALE as u128) as u64;
        let initial_tab = rng.range(1, value.saturating_mul(2).max(2));
        let dust = rng.range(0, initial_tab / 4);
        let (mut tab, mut left) = (initial_tab, lot);
        let (mut paid, mut bought) = (0u128, 0u128);
        for _ in 0..64 {
            if tab == 0 || left == 0 {
                break;
            }
            let max_collateral = match rng.next() % 4 {
                0 => 1,
                1 => rng.range(1, left),
                2 => rng.range(1, (left / 16).max(1)),
                _ => u64::MAX,
            };
            let t = TakeInput {
                tab,
                lot: left,
                max_collateral,
                price,
                dust,
            };
            let Ok(q) = take_quote(&t) else { continue };
            tab -= q.owe;
            left -= q.collateral;
            paid += q.owe as u128;
            bought += q.collateral as u128;
            assert!(
                tab == 0 || tab >= dust || left == 0,
                "dusty tab left mid-sequence"
            );
        }
        sequences += 1;
        assert!(paid <= initial_tab as u128, "raised more than the tab");
        assert!(bought <= lot as u128);
        // No rounding exploit: the bidders together paid at least the exact value bought.
        let fair = (bought * price as u128).div_ceil(PRICE_SCALE as u128);
        assert!(paid >= fair, "split takes underpaid: paid {paid} < {fair}");
    }
    assert!(sequences > 10_000);
}

#[test]
fn once_an_auction_needs_a_reset_it_keeps_needing_one() {
    let mut rng = Rng(110);
    for _ in 0..20_000 {
        let top = rng.range(1, 1 << 60);
        let cusp_bps = rng.range(1, BPS - 1);
        let tail_secs = rng.range(1, 100_000);
        let cut = rng.range(CUT_SCALE / 2, MAX_CUT);
        let kind = rng.next() % 3;
        let tau = rng.range(1, 200_000);
        let step = rng.range(1, 600);
        let price = |t: u64| match kind {
            0 => linear_price(top, tau, t),
            1 => stairstep_price(top, step, cut, t),
            _ => exp_price(top, cut, t),
        };
        let needs = |t: u64| {
            needs_reset(&ResetInput {
                top,
                price: price(t),
                cusp_bps,
                elapsed_secs: t,
                tail_secs,
            })
        };
        let mut t = 0;
        let mut seen = false;
        for _ in 0..40 {
            t += rng.range(0, tail_secs / 8 + 1);
            let n = needs(t);
            assert!(!seen || n, "reset need disappeared at t={t}");
            seen |= n;
        }
    }
}

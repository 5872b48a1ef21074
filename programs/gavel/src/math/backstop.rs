//! Backstop pool math (pure, `core` only, host-tested): share pricing of deposits, the absorb
//! rule and size, the `buy_from_backstop` quote and the pool's share of borrow interest. Prices
//! are on PRICE_SCALE.
//!
//! The TypeScript mirror is `sdk/src/backstop.ts`; both are checked against the golden vectors in
//! `tests/vectors/backstop.json`, produced by `scripts/gen-backstop-vectors.py` with Python's
//! exact integers. Rounding favours the pool's remaining holders: a depositor's shares are priced
//! against the basket valued high, a buyer pays rounded up, withdrawals pay rounded down.

use super::{mul_div_ceil, mul_div_floor, BPS, PRICE_SCALE, RATE_SCALE};

/// Collateral price a deposit is priced at: `ceil(mid × (BPS + max_conf_bps) / BPS)`, an upper
/// bound of the collateral oracle's price + confidence (the market refuses wider confidence).
/// Valuing the pool's collateral high means a new depositor gets fewer shares, never more than
/// the basket is worth, so deposits cannot dilute the holders.
#[inline(always)]
pub fn deposit_price(mid: u64, max_conf_bps: u64) -> Option<u64> {
    mul_div_ceil(mid, BPS.checked_add(max_conf_bps)?, BPS)
}

/// The basket's value at `price`, rounded up: `debt + ceil(collateral × price / PRICE_SCALE)`.
#[inline(always)]
pub fn basket_value_ceil(debt: u64, collateral: u64, price: u64) -> Option<u64> {
    debt.checked_add(mul_div_ceil(collateral, price, PRICE_SCALE)?)
}

/// Input of [`absorbable`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AbsorbCheck {
    /// Seconds since the auction's kick.
    pub since_kick_secs: u64,
    /// The backstop's `absorb_after_secs`.
    pub absorb_after_secs: u64,
    /// Collateral left in the auction.
    pub lot: u64,
    /// Tab left in the auction.
    pub tab: u64,
    /// Oracle price (PRICE_SCALE).
    pub price: u64,
    /// The backstop's `absorb_near_bps`.
    pub near_bps: u64,
}

/// Whether the backstop may absorb an auction: open at least `absorb_after_secs` since its kick,
/// or near insolvency: `floor(lot × price / PRICE_SCALE) ≤ floor(tab × (BPS + near_bps) / BPS)`.
/// A value that overflows u64 is not near insolvency.
#[inline(never)]
pub fn absorbable(c: &AbsorbCheck) -> bool {
    if c.since_kick_secs >= c.absorb_after_secs {
        return true;
    }
    match (
        mul_div_floor(c.lot, c.price, PRICE_SCALE),
        BPS.checked_add(c.near_bps)
            .and_then(|near| mul_div_floor(c.tab, near, BPS)),
    ) {
        (Some(value), Some(limit)) => value <= limit,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Most collateral the pool's `debt` tokens buy at `price`: `floor(debt × PRICE_SCALE / price)`,
/// capped by `lot`. `None` if `price == 0`.
#[inline(always)]
pub fn absorb_max_collateral(debt: u64, price: u64, lot: u64) -> Option<u64> {
    let most = mul_div_floor(debt, PRICE_SCALE, price)?;
    Some(if most < lot { most } else { lot })
}

/// `buy_from_backstop` price: `ceil(mid × (BPS − discount_bps) / BPS)`; `None` if the discount
/// exceeds 100%.
#[inline(always)]
pub fn buy_price(mid: u64, discount_bps: u64) -> Option<u64> {
    mul_div_ceil(mid, BPS.checked_sub(discount_bps)?, BPS)
}

/// What a buyer pays for `collateral` at `price`: `ceil(collateral × price / PRICE_SCALE)`.
#[inline(always)]
pub fn buy_owe(collateral: u64, price: u64) -> Option<u64> {
    mul_div_ceil(collateral, price, PRICE_SCALE)
}

/// The backstop's share of the interest that `art` normalized debt accrued while the borrow index
/// went from `rate_before` to `rate_after` (RATE_SCALE): `floor(floor(art × (rate_after −
/// rate_before) / RATE_SCALE) × share_bps / BPS)`. The interest is rounded down, so it never
/// exceeds the growth of the rounded-down debt that the LPs' pool value counts. `None` if the index
/// went down or a step overflows.
pub fn interest_share(art: u64, rate_before: u64, rate_after: u64, share_bps: u64) -> Option<u64> {
    let interest = mul_div_floor(art, rate_after.checked_sub(rate_before)?, RATE_SCALE)?;
    mul_div_floor(interest, share_bps, BPS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::{amount_for_shares, shares_for_deposit};
    use serde_json::Value;

    fn vectors() -> Value {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/vectors/backstop.json"
        ))
        .unwrap();
        serde_json::from_str(&text).unwrap()
    }

    fn n(v: &Value, k: &str) -> u64 {
        v[k].as_str().unwrap().parse().unwrap()
    }

    fn opt(v: &Value) -> Option<u64> {
        v.as_str().map(|s| s.parse().unwrap())
    }

    #[test]
    fn golden_vectors() {
        let v = vectors();
        let mut count = 0;
        for c in v["deposit_price"].as_array().unwrap() {
            assert_eq!(
                deposit_price(n(c, "mid"), n(c, "max_conf_bps")),
                opt(&c["out"])
            );
            count += 1;
        }
        for c in v["basket_value_ceil"].as_array().unwrap() {
            let out = basket_value_ceil(n(c, "debt"), n(c, "collateral"), n(c, "price"));
            assert_eq!(out, opt(&c["out"]), "{c}");
            count += 1;
        }
        for c in v["absorbable"].as_array().unwrap() {
            let check = AbsorbCheck {
                since_kick_secs: n(c, "since_kick_secs"),
                absorb_after_secs: n(c, "absorb_after_secs"),
                lot: n(c, "lot"),
                tab: n(c, "tab"),
                price: n(c, "price"),
                near_bps: n(c, "near_bps"),
            };
            assert_eq!(absorbable(&check), c["out"].as_bool().unwrap(), "{c}");
            count += 1;
        }
        for c in v["absorb_max_collateral"].as_array().unwrap() {
            let out = absorb_max_collateral(n(c, "debt"), n(c, "price"), n(c, "lot"));
            assert_eq!(out, opt(&c["out"]), "{c}");
            count += 1;
        }
        for c in v["buy_price"].as_array().unwrap() {
            assert_eq!(
                buy_price(n(c, "mid"), n(c, "discount_bps")),
                opt(&c["out"]),
                "{c}"
            );
            count += 1;
        }
        for c in v["buy_owe"].as_array().unwrap() {
            assert_eq!(
                buy_owe(n(c, "collateral"), n(c, "price")),
                opt(&c["out"]),
                "{c}"
            );
            count += 1;
        }
        for c in v["shares_for_deposit"].as_array().unwrap() {
            let out = shares_for_deposit(n(c, "amount"), n(c, "value"), n(c, "total_shares"));
            assert_eq!(out, opt(&c["out"]), "{c}");
            count += 1;
        }
        for c in v["payout"].as_array().unwrap() {
            let out = amount_for_shares(n(c, "shares"), n(c, "amount"), n(c, "total_shares"));
            assert_eq!(out, opt(&c["out"]), "{c}");
            count += 1;
        }
        for c in v["interest_share"].as_array().unwrap() {
            let out = interest_share(
                n(c, "art"),
                n(c, "rate_before"),
                n(c, "rate_after"),
                n(c, "share_bps"),
            );
            assert_eq!(out, opt(&c["out"]), "{c}");
            count += 1;
        }
        assert!(count > 100, "{count} vectors");
    }
}

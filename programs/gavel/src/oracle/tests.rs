//! Host tests of the oracle readers and guards.

use super::guards::{elapsed_secs, product_le, BPS};
use super::pull::MSG_LEN;
use super::*;
use crate::math::mul_wide;
use sha2::{Digest, Sha256};

const PYTH: [u8; 32] = [7u8; 32];
const RECEIVER: [u8; 32] = [9u8; 32];
const PRICE_ACCOUNT: [u8; 32] = [3u8; 32];
const FEED: [u8; 32] = [0xefu8; 32];

/// Fields of a test oracle account (either layout).
#[derive(Clone, Copy)]
struct Fields {
    price: i64,
    conf: u64,
    expo: i32,
    publish_time: i64,
    slot: u64,
}

const F: Fields = Fields {
    price: 15_000_000_000, // 150.00000000 USD at expo −8
    conf: 7_500_000,       // 0.075 USD = 5 bps
    expo: -8,
    publish_time: 1_700_000_000,
    slot: 250_000_000,
};

const NOW: Now = Now {
    unix_timestamp: 1_700_000_010,
    slot: 250_000_020,
};

const GUARDS: OracleGuards = OracleGuards {
    max_age_secs: 60,
    max_age_slots: 150,
    max_conf_bps: 100,
};

fn put(buf: &mut [u8], at: usize, bytes: &[u8]) {
    buf[at..at + bytes.len()].copy_from_slice(bytes);
}

/// A 3312-byte legacy price account, written field by field at pyth-client's offsets.
fn legacy(f: Fields, status: u32) -> Vec<u8> {
    let mut b = vec![0u8; PYTH_LEGACY_ACCOUNT_SIZE];
    put(&mut b, 0, &PYTH_LEGACY_MAGIC.to_le_bytes());
    put(&mut b, 4, &2u32.to_le_bytes());
    put(&mut b, 8, &3u32.to_le_bytes());
    put(&mut b, 12, &(PYTH_LEGACY_ACCOUNT_SIZE as u32).to_le_bytes());
    put(&mut b, 16, &1u32.to_le_bytes()); // price type: price
    put(&mut b, 20, &f.expo.to_le_bytes());
    put(&mut b, 32, &f.slot.to_le_bytes()); // last_slot
    put(&mut b, 40, &f.slot.to_le_bytes()); // valid_slot
    put(&mut b, 96, &f.publish_time.to_le_bytes()); // timestamp
    put(&mut b, 176, &f.slot.wrapping_sub(1).to_le_bytes()); // prev_slot
    put(&mut b, 184, &f.price.wrapping_sub(1).to_le_bytes()); // prev_price: decoy
    put(&mut b, 192, &f.conf.wrapping_add(1).to_le_bytes()); // prev_conf: decoy
    put(&mut b, 200, &f.publish_time.wrapping_sub(400).to_le_bytes()); // prev_timestamp: decoy
    put(&mut b, 208, &f.price.to_le_bytes());
    put(&mut b, 216, &f.conf.to_le_bytes());
    put(&mut b, 224, &status.to_le_bytes());
    put(&mut b, 232, &f.slot.to_le_bytes());
    b
}

/// A `PriceUpdateV2` account (134 bytes, the receiver's allocation); `partial` = `Some(n)`
/// writes `Partial { num_signatures: n }`.
fn pull(f: Fields, feed: [u8; 32], partial: Option<u8>) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&PRICE_UPDATE_V2_DISCRIMINATOR);
    b.extend_from_slice(&[0x55u8; 32]); // write_authority
    match partial {
        Some(n) => b.extend_from_slice(&[0, n]),
        None => b.push(1),
    }
    b.extend_from_slice(&feed);
    b.extend_from_slice(&f.price.to_le_bytes());
    b.extend_from_slice(&f.conf.to_le_bytes());
    b.extend_from_slice(&f.expo.to_le_bytes());
    b.extend_from_slice(&f.publish_time.to_le_bytes());
    b.extend_from_slice(&f.publish_time.wrapping_sub(1).to_le_bytes()); // prev_publish_time
    b.extend_from_slice(&f.price.wrapping_add(1).to_le_bytes()); // ema_price
    b.extend_from_slice(&f.conf.wrapping_add(1).to_le_bytes()); // ema_conf
    b.extend_from_slice(&f.slot.to_le_bytes()); // posted_slot
    b.resize(PRICE_UPDATE_V2_LEN, 0);
    b
}

fn expected(f: Fields) -> OraclePrice {
    OraclePrice {
        price: f.price as u64,
        conf: f.conf,
        expo: f.expo,
        publish_time: f.publish_time,
        publish_slot: f.slot,
    }
}

fn legacy_spec() -> OracleSpec<'static> {
    OracleSpec {
        kind: OracleKind::PythLegacy,
        oracle_program: &PYTH,
        expected: &PRICE_ACCOUNT,
        guards: GUARDS,
    }
}

fn pull_spec() -> OracleSpec<'static> {
    OracleSpec {
        kind: OracleKind::PythPull,
        oracle_program: &RECEIVER,
        expected: &FEED,
        guards: GUARDS,
    }
}

/// [`validate`] as `load_price` calls it, returning the price.
fn run(
    owner: &[u8; 32],
    key: &[u8; 32],
    data: &[u8],
    spec: &OracleSpec,
    now: &Now,
) -> Result<OraclePrice, GavelError> {
    let mut out = OraclePrice::default();
    validate(&OracleAccount { owner, key, data }, spec, now, &mut out)?;
    Ok(out)
}

fn price_with(price: u64, conf: u64) -> OraclePrice {
    OraclePrice {
        price,
        conf,
        ..expected(F)
    }
}

// ---- kinds and constants ----

#[test]
fn oracle_kind_round_trips() {
    assert_eq!(OracleKind::from_u8(0), Some(OracleKind::PythLegacy));
    assert_eq!(OracleKind::from_u8(1), Some(OracleKind::PythPull));
    assert_eq!(OracleKind::from_u8(2), None);
    assert_eq!(OracleKind::from_u8(255), None);
    assert_eq!(OracleKind::PythLegacy as u8, 0);
    assert_eq!(OracleKind::PythPull as u8, 1);
}

#[test]
fn price_update_v2_discriminator() {
    let h = Sha256::digest(b"account:PriceUpdateV2");
    assert_eq!(PRICE_UPDATE_V2_DISCRIMINATOR, h[..8]);
    // As published in pyth-solana-receiver's IDL.
    assert_eq!(
        PRICE_UPDATE_V2_DISCRIMINATOR,
        [34, 241, 35, 99, 157, 126, 244, 205]
    );
}

#[test]
fn layout_sizes() {
    assert_eq!(PYTH_LEGACY_ACCOUNT_SIZE, 240 + 32 * 96);
    assert_eq!(PRICE_UPDATE_V2_LEN, 8 + 32 + 2 + MSG_LEN + 8);
    assert_eq!(pull(F, FEED, None).len(), PRICE_UPDATE_V2_LEN);
}

// ---- legacy ----

#[test]
fn legacy_reads_aggregate_and_current_timestamp() {
    assert_eq!(read_pyth_legacy(&legacy(F, 1)), Ok(expected(F)));
    // The header and aggregate alone (240 bytes) are enough.
    assert_eq!(read_pyth_legacy(&legacy(F, 1)[..240]), Ok(expected(F)));
}

#[test]
fn legacy_refuses_bad_header() {
    let good = legacy(F, 1);
    for (at, value) in [(0usize, 0xa1b2_c3d5u32), (4, 1), (4, 3), (8, 2), (8, 1)] {
        let mut b = good.clone();
        put(&mut b, at, &value.to_le_bytes());
        assert_eq!(
            read_pyth_legacy(&b),
            Err(GavelError::OracleAccountInvalid),
            "field at {at} = {value}"
        );
    }
    assert_eq!(
        read_pyth_legacy(&good[..239]),
        Err(GavelError::OracleAccountInvalid)
    );
    assert_eq!(read_pyth_legacy(&[]), Err(GavelError::OracleAccountInvalid));
    // A PriceUpdateV2 is not a legacy account.
    assert_eq!(
        read_pyth_legacy(&pull(F, FEED, None)),
        Err(GavelError::OracleAccountInvalid)
    );
}

#[test]
fn legacy_refuses_every_status_but_trading() {
    for status in [0u32, 2, 3, 4, 5, u32::MAX] {
        assert_eq!(
            read_pyth_legacy(&legacy(F, status)),
            Err(GavelError::OracleNotTrading),
            "status {status}"
        );
    }
}

#[test]
fn legacy_refuses_zero_and_negative_price() {
    for price in [0i64, -1, -15_000_000_000, i64::MIN] {
        let f = Fields { price, ..F };
        assert_eq!(
            read_pyth_legacy(&legacy(f, 1)),
            Err(GavelError::OraclePriceInvalid),
            "price {price}"
        );
    }
}

#[test]
fn legacy_reads_extreme_values() {
    let f = Fields {
        price: i64::MAX,
        conf: u64::MAX,
        expo: i32::MIN,
        publish_time: i64::MIN + 500,
        slot: u64::MAX,
    };
    assert_eq!(read_pyth_legacy(&legacy(f, 1)), Ok(expected(f)));
}

// ---- pull ----

#[test]
fn pull_reads_full_update() {
    let (p, feed) = read_pyth_pull(&pull(F, FEED, None)).unwrap();
    assert_eq!(p, expected(F));
    assert_eq!(feed, FEED);
    // Without the trailing padding byte a Full update is still complete.
    let short = &pull(F, FEED, None)[..PRICE_UPDATE_V2_LEN - 1];
    assert_eq!(read_pyth_pull(short), Ok((expected(F), FEED)));
}

#[test]
fn pull_refuses_partial_verification() {
    for n in [0u8, 1, 5, 255] {
        assert_eq!(
            read_pyth_pull(&pull(F, FEED, Some(n))),
            Err(GavelError::OracleVerificationInsufficient)
        );
    }
}

#[test]
fn pull_refuses_bad_layout() {
    let good = pull(F, FEED, None);
    let mut b = good.clone();
    b[0] ^= 1;
    assert_eq!(read_pyth_pull(&b), Err(GavelError::OracleAccountInvalid));
    let mut b = good.clone();
    b[40] = 2; // unknown verification tag
    assert_eq!(read_pyth_pull(&b), Err(GavelError::OracleAccountInvalid));
    assert_eq!(
        read_pyth_pull(&good[..PRICE_UPDATE_V2_LEN - 2]),
        Err(GavelError::OracleAccountInvalid)
    );
    assert_eq!(
        read_pyth_pull(&good[..7]),
        Err(GavelError::OracleAccountInvalid)
    );
    assert_eq!(
        read_pyth_pull(&legacy(F, 1)),
        Err(GavelError::OracleAccountInvalid)
    );
}

#[test]
fn pull_refuses_zero_and_negative_price() {
    for price in [0i64, -1, i64::MIN] {
        let f = Fields { price, ..F };
        assert_eq!(
            read_pyth_pull(&pull(f, FEED, None)),
            Err(GavelError::OraclePriceInvalid),
            "price {price}"
        );
    }
}

#[test]
fn pull_reads_extreme_values() {
    let f = Fields {
        price: i64::MAX,
        conf: u64::MAX,
        expo: i32::MAX,
        publish_time: i64::MAX,
        slot: u64::MAX - 1,
    };
    assert_eq!(
        read_pyth_pull(&pull(f, FEED, None)),
        Ok((expected(f), FEED))
    );
}

// ---- validate (load_price without AccountInfo) ----

#[test]
fn validate_accepts_good_accounts() {
    let spec = legacy_spec();
    assert_eq!(
        run(&PYTH, &PRICE_ACCOUNT, &legacy(F, 1), &spec, &NOW),
        Ok(expected(F))
    );
    let spec = pull_spec();
    // A pull update may live at any address: only the feed id matters.
    assert_eq!(
        run(&RECEIVER, &[1u8; 32], &pull(F, FEED, None), &spec, &NOW),
        Ok(expected(F))
    );
}

#[test]
fn validate_refuses_wrong_owner() {
    assert_eq!(
        run(
            &RECEIVER,
            &PRICE_ACCOUNT,
            &legacy(F, 1),
            &legacy_spec(),
            &NOW
        ),
        Err(GavelError::OracleOwnerInvalid)
    );
    assert_eq!(
        run(&PYTH, &[1u8; 32], &pull(F, FEED, None), &pull_spec(), &NOW),
        Err(GavelError::OracleOwnerInvalid)
    );
}

#[test]
fn validate_refuses_wrong_legacy_address() {
    assert_eq!(
        run(&PYTH, &[4u8; 32], &legacy(F, 1), &legacy_spec(), &NOW),
        Err(GavelError::OracleAccountInvalid)
    );
}

#[test]
fn validate_refuses_feed_id_mismatch() {
    let mut other = FEED;
    other[31] ^= 1;
    assert_eq!(
        run(
            &RECEIVER,
            &[1u8; 32],
            &pull(F, other, None),
            &pull_spec(),
            &NOW
        ),
        Err(GavelError::OracleAccountInvalid)
    );
    // The identity check comes before the semantic ones.
    let bad = Fields { price: -5, ..F };
    assert_eq!(
        run(
            &RECEIVER,
            &[1u8; 32],
            &pull(bad, other, Some(1)),
            &pull_spec(),
            &NOW
        ),
        Err(GavelError::OracleAccountInvalid)
    );
}

#[test]
fn validate_refuses_layout_of_the_other_kind() {
    // A legacy account at the expected address but declared as pull, and vice versa.
    assert_eq!(
        run(&RECEIVER, &FEED, &legacy(F, 1), &pull_spec(), &NOW),
        Err(GavelError::OracleAccountInvalid)
    );
    assert_eq!(
        run(
            &PYTH,
            &PRICE_ACCOUNT,
            &pull(F, FEED, None),
            &legacy_spec(),
            &NOW
        ),
        Err(GavelError::OracleAccountInvalid)
    );
}

#[test]
fn validate_applies_guards() {
    let late = Now {
        unix_timestamp: F.publish_time + 61,
        slot: NOW.slot,
    };
    assert_eq!(
        run(&PYTH, &PRICE_ACCOUNT, &legacy(F, 1), &legacy_spec(), &late),
        Err(GavelError::OracleStale)
    );
    assert_eq!(
        run(&RECEIVER, &FEED, &pull(F, FEED, None), &pull_spec(), &late),
        Err(GavelError::OracleStale)
    );
}

// ---- guards ----

#[test]
fn stale_by_seconds() {
    let p = expected(F);
    let at = |secs: i64| Now {
        unix_timestamp: F.publish_time + secs,
        slot: F.slot,
    };
    assert_eq!(check_guards(&p, &GUARDS, &at(0)), Ok(()));
    assert_eq!(check_guards(&p, &GUARDS, &at(60)), Ok(()));
    assert_eq!(
        check_guards(&p, &GUARDS, &at(61)),
        Err(GavelError::OracleStale)
    );
    let zero = OracleGuards {
        max_age_secs: 0,
        ..GUARDS
    };
    assert_eq!(check_guards(&p, &zero, &at(0)), Ok(()));
    assert_eq!(
        check_guards(&p, &zero, &at(1)),
        Err(GavelError::OracleStale)
    );
}

#[test]
fn stale_by_slots() {
    let p = expected(F);
    let at = |slots: u64| Now {
        unix_timestamp: F.publish_time,
        slot: F.slot + slots,
    };
    assert_eq!(check_guards(&p, &GUARDS, &at(150)), Ok(()));
    assert_eq!(
        check_guards(&p, &GUARDS, &at(151)),
        Err(GavelError::OracleStale)
    );
    // 0 = unchecked.
    let unchecked = OracleGuards {
        max_age_slots: 0,
        ..GUARDS
    };
    assert_eq!(check_guards(&p, &unchecked, &at(1_000_000)), Ok(()));
    let far = Now {
        unix_timestamp: F.publish_time,
        slot: u64::MAX,
    };
    assert_eq!(check_guards(&p, &unchecked, &far), Ok(()));
    assert_eq!(
        check_guards(&p, &GUARDS, &far),
        Err(GavelError::OracleStale)
    );
}

#[test]
fn future_publish_time_and_slot_count_as_fresh() {
    let p = expected(F);
    let before = Now {
        unix_timestamp: F.publish_time - 30,
        slot: F.slot - 10,
    };
    assert_eq!(check_guards(&p, &GUARDS, &before), Ok(()));
    let far_future = OraclePrice {
        publish_time: i64::MAX,
        publish_slot: u64::MAX,
        ..p
    };
    assert_eq!(check_guards(&far_future, &GUARDS, &NOW), Ok(()));
    let zero = OracleGuards {
        max_age_secs: 0,
        ..GUARDS
    };
    assert_eq!(check_guards(&far_future, &zero, &NOW), Ok(()));
}

#[test]
fn extreme_ages_do_not_overflow() {
    let ancient = OraclePrice {
        publish_time: i64::MIN,
        publish_slot: 0,
        ..expected(F)
    };
    let end = Now {
        unix_timestamp: i64::MAX,
        slot: u64::MAX,
    };
    assert_eq!(elapsed_secs(i64::MAX, i64::MIN), u64::MAX);
    assert_eq!(elapsed_secs(i64::MIN, i64::MAX), 0);
    assert_eq!(elapsed_secs(-5, -10), 5);
    assert_eq!(elapsed_secs(5, -10), 15);
    assert_eq!(
        check_guards(&ancient, &GUARDS, &end),
        Err(GavelError::OracleStale)
    );
    let lax = OracleGuards {
        max_age_secs: u64::MAX,
        max_age_slots: u64::MAX,
        max_conf_bps: 100,
    };
    assert_eq!(check_guards(&ancient, &lax, &end), Ok(()));
}

#[test]
fn confidence_exactly_at_the_limit_passes_one_more_fails() {
    // price 150.00000000, 100 bps = 1.50000000 exactly.
    let limit = 150_000_000;
    assert_eq!(
        check_guards(&price_with(15_000_000_000, limit), &GUARDS, &NOW),
        Ok(())
    );
    assert_eq!(
        check_guards(&price_with(15_000_000_000, limit + 1), &GUARDS, &NOW),
        Err(GavelError::OracleConfidenceTooWide)
    );
    // Non-divisible: price 333, 100 bps → limit 3.33: conf 3 passes, 4 fails (no rounding up).
    assert_eq!(check_guards(&price_with(333, 3), &GUARDS, &NOW), Ok(()));
    assert_eq!(
        check_guards(&price_with(333, 4), &GUARDS, &NOW),
        Err(GavelError::OracleConfidenceTooWide)
    );
    // Price 1, 1 bps: only conf 0 fits.
    let tight = OracleGuards {
        max_conf_bps: 1,
        ..GUARDS
    };
    assert_eq!(check_guards(&price_with(1, 0), &tight, &NOW), Ok(()));
    assert_eq!(
        check_guards(&price_with(1, 1), &tight, &NOW),
        Err(GavelError::OracleConfidenceTooWide)
    );
    // max_conf_bps 0: only a zero confidence passes.
    let none = OracleGuards {
        max_conf_bps: 0,
        ..GUARDS
    };
    assert_eq!(check_guards(&price_with(1, 0), &none, &NOW), Ok(()));
    assert_eq!(
        check_guards(&price_with(u64::MAX, 1), &none, &NOW),
        Err(GavelError::OracleConfidenceTooWide)
    );
}

#[test]
fn confidence_with_huge_values_does_not_overflow() {
    let max_price = i64::MAX as u64;
    // conf = u64::MAX at 100 bps of i64::MAX: far too wide.
    assert_eq!(
        check_guards(&price_with(max_price, u64::MAX), &GUARDS, &NOW),
        Err(GavelError::OracleConfidenceTooWide)
    );
    // 1 % of i64::MAX, rounded down, passes; one more fails.
    let limit = max_price / 100;
    assert_eq!(
        check_guards(&price_with(max_price, limit), &GUARDS, &NOW),
        Ok(())
    );
    assert_eq!(
        check_guards(&price_with(max_price, limit + 1), &GUARDS, &NOW),
        Err(GavelError::OracleConfidenceTooWide)
    );
    // max_conf_bps = u64::MAX: conf = u64::MAX passes at price 10_000, not at 9_999.
    let lax = OracleGuards {
        max_conf_bps: u64::MAX,
        ..GUARDS
    };
    assert_eq!(
        check_guards(&price_with(10_000, u64::MAX), &lax, &NOW),
        Ok(())
    );
    assert_eq!(
        check_guards(&price_with(9_999, u64::MAX), &lax, &NOW),
        Err(GavelError::OracleConfidenceTooWide)
    );
    // 200 % (20_000 bps) of u64::MAX-sized products compare exactly.
    let double = OracleGuards {
        max_conf_bps: 20_000,
        ..GUARDS
    };
    assert_eq!(
        check_guards(&price_with(u64::MAX / 2, u64::MAX - 1), &double, &NOW),
        Ok(())
    );
    assert_eq!(
        check_guards(&price_with(u64::MAX / 2, u64::MAX), &double, &NOW),
        Err(GavelError::OracleConfidenceTooWide)
    );
}

#[test]
fn zero_price_is_refused_by_the_guards() {
    assert_eq!(
        check_guards(&price_with(0, 0), &GUARDS, &NOW),
        Err(GavelError::OraclePriceInvalid)
    );
}

#[test]
fn mul_wide_matches_u128() {
    let edge = [
        0u64,
        1,
        2,
        BPS,
        0xffff_ffff,
        0x1_0000_0000,
        0x1_0000_0001,
        i64::MAX as u64,
        u64::MAX - 1,
        u64::MAX,
    ];
    let mut values = edge.to_vec();
    // xorshift64 for pseudo-random coverage.
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..2_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        values.push(x >> (x % 64));
    }
    for (i, &a) in values.iter().enumerate() {
        for &b in values.iter().skip(i).take(40).chain(edge.iter()) {
            let r = (a as u128) * (b as u128);
            assert_eq!(mul_wide(a, b), ((r >> 64) as u64, r as u64), "{a} × {b}");
            let c = b.wrapping_add(1);
            assert_eq!(
                product_le(a, b, c, a),
                r <= (c as u128) * (a as u128),
                "{a} × {b} ≤ {c} × {a}"
            );
        }
    }
}

//! Pyth oracle readers and guards.
//!
//! A market prices its collateral (and optionally its debt token) with Pyth, in one of two account
//! layouts ([`OracleKind`]):
//!
//! * **Legacy** Pyth v2 price accounts owned by the Pyth oracle program, identified by their
//!   address; the layout is the one `@pythnetwork/client`'s `parsePriceData` reads.
//! * **Pull** `PriceUpdateV2` accounts posted by the Pyth receiver program, identified by the feed
//!   id inside (anyone may post an update for a feed into an account of their choosing).
//!
//! [`load_price`] checks the account's owner and identity, parses it and applies the market's
//! freshness and confidence limits ([`check_guards`]). Every check lives in plain functions over
//! bytes so the host tests exercise them without an `AccountInfo`.
//!
//! All reads copy bytes into arrays and use `from_le_bytes` (account data has no alignment); the
//! only wide arithmetic is a 64×64→128-bit product built from 32-bit halves (`mul_wide`), so the
//! BPF build needs no 128-bit multiply or division. The TypeScript writers and readers of both
//! layouts are in `sdk/src/oracle.ts`.

use pinocchio::account_info::AccountInfo;

use crate::{error::GavelError, math::mul_wide, state::discriminator};

/// Basis points in 100 %.
const BPS: u64 = 10_000;

/// Which Pyth account layout a market's oracle uses (stored as `u8` in the Market account).
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OracleKind {
    /// Legacy Pyth v2 price account, identified by its address.
    PythLegacy = 0,
    /// Pyth pull-oracle `PriceUpdateV2` account, identified by the feed id inside.
    PythPull = 1,
}

impl OracleKind {
    /// Decodes the stored byte; `None` for unknown kinds.
    pub fn from_u8(v: u8) -> Option<Self> {
        match v {
            0 => Some(Self::PythLegacy),
            1 => Some(Self::PythPull),
            _ => None,
        }
    }
}

/// A price as Pyth reports it: value = `price × 10^expo` (USD per whole token),
/// ± `conf × 10^expo`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OraclePrice {
    /// Price mantissa, always > 0 when returned by the readers.
    pub price: u64,
    /// Confidence interval (one side), same exponent as `price`.
    pub conf: u64,
    /// Decimal exponent of `price` and `conf`.
    pub expo: i32,
    /// Unix time at which the price was published.
    pub publish_time: i64,
    /// Slot of the price: the aggregate's `pub_slot` (legacy) or the update's `posted_slot` (pull).
    pub publish_slot: u64,
}

/// Freshness and confidence limits (from the market's parameters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OracleGuards {
    /// Largest accepted `now − publish_time`, in seconds.
    pub max_age_secs: u64,
    /// Largest accepted `now.slot − publish_slot`; 0 = unchecked.
    pub max_age_slots: u64,
    /// Largest accepted `conf / price`, in basis points.
    pub max_conf_bps: u64,
}

/// Where "now" is (from the Clock sysvar).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Now {
    /// Current Unix time.
    pub unix_timestamp: i64,
    /// Current slot.
    pub slot: u64,
}

/// How a market's oracle account must look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OracleSpec<'a> {
    /// Account layout.
    pub kind: OracleKind,
    /// Program that must own the account (Pyth oracle or Pyth receiver).
    pub oracle_program: &'a [u8; 32],
    /// Legacy: the price account's address; pull: the feed id.
    pub expected: &'a [u8; 32],
    /// Freshness and confidence limits.
    pub guards: OracleGuards,
}

// ---------------------------------------------------------------------------------------------
// Legacy Pyth v2 price account (pyth-client `pc_price_t`, `@pythnetwork/client` parsePriceData).
// ---------------------------------------------------------------------------------------------

/// Magic number at offset 0 of every Pyth v2 account.
pub const PYTH_LEGACY_MAGIC: u32 = 0xa1b2_c3d4;
/// Account layout version at offset 4.
pub const PYTH_LEGACY_VERSION: u32 = 2;
/// Account type at offset 8 of a price account.
pub const PYTH_LEGACY_TYPE_PRICE: u32 = 3;
/// Aggregate status meaning "Trading".
pub const PYTH_LEGACY_STATUS_TRADING: u32 = 1;
/// Size of a Solana-mainnet price account (header 240 + 32 components × 96).
pub const PYTH_LEGACY_ACCOUNT_SIZE: usize = 3312;

/// `magic: u32`.
const LEGACY_OFF_MAGIC: usize = 0;
/// `ver: u32`.
const LEGACY_OFF_VERSION: usize = 4;
/// `atype: u32`.
const LEGACY_OFF_TYPE: usize = 8;
/// `expo: i32` (after `size: u32` at 12 and `ptype: u32` at 16).
const LEGACY_OFF_EXPO: usize = 20;
/// `timestamp: i64`, the publish time of the current aggregate (`prev_timestamp` at 200 is the
/// previous one's).
const LEGACY_OFF_TIMESTAMP: usize = 96;
/// `agg.price: i64` (aggregate price info, 32 bytes at 208).
const LEGACY_OFF_AGG_PRICE: usize = 208;
/// `agg.conf: u64`.
const LEGACY_OFF_AGG_CONF: usize = 216;
/// `agg.status: u32` (then `agg.corp_act: u32` at 228).
const LEGACY_OFF_AGG_STATUS: usize = 224;
/// `agg.pub_slot: u64`.
const LEGACY_OFF_AGG_PUB_SLOT: usize = 232;
/// Bytes needed to read the header and the aggregate.
const LEGACY_MIN_LEN: usize = 240;

// ---------------------------------------------------------------------------------------------
// Pull oracle `PriceUpdateV2` (pyth-solana-receiver, Anchor account, Borsh).
// ---------------------------------------------------------------------------------------------

/// `sha256("account:PriceUpdateV2")[..8]`.
pub const PRICE_UPDATE_V2_DISCRIMINATOR: [u8; 8] = discriminator::account("PriceUpdateV2");
/// Size the receiver allocates (with the 2-byte `Partial` verification level).
pub const PRICE_UPDATE_V2_LEN: usize = 134;

/// `verification_level` tag, after discriminator (8) and `write_authority` (32).
const PULL_OFF_VERIFICATION: usize = 40;
/// Borsh tag of `VerificationLevel::Partial { num_signatures: u8 }`.
const PULL_TAG_PARTIAL: u8 = 0;
/// Borsh tag of `VerificationLevel::Full`.
const PULL_TAG_FULL: u8 = 1;
/// Offsets inside `price_message`.
const MSG_OFF_PRICE: usize = 32;
const MSG_OFF_CONF: usize = 40;
const MSG_OFF_EXPO: usize = 48;
const MSG_OFF_PUBLISH_TIME: usize = 52;
/// `posted_slot: u64` follows the 84-byte message.
const MSG_LEN: usize = 84;

// ---------------------------------------------------------------------------------------------
// Byte readers.
//
// Codegen rule (as in `crate::math`): upstream LLVM's BPF backend refuses functions that return an
// aggregate, in registers (`Result<u64, _>`, tuples) or through an `sret` pointer (`Result<struct,
// _>`). So every helper that returns one is `#[inline(always)]`, and the out-of-line functions
// return `Result<(), GavelError>` (a single `u32`) and write their output through `&mut`.
// ---------------------------------------------------------------------------------------------

#[inline(always)]
fn bytes_at<const N: usize>(data: &[u8], at: usize) -> Result<[u8; N], GavelError> {
    let src = data
        .get(at..at.checked_add(N).ok_or(GavelError::OracleAccountInvalid)?)
        .ok_or(GavelError::OracleAccountInvalid)?;
    let mut out = [0u8; N];
    out.copy_from_slice(src);
    Ok(out)
}

#[inline(always)]
fn u32_at(data: &[u8], at: usize) -> Result<u32, GavelError> {
    Ok(u32::from_le_bytes(bytes_at(data, at)?))
}

#[inline(always)]
fn i32_at(data: &[u8], at: usize) -> Result<i32, GavelError> {
    Ok(i32::from_le_bytes(bytes_at(data, at)?))
}

#[inline(always)]
fn u64_at(data: &[u8], at: usize) -> Result<u64, GavelError> {
    Ok(u64::from_le_bytes(bytes_at(data, at)?))
}

#[inline(always)]
fn i64_at(data: &[u8], at: usize) -> Result<i64, GavelError> {
    Ok(i64::from_le_bytes(bytes_at(data, at)?))
}

/// Converts a reported price mantissa: must be > 0.
#[inline(always)]
fn positive(price: i64) -> Result<u64, GavelError> {
    if price <= 0 {
        return Err(GavelError::OraclePriceInvalid);
    }
    Ok(price as u64)
}

// ---------------------------------------------------------------------------------------------
// Parsers.
// ---------------------------------------------------------------------------------------------

/// Parses a legacy Pyth v2 price account.
///
/// Refuses (in this order) data shorter than the 240-byte header + aggregate, a wrong magic,
/// version or account type (`OracleAccountInvalid`), an aggregate status other than Trading
/// (`OracleNotTrading`) and an aggregate price ≤ 0 (`OraclePriceInvalid`). Returns the aggregate
/// price, confidence and exponent; `publish_time` is the account's `timestamp` (publish time of the
/// current aggregate, not `prev_timestamp`), `publish_slot` the aggregate's `pub_slot`.
#[inline(always)]
pub fn read_pyth_legacy(data: &[u8]) -> Result<OraclePrice, GavelError> {
    let mut out = OraclePrice::default();
    legacy_into(data, &mut out)?;
    Ok(out)
}

/// [`read_pyth_legacy`], writing into `out`.
fn legacy_into(data: &[u8], out: &mut OraclePrice) -> Result<(), GavelError> {
    if data.len() < LEGACY_MIN_LEN
        || u32_at(data, LEGACY_OFF_MAGIC)? != PYTH_LEGACY_MAGIC
        || u32_at(data, LEGACY_OFF_VERSION)? != PYTH_LEGACY_VERSION
        || u32_at(data, LEGACY_OFF_TYPE)? != PYTH_LEGACY_TYPE_PRICE
    {
        return Err(GavelError::OracleAccountInvalid);
    }
    if u32_at(data, LEGACY_OFF_AGG_STATUS)? != PYTH_LEGACY_STATUS_TRADING {
        return Err(GavelError::OracleNotTrading);
    }
    *out = OraclePrice {
        price: positive(i64_at(data, LEGACY_OFF_AGG_PRICE)?)?,
        conf: u64_at(data, LEGACY_OFF_AGG_CONF)?,
        expo: i32_at(data, LEGACY_OFF_EXPO)?,
        publish_time: i64_at(data, LEGACY_OFF_TIMESTAMP)?,
        publish_slot: u64_at(data, LEGACY_OFF_AGG_PUB_SLOT)?,
    };
    Ok(())
}

/// The fields of a `PriceUpdateV2` Gavel uses, before any semantic check.
#[derive(Default)]
struct PullUpdate {
    feed_id: [u8; 32],
    fully_verified: bool,
    price: i64,
    conf: u64,
    expo: i32,
    publish_time: i64,
    posted_slot: u64,
}

/// Decodes a `PriceUpdateV2` into `u`: discriminator, verification tag and length
/// (`OracleAccountInvalid` when wrong); no semantic check.
fn pull_decode(data: &[u8], u: &mut PullUpdate) -> Result<(), GavelError> {
    if bytes_at::<8>(data, 0)? != PRICE_UPDATE_V2_DISCRIMINATOR {
        return Err(GavelError::OracleAccountInvalid);
    }
    let tag = bytes_at::<1>(data, PULL_OFF_VERIFICATION)?[0];
    let msg = if tag == PULL_TAG_FULL {
        PULL_OFF_VERIFICATION + 1
    } else if tag == PULL_TAG_PARTIAL {
        PULL_OFF_VERIFICATION + 2
    } else {
        return Err(GavelError::OracleAccountInvalid);
    };
    *u = PullUpdate {
        feed_id: bytes_at(data, msg)?,
        fully_verified: tag == PULL_TAG_FULL,
        price: i64_at(data, msg.saturating_add(MSG_OFF_PRICE))?,
        conf: u64_at(data, msg.saturating_add(MSG_OFF_CONF))?,
        expo: i32_at(data, msg.saturating_add(MSG_OFF_EXPO))?,
        publish_time: i64_at(data, msg.saturating_add(MSG_OFF_PUBLISH_TIME))?,
        posted_slot: u64_at(data, msg.saturating_add(MSG_LEN))?,
    };
    Ok(())
}

/// Semantic checks of a decoded update (fully verified, price > 0), writing the price to `out`.
fn pull_finish(u: &PullUpdate, out: &mut OraclePrice) -> Result<(), GavelError> {
    if !u.fully_verified {
        return Err(GavelError::OracleVerificationInsufficient);
    }
    *out = OraclePrice {
        price: positive(u.price)?,
        conf: u.conf,
        expo: u.expo,
        publish_time: u.publish_time,
        publish_slot: u.posted_slot,
    };
    Ok(())
}

/// Parses a Pyth pull-oracle `PriceUpdateV2` account and returns its price and feed id.
///
/// Layout (Borsh): discriminator (8) ‖ `write_authority` (32) ‖ `verification_level` (tag 0 =
/// `Partial { num_signatures: u8 }`, 2 bytes; tag 1 = `Full`, 1 byte) ‖ `price_message` { feed_id
/// [u8; 32], price i64, conf u64, exponent i32, publish_time i64, prev_publish_time i64, ema_price
/// i64, ema_conf u64 } ‖ `posted_slot` u64.
///
/// Refuses a wrong discriminator, an unknown verification tag or short data
/// (`OracleAccountInvalid`), a `Partial` verification (`OracleVerificationInsufficient`) and a
/// price ≤ 0 (`OraclePriceInvalid`). `publish_slot` is `posted_slot`.
#[inline(always)]
pub fn read_pyth_pull(data: &[u8]) -> Result<(OraclePrice, [u8; 32]), GavelError> {
    let mut u = PullUpdate::default();
    let mut out = OraclePrice::default();
    pull_decode(data, &mut u)?;
    pull_finish(&u, &mut out)?;
    Ok((out, u.feed_id))
}

// ---------------------------------------------------------------------------------------------
// Guards.
// ---------------------------------------------------------------------------------------------

/// `a × b ≤ c × d`, exactly (128-bit products, no rounding).
#[inline(always)]
fn product_le(a: u64, b: u64, c: u64, d: u64) -> bool {
    let (h1, l1) = mul_wide(a, b);
    let (h2, l2) = mul_wide(c, d);
    h1 < h2 || (h1 == h2 && l1 <= l2)
}

/// Seconds from `then` to `now`; 0 when `then` is not in the past. Exact over the whole `i64`
/// range (the difference of two `i64`s fits in a `u64` when positive).
fn elapsed_secs(now: i64, then: i64) -> u64 {
    if now > then {
        (now as u64).wrapping_sub(then as u64)
    } else {
        0
    }
}

/// Freshness and confidence checks.
///
/// * `OraclePriceInvalid` when `price == 0` (the readers never return one; defensive).
/// * `OracleStale` when `now.unix_timestamp − publish_time > max_age_secs`. A `publish_time` in
///   the future (by any amount, e.g. Pythnet's clock running ahead of Solana's) counts as age 0.
/// * `OracleStale` when `max_age_slots > 0` and `now.slot − publish_slot > max_age_slots`; a
///   `publish_slot` in the future counts as 0 slots old.
/// * `OracleConfidenceTooWide` when `conf × 10_000 > max_conf_bps × price`. Both products are
///   compared exactly in 128 bits, so there is no rounding: a confidence exactly at the limit
///   passes, one unit more is refused, and no input overflows.
pub fn check_guards(p: &OraclePrice, guards: &OracleGuards, now: &Now) -> Result<(), GavelError> {
    if p.price == 0 {
        return Err(GavelError::OraclePriceInvalid);
    }
    if elapsed_secs(now.unix_timestamp, p.publish_time) > guards.max_age_secs {
        return Err(GavelError::OracleStale);
    }
    if guards.max_age_slots > 0 && now.slot.saturating_sub(p.publish_slot) > guards.max_age_slots {
        return Err(GavelError::OracleStale);
    }
    if !product_le(p.conf, BPS, guards.max_conf_bps, p.price) {
        return Err(GavelError::OracleConfidenceTooWide);
    }
    Ok(())
}

/// What [`load_price`] reads from the `AccountInfo`.
struct OracleAccount<'a> {
    owner: &'a [u8; 32],
    key: &'a [u8; 32],
    data: &'a [u8],
}

/// Every check of [`load_price`] on plain data (owner, identity, layout, then guards), writing
/// the price to `out`. Out of line: shared by every instruction that reads prices.
#[inline(never)]
fn validate(
    account: &OracleAccount,
    spec: &OracleSpec,
    now: &Now,
    out: &mut OraclePrice,
) -> Result<(), GavelError> {
    if account.owner != spec.oracle_program {
        return Err(GavelError::OracleOwnerInvalid);
    }
    match spec.kind {
        OracleKind::PythLegacy => {
            if account.key != spec.expected {
                return Err(GavelError::OracleAccountInvalid);
            }
            legacy_into(account.data, out)?;
        }
        OracleKind::PythPull => {
            let mut update = PullUpdate::default();
            pull_decode(account.data, &mut update)?;
            // Identity before the semantic checks: a foreign feed is refused as such.
            if &update.feed_id != spec.expected {
                return Err(GavelError::OracleAccountInvalid);
            }
            pull_finish(&update, out)?;
        }
    }
    check_guards(out, &spec.guards, now)
}

/// Reads and validates a market's oracle account.
///
/// Checks, in order: the owner is `spec.oracle_program` (`OracleOwnerInvalid`); for
/// [`OracleKind::PythLegacy`] the account's address is `spec.expected` (`OracleAccountInvalid`),
/// then [`read_pyth_legacy`]; for [`OracleKind::PythPull`] the layout decodes, the feed id inside
/// is `spec.expected` (`OracleAccountInvalid`), then the checks of [`read_pyth_pull`]; finally
/// [`check_guards`]. An account whose data is mutably borrowed elsewhere is
/// `OracleAccountInvalid`.
#[inline(always)]
pub fn load_price(
    account: &AccountInfo,
    spec: &OracleSpec,
    now: &Now,
) -> Result<OraclePrice, GavelError> {
    let data = account
        .try_borrow_data()
        .map_err(|_| GavelError::OracleAccountInvalid)?;
    let mut out = OraclePrice::default();
    let view = OracleAccount {
        owner: account.owner(),
        key: account.key(),
        data: &data,
    };
    validate(&view, spec, now, &mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
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
}

//! Pull oracle `PriceUpdateV2` (pyth-solana-receiver, Anchor account, Borsh).

use super::{bytes_at, i32_at, i64_at, positive, u64_at, OraclePrice};
use crate::{error::GavelError, state::discriminator};

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
pub(super) const MSG_LEN: usize = 84;

/// The fields of a `PriceUpdateV2` Gavel uses, before any semantic check.
#[derive(Default)]
pub(super) struct PullUpdate {
    pub(super) feed_id: [u8; 32],
    fully_verified: bool,
    price: i64,
    conf: u64,
    expo: i32,
    publish_time: i64,
    posted_slot: u64,
}

/// Decodes a `PriceUpdateV2` into `u`: discriminator, verification tag and length
/// (`OracleAccountInvalid` when wrong); no semantic check.
pub(super) fn pull_decode(data: &[u8], u: &mut PullUpdate) -> Result<(), GavelError> {
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
pub(super) fn pull_finish(u: &PullUpdate, out: &mut OraclePrice) -> Result<(), GavelError> {
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

//! Legacy Pyth v2 price account (pyth-client `pc_price_t`, `@pythnetwork/client` parsePriceData).

use super::{i32_at, i64_at, positive, u32_at, u64_at, OraclePrice};
use crate::error::GavelError;

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
pub(super) fn legacy_into(data: &[u8], out: &mut OraclePrice) -> Result<(), GavelError> {
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

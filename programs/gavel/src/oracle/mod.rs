//! Pyth oracle readers and guards.
//!
//! A market prices its collateral (and optionally its debt token) with Pyth, in one of two account
//! layouts ([`OracleKind`]):
//!
//! * **Legacy** Pyth v2 price accounts owned by the Pyth oracle program, identified by their
//!   address; the layout is the one `@pythnetwork/client`'s `parsePriceData` reads ([`legacy`]).
//! * **Pull** `PriceUpdateV2` accounts posted by the Pyth receiver program, identified by the feed
//!   id inside (anyone may post an update for a feed into an account of their choosing) ([`pull`]).
//!
//! [`load_price`] checks the account's owner and identity, parses it and applies the market's
//! freshness and confidence limits ([`guards::check_guards`]). Every check lives in plain functions
//! over bytes so the host tests (`tests.rs`) exercise them without an `AccountInfo`.
//!
//! All reads copy bytes into arrays and use `from_le_bytes` (account data has no alignment); the
//! only wide arithmetic is a 64×64→128-bit product (`math::mul_wide`), so the BPF build needs no
//! 128-bit multiply or division. The TypeScript writers and readers of both layouts are in
//! `sdk/src/oracle.ts`.

pub mod guards;
pub mod legacy;
pub mod pull;
#[cfg(test)]
mod tests;

use pinocchio::account_info::AccountInfo;

pub use guards::check_guards;
use legacy::legacy_into;
pub use legacy::{
    read_pyth_legacy, PYTH_LEGACY_ACCOUNT_SIZE, PYTH_LEGACY_MAGIC, PYTH_LEGACY_STATUS_TRADING,
    PYTH_LEGACY_TYPE_PRICE, PYTH_LEGACY_VERSION,
};
use pull::{pull_decode, pull_finish, PullUpdate};
pub use pull::{read_pyth_pull, PRICE_UPDATE_V2_DISCRIMINATOR, PRICE_UPDATE_V2_LEN};

use crate::error::GavelError;

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

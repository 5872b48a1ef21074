//! `Backstop`, PDA `["backstop", market]`: a market's liquidation pool (Liquity's Stability Pool,
//! Compound III's absorb). Depositors put debt tokens in; when an auction stalls or nears
//! insolvency, anyone may `absorb` it and the pool buys the lot at the auction's price. A share
//! is a claim on the pool's basket: debt tokens + absorbed collateral.
//!
//! Token custody: the share mint `["backstop_shares", market]`, the debt vault
//! `["backstop_debt", market]` and the collateral vault `["backstop_collateral", market]` are PDAs
//! whose token authority is the market PDA (like the market's own vaults).
//!
//! `BackstopDepositor`, PDA `["backstop_depositor", backstop, owner]`: one depositor's warming
//! deposit and pending withdrawal request.
//!
//! The basket is counted from the accounting fields `debt` and `collateral`, never from vault
//! balances, so tokens sent to a vault directly (a donation) change no share's value: the
//! first-depositor share-inflation attack has nothing to inflate with.

use pinocchio::pubkey::Pubkey;

use super::{account_io, discriminator, Reader, Writer};
use crate::{error::GavelError, math::BPS};

/// Seed of backstop PDAs.
pub const BACKSTOP_SEED: &[u8] = b"backstop";
/// Seed of a backstop's share mint.
pub const BACKSTOP_SHARES_SEED: &[u8] = b"backstop_shares";
/// Seed of a backstop's debt-token vault.
pub const BACKSTOP_DEBT_SEED: &[u8] = b"backstop_debt";
/// Seed of a backstop's collateral vault.
pub const BACKSTOP_COLLATERAL_SEED: &[u8] = b"backstop_collateral";
/// Seed of depositor PDAs.
pub const BACKSTOP_DEPOSITOR_SEED: &[u8] = b"backstop_depositor";

/// Longest allowed warm-up, cooldown or absorb delay: 30 days.
pub const MAX_BACKSTOP_SECS: u64 = 30 * 86_400;
/// Highest allowed `buy_discount_bps`: 20%.
pub const MAX_BUY_DISCOUNT_BPS: u16 = 2_000;

/// Everything the admin sets on a backstop (`create_backstop`, `update_backstop`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BackstopParams {
    /// An auction may be absorbed this long after its kick.
    pub absorb_after_secs: u64,
    /// ... or earlier, once its lot at the oracle is worth at most `tab × (1 + near)`.
    pub absorb_near_bps: u16,
    /// `buy_from_backstop` sells the pool's collateral at oracle × (1 − discount).
    pub buy_discount_bps: u16,
    /// A withdrawal request can be paid this long after it was made.
    pub withdraw_cooldown_secs: u64,
    /// A deposit becomes shares (and shares in absorbs) this long after it was made.
    pub warmup_secs: u64,
}

impl BackstopParams {
    /// Borsh size.
    pub const LEN: usize = 8 + 2 + 2 + 8 + 8;

    /// Decodes params (Borsh).
    pub fn read(r: &mut Reader) -> Result<Self, GavelError> {
        Ok(Self {
            absorb_after_secs: r.u64()?,
            absorb_near_bps: r.u16()?,
            buy_discount_bps: r.u16()?,
            withdraw_cooldown_secs: r.u64()?,
            warmup_secs: r.u64()?,
        })
    }

    /// Encodes params (Borsh).
    pub fn write(&self, w: &mut Writer) {
        w.u64(self.absorb_after_secs)
            .u16(self.absorb_near_bps)
            .u16(self.buy_discount_bps)
            .u64(self.withdraw_cooldown_secs)
            .u64(self.warmup_secs);
    }

    /// Checks every parameter: delays up to 30 days (the warm-up at least 1 s, so a deposit
    /// never shares in an absorb of its own slot), `near` ≤ 100%, discount ≤ 20%.
    pub fn validate(&self) -> Result<(), GavelError> {
        let ok = self.absorb_after_secs <= MAX_BACKSTOP_SECS
            && (self.absorb_near_bps as u64) <= BPS
            && self.buy_discount_bps <= MAX_BUY_DISCOUNT_BPS
            && self.withdraw_cooldown_secs <= MAX_BACKSTOP_SECS
            && self.warmup_secs > 0
            && self.warmup_secs <= MAX_BACKSTOP_SECS;
        if ok {
            Ok(())
        } else {
            Err(GavelError::BackstopParamsInvalid)
        }
    }
}

/// A market's backstop pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backstop {
    /// The market it backs.
    pub market: Pubkey,
    /// Share mint (authority = market; decimals = debt decimals).
    pub share_mint: Pubkey,
    /// Debt-token vault (authority = market): `debt` + `warming` (+ donations, ignored).
    pub debt_vault: Pubkey,
    /// Collateral vault (authority = market): `collateral` (+ donations, ignored).
    pub collateral_vault: Pubkey,
    /// Shares outstanding: the mint's supply plus shares burned by withdrawal requests that are
    /// not paid yet (those keep their claim on the basket until paid).
    pub total_shares: u64,
    /// Debt tokens that belong to the shares.
    pub debt: u64,
    /// Collateral that belongs to the shares.
    pub collateral: u64,
    /// Debt tokens deposited and still warming up (not shares yet, not used by absorbs).
    pub warming: u64,
    /// The admin-set parameters.
    pub params: BackstopParams,
    /// Canonical bump of the PDA.
    pub bump: u8,
}

impl Backstop {
    /// `sha256("account:Backstop")[..8]`.
    pub const DISCRIMINATOR: [u8; 8] = discriminator::account("Backstop");
    /// Bytes reserved after the fields for future versions (zero).
    pub const RESERVED: usize = 32;
    /// Account size.
    pub const LEN: usize = 8 + 32 * 4 + 8 * 4 + BackstopParams::LEN + 1 + Self::RESERVED;

    /// Decodes account bytes (discriminator not checked here).
    pub fn read(data: &[u8]) -> Result<Self, GavelError> {
        let mut r = Reader::new(data, 8);
        Ok(Self {
            market: r.pubkey()?,
            share_mint: r.pubkey()?,
            debt_vault: r.pubkey()?,
            collateral_vault: r.pubkey()?,
            total_shares: r.u64()?,
            debt: r.u64()?,
            collateral: r.u64()?,
            warming: r.u64()?,
            params: BackstopParams::read(&mut r)?,
            bump: r.u8()?,
        })
    }

    /// Encodes into exactly [`Self::LEN`] bytes.
    pub fn write(&self, data: &mut [u8]) -> Result<(), GavelError> {
        if data.len() != Self::LEN {
            return Err(GavelError::AccountDiscriminatorInvalid);
        }
        let mut w = Writer::new(data, 0);
        w.bytes(&Self::DISCRIMINATOR)
            .bytes(&self.market)
            .bytes(&self.share_mint)
            .bytes(&self.debt_vault)
            .bytes(&self.collateral_vault)
            .u64(self.total_shares)
            .u64(self.debt)
            .u64(self.collateral)
            .u64(self.warming);
        self.params.write(&mut w);
        w.u8(self.bump);
        Ok(())
    }
}

account_io!(Backstop);

/// One depositor's state in a backstop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BackstopDepositor {
    /// The backstop.
    pub backstop: Pubkey,
    /// The depositor.
    pub owner: Pubkey,
    /// Debt tokens deposited and warming up (not shares yet).
    pub warming: u64,
    /// Unix time from which `warming` may become shares.
    pub warm_at: i64,
    /// Shares of a withdrawal request (burned at the request, still counted in `total_shares`).
    pub withdraw_shares: u64,
    /// Unix time from which the request may be paid.
    pub withdraw_at: i64,
    /// Canonical bump of the PDA.
    pub bump: u8,
}

impl BackstopDepositor {
    /// `sha256("account:BackstopDepositor")[..8]`.
    pub const DISCRIMINATOR: [u8; 8] = discriminator::account("BackstopDepositor");
    /// Bytes reserved after the fields for future versions (zero).
    pub const RESERVED: usize = 16;
    /// Account size.
    pub const LEN: usize = 8 + 32 * 2 + 8 * 4 + 1 + Self::RESERVED;

    /// Decodes account bytes (discriminator not checked here).
    pub fn read(data: &[u8]) -> Result<Self, GavelError> {
        let mut r = Reader::new(data, 8);
        Ok(Self {
            backstop: r.pubkey()?,
            owner: r.pubkey()?,
            warming: r.u64()?,
            warm_at: r.i64()?,
            withdraw_shares: r.u64()?,
            withdraw_at: r.i64()?,
            bump: r.u8()?,
        })
    }

    /// Encodes into exactly [`Self::LEN`] bytes.
    pub fn write(&self, data: &mut [u8]) -> Result<(), GavelError> {
        if data.len() != Self::LEN {
            return Err(GavelError::AccountDiscriminatorInvalid);
        }
        Writer::new(data, 0)
            .bytes(&Self::DISCRIMINATOR)
            .bytes(&self.backstop)
            .bytes(&self.owner)
            .u64(self.warming)
            .i64(self.warm_at)
            .u64(self.withdraw_shares)
            .i64(self.withdraw_at)
            .u8(self.bump);
        Ok(())
    }
}

account_io!(BackstopDepositor);

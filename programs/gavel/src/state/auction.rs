//! `Auction`, PDA `["auction", market, id (u64 little endian)]`: one Dutch auction of a kicked
//! position's collateral (Maker's `Clipper` sale). Rent is paid by the kicker and returned to
//! the kicker when the auction closes.

use pinocchio::pubkey::Pubkey;

use super::{account_io, discriminator, Reader, Writer};
use crate::error::GavelError;

/// Seed of auction PDAs.
pub const AUCTION_SEED: &[u8] = b"auction";

/// A live auction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Auction {
    /// The market.
    pub market: Pubkey,
    /// Sequence number within the market (`market.auction_count` at the kick).
    pub id: u64,
    /// The kicked position.
    pub position: Pubkey,
    /// The position's owner (receives leftover collateral through the position).
    pub owner: Pubkey,
    /// Who kicked (paid the rent; gets it back on close).
    pub kicker: Pubkey,
    /// Debt + penalty still to raise (debt base units).
    pub tab: u64,
    /// Collateral left for sale (collateral base units).
    pub lot: u64,
    /// Part of `tab` that is the position's debt (owed to the pool); the rest is penalty.
    pub debt: u64,
    /// Maker mode: start price (on `PRICE_SCALE`), oracle price × buf at the kick or last reset.
    /// Anchored mode: the oracle price at the kick or last reset (for display; takes read the
    /// live oracle).
    pub top: u64,
    /// Start time (unix seconds) of the current price curve.
    pub tic: i64,
    /// Tab at the kick.
    pub initial_tab: u64,
    /// Lot at the kick.
    pub initial_lot: u64,
    /// Flash take in progress: debt tokens `take_end` must collect (0 = none).
    pub pending_owe: u64,
    /// 1 while a flash take is between `take_begin` and `take_end`.
    pub flash: u8,
    /// Canonical bump of the PDA.
    pub bump: u8,
    /// Debt part of the tab at the kick: the auction's penalty is `initial_tab − initial_debt`.
    pub initial_debt: u64,
    /// Rewards paid so far by the kick and every reset; never above the penalty.
    pub rewards_paid: u64,
    /// The market's `price_mode` at the kick (kept for the auction's life).
    pub price_mode: u8,
    /// Anchored mode: the largest discount, fixed at the kick or last reset
    /// (`math::anchored::d_max_bps`).
    pub d_max_bps: u16,
    /// Unix time of the kick (resets do not move it): the backstop's `absorb_after_secs` runs
    /// from here.
    pub kicked_at: i64,
}

impl Auction {
    /// `sha256("account:Auction")[..8]`.
    pub const DISCRIMINATOR: [u8; 8] = discriminator::account("Auction");
    /// Bytes reserved after the fields for future versions (zero). `initial_debt` and
    /// `rewards_paid` took the first 16 of the original 32, `price_mode` and `d_max_bps` the next
    /// 3, `kicked_at` the next 8, so the size did not change.
    pub const RESERVED: usize = 5;
    /// Account size.
    pub const LEN: usize = 8 + 32 + 8 + 32 * 3 + 8 * 8 + 1 + 1 + 8 * 2 + 1 + 2 + 8 + Self::RESERVED;

    /// Decodes account bytes (discriminator not checked here).
    pub fn read(data: &[u8]) -> Result<Self, GavelError> {
        let mut r = Reader::new(data, 8);
        Ok(Self {
            market: r.pubkey()?,
            id: r.u64()?,
            position: r.pubkey()?,
            owner: r.pubkey()?,
            kicker: r.pubkey()?,
            tab: r.u64()?,
            lot: r.u64()?,
            debt: r.u64()?,
            top: r.u64()?,
            tic: r.i64()?,
            initial_tab: r.u64()?,
            initial_lot: r.u64()?,
            pending_owe: r.u64()?,
            flash: r.u8()?,
            bump: r.u8()?,
            initial_debt: r.u64()?,
            rewards_paid: r.u64()?,
            price_mode: r.u8()?,
            d_max_bps: r.u16()?,
            kicked_at: r.i64()?,
        })
    }

    /// Encodes into exactly [`Self::LEN`] bytes.
    pub fn write(&self, data: &mut [u8]) -> Result<(), GavelError> {
        if data.len() != Self::LEN {
            return Err(GavelError::AccountDiscriminatorInvalid);
        }
        Writer::new(data, 0)
            .bytes(&Self::DISCRIMINATOR)
            .bytes(&self.market)
            .u64(self.id)
            .bytes(&self.position)
            .bytes(&self.owner)
            .bytes(&self.kicker)
            .u64(self.tab)
            .u64(self.lot)
            .u64(self.debt)
            .u64(self.top)
            .i64(self.tic)
            .u64(self.initial_tab)
            .u64(self.initial_lot)
            .u64(self.pending_owe)
            .u8(self.flash)
            .u8(self.bump)
            .u64(self.initial_debt)
            .u64(self.rewards_paid)
            .u8(self.price_mode)
            .u16(self.d_max_bps)
            .i64(self.kicked_at);
        Ok(())
    }
}

account_io!(Auction);

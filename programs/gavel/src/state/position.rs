//! `Position`, PDA `["position", market, owner]`: one borrower's collateral and debt in a market.

use pinocchio::pubkey::Pubkey;

use super::{account_io, discriminator, Reader, Writer};
use crate::error::GavelError;

/// Seed of position PDAs.
pub const POSITION_SEED: &[u8] = b"position";

/// A borrower's position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// The market it belongs to.
    pub market: Pubkey,
    /// The borrower.
    pub owner: Pubkey,
    /// Collateral deposited (collateral base units).
    pub ink: u64,
    /// Normalized debt: debt = art × market.rate / RATE_SCALE.
    pub art: u64,
    /// Live auctions of this position (it cannot be closed while any is live).
    pub auctions: u64,
    /// Canonical bump of the PDA.
    pub bump: u8,
}

impl Position {
    /// `sha256("account:Position")[..8]`.
    pub const DISCRIMINATOR: [u8; 8] = discriminator::account("Position");
    /// Bytes reserved after the fields for future versions (zero).
    pub const RESERVED: usize = 24;
    /// Account size.
    pub const LEN: usize = 8 + 32 + 32 + 8 + 8 + 8 + 1 + Self::RESERVED;

    /// Decodes account bytes (discriminator not checked here).
    pub fn read(data: &[u8]) -> Result<Self, GavelError> {
        let mut r = Reader::new(data, 8);
        Ok(Self {
            market: r.pubkey()?,
            owner: r.pubkey()?,
            ink: r.u64()?,
            art: r.u64()?,
            auctions: r.u64()?,
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
            .bytes(&self.market)
            .bytes(&self.owner)
            .u64(self.ink)
            .u64(self.art)
            .u64(self.auctions)
            .u8(self.bump);
        Ok(())
    }
}

account_io!(Position);

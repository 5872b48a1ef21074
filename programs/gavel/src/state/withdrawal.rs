//! `WithdrawalRequest`, PDA `["withdrawal", market, lp]`: an LP's pending withdrawal.
//!
//! `request_withdrawal` burns the LP's share tokens and records them here; the market still
//! counts them in `total_shares`, so they keep sharing the pool's losses (and stop earning: a claim
//! or a cancel values them at most at `value`, their worth when the request was made).

use pinocchio::pubkey::Pubkey;

use super::{account_io, discriminator, Reader, Writer};
use crate::error::GavelError;

/// Seed of withdrawal request PDAs.
pub const WITHDRAWAL_SEED: &[u8] = b"withdrawal";

/// An LP's pending withdrawal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WithdrawalRequest {
    /// The market it belongs to.
    pub market: Pubkey,
    /// The LP (signer of the request; the only one who may claim or cancel it).
    pub lp: Pubkey,
    /// Shares still in the request (burned from the LP, counted in `Market::total_shares`).
    pub shares: u64,
    /// What those shares were worth at the request (pool value, debt base units, rounded down):
    /// the most a claim or a cancel can give for them.
    pub value: u64,
    /// Unix time of the request.
    pub requested_ts: i64,
    /// First unix time a claim is accepted (request time + the market's cooldown then).
    pub claimable_ts: i64,
    /// Canonical bump of the PDA.
    pub bump: u8,
}

impl WithdrawalRequest {
    /// `sha256("account:WithdrawalRequest")[..8]`.
    pub const DISCRIMINATOR: [u8; 8] = discriminator::account("WithdrawalRequest");
    /// Bytes reserved after the fields for future versions (zero).
    pub const RESERVED: usize = 23;
    /// Account size.
    pub const LEN: usize = 8 + 32 + 32 + 8 + 8 + 8 + 8 + 1 + Self::RESERVED;

    /// Decodes account bytes (discriminator not checked here).
    pub fn read(data: &[u8]) -> Result<Self, GavelError> {
        let mut r = Reader::new(data, 8);
        Ok(Self {
            market: r.pubkey()?,
            lp: r.pubkey()?,
            shares: r.u64()?,
            value: r.u64()?,
            requested_ts: r.i64()?,
            claimable_ts: r.i64()?,
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
            .bytes(&self.lp)
            .u64(self.shares)
            .u64(self.value)
            .i64(self.requested_ts)
            .i64(self.claimable_ts)
            .u8(self.bump);
        Ok(())
    }
}

account_io!(WithdrawalRequest);

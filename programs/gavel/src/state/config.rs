//! `Config`, PDA `["config"]`: the protocol's admin and its emergency `stop` level.

use pinocchio::pubkey::Pubkey;

use super::{account_io, discriminator, Reader, Writer};
use crate::error::GavelError;

/// Seed of the config PDA.
pub const CONFIG_SEED: &[u8] = b"config";

/// Highest stop level: 0 live, 1 no new kicks, 2 no kicks and no resets, 3 admin only.
pub const STOP_MAX: u8 = 3;

/// Protocol-wide settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// May change the stop level and markets.
    pub admin: Pubkey,
    /// Admin nominated by `transfer_admin`, all zero when none.
    pub pending_admin: Pubkey,
    /// Emergency level, 0..=3.
    pub stop: u8,
    /// Canonical bump of the PDA.
    pub bump: u8,
}

impl Config {
    /// `sha256("account:Config")[..8]`.
    pub const DISCRIMINATOR: [u8; 8] = discriminator::account("Config");
    /// Bytes reserved after the fields for future versions (zero).
    pub const RESERVED: usize = 64;
    /// Account size: discriminator + fields + reserved.
    pub const LEN: usize = 8 + 32 + 32 + 1 + 1 + Self::RESERVED;

    /// Decodes the fields from account bytes (discriminator included, not checked here).
    pub fn read(data: &[u8]) -> Result<Self, GavelError> {
        let mut r = Reader::new(data, 8);
        Ok(Self {
            admin: r.pubkey()?,
            pending_admin: r.pubkey()?,
            stop: r.u8()?,
            bump: r.u8()?,
        })
    }

    /// Encodes discriminator and fields into `data` (exactly [`Self::LEN`] bytes).
    pub fn write(&self, data: &mut [u8]) -> Result<(), GavelError> {
        if data.len() != Self::LEN {
            return Err(GavelError::AccountDiscriminatorInvalid);
        }
        Writer::new(data, 0)
            .bytes(&Self::DISCRIMINATOR)
            .bytes(&self.admin)
            .bytes(&self.pending_admin)
            .u8(self.stop)
            .u8(self.bump);
        Ok(())
    }
}

account_io!(Config);

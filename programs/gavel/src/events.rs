//! Events, emitted Anchor-style: `sol_log_data([sha256("event:<Name>")[..8] ‖ Borsh fields])`,
//! which shows up as a `Program data: <base64>` log line that Anchor's `EventParser` decodes.

use pinocchio::pubkey::Pubkey;

use crate::state::{discriminator, Writer};

/// Largest encoded event, in bytes.
pub const EVENT_BUF_LEN: usize = 256;

/// An event: a discriminator and a fixed Borsh layout.
pub trait Event {
    /// `sha256("event:<Name>")[..8]`.
    const DISCRIMINATOR: [u8; 8];

    /// Writes the fields (after the discriminator).
    fn encode_fields(&self, w: &mut Writer);

    /// Encodes discriminator and fields into `buf`; returns the length.
    fn encode(&self, buf: &mut [u8; EVENT_BUF_LEN]) -> usize {
        let mut w = Writer::new(buf, 0);
        w.bytes(&Self::DISCRIMINATOR);
        self.encode_fields(&mut w);
        w.len()
    }

    /// Logs the event with `sol_log_data`.
    fn emit(&self) {
        let mut buf = [0u8; EVENT_BUF_LEN];
        let len = self.encode(&mut buf);
        pinocchio::log::sol_log_data(&[&buf[..len]]);
    }
}

/// The config was created.
pub struct ConfigInitialized {
    /// The admin (the signer of `initialize_config`).
    pub admin: Pubkey,
}

impl Event for ConfigInitialized {
    const DISCRIMINATOR: [u8; 8] = discriminator::event("ConfigInitialized");

    fn encode_fields(&self, w: &mut Writer) {
        w.bytes(&self.admin);
    }
}

/// The admin changed the stop level.
pub struct StopChanged {
    /// The admin who changed it.
    pub admin: Pubkey,
    /// Level before.
    pub previous: u8,
    /// Level after.
    pub stop: u8,
    /// Cluster time of the change.
    pub unix_timestamp: i64,
}

impl Event for StopChanged {
    const DISCRIMINATOR: [u8; 8] = discriminator::event("StopChanged");

    fn encode_fields(&self, w: &mut Writer) {
        w.bytes(&self.admin)
            .u8(self.previous)
            .u8(self.stop)
            .i64(self.unix_timestamp);
    }
}

//! Events, emitted Anchor-style: `sol_log_data([sha256("event:<Name>")[..8] ‖ Borsh fields])`,
//! which shows up as a `Program data: <base64>` log line that Anchor's `EventParser` decodes.
//! Every event is declared once, in the layout table `programs/gavel/layouts.js`; its struct and
//! [`Event`] impl are generated into `events_gen.rs` (`node scripts/gen-layouts.js`).

use core::mem::MaybeUninit;

pub use crate::events_gen::*;
use crate::state::Writer;

/// Largest encoded event, in bytes.
pub const EVENT_BUF_LEN: usize = 512;

/// An event: a discriminator and a fixed Borsh layout.
pub trait Event {
    /// `sha256("event:<Name>")[..8]`.
    const DISCRIMINATOR: [u8; 8];
    /// IDL name.
    const NAME: &'static str;
    /// `(field name, Rust type)` in order, for the IDL check.
    const FIELDS: &'static [(&'static str, &'static str)];

    /// Writes the fields (after the discriminator).
    fn encode_fields(&self, w: &mut Writer);

    /// Encodes discriminator and fields into `buf`; returns the length (the bytes before it
    /// are initialized).
    fn encode(&self, buf: &mut [MaybeUninit<u8>; EVENT_BUF_LEN]) -> usize {
        let mut w = Writer::new_uninit(buf);
        w.bytes(&Self::DISCRIMINATOR);
        self.encode_fields(&mut w);
        w.len()
    }

    /// Logs the event with `sol_log_data`. The buffer is not zeroed first (that cost ~150 CU
    /// and ~30 bytes of `.so` per event).
    fn emit(&self) {
        let mut buf = [MaybeUninit::<u8>::uninit(); EVENT_BUF_LEN];
        let len = self.encode(&mut buf);
        // SAFETY: `encode` initialized the first `len` bytes (`len <= EVENT_BUF_LEN`).
        let data = unsafe { core::slice::from_raw_parts(buf.as_ptr().cast::<u8>(), len) };
        pinocchio::log::sol_log_data(&[data]);
    }
}

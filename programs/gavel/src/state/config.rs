//! `Config`, PDA `["config"]`: the protocol's admin and its emergency `stop` level.

pub use super::layout_gen::Config;

/// Highest stop level: 0 live, 1 no new kicks, 2 no kicks and no resets, 3 admin only.
pub const STOP_MAX: u8 = 3;

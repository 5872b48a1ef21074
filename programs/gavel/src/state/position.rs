//! `Position`, PDA `["position", market, owner]`: one borrower's collateral and debt in a market.

pub use super::layout_gen::Position;

/// Seed of position PDAs.
pub const POSITION_SEED: &[u8] = b"position";

//! `Position`, PDA `["position", market, owner]`: one borrower's collateral and debt in a market.

pub use super::layout_gen::Position;

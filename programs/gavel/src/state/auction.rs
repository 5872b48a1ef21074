//! `Auction`, PDA `["auction", market, id (u64 little endian)]`: one Dutch auction of a kicked
//! position's collateral (Maker's `Clipper` sale). Rent is paid by the kicker and returned to
//! the kicker when the auction closes.

pub use super::layout_gen::Auction;

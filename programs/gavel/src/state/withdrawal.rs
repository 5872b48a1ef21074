//! `WithdrawalRequest`, PDA `["withdrawal", market, lp]`: an LP's pending withdrawal.
//!
//! `request_withdrawal` burns the LP's share tokens and records them here; the market still
//! counts them in `total_shares`, so they keep sharing the pool's losses (and stop earning: a claim
//! or a cancel values them at most at `value`, their worth when the request was made).

pub use super::layout_gen::WithdrawalRequest;

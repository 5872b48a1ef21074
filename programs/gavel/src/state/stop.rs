//! Stop levels: the one table of which instruction runs at which `Config::stop` level (set by
//! `set_stop`; Maker's `clip.stopped`).
//!
//! | level | name | refused from this level up |
//! |---|---|---|
//! | 0 | live | nothing |
//! | 1 | no kicks | `kick`; LP withdrawal claims (`withdraw_liquidity`): a loss that cannot be kicked must not be run ahead of |
//! | 2 | no resets | `reset_auction` |
//! | 3 | admin only | takes (`take`, `take_begin`, `absorb`), positions and borrowing (`open_position`, `borrow`, `withdraw_collateral`), LP and backstop liquidity (deposits, withdrawal requests and cancels, claims, `buy_from_backstop`) |
//!
//! `cancel_auction` runs only at level 3. Everything else runs at every level: admin
//! instructions, and whatever only adds value or brings a position back (`repay`,
//! `deposit_collateral`, `fund_insurance`, `accrue`, `close_position`). `take_end` is not gated
//! itself: it completes a `take_begin` of the same transaction, which is.
//!
//! A gated instruction checks its gate (`context::require_stop`, most of them through
//! `context::require_user_call`: signer, token program, gate) right after its signer and token
//! program checks, before it reads any other account; writable and system-program checks may
//! follow the gate (`cancel_auction` checks the gate after its admin check).
//! Spec 01 sends every instruction of the IDL at every level and compares the refusals with
//! [`TABLE`]; a new instruction needs a row here (a unit test compares the rows with the
//! dispatch list).

/// How the stop level gates one instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// Runs at every level.
    Always,
    /// Refused (`ProtocolStopped`) from this level up.
    RefusedFrom(u8),
    /// Runs only at this level (`ProtocolStopped` at any other).
    OnlyAt(u8),
}

impl Gate {
    /// Whether the instruction runs at stop level `stop`.
    pub const fn allows(self, stop: u8) -> bool {
        match self {
            Gate::Always => true,
            Gate::RefusedFrom(level) => stop < level,
            Gate::OnlyAt(level) => stop == level,
        }
    }
}

macro_rules! stop_table {
    ($($name:ident => $const:ident = $gate:expr,)+) => {
        $(
            #[doc = concat!("Gate of `", stringify!($name), "`.")]
            pub const $const: Gate = $gate;
        )+

        /// Every instruction's gate as `(IDL name, gate)`, in dispatch order.
        pub const TABLE: &[(&str, Gate)] = &[$((stringify!($name), $const),)+];
    };
}

use Gate::{Always, OnlyAt, RefusedFrom};

stop_table! {
    initialize_config => INITIALIZE_CONFIG = Always,
    set_stop => SET_STOP = Always,
    transfer_admin => TRANSFER_ADMIN = Always,
    accept_admin => ACCEPT_ADMIN = Always,
    create_market => CREATE_MARKET = Always,
    update_market => UPDATE_MARKET = Always,
    deposit_liquidity => DEPOSIT_LIQUIDITY = RefusedFrom(3),
    withdraw_liquidity => WITHDRAW_LIQUIDITY = RefusedFrom(1),
    fund_insurance => FUND_INSURANCE = Always,
    open_position => OPEN_POSITION = RefusedFrom(3),
    deposit_collateral => DEPOSIT_COLLATERAL = Always,
    withdraw_collateral => WITHDRAW_COLLATERAL = RefusedFrom(3),
    borrow => BORROW = RefusedFrom(3),
    repay => REPAY = Always,
    close_position => CLOSE_POSITION = Always,
    accrue => ACCRUE = Always,
    kick => KICK = RefusedFrom(1),
    take => TAKE = RefusedFrom(3),
    take_begin => TAKE_BEGIN = RefusedFrom(3),
    take_end => TAKE_END = Always,
    reset_auction => RESET_AUCTION = RefusedFrom(2),
    cancel_auction => CANCEL_AUCTION = OnlyAt(3),
    request_withdrawal => REQUEST_WITHDRAWAL = RefusedFrom(3),
    cancel_withdrawal => CANCEL_WITHDRAWAL = RefusedFrom(3),
    create_backstop => CREATE_BACKSTOP = Always,
    update_backstop => UPDATE_BACKSTOP = Always,
    deposit_backstop => DEPOSIT_BACKSTOP = RefusedFrom(3),
    request_backstop_withdrawal => REQUEST_BACKSTOP_WITHDRAWAL = RefusedFrom(3),
    withdraw_backstop => WITHDRAW_BACKSTOP = RefusedFrom(3),
    absorb => ABSORB = RefusedFrom(3),
    buy_from_backstop => BUY_FROM_BACKSTOP = RefusedFrom(3),
    fund_backstop => FUND_BACKSTOP = RefusedFrom(3),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{instructions::ALL, state::config::STOP_MAX};

    #[test]
    fn the_table_names_every_instruction_in_dispatch_order() {
        let names: Vec<&str> = TABLE.iter().map(|(n, _)| *n).collect();
        let dispatched: Vec<&str> = ALL.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, dispatched);
    }

    #[test]
    fn every_level_is_a_stop_level_and_level_0_refuses_nothing_but_cancel() {
        for (name, gate) in TABLE {
            match *gate {
                RefusedFrom(level) => assert!((1..=STOP_MAX).contains(&level), "{name}"),
                OnlyAt(level) => assert!(level <= STOP_MAX, "{name}"),
                Always => {}
            }
            assert_eq!(gate.allows(0), *name != "cancel_auction", "{name}");
        }
        assert!(RefusedFrom(2).allows(1) && !RefusedFrom(2).allows(2) && !RefusedFrom(2).allows(3));
        assert!(OnlyAt(3).allows(3) && !OnlyAt(3).allows(2));
    }
}

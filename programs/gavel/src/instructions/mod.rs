//! One file per instruction. Dispatch is by Anchor discriminator.

pub mod absorb;
pub mod accept_admin;
pub mod accounts_gen;
pub mod accrue;
pub mod borrow;
pub mod buy_from_backstop;
pub mod cancel_auction;
pub mod cancel_withdrawal;
pub mod close_position;
pub mod create_backstop;
pub mod create_market;
pub mod deposit_backstop;
pub mod deposit_collateral;
pub mod deposit_liquidity;
pub mod fund_backstop;
pub mod fund_insurance;
pub mod idl;
pub mod initialize_config;
pub mod kick;
pub mod open_position;
pub mod repay;
pub mod request_backstop_withdrawal;
pub mod request_withdrawal;
pub mod reset_auction;
pub mod set_stop;
pub mod take;
pub mod take_begin;
pub mod take_end;
pub mod transfer_admin;
pub mod update_backstop;
pub mod update_market;
pub mod withdraw_backstop;
pub mod withdraw_collateral;
pub mod withdraw_liquidity;

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::{error::GavelError, state::discriminator::instruction};

macro_rules! instructions {
    ($($name:ident => $const:ident,)+) => {
        $(
            #[doc = concat!("`sha256(\"global:", stringify!($name), "\")[..8]`.")]
            pub const $const: [u8; 8] = instruction(stringify!($name));
        )+

        /// Every instruction as `(IDL name, discriminator)`; the IDL check compares it with the IDL.
        pub const ALL: &[(&str, [u8; 8])] = &[$((stringify!($name), $const),)+];

        /// Routes an instruction to its handler (inlined into the entrypoint: six registers).
        #[inline(always)]
        pub fn dispatch(disc: &[u8], accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
            let disc: [u8; 8] = disc.try_into().map_err(|_| GavelError::InstructionUnknown)?;
            match disc {
                $($const => $name::process(accounts, args),)+
                _ => Err(GavelError::InstructionUnknown.into()),
            }
        }
    };
}

instructions! {
    initialize_config => INITIALIZE_CONFIG,
    set_stop => SET_STOP,
    transfer_admin => TRANSFER_ADMIN,
    accept_admin => ACCEPT_ADMIN,
    create_market => CREATE_MARKET,
    update_market => UPDATE_MARKET,
    deposit_liquidity => DEPOSIT_LIQUIDITY,
    withdraw_liquidity => WITHDRAW_LIQUIDITY,
    fund_insurance => FUND_INSURANCE,
    open_position => OPEN_POSITION,
    deposit_collateral => DEPOSIT_COLLATERAL,
    withdraw_collateral => WITHDRAW_COLLATERAL,
    borrow => BORROW,
    repay => REPAY,
    close_position => CLOSE_POSITION,
    accrue => ACCRUE,
    kick => KICK,
    take => TAKE,
    take_begin => TAKE_BEGIN,
    take_end => TAKE_END,
    reset_auction => RESET_AUCTION,
    cancel_auction => CANCEL_AUCTION,
    request_withdrawal => REQUEST_WITHDRAWAL,
    cancel_withdrawal => CANCEL_WITHDRAWAL,
    create_backstop => CREATE_BACKSTOP,
    update_backstop => UPDATE_BACKSTOP,
    deposit_backstop => DEPOSIT_BACKSTOP,
    request_backstop_withdrawal => REQUEST_BACKSTOP_WITHDRAWAL,
    withdraw_backstop => WITHDRAW_BACKSTOP,
    absorb => ABSORB,
    buy_from_backstop => BUY_FROM_BACKSTOP,
    fund_backstop => FUND_BACKSTOP,
}

//! Gavel: a Dutch-auction liquidation protocol for Solana.
//!
//! The program keeps Anchor's ABI by hand (8-byte discriminators, Borsh layouts, events through
//! `sol_log_data`, error codes from 6000) so that `@coral-xyz/anchor` clients work unchanged with
//! the committed IDL in `idl/gavel.json`. It is `no_std` on Solana and builds both with the offline
//! route (`scripts/build-program.sh`) and with `cargo build-sbf`.
#![cfg_attr(target_os = "solana", no_std)]
// Every integer operation is checked (`safe_math`, `checked_*`); bare `+ - * /` do not compile.
#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

pub mod backstop;
pub mod checks;
pub mod context;
pub mod error;
pub mod events;
pub mod events_gen;
pub mod instructions;
pub mod instructions_sysvar;
pub mod liquidation;
pub mod math;
pub mod oracle;
pub mod payout;
pub mod safe_math;
pub mod state;
pub mod token;
pub mod utils;

use pinocchio::{account_info::AccountInfo, pubkey::Pubkey, ProgramResult};

pinocchio_pubkey::declare_id!("7GP234LwKLTdc6kkRBi2DE9vU4ATK3K5vYP8J1WZV1mM");

#[cfg(all(target_os = "solana", not(feature = "no-entrypoint")))]
mod entrypoint {
    use super::*;
    // Instructions of Gavel take at most a couple dozen accounts; a smaller bound keeps the
    // entrypoint's account array (and so the stack frame) small.
    pinocchio::program_entrypoint!(process_instruction, 32);
    pinocchio::no_allocator!();
    pinocchio::nostd_panic_handler!();
}

/// Logs Anchor's error line for `e` and returns it as a program error (inlined: an outlined
/// copy would land before `rust_begin_unwind`, see [`error::log_anchor_error`]).
#[inline(always)]
fn fail(e: error::GavelError) -> pinocchio::program_error::ProgramError {
    let e = e.into();
    error::log_anchor_error(&e);
    e
}

/// Dispatches an instruction by its Anchor discriminator (`sha256("global:<name>")[..8]`).
/// Inlined into the entrypoint: with the result pointer it takes six registers.
#[inline(always)]
pub fn process_instruction(
    program_id: &Pubkey,
    accounts: &[AccountInfo],
    data: &[u8],
) -> ProgramResult {
    if program_id != &ID {
        return Err(fail(error::GavelError::ProgramIdInvalid));
    }
    if data.len() < 8 {
        return Err(fail(error::GavelError::InstructionUnknown));
    }
    let (disc, args) = data.split_at(8);
    let result = if disc == instructions::idl::IDL_IX_TAG {
        instructions::idl::process(accounts, args)
    } else {
        instructions::dispatch(disc, accounts, args)
    };
    if let Err(e) = &result {
        error::log_anchor_error(e);
    }
    result
}

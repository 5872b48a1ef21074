//! One file per instruction. Dispatch is by Anchor discriminator.

pub mod initialize_config;
pub mod set_stop;

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::{error::GavelError, state::discriminator::instruction};

/// `sha256("global:initialize_config")[..8]`.
pub const INITIALIZE_CONFIG: [u8; 8] = instruction("initialize_config");
/// `sha256("global:set_stop")[..8]`.
pub const SET_STOP: [u8; 8] = instruction("set_stop");

/// Every instruction as `(IDL name, discriminator)`; the IDL check test compares it with the IDL.
pub const ALL: [(&str, [u8; 8]); 2] = [
    ("initialize_config", INITIALIZE_CONFIG),
    ("set_stop", SET_STOP),
];

/// Routes an instruction to its handler.
pub fn dispatch(disc: &[u8], accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let disc: [u8; 8] = disc
        .try_into()
        .map_err(|_| GavelError::InstructionUnknown)?;
    match disc {
        INITIALIZE_CONFIG => initialize_config::process(accounts, args),
        SET_STOP => set_stop::process(accounts, args),
        _ => Err(GavelError::InstructionUnknown.into()),
    }
}

//! The instructions sysvar, read by `take_begin` to require its `take_end` later in the same
//! transaction (the flash take's pairing).

use pinocchio::{
    account_info::AccountInfo, pubkey::Pubkey, sysvars::instructions::INSTRUCTIONS_ID,
};

use crate::{error::GavelError, instructions::TAKE_END};

/// Index of the auction among `take_end`'s accounts (what `take_begin` looks for).
pub const TAKE_END_AUCTION_INDEX: usize = 2;

/// Requires a top-level `take_end` of this program for `auction` after the current instruction,
/// read from the instructions sysvar (whose address is checked, so it cannot be spoofed).
///
/// Sysvar layout: `u16` count, `u16` offsets; each instruction: `u16` account count, per account
/// a flags byte and a 32-byte key, the 32-byte program id, `u16` data length, data; the last two
/// bytes of the account hold the index of the executing instruction.
pub fn require_later_take_end(sysvar: &AccountInfo, auction: &Pubkey) -> Result<(), GavelError> {
    if sysvar.key() != &INSTRUCTIONS_ID {
        return Err(GavelError::ProgramAccountInvalid);
    }
    let data = sysvar
        .try_borrow_data()
        .map_err(|_| GavelError::ProgramAccountInvalid)?;
    let u16_at = |at: usize| -> Option<usize> {
        let b = data.get(at..at.checked_add(2)?)?;
        Some(u16::from_le_bytes([b[0], b[1]]) as usize)
    };
    let bad = GavelError::ProgramAccountInvalid;
    let add = |a: usize, b: usize| a.checked_add(b).ok_or(bad);
    // Account-entry offsets: a count read from a u16 times 33 bytes cannot wrap (`wrapping_mul`
    // lowers to a plain multiply; `checked_mul` would need `__multi3`).
    let entries = |n: usize| n.wrapping_mul(33);
    let count = u16_at(0).ok_or(bad)?;
    let current = u16_at(data.len().checked_sub(2).ok_or(bad)?).ok_or(bad)?;
    for i in add(current, 1)?..count {
        let start = u16_at(add(2, i.wrapping_mul(2))?).ok_or(bad)?; // i < count ≤ u16::MAX
        let accounts = u16_at(start).ok_or(bad)?;
        let program_at = add(add(start, 2)?, entries(accounts))?;
        let program = data.get(program_at..add(program_at, 32)?).ok_or(bad)?;
        let data_len = u16_at(add(program_at, 32)?).ok_or(bad)?;
        let ix_start = add(program_at, 34)?;
        let ix_data = data.get(ix_start..add(ix_start, data_len)?).ok_or(bad)?;
        if program != crate::ID || ix_data.len() < 8 || ix_data[..8] != TAKE_END {
            continue;
        }
        if accounts > TAKE_END_AUCTION_INDEX {
            let key_at = add(
                add(start, 2)?,
                entries(TAKE_END_AUCTION_INDEX).wrapping_add(1),
            )?;
            if data.get(key_at..add(key_at, 32)?) == Some(&auction[..]) {
                return Ok(());
            }
        }
    }
    Err(GavelError::FlashTakeEndMissing)
}

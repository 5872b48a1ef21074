//! Program accounts: PDA seeds on the stack, creating and closing accounts, rent without floats.
//! (The account checks are in `checks.rs`.)

use pinocchio::{
    account_info::AccountInfo, instruction::Signer, program_error::ProgramError, pubkey::Pubkey,
    ProgramResult,
};
use pinocchio_system::instructions::{Allocate, Assign, CreateAccount, Transfer};

use crate::error::GavelError;
use crate::safe_math::SafeMath;

/// Builds a seed array on the stack.
///
/// Each seed goes through `black_box` so that the array is never folded into a constant in
/// `.rodata`: `sbpf-linker` 0.1.9 neither aligns `.rodata` nor relocates pointers stored in it, and
/// the runtime rejects an unaligned or unrelocated seed array ("Unaligned pointer").
#[macro_export]
macro_rules! seeds {
    ($($seed:expr),+ $(,)?) => {
        [$(core::hint::black_box::<&[u8]>($seed)),+]
    };
}

/// Creates a PDA account of `space` bytes owned by `owner`, rent-exempt, paid by `payer`.
///
/// Works even when someone pre-funded the address with lamports (which would make the system
/// program's `CreateAccount` fail): then it tops up, allocates and assigns instead.
///
/// `signer` holds the PDA's seeds with its bump. With the result pointer this takes six
/// registers, and the BPF target has five and no stack arguments: so it packs its arguments for
/// one shared out-of-line body instead of being inlined at each call site.
#[inline(always)]
pub fn create_pda_account(
    payer: &AccountInfo,
    account: &AccountInfo,
    space: usize,
    owner: &Pubkey,
    signer: &Signer,
) -> ProgramResult {
    create_pda_account_packed(&NewPdaAccount {
        payer,
        account,
        space,
        owner,
        signer,
    })
}

/// The arguments of [`create_pda_account`].
struct NewPdaAccount<'a, 'b, 'c> {
    payer: &'a AccountInfo,
    account: &'a AccountInfo,
    space: usize,
    owner: &'a Pubkey,
    signer: &'a Signer<'b, 'c>,
}

#[inline(never)]
fn create_pda_account_packed(new: &NewPdaAccount) -> ProgramResult {
    let NewPdaAccount {
        payer,
        account,
        space,
        owner,
        signer,
    } = *new;
    let rent_lamports = rent_exempt_minimum(space)?;
    let signers = core::slice::from_ref(signer);
    let current = account.lamports();
    if current == 0 {
        CreateAccount {
            from: payer,
            to: account,
            lamports: rent_lamports,
            space: space as u64,
            owner,
        }
        .invoke_signed(signers)
    } else {
        if current < rent_lamports {
            Transfer {
                from: payer,
                to: account,
                lamports: rent_lamports.safe_sub(current)?,
            }
            .invoke()?;
        }
        Allocate {
            account,
            space: space as u64,
        }
        .invoke_signed(signers)?;
        Assign { account, owner }.invoke_signed(signers)
    }
}

/// Closes a program-owned account: zeroes its data (so it cannot be revived within the
/// transaction), moves all its lamports to `destination`, then releases it.
#[inline(never)]
pub fn close_program_account(account: &AccountInfo, destination: &AccountInfo) -> ProgramResult {
    {
        let mut data = account
            .try_borrow_mut_data()
            .map_err(|_| GavelError::AccountNotWritable)?;
        data.fill(0);
    }
    let rent = account.lamports();
    {
        let mut to = destination.try_borrow_mut_lamports()?;
        *to = to.checked_add(rent).ok_or(GavelError::MathOverflow)?;
    }
    *account.try_borrow_mut_lamports()? = 0;
    account.close()
}

/// Bytes the runtime charges rent for on top of an account's data.
const ACCOUNT_STORAGE_OVERHEAD: u64 = 128;
/// Largest account Solana allows (10 MiB).
const MAX_ACCOUNT_SPACE: usize = 10 * 1024 * 1024;

/// Rent-exempt minimum balance for `space` bytes, read from the Rent sysvar without floats.
///
/// The sysvar stores the exemption threshold as an `f64` (2.0 on every cluster today); LLVM's BPF
/// backend has no float support, so the threshold is decoded from its bits and must be a whole
/// number of years.
pub fn rent_exempt_minimum(space: usize) -> Result<u64, ProgramError> {
    // Rent sysvar layout: lamports_per_byte_year u64, exemption_threshold f64, burn_percent u8.
    // `u64` words: the syscall requires an 8-byte-aligned buffer.
    let mut raw = [0u64; 3];
    #[cfg(target_os = "solana")]
    {
        // SAFETY: `raw` is 24 aligned bytes, more than the 17 the syscall writes.
        let rc = unsafe { pinocchio::syscalls::sol_get_rent_sysvar(raw.as_mut_ptr() as *mut u8) };
        if rc != 0 {
            return Err(ProgramError::UnsupportedSysvar);
        }
    }
    #[cfg(not(target_os = "solana"))]
    {
        raw[0] = 3480;
        raw[1] = 2.0f64.to_bits();
    }
    let (per_byte_year, threshold_bits) = (raw[0], raw[1]);
    let years = whole_f64(threshold_bits).ok_or(ProgramError::UnsupportedSysvar)?;
    // Bounded operands make the plain product exact: (128 + 10 MiB) * 2^32 * 2^5 < 2^64.
    // (`checked_mul` lowers to `__multi3`, which LLVM's BPF backend cannot call.)
    if per_byte_year > u32::MAX as u64 || space > MAX_ACCOUNT_SPACE {
        return Err(GavelError::MathOverflow.into());
    }
    Ok(ACCOUNT_STORAGE_OVERHEAD
        .safe_add(space as u64)?
        .safe_mul(per_byte_year)?
        .safe_mul(years)?)
}

/// Decodes a non-negative whole-number `f64` (given as bits) below 2^32; `None` otherwise.
fn whole_f64(bits: u64) -> Option<u64> {
    if bits == 0 {
        return Some(0);
    }
    if bits >> 63 != 0 {
        return None;
    }
    let exp = (((bits >> 52) & 0x7ff) as i64).checked_sub(1023)?;
    if !(0..32).contains(&exp) {
        return None;
    }
    let mantissa = (bits & ((1u64 << 52).checked_sub(1)?)) | (1u64 << 52);
    let shift = 52u32.checked_sub(exp as u32)?;
    if mantissa & ((1u64 << shift).checked_sub(1)?) != 0 {
        return None;
    }
    Some(mantissa >> shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_f64_decodes_integers_only() {
        for v in [0.0f64, 1.0, 2.0, 3.0, 10.0, 4_000_000_000.0] {
            assert_eq!(whole_f64(v.to_bits()), Some(v as u64), "{v}");
        }
        for v in [0.5f64, 2.5, -1.0, 1e20, f64::NAN, f64::INFINITY] {
            assert_eq!(whole_f64(v.to_bits()), None, "{v}");
        }
    }

    #[test]
    fn rent_minimum_matches_solana_default() {
        // Solana's defaults: (128 + len) * 3480 lamports/byte-year * 2 years.
        assert_eq!(rent_exempt_minimum(0).unwrap(), 890_880);
        assert_eq!(rent_exempt_minimum(165).unwrap(), 2_039_280);
    }
}

//! Account checks, all in one place: signer, writable, program ids, PDA address, distinct roles,
//! the market's vaults, SPL Token mints and token accounts, and the type of a Gavel account
//! (owner, size, discriminator). Loaders that add relations between accounts (a position of this
//! market, an auction of this position …) are in `context.rs`, `liquidation.rs` and `backstop.rs`;
//! they build on these.

use pinocchio::{account_info::AccountInfo, pubkey::Pubkey};

use crate::{
    error::GavelError,
    token::{MINT_LEN, TOKEN_ACCOUNT_LEN, TOKEN_PROGRAM_ID},
};

/// The system program id (all zeroes).
pub const SYSTEM_PROGRAM_ID: Pubkey = [0u8; 32];

/// Requires `account` to have signed the transaction.
pub fn require_signer(account: &AccountInfo) -> Result<(), GavelError> {
    if account.is_signer() {
        Ok(())
    } else {
        Err(GavelError::SignerMissing)
    }
}

/// Requires `account` to be writable.
pub fn require_writable(account: &AccountInfo) -> Result<(), GavelError> {
    if account.is_writable() {
        Ok(())
    } else {
        Err(GavelError::AccountNotWritable)
    }
}

/// Requires `account` to be the system program.
pub fn require_system_program(account: &AccountInfo) -> Result<(), GavelError> {
    if account.key() == &SYSTEM_PROGRAM_ID {
        Ok(())
    } else {
        Err(GavelError::ProgramAccountInvalid)
    }
}

/// Requires `account` to be the canonical PDA of `seeds` (without the bump); returns the bump.
/// Pass seeds built with [`seeds!`].
///
/// The same search as `find_program_address` (the highest bump whose address is off the ed25519
/// curve), done with one `sol_sha256` and one `sol_curve_validate_point` per bump tried: ~330 CU
/// a try instead of the 1,500 CU that `sol_try_find_program_address` charges per try.
#[inline(never)]
pub fn require_pda(account: &AccountInfo, seeds: &[&[u8]]) -> Result<u8, GavelError> {
    #[cfg(target_os = "solana")]
    {
        /// The runtime's limits: at most 16 seeds with the bump, each at most 32 bytes.
        const MAX_SEEDS: usize = 16;
        /// Appended after the program id, as the runtime does.
        const PDA_MARKER: &[u8; 21] = b"ProgramDerivedAddress";
        /// `sol_curve_validate_point`'s id of the edwards25519 curve.
        const CURVE25519_EDWARDS: u64 = 0;
        let n = seeds.len();
        if n >= MAX_SEEDS || seeds.iter().any(|s| s.len() > 32) {
            return Err(GavelError::AccountAddressInvalid);
        }
        /// One input of `sol_sha256`: the `(address, length)` pair it reads.
        #[repr(C)]
        #[derive(Clone, Copy)]
        struct Part(*const u8, u64);
        let part = |b: &[u8]| Part(b.as_ptr(), b.len() as u64);
        let mut bump = u8::MAX;
        // Only `parts[..n + 3]` are written and read: no need to zero the rest.
        let mut parts = [core::mem::MaybeUninit::<Part>::uninit(); MAX_SEEDS + 2];
        for (slot, seed) in parts.iter_mut().zip(seeds) {
            slot.write(part(seed));
        }
        parts[n.wrapping_add(1)].write(part(&crate::ID));
        parts[n.wrapping_add(2)].write(part(PDA_MARKER));
        loop {
            parts[n].write(Part(&bump, 1));
            let mut address = [0u8; 32];
            // SAFETY: `parts[..n + 3]` point at live bytes (the seeds, `bump`, the program id and
            // the marker); `address` has room for the 32-byte digest, which the curve syscall
            // reads back.
            let on_curve = unsafe {
                pinocchio::syscalls::sol_sha256(
                    parts.as_ptr().cast(),
                    n.wrapping_add(3) as u64,
                    address.as_mut_ptr(),
                );
                pinocchio::syscalls::sol_curve_validate_point(
                    CURVE25519_EDWARDS,
                    address.as_ptr(),
                    core::ptr::null_mut(),
                ) == 0
            };
            if !on_curve {
                return if account.key() == &address {
                    Ok(bump)
                } else {
                    Err(GavelError::AccountAddressInvalid)
                };
            }
            bump = bump
                .checked_sub(1)
                .ok_or(GavelError::AccountAddressInvalid)?;
        }
    }
    #[cfg(not(target_os = "solana"))]
    {
        let (expected, bump) = pinocchio::pubkey::find_program_address(seeds, &crate::ID);
        if account.key() == &expected {
            Ok(bump)
        } else {
            Err(GavelError::AccountAddressInvalid)
        }
    }
}

/// Requires `a` and `b` to be different accounts (no account in two roles).
#[inline(never)]
pub fn require_distinct(a: &AccountInfo, b: &AccountInfo) -> Result<(), GavelError> {
    if a.key() == b.key() {
        Err(GavelError::AccountDuplicate)
    } else {
        Ok(())
    }
}

/// Requires `account` to be the market's vault (or share mint) `expected`.
pub fn require_vault(account: &AccountInfo, expected: &Pubkey) -> Result<(), GavelError> {
    if account.key() == expected {
        Ok(())
    } else {
        Err(GavelError::VaultInvalid)
    }
}

/// Requires `account` to be the classic SPL Token program.
#[inline(never)]
pub fn require_token_program(account: &AccountInfo) -> Result<(), GavelError> {
    if account.key() == &TOKEN_PROGRAM_ID {
        Ok(())
    } else {
        Err(GavelError::ProgramAccountInvalid)
    }
}

/// Requires `mint` to be an initialized classic SPL mint; returns its decimals.
#[inline(never)]
pub fn require_classic_mint(mint: &AccountInfo) -> Result<u8, GavelError> {
    if !mint.is_owned_by(&TOKEN_PROGRAM_ID) {
        return Err(GavelError::MintInvalid);
    }
    let data = mint
        .try_borrow_data()
        .map_err(|_| GavelError::MintInvalid)?;
    // Layout: mint_authority COption<Pubkey> (36), supply u64 (8), decimals u8, is_initialized u8.
    if data.len() != MINT_LEN || data[45] != 1 {
        return Err(GavelError::MintInvalid);
    }
    Ok(data[44])
}

/// Requires `account` to be an initialized classic SPL token account of `mint`; returns its
/// amount. (Token-account owner checks are left to the token program's authority rules.)
#[inline(never)]
pub fn require_token_account(account: &AccountInfo, mint: &Pubkey) -> Result<u64, GavelError> {
    if !account.is_owned_by(&TOKEN_PROGRAM_ID) {
        return Err(GavelError::TokenAccountInvalid);
    }
    let data = account
        .try_borrow_data()
        .map_err(|_| GavelError::TokenAccountInvalid)?;
    // Layout: mint (32), owner (32), amount u64, ..., state u8 at 108 (1 = initialized).
    if data.len() != TOKEN_ACCOUNT_LEN || &data[..32] != mint || data[108] != 1 {
        return Err(GavelError::TokenAccountInvalid);
    }
    let mut amount = [0u8; 8];
    amount.copy_from_slice(&data[64..72]);
    Ok(u64::from_le_bytes(amount))
}

/// Requires the token account (already checked by [`require_token_account`]) to be owned by
/// `authority`: kick and reset rewards go only to the signer's own account, never into a vault of
/// any market (whose authority is a market PDA), so every market's vault keeps equal to its
/// accounting (tests/13_attacks.spec.ts).
#[inline(never)]
pub fn require_token_owner(account: &AccountInfo, authority: &Pubkey) -> Result<(), GavelError> {
    let data = account
        .try_borrow_data()
        .map_err(|_| GavelError::TokenAccountInvalid)?;
    if data.get(32..64) != Some(&authority[..]) {
        return Err(GavelError::RewardAccountOwnerInvalid);
    }
    Ok(())
}

/// Checks that `account` is a live Gavel account of the type with discriminator `disc` and
/// length `len`: owner, size and discriminator (the type-cosplay guard).
pub fn check_account(account: &AccountInfo, disc: &[u8; 8], len: usize) -> Result<(), GavelError> {
    if !account.is_owned_by(&crate::ID) {
        return Err(GavelError::AccountOwnerInvalid);
    }
    let data = account
        .try_borrow_data()
        .map_err(|_| GavelError::AccountDiscriminatorInvalid)?;
    if data.len() != len || &data[..8] != disc {
        return Err(GavelError::AccountDiscriminatorInvalid);
    }
    Ok(())
}

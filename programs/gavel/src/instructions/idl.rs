//! Anchor's on-chain IDL instructions, so `Program.at(programId, provider)` and `anchor idl fetch`
//! find Gavel's IDL where anchor-lang programs keep theirs.
//!
//! Instruction data: the 8-byte tag `IDL_IX_TAG` (little endian, not a `global:` discriminator),
//! then a Borsh enum: 0 `Create { data_len: u64 }`, 1 `CreateBuffer`, 2 `Write { data: Vec<u8> }`,
//! 3 `SetBuffer`, 4 `SetAuthority { new_authority }`, 5 `Close`, 6 `Resize { data_len: u64 }`.
//! Account layout (`IdlAccount`): discriminator `sha256("account:IdlAccount")[..8]`, `authority`,
//! `data_len: u32`, then `data_len` bytes of zlib-compressed IDL JSON.
//!
//! Who: `Create` only the program's upgrade authority (Gavel's rule; anchor-lang lets anyone create
//! it first): accounts `from` (signer, writable, pays), `to` (writable, the IDL address
//! `create_with_seed(find_program_address([]), "anchor:idl", program)`), `base` (that PDA),
//! `system_program`, `program` (Gavel's executable account), `program_data` (its upgradeable-loader
//! data account, whose upgrade authority must be `from`). Every other variant: the IDL account's
//! `authority` (signer; never the erased authority). `Write`: [idl (writable), authority] appends
//! bytes. `SetAuthority`: [idl (writable), authority]. `Close`: [idl or buffer (writable),
//! authority, sol_destination (writable)]. `CreateBuffer`: [buffer (writable, a zeroed account
//! owned by Gavel), authority] makes it an IdlAccount of `authority`. `SetBuffer`: [buffer
//! (writable), idl (writable), authority] copies the buffer's IDL into the IDL account (both of
//! `authority`). `Resize`: [idl (writable), authority (writable, pays), system_program] grows an
//! empty IDL account by up to 10,000 bytes a call.
//! Changes: only the IDL account (and buffers); no Gavel state.

use pinocchio::{
    account_info::AccountInfo,
    instruction::{Seed, Signer},
    pubkey::{self, Pubkey},
    ProgramResult,
};
use pinocchio_system::instructions::CreateAccountWithSeed;

use crate::{
    checks::{require_signer, require_system_program},
    error::GavelError,
    safe_math::SafeMath,
    state::{discriminator, Reader, Writer},
    utils::{close_program_account, rent_exempt_minimum},
};

/// Tag that starts every IDL instruction (anchor-lang's `IDL_IX_TAG`, little endian).
pub const IDL_IX_TAG: [u8; 8] = 0x0a69_e9a7_78bc_f440u64.to_le_bytes();
/// Seed of the IDL address (`create_with_seed`).
pub const IDL_SEED: &str = "anchor:idl";
/// `sha256("account:IdlAccount")[..8]`.
pub const IDL_ACCOUNT_DISCRIMINATOR: [u8; 8] = discriminator::account("IdlAccount");
/// Bytes before the IDL data: discriminator, authority, data length.
pub const IDL_HEADER_LEN: usize = 8 + 32 + 4;
/// Most bytes one `Create` or `Resize` may allocate (anchor-lang's limit for one call).
pub const IDL_MAX_GROWTH: usize = 10_000;
/// anchor-lang's erased authority, all zero (`set-authority` to it freezes the IDL).
pub const ERASED_AUTHORITY: Pubkey = [0; 32];
/// The BPF upgradeable loader, owner of Gavel's program and program-data accounts.
const UPGRADEABLE_LOADER: Pubkey =
    pinocchio_pubkey::pubkey!("BPFLoaderUpgradeab1e11111111111111111111111");

/// Handler: `args` is the instruction data after the tag.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let mut r = Reader::new(args, 0);
    match r.u8()? {
        0 => {
            let data_len = r.u64()?;
            r.finish()?;
            create(accounts, data_len)
        }
        1 => {
            r.finish()?;
            create_buffer(accounts)
        }
        2 => write(
            accounts,
            args.get(1..).ok_or(GavelError::InstructionDataInvalid)?,
        ),
        3 => {
            r.finish()?;
            set_buffer(accounts)
        }
        4 => {
            let new_authority = r.pubkey()?;
            r.finish()?;
            let [idl, authority, ..] = accounts else {
                return Err(GavelError::AccountsMissing.into());
            };
            let data_len = load(idl, authority)?;
            store_header(idl, &new_authority, data_len)
        }
        5 => {
            r.finish()?;
            let [idl, authority, destination, ..] = accounts else {
                return Err(GavelError::AccountsMissing.into());
            };
            load(idl, authority)?;
            if idl.key() == destination.key() {
                return Err(GavelError::AccountDuplicate.into());
            }
            close_program_account(idl, destination)
        }
        _ => Err(GavelError::InstructionDataInvalid.into()),
    }
}

/// Writes an IDL account's header: discriminator, `authority`, `data_len`.
#[inline(never)]
fn store_header(account: &AccountInfo, authority: &Pubkey, data_len: u32) -> ProgramResult {
    let mut data = account.try_borrow_mut_data()?;
    Writer::new(&mut data[..IDL_HEADER_LEN], 0)
        .bytes(&IDL_ACCOUNT_DISCRIMINATOR)
        .bytes(authority)
        .bytes(&data_len.to_le_bytes());
    Ok(())
}

/// Loads a writable IDL account of Gavel, requires `authority` to be its (unerased) signer, and
/// returns its data length.
#[inline(never)]
fn load(idl: &AccountInfo, authority: &AccountInfo) -> Result<u32, GavelError> {
    if !idl.is_writable() {
        return Err(GavelError::AccountNotWritable);
    }
    if !idl.is_owned_by(&crate::ID) {
        return Err(GavelError::AccountOwnerInvalid);
    }
    if !authority.is_signer() {
        return Err(GavelError::SignerMissing);
    }
    let data = idl
        .try_borrow_data()
        .map_err(|_| GavelError::AccountDiscriminatorInvalid)?;
    if data.len() < IDL_HEADER_LEN || data[..8] != IDL_ACCOUNT_DISCRIMINATOR {
        return Err(GavelError::AccountDiscriminatorInvalid);
    }
    if &data[8..40] != authority.key() || authority.key() == &ERASED_AUTHORITY {
        return Err(GavelError::IdlAuthorityMismatch);
    }
    Ok(u32::from_le_bytes([data[40], data[41], data[42], data[43]]))
}

/// `Create`: the program's upgrade authority creates the IDL account with room for `data_len`
/// bytes (at most 10,000 in one call; `Resize` adds more).
fn create(accounts: &[AccountInfo], data_len: u64) -> ProgramResult {
    let [from, to, base, system_program, program, program_data, ..] = accounts else {
        return Err(GavelError::AccountsMissing.into());
    };
    require_signer(from)?;
    require_system_program(system_program)?;
    if program.key() != &crate::ID || !program.executable() {
        return Err(GavelError::ProgramAccountInvalid.into());
    }
    require_upgrade_authority(program, program_data, from.key())?;
    let (expected_base, bump) = pubkey::find_program_address(&[], &crate::ID);
    if base.key() != &expected_base {
        return Err(GavelError::AccountAddressInvalid.into());
    }
    if to.key() != &pubkey::create_with_seed(&expected_base, IDL_SEED.as_bytes(), &crate::ID)? {
        return Err(GavelError::AccountAddressInvalid.into());
    }
    let space = (IDL_HEADER_LEN as u64)
        .saturating_add(data_len)
        .min(IDL_MAX_GROWTH as u64);
    let bump_seed = [bump];
    let seeds = [Seed::from(&bump_seed)];
    CreateAccountWithSeed {
        from,
        to,
        base: Some(base),
        seed: IDL_SEED,
        lamports: rent_exempt_minimum(space as usize)?,
        space,
        owner: &crate::ID,
    }
    .invoke_signed(&[Signer::from(&seeds)])?;
    store_header(to, from.key(), 0)
}

/// Requires `authority` to be Gavel's upgrade authority, read from its program-data account.
fn require_upgrade_authority(
    program: &AccountInfo,
    program_data: &AccountInfo,
    authority: &Pubkey,
) -> Result<(), GavelError> {
    let bad = GavelError::ProgramAccountInvalid;
    if !program.is_owned_by(&UPGRADEABLE_LOADER) || !program_data.is_owned_by(&UPGRADEABLE_LOADER) {
        return Err(bad);
    }
    // Program: u32 tag 2, program-data address. Program data: u32 tag 3, slot u64,
    // Option<Pubkey> upgrade authority.
    let p = program.try_borrow_data().map_err(|_| bad)?;
    if p.len() < 36 || p[..4] != [2, 0, 0, 0] || &p[4..36] != program_data.key() {
        return Err(bad);
    }
    let d = program_data.try_borrow_data().map_err(|_| bad)?;
    if d.len() < 45 || d[..4] != [3, 0, 0, 0] {
        return Err(bad);
    }
    if d[12] != 1 || &d[13..45] != authority {
        return Err(GavelError::IdlAuthorityMismatch);
    }
    Ok(())
}

/// `CreateBuffer`: a zeroed Gavel-owned account becomes an empty IDL buffer of `authority`.
fn create_buffer(accounts: &[AccountInfo]) -> ProgramResult {
    let [buffer, authority, ..] = accounts else {
        return Err(GavelError::AccountsMissing.into());
    };
    require_signer(authority)?;
    if authority.key() == &ERASED_AUTHORITY {
        return Err(GavelError::IdlAuthorityMismatch.into());
    }
    if !buffer.is_writable() {
        return Err(GavelError::AccountNotWritable.into());
    }
    if !buffer.is_owned_by(&crate::ID) {
        return Err(GavelError::AccountOwnerInvalid.into());
    }
    {
        let data = buffer.try_borrow_data()?;
        if data.len() < IDL_HEADER_LEN || data[..8] != [0; 8] {
            return Err(GavelError::AccountDiscriminatorInvalid.into());
        }
    }
    store_header(buffer, authority.key(), 0)
}

/// `Write`: appends `args` (a Borsh `Vec<u8>`) to the IDL data.
fn write(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let [idl, authority, ..] = accounts else {
        return Err(GavelError::AccountsMissing.into());
    };
    let data_len = load(idl, authority)?;
    let (len_bytes, bytes) = args
        .split_at_checked(4)
        .ok_or(GavelError::InstructionDataInvalid)?;
    let n = u32::from_le_bytes([len_bytes[0], len_bytes[1], len_bytes[2], len_bytes[3]]);
    if bytes.len() != n as usize {
        return Err(GavelError::InstructionDataInvalid.into());
    }
    let start = IDL_HEADER_LEN.safe_add(data_len as usize)?;
    let end = start.safe_add(n as usize)?;
    {
        let mut data = idl.try_borrow_mut_data()?;
        data.get_mut(start..end)
            .ok_or(GavelError::IdlAccountFull)?
            .copy_from_slice(bytes);
    }
    let data_len = data_len.checked_add(n).ok_or(GavelError::MathOverflow)?;
    store_header(idl, authority.key(), data_len)
}

/// `SetBuffer`: copies a buffer's IDL into the IDL account (same authority on both).
fn set_buffer(accounts: &[AccountInfo]) -> ProgramResult {
    let [buffer, idl, authority, ..] = accounts else {
        return Err(GavelError::AccountsMissing.into());
    };
    if buffer.key() == idl.key() {
        return Err(GavelError::AccountDuplicate.into());
    }
    let buffer_len = load(buffer, authority)?;
    load(idl, authority)?;
    let end = IDL_HEADER_LEN.safe_add(buffer_len as usize)?;
    {
        let from = buffer.try_borrow_data()?;
        let mut to = idl.try_borrow_mut_data()?;
        to.get_mut(IDL_HEADER_LEN..end)
            .ok_or(GavelError::IdlAccountFull)?
            .copy_from_slice(
                from.get(IDL_HEADER_LEN..end)
                    .ok_or(GavelError::AccountDiscriminatorInvalid)?,
            );
    }
    store_header(idl, authority.key(), buffer_len)
}

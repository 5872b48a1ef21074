//! SPL Token (classic program only) checks and CPIs.
//!
//! Token-2022 mints are refused (`MintInvalid`): transfer fees, hooks and interest-bearing
//! extensions would break the vault accounting, and supporting them properly is future work.

use pinocchio::{
    account_info::AccountInfo,
    instruction::{Seed, Signer},
    pubkey::Pubkey,
    ProgramResult,
};
use pinocchio_token::instructions::{Burn, MintTo, Transfer};

use crate::{
    error::GavelError,
    state::{market::MARKET_SEED, Market},
};

/// The classic SPL Token program id.
pub const TOKEN_PROGRAM_ID: Pubkey = pinocchio_token::ID;
/// Size of an SPL mint.
pub const MINT_LEN: usize = 82;
/// Size of an SPL token account.
pub const TOKEN_ACCOUNT_LEN: usize = 165;

/// Requires `account` to be the classic SPL Token program.
#[inline(never)]
pub fn require_token_program(account: &AccountInfo) -> ProgramResult {
    if account.key() == &TOKEN_PROGRAM_ID {
        Ok(())
    } else {
        Err(GavelError::ProgramAccountInvalid.into())
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

/// Moves `amount` from a user's token account, signed by the user.
#[inline(never)]
pub fn transfer_from_user(
    from: &AccountInfo,
    to: &AccountInfo,
    authority: &AccountInfo,
    amount: u64,
) -> ProgramResult {
    Transfer {
        from,
        to,
        authority,
        amount,
    }
    .invoke()
}

/// The market PDA's signer seeds: `["market", collateral_mint, debt_mint, [bump]]`.
fn with_market_signer(
    market: &Market,
    f: impl FnOnce(&[Signer]) -> ProgramResult,
) -> ProgramResult {
    let bump = [market.bump];
    let seeds = [
        Seed::from(MARKET_SEED),
        Seed::from(&market.collateral_mint),
        Seed::from(&market.debt_mint),
        Seed::from(&bump),
    ];
    f(&[Signer::from(&seeds)])
}

/// Moves `amount` out of a market vault, signed by the market PDA. Six registers with the result
/// pointer: so it packs the transfer for one shared out-of-line body instead of being inlined.
#[inline(always)]
pub fn transfer_from_vault(
    market: &Market,
    market_info: &AccountInfo,
    vault: &AccountInfo,
    to: &AccountInfo,
    amount: u64,
) -> ProgramResult {
    transfer_from_vault_packed(
        market,
        &Transfer {
            from: vault,
            to,
            authority: market_info,
            amount,
        },
    )
}

#[inline(never)]
fn transfer_from_vault_packed(market: &Market, transfer: &Transfer) -> ProgramResult {
    with_market_signer(market, |signers| transfer.invoke_signed(signers))
}

/// Mints LP shares, signed by the market PDA (inlined: six registers).
#[inline(always)]
pub fn mint_shares(
    market: &Market,
    market_info: &AccountInfo,
    share_mint: &AccountInfo,
    to: &AccountInfo,
    amount: u64,
) -> ProgramResult {
    with_market_signer(market, |signers| {
        MintTo {
            mint: share_mint,
            account: to,
            mint_authority: market_info,
            amount,
        }
        .invoke_signed(signers)
    })
}

/// Burns LP shares from a user's account, signed by the user.
#[inline(never)]
pub fn burn_shares(
    share_mint: &AccountInfo,
    from: &AccountInfo,
    authority: &AccountInfo,
    amount: u64,
) -> ProgramResult {
    Burn {
        account: from,
        mint: share_mint,
        authority,
        amount,
    }
    .invoke()
}

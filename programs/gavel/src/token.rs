//! SPL Token (classic program only) CPIs; the mint and token-account checks are in `checks.rs`.
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

use crate::state::{seeds_gen::MARKET_SEED, Market};

/// The classic SPL Token program id.
pub const TOKEN_PROGRAM_ID: Pubkey = pinocchio_token::ID;
/// Size of an SPL mint.
pub const MINT_LEN: usize = 82;
/// Size of an SPL token account.
pub const TOKEN_ACCOUNT_LEN: usize = 165;

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

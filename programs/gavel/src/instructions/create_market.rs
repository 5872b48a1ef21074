//! `create_market`: creates a lending market for a (collateral, debt) mint pair with its two
//! vaults and LP share mint.
//!
//! Who: the config admin (any stop level).
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `CreateMarketAccounts`):
//! - `admin`: Signer, writable. Pays the rent.
//! - `config`: PDA `["config"]`. The protocol's Config (admin, stop level).
//! - `market`: Writable, PDA `["market", collateral_mint, debt_mint]`.
//! - `collateral_mint`: A classic SPL mint.
//! - `debt_mint`: A classic SPL mint.
//! - `collateral_vault`: Writable, PDA `["collateral_vault", market]`.
//! - `liquidity_vault`: Writable, PDA `["liquidity_vault", market]`.
//! - `share_mint`: Writable, PDA `["share_mint", market]`. The LP share mint.
//! - `token_program`: SPL Token program.
//! - `system_program`: System program.
//!
//! Args: `params: MarketParams` (validated).
//! Changes: creates the four accounts; `rate` starts at 1.0; emits `MarketCreated`.

use pinocchio::{
    account_info::AccountInfo,
    instruction::{Seed, Signer},
    pubkey::Pubkey,
    ProgramResult,
};
use pinocchio_token::instructions::{InitializeAccount3, InitializeMint2};

use crate::{
    checks::{
        require_classic_mint, require_pda, require_signer, require_system_program,
        require_token_program, require_writable,
    },
    context::now,
    error::GavelError,
    events::{Event, MarketCreated},
    math::RATE_SCALE,
    state::{
        seeds_gen::{COLLATERAL_VAULT_SEED, LIQUIDITY_VAULT_SEED, MARKET_SEED, SHARE_MINT_SEED},
        Config, Market, MarketParams, Reader,
    },
    token::{MINT_LEN, TOKEN_ACCOUNT_LEN, TOKEN_PROGRAM_ID},
    utils::create_pda_account,
};

/// Creates one token-program-owned PDA (vault or mint) of the market. Inlined: six register
/// arguments would need stack arguments, which the BPF target lacks.
#[inline(always)]
pub fn create_token_pda(
    admin: &AccountInfo,
    account: &AccountInfo,
    seed: &[u8],
    market: &Pubkey,
    space: usize,
) -> ProgramResult {
    require_writable(account)?;
    let bump = require_pda(account, &crate::seeds!(seed, market))?;
    let bump = [bump];
    let seeds = [Seed::from(seed), Seed::from(market), Seed::from(&bump)];
    create_pda_account(
        admin,
        account,
        space,
        &TOKEN_PROGRAM_ID,
        &Signer::from(&seeds),
    )
}

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::CreateMarketAccounts {
        admin,
        config,
        market: market_info,
        collateral_mint,
        debt_mint,
        collateral_vault,
        liquidity_vault,
        share_mint,
        token_program,
        system_program,
    } = super::accounts_gen::CreateMarketAccounts::from_slice(accounts)?;
    let mut r = Reader::new(args, 0);
    let params = MarketParams::read(&mut r)?;
    r.finish()?;

    require_signer(admin)?;
    require_writable(admin)?;
    require_writable(market_info)?;
    require_token_program(token_program)?;
    require_system_program(system_program)?;
    if Config::load(config)?.admin != *admin.key() {
        return Err(GavelError::AdminRequired.into());
    }
    params.validate()?;
    let collateral_decimals = require_classic_mint(collateral_mint)?;
    let debt_decimals = require_classic_mint(debt_mint)?;
    if collateral_mint.key() == debt_mint.key() {
        return Err(GavelError::AccountDuplicate.into());
    }
    let bump = require_pda(
        market_info,
        &crate::seeds!(MARKET_SEED, collateral_mint.key(), debt_mint.key()),
    )?;
    if market_info.data_len() != 0 || market_info.is_owned_by(&crate::ID) {
        return Err(GavelError::MarketAlreadyExists.into());
    }

    let bump_seed = [bump];
    let seeds = [
        Seed::from(MARKET_SEED),
        Seed::from(collateral_mint.key()),
        Seed::from(debt_mint.key()),
        Seed::from(&bump_seed),
    ];
    create_pda_account(
        admin,
        market_info,
        Market::LEN,
        &crate::ID,
        &Signer::from(&seeds),
    )?;
    let market_key = market_info.key();
    create_token_pda(
        admin,
        collateral_vault,
        COLLATERAL_VAULT_SEED,
        market_key,
        TOKEN_ACCOUNT_LEN,
    )?;
    create_token_pda(
        admin,
        liquidity_vault,
        LIQUIDITY_VAULT_SEED,
        market_key,
        TOKEN_ACCOUNT_LEN,
    )?;
    create_token_pda(admin, share_mint, SHARE_MINT_SEED, market_key, MINT_LEN)?;
    InitializeAccount3 {
        account: collateral_vault,
        mint: collateral_mint,
        owner: market_key,
    }
    .invoke()?;
    InitializeAccount3 {
        account: liquidity_vault,
        mint: debt_mint,
        owner: market_key,
    }
    .invoke()?;
    InitializeMint2 {
        mint: share_mint,
        decimals: debt_decimals,
        mint_authority: market_key,
        freeze_authority: None,
    }
    .invoke()?;

    let market = Market {
        bump,
        collateral_mint: *collateral_mint.key(),
        debt_mint: *debt_mint.key(),
        collateral_decimals,
        debt_decimals,
        collateral_vault: *collateral_vault.key(),
        liquidity_vault: *liquidity_vault.key(),
        share_mint: *share_mint.key(),
        total_shares: 0,
        cash: 0,
        insurance: 0,
        art_total: 0,
        rate: RATE_SCALE,
        last_accrual_ts: now()?.unix_timestamp,
        collateral_total: 0,
        dirt: 0,
        auction_debt: 0,
        auction_count: 0,
        params,
        collateral_publish_time: 0,
        debt_publish_time: 0,
        backstop_due: 0,
    };
    market.store(market_info)?;
    MarketCreated {
        market: *market_key,
        collateral_mint: market.collateral_mint,
        debt_mint: market.debt_mint,
        params,
    }
    .emit();
    Ok(())
}

//! `create_backstop`: creates a market's backstop pool with its share mint and two vaults.
//!
//! Who: the config admin (any stop level).
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `CreateBackstopAccounts`):
//! - `admin`: Signer, writable. Pays the rent.
//! - `config`: PDA `["config"]`. The protocol's Config (admin, stop level).
//! - `market`: PDA `["market", collateral_mint, debt_mint]`.
//! - `backstop`: Writable, PDA `["backstop", market]`.
//! - `collateral_mint`: The market's.
//! - `debt_mint`: The market's.
//! - `share_mint`: Writable, PDA `["backstop_shares", market]`.
//! - `debt_vault`: Writable, PDA `["backstop_debt", market]`.
//! - `collateral_vault`: Writable, PDA `["backstop_collateral", market]`.
//! - `token_program`: SPL Token program.
//! - `system_program`: System program.
//!
//! Args: `params: BackstopParams` (validated).
//! Changes: creates the four accounts (token authority of the mint and vaults: the market PDA;
//! share decimals = debt decimals); the pool starts empty; emits `BackstopCreated`.

use pinocchio::{
    account_info::AccountInfo,
    instruction::{Seed, Signer},
    ProgramResult,
};
use pinocchio_token::instructions::{InitializeAccount3, InitializeMint2};

use super::create_market::create_token_pda;
use crate::{
    checks::{
        require_pda, require_signer, require_system_program, require_token_program,
        require_writable,
    },
    error::GavelError,
    events::{BackstopCreated, Event},
    state::{
        seeds_gen::{
            BACKSTOP_COLLATERAL_SEED, BACKSTOP_DEBT_SEED, BACKSTOP_SEED, BACKSTOP_SHARES_SEED,
        },
        Backstop, BackstopParams, Config, Market, Reader,
    },
    token::{MINT_LEN, TOKEN_ACCOUNT_LEN},
    utils::create_pda_account,
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::CreateBackstopAccounts {
        admin,
        config,
        market: market_info,
        backstop: backstop_info,
        collateral_mint,
        debt_mint,
        share_mint,
        debt_vault,
        collateral_vault,
        token_program,
        system_program,
    } = super::accounts_gen::CreateBackstopAccounts::from_slice(accounts)?;
    let mut r = Reader::new(args, 0);
    let params = BackstopParams::read(&mut r)?;
    r.finish()?;

    require_signer(admin)?;
    require_writable(admin)?;
    require_writable(backstop_info)?;
    require_token_program(token_program)?;
    require_system_program(system_program)?;
    if Config::load(config)?.admin != *admin.key() {
        return Err(GavelError::AdminRequired.into());
    }
    params.validate()?;
    let market = Market::load(market_info)?;
    if collateral_mint.key() != &market.collateral_mint || debt_mint.key() != &market.debt_mint {
        return Err(GavelError::MintInvalid.into());
    }
    let market_key = market_info.key();
    let bump = require_pda(backstop_info, &crate::seeds!(BACKSTOP_SEED, market_key))?;
    if backstop_info.data_len() != 0 || backstop_info.is_owned_by(&crate::ID) {
        return Err(GavelError::AccountAddressInvalid.into());
    }
    let bump_seed = [bump];
    let seeds = [
        Seed::from(BACKSTOP_SEED),
        Seed::from(market_key),
        Seed::from(&bump_seed),
    ];
    create_pda_account(
        admin,
        backstop_info,
        Backstop::LEN,
        &crate::ID,
        &Signer::from(&seeds),
    )?;
    create_token_pda(
        admin,
        share_mint,
        BACKSTOP_SHARES_SEED,
        market_key,
        MINT_LEN,
    )?;
    create_token_pda(
        admin,
        debt_vault,
        BACKSTOP_DEBT_SEED,
        market_key,
        TOKEN_ACCOUNT_LEN,
    )?;
    create_token_pda(
        admin,
        collateral_vault,
        BACKSTOP_COLLATERAL_SEED,
        market_key,
        TOKEN_ACCOUNT_LEN,
    )?;
    InitializeMint2 {
        mint: share_mint,
        decimals: market.debt_decimals,
        mint_authority: market_key,
        freeze_authority: None,
    }
    .invoke()?;
    InitializeAccount3 {
        account: debt_vault,
        mint: debt_mint,
        owner: market_key,
    }
    .invoke()?;
    InitializeAccount3 {
        account: collateral_vault,
        mint: collateral_mint,
        owner: market_key,
    }
    .invoke()?;

    let backstop = Backstop {
        market: *market_key,
        share_mint: *share_mint.key(),
        debt_vault: *debt_vault.key(),
        collateral_vault: *collateral_vault.key(),
        total_shares: 0,
        debt: 0,
        collateral: 0,
        warming: 0,
        params,
        bump,
    };
    backstop.store(backstop_info)?;
    BackstopCreated {
        market: *market_key,
        backstop: *backstop_info.key(),
        params,
    }
    .emit();
    Ok(())
}

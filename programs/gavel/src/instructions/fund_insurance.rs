//! `fund_insurance`: anyone adds debt tokens to a market's insurance fund (which pays kicker
//! rewards and absorbs bad debt before LPs do).
//!
//! Who: anyone, any stop level.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `FundInsuranceAccounts`):
//! - `funder`: Signer. Authority of `funder_debt_account`.
//! - `market`: Writable.
//! - `liquidity_vault`: Writable, PDA `["liquidity_vault", market]`.
//! - `funder_debt_account`: Writable. Debt mint.
//! - `token_program`: SPL Token program.
//!
//! Args: `amount: u64` (> 0).
//! Changes: moves `amount` into the vault; `insurance += amount`; emits `InsuranceFunded`.

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::{
    checks::{require_signer, require_token_account, require_token_program, require_vault},
    context::{load_market_mut, read_u64_arg},
    error::GavelError,
    events::{Event, InsuranceFunded},
    token::transfer_from_user,
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::FundInsuranceAccounts {
        funder,
        market: market_info,
        liquidity_vault,
        funder_debt_account,
        token_program,
    } = super::accounts_gen::FundInsuranceAccounts::from_slice(accounts)?;
    let amount = read_u64_arg(args)?;

    require_signer(funder)?;
    require_token_program(token_program)?;
    let mut market_slot = core::mem::MaybeUninit::uninit();
    let market = load_market_mut(market_info, &mut market_slot)?;
    require_vault(liquidity_vault, &market.liquidity_vault)?;
    require_token_account(funder_debt_account, &market.debt_mint)?;
    if amount == 0 {
        return Err(GavelError::AmountInvalid.into());
    }
    market.insurance = market
        .insurance
        .checked_add(amount)
        .ok_or(GavelError::MathOverflow)?;
    transfer_from_user(funder_debt_account, liquidity_vault, funder, amount)?;
    market.store(market_info)?;
    InsuranceFunded {
        market: *market_info.key(),
        funder: *funder.key(),
        amount,
        insurance: market.insurance,
    }
    .emit();
    Ok(())
}

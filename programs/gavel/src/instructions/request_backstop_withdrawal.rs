//! `request_backstop_withdrawal`: a depositor asks to leave the backstop with some shares. The
//! shares are burned now but keep their claim on the basket — they go on sharing the pool's
//! gains and losses — until `withdraw_backstop` pays them, at least `withdraw_cooldown_secs`
//! later.
//!
//! Who: a holder of backstop shares, while stop < 3.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `RequestBackstopWithdrawalAccounts`):
//! - `depositor`: Signer, writable. Pays the depositor account's rent the first time.
//! - `config`: PDA `["config"]`. The protocol's Config (admin, stop level).
//! - `backstop`: Writable.
//! - `depositor_account`: Writable, PDA `["backstop_depositor", backstop, depositor]`. Created when missing.
//! - `share_mint`: Writable, address `backstop.share_mint`. The backstop's.
//! - `depositor_share_account`: Writable. Backstop share mint, authority `depositor`.
//! - `token_program`: SPL Token program.
//! - `system_program`: System program.
//!
//! Args: `shares: u64` (> 0).
//! Changes: burns `shares`; the request grows by them and its cooldown restarts
//! (`withdraw_at = now + withdraw_cooldown_secs`); `total_shares` is unchanged. Emits
//! `BackstopWithdrawalRequested`.

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::{
    backstop::load_or_create_depositor,
    checks::{require_token_account, require_vault, require_writable},
    context::{now, read_u64_arg, require_user_call},
    error::GavelError,
    events::{BackstopWithdrawalRequested, Event},
    state::Backstop,
    token::burn_shares,
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::RequestBackstopWithdrawalAccounts {
        depositor,
        config,
        backstop: backstop_info,
        depositor_account: depositor_info,
        share_mint,
        depositor_share_account,
        token_program,
        system_program,
    } = super::accounts_gen::RequestBackstopWithdrawalAccounts::from_slice(accounts)?;
    let shares = read_u64_arg(args)?;

    require_user_call(
        depositor,
        token_program,
        config,
        crate::state::stop::REQUEST_BACKSTOP_WITHDRAWAL,
    )?;
    require_writable(backstop_info)?;
    let backstop = Backstop::load(backstop_info)?;
    require_vault(share_mint, &backstop.share_mint)?;
    require_token_account(depositor_share_account, &backstop.share_mint)?;
    if shares == 0 {
        return Err(GavelError::AmountInvalid.into());
    }
    let mut account = load_or_create_depositor(
        depositor,
        depositor_info,
        backstop_info.key(),
        system_program,
    )?;

    burn_shares(share_mint, depositor_share_account, depositor, shares)?;
    account.withdraw_shares = account
        .withdraw_shares
        .checked_add(shares)
        .ok_or(GavelError::MathOverflow)?;
    account.withdraw_at = now()?
        .unix_timestamp
        .checked_add(backstop.params.withdraw_cooldown_secs as i64)
        .ok_or(GavelError::MathOverflow)?;
    account.store(depositor_info)?;
    BackstopWithdrawalRequested {
        market: backstop.market,
        depositor: *depositor.key(),
        shares: account.withdraw_shares,
        withdraw_at: account.withdraw_at,
    }
    .emit();
    Ok(())
}

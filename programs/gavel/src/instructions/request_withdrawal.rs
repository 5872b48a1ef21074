//! `request_withdrawal`: first step of an LP withdrawal. The LP's shares leave their account into
//! a withdrawal request, where they keep sharing the pool's losses until the claim.
//!
//! Who: the holder of the shares, while stop < 3; one request per LP and market at a time.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `RequestWithdrawalAccounts`):
//! - `lp`: Signer, writable. Pays the request's rent; authority of `lp_share_account`.
//! - `config`: PDA `["config"]`. The protocol's Config (admin, stop level).
//! - `market`: Writable.
//! - `share_mint`: Writable, PDA `["share_mint", market]`.
//! - `lp_share_account`: Writable. Share mint.
//! - `withdrawal_request`: Writable, PDA `["withdrawal", market, lp]`. Created here.
//! - `token_program`: SPL Token program.
//! - `system_program`: System program.
//!
//! Args: `shares: u64` (> 0).
//! Changes: accrues; burns `shares` from `lp_share_account` but leaves them in
//! `Market::total_shares`; creates the request with `value = floor(shares × pool value / total
//! shares)` (their worth now: the most a claim or cancel can give for them) and
//! `claimable_ts = now + withdraw_cooldown_secs`. Refused with `WithdrawalRequestExists` while the
//! LP has a request in this market, `AmountInvalid` if the shares are worth 0. Emits `WithdrawalRequested`.
//!
//! Why a cooldown: debt of an unsafe position that nobody has kicked yet counts at face value in
//! the pool. A cooldown longer than the kick latency makes that loss visible (as a live auction,
//! counted only up to the insurance fund, or as settled bad debt) before the LP is paid, so an LP
//! cannot leave ahead of it (THREAT_MODEL.md, "LP run-ahead").

use pinocchio::{
    account_info::AccountInfo,
    instruction::{Seed, Signer},
    ProgramResult,
};

use crate::{
    checks::{
        require_pda, require_system_program, require_token_account, require_vault, require_writable,
    },
    context::{load_market_mut, now, read_u64_arg, require_user_call},
    error::GavelError,
    events::{Event, WithdrawalRequested},
    math,
    state::{seeds_gen::WITHDRAWAL_SEED, WithdrawalRequest},
    token::burn_shares,
    utils::create_pda_account,
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::RequestWithdrawalAccounts {
        lp,
        config,
        market: market_info,
        share_mint,
        lp_share_account,
        withdrawal_request: request_info,
        token_program,
        system_program,
    } = super::accounts_gen::RequestWithdrawalAccounts::from_slice(accounts)?;
    let shares = read_u64_arg(args)?;

    require_user_call(
        lp,
        token_program,
        config,
        crate::state::stop::REQUEST_WITHDRAWAL,
    )?;
    require_writable(lp)?;
    require_writable(request_info)?;
    require_system_program(system_program)?;
    let mut market_slot = core::mem::MaybeUninit::uninit();
    let market = load_market_mut(market_info, &mut market_slot)?;
    require_vault(share_mint, &market.share_mint)?;
    require_token_account(lp_share_account, &market.share_mint)?;
    if shares == 0 || shares > market.total_shares {
        return Err(GavelError::AmountInvalid.into());
    }
    let bump = require_pda(
        request_info,
        &crate::seeds!(WITHDRAWAL_SEED, market_info.key(), lp.key()),
    )?;
    if request_info.data_len() != 0 || request_info.is_owned_by(&crate::ID) {
        return Err(GavelError::WithdrawalRequestExists.into());
    }

    let clock = now()?;
    market.accrue(clock.unix_timestamp)?;
    let value = math::amount_for_shares(shares, market.pool_value()?, market.total_shares)
        .ok_or(GavelError::MathOverflow)?;
    if value == 0 {
        return Err(GavelError::AmountInvalid.into());
    }
    let claimable_ts = clock
        .unix_timestamp
        .checked_add(market.params.withdraw_cooldown_secs as i64)
        .ok_or(GavelError::MathOverflow)?;

    burn_shares(share_mint, lp_share_account, lp, shares)?;
    let bump_seed = [bump];
    let seeds = [
        Seed::from(WITHDRAWAL_SEED),
        Seed::from(market_info.key()),
        Seed::from(lp.key()),
        Seed::from(&bump_seed),
    ];
    create_pda_account(
        lp,
        request_info,
        WithdrawalRequest::LEN,
        &crate::ID,
        &Signer::from(&seeds),
    )?;
    WithdrawalRequest {
        market: *market_info.key(),
        lp: *lp.key(),
        shares,
        value,
        requested_ts: clock.unix_timestamp,
        claimable_ts,
        bump,
    }
    .store(request_info)?;
    market.store(market_info)?;
    WithdrawalRequested {
        market: *market_info.key(),
        lp: *lp.key(),
        shares,
        value,
        claimable_ts,
        unix_timestamp: clock.unix_timestamp,
    }
    .emit();
    Ok(())
}

//! `take_end`: second half of a flash take — collects the payment recorded by `take_begin` and
//! books it exactly like `take` (settling the auction when it is done).
//!
//! Who: anyone paying (usually the same taker), in the transaction of the `take_begin`.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `TakeEndAccounts`):
//! - `payer`: Signer. Authority of `debt_source`.
//! - `market`: Writable, address `auction.market`.
//! - `auction`: Writable. Account index 2, which `take_begin` looks for.
//! - `position`: Writable, address `auction.position`.
//! - `liquidity_vault`: Writable, PDA `["liquidity_vault", market]`.
//! - `debt_source`: Writable. Debt mint.
//! - `kicker`: Writable, address `auction.kicker`. Gets the auction's rent if this closes it.
//! - `token_program`: SPL Token program.
//!
//! Args: none.
//! Changes: pays `pending_owe` into the vault; tab/dirt/cash/insurance as `take`; clears the
//! flash flag; may emit `AuctionSettled`/`BadDebt` and close the auction.

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::{
    checks::{require_signer, require_token_account, require_token_program, require_vault},
    context::now,
    error::GavelError,
    liquidation::{
        apply_proceeds, load_auction_scene, settle_and_store, AuctionAccounts, AuctionSlots,
    },
    state::Reader,
    token::transfer_from_user,
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::TakeEndAccounts {
        payer,
        market: market_info,
        auction: auction_info,
        position: position_info,
        liquidity_vault,
        debt_source,
        kicker,
        token_program,
    } = super::accounts_gen::TakeEndAccounts::from_slice(accounts)?;
    Reader::new(args, 0).finish()?;
    require_signer(payer)?;
    require_token_program(token_program)?;
    let auction_accounts = AuctionAccounts::new(market_info, auction_info, position_info, kicker);
    let mut slots = AuctionSlots::uninit();
    let (market, auction, position) = load_auction_scene(&auction_accounts, &mut slots)?;
    require_vault(liquidity_vault, &market.liquidity_vault)?;
    require_token_account(debt_source, &market.debt_mint)?;
    if auction.flash == 0 {
        return Err(GavelError::FlashTakeNotPending.into());
    }

    let owe = auction.pending_owe;
    auction.pending_owe = 0;
    auction.flash = 0;
    apply_proceeds(market, auction, owe)?;
    transfer_from_user(debt_source, liquidity_vault, payer, owe)?;
    settle_and_store(
        &auction_accounts,
        market,
        auction,
        position,
        now()?.unix_timestamp,
    )?;
    Ok(())
}

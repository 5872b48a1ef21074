//! `take`: buys collateral from an auction at its current price (Maker's `clip.take`).
//!
//! Who: anyone, while stop < 3. Partial fills by many bidders, in any order, are the normal case.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `TakeAccounts`):
//! - `taker`: Signer. Authority of `debt_source`.
//! - `config`: PDA `["config"]`. The protocol's Config (admin, stop level).
//! - `market`: Writable, address `auction.market`.
//! - `auction`: Writable.
//! - `position`: Writable, address `auction.position`. The auctioned position.
//! - `collateral_vault`: Writable, PDA `["collateral_vault", market]`.
//! - `liquidity_vault`: Writable, PDA `["liquidity_vault", market]`.
//! - `collateral_destination`: Writable. Collateral mint: where the collateral goes.
//! - `debt_source`: Writable. Debt mint.
//! - `kicker`: Writable, address `auction.kicker`. Gets the auction's rent if this closes it.
//! - `token_program`: SPL Token program.
//! - `oracles @ ..`: For an anchored auction: the market's collateral oracle, then its debt oracle when it has one. Not in the IDL.
//!
//! Args: `max_collateral: u64`, `max_price: u64` (PRICE_SCALE; slippage guard).
//! Rules: Maker mode prices from the curve and reads no oracle; anchored mode reads the oracle
//! with kick's guards, refuses a publish time older than the market has seen, and prices
//! `oracle × (1 − d)`. Refused when the auction needs a reset or its price is above `max_price`; buys
//! `min(lot, max_collateral)`, never more than the tab buys, never leaving `0 < tab < dust`
//! (`math::auction::take_quote`).
//! Changes: collateral to the taker, payment to the liquidity vault (debt to LPs first, then
//! penalty to insurance). Tab raised in full: leftover collateral back to the position, auction
//! closed. Collateral exhausted with tab left: bad debt (insurance, then LPs), auction closed.
//! Emits `AuctionTaken` (+ `AuctionSettled`, `BadDebt`).

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::{
    checks::{require_distinct, require_token_account, require_vault},
    context::{read_buy_limits, require_user_call},
    events::{AuctionTaken, Event},
    liquidation::{
        apply_proceeds, load_auction_scene, require_no_flash, settle_and_store, take_now,
        AuctionAccounts, AuctionSlots,
    },
    token::{transfer_from_user, transfer_from_vault},
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::TakeAccounts {
        taker,
        config,
        market: market_info,
        auction: auction_info,
        position: position_info,
        collateral_vault,
        liquidity_vault,
        collateral_destination,
        debt_source,
        kicker,
        token_program,
        oracles,
    } = super::accounts_gen::TakeAccounts::from_slice(accounts)?;
    let limits = read_buy_limits(args)?;
    require_user_call(taker, token_program, config, crate::state::stop::TAKE)?;
    let auction_accounts = AuctionAccounts::new(market_info, auction_info, position_info, kicker);
    let mut slots = AuctionSlots::uninit();
    let (market, auction, position) = load_auction_scene(&auction_accounts, &mut slots)?;
    require_vault(collateral_vault, &market.collateral_vault)?;
    require_vault(liquidity_vault, &market.liquidity_vault)?;
    require_token_account(collateral_destination, &market.collateral_mint)?;
    require_token_account(debt_source, &market.debt_mint)?;
    require_distinct(collateral_destination, collateral_vault)?;
    require_no_flash(auction)?;

    let (fill, now) = take_now(market, auction, oracles, limits)?;
    apply_proceeds(market, auction, fill.owe)?;

    transfer_from_user(debt_source, liquidity_vault, taker, fill.owe)?;
    transfer_from_vault(
        market,
        market_info,
        collateral_vault,
        collateral_destination,
        fill.collateral,
    )?;
    AuctionTaken {
        market: *market_info.key(),
        auction: *auction_info.key(),
        id: auction.id,
        taker: *taker.key(),
        price: fill.price,
        collateral: fill.collateral,
        owe: fill.owe,
        tab: auction.tab,
        lot: auction.lot,
        unix_timestamp: now,
    }
    .emit();
    settle_and_store(&auction_accounts, market, auction, position, now)?;
    Ok(())
}

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

use crate::safe_math::SafeMath;
use crate::{
    checks::{
        require_distinct, require_signer, require_token_account, require_token_program,
        require_vault,
    },
    context::{load_market_mut, load_position_mut, now, require_stop},
    error::GavelError,
    events::{AuctionTaken, Event},
    liquidation::{
        apply_proceeds, close_auction, load_auction_mut, quote_take, settle_if_done,
        take_oracle_mid, AuctionIds,
    },
    state::Reader,
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
    let mut r = Reader::new(args, 0);
    let max_collateral = r.u64()?;
    let max_price = r.u64()?;
    r.finish()?;

    require_signer(taker)?;
    require_token_program(token_program)?;
    require_stop(config, crate::state::stop::TAKE)?;
    let mut market_slot = core::mem::MaybeUninit::uninit();
    let market = load_market_mut(market_info, &mut market_slot)?;
    let mut auction_slot = core::mem::MaybeUninit::uninit();
    let auction = load_auction_mut(
        auction_info,
        market_info.key(),
        Some(position_info.key()),
        &mut auction_slot,
    )?;
    let mut position_slot = core::mem::MaybeUninit::uninit();
    let position = load_position_mut(position_info, market_info.key(), None, &mut position_slot)?;
    require_vault(collateral_vault, &market.collateral_vault)?;
    require_vault(liquidity_vault, &market.liquidity_vault)?;
    require_token_account(collateral_destination, &market.collateral_mint)?;
    require_token_account(debt_source, &market.debt_mint)?;
    require_distinct(collateral_destination, collateral_vault)?;
    if auction.flash != 0 {
        return Err(GavelError::FlashTakePending.into());
    }

    // No accrual: a take does not read the borrow index (that keeps takes cheap).
    let clock = now()?;
    let now = clock.unix_timestamp;
    let oracle_mid = take_oracle_mid(market, auction, oracles, &clock)?;
    let fill = quote_take(
        market,
        auction,
        now,
        oracle_mid,
        (max_collateral, max_price),
    )?;
    auction.lot = auction.lot.safe_sub(fill.collateral)?;
    market.collateral_total = market.collateral_total.safe_sub(fill.collateral)?;
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
    let ids = AuctionIds {
        market: *market_info.key(),
        auction: *auction_info.key(),
        now,
    };
    if settle_if_done(market, auction, position, &ids)? {
        close_auction(auction, auction_info, kicker)?;
    } else {
        auction.store(auction_info)?;
    }
    position.store(position_info)?;
    market.store(market_info)?;
    Ok(())
}

//! `cancel_auction`: the admin stops an auction in an emergency (Maker's `clip.yank`).
//!
//! Who: the config admin, only at stop level 3.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `CancelAuctionAccounts`):
//! - `admin`: Signer.
//! - `config`: PDA `["config"]`. The protocol's Config (admin, stop level).
//! - `market`: Writable, address `auction.market`.
//! - `auction`: Writable.
//! - `position`: Writable, address `auction.position`. The auctioned position.
//! - `kicker`: Writable, address `auction.kicker`. Gets the auction's rent.
//!
//! Args: none.
//! Changes: the lot goes back to the position's collateral and the remaining tab back to its
//! debt (as art at the current rate, rounded up); the rewards the auction charged beyond its
//! penalty stay with the position (`liquidation::carry_unearned`, the penalty counted as
//! collected since it is owed again); `dirt` and `auction_debt` shrink; the auction closes; emits `AuctionSettled` with reason 2.

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::safe_math::SafeMath;
use crate::{
    checks::require_signer,
    context::now,
    error::GavelError,
    events::{AuctionSettled, Event},
    liquidation::{
        carry_unearned, close_auction, load_auction_scene, reason, require_no_flash,
        AuctionAccounts, AuctionSlots,
    },
    math,
    state::{stop, Config, Reader},
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::CancelAuctionAccounts {
        admin,
        config,
        market: market_info,
        auction: auction_info,
        position: position_info,
        kicker,
    } = super::accounts_gen::CancelAuctionAccounts::from_slice(accounts)?;
    Reader::new(args, 0).finish()?;
    require_signer(admin)?;
    let config = Config::load(config)?;
    if config.admin != *admin.key() {
        return Err(GavelError::AdminRequired.into());
    }
    if !stop::CANCEL_AUCTION.allows(config.stop) {
        return Err(GavelError::ProtocolStopped.into());
    }
    let auction_accounts = AuctionAccounts::new(market_info, auction_info, position_info, kicker);
    let mut slots = AuctionSlots::uninit();
    let (market, auction, position) = load_auction_scene(&auction_accounts, &mut slots)?;
    require_no_flash(auction)?;
    let now = now()?.unix_timestamp;
    market.accrue(now)?;
    let art = math::art_from_debt_ceil(auction.tab, market.rate).ok_or(GavelError::MathOverflow)?;
    position.ink = position
        .ink
        .checked_add(auction.lot)
        .ok_or(GavelError::MathOverflow)?;
    position.art = position
        .art
        .checked_add(art)
        .ok_or(GavelError::MathOverflow)?;
    position.auctions = position.auctions.saturating_sub(1);
    // The whole tab goes back as debt, penalty included: the penalty counts as collected.
    carry_unearned(position, auction, 0, 0);
    market.art_total = market
        .art_total
        .checked_add(art)
        .ok_or(GavelError::MathOverflow)?;
    market.auction_debt = market.auction_debt.saturating_sub(auction.debt);
    market.dirt = market.dirt.saturating_sub(auction.tab);
    close_auction(auction, auction_info, kicker)?;
    position.store(position_info)?;
    market.store(market_info)?;
    AuctionSettled {
        market: *market_info.key(),
        auction: *auction_info.key(),
        id: auction.id,
        position: auction.position,
        reason: reason::CANCELLED,
        raised: auction.initial_tab.safe_sub(auction.tab)?,
        returned_collateral: auction.lot,
        bad_debt: 0,
        unix_timestamp: now,
    }
    .emit();
    Ok(())
}

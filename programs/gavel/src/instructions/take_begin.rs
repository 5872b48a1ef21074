//! `take_begin`: first half of a flash take — the collateral goes out before payment, so a
//! bidder can sell it on any venue in the same transaction and pay from the proceeds (the Solana
//! equivalent of Maker's `clipperCall`; a CPI callback cannot re-enter the program).
//!
//! Who: anyone, while stop < 3.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `TakeBeginAccounts`):
//! - `taker`: Signer.
//! - `config`: PDA `["config"]`. The protocol's Config (admin, stop level).
//! - `market`: Writable, address `auction.market`.
//! - `auction`: Writable.
//! - `collateral_vault`: Writable, PDA `["collateral_vault", market]`.
//! - `collateral_destination`: Writable. Collateral mint.
//! - `instructions_sysvar`: Instructions sysvar.
//! - `token_program`: SPL Token program.
//! - `oracles @ ..`: For an anchored auction: the market's collateral oracle, then its debt oracle when it has one. Not in the IDL.
//!
//! Args: `max_collateral: u64`, `max_price: u64` (as `take`).
//! Rules: as `take` (anchored auctions read the oracle with the same guards), priced now; a `take_end` for the same auction must follow later in the same
//! transaction (checked in the instructions sysvar); no other flash take may be open on it.
//! Changes: sends the collateral; records `pending_owe`; emits `AuctionTaken` (tab shown as it
//! will be after `take_end`, which the transaction cannot succeed without).

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::safe_math::SafeMath;
use crate::{
    checks::{require_distinct, require_token_account, require_vault},
    context::{load_market_mut, read_buy_limits, require_user_call},
    events::{AuctionTaken, Event},
    instructions_sysvar::require_later_take_end,
    liquidation::{load_auction_mut, require_no_flash, take_now},
    token::transfer_from_vault,
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::TakeBeginAccounts {
        taker,
        config,
        market: market_info,
        auction: auction_info,
        collateral_vault,
        collateral_destination,
        instructions_sysvar,
        token_program,
        oracles,
    } = super::accounts_gen::TakeBeginAccounts::from_slice(accounts)?;
    let limits = read_buy_limits(args)?;
    require_user_call(taker, token_program, config, crate::state::stop::TAKE_BEGIN)?;
    let mut market_slot = core::mem::MaybeUninit::uninit();
    let market = load_market_mut(market_info, &mut market_slot)?;
    let mut auction_slot = core::mem::MaybeUninit::uninit();
    let auction = load_auction_mut(auction_info, market_info.key(), None, &mut auction_slot)?;
    require_vault(collateral_vault, &market.collateral_vault)?;
    require_token_account(collateral_destination, &market.collateral_mint)?;
    require_distinct(collateral_destination, collateral_vault)?;
    require_no_flash(auction)?;
    require_later_take_end(instructions_sysvar, auction_info.key())?;

    let (fill, now) = take_now(market, auction, oracles, limits)?;
    auction.pending_owe = fill.owe;
    auction.flash = 1;

    transfer_from_vault(
        market,
        market_info,
        collateral_vault,
        collateral_destination,
        fill.collateral,
    )?;
    auction.store(auction_info)?;
    market.store(market_info)?;
    AuctionTaken {
        market: *market_info.key(),
        auction: *auction_info.key(),
        id: auction.id,
        taker: *taker.key(),
        price: fill.price,
        collateral: fill.collateral,
        owe: fill.owe,
        tab: auction.tab.safe_sub(fill.owe)?,
        lot: auction.lot,
        unix_timestamp: now,
    }
    .emit();
    Ok(())
}

//! `kick`: starts a Dutch auction of an unsafe position (Maker's `dog.bark` + `clip.kick`).
//!
//! Who: anyone, while stop = 0.
//! Accounts: `kicker` (signer, writable: pays the auction's rent, gets it back at the close),
//! `config`, `market` (writable), `position` (writable), `auction` (writable, PDA
//! `["auction", market, market.auction_count as u64 LE]`), `liquidity_vault` (writable),
//! `kicker_debt_account` (writable, debt mint: receives the reward), `token_program`,
//! `system_program`, `collateral_oracle`, and `debt_oracle` when the market has one.
//! Args: none.
//! Rules: the position's debt must exceed `liquidation_ltv_bps` of its collateral value at a
//! fresh, confident oracle price (the price itself, not price − confidence). At most
//! `room = hole − dirt` of tab is started: debt moved = min(debt, room / (1 + chop)); if that would
//! leave the position under `dust` the whole debt goes (Maker), else the auction itself must be
//! at least `dust`. Collateral moves pro rata (rounded down).
//! Changes: position `art`/`ink` shrink; a new `Auction` with `tab = debt × (1 + chop)` (rounded
//! up), `top = oracle × buf`; `dirt += tab`; the kicker gets `tip + chip × tab` from the
//! insurance fund, capped by the auction's penalty and by the fund's balance; emits
//! `AuctionStarted`.

use pinocchio::{
    account_info::AccountInfo,
    instruction::{Seed, Signer},
    ProgramResult,
};

use crate::{
    context::{
        load_market_mut, load_position_mut, load_prices, now, require_stop_below, require_vault,
    },
    error::GavelError,
    events::{AuctionStarted, Event},
    liquidation::take_reward,
    math::{self, BPS, RATE_SCALE},
    state::{auction::AUCTION_SEED, Auction, Reader},
    token::{require_token_account, require_token_program, transfer_from_vault},
    utils::{
        create_pda_account, require_distinct, require_pda, require_signer, require_system_program,
        require_writable,
    },
};

/// Stop level from which kicks are refused.
pub const STOP_KICKS: u8 = 1;

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let [kicker, config, market_info, position_info, auction_info, liquidity_vault, kicker_debt_account, token_program, system_program, oracles @ ..] =
        accounts
    else {
        return Err(GavelError::AccountsMissing.into());
    };
    Reader::new(args, 0).finish()?;
    require_signer(kicker)?;
    require_writable(kicker)?;
    require_writable(auction_info)?;
    require_token_program(token_program)?;
    require_system_program(system_program)?;
    require_stop_below(config, STOP_KICKS)?;
    let mut market = load_market_mut(market_info)?;
    let mut position = load_position_mut(position_info, market_info.key(), None)?;
    require_vault(liquidity_vault, &market.liquidity_vault)?;
    require_token_account(kicker_debt_account, &market.debt_mint)?;
    // Paying the vault to itself would reduce `insurance` without moving a token.
    require_distinct(kicker_debt_account, liquidity_vault)?;

    let now = now()?;
    market.accrue(now.unix_timestamp)?;
    let prices = load_prices(&market, oracles, &now)?;
    let p = market.params;
    let debt = math::debt_from_art(position.art, market.rate).ok_or(GavelError::MathOverflow)?;
    let value = math::value_floor(position.ink, prices.mid).ok_or(GavelError::MathOverflow)?;
    let limit =
        math::max_debt_for(value, p.liquidation_ltv_bps as u64).ok_or(GavelError::MathOverflow)?;
    if debt == 0 || debt <= limit {
        return Err(GavelError::PositionSafe.into());
    }

    // How much fits under the hole (Maker's `room`), in normalized debt.
    let room = p.hole.saturating_sub(market.dirt);
    if room == 0 {
        return Err(GavelError::HoleFull.into());
    }
    let room_debt =
        math::mul_div_floor(room, BPS, BPS + p.chop_bps as u64).ok_or(GavelError::MathOverflow)?;
    let room_art =
        math::mul_div_floor(room_debt, RATE_SCALE, market.rate).ok_or(GavelError::MathOverflow)?;
    let mut dart = position.art.min(room_art);
    if dart < position.art {
        let left = math::debt_from_art(position.art - dart, market.rate)
            .ok_or(GavelError::MathOverflow)?;
        if left < p.dust {
            dart = position.art;
        } else {
            let auction_debt =
                math::debt_from_art(dart, market.rate).ok_or(GavelError::MathOverflow)?;
            if auction_debt < p.dust {
                return Err(GavelError::AuctionDusty.into());
            }
        }
    }
    let dink =
        math::mul_div_floor(position.ink, dart, position.art).ok_or(GavelError::MathOverflow)?;
    if dink == 0 {
        return Err(GavelError::AuctionDusty.into());
    }
    let auction_debt = if dart == position.art {
        debt
    } else {
        math::debt_from_art(dart, market.rate).ok_or(GavelError::MathOverflow)?
    };
    let tab = math::mul_div_ceil(auction_debt, BPS + p.chop_bps as u64, BPS)
        .ok_or(GavelError::MathOverflow)?;
    let top =
        math::mul_div_floor(prices.mid, p.buf_bps as u64, BPS).ok_or(GavelError::MathOverflow)?;

    let id = market.auction_count;
    let id_bytes = id.to_le_bytes();
    let bump = require_pda(
        auction_info,
        &crate::seeds!(AUCTION_SEED, market_info.key(), &id_bytes),
    )?;
    let bump_seed = [bump];
    let seeds = [
        Seed::from(AUCTION_SEED),
        Seed::from(market_info.key()),
        Seed::from(&id_bytes),
        Seed::from(&bump_seed),
    ];
    create_pda_account(
        kicker,
        auction_info,
        Auction::LEN,
        &crate::ID,
        &Signer::from(&seeds),
    )?;

    position.art -= dart;
    position.ink -= dink;
    position.auctions += 1;
    market.art_total = market.art_total.saturating_sub(dart);
    market.auction_debt = market
        .auction_debt
        .checked_add(auction_debt)
        .ok_or(GavelError::MathOverflow)?;
    market.dirt = market
        .dirt
        .checked_add(tab)
        .ok_or(GavelError::MathOverflow)?;
    market.auction_count += 1;
    let reward = take_reward(&mut market, tab, auction_debt)?;

    let auction = Auction {
        market: *market_info.key(),
        id,
        position: *position_info.key(),
        owner: position.owner,
        kicker: *kicker.key(),
        tab,
        lot: dink,
        debt: auction_debt,
        top,
        tic: now.unix_timestamp,
        initial_tab: tab,
        initial_lot: dink,
        pending_owe: 0,
        flash: 0,
        bump,
        kicked_at: now.unix_timestamp,
    };
    if reward > 0 {
        transfer_from_vault(
            &market,
            market_info,
            liquidity_vault,
            kicker_debt_account,
            reward,
        )?;
    }
    auction.store(auction_info)?;
    position.store(position_info)?;
    market.store(market_info)?;
    AuctionStarted {
        market: auction.market,
        auction: *auction_info.key(),
        id,
        position: auction.position,
        owner: auction.owner,
        kicker: auction.kicker,
        tab,
        lot: dink,
        debt: auction_debt,
        top,
        oracle_price: prices.mid,
        reward,
        unix_timestamp: now.unix_timestamp,
    }
    .emit();
    Ok(())
}

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
//! fresh, confident oracle price (the price itself, not price − confidence) whose publish time is
//! not older than one the market has already read. With partial kicks on
//! (`kick_target_ltv_bps` > 0) the position may have no live auction (`PositionAuctionLive`), and
//! the kick moves only the debt that brings it back to the target LTV, with the collateral its
//! tab needs at the health discount (`math::partial`); the whole position at or above
//! `kick_full_ltv_bps`, when the remainder would be dust or when the collateral would run out.
//! Of that, at most `room = hole − dirt` of tab is started: debt moved = min(debt, room / (1 +
//! chop)); if that would leave the position under `dust` the whole debt goes (Maker), else the
//! auction itself must be at least `dust`. Collateral: the sized lot, or its share (rounded down)
//! when the hole cut the debt.
//! Changes: position `art`/`ink` shrink; a new `Auction` with `tab = debt × (1 + chop)` (rounded
//! up, the penalty on the moved debt only), the market's price mode, `top = oracle × buf` (Maker
//! mode) or `top = oracle` (anchored mode), and `d_max_bps` from the position's LTV bounded by
//! the lot (`math::anchored::d_max_bps`); the market's newest oracle publish times;
//! `dirt += tab`; the kicker gets `tip + chip × tab` from the insurance fund, capped by the
//! auction's penalty and by the fund's balance; emits `AuctionStarted`.

use pinocchio::{
    account_info::AccountInfo,
    instruction::{Seed, Signer},
    ProgramResult,
};

use crate::{
    context::{
        load_liquidation_prices, load_market_mut, load_position_mut, now, require_stop_below,
        require_vault,
    },
    error::GavelError,
    events::{AuctionStarted, Event},
    liquidation::{auction_d_max, take_reward},
    math::{
        self,
        partial::{partial_kick, PartialInput, PartialSize},
        BPS, RATE_SCALE,
    },
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
    let prices = load_liquidation_prices(&mut market, oracles, &now)?;
    let p = market.params;
    let debt = math::debt_from_art(position.art, market.rate).ok_or(GavelError::MathOverflow)?;
    let value = math::value_floor(position.ink, prices.mid).ok_or(GavelError::MathOverflow)?;
    let limit =
        math::max_debt_for(value, p.liquidation_ltv_bps as u64).ok_or(GavelError::MathOverflow)?;
    if debt == 0 || debt <= limit {
        return Err(GavelError::PositionSafe.into());
    }
    // Partial kicks: one live auction per position, so a position cannot be split into many
    // auctions (each paying a reward) while the first is still selling.
    if p.partial_kicks() && position.auctions > 0 {
        return Err(GavelError::PositionAuctionLive.into());
    }
    let ltv = math::ltv_bps(debt, value).ok_or(GavelError::MathOverflow)?;
    // What partial sizing moves (the whole position unless partial kicks are on), at the
    // discount from the position's health (`d_max` without the lot bound).
    let mut sized = PartialSize {
        art: 0,
        ink: 0,
        debt: 0,
        tab: 0,
    };
    partial_kick(
        &PartialInput {
            ink: position.ink,
            art: position.art,
            rate: market.rate,
            price: prices.mid,
            debt,
            value,
            target_ltv_bps: p.kick_target_ltv_bps as u64,
            full_ltv_bps: p.kick_full_ltv_bps as u64,
            chop_bps: p.chop_bps as u64,
            discount_bps: auction_d_max(&market, ltv, 0, 0) as u64,
            dust: p.dust,
        },
        &mut sized,
    );

    // How much fits under the hole (Maker's `room`), in normalized debt.
    let room = p.hole.saturating_sub(market.dirt);
    if room == 0 {
        return Err(GavelError::HoleFull.into());
    }
    let room_debt =
        math::mul_div_floor(room, BPS, BPS + p.chop_bps as u64).ok_or(GavelError::MathOverflow)?;
    let room_art =
        math::mul_div_floor(room_debt, RATE_SCALE, market.rate).ok_or(GavelError::MathOverflow)?;
    let (dart, dink, auction_debt, tab) = if sized.art <= room_art {
        // It all fits: the sized auction as it is (partial sizing kept both the remainder and the
        // auction at or above dust).
        (sized.art, sized.ink, sized.debt, sized.tab)
    } else {
        // The hole cuts the debt (Maker): the whole position if the rest would be dust, else the
        // auction must reach dust; the lot is the sized lot's share.
        let mut dart = room_art;
        let left = math::debt_from_art(position.art - dart, market.rate)
            .ok_or(GavelError::MathOverflow)?;
        let auction_debt = if left < p.dust {
            dart = position.art;
            debt
        } else {
            math::debt_from_art(dart, market.rate).ok_or(GavelError::MathOverflow)?
        };
        if auction_debt < p.dust {
            return Err(GavelError::AuctionDusty.into());
        }
        let dink = if dart == position.art {
            position.ink
        } else {
            math::mul_div_floor(sized.ink, dart, sized.art).ok_or(GavelError::MathOverflow)?
        };
        let tab = math::mul_div_ceil(auction_debt, BPS + p.chop_bps as u64, BPS)
            .ok_or(GavelError::MathOverflow)?;
        (dart, dink, auction_debt, tab)
    };
    // A tab of 0 is the sizing's overflow signal (the debt is above 0).
    if tab == 0 {
        return Err(GavelError::MathOverflow.into());
    }
    if dink == 0 {
        return Err(GavelError::AuctionDusty.into());
    }
    let top = if p.is_anchored() {
        prices.mid
    } else {
        math::mul_div_floor(prices.mid, p.buf_bps as u64, BPS).ok_or(GavelError::MathOverflow)?
    };
    let lot_value = math::value_floor(dink, prices.mid).ok_or(GavelError::MathOverflow)?;
    let d_max_bps = auction_d_max(&market, ltv, tab, lot_value);

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
        price_mode: p.price_mode,
        d_max_bps,
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

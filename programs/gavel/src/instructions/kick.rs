//! `kick`: starts a Dutch auction of an unsafe position (Maker's `dog.bark` + `clip.kick`).
//!
//! Who: anyone, while stop = 0.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `KickAccounts`):
//! - `kicker`: Signer, writable. Pays the auction's rent, gets it back at the close.
//! - `config`: PDA `["config"]`. The protocol's Config (admin, stop level).
//! - `market`: Writable, address `position.market`.
//! - `position`: Writable.
//! - `auction`: Writable, PDA `["auction", market, market.auction_count]`. Created here, numbered `market.auction_count` (u64 LE in its seeds).
//! - `liquidity_vault`: Writable, PDA `["liquidity_vault", market]`.
//! - `kicker_debt_account`: Writable. Debt mint, owned by the kicker: receives the reward.
//! - `token_program`: SPL Token program.
//! - `system_program`: System program.
//! - `oracles @ ..`: The market's collateral oracle, then its debt oracle when it has one. In the IDL: `collateral_oracle`.
//!
//! Args: none.
//! Rules (sizing in `math::kick::kick_size`): the position's debt must exceed
//! `liquidation_ltv_bps` of its collateral value at a fresh, confident oracle price (the price
//! itself, not price − confidence) whose publish time is not older than one the market has
//! already read. With partial kicks on (`kick_target_ltv_bps` > 0) the position may have no live
//! auction (`PositionAuctionLive`), and the kick moves only the debt that brings it back to the
//! target LTV, with the collateral its tab needs at the health discount (`math::partial`); the
//! whole position at or above `kick_full_ltv_bps`, when the remainder would be dust or the
//! collateral would run out. Of that, at most `room = hole − dirt` of tab is started: debt moved
//! = min(debt, room / (1 + chop)); if that would leave the position under `dust` the whole debt
//! goes (Maker), else the auction itself must be at least `dust`. Collateral: the sized lot, or
//! its share (rounded down) when the hole cut the debt.
//! Changes: position `art`/`ink` shrink; a new `Auction` with `tab = debt × (1 + chop)` (rounded
//! up; the penalty on the moved debt only), the market's price mode, `top = oracle × buf` (Maker
//! mode) or `top = oracle` (anchored mode), and `d_max_bps` from the position's LTV bounded by
//! the lot (`math::anchored::d_max_bps`); the market's newest oracle publish times;
//! `dirt += tab`; the kicker gets `tip + chip × tab` from the insurance fund, capped by the
//! auction's penalty less the position's `unearned_rewards` (what its earlier auctions paid
//! beyond the penalty they collected, moved into the auction's `rewards_paid` and zeroed) and by
//! the fund's balance (`math::kick::kick_reward`, recorded in the auction's `rewards_paid`);
//! emits `AuctionStarted`.

use pinocchio::{
    account_info::AccountInfo,
    instruction::{Seed, Signer},
    ProgramResult,
};

use crate::safe_math::SafeMath;
use crate::{
    checks::{require_pda, require_system_program, require_vault, require_writable},
    context::{
        load_liquidation_prices, load_market_mut, load_position_mut, now, require_user_call,
    },
    error::GavelError,
    events::{AuctionStarted, Event},
    liquidation::{pay_reward, require_reward_account, take_reward},
    math::{
        kick::{kick_size, KickError, KickInput, KickParams},
        BPS,
    },
    state::{seeds_gen::AUCTION_SEED, Auction, Reader},
    utils::create_pda_account,
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::KickAccounts {
        kicker,
        config,
        market: market_info,
        position: position_info,
        auction: auction_info,
        liquidity_vault,
        kicker_debt_account,
        token_program,
        system_program,
        oracles,
    } = super::accounts_gen::KickAccounts::from_slice(accounts)?;
    Reader::new(args, 0).finish()?;
    require_user_call(kicker, token_program, config, crate::state::stop::KICK)?;
    require_writable(kicker)?;
    require_writable(auction_info)?;
    require_system_program(system_program)?;
    let mut market_slot = core::mem::MaybeUninit::uninit();
    let market = load_market_mut(market_info, &mut market_slot)?;
    let mut position_slot = core::mem::MaybeUninit::uninit();
    let position = load_position_mut(position_info, market_info.key(), None, &mut position_slot)?;
    require_vault(liquidity_vault, &market.liquidity_vault)?;
    let reward_to = require_reward_account(kicker_debt_account, kicker, liquidity_vault, market)?;

    let now = now()?;
    market.accrue(now.unix_timestamp)?;
    let prices = load_liquidation_prices(market, oracles, &now)?;
    let p = market.params;
    // Partial kicks: one live auction per position, so a position cannot be split into many
    // auctions (each paying a reward) while the first is still selling.
    if p.partial_kicks() && position.auctions > 0 {
        return Err(GavelError::PositionAuctionLive.into());
    }
    let size = kick_size(&KickInput {
        ink: position.ink,
        art: position.art,
        rate: market.rate,
        price: prices.mid,
        dirt: market.dirt,
        params: KickParams {
            liquidation_ltv_bps: p.liquidation_ltv_bps as u64,
            chop_bps: p.chop_bps as u64,
            // Anchored auctions start at the oracle price itself (`top` is for display).
            buf_bps: if p.is_anchored() {
                BPS
            } else {
                p.buf_bps as u64
            },
            hole: p.hole,
            dust: p.dust,
            target_ltv_bps: p.kick_target_ltv_bps as u64,
            full_ltv_bps: p.kick_full_ltv_bps as u64,
            max_base_bps: p.anchor_max_base_bps as u64,
            max_cap_bps: p.anchor_max_cap_bps as u64,
        },
    })
    .map_err(|e| match e {
        KickError::Safe => GavelError::PositionSafe,
        KickError::HoleFull => GavelError::HoleFull,
        KickError::Dusty => GavelError::AuctionDusty,
        KickError::Overflow => GavelError::MathOverflow,
    })?;
    let (dart, dink, auction_debt, tab, top) = (size.art, size.ink, size.debt, size.tab, size.top);

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

    position.art = position.art.safe_sub(dart)?;
    position.ink = position.ink.safe_sub(dink)?;
    position.auctions = position.auctions.safe_add(1)?;
    market.art_total = market.art_total.saturating_sub(dart);
    market.auction_debt = market
        .auction_debt
        .checked_add(auction_debt)
        .ok_or(GavelError::MathOverflow)?;
    market.dirt = market
        .dirt
        .checked_add(tab)
        .ok_or(GavelError::MathOverflow)?;
    market.auction_count = market.auction_count.safe_add(1)?;

    let mut auction = Auction {
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
        initial_debt: auction_debt,
        // The rewards the position's earlier auctions paid beyond the penalty they collected
        // count against this auction's penalty (`math::kick::unearned_rewards`).
        rewards_paid: position.unearned_rewards,
        price_mode: p.price_mode,
        // At most `anchor_max_cap_bps` (a u16).
        d_max_bps: size.d_max_bps as u16,
        kicked_at: now.unix_timestamp,
    };
    position.unearned_rewards = 0;
    let reward = take_reward(market, &mut auction, None)?;
    pay_reward(market, market_info, &reward_to, reward)?;
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
        price_mode: auction.price_mode,
        d_max_bps: auction.d_max_bps,
        unix_timestamp: now.unix_timestamp,
    }
    .emit();
    Ok(())
}

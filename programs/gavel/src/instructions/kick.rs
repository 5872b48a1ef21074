//! `kick`: starts a Dutch auction of an unsafe position (Maker's `dog.bark` + `clip.kick`).
//!
//! Who: anyone, while stop = 0.
//! Accounts: `kicker` (signer, writable: pays the auction's rent, gets it back at the close),
//! `config`, `market` (writable), `position` (writable), `auction` (writable, PDA
//! `["auction", market, market.auction_count as u64 LE]`), `liquidity_vault` (writable),
//! `kicker_debt_account` (writable, debt mint, owned by the kicker: receives the reward),
//! `token_program`, `system_program`, `collateral_oracle`, and `debt_oracle` when the market has
//! one.
//! Args: none.
//! Rules (sizing in `math::kick::kick_size`): the position's debt must exceed
//! `liquidation_ltv_bps` of its collateral value at a fresh, confident oracle price (the price
//! itself, not price − confidence). At most `room = hole − dirt` of tab is started: debt moved =
//! min(debt, room / (1 + chop)); if that would leave the position under `dust` the whole debt goes
//! (Maker), else the auction itself must be at least `dust`. Collateral moves pro rata (rounded
//! down).
//! Changes: position `art`/`ink` shrink; a new `Auction` with `tab = debt × (1 + chop)` (rounded
//! up), `top = oracle × buf`; `dirt += tab`; the kicker gets `tip + chip × tab` from the
//! insurance fund, capped by the auction's penalty and by the fund's balance
//! (`math::kick::kick_reward`, recorded in the auction's `rewards_paid`); emits `AuctionStarted`.

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
    math::kick::{kick_size, KickError, KickInput, KickParams},
    state::{auction::AUCTION_SEED, Auction, Reader},
    token::{
        require_token_account, require_token_owner, require_token_program, transfer_from_vault,
    },
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
    // Nor into another market's vault (same debt mint): that vault would exceed its accounting.
    require_token_owner(kicker_debt_account, kicker.key())?;

    let now = now()?;
    market.accrue(now.unix_timestamp)?;
    let prices = load_prices(&market, oracles, &now)?;
    let p = market.params;
    let size = kick_size(&KickInput {
        ink: position.ink,
        art: position.art,
        rate: market.rate,
        price: prices.mid,
        dirt: market.dirt,
        params: KickParams {
            liquidation_ltv_bps: p.liquidation_ltv_bps as u64,
            chop_bps: p.chop_bps as u64,
            buf_bps: p.buf_bps as u64,
            hole: p.hole,
            dust: p.dust,
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
        rewards_paid: 0,
    };
    let reward = take_reward(&mut market, &mut auction, None);
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

//! Accounting shared by the liquidation instructions (kick, take, flash take, reset, cancel):
//! where auction proceeds go, how an auction settles, the kicker reward, closing an auction.
//!
//! Money flow (docs/money-flow.md): proceeds repay the auction's debt to the pool first (`cash`), the rest
//! (penalty) goes to the insurance fund, less the market's backstop penalty share (owed to the
//! backstop pool, `Market::backstop_due`). When the collateral runs out first and the position still
//! holds collateral (a partial or hole-capped kick), the unraised debt goes back to the position
//! (the borrower still owes it, backed by that collateral; it can be kicked again) and the
//! unraised penalty is dropped. Only when the position has no collateral left is the unraised debt
//! bad debt: covered by the insurance fund as far as it goes, the rest socialized (it leaves
//! `auction_debt` without cash coming in, so the LPs' pool value falls by exactly that amount).

use core::mem::MaybeUninit;

use pinocchio::{account_info::AccountInfo, pubkey::Pubkey, ProgramResult};

use crate::safe_math::SafeMath;
use crate::{
    checks::{require_distinct, require_token_account, require_token_owner, require_writable},
    context::{load_liquidation_prices, load_market_mut, load_position_mut, now},
    error::GavelError,
    events::{AuctionSettled, BadDebt, Event},
    math::{
        self,
        anchored::{anchored_price, d_max_bps, discount_bps, DmaxInput},
        auction::{needs_reset, take_quote, ResetInput, TakeError, TakeInput},
        kick::{kick_reward, reset_reward, unearned_rewards, RewardInput, UnearnedInput},
    },
    oracle::Now,
    state::{market::PRICE_MODE_ANCHORED, Auction, Market, Position},
    token::transfer_from_vault,
    utils::close_program_account,
};

/// Loads a writable auction of `market` (and of `position` when given) into `slot` on the
/// caller's stack (as `context::load_market_mut`: no copy of the struct at each call site).
#[inline(never)]
pub fn load_auction_mut<'a>(
    account: &AccountInfo,
    market: &Pubkey,
    position: Option<&Pubkey>,
    slot: &'a mut MaybeUninit<Result<Auction, GavelError>>,
) -> Result<&'a mut Auction, GavelError> {
    let loaded = require_writable(account).and_then(|()| Auction::load(account));
    let auction = match slot.write(loaded) {
        Ok(auction) => auction,
        Err(e) => return Err(*e),
    };
    if &auction.market != market || position.is_some_and(|p| p != &auction.position) {
        return Err(GavelError::AuctionMismatch);
    }
    Ok(auction)
}

/// The accounts of an auction being bought from or cancelled: its market, the auction, its
/// position, and its kicker (who gets the auction's rent when it closes).
pub struct AuctionAccounts<'a> {
    /// The market (writable).
    pub market: &'a AccountInfo,
    /// The auction (writable).
    pub auction: &'a AccountInfo,
    /// The auctioned position (writable).
    pub position: &'a AccountInfo,
    /// The auction's kicker.
    pub kicker: &'a AccountInfo,
}

impl<'a> AuctionAccounts<'a> {
    /// The four accounts, in this order.
    pub const fn new(
        market: &'a AccountInfo,
        auction: &'a AccountInfo,
        position: &'a AccountInfo,
        kicker: &'a AccountInfo,
    ) -> Self {
        Self {
            market,
            auction,
            position,
            kicker,
        }
    }
}

/// Stack slots of an auction with its market and position (as `context::load_market_mut`).
pub struct AuctionSlots {
    market: MaybeUninit<Result<Market, GavelError>>,
    auction: MaybeUninit<Result<Auction, GavelError>>,
    position: MaybeUninit<Result<Position, GavelError>>,
}

impl AuctionSlots {
    /// Empty slots.
    pub const fn uninit() -> Self {
        Self {
            market: MaybeUninit::uninit(),
            auction: MaybeUninit::uninit(),
            position: MaybeUninit::uninit(),
        }
    }
}

/// Loads, writable and in this order, the market, the auction (of this market and of this
/// position: `AuctionMismatch`) and the position (of this market: `PositionMismatch`) into
/// `slots`: the three accounts a take, a flash take's end, an absorb and a cancel change.
#[inline(always)]
pub fn load_auction_scene<'a>(
    a: &AuctionAccounts,
    slots: &'a mut AuctionSlots,
) -> Result<(&'a mut Market, &'a mut Auction, &'a mut Position), GavelError> {
    let market = load_market_mut(a.market, &mut slots.market)?;
    let auction = load_auction_mut(
        a.auction,
        a.market.key(),
        Some(a.position.key()),
        &mut slots.auction,
    )?;
    let position = load_position_mut(a.position, a.market.key(), None, &mut slots.position)?;
    Ok((market, auction, position))
}

/// Refuses (`FlashTakePending`) while a flash take of the auction is open: only its `take_end`
/// may touch the auction then.
#[inline(always)]
pub fn require_no_flash(auction: &Auction) -> Result<(), GavelError> {
    if auction.flash != 0 {
        return Err(GavelError::FlashTakePending);
    }
    Ok(())
}

/// Where a kick, reset or absorb reward goes, once checked ([`require_reward_account`]): the
/// caller's debt-token account, paid from the market's liquidity vault.
pub struct RewardAccount<'a> {
    /// The market's liquidity vault.
    vault: &'a AccountInfo,
    /// The caller's account.
    account: &'a AccountInfo,
}

/// Requires the account a kicker, resetter or absorber is paid into (from the liquidity vault,
/// `liquidity_vault`) to be a token account of the market's debt mint, not that vault (paying the
/// vault to itself would lower `insurance` without moving a token), and owned by the caller (not
/// another market's vault of the same mint, which would then exceed its accounting).
#[inline(always)]
pub fn require_reward_account<'a>(
    account: &'a AccountInfo,
    caller: &AccountInfo,
    liquidity_vault: &'a AccountInfo,
    market: &Market,
) -> Result<RewardAccount<'a>, GavelError> {
    check_reward_account(account, caller, liquidity_vault, market)?;
    Ok(RewardAccount {
        vault: liquidity_vault,
        account,
    })
}

/// The checks of [`require_reward_account`], out of line.
#[inline(never)]
fn check_reward_account(
    account: &AccountInfo,
    caller: &AccountInfo,
    liquidity_vault: &AccountInfo,
    market: &Market,
) -> Result<(), GavelError> {
    require_token_account(account, &market.debt_mint)?;
    require_distinct(account, liquidity_vault)?;
    require_token_owner(account, caller.key())
}

/// Settlement reasons reported by `AuctionSettled`.
pub mod reason {
    /// The tab was raised in full.
    pub const RAISED: u8 = 0;
    /// The collateral ran out first (`bad_debt` 0: the unraised debt went back to the position,
    /// which still had collateral).
    pub const EXHAUSTED: u8 = 1;
    /// The admin cancelled it at stop level 3.
    pub const CANCELLED: u8 = 2;
}

/// The auction's price now and whether it needs a reset. Maker mode: the market's curve from
/// `top`, reset past `tail` or below `cusp`. Anchored mode: `oracle_mid × (1 − d)` with the
/// discount `d` grown since `tic` up to the auction's `d_max_bps`, reset only past `tail`.
pub fn auction_price(market: &Market, auction: &Auction, now: i64, oracle_mid: u64) -> (u64, bool) {
    let elapsed_secs = if now > auction.tic {
        now.saturating_sub(auction.tic) as u64 // now > tic: positive
    } else {
        0
    };
    let p = &market.params;
    if auction.price_mode == PRICE_MODE_ANCHORED {
        let d = discount_bps(
            p.anchor_start_bps as u64,
            p.anchor_rate_bps_per_min as u64,
            auction.d_max_bps as u64,
            elapsed_secs,
        );
        return (anchored_price(oracle_mid, d), elapsed_secs > p.tail_secs);
    }
    let price = market.params.curve.price(auction.top, elapsed_secs);
    let reset = needs_reset(&ResetInput {
        top: auction.top,
        price,
        cusp_bps: market.params.cusp_bps as u64,
        elapsed_secs,
        tail_secs: market.params.tail_secs,
    });
    (price, reset)
}

/// What a take buys and pays.
pub struct Fill {
    /// Auction price now (PRICE_SCALE).
    pub price: u64,
    /// Collateral bought.
    pub collateral: u64,
    /// Debt tokens owed.
    pub owe: u64,
}

/// The oracle price a take needs: none in Maker mode (0; its takes stay oracle-free); in
/// anchored mode the market's oracles (`oracles`, as `kick` takes them) read with kick's guards
/// and a publish time that never goes backwards ([`load_liquidation_prices`]).
#[inline(always)]
fn take_oracle_mid(
    market: &mut Market,
    auction: &Auction,
    oracles: &[AccountInfo],
    now: &Now,
) -> Result<u64, GavelError> {
    if auction.price_mode != PRICE_MODE_ANCHORED {
        return Ok(0);
    }
    Ok(load_liquidation_prices(market, oracles, now)?.mid)
}

/// The largest discount of an auction raising `tab` from a lot worth `lot_value` at the oracle
/// mid, for a position (or auction) at `ltv_bps` (`math::anchored::d_max_bps`; at most
/// `anchor_max_cap_bps`, so it fits a u16).
pub fn auction_d_max(market: &Market, ltv_bps: u64, tab: u64, lot_value: u64) -> u16 {
    let p = &market.params;
    d_max_bps(&DmaxInput {
        ltv_bps,
        liquidation_ltv_bps: p.liquidation_ltv_bps as u64,
        max_base_bps: p.anchor_max_base_bps as u64,
        max_cap_bps: p.anchor_max_cap_bps as u64,
        tab,
        lot_value,
    }) as u16
}

/// Prices a take at `oracle_mid` (see [`auction_price`]): refuses when the auction needs a reset
/// or its price is above `max_price`; then Maker's slice/owe rule (`math::auction::take_quote`).
#[inline(always)]
pub fn quote_take(
    market: &Market,
    auction: &Auction,
    now: i64,
    oracle_mid: u64,
    limits: (u64, u64),
) -> Result<Fill, GavelError> {
    let (max_collateral, max_price) = limits;
    let (price, reset) = auction_price(market, auction, now, oracle_mid);
    if reset {
        return Err(GavelError::AuctionNeedsReset);
    }
    if price > max_price {
        return Err(GavelError::PriceAboveMax);
    }
    let q = take_quote(&TakeInput {
        tab: auction.tab,
        lot: auction.lot,
        max_collateral,
        price,
        dust: market.params.dust,
    })
    .map_err(|e| match e {
        TakeError::TooSmall => GavelError::TakeTooSmall,
        TakeError::PartialLeavesDust => GavelError::TakeLeavesDust,
        TakeError::Overflow => GavelError::MathOverflow,
    })?;
    Ok(Fill {
        price,
        collateral: q.collateral,
        owe: q.owe,
    })
}

/// A take (or flash take) now, within `limits` (`(max_collateral, max_price)`): the price from
/// [`take_oracle_mid`] and [`quote_take`]; the collateral bought leaves the lot and the market's
/// collateral total ([`sell_lot`]). Returns the fill and the Unix time. No accrual: a take does
/// not read the borrow index (that keeps takes cheap).
#[inline(always)]
pub fn take_now(
    market: &mut Market,
    auction: &mut Auction,
    oracles: &[AccountInfo],
    limits: (u64, u64),
) -> Result<(Fill, i64), GavelError> {
    let clock = now()?;
    let oracle_mid = take_oracle_mid(market, auction, oracles, &clock)?;
    let fill = quote_take(market, auction, clock.unix_timestamp, oracle_mid, limits)?;
    sell_lot(market, auction, fill.collateral)?;
    Ok((fill, clock.unix_timestamp))
}

/// Takes `collateral` bought out of the auction's lot and the market's collateral total.
pub fn sell_lot(
    market: &mut Market,
    auction: &mut Auction,
    collateral: u64,
) -> Result<(), GavelError> {
    auction.lot = auction.lot.safe_sub(collateral)?;
    market.collateral_total = market.collateral_total.safe_sub(collateral)?;
    Ok(())
}

/// Books `owe` debt tokens paid into the liquidity vault by a taker: the auction's debt first
/// (to LP cash), the rest (penalty) to the insurance fund less the backstop's share
/// (`Market::book_penalty`); the tab and `dirt` shrink by `owe`.
pub fn apply_proceeds(
    market: &mut Market,
    auction: &mut Auction,
    owe: u64,
) -> Result<(), GavelError> {
    let to_debt = owe.min(auction.debt);
    auction.debt = auction.debt.safe_sub(to_debt)?;
    auction.tab = auction.tab.safe_sub(owe)?;
    market.auction_debt = market.auction_debt.saturating_sub(to_debt);
    market.cash = market
        .cash
        .checked_add(to_debt)
        .ok_or(GavelError::MathOverflow)?;
    market.book_penalty(owe.safe_sub(to_debt)?)?;
    market.dirt = market.dirt.saturating_sub(owe);
    Ok(())
}

/// Settles the auction if it is done; returns true when it closed (the caller then closes the
/// account). Tab raised: leftover collateral goes back to the position. Lot exhausted: the
/// unraised debt goes back to the position as art (at the rate accrued to now, rounded up) when
/// the position still holds collateral, else it is bad debt.
fn settle_if_done(
    market: &mut Market,
    auction: &Auction,
    position: &mut Position,
    ids: &AuctionIds,
) -> Result<bool, GavelError> {
    let (why, returned, bad) = if auction.tab == 0 {
        position.ink = position
            .ink
            .checked_add(auction.lot)
            .ok_or(GavelError::MathOverflow)?;
        (reason::RAISED, auction.lot, 0)
    } else if auction.lot == 0 && position.ink > 0 {
        market.dirt = market.dirt.saturating_sub(auction.tab);
        market.accrue(ids.now)?;
        let art =
            math::art_from_debt_ceil(auction.debt, market.rate).ok_or(GavelError::MathOverflow)?;
        position.art = position.art.safe_add(art)?;
        market.art_total = market.art_total.safe_add(art)?;
        market.auction_debt = market.auction_debt.saturating_sub(auction.debt);
        (reason::EXHAUSTED, 0, 0)
    } else if auction.lot == 0 {
        market.dirt = market.dirt.saturating_sub(auction.tab);
        let bad = auction.debt;
        let covered = bad.min(market.insurance);
        market.insurance = market.insurance.safe_sub(covered)?;
        market.cash = market
            .cash
            .checked_add(covered)
            .ok_or(GavelError::MathOverflow)?;
        market.auction_debt = market.auction_debt.saturating_sub(bad);
        BadDebt {
            market: ids.market,
            auction: ids.auction,
            id: auction.id,
            debt: bad,
            covered_by_insurance: covered,
            socialized: bad.safe_sub(covered)?,
        }
        .emit();
        (reason::EXHAUSTED, 0, bad)
    } else {
        return Ok(false);
    };
    position.auctions = position.auctions.saturating_sub(1);
    carry_unearned(position, auction, auction.tab, auction.debt);
    AuctionSettled {
        market: ids.market,
        auction: ids.auction,
        id: auction.id,
        position: auction.position,
        reason: why,
        raised: auction.initial_tab.safe_sub(auction.tab)?,
        returned_collateral: returned,
        bad_debt: bad,
        unix_timestamp: ids.now,
    }
    .emit();
    Ok(true)
}

/// At an auction's settlement: adds to the position the rewards `auction` charged beyond the
/// penalty it collected (`math::kick::unearned_rewards`, with `tab` and `debt` its part not raised:
/// the auction's own, or 0 when the position takes the tab back as debt, penalty included), which
/// its next kick carries into that auction's reward cap. So over any chain of auctions of one
/// position (a lot that runs out drops its unraised penalty and the position can be kicked
/// again) the rewards paid never exceed the penalties collected plus the live auction's penalty.
#[inline(never)]
pub fn carry_unearned(position: &mut Position, auction: &Auction, tab: u64, debt: u64) {
    let unearned = unearned_rewards(&UnearnedInput {
        rewards_paid: auction.rewards_paid,
        initial_tab: auction.initial_tab,
        initial_debt: auction.initial_debt,
        tab,
        debt,
    });
    position.unearned_rewards = position.unearned_rewards.saturating_add(unearned);
}

/// After proceeds are booked: settles the auction if it is done ([`settle_if_done`]) and closes
/// it (rent to the kicker), else stores it; stores the position and the market. Inlined: six
/// registers with the result pointer.
#[inline(always)]
pub fn settle_and_store(
    a: &AuctionAccounts,
    market: &mut Market,
    auction: &Auction,
    position: &mut Position,
    now: i64,
) -> ProgramResult {
    let ids = AuctionIds {
        market: *a.market.key(),
        auction: *a.auction.key(),
        now,
    };
    if settle_if_done(market, auction, position, &ids)? {
        close_auction(auction, a.auction, a.kicker)?;
    } else {
        auction.store(a.auction)?;
    }
    position.store(a.position)?;
    market.store(a.market)?;
    Ok(())
}

/// Addresses and time carried into events.
struct AuctionIds {
    /// Market address.
    market: [u8; 32],
    /// Auction address.
    auction: [u8; 32],
    /// Unix time of the instruction.
    now: i64,
}

/// The reward inputs of `auction` (`math::kick::RewardInput`).
fn reward_input(market: &Market, auction: &Auction) -> RewardInput {
    RewardInput {
        tip: market.params.tip,
        chip_bps: market.params.chip_bps as u64,
        tab: auction.tab,
        debt: auction.debt,
        initial_penalty: auction.initial_tab.saturating_sub(auction.initial_debt),
        rewards_paid: auction.rewards_paid,
        insurance: market.insurance,
    }
}

/// Pays a kicker (`lot_value == None`) or a resetter (`Some(value of the lot at the fresh price)`)
/// from the insurance fund: [`kick_reward`] / [`reset_reward`], i.e. `tip + chip × tab` capped by
/// the penalty still to raise, by the part of the auction's penalty its kick and resets have not
/// paid out yet, and by the fund. The per-auction cap means one auction's rewards together never
/// exceed what it pays back into the fund, so kicking (or resetting) one's own position is never
/// profitable and neither kick loops nor reset loops drain the fund (tests/13_attacks.spec.ts).
/// Deducts the reward from the fund, adds it to `rewards_paid` and returns it; the caller
/// transfers it.
pub fn take_reward(
    market: &mut Market,
    auction: &mut Auction,
    lot_value: Option<u64>,
) -> Result<u64, GavelError> {
    let input = reward_input(market, auction);
    let reward = match lot_value {
        None => kick_reward(&input),
        Some(value) => reset_reward(&input, value, market.params.dust),
    };
    // reward ≤ insurance and rewards_paid + reward ≤ initial_penalty: neither can wrap.
    market.insurance = market.insurance.safe_sub(reward)?;
    auction.rewards_paid = auction.rewards_paid.safe_add(reward)?;
    Ok(reward)
}

/// Pays a kick, reset or absorb `reward` from the liquidity vault to the checked reward account
/// (signed by the market); nothing when it is 0.
#[inline(always)]
pub fn pay_reward(
    market: &Market,
    market_info: &AccountInfo,
    to: &RewardAccount,
    reward: u64,
) -> ProgramResult {
    if reward > 0 {
        transfer_from_vault(market, market_info, to.vault, to.account, reward)?;
    }
    Ok(())
}

/// Closes a settled auction: data zeroed, rent to the kicker (who must be `kicker_info`).
pub fn close_auction(
    auction: &Auction,
    auction_info: &AccountInfo,
    kicker_info: &AccountInfo,
) -> ProgramResult {
    if kicker_info.key() != &auction.kicker {
        return Err(GavelError::KickerMismatch.into());
    }
    close_program_account(auction_info, kicker_info)
}

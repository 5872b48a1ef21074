//! `reset_auction`: restarts a stalled auction's price curve from a fresh oracle price (Maker's
//! `clip.redo`). Someone must do it, or the collateral stalls, so the caller is paid like a kicker.
//!
//! Who: anyone, while stop < 2.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `ResetAuctionAccounts`):
//! - `caller`: Signer.
//! - `config`: PDA `["config"]`. The protocol's Config (admin, stop level).
//! - `market`: Writable, address `auction.market`.
//! - `auction`: Writable.
//! - `liquidity_vault`: Writable, PDA `["liquidity_vault", market]`.
//! - `caller_debt_account`: Writable. Debt mint, owned by the caller: receives the reward.
//! - `token_program`: SPL Token program.
//! - `oracles @ ..`: The market's collateral oracle, then its debt oracle when it has one. In the IDL: `collateral_oracle`.
//!
//! Args: none.
//! Rules: only when the auction is past `tail_secs` or (Maker mode) its price fell below
//! `cusp_bps` of `top`; fresh, confident oracle price not older than one the market has read; no
//! flash take open.
//! Changes: `tic = now`; Maker mode `top = oracle × buf`; anchored mode `top = oracle` and
//! `d_max_bps` recomputed from the auction's health now (its debt and tab against its lot at the
//! oracle), so the discount restarts at `anchor_start_bps`; the market's newest oracle publish
//! times; pays `tip + chip × tab` only when both the tab and the lot's value are at least `dust`
//! (so resetting a dusty auction earns nothing), capped by the insurance fund and by the part of
//! the auction's penalty its kick and earlier resets have not paid out yet
//! (`math::kick::reset_reward`; `rewards_paid` grows, so a reset loop cannot farm rewards); emits
//! `AuctionReset`.

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::{
    checks::require_vault,
    context::{load_liquidation_prices, load_market_mut, now, require_user_call},
    error::GavelError,
    events::{AuctionReset, Event},
    liquidation::{
        auction_d_max, auction_price, load_auction_mut, pay_reward, require_no_flash,
        require_reward_account, take_reward,
    },
    math::{self, BPS},
    state::market::PRICE_MODE_ANCHORED,
    state::Reader,
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::ResetAuctionAccounts {
        caller,
        config,
        market: market_info,
        auction: auction_info,
        liquidity_vault,
        caller_debt_account,
        token_program,
        oracles,
    } = super::accounts_gen::ResetAuctionAccounts::from_slice(accounts)?;
    Reader::new(args, 0).finish()?;
    require_user_call(
        caller,
        token_program,
        config,
        crate::state::stop::RESET_AUCTION,
    )?;
    let mut market_slot = core::mem::MaybeUninit::uninit();
    let market = load_market_mut(market_info, &mut market_slot)?;
    let mut auction_slot = core::mem::MaybeUninit::uninit();
    let auction = load_auction_mut(auction_info, market_info.key(), None, &mut auction_slot)?;
    require_vault(liquidity_vault, &market.liquidity_vault)?;
    let reward_to = require_reward_account(caller_debt_account, caller, liquidity_vault, market)?;
    require_no_flash(auction)?;
    // No accrual: a reset does not read the borrow index.
    let now = now()?;
    // Whether it needs a reset does not depend on the oracle in anchored mode (tail only).
    let (_, needs_reset) = auction_price(market, auction, now.unix_timestamp, 0);
    if !needs_reset {
        return Err(GavelError::AuctionResetNotNeeded.into());
    }
    let prices = load_liquidation_prices(market, oracles, &now)?;
    auction.tic = now.unix_timestamp;
    let lot_value = math::value_floor(auction.lot, prices.mid).ok_or(GavelError::MathOverflow)?;
    if auction.price_mode == PRICE_MODE_ANCHORED {
        auction.top = prices.mid;
        let ltv = math::ltv_bps(auction.debt, lot_value).ok_or(GavelError::MathOverflow)?;
        auction.d_max_bps = auction_d_max(market, ltv, auction.tab, lot_value);
    } else {
        auction.top = math::mul_div_floor(prices.mid, market.params.buf_bps as u64, BPS)
            .ok_or(GavelError::MathOverflow)?;
    }
    let reward = take_reward(market, auction, Some(lot_value))?;
    pay_reward(market, market_info, &reward_to, reward)?;
    auction.store(auction_info)?;
    market.store(market_info)?;
    AuctionReset {
        market: *market_info.key(),
        auction: *auction_info.key(),
        id: auction.id,
        caller: *caller.key(),
        top: auction.top,
        tab: auction.tab,
        lot: auction.lot,
        reward,
        price_mode: auction.price_mode,
        d_max_bps: auction.d_max_bps,
        unix_timestamp: now.unix_timestamp,
    }
    .emit();
    Ok(())
}

//! `absorb`: the market's backstop buys what is left of a stalled or near-insolvent auction at
//! the auction's current price (Liquity's Stability Pool, Compound III's `absorb`); the rest of
//! the auction, if any, continues.
//!
//! Who: anyone, while stop < 3 (like `take`).
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `AbsorbAccounts`):
//! - `caller`: Signer.
//! - `config`: PDA `["config"]`. The protocol's Config (admin, stop level).
//! - `market`: Writable, address `auction.market`.
//! - `backstop`: Writable, PDA `["backstop", market]`.
//! - `auction`: Writable.
//! - `position`: Writable, address `auction.position`. The auctioned position.
//! - `collateral_vault`: Writable, PDA `["collateral_vault", market]`. The market's.
//! - `liquidity_vault`: Writable, PDA `["liquidity_vault", market]`. The market's.
//! - `backstop_debt_vault`: Writable, PDA `["backstop_debt", market]`.
//! - `backstop_collateral_vault`: Writable, PDA `["backstop_collateral", market]`.
//! - `caller_debt_account`: Writable. Debt mint: receives the reward.
//! - `kicker`: Writable, address `auction.kicker`. Gets the auction's rent if this closes it.
//! - `token_program`: SPL Token program.
//! - `oracles @ ..`: The market's collateral oracle, then its debt oracle when it has one. In the IDL: `collateral_oracle`.
//!
//! Args: none.
//! Rules: fresh, confident oracle price (same guards as `kick`) whose publish time is not older
//! than one the market has already used (`context::load_liquidation_prices`, the path anchored
//! takes use; it records the new publish time); the reward account must be owned by the caller
//! (`RewardAccountOwnerInvalid`); the auction must have been open
//! at least `absorb_after_secs` since its kick, or its lot at the oracle price must be worth at
//! most `tab × (1 + absorb_near_bps)` (`math::backstop::absorbable`). The pool buys at the
//! auction's current price through the quote `take` uses (`liquidation::quote_take`: Maker mode
//! the curve, anchored mode `oracle × (1 − d)` with `d ≤ d_max`, so the discount bound holds;
//! refused when the auction needs a reset; Maker's slice/owe and dust rules), with the oracle price as
//! the most it pays per unit (`PriceAboveMax`: the pool never buys above the oracle), the whole
//! lot or as much as its `debt` pays (`BackstopEmpty` when it has none).
//! Changes: booked exactly like a take (debt to LP cash first, then penalty to insurance;
//! settles and closes the auction when it is done); the pool's `debt` pays, its `collateral`
//! grows. The caller gets `tip + chip × tab` from the insurance fund, capped by the auction's
//! penalty still to raise, by the part of its penalty the kick and resets have not paid out
//! (the per-auction cap: kick + resets + absorbs together never exceed the initial penalty) and
//! by the fund (`liquidation::take_reward`, `math::kick::kick_reward`). Emits `AuctionAbsorbed`
//! (+ `AuctionSettled`, `BadDebt`).

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::{
    backstop::load_backstop_mut,
    checks::require_vault,
    context::{load_liquidation_prices, now, require_user_call},
    error::GavelError,
    events::{AuctionAbsorbed, Event},
    liquidation::{
        apply_proceeds, load_auction_scene, pay_reward, quote_take, require_no_flash,
        require_reward_account, sell_lot, settle_and_store, take_reward, AuctionAccounts,
        AuctionSlots,
    },
    math::backstop::{absorb_max_collateral, absorbable, AbsorbCheck},
    safe_math::SafeMath,
    token::transfer_from_vault,
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::AbsorbAccounts {
        caller,
        config,
        market: market_info,
        backstop: backstop_info,
        auction: auction_info,
        position: position_info,
        collateral_vault,
        liquidity_vault,
        backstop_debt_vault,
        backstop_collateral_vault,
        caller_debt_account,
        kicker,
        token_program,
        oracles,
    } = super::accounts_gen::AbsorbAccounts::from_slice(accounts)?;
    if !args.is_empty() {
        return Err(GavelError::InstructionDataInvalid.into());
    }
    require_user_call(caller, token_program, config, crate::state::stop::ABSORB)?;
    let auction_accounts = AuctionAccounts::new(market_info, auction_info, position_info, kicker);
    let mut slots = AuctionSlots::uninit();
    let (market, auction, position) = load_auction_scene(&auction_accounts, &mut slots)?;
    let mut backstop = load_backstop_mut(backstop_info, market_info.key())?;
    require_vault(collateral_vault, &market.collateral_vault)?;
    require_vault(liquidity_vault, &market.liquidity_vault)?;
    require_vault(backstop_debt_vault, &backstop.debt_vault)?;
    require_vault(backstop_collateral_vault, &backstop.collateral_vault)?;
    let reward_to = require_reward_account(caller_debt_account, caller, liquidity_vault, market)?;
    require_no_flash(auction)?;

    let now = now()?;
    let mid = load_liquidation_prices(market, oracles, &now)?.mid;
    let check = AbsorbCheck {
        // Clamped at 0 before the cast, so the cast cannot wrap.
        since_kick_secs: now.unix_timestamp.saturating_sub(auction.kicked_at).max(0) as u64,
        absorb_after_secs: backstop.params.absorb_after_secs,
        lot: auction.lot,
        tab: auction.tab,
        price: mid,
        near_bps: backstop.params.absorb_near_bps as u64,
    };
    if !absorbable(&check) {
        return Err(GavelError::BackstopNotAbsorbable.into());
    }
    if backstop.debt == 0 {
        return Err(GavelError::BackstopEmpty.into());
    }
    let t = now.unix_timestamp;
    let mut fill = quote_take(market, auction, t, mid, (auction.lot, mid))?;
    if fill.owe > backstop.debt {
        // The pool cannot pay for the whole lot: as much as its debt tokens buy at this price.
        let most = absorb_max_collateral(backstop.debt, fill.price, auction.lot)
            .ok_or(GavelError::MathOverflow)?;
        fill = quote_take(market, auction, t, mid, (most, mid))?;
    }
    let reward = take_reward(market, auction, None)?;
    sell_lot(market, auction, fill.collateral)?;
    apply_proceeds(market, auction, fill.owe)?;
    backstop.debt = backstop.debt.safe_sub(fill.owe)?;
    backstop.collateral = backstop.collateral.safe_add(fill.collateral)?;

    transfer_from_vault(
        market,
        market_info,
        backstop_debt_vault,
        liquidity_vault,
        fill.owe,
    )?;
    transfer_from_vault(
        market,
        market_info,
        collateral_vault,
        backstop_collateral_vault,
        fill.collateral,
    )?;
    pay_reward(market, market_info, &reward_to, reward)?;
    AuctionAbsorbed {
        market: *market_info.key(),
        auction: *auction_info.key(),
        id: auction.id,
        caller: *caller.key(),
        price: fill.price,
        collateral: fill.collateral,
        owe: fill.owe,
        reward,
        tab: auction.tab,
        lot: auction.lot,
        unix_timestamp: t,
    }
    .emit();
    backstop.store(backstop_info)?;
    settle_and_store(&auction_accounts, market, auction, position, t)?;
    Ok(())
}

//! `buy_from_backstop`: anyone buys the backstop's absorbed collateral with debt tokens at a small
//! discount to a fresh oracle price, so the pool turns collateral back into buying power during a
//! long crash (and bidders get a second venue).
//!
//! Who: anyone, while stop < 3.
//! Accounts (generated from `programs/gavel/instructions.js`, in order; struct `BuyFromBackstopAccounts`):
//! - `buyer`: Signer. Authority of `buyer_debt_account`.
//! - `config`: PDA `["config"]`. The protocol's Config (admin, stop level).
//! - `market`: Writable.
//! - `backstop`: Writable, PDA `["backstop", market]`.
//! - `debt_vault`: Writable, PDA `["backstop_debt", market]`. The backstop's.
//! - `collateral_vault`: Writable, PDA `["backstop_collateral", market]`. The backstop's.
//! - `buyer_debt_account`: Writable. Debt mint.
//! - `buyer_collateral_account`: Writable. Collateral mint.
//! - `token_program`: SPL Token program.
//! - `oracles @ ..`: The market's collateral oracle, then its debt oracle when it has one. In the IDL: `collateral_oracle`.
//!
//! Args: `max_collateral: u64`, `max_price: u64` (PRICE_SCALE; slippage guard).
//! Rules: fresh, confident oracle price (same guards as `kick`) whose publish time is not older
//! than one the market has already used (`context::load_liquidation_prices`, as takes and
//! `absorb`; it records the new publish time, so the market is stored); price =
//! `ceil(mid × (1 − buy_discount_bps))` (`math::backstop::buy_price`), refused above `max_price`;
//! buys `min(max_collateral, pool collateral)` (`BackstopCollateralInsufficient` when the pool
//! has none) for `ceil(collateral × price)` (`TakeTooSmall` when that is 0).
//! Changes: the payment joins the pool's `debt`, the collateral leaves its `collateral`. Emits
//! `BackstopCollateralBought`.

use pinocchio::{account_info::AccountInfo, ProgramResult};

use crate::safe_math::SafeMath;
use crate::{
    backstop::load_backstop_mut,
    checks::{require_distinct, require_token_account, require_vault},
    context::{load_liquidation_prices, load_market_mut, now, read_buy_limits, require_user_call},
    error::GavelError,
    events::{BackstopCollateralBought, Event},
    math::backstop::{buy_owe, buy_price},
    token::{transfer_from_user, transfer_from_vault},
};

/// Handler.
pub fn process(accounts: &[AccountInfo], args: &[u8]) -> ProgramResult {
    let super::accounts_gen::BuyFromBackstopAccounts {
        buyer,
        config,
        market: market_info,
        backstop: backstop_info,
        debt_vault,
        collateral_vault,
        buyer_debt_account,
        buyer_collateral_account,
        token_program,
        oracles,
    } = super::accounts_gen::BuyFromBackstopAccounts::from_slice(accounts)?;
    let (max_collateral, max_price) = read_buy_limits(args)?;

    require_user_call(
        buyer,
        token_program,
        config,
        crate::state::stop::BUY_FROM_BACKSTOP,
    )?;
    let mut market_slot = core::mem::MaybeUninit::uninit();
    let market = load_market_mut(market_info, &mut market_slot)?;
    let mut backstop = load_backstop_mut(backstop_info, market_info.key())?;
    require_vault(debt_vault, &backstop.debt_vault)?;
    require_vault(collateral_vault, &backstop.collateral_vault)?;
    require_token_account(buyer_debt_account, &market.debt_mint)?;
    require_token_account(buyer_collateral_account, &market.collateral_mint)?;
    require_distinct(buyer_collateral_account, collateral_vault)?;

    let collateral = max_collateral.min(backstop.collateral);
    if collateral == 0 {
        return Err(GavelError::BackstopCollateralInsufficient.into());
    }
    let now = now()?;
    let mid = load_liquidation_prices(market, oracles, &now)?.mid;
    let price =
        buy_price(mid, backstop.params.buy_discount_bps as u64).ok_or(GavelError::MathOverflow)?;
    if price > max_price {
        return Err(GavelError::PriceAboveMax.into());
    }
    let owe = buy_owe(collateral, price).ok_or(GavelError::MathOverflow)?;
    if owe == 0 {
        return Err(GavelError::TakeTooSmall.into());
    }
    backstop.collateral = backstop.collateral.safe_sub(collateral)?;
    backstop.debt = backstop.debt.safe_add(owe)?;

    transfer_from_user(buyer_debt_account, debt_vault, buyer, owe)?;
    transfer_from_vault(
        market,
        market_info,
        collateral_vault,
        buyer_collateral_account,
        collateral,
    )?;
    backstop.store(backstop_info)?;
    market.store(market_info)?;
    BackstopCollateralBought {
        market: *market_info.key(),
        buyer: *buyer.key(),
        price,
        collateral,
        owe,
        backstop_debt: backstop.debt,
        backstop_collateral: backstop.collateral,
        unix_timestamp: now.unix_timestamp,
    }
    .emit();
    Ok(())
}

//! Loading and checks shared by the market instructions: clock, arguments, the opening checks
//! (signer, token program, stop level), market and position accounts, oracle prices.

use core::mem::MaybeUninit;

use pinocchio::{
    account_info::AccountInfo,
    pubkey::Pubkey,
    sysvars::{clock::Clock, Sysvar},
};

use crate::{
    checks::{require_signer, require_token_program, require_writable},
    error::GavelError,
    math::{self, PythPair},
    oracle::{self, Now, OracleGuards, OracleKind, OraclePrice, OracleSpec},
    state::{stop::Gate, Config, Market, Position, Reader, WithdrawalRequest},
};

/// The cluster clock as the oracle guards need it.
#[inline(never)]
pub fn now() -> Result<Now, GavelError> {
    let clock = Clock::get().map_err(|_| GavelError::ClockUnavailable)?;
    Ok(Now {
        unix_timestamp: clock.unix_timestamp,
        slot: clock.slot,
    })
}

/// Loads the config and refuses (`ProtocolStopped`) when its stop level does not allow `gate`
/// (the instruction's row of `state::stop`).
#[inline(never)]
pub fn require_stop(config: &AccountInfo, gate: Gate) -> Result<(), GavelError> {
    if !gate.allows(Config::load(config)?.stop) {
        return Err(GavelError::ProtocolStopped);
    }
    Ok(())
}

/// The arguments of an instruction whose only argument is one `u64` (an amount, a number of
/// shares): `InstructionDataInvalid` when they are shorter or longer.
#[inline(always)]
pub fn read_u64_arg(args: &[u8]) -> Result<u64, GavelError> {
    let mut r = Reader::new(args, 0);
    let value = r.u64()?;
    r.finish()?;
    Ok(value)
}

/// The arguments of a purchase of collateral (`take`, `take_begin`, `buy_from_backstop`):
/// `(max_collateral, max_price)`, the most collateral to buy and the highest price to pay
/// (`PRICE_SCALE`; the slippage guard).
#[inline(always)]
pub fn read_buy_limits(args: &[u8]) -> Result<(u64, u64), GavelError> {
    let mut r = Reader::new(args, 0);
    let max_collateral = r.u64()?;
    let max_price = r.u64()?;
    r.finish()?;
    Ok((max_collateral, max_price))
}

/// The opening checks of an instruction a user signs and that moves tokens, in this order:
/// `signer` signed, `token_program` is SPL Token, the stop level allows `gate` (`state::stop`:
/// the gate right after the signer and program checks, before any other account is read).
#[inline(never)]
pub fn require_user_call(
    signer: &AccountInfo,
    token_program: &AccountInfo,
    config: &AccountInfo,
    gate: Gate,
) -> Result<(), GavelError> {
    require_signer(signer)?;
    require_token_program(token_program)?;
    require_stop(config, gate)
}

/// Loads a writable market into `slot`, on the caller's stack. Returning the market by value
/// cost a copy of the whole struct at each of the 19 call sites (about 15 KB of the program);
/// the slot holds the whole `Result`, so the one copy left is here.
#[inline(never)]
pub fn load_market_mut<'a>(
    account: &AccountInfo,
    slot: &'a mut MaybeUninit<Result<Market, GavelError>>,
) -> Result<&'a mut Market, GavelError> {
    let loaded = require_writable(account).and_then(|()| Market::load(account));
    match slot.write(loaded) {
        Ok(market) => Ok(market),
        Err(e) => Err(*e),
    }
}

/// Loads a writable position of `market`, owned by `owner` when given, into `slot` on the
/// caller's stack (as [`load_market_mut`]: no copy of the struct at each call site).
#[inline(never)]
pub fn load_position_mut<'a>(
    account: &AccountInfo,
    market: &Pubkey,
    owner: Option<&Pubkey>,
    slot: &'a mut MaybeUninit<Result<Position, GavelError>>,
) -> Result<&'a mut Position, GavelError> {
    let loaded = require_writable(account).and_then(|()| Position::load(account));
    let position = match slot.write(loaded) {
        Ok(position) => position,
        Err(e) => return Err(*e),
    };
    if &position.market != market || owner.is_some_and(|o| o != &position.owner) {
        return Err(GavelError::PositionMismatch);
    }
    Ok(position)
}

/// Stack slots of a market and one of its positions (as [`load_market_mut`]: the structs are
/// loaded in place, not copied at each call site).
pub struct PositionSlots {
    /// The market's slot.
    pub market: MaybeUninit<Result<Market, GavelError>>,
    /// The position's slot.
    pub position: MaybeUninit<Result<Position, GavelError>>,
}

impl PositionSlots {
    /// Empty slots.
    pub const fn uninit() -> Self {
        Self {
            market: MaybeUninit::uninit(),
            position: MaybeUninit::uninit(),
        }
    }
}

/// Loads a writable withdrawal request of `market` made by `lp` (the request's owner, discriminator,
/// market and LP are all checked: another LP's or another market's request is refused).
#[inline(never)]
pub fn load_request_mut(
    account: &AccountInfo,
    market: &Pubkey,
    lp: &Pubkey,
) -> Result<WithdrawalRequest, GavelError> {
    require_writable(account)?;
    let request = WithdrawalRequest::load(account)?;
    if &request.market != market || &request.lp != lp {
        return Err(GavelError::WithdrawalRequestMismatch);
    }
    Ok(request)
}

/// Emits `LiquidityDeposited` or `LiquidityWithdrawn` (`$event`), which carry the same fields:
/// the market and the LP (`AccountInfo`s), the debt tokens and shares moved, and the pool after
/// the move (`$market`'s total shares and pool value). In a handler returning `ProgramResult`.
macro_rules! emit_liquidity_event {
    ($event:ident, $market:expr, $market_info:expr, $lp:expr, $amount:expr, $shares:expr) => {
        crate::events::Event::emit(&crate::events::$event {
            market: *$market_info.key(),
            lp: *$lp.key(),
            amount: $amount,
            shares: $shares,
            total_shares: $market.total_shares,
            pool_value: $market.pool_value()?,
        })
    };
}
pub(crate) use emit_liquidity_event;

/// Collateral prices in debt base units per collateral base unit, on `PRICE_SCALE`.
pub struct MarketPrices {
    /// From the oracle prices themselves (used by liquidation checks).
    pub mid: u64,
    /// Conservative: collateral at price − confidence, debt at price + confidence (used when a
    /// borrower takes value out: borrow, withdraw collateral).
    pub low: u64,
    /// Publish time of the collateral price.
    pub collateral_publish_time: i64,
    /// Publish time of the debt price (0 when the market has no debt oracle).
    pub debt_publish_time: i64,
}

/// Inlined: six registers with the result pointer.
#[inline(always)]
fn read_oracle(
    market: &Market,
    account: &AccountInfo,
    kind: u8,
    expected: &Pubkey,
    now: &Now,
) -> Result<OraclePrice, GavelError> {
    let p = &market.params;
    let spec = OracleSpec {
        kind: OracleKind::from_u8(kind).ok_or(GavelError::OracleParamsInvalid)?,
        oracle_program: &p.oracle_program,
        expected,
        guards: OracleGuards {
            max_age_secs: p.max_age_secs,
            max_age_slots: p.max_age_slots,
            max_conf_bps: p.max_conf_bps as u64,
        },
    };
    oracle::load_price(account, &spec, now)
}

/// Reads the market's oracle accounts (`oracles[0]` collateral, `oracles[1]` debt when the
/// market has a debt oracle) with every guard, and converts them into market prices.
pub fn load_prices(
    market: &Market,
    oracles: &[AccountInfo],
    now: &Now,
) -> Result<MarketPrices, GavelError> {
    let p = &market.params;
    let coll_info = oracles.first().ok_or(GavelError::AccountsMissing)?;
    let coll = read_oracle(
        market,
        coll_info,
        p.collateral_oracle_kind,
        &p.collateral_oracle,
        now,
    )?;
    let (debt_price, debt_conf, debt_expo, debt_publish_time) = if p.has_debt_oracle() {
        let debt_info = oracles.get(1).ok_or(GavelError::AccountsMissing)?;
        let d = read_oracle(market, debt_info, p.debt_oracle_kind, &p.debt_oracle, now)?;
        (d.price, d.conf, d.expo, d.publish_time)
    } else {
        (1, 0, 0, 0)
    };
    let pair = |coll_price: u64, debt_price: u64| PythPair {
        coll_price,
        coll_expo: coll.expo,
        debt_price,
        debt_expo,
        coll_decimals: market.collateral_decimals,
        debt_decimals: market.debt_decimals,
    };
    let mid = math::price_from_pyth(&pair(coll.price, debt_price))
        .ok_or(GavelError::OraclePriceInvalid)?;
    let coll_low = coll.price.saturating_sub(coll.conf);
    let debt_high = debt_price
        .checked_add(debt_conf)
        .ok_or(GavelError::OraclePriceInvalid)?;
    let low =
        math::price_from_pyth(&pair(coll_low, debt_high)).ok_or(GavelError::OraclePriceInvalid)?;
    Ok(MarketPrices {
        mid,
        low,
        collateral_publish_time: coll.publish_time,
        debt_publish_time,
    })
}

/// Reads prices for the liquidation instructions (kick, take and take_begin in anchored mode,
/// reset): every guard of [`load_prices`], and publish times that never go backwards. A price
/// older than one the market has already read is refused (`OraclePublishTimeOlder`), so nobody
/// can present a lower pull-oracle print than one already seen; the market keeps the newest.
#[inline(always)]
pub fn load_liquidation_prices(
    market: &mut Market,
    oracles: &[AccountInfo],
    now: &Now,
) -> Result<MarketPrices, GavelError> {
    let prices = load_prices(market, oracles, now)?;
    if prices.collateral_publish_time < market.collateral_publish_time
        || prices.debt_publish_time < market.debt_publish_time
    {
        return Err(GavelError::OraclePublishTimeOlder);
    }
    market.collateral_publish_time = prices.collateral_publish_time;
    market.debt_publish_time = prices.debt_publish_time;
    Ok(prices)
}

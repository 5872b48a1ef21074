//! `Market`, PDA `["market", collateral_mint, debt_mint]`: one lending market (collateral token
//! against a debt token), its parameters, vaults and accounting.
//!
//! Token custody: the collateral vault `["collateral_vault", market]`, the liquidity vault
//! `["liquidity_vault", market]` (LP cash + insurance fund) and the LP share mint
//! `["share_mint", market]` are all PDAs whose token authority is the market PDA.

pub use super::layout_gen::{Curve, Market, MarketParams};
use crate::safe_math::SafeMath;
use crate::{
    error::GavelError,
    math::{
        self,
        auction::{self, MAX_CUT},
        backstop::interest_share,
        BPS, RATE_SCALE,
    },
    oracle::OracleKind,
};

/// Highest allowed borrow rate: 7.5e-8 per second (about 966% a year, compounding); keeps a
/// year's compounding factor far below the WAD overflow bound.
pub const MAX_BORROW_RATE_PER_SEC_WAD: u64 = 75_000_000_000;
/// Ceiling of the borrow index `rate`: a million-fold growth (1e18 on `RATE_SCALE`).
pub const MAX_RATE_INDEX: u64 = 1_000_000 * RATE_SCALE;
/// Highest allowed start-price buffer (`buf_bps`): 5x the oracle price.
pub const MAX_BUF_BPS: u16 = 50_000;
/// Highest allowed penalty (`chop_bps`): 50%.
pub const MAX_CHOP_BPS: u16 = 5_000;
/// Highest allowed kicker reward rate (`chip_bps`): 10% of the tab.
pub const MAX_CHIP_BPS: u16 = 1_000;
/// Longest allowed oracle age.
pub const MAX_ORACLE_AGE_SECS: u64 = 3_600;
/// Shortest allowed LP withdrawal cooldown. Zero is refused: a request and its claim in one
/// transaction would let an LP leave ahead of a bad debt that is visible but not yet kicked (the
/// reason the cooldown exists; THREAT_MODEL.md §LP run-ahead).
pub const MIN_WITHDRAW_COOLDOWN_SECS: u64 = 60;
/// Longest allowed LP withdrawal cooldown (7 days).
pub const MAX_WITHDRAW_COOLDOWN_SECS: u64 = 604_800;
/// Highest allowed backstop share of borrow interest and of penalties: 50% (the LPs keep at least
/// half of the interest; the insurance fund, which pays keepers, at least half of each penalty).
pub const MAX_BACKSTOP_SHARE_BPS: u16 = 5_000;

/// `price_mode`: Maker's price curve falling from `top` (the original engine).
pub const PRICE_MODE_MAKER: u8 = 0;
/// `price_mode`: the price follows the live oracle minus a growing, bounded discount.
pub const PRICE_MODE_ANCHORED: u8 = 1;

impl Curve {
    fn is_valid(&self) -> bool {
        match *self {
            Self::Linear { tau_secs } => tau_secs > 0,
            Self::StairstepExp { step_secs, cut } => step_secs > 0 && cut > 0 && cut <= MAX_CUT,
            Self::Exp { cut } => cut > 0 && cut <= MAX_CUT,
        }
    }

    /// Price `elapsed_secs` after the start at `top` (exact, rounded down; `math::auction`).
    pub fn price(&self, top: u64, elapsed_secs: u64) -> u64 {
        match *self {
            Self::Linear { tau_secs } => auction::linear_price(top, tau_secs, elapsed_secs),
            Self::StairstepExp { step_secs, cut } => {
                auction::stairstep_price(top, step_secs, cut, elapsed_secs)
            }
            Self::Exp { cut } => auction::exp_price(top, cut, elapsed_secs),
        }
    }
}

impl MarketParams {
    /// True when the market has its own debt-token oracle.
    pub fn has_debt_oracle(&self) -> bool {
        self.debt_oracle != [0u8; 32]
    }

    /// Checks every parameter; a bad value is refused, never stored.
    pub fn validate(&self) -> Result<(), GavelError> {
        let bps = BPS as u16;
        let ok = self.max_ltv_bps > 0
            && self.liquidation_ltv_bps > self.max_ltv_bps
            && self.liquidation_ltv_bps < bps
            && self.chop_bps <= MAX_CHOP_BPS
            // The tab (debt × (1 + chop)) must stay below the collateral's value at the kick.
            && math::mul_wide(self.liquidation_ltv_bps as u64, BPS.saturating_add(self.chop_bps as u64))
                < (0, BPS.saturating_mul(BPS))
            && self.buf_bps >= bps
            && self.buf_bps <= MAX_BUF_BPS
            && self.cusp_bps > 0
            && self.cusp_bps < bps
            && self.chip_bps <= MAX_CHIP_BPS
            && self.tail_secs > 0
            && self.dust > 0
            && self.hole >= self.dust
            && self.borrow_rate_per_sec_wad <= MAX_BORROW_RATE_PER_SEC_WAD
            && self.curve.is_valid()
            && self.withdraw_cooldown_secs >= MIN_WITHDRAW_COOLDOWN_SECS
            && self.withdraw_cooldown_secs <= MAX_WITHDRAW_COOLDOWN_SECS;
        if !ok {
            return Err(GavelError::MarketParamsInvalid);
        }
        let oracle_ok = self.oracle_program != [0u8; 32]
            && self.collateral_oracle != [0u8; 32]
            && OracleKind::from_u8(self.collateral_oracle_kind).is_some()
            // One `oracle_program` owns both oracle accounts, so both must be of the same kind.
            && (!self.has_debt_oracle() || self.debt_oracle_kind == self.collateral_oracle_kind)
            && self.max_age_secs > 0
            && self.max_age_secs <= MAX_ORACLE_AGE_SECS
            && self.max_conf_bps > 0
            && self.max_conf_bps <= bps;
        if !oracle_ok {
            return Err(GavelError::OracleParamsInvalid);
        }
        self.validate_engine_v2()?;
        if self.backstop_interest_share_bps > MAX_BACKSTOP_SHARE_BPS {
            return Err(GavelError::BackstopInterestShareInvalid);
        }
        if self.backstop_penalty_share_bps > MAX_BACKSTOP_SHARE_BPS {
            return Err(GavelError::BackstopPenaltyShareInvalid);
        }
        Ok(())
    }

    /// True when auctions follow the live oracle ([`PRICE_MODE_ANCHORED`]).
    pub fn is_anchored(&self) -> bool {
        self.price_mode == PRICE_MODE_ANCHORED
    }

    /// True when kicks size a partial liquidation (`kick_target_ltv_bps` set).
    pub fn partial_kicks(&self) -> bool {
        self.kick_target_ltv_bps != 0
    }

    /// The engine v2 parameters: price mode, discounts, partial-kick LTVs (each with its error).
    fn validate_engine_v2(&self) -> Result<(), GavelError> {
        if self.price_mode > PRICE_MODE_ANCHORED {
            return Err(GavelError::PriceModeInvalid);
        }
        // d_start ≤ d_max base ≤ d_max cap < 100 % (also in Maker mode, where partial kicks size
        // the lot with the same d_max).
        if self.anchor_start_bps > self.anchor_max_base_bps
            || self.anchor_max_base_bps > self.anchor_max_cap_bps
            || self.anchor_max_cap_bps as u64 >= BPS
        {
            return Err(GavelError::AnchorDiscountInvalid);
        }
        if self.is_anchored() && self.anchor_rate_bps_per_min == 0 {
            return Err(GavelError::AnchorRateInvalid);
        }
        if !self.partial_kicks() {
            return Ok(());
        }
        // target < liquidation LTV, and target × (1 + chop) < 1 − cap: moving debt at the largest
        // discount must lower the LTV (the sizing's denominator stays positive).
        // Operands are u16-sized (≤ 1.5e8 products), so the products cannot wrap.
        let target = self.kick_target_ltv_bps as u64;
        let penalized = target.wrapping_mul(BPS.wrapping_add(self.chop_bps as u64));
        let room = BPS
            .saturating_sub(self.anchor_max_cap_bps as u64)
            .wrapping_mul(BPS);
        if target >= self.liquidation_ltv_bps as u64 || penalized >= room {
            return Err(GavelError::KickTargetLtvInvalid);
        }
        if self.kick_full_ltv_bps <= self.liquidation_ltv_bps || self.kick_full_ltv_bps as u64 > BPS
        {
            return Err(GavelError::KickFullLtvInvalid);
        }
        Ok(())
    }
}

impl Market {
    /// Total debt owed by borrowers now (rounded up).
    pub fn total_debt(&self) -> Result<u64, GavelError> {
        math::debt_from_art(self.art_total, self.rate).ok_or(GavelError::MathOverflow)
    }

    /// What the LPs' shares are worth: idle cash, plus debt owed by positions (rounded down here,
    /// so share value never counts a rounding unit that borrowers do not owe), plus debt that live
    /// auctions still have to raise, minus what is due to the backstop (`backstop_due`).
    pub fn pool_value(&self) -> Result<u64, GavelError> {
        self.value_with_auctions_at(self.auction_debt)
    }

    /// What withdrawing LPs redeem shares against: the pool value with the debt of live auctions
    /// counted only up to the insurance fund, the most that settlements can cover without the
    /// LPs. An LP who sees an auction heading for bad debt therefore cannot leave at the full
    /// share price and hand the loss to those who stay; the difference stays in the pool, and
    /// once the auctions settle the full value is back. Deposits use [`Market::pool_value`].
    pub fn withdrawal_value(&self) -> Result<u64, GavelError> {
        self.value_with_auctions_at(self.auction_debt.min(self.insurance))
    }

    /// Idle cash + debt owed by positions (rounded down) + `auctions` − `backstop_due` (0 at
    /// worst: the backstop's claim comes before the LPs', like the insurance fund's cash).
    fn value_with_auctions_at(&self, auctions: u64) -> Result<u64, GavelError> {
        let owed = math::mul_div_floor(self.art_total, self.rate, RATE_SCALE)
            .ok_or(GavelError::MathOverflow)?;
        self.cash
            .checked_add(owed)
            .and_then(|v| v.checked_add(auctions))
            .map(|v| v.saturating_sub(self.backstop_due))
            .ok_or(GavelError::MathOverflow)
    }

    /// Compounds the borrow index up to `now`; returns the seconds accrued. The index saturates
    /// at [`MAX_RATE_INDEX`] instead of overflowing, so a market whose index would run past u64
    /// (years at an extreme rate) stops charging interest rather than freezing: repayments and
    /// withdrawals keep working. With a backstop interest share, the backstop's part of the
    /// interest (`math::backstop::interest_share`) is added to `backstop_due`.
    #[inline(never)]
    pub fn accrue(&mut self, now: i64) -> Result<u64, GavelError> {
        if now <= self.last_accrual_ts {
            return Ok(0);
        }
        let secs = now.safe_sub(self.last_accrual_ts)? as u64; // now > last: positive
        let before = self.rate;
        self.rate = math::accrue_rate(self.rate, self.params.borrow_rate_per_sec_wad, secs)
            .map_or(MAX_RATE_INDEX, |r| r.min(MAX_RATE_INDEX));
        self.last_accrual_ts = now;
        let share_bps = self.params.backstop_interest_share_bps as u64;
        if share_bps != 0 {
            let due = interest_share(self.art_total, before, self.rate, share_bps)
                .ok_or(GavelError::MathOverflow)?;
            self.backstop_due = self.backstop_due.safe_add(due)?;
        }
        Ok(secs)
    }

    /// Books a penalty of `penalty` debt tokens paid into the liquidity vault: the backstop's
    /// share (`floor(penalty × backstop_penalty_share_bps / BPS)`) goes to `cash` and becomes due
    /// to the backstop, the rest to the insurance fund.
    pub fn book_penalty(&mut self, penalty: u64) -> Result<(), GavelError> {
        let share_bps = self.params.backstop_penalty_share_bps as u64;
        let share = if share_bps == 0 {
            0
        } else {
            math::bps_of(penalty, share_bps).ok_or(GavelError::MathOverflow)?
        };
        self.insurance = self.insurance.safe_add(penalty.safe_sub(share)?)?;
        self.cash = self.cash.safe_add(share)?;
        self.backstop_due = self.backstop_due.safe_add(share)?;
        Ok(())
    }
}

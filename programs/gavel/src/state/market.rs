//! `Market`, PDA `["market", collateral_mint, debt_mint]`: one lending market (collateral token
//! against a debt token), its parameters, vaults and accounting.
//!
//! Token custody: the collateral vault `["collateral_vault", market]`, the liquidity vault
//! `["liquidity_vault", market]` (LP cash + insurance fund) and the LP share mint
//! `["share_mint", market]` are all PDAs whose token authority is the market PDA.

use pinocchio::pubkey::Pubkey;

use super::{account_io, discriminator, Reader, Writer};
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

/// Seed of market PDAs.
pub const MARKET_SEED: &[u8] = b"market";
/// Seed of the collateral vault token account.
pub const COLLATERAL_VAULT_SEED: &[u8] = b"collateral_vault";
/// Seed of the liquidity (debt token) vault token account.
pub const LIQUIDITY_VAULT_SEED: &[u8] = b"liquidity_vault";
/// Seed of the LP share mint.
pub const SHARE_MINT_SEED: &[u8] = b"share_mint";

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

/// Auction price curve (docs/parameters.md; Maker's `abaci`). Borsh enum: tag byte, then fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Curve {
    /// Falls linearly from `top` to 0 over `tau_secs`.
    Linear { tau_secs: u64 },
    /// Multiplies by `cut` (on `math::auction::CUT_SCALE`) every `step_secs`.
    StairstepExp { step_secs: u64, cut: u64 },
    /// Multiplies by `cut` (on `math::auction::CUT_SCALE`) every second.
    Exp { cut: u64 },
}

impl Curve {
    /// Largest encoded size (tag + two u64).
    pub const MAX_LEN: usize = 17;

    fn read(r: &mut Reader) -> Result<Self, GavelError> {
        match r.u8()? {
            0 => Ok(Self::Linear { tau_secs: r.u64()? }),
            1 => Ok(Self::StairstepExp {
                step_secs: r.u64()?,
                cut: r.u64()?,
            }),
            2 => Ok(Self::Exp { cut: r.u64()? }),
            _ => Err(GavelError::InstructionDataInvalid),
        }
    }

    fn write(&self, w: &mut Writer) {
        match *self {
            Self::Linear { tau_secs } => {
                w.u8(0).u64(tau_secs);
            }
            Self::StairstepExp { step_secs, cut } => {
                w.u8(1).u64(step_secs).u64(cut);
            }
            Self::Exp { cut } => {
                w.u8(2).u64(cut);
            }
        }
    }

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

/// Everything the admin sets on a market (`create_market`, `update_market`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarketParams {
    /// Borrow limit: debt value / collateral value (collateral at price − confidence).
    pub max_ltv_bps: u16,
    /// Unsafe (kickable) above this LTV; greater than `max_ltv_bps`.
    pub liquidation_ltv_bps: u16,
    /// Liquidation penalty added to the tab.
    pub chop_bps: u16,
    /// Auction start price = oracle price × buf (≥ 100%).
    pub buf_bps: u16,
    /// An auction may be reset when price / top falls below this.
    pub cusp_bps: u16,
    /// Kicker reward, share of the tab.
    pub chip_bps: u16,
    /// Kicker reward, flat amount (debt base units).
    pub tip: u64,
    /// An auction may be reset after this long.
    pub tail_secs: u64,
    /// Most debt+penalty allowed in live auctions of this market (debt base units).
    pub hole: u64,
    /// Smallest debt of a position and of what an auction leaves (debt base units).
    pub dust: u64,
    /// Per-second borrow rate on `math::WAD`, compounded into the `rate` index.
    pub borrow_rate_per_sec_wad: u64,
    /// Program that must own the oracle accounts (Pyth oracle or Pyth receiver).
    pub oracle_program: Pubkey,
    /// Layout of the collateral oracle ([`OracleKind`]).
    pub collateral_oracle_kind: u8,
    /// Legacy: price account address; pull: feed id.
    pub collateral_oracle: Pubkey,
    /// Layout of the debt oracle (ignored when `debt_oracle` is all zero).
    pub debt_oracle_kind: u8,
    /// Debt-token oracle; all zero = the debt token is worth 1 USD.
    pub debt_oracle: Pubkey,
    /// Oldest acceptable oracle publish time.
    pub max_age_secs: u64,
    /// Oldest acceptable oracle publish slot (0 = unchecked).
    pub max_age_slots: u64,
    /// Widest acceptable confidence / price.
    pub max_conf_bps: u16,
    /// Auction price curve.
    pub curve: Curve,
    /// Seconds between an LP's `request_withdrawal` and the first `withdraw_liquidity` claim of
    /// it (fixed in the request when it is made).
    pub withdraw_cooldown_secs: u64,
    /// [`PRICE_MODE_MAKER`] (the `curve` from `top`) or [`PRICE_MODE_ANCHORED`] (oracle × (1 − d)).
    pub price_mode: u8,
    /// Anchored mode: discount at the kick (and after a reset), `d_start`.
    pub anchor_start_bps: u16,
    /// Anchored mode: discount growth per minute, `d_rate`.
    pub anchor_rate_bps_per_min: u16,
    /// Largest discount of an auction whose position was kicked at exactly the liquidation LTV;
    /// each point of LTV above it adds a point (`math::anchored::d_max_bps`).
    pub anchor_max_base_bps: u16,
    /// Largest discount of any auction.
    pub anchor_max_cap_bps: u16,
    /// Partial kicks bring the position back to this LTV; 0 = whole positions.
    pub kick_target_ltv_bps: u16,
    /// Partial kicks: at or above this LTV the whole position is kicked.
    pub kick_full_ltv_bps: u16,
    /// Share of borrow interest owed to the market's backstop pool instead of the LPs (0 = none).
    pub backstop_interest_share_bps: u16,
    /// Share of each liquidation penalty owed to the backstop pool instead of the insurance fund.
    pub backstop_penalty_share_bps: u16,
}

impl MarketParams {
    /// Largest Borsh size of the params.
    pub const MAX_LEN: usize =
        6 * 2 + 5 * 8 + 32 + 1 + 32 + 1 + 32 + 8 + 8 + 2 + Curve::MAX_LEN + 8 + 1 + 6 * 2 + 2 * 2;

    /// Decodes params (Borsh).
    pub fn read(r: &mut Reader) -> Result<Self, GavelError> {
        Ok(Self {
            max_ltv_bps: r.u16()?,
            liquidation_ltv_bps: r.u16()?,
            chop_bps: r.u16()?,
            buf_bps: r.u16()?,
            cusp_bps: r.u16()?,
            chip_bps: r.u16()?,
            tip: r.u64()?,
            tail_secs: r.u64()?,
            hole: r.u64()?,
            dust: r.u64()?,
            borrow_rate_per_sec_wad: r.u64()?,
            oracle_program: r.pubkey()?,
            collateral_oracle_kind: r.u8()?,
            collateral_oracle: r.pubkey()?,
            debt_oracle_kind: r.u8()?,
            debt_oracle: r.pubkey()?,
            max_age_secs: r.u64()?,
            max_age_slots: r.u64()?,
            max_conf_bps: r.u16()?,
            curve: Curve::read(r)?,
            withdraw_cooldown_secs: r.u64()?,
            price_mode: r.u8()?,
            anchor_start_bps: r.u16()?,
            anchor_rate_bps_per_min: r.u16()?,
            anchor_max_base_bps: r.u16()?,
            anchor_max_cap_bps: r.u16()?,
            kick_target_ltv_bps: r.u16()?,
            kick_full_ltv_bps: r.u16()?,
            backstop_interest_share_bps: r.u16()?,
            backstop_penalty_share_bps: r.u16()?,
        })
    }

    /// Encodes params (Borsh).
    pub fn write(&self, w: &mut Writer) {
        w.u16(self.max_ltv_bps)
            .u16(self.liquidation_ltv_bps)
            .u16(self.chop_bps)
            .u16(self.buf_bps)
            .u16(self.cusp_bps)
            .u16(self.chip_bps)
            .u64(self.tip)
            .u64(self.tail_secs)
            .u64(self.hole)
            .u64(self.dust)
            .u64(self.borrow_rate_per_sec_wad)
            .bytes(&self.oracle_program)
            .u8(self.collateral_oracle_kind)
            .bytes(&self.collateral_oracle)
            .u8(self.debt_oracle_kind)
            .bytes(&self.debt_oracle)
            .u64(self.max_age_secs)
            .u64(self.max_age_slots)
            .u16(self.max_conf_bps);
        self.curve.write(w);
        w.u64(self.withdraw_cooldown_secs)
            .u8(self.price_mode)
            .u16(self.anchor_start_bps)
            .u16(self.anchor_rate_bps_per_min)
            .u16(self.anchor_max_base_bps)
            .u16(self.anchor_max_cap_bps)
            .u16(self.kick_target_ltv_bps)
            .u16(self.kick_full_ltv_bps)
            .u16(self.backstop_interest_share_bps)
            .u16(self.backstop_penalty_share_bps);
    }

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

/// A lending market.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Market {
    /// Canonical bump of the market PDA.
    pub bump: u8,
    /// Collateral token mint (classic SPL Token).
    pub collateral_mint: Pubkey,
    /// Debt token mint (classic SPL Token).
    pub debt_mint: Pubkey,
    /// Decimals of the collateral mint.
    pub collateral_decimals: u8,
    /// Decimals of the debt mint.
    pub debt_decimals: u8,
    /// Collateral vault (token account, authority = market).
    pub collateral_vault: Pubkey,
    /// Liquidity vault (token account, authority = market): LP cash + insurance fund.
    pub liquidity_vault: Pubkey,
    /// LP share mint (authority = market; decimals = debt decimals).
    pub share_mint: Pubkey,
    /// LP shares outstanding (= share mint supply).
    pub total_shares: u64,
    /// Debt tokens idle in the liquidity vault that belong to LPs.
    pub cash: u64,
    /// Debt tokens in the liquidity vault that belong to the insurance fund.
    pub insurance: u64,
    /// Sum of positions' normalized debt.
    pub art_total: u64,
    /// Cumulative borrow index on [`RATE_SCALE`] (starts at 1.0).
    pub rate: u64,
    /// Unix time of the last accrual.
    pub last_accrual_ts: i64,
    /// Collateral held for positions (sum of `ink`; auctions add their lots later).
    pub collateral_total: u64,
    /// Debt + penalty currently in live auctions.
    pub dirt: u64,
    /// Debt (without penalty) that live auctions still owe the pool; counted in the pool's value
    /// until raised or written off as bad debt.
    pub auction_debt: u64,
    /// Auctions started so far (next auction id).
    pub auction_count: u64,
    /// The admin-set parameters.
    pub params: MarketParams,
    /// Newest collateral-oracle publish time the market has read (kick, take, reset); an older
    /// price is refused, so nobody can present a lower print than one already seen.
    pub collateral_publish_time: i64,
    /// The same for the debt oracle (0 when the market has none).
    pub debt_publish_time: i64,
    /// Debt tokens owed to the backstop pool: its shares of interest (accrued with the index) and
    /// of penalties (paid into `cash`), not yet moved by `fund_backstop`. Not the LPs': the pool
    /// value excludes it.
    pub backstop_due: u64,
}

impl Market {
    /// `sha256("account:Market")[..8]`.
    pub const DISCRIMINATOR: [u8; 8] = discriminator::account("Market");
    /// Account size: discriminator, fields, params at their largest.
    pub const LEN: usize = 8 + 1 + 32 * 5 + 2 + 8 * 10 + MarketParams::MAX_LEN + 8 * 3;

    /// Decodes account bytes (discriminator not checked here).
    pub fn read(data: &[u8]) -> Result<Self, GavelError> {
        let mut r = Reader::new(data, 8);
        Ok(Self {
            bump: r.u8()?,
            collateral_mint: r.pubkey()?,
            debt_mint: r.pubkey()?,
            collateral_decimals: r.u8()?,
            debt_decimals: r.u8()?,
            collateral_vault: r.pubkey()?,
            liquidity_vault: r.pubkey()?,
            share_mint: r.pubkey()?,
            total_shares: r.u64()?,
            cash: r.u64()?,
            insurance: r.u64()?,
            art_total: r.u64()?,
            rate: r.u64()?,
            last_accrual_ts: r.i64()?,
            collateral_total: r.u64()?,
            dirt: r.u64()?,
            auction_debt: r.u64()?,
            auction_count: r.u64()?,
            params: MarketParams::read(&mut r)?,
            collateral_publish_time: r.i64()?,
            debt_publish_time: r.i64()?,
            backstop_due: r.u64()?,
        })
    }

    /// Encodes into exactly [`Self::LEN`] bytes (unused tail bytes zeroed).
    pub fn write(&self, data: &mut [u8]) -> Result<(), GavelError> {
        if data.len() != Self::LEN {
            return Err(GavelError::AccountDiscriminatorInvalid);
        }
        let mut w = Writer::new(data, 0);
        w.bytes(&Self::DISCRIMINATOR)
            .u8(self.bump)
            .bytes(&self.collateral_mint)
            .bytes(&self.debt_mint)
            .u8(self.collateral_decimals)
            .u8(self.debt_decimals)
            .bytes(&self.collateral_vault)
            .bytes(&self.liquidity_vault)
            .bytes(&self.share_mint)
            .u64(self.total_shares)
            .u64(self.cash)
            .u64(self.insurance)
            .u64(self.art_total)
            .u64(self.rate)
            .i64(self.last_accrual_ts)
            .u64(self.collateral_total)
            .u64(self.dirt)
            .u64(self.auction_debt)
            .u64(self.auction_count);
        self.params.write(&mut w);
        w.i64(self.collateral_publish_time)
            .i64(self.debt_publish_time)
            .u64(self.backstop_due);
        let end = w.len();
        data[end..].fill(0);
        Ok(())
    }

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

account_io!(Market);

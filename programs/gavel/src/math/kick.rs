//! Kick sizing and the keeper reward (Maker's `dog.bark` sizing with `hole`/`dust`, and the
//! `tip + chip × tab` incentive), exact integer arithmetic, `core` only, host-tested.
//!
//! [`kick_size`] decides whether a position can be kicked and what auction it starts;
//! [`kick_reward`] and [`reset_reward`] what the kicker or resetter is paid from the insurance
//! fund, [`unearned_rewards`] what a settled auction's rewards exceeded the penalty it collected
//! by (carried by the position into its next auction's cap). `kick.rs`, `reset_auction.rs` and
//! `liquidation.rs` call them; the TypeScript mirror is
//! `sdk/src/kick.ts` (used by the bidder). Both are checked against the golden vectors in
//! `tests/vectors/kick.json`, produced by `scripts/gen-kick-vectors.py` with Python's exact
//! integers.
//!
//! Partial kicks (engine v2): with `target_ltv_bps` set, the debt and collateral to move come
//! from `math::partial::partial_kick` at the health discount, before the hole and dust rules; every
//! kick also fixes the auction's `d_max_bps` (`math::anchored::d_max_bps`).
//!
//! On-chain codegen (see [`super`]): [`kick_size`] returns a `Result`, so it is an
//! `#[inline(always)]` wrapper around an out-of-line worker that writes through `&mut` and returns
//! an error code; the rewards return a scalar and are `#[inline(never)]`. No function here can
//! panic: every product and quotient goes through [`mul_div_floor`] / [`mul_div_ceil`].

use super::{
    anchored::{d_max_bps, DmaxInput},
    ltv_bps, mul_div_ceil, mul_div_floor,
    partial::{partial_kick, PartialInput, PartialSize},
    BPS, PRICE_SCALE, RATE_SCALE,
};

#[cfg(test)]
#[path = "kick_tests.rs"]
mod tests;

/// Market parameters a kick reads (from `MarketParams`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KickParams {
    /// A position is unsafe once its debt exceeds this share of its collateral value.
    pub liquidation_ltv_bps: u64,
    /// Liquidation penalty: `tab = debt × (1 + chop)`.
    pub chop_bps: u64,
    /// Start price of the auction: `top = oracle × buf`.
    pub buf_bps: u64,
    /// Most tab all live auctions of the market may hold together (Maker's `hole`).
    pub hole: u64,
    /// Smallest debt an auction, or the position it leaves behind, may hold (Maker's `dust`).
    pub dust: u64,
    /// Partial kicks restore this LTV (`kick_target_ltv_bps`); 0 = whole positions.
    pub target_ltv_bps: u64,
    /// At or above this LTV the whole position goes (`kick_full_ltv_bps`).
    pub full_ltv_bps: u64,
    /// `anchor_max_base_bps`: the auction's d_max at the liquidation LTV.
    pub max_base_bps: u64,
    /// `anchor_max_cap_bps`: the largest d_max.
    pub max_cap_bps: u64,
}

/// Input of [`kick_size`]: the position, the market's state and parameters, the oracle price.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KickInput {
    /// Collateral of the position (collateral base units).
    pub ink: u64,
    /// Normalized debt of the position.
    pub art: u64,
    /// The market's borrow index, accrued to now (RATE_SCALE).
    pub rate: u64,
    /// Oracle price (PRICE_SCALE): the price itself, not price − confidence.
    pub price: u64,
    /// Tab of the market's live auctions (Maker's `dirt`).
    pub dirt: u64,
    /// The market's parameters.
    pub params: KickParams,
}

/// The auction a kick starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KickSize {
    /// Normalized debt moved out of the position.
    pub art: u64,
    /// Collateral moved out of the position: the auction's lot.
    pub ink: u64,
    /// Debt moved into the auction (owed to the pool).
    pub debt: u64,
    /// Debt + penalty to raise: `ceil(debt × (BPS + chop_bps) / BPS)`.
    pub tab: u64,
    /// Start price: `floor(price × buf_bps / BPS)`.
    pub top: u64,
    /// The auction's largest discount: `d_max_bps` at the position's LTV, bounded by the lot.
    pub d_max_bps: u64,
}

/// Why [`kick_size`] refuses a kick.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KickError {
    /// The position's debt is 0 or within the liquidation LTV.
    Safe,
    /// Live auctions already fill the hole.
    HoleFull,
    /// The auction, or the position it would leave behind, is below dust, or the lot is 0.
    Dusty,
    /// An intermediate exceeds u64 (or the index is 0 while room is computed).
    Overflow,
}

/// Sizes a kick (Maker's `dog.bark`, with engine v2's partial kicks), in exactly this order:
///
/// ```text
/// debt  = ceil(art × rate / RATE_SCALE)
/// value = floor(ink × price / PRICE_SCALE)
/// if debt == 0 || debt <= floor(value × liquidation_ltv_bps / BPS) { refuse Safe }
/// ltv = ltv_bps(debt, value)                          // rounded up, saturating
/// health = d_max_bps(ltv, liquidation_ltv, max_base, max_cap, tab 0, lot_value 0)
/// sized = partial_kick(ink, art, rate, price, debt, value, target, full, chop, health, dust)
///         // (art, ink, debt, tab) of the whole position unless partial kicks are on
/// room = hole − dirt (0 if dirt ≥ hole);  if room == 0 { refuse HoleFull }
/// room_art = floor(floor(room × BPS / (BPS + chop_bps)) × RATE_SCALE / rate)
/// if sized.art ≤ room_art { (dart, dink, auction_debt, tab) = sized }
/// else {                                              // only part fits under the hole
///     if ceil((art − room_art) × rate / RATE_SCALE) < dust { dart = art; auction_debt = debt }
///     else { dart = room_art; auction_debt = ceil(dart × rate / RATE_SCALE)
///            if auction_debt < dust { refuse Dusty } }
///     dink = ink if dart == art else floor(sized.ink × dart / sized.art)
///     tab = ceil(auction_debt × (BPS + chop_bps) / BPS)
/// }
/// if dink == 0 { refuse Dusty }
/// top = floor(price × buf_bps / BPS)
/// d_max_bps = d_max_bps(ltv, …, tab, floor(dink × price / PRICE_SCALE))
/// ```
///
/// Any intermediate beyond u64 (or `rate == 0` at the room step) refuses with `Overflow`.
/// The result satisfies `art ≤ input.art`, `ink ≤ input.ink`, `tab ≥ debt`, and
/// `tab ≤ room` unless the whole position was taken to avoid leaving dust. With
/// `target_ltv_bps` 0 it is Maker's sizing exactly (whole positions, pro-rata lots).
#[inline(always)]
pub fn kick_size(k: &KickInput) -> Result<KickSize, KickError> {
    let mut out = KickSize {
        art: 0,
        ink: 0,
        debt: 0,
        tab: 0,
        top: 0,
        d_max_bps: 0,
    };
    kick_size_raw(k, &mut out)?;
    Ok(out)
}

/// [`kick_size`] out of line: writes the size to `out`. Its result is a single byte (the error
/// variant, or `Ok`), so it needs no result pointer.
#[inline(never)]
fn kick_size_raw(k: &KickInput, out: &mut KickSize) -> Result<(), KickError> {
    *out = kick_size_inner(k)?;
    Ok(())
}

/// Body of [`kick_size`], inlined into [`kick_size_raw`].
#[inline(always)]
fn kick_size_inner(k: &KickInput) -> Result<KickSize, KickError> {
    let p = &k.params;
    let of = KickError::Overflow;
    let debt = mul_div_ceil(k.art, k.rate, RATE_SCALE).ok_or(of)?;
    let value = mul_div_floor(k.ink, k.price, PRICE_SCALE).ok_or(of)?;
    let limit = mul_div_floor(value, p.liquidation_ltv_bps, BPS).ok_or(of)?;
    if debt == 0 || debt <= limit {
        return Err(KickError::Safe);
    }
    // Engine v2: what partial sizing moves at the health discount (the whole position unless
    // partial kicks are on).
    let ltv = ltv_bps(debt, value).ok_or(of)?;
    let dmax = |tab: u64, lot_value: u64| {
        d_max_bps(&DmaxInput {
            ltv_bps: ltv,
            liquidation_ltv_bps: p.liquidation_ltv_bps,
            max_base_bps: p.max_base_bps,
            max_cap_bps: p.max_cap_bps,
            tab,
            lot_value,
        })
    };
    let mut sized = PartialSize {
        art: 0,
        ink: 0,
        debt: 0,
        tab: 0,
    };
    partial_kick(
        &PartialInput {
            ink: k.ink,
            art: k.art,
            rate: k.rate,
            price: k.price,
            debt,
            value,
            target_ltv_bps: p.target_ltv_bps,
            full_ltv_bps: p.full_ltv_bps,
            chop_bps: p.chop_bps,
            discount_bps: dmax(0, 0),
            dust: p.dust,
        },
        &mut sized,
    );
    let room = p.hole.saturating_sub(k.dirt);
    if room == 0 {
        return Err(KickError::HoleFull);
    }
    let chop = BPS.checked_add(p.chop_bps).ok_or(of)?;
    let room_debt = mul_div_floor(room, BPS, chop).ok_or(of)?;
    let room_art = mul_div_floor(room_debt, RATE_SCALE, k.rate).ok_or(of)?;
    let (dart, dink, auction_debt, tab) = if sized.art <= room_art {
        // It all fits: the sized auction as it is (partial sizing kept the remainder and the
        // auction at or above dust; a tab of 0 is its overflow signal).
        (sized.art, sized.ink, sized.debt, sized.tab)
    } else {
        // The hole cuts the debt (Maker): the whole position if the rest would be dust, else the
        // auction must reach dust; the lot is the sized lot's share (the whole one: pro rata).
        // room_art < sized.art ≤ art, so the subtraction cannot wrap.
        let left = mul_div_ceil(k.art.saturating_sub(room_art), k.rate, RATE_SCALE).ok_or(of)?;
        let (dart, auction_debt) = if left < p.dust {
            (k.art, debt)
        } else {
            let d = mul_div_ceil(room_art, k.rate, RATE_SCALE).ok_or(of)?;
            if d < p.dust {
                return Err(KickError::Dusty);
            }
            (room_art, d)
        };
        let dink = if dart == k.art {
            k.ink
        } else {
            mul_div_floor(sized.ink, dart, sized.art).ok_or(of)?
        };
        (
            dart,
            dink,
            auction_debt,
            mul_div_ceil(auction_debt, chop, BPS).unwrap_or(0),
        )
    };
    if dink == 0 {
        return Err(KickError::Dusty);
    }
    if tab == 0 {
        return Err(of); // the debt is above 0, so only an overflow gives a tab of 0
    }
    let top = mul_div_floor(k.price, p.buf_bps, BPS).ok_or(of)?;
    // dink ≤ ink, so its value is at most `value`.
    let lot_value = mul_div_floor(dink, k.price, PRICE_SCALE).ok_or(of)?;
    Ok(KickSize {
        art: dart,
        ink: dink,
        debt: auction_debt,
        tab,
        top,
        d_max_bps: dmax(tab, lot_value),
    })
}

/// Input of [`kick_reward`] and [`reset_reward`]: the market's incentive, the auction, the fund.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RewardInput {
    /// Flat reward (debt base units).
    pub tip: u64,
    /// Proportional reward on the tab (bps).
    pub chip_bps: u64,
    /// The auction's tab now.
    pub tab: u64,
    /// The debt part of the tab now (the rest, `tab − debt`, is penalty still to raise).
    pub debt: u64,
    /// The auction's penalty at the kick: `initial_tab − initial_debt`.
    pub initial_penalty: u64,
    /// Rewards the auction's kick and earlier resets already paid.
    pub rewards_paid: u64,
    /// The market's insurance fund.
    pub insurance: u64,
}

/// Kicker (or resetter) reward:
///
/// ```text
/// min(tip + floor(tab × chip_bps / BPS),      // saturating at u64::MAX
///     tab − debt,                             // the penalty still to raise (0 if debt ≥ tab)
///     initial_penalty − rewards_paid,         // per auction: all rewards ≤ the penalty (0 if paid ≥ penalty)
///     insurance)
/// ```
///
/// The per-auction cap means the kick and every reset of one auction together never pay more
/// than the auction's penalty, so when its tab is raised in full the insurance fund does not lose:
/// kicking or resetting one's own position is never profitable. Never fails.
#[inline(never)]
pub fn kick_reward(r: &RewardInput) -> u64 {
    let chip = mul_div_floor(r.tab, r.chip_bps, BPS).unwrap_or(u64::MAX);
    r.tip
        .saturating_add(chip)
        .min(r.tab.saturating_sub(r.debt))
        .min(r.initial_penalty.saturating_sub(r.rewards_paid))
        .min(r.insurance)
}

/// Reset reward: [`kick_reward`] when both the tab and the lot's value (at the fresh price) are
/// at least `dust`, else 0 (resetting a dusty auction earns nothing).
#[inline(never)]
pub fn reset_reward(r: &RewardInput, lot_value: u64, dust: u64) -> u64 {
    if r.tab >= dust && lot_value >= dust {
        kick_reward(r)
    } else {
        0
    }
}

/// Input of [`unearned_rewards`]: an auction at its settlement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnearnedInput {
    /// Rewards charged to the auction: the unearned rewards it carried from the position's
    /// earlier auctions, plus what its kick, resets and absorbs paid.
    pub rewards_paid: u64,
    /// Tab at the kick.
    pub initial_tab: u64,
    /// Debt part of the tab at the kick.
    pub initial_debt: u64,
    /// Tab not raised (0 when raised in full, or when the rest goes back to the position as debt
    /// with its penalty).
    pub tab: u64,
    /// Debt part of the unraised tab.
    pub debt: u64,
}

/// Rewards an auction charged beyond the penalty it collected:
///
/// ```text
/// penalty collected = (initial_tab − tab) − (initial_debt − debt)   // proceeds repay debt first
/// unearned = rewards_paid − penalty collected                       // each difference 0 if negative
/// ```
///
/// The position carries it into its next auction, whose rewards it lowers (the kick starts that
/// auction's `rewards_paid` at it): over any chain of auctions of one position the rewards paid
/// never exceed the penalties collected plus the live auction's own penalty, however often a lot
/// runs out (its unraised penalty dropped) and the position is kicked again. Never fails.
#[inline(never)]
pub fn unearned_rewards(u: &UnearnedInput) -> u64 {
    let raised = u.initial_tab.saturating_sub(u.tab);
    let debt_raised = u.initial_debt.saturating_sub(u.debt);
    u.rewards_paid
        .saturating_sub(raised.saturating_sub(debt_raised))
}

/**
 * Fixed-point math of Gavel, an exact mirror of `programs/gavel/src/math` (Rust).
 *
 * Every function takes and returns u64 values as `BN` and returns `null` exactly where the
 * program returns `None` (a zero divisor, or a result above 2^64 − 1), so a client computes the
 * same debts, prices and shares as the chain, to the base unit. Arguments outside u64 (negative
 * or ≥ 2^64) are programming errors and throw a `RangeError`. Both implementations are checked
 * against the golden vectors in `tests/vectors/math.json`. Results are fresh `BN`s; the exported
 * constants must not be mutated.
 * @module
 */
import BN from "bn.js";

/** Basis points: 10_000 bps = 100 %. */
export const BPS = new BN(10_000);

/** 1e18 fixed point ("wad") of per-second borrow rates and compounding factors. */
export const WAD = new BN("1000000000000000000");

/** 1e12 fixed point of the cumulative borrow index `rate` (starts at 1.0 = RATE_SCALE). */
export const RATE_SCALE = new BN("1000000000000");

/** 1e12 fixed point of prices: debt base units per ONE collateral base unit, × PRICE_SCALE. */
export const PRICE_SCALE = new BN("1000000000000");

/** Longest span (one 365-day year, in seconds) that `accrueRate` compounds in one step. */
export const MAX_ACCRUAL_CHUNK_SECS = new BN(31_536_000);

const U64_MAX = new BN(1).shln(64).subn(1);
const TEN = new BN(10);
const I32_MIN = -(2 ** 31);
const I32_MAX = 2 ** 31 - 1;

/** Throws unless `x` is a BN in [0, 2^64 − 1]. */
function checkU64(x: BN, name: string): void {
  if (!BN.isBN(x) || x.isNeg() || x.gt(U64_MAX)) {
    throw new RangeError(`${name} must be a u64 BN, got ${String(x)}`);
  }
}

/** Throws unless `x` is an integer in [min, max]. */
function checkInt(x: number, min: number, max: number, name: string): void {
  if (!Number.isInteger(x) || x < min || x > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${x}`);
  }
}

/** `x` if it fits in a u64, else null (the program's `None`). */
function fit(x: BN): BN | null {
  return x.gt(U64_MAX) ? null : x;
}

/** `floor(a × b / c)`; null if `c` is 0 or the result exceeds u64. */
export function mulDivFloor(a: BN, b: BN, c: BN): BN | null {
  checkU64(a, "a");
  checkU64(b, "b");
  checkU64(c, "c");
  if (c.isZero()) return null;
  return fit(a.mul(b).div(c));
}

/** `ceil(a × b / c)`; null if `c` is 0 or the result exceeds u64. */
export function mulDivCeil(a: BN, b: BN, c: BN): BN | null {
  checkU64(a, "a");
  checkU64(b, "b");
  checkU64(c, "c");
  if (c.isZero()) return null;
  const { div, mod } = a.mul(b).divmod(c);
  return fit(mod.isZero() ? div : div.addn(1));
}

/** `10^n` for a u32 `n`; null if `n > 19`. */
export function pow10(n: number): BN | null {
  checkInt(n, 0, 2 ** 32 - 1, "n");
  return n > 19 ? null : TEN.pow(new BN(n));
}

/**
 * `(1 + r)^secs` in WAD (r = ratePerSecWad / WAD): right-to-left square-and-multiply, every product
 * floored (`result = floor(result × base / WAD)` for each set bit from the lowest, then
 * `base = floor(base × base / WAD)` unless no bit remains); null on overflow.
 */
export function compoundWad(ratePerSecWad: BN, secs: BN): BN | null {
  checkU64(ratePerSecWad, "ratePerSecWad");
  checkU64(secs, "secs");
  let base = fit(WAD.add(ratePerSecWad));
  if (base === null) return null;
  let result = WAD.clone();
  let n = secs.clone();
  while (!n.isZero()) {
    if (n.isOdd()) {
      const product = mulDivFloor(result, base, WAD);
      if (product === null) return null;
      result = product;
    }
    n = n.shrn(1);
    if (n.isZero()) break; // no squaring after the last bit
    const square = mulDivFloor(base, base, WAD);
    if (square === null) return null;
    base = square;
  }
  return result;
}

/**
 * The borrow index after `secs` seconds: whole one-year chunks first, then the remainder, each
 * `rate = floor(rate × compoundWad(r, chunk) / WAD)` (stops repeating a year once the index no
 * longer changes, like the program); null on overflow.
 */
export function accrueRate(rate: BN, ratePerSecWad: BN, secs: BN): BN | null {
  checkU64(rate, "rate");
  checkU64(ratePerSecWad, "ratePerSecWad");
  checkU64(secs, "secs");
  let index = rate.clone();
  const { div: years, mod: rest } = secs.divmod(MAX_ACCRUAL_CHUNK_SECS);
  if (!years.isZero()) {
    const yearFactor = compoundWad(ratePerSecWad, MAX_ACCRUAL_CHUNK_SECS);
    if (yearFactor === null) return null;
    // secs / 1 year < 2^53, so the count is an exact JS number.
    for (let i = 0, count = years.toNumber(); i < count; i++) {
      const next = mulDivFloor(index, yearFactor, WAD);
      if (next === null) return null;
      if (next.eq(index)) break; // a fixed point: the remaining years change nothing
      index = next;
    }
  }
  if (rest.isZero()) return index;
  const factor = compoundWad(ratePerSecWad, rest);
  return factor === null ? null : mulDivFloor(index, factor, WAD);
}

/** A position's debt, `ceil(art × rate / RATE_SCALE)` (rounds up). */
export function debtFromArt(art: BN, rate: BN): BN | null {
  return mulDivCeil(art, rate, RATE_SCALE);
}

/** Art removed by repaying `debt`: `floor(debt × RATE_SCALE / rate)`; null if `rate` is 0. */
export function artFromDebtFloor(debt: BN, rate: BN): BN | null {
  return mulDivFloor(debt, RATE_SCALE, rate);
}

/** Art added by borrowing `debt`: `ceil(debt × RATE_SCALE / rate)`; null if `rate` is 0. */
export function artFromDebtCeil(debt: BN, rate: BN): BN | null {
  return mulDivCeil(debt, RATE_SCALE, rate);
}

/** Collateral `amount` valued in debt base units: `floor(amount × price / PRICE_SCALE)`. */
export function valueFloor(amount: BN, price: BN): BN | null {
  return mulDivFloor(amount, price, PRICE_SCALE);
}

/**
 * LTV in bps, `ceil(debt × BPS / collateralValue)`; u64::MAX when the value is 0 and debt > 0,
 * 0 when both are 0, and saturated at u64::MAX when the ratio exceeds u64 (never null).
 */
export function ltvBps(debt: BN, collateralValue: BN): BN | null {
  checkU64(debt, "debt");
  checkU64(collateralValue, "collateralValue");
  if (collateralValue.isZero()) return debt.isZero() ? new BN(0) : U64_MAX.clone();
  return mulDivCeil(debt, BPS, collateralValue) ?? U64_MAX.clone();
}

/** Largest debt allowed: `floor(collateralValue × ltvBps / BPS)`. */
export function maxDebtFor(collateralValue: BN, ltvBps: BN): BN | null {
  return mulDivFloor(collateralValue, ltvBps, BPS);
}

/**
 * LP shares minted for a deposit: `floor(amount × totalShares / totalLiquidity)`, `amount` for the
 * first deposit (totalShares 0); null if shares exist but liquidity is 0.
 */
export function sharesForDeposit(amount: BN, totalLiquidity: BN, totalShares: BN): BN | null {
  checkU64(amount, "amount");
  checkU64(totalLiquidity, "totalLiquidity");
  checkU64(totalShares, "totalShares");
  if (totalShares.isZero()) return amount.clone();
  return mulDivFloor(amount, totalShares, totalLiquidity);
}

/** Liquidity redeemed for `shares`: `floor(shares × totalLiquidity / totalShares)`; null if no shares. */
export function amountForShares(shares: BN, totalLiquidity: BN, totalShares: BN): BN | null {
  return mulDivFloor(shares, totalLiquidity, totalShares);
}

/** The market fields the LP pool's value depends on (a decoded `Market` has them all). */
export interface PoolState {
  cash: BN;
  artTotal: BN;
  rate: BN;
  auctionDebt: BN;
  insurance: BN;
  /** Funding owed to the backstop pool: not the LPs'. */
  backstopDue: BN;
}

/**
 * `Market::pool_value`: cash + `floor(artTotal × rate / RATE_SCALE)` + auction debt − backstop due
 * (0 at worst) (deposits).
 */
export function poolValue(m: PoolState): BN | null {
  return valueWithAuctionsAt(m, m.auctionDebt);
}

/**
 * `Market::withdrawal_value`: the pool value with live auctions' debt counted only up to the
 * insurance fund — what `withdraw_liquidity` redeems shares against (no running ahead of a
 * pending bad debt). Equal to {@link poolValue} when no auction is live.
 */
export function withdrawalValue(m: PoolState): BN | null {
  return valueWithAuctionsAt(m, BN.min(m.auctionDebt, m.insurance));
}

function valueWithAuctionsAt(m: PoolState, auctions: BN): BN | null {
  const owed = mulDivFloor(m.artTotal, m.rate, RATE_SCALE);
  if (owed === null) return null;
  const v = m.cash.add(owed).add(auctions);
  if (v.gt(U64_MAX)) return null;
  return v.gt(m.backstopDue) ? v.sub(m.backstopDue) : new BN(0);
}

/**
 * `math::request_value_of`: the at-request value of `shares` of a withdrawal request holding
 * `requestShares` worth `requestValue` (exactly `requestValue` for all of them); null if
 * `shares > requestShares` or `requestShares` is 0.
 */
export function requestValueOf(shares: BN, requestShares: BN, requestValue: BN): BN | null {
  if (shares.gt(requestShares)) return null;
  if (shares.eq(requestShares)) return requestValue;
  return mulDivFloor(shares, requestValue, requestShares);
}

/**
 * `math::claim_amount`: what `withdraw_liquidity` pays for `shares` whose value at request is
 * `cap`: min(cap, floor(shares × withdrawalValue / totalShares)).
 */
export function claimAmount(shares: BN, cap: BN, withdrawalValue: BN, totalShares: BN): BN | null {
  const now = amountForShares(shares, withdrawalValue, totalShares);
  return now === null ? null : BN.min(now, cap);
}

/**
 * `math::cancel_shares`: the shares `cancel_withdrawal` gives back (`totalShares` includes the
 * request's): all of them when worth at most `requestValue` now (at `poolValue` / `totalShares`)
 * or when no other shares exist; otherwise min(requestShares, floor(requestValue × others /
 * (poolValue − requestValue))) with others = totalShares − requestShares, so that the shares given
 * back are worth at most `requestValue` once the rest are forfeited.
 */
export function cancelShares(requestShares: BN, requestValue: BN, poolValue: BN, totalShares: BN): BN | null {
  const now = amountForShares(requestShares, poolValue, totalShares);
  if (now === null || requestShares.gt(totalShares)) return null;
  const others = totalShares.sub(requestShares);
  if (now.lte(requestValue) || others.isZero()) return requestShares;
  const back = mulDivFloor(requestValue, others, poolValue.sub(requestValue));
  return back === null ? null : BN.min(back, requestShares);
}

/** `floor(amount × bps / BPS)`. */
export function bpsOf(amount: BN, bps: BN): BN | null {
  return mulDivFloor(amount, bps, BPS);
}

/** Oracle prices (USD price of one whole token = price × 10^expo) and mint decimals of a market. */
export interface PythPair {
  /** Collateral price mantissa (u64). */
  collPrice: BN;
  /** Collateral price exponent (i32). */
  collExpo: number;
  /** Debt-token price mantissa (u64; 1 without a debt oracle). */
  debtPrice: BN;
  /** Debt-token price exponent (i32; 0 without a debt oracle). */
  debtExpo: number;
  /** Collateral mint decimals (u8). */
  collDecimals: number;
  /** Debt mint decimals (u8). */
  debtDecimals: number;
}

/**
 * Price in PRICE_SCALE fixed point (debt base units per collateral base unit), exact and rounded
 * down: with `e = collExpo − debtExpo − collDecimals + debtDecimals + 12`,
 * `floor(collPrice × 10^e / debtPrice)` (e ≥ 0) or `floor(collPrice / (debtPrice × 10^−e))`;
 * null if a price is 0 or the result is 0 or exceeds u64.
 */
export function priceFromPyth(p: PythPair): BN | null {
  checkU64(p.collPrice, "collPrice");
  checkU64(p.debtPrice, "debtPrice");
  checkInt(p.collExpo, I32_MIN, I32_MAX, "collExpo");
  checkInt(p.debtExpo, I32_MIN, I32_MAX, "debtExpo");
  checkInt(p.collDecimals, 0, 255, "collDecimals");
  checkInt(p.debtDecimals, 0, 255, "debtDecimals");
  if (p.collPrice.isZero() || p.debtPrice.isZero()) return null;
  const e = p.collExpo - p.debtExpo - p.collDecimals + p.debtDecimals + 12;
  // e ≥ 39: at least 10^39 / (2^64 − 1) > u64::MAX; e ≤ −20: 10^20 > any u64 price, so 0.
  if (e > 38 || e < -19) return null;
  const price =
    e >= 0
      ? p.collPrice.mul(TEN.pow(new BN(e))).div(p.debtPrice)
      : p.collPrice.div(p.debtPrice.mul(TEN.pow(new BN(-e))));
  return price.isZero() ? null : fit(price);
}

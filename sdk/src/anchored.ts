/**
 * Anchored price mode of Gavel (liquidation engine v2), an exact mirror of
 * `programs/gavel/src/math/anchored.rs` (Rust): the auction's largest discount from the position's
 * health at the kick, bounded so the lot can still raise the tab; the discount at an elapsed time;
 * and the price, `oracle × (1 − d)` rounded up.
 *
 * Discounts are in basis points, prices on `PRICE_SCALE`. u64 arguments are `BN`s; arguments
 * outside u64 are programming errors and throw a `RangeError`. Both implementations are checked
 * against the golden vectors in `tests/vectors/anchored.json`. Results are fresh `BN`s.
 * @module
 */
import BN from "bn.js";
import { BPS } from "./math";

const U64_MAX = new BN(1).shln(64).subn(1);
const SECS_PER_MIN = new BN(60);

/** Throws unless `x` is a BN in [0, 2^64 − 1]. */
function checkU64(x: BN, name: string): void {
  if (!BN.isBN(x) || x.isNeg() || x.gt(U64_MAX)) {
    throw new RangeError(`${name} must be a u64 BN, got ${String(x)}`);
  }
}

/** Input of {@link dMaxBps}: the program's `DmaxInput` (all u64). */
export interface DmaxInput {
  /** LTV at the kick at the oracle mid, rounded up (`ltvBps`; saturates at u64::MAX). */
  ltvBps: BN;
  /** The market's liquidation LTV. */
  liquidationLtvBps: BN;
  /** `anchorMaxBaseBps`: d_max of a position exactly at the liquidation LTV. */
  maxBaseBps: BN;
  /** `anchorMaxCapBps`: the largest d_max. */
  maxCapBps: BN;
  /** The auction's tab (debt + penalty). */
  tab: BN;
  /** The auction's lot valued at the oracle mid, rounded down. */
  lotValue: BN;
}

/**
 * The auction's largest discount, exactly as the program computes it at a kick or reset:
 *
 * ```text
 * health = min(maxBase + max(ltv − liquidationLtv, 0), maxCap)      // the sum saturates at u64
 * if 0 < lotValue and tab ≤ lotValue: min(health, floor((lotValue − tab) × BPS / lotValue))
 * else:                               health
 * ```
 */
export function dMaxBps(i: DmaxInput): BN {
  for (const [k, v] of Object.entries(i)) checkU64(v as BN, k);
  const over = BN.max(i.ltvBps.sub(i.liquidationLtvBps), new BN(0));
  const health = BN.min(BN.min(i.maxBaseBps.add(over), U64_MAX), i.maxCapBps);
  if (i.lotValue.isZero() || i.tab.gt(i.lotValue)) return health.clone();
  return BN.min(health, i.lotValue.sub(i.tab).mul(BPS).div(i.lotValue));
}

/**
 * The discount `elapsedSecs` after the auction (re)started:
 * `min(dMax, start + floor(rate × elapsed / 60))`, saturating at u64.
 */
export function discountBps(startBps: BN, rateBpsPerMin: BN, dMax: BN, elapsedSecs: BN): BN {
  checkU64(startBps, "startBps");
  checkU64(rateBpsPerMin, "rateBpsPerMin");
  checkU64(dMax, "dMax");
  checkU64(elapsedSecs, "elapsedSecs");
  const grown = BN.min(startBps.add(rateBpsPerMin.mul(elapsedSecs).div(SECS_PER_MIN)), U64_MAX);
  return BN.min(grown, dMax).clone();
}

/** The anchored price at `discount`: `ceil(oracle × (BPS − d) / BPS)`; a discount ≥ 100 % prices 0. */
export function anchoredPrice(oracle: BN, discount: BN): BN {
  checkU64(oracle, "oracle");
  checkU64(discount, "discount");
  const keep = BN.max(BPS.sub(discount), new BN(0));
  const { div, mod } = oracle.mul(keep).divmod(BPS);
  return mod.isZero() ? div : div.addn(1);
}

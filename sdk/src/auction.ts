/**
 * Dutch-auction math of Gavel, an exact mirror of `programs/gavel/src/math/auction.rs` (Rust):
 * the auction price curves (Maker's `abaci`), the reset rule (tail and cusp) and the take rule
 * (Maker's `clip.take` slice/owe, rounded in the protocol's favour).
 *
 * A client gets exactly the program's price and the collateral/owe of a take, to the base unit.
 * Prices are on `PRICE_SCALE` (see `./math`), cut factors on {@link CUT_SCALE}. u64 arguments are
 * `BN`s; arguments outside u64 (negative or ≥ 2^64, or non-integer numbers) are programming errors
 * and throw a `RangeError`. Both implementations are checked against the golden vectors in
 * `tests/vectors/auction.json`. Results are fresh `BN`s; the exported constants must not be mutated.
 * @module
 */
import BN from "bn.js";
import { anchoredPrice, discountBps } from "./anchored";
import { BPS, PRICE_SCALE } from "./math";
import { PRICE_MODE_ANCHORED } from "./types";
import type { Curve } from "./types";

/** Fixed point of curve cut factors: 1e18 = 1.0, so a cut of 0.99 is 990_000_000_000_000_000. */
export const CUT_SCALE = new BN("1000000000000000000");

/**
 * Largest cut a market may set, 1 − 1e-9 per step (`CUT_SCALE − 1e9`). Prices never rise for any
 * cut ≤ 1.0; this bound makes one step of decay exceed the worst accumulated rounding of the
 * exponentiation, so the price actually falls at every step (for over five years at this cut).
 */
export const MAX_CUT = CUT_SCALE.sub(new BN(1_000_000_000));

const U64_MAX = new BN(1).shln(64).subn(1);
const ZERO = new BN(0);

/** Throws unless `x` is a BN in [0, 2^64 − 1]. */
function checkU64(x: BN, name: string): void {
  if (!BN.isBN(x) || x.isNeg() || x.gt(U64_MAX)) {
    throw new RangeError(`${name} must be a u64 BN, got ${String(x)}`);
  }
}

/** A BN from a BN or a safe-integer number (which may be negative); throws otherwise. */
function toBN(x: BN | number, name: string): BN {
  if (BN.isBN(x)) return x;
  if (typeof x !== "number" || !Number.isSafeInteger(x)) {
    throw new RangeError(`${name} must be a BN or a safe integer, got ${String(x)}`);
  }
  return new BN(x);
}

/** Elapsed seconds as the program sees them: negative → 0, and a u64. */
function elapsedOf(elapsedSecs: BN | number): BN {
  const e = toBN(elapsedSecs, "elapsedSecs");
  if (e.isNeg()) return ZERO.clone();
  checkU64(e, "elapsedSecs");
  return e;
}

/** `floor(x × y / CUT_SCALE)`. */
function mulCut(x: BN, y: BN): BN {
  return x.mul(y).div(CUT_SCALE);
}

/**
 * `base^n` on CUT_SCALE, rounded down step by step: right-to-left square-and-multiply
 * (`result = floor(result × base / CUT_SCALE)` for each set bit from the lowest, then
 * `base = floor(base × base / CUT_SCALE)` unless no bit remains), starting from CUT_SCALE. A base
 * above CUT_SCALE counts as CUT_SCALE. Non-increasing in `n`.
 */
export function rpowFloor(base: BN, n: BN): BN {
  checkU64(base, "base");
  checkU64(n, "n");
  let b = base.gt(CUT_SCALE) ? CUT_SCALE.clone() : base.clone();
  let result = CUT_SCALE.clone();
  let k = n.clone();
  while (!k.isZero()) {
    if (k.isOdd()) {
      result = mulCut(result, b);
      if (result.isZero()) return result;
    }
    k = k.shrn(1);
    if (k.isZero()) break; // no squaring after the last bit
    b = mulCut(b, b);
    if (b.isZero()) return b; // a higher bit is set: the result would be 0
  }
  return result;
}

/**
 * Linear curve: `floor(top × (tau − elapsed) / tau)` for `elapsed < tau`, else 0 (also for
 * `tauSecs` 0, which markets refuse).
 */
export function linearPrice(top: BN, tauSecs: BN, elapsedSecs: BN): BN {
  checkU64(top, "top");
  checkU64(tauSecs, "tauSecs");
  checkU64(elapsedSecs, "elapsedSecs");
  if (elapsedSecs.gte(tauSecs)) return ZERO.clone();
  return top.mul(tauSecs.sub(elapsedSecs)).div(tauSecs);
}

/**
 * Stairstep curve, one cut per whole step: `floor(top × rpowFloor(cut, elapsed / step) / CUT_SCALE)`;
 * 0 for `stepSecs` 0 (which markets refuse).
 */
export function stairstepPrice(top: BN, stepSecs: BN, cut: BN, elapsedSecs: BN): BN {
  checkU64(top, "top");
  checkU64(stepSecs, "stepSecs");
  checkU64(cut, "cut");
  checkU64(elapsedSecs, "elapsedSecs");
  if (stepSecs.isZero()) return ZERO.clone();
  return mulCut(top, rpowFloor(cut, elapsedSecs.div(stepSecs)));
}

/** Exponential curve, one cut per second: `floor(top × rpowFloor(cut, elapsed) / CUT_SCALE)`. */
export function expPrice(top: BN, cut: BN, elapsedSecs: BN): BN {
  checkU64(top, "top");
  checkU64(cut, "cut");
  checkU64(elapsedSecs, "elapsedSecs");
  return mulCut(top, rpowFloor(cut, elapsedSecs));
}

/**
 * The auction price `elapsedSecs` after the curve started at `top`, exactly as the program computes
 * it (PRICE_SCALE, rounded down, never above `top`). A negative elapsed time counts as 0.
 */
export function auctionPrice(curve: Curve, top: BN, elapsedSecs: BN | number): BN {
  const e = elapsedOf(elapsedSecs);
  if ("linear" in curve) return linearPrice(top, curve.linear.tauSecs, e);
  if ("stairstepExp" in curve) {
    return stairstepPrice(top, curve.stairstepExp.stepSecs, curve.stairstepExp.cut, e);
  }
  if ("exp" in curve) return expPrice(top, curve.exp.cut, e);
  throw new RangeError(`unknown auction curve ${JSON.stringify(Object.keys(curve))}`);
}

/** Input of {@link needsResetAt}: the program's `ResetInput` (all u64). */
export interface ResetInput {
  /** Start price of the current curve (PRICE_SCALE). */
  top: BN;
  /** Current price on the curve (PRICE_SCALE). */
  price: BN;
  /** Reset once the price falls below `top × cuspBps / BPS`. */
  cuspBps: BN;
  /** Seconds since the curve started. */
  elapsedSecs: BN;
  /** Reset once more than this many seconds have elapsed. */
  tailSecs: BN;
}

/**
 * The program's reset rule on a known price: `elapsed > tail` or `price × BPS < top × cuspBps`,
 * compared exactly. Exactly at the tail or at the cusp the auction is still live.
 */
export function needsResetAt(r: ResetInput): boolean {
  checkU64(r.top, "top");
  checkU64(r.price, "price");
  checkU64(r.cuspBps, "cuspBps");
  checkU64(r.elapsedSecs, "elapsedSecs");
  checkU64(r.tailSecs, "tailSecs");
  return r.elapsedSecs.gt(r.tailSecs) || r.price.mul(BPS).lt(r.top.mul(r.cuspBps));
}

/** Market parameters an auction's price depends on (a decoded `MarketParams` fits). */
export interface AuctionPriceParams {
  curve: Curve;
  cuspBps: number | BN;
  tailSecs: BN;
  /** Anchored mode only (absent = 0). */
  anchorStartBps?: number;
  /** Anchored mode only (absent = 0). */
  anchorRateBpsPerMin?: number;
}

/** Auction fields its price depends on (a decoded `Auction` fits). */
export interface AuctionPriceState {
  top: BN;
  tic: BN;
  /** `PRICE_MODE_MAKER` (absent) or `PRICE_MODE_ANCHORED`. */
  priceMode?: number;
  /** Anchored mode: the auction's largest discount. */
  dMaxBps?: number;
}

/** True when the auction's price follows the oracle (anchored mode). */
export function isAnchored(auction: { priceMode?: number }): boolean {
  return auction.priceMode === PRICE_MODE_ANCHORED;
}

/**
 * Anchored mode: the auction's discount (bps) at `nowSecs`, `min(dMax, start + rate × elapsed / 60)`
 * (see `discountBps`); a negative elapsed time counts as 0.
 */
export function auctionDiscountBps(
  params: AuctionPriceParams,
  auction: AuctionPriceState,
  nowSecs: BN | number,
): BN {
  const elapsedSecs = elapsedOf(toBN(nowSecs, "nowSecs").sub(auction.tic));
  return discountBps(
    new BN(params.anchorStartBps ?? 0),
    new BN(params.anchorRateBpsPerMin ?? 0),
    new BN(auction.dMaxBps ?? 0),
    elapsedSecs,
  );
}

/**
 * The price (PRICE_SCALE) a take of `auction` pays at `nowSecs`, exactly as the program computes
 * it, in either price mode. Maker mode: the market's curve from `top` (`oracleMid` is not needed).
 * Anchored mode: `oracleMid × (1 − d)` rounded up, where `oracleMid` is the market price (see
 * `priceFromPyth`) of the oracle update the take will present — the program reads the oracle at the
 * take, so the price moves with it.
 * @throws RangeError for an anchored auction without `oracleMid`.
 */
export function takePrice(
  params: AuctionPriceParams,
  auction: AuctionPriceState,
  nowSecs: BN | number,
  oracleMid?: BN,
): BN {
  if (!isAnchored(auction)) {
    return auctionPrice(params.curve, auction.top, toBN(nowSecs, "nowSecs").sub(auction.tic));
  }
  if (oracleMid === undefined) throw new RangeError("an anchored auction's price needs the oracle price");
  return anchoredPrice(oracleMid, auctionDiscountBps(params, auction, nowSecs));
}

/**
 * Whether the auction must be reset (`reset_auction`) before it can be taken at `nowSecs`: more
 * than `tailSecs` since `tic`, or (Maker mode only) the price below `cuspBps` of `top`. `params` is
 * a decoded `MarketParams` (or anything with these fields), `auction` a decoded `Auction`.
 */
export function needsReset(
  params: { cuspBps: number | BN; tailSecs: BN; curve: Curve },
  auction: { top: BN; tic: BN; priceMode?: number },
  nowSecs: BN | number,
): boolean {
  const elapsedSecs = elapsedOf(toBN(nowSecs, "nowSecs").sub(auction.tic));
  if (isAnchored(auction)) return elapsedSecs.gt(params.tailSecs);
  return needsResetAt({
    top: auction.top,
    price: auctionPrice(params.curve, auction.top, elapsedSecs),
    cuspBps: toBN(params.cuspBps, "cuspBps"),
    elapsedSecs,
    tailSecs: params.tailSecs,
  });
}

/** Why the program refuses a take: see {@link TakeQuoteError}. */
export type TakeQuoteErrorReason = "TooSmall" | "PartialLeavesDust" | "Overflow";

/**
 * Thrown by {@link takeQuote} where the program refuses the take: `TooSmall` (no collateral or
 * nothing to pay; program error `TakeTooSmall`), `PartialLeavesDust` (the tab is at most `dust`,
 * so only a take of all of it is allowed; `TakeLeavesDust`), `Overflow` (`MathOverflow`).
 */
export class TakeQuoteError extends Error {
  /** The program's `TakeError` variant. */
  readonly reason: TakeQuoteErrorReason;

  /** @param reason the program's `TakeError` variant. */
  constructor(reason: TakeQuoteErrorReason) {
    super(`take refused: ${reason}`);
    this.name = "TakeQuoteError";
    this.reason = reason;
  }
}

/** What a take buys and pays (base units). */
export interface TakeQuote {
  /** Collateral the bidder receives. */
  collateral: BN;
  /** Debt tokens the bidder pays. */
  owe: BN;
}

/**
 * The collateral a take of at most `maxCollateral` at `price` buys and what it pays, exactly as the
 * program computes it (Maker's slice/owe rule):
 *
 * ```text
 * slice = min(lot, maxCollateral); owe = ceil(slice × price / PRICE_SCALE)
 * if owe > tab:                      owe = tab; slice = min(floor(tab × PRICE_SCALE / price), lot)
 * elif owe < tab and slice < lot and tab − owe < dust:
 *     if tab ≤ dust: refuse PartialLeavesDust
 *     owe = tab − dust; slice = floor(owe × PRICE_SCALE / price)
 * if slice == 0 or owe == 0: refuse TooSmall
 * ```
 *
 * `price` is the auction price now (see {@link auctionPrice}); `dust` the market's `dust`.
 * @throws TakeQuoteError where the program refuses the take.
 */
export function takeQuote(auction: { tab: BN; lot: BN }, maxCollateral: BN, price: BN, dust: BN): TakeQuote {
  const { tab, lot } = auction;
  checkU64(tab, "tab");
  checkU64(lot, "lot");
  checkU64(maxCollateral, "maxCollateral");
  checkU64(price, "price");
  checkU64(dust, "dust");
  let slice = BN.min(lot, maxCollateral);
  const { div, mod } = slice.mul(price).divmod(PRICE_SCALE);
  let owe = mod.isZero() ? div : div.addn(1);
  if (owe.gt(U64_MAX)) throw new TakeQuoteError("Overflow");
  if (owe.gt(tab)) {
    owe = tab.clone();
    slice = BN.min(tab.mul(PRICE_SCALE).div(price), lot); // price > 0 since owe > 0
  } else if (owe.lt(tab) && slice.lt(lot) && tab.sub(owe).lt(dust)) {
    if (tab.lte(dust)) throw new TakeQuoteError("PartialLeavesDust");
    owe = tab.sub(dust);
    slice = owe.mul(PRICE_SCALE).div(price); // price > 0 since owe > tab − dust > 0
  }
  if (slice.gt(U64_MAX)) throw new TakeQuoteError("Overflow"); // unreachable, as in the program
  if (slice.isZero() || owe.isZero()) throw new TakeQuoteError("TooSmall");
  return { collateral: slice.clone(), owe: owe.clone() };
}

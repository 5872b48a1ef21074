/**
 * Exact mirrors of the backstop pool's math (`programs/gavel/src/math/backstop.rs`) and the quotes
 * built from it: what a warmed-up deposit mints, what a withdrawal pays, what an `absorb` buys and
 * pays, what `buy_from_backstop` costs. Tied to the program by `tests/vectors/backstop.json`.
 * @module
 */
import BN from "bn.js";
import { takeQuote, TakeQuote } from "./auction";
import {
  amountForShares,
  BPS,
  mulDivCeil,
  mulDivFloor,
  PRICE_SCALE,
  RATE_SCALE,
  sharesForDeposit,
} from "./math";

const U64_MAX = new BN(1).shln(64).subn(1);

/** Collateral price deposits are priced at: `ceil(mid × (BPS + maxConfBps) / BPS)`. */
export function depositPrice(mid: BN, maxConfBps: BN): BN | null {
  return mulDivCeil(mid, BPS.add(maxConfBps), BPS);
}

/** `debt + ceil(collateral × price / PRICE_SCALE)`; null beyond u64. */
export function basketValueCeil(debt: BN, collateral: BN, price: BN): BN | null {
  const coll = mulDivCeil(collateral, price, PRICE_SCALE);
  if (coll === null) return null;
  const v = debt.add(coll);
  return v.gt(U64_MAX) ? null : v;
}

/** Input of {@link absorbable} (the program's `AbsorbCheck`). */
export interface AbsorbCheck {
  sinceKickSecs: BN;
  absorbAfterSecs: BN;
  lot: BN;
  tab: BN;
  /** Oracle price (PRICE_SCALE). */
  price: BN;
  nearBps: BN;
}

/**
 * Whether `absorb` is allowed: `sinceKickSecs ≥ absorbAfterSecs`, or
 * `floor(lot × price / PRICE_SCALE) ≤ floor(tab × (BPS + nearBps) / BPS)`.
 */
export function absorbable(c: AbsorbCheck): boolean {
  if (c.sinceKickSecs.gte(c.absorbAfterSecs)) return true;
  const value = mulDivFloor(c.lot, c.price, PRICE_SCALE);
  const limit = mulDivFloor(c.tab, BPS.add(c.nearBps), BPS);
  if (value === null) return false;
  if (limit === null) return true;
  return value.lte(limit);
}

/** Most collateral `debt` buys at `price`, capped by `lot`; null if `price` is 0. */
export function absorbMaxCollateral(debt: BN, price: BN, lot: BN): BN | null {
  const most = mulDivFloor(debt, PRICE_SCALE, price);
  return most === null ? null : BN.min(most, lot);
}

/** `buy_from_backstop` price: `ceil(mid × (BPS − discountBps) / BPS)`; null above 100%. */
export function buyPrice(mid: BN, discountBps: BN): BN | null {
  if (discountBps.gt(BPS)) return null;
  return mulDivCeil(mid, BPS.sub(discountBps), BPS);
}

/** What a buyer pays for `collateral` at `price`: `ceil(collateral × price / PRICE_SCALE)`. */
export function buyOwe(collateral: BN, price: BN): BN | null {
  return mulDivCeil(collateral, price, PRICE_SCALE);
}

/** A backstop's basket and shares (decoded `Backstop` fields). */
export interface BackstopBasket {
  totalShares: BN;
  debt: BN;
  collateral: BN;
}

/**
 * Shares a warmed-up deposit of `amount` mints, as `deposit_backstop` computes them: against the
 * basket plus the funding the market owes the pool (`due` = the market's `backstopDue`) with its
 * collateral at {@link depositPrice} (`mid` = the market's oracle price). Null when the program
 * refuses (`BackstopInsolvent`; 0 shares is `DepositTooSmall`).
 */
export function backstopSharesFor(
  amount: BN,
  pool: BackstopBasket,
  mid: BN,
  maxConfBps: BN,
  due: BN = new BN(0),
): BN | null {
  const debt = pool.debt.add(due);
  if (debt.gt(U64_MAX)) return null;
  let value = debt;
  if (!pool.collateral.isZero()) {
    const price = depositPrice(mid, maxConfBps);
    const v = price && basketValueCeil(debt, pool.collateral, price);
    if (!v) return null;
    value = v;
  }
  if (!pool.totalShares.isZero() && value.isZero()) return null;
  return sharesForDeposit(amount, value, pool.totalShares);
}

/** What `withdraw_backstop` pays for `shares`: pro rata in both tokens, rounded down. */
export function backstopPayout(shares: BN, pool: BackstopBasket): { debt: BN; collateral: BN } {
  return {
    debt: amountForShares(shares, pool.debt, pool.totalShares) ?? new BN(0),
    collateral: amountForShares(shares, pool.collateral, pool.totalShares) ?? new BN(0),
  };
}

/**
 * What `absorb` buys and pays, as the program computes it: the take quote at the auction's
 * current `price` for the whole lot, or, when that costs more than the pool's `debt`, for as much
 * as the debt buys. Throws `TakeQuoteError` like {@link takeQuote}. (The program also refuses a
 * `price` above the oracle and a pool without debt tokens.)
 */
export function absorbQuote(auction: { tab: BN; lot: BN }, price: BN, backstopDebt: BN, dust: BN): TakeQuote {
  const q = takeQuote(auction, auction.lot, price, dust);
  if (q.owe.lte(backstopDebt)) return q;
  const most = absorbMaxCollateral(backstopDebt, price, auction.lot);
  if (most === null) throw new RangeError("price must be above 0");
  return takeQuote(auction, most, price, dust);
}

/** What `buy_from_backstop` sells and charges for at most `maxCollateral` at oracle `mid`. */
export function buyQuote(
  maxCollateral: BN,
  poolCollateral: BN,
  mid: BN,
  discountBps: BN,
): { collateral: BN; price: BN; owe: BN } | null {
  const collateral = BN.min(maxCollateral, poolCollateral);
  const price = buyPrice(mid, discountBps);
  if (price === null) return null;
  const owe = buyOwe(collateral, price);
  return owe === null ? null : { collateral, price, owe };
}

/**
 * `math::backstop::interest_share`: the backstop's share of the interest `art` accrued while the
 * borrow index went from `rateBefore` to `rateAfter`: `floor(floor(art × (rateAfter − rateBefore)
 * / RATE_SCALE) × shareBps / BPS)`; null if the index went down or beyond u64.
 */
export function interestShare(art: BN, rateBefore: BN, rateAfter: BN, shareBps: BN): BN | null {
  if (rateAfter.lt(rateBefore)) return null;
  const interest = mulDivFloor(art, rateAfter.sub(rateBefore), RATE_SCALE);
  return interest === null ? null : mulDivFloor(interest, shareBps, BPS);
}

/** `Market::book_penalty`: the backstop's share of a penalty paid in a take: `floor(penalty × shareBps / BPS)`. */
export function penaltyShare(penalty: BN, shareBps: BN): BN | null {
  return mulDivFloor(penalty, shareBps, BPS);
}

/**
 * The market's `backstopDue` after `accrue` moves its index from `market.rate` to `rateAfter`
 * (`Market::accrue`); null beyond u64.
 */
export function backstopDueAfterAccrue(
  market: { artTotal: BN; rate: BN; backstopDue: BN; params: { backstopInterestShareBps?: number } },
  rateAfter: BN,
): BN | null {
  const bps = market.params.backstopInterestShareBps ?? 0;
  if (bps === 0) return market.backstopDue;
  const share = interestShare(market.artTotal, market.rate, rateAfter, new BN(bps));
  if (share === null) return null;
  const due = market.backstopDue.add(share);
  return due.gt(U64_MAX) ? null : due;
}

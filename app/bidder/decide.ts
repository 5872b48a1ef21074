/**
 * Pure decision functions of the bidder: health, kick reward, take profitability at a margin,
 * sizing (inventory, tab, dust via the SDK's `takeQuote`), priority-fee bidding and the earliest
 * profitable second of an auction's price: deterministic on a Maker curve; for an anchored auction
 * (engine v2) the live oracle less a growing discount, so the plan holds for the oracle price the
 * bot sees and is made again on every oracle update; and the absorb keeper's decision (issue 19).
 *
 * Everything is computed with the SDK's exact mirrors of the program's math (`sdk/src/math.ts`,
 * `sdk/src/auction.ts`), so a decision here is the program's outcome to the base unit. No I/O.
 * @module
 */
import BN from "bn.js";
import {
  absorbable,
  absorbQuote,
  accrueRate,
  auctionPrice,
  BPS,
  Curve,
  debtFromArt,
  isAnchored,
  kickParamsOf,
  kickReward,
  kickSize,
  KickSize,
  KickSizeError,
  KickSizeErrorReason,
  maxDebtFor,
  mulDivFloor,
  needsReset,
  PRICE_SCALE,
  takePrice,
  resetReward,
  rewardInputOf,
  takeQuote,
  TakeQuote,
  TakeQuoteError,
  valueFloor,
} from "../../sdk/src";

const ZERO = new BN(0);
const U64_MAX = new BN(1).shln(64).subn(1);

/** Base fee of a signature, lamports. */
export const LAMPORTS_PER_SIGNATURE = 5_000;

/** The market's borrow index at `nowSecs`, as `accrue` would leave it (null on overflow). */
export function rateAt(
  market: { rate: BN; lastAccrualTs: BN; params: { borrowRatePerSecWad: BN } },
  nowSecs: number,
): BN | null {
  const elapsed = nowSecs - market.lastAccrualTs.toNumber();
  if (elapsed <= 0) return market.rate;
  return accrueRate(market.rate, market.params.borrowRatePerSecWad, new BN(elapsed));
}

/** A position's health at a price: debt, collateral value, the liquidation limit. */
export interface Health {
  debt: BN;
  value: BN;
  /** Largest debt allowed at the liquidation LTV. */
  limit: BN;
  /** `debt > 0 && debt > limit`: the program accepts a kick. */
  unsafe: boolean;
}

/**
 * Health as `kick` computes it: debt `ceil(art × rate)`, value `floor(ink × price)` at the oracle
 * price itself (not price − confidence), limit `floor(value × liquidationLtvBps / BPS)`. Null when
 * the program would overflow.
 */
export function positionHealth(
  position: { ink: BN; art: BN },
  rate: BN,
  price: BN,
  liquidationLtvBps: BN,
): Health | null {
  const debt = debtFromArt(position.art, rate);
  const value = valueFloor(position.ink, price);
  if (debt === null || value === null) return null;
  const limit = maxDebtFor(value, liquidationLtvBps);
  if (limit === null) return null;
  return { debt, value, limit, unsafe: !debt.isZero() && debt.gt(limit) };
}

/**
 * Scans positions for unsafe ones (the hot loop on every oracle update): returns their keys.
 * Positions without debt are skipped without math.
 */
export function scanUnsafe<K>(
  positions: Iterable<[K, { ink: BN; art: BN }]>,
  rate: BN,
  price: BN,
  liquidationLtvBps: BN,
): K[] {
  const out: K[] = [];
  for (const [key, p] of positions) {
    if (p.art.isZero()) continue;
    const h = positionHealth(p, rate, price, liquidationLtvBps);
    if (h !== null && h.unsafe) out.push(key);
  }
  return out;
}

/** Market fields a kick reads. */
export interface KickMarket {
  rate: BN;
  lastAccrualTs: BN;
  dirt: BN;
  insurance: BN;
  params: {
    liquidationLtvBps: number;
    chopBps: number;
    bufBps: number;
    chipBps: number;
    tip: BN;
    hole: BN;
    dust: BN;
    borrowRatePerSecWad: BN;
    /** Engine v2 (absent: Maker curve, whole positions); see the SDK's `kickParamsOf`. */
    priceMode?: number;
    kickTargetLtvBps?: number;
    kickFullLtvBps?: number;
    anchorMaxBaseBps?: number;
    anchorMaxCapBps?: number;
  };
}

/** What a kick would start and pay, from the SDK's mirror of the program's kick math. */
export interface KickQuote {
  /** Debt moved into the auction. */
  debt: BN;
  tab: BN;
  lot: BN;
  top: BN;
  /**
   * `min(tip + chip × tab, tab − debt, penalty − the position's unearned rewards, insurance)`
   * (SDK `kickReward`): paid to the kicker.
   */
  reward: BN;
  /** Only part of the position fits under the hole. */
  partial: boolean;
}

/**
 * What a kick reads of a position: its collateral, normalized debt, live auctions, and the
 * rewards its settled auctions paid beyond the penalty they collected (`unearnedRewards`, 0 when
 * absent), which the program counts against the new auction's penalty.
 */
export interface KickPosition {
  ink: BN;
  art: BN;
  auctions: number | BN;
  unearnedRewards?: BN;
}

/**
 * Why a kick is not possible (the program's refusals): `safe`, `hole_full`, `auction_dusty`,
 * `overflow`, or `position_auction_live` (partial kicks: one live auction per position).
 */
export type KickSkip = "safe" | "hole_full" | "auction_dusty" | "overflow" | "position_auction_live";

const KICK_SKIP: Record<KickSizeErrorReason, KickSkip> = {
  Safe: "safe",
  HoleFull: "hole_full",
  Dusty: "auction_dusty",
  Overflow: "overflow",
};

/**
 * The program's kick at `price` and `nowSecs` (the index accrued to then): the auction it starts
 * and the reward, by the SDK's `kickSize` and `kickReward`, or why it is refused. A market with
 * partial kicks (`kickTargetLtvBps` > 0) refuses a position whose `auctions` (live auctions) is
 * not 0 (`PositionAuctionLive`): it may be kicked again once its auction has settled.
 */
export function kickQuote(
  market: KickMarket,
  position: KickPosition,
  price: BN,
  nowSecs: number,
): KickQuote | { skip: KickSkip } {
  if ((market.params.kickTargetLtvBps ?? 0) > 0 && new BN(position.auctions).gtn(0)) {
    return { skip: "position_auction_live" };
  }
  const rate = rateAt(market, nowSecs);
  if (rate === null) return { skip: "overflow" };
  let size: KickSize;
  try {
    size = kickSize({
      ink: position.ink,
      art: position.art,
      rate,
      price,
      dirt: market.dirt,
      params: kickParamsOf(market.params),
    });
  } catch (e) {
    if (e instanceof KickSizeError) return { skip: KICK_SKIP[e.reason] };
    throw e;
  }
  const reward = kickReward({
    tip: market.params.tip,
    chipBps: new BN(market.params.chipBps),
    tab: size.tab,
    debt: size.debt,
    initialPenalty: size.tab.sub(size.debt),
    rewardsPaid: position.unearnedRewards ?? ZERO,
    insurance: market.insurance,
  });
  const { debt, tab, ink: lot, top } = size;
  return { debt, tab, lot, top, reward, partial: size.art.lt(position.art) };
}

/**
 * What `reset_auction` would pay now at the oracle `price` (SDK `resetReward`): nothing when the
 * tab or the lot's value is under dust, else `tip + chip × tab` capped by the penalty still to
 * raise, by the part of the auction's penalty its kick and resets have not paid yet, and by the
 * insurance fund.
 */
export function resetRewardAt(
  market: { insurance: BN; params: { tip: BN; chipBps: number; dust: BN } },
  auction: { tab: BN; lot: BN; debt: BN; initialTab: BN; initialDebt: BN; rewardsPaid: BN },
  price: BN,
): BN {
  const lotValue = valueFloor(auction.lot, price);
  if (lotValue === null) return new BN(0); // the program's reset fails with MathOverflow
  return resetReward(rewardInputOf(market, auction), lotValue, market.params.dust);
}

/** How the bot bids priority fees and converts lamports into debt units. */
export interface FeePolicy {
  /** Cap, micro-lamports per compute unit. */
  maxPriorityFee: number;
  /** Share of the expected profit bid as priority fee, [0, 1]. */
  priorityFeeShare: number;
  /** Lamports one debt base unit is worth (see {@link lamportsPerDebtUnit}). */
  lamportsPerDebtUnit: number;
}

/** Lamports per debt base unit when one SOL is worth `solPrice` whole debt tokens. */
export function lamportsPerDebtUnit(solPrice: number, debtDecimals: number): number {
  return 1e9 / (solPrice * 10 ** debtDecimals);
}

/**
 * Priority fee in micro-lamports per CU: `min(maxPriorityFee, share × profit)` with the profit
 * converted to lamports and spread over the compute-unit limit; 0 for no profit.
 */
export function priorityFeeMicroLamports(expectedProfitDebt: BN, cuLimit: number, policy: FeePolicy): number {
  if (expectedProfitDebt.lten(0) || cuLimit <= 0) return 0;
  const profitLamports = Number(expectedProfitDebt.toString()) * policy.lamportsPerDebtUnit;
  const bid = Math.floor((policy.priorityFeeShare * profitLamports * 1e6) / cuLimit);
  return Math.max(0, Math.min(policy.maxPriorityFee, bid));
}

/** Fee of a transaction, lamports: signatures × 5000 + ceil(cuLimit × µlamports / 1e6). */
export function txFeeLamports(cuLimit: number, microLamports: number, signatures: number): number {
  return signatures * LAMPORTS_PER_SIGNATURE + Math.ceil((cuLimit * microLamports) / 1e6);
}

/** A fee bid for an expected profit and what is left after it. */
export interface FeeBid {
  microLamports: number;
  feeLamports: number;
  /** The fee in debt base units (rounded up). */
  feeDebt: BN;
  /** Expected profit minus the fee (may be negative). */
  netProfit: BN;
}

/** Bids the priority fee for `grossProfitDebt` and nets the whole transaction fee out of it. */
export function feeBid(grossProfitDebt: BN, cuLimit: number, signatures: number, policy: FeePolicy): FeeBid {
  const microLamports = priorityFeeMicroLamports(grossProfitDebt, cuLimit, policy);
  const feeLamports = txFeeLamports(cuLimit, microLamports, signatures);
  const feeDebt = new BN(BigInt(Math.ceil(feeLamports / policy.lamportsPerDebtUnit)).toString());
  return { microLamports, feeLamports, feeDebt, netProfit: grossProfitDebt.sub(feeDebt) };
}

/** `floor(price × (BPS − bps) / BPS)`: a price less a margin or haircut of `bps`. */
export function lessBps(price: BN, bps: number): BN {
  if (!Number.isInteger(bps) || bps < 0 || bps > 10_000) throw new RangeError(`bps out of range: ${bps}`);
  return mulDivFloor(price, new BN(10_000 - bps), BPS)!;
}

/** The highest auction price the bot accepts: collateral value × (1 − minProfitBps / 10 000). */
export function takeLimitPrice(valuePrice: BN, minProfitBps: number): BN {
  return lessBps(valuePrice, minProfitBps);
}

/** Market parameters of the auction price and its reset rule. */
export interface CurveParams {
  curve: Curve;
  tailSecs: BN;
  cuspBps: number;
  /** Anchored mode: discount at the kick / last reset (absent = 0). */
  anchorStartBps?: number;
  /** Anchored mode: discount growth per minute (absent = 0). */
  anchorRateBpsPerMin?: number;
}

/** Auction fields its price depends on (a decoded `Auction` fits). */
export interface PricedAuction {
  top: BN;
  tic: BN;
  /** `PRICE_MODE_ANCHORED` for an anchored auction (absent: Maker). */
  priceMode?: number;
  dMaxBps?: number;
}

/**
 * The auction's price `elapsed` seconds after `tic`, as a take pays it: the Maker curve from `top`,
 * or for an anchored auction `oracleMid × (1 − d)` (the SDK's `takePrice`); `oracleMid` is the
 * market price of the oracle update the bot's take will carry.
 */
function priceAfter(params: CurveParams, auction: PricedAuction, elapsed: number, oracleMid?: BN): BN {
  if (!isAnchored(auction)) return auctionPrice(params.curve, auction.top, elapsed);
  return takePrice(params, auction, auction.tic.toNumber() + elapsed, oracleMid);
}

/** Whether `price × BPS < top × cuspBps` (below the cusp: reset needed). */
function belowCusp(price: BN, top: BN, cuspBps: number): boolean {
  return price.mul(BPS).lt(top.muln(cuspBps));
}

/**
 * The first unix second ≥ `fromSecs` at which the auction's price is ≤ `limit` while the auction
 * can still be taken (elapsed ≤ tail, price not below the cusp), with that price; null when the
 * price reaches the limit only after the auction needs a reset. Exact for every curve: the price
 * is non-increasing in time, so a binary search over the SDK's `auctionPrice` finds the crossing.
 * An anchored auction (no cusp) is priced at `oracleMid` throughout: its discount only grows, so
 * the search is exact for that oracle price; a new oracle price means a new plan.
 */
export function earliestProfitableSecond(
  params: CurveParams,
  auction: PricedAuction,
  limit: BN,
  fromSecs: number,
  oracleMid?: BN,
): { at: number; price: BN } | null {
  const tic = auction.tic.toNumber();
  const tail = params.tailSecs.gt(new BN(Number.MAX_SAFE_INTEGER - tic))
    ? Number.MAX_SAFE_INTEGER - tic
    : params.tailSecs.toNumber();
  let lo = Math.max(0, fromSecs - tic);
  if (lo > tail) return null;
  const priceAt = (e: number): BN => priceAfter(params, auction, e, oracleMid);
  if (priceAt(tail).gt(limit)) return null;
  let hi = tail; // invariant: priceAt(hi) ≤ limit
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (priceAt(mid).lte(limit)) hi = mid;
    else lo = mid + 1;
  }
  const price = priceAt(hi);
  if (!isAnchored(auction) && belowCusp(price, auction.top, params.cuspBps)) return null;
  return { at: tic + hi, price };
}

/**
 * The first unix second at which the auction needs a reset (past tail, or price below the cusp;
 * an anchored auction has no cusp).
 */
export function resetDueSecond(params: CurveParams, auction: PricedAuction): number {
  const tic = auction.tic.toNumber();
  const tail = Math.min(params.tailSecs.toNumber(), Number.MAX_SAFE_INTEGER - tic - 1);
  if (isAnchored(auction)) return tic + tail + 1;
  const priceAt = (e: number): BN => auctionPrice(params.curve, auction.top, e);
  if (!belowCusp(priceAt(tail), auction.top, params.cuspBps)) return tic + tail + 1;
  let lo = 0;
  let hi = tail; // invariant: below the cusp at hi
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (belowCusp(priceAt(mid), auction.top, params.cuspBps)) hi = mid;
    else lo = mid + 1;
  }
  return tic + hi;
}

/** A take sized to the auction, the budget and the dust rule, with the program's exact quote. */
export interface TakeSize {
  /** `max_collateral` to send (≥ the quote's collateral; the program never exceeds it). */
  maxCollateral: BN;
  /** What the take buys and pays at the price it was sized at. */
  quote: TakeQuote;
}

/** Why a take cannot be sized. */
export type SizeSkip = "no_inventory" | "inventory_below_tab" | "too_small" | "overflow";

/**
 * Sizes a take at `price`: at most the lot, at most `cap` collateral (a venue's depth), and with a
 * `budget` of debt tokens (null: unlimited) at most `floor(budget × PRICE_SCALE / price)`, so that
 * `ceil(slice × price) ≤ budget` at this price and any lower one. The program's slice/owe rule
 * (tab cap, dust trim) is applied by `takeQuote`; a partial take of a tab ≤ dust is refused
 * (`inventory_below_tab`: the budget must cover the whole tab).
 */
export function sizeTake(
  auction: { tab: BN; lot: BN },
  price: BN,
  dust: BN,
  budget: BN | null,
  cap: BN | null = null,
): TakeSize | { skip: SizeSkip } {
  let maxCollateral = auction.lot;
  if (cap !== null) maxCollateral = BN.min(maxCollateral, cap);
  if (budget !== null) {
    if (price.isZero()) return { skip: "too_small" };
    const affordable = mulDivFloor(BN.min(budget, U64_MAX), PRICE_SCALE, price);
    if (affordable === null) return { skip: "overflow" };
    maxCollateral = BN.min(maxCollateral, affordable);
    if (maxCollateral.isZero()) return { skip: "no_inventory" };
  }
  if (maxCollateral.isZero()) return { skip: "too_small" };
  try {
    const quote = takeQuote(auction, maxCollateral, price, dust);
    return { maxCollateral, quote };
  } catch (e) {
    if (!(e instanceof TakeQuoteError)) throw e;
    if (e.reason === "PartialLeavesDust") return { skip: "inventory_below_tab" };
    if (e.reason === "TooSmall") return { skip: "too_small" };
    return { skip: "overflow" };
  }
}

/** Everything {@link decideTake} needs. */
export interface TakeInputs {
  auction: PricedAuction & { tab: BN; lot: BN };
  params: CurveParams & { dust: BN };
  /**
   * Anchored auctions: the market price (PRICE_SCALE, see the SDK's `marketOraclePrice`) of the
   * oracle update the take will carry; the program prices the take from it.
   */
  oracleMid?: BN;
  /** Chain time (unix seconds) the transaction is expected to execute at. */
  nowSecs: number;
  /** What one collateral base unit is worth to the bot (PRICE_SCALE), after slippage/fees. */
  valuePrice: BN;
  minProfitBps: number;
  /** Debt tokens available (inventory), null for unlimited (flash). */
  budget: BN | null;
  /** Most collateral the strategy can absorb (venue depth), null for no cap. */
  cap?: BN | null;
  fees: FeePolicy;
  cuLimit: number;
  signatures: number;
}

/** The outcome of {@link decideTake}. */
export type TakeDecision =
  | {
      action: "take";
      /** Auction price at `nowSecs`. */
      price: BN;
      /** The bot's limit (sent as `max_price`). */
      limit: BN;
      maxCollateral: BN;
      quote: TakeQuote;
      /** Collateral value − owe, before fees (debt units). */
      grossProfit: BN;
      fee: FeeBid;
    }
  | { action: "wait"; at: number; price: BN; limit: BN }
  | { action: "reset" }
  | { action: "skip"; reason: string; price?: BN; limit?: BN; retryAt?: number };

/**
 * Whether to take now: the auction must not need a reset, its price must be ≤ the bot's limit
 * (value × (1 − margin)), the take is sized to the budget and the dust rule, and the expected
 * profit must stay positive after the transaction fee. Otherwise: `wait` until the earliest
 * profitable second, `reset`, or `skip` with a reason.
 */
export function decideTake(i: TakeInputs): TakeDecision {
  const { auction, params, nowSecs } = i;
  if (needsReset(params, auction, nowSecs)) return { action: "reset" };
  if (isAnchored(auction) && i.oracleMid === undefined) {
    return { action: "skip", reason: "no_oracle_price" };
  }
  const price = priceAfter(params, auction, nowSecs - auction.tic.toNumber(), i.oracleMid);
  const limit = takeLimitPrice(i.valuePrice, i.minProfitBps);
  if (price.gt(limit)) {
    const next = earliestProfitableSecond(params, auction, limit, nowSecs + 1, i.oracleMid);
    if (next === null) {
      return { action: "skip", reason: "not_profitable_before_reset", price, limit };
    }
    return { action: "wait", at: next.at, price: next.price, limit };
  }
  const size = sizeTake(auction, price, params.dust, i.budget, i.cap ?? null);
  if ("skip" in size) return { action: "skip", reason: size.skip, price, limit };
  const value = valueFloor(size.quote.collateral, i.valuePrice);
  if (value === null) return { action: "skip", reason: "overflow", price, limit };
  const grossProfit = value.sub(size.quote.owe);
  const fee = feeBid(grossProfit, i.cuLimit, i.signatures, i.fees);
  if (fee.netProfit.lten(0)) {
    // A lower price later may still pay: look again next second.
    return { action: "skip", reason: "unprofitable_after_fees", price, limit, retryAt: nowSecs + 1 };
  }
  return {
    action: "take",
    price,
    limit,
    maxCollateral: size.maxCollateral,
    quote: size.quote,
    grossProfit,
    fee,
  };
}

/** The outcome of {@link decideKick}. */
export type KickDecision =
  | { action: "kick"; quote: KickQuote; fee: FeeBid }
  | { action: "skip"; reason: string; quote?: KickQuote; fee?: FeeBid };

/**
 * Whether to kick: the program must accept it (unsafe, room under the hole, dust rules) and the
 * reward (`tip + chip × tab`, capped by the insurance fund) must cover the transaction fee. The
 * auction account's rent is not a cost: the kicker gets it back when the auction closes.
 */
export function decideKick(
  market: KickMarket,
  position: KickPosition,
  price: BN,
  nowSecs: number,
  fees: FeePolicy,
  cuLimit: number,
): KickDecision {
  const quote = kickQuote(market, position, price, nowSecs);
  if ("skip" in quote) return { action: "skip", reason: quote.skip };
  const fee = feeBid(quote.reward, cuLimit, 1, fees);
  if (fee.netProfit.isNeg()) return { action: "skip", reason: "reward_below_fee", quote, fee };
  return { action: "kick", quote, fee };
}

/** The collateral value per base unit implied by a venue quote (`debtOut` for `collateral`). */
export function impliedPrice(collateral: BN, debtOut: BN): BN | null {
  if (collateral.isZero()) return null;
  return mulDivFloor(debtOut, PRICE_SCALE, collateral);
}

/** Backstop fields an absorb reads (a decoded `Backstop` fits). */
export interface AbsorbBackstop {
  /** Debt tokens the pool can pay with. */
  debt: BN;
  params: { absorbAfterSecs: BN; absorbNearBps: number };
}

/** Market fields an absorb reads (a decoded `Market` fits). */
export interface AbsorbMarket {
  insurance: BN;
  params: CurveParams & { tip: BN; chipBps: number; dust: BN };
}

/** Auction fields an absorb reads (a decoded `Auction` fits). */
export interface AbsorbAuction extends PricedAuction {
  tab: BN;
  lot: BN;
  debt: BN;
  initialTab: BN;
  initialDebt: BN;
  rewardsPaid: BN;
  kickedAt: BN;
  flash: number;
}

/** Outcome of {@link decideAbsorb}. */
export type AbsorbDecision =
  | { action: "absorb"; price: BN; quote: TakeQuote; reward: BN; fee: FeeBid }
  | { action: "skip"; reason: string; reward?: BN; fee?: FeeBid };

/**
 * The absorb keeper's decision at `nowSecs` with the oracle at `oracleMid`, exactly as the program
 * would judge the absorb: the auction must be absorbable (open `absorbAfterSecs` since its kick, or
 * its lot at the oracle worth at most `tab × (1 + absorbNearBps)`: the SDK's `absorbable`), the
 * pool must hold debt tokens, the auction must not need a reset, be in a flash take, or be priced
 * above the oracle; the pool buys by the SDK's `absorbQuote` and the caller's reward is the kick
 * reward under the per-auction cap (`kickReward` of `rewardInputOf`: never more than what the kick
 * and resets left of the penalty). Absorb only when that reward covers the transaction fee.
 */
export function decideAbsorb(
  market: AbsorbMarket,
  auction: AbsorbAuction,
  backstop: AbsorbBackstop,
  oracleMid: BN,
  nowSecs: number,
  fee: { policy: FeePolicy; cuLimit: number },
): AbsorbDecision {
  const since = nowSecs - auction.kickedAt.toNumber();
  const ok = absorbable({
    sinceKickSecs: new BN(Math.max(0, since)),
    absorbAfterSecs: backstop.params.absorbAfterSecs,
    lot: auction.lot,
    tab: auction.tab,
    price: oracleMid,
    nearBps: new BN(backstop.params.absorbNearBps),
  });
  if (!ok) return { action: "skip", reason: "not_absorbable" };
  if (backstop.debt.isZero()) return { action: "skip", reason: "backstop_empty" };
  if (auction.flash !== 0) return { action: "skip", reason: "flash_take_pending" };
  if (needsReset(market.params, auction, nowSecs)) return { action: "skip", reason: "needs_reset" };
  const price = takePrice(market.params, auction, nowSecs, oracleMid);
  if (price.gt(oracleMid)) return { action: "skip", reason: "price_above_oracle" };
  let quote: TakeQuote;
  try {
    quote = absorbQuote(auction, price, backstop.debt, market.params.dust);
  } catch (e) {
    if (e instanceof TakeQuoteError) return { action: "skip", reason: "take_quote" };
    throw e;
  }
  const reward = kickReward(rewardInputOf(market, auction));
  const bid = feeBid(reward, fee.cuLimit, 1, fee.policy);
  if (bid.netProfit.isNeg()) return { action: "skip", reason: "reward_below_fee", reward, fee: bid };
  return { action: "absorb", price, quote, reward, fee: bid };
}

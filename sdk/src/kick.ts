/**
 * Kick sizing and keeper rewards of Gavel, an exact mirror of `programs/gavel/src/math/kick.rs`
 * (Rust): whether a position can be kicked and what auction it starts (Maker's `dog.bark` with
 * `hole` and `dust`), and what a kick or a reset pays from the insurance fund (`tip + chip × tab`,
 * capped by the penalty still to raise, by the auction's penalty not yet paid out as rewards, and
 * by the fund).
 *
 * A keeper gets exactly the program's auction and reward, to the base unit. u64 arguments are
 * `BN`s; arguments outside u64 are programming errors and throw a `RangeError`. Both
 * implementations are checked against the golden vectors in `tests/vectors/kick.json`
 * (`scripts/gen-kick-vectors.py`). Results are fresh `BN`s.
 * @module
 */
import BN from "bn.js";
import { dMaxBps } from "./anchored";
import { BPS, ltvBps, mulDivCeil, mulDivFloor, PRICE_SCALE, RATE_SCALE } from "./math";
import { partialKick } from "./partial";
import { PRICE_MODE_ANCHORED } from "./types";

const U64_MAX = new BN(1).shln(64).subn(1);
const ZERO = new BN(0);

/** Throws unless `x` is a BN in [0, 2^64 − 1]. */
function checkU64(x: BN, name: string): void {
  if (!BN.isBN(x) || x.isNeg() || x.gt(U64_MAX)) {
    throw new RangeError(`${name} must be a u64 BN, got ${String(x)}`);
  }
}

/** Market parameters a kick reads (Rust `KickParams`). */
export interface KickParams {
  /** A position is unsafe once its debt exceeds this share of its collateral value. */
  liquidationLtvBps: BN;
  /** Liquidation penalty: `tab = debt × (1 + chop)`. */
  chopBps: BN;
  /** Start price of the auction: `top = oracle × buf`. */
  bufBps: BN;
  /** Most tab all live auctions may hold together (Maker's `hole`). */
  hole: BN;
  /** Smallest debt an auction, or the position it leaves behind, may hold. */
  dust: BN;
  /** Partial kicks restore this LTV (`kickTargetLtvBps`); 0 = whole positions. */
  targetLtvBps: BN;
  /** At or above this LTV the whole position goes (`kickFullLtvBps`). */
  fullLtvBps: BN;
  /** `anchorMaxBaseBps`: the auction's d_max at the liquidation LTV. */
  maxBaseBps: BN;
  /** `anchorMaxCapBps`: the largest d_max. */
  maxCapBps: BN;
}

/** Input of {@link kickSize} (Rust `KickInput`). */
export interface KickInput {
  /** Collateral of the position. */
  ink: BN;
  /** Normalized debt of the position. */
  art: BN;
  /** The market's borrow index accrued to now (RATE_SCALE). */
  rate: BN;
  /** Oracle price (PRICE_SCALE), the price itself (not price − confidence). */
  price: BN;
  /** Tab of the market's live auctions (`dirt`). */
  dirt: BN;
  params: KickParams;
}

/** The auction a kick starts (Rust `KickSize`). */
export interface KickSize {
  /** Normalized debt moved out of the position. */
  art: BN;
  /** Collateral moved out: the auction's lot. */
  ink: BN;
  /** Debt moved into the auction. */
  debt: BN;
  /** Debt + penalty to raise. */
  tab: BN;
  /** Start price (PRICE_SCALE). */
  top: BN;
  /** The auction's largest discount (bps): health at the kick, bounded by the lot. */
  dMaxBps: BN;
}

/** Why the program refuses a kick: see {@link KickSizeError}. */
export type KickSizeErrorReason = "Safe" | "HoleFull" | "Dusty" | "Overflow";

/**
 * Thrown by {@link kickSize} where the program refuses the kick: `Safe` (program error
 * `PositionSafe`), `HoleFull` (`HoleFull`), `Dusty` (`AuctionDusty`), `Overflow` (`MathOverflow`).
 */
export class KickSizeError extends Error {
  /** The program's `KickError` variant. */
  readonly reason: KickSizeErrorReason;

  /** @param reason the program's `KickError` variant. */
  constructor(reason: KickSizeErrorReason) {
    super(`kick refused: ${reason}`);
    this.name = "KickSizeError";
    this.reason = reason;
  }
}

/** `x`, or throws `Overflow` for the program's `None`. */
function must(x: BN | null): BN {
  if (x === null) throw new KickSizeError("Overflow");
  return x;
}

/**
 * Sizes a kick exactly as the program does (Maker's sizing, with engine v2's partial kicks):
 *
 * ```text
 * debt = ceil(art × rate / RATE_SCALE); value = floor(ink × price / PRICE_SCALE)
 * if debt == 0 or debt ≤ floor(value × liquidationLtvBps / BPS): refuse Safe
 * ltv = ltvBps(debt, value); health = dMaxBps(ltv, …, tab 0, lot value 0)
 * sized = partialKick(…, discount health)     // the whole position unless partial kicks are on
 * room = hole − dirt (0 if dirt ≥ hole); if room == 0: refuse HoleFull
 * roomArt = floor(floor(room × BPS / (BPS + chop)) × RATE_SCALE / rate)
 * if sized.art ≤ roomArt: the sized auction
 * else: if debt of (art − roomArt) < dust: the whole position (dart = art)
 *       else dart = roomArt, refuse Dusty if its debt < dust; lot = floor(sized.ink × dart / sized.art)
 * if lot == 0: refuse Dusty
 * tab = ceil(auction debt × (BPS + chop) / BPS); top = floor(price × buf / BPS)
 * dMaxBps = dMaxBps(ltv, …, tab, floor(lot × price / PRICE_SCALE))
 * ```
 * @throws KickSizeError where the program refuses the kick.
 */
export function kickSize(k: KickInput): KickSize {
  const p = k.params;
  for (const [name, x] of [
    ["ink", k.ink],
    ["art", k.art],
    ["rate", k.rate],
    ["price", k.price],
    ["dirt", k.dirt],
    ["liquidationLtvBps", p.liquidationLtvBps],
    ["chopBps", p.chopBps],
    ["bufBps", p.bufBps],
    ["hole", p.hole],
    ["dust", p.dust],
    ["targetLtvBps", p.targetLtvBps],
    ["fullLtvBps", p.fullLtvBps],
    ["maxBaseBps", p.maxBaseBps],
    ["maxCapBps", p.maxCapBps],
  ] as const)
    checkU64(x, name);
  const debt = must(mulDivCeil(k.art, k.rate, RATE_SCALE));
  const value = must(mulDivFloor(k.ink, k.price, PRICE_SCALE));
  const limit = must(mulDivFloor(value, p.liquidationLtvBps, BPS));
  if (debt.isZero() || debt.lte(limit)) throw new KickSizeError("Safe");
  const ltv = must(ltvBps(debt, value));
  const dMax = (tab: BN, lotValue: BN): BN =>
    dMaxBps({
      ltvBps: ltv,
      liquidationLtvBps: p.liquidationLtvBps,
      maxBaseBps: p.maxBaseBps,
      maxCapBps: p.maxCapBps,
      tab,
      lotValue,
    });
  const sized = partialKick({
    ink: k.ink,
    art: k.art,
    rate: k.rate,
    price: k.price,
    debt,
    value,
    targetLtvBps: p.targetLtvBps,
    fullLtvBps: p.fullLtvBps,
    chopBps: p.chopBps,
    discountBps: dMax(ZERO, ZERO),
    dust: p.dust,
  });
  const room = p.hole.gt(k.dirt) ? p.hole.sub(k.dirt) : ZERO;
  if (room.isZero()) throw new KickSizeError("HoleFull");
  const chop = BPS.add(p.chopBps);
  if (chop.gt(U64_MAX)) throw new KickSizeError("Overflow");
  const roomDebt = must(mulDivFloor(room, BPS, chop));
  const roomArt = must(mulDivFloor(roomDebt, RATE_SCALE, k.rate));
  let { art: dart, ink: dink, debt: auctionDebt, tab } = sized;
  if (sized.art.gt(roomArt)) {
    const left = must(mulDivCeil(k.art.sub(roomArt), k.rate, RATE_SCALE));
    if (left.lt(p.dust)) {
      dart = k.art;
      auctionDebt = debt;
    } else {
      dart = roomArt;
      auctionDebt = must(mulDivCeil(dart, k.rate, RATE_SCALE));
      if (auctionDebt.lt(p.dust)) throw new KickSizeError("Dusty");
    }
    dink = dart.eq(k.art) ? k.ink : must(mulDivFloor(sized.ink, dart, sized.art));
    tab = mulDivCeil(auctionDebt, chop, BPS) ?? ZERO;
  }
  if (dink.isZero()) throw new KickSizeError("Dusty");
  if (tab.isZero()) throw new KickSizeError("Overflow"); // the debt is above 0: only an overflow
  const top = must(mulDivFloor(k.price, p.bufBps, BPS));
  const lotValue = must(mulDivFloor(dink, k.price, PRICE_SCALE));
  return {
    art: dart.clone(),
    ink: dink.clone(),
    debt: auctionDebt.clone(),
    tab: tab.clone(),
    top,
    dMaxBps: dMax(tab, lotValue),
  };
}

/**
 * The kick parameters of a decoded `MarketParams`. An anchored market's auctions start at the
 * oracle price itself, so its `bufBps` counts as 100 % (as the program passes it).
 */
export function kickParamsOf(params: {
  liquidationLtvBps: number;
  chopBps: number;
  bufBps: number;
  hole: BN;
  dust: BN;
  priceMode?: number;
  kickTargetLtvBps?: number;
  kickFullLtvBps?: number;
  anchorMaxBaseBps?: number;
  anchorMaxCapBps?: number;
}): KickParams {
  return {
    liquidationLtvBps: new BN(params.liquidationLtvBps),
    chopBps: new BN(params.chopBps),
    bufBps: params.priceMode === PRICE_MODE_ANCHORED ? BPS.clone() : new BN(params.bufBps),
    hole: params.hole,
    dust: params.dust,
    targetLtvBps: new BN(params.kickTargetLtvBps ?? 0),
    fullLtvBps: new BN(params.kickFullLtvBps ?? 0),
    maxBaseBps: new BN(params.anchorMaxBaseBps ?? 0),
    maxCapBps: new BN(params.anchorMaxCapBps ?? 0),
  };
}

/** Input of {@link kickReward} and {@link resetReward} (Rust `RewardInput`). */
export interface RewardInput {
  /** Flat reward. */
  tip: BN;
  /** Proportional reward on the tab (bps). */
  chipBps: BN;
  /** The auction's tab now. */
  tab: BN;
  /** The debt part of the tab now. */
  debt: BN;
  /** The auction's penalty at the kick: `initialTab − initialDebt`. */
  initialPenalty: BN;
  /**
   * Rewards charged to the auction: the unearned rewards carried from the position's earlier
   * auctions (a kick: the position's `unearnedRewards`), plus what its kick and earlier resets paid.
   */
  rewardsPaid: BN;
  /** The market's insurance fund. */
  insurance: BN;
}

/**
 * The reward input of a live auction (decoded `Auction`) in a market (decoded `Market`): what
 * {@link resetReward} needs for a reset of it.
 */
export function rewardInputOf(
  market: { insurance: BN; params: { tip: BN; chipBps: number } },
  auction: { tab: BN; debt: BN; initialTab: BN; initialDebt: BN; rewardsPaid: BN },
): RewardInput {
  const penalty = auction.initialTab.gt(auction.initialDebt)
    ? auction.initialTab.sub(auction.initialDebt)
    : ZERO;
  return {
    tip: market.params.tip,
    chipBps: new BN(market.params.chipBps),
    tab: auction.tab,
    debt: auction.debt,
    initialPenalty: penalty,
    rewardsPaid: auction.rewardsPaid,
    insurance: market.insurance,
  };
}

/**
 * Kicker (or resetter) reward, exactly as the program pays it:
 * `min(tip + floor(tab × chipBps / BPS) (saturating at u64::MAX), tab − debt,
 * initialPenalty − rewardsPaid, insurance)`, each difference 0 when negative. For a kick,
 * `initialPenalty = tab − debt` of the new auction and `rewardsPaid` = the position's
 * `unearnedRewards` (see {@link unearnedRewards}).
 */
export function kickReward(r: RewardInput): BN {
  for (const [name, x] of Object.entries(r)) checkU64(x as BN, name);
  const wanted = BN.min(r.tip.add(r.tab.mul(r.chipBps).div(BPS)), U64_MAX);
  const sub = (a: BN, b: BN): BN => (a.gt(b) ? a.sub(b) : ZERO);
  return BN.min(
    BN.min(wanted, sub(r.tab, r.debt)),
    BN.min(sub(r.initialPenalty, r.rewardsPaid), r.insurance),
  ).clone();
}

/**
 * Reset reward: {@link kickReward} when both the tab and the lot's value at the fresh price
 * (`lotValue`) are at least `dust`, else 0.
 */
export function resetReward(r: RewardInput, lotValue: BN, dust: BN): BN {
  checkU64(lotValue, "lotValue");
  checkU64(dust, "dust");
  if (r.tab.lt(dust) || lotValue.lt(dust)) {
    for (const [name, x] of Object.entries(r)) checkU64(x as BN, name);
    return new BN(0);
  }
  return kickReward(r);
}

/** Input of {@link unearnedRewards} (Rust `UnearnedInput`): an auction at its settlement. */
export interface UnearnedInput {
  /** Rewards charged to the auction (carried + paid by its kick, resets and absorbs). */
  rewardsPaid: BN;
  /** Tab at the kick. */
  initialTab: BN;
  /** Debt part of the tab at the kick. */
  initialDebt: BN;
  /** Tab not raised (0 when raised in full, or returned to the position with its penalty). */
  tab: BN;
  /** Debt part of the unraised tab. */
  debt: BN;
}

/**
 * Rewards an auction charged beyond the penalty it collected, exactly as the program carries
 * them into the position's next auction: `rewardsPaid − ((initialTab − tab) − (initialDebt −
 * debt))`, each difference 0 when negative (proceeds repay the debt first).
 */
export function unearnedRewards(u: UnearnedInput): BN {
  for (const [name, x] of Object.entries(u)) checkU64(x as BN, name);
  const sub = (a: BN, b: BN): BN => (a.gt(b) ? a.sub(b) : ZERO);
  return sub(u.rewardsPaid, sub(sub(u.initialTab, u.tab), sub(u.initialDebt, u.debt))).clone();
}

/**
 * The simulator's engine: the testkit's LiquidationWorld (LiteSVM + the real gavel.so) driven along a price path
 * by a population of bidders (who also kick and reset, under the same latency, outages and costs)
 * using the SDK's exact auction math, with a price-impact feedback loop, and a fixed-bonus baseline
 * on its own copy of the market, liquidated by the same bidders under the same frictions. Both sides
 * are measured with the same metrics ({@link SideSummary}).
 *
 * What the market is — its parameters, its price mode, its kick mode, its backstop — is a plain input
 * of a run ({@link SimConfig.mechanism}, {@link SimConfig.params}), turned into `MarketParams` in one
 * place ({@link marketParams}).
 */
import BN from "bn.js";
import { createTransferInstruction } from "@solana/spl-token";
import { Keypair, PublicKey } from "@solana/web3.js";
import {
  absorbable,
  absorbIx,
  accrueRate,
  auctionPda,
  backstopAddresses,
  backstopDueAfterAccrue,
  backstopDepositorPda,
  BACKSTOP_DEFAULTS,
  BackstopParams,
  buyFromBackstopIx,
  buyPrice,
  buyQuote,
  createBackstopIx,
  decodeBackstop,
  decodeBackstopDepositor,
  depositBackstopIx,
  debtFromArt,
  decodeAuction,
  decodePosition,
  PositionAccount,
  positionPda,
  flashTakeIxs,
  fundBackstopIx,
  GavelEvent,
  kickIx,
  kickParamsOf,
  kickSize,
  KickSize,
  KickSizeError,
  MarketParams,
  marketOraclePrice,
  needsReset,
  poolValue,
  PRICE_MODE_ANCHORED,
  PRICE_SCALE,
  requestBackstopWithdrawalIx,
  resetAuctionIx,
  SettleReason,
  takeIx,
  takePrice,
  takeQuote,
  TakeQuote,
  V2_CHOP_BPS,
  V2_ENGINE,
  withdrawBackstopIx,
} from "../../sdk/src";
import { defaultParams, LiquidationWorld, SOL, USDC } from "../../sdk/testkit";
import { blackThursdayPath, GBM_DEFAULTS, gbmPath, PathPoint, quantile, reboundPath, rng } from "./paths";

const num = (b: BN, scale: number): number => Number(b.toString()) / scale;
/** PRICE_SCALE price (USDC base per SOL base × 1e12) → USD per SOL. */
const usdOf = (p: BN): number => num(p, 1e9);

export type Scenario = "gbm" | "blackthursday" | "rebound";
export const SCENARIOS: Scenario[] = ["blackthursday", "rebound", "gbm"];
export type Stress = "default" | "harsh";
/**
 * How a bidder chooses: `naive` takes the oldest auction first at the first price under its limit;
 * `best` takes the auctions with the deepest discount first; `waiter` is naive except that while every
 * rival's on-chain USDC is under {@link RIVAL_DRY_USD} it holds out for `waitBps` more discount (but
 * takes at its plain limit when the auction would need a reset by the next step).
 */
export type Strategy = "naive" | "best" | "waiter";
export const STRATEGIES: Strategy[] = ["naive", "best", "waiter"];
/** Who kicks and resets: the bidders (their latency, outages and fees) or a frictionless keeper. */
export type KeeperModel = "bidders" | "free";
/**
 * The auction's price: `dutch` is Maker's curve falling from `buf` × oracle at the kick; `anchored`
 * (engine v2) is the live oracle less a discount growing from `d_start` by `d_rate` up to the
 * auction's d_max (the engine v2 defaults, {@link V2_ENGINE}, unless `params` override them).
 */
export type PriceMode = "dutch" | "anchored";
export const PRICE_MODES: PriceMode[] = ["dutch", "anchored"];
/**
 * What a kick takes into the auction: the `whole` position, or (engine v2) the `partial` debt that
 * brings it back to the target LTV (the whole position from the full-kick LTV), sized by the program.
 */
export type KickMode = "whole" | "partial";
export const KICK_MODES: KickMode[] = ["whole", "partial"];

/** The liquidation mechanism of the simulated market: plain inputs of a run. */
export interface Mechanism {
  priceMode: PriceMode;
  kickMode: KickMode;
  /** Backstop pool deposits (USDC); 0: no backstop pool. */
  backstopUsd: number;
  /** The pool's parameters (absorb rules, buy discount; {@link SIM_BACKSTOP} unless overridden). */
  backstopParams: BackstopParams;
  /**
   * Share of the pool's {@link SIM_BACKSTOP_DEPOSITORS} depositors (rounded to whole depositors)
   * that run as the crash starts: at the first step where a position is liquidatable at the posted
   * price (before anyone kicks it) they request withdrawal of all their shares, then send
   * `withdraw_backstop` at every step from the end of the cooldown until the program pays them.
   */
  backstopRun: number;
}

/**
 * The simulated market's backstop parameters: the SDK's defaults ({@link BACKSTOP_DEFAULTS}); deposits
 * warm up before the path starts.
 */
export const SIM_BACKSTOP: BackstopParams = { ...BACKSTOP_DEFAULTS };
/** The backstop deposits are split equally between this many depositors. */
export const SIM_BACKSTOP_DEPOSITORS = 4;

/** A waiter believes a rival has no capital when the rival's USDC balance is below this (USD). */
export const RIVAL_DRY_USD = 100;
/** Fixed bonus of the baseline (Compound/Aave style): collateral worth repay × 1.05. */
export const BASELINE_BONUS = 1.05;
/** Close factor of the baseline: at most this share of a position's debt per liquidation. */
export const BASELINE_CLOSE_FACTOR = 0.5;

export interface SimConfig {
  scenario: Scenario;
  /** The calibration preset the other fields started from. */
  stress: Stress;
  seed: number;
  borrowers: number;
  bidders: number;
  stepSecs: number;
  /** Simulated hours of the path (then `drainSecs` at the last exogenous price). */
  hours: number;
  drainSecs: number;
  startUsd: number;
  /** Market depth in USD for the price-impact model: impact = sold value / depth. */
  depthUsd: number;
  /** Half-life (s) of the price impact's recovery. */
  impactHalfLifeSecs: number;
  /** USDC each bidder starts with (each baseline liquidator too: they are the same bidders). */
  bidderCapitalUsd: number;
  /** Delay (s) before a bidder's sale proceeds are USDC it can bid with again (0: at once). */
  recycleSecs: number;
  /** Base latency (s) of bidder i: latencySecs × (i + 1). */
  latencySecs: number;
  /** Margin of bidder i: marginBps + i × marginStepBps. */
  marginBps: number;
  marginStepBps: number;
  /** Share of steps a bidder is offline when calm; congestion adds `congestionOffline`. */
  offlineShare: number;
  congestionOffline: number;
  /** Extra latency (s) at full congestion. */
  congestionLatencySecs: number;
  txFeeUsd: number;
  priorityFeeUsd: number;
  /** Extra priority fee (USD per transaction) at full congestion. */
  congestionPriorityFeeUsd: number;
  /** Cost of selling collateral on top of the seller's own price impact (value / (2 × depth)). */
  slippageBps: number;
  /** Strategy of bidder i: strategies[i mod length]. */
  strategies: Strategy[];
  /** Extra discount (bps) a waiter holds out for while it believes its rivals have no capital. */
  waitBps: number;
  /**
   * Share of bidders (the last round(share × bidders)) that take with no capital: a flash take that
   * sells the collateral in the same transaction, sized so the sale (slippage, own impact) still
   * clears their margin. In the baseline the same bidders liquidate without capital, sized alike.
   */
  flashShare: number;
  keeper: KeeperModel;
  /**
   * Lagging oracle: every transaction that reads the oracle (kick, reset, baseline liquidation)
   * posts the pull update that suits its sender best among the market prices of the last
   * `maxAgeSecs` (the lowest), instead of the price of the moment.
   */
  oracleLag: boolean;
  mechanism: Mechanism;
  /** Market parameter overrides (buf, chop, curve…). */
  params: Partial<MarketParams>;
  /**
   * Seconds between the funding keeper's `fund_backstop` calls (a market with a backstop pool; it
   * also calls before every depositor withdrawal and once when the run ends).
   */
  fundEverySecs: number;
  /** Check vault accounting after every step (throws on a mismatch). */
  checkInvariants: boolean;
  /** Progress lines every this many simulated seconds (0: none). */
  progressSecs: number;
  log: (line: string) => void;
}

/**
 * The harsh calibration: capital per bidder about one average position's debt (so auctions need
 * several takes by several bidders) and tied up while the collateral is sold, a market ten times
 * thinner with slower recovery (so liquidations' own selling moves the oracle), most bidders gone at
 * the peak of congestion, slower bidders, and costs that rise with congestion.
 */
export const HARSH: Partial<SimConfig> & { stress: "harsh" } = {
  stress: "harsh",
  depthUsd: 2_000_000,
  impactHalfLifeSecs: 3600,
  bidderCapitalUsd: 10_000,
  recycleSecs: 900,
  latencySecs: 10,
  offlineShare: 0.1,
  congestionOffline: 0.6,
  congestionLatencySecs: 300,
  priorityFeeUsd: 0.05,
  congestionPriorityFeeUsd: 2,
  slippageBps: 100,
};

export function defaultConfig(scenario: Scenario = "blackthursday", stress: Stress = "default"): SimConfig {
  const base: SimConfig = {
    scenario,
    stress,
    seed: 1,
    borrowers: 30,
    bidders: 3,
    stepSecs: 60,
    hours: scenario === "gbm" ? 6 : 24,
    drainSecs: 3 * 3600,
    startUsd: 150,
    depthUsd: 20_000_000,
    impactHalfLifeSecs: 1800,
    bidderCapitalUsd: 250_000,
    recycleSecs: 0,
    latencySecs: 5,
    marginBps: 100,
    marginStepBps: 100,
    offlineShare: 0.05,
    congestionOffline: 0.4,
    congestionLatencySecs: 120,
    txFeeUsd: 0.001,
    priorityFeeUsd: 0.05,
    congestionPriorityFeeUsd: 0,
    slippageBps: 30,
    strategies: ["naive"],
    waitBps: 500,
    flashShare: 0,
    keeper: "bidders",
    oracleLag: false,
    mechanism: {
      priceMode: "dutch",
      kickMode: "whole",
      backstopUsd: 0,
      backstopParams: SIM_BACKSTOP,
      backstopRun: 0,
    },
    params: {},
    fundEverySecs: 3600,
    checkInvariants: true,
    progressSecs: 3600,
    log: () => {},
  };
  return stress === "harsh" ? { ...base, ...HARSH } : base;
}

/**
 * The market's parameters for a run: the test defaults, the run's overrides, and its mechanism. The
 * one place a simulated market is defined (engine v2's price and kick modes, and the backstop, map
 * here onto their MarketParams fields).
 */
export function marketParams(c: Pick<SimConfig, "params" | "mechanism">, oracle: PublicKey): MarketParams {
  const m = c.mechanism;
  if (!PRICE_MODES.includes(m.priceMode)) throw new Error(`price mode ${m.priceMode} is not in this program`);
  if (!KICK_MODES.includes(m.kickMode)) throw new Error(`kick mode ${m.kickMode} is not in this program`);
  if (!(m.backstopUsd >= 0)) throw new Error(`backstop size must be ≥ 0, got ${m.backstopUsd}`);
  if (!(m.backstopRun >= 0 && m.backstopRun <= 1))
    throw new Error(`backstop run share must be in [0, 1], got ${m.backstopRun}`);
  const v2 = V2_ENGINE;
  const engine: Partial<MarketParams> = {
    ...(m.priceMode === "anchored"
      ? {
          priceMode: v2.priceMode,
          anchorStartBps: v2.anchorStartBps,
          anchorRateBpsPerMin: v2.anchorRateBpsPerMin,
        }
      : {}),
    // d_max bounds the anchored discount and is the discount partial kicks size their lot at.
    ...(m.priceMode === "anchored" || m.kickMode === "partial"
      ? { anchorMaxBaseBps: v2.anchorMaxBaseBps, anchorMaxCapBps: v2.anchorMaxCapBps }
      : {}),
    ...(m.kickMode === "partial"
      ? { kickTargetLtvBps: v2.kickTargetLtvBps, kickFullLtvBps: v2.kickFullLtvBps }
      : {}),
    // Engine v2's penalty (lower than Maker's: a partial auction that runs out no longer needs it as
    // a buffer, its unraised debt goes back to the position; each point of it is bidder capital).
    ...(m.priceMode === "anchored" || m.kickMode === "partial" ? { chopBps: V2_CHOP_BPS } : {}),
  };
  return { ...defaultParams(oracle), ...engine, ...c.params, collateralOracle: oracle };
}

/** Metrics measured the same way on both sides (Gavel and the fixed-bonus baseline). */
export interface SideSummary {
  /** Auctions kicked (Gavel) or liquidation calls (baseline). */
  liquidations: number;
  /** Debt taken into liquidation: kicked positions' debt (Gavel), repaid debt (baseline), USDC. */
  liquidatedDebt: number;
  /** Collateral sold to liquidators (SOL). */
  collateralSold: number;
  /** Bad debt realized by the mechanism (USDC). */
  badDebtRealized: number;
  /**
   * Loss still open when the run stops, at the last market price: open auctions' tab minus their lot's
   * value, plus debt minus collateral value of positions left underwater.
   */
  shortfallAtEnd: number;
  /** badDebtRealized + shortfallAtEnd, and its ratio to liquidatedDebt. */
  badDebt: number;
  badDebtRatio: number;
  /**
   * Clearing discount vs the market price at the liquidation (after the liquidations' own impact),
   * collateral-weighted per auction (Gavel) or per position (baseline): median and p95 over them.
   */
  discountMedian: number;
  discountP95: number;
  /** The same against the exogenous price (before the liquidations' own impact). */
  discountPreImpactMedian: number;
  discountPreImpactP95: number;
  /** Borrowers' cost: penalty (proceeds over the debt, Gavel's chop) + discount (value over price paid). */
  penaltyUsd: number;
  discountCostUsd: number;
  borrowerCostUsd: number;
  /** borrowerCostUsd / liquidatedDebt. */
  borrowerCostRatio: number;
  /** Liquidators' sale proceeds minus payments, plus keeper rewards minus keeper fees (Gavel). */
  liquidatorNetProfit: number;
  /** Largest gap between the market price and the exogenous price (1 − market/exogenous). */
  maxImpact: number;
  /** Lowest market price (USD). */
  minPriceUsd: number;
}

export interface TakeRecord {
  auctionId: number;
  t: number;
  bidder: number;
  flash: boolean;
  priceUsd: number;
  /** Market price (exogenous × impact) and exogenous price at the take. */
  oracleUsd: number;
  exoUsd: number;
  discount: number;
  collateral: number;
  owe: number;
  netProfitUsd: number;
}

export interface AuctionRecord {
  id: number;
  kickT: number;
  settleT: number | null;
  duration: number | null;
  debt: number;
  tab: number;
  lot: number;
  raised: number;
  badDebt: number;
  /**
   * Debt that went back to the position when the lot ran out while the position still held
   * collateral (USDC): not liquidated by this auction (a later kick moves it again).
   */
  returned: number;
  resets: number;
  takes: number;
  /** Distinct bidders that took from it. */
  takers: number;
  clearingPrices: number[];
  /** Collateral-weighted discount of its takes vs the market price (and the exogenous price). */
  discount: number | null;
  discountPreImpact: number | null;
}

export interface Summary extends SideSummary {
  auctions: number;
  settled: number;
  /** Mean takes and mean distinct takers per auction, and the share of auctions with > 1 take. */
  takesPerAuction: number;
  takersPerAuction: number;
  multiTakeShare: number;
  flashTakes: number;
  durationMedianSecs: number;
  /** Kicks and resets, who did them (keeper rewards paid by the market, fees paid by the keepers). */
  kicks: number;
  resets: number;
  keeperRewards: number;
  keeperFees: number;
  /** Kicks that moved only part of the position (engine v2 partial kicks). */
  partialKicks: number;
  /**
   * Kicks whose auction (debt, lot, d_max) the keeper predicted with the SDK's sizing mirror
   * (`kickSize`) before sending, and how many the program sized differently (0 unless they diverge).
   */
  kickSizeChecks: number;
  kickSizeMismatches: number;
  /** Absorbs by the backstop pool, what it paid (USDC: debt and penalty) and that over the liquidated debt. */
  absorbs: number;
  absorbedDebt: number;
  absorbedShare: number;
  /** `buy_from_backstop` calls by bidders and the debt tokens they paid the pool (USDC). */
  backstopBuys: number;
  backstopSoldUsd: number;
  /**
   * The pool's depositors' P&L at the end (USDC): its debt tokens + collateral at the last market
   * price + what it paid out to withdrawing depositors − deposits. It splits into income and loss:
   * `backstopPnlUsd = backstopIncomeUsd − backstopLossUsd`.
   */
  backstopPnlUsd: number;
  /** Income: the funding `fund_backstop` moved into the pool (its shares of interest and penalties). */
  backstopIncomeUsd: number;
  /**
   * Loss: what absorbing cost the depositors, the absorbed collateral marked to market (USDC paid
   * for absorbed lots, less what `buy_from_backstop` paid back, less the collateral still held or
   * paid out at the last market price); negative when absorbing gained.
   */
  backstopLossUsd: number;
  /** Funding still due to the pool when the run ends (the market had no idle cash for it). */
  backstopDueAtEndUsd: number;
  /** `fund_backstop` calls by the funding keeper, and those the program refused (nothing due, or no shares). */
  fundCalls: number;
  fundRefused: number;
  /**
   * The LPs' P&L (USDC): the market's pool value (`poolValue`: cash + debt owed + live auctions' debt
   * − funding due to the backstop) at the end, accrued to then, minus at the start.
   */
  lpPnlUsd: number;
  /** The insurance fund at the end minus at the start (USDC). */
  insuranceChangeUsd: number;
  /**
   * The depositors' run ({@link Mechanism.backstopRun}): how many requested, when (s; null: no
   * run), the value of the requested shares then (USDC: their share of the pool's debt tokens +
   * collateral at the market price), what the program paid them (USDC, collateral at the market
   * price of the payment), when the first and last payments came (s; null: none by the end), and
   * the withdrawals it refused because the market had a live auction (one attempt per runner and step).
   */
  runRequests: number;
  runRequestT: number | null;
  runRequestedUsd: number;
  runWithdrawnUsd: number;
  runWithdrawnFirstT: number | null;
  runWithdrawnLastT: number | null;
  runRefused: number;
  /** Seconds from a position becoming unsafe to its kick (median, max). */
  kickWaitMedianSecs: number;
  kickWaitMaxSecs: number;
  lpLoss: number;
  insuranceUsed: number;
  invariantChecks: number;
}

export interface BaselineSummary extends SideSummary {
  /** Positions still liquidatable when the run ends, and their debt. */
  leftUnliquidated: number;
  unsafeDebtAtEnd: number;
  /** Bidder-position chances (online, after latency, position unsafe) refused for want of USDC. */
  capitalSkips: number;
  /** … refused by the margin or cost check. */
  costSkips: number;
  /** Seconds from a position becoming unsafe to each liquidation of it (median, max). */
  waitMedianSecs: number;
  waitMaxSecs: number;
  /** Highest debt / collateral value any position reached at a step's oracle (1: insolvent). */
  maxLtv: number;
}

export interface RunResult {
  config: Omit<SimConfig, "log">;
  summary: Summary;
  baseline: BaselineSummary;
  auctions: AuctionRecord[];
  takes: TakeRecord[];
  path: { t: number; exo: number; oracle: number; congestion: number }[];
  /** The baseline's liquidations (time, price paid per SOL, SOL seized) and its market price path. */
  baselineLiquidations: { t: number; priceUsd: number; collateral: number }[];
  baselinePath: number[];
}

export function makePath(c: SimConfig): PathPoint[] {
  if (c.scenario === "gbm")
    return gbmPath({ ...GBM_DEFAULTS, start: c.startUsd, hours: c.hours, stepSecs: c.stepSecs }, c.seed);
  if (c.scenario === "rebound") return reboundPath(c.startUsd, c.stepSecs, c.seed, c.hours);
  return blackThursdayPath(c.startUsd, c.stepSecs, c.seed, c.hours);
}

/** Seeded borrower book: collateral 10..200 SOL, LTV 55..69% at the start price. */
export function makeBook(c: SimConfig): { sol: number; usdc: number }[] {
  const r = rng(c.seed ^ 0x9e3779b9);
  return Array.from({ length: c.borrowers }, () => {
    const sol = Math.round(10 + r() * 190);
    const ltv = 0.55 + r() * 0.14;
    return { sol, usdc: Math.floor(sol * c.startUsd * ltv) };
  });
}

/** Bidder i's fixed traits (the same bidder in the Gavel run and the baseline). */
export interface BidderTraits {
  latency: number;
  margin: number;
  strategy: Strategy;
  flash: boolean;
}

export function bidderTraits(c: SimConfig): BidderTraits[] {
  const flashN = Math.round(c.flashShare * c.bidders);
  return Array.from({ length: c.bidders }, (_, i) => ({
    latency: c.latencySecs * (i + 1),
    margin: (c.marginBps + i * c.marginStepBps) / 10_000,
    strategy: c.strategies[i % c.strategies.length],
    flash: i >= c.bidders - flashN,
  }));
}

/** Fee (USD) of one transaction at a congestion level. */
const feeUsd = (c: SimConfig, congestion: number): number =>
  c.txFeeUsd + c.priorityFeeUsd + congestion * c.congestionPriorityFeeUsd;

/** USD a sale of `coll` SOL at `px` brings after slippage and the seller's own impact, minus `fee`. */
const saleUsd = (c: SimConfig, coll: number, px: number, fee: number): number =>
  coll * px * (1 - c.slippageBps / 10_000 - (coll * px) / (2 * c.depthUsd)) - fee;

/**
 * Largest sale (USD at `seen`) a flash liquidator makes when it pays `paidPerSol` per SOL: the
 * average sale price after slippage and its own impact must stay `margin` above what it pays.
 */
const flashMaxUsd = (c: SimConfig, paidPerSol: number, seen: number, margin: number): number =>
  2 * c.depthUsd * (1 - c.slippageBps / 10_000 - margin - paidPerSol / seen);

/**
 * The oracle price a sender posts at step `i` (and its age): the market price, or with `oracleLag`
 * the lowest market price of the steps within `maxAgeSecs`.
 */
function postedPrice(c: SimConfig, hist: number[], maxAgeSecs: number): { usd: number; ageSecs: number } {
  const now = hist.length - 1;
  if (!c.oracleLag) return { usd: hist[now], ageSecs: 0 };
  let best = { usd: hist[now], ageSecs: 0 };
  for (let k = 1; k * c.stepSecs <= maxAgeSecs && now - k >= 0; k++)
    if (hist[now - k] < best.usd) best = { usd: hist[now - k], ageSecs: k * c.stepSecs };
  return best;
}

/** Collateral-weighted discount accumulator. */
class Weighted {
  post = 0;
  pre = 0;
  coll = 0;
  add(coll: number, paid: number, market: number, exo: number): void {
    this.post += coll * (1 - paid / market);
    this.pre += coll * (1 - paid / exo);
    this.coll += coll;
  }
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/**
 * The {@link SideSummary} of either side from its totals (USDC and SOL, rounded to 1e-6) and its
 * per-auction (Gavel) or per-position (baseline) clearing discounts.
 */
function sideSummary(x: {
  liquidations: number;
  liquidated: number;
  collateralSold: number;
  realized: number;
  shortfall: number;
  discounts: number[];
  preImpact: number[];
  penalty: number;
  discountCost: number;
  netProfit: number;
  maxImpact: number;
  minPrice: number;
}): SideSummary {
  const cost = x.penalty + x.discountCost;
  return {
    liquidations: x.liquidations,
    liquidatedDebt: round(x.liquidated),
    collateralSold: round(x.collateralSold),
    badDebtRealized: round(x.realized),
    shortfallAtEnd: round(x.shortfall),
    badDebt: round(x.realized + x.shortfall),
    badDebtRatio: x.liquidated > 0 ? (x.realized + x.shortfall) / x.liquidated : 0,
    discountMedian: quantile(x.discounts, 0.5),
    discountP95: quantile(x.discounts, 0.95),
    discountPreImpactMedian: quantile(x.preImpact, 0.5),
    discountPreImpactP95: quantile(x.preImpact, 0.95),
    penaltyUsd: round(x.penalty),
    discountCostUsd: round(x.discountCost),
    borrowerCostUsd: round(cost),
    borrowerCostRatio: x.liquidated > 0 ? cost / x.liquidated : 0,
    liquidatorNetProfit: round(x.netProfit),
    maxImpact: x.maxImpact,
    minPriceUsd: x.minPrice,
  };
}

interface BookEntry {
  kp: Keypair;
  sol: number;
  usdc: number;
  /** Position address. */
  addr: PublicKey;
  /** Step time since which the position has been unsafe (null: it is safe). */
  unsafeSince: number | null;
  /** Step time of the last kick attempt (one attempt per step). */
  triedAt: number;
}

/** A backstop depositor of the simulated pool and where its run stands. */
interface Depositor {
  kp: Keypair;
  /** Its backstop share token account and its `BackstopDepositor` account. */
  shares: PublicKey;
  account: PublicKey;
  requested: boolean;
  paid: boolean;
}

/** The specs' liquidation world (sdk/testkit) with the simulated market's backstop pool. */
class SimWorld extends LiquidationWorld {
  /**
   * Creates the market's backstop pool; `usdc` is deposited in equal parts by `depositors`
   * depositors, warmed up into shares. Returns the depositors.
   */
  backstop(params: BackstopParams, usdc: BN, usd: number, depositors: number): Depositor[] {
    this.mustSend([createBackstopIx({ admin: this.admin.publicKey, ...this.ref }, params)], [this.admin]);
    const b = backstopAddresses(this.addrs.market);
    const list = Array.from({ length: depositors }, (): Depositor => {
      const kp = this.actor();
      const [shares] = this.createTokenAccounts(kp, [b.shareMint]);
      const account = backstopDepositorPda(b.backstop, kp.publicKey)[0];
      return { kp, shares, account, requested: false, paid: false };
    });
    const deposit = (d: Depositor, amount: BN) =>
      depositBackstopIx(
        {
          ...this.ref,
          depositor: d.kp.publicKey,
          depositorDebtAccount: this.ata(this.ref.debtMint, d.kp.publicKey),
          depositorShareAccount: d.shares,
          oracles: [this.oracle],
        },
        amount,
      );
    const each = usdc.divn(depositors);
    for (const d of list) {
      this.fundDebt(d.kp.publicKey, each);
      this.mustSend([deposit(d, each)], [d.kp]);
    }
    this.warp(params.warmupSecs.toNumber());
    this.setPrice(usd);
    for (const d of list) this.mustSend([deposit(d, new BN(0))], [d.kp]); // activates the warmed-up deposit
    return list;
  }
}

type LiveAuction = AuctionRecord & {
  addr: PublicKey;
  w: Weighted;
  takerSet: Set<number>;
  /** Step time since which it has needed a reset (null: it does not). */
  dueSince: number | null;
};

/**
 * The price-impact model both sides run on the exogenous path: a sale of value v pushes the market
 * price down by v / depth (at most half), and the push decays with the configured half-life.
 */
class ImpactModel {
  private impact = 1;
  private readonly decay: number;
  /** Lowest market price and largest impact (1 − market / exogenous) of the steps so far. */
  minPrice = Infinity;
  maxImpact = 0;

  constructor(private readonly c: Pick<SimConfig, "stepSecs" | "impactHalfLifeSecs" | "depthUsd">) {
    this.decay = Math.pow(0.5, c.stepSecs / c.impactHalfLifeSecs);
  }

  /** The next step at exogenous price `exo` (the impact recovers one step's decay): its market price. */
  step(exo: number): number {
    this.impact = 1 - (1 - this.impact) * this.decay;
    const market = exo * this.impact;
    this.minPrice = Math.min(this.minPrice, market);
    this.maxImpact = Math.max(this.maxImpact, 1 - this.impact);
    return market;
  }

  /** A sale of `coll` SOL at `usd` per SOL. */
  sell(coll: number, usd: number): void {
    this.impact *= 1 - Math.min(0.5, (coll * usd) / this.c.depthUsd);
  }
}

/** Runs one simulation on `path` (default: the config's scenario path). */
export function runSim(c: SimConfig, path: PathPoint[] = makePath(c)): RunResult {
  const r = rng(c.seed * 7919 + 17);
  const w = new SimWorld();
  const params = marketParams(c, w.oracle);
  const book = makeBook(c);
  const totalBorrow = book.reduce((s, b) => s + b.usdc, 0);
  w.setup(params, USDC(totalBorrow * 1.5 + 100_000), USDC(Math.max(10_000, totalBorrow * 0.01)));
  w.setPrice(c.startUsd);
  const backstop = c.mechanism.backstopUsd > 0 ? backstopAddresses(w.addrs.market).backstop : null;
  const depositors = backstop
    ? w.backstop(
        c.mechanism.backstopParams,
        USDC(c.mechanism.backstopUsd),
        c.startUsd,
        SIM_BACKSTOP_DEPOSITORS,
      )
    : [];
  const runners = depositors.slice(0, Math.round(c.mechanism.backstopRun * depositors.length));
  const borrowers = book.map((b): BookEntry => {
    const kp = w.borrower(b.sol, b.usdc);
    // The position's address, derived once (PDA derivation dominates a run's time otherwise).
    return { ...b, kp, addr: positionPda(w.addrs.market, kp.publicKey)[0], unsafeSince: null, triedAt: -1 };
  });
  const position = (b: BookEntry): PositionAccount | null => {
    const data = w.chain.data(b.addr);
    return data && data.length > 0 ? decodePosition(data) : null;
  };
  const debtMint = w.ref.debtMint;
  const collMint = w.ref.collateralMint;
  /** The LPs' pool value now (USDC), the market accrued to the chain's clock as the program would. */
  const lpValue = (): number => {
    const mk = w.market();
    const since = new BN(w.now.toString()).sub(mk.lastAccrualTs);
    const rate = accrueRate(mk.rate, mk.params.borrowRatePerSecWad, since);
    const due = rate === null ? null : backstopDueAfterAccrue(mk, rate);
    const value = rate === null || due === null ? null : poolValue({ ...mk, rate, backstopDue: due });
    if (value === null) throw new Error("pool value beyond u64");
    return num(value, 1e6);
  };
  const lpStart = lpValue();
  const insuranceStart = num(w.market().insurance, 1e6);
  const bidders = bidderTraits(c).map((tr) => {
    const kp = w.actor();
    w.fundDebt(kp.publicKey, USDC(c.bidderCapitalUsd));
    return {
      ...tr,
      kp,
      usdc: w.ata(debtMint, kp.publicKey),
      sol: w.ata(collMint, kp.publicKey),
      /** Sale proceeds not yet back as USDC: [due time, amount]. */
      pending: [] as [number, number][],
    };
  });
  // The swap venue flash takers sell into, inside their take transaction.
  const venue = bidders.some((b) => b.flash) ? w.actor() : null;
  if (venue) w.fundDebt(venue.publicKey, USDC(1e9));
  // The funding keeper: a frictionless crank (fund_backstop pays no reward; only the fee payer signs).
  const funder = backstop ? w.actor() : null;

  const auctions = new Map<number, LiveAuction>();
  const takes: TakeRecord[] = [];
  const outPath: RunResult["path"] = [];
  const hist: number[] = [];
  /** Who was online in which order at each step, for the baseline. */
  const schedule: BidderStep[] = [];
  const kickWaits: number[] = [];
  const model = new ImpactModel(c);
  let keeperRewards = 0;
  let bidderKeeperRewards = 0;
  let keeperFees = 0;
  let kicks = 0;
  let absorbs = 0;
  let absorbedDebt = 0;
  let backstopBuys = 0;
  let backstopSoldUsd = 0;
  let runRequestT: number | null = null;
  let runRequestedUsd = 0;
  let runWithdrawnUsd = 0;
  let runWithdrawnDebtUsd = 0;
  let runWithdrawnColl = 0;
  let runWithdrawnFirstT: number | null = null;
  let runWithdrawnLastT: number | null = null;
  let runRefused = 0;
  let fundCalls = 0;
  let fundRefused = 0;
  let fundedUsd = 0;
  let partialKicks = 0;
  let kickSizeChecks = 0;
  let kickSizeMismatches = 0;
  let resets = 0;
  let lpLoss = 0;
  let insuranceUsed = 0;
  let invariantChecks = 0;
  let lastMarket = c.startUsd;
  let lastT = 0;
  const maxAgeSecs = params.maxAgeSecs.toNumber();
  const drainSteps = Math.ceil(c.drainSecs / c.stepSecs);
  const steps = path.length + drainSteps;
  const live = (): LiveAuction[] => [...auctions.values()].filter((a) => a.settleT === null);

  /**
   * Books a transaction's events; `debtBefore` is the auction's debt before a take or absorb, so
   * that a lot that ran out with the position still holding collateral records the debt that went
   * back to the position (`returned`: not liquidated by this auction; a later kick moves it again).
   */
  const onEvents = (events: readonly GavelEvent[], t: number, debtBefore: BN | null = null): number => {
    let reward = 0;
    const paid = events.find((e) => e.name === "auctionTaken" || e.name === "auctionAbsorbed");
    for (const e of events) {
      if (e.name === "auctionStarted" || e.name === "auctionReset") reward += num(e.data.reward, 1e6);
      if (e.name === "auctionSettled") {
        const a = auctions.get(e.data.id.toNumber());
        if (a) {
          a.settleT = t;
          a.duration = t - a.kickT;
          a.badDebt = num(e.data.badDebt, 1e6);
          const exhausted = (e.data.reason as unknown as number) === SettleReason.Exhausted;
          if (exhausted && a.badDebt === 0 && debtBefore && paid)
            a.returned = num(BN.max(new BN(0), debtBefore.sub(paid.data.owe)), 1e6);
        }
      }
      if (e.name === "badDebt") {
        lpLoss += num(e.data.socialized, 1e6);
        insuranceUsed += num(e.data.coveredByInsurance, 1e6);
      }
    }
    keeperRewards += reward;
    return reward;
  };

  /**
   * The auction a kick of `pos` would start now, as the keeper expects it from the SDK's sizing
   * mirror (null: it expects a refusal).
   */
  const expectKick = (pos: PositionAccount): KickSize | null => {
    const mk = w.market();
    const rate = accrueRate(
      mk.rate,
      mk.params.borrowRatePerSecWad,
      new BN(w.now.toString()).sub(mk.lastAccrualTs),
    );
    const price = marketOraclePrice(mk, [w.chain.data(w.oracle)!]);
    if (rate === null || price === null) return null;
    try {
      return kickSize({
        ink: pos.ink,
        art: pos.art,
        rate,
        price,
        dirt: mk.dirt,
        params: kickParamsOf(mk.params),
      });
    } catch (e) {
      if (e instanceof KickSizeError) return null;
      throw e;
    }
  };

  /** `kp` kicks borrower `b`; the keeper reward it earned (null: refused). */
  const kick = (b: BookEntry, kp: Keypair, t: number): number | null => {
    b.triedAt = t;
    const pos = position(b);
    const expected = pos ? expectKick(pos) : null;
    const id = w.market().auctionCount;
    const [addr] = auctionPda(w.addrs.market, id);
    const res = w.chain.send(
      [
        kickIx({
          ...w.ref,
          kicker: kp.publicKey,
          owner: b.kp.publicKey,
          auctionId: id,
          kickerDebtAccount: w.ata(debtMint, kp.publicKey),
          oracles: [w.oracle],
        }),
      ],
      [kp],
    );
    if (!res.ok) return null;
    const ev = res.events.find((e) => e.name === "auctionStarted")!;
    if (expected) {
      kickSizeChecks++;
      if (
        !expected.debt.eq(ev.data.debt) ||
        !expected.ink.eq(ev.data.lot) ||
        !expected.dMaxBps.eqn(ev.data.dMaxBps)
      )
        kickSizeMismatches++;
    } else kickSizeMismatches++; // the keeper expected a refusal
    if (pos && ev.data.lot.lt(pos.ink)) partialKicks++;
    auctions.set(id.toNumber(), {
      addr,
      id: id.toNumber(),
      kickT: t,
      settleT: null,
      duration: null,
      debt: num(ev.data.debt, 1e6),
      tab: num(ev.data.tab, 1e6),
      lot: num(ev.data.lot, 1e9),
      raised: 0,
      badDebt: 0,
      returned: 0,
      resets: 0,
      takes: 0,
      takers: 0,
      clearingPrices: [],
      discount: null,
      discountPreImpact: null,
      w: new Weighted(),
      takerSet: new Set(),
      dueSince: null,
    });
    kicks++;
    kickWaits.push(t - (b.unsafeSince ?? t));
    return onEvents(res.events, t);
  };

  /** `kp` resets auction `a`; the keeper reward it earned (null: refused). */
  const reset = (a: LiveAuction, kp: Keypair, t: number): number | null => {
    const res = w.chain.send(
      [
        resetAuctionIx({
          ...w.ref,
          caller: kp.publicKey,
          auction: a.addr,
          callerDebtAccount: w.ata(debtMint, kp.publicKey),
          oracles: [w.oracle],
        }),
      ],
      [kp],
    );
    if (!res.ok) return null;
    a.resets++;
    a.dueSince = null;
    resets++;
    return onEvents(res.events, t);
  };

  /**
   * The funding keeper sends `fund_backstop` (no pool: nothing to do): the program moves what the
   * market owes the pool into it, or refuses when nothing is due or idle (`BackstopFundingNone`) or
   * the pool has no shares (`BackstopNoShares`); refusals are counted, any other error throws.
   */
  const fund = (): void => {
    if (!funder) return;
    fundCalls++;
    const res = w.chain.send([fundBackstopIx(w.ref)], [funder]);
    if (!res.ok) {
      const name = res.error?.errorName;
      if (name !== "BackstopFundingNone" && name !== "BackstopNoShares")
        throw new Error(`fund_backstop refused unexpectedly: ${res.error?.message ?? res.rawError}`);
      fundRefused++;
      return;
    }
    fundedUsd += num(res.events.find((e) => e.name === "backstopFunded")!.data.amount, 1e6);
  };

  /**
   * The runners' withdrawals at time `t` (market price `px`): each runner whose request's cooldown
   * has ended sends `withdraw_backstop`, the funding keeper's `fund_backstop` first (so a leaver
   * takes its part of the funding earned); the program refuses it while the market has a live auction.
   */
  const withdrawRun = (t: number, px: number): void => {
    for (const d of runners) {
      if (!d.requested || d.paid) continue;
      const acc = decodeBackstopDepositor(w.chain.data(d.account)!);
      if (new BN(w.now.toString()).lt(acc.withdrawAt)) continue;
      fund();
      const res = w.chain.send(
        [
          withdrawBackstopIx({
            ...w.ref,
            depositor: d.kp.publicKey,
            depositorDebtAccount: w.ata(debtMint, d.kp.publicKey),
            depositorCollateralAccount: w.ata(collMint, d.kp.publicKey),
          }),
        ],
        [d.kp],
      );
      if (!res.ok) {
        if (res.error?.errorName !== "BackstopAuctionsLive")
          throw new Error(`withdraw_backstop refused unexpectedly: ${res.error?.message ?? res.rawError}`);
        runRefused++;
        continue;
      }
      const ev = res.events.find((e) => e.name === "backstopWithdrawn")!;
      d.paid = true;
      runWithdrawnDebtUsd += num(ev.data.debt, 1e6);
      runWithdrawnColl += num(ev.data.collateral, 1e9);
      runWithdrawnUsd += num(ev.data.debt, 1e6) + num(ev.data.collateral, 1e9) * px;
      runWithdrawnFirstT = runWithdrawnFirstT ?? t;
      runWithdrawnLastT = t;
    }
  };
  /** The run starts: every runner requests withdrawal of all its shares (valued at `px`). */
  const startRun = (t: number, px: number): void => {
    runRequestT = t;
    for (const d of runners) {
      const shares = w.balance(d.shares);
      if (shares.isZero()) continue;
      const pool = decodeBackstop(w.chain.data(backstop!)!);
      const value = num(pool.debt, 1e6) + num(pool.collateral, 1e9) * px;
      runRequestedUsd += (value * num(shares, 1)) / num(pool.totalShares, 1);
      w.mustSend(
        [
          requestBackstopWithdrawalIx(
            { ...w.ref, depositor: d.kp.publicKey, depositorShareAccount: d.shares },
            shares,
          ),
        ],
        [d.kp],
      );
      d.requested = true;
    }
  };

  for (let i = 0; i < steps; i++) {
    const pt = path[Math.min(i, path.length - 1)];
    const t = i * c.stepSecs;
    const congestion = i < path.length ? pt.congestion : 0;
    if (i > 0) w.warp(c.stepSecs);
    const exo = pt.usd;
    const market = model.step(exo);
    lastMarket = market;
    lastT = t;
    hist.push(market);
    outPath.push({ t, exo, oracle: market, congestion });
    const posted = postedPrice(c, hist, maxAgeSecs);
    w.setPrice(posted.usd, { ageSecs: posted.ageSecs });
    const m = w.market();
    const nowBN = new BN(w.now.toString());
    const fee = feeUsd(c, congestion);
    // An anchored auction's price follows the oracle posted this step; its takes pass that oracle.
    const anchored = m.params.priceMode === PRICE_MODE_ANCHORED;
    const mid = marketOraclePrice(m, [w.chain.data(w.oracle)!]) ?? undefined;
    const priceNow = (acc: ReturnType<typeof decodeAuction>): BN => takePrice(m.params, acc, nowBN, mid);
    const takeOracles = anchored ? [w.oracle] : undefined;

    // What a keeper sees this step: unsafe positions (at the posted price) and auctions due a reset.
    const postedBN = new BN(Math.round(posted.usd * 1e9));
    for (const b of borrowers) {
      const pos = position(b);
      let unsafe = false;
      if (pos && !pos.ink.isZero() && !pos.art.isZero()) {
        const debt = debtFromArt(pos.art, m.rate)!;
        const value = pos.ink.mul(postedBN).div(PRICE_SCALE);
        unsafe = debt.muln(10_000).gt(value.muln(m.params.liquidationLtvBps));
      }
      b.unsafeSince = unsafe ? (b.unsafeSince ?? t) : null;
    }
    for (const a of live()) {
      const due = needsReset(m.params, decodeAuction(w.chain.data(a.addr)!), nowBN);
      a.dueSince = due ? (a.dueSince ?? t) : null;
    }
    // The backstop run: requests as the crash starts (a position is liquidatable, before any kick).
    if (runners.length > 0 && runRequestT === null && borrowers.some((b) => b.unsafeSince !== null))
      startRun(t, market);
    if (i > 0 && t % c.fundEverySecs < c.stepSecs) fund();
    withdrawRun(t, market);
    if (c.keeper === "free") {
      for (const b of borrowers) if (b.unsafeSince !== null) kick(b, w.kicker, t);
      for (const a of live()) if (a.dueSince !== null) reset(a, w.kicker, t);
    }

    // Bidders, in a seeded random order each step.
    const order = bidders.map((_, k) => k).sort(() => r() - 0.5);
    const online = bidders.map(() => false);
    schedule.push({ order, online });
    for (const k of order) {
      const bd = bidders[k];
      const due = bd.pending.filter(([at]) => at <= t);
      bd.pending = bd.pending.filter(([at]) => at > t);
      for (const [, usd] of due) w.fundDebt(bd.kp.publicKey, USDC(usd));
      if (r() < c.offlineShare + congestion * c.congestionOffline) continue;
      online[k] = true;
      const latency = bd.latency + congestion * c.congestionLatencySecs;
      const seen = hist[Math.max(0, hist.length - 1 - Math.round(latency / c.stepSecs))];

      // Keeping: kick what has been unsafe for at least its latency, reset what has been due as long.
      if (c.keeper === "bidders") {
        for (const b of borrowers) {
          if (b.unsafeSince === null || b.triedAt === t || t - b.unsafeSince < latency) continue;
          const reward = kick(b, bd.kp, t);
          if (reward === null) continue;
          bidderKeeperRewards += reward;
          keeperFees += fee;
        }
        for (const a of live()) {
          if (a.dueSince === null || t - a.dueSince < latency) continue;
          const reward = reset(a, bd.kp, t);
          if (reward === null) continue;
          bidderKeeperRewards += reward;
          keeperFees += fee;
        }
        // Absorbs: an auction the backstop may take over (seen for the keeper's latency).
        for (const a of backstop && mid ? live() : []) {
          if (t - a.kickT < latency) continue;
          const pool = decodeBackstop(w.chain.data(backstop!)!);
          if (pool.debt.isZero()) break;
          const acc = decodeAuction(w.chain.data(a.addr)!);
          const check = {
            sinceKickSecs: nowBN.sub(acc.kickedAt),
            absorbAfterSecs: pool.params.absorbAfterSecs,
            lot: acc.lot,
            tab: acc.tab,
            price: mid!,
            nearBps: new BN(pool.params.absorbNearBps),
          };
          if (!absorbable(check)) continue;
          const res = w.chain.send(
            [
              absorbIx({
                ...w.ref,
                auction: a.addr,
                position: acc.position,
                kicker: acc.kicker,
                caller: bd.kp.publicKey,
                callerDebtAccount: w.ata(debtMint, bd.kp.publicKey),
                oracles: [w.oracle],
              }),
            ],
            [bd.kp],
          );
          if (!res.ok) continue;
          const ev = res.events.find((x) => x.name === "auctionAbsorbed")!;
          const owe = num(ev.data.owe, 1e6);
          absorbs++;
          absorbedDebt += owe;
          a.raised += owe;
          const reward = num(ev.data.reward, 1e6);
          keeperRewards += reward;
          bidderKeeperRewards += reward;
          keeperFees += fee;
          onEvents(res.events, t, acc.debt);
        }
      }

      // Takes: every live auction it has seen for its latency whose price is under its limit.
      const cands: { a: LiveAuction; disc: number }[] = [];
      for (const a of live()) {
        const acc = decodeAuction(w.chain.data(a.addr)!);
        if (Number(nowBN.sub(acc.tic).toString()) < latency || needsReset(m.params, acc, nowBN)) continue;
        const disc = 1 - usdOf(priceNow(acc)) / seen;
        if (disc >= bd.margin) cands.push({ a, disc });
      }
      if (bd.strategy === "best") cands.sort((x, y) => y.disc - x.disc);
      const dry =
        bd.strategy === "waiter" &&
        bidders.every((o, j) => j === k || num(w.balance(o.usdc), 1e6) < RIVAL_DRY_USD);
      for (const { a, disc } of cands) {
        const data = w.chain.data(a.addr);
        if (!data || data.length === 0) continue;
        const acc = decodeAuction(data);
        if (
          dry &&
          disc < bd.margin + c.waitBps / 10_000 &&
          !needsReset(m.params, acc, nowBN.addn(c.stepSecs))
        )
          continue;
        const price = priceNow(acc);
        let maxColl: BN;
        if (bd.flash) {
          const maxUsd = flashMaxUsd(c, usdOf(price), seen, bd.margin);
          if (maxUsd <= 0) continue;
          maxColl = BN.min(acc.lot, SOL(maxUsd / seen));
        } else maxColl = w.balance(bd.usdc).mul(PRICE_SCALE).div(price).subn(1);
        if (maxColl.lten(0)) continue;
        let q: TakeQuote;
        try {
          q = takeQuote(acc, maxColl, price, m.params.dust);
        } catch {
          maxColl = acc.lot; // a partial take would leave dust: try to take it all
          try {
            q = takeQuote(acc, maxColl, price, m.params.dust);
            if (!bd.flash && q.owe.gt(w.balance(bd.usdc))) continue;
          } catch {
            continue;
          }
        }
        const collQ = num(q.collateral, 1e9);
        const oweQ = num(q.owe, 1e6);
        // Costs: skip a take whose expected sale (at the price the bidder sees) does not cover it.
        if (saleUsd(c, collQ, seen, fee) <= oweQ) continue;
        const proceeds = Math.max(0, saleUsd(c, collQ, market, fee));
        const accounts = {
          ...w.ref,
          auction: a.addr,
          position: acc.position,
          kicker: acc.kicker,
          taker: bd.kp.publicKey,
          collateralDestination: bd.sol,
          debtSource: bd.usdc,
          oracles: takeOracles,
        };
        const limits = { maxCollateral: maxColl, maxPrice: price };
        let res;
        if (bd.flash && venue) {
          // The sale happens inside the transaction: a flash taker with no capital cannot pay more.
          if (proceeds < oweQ) continue;
          const swap = [
            createTransferInstruction(
              bd.sol,
              w.ata(collMint, venue.publicKey),
              bd.kp.publicKey,
              BigInt(q.collateral.toString()),
            ),
            createTransferInstruction(
              w.ata(debtMint, venue.publicKey),
              bd.usdc,
              venue.publicKey,
              BigInt(USDC(proceeds).toString()),
            ),
          ];
          res = w.chain.send(flashTakeIxs(accounts, limits, swap), [bd.kp, venue]);
        } else res = w.chain.send([takeIx(accounts, limits)], [bd.kp]);
        if (!res.ok) continue;
        const ev = res.events.find((e) => e.name === "auctionTaken")!;
        const coll = num(ev.data.collateral, 1e9);
        const owe = num(ev.data.owe, 1e6);
        const px = usdOf(ev.data.price);
        // Sell the collateral into the market: the price moves, proceeds return as USDC (later).
        if (!bd.flash) {
          if (c.recycleSecs === 0) w.fundDebt(bd.kp.publicKey, USDC(proceeds));
          else bd.pending.push([t + c.recycleSecs, proceeds]);
        }
        model.sell(coll, market);
        takes.push({
          auctionId: a.id,
          t,
          bidder: k,
          flash: bd.flash,
          priceUsd: px,
          oracleUsd: market,
          exoUsd: exo,
          discount: 1 - px / market,
          collateral: coll,
          owe,
          netProfitUsd: proceeds - owe,
        });
        a.takes++;
        a.takerSet.add(k);
        a.raised += owe;
        a.clearingPrices.push(px);
        a.w.add(coll, px, market, exo);
        onEvents(res.events, t, acc.debt);
      }

      // Second venue: the backstop pool's collateral at oracle × (1 − buy discount), bought like a
      // take (margin under the price seen, the sale must cover the payment; flash: sold in the same
      // transaction), so the pool's capital comes back as debt tokens it can absorb with again.
      const pool = backstop && mid ? decodeBackstop(w.chain.data(backstop)!) : null;
      const offer =
        pool && !pool.collateral.isZero() ? buyPrice(mid!, new BN(pool.params.buyDiscountBps)) : null;
      if (pool && offer && 1 - usdOf(offer) / seen >= bd.margin) {
        let maxColl: BN;
        if (bd.flash) maxColl = SOL(Math.max(0, flashMaxUsd(c, usdOf(offer), seen, bd.margin)) / seen);
        else maxColl = w.balance(bd.usdc).mul(PRICE_SCALE).div(offer).subn(1);
        const q = maxColl.gtn(0)
          ? buyQuote(maxColl, pool.collateral, mid!, new BN(pool.params.buyDiscountBps))
          : null;
        const collQ = q ? num(q.collateral, 1e9) : 0;
        const oweQ = q ? num(q.owe, 1e6) : 0;
        const proceeds = Math.max(0, saleUsd(c, collQ, market, fee));
        if (q && collQ > 0 && saleUsd(c, collQ, seen, fee) > oweQ && (!bd.flash || proceeds >= oweQ)) {
          const buy = buyFromBackstopIx(
            {
              ...w.ref,
              buyer: bd.kp.publicKey,
              buyerDebtAccount: bd.usdc,
              buyerCollateralAccount: bd.sol,
              oracles: [w.oracle],
            },
            { maxCollateral: q.collateral, maxPrice: q.price },
          );
          const res =
            bd.flash && venue
              ? w.chain.send(
                  [
                    createTransferInstruction(
                      w.ata(debtMint, venue.publicKey),
                      bd.usdc,
                      venue.publicKey,
                      BigInt(USDC(proceeds).toString()),
                    ),
                    buy,
                    createTransferInstruction(
                      bd.sol,
                      w.ata(collMint, venue.publicKey),
                      bd.kp.publicKey,
                      BigInt(q.collateral.toString()),
                    ),
                  ],
                  [bd.kp, venue],
                )
              : w.chain.send([buy], [bd.kp]);
          if (res.ok) {
            const ev = res.events.find((e) => e.name === "backstopCollateralBought");
            const coll = ev ? num(ev.data.collateral, 1e9) : collQ;
            const owe = ev ? num(ev.data.owe, 1e6) : oweQ;
            if (!bd.flash) {
              if (c.recycleSecs === 0) w.fundDebt(bd.kp.publicKey, USDC(proceeds));
              else bd.pending.push([t + c.recycleSecs, proceeds]);
            }
            model.sell(coll, market);
            backstopBuys++;
            backstopSoldUsd += owe;
          }
        }
      }
    }
    if (c.checkInvariants) {
      w.assertVaultsMatchAccounting();
      if (backstop) assertPoolVaults(w, backstop);
      invariantChecks++;
    }
    if (c.progressSecs > 0 && t % c.progressSecs < c.stepSecs) {
      c.log(
        `t=${(t / 3600).toFixed(2)}h market=$${market.toFixed(2)} auctions=${auctions.size} live=${live().length} takes=${takes.length}`,
      );
    }
    if (i >= path.length && live().length === 0) break;
  }

  // Runners still waiting when the run ends: one more attempt once their cooldowns have ended.
  const waits = runners
    .filter((d) => d.requested && !d.paid)
    .map((d) => decodeBackstopDepositor(w.chain.data(d.account)!).withdrawAt.toNumber() - Number(w.now));
  if (waits.length > 0) {
    const wait = Math.max(0, ...waits);
    w.warp(wait);
    withdrawRun(lastT + wait, lastMarket);
  }
  // A last funding call, so the income measured is all the funding the market could pay by now.
  fund();
  let shortfallAtEnd = 0;
  for (const a of live()) {
    const data = w.chain.data(a.addr);
    if (!data || data.length === 0) continue;
    const acc = decodeAuction(data);
    shortfallAtEnd += Math.max(0, num(acc.tab, 1e6) - num(acc.lot, 1e9) * lastMarket);
  }
  const poolEnd = backstop ? decodeBackstop(w.chain.data(backstop)!) : null;
  const poolPnl = poolEnd
    ? num(poolEnd.debt, 1e6) +
      (num(poolEnd.collateral, 1e9) + runWithdrawnColl) * lastMarket +
      runWithdrawnDebtUsd -
      c.mechanism.backstopUsd
    : 0;
  const rate = w.market().rate;
  for (const b of borrowers) {
    const pos = position(b);
    if (!pos || pos.art.isZero()) continue;
    const debt = num(debtFromArt(pos.art, rate)!, 1e6);
    shortfallAtEnd += Math.max(0, debt - num(pos.ink, 1e9) * lastMarket);
  }
  const recs: AuctionRecord[] = [...auctions.values()].map((a) => ({
    id: a.id,
    kickT: a.kickT,
    settleT: a.settleT,
    duration: a.duration,
    debt: a.debt,
    tab: a.tab,
    lot: a.lot,
    raised: a.raised,
    badDebt: a.badDebt,
    returned: a.returned,
    resets: a.resets,
    takes: a.takes,
    takers: a.takerSet.size,
    clearingPrices: a.clearingPrices,
    discount: a.w.coll > 0 ? a.w.post / a.w.coll : null,
    discountPreImpact: a.w.coll > 0 ? a.w.pre / a.w.coll : null,
  }));
  // Debt that went back to a position is not liquidated by that auction (its next kick counts it).
  const liquidated = recs.reduce((s, a) => s + a.debt - a.returned, 0);
  const realized = recs.reduce((s, a) => s + a.badDebt, 0);
  const discs = recs.filter((a) => a.discount !== null).map((a) => a.discount as number);
  const pre = recs.filter((a) => a.discountPreImpact !== null).map((a) => a.discountPreImpact as number);
  const durs = recs.filter((a) => a.duration !== null).map((a) => a.duration as number);
  const mean = (xs: number[]): number => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
  const penalty = recs.reduce((s, a) => s + Math.max(0, a.raised - (a.debt - a.returned)), 0);
  const discountCost = takes.reduce((s, x) => s + x.collateral * x.oracleUsd - x.owe, 0);
  const summary: Summary = {
    ...sideSummary({
      liquidations: recs.length,
      liquidated,
      collateralSold: takes.reduce((s, x) => s + x.collateral, 0),
      realized,
      shortfall: shortfallAtEnd,
      discounts: discs,
      preImpact: pre,
      penalty,
      discountCost,
      netProfit: takes.reduce((s, x) => s + x.netProfitUsd, 0) + bidderKeeperRewards - keeperFees,
      maxImpact: model.maxImpact,
      minPrice: model.minPrice,
    }),
    auctions: recs.length,
    settled: durs.length,
    takesPerAuction: mean(recs.map((a) => a.takes)),
    takersPerAuction: mean(recs.map((a) => a.takers)),
    multiTakeShare: mean(recs.map((a) => (a.takes > 1 ? 1 : 0))),
    flashTakes: takes.filter((x) => x.flash).length,
    durationMedianSecs: quantile(durs, 0.5),
    kicks,
    absorbs,
    absorbedDebt: round(absorbedDebt),
    absorbedShare: liquidated > 0 ? absorbedDebt / liquidated : 0,
    backstopBuys,
    backstopSoldUsd: round(backstopSoldUsd),
    backstopPnlUsd: round(poolPnl),
    backstopIncomeUsd: round(fundedUsd),
    backstopLossUsd: round(fundedUsd - poolPnl),
    backstopDueAtEndUsd: round(num(w.market().backstopDue, 1e6)),
    fundCalls,
    fundRefused,
    lpPnlUsd: round(lpValue() - lpStart),
    insuranceChangeUsd: round(num(w.market().insurance, 1e6) - insuranceStart),
    runRequests: runners.filter((d) => d.requested).length,
    runRequestT,
    runRequestedUsd: round(runRequestedUsd),
    runWithdrawnUsd: round(runWithdrawnUsd),
    runWithdrawnFirstT,
    runWithdrawnLastT,
    runRefused,
    partialKicks,
    kickSizeChecks,
    kickSizeMismatches,
    resets,
    keeperRewards: round(keeperRewards),
    keeperFees: round(keeperFees),
    kickWaitMedianSecs: quantile(kickWaits, 0.5),
    kickWaitMaxSecs: kickWaits.length ? Math.max(...kickWaits) : 0,
    lpLoss: round(lpLoss),
    insuranceUsed: round(insuranceUsed),
    invariantChecks,
  };
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { log, ...config } = c;
  const base = baseline(c, path, book, params, schedule);
  return {
    config,
    summary,
    baseline: base.summary,
    auctions: recs,
    takes,
    path: outPath,
    baselineLiquidations: base.liquidations,
    baselinePath: base.path,
  };
}

/** One step of the bidder population: the order they act in and who is online (from runSim). */
export interface BidderStep {
  order: number[];
  online: boolean[];
}

export interface BaselineRun {
  summary: BaselineSummary;
  liquidations: RunResult["baselineLiquidations"];
  /** Its market price at each step. */
  path: number[];
}

/**
 * Fixed-bonus baseline (Compound/Aave style): an off-chain model of the same borrower book on the
 * same exogenous path, with its own market (the same impact model fed by its own sales, since it is
 * the counterfactual where this protocol liquidates instead of Gavel). A position is unsafe when
 * debt > collateral × oracle × liquidation LTV; a liquidation repays up to 50% of its debt (all of
 * it under 20 USDC) and hands the liquidator collateral worth repay × 1.05 at the oracle it posts.
 *
 * It is done by the same bidder population as Gavel's, facing the same frictions and the same
 * decision: each bidder i has its own `bidderCapitalUsd` (flash bidders need none: their repayment is
 * capped by the sale the market's depth and slippage allow at their margin), proceeds back after
 * `recycleSecs`, the same latency (latency × (i + 1) + congestion extra; it acts on a position only
 * once it has been unsafe that long, like a Gavel bidder kicking, and judges by the market that long
 * ago), the same margin (the price it pays per unit of collateral, oracle / 1.05, must be at most
 * seen × (1 − margin_i)) and the same cost check (the sale at the seen price, net of slippage, own
 * impact and the step's fees, must exceed the repayment). With `oracleLag` it posts the lowest price
 * within max_age, as Gavel's kickers do. Strategies change nothing here: the bonus is fixed, so there
 * is no better auction to pick and nothing to wait for. Offline bidders and the order of bidders come
 * from `schedule` (runSim's own draws) and, past it, from a seeded draw with the same offline model.
 * It runs over the path and the same drain at the last exogenous price as the Gavel run.
 */
export function baseline(
  c: SimConfig,
  path: PathPoint[],
  book: { sol: number; usdc: number }[],
  params: MarketParams,
  schedule: BidderStep[] = [],
): BaselineRun {
  const r = rng(c.seed * 31 + 5);
  const pos = book.map((b) => ({
    coll: b.sol,
    debt: b.usdc,
    unsafeSince: null as number | null,
    w: new Weighted(),
  }));
  const liqLtv = params.liquidationLtvBps / 10_000;
  const maxAgeSecs = params.maxAgeSecs.toNumber();
  const bidders = bidderTraits(c).map((tr) => ({
    ...tr,
    cash: c.bidderCapitalUsd,
    pending: [] as [number, number][],
  }));
  const unsafe = (p: { coll: number; debt: number }, px: number): boolean =>
    p.debt > 0 && p.coll > 0 && p.debt > p.coll * px * liqLtv;
  const steps = path.length + Math.ceil(c.drainSecs / c.stepSecs);
  const hist: number[] = [];
  const liqs: BaselineRun["liquidations"] = [];
  const model = new ImpactModel(c);
  let liquidated = 0;
  let collSold = 0;
  let discountCost = 0;
  let profit = 0;
  let bad = 0;
  let capitalSkips = 0;
  let costSkips = 0;
  let maxLtv = 0;
  const waits: number[] = [];
  let market = c.startUsd;
  for (let i = 0; i < steps; i++) {
    const pt = path[Math.min(i, path.length - 1)];
    const t = i * c.stepSecs;
    const congestion = i < path.length ? pt.congestion : 0;
    const exo = pt.usd;
    market = model.step(exo);
    hist.push(market);
    const posted = postedPrice(c, hist, maxAgeSecs).usd;
    for (const p of pos) {
      p.unsafeSince = unsafe(p, posted) ? (p.unsafeSince ?? t) : null;
      if (p.debt > 0 && p.coll > 0) maxLtv = Math.max(maxLtv, p.debt / (p.coll * market));
    }
    const fee = feeUsd(c, congestion);
    const drawn = i < schedule.length ? schedule[i] : null;
    const order = drawn ? drawn.order : bidders.map((_, k) => k).sort(() => r() - 0.5);
    for (const k of order) {
      const bd = bidders[k];
      for (const [, usd] of bd.pending.filter(([at]) => at <= t)) bd.cash += usd;
      bd.pending = bd.pending.filter(([at]) => at > t);
      const online = drawn ? drawn.online[k] : r() >= c.offlineShare + congestion * c.congestionOffline;
      if (!online) continue;
      const latency = bd.latency + congestion * c.congestionLatencySecs;
      const seen = hist[Math.max(0, hist.length - 1 - Math.round(latency / c.stepSecs))];
      const paidPerSol = posted / BASELINE_BONUS;
      for (const p of pos) {
        if (p.unsafeSince === null || t - p.unsafeSince < latency || !unsafe(p, posted)) continue;
        let repay = p.debt > 20 ? p.debt * BASELINE_CLOSE_FACTOR : p.debt;
        if (bd.flash) {
          const maxUsd = flashMaxUsd(c, paidPerSol, seen, bd.margin);
          repay = Math.min(repay, Math.max(0, (maxUsd * posted) / (BASELINE_BONUS * seen)));
        } else {
          if (bd.cash < 1) {
            capitalSkips++;
            continue;
          }
          repay = Math.min(repay, bd.cash);
        }
        let seize = (repay * BASELINE_BONUS) / posted;
        if (seize > p.coll) {
          seize = p.coll;
          repay = (p.coll * posted) / BASELINE_BONUS;
        }
        const proceeds = Math.max(0, saleUsd(c, seize, market, fee));
        // The Gavel bidders' decision: margin under the price seen, and the sale must cover the cost
        // (for a flash liquidator, the sale in the same transaction must actually cover it).
        if (
          repay <= 0 ||
          paidPerSol > seen * (1 - bd.margin) ||
          saleUsd(c, seize, seen, fee) <= repay ||
          (bd.flash && proceeds < repay)
        ) {
          costSkips++;
          continue;
        }
        if (bd.flash) bd.cash += proceeds - repay;
        else {
          bd.cash -= repay;
          if (c.recycleSecs === 0) bd.cash += proceeds;
          else bd.pending.push([t + c.recycleSecs, proceeds]);
        }
        p.debt -= repay;
        p.coll -= seize;
        liquidated += repay;
        collSold += seize;
        discountCost += seize * market - repay;
        profit += proceeds - repay;
        waits.push(t - p.unsafeSince);
        p.w.add(seize, paidPerSol, market, exo);
        liqs.push({ t, priceUsd: paidPerSol, collateral: seize });
        model.sell(seize, market);
        if (p.coll <= 1e-9 && p.debt > 0) {
          bad += p.debt;
          p.debt = 0;
        }
        if (!unsafe(p, posted)) p.unsafeSince = null;
      }
    }
  }
  let left = 0;
  let unsafeDebt = 0;
  let shortfall = 0;
  for (const p of pos) {
    if (p.debt > p.coll * market) shortfall += p.debt - p.coll * market;
    if (unsafe(p, market)) {
      left++;
      unsafeDebt += p.debt;
    }
  }
  const hit = pos.filter((p) => p.w.coll > 0);
  const discs = hit.map((p) => p.w.post / p.w.coll);
  const pre = hit.map((p) => p.w.pre / p.w.coll);
  return {
    summary: {
      ...sideSummary({
        liquidations: liqs.length,
        liquidated,
        collateralSold: collSold,
        realized: bad,
        shortfall,
        discounts: discs,
        preImpact: pre,
        penalty: 0,
        discountCost,
        netProfit: profit,
        maxImpact: model.maxImpact,
        minPrice: model.minPrice,
      }),
      leftUnliquidated: left,
      unsafeDebtAtEnd: round(unsafeDebt),
      capitalSkips,
      costSkips,
      waitMedianSecs: quantile(waits, 0.5),
      waitMaxSecs: waits.length ? Math.max(...waits) : 0,
      maxLtv,
    },
    liquidations: liqs,
    path: hist,
  };
}

/** The backstop's vaults hold what its accounting says: debt tokens + warming deposits, collateral. */
function assertPoolVaults(w: SimWorld, backstop: PublicKey): void {
  const pool = decodeBackstop(w.chain.data(backstop)!);
  const debt = w.balance(pool.debtVault);
  if (!debt.eq(pool.debt.add(pool.warming)))
    throw new Error(`backstop debt vault ${debt} != debt ${pool.debt} + warming ${pool.warming}`);
  const coll = w.balance(pool.collateralVault);
  if (!coll.eq(pool.collateral)) throw new Error(`backstop collateral vault ${coll} != ${pool.collateral}`);
}

/**
 * What the dashboard server (app/web/server.ts) sends the page: a snapshot of the chain every
 * poll and each take as it happens. Amounts are human units (decimals applied) as numbers — for
 * display only; the server computed them with the SDK's exact math. Prices are debt tokens per
 * collateral token. Times are unix seconds of the chain's clock unless named `...Ms`.
 */

import type { MarketParams } from "../../../sdk/src/types";

/**
 * A market's risk parameters, human units: the basis-point parameters as the SDK's
 * {@link MarketParams} holds them, amounts and durations as numbers.
 */
export interface ParamsView extends Pick<
  MarketParams,
  "maxLtvBps" | "liquidationLtvBps" | "chopBps" | "bufBps" | "cuspBps" | "chipBps" | "maxConfBps"
> {
  tip: number;
  tailSecs: number;
  hole: number;
  dust: number;
  /** Borrow rate compounded over a year (0.05 = 5%). */
  borrowApy: number;
  maxAgeSecs: number;
  /** LP withdrawal cooldown: seconds from `request_withdrawal` to the first claim. */
  withdrawCooldownSecs: number;
  /** The auction curve in words, e.g. "exponential, −0.50%/s". */
  curve: string;
}

/** One bucket of the LTV histogram (loan-to-value at the oracle price). */
export interface LtvBucket {
  fromBps: number;
  toBps: number;
  count: number;
}

/** A borrower's position, valued at the oracle price. */
export interface PositionView {
  address: string;
  owner: string;
  collateral: number;
  debt: number;
  ltvBps: number;
  /** ltv / liquidation LTV: ≥ 1 is kickable. */
  health: number;
  /** Live auctions of this position. */
  auctions: number;
}

export interface MarketView {
  address: string;
  collateralMint: string;
  debtMint: string;
  collateralSymbol: string;
  debtSymbol: string;
  /** Oracle mid price (null without a usable price). */
  oraclePrice: number | null;
  oracleConfBps: number | null;
  /** Chain time − publish time of the oracle price. */
  oracleAgeSecs: number | null;
  params: ParamsView;
  cash: number;
  insurance: number;
  totalDebt: number;
  /** Cash + debt + auction debt: what LP shares are worth in total. */
  poolValue: number;
  /** Debt tokens per LP share at the pool value (deposits) and at the withdrawal value (live
   * auctions' debt counted only up to the insurance fund); null before the first deposit. */
  sharePrice: number | null;
  withdrawalSharePrice: number | null;
  utilization: number;
  /** Debt + penalty being raised by live auctions, vs the `hole` cap. */
  dirt: number;
  auctionDebt: number;
  collateralTotal: number;
  auctionCount: number;
  positionCount: number;
  borrowerCount: number;
  ltvHistogram: LtvBucket[];
  /** Positions with debt, riskiest first (at most 10). */
  nearLiquidation: PositionView[];
  /** The market's backstop pool; null when it has none. */
  backstop: BackstopView | null;
}

/** A sample of a backstop pool's history (chain time). */
export interface PoolPoint {
  t: number;
  /** Debt tokens + collateral at the oracle. */
  size: number;
  /** Pool size per share (debt tokens); null without shares or price. */
  shareValue: number | null;
}

/** A market's backstop pool: its basket valued at the oracle, shares, funding and history. */
export interface BackstopView {
  address: string;
  /** Debt tokens that belong to the shares. */
  debt: number;
  /** Absorbed collateral the pool holds now (not sold back yet). */
  collateral: number;
  /** That collateral at the oracle price (null without a price). */
  collateralValue: number | null;
  /** Debt + collateral value: what the shares are worth (null without a price). */
  size: number | null;
  totalShares: number;
  /** Size per share (null without shares or price). */
  shareValue: number | null;
  /** Deposits still warming up (not shares yet). */
  warming: number;
  /** Funding the market owes the pool (interest and penalty shares), not moved in yet. */
  fundingDue: number;
  /** Absorbs this dashboard has seen (live or replayed) and the collateral they bought. */
  absorbs: number;
  absorbedCollateral: number;
  /** Samples since the dashboard started, oldest first. */
  history: PoolPoint[];
}

/** A point of an auction's price curve, `t` seconds after its start (`tic`). */
export interface CurvePoint {
  t: number;
  price: number;
}

export interface AuctionView {
  address: string;
  market: string;
  id: number;
  owner: string;
  kicker: string;
  /** Debt + penalty still to raise, and at the kick. */
  tab: number;
  initialTab: number;
  /** Collateral left, and at the kick. */
  lot: number;
  initialLot: number;
  top: number;
  /** Start of the current curve. */
  tic: number;
  elapsedSecs: number;
  /** Price now on the curve. */
  price: number;
  oraclePrice: number | null;
  /** Why a reset is due (none: takeable). */
  reset: "tail" | "cusp" | null;
  tailSecs: number;
  /** Maker mode: the price below which a reset is due. */
  cuspPrice: number;
  /** Engine v2: the price follows the live oracle less a growing discount. */
  anchored: boolean;
  /** Anchored: the discount now (bps), and its bound `d_max` fixed at the kick or reset. */
  discountBps: number | null;
  dMaxBps: number | null;
  /** Anchored: the lowest price at today's oracle, oracle × (1 − d_max). */
  boundPrice: number | null;
  /** The whole curve from `tic` to the tail or just below the cusp (past and projected). */
  curve: CurvePoint[];
  /** Takes of this auction on the current curve. */
  takes: CurvePoint[];
}

export interface TakeView {
  /** `<signature>:<index>`: unique per event. */
  key: string;
  signature: string;
  slot: number;
  market: string;
  auction: string;
  id: number;
  taker: string;
  price: number;
  collateral: number;
  owe: number;
  tabLeft: number;
  lotLeft: number;
  time: number;
  /** Oracle price the discount is measured against, and where it came from. */
  oraclePrice: number | null;
  oracleSource: "take" | "kick" | null;
  /** 1 − price / oracle (negative: above the oracle). */
  discount: number | null;
}

export interface SettledView {
  key: string;
  signature: string;
  market: string;
  auction: string;
  id: number;
  /** Tab raised in full, collateral exhausted first (bad debt), or cancelled by the admin. */
  reason: "raised" | "exhausted" | "cancelled" | "unknown";
  /**
   * How it was priced, from its `AuctionStarted` event (null when the kick was not seen): the
   * Maker curve or anchored to the oracle, with the `d_max` of its last kick or reset.
   */
  mode: "maker" | "anchored" | null;
  dMaxBps: number | null;
  raised: number;
  returnedCollateral: number;
  badDebt: number;
  time: number;
  takes: number;
  durationSecs: number | null;
  /** Volume-weighted take price vs volume-weighted oracle (at take, else at kick). */
  discount: number | null;
}

export interface Snapshot {
  rpc: string;
  /** Wall-clock time of the snapshot (ms). */
  updatedAtMs: number;
  /** How long the last successful read of the chain took (ms). */
  readMs: number;
  /** Last RPC failure (the page keeps showing the previous data), or null. */
  error: string | null;
  slot: number;
  chainTime: number;
  /** Null until Gavel's Config exists on this chain. */
  stop: number | null;
  programId: string;
  markets: MarketView[];
  auctions: AuctionView[];
  /** Newest first. */
  takes: TakeView[];
  /** Newest first. */
  settled: SettledView[];
}

/** Messages on the `/live` websocket. */
export type ServerMessage = { type: "snapshot"; snapshot: Snapshot } | { type: "take"; take: TakeView };

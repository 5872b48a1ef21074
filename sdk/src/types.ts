/**
 * TypeScript shapes of the program's Borsh types, camelCase as Anchor decodes them.
 * @module
 */
import BN from "bn.js";
import { PublicKey } from "@solana/web3.js";
import { OracleKind } from "./oracle";

/** Auction price curve (`cut` on `CUT_SCALE` = 1e18), as Anchor encodes/decodes the enum. */
export type Curve =
  { linear: { tauSecs: BN } } | { stairstepExp: { stepSecs: BN; cut: BN } } | { exp: { cut: BN } };

/** Everything the admin sets on a market (`MarketParams`). */
export interface MarketParams {
  maxLtvBps: number;
  liquidationLtvBps: number;
  chopBps: number;
  bufBps: number;
  cuspBps: number;
  chipBps: number;
  tip: BN;
  tailSecs: BN;
  hole: BN;
  dust: BN;
  borrowRatePerSecWad: BN;
  oracleProgram: PublicKey;
  collateralOracleKind: OracleKind;
  collateralOracle: PublicKey;
  debtOracleKind: OracleKind;
  /** `PublicKey.default` = no debt oracle (debt token worth 1 USD). */
  debtOracle: PublicKey;
  maxAgeSecs: BN;
  maxAgeSlots: BN;
  maxConfBps: number;
  curve: Curve;
  /** Seconds between `request_withdrawal` and its first claim (60 s to 7 days; e.g. 3,600). */
  withdrawCooldownSecs: BN;
  /** {@link PriceMode.Maker} (the `curve` from `top`) or {@link PriceMode.Anchored} (oracle × (1 − d)). */
  priceMode: PriceMode;
  /** Anchored mode: discount at the kick and after a reset (`d_start`). */
  anchorStartBps: number;
  /** Anchored mode: discount growth per minute (`d_rate`). */
  anchorRateBpsPerMin: number;
  /** Largest discount of a position kicked at exactly the liquidation LTV; +1 point per point of LTV above. */
  anchorMaxBaseBps: number;
  /** Largest discount of any auction. */
  anchorMaxCapBps: number;
  /** Partial kicks bring the position back to this LTV; 0 = whole positions. */
  kickTargetLtvBps: number;
  /** Partial kicks: at or above this LTV the whole position is kicked. */
  kickFullLtvBps: number;
  /**
   * Share of borrow interest owed to the market's backstop pool instead of the LPs (≤ 5,000;
   * omitted = 0, no funding). Decoded markets always have it.
   */
  backstopInterestShareBps?: number;
  /** Share of each liquidation penalty owed to the backstop pool instead of the insurance fund (≤ 5,000; omitted = 0). */
  backstopPenaltyShareBps?: number;
}

/**
 * `params` with the optional backstop funding shares filled in (0 when omitted), as the program's
 * Borsh layout needs every field.
 */
export function withFundingDefaults(params: MarketParams): Required<MarketParams> {
  return {
    ...params,
    backstopInterestShareBps: params.backstopInterestShareBps ?? 0,
    backstopPenaltyShareBps: params.backstopPenaltyShareBps ?? 0,
  };
}

/** How a market's auctions are priced (the `price_mode` u8 of `MarketParams` and `Auction`). */
export enum PriceMode {
  /** Maker's price curve falling from `top` (the original engine). */
  Maker = 0,
  /** The price follows the live oracle minus a growing, bounded discount (engine v2). */
  Anchored = 1,
}

/** `price_mode` 0: {@link PriceMode.Maker}. */
export const PRICE_MODE_MAKER = PriceMode.Maker;
/** `price_mode` 1: {@link PriceMode.Anchored}. */
export const PRICE_MODE_ANCHORED = PriceMode.Anchored;

/** The engine v2 parameters of a market. */
export type EngineParams = Pick<
  MarketParams,
  | "priceMode"
  | "anchorStartBps"
  | "anchorRateBpsPerMin"
  | "anchorMaxBaseBps"
  | "anchorMaxCapBps"
  | "kickTargetLtvBps"
  | "kickFullLtvBps"
>;

/** Engine v2 parameters of a market that keeps the original engine: Maker curve, whole positions. */
export const MAKER_ENGINE: Readonly<EngineParams> = Object.freeze({
  priceMode: PRICE_MODE_MAKER,
  anchorStartBps: 0,
  anchorRateBpsPerMin: 0,
  anchorMaxBaseBps: 0,
  anchorMaxCapBps: 0,
  kickTargetLtvBps: 0,
  kickFullLtvBps: 0,
});

/**
 * Engine v2 defaults (docs/parameters.md, "Liquidation engine v2"), calibrated with the simulator (app/sim/REPORT.md,
 * "This round"): the anchored price starts at the live oracle (d_start 0) and its discount grows
 * 0.1 % a minute up to d_max = 3 % + the LTV's excess over the liquidation LTV, capped at 3 % (so 3 %
 * for every auction at these defaults); partial kicks back to 70 % LTV, whole positions from 90 %.
 * The 3 % cap: since a partial auction whose lot runs out gives its unraised debt back to the
 * position, the lot needs no deep-discount buffer, and every point of discount is collateral the
 * borrower loses and bidder capital that retires no debt (harsh, $2k per bidder: bad debt 4.4–5.5 %
 * with the cap vs 5.6–7.1 % at 8 %, baseline 7.0–8.5 %). A slow d_rate lets the first bidder whose
 * costs are covered take close to its reservation price. The one place apps, tests, the simulator
 * and the bench take them from; tests' `defaultParams` keeps the original engine so the specs
 * written for it stay valid.
 */
export const V2_ENGINE: Readonly<EngineParams> = Object.freeze({
  priceMode: PRICE_MODE_ANCHORED,
  anchorStartBps: 0,
  anchorRateBpsPerMin: 10,
  anchorMaxBaseBps: 300,
  anchorMaxCapBps: 300,
  kickTargetLtvBps: 7_000,
  kickFullLtvBps: 9_000,
});

/**
 * Engine v2's liquidation penalty (`chop_bps`; Maker mode's default stays 10 %), calibrated with the
 * simulator (app/sim/REPORT.md, "This round"): the penalty is paid by the bidder in debt tokens, so
 * each point of it is bidder capital that retires no debt; since a partial auction whose lot runs
 * out gives its unraised debt back to the position, the lot no longer needs the penalty as a buffer.
 */
export const V2_CHOP_BPS = 300;

/** Everything the admin sets on a backstop pool (`BackstopParams`). */
export interface BackstopParams {
  /** An auction may be absorbed this long after its kick ... */
  absorbAfterSecs: BN;
  /** ... or once its lot at the oracle is worth at most `tab × (1 + near)`. */
  absorbNearBps: number;
  /** `buy_from_backstop` sells at oracle × (1 − discount). */
  buyDiscountBps: number;
  /** A withdrawal request is paid this long after it was made. */
  withdrawCooldownSecs: BN;
  /** A deposit becomes shares this long after it was made (> 0). */
  warmupSecs: BN;
}

/**
 * Backstop pool defaults, calibrated with the simulator (app/sim/REPORT.md, "This round"): absorb an
 * auction still open 30 minutes after its kick (its discount has had time to reach d_max) or whose
 * lot is worth at most its tab (it can no longer raise it: near 0; at 5 % every partial auction,
 * sized to raise its tab at a d_max of 3 % or more, was absorbable at its kick and the pool
 * pre-empted the bidders); sell the pool's collateral at the oracle less 3 % (enough for bidders
 * with a 1–3 % margin and 1 % sale costs to buy it, so the pool's capital recycles during a crash);
 * one-hour withdrawal cooldown, ten-minute warm-up.
 */
export const BACKSTOP_DEFAULTS: Readonly<BackstopParams> = Object.freeze({
  absorbAfterSecs: new BN(1_800),
  absorbNearBps: 0,
  buyDiscountBps: 300,
  withdrawCooldownSecs: new BN(3_600),
  warmupSecs: new BN(600),
});

/**
 * TypeScript shapes of the program's Borsh types, camelCase as Anchor decodes them: `MarketParams`,
 * `BackstopParams`, `Curve` and `withFundingDefaults` are generated from the program's layout table
 * (programs/gavel/layouts.js → sdk/src/generated/types.ts); the price modes and the engine and
 * backstop defaults are here.
 * @module
 */
import BN from "bn.js";
import type { BackstopParams, MarketParams } from "./generated/types";

export * from "./generated/types";

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

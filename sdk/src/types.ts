/**
 * TypeScript shapes of the program's Borsh types, camelCase as Anchor decodes them.
 * @module
 */
import BN from "bn.js";
import { PublicKey } from "@solana/web3.js";

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
  collateralOracleKind: number;
  collateralOracle: PublicKey;
  debtOracleKind: number;
  /** `PublicKey.default` = no debt oracle (debt token worth 1 USD). */
  debtOracle: PublicKey;
  maxAgeSecs: BN;
  maxAgeSlots: BN;
  maxConfBps: number;
  curve: Curve;
}

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

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
  /** Seconds between `request_withdrawal` and its first claim (60 s to 7 days; e.g. 3,600). */
  withdrawCooldownSecs: BN;
}

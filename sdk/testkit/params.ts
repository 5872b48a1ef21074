/**
 * Market parameters shared by the apps (simulator, demo, benchmark) and the specs: one copy of
 * the defaults, owned here rather than by the tests.
 */
import BN from "bn.js";
import { PublicKey } from "@solana/web3.js";
import {
  MAKER_ENGINE,
  MarketParams,
  OracleKind,
  PYTH_LEGACY_PROGRAM_ID,
  PYTH_RECEIVER_PROGRAM_ID,
  V2_CHOP_BPS,
  V2_ENGINE,
} from "../src";

/** 5% a year, compounding per second, on WAD: ln(1.05) / 31_536_000 × 1e18. */
export const RATE_5_PCT_APY_WAD = new BN("1547125957");

/**
 * LP withdrawal cooldown of the test markets: one hour, far above the seconds a keeper takes to
 * kick an unsafe position (THREAT_MODEL.md, "LP run-ahead").
 */
export const WITHDRAW_COOLDOWN_SECS = 3_600;

/** Market parameters close to Maker ETH-A, scaled to USDC (6 decimals). */
export function defaultParams(oracle: PublicKey, kind = OracleKind.PythLegacy): MarketParams {
  return {
    maxLtvBps: 7_000,
    liquidationLtvBps: 8_000,
    chopBps: 1_000,
    bufBps: 12_000,
    cuspBps: 4_500,
    chipBps: 10,
    tip: new BN(5_000_000),
    tailSecs: new BN(7_200),
    hole: new BN(1_000_000_000_000),
    dust: new BN(10_000_000),
    borrowRatePerSecWad: RATE_5_PCT_APY_WAD,
    oracleProgram: kind === OracleKind.PythLegacy ? PYTH_LEGACY_PROGRAM_ID : PYTH_RECEIVER_PROGRAM_ID,
    collateralOracleKind: kind,
    collateralOracle: oracle,
    debtOracleKind: 0,
    debtOracle: PublicKey.default,
    maxAgeSecs: new BN(60),
    maxAgeSlots: new BN(0),
    maxConfBps: 200,
    curve: { stairstepExp: { stepSecs: new BN(90), cut: new BN("990000000000000000") } },
    withdrawCooldownSecs: new BN(WITHDRAW_COOLDOWN_SECS),
    ...MAKER_ENGINE,
  };
}

/** {@link defaultParams} with the engine v2 defaults ({@link V2_ENGINE}, {@link V2_CHOP_BPS}). */
export function v2Params(oracle: PublicKey, kind = OracleKind.PythLegacy): MarketParams {
  return { ...defaultParams(oracle, kind), ...V2_ENGINE, chopBps: V2_CHOP_BPS };
}

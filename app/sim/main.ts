/**
 * CLI of the calibration simulator; `--help` lists every flag. Flags apply on top of the `--stress`
 * preset whatever their order.
 */
import BN from "bn.js";
import * as path from "path";
import { BackstopParams, Curve, MarketParams } from "../../sdk/src";
import {
  defaultConfig,
  KICK_MODES,
  KickMode,
  makePath,
  PRICE_MODES,
  PriceMode,
  RunResult,
  runSim,
  Scenario,
  SCENARIOS,
  SimConfig,
  STRATEGIES,
  Strategy,
  Stress,
} from "./engine";
import { SweepPoint, writeOutputs } from "./output";

type NumKey = { [K in keyof SimConfig]: SimConfig[K] extends number ? K : never }[keyof SimConfig];

/** Numeric knobs of the simulation: flag, config key, bounds, integer-only, what it is. */
export const KNOBS: [string, NumKey, number, number, boolean, string][] = [
  ["--seed", "seed", 0, 2 ** 31, true, "seed of the path, book and bidders"],
  ["--borrowers", "borrowers", 1, 500, true, "borrowers (10..200 SOL, LTV 55..69% at the start)"],
  ["--bidders", "bidders", 0, 50, true, "bidders"],
  ["--hours", "hours", 1, 240, true, "simulated hours of the price path"],
  ["--step", "stepSecs", 1, 3600, true, "seconds per step"],
  ["--drain", "drainSecs", 0, 86_400, true, "seconds run on after the path at its last price"],
  ["--start-price", "startUsd", 1, 1e6, false, "start price, USD per SOL"],
  ["--depth", "depthUsd", 1_000, 1e12, false, "market depth, USD: a sale of v moves the price by v / depth"],
  ["--impact-half-life", "impactHalfLifeSecs", 1, 1e6, false, "half-life (s) of the price impact"],
  ["--capital", "bidderCapitalUsd", 0, 1e12, false, "USDC per bidder"],
  ["--recycle", "recycleSecs", 0, 86_400, true, "seconds before sale proceeds can be bid again"],
  ["--latency", "latencySecs", 0, 3600, false, "base latency (s); bidder i waits latency × (i + 1)"],
  ["--margin", "marginBps", 0, 9_999, false, "margin (bps) under the oracle of bidder 0"],
  ["--margin-step", "marginStepBps", 0, 9_999, false, "extra margin (bps) per further bidder"],
  ["--offline", "offlineShare", 0, 1, false, "share of steps a bidder is offline when calm"],
  ["--congestion-offline", "congestionOffline", 0, 1, false, "extra offline share at full congestion"],
  ["--congestion-latency", "congestionLatencySecs", 0, 3600, false, "extra latency (s) at full congestion"],
  ["--tx-fee", "txFeeUsd", 0, 1e6, false, "transaction fee per take, USD"],
  ["--priority-fee", "priorityFeeUsd", 0, 1e6, false, "priority fee per take, USD"],
  ["--congestion-fee", "congestionPriorityFeeUsd", 0, 1e6, false, "extra priority fee at full congestion"],
  ["--slippage", "slippageBps", 0, 9_999, false, "sale cost (bps) on top of the seller's own impact"],
  [
    "--flash-share",
    "flashShare",
    0,
    1,
    false,
    "share of bidders taking with no capital (flash, depth-bound)",
  ],
  ["--wait", "waitBps", 0, 9_999, false, "extra discount (bps) a waiter holds out for when rivals are dry"],
  [
    "--fund-every",
    "fundEverySecs",
    1,
    86_400,
    true,
    "backstop: seconds between fund_backstop calls (also before each depositor withdrawal)",
  ],
];

/** The program's bound on either backstop funding share (`MAX_BACKSTOP_SHARE_BPS`, state/market.rs). */
const MAX_SHARE_BPS = 5_000;
/** The market parameters that fund the backstop pool: they need a pool (`--backstop`). */
const FUNDING = ["interest-share", "penalty-share"];

/** Curves of about equal speed at the start: −1% per 90 s. */
const CURVES: Record<string, Curve> = {
  linear: { linear: { tauSecs: new BN(9_000) } },
  stairstep: { stairstepExp: { stepSecs: new BN(90), cut: new BN("990000000000000000") } },
  exp: { exp: { cut: new BN(Math.round(Math.pow(0.99, 1 / 90) * 1e9)).mul(new BN(1e9)) } },
};
const CURVE_NAMES = Object.keys(CURVES);

/** Market parameters as flags and sweeps: bounds, sweep values, and how a value applies. */
const PARAMS: Record<
  string,
  { min: number; max: number; doc: string; values: number[]; apply: (v: number) => Partial<MarketParams> }
> = {
  buf: {
    min: 10_000,
    max: 100_000,
    doc: "start price / oracle (bps)",
    values: [11_000, 12_000, 13_000, 15_000],
    apply: (v) => ({ bufBps: v }),
  },
  cut: {
    min: 0.5,
    max: 0.999999,
    doc: "stairstep cut per 90 s step",
    values: [0.97, 0.98, 0.99, 0.995],
    apply: (v) => ({
      curve: { stairstepExp: { stepSecs: new BN(90), cut: new BN(Math.round(v * 1e6)).mul(new BN(1e12)) } },
    }),
  },
  chop: {
    min: 0,
    max: 2_000,
    doc: "liquidation penalty (bps)",
    values: [500, 1_000, 1_300],
    apply: (v) => ({ chopBps: v }),
  },
  tail: {
    min: 1,
    max: 604_800,
    doc: "seconds before a reset",
    values: [1_800, 3_600, 7_200, 14_400],
    apply: (v) => ({ tailSecs: new BN(v) }),
  },
  cusp: {
    min: 1,
    max: 9_999,
    doc: "price/top (bps) below which it resets",
    values: [3_000, 4_500, 6_000, 7_500],
    apply: (v) => ({ cuspBps: v }),
  },
  "liq-ltv": {
    min: 1,
    max: 9_999,
    doc: "liquidation LTV (bps)",
    values: [7_500, 8_000, 8_500],
    apply: (v) => ({ liquidationLtvBps: v }),
  },
  hole: {
    min: 10,
    max: 1e9,
    doc: "cap on the tab of live auctions (USDC)",
    values: [50_000, 100_000, 250_000, 1_000_000],
    apply: (v) => ({ hole: new BN(Math.round(v)).mul(new BN(1e6)) }),
  },
  "d-start": {
    min: 0,
    max: 9_999,
    doc: "anchored: discount at the kick (bps, anchor_start_bps)",
    values: [0, 50, 100, 200],
    apply: (v) => ({ anchorStartBps: v }),
  },
  "d-rate": {
    min: 0,
    max: 10_000,
    doc: "anchored: discount growth (bps per minute, anchor_rate_bps_per_min)",
    values: [10, 25, 50, 100],
    apply: (v) => ({ anchorRateBpsPerMin: v }),
  },
  "d-max-base": {
    min: 0,
    max: 9_999,
    doc: "anchored/partial: d_max at the liquidation LTV (bps, anchor_max_base_bps)",
    values: [100, 200, 300, 500],
    apply: (v) => ({ anchorMaxBaseBps: v }),
  },
  "d-max-cap": {
    min: 0,
    max: 9_999,
    doc: "anchored/partial: largest d_max (bps, anchor_max_cap_bps)",
    values: [500, 800, 1_200],
    apply: (v) => ({ anchorMaxCapBps: v }),
  },
  "target-ltv": {
    min: 0,
    max: 9_999,
    doc: "partial: LTV a kick restores (bps, kick_target_ltv_bps)",
    values: [6_000, 6_500, 7_000, 7_500],
    apply: (v) => ({ kickTargetLtvBps: v }),
  },
  "full-ltv": {
    min: 0,
    max: 10_000,
    doc: "partial: LTV from which the whole position goes (bps, kick_full_ltv_bps)",
    values: [8_500, 9_000, 9_500],
    apply: (v) => ({ kickFullLtvBps: v }),
  },
  "max-age": {
    min: 1,
    max: 3_600,
    doc: "oracle max age (s); with --oracle-lag the window senders cherry-pick from",
    values: [30, 60, 120, 300],
    apply: (v) => ({ maxAgeSecs: new BN(v) }),
  },
  "interest-share": {
    min: 0,
    max: MAX_SHARE_BPS,
    doc: "backstop funding: share of borrow interest owed to the pool (bps; default 0)",
    values: [0, 1_000, 2_000, 5_000],
    apply: (v) => ({ backstopInterestShareBps: v }),
  },
  "penalty-share": {
    min: 0,
    max: MAX_SHARE_BPS,
    doc: "backstop funding: share of each penalty owed to the pool (bps; default 0)",
    values: [0, 1_000, 2_000, 5_000],
    apply: (v) => ({ backstopPenaltyShareBps: v }),
  },
  curve: {
    min: 0,
    max: CURVE_NAMES.length - 1,
    doc: `curve kind: ${CURVE_NAMES.join(", ")} (about −1% per 90 s at first)`,
    values: CURVE_NAMES.map((_, i) => i),
    apply: (v) => ({ curve: CURVES[CURVE_NAMES[v]] }),
  },
};
const label = (param: string, v: number): string => (param === "curve" ? CURVE_NAMES[v] : String(v));

export const USAGE = [
  "usage: ts-node app/sim/main.ts [flags]",
  `  --scenario ${SCENARIOS.join("|")}`.padEnd(32) + " price path (default blackthursday)",
  "  --stress default|harsh         calibration preset; the flags below override it",
  `  --strategies S,S,…             bidder i's strategy is S[i mod n]: ${STRATEGIES.join(", ")} (default naive)`,
  "  --keeper bidders|free          who kicks and resets: the bidders (default) or a frictionless keeper",
  "  --oracle-lag on|off            kicks, resets, baseline liquidations post the lowest price within max age",
  `  --mode ${PRICE_MODES.join("|")}`.padEnd(32) + " auction price mode",
  `  --kick-mode ${KICK_MODES.join("|")}`.padEnd(32) + " what a kick takes into the auction",
  "  --backstop X                   backstop pool deposits (USDC; 0: none) [0..1e9]",
  "  --absorb-after S               backstop: absorbable this long after the kick (s) [0..604800]",
  "  --absorb-near X                backstop: absorbable when the lot is worth ≤ tab × (1 + X bps) [0..10000]",
  "  --buy-discount X               backstop: buy_from_backstop at oracle × (1 − X bps) [0..10000]",
  "  --backstop-run X               backstop: share of its depositors that request all their shares at the",
  "                                 first step a position is liquidatable, and withdraw when allowed [0..1]",
  `  --sweep ${Object.keys(PARAMS).join("|")}|none   re-run over the parameter's values`,
  "  --seeds N                      run seeds seed .. seed+N−1 (sweeps too) and report the spread",
  "  --out DIR                      output directory (default target/sim/<time>)",
  ...KNOBS.map(
    ([f, , lo, hi, isInt, doc]) => `  ${`${f} ${isInt ? "N" : "X"}`.padEnd(30)} ${doc} [${lo}..${hi}]`,
  ),
  ...Object.entries(PARAMS).map(
    ([k, p]) => `  ${`--${k} ${k === "curve" ? "KIND" : "X"}`.padEnd(30)} market: ${p.doc}`,
  ),
].join("\n");

/** Thrown for bad command-line input: main prints its message on one line with the usage. */
export class UsageError extends Error {}

function number(flag: string, v: string | undefined, lo: number, hi: number, isInt: boolean): number {
  const x = Number(v);
  const shape = isInt ? /^\d+$/ : /^\d+(\.\d+)?(e\d+)?$/;
  if (v === undefined || !shape.test(v) || !(x >= lo && x <= hi))
    throw new UsageError(
      `${flag} needs ${isInt ? "an integer" : "a number"} in [${lo}, ${hi}], got ${v ?? "nothing"}`,
    );
  return x;
}

export interface Cli {
  cfg: SimConfig;
  sweep: string;
  seeds: number;
  out: string;
}

export function parseArgs(argv: string[]): Cli {
  let scenario: Scenario = "blackthursday";
  let stress: Stress = "default";
  const extra: Partial<SimConfig> = {};
  let priceMode: PriceMode = "dutch";
  let kickMode: KickMode = "whole";
  let backstopUsd = 0;
  let backstopRun = 0;
  const pool: Partial<BackstopParams> = {};
  const over: Partial<Record<NumKey, number>> = {};
  const params: Partial<MarketParams> = {};
  let sweep = "none";
  let seeds = 1;
  let out = path.join("target", "sim", new Date().toISOString().replace(/[:.]/g, "-"));
  for (let i = 0; i < argv.length; i += 2) {
    const f = argv[i];
    const v = argv[i + 1];
    const knob = KNOBS.find(([flag]) => flag === f);
    const param = f.startsWith("--") ? PARAMS[f.slice(2)] : undefined;
    if (knob) over[knob[1]] = number(f, v, knob[2], knob[3], knob[4]);
    else if (f === "--curve") {
      if (v === undefined || !(v in CURVES))
        throw new UsageError(`--curve must be ${CURVE_NAMES.join(", ")}, got ${v ?? "nothing"}`);
      if ("curve" in params) throw new UsageError("--curve and --cut both set the curve: give one");
      Object.assign(params, PARAMS.curve.apply(CURVE_NAMES.indexOf(v)));
    } else if (param) {
      if (f === "--cut" && "curve" in params)
        throw new UsageError("--curve and --cut both set the curve: give one");
      Object.assign(params, param.apply(number(f, v, param.min, param.max, f !== "--cut")));
    } else if (f === "--scenario") {
      if (!SCENARIOS.includes(v as Scenario))
        throw new UsageError(`--scenario must be ${SCENARIOS.join(", ")}, got ${v ?? "nothing"}`);
      scenario = v as Scenario;
    } else if (f === "--strategies") {
      const list = (v ?? "").split(",");
      if (!v || !list.every((x) => STRATEGIES.includes(x as Strategy)))
        throw new UsageError(`--strategies must list ${STRATEGIES.join(", ")}, got ${v ?? "nothing"}`);
      extra.strategies = list as Strategy[];
    } else if (f === "--keeper") {
      if (v !== "bidders" && v !== "free")
        throw new UsageError(`--keeper must be bidders or free, got ${v ?? "nothing"}`);
      extra.keeper = v;
    } else if (f === "--oracle-lag") {
      if (v !== "on" && v !== "off")
        throw new UsageError(`--oracle-lag must be on or off, got ${v ?? "nothing"}`);
      extra.oracleLag = v === "on";
    } else if (f === "--mode") {
      if (!PRICE_MODES.includes(v as PriceMode))
        throw new UsageError(`--mode must be ${PRICE_MODES.join(", ")}, got ${v ?? "nothing"}`);
      priceMode = v as PriceMode;
    } else if (f === "--kick-mode") {
      if (!KICK_MODES.includes(v as KickMode))
        throw new UsageError(`--kick-mode must be ${KICK_MODES.join(", ")}, got ${v ?? "nothing"}`);
      kickMode = v as KickMode;
    } else if (f === "--backstop") {
      backstopUsd = number(f, v, 0, 1e9, false);
    } else if (f === "--backstop-run") {
      backstopRun = number(f, v, 0, 1, false);
    } else if (f === "--absorb-after") {
      pool.absorbAfterSecs = new BN(number(f, v, 0, 604_800, true));
    } else if (f === "--absorb-near") {
      pool.absorbNearBps = number(f, v, 0, 10_000, true);
    } else if (f === "--buy-discount") {
      pool.buyDiscountBps = number(f, v, 0, 10_000, true);
    } else if (f === "--stress") {
      if (v !== "default" && v !== "harsh")
        throw new UsageError(`--stress must be default or harsh, got ${v ?? "nothing"}`);
      stress = v;
    } else if (f === "--sweep") {
      if (v === undefined || (v !== "none" && !(v in PARAMS)))
        throw new UsageError(
          `--sweep must be ${Object.keys(PARAMS).join(", ")} or none, got ${v ?? "nothing"}`,
        );
      sweep = v;
    } else if (f === "--seeds") seeds = number(f, v, 1, 100, true);
    else if (f === "--out") {
      if (!v) throw new UsageError("--out needs a directory");
      out = v;
    } else throw new UsageError(`unknown flag ${f}`);
  }
  if (backstopRun > 0 && backstopUsd === 0) throw new UsageError("--backstop-run needs a --backstop pool");
  const funded = (params.backstopInterestShareBps ?? 0) > 0 || (params.backstopPenaltyShareBps ?? 0) > 0;
  if ((funded || FUNDING.includes(sweep)) && backstopUsd === 0)
    throw new UsageError("--interest-share, --penalty-share (and their sweeps) need a --backstop pool");
  const base = defaultConfig(scenario, stress);
  const cfg: SimConfig = {
    ...base,
    ...over,
    ...extra,
    mechanism: {
      ...base.mechanism,
      priceMode,
      kickMode,
      backstopUsd,
      backstopRun,
      backstopParams: { ...base.mechanism.backstopParams, ...pool },
    },
    params: { ...base.params, ...params },
    stress,
    log: (l: string) => console.log(l),
  };
  if (cfg.bidders === 0 && cfg.keeper === "bidders")
    throw new UsageError("--bidders 0 leaves nobody to kick (the bidders are the keeper): add --keeper free");
  return { cfg, sweep, seeds, out };
}

const pc = (x: number, d = 2): string => `${(x * 100).toFixed(d)}%`;
const line = (r: RunResult): string => {
  const s = r.summary;
  const b = r.baseline;
  const run =
    s.runRequests > 0
      ? `; backstop run: ${s.runRequests} depositors requested ${s.runRequestedUsd.toFixed(0)} USDC at t=${s.runRequestT}s, paid ${s.runWithdrawnUsd.toFixed(0)} USDC at t=${s.runWithdrawnFirstT ?? "-"}..${s.runWithdrawnLastT ?? "-"}s, ${s.runRefused} attempts refused (auctions live)`
      : "";
  const pool =
    s.absorbs > 0 || s.backstopIncomeUsd > 0
      ? `; backstop absorbed ${pc(s.absorbedShare)}, depositors: income ${s.backstopIncomeUsd.toFixed(0)} (${s.fundCalls - s.fundRefused}/${s.fundCalls} fund_backstop calls paid), loss ${s.backstopLossUsd.toFixed(0)}, P&L ${s.backstopPnlUsd.toFixed(0)} USDC; LP P&L ${s.lpPnlUsd.toFixed(0)} USDC`
      : "";
  return `Gavel: bad debt ${pc(s.badDebtRatio, 3)} (open at end ${pc(s.liquidatedDebt > 0 ? s.shortfallAtEnd / s.liquidatedDebt : 0, 3)}), discount median ${pc(s.discountMedian)} (vs exogenous ${pc(s.discountPreImpactMedian)}), ${s.takesPerAuction.toFixed(2)} takes per auction; baseline: bad debt ${pc(b.badDebtRatio, 3)} of ${b.liquidatedDebt.toFixed(0)} liquidated, discount ${pc(b.discountMedian)} (vs exogenous ${pc(b.discountPreImpactMedian)})${pool}${run}`;
};

function main(): void {
  const { cfg, sweep, seeds, out } = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const seedList = Array.from({ length: seeds }, (_, k) => cfg.seed + k);
  const total = seeds * (1 + (sweep === "none" ? 0 : PARAMS[sweep].values.length));
  let n = 0;
  const one = (c: SimConfig, what: string): RunResult => {
    n++;
    const t0 = Date.now();
    console.log(`[${n}/${total}] ${what} seed=${c.seed}`);
    const r = runSim(c, makePath(c));
    console.log(`[${n}/${total}] ${((Date.now() - t0) / 1000).toFixed(1)} s: ${line(r)}`);
    return r;
  };
  console.log(
    `gavel sim: ${cfg.scenario}, stress ${cfg.stress}, seeds ${seedList.join(",")}, borrowers=${cfg.borrowers} bidders=${cfg.bidders} step=${cfg.stepSecs}s, ${total} runs`,
  );
  const runs = seedList.map((seed, k) =>
    one({ ...cfg, seed, progressSecs: k === 0 ? cfg.progressSecs : 0 }, "base run"),
  );
  const points: SweepPoint[] = [];
  if (sweep !== "none") {
    const s = PARAMS[sweep];
    for (const v of s.values) {
      const results = seedList.map((seed) =>
        one(
          { ...cfg, seed, params: { ...cfg.params, ...s.apply(v) }, progressSecs: 0 },
          `sweep ${sweep}=${label(sweep, v)}`,
        ),
      );
      points.push({ param: sweep, value: v, label: label(sweep, v), results });
    }
  }
  const secs = (Date.now() - started) / 1000;
  writeOutputs(out, runs, secs, points);
  console.log(`done in ${secs.toFixed(1)} s (${total} runs); outputs in ${out}`);
}

if (require.main === module) {
  try {
    if (process.argv.includes("--help")) console.log(USAGE);
    else main();
  } catch (e) {
    const usage = e instanceof UsageError;
    process.stderr.write(`error: ${(e as Error).message.split("\n")[0]}\n${usage ? USAGE + "\n" : ""}`);
    process.exit(usage ? 2 : 1);
  }
}

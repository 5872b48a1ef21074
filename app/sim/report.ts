/**
 * `npm run sim:report`: regenerates app/sim/REPORT.md and its charts (SVG + PNG) from scratch. Runs
 * the scenarios (naive and strategic bidders), the harsh goal seeds, the model-fix attribution, the
 * capital sweep and a capital × liquidation-LTV heatmap on a pool of worker processes (one per core
 * by default), printing progress. `--small` is the test command's version (tiny runs, same outputs).
 *
 * Flags: --out DIR (default app/sim), --jobs N (default 2), --seeds N (goal seeds, default 10),
 * --small, --no-png, --from FILE (re-render from the raw results a run saved in target/).
 */
import { ChildProcess, fork } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { heatmap, lineChart, renderPngs } from "./charts";
import { RunResult, SideSummary, SIM_BACKSTOP, Summary } from "./engine";
import { V2_CHOP_BPS, V2_ENGINE } from "../../sdk/src";
import { parseArgs } from "./main";
import { priceChart, sideTable } from "./output";
import { quantile } from "./paths";

/** One run of the plan: CLI flags (parsed by main's parseArgs) and whether to keep its full records. */
interface Job {
  key: string;
  argv: string[];
  full: boolean;
}

/** What a worker sends back: the summaries (and for `full` jobs the whole run). */
type Brief = Pick<RunResult, "summary" | "baseline"> & { seed: number; full?: RunResult };

/** The Gavel mechanisms the report compares with the baseline: key, name, flags. */
export const MECHS = {
  v2: { name: "Gavel v2", flags: ["--mode", "anchored", "--kick-mode", "partial"] },
  maker: { name: "Gavel Maker mode", flags: [] as string[] },
};
export type Mech = keyof typeof MECHS;

/**
 * The v2 calibration sweep (harsh, one parameter at a time around the V2_ENGINE defaults): flag,
 * its default, the values tried.
 */
/** The calibration's seeds are CAL_SEED0 + 1 …: apart from the goal seeds 1 … that judge its choice. */
export const CAL_SEED0 = 100;
export const CALIBRATION: [string, number, number[]][] = [
  ["--d-start", V2_ENGINE.anchorStartBps, [0, 50, 100]],
  ["--d-rate", V2_ENGINE.anchorRateBpsPerMin, [5, 10, 25, 50]],
  ["--d-max-base", V2_ENGINE.anchorMaxBaseBps, [100, 200, 300]],
  ["--d-max-cap", V2_ENGINE.anchorMaxCapBps, [300, 500, 800]],
  ["--target-ltv", V2_ENGINE.kickTargetLtvBps, [6_000, 6_500, 7_000, 7_500]],
  ["--full-ltv", V2_ENGINE.kickFullLtvBps, [8_500, 9_000, 9_500]],
  ["--tail", 7_200, [3_600, 7_200, 14_400]],
  ["--chop", V2_CHOP_BPS, [300, 500, 1_000]],
];

const STRATEGIC = ["--strategies", "best,waiter,naive"];
export const CAPITALS = [2_000, 5_000, 10_000, 15_000, 25_000, 50_000];
export const HEAT_LTV = [7_500, 8_000, 8_500];
/** Backstop pool sizes (USDC) of the backstop dimension (0 is every other v2 run). */
export const BACKSTOPS = [50_000, 100_000];
/**
 * The funding dimension: the $100k pool of the backstop dimension with both funding shares at
 * this many bps (interest and penalty), at these capitals (compared with the same runs at 0).
 */
export const FUNDING_BPS = 2_000;
export const FUNDING_POOL = 100_000;
export const FUNDING_CAPITALS = [2_000, 10_000];

export interface Plan {
  goalSeeds: number;
  otherSeeds: number;
  /** Maker mode's seeds outside the harsh scenario (naive bidders only there). */
  makerOtherSeeds: number;
  sweepSeeds: number;
  heatSeeds: number;
  /** Seeds per value of the v2 calibration sweep (0: no sweep). */
  calSeeds: number;
  /** Seeds of the backstop dimension away from the $10k harsh runs (which use the goal seeds). */
  backstopSweepSeeds: number;
  /** Flags added to every run (the small version shortens them). */
  common: string[];
}

export const FULL_PLAN: Plan = {
  goalSeeds: 10,
  otherSeeds: 5,
  makerOtherSeeds: 3,
  sweepSeeds: 5,
  heatSeeds: 1,
  calSeeds: 3,
  backstopSweepSeeds: 2,
  common: [],
};
export const SMALL_PLAN: Plan = {
  goalSeeds: 2,
  otherSeeds: 1,
  makerOtherSeeds: 1,
  sweepSeeds: 1,
  heatSeeds: 0,
  calSeeds: 0,
  backstopSweepSeeds: 0,
  common: ["--borrowers", "6", "--hours", "4", "--drain", "1800"],
};

/** The scenarios of the verdict table: name and flags. */
export const SCENARIO_FLAGS: [string, string[]][] = [
  ["default (ample bidders)", []],
  ["harsh", ["--stress", "harsh"]],
  ["harsh, crash then rebound", ["--stress", "harsh", "--scenario", "rebound"]],
  ["harsh, depth $0.5M", ["--stress", "harsh", "--depth", "500000"]],
  ["harsh, lagging oracle (max_age 300 s)", ["--stress", "harsh", "--oracle-lag", "on", "--max-age", "300"]],
  ["harsh, flash share 1/3", ["--stress", "harsh", "--flash-share", "0.34"]],
];

const seedsOf = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

/**
 * The runs of a report. Keys are `<mech>:<what>`. Gavel v2 runs every scenario with naive and
 * strategic bidders, the capital sweep, the heatmap and the calibration sweep; Maker mode runs the
 * harsh scenario on the goal seeds (both populations), the other scenarios with naive bidders on
 * fewer seeds, the old-model attribution and the capital sweep. The baseline is part of every run
 * (the same for both mechanisms: it replays the same bidder draws).
 */
export function planJobs(p: Plan): Job[] {
  const jobs: Job[] = [];
  const add = (mech: Mech, key: string, argv: string[], seed: number): void => {
    jobs.push({
      key: `${mech}:${key}`,
      argv: [...argv, ...MECHS[mech].flags, ...p.common, "--seed", String(seed)],
      full: seed === 1 && key === "harsh|naive",
    });
  };
  for (const [name, flags] of SCENARIO_FLAGS) {
    const harsh = name === "harsh";
    for (const seed of seedsOf(harsh ? p.goalSeeds : p.otherSeeds)) {
      add("v2", `${name}|naive`, flags, seed);
      add("v2", `${name}|strategic`, [...flags, ...STRATEGIC], seed);
    }
    for (const seed of seedsOf(harsh ? p.goalSeeds : p.makerOtherSeeds)) {
      add("maker", `${name}|naive`, flags, seed);
      if (harsh) add("maker", `${name}|strategic`, [...flags, ...STRATEGIC], seed);
    }
  }
  // The model before issue 17's fixes (frictionless keeper, naive bidders, no flash), Maker mode.
  for (const seed of seedsOf(p.goalSeeds))
    add("maker", "old model", ["--stress", "harsh", "--keeper", "free"], seed);
  for (const cap of CAPITALS)
    for (const ltv of HEAT_LTV)
      for (const seed of seedsOf(ltv === 8_000 ? p.sweepSeeds : p.heatSeeds)) {
        if (cap === 10_000 && ltv === 8_000) continue; // the harsh scenario's own runs
        const argv = ["--stress", "harsh", "--capital", String(cap), "--liq-ltv", String(ltv)];
        add("v2", `capital ${cap}|ltv ${ltv}`, argv, seed);
        if (ltv === 8_000) add("maker", `capital ${cap}|ltv ${ltv}`, argv, seed);
      }
  // Calibration on its own seeds (CAL_SEED0 + 1 …), not the goal seeds it is judged on.
  for (const seed of seedsOf(p.calSeeds)) {
    add("v2", "cal default", ["--stress", "harsh"], CAL_SEED0 + seed);
    for (const [f, def, values] of CALIBRATION)
      for (const v of values)
        if (v !== def) add("v2", `cal ${f} ${v}`, ["--stress", "harsh", f, String(v)], CAL_SEED0 + seed);
  }
  // The backstop dimension (v2): harsh on the goal seeds, the capital sweep on fewer.
  for (const size of BACKSTOPS)
    for (const cap of CAPITALS)
      for (const seed of seedsOf(cap === 10_000 ? p.goalSeeds : p.backstopSweepSeeds))
        add(
          "v2",
          `backstop ${size}|capital ${cap}`,
          ["--stress", "harsh", "--capital", String(cap), "--backstop", String(size)],
          seed,
        );
  // The funding dimension: the same pool with both funding shares.
  for (const cap of FUNDING_CAPITALS)
    for (const seed of seedsOf(cap === 10_000 ? p.goalSeeds : p.backstopSweepSeeds))
      add(
        "v2",
        `backstop ${FUNDING_POOL}|capital ${cap}|funding ${FUNDING_BPS}`,
        [
          ...["--stress", "harsh", "--capital", String(cap), "--backstop", String(FUNDING_POOL)],
          ...["--interest-share", String(FUNDING_BPS), "--penalty-share", String(FUNDING_BPS)],
        ],
        seed,
      );
  // The scarcest capital makes the longest runs (many small takes): start them first.
  const slow = (j: Job): boolean => /capital (2000|5000)(\||$)/.test(j.key);
  return [...jobs.filter(slow), ...jobs.filter((j) => !slow(j))];
}

/** Runs `jobs` on `n` worker processes; calls `progress` after each. */
async function runPool(
  jobs: Job[],
  n: number,
  progress: (done: number, job: Job, secs: number) => void,
): Promise<Map<Job, Brief>> {
  const out = new Map<Job, Brief>();
  let next = 0;
  let done = 0;
  const worker = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const child: ChildProcess = fork(__filename, ["--worker"], {
        execArgv: ["-r", "ts-node/register/transpile-only"],
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      let current: Job | null = null;
      let started = 0;
      const feed = (): void => {
        if (next >= jobs.length) {
          child.send({ stop: true });
          return;
        }
        current = jobs[next++];
        started = Date.now();
        child.send({ argv: current.argv, full: current.full });
      };
      child.on("message", (msg: Brief) => {
        const job = current!;
        out.set(job, msg);
        done++;
        progress(done, job, (Date.now() - started) / 1000);
        feed();
      });
      child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
      feed();
    });
  await Promise.all(Array.from({ length: Math.min(n, jobs.length) }, worker));
  return out;
}

/** Worker side: runs what it is sent, answers with the brief. */
function serveWorker(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runSim, makePath } = require("./engine") as typeof import("./engine");
  process.on("message", (msg: { argv?: string[]; full?: boolean; stop?: boolean }) => {
    if (msg.stop || !msg.argv) process.exit(0);
    const { cfg } = parseArgs(msg.argv);
    const r = runSim({ ...cfg, progressSecs: 0, log: () => {} }, makePath(cfg));
    const brief: Brief = { seed: cfg.seed, summary: r.summary, baseline: r.baseline };
    if (msg.full) brief.full = JSON.parse(JSON.stringify(r)) as RunResult;
    process.send!(brief);
  });
}

const pct = (x: number, d = 2): string => `${(x * 100).toFixed(d)}%`;
const med = (xs: number[]): number => quantile(xs, 0.5);

interface Group {
  g: Summary[];
  b: SideSummary[];
  seeds: number[];
}

function group(results: Map<Job, Brief>, key: string): Group {
  const bs = [...results].filter(([j]) => j.key === key).map(([, b]) => b);
  bs.sort((x, y) => x.seed - y.seed);
  return { g: bs.map((b) => b.summary), b: bs.map((b) => b.baseline), seeds: bs.map((b) => b.seed) };
}

/** "median (worst)" of a metric where larger is worse. */
const mw = (xs: number[], d = 2): string => `${pct(med(xs), d)} (${pct(Math.max(...xs), d)})`;

export interface ReportInput {
  results: Map<Job, Brief>;
  plan: Plan;
  secs: number;
  load: string;
  jobs: number;
  small: boolean;
}

/** The report's Markdown and its charts (SVG files written under `outDir`/report). */
export function writeReport(outDir: string, inp: ReportInput): { md: string; svgs: string[] } {
  const { results, plan } = inp;
  const chartDir = path.join(outDir, "report");
  fs.mkdirSync(chartDir, { recursive: true });
  // From scratch: the charts of an earlier report go.
  for (const f of fs.readdirSync(chartDir)) if (/\.(svg|png)$/.test(f)) fs.rmSync(path.join(chartDir, f));
  const svgs: string[] = [];
  const save = (name: string, svg: string): void => {
    const f = path.join(chartDir, name);
    fs.writeFileSync(f, svg);
    svgs.push(f);
  };
  const L: string[] = [];
  const v2 = (key: string): Group => group(results, `v2:${key}`);
  const mk = (key: string): Group => group(results, `maker:${key}`);
  const harsh = v2("harsh|naive");
  const harshS = v2("harsh|strategic");
  const mHarsh = mk("harsh|naive");
  const mHarshS = mk("harsh|strategic");
  const bd = (xs: SideSummary[]): number[] => xs.map((x) => x.badDebtRatio);
  const dm = (xs: SideSummary[]): number[] => xs.map((x) => x.discountMedian);
  const cost = (xs: SideSummary[]): string =>
    xs.length ? pct(med(xs.map((x) => x.borrowerCostRatio))) : "—";
  const mwOr = (xs: number[], d = 2): string => (xs.length ? mw(xs, d) : "—");
  const e = V2_ENGINE;

  L.push(
    "# Gavel simulator: report",
    "",
    `Generated by \`npm run sim:report${inp.small ? " -- --small" : ""}\` (app/sim/report.ts) from scratch: ${results.size} runs, each through the real \`gavel.so\` in LiteSVM with vault accounting checked after every step, on ${inp.jobs} worker processes in ${(inp.secs / 60).toFixed(1)} min (load average at the start / end: ${inp.load}). Nothing below is edited by hand.${inp.small ? " **Small version** (tiny runs for the test command): the figures are not evidence." : ""}`,
    "",
    `**v2** = Gavel engine v2: anchored price (oracle × (1 − d), d = min(d_max, d_start + d_rate × elapsed), d_max = d_max_base + (LTV at the kick − liquidation LTV) capped at d_max_cap) and partial kicks (back to the target LTV; whole positions from the full-kick LTV), with the defaults of \`V2_ENGINE\` (sdk/src/types.ts): d_start ${e.anchorStartBps} bps, d_rate ${e.anchorRateBpsPerMin} bps/min, d_max base ${e.anchorMaxBaseBps} bps, cap ${e.anchorMaxCapBps} bps, target LTV ${e.kickTargetLtvBps / 100}%, full-kick LTV ${e.kickFullLtvBps / 100}%, tail 7,200 s, penalty (chop) ${V2_CHOP_BPS / 100}% (\`V2_CHOP_BPS\`; Maker mode and B keep theirs). A partial auction whose lot runs out gives its unraised debt back to the position while the position still holds collateral (counted out of the liquidated debt: its next kick counts it). **Maker** = Gavel's original Maker-style mode (price from buf × oracle down a stairstep curve, whole positions). **B** = the fixed-bonus baseline (5% bonus, close factor 50%) on its own copy of the market, liquidated by the same bidders under the same frictions (it replays the same bidder draws, so it is the same for both Gavel modes). Bad debt counts the shortfall still open at the end on both sides; discounts are collateral-weighted per auction (Gavel) or per position (B), against the market price at the liquidation (after the liquidations' own impact) unless marked "before impact" (against the exogenous price). Borrower cost = penalty (proceeds over the debt) + discount (market value of the collateral over what the liquidator paid), over liquidated debt. Cells are median (worst) over seeds.`,
    "",
    `Seeds: v2 runs every scenario with naive and strategic bidders (${plan.goalSeeds} seeds on harsh, ${plan.otherSeeds} elsewhere); to keep the report's time down, Maker mode runs harsh on the same ${plan.goalSeeds} seeds (both populations) but the other scenarios with naive bidders only on ${plan.makerOtherSeeds} seed(s).`,
    "",
    "## Verdict per scenario",
    "",
    "| scenario | bidders | seeds v2 / Maker | bad debt v2 | bad debt Maker | bad debt B | median discount v2 | median discount Maker | median discount B | borrower cost v2 / Maker / B (median) | v2 bad debt ≤ B on every seed | v2 discount ≤ B on every seed |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
  );
  for (const [name] of SCENARIO_FLAGS)
    for (const kind of ["naive", "strategic"]) {
      const gr = v2(`${name}|${kind}`);
      const gm = mk(`${name}|${kind}`);
      if (!gr.g.length) continue;
      const badOk = gr.g.every((x, i) => x.badDebtRatio <= gr.b[i].badDebtRatio + 1e-12);
      const discOk = gr.g.every((x, i) => x.discountMedian <= gr.b[i].discountMedian + 1e-12);
      L.push(
        `| ${name} | ${kind === "naive" ? "naive" : "strategic (best, waiter, naive)"} | ${gr.seeds.length} / ${gm.seeds.length} | ${mw(bd(gr.g), 3)} | ${mwOr(bd(gm.g), 3)} | ${mw(bd(gr.b), 3)} | ${mw(dm(gr.g))} | ${mwOr(dm(gm.g))} | ${mw(dm(gr.b))} | ${cost(gr.g)} / ${cost(gm.g)} / ${cost(gr.b)} | ${badOk ? "yes" : "**no**"} | ${discOk ? "yes" : "**no**"} |`,
      );
    }

  // Goal figures (issue 18).
  const goalBad = (x: SideSummary): boolean => x.badDebtRatio <= 0.001;
  const goalDisc = (x: SideSummary): boolean => x.discountMedian <= 0.03;
  const both = (xs: SideSummary[]): boolean => xs.length > 0 && xs.every((x) => goalBad(x) && goalDisc(x));
  const met = (ok: boolean): string => (ok ? "met" : "NOT met");
  const count = (xs: SideSummary[], f: (x: SideSummary) => boolean): string =>
    `${xs.filter(f).length}/${xs.length}`;
  const worstOver = (xs: number[], goal: number): string => pct(Math.max(0, Math.max(...xs) - goal), 3);
  const def = v2("default (ample bidders)|naive");
  const defS = v2("default (ample bidders)|strategic");
  const capRows = CAPITALS.map((cap) => {
    const k = `capital ${cap}|ltv 8000`;
    return { cap, gr: cap === 10_000 ? harsh : v2(k), gm: cap === 10_000 ? mHarsh : mk(k) };
  }).filter((x) => x.gr.g.length);
  const excess = (gr: Group): number =>
    Math.max(...gr.g.map((x, i) => x.badDebtRatio - gr.b[i].badDebtRatio));
  const capWorse = capRows.filter(({ gr }) => excess(gr) > 1e-12);
  L.push(
    "",
    `## Goal figures (issue 18: harsh calibration with the v2 defaults, ${harsh.seeds.length} seeds)`,
    "",
    "Goals: bad debt ≤ 0.1% of liquidated debt on every seed; median clearing discount ≤ 3% on every seed; v2's bad debt ≤ the baseline's at every bidder-capital level; the default calibration still meets both.",
    "",
    `- Bad debt ≤ 0.1% on every seed: naive bidders **${met(harsh.g.every(goalBad))}** (${count(harsh.g, goalBad)} seeds; worst ${pct(Math.max(...bd(harsh.g)), 3)}, over the goal by ${worstOver(bd(harsh.g), 0.001)}), strategic **${met(harshS.g.every(goalBad))}** (${count(harshS.g, goalBad)}; worst ${pct(Math.max(...bd(harshS.g)), 3)}). Maker mode ${count(mHarsh.g, goalBad)}, baseline ${count(harsh.b, goalBad)}.`,
    `- Median discount ≤ 3% on every seed: naive **${met(harsh.g.every(goalDisc))}** (${count(harsh.g, goalDisc)}; worst ${pct(Math.max(...dm(harsh.g)))}, over the goal by ${worstOver(dm(harsh.g), 0.03)}), strategic **${met(harshS.g.every(goalDisc))}** (${count(harshS.g, goalDisc)}; worst ${pct(Math.max(...dm(harshS.g)))}). Maker mode ${count(mHarsh.g, goalDisc)}, baseline ${count(harsh.b, goalDisc)} (its discount is the fixed 4.76%).`,
    `- v2's bad debt ≤ the baseline's at every capital level (every seed): **${met(capWorse.length === 0)}**${capWorse.length ? ` (worse at ${capWorse.map((x) => `$${x.cap / 1000}k by up to ${pct(excess(x.gr), 3)} of liquidated debt`).join(", ")})` : ""}.`,
    `- Default calibration (ample bidders, ${def.seeds.length} seeds) still meets both: naive **${met(both(def.g))}** (bad debt ${count(def.g, goalBad)}, discount ${count(def.g, goalDisc)}; worst ${pct(Math.max(...bd(def.g)), 3)} / ${pct(Math.max(...dm(def.g)))}), strategic **${met(both(defS.g))}** (${count(defS.g, goalBad)}, ${count(defS.g, goalDisc)}).`,
    `- Move from today (Maker mode, same seeds), harsh naive: bad debt median ${pct(med(bd(mHarsh.g)), 3)} → ${pct(med(bd(harsh.g)), 3)}, worst ${pct(Math.max(...bd(mHarsh.g)), 3)} → ${pct(Math.max(...bd(harsh.g)), 3)}; median discount median ${pct(med(dm(mHarsh.g)))} → ${pct(med(dm(harsh.g)))}, worst ${pct(Math.max(...dm(mHarsh.g)))} → ${pct(Math.max(...dm(harsh.g)))}; borrower cost ${cost(mHarsh.g)} → ${cost(harsh.g)} (baseline ${cost(harsh.b)}).`,
    `- Partial kicks: ${harsh.g.reduce((s, x) => s + x.partialKicks, 0)} of ${harsh.g.reduce((s, x) => s + x.kicks, 0)} v2 kicks on harsh moved part of the position; liquidated debt v2 ${med(harsh.g.map((x) => x.liquidatedDebt)).toFixed(0)} vs Maker ${med(mHarsh.g.map((x) => x.liquidatedDebt)).toFixed(0)} vs B ${med(harsh.b.map((x) => x.liquidatedDebt)).toFixed(0)} USDC (median). Keepers predicted every kick with the SDK's \`kickSize\`: ${[...results.values()].reduce((s, x) => s + x.summary.kickSizeMismatches, 0)} mismatches in ${[...results.values()].reduce((s, x) => s + x.summary.kickSizeChecks, 0)} kicks over all runs.`,
    ...BACKSTOPS.map((size) => {
      const gr = v2(`backstop ${size}|capital 10000`);
      if (!gr.g.length) return `- With a $${size / 1000}k backstop pool: not run.`;
      const worse = CAPITALS.map((cap) => ({ cap, gr: v2(`backstop ${size}|capital ${cap}`) }))
        .filter((x) => x.gr.g.length && excess(x.gr) > 1e-12)
        .map((x) => `$${x.cap / 1000}k (by up to ${pct(excess(x.gr), 3)})`);
      return `- With a $${size / 1000}k backstop pool (the change this round's backstop issue brings), harsh naive: bad debt ≤ 0.1% on ${count(gr.g, goalBad)} seeds (worst ${pct(Math.max(...bd(gr.g)), 3)}), median discount ≤ 3% on ${count(gr.g, goalDisc)} (worst ${pct(Math.max(...dm(gr.g)))}), absorbed share median ${pct(med(gr.g.map((x) => x.absorbedShare)))}; v2 bad debt ≤ B at every capital level: **${met(worse.length === 0)}**${worse.length ? ` (worse at ${worse.join(", ")})` : ""}.`;
    }),
    "",
    "Per seed (harsh; how far each seed is from the goals):",
    "",
    "| seed | bad debt v2 | over 0.1% by | median discount v2 | over 3% by | v2 strategic: bad debt / discount | bad debt Maker | median discount Maker | bad debt B | median discount B |",
    "|---|---|---|---|---|---|---|---|---|---|",
  );
  harsh.g.forEach((x, i) => {
    const s = harshS.g[i];
    const m = mHarsh.g[mHarsh.seeds.indexOf(harsh.seeds[i])];
    L.push(
      `| ${harsh.seeds[i]} | ${pct(x.badDebtRatio, 3)} | ${goalBad(x) ? "—" : pct(x.badDebtRatio - 0.001, 3)} | ${pct(x.discountMedian)} | ${goalDisc(x) ? "—" : pct(x.discountMedian - 0.03)} | ${s ? `${pct(s.badDebtRatio, 3)} / ${pct(s.discountMedian)}` : "—"} | ${m ? pct(m.badDebtRatio, 3) : "—"} | ${m ? pct(m.discountMedian) : "—"} | ${pct(harsh.b[i].badDebtRatio, 3)} | ${pct(harsh.b[i].discountMedian)} |`,
    );
  });

  // Calibration sweep.
  if (plan.calSeeds > 0) {
    const calDefault = v2("cal default");
    L.push(
      "",
      `## Calibration of the v2 defaults (harsh, naive bidders, ${plan.calSeeds} seeds, one parameter at a time around the defaults)`,
      "",
      `Seeds ${CAL_SEED0 + 1}–${CAL_SEED0 + plan.calSeeds}: the calibration does not see the goal seeds (1–${plan.goalSeeds}) it is judged on above.`,
      "",
      "| parameter | value | bad debt v2 | median discount v2 | borrower cost v2 (median) | takes per auction (median) | resets (median) |",
      "|---|---|---|---|---|---|---|",
    );
    for (const [f, d, values] of CALIBRATION)
      for (const v of values) {
        const gr = v === d ? calDefault : v2(`cal ${f} ${v}`);
        if (!gr.g.length) continue;
        const g = gr.g as Summary[];
        L.push(
          `| ${f.slice(2)} | ${v === d ? `**${v}** (default)` : v} | ${mw(bd(g), 3)} | ${mw(dm(g))} | ${cost(g)} | ${med(g.map((x) => x.takesPerAuction)).toFixed(2)} | ${med(g.map((x) => x.resets))} |`,
        );
      }
  }

  // Attribution (issue 17, Maker mode: the model fixes were measured on it).
  const old = mk("old model");
  const flash = mk("harsh, flash share 1/3|naive");
  const lag = mk("harsh, lagging oracle (max_age 300 s)|naive");
  type Row = { name: string; g: SideSummary[]; b: SideSummary[]; realizedOnly?: boolean; ref: number | null };
  const rows: Row[] = [
    {
      name: "old model, old metric (frictionless keeper, naive bidders, bad debt realized only)",
      ...old,
      realizedOnly: true,
      ref: null,
    },
    { name: "+ open shortfall counted as bad debt (same runs)", ...old, ref: 0 },
    { name: "+ keepers with frictions (bidders kick and reset)", ...mHarsh, ref: 1 },
    { name: "+ strategic bidders (instead of naive)", ...mHarshS, ref: 2 },
    { name: `+ flash share 1/3 (instead of none; naive; ${flash.seeds.length} seeds)`, ...flash, ref: 2 },
    {
      name: `+ lagging oracle, max_age 300 s (instead of fresh; naive; ${lag.seeds.length} seeds)`,
      ...lag,
      ref: 2,
    },
  ];
  const bad = (row: Row, side: "g" | "b"): number[] =>
    row[side].map((x) =>
      row.realizedOnly ? x.badDebtRealized / Math.max(1, x.liquidatedDebt) : x.badDebtRatio,
    );
  const disc = (row: Row, side: "g" | "b"): number[] => row[side].map((x) => x.discountMedian);
  const arrow = (ref: number[], now: number[]): string =>
    !ref.length ? "" : Math.abs(med(now) - med(ref)) < 1e-5 ? "=" : med(now) > med(ref) ? "↑" : "↓";
  L.push(
    "",
    "## Which model fix moved which figure (issue 17, Maker mode)",
    "",
    "Harsh calibration, Gavel in Maker mode, median (worst) over seeds, each arrow against the row the fix applies to: the row above for the first three; the keeper row for the last three, which are alternatives to it.",
    "",
    "| model | seeds | bad debt Maker | | median discount Maker | | discount before impact Maker | bad debt B | | median discount B | |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
  );
  for (const row of rows) {
    if (!row.g.length) continue;
    const ref = row.ref === null ? null : rows[row.ref];
    const cell = (f: (r: Row, side: "g" | "b") => number[], side: "g" | "b", d: number): string =>
      `${mw(f(row, side), d)} | ${ref ? arrow(f(ref, side), f(row, side)) : ""}`;
    L.push(
      `| ${row.name} | ${row.g.length} | ${cell(bad, "g", 3)} | ${cell(disc, "g", 2)} | ${pct(med(row.g.map((x) => x.discountPreImpactMedian)))} | ${cell(bad, "b", 3)} | ${cell(disc, "b", 2)} |`,
    );
  }
  L.push(
    "",
    `Measuring the discount before the liquidations' own impact (against the exogenous price) moves every side up: on harsh, v2 ${pct(med(harsh.g.map((x) => x.discountPreImpactMedian)))} vs ${pct(med(dm(harsh.g)))} after impact, Maker ${pct(med(mHarsh.g.map((x) => x.discountPreImpactMedian)))} vs ${pct(med(dm(mHarsh.g)))}, B ${pct(med(harsh.b.map((x) => x.discountPreImpactMedian)))} vs ${pct(med(dm(harsh.b)))}.`,
  );

  // Capital sweep.
  L.push(
    "",
    "## Capital sweep (harsh, USDC per bidder)",
    "",
    "| capital per bidder | seeds v2 / Maker | bad debt v2 | bad debt Maker | bad debt B | median discount v2 | median discount Maker | median discount B | borrower cost v2 / Maker / B (median) | v2 bad debt ≤ B on every seed |",
    "|---|---|---|---|---|---|---|---|---|---|",
  );
  for (const { cap, gr, gm } of capRows)
    L.push(
      `| $${cap.toLocaleString("en-US")} | ${gr.seeds.length} / ${gm.seeds.length} | ${mw(bd(gr.g), 3)} | ${mwOr(bd(gm.g), 3)} | ${mw(bd(gr.b), 3)} | ${mw(dm(gr.g))} | ${mwOr(dm(gm.g))} | ${mw(dm(gr.b))} | ${cost(gr.g)} / ${cost(gm.g)} / ${cost(gr.b)} | ${excess(gr) <= 1e-12 ? "yes" : `**no** (by up to ${pct(excess(gr), 3)})`} |`,
    );
  // Backstop dimension.
  L.push(
    "",
    "## Backstop pool (harsh, v2, capital × backstop size)",
    "",
    `The backstop pool (merged on main during this round) absorbs an auction still open ${SIM_BACKSTOP.absorbAfterSecs.toNumber() / 60} minutes after its kick or whose lot is worth at most its tab + ${SIM_BACKSTOP.absorbNearBps / 100}%, at the auction's current price, when an online bidder-keeper (same latency, outages and fees as kicks) sends \`absorb\`. Bidders buy the pool's collateral back with \`buy_from_backstop\` at the oracle less ${SIM_BACKSTOP.buyDiscountBps / 100}% (a second venue, with the same margin and cost checks as a take; their sales move the price like a take's), so the pool's capital recycles; the pool's mark-to-market loss is its depositors', not bad debt. The baseline has no backstop. Absorbed share = USDC the backstop paid for what it absorbed (debt and penalty, like a take's payment) / liquidated debt (without penalty), so it can exceed 100% when the pool takes nearly everything.`,
    "",
    "| backstop | capital per bidder | seeds | bad debt v2 | bad debt B | median discount v2 | absorbed share (median, max) | v2 bad debt ≤ B on every seed |",
    "|---|---|---|---|---|---|---|---|",
  );
  for (const cap of CAPITALS)
    for (const size of [0, ...BACKSTOPS]) {
      const gr =
        size === 0
          ? cap === 10_000
            ? harsh
            : v2(`capital ${cap}|ltv 8000`)
          : v2(`backstop ${size}|capital ${cap}`);
      if (!gr.g.length) continue;
      const ab = gr.g.map((x) => x.absorbedShare);
      L.push(
        `| $${(size / 1000).toFixed(0)}k | $${cap.toLocaleString("en-US")} | ${gr.seeds.length} | ${mw(bd(gr.g), 3)} | ${mw(bd(gr.b), 3)} | ${mw(dm(gr.g))} | ${pct(med(ab))}, ${pct(Math.max(...ab))} | ${excess(gr) <= 1e-12 ? "yes" : `**no** (by up to ${pct(excess(gr), 3)})`} |`,
      );
    }
  // Funding dimension.
  const usd = (x: number): string => Math.round(x).toLocaleString("en-US");
  const range = (xs: number[]): string =>
    `${usd(med(xs))} (${usd(Math.min(...xs))} – ${usd(Math.max(...xs))})`;
  L.push(
    "",
    `## Backstop funding shares (harsh, v2, $${FUNDING_POOL / 1000}k pool)`,
    "",
    `The market owes the pool ${FUNDING_BPS / 100}% of borrow interest and ${FUNDING_BPS / 100}% of each penalty (\`--interest-share ${FUNDING_BPS} --penalty-share ${FUNDING_BPS}\`; 0 is the runs of the backstop dimension); a funding keeper sends \`fund_backstop\` every hour, before every depositor withdrawal and at the end. The depositors' P&L = income (the funding moved into the pool) − loss (USDC paid for absorbed lots, less what \`buy_from_backstop\` paid back and the collateral still held at the last market price). LP P&L = the LPs' pool value at the end − at the start. Cells: median (min – max) over seeds, USDC.`,
    "",
    "| shares (bps) | capital per bidder | seeds | depositors' income | loss | net P&L | bad debt v2 | bad debt B | LP P&L | insurance fund change |",
    "|---|---|---|---|---|---|---|---|---|---|",
  );
  for (const cap of FUNDING_CAPITALS)
    for (const bps of [0, FUNDING_BPS]) {
      const gr = v2(`backstop ${FUNDING_POOL}|capital ${cap}${bps === 0 ? "" : `|funding ${bps}`}`);
      if (!gr.g.length) continue;
      const f = (k: (x: Summary) => number): string => range(gr.g.map(k));
      L.push(
        `| ${bps} / ${bps} | $${cap.toLocaleString("en-US")} | ${gr.seeds.length} | ${f((x) => x.backstopIncomeUsd)} | ${f((x) => x.backstopLossUsd)} | ${f((x) => x.backstopPnlUsd)} | ${mw(bd(gr.g), 3)} | ${mw(bd(gr.b), 3)} | ${f((x) => x.lpPnlUsd)} | ${f((x) => x.insuranceChangeUsd)} |`,
      );
    }
  const capSeries = (f: (x: SideSummary) => number, side: "g" | "b" | "m") => {
    const rows = capRows
      .map(({ cap, gr, gm }) => ({ cap, xs: (side === "m" ? gm.g : gr[side]).map(f) }))
      .filter((x) => x.xs.length);
    return {
      points: rows.map(({ cap, xs }): [number, number] => [cap, med(xs)]),
      band: rows.map(({ cap, xs }): [number, number, number] => [cap, Math.min(...xs), Math.max(...xs)]),
    };
  };
  const capChart = (title: string, f: (x: SideSummary) => number, goal: number, goalName: string): string =>
    lineChart({
      title,
      xLabel: "USDC per bidder (3 bidders; log scale)",
      yLabel: "% (median over seeds, band min–max)",
      xLog: true,
      xTicks: CAPITALS,
      xFmt: (x) => `$${x / 1000}k`,
      yFmt: (y) => `${(y * 100).toFixed(1)}%`,
      yZero: true,
      series: [
        { name: "Gavel v2", color: "#1f77b4", ...capSeries(f, "g") },
        { name: "Gavel Maker mode", color: "#ff7f0e", dashed: true, ...capSeries(f, "m") },
        { name: "fixed-bonus baseline", color: "#2ca02c", dashed: true, ...capSeries(f, "b") },
        {
          name: goalName,
          color: "#d62728",
          dashed: true,
          points: [
            [CAPITALS[0], goal],
            [CAPITALS[CAPITALS.length - 1], goal],
          ],
        },
      ],
    });
  if (capRows.length) {
    save(
      "capital-bad-debt.svg",
      capChart("Bad debt vs bidder capital (harsh)", (x) => x.badDebtRatio, 0.001, "goal 0.1%"),
    );
    save(
      "capital-discount.svg",
      capChart(
        "Median clearing discount vs bidder capital (harsh)",
        (x) => x.discountMedian,
        0.03,
        "goal 3%",
      ),
    );
  }
  // Heatmap.
  const heatVals = HEAT_LTV.map((ltv) =>
    CAPITALS.map((cap) => {
      const gr = cap === 10_000 && ltv === 8_000 ? harsh : v2(`capital ${cap}|ltv ${ltv}`);
      return gr.g.length ? med(gr.g.map((x) => x.badDebtRatio)) : null;
    }),
  );
  save(
    "heatmap-bad-debt.svg",
    heatmap({
      title: "Gavel v2 bad debt (median over seeds), harsh: bidder capital × liquidation LTV",
      xLabel: "USDC per bidder",
      yLabel: "liquidation LTV",
      xs: CAPITALS.map((c) => `$${c / 1000}k`),
      ys: HEAT_LTV.map((l) => `${l / 100}%`),
      values: heatVals,
      fmt: (v) => pct(v, 2),
      unit: "bad debt / liquidated",
    }),
  );
  L.push(
    "",
    "Charts: [bad debt vs capital](report/capital-bad-debt.png) ([svg](report/capital-bad-debt.svg)), [discount vs capital](report/capital-discount.png) ([svg](report/capital-discount.svg)), [v2 bad-debt heatmap capital × liquidation LTV](report/heatmap-bad-debt.png) ([svg](report/heatmap-bad-debt.svg)), price path with takes, harsh seed 1: [v2](report/harsh-price.png) ([svg](report/harsh-price.svg)), [Maker mode](report/harsh-price-maker.png) ([svg](report/harsh-price-maker.svg)).",
    "",
    "![bad debt vs capital](report/capital-bad-debt.png)",
    "",
    "![discount vs capital](report/capital-discount.png)",
    "",
    "![heatmap](report/heatmap-bad-debt.png)",
    "",
    `Heatmap cells (median bad debt v2 over ${plan.heatSeeds} seed(s); liquidation LTV 80% over ${plan.sweepSeeds}):`,
    "",
    `| liquidation LTV | ${CAPITALS.map((c) => `$${c / 1000}k`).join(" | ")} |`,
    `|---|${CAPITALS.map(() => "---").join("|")}|`,
    ...HEAT_LTV.map(
      (l, i) => `| ${l / 100}% | ${heatVals[i].map((v) => (v === null ? "—" : pct(v, 3))).join(" | ")} |`,
    ),
  );

  // One run side by side, each mode.
  for (const [mech, chart] of [
    ["v2", "harsh-price.svg"],
    ["maker", "harsh-price-maker.svg"],
  ] as [Mech, string][]) {
    const full = [...results].find(([j]) => j.full && j.key.startsWith(`${mech}:`))?.[1].full;
    if (!full) continue;
    save(chart, priceChart(full));
    L.push(
      "",
      `## One run side by side (harsh, naive bidders, seed 1, ${MECHS[mech].name})`,
      "",
      ...sideTable(full),
      "",
      `![price path, ${MECHS[mech].name}](report/${chart.replace(".svg", ".png")})`,
    );
  }
  L.push(
    "",
    "## The model",
    "",
    "- **Path and market.** Exogenous price path (`blackthursday`: −43% in a day, congestion peaking in the crash; `rebound`: the same fall to 58% by hour 12, back to 90% by hour 20) times a price impact fed by every liquidation's sale (v / depth, recovering with a half-life). Gavel and the baseline each have their own impacted copy of the market.",
    "- **Bidders** (3): capital each (`--capital`), sale proceeds back after `--recycle` s, latency latency × (i + 1) + congestion extra, offline draws rising with congestion, margin 1%, 2%, 3%, fees rising with congestion, a cost check (the sale at the price they see, net of slippage and own impact, must cover the payment). The baseline replays the Gavel run's order and offline draws.",
    "- **Keepers with frictions.** Kicks and resets are sent by the same bidders: an online bidder kicks a position once it has been unsafe for its latency and resets an auction once it has been due for its latency, paying the step's fee and earning the program's keeper reward. `--keeper free` restores the old every-step keeper (the \"old model\" rows).",
    "- **Strategies.** `naive`: oldest auction first, at the first price under its limit. `best`: deepest discount first. `waiter`: while every rival's on-chain USDC is under $100 it holds out for 5% (`--wait`) more discount, unless the auction would need a reset by the next step. The strategic population is best, waiter, naive. In the baseline strategies change nothing (the bonus is fixed).",
    "- **Flash capital** (`--flash-share`): the last round(share × bidders) bidders take through `take_begin` / swap / `take_end` in one transaction (the program's flash take, against a venue account) with no capital; the size is capped so that the average sale price after slippage and their own impact stays their margin above what they pay (2 × depth × (1 − slippage − margin − price / seen) USD), and the transaction is only sent when the sale actually covers the payment. In the baseline the same bidders repay with no capital under the same cap.",
    "- **Lagging oracle** (`--oracle-lag on`): every transaction that reads the oracle (kick, reset, baseline liquidation) posts the pull update that suits its sender among the market prices within `max_age` (the lowest); the scenario uses `--max-age 300`.",
    "- **Mechanism inputs.** `--mode dutch|anchored` (price mode) and `--kick-mode whole|partial` are inputs of a run, mapped to the market's parameters in `marketParams` (engine.ts) from the engine v2 defaults `V2_ENGINE` (sdk/src/types.ts, the one place the SDK's tests, the specs and the simulator take them from); `--d-start`, `--d-rate`, `--d-max-base`, `--d-max-cap`, `--target-ltv`, `--full-ltv`, `--tail` override them. In anchored mode every take passes the oracle account (the program prices it from the live oracle) and bidders price with the SDK's `takePrice` against the oracle posted that step; partial kicks are sized by the program, and the keeper predicts each kick with the SDK's `kickSize` (a mismatch is counted and reported).",
    "- **Backstop pool** (`--backstop USDC`): created with the market (parameters `SIM_BACKSTOP` in engine.ts), its deposit split between `SIM_BACKSTOP_DEPOSITORS` depositors and warmed up before the path starts; bidder-keepers absorb what is absorbable (the SDK's `absorbable`) under their frictions. Every other run has none (size 0). `--backstop-run X` (not in this report's runs): round(X × depositors) depositors request all their shares at the first step a position is liquidatable and send `withdraw_backstop` every step from the end of the cooldown; the program pays them only when the market has no live auction (refused attempts are counted).",
    "- **Backstop funding** (`--interest-share BPS`, `--penalty-share BPS`; default 0, the SDK's): the market's `backstop_interest_share_bps` / `backstop_penalty_share_bps`. A funding keeper (no friction: the crank pays no reward) sends the real `fund_backstop` every `--fund-every` s (default 3,600), before every depositor withdrawal and once at the end; calls and refusals (nothing due, no shares) are counted. Only the funding section's runs set them.",
    "",
    "## Caveats",
    "",
    "- The baseline is an off-chain model (no transaction can fail, its debt accrues no interest); Gavel runs through the program.",
    "- The waiter's belief reads only USDC balances: it does not know which rivals can flash.",
    "- A failed kick or reset costs nothing (bidders simulate first); each position gets one kick attempt per step.",
    "- Spreads are across seeds (each seed also draws a different borrower book), not confidence intervals.",
  );
  return { md: L.join("\n") + "\n", svgs };
}

/** Writes REPORT.md formatted by prettier (the repository's lint checks it) and renders the PNGs. */
async function finish(outDir: string, md: string, svgs: string[], png: boolean): Promise<void> {
  const prettier = await import("prettier");
  const file = path.join(outDir, "REPORT.md");
  const options = (await prettier.resolveConfig(file)) ?? {};
  fs.writeFileSync(file, await prettier.format(md, { ...options, filepath: file }));
  if (png) await renderPngs(svgs);
}

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** The raw results of a report run (to re-render the report with `--from` without re-running). */
interface Saved {
  plan: Plan;
  secs: number;
  load: string;
  jobs: number;
  small: boolean;
  runs: { job: Job; brief: Brief }[];
}

export async function main(argv: string[]): Promise<void> {
  const small = argv.includes("--small");
  const plan = { ...(small ? SMALL_PLAN : FULL_PLAN) };
  const seeds = flag(argv, "--seeds");
  if (seeds) plan.goalSeeds = Number(seeds);
  const outDir = flag(argv, "--out") ?? path.join("app", "sim");
  const raw = path.join("target", small ? "sim-report-small.json" : "sim-report.json");
  const from = flag(argv, "--from");
  if (from) {
    const saved = JSON.parse(fs.readFileSync(from, "utf8")) as Saved;
    const results = new Map(saved.runs.map((x) => [x.job, x.brief]));
    const { md, svgs } = writeReport(outDir, { ...saved, results });
    await finish(outDir, md, svgs, !argv.includes("--no-png"));
    console.log(`sim:report: re-rendered ${path.join(outDir, "REPORT.md")} from ${from}`);
    return;
  }
  const jobsN = Number(flag(argv, "--jobs") ?? 2);
  const jobs = planJobs(plan);
  const load0 = os.loadavg()[0].toFixed(2);
  const t0 = Date.now();
  console.log(
    `sim:report: ${jobs.length} runs on ${jobsN} workers (load average ${load0}), output ${outDir}`,
  );
  const results = await runPool(jobs, jobsN, (done, job, secs) => {
    const el = (Date.now() - t0) / 1000;
    const eta = (el / done) * (jobs.length - done);
    console.log(
      `[${done}/${jobs.length}] ${job.key} seed ${flag(job.argv, "--seed")}: ${secs.toFixed(1)} s (elapsed ${(el / 60).toFixed(1)} min, eta ${(eta / 60).toFixed(1)} min)`,
    );
  });
  const secs = (Date.now() - t0) / 1000;
  const load = `${load0} / ${os.loadavg()[0].toFixed(2)}`;
  const saved: Saved = {
    plan,
    secs,
    load,
    jobs: jobsN,
    small,
    runs: [...results].map(([job, brief]) => ({ job, brief })),
  };
  fs.mkdirSync(path.dirname(raw), { recursive: true });
  fs.writeFileSync(raw, JSON.stringify(saved));
  const { md, svgs } = writeReport(outDir, { results, plan, secs, load, jobs: jobsN, small });
  await finish(outDir, md, svgs, !argv.includes("--no-png"));
  console.log(
    `sim:report: done in ${(secs / 60).toFixed(1)} min; ${path.join(outDir, "REPORT.md")} and ${svgs.length} charts`,
  );
}

if (require.main === module) {
  if (process.argv.includes("--worker")) serveWorker();
  else
    main(process.argv.slice(2)).catch((e) => {
      console.error(`error: ${(e as Error).message}`);
      process.exit(1);
    });
}

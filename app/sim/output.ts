/**
 * Writes a run's outputs: results.json, results.csv (per auction of the first seed), chart.svg
 * (price path with takes), sweep.svg (discount vs parameter, for a sweep) and report.md. SVG drawn
 * by hand.
 */
import * as fs from "fs";
import * as path from "path";
import { lineChart, Series } from "./charts";
import { RunResult, SideSummary, Summary } from "./engine";
import { quantile } from "./paths";

/** One value of a swept parameter, run on every seed. */
export interface SweepPoint {
  param: string;
  value: number;
  label: string;
  results: RunResult[];
}

const pct = (x: number): string => `${(x * 100).toFixed(3)}%`;

/** "median [min–max]" of a metric over seeds (just the value for one seed). */
export function spread(xs: number[], f: (x: number) => string): string {
  if (xs.length === 1) return f(xs[0]);
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return `${f(mid)} [${f(s[0])}–${f(s[s.length - 1])}]`;
}

export function csv(run: RunResult): string {
  const head =
    "id,kick_t,settle_t,duration,debt,tab,raised,bad_debt,takes,takers,resets,clearing_prices,discount_vs_market,discount_vs_exogenous";
  const rows = run.auctions.map((a) =>
    [
      a.id,
      a.kickT,
      a.settleT ?? "",
      a.duration ?? "",
      a.debt.toFixed(6),
      a.tab.toFixed(6),
      a.raised.toFixed(6),
      a.badDebt.toFixed(6),
      a.takes,
      a.takers,
      a.resets,
      a.clearingPrices.map((p) => p.toFixed(4)).join(";"),
      a.discount === null ? "" : a.discount.toFixed(6),
      a.discountPreImpact === null ? "" : a.discountPreImpact.toFixed(6),
    ].join(","),
  );
  return [head, ...rows].join("\n") + "\n";
}

/**
 * One row per seed of the run's headline figures, with the backstop depositors' P&L split into
 * income (funding) and loss (absorbed collateral marked to market), and the LPs' P&L.
 */
export function seedsCsv(runs: RunResult[]): string {
  const cols: [string, (r: RunResult) => number][] = [
    ["seed", (r) => r.config.seed],
    ["liquidated_debt", (r) => r.summary.liquidatedDebt],
    ["bad_debt_ratio", (r) => r.summary.badDebtRatio],
    ["discount_median", (r) => r.summary.discountMedian],
    ["baseline_bad_debt_ratio", (r) => r.baseline.badDebtRatio],
    ["backstop_deposits", (r) => r.config.mechanism.backstopUsd],
    ["absorbs", (r) => r.summary.absorbs],
    ["absorbed_share", (r) => r.summary.absorbedShare],
    ["backstop_income", (r) => r.summary.backstopIncomeUsd],
    ["backstop_loss", (r) => r.summary.backstopLossUsd],
    ["backstop_pnl", (r) => r.summary.backstopPnlUsd],
    ["backstop_due_at_end", (r) => r.summary.backstopDueAtEndUsd],
    ["fund_calls", (r) => r.summary.fundCalls],
    ["fund_refused", (r) => r.summary.fundRefused],
    ["lp_pnl", (r) => r.summary.lpPnlUsd],
    ["insurance_change", (r) => r.summary.insuranceChangeUsd],
  ];
  const rows = runs.map((r) => cols.map(([, f]) => String(f(r))).join(","));
  return [cols.map(([name]) => name).join(","), ...rows].join("\n") + "\n";
}

/** Price path with the takes (and the baseline's liquidations on its own market). */
export function priceChart(run: RunResult): string {
  // At most ~400 points per line keeps the file small (takes are all drawn).
  const every = Math.ceil(run.path.length / 400);
  const keep = <T>(xs: T[]): T[] => xs.filter((_, i) => i % every === 0 || i === xs.length - 1);
  const h = (t: number): number => t / 3600;
  const step = run.config.stepSecs;
  return lineChart({
    title: `Price path and liquidations: ${run.config.scenario}, ${run.config.stress}, seed ${run.config.seed}`,
    xLabel: "time (hours)",
    yLabel: "price (USD per SOL)",
    yFmt: (y) => `$${y.toFixed(0)}`,
    xFmt: (x) => x.toFixed(0),
    series: [
      { name: "exogenous price", color: "#888", points: keep(run.path).map((p) => [h(p.t), p.exo]) },
      {
        name: "Gavel market (impact)",
        color: "#1f77b4",
        points: keep(run.path).map((p) => [h(p.t), p.oracle]),
      },
      {
        name: "baseline market (impact)",
        color: "#2ca02c",
        dashed: true,
        points: keep(run.baselinePath.map((p, i): [number, number] => [h(i * step), p])),
      },
      {
        name: "Gavel takes",
        color: "#d62728",
        dots: true,
        points: run.takes.map((t) => [h(t.t), t.priceUsd]),
      },
      {
        name: "baseline liquidations",
        color: "#9467bd",
        dots: true,
        points: run.baselineLiquidations.map((l) => [h(l.t), l.priceUsd]),
      },
    ],
  });
}

/** Discount and bad debt against a swept parameter (median over seeds, min–max band). */
export function sweepChart(points: SweepPoint[]): string {
  const med = (xs: number[]): number => quantile(xs, 0.5);
  const at = (f: (r: RunResult) => number): Series["band"] =>
    points.map((p, i) => [i, Math.min(...p.results.map(f)), Math.max(...p.results.map(f))]);
  const line = (f: (r: RunResult) => number): [number, number][] =>
    points.map((p, i) => [i, med(p.results.map(f))]);
  const g = (r: RunResult): Summary => r.summary;
  return lineChart({
    title: `Sweep of ${points[0]?.param ?? "?"} (median of ${points[0]?.results.length ?? 0} seeds, band min–max)`,
    xLabel: points[0]?.param ?? "",
    yLabel: "% (of liquidated debt / vs market price)",
    xTicks: points.map((_, i) => i),
    xFmt: (i) => points[i]?.label ?? "",
    yFmt: (y) => `${(y * 100).toFixed(1)}%`,
    yZero: true,
    series: [
      {
        name: "Gavel median discount",
        color: "#1f77b4",
        points: line((r) => g(r).discountMedian),
        band: at((r) => g(r).discountMedian),
      },
      {
        name: "Gavel bad debt",
        color: "#d62728",
        points: line((r) => g(r).badDebtRatio),
        band: at((r) => g(r).badDebtRatio),
      },
      {
        name: "baseline median discount",
        color: "#2ca02c",
        dashed: true,
        points: line((r) => r.baseline.discountMedian),
      },
      {
        name: "baseline bad debt",
        color: "#9467bd",
        dashed: true,
        points: line((r) => r.baseline.badDebtRatio),
      },
    ],
  });
}

/** Markdown rows (one per seed, then the spread) of the headline figures, Gavel / baseline. */
function seedRows(runs: RunResult[], first: string): string[] {
  const both = (f: (x: SideSummary) => number, fmt: (x: number) => string) => ({
    one: (r: RunResult) => `${fmt(f(r.summary))} / ${fmt(f(r.baseline))}`,
    all: () =>
      `${spread(
        runs.map((r) => f(r.summary)),
        fmt,
      )} / ${spread(
        runs.map((r) => f(r.baseline)),
        fmt,
      )}`,
  });
  const usd = (x: number): string => x.toFixed(0);
  const cols = [
    both((x) => x.liquidatedDebt, usd),
    both((x) => x.badDebtRatio, pct),
    both((x) => x.discountMedian, pct),
    both((x) => x.discountPreImpactMedian, pct),
    both((x) => x.borrowerCostRatio, pct),
  ];
  const g = (f: (s: Summary) => number, fmt: (x: number) => string) => ({
    one: (r: RunResult) => fmt(f(r.summary)),
    all: () =>
      spread(
        runs.map((r) => f(r.summary)),
        fmt,
      ),
  });
  const gcols = [
    g(
      (s) => s.takesPerAuction,
      (x) => x.toFixed(2),
    ),
    g(
      (s) => s.durationMedianSecs / 60,
      (x) => x.toFixed(1),
    ),
    g(
      (s) => s.kickWaitMedianSecs / 60,
      (x) => x.toFixed(1),
    ),
  ];
  const rows =
    runs.length > 1
      ? runs.map((r) => `| ${r.config.seed} | ${[...cols, ...gcols].map((c) => c.one(r)).join(" | ")} |`)
      : [];
  return [
    `| ${first} | liquidated debt (USDC) G / B | bad debt incl. open shortfall / liquidated G / B | median discount vs market G / B | median discount vs exogenous price G / B | borrower cost / liquidated G / B | takes / auction | median auction duration (min) | median wait unsafe → kick (min) |`,
    `|---|---|---|---|---|---|---|---|---|`,
    ...rows,
    `| ${runs.length > 1 ? `median [min–max] of ${runs.length}` : runs[0].config.seed} | ${[...cols, ...gcols].map((c) => c.all()).join(" | ")} |`,
  ];
}

/** The side-by-side table of one run: the same metrics for Gavel and the baseline. */
export function sideTable(run: RunResult): string[] {
  const s = run.summary;
  const b = run.baseline;
  const u = (x: number): string => x.toFixed(2);
  const row = (name: string, f: (x: SideSummary) => string): string => `| ${name} | ${f(s)} | ${f(b)} |`;
  return [
    `| metric | Gavel (Dutch auction) | fixed-bonus baseline (5%, close factor 50%) |`,
    `|---|---|---|`,
    row("liquidations (auctions / calls)", (x) => String(x.liquidations)),
    row("liquidated debt (USDC)", (x) => u(x.liquidatedDebt)),
    row("collateral sold (SOL)", (x) => x.collateralSold.toFixed(3)),
    row("bad debt realized (USDC)", (x) => u(x.badDebtRealized)),
    row("shortfall still open at the end (USDC)", (x) => u(x.shortfallAtEnd)),
    row("bad debt incl. open shortfall / liquidated debt", (x) => pct(x.badDebtRatio)),
    row(
      "discount vs market (after own impact), median / p95",
      (x) => `${pct(x.discountMedian)} / ${pct(x.discountP95)}`,
    ),
    row(
      "discount vs exogenous price (before own impact), median / p95",
      (x) => `${pct(x.discountPreImpactMedian)} / ${pct(x.discountPreImpactP95)}`,
    ),
    row("borrower cost: penalty (USDC)", (x) => u(x.penaltyUsd)),
    row("borrower cost: discount (USDC)", (x) => u(x.discountCostUsd)),
    row(
      "borrower total cost (USDC) and / liquidated debt",
      (x) => `${u(x.borrowerCostUsd)} (${pct(x.borrowerCostRatio)})`,
    ),
    row("liquidators' net profit (USDC)", (x) => u(x.liquidatorNetProfit)),
    row("largest own price impact", (x) => pct(x.maxImpact)),
    row("lowest market price", (x) => `$${x.minPriceUsd.toFixed(2)}`),
    `| takes / distinct bidders per auction (flash takes) | ${s.takesPerAuction.toFixed(2)} / ${s.takersPerAuction.toFixed(2)} (${s.flashTakes}) | — |`,
    `| kicks, resets; keeper rewards / keeper fees (USDC) | ${s.kicks}, ${s.resets}; ${u(s.keeperRewards)} / ${u(s.keeperFees)} | — |`,
    `| wait unsafe → kick (Gavel) or → liquidation (baseline), median / max (min) | ${(s.kickWaitMedianSecs / 60).toFixed(1)} / ${(s.kickWaitMaxSecs / 60).toFixed(1)} | ${(b.waitMedianSecs / 60).toFixed(1)} / ${(b.waitMaxSecs / 60).toFixed(1)} |`,
    `| chances refused: no USDC / margin or cost | — | ${b.capitalSkips} / ${b.costSkips} |`,
    `| LP loss (insurance used) (USDC) | ${u(s.lpLoss)} (${u(s.insuranceUsed)}) | — |`,
    `| LP P&L (pool value end − start); insurance fund change (USDC) | ${u(s.lpPnlUsd)}; ${u(s.insuranceChangeUsd)} | — |`,
    ...(run.config.mechanism.backstopUsd > 0
      ? [
          `| backstop depositors: income (funding) / loss (absorbed collateral marked to market) / net P&L (USDC) | ${u(s.backstopIncomeUsd)} / ${u(s.backstopLossUsd)} / ${u(s.backstopPnlUsd)} | — |`,
          `| fund_backstop calls: paid / sent; funding still due at the end (USDC) | ${s.fundCalls - s.fundRefused} / ${s.fundCalls}; ${u(s.backstopDueAtEndUsd)} | — |`,
        ]
      : []),
  ];
}

export function report(runs: RunResult[], secs: number, sweep: SweepPoint[]): string {
  const run = runs[0];
  const worstLoss = Math.max(...runs.map((r) => r.summary.badDebtRatio));
  const worstDisc = Math.max(...runs.map((r) => r.summary.discountMedian));
  const cfg = Object.entries(run.config)
    .filter(([k]) => k !== "params")
    .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(", ");
  const lines = [
    `# Gavel simulation report`,
    ``,
    `Scenario \`${run.config.scenario}\`, stress \`${run.config.stress}\`, seeds ${runs.map((r) => r.config.seed).join(", ")}, ${run.config.borrowers} borrowers, ${run.config.bidders} bidders, step ${run.config.stepSecs} s, wall time ${secs.toFixed(1)} s. Every auction ran through the real gavel.so in LiteSVM; vault accounting was checked after ${run.summary.invariantChecks} steps (first seed).`,
    ``,
    `Configuration: ${cfg}; market parameter overrides: ${JSON.stringify(run.config.params)}.`,
    ``,
    `## Summary (seed ${run.config.seed})`,
    ``,
    ...sideTable(run),
    ``,
    `The baseline is liquidated by the same bidders (own capital or flash, recycle delay, offline draws, latency, margin and cost check as in the auctions) on its own copy of the market (same exogenous path and impact model, moved by its own sales).`,
    ``,
    `## Seeds (G = Gavel, B = baseline)`,
    ``,
    ...seedRows(runs, "seed"),
    ``,
    `## Goals (worst of ${runs.length} seed${runs.length > 1 ? "s" : ""})`,
    ``,
    `- bad debt (with the shortfall still open at the end) ≤ 0.1% of liquidated debt: **${worstLoss <= 0.001 ? "met" : "NOT met"}** (${pct(worstLoss)})`,
    `- median clearing discount ≤ 3%: **${worstDisc <= 0.03 ? "met" : "NOT met"}** (${pct(worstDisc)})`,
    ``,
    `## Files`,
    ``,
    `results.json (config, summary, baseline, per-auction and per-take records and path of the first seed; summaries of every seed and sweep run), results.csv (per auction, first seed), seeds.csv (per seed: headline figures, the backstop depositors' income, loss and P&L, the LPs' P&L), chart.svg (price path with takes)${sweep.length ? ", sweep.svg" : ""}.`,
  ];
  if (sweep.length) {
    lines.push(``, `## Sweep of \`${sweep[0].param}\``, ``);
    for (const p of sweep) {
      const rows = seedRows(p.results, p.param);
      if (p === sweep[0]) lines.push(rows[0], rows[1]);
      lines.push(rows[rows.length - 1].replace(/^\| [^|]+\|/, `| ${p.label} |`));
    }
  }
  return lines.join("\n") + "\n";
}

const brief = (r: RunResult): object => ({ seed: r.config.seed, summary: r.summary, baseline: r.baseline });

export function writeOutputs(dir: string, runs: RunResult[], secs: number, sweep: SweepPoint[] = []): void {
  fs.mkdirSync(dir, { recursive: true });
  const run = runs[0];
  const json = {
    ...run,
    seeds: runs.map(brief),
    sweep: sweep.map((p) => ({
      param: p.param,
      value: p.value,
      label: p.label,
      seeds: p.results.map(brief),
    })),
  };
  fs.writeFileSync(path.join(dir, "results.json"), JSON.stringify(json, null, 1));
  fs.writeFileSync(path.join(dir, "results.csv"), csv(run));
  fs.writeFileSync(path.join(dir, "seeds.csv"), seedsCsv(runs));
  fs.writeFileSync(path.join(dir, "chart.svg"), priceChart(run));
  if (sweep.length) fs.writeFileSync(path.join(dir, "sweep.svg"), sweepChart(sweep));
  fs.writeFileSync(path.join(dir, "report.md"), report(runs, secs, sweep));
}

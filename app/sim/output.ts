/**
 * Writes a run's outputs: results.json, results.csv (per auction of the first seed), chart.svg
 * (price path with takes), sweep.svg (discount vs parameter, for a sweep) and report.md. SVG drawn
 * by hand.
 */
import * as fs from "fs";
import * as path from "path";
import { RunResult, Summary } from "./engine";

/** One value of a swept parameter, run on every seed. */
export interface SweepPoint {
  param: string;
  value: number;
  label: string;
  results: RunResult[];
}

const pct = (x: number): string => `${(x * 100).toFixed(3)}%`;

/** Bad debt plus the unrealized shortfall at the end, over liquidated debt. */
export const lossRatio = (s: Summary): number =>
  s.liquidatedDebt > 0 ? (s.badDebt + s.shortfallAtEnd) / s.liquidatedDebt : 0;

/** "median [min–max]" of a metric over seeds (just the value for one seed). */
function spread(xs: number[], f: (x: number) => string): string {
  if (xs.length === 1) return f(xs[0]);
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return `${f(mid)} [${f(s[0])}–${f(s[s.length - 1])}]`;
}

export function csv(run: RunResult): string {
  const head =
    "id,kick_t,settle_t,duration,debt,tab,raised,bad_debt,takes,takers,resets,clearing_prices,discount_vs_oracle";
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
    ].join(","),
  );
  return [head, ...rows].join("\n") + "\n";
}

export function priceChart(run: RunResult): string {
  const W = 900;
  const H = 360;
  const pad = 50;
  const tMax = Math.max(1, run.path[run.path.length - 1].t);
  const ps = run.path.flatMap((p) => [p.exo, p.oracle]).concat(run.takes.map((t) => t.priceUsd));
  const lo = Math.min(...ps) * 0.97;
  const hi = Math.max(...ps) * 1.03;
  const x = (t: number): number => pad + ((W - 2 * pad) * t) / tMax;
  const y = (p: number): number => H - pad - ((H - 2 * pad) * (p - lo)) / (hi - lo);
  // At most ~300 points per line keeps the file small (takes are all drawn).
  const every = Math.ceil(run.path.length / 300);
  const pts = run.path.filter((_, i) => i % every === 0 || i === run.path.length - 1);
  const line = (k: "exo" | "oracle"): string =>
    pts.map((p, i) => `${i ? "L" : "M"}${x(p.t).toFixed(0)},${y(p[k]).toFixed(0)}`).join(" ");
  const dots = run.takes
    .map((t) => `<circle cx="${x(t.t).toFixed(1)}" cy="${y(t.priceUsd).toFixed(1)}" r="2.5" fill="#d62728"/>`)
    .join("");
  const ticks = [lo, (lo + hi) / 2, hi]
    .map((p) => `<text x="5" y="${y(p).toFixed(1)}" font-size="11">$${p.toFixed(0)}</text>`)
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
<rect width="100%" height="100%" fill="white"/>
<text x="${pad}" y="20" font-size="14">Price path (${run.config.scenario}, seed ${run.config.seed}): exogenous (grey), oracle with impact (blue), takes (red)</text>
<path d="${line("exo")}" fill="none" stroke="#999" stroke-width="1"/>
<path d="${line("oracle")}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>
${dots}${ticks}
<text x="${W / 2}" y="${H - 10}" font-size="11">time (h), 0 .. ${(tMax / 3600).toFixed(1)}</text>
</svg>
`;
}

export function sweepChart(points: SweepPoint[]): string {
  const W = 600;
  const H = 320;
  const pad = 50;
  // Values evenly spaced; each series is the mean over seeds.
  const avg = (p: SweepPoint, f: (s: Summary) => number): number =>
    p.results.reduce((a, r) => a + f(r.summary), 0) / p.results.length;
  const series: [(s: Summary) => number, string][] = [
    [(s) => s.discountMedian, "#1f77b4"],
    [(s) => s.discountP95, "#ff7f0e"],
    [lossRatio, "#d62728"],
  ];
  const ds = points.flatMap((p) => series.map(([f]) => avg(p, f)));
  const dhi = Math.max(0.01, ...ds) * 1.1;
  const dlo = Math.min(0, ...ds);
  const x = (i: number): number => pad + ((W - 2 * pad) * i) / Math.max(1, points.length - 1);
  const y = (d: number): number => H - pad - ((H - 2 * pad) * (d - dlo)) / (dhi - dlo);
  const lines = series
    .map(
      ([f, color]) =>
        `<path d="${points.map((p, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(avg(p, f)).toFixed(1)}`).join(" ")}" fill="none" stroke="${color}" stroke-width="2"/>` +
        points
          .map(
            (p, i) =>
              `<circle cx="${x(i).toFixed(1)}" cy="${y(avg(p, f)).toFixed(1)}" r="3" fill="${color}"/>`,
          )
          .join(""),
    )
    .join("");
  const labels = points
    .map((p, i) => `<text x="${x(i).toFixed(1)}" y="${H - pad + 15}" font-size="11">${p.label}</text>`)
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
<rect width="100%" height="100%" fill="white"/>
<text x="${pad}" y="20" font-size="13">${points[0]?.param ?? "param"} (mean of ${points[0]?.results.length ?? 0} seeds): discount median (blue), p95 (orange); bad debt + shortfall / liquidated (red)</text>
${lines}${labels}
<text x="5" y="${y(dhi / 1.1).toFixed(1)}" font-size="11">${pct(dhi / 1.1)}</text>
<text x="5" y="${y(dlo).toFixed(1)}" font-size="11">${pct(dlo)}</text>
</svg>
`;
}

/** Markdown rows (one per seed, then the spread) of the headline figures. */
function seedRows(runs: RunResult[], first: string): string[] {
  const cols = (r: RunResult): string[] => {
    const s = r.summary;
    return [
      `${s.auctions} (${s.settled})`,
      s.takesPerAuction.toFixed(2),
      s.takersPerAuction.toFixed(2),
      pct(s.badDebtRatio),
      pct(lossRatio(s)),
      pct(s.discountMedian),
      pct(s.discountP95),
      (s.durationMedianSecs / 60).toFixed(1),
      pct(r.baseline.badDebtRatio),
      r.baseline.liquidatedDebt.toFixed(0),
      r.baseline.unsafeDebtAtEnd.toFixed(0),
    ];
  };
  const rows = runs.length > 1 ? runs.map((r) => `| ${r.config.seed} | ${cols(r).join(" | ")} |`) : [];
  const sp = (f: (r: RunResult) => number, fmt: (x: number) => string): string => spread(runs.map(f), fmt);
  const f2 = (x: number): string => x.toFixed(2);
  const all = [
    spread(
      runs.map((r) => r.summary.auctions),
      (x) => x.toFixed(0),
    ),
    sp((r) => r.summary.takesPerAuction, f2),
    sp((r) => r.summary.takersPerAuction, f2),
    sp((r) => r.summary.badDebtRatio, pct),
    sp((r) => lossRatio(r.summary), pct),
    sp((r) => r.summary.discountMedian, pct),
    sp((r) => r.summary.discountP95, pct),
    sp(
      (r) => r.summary.durationMedianSecs / 60,
      (x) => x.toFixed(1),
    ),
    sp((r) => r.baseline.badDebtRatio, pct),
    sp(
      (r) => r.baseline.liquidatedDebt,
      (x) => x.toFixed(0),
    ),
    sp(
      (r) => r.baseline.unsafeDebtAtEnd,
      (x) => x.toFixed(0),
    ),
  ];
  return [
    `| ${first} | auctions (settled) | takes / auction | bidders / auction | bad debt / liquidated | bad debt + shortfall at end | median discount | p95 discount | median duration (min) | baseline bad debt | baseline liquidated (USDC) | baseline unsafe debt at end (USDC) |`,
    `|---|---|---|---|---|---|---|---|---|---|---|---|`,
    ...rows,
    `| ${runs.length > 1 ? `median [min–max] of ${runs.length}` : runs[0].config.seed} | ${all.join(" | ")} |`,
  ];
}

export function report(runs: RunResult[], secs: number, sweep: SweepPoint[]): string {
  const run = runs[0];
  const s = run.summary;
  const b = run.baseline;
  const worstLoss = Math.max(...runs.map((r) => lossRatio(r.summary)));
  const worstDisc = Math.max(...runs.map((r) => r.summary.discountMedian));
  const cfg = Object.entries(run.config)
    .filter(([k]) => k !== "params")
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(", ");
  const lines = [
    `# Gavel simulation report`,
    ``,
    `Scenario \`${run.config.scenario}\`, stress \`${run.config.stress}\`, seeds ${runs.map((r) => r.config.seed).join(", ")}, ${run.config.borrowers} borrowers, ${run.config.bidders} bidders, step ${run.config.stepSecs} s, wall time ${secs.toFixed(1)} s. Every auction ran through the real gavel.so in LiteSVM; vault accounting was checked after ${s.invariantChecks} steps (first seed).`,
    ``,
    `Configuration: ${cfg}; market parameter overrides: ${JSON.stringify(run.config.params)}.`,
    ``,
    `## Summary (seed ${run.config.seed})`,
    ``,
    `| metric | Gavel (Dutch auction) | fixed-bonus baseline (5%, close factor 50%) |`,
    `|---|---|---|`,
    `| liquidations | ${s.auctions} auctions (${s.settled} settled) | ${b.liquidations} (${b.leftUnliquidated} positions, ${b.unsafeDebtAtEnd.toFixed(2)} USDC of debt, still liquidatable at the end) |`,
    `| takes / distinct bidders per auction | ${s.takesPerAuction.toFixed(2)} / ${s.takersPerAuction.toFixed(2)} (${pct(s.multiTakeShare)} of auctions took > 1 take) | — |`,
    `| liquidated debt (USDC) | ${s.liquidatedDebt.toFixed(2)} | ${b.liquidatedDebt.toFixed(2)} |`,
    `| bad debt (USDC) | ${s.badDebt.toFixed(2)} (+ shortfall at end ${s.shortfallAtEnd.toFixed(2)}) | ${b.badDebt.toFixed(2)} (of which shortfall at end ${b.shortfallAtEnd.toFixed(2)}) |`,
    `| bad debt / liquidated debt | ${pct(s.badDebtRatio)} (with shortfall ${pct(lossRatio(s))}) | ${pct(b.badDebtRatio)} (with shortfall) |`,
    `| clearing discount vs oracle, median | ${pct(s.discountMedian)} | ${pct(b.discount)} (fixed) |`,
    `| clearing discount vs oracle, p95 | ${pct(s.discountP95)} | ${pct(b.discount)} (fixed) |`,
    `| auction duration, median | ${(s.durationMedianSecs / 60).toFixed(1)} min | — |`,
    `| keeper rewards (kick + reset) | ${s.keeperRewards.toFixed(2)} | — |`,
    `| liquidator bonus | bidders' net profit ${s.bidderNetProfit.toFixed(2)} | bonus ${b.bonusPaid.toFixed(2)}, liquidators' net profit ${b.liquidatorNetProfit.toFixed(2)} |`,
    `| chances refused (online, past latency, position unsafe) | — | ${b.capitalSkips} for want of USDC, ${b.costSkips} by the margin or cost check |`,
    `| LP loss (socialized bad debt) | ${s.lpLoss.toFixed(2)} (insurance used ${s.insuranceUsed.toFixed(2)}) | — |`,
    `| wait from unsafe to liquidation | — | median ${(b.waitMedianSecs / 60).toFixed(1)} min, max ${(b.waitMaxSecs / 60).toFixed(1)} min |`,
    `| highest LTV reached (1 = insolvent) | — | ${b.maxLtv.toFixed(3)} |`,
    `| lowest oracle price | $${s.minPriceUsd.toFixed(2)} | |`,
    ``,
    `The baseline is liquidated by the same bidders (own capital, recycle delay, offline draws, latency, margin and cost check as in the auctions) on its own copy of the market (same exogenous path and impact model, moved by its own sales).`,
    ``,
    `## Seeds`,
    ``,
    ...seedRows(runs, "seed"),
    ``,
    `## Goals (worst of ${runs.length} seed${runs.length > 1 ? "s" : ""})`,
    ``,
    `- bad debt (with the shortfall still open at the end) ≤ 0.1% of liquidated debt: **${worstLoss <= 0.001 ? "met" : "NOT met"}** (${pct(worstLoss)})`,
    `- median clearing discount ≤ 3%: **${worstDisc <= 0.03 ? "met" : "NOT met"}** (${pct(worstDisc)})`,
    ``,
    `The goals are stated for the crash scenario (\`blackthursday\`) with default parameters and three bidders.`,
    ``,
    `## Files`,
    ``,
    `results.json (config, summary, baseline, per-auction and per-take records and path of the first seed; summaries of every seed and sweep run), results.csv (per auction, first seed), chart.svg (price path with takes)${sweep.length ? ", sweep.svg" : ""}.`,
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
  fs.writeFileSync(path.join(dir, "chart.svg"), priceChart(run));
  if (sweep.length) fs.writeFileSync(path.join(dir, "sweep.svg"), sweepChart(sweep));
  fs.writeFileSync(path.join(dir, "report.md"), report(runs, secs, sweep));
}

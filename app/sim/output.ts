/**
 * Writes a run's outputs: results.json, results.csv, chart.svg (price path with takes), sweep.svg
 * (discount vs parameter, for a sweep) and report.md. SVG drawn by hand.
 */
import * as fs from "fs";
import * as path from "path";
import { RunResult } from "./engine";

export interface SweepPoint {
  param: string;
  value: number;
  result: RunResult;
}

const pct = (x: number): string => `${(x * 100).toFixed(3)}%`;

export function csv(run: RunResult): string {
  const head =
    "id,kick_t,settle_t,duration,debt,tab,raised,bad_debt,takes,resets,clearing_prices,discount_vs_oracle";
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
  const line = (k: "exo" | "oracle"): string =>
    run.path.map((p, i) => `${i ? "L" : "M"}${x(p.t).toFixed(1)},${y(p[k]).toFixed(1)}`).join(" ");
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
  const vs = points.map((p) => p.value);
  const ds = points.flatMap((p) => [p.result.summary.discountMedian, p.result.summary.discountP95]);
  const vlo = Math.min(...vs);
  const vhi = Math.max(...vs) === vlo ? vlo + 1 : Math.max(...vs);
  const dhi = Math.max(0.01, ...ds) * 1.1;
  const dlo = Math.min(0, ...ds);
  const x = (v: number): number => pad + ((W - 2 * pad) * (v - vlo)) / (vhi - vlo);
  const y = (d: number): number => H - pad - ((H - 2 * pad) * (d - dlo)) / (dhi - dlo);
  const series = (k: "discountMedian" | "discountP95", color: string): string =>
    `<path d="${points.map((p, i) => `${i ? "L" : "M"}${x(p.value).toFixed(1)},${y(p.result.summary[k]).toFixed(1)}`).join(" ")}" fill="none" stroke="${color}" stroke-width="2"/>` +
    points
      .map(
        (p) =>
          `<circle cx="${x(p.value).toFixed(1)}" cy="${y(p.result.summary[k]).toFixed(1)}" r="3" fill="${color}"/>`,
      )
      .join("");
  const labels = points
    .map((p) => `<text x="${x(p.value).toFixed(1)}" y="${H - pad + 15}" font-size="11">${p.value}</text>`)
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
<rect width="100%" height="100%" fill="white"/>
<text x="${pad}" y="20" font-size="14">Clearing discount vs ${points[0]?.param ?? "param"}: median (blue), p95 (orange)</text>
${series("discountMedian", "#1f77b4")}${series("discountP95", "#ff7f0e")}${labels}
<text x="5" y="${y(dhi / 1.1).toFixed(1)}" font-size="11">${pct(dhi / 1.1)}</text>
<text x="5" y="${y(dlo).toFixed(1)}" font-size="11">${pct(dlo)}</text>
</svg>
`;
}

export function report(run: RunResult, secs: number, sweep: SweepPoint[]): string {
  const s = run.summary;
  const b = run.baseline;
  const goalBad = s.badDebtRatio <= 0.001;
  const goalDisc = s.discountMedian <= 0.03;
  const lines = [
    `# Gavel simulation report`,
    ``,
    `Scenario \`${run.config.scenario}\`, seed ${run.config.seed}, ${run.config.borrowers} borrowers, ${run.config.bidders} bidders, step ${run.config.stepSecs} s, wall time ${secs.toFixed(1)} s. Every auction ran through the real gavel.so in LiteSVM; vault accounting was checked after ${s.invariantChecks} steps.`,
    ``,
    `## Summary`,
    ``,
    `| metric | Gavel (Dutch auction) | fixed-bonus baseline (5%, close factor 50%) |`,
    `|---|---|---|`,
    `| liquidations | ${s.auctions} auctions (${s.settled} settled) | ${b.liquidations} |`,
    `| liquidated debt (USDC) | ${s.liquidatedDebt.toFixed(2)} | ${b.liquidatedDebt.toFixed(2)} |`,
    `| bad debt (USDC) | ${s.badDebt.toFixed(2)} | ${b.badDebt.toFixed(2)} |`,
    `| bad debt / liquidated debt | ${pct(s.badDebtRatio)} | ${pct(b.badDebtRatio)} |`,
    `| clearing discount vs oracle, median | ${pct(s.discountMedian)} | ${pct(b.discount)} (fixed) |`,
    `| clearing discount vs oracle, p95 | ${pct(s.discountP95)} | ${pct(b.discount)} (fixed) |`,
    `| auction duration, median | ${(s.durationMedianSecs / 60).toFixed(1)} min | — |`,
    `| keeper rewards (kick + reset) | ${s.keeperRewards.toFixed(2)} | — |`,
    `| liquidator bonus | bidders' net profit ${s.bidderNetProfit.toFixed(2)} | ${b.bonusPaid.toFixed(2)} |`,
    `| LP loss (socialized bad debt) | ${s.lpLoss.toFixed(2)} (insurance used ${s.insuranceUsed.toFixed(2)}) | — |`,
    `| lowest oracle price | $${s.minPriceUsd.toFixed(2)} | |`,
    ``,
    `## Goals`,
    ``,
    `- bad debt ≤ 0.1% of liquidated debt: **${goalBad ? "met" : "NOT met"}** (${pct(s.badDebtRatio)})`,
    `- median clearing discount ≤ 3%: **${goalDisc ? "met" : "NOT met"}** (${pct(s.discountMedian)})`,
    ``,
    `The goals are stated for the crash scenario (\`blackthursday\`) with default parameters and three bidders.`,
    ``,
    `## Files`,
    ``,
    `results.json (config, summary, baseline, per-auction and per-take records, path), results.csv (per auction), chart.svg (price path with takes)${sweep.length ? ", sweep.svg" : ""}.`,
  ];
  if (sweep.length) {
    lines.push(
      ``,
      `## Sweep of \`${sweep[0].param}\``,
      ``,
      `| value | bad debt ratio | median discount | p95 discount | median duration (min) |`,
      `|---|---|---|---|---|`,
    );
    for (const p of sweep) {
      const q = p.result.summary;
      lines.push(
        `| ${p.value} | ${pct(q.badDebtRatio)} | ${pct(q.discountMedian)} | ${pct(q.discountP95)} | ${(q.durationMedianSecs / 60).toFixed(1)} |`,
      );
    }
  }
  return lines.join("\n") + "\n";
}

export function writeOutputs(dir: string, run: RunResult, secs: number, sweep: SweepPoint[] = []): void {
  fs.mkdirSync(dir, { recursive: true });
  const json = {
    ...run,
    sweep: sweep.map((p) => ({
      param: p.param,
      value: p.value,
      summary: p.result.summary,
      baseline: p.result.baseline,
    })),
  };
  fs.writeFileSync(path.join(dir, "results.json"), JSON.stringify(json, null, 1));
  fs.writeFileSync(path.join(dir, "results.csv"), csv(run));
  fs.writeFileSync(path.join(dir, "chart.svg"), priceChart(run));
  if (sweep.length) fs.writeFileSync(path.join(dir, "sweep.svg"), sweepChart(sweep));
  fs.writeFileSync(path.join(dir, "report.md"), report(run, secs, sweep));
}

/**
 * CLI: npx ts-node app/sim/main.ts [--scenario gbm|blackthursday] [--seed N] [--borrowers N]
 *      [--bidders N] [--sweep buf|cut|chop|none] [--out dir] [--hours H] [--step S]
 */
import BN from "bn.js";
import * as path from "path";
import { MarketParams } from "../../sdk/src";
import { defaultConfig, makePath, runSim, Scenario, SimConfig } from "./engine";
import { SweepPoint, writeOutputs } from "./output";

const SWEEPS: Record<string, { values: number[]; apply: (v: number) => Partial<MarketParams> }> = {
  buf: { values: [11_000, 12_000, 13_000, 15_000], apply: (v) => ({ bufBps: v }) },
  cut: {
    values: [0.97, 0.98, 0.99, 0.995],
    apply: (v) => ({
      curve: { stairstepExp: { stepSecs: new BN(90), cut: new BN(Math.round(v * 1e6)).mul(new BN(1e12)) } },
    }),
  },
  chop: { values: [500, 1_000, 1_300], apply: (v) => ({ chopBps: v }) },
};

function fail(msg: string): never {
  process.stderr.write(
    `error: ${msg}\nusage: ts-node app/sim/main.ts [--scenario gbm|blackthursday] [--seed N] [--borrowers N] [--bidders N] [--sweep buf|cut|chop|none] [--out dir] [--hours H] [--step S]\n`,
  );
  process.exit(2);
}

function int(flag: string, v: string | undefined, min: number): number {
  if (v === undefined || !/^\d+$/.test(v) || Number(v) < min)
    fail(`${flag} needs an integer ≥ ${min}, got ${v ?? "nothing"}`);
  return Number(v);
}

export function parseArgs(argv: string[]): { cfg: SimConfig; sweep: string; out: string } {
  let scenario: Scenario = "blackthursday";
  const over: Partial<SimConfig> = {};
  let sweep = "none";
  let out = path.join("target", "sim", new Date().toISOString().replace(/[:.]/g, "-"));
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    const v = argv[i + 1];
    i++;
    switch (f) {
      case "--scenario":
        if (v !== "gbm" && v !== "blackthursday")
          fail(`--scenario must be gbm or blackthursday, got ${v ?? "nothing"}`);
        scenario = v;
        break;
      case "--seed":
        over.seed = int(f, v, 0);
        break;
      case "--borrowers":
        over.borrowers = int(f, v, 1);
        break;
      case "--bidders":
        over.bidders = int(f, v, 0);
        break;
      case "--hours":
        over.hours = int(f, v, 1);
        break;
      case "--step":
        over.stepSecs = int(f, v, 1);
        break;
      case "--sweep":
        if (v === undefined || (v !== "none" && !(v in SWEEPS)))
          fail(`--sweep must be buf, cut, chop or none, got ${v ?? "nothing"}`);
        sweep = v;
        break;
      case "--out":
        if (!v) fail("--out needs a directory");
        out = v;
        break;
      default:
        fail(`unknown flag ${f}`);
    }
  }
  const cfg = { ...defaultConfig(scenario), ...over, log: (l: string) => console.log(l) };
  return { cfg, sweep, out };
}

function main(): void {
  const { cfg, sweep, out } = parseArgs(process.argv.slice(2));
  const started = Date.now();
  console.log(
    `gavel sim: ${cfg.scenario} seed=${cfg.seed} borrowers=${cfg.borrowers} bidders=${cfg.bidders} step=${cfg.stepSecs}s`,
  );
  const p = makePath(cfg);
  const run = runSim(cfg, p);
  const points: SweepPoint[] = [];
  if (sweep !== "none") {
    const s = SWEEPS[sweep];
    for (const v of s.values) {
      const r = runSim({ ...cfg, params: { ...cfg.params, ...s.apply(v) }, progressSecs: 0 }, p);
      console.log(
        `sweep ${sweep}=${v}: bad debt ${(r.summary.badDebtRatio * 100).toFixed(3)}%, median discount ${(r.summary.discountMedian * 100).toFixed(2)}%, p95 ${(r.summary.discountP95 * 100).toFixed(2)}%`,
      );
      points.push({ param: sweep, value: v, result: r });
    }
  }
  const secs = (Date.now() - started) / 1000;
  writeOutputs(out, run, secs, points);
  const s = run.summary;
  console.log(
    `done in ${secs.toFixed(1)} s: ${s.auctions} auctions, bad debt ${(s.badDebtRatio * 100).toFixed(3)}% of liquidated, discount median ${(s.discountMedian * 100).toFixed(2)}% p95 ${(s.discountP95 * 100).toFixed(2)}%; baseline bad debt ${(run.baseline.badDebtRatio * 100).toFixed(3)}%, discount ${(run.baseline.discount * 100).toFixed(2)}%\noutputs in ${out}`,
  );
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    process.exit(1);
  }
}

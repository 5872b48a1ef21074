/**
 * The calibration simulator (app/sim): a small run through the real gavel.so in LiteSVM writes
 * parseable outputs, keeps vault accounting exact after every step, reproduces from its seed, and
 * reports the fixed-bonus baseline beside the auction figures, liquidated by the same bidders under the
 * same frictions (offline, capital, margin, costs); the harsh calibration really makes
 * auctions need several takes; the CLI refuses bad input.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import BN from "bn.js";
import { PublicKey } from "@solana/web3.js";
import {
  baseline,
  defaultConfig,
  makeBook,
  makePath,
  marketParams,
  RunResult,
  runSim,
  SimConfig,
  SIM_BACKSTOP,
  SIM_BACKSTOP_DEPOSITORS,
  Summary,
} from "../app/sim/engine";
import { parseArgs } from "../app/sim/main";
import { writeOutputs } from "../app/sim/output";
import { main as simReport, SCENARIO_FLAGS } from "../app/sim/report";
import { MAKER_ENGINE, V2_CHOP_BPS, V2_ENGINE } from "../sdk/src";
import { defaultParams } from "../sdk/testkit";

const small = (stress: "default" | "harsh" = "default"): SimConfig => ({
  ...defaultConfig("blackthursday", stress),
  seed: 7,
  borrowers: 6,
  bidders: 3,
  hours: 4,
  stepSecs: 60,
  drainSecs: 3600,
  progressSecs: 0,
  checkInvariants: true,
});

describe("16 simulator (app/sim, LiteSVM)", () => {
  let run: RunResult;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gavel-sim-"));

  it("runs a small crash with vault accounting checked after every step", () => {
    run = runSim(small());
    expect(run.summary.invariantChecks).to.be.greaterThan(100);
    expect(run.summary.auctions).to.be.greaterThan(0);
    expect(run.takes.length).to.be.greaterThan(0);
    expect(run.summary.badDebt).to.be.at.least(0);
  });

  it("writes results.json, results.csv, chart.svg and report.md that parse", () => {
    writeOutputs(dir, [run], 1);
    const json = JSON.parse(fs.readFileSync(path.join(dir, "results.json"), "utf8"));
    expect(json.summary.auctions).to.equal(run.summary.auctions);
    expect(json.auctions).to.have.length(run.auctions.length);
    const lines = fs.readFileSync(path.join(dir, "results.csv"), "utf8").trim().split("\n");
    expect(lines[0]).to.match(/^id,kick_t,settle_t,duration,debt,tab,raised,bad_debt/);
    expect(lines.length).to.equal(run.auctions.length + 1);
    const svg = fs.readFileSync(path.join(dir, "chart.svg"), "utf8");
    expect(svg).to.match(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*>/);
    expect(svg.trim().endsWith("</svg>")).to.equal(true);
    const md = fs.readFileSync(path.join(dir, "report.md"), "utf8");
    for (const h of ["# Gavel simulation report", "## Summary", "## Goals"]) expect(md).to.include(h);
  });

  it("is reproducible from its seed", () => {
    const again = runSim(small());
    expect(JSON.stringify(again.summary)).to.equal(JSON.stringify(run.summary));
    expect(JSON.stringify(again.baseline)).to.equal(JSON.stringify(run.baseline));
  });

  it("reports the fixed-bonus baseline beside the auctions", () => {
    expect(run.baseline.discountMedian).to.be.closeTo(1 - 1 / 1.05, 1e-9);
    expect(run.baseline.liquidations).to.be.greaterThan(0);
    // The same metrics on both sides: bad debt counts the shortfall still open at the end.
    for (const side of [run.summary, run.baseline]) {
      expect(side.badDebt).to.be.closeTo(side.badDebtRealized + side.shortfallAtEnd, 1e-6);
      expect(side.borrowerCostUsd).to.be.closeTo(side.penaltyUsd + side.discountCostUsd, 1e-6);
      expect(side.collateralSold).to.be.greaterThan(0);
      // Before the liquidations' own impact the market was higher, so the discount is deeper.
      expect(side.discountPreImpactMedian).to.be.at.least(side.discountMedian - 1e-12);
    }
    const md = fs.readFileSync(path.join(dir, "report.md"), "utf8");
    expect(md).to.include("fixed-bonus baseline");
  });

  it("the baseline faces the bidders' frictions: none online, no capital, no margin or costs covered → nothing liquidated", () => {
    const c = { ...small("harsh"), hours: 6, drainSecs: 7200 };
    const p = makePath(c);
    const book = makeBook(c);
    const params = defaultParams(PublicKey.default);
    const free = baseline(c, p, book, params).summary;
    expect(free.liquidations).to.be.greaterThan(0);
    expect(free.maxLtv).to.be.greaterThan(params.liquidationLtvBps / 10_000);
    for (const over of [
      { offlineShare: 1 },
      { bidderCapitalUsd: 0 },
      { bidders: 0 },
      { marginBps: 9_999 },
      { slippageBps: 9_999 },
    ]) {
      const b = baseline({ ...c, ...over }, p, book, params).summary;
      expect(b.liquidations, JSON.stringify(over)).to.equal(0);
      expect(b.liquidatedDebt).to.equal(0);
      expect(b.unsafeDebtAtEnd, JSON.stringify(over)).to.be.greaterThan(0);
    }
    // Inside runSim the baseline replays the auction run's own offline draws.
    const off = runSim({ ...small(), offlineShare: 1 });
    expect(off.takes).to.have.length(0);
    expect(off.baseline.liquidations).to.equal(0);
  });

  it("keepers have frictions: the bidders kick and reset, so with every bidder offline nothing is kicked (the frictionless keeper still kicks)", () => {
    const off = runSim({ ...small(), offlineShare: 1 });
    expect(off.summary.kicks).to.equal(0);
    expect(off.summary.shortfallAtEnd).to.be.greaterThan(0);
    const free = runSim({ ...small(), offlineShare: 1, keeper: "free" });
    expect(free.summary.kicks).to.be.greaterThan(0);
    expect(run.summary.keeperFees).to.be.greaterThan(0);
    expect(run.summary.kickWaitMedianSecs).to.be.at.least(run.config.latencySecs);
  });

  it("flash bidders take with no capital through take_begin/take_end, depth-bound; so do the baseline's", () => {
    // (A frictionless keeper here: kicking bidders would earn keeper rewards to take with.)
    const broke = { ...small("harsh"), bidderCapitalUsd: 0, keeper: "free" as const };
    const none = runSim(broke);
    expect(none.takes).to.have.length(0);
    expect(none.baseline.liquidations).to.equal(0);
    const flash = runSim({ ...broke, flashShare: 1 });
    expect(flash.summary.flashTakes).to.be.greaterThan(0);
    expect(flash.takes.every((t) => t.flash)).to.equal(true);
    expect(flash.baseline.liquidations).to.be.greaterThan(0);
    // A shallower market allows smaller flash takes.
    const thin = runSim({ ...broke, flashShare: 1, depthUsd: 200_000 });
    const biggest = (r: RunResult): number => Math.max(...r.takes.map((t) => t.collateral));
    expect(biggest(thin)).to.be.lessThan(biggest(flash));
  });

  it("strategies: a waiter that never waits is the naive bidder; the strategic mix runs on both sides", () => {
    const naive = runSim(small("harsh"));
    const waiter0 = runSim({ ...small("harsh"), strategies: ["waiter"], waitBps: 0 });
    expect(JSON.stringify(waiter0.summary)).to.equal(JSON.stringify(naive.summary));
    const mix = runSim({ ...small("harsh"), strategies: ["best", "waiter", "naive"] });
    expect(mix.summary.auctions).to.be.greaterThan(0);
    // The baseline's bonus is fixed: strategies do not change it.
    expect(JSON.stringify(mix.baseline)).to.equal(JSON.stringify(naive.baseline));
  });

  it("lagging oracle: kicks and baseline liquidations post the lowest price within max_age", () => {
    const lag = runSim({ ...small("harsh"), oracleLag: true });
    expect(lag.summary.kicks).to.be.greaterThan(0);
    for (const l of lag.baselineLiquidations) {
      const i = l.t / lag.config.stepSecs;
      const window = lag.baselinePath.slice(Math.max(0, i - 1), i + 1);
      expect(l.priceUsd * 1.05).to.be.closeTo(Math.min(...window), 1e-9);
    }
  });

  it("harsh calibration: capital-bound bidders need several takes per auction, outputs parse", () => {
    const harsh = runSim({ ...small("harsh"), hours: 6, drainSecs: 7200 });
    expect(harsh.summary.auctions).to.be.greaterThan(0);
    expect(harsh.summary.takesPerAuction).to.be.greaterThan(1);
    expect(harsh.summary.takersPerAuction).to.be.greaterThan(1);
    const hdir = path.join(dir, "harsh");
    writeOutputs(hdir, [harsh], 1);
    const json = JSON.parse(fs.readFileSync(path.join(hdir, "results.json"), "utf8"));
    expect(json.config.stress).to.equal("harsh");
    expect(json.summary.takesPerAuction).to.equal(harsh.summary.takesPerAuction);
    expect(fs.readFileSync(path.join(hdir, "report.md"), "utf8")).to.include("stress `harsh`");
  });

  it("engine v2 (--mode anchored --kick-mode partial): partial kicks sized as the SDK predicts, takes at the posted oracle less a discount within [d_start, d_max cap], the same baseline", () => {
    const c = { ...small("harsh"), hours: 6, drainSecs: 7200 };
    const maker = runSim(c);
    const v2 = runSim({ ...c, mechanism: { ...c.mechanism, priceMode: "anchored", kickMode: "partial" } });
    const s = v2.summary;
    expect(s.invariantChecks).to.be.greaterThan(100);
    expect(s.kicks).to.be.greaterThan(0);
    expect(s.partialKicks).to.be.greaterThan(0);
    expect(s.kickSizeChecks).to.equal(s.kicks);
    expect(s.kickSizeMismatches).to.equal(0);
    expect(v2.takes.length).to.be.greaterThan(0);
    // Without the oracle lag the posted oracle is the market price: every take's discount to it is
    // the anchored one (rounding of the price up to one unit aside).
    for (const t of v2.takes) {
      const d = 1 - t.priceUsd / t.oracleUsd;
      expect(d).to.be.within(
        V2_ENGINE.anchorStartBps / 10_000 - 1e-6,
        V2_ENGINE.anchorMaxCapBps / 10_000 + 1e-6,
      );
    }
    // Partial kicks: an auction moves less debt on average than Maker mode's whole positions.
    expect(s.liquidatedDebt / s.kicks).to.be.lessThan(maker.summary.liquidatedDebt / maker.summary.kicks);
    // The baseline replays the same bidder draws whatever Gavel's mode: it is the same run.
    expect(v2.baseline).to.deep.equal(maker.baseline);
  });

  it("npm run sim:report --small: REPORT.md with the verdict table, goal figures and attribution; SVG and PNG charts that parse", async function () {
    this.timeout(600_000);
    const out = path.join(dir, "report");
    await simReport(["--small", "--out", out]);
    const md = fs.readFileSync(path.join(out, "REPORT.md"), "utf8");
    for (const h of [
      "## Verdict per scenario",
      "## Goal figures",
      "## Which model fix moved which figure",
      "## Capital sweep",
    ])
      expect(md).to.include(h);
    const verdict = md.split("## Verdict per scenario")[1].split("\n## ")[0];
    const cell = (x: string): string => x.replace(/[$()/]/g, (ch) => `\\${ch}`);
    for (const [name] of SCENARIO_FLAGS)
      expect(verdict).to.match(new RegExp(`\\| ${cell(name)} +\\| naive +\\|`));
    const rows = verdict.split("\n").filter((l) => /^\| [^-]/.test(l) && !l.startsWith("| scenario"));
    expect(rows).to.have.length(SCENARIO_FLAGS.length * 2);
    // scenario, bidders, seeds, bad debt v2 / Maker / B, discount v2 / Maker / B, cost, two verdicts.
    for (const row of rows) expect(row.split("|").length).to.equal(14);
    expect(md).to.match(/## Goal figures \(issue 18/);
    // The small report's raw results: v2 and Maker runs, every one with its invariants checked
    // after every step and every kick sized as the SDK's mirror predicted.
    const raw = JSON.parse(fs.readFileSync(path.join("target", "sim-report-small.json"), "utf8")) as {
      runs: { job: { key: string }; brief: { summary: Summary } }[];
    };
    const v2runs = raw.runs.filter((x) => x.job.key.startsWith("v2:"));
    expect(v2runs.length).to.be.greaterThan(0);
    expect(raw.runs.some((x) => x.job.key.startsWith("maker:"))).to.equal(true);
    for (const { brief } of raw.runs) {
      expect(brief.summary.invariantChecks).to.be.greaterThan(100);
      expect(brief.summary.kickSizeMismatches).to.equal(0);
    }
    expect(v2runs.reduce((n, x) => n + x.brief.summary.partialKicks, 0)).to.be.greaterThan(0);
    // The backstop dimension: runs with a pool absorb, runs without never do.
    const withPool = raw.runs.filter((x) => x.job.key.includes("backstop"));
    expect(withPool.length).to.be.greaterThan(0);
    for (const { brief } of withPool) expect(brief.summary.absorbs).to.be.greaterThan(0);
    for (const { brief } of raw.runs.filter((x) => !x.job.key.includes("backstop")))
      expect(brief.summary.absorbs).to.equal(0);
    // The funding dimension: its runs' pools earn funding through fund_backstop, no other run's does.
    expect(md).to.include("## Backstop funding shares");
    const funding = raw.runs.filter((x) => x.job.key.includes("|funding "));
    expect(funding.length).to.be.greaterThan(0);
    for (const { brief } of funding) expect(brief.summary.backstopIncomeUsd).to.be.greaterThan(0);
    for (const { brief } of raw.runs.filter((x) => !x.job.key.includes("|funding ")))
      expect(brief.summary.backstopIncomeUsd).to.equal(0);
    for (const name of [
      "capital-bad-debt",
      "capital-discount",
      "heatmap-bad-debt",
      "harsh-price",
      "harsh-price-maker",
    ]) {
      const svg = fs.readFileSync(path.join(out, "report", `${name}.svg`), "utf8");
      expect(svg).to.match(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*>/);
      expect(svg.trim().endsWith("</svg>")).to.equal(true);
      expect(svg).to.match(/<text[^>]*>[^<]*(USD|USDC|%|hours)/); // axis labels with units
      const png = fs.readFileSync(path.join(out, "report", `${name}.png`));
      expect(png.subarray(0, 8).toString("hex")).to.equal("89504e470d0a1a0a");
      expect(png.readUInt32BE(16)).to.be.greaterThan(400); // IHDR width
      expect(png.readUInt32BE(20)).to.be.greaterThan(200); // IHDR height
    }
  });

  it("CLI: flags override the preset in any order, bad input is one-line usage errors", () => {
    const { cfg, sweep, seeds } = parseArgs([
      "--capital",
      "5000",
      "--stress",
      "harsh",
      "--seeds",
      "3",
      "--sweep",
      "cut",
    ]);
    expect(cfg.bidderCapitalUsd).to.equal(5000);
    expect(cfg.depthUsd).to.equal(defaultConfig("blackthursday", "harsh").depthUsd);
    expect([sweep, seeds]).to.deep.equal(["cut", 3]);
    const v2 = parseArgs([
      "--strategies",
      "best,waiter",
      "--keeper",
      "free",
      "--oracle-lag",
      "on",
      "--flash-share",
      "0.5",
      "--mode",
      "dutch",
    ]).cfg;
    expect([v2.strategies, v2.keeper, v2.oracleLag, v2.flashShare, v2.mechanism]).to.deep.equal([
      ["best", "waiter"],
      "free",
      true,
      0.5,
      { priceMode: "dutch", kickMode: "whole", backstopUsd: 0, backstopParams: SIM_BACKSTOP, backstopRun: 0 },
    ]);
    // Funding shares: market parameters (default 0, the SDK's), within the program's 5,000 bps.
    expect(v2.params).to.not.have.any.keys("backstopInterestShareBps", "backstopPenaltyShareBps");
    expect(marketParams(v2, PublicKey.default).backstopInterestShareBps ?? 0).to.equal(0);
    const fund = parseArgs([
      "--penalty-share",
      "2000",
      "--backstop",
      "100000",
      "--interest-share",
      "1500",
      "--fund-every",
      "900",
    ]).cfg;
    expect(fund.params).to.deep.include({ backstopInterestShareBps: 1_500, backstopPenaltyShareBps: 2_000 });
    expect(fund.fundEverySecs).to.equal(900);
    expect(defaultConfig().fundEverySecs).to.equal(3600);
    // Engine v2 as inputs: the V2_ENGINE defaults mapped in marketParams, flags override them.
    const e = parseArgs([
      "--mode",
      "anchored",
      "--kick-mode",
      "partial",
      "--d-rate",
      "25",
      "--target-ltv",
      "6500",
      "--backstop",
      "50000",
      "--absorb-near",
      "200",
      "--buy-discount",
      "250",
      "--backstop-run",
      "0.5",
    ]).cfg;
    expect(e.mechanism).to.deep.equal({
      priceMode: "anchored",
      kickMode: "partial",
      backstopUsd: 50_000,
      backstopParams: { ...SIM_BACKSTOP, absorbNearBps: 200, buyDiscountBps: 250 },
      backstopRun: 0.5,
    });
    const mp = marketParams(e, PublicKey.default);
    expect(mp).to.deep.include({
      ...V2_ENGINE,
      chopBps: V2_CHOP_BPS,
      anchorRateBpsPerMin: 25,
      kickTargetLtvBps: 6_500,
    });
    const maker = marketParams(defaultConfig(), PublicKey.default);
    expect(maker).to.deep.include(MAKER_ENGINE);
    for (const bad of [
      ["--offline", "1.5"],
      ["--bidders", "2.5"],
      ["--sweep", "nope"],
      ["--curve", "exp", "--cut", "0.99"],
      ["--frob", "1"],
      ["--strategies", "naive,greedy"],
      ["--keeper", "nobody"],
      ["--oracle-lag", "yes"],
      ["--flash-share", "2"],
      ["--mode", "maker"],
      ["--kick-mode", "half"],
      ["--d-rate", "-1"],
      ["--target-ltv", "10000"],
      ["--absorb-near", "10001"],
      ["--backstop-run", "1.5"],
      ["--backstop-run", "0.5"],
      ["--interest-share", "5001", "--backstop", "1000"],
      ["--penalty-share", "2000"],
      ["--sweep", "interest-share"],
      ["--fund-every", "0"],
      ["--bidders", "0"],
    ])
      expect(() => parseArgs(bad)).to.throw(/^--|^unknown flag/);
  });

  it("backstop run: half the depositors request as the crash starts and withdraw only when the program allows", () => {
    const base = small("harsh");
    const cooldownSecs = 600;
    const cfg = (run: number): SimConfig => ({
      ...base,
      mechanism: {
        ...base.mechanism,
        priceMode: "anchored",
        kickMode: "partial",
        backstopUsd: 50_000,
        backstopParams: { ...SIM_BACKSTOP, withdrawCooldownSecs: new BN(cooldownSecs) },
        backstopRun: run,
      },
    });
    const stay = runSim(cfg(0));
    const run = runSim(cfg(0.5));
    expect(SIM_BACKSTOP_DEPOSITORS).to.be.at.least(2);
    expect(stay.summary).to.deep.include({
      runRequests: 0,
      runRequestT: null,
      runRequestedUsd: 0,
      runRefused: 0,
    });
    expect(stay.summary.runWithdrawnUsd).to.equal(0);
    const s = run.summary;
    // Half of the depositors ask for all their shares before the first kick, while the pool is
    // still its deposits: half of them.
    expect(s.runRequests).to.equal(SIM_BACKSTOP_DEPOSITORS / 2);
    const firstKick = Math.min(...run.auctions.map((a) => a.kickT));
    expect(s.runRequestT).to.be.a("number").and.at.most(firstKick);
    expect(s.runRequestedUsd).to.be.closeTo(25_000, 0.01);
    // Paid once, after the cooldown, at a time no auction was live (the program's rule); the
    // attempts it refused meanwhile are counted (the cooldown ends while auctions are live here).
    expect(s.runWithdrawnFirstT).to.be.a("number");
    const paidT = s.runWithdrawnFirstT as number;
    expect(paidT).to.be.at.least((s.runRequestT as number) + cooldownSecs);
    const liveAt = run.auctions.filter((a) => a.kickT < paidT && (a.settleT === null || a.settleT >= paidT));
    expect(liveAt).to.deep.equal([]);
    expect(
      run.auctions.some((a) => a.kickT < paidT && a.settleT! >= (s.runRequestT as number) + cooldownSecs),
    ).to.equal(true);
    expect(s.runRefused).to.be.greaterThan(0);
    expect(s.runWithdrawnUsd).to.be.greaterThan(0);
    // Vault accounting (the market's and the pool's vaults) held after every step, in both runs.
    expect(s.invariantChecks).to.be.greaterThan(100);
    expect(stay.summary.invariantChecks).to.be.greaterThan(100);
  });

  it("backstop funding: the keeper's fund_backstop moves the interest and penalty shares into the pool; the depositors gain exactly what was funded, taken from the insurance fund and the LPs", () => {
    const base = small("harsh");
    const shareBps = 2_000;
    const cfg = (bps: number): SimConfig => ({
      ...base,
      fundEverySecs: 600,
      mechanism: {
        ...base.mechanism,
        priceMode: "anchored",
        kickMode: "partial",
        backstopUsd: 50_000,
      },
      params: { backstopInterestShareBps: bps, backstopPenaltyShareBps: bps },
    });
    const none = runSim(cfg(0)).summary;
    const funded = runSim(cfg(shareBps)).summary;
    // Without shares every call is refused (nothing due) and the pool earns nothing.
    expect(none.fundCalls).to.be.greaterThan(base.hours * 6 - 1);
    expect(none).to.deep.include({
      fundRefused: none.fundCalls,
      backstopIncomeUsd: 0,
      backstopDueAtEndUsd: 0,
    });
    expect(none.backstopPnlUsd).to.equal(-none.backstopLossUsd);
    // With shares the calls pay: the income is what the program moved (BackstopFunded events).
    expect(funded.fundCalls).to.equal(none.fundCalls);
    expect(funded.fundRefused).to.be.lessThan(funded.fundCalls);
    expect(funded.backstopIncomeUsd).to.be.greaterThan(0);
    // The same auctions and absorbs (funding changes nobody's decisions here), so the same loss…
    expect(funded.absorbs).to.be.greaterThan(0).and.equal(none.absorbs);
    expect(funded.backstopLossUsd).to.be.closeTo(none.backstopLossUsd, 1e-6);
    // …and the depositors' value (the pool's debt tokens and collateral, read from the chain) is
    // higher by exactly the funding: each share is worth more by its part of it.
    expect(funded.backstopPnlUsd - none.backstopPnlUsd).to.be.closeTo(funded.backstopIncomeUsd, 1e-3);
    // The penalty share came out of the insurance fund, the interest share out of the LPs' value.
    const fromInsurance = none.insuranceChangeUsd - funded.insuranceChangeUsd;
    const fromLps = none.lpPnlUsd - funded.lpPnlUsd;
    expect(fromInsurance).to.be.closeTo((funded.penaltyUsd * shareBps) / 10_000, 0.01);
    expect(fromLps).to.be.greaterThan(0);
    expect(fromInsurance + fromLps).to.be.closeTo(
      funded.backstopIncomeUsd + funded.backstopDueAtEndUsd,
      1e-3,
    );
    // The pool's vaults still hold what its accounting says after every step.
    expect(funded.invariantChecks).to.be.greaterThan(100);
  });
});

/**
 * The main job, small: the demo runs on its embedded chain with three competing bidder processes,
 * prints its progress and summary, and exits 0 only if its invariants held.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";

describe("17 demo (embedded chain, three bidder processes)", function () {
  this.timeout(600_000);

  it("a 10-borrower crash: every unsafe position kicked, every auction settled, vaults match", () => {
    const started = Date.now();
    const run = spawnSync(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", "app/demo/main.ts", "--borrowers", "10", "--seed", "3"],
      {
        cwd: path.join(__dirname, ".."),
        encoding: "utf8",
        env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "1" },
      },
    );
    const out = run.stdout + run.stderr;
    expect(run.status, out.slice(-3000)).to.equal(0);
    expect(out).to.include("=== Gavel demo summary ===");
    expect(out).to.match(/borrowers opened: 10\/10/);
    for (const check of [
      "collateral vault == accounting",
      "liquidity vault == cash + insurance",
      "every unsafe position kicked",
      "every auction settled",
      "bidders exited cleanly",
    ]) {
      expect(out).to.include(`ok   ${check}`);
    }
    const kicked = /positions kicked\s*│\s*(\d+)/.exec(out);
    expect(Number(kicked?.[1] ?? 0)).to.be.greaterThan(0);
    console.log(`      demo took ${Math.round((Date.now() - started) / 1000)} s`);
  });
});

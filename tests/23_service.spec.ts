/**
 * The bidder and the dashboard as an operator or a supervisor (systemd, Docker, Kubernetes) runs
 * them: the command the README gives, signalled directly. The bidder's built entry point
 * (`node target/bidder/app/bidder/main.js`) drains and exits 0 on SIGTERM with no process left;
 * its `--help` lists every setting of the config schema with its default. `./scripts/dashboard.sh`
 * (default mode: embedded chain + the demo with its three bidder processes) leaves nothing running
 * after SIGTERM.
 */
import { expect } from "chai";
import BN from "bn.js";
import { ChildProcess, execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Connection, Keypair } from "@solana/web3.js";
import { ChainMarket, SdkChain, startChain, stopChain, SurfnetHandle } from "../sdk/testkit";
import { BIDDER_MAIN, demoParams } from "../app/demo/scenario";
import { DEFAULTS, defaultText, FILE_ONLY, FLAGS } from "../app/bidder/config";

const ROOT = path.join(__dirname, "..");

/** PIDs of every descendant of `pid` (from /proc). */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, pp] of parent) {
      if (pp === p) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return out;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Resolves with the first line of `child`'s output matching `re` (rejects if it exits first). */
function waitFor(child: ChildProcess, re: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(
      () => reject(new Error(`no ${re} in ${timeoutMs} ms:\n${buf.slice(-2000)}`)),
      timeoutMs,
    );
    const on = (chunk: Buffer) => {
      buf += chunk.toString();
      const m = buf.split("\n").find((l) => re.test(l));
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout?.on("data", on);
    child.stderr?.on("data", on);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before ${re}:\n${buf.slice(-2000)}`));
    });
  });
}

describe("23 the bidder and the dashboard as services (the README's commands, signalled)", function () {
  this.timeout(300_000);

  before(() => {
    // What scripts/setup.sh does for the test command (incremental: seconds).
    execFileSync("npx", ["tsc", "-p", "tsconfig.bidder.json"], { cwd: ROOT });
  });

  it("--help lists every setting of the config schema with its default", () => {
    const run = spawnSync("node", [BIDDER_MAIN, "--help"], { cwd: ROOT, encoding: "utf8" });
    expect(run.status).to.equal(0);
    const help = run.stdout;
    const lines = help.split("\n");
    const flagged = new Set(Object.values(FLAGS).map((f) => f.key));
    for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
      expect(
        flagged.has(key) || FILE_ONLY.includes(key),
        `setting ${key} has a flag or is file-only`,
      ).to.equal(true);
    }
    for (const [flag, f] of Object.entries(FLAGS)) {
      const line = lines.find((l) => l.trimStart().startsWith(`--${flag} `) || l.trim() === `--${flag}`);
      expect(line, `--${flag} in --help`).to.be.a("string");
      expect(line, `--${flag}'s default`).to.include(`(default: ${defaultText(f.key)})`);
    }
    for (const key of FILE_ONLY) expect(help).to.match(new RegExp(`^  ${key} .*\\(default: `, "m"));
    // Nothing in --help that the parser does not know.
    const listed = [...help.matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => m[1]).sort();
    expect(listed).to.deep.equal([...Object.keys(FLAGS), "config", "help"].sort());
  });

  describe("SIGTERM to the bidder's README command", () => {
    let surfnet: SurfnetHandle;
    let connection: Connection;
    let admin: Keypair;
    let market: ChainMarket;
    let keyFile: string;

    before(async () => {
      ({ surfnet, connection, admin } = startChain());
      market = new ChainMarket(new SdkChain({ surfnet, connection, admin }));
      await market.create(demoParams, 150);
      await market.lp(new BN(100_000e6), new BN(0));
      await market.borrower(new BN(10e9), new BN(500e6));
      const keeper = await market.keeper(new BN(1_000e6));
      keyFile = path.join(os.tmpdir(), `gavel-service-${keeper.publicKey.toBase58()}.json`);
      fs.writeFileSync(keyFile, JSON.stringify(Array.from(keeper.secretKey)));
    });
    after(() => {
      if (keyFile) fs.rmSync(keyFile, { force: true });
      if (surfnet) stopChain(surfnet, connection);
    });

    it("drains, exits 0 and leaves no process behind", async () => {
      // As in app/bidder/README.md: node target/bidder/app/bidder/main.js --rpc ... --keypair ... --market ...
      const bot = spawn(
        "node",
        [
          "target/bidder/app/bidder/main.js",
          "--rpc",
          surfnet.rpcUrl,
          "--ws",
          surfnet.wsUrl,
          "--keypair",
          keyFile,
          "--market",
          market.addrs.market.toBase58(),
          "--metrics-port",
          "0",
        ],
        { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
      );
      const exit = new Promise<number | null>((r) => bot.once("exit", (code) => r(code)));
      let out = "";
      bot.stdout!.on("data", (c: Buffer) => (out += c.toString()));
      await waitFor(bot, /"event":"ready"/, 60_000);
      const tree = [bot.pid!, ...descendants(bot.pid!)];
      const signalled = Date.now();
      bot.kill("SIGTERM");
      const code = await exit;
      const shutdownMs = Date.now() - signalled;
      console.log(`      bidder stopped ${shutdownMs} ms after SIGTERM`);
      expect(code, out.slice(-2000)).to.equal(0);
      const stopped = out
        .split("\n")
        .filter((l) => l.includes('"event":"stopped"'))
        .map((l) => JSON.parse(l) as { drained: boolean });
      expect(stopped).to.have.length(1);
      expect(stopped[0].drained).to.equal(true);
      expect(shutdownMs).to.be.lessThan(12_000);
      await new Promise((r) => setTimeout(r, 200));
      expect(tree.filter(alive), "processes left").to.deep.equal([]);
    });
  });

  it("SIGTERM to ./scripts/dashboard.sh mid-demo stops the page, the demo's bidders and the chain", async () => {
    const dash = spawn("./scripts/dashboard.sh", ["--port", "0", "--borrowers", "4"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exit = new Promise<number | null>((r) => dash.once("exit", (code) => r(code)));
    const open = await waitFor(dash, /\[dashboard\] open http/, 240_000);
    const url = /open (http\S+)/.exec(open)![1];
    await waitFor(dash, /3 bidders ready/, 120_000);
    const tree = [dash.pid!, ...descendants(dash.pid!)];
    expect(tree.length, "the dashboard runs the demo's bidder processes").to.be.greaterThanOrEqual(4);
    dash.kill("SIGTERM");
    expect(await exit).to.equal(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(tree.filter(alive), "processes left").to.deep.equal([]);
    let reachable = true;
    await fetch(url).catch(() => (reachable = false));
    expect(reachable, "the page is down").to.equal(false);
  });
});

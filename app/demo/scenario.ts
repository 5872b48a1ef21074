/**
 * The demo's scenario on a running chain (app/demo/main.ts starts one; so does the dashboard's
 * default mode): open a SOL/USDC market with a Pyth-layout oracle, fund LPs and `borrowers`
 * borrowers at varied LTVs, crash the price along a path while three competing bidder processes
 * (app/bidder) kick and take, then print a summary and check the run's invariants.
 */
import BN from "bn.js";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Keypair, Logs, PublicKey } from "@solana/web3.js";
import {
  ACCOUNT_DISCRIMINATORS,
  AuctionAccount,
  debtFromArt,
  decodeAuction,
  decodeMarket,
  decodePosition,
  GavelEvent,
  isAnchored,
  MAKER_ENGINE,
  V2_ENGINE,
  MarketParams,
  maxDebtFor,
  parseEvents,
  positionPda,
  PROGRAM_ID,
  valueFloor,
} from "../../sdk/src";
import { rng } from "../sim/paths";
import { ChainMarket, SdkChain } from "../../sdk/testkit/sdk_chain";
import { defaultParams } from "../../sdk/testkit/params";
import { programPrice, SOL, USDC } from "../../sdk/testkit/units";

/** Demo size and shape (`--borrowers 50 --seed 7 --crash 0.30 --steps 10 ...`). */
export interface DemoOptions {
  borrowers: number;
  seed: number;
  crash: number;
  steps: number;
  stepSecs: number;
  timeoutSecs: number;
  /** Liquidation engine of the market: `v2` (anchored price, partial kicks) or `maker`. */
  engine: DemoEngine;
}

/** The market's liquidation engine in the demo. */
export type DemoEngine = "v2" | "maker";

/** Parses `--name value` flags into {@link DemoOptions}; throws a one-line error on bad input. */
export function demoOptions(argv: string[]): DemoOptions {
  const o: DemoOptions = {
    borrowers: 50,
    seed: 7,
    crash: 0.3,
    steps: 10,
    stepSecs: 3,
    timeoutSecs: 180,
    engine: "v2",
  };
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith("--")) throw new Error(`unexpected argument ${argv[i]} (flags are --name value)`);
    const key = argv[i].slice(2);
    if (!Object.hasOwn(o, key))
      throw new Error(`unknown option --${key} (known: ${Object.keys(o).join(", ")})`);
    const raw = argv[i + 1];
    if (raw === undefined || raw.startsWith("--")) throw new Error(`--${key} needs a value`);
    if (key === "engine") {
      if (raw !== "v2" && raw !== "maker") throw new Error("--engine is v2 or maker");
      o.engine = raw;
      continue;
    }
    const value = raw.trim() === "" ? NaN : Number(raw);
    if (!Number.isFinite(value) || value < 0)
      throw new Error(`--${key} needs a non-negative number, got "${raw}"`);
    if (key !== "crash" && !Number.isSafeInteger(value))
      throw new Error(`--${key} needs a whole number, got "${raw}"`);
    (o as unknown as Record<string, number>)[key] = value;
  }
  if (o.crash >= 1) throw new Error("--crash is a fraction below 1 (0.30 = −30%)");
  if (o.borrowers < 1) throw new Error("--borrowers needs at least 1");
  if (o.steps < 1) throw new Error("--steps needs at least 1");
  return o;
}

/** The demo's competing bidders and their margins (`--min-profit-bps`). */
const BIDDERS = [
  ["aggressive", 100],
  ["moderate", 300],
  ["cautious", 600],
] as const;
/** The smallest margin: an engine-v2 auction whose largest discount is no more never clears. */
const MIN_MARGIN_BPS = Math.min(...BIDDERS.map(([, bps]) => bps));

const log = (msg: string): void => console.log(`[demo] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Bidder processes of a running demo (stopped by {@link stopBidders} on a signal). */
const running = new Set<ChildProcess>();

/**
 * Stops the demo's bidder processes still running: SIGTERM (they drain and exit), SIGKILL after
 * `timeoutMs`. For a command that ends early on SIGINT/SIGTERM: nothing of it is left running.
 */
export async function stopBidders(timeoutMs = 12_000): Promise<void> {
  const children = [...running];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill("SIGTERM");
        }),
    ),
  );
}

/** The bidder's built entry point (`npm run build:bidder`). */
export const BIDDER_MAIN = path.join(__dirname, "../../target/bidder/app/bidder/main.js");

/**
 * Demo market: Maker-like risk parameters with a fast per-second exponential curve (`maker`), or
 * the same market on engine v2 (`v2`: the anchored price and partial kicks of {@link V2_ENGINE}).
 */
export function demoParams(oracle: PublicKey, engine: DemoEngine = "maker"): MarketParams {
  return {
    // The shared market defaults (sdk/testkit/params.ts), with a demo-speed auction.
    ...defaultParams(oracle),
    bufBps: 11_000,
    cuspBps: 5_000,
    tip: USDC(2),
    tailSecs: new BN(600),
    hole: USDC(10_000_000),
    curve: { exp: { cut: new BN("995000000000000000") } }, // −0.5% per second
    // v2: the anchored price's discount grows 6 % a minute instead of 0.5 % so a demo auction
    // reaches the bidders' margins in seconds (as the Maker curve here falls 0.5 % a second).
    ...(engine === "v2" ? { ...V2_ENGINE, anchorRateBpsPerMin: 600 } : MAKER_ENGINE),
  };
}

interface Bot {
  name: string;
  marginBps: number;
  keypair: Keypair;
  process: ChildProcess;
  exit: Promise<number | null>;
  /** Resolves on the bot's `ready` log line. */
  ready: Promise<void>;
}

/**
 * Runs the scenario on `chain` (left running); resolves to whether every invariant held.
 * `onMarket` sees the market once it exists (the dashboard labels its mints).
 */
export async function runDemo(
  chain: SdkChain,
  opts: DemoOptions,
  onMarket?: (m: ChainMarket) => void,
): Promise<boolean> {
  if (!fs.existsSync(BIDDER_MAIN)) {
    throw new Error(`${BIDDER_MAIN} is missing: build the bidder first (npm run build:bidder)`);
  }
  const rand = rng(opts.seed);
  const started = Date.now();
  const { surfnet, connection } = chain;
  const bots: Bot[] = [];
  const events: { event: GavelEvent; oracleUsd: number }[] = [];
  let oracleUsd = 150;
  let subscription: number | undefined;
  try {
    log(
      `embedded chain at ${surfnet.rpcUrl} (ws ${surfnet.wsUrl}); Gavel deployed at ${PROGRAM_ID.toBase58()}`,
    );
    const m = new ChainMarket(chain);
    await m.create((oracle) => demoParams(oracle, opts.engine), oracleUsd);
    onMarket?.(m);
    log(
      `market ${m.addrs.market.toBase58()} (SOL/USDC, Pyth legacy oracle ${m.oracle.toBase58()}) at $${oracleUsd}`,
    );
    subscription = connection.onLogs(
      PROGRAM_ID,
      (l: Logs) => {
        if (!l.err) for (const event of parseEvents(l.logs)) events.push({ event, oracleUsd });
      },
      "confirmed",
    );

    await m.lp(USDC(2_000_000), USDC(20_000));
    await m.lp(USDC(1_000_000), new BN(0));
    log("2 LPs deposited 3,000,000 USDC; insurance fund 20,000 USDC");

    // Three competing bidders with different margins, each funded with USDC inventory.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gavel-demo-"));
    for (const [name, marginBps] of BIDDERS) {
      const keypair = await m.keeper(USDC(500_000));
      const keyPath = path.join(dir, `${name}.json`);
      fs.writeFileSync(keyPath, JSON.stringify(Array.from(keypair.secretKey)));
      // The built entry point (npm run build:bidder; scripts/setup.sh runs it), as an operator runs it.
      const child = spawn(
        process.execPath,
        [
          BIDDER_MAIN,
          "--rpc",
          surfnet.rpcUrl,
          "--ws",
          surfnet.wsUrl,
          "--keypair",
          keyPath,
          "--market",
          m.addrs.market.toBase58(),
          "--min-profit-bps",
          String(marginBps),
          "--name",
          name,
        ],
        { cwd: path.join(__dirname, "../.."), stdio: ["ignore", "pipe", "pipe"] },
      );
      const logFile = fs.createWriteStream(path.join(dir, `${name}.log`));
      child.stdout?.pipe(logFile);
      child.stderr?.pipe(logFile);
      running.add(child);
      const exit = new Promise<number | null>((resolve) =>
        child.on("exit", (code) => {
          running.delete(child);
          resolve(code);
        }),
      );
      const ready = new Promise<void>((resolve, reject) => {
        let seen = "";
        child.stdout?.on("data", (chunk: Buffer) => {
          seen = (seen + chunk.toString()).slice(-4096);
          if (seen.includes('"event":"ready"')) resolve();
        });
        void exit.then((code) =>
          reject(new Error(`bidder ${name} exited (${code}) before it was ready; log: ${dir}/${name}.log`)),
        );
      });
      ready.catch(() => undefined);
      bots.push({ name, marginBps, keypair, process: child, exit, ready });
    }
    log(`3 bidders starting (margins 1%, 3%, 6%); their logs: ${dir}`);

    // Borrowers, one transaction each (token accounts, collateral, position, deposit, borrow),
    // several in flight, while the bidders start.
    const loans = Array.from({ length: opts.borrowers }, () => {
      const ink = 5 + Math.floor(rand() * 45);
      const ltv = 0.3 + rand() * 0.39; // 30% .. 69% of $150, under the 70% max LTV
      return { ink: SOL(ink), debt: USDC(Math.floor(ink * oracleUsd * ltv * 0.99)) };
    });
    const owners = await m.borrowers(loans, 8, (n) => {
      if (n % 10 === 0 || n === opts.borrowers) log(`borrowers opened: ${n}/${opts.borrowers}`);
    });
    await Promise.all(bots.map((b) => b.ready));
    log("3 bidders ready");

    // The crash, down to `floorUsd` (cents, as each step's price).
    const target = oracleUsd * (1 - opts.crash);
    const floorUsd = Math.round(target * 100) / 100;
    const params = demoParams(m.oracle, opts.engine);
    // Over the liquidation LTV at the floor even before interest: each of these must be kicked
    // (a shallow crash or a few borrowers may leave none).
    const mustKick = loans.flatMap((loan, i) => {
      const limit = maxDebtFor(
        valueFloor(loan.ink, programPrice(floorUsd))!,
        new BN(params.liquidationLtvBps),
      )!;
      return loan.debt.gt(limit) ? [positionPda(m.addrs.market, owners[i].publicKey)[0].toBase58()] : [];
    });
    for (let s = 1; s <= opts.steps; s++) {
      oracleUsd = Math.round((150 - ((150 - target) * s) / opts.steps) * 100) / 100;
      await m.setPrice(oracleUsd);
      const started = events.filter((e) => e.event.name === "auctionStarted").length;
      const taken = events.filter((e) => e.event.name === "auctionTaken").length;
      log(`price $${oracleUsd.toFixed(2)} — auctions started ${started}, takes ${taken}`);
      await sleep(opts.stepSecs * 1000);
    }

    // Keep the oracle fresh until every unsafe position is kicked and every auction settled.
    const deadline = Date.now() + opts.timeoutSecs * 1000;
    let unsafe = 0;
    let live = 0;
    // Engine-v2 auctions of near-insolvent positions: the lot is worth about the tab, so the largest
    // discount (d_max ≤ (lot value − tab) / lot value) is within every bidder's margin and no
    // bidder takes them; a backstop pool absorbs such auctions, and this demo has none.
    let stalled: AuctionAccount[] = [];
    for (;;) {
      await m.setPrice(oracleUsd);
      const market = decodeMarket((await connection.getAccountInfo(m.addrs.market))!.data);
      const accounts = await connection.getProgramAccounts(PROGRAM_ID);
      live = 0;
      unsafe = 0;
      stalled = [];
      for (const a of accounts) {
        const disc = a.account.data.subarray(0, 8);
        if (disc.equals(ACCOUNT_DISCRIMINATORS.auction)) {
          live++;
          const auction = decodeAuction(a.account.data);
          if (isAnchored(auction) && auction.dMaxBps <= MIN_MARGIN_BPS) stalled.push(auction);
        }
        if (disc.equals(ACCOUNT_DISCRIMINATORS.position)) {
          const p = decodePosition(a.account.data);
          const debt = debtFromArt(p.art, market.rate)!;
          const limit = maxDebtFor(
            valueFloor(p.ink, programPrice(oracleUsd))!,
            new BN(params.liquidationLtvBps),
          )!;
          if (debt.gt(limit) && !p.art.isZero()) unsafe++;
        }
      }
      if ((unsafe === 0 && live === stalled.length) || Date.now() > deadline) break;
      log(
        `waiting: ${unsafe} unsafe positions not yet kicked, ${live} auctions live` +
          (stalled.length ? ` (${stalled.length} stalled near insolvency)` : ""),
      );
      await sleep(3_000);
    }
    for (const b of bots) b.process.kill("SIGTERM");
    const codes = await Promise.all(bots.map((b) => b.exit));
    await sleep(1_000);

    // Summary.
    const market = decodeMarket((await connection.getAccountInfo(m.addrs.market))!.data);
    const collVault = await connection.getTokenAccountBalance(m.addrs.collateralVault);
    const liqVault = await connection.getTokenAccountBalance(m.addrs.liquidityVault);
    const kicks = events.filter(
      (e): e is { event: GavelEvent<"auctionStarted">; oracleUsd: number } =>
        e.event.name === "auctionStarted",
    );
    const takes = events.filter(
      (e): e is { event: GavelEvent<"auctionTaken">; oracleUsd: number } => e.event.name === "auctionTaken",
    );
    const settled = events.filter(
      (e): e is { event: GavelEvent<"auctionSettled">; oracleUsd: number } =>
        e.event.name === "auctionSettled",
    );
    const bad = events.filter(
      (e): e is { event: GavelEvent<"badDebt">; oracleUsd: number } => e.event.name === "badDebt",
    );
    const discounts = takes
      .map((t) => {
        const price = Number(t.event.data.price.toString()) / 1e12; // USDC base units per lamport
        const oracle = (t.oracleUsd * 1e6) / 1e9;
        return 1 - price / oracle;
      })
      .sort((a, b) => a - b);
    const badDebt = bad.reduce((x, e) => x + Number(e.event.data.debt.toString()), 0) / 1e6;
    const rewards = kicks.reduce((x, e) => x + Number(e.event.data.reward.toString()), 0) / 1e6;
    const pct = (x: number | undefined) => (x === undefined ? "—" : (x * 100).toFixed(2));
    const usd = (x: number) =>
      x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    console.log("");
    console.log("=== Gavel demo summary ===");
    console.log("");
    console.log(
      formatTable(
        ["", "value", "unit"],
        [
          ["borrowers", String(opts.borrowers), ""],
          ["positions kicked", String(kicks.length), ""],
          ["auctions settled", String(settled.length), ""],
          [`auctions stalled (d_max ≤ ${MIN_MARGIN_BPS} bps)`, String(stalled.length), ""],
          ["takes", String(takes.length), ""],
          ["bad debt", usd(badDebt), "USDC"],
          ["keeper rewards", usd(rewards), "USDC"],
          ["final oracle price", usd(oracleUsd), "USD/SOL"],
          ["run time", String(Math.round((Date.now() - started) / 1000)), "s"],
        ],
      ),
    );
    console.log("");
    console.log("clearing discount vs oracle, per take (%):");
    console.log(
      formatTable(
        ["takes", "median", "p95", "worst", "mean"],
        [
          [
            String(discounts.length),
            pct(quantile(discounts, 0.5)),
            pct(quantile(discounts, 0.95)),
            pct(discounts[discounts.length - 1]),
            pct(discounts.length ? discounts.reduce((x, y) => x + y, 0) / discounts.length : undefined),
          ],
        ],
      ),
    );
    console.log("");
    console.log(
      formatTable(
        ["bidder", "margin (bps)", "kicks", "takes", "profit (USDC)"],
        bots.map((b) => {
          const mine = takes.filter((t) => t.event.data.taker.equals(b.keypair.publicKey));
          const profit = mine.reduce((x, t) => {
            const coll = Number(t.event.data.collateral.toString()) / 1e9;
            return x + coll * t.oracleUsd - Number(t.event.data.owe.toString()) / 1e6;
          }, 0);
          const kicked = kicks.filter((k) => k.event.data.kicker.equals(b.keypair.publicKey));
          const reward = kicked.reduce((x, k) => x + Number(k.event.data.reward.toString()), 0) / 1e6;
          return [
            b.name,
            String(b.marginBps),
            String(kicked.length),
            String(mine.length),
            usd(profit + reward),
          ];
        }),
      ),
    );
    console.log("");

    const kicked = new Set(kicks.map((k) => k.event.data.position.toBase58()));
    const checks: [string, boolean][] = [
      ["collateral vault == accounting", collVault.value.amount === market.collateralTotal.toString()],
      [
        "liquidity vault == cash + insurance",
        liqVault.value.amount === market.cash.add(market.insurance).toString(),
      ],
      ["every unsafe position kicked", unsafe === 0],
      stalled.length === 0
        ? [
            "every auction settled (dirt == 0, none live)",
            live === 0 && market.dirt.isZero() && market.auctionDebt.isZero(),
          ]
        : [
            `every auction settled but ${stalled.length} stalled near insolvency (d_max within every bidder's margin: a backstop's job, none here); dirt == their tab`,
            live === stalled.length &&
              market.dirt.eq(sum(stalled.map((a) => a.tab))) &&
              market.auctionDebt.eq(sum(stalled.map((a) => a.debt))),
          ],
      [
        `each of the ${mustKick.length} positions unsafe at $${floorUsd.toFixed(2)} before interest kicked`,
        mustKick.every((p) => kicked.has(p)),
      ],
      ["bidders exited cleanly", codes.every((c) => c === 0)],
    ];
    for (const [what, ok] of checks) log(`${ok ? "ok  " : "FAIL"} ${what}`);
    return checks.every(([, ok]) => ok);
  } finally {
    for (const b of bots) if (b.process.exitCode === null) b.process.kill("SIGKILL");
    if (subscription !== undefined)
      await connection.removeOnLogsListener(subscription).catch(() => undefined);
  }
}

const sum = (xs: BN[]): BN => xs.reduce((x, y) => x.add(y), new BN(0));

/** Nearest-rank quantile `q` of ascending `sorted` values (`undefined` when empty). */
export function quantile(sorted: number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/**
 * A plain-text table: a header, a rule, the rows; columns whose cells are all numbers (or "—")
 * right-aligned, the others left-aligned.
 */
export function formatTable(header: string[], rows: string[][]): string {
  const numeric = header.map((_, c) => rows.every((r) => /^-?[\d,.]+$|^—$/.test(r[c]) || r[c] === ""));
  const width = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (numeric[c] ? cell.padStart(width[c]) : cell.padEnd(width[c])))
      .join("  ")
      .trimEnd();
  return [line(header), width.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

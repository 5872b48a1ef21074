/**
 * The bidder engine: wires its pipelines over one shared core (core.ts) and one send path
 * (send_path.ts), and runs the bot's lifecycle (start, warm-up, timers, graceful stop).
 *
 * - index sync (sync.ts): websocket + periodic getProgramAccounts keep the account index
 *   (account_index.ts) in step with the chain;
 * - auctions (take.ts): on every oracle update, account change, resync or scheduled second, each
 *   live auction is decided with the pure functions of `decide.ts`: reset a stalled auction
 *   (reset.ts), absorb it into the backstop in absorb-keeper mode (`--absorb-keeper`, absorb.ts),
 *   or take it at the bot's margin;
 * - kicks (kick.ts): unsafe positions are kicked for the reward;
 * - venues: market-level actions beyond the auctions (see {@link MarketVenue}).
 *
 * Decisions are logged as one JSON line each (`kick`, `kick.won`, `kick.lost`, `take.sent`,
 * `take.won`, `take.lost`, `reset`, `reset.won`, `reset.lost`, `absorb`, `absorb.won`,
 * `absorb.lost`, `skip`, with `*.failed` for unexpected failures).
 * @module
 */
import BN from "bn.js";
import { Keypair, PublicKey } from "@solana/web3.js";
import {
  createAssociatedTokenAccountIdempotentInstruction,
  getAssociatedTokenAddressSync,
} from "@solana/spl-token";
import { MarketState } from "./account_index";
import { AbsorbPipeline } from "./absorb";
import { BackstopVenue } from "./backstop_venue";
import { BidderDeps, BotCore, Trigger } from "./core";
import { botKickIx, KickPipeline } from "./kick";
import { readChainTime } from "./sender";
import { IndexSync } from "./sync";
import { AuctionPipeline } from "./take";

export type { BidderDeps, Trigger } from "./core";

/**
 * A market-level action the bot considers on every evaluation of a market, after the auctions'
 * decisions and before the kick scan (e.g. buying collateral from the market's backstop pool).
 */
export interface MarketVenue {
  evaluate(m: MarketState, t: Trigger): void;
}

/** See the module doc. */
export class Bidder {
  private readonly core: BotCore;
  private readonly sync: IndexSync;
  private readonly kicks: KickPipeline;
  private readonly auctions: AuctionPipeline;
  /** Market-level venues, in order (see {@link MarketVenue}). */
  readonly venues: MarketVenue[] = [];
  private readonly intervals: NodeJS.Timeout[] = [];

  constructor(deps: BidderDeps) {
    const core = new BotCore(deps);
    this.core = core;
    this.kicks = new KickPipeline(core);
    this.auctions = new AuctionPipeline(core, core.cfg.absorbKeeper ? new AbsorbPipeline(core) : null);
    core.auctionDue = (m, key, t) => this.auctions.evaluate(m, key, t);
    core.positionDue = (m, key, t) => this.kicks.positionChanged(m, key, t);
    this.sync = new IndexSync(core, {
      marketChanged: (m, t) => this.kicks.scanThrottled(m, t),
      marketDue: (m, t) => this.evaluateMarket(m, t),
      auctionChanged: (m, key, t) => this.auctions.evaluate(m, key, t),
      auctionSeen: (m, key) => void core.track(this.auctions.warmCu(m, key)),
      positionChanged: (m, key, t) => this.kicks.positionChanged(m, key, t),
    });
    if (core.cfg.backstopBuy) {
      // `--backstop-buy`: the backstop pool as a second venue (backstop_venue.ts).
      const pool = new BackstopVenue({
        ...deps,
        sender: core.sender,
        log: core.log,
        programId: core.programId,
        minProfitBps: core.cfg.minProfitBps,
        dryRun: core.cfg.dryRun,
        accountsFor: (m) => core.accountsFor(m),
        fees: (m) => core.fees(m),
        nowSecs: () => core.clock.nowSecs(),
        running: () => !core.stopping,
      });
      this.venues.push({ evaluate: (m) => void core.track(pool.consider(m)) });
    }
  }

  get index() {
    return this.core.index;
  }
  get clock() {
    return this.core.clock;
  }
  get sender() {
    return this.core.sender;
  }
  get ws() {
    return this.core.ws;
  }
  /** Absorb keeper: each market's backstop (by market key) and the slot it was seen at. */
  get backstops() {
    return this.core.backstops;
  }
  /** `Date.now()` of the last complete resync (0: none yet). */
  get lastResyncAt(): number {
    return this.sync.lastResyncAt;
  }

  /** Health of the bot for `/health`. */
  health(): { ok: boolean; [k: string]: unknown } {
    const { cfg, ws, index, stopping } = this.core;
    const resyncAge = this.lastResyncAt ? (Date.now() - this.lastResyncAt) / 1000 : null;
    const fresh = resyncAge !== null && resyncAge < cfg.resyncSecs * 3 + 10;
    return {
      ok: !stopping && ws.connected && fresh,
      wsConnected: ws.connected,
      lastResyncSecsAgo: resyncAge,
      markets: index.markets.size,
      positions: index.positionCount(),
      auctions: index.auctionCount(),
      stopping,
    };
  }

  // ---------------------------------------------------------------- lifecycle

  /** Loads the markets, checks them, subscribes, and starts the timers. */
  async start(): Promise<void> {
    const { cfg, ws, metrics, log, sender } = this.core;
    await this.sampleClock(5);
    await sender.refreshBlockhash();
    ws.on("open", (reconnect) => {
      metrics.wsConnected.set(1);
      if (reconnect) {
        metrics.wsReconnects.inc();
        log.info({ event: "ws.reconnected", reconnects: ws.reconnects }, "ws.reconnected");
        this.resync("ws_reconnect").catch(() => undefined);
      }
    });
    ws.on("down", (reason) => {
      metrics.wsConnected.set(0);
      log.warn({ event: "ws.down", reason }, "ws.down");
    });
    ws.start();
    await this.resync("start");
    if (!cfg.dryRun) await this.ensureTokenAccounts();
    await this.warmUp();
    this.intervals.push(
      setInterval(() => void this.resync("periodic").catch(() => undefined), cfg.resyncSecs * 1000),
      setInterval(() => void this.sampleClock(1), 2_000),
      setInterval(() => void sender.refreshBlockhash(), 2_000),
    );
  }

  /**
   * Graceful stop: no new decisions or timers, wait up to `timeoutMs` for transactions in flight,
   * close the subscriptions.
   */
  async stop(timeoutMs = 10_000): Promise<{ drained: boolean }> {
    const core = this.core;
    core.stopping = true;
    for (const t of this.intervals) clearInterval(t);
    core.clearAuctionTimers();
    this.kicks.stop();
    const drained = await core.drain(timeoutMs);
    core.ws.stop();
    core.metrics.wsConnected.set(0);
    return { drained };
  }

  /** Full resync with getProgramAccounts; fills any gap left by dropped notifications. */
  resync(reason: string): Promise<void> {
    return this.sync.resync(reason);
  }

  // ---------------------------------------------------------------- decisions

  /** Takes and resets first (latency), then the venues, then kicks (a full health scan). */
  evaluateMarket(m: MarketState, t: Trigger): void {
    if (this.core.stopping) return;
    for (const key of m.auctions.keys()) this.auctions.evaluate(m, key, t);
    for (const venue of this.venues) venue.evaluate(m, t);
    // After the takes' decisions and sends (microtasks) have run: a scan of many positions
    // must not delay them.
    setImmediate(() => this.kicks.scan(m, t));
  }

  private async sampleClock(n: number): Promise<void> {
    const core = this.core;
    for (let i = 0; i < n; i++) {
      try {
        const before = Date.now();
        const ts = await readChainTime(core.connection);
        // Attribute the sample to the request's midpoint.
        core.clock.sample(ts, (before + Date.now()) / 2);
      } catch (e) {
        core.rpcError("getAccountInfo(clock)", e);
      }
      if (i + 1 < n) await sleep(173);
    }
  }

  /**
   * Runs the hot path once on dummy data (instruction builders, coders, signing, the decision
   * math) so the first real decision does not pay for lazy initialization and JIT warm-up.
   */
  private async warmUp(): Promise<void> {
    const core = this.core;
    const m = core.index.markets.values().next().value;
    if (!m) return;
    const dummy = Keypair.generate().publicKey;
    const auction = {
      collateralMint: m.account.collateralMint,
      debtMint: m.account.debtMint,
      auction: dummy,
      position: dummy,
      kicker: dummy,
    };
    const quote = { collateral: new BN(10).pow(new BN(m.account.collateralDecimals)), owe: new BN(1) };
    try {
      const take = await core.strategy.buildTake(m, core.accountsFor(m), {
        auction,
        maxPrice: new BN(1),
        maxCollateral: new BN(1),
        quote,
        programId: core.programId,
      });
      const kick = botKickIx(core, m, dummy, dummy);
      core.sender.buildSigned([...take.ixs, kick], take.signers, 100_000, 1, dummy.toBase58());
    } catch {
      // a venue that cannot quote yet: nothing to warm
    }
  }

  /** Creates the bot's missing associated token accounts (collateral and debt of each market). */
  private async ensureTokenAccounts(): Promise<void> {
    const { index, me, connection, sender, log } = this.core;
    const wanted = new Map<string, { mint: PublicKey; ata: PublicKey }>();
    for (const m of index.markets.values()) {
      for (const mint of [m.account.collateralMint, m.account.debtMint]) {
        wanted.set(mint.toBase58(), { mint, ata: getAssociatedTokenAddressSync(mint, me) });
      }
    }
    const list = [...wanted.values()];
    const infos = await connection.getMultipleAccountsInfo(
      list.map((w) => w.ata),
      "confirmed",
    );
    const missing = list.filter((_, i) => infos[i] === null);
    if (missing.length === 0) return;
    const ixs = missing.map((w) => createAssociatedTokenAccountIdempotentInstruction(me, w.ata, me, w.mint));
    const res = await sender.send({
      kind: "setup",
      ixs,
      signers: [],
      cuLimit: 200_000,
      microLamports: 0,
    });
    log.info(
      { event: "setup.token_accounts", created: missing.map((w) => w.ata.toBase58()), ok: res.ok },
      "setup.token_accounts",
    );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

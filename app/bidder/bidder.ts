/**
 * The bidder engine: keeps the index in sync (websocket + periodic getProgramAccounts), and on
 * every oracle update, account change, resync or scheduled second decides — with the pure
 * functions of `decide.ts` — whether to kick unsafe positions, take auctions at the bot's margin,
 * or reset stalled auctions, and sends the transactions through `sender.ts`. In absorb-keeper mode
 * (`--absorb-keeper`) it also follows each market's `Backstop` and sends `absorb` for auctions the
 * pool may absorb (open `absorb_after_secs` since the kick: a timer; near insolvency: on oracle
 * updates), before considering a take.
 *
 * Decisions are logged as one JSON line each (`kick`, `kick.won`, `kick.lost`, `take.sent`,
 * `take.won`, `take.lost`, `reset`, `reset.won`, `reset.lost`, `absorb`, `absorb.won`,
 * `absorb.lost`, `skip`, with `*.failed` for unexpected failures).
 * @module
 */
import BN from "bn.js";
import { Connection, Keypair, PublicKey } from "@solana/web3.js";
import {
  createAssociatedTokenAccountIdempotentInstruction,
  getAssociatedTokenAddressSync,
} from "@solana/spl-token";
import type { Logger } from "pino";
import {
  absorbIx,
  BackstopAccount,
  backstopAddresses,
  decodeBackstop,
  encodeBase58,
  GavelEvent,
  kickIx,
  needsReset,
  resetAuctionIx,
  valueFloor,
  isAnchored,
  takePrice,
} from "../../sdk/src";
import { BackstopVenue } from "./backstop_venue";
import { BidderConfig } from "./config";
import {
  decideAbsorb,
  decideKick,
  decideTake,
  FeePolicy,
  lamportsPerDebtUnit,
  priorityFeeMicroLamports,
  positionHealth,
  rateAt,
  resetDueSecond,
  resetRewardAt,
  scanUnsafe,
  sizeTake,
} from "./decide";
import { BACKSTOP_DISCRIMINATOR, DISCRIMINATORS, BidderIndex, MarketState, positionOwner } from "./index";
import { BidderMetrics } from "./metrics";
import { ChainClock, readChainTime, Sender, SendOutcome } from "./sender";
import { BotAccounts, Inventory, TakeStrategy } from "./strategies";
import { ResilientWs, WsAccount } from "./ws";

/** What woke a decision up, and when (for decision_latency_seconds). */
export interface Trigger {
  trigger: "oracle" | "account" | "timer" | "resync" | "after_tx" | "start";
  /** `Date.now()` when the trigger was received. */
  t0: number;
}

/** Compute-unit limits used before a simulation or a landed transaction taught better ones. */
const DEFAULT_CU = { kick: 60_000, take: 60_000, flash: 100_000, reset: 60_000, absorb: 60_000 };

/** Program errors that mean another bidder got there first (or the state moved): a lost race. */
const RACE_ERRORS = new Set([
  "PriceAboveMax",
  "AuctionNeedsReset",
  "TakeTooSmall",
  "TakeLeavesDust",
  "FlashTakePending",
  "AccountOwnerInvalid",
  "AccountDiscriminatorInvalid",
  "AccountAddressInvalid",
  "AuctionMismatch",
  "PositionSafe",
  "HoleFull",
  "AuctionDusty",
  "AuctionResetNotNeeded",
  "KickerMismatch",
  "BackstopNotAbsorbable",
  "BackstopEmpty",
]);

interface AuctionWork {
  busy: boolean;
  /** Consecutive unexpected take failures (backoff). */
  failures: number;
  dirty: Trigger | null;
  timer: NodeJS.Timeout | null;
  timerAt: number | null;
  /** Absorb keeper: timer for the second the auction becomes absorbable by age. */
  absorbTimer: NodeJS.Timeout | null;
  absorbAt: number | null;
  sub: number | null;
  lastLog: string;
}

/** Dependencies of {@link Bidder} (tests substitute their own). */
export interface BidderDeps {
  config: BidderConfig;
  payer: Keypair;
  connection: Connection;
  logger: Logger;
  metrics: BidderMetrics;
  strategy: TakeStrategy;
  inventory: Inventory;
  ws?: ResilientWs;
}

/** See the module doc. */
export class Bidder {
  readonly index = new BidderIndex();
  readonly clock = new ChainClock();
  readonly sender: Sender;
  readonly ws: ResilientWs;
  private readonly cfg: BidderConfig;
  private readonly log: Logger;
  private readonly metrics: BidderMetrics;
  private readonly strategy: TakeStrategy;
  private readonly inventory: Inventory;
  private readonly programId: PublicKey;
  private readonly me: PublicKey;
  private readonly work = new Map<string, AuctionWork>();
  private readonly kicking = new Map<string, Trigger | null>();
  private readonly kickCooldown = new Map<string, number>();
  private readonly lastSkip = new Map<string, string>();
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly marketSubs = new Map<string, { oracles: string; handles: number[] }>();
  private readonly tokenSubs = new Map<string, number>();
  /** Absorb keeper: each market's backstop (by market key) and the slot it was seen at. */
  readonly backstops = new Map<string, { address: PublicKey; account: BackstopAccount; slot: number }>();
  private readonly intervals: NodeJS.Timeout[] = [];
  private resyncing: Promise<void> | null = null;
  private stopping = false;
  /** `Date.now()` of the last complete resync (0: none yet). */
  lastResyncAt = 0;
  /** `--backstop-buy`: the backstop pool as a second venue (backstop_venue.ts). */
  private readonly backstopVenue: BackstopVenue | null;

  constructor(private readonly deps: BidderDeps) {
    this.cfg = deps.config;
    this.log = deps.logger;
    this.metrics = deps.metrics;
    this.strategy = deps.strategy;
    this.inventory = deps.inventory;
    this.programId = new PublicKey(this.cfg.programId);
    this.me = deps.payer.publicKey;
    this.sender = new Sender(deps.connection, deps.payer, {
      skipPreflight: this.cfg.skipPreflight,
      confirmTimeoutSecs: this.cfg.confirmTimeoutSecs,
      onRpcError: (op, e) => this.rpcError(op, e),
    });
    this.ws = deps.ws ?? new ResilientWs(this.cfg.ws);
    this.backstopVenue = !this.cfg.backstopBuy
      ? null
      : new BackstopVenue({
          ...deps,
          sender: this.sender,
          log: this.log,
          programId: this.programId,
          minProfitBps: this.cfg.minProfitBps,
          dryRun: this.cfg.dryRun,
          accountsFor: (m) => this.accountsFor(m),
          fees: (m) => this.fees(m),
          nowSecs: () => this.clock.nowSecs(),
          running: () => !this.stopping,
        });
  }

  private get connection(): Connection {
    return this.deps.connection;
  }

  private rpcError(op: string, e: unknown): void {
    this.metrics.rpcErrors.inc({ op });
    this.log.warn(
      { event: "rpc.error", op, error: String((e as Error)?.message ?? e).split("\n")[0] },
      "rpc.error",
    );
  }

  /** The bot's token accounts in a market (associated token accounts of the bot). */
  accountsFor(m: MarketState): BotAccounts {
    return {
      owner: this.me,
      collateral: getAssociatedTokenAddressSync(m.account.collateralMint, this.me),
      debt: getAssociatedTokenAddressSync(m.account.debtMint, this.me),
    };
  }

  private fees(m: MarketState): FeePolicy {
    return {
      maxPriorityFee: this.cfg.maxPriorityFee,
      priorityFeeShare: this.cfg.priorityFeeShare,
      lamportsPerDebtUnit: lamportsPerDebtUnit(this.cfg.solPrice, m.account.debtDecimals),
    };
  }

  /** Health of the bot for `/health`. */
  health(): { ok: boolean; [k: string]: unknown } {
    const resyncAge = this.lastResyncAt ? (Date.now() - this.lastResyncAt) / 1000 : null;
    const fresh = resyncAge !== null && resyncAge < this.cfg.resyncSecs * 3 + 10;
    return {
      ok: !this.stopping && this.ws.connected && fresh,
      wsConnected: this.ws.connected,
      lastResyncSecsAgo: resyncAge,
      markets: this.index.markets.size,
      positions: this.index.positionCount(),
      auctions: this.index.auctionCount(),
      stopping: this.stopping,
    };
  }

  // ---------------------------------------------------------------- lifecycle

  /** Loads the markets, checks them, subscribes, and starts the timers. */
  async start(): Promise<void> {
    await this.sampleClock(5);
    await this.sender.refreshBlockhash();
    this.ws.on("open", (reconnect) => {
      this.metrics.wsConnected.set(1);
      if (reconnect) {
        this.metrics.wsReconnects.inc();
        this.log.info({ event: "ws.reconnected", reconnects: this.ws.reconnects }, "ws.reconnected");
        this.resync("ws_reconnect").catch(() => undefined);
      }
    });
    this.ws.on("down", (reason) => {
      this.metrics.wsConnected.set(0);
      this.log.warn({ event: "ws.down", reason }, "ws.down");
    });
    this.ws.start();
    await this.resync("start");
    if (!this.cfg.dryRun) await this.ensureTokenAccounts();
    await this.warmUp();
    this.intervals.push(
      setInterval(() => void this.resync("periodic").catch(() => undefined), this.cfg.resyncSecs * 1000),
      setInterval(() => void this.sampleClock(1), 2_000),
      setInterval(() => void this.sender.refreshBlockhash(), 2_000),
    );
  }

  /**
   * Graceful stop: no new decisions or timers, wait up to `timeoutMs` for transactions in flight,
   * close the subscriptions.
   */
  async stop(timeoutMs = 10_000): Promise<{ drained: boolean }> {
    this.stopping = true;
    for (const t of this.intervals) clearInterval(t);
    for (const w of this.work.values()) {
      if (w.timer) clearTimeout(w.timer);
      if (w.absorbTimer) clearTimeout(w.absorbTimer);
    }
    for (const t of this.trailingScan.values()) clearTimeout(t);
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      Promise.allSettled([...this.inflight]).then(() => true),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    this.ws.stop();
    this.metrics.wsConnected.set(0);
    return { drained };
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    p.finally(() => this.inflight.delete(p)).catch(() => undefined);
    return p;
  }

  private async sampleClock(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      try {
        const before = Date.now();
        const ts = await readChainTime(this.connection);
        // Attribute the sample to the request's midpoint.
        this.clock.sample(ts, (before + Date.now()) / 2);
      } catch (e) {
        this.rpcError("getAccountInfo(clock)", e);
      }
      if (i + 1 < n) await sleep(173);
    }
  }

  /**
   * Runs the hot path once on dummy data (instruction builders, coders, signing, the decision
   * math) so the first real decision does not pay for lazy initialization and JIT warm-up.
   */
  private async warmUp(): Promise<void> {
    const m = this.index.markets.values().next().value;
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
      const take = await this.strategy.buildTake(m, this.accountsFor(m), {
        auction,
        maxPrice: new BN(1),
        maxCollateral: new BN(1),
        quote,
        programId: this.programId,
      });
      const kick = kickIx(
        {
          collateralMint: m.account.collateralMint,
          debtMint: m.account.debtMint,
          kicker: this.me,
          owner: dummy,
          auctionId: m.account.auctionCount,
          kickerDebtAccount: dummy,
          oracles: m.oracleAccounts(),
        },
        this.programId,
      );
      this.sender.buildSigned([...take.ixs, kick], take.signers, 100_000, 1, dummy.toBase58());
    } catch {
      // a venue that cannot quote yet: nothing to warm
    }
  }

  /** Creates the bot's missing associated token accounts (collateral and debt of each market). */
  private async ensureTokenAccounts(): Promise<void> {
    const wanted = new Map<string, { mint: PublicKey; ata: PublicKey }>();
    for (const m of this.index.markets.values()) {
      for (const mint of [m.account.collateralMint, m.account.debtMint]) {
        wanted.set(mint.toBase58(), { mint, ata: getAssociatedTokenAddressSync(mint, this.me) });
      }
    }
    const list = [...wanted.values()];
    const infos = await this.connection.getMultipleAccountsInfo(
      list.map((w) => w.ata),
      "confirmed",
    );
    const missing = list.filter((_, i) => infos[i] === null);
    if (missing.length === 0) return;
    const ixs = missing.map((w) =>
      createAssociatedTokenAccountIdempotentInstruction(this.me, w.ata, this.me, w.mint),
    );
    const res = await this.sender.send({
      kind: "setup",
      ixs,
      signers: [],
      cuLimit: 200_000,
      microLamports: 0,
    });
    this.log.info(
      { event: "setup.token_accounts", created: missing.map((w) => w.ata.toBase58()), ok: res.ok },
      "setup.token_accounts",
    );
  }

  // ---------------------------------------------------------------- sync

  /** Full resync with getProgramAccounts; fills any gap left by dropped notifications. */
  resync(reason: string): Promise<void> {
    if (this.resyncing) return this.resyncing;
    this.resyncing = this.doResync(reason)
      .catch((e) => {
        this.rpcError("resync", e);
        throw e;
      })
      .finally(() => {
        this.resyncing = null;
      });
    return this.resyncing;
  }

  private async doResync(reason: string): Promise<void> {
    const started = Date.now();
    const conn = this.connection;
    // Markets.
    let marketAccounts: { pubkey: PublicKey; data: Buffer }[];
    let slot: number;
    if (this.cfg.markets.length === 0) {
      const res = await conn.getProgramAccounts(this.programId, {
        commitment: "confirmed",
        withContext: true,
        filters: [{ memcmp: { offset: 0, bytes: encodeBase58(DISCRIMINATORS.market) } }],
      });
      slot = res.context.slot;
      marketAccounts = res.value.map((a) => ({ pubkey: a.pubkey, data: a.account.data }));
    } else {
      const keys = this.cfg.markets.map((k) => new PublicKey(k));
      const res = await conn.getMultipleAccountsInfoAndContext(keys, "confirmed");
      slot = res.context.slot;
      marketAccounts = [];
      res.value.forEach((info, i) => {
        if (info) marketAccounts.push({ pubkey: keys[i], data: info.data });
      });
    }
    for (const a of marketAccounts) this.index.upsertMarket(a.pubkey, a.data, slot);

    for (const m of this.index.markets.values()) {
      const filters = (d: Buffer) => [
        { memcmp: { offset: 0, bytes: encodeBase58(d) } },
        { memcmp: { offset: 8, bytes: m.key } },
      ];
      const [positions, auctions, extra] = await Promise.all([
        conn.getProgramAccounts(this.programId, {
          commitment: "confirmed",
          withContext: true,
          filters: filters(DISCRIMINATORS.position),
        }),
        conn.getProgramAccounts(this.programId, {
          commitment: "confirmed",
          withContext: true,
          filters: filters(DISCRIMINATORS.auction),
        }),
        conn.getMultipleAccountsInfoAndContext(
          [
            ...m.oracleAccounts(),
            getAssociatedTokenAddressSync(m.account.debtMint, this.me),
            ...(this.cfg.absorbKeeper ? [backstopAddresses(m.address, this.programId).backstop] : []),
          ],
          "confirmed",
        ),
      ]);
      const oracles = m.oracleAccounts();
      oracles.forEach((k, i) => {
        const info = extra.value[i];
        if (!info) return;
        try {
          m.setOracle(i === 0 ? "coll" : "debt", info.data, extra.context.slot);
        } catch (e) {
          this.log.warn(
            { event: "oracle.invalid", oracle: k.toBase58(), error: String(e) },
            "oracle.invalid",
          );
        }
      });
      const debtInfo = extra.value[oracles.length];
      this.inventory.setBalance(
        m.account.debtMint.toBase58(),
        debtInfo && debtInfo.data.length >= 72 ? new BN(debtInfo.data.subarray(64, 72), "le") : new BN(0),
      );
      if (this.cfg.absorbKeeper) {
        const info = extra.value[oracles.length + 1];
        if (info) this.applyBackstop(m, info.data, extra.context.slot);
        else this.backstops.delete(m.key);
      }
      const s = Math.min(positions.context.slot, auctions.context.slot);
      const before = new Set(m.auctions.keys());
      const { closedAuctions } = this.index.resync(
        m,
        positions.value.map((a) => ({ pubkey: a.pubkey.toBase58(), data: a.account.data })),
        auctions.value.map((a) => ({ pubkey: a.pubkey.toBase58(), data: a.account.data })),
        s,
      );
      for (const k of closedAuctions) this.forgetAuction(k);
      for (const k of m.auctions.keys()) if (!before.has(k)) this.onNewAuction(m, k);
      this.subscribeMarket(m);
    }
    this.metrics.positions.set(this.index.positionCount());
    this.metrics.liveAuctions.set(this.index.auctionCount());
    this.lastResyncAt = Date.now();
    this.log.debug(
      {
        event: "resync",
        reason,
        ms: Date.now() - started,
        markets: this.index.markets.size,
        positions: this.index.positionCount(),
        auctions: this.index.auctionCount(),
      },
      "resync",
    );
    const t: Trigger = { trigger: reason === "start" ? "start" : "resync", t0: Date.now() };
    for (const m of this.index.markets.values()) this.evaluateMarket(m, t);
  }

  private subscribeMarket(m: MarketState): void {
    const oracles = oracleList(m);
    const existing = this.marketSubs.get(m.key);
    if (existing && existing.oracles === oracles) return;
    // New market, or the admin pointed it at other oracles: (re)subscribe.
    for (const h of existing?.handles ?? []) this.ws.unsubscribe(h);
    const handles: number[] = [];
    handles.push(
      this.ws.accountSubscribe(m.key, (acc, slot) => {
        if (acc.data.length === 0) return;
        this.index.upsertMarket(m.address, acc.data, slot);
        if (oracleList(m) !== oracles) this.subscribeMarket(m);
        // Every transaction in the market touches it (accrual, dirt): rescan at most once a second.
        this.throttledKicks(m, { trigger: "account", t0: Date.now() });
      }),
    );
    handles.push(
      this.ws.programSubscribe(
        this.programId.toBase58(),
        [{ memcmp: { offset: 8, bytes: m.key } }],
        (k, acc, slot) => this.onProgramAccount(k, acc, slot),
      ),
    );
    m.oracleAccounts().forEach((oracle, i) => {
      handles.push(
        this.ws.accountSubscribe(oracle.toBase58(), (acc, slot) => {
          const receivedAt = Date.now();
          try {
            m.setOracle(i === 0 ? "coll" : "debt", acc.data, slot, receivedAt);
          } catch (e) {
            this.log.warn(
              { event: "oracle.invalid", oracle: oracle.toBase58(), error: String(e) },
              "oracle.invalid",
            );
            return;
          }
          this.evaluateMarket(m, { trigger: "oracle", t0: receivedAt });
        }),
      );
    });
    this.marketSubs.set(m.key, { oracles, handles });
    const debtAta = getAssociatedTokenAddressSync(m.account.debtMint, this.me).toBase58();
    if (!this.tokenSubs.has(debtAta)) {
      const mint = m.account.debtMint.toBase58();
      this.tokenSubs.set(
        debtAta,
        this.ws.accountSubscribe(debtAta, (acc) => {
          const amount = acc.data.length >= 72 ? new BN(acc.data.subarray(64, 72), "le") : new BN(0);
          this.inventory.setBalance(mint, amount);
        }),
      );
    }
  }

  private onProgramAccount(pubkey: string, acc: WsAccount, slot: number): void {
    if (this.stopping) return;
    if (this.cfg.absorbKeeper && acc.data.subarray(0, 8).equals(BACKSTOP_DISCRIMINATOR)) {
      // The backstop's market is at offset 8, so the market's programSubscribe delivers it.
      const m = this.index.markets.get(new PublicKey(acc.data.subarray(8, 40)).toBase58());
      if (m && this.applyBackstop(m, acc.data, slot)) {
        const t: Trigger = { trigger: "account", t0: Date.now() };
        for (const key of m.auctions.keys()) this.evaluateAuction(m, key, t);
      }
      return;
    }
    const applied = this.index.applyProgramAccount(pubkey, acc.data, slot);
    const t: Trigger = { trigger: "account", t0: Date.now() };
    if (applied.kind === "auction") {
      if (applied.isNew) this.onNewAuction(applied.market, applied.key);
      this.evaluateAuction(applied.market, applied.key, t);
    } else if (applied.kind === "position") {
      this.kickCooldown.delete(applied.key);
      // Only this position changed: scan everything only if it became unsafe.
      if (this.isUnsafe(applied.market, applied.key)) this.runKicks(applied.market, t);
    } else if (applied.kind === "closed" && applied.was === "auction") {
      this.forgetAuction(applied.key);
    }
    this.metrics.positions.set(this.index.positionCount());
    this.metrics.liveAuctions.set(this.index.auctionCount());
  }

  private onNewAuction(m: MarketState, key: string): void {
    this.metrics.auctionsSeen.inc({ market: m.key });
    void this.track(this.warmTakeCu(m, key));
    const w = this.workOf(key);
    if (w.sub === null) {
      // Closing an account is not a program-account change for every RPC: watch it directly.
      w.sub = this.ws.accountSubscribe(key, (acc, slot) => {
        if (acc.lamports === 0 || acc.data.length === 0 || acc.owner !== this.programId.toBase58()) {
          if (this.index.remove(key, slot).kind === "closed") this.forgetAuction(key);
        } else {
          this.onProgramAccount(key, acc, slot);
        }
      });
    }
    const a = m.auctions.get(key)?.account;
    this.log.info(
      {
        event: "auction.seen",
        market: m.key,
        auction: key,
        id: a?.id.toString(),
        tab: a?.tab.toString(),
        lot: a?.lot.toString(),
        top: a?.top.toString(),
        tic: a?.tic.toNumber(),
      },
      "auction.seen",
    );
  }

  /**
   * Learns the compute units of a take in this market off the hot path: simulates the take the bot
   * would send at the auction's current price (its own price as the limit, so the simulation does
   * not stop at the price check), sized to its budget. Best effort: on failure the default stays.
   */
  private async warmTakeCu(m: MarketState, key: string): Promise<void> {
    const cuKey = `take:${this.strategy.kind}:${m.key}`;
    const a = m.auctions.get(key)?.account;
    if (this.cfg.dryRun || !a || this.sender.cachedCu(cuKey) !== undefined) return;
    const oracleMid = m.price();
    if (isAnchored(a) && oracleMid === null) return;
    const price = takePrice(m.account.params, a, this.clock.nowSecs(), oracleMid ?? undefined);
    const sized = sizeTake(a, price, m.account.params.dust, this.strategy.budget(m));
    if ("skip" in sized) return;
    try {
      const { ixs, signers } = await this.strategy.buildTake(m, this.accountsFor(m), {
        auction: {
          collateralMint: m.account.collateralMint,
          debtMint: m.account.debtMint,
          auction: new PublicKey(key),
          position: a.position,
          kicker: a.kicker,
          // An anchored take reads the market's oracle(s); a Maker-mode take needs none.
          oracles: isAnchored(a) ? m.oracleAccounts() : undefined,
        },
        maxPrice: price,
        maxCollateral: this.strategy.maxCollateralFor(sized),
        quote: sized.quote,
        programId: this.programId,
      });
      const sim = await this.sender.simulate(ixs, signers);
      if (!sim.err && sim.unitsConsumed && this.sender.cachedCu(cuKey) === undefined) {
        const limit = this.sender.learnCu(cuKey, sim.unitsConsumed);
        this.log.debug({ event: "cu.learned", kind: cuKey, units: sim.unitsConsumed, limit }, "cu.learned");
      }
    } catch {
      // a venue without a route at this price, an RPC hiccup: keep the default
    }
  }

  private forgetAuction(key: string): void {
    this.lastSkip.delete(`auction:${key}`);
    const w = this.work.get(key);
    if (!w) return;
    if (w.timer) clearTimeout(w.timer);
    if (w.absorbTimer) clearTimeout(w.absorbTimer);
    if (w.sub !== null) this.ws.unsubscribe(w.sub);
    this.work.delete(key);
    this.metrics.liveAuctions.set(this.index.auctionCount());
  }

  private workOf(key: string): AuctionWork {
    let w = this.work.get(key);
    if (!w) {
      w = {
        busy: false,
        failures: 0,
        dirty: null,
        timer: null,
        timerAt: null,
        absorbTimer: null,
        absorbAt: null,
        sub: null,
        lastLog: "",
      };
      this.work.set(key, w);
    }
    return w;
  }

  /** Re-reads accounts over RPC (after a transaction) and applies them. */
  private async refresh(keys: string[]): Promise<void> {
    try {
      const res = await this.connection.getMultipleAccountsInfoAndContext(
        keys.map((k) => new PublicKey(k)),
        "confirmed",
      );
      res.value.forEach((info, i) => {
        const k = keys[i];
        if (!info || info.data.length === 0 || info.lamports === 0) {
          if (this.index.remove(k, res.context.slot).kind === "closed") this.forgetAuction(k);
          return;
        }
        const m = this.index.markets.get(k);
        if (m) this.index.upsertMarket(m.address, info.data, res.context.slot);
        else if (info.data.subarray(0, 8).equals(BACKSTOP_DISCRIMINATOR)) {
          const bm = this.index.markets.get(new PublicKey(info.data.subarray(8, 40)).toBase58());
          if (bm) this.applyBackstop(bm, info.data, res.context.slot);
        } else this.index.applyProgramAccount(k, info.data, res.context.slot);
      });
    } catch (e) {
      this.rpcError("getMultipleAccounts", e);
    }
  }

  // ---------------------------------------------------------------- decisions

  /** Takes and resets first (latency), then kicks (a full health scan). */
  evaluateMarket(m: MarketState, t: Trigger): void {
    if (this.stopping) return;
    for (const key of m.auctions.keys()) this.evaluateAuction(m, key, t);
    if (this.backstopVenue) void this.track(this.backstopVenue.consider(m));
    // After the takes' decisions and sends (microtasks) have run: a scan of many positions
    // must not delay them.
    setImmediate(() => this.runKicks(m, t));
  }

  private skip(subject: string, reason: string, fields: Record<string, unknown> = {}): void {
    const sig = `${reason}|${JSON.stringify(fields)}`;
    if (this.lastSkip.get(subject) === sig) return; // one line per changed decision
    this.lastSkip.set(subject, sig);
    this.log.info({ event: "skip", subject, reason, ...fields }, "skip");
  }

  // ----- kicks

  private readonly lastThrottledScan = new Map<string, number>();
  private readonly trailingScan = new Map<string, NodeJS.Timeout>();

  /** At most one scan a second per market, and one at the end of a throttled window. */
  private throttledKicks(m: MarketState, t: Trigger): void {
    const wait = (this.lastThrottledScan.get(m.key) ?? 0) + 1_000 - Date.now();
    if (wait > 0) {
      if (!this.trailingScan.has(m.key) && !this.stopping) {
        this.trailingScan.set(
          m.key,
          setTimeout(() => {
            this.trailingScan.delete(m.key);
            this.throttledKicks(m, { trigger: "account", t0: Date.now() });
          }, wait),
        );
      }
      return;
    }
    this.lastThrottledScan.set(m.key, Date.now());
    this.runKicks(m, t);
  }

  private isUnsafe(m: MarketState, positionKey: string): boolean {
    const pos = m.positions.get(positionKey);
    const price = m.price();
    const rate = rateAt(m.account, this.clock.nowSecs());
    if (!pos || !price || !rate) return false;
    return positionHealth(pos, rate, price, new BN(m.account.params.liquidationLtvBps))?.unsafe ?? false;
  }

  private runKicks(m: MarketState, t: Trigger): void {
    if (this.stopping) return;
    if (this.kicking.has(m.key)) {
      this.kicking.set(m.key, t);
      return;
    }
    this.kicking.set(m.key, null);
    const p = this.track(this.kickLoop(m, t)).finally(() => {
      const again = this.kicking.get(m.key);
      this.kicking.delete(m.key);
      if (again && !this.stopping) this.runKicks(m, again);
    });
    p.catch((e) => this.log.error({ event: "kick.failed", market: m.key, error: String(e) }, "kick.failed"));
  }

  private async kickLoop(m: MarketState, t: Trigger): Promise<void> {
    for (let round = 0; round < 64 && !this.stopping; round++) {
      const pick = this.pickKick(m);
      if (!pick) return;
      await this.sendKick(
        m,
        pick.key,
        pick.decision,
        round === 0 ? t : { trigger: "after_tx", t0: Date.now() },
      );
    }
  }

  private pickKick(m: MarketState) {
    const now = this.clock.nowSecs();
    const price = m.price();
    if (price === null) return null;
    const rate = rateAt(m.account, now);
    if (rate === null) return null;
    const unsafe = scanUnsafe(m.positions.entries(), rate, price, new BN(m.account.params.liquidationLtvBps));
    if (unsafe.length === 0) return null;
    if (!m.oracleUsableOnChain(now)) {
      this.skip(`market:${m.key}`, "oracle_not_usable_for_kick", {
        unsafe: unsafe.length,
        oracleAge: m.oracleAge(now),
      });
      return null;
    }
    const fees = this.fees(m);
    const cu = this.sender.cachedCu(`kick:${m.key}`) ?? DEFAULT_CU.kick;
    let best: { key: string; decision: Extract<ReturnType<typeof decideKick>, { action: "kick" }> } | null =
      null;
    const nowMs = Date.now();
    for (const key of unsafe) {
      if ((this.kickCooldown.get(key) ?? 0) > nowMs) continue;
      const pos = m.positions.get(key)!;
      const d = decideKick(m.account, pos, price, now, fees, cu);
      if (d.action !== "kick") {
        this.skip(`position:${key}`, d.reason, { market: m.key, reward: d.quote?.reward.toString() });
        continue;
      }
      if (
        !best ||
        d.quote.reward.gt(best.decision.quote.reward) ||
        (d.quote.reward.eq(best.decision.quote.reward) && d.quote.tab.gt(best.decision.quote.tab))
      ) {
        best = { key, decision: d };
      }
    }
    return best;
  }

  private async sendKick(
    m: MarketState,
    positionKey: string,
    d: Extract<ReturnType<typeof decideKick>, { action: "kick" }>,
    t: Trigger,
  ): Promise<void> {
    const pos = m.positions.get(positionKey)!;
    const owner = positionOwner(pos);
    const auctionId = m.account.auctionCount;
    const accounts = this.accountsFor(m);
    const ix = kickIx(
      {
        collateralMint: m.account.collateralMint,
        debtMint: m.account.debtMint,
        kicker: this.me,
        owner,
        auctionId,
        kickerDebtAccount: accounts.debt,
        oracles: m.oracleAccounts(),
      },
      this.programId,
    );
    // Learned from simulations and landed kicks; a generous default until then (no simulation
    // round trip on the hot path; the sender doubles a limit that turns out too tight).
    const cuKey = `kick:${m.key}`;
    const cuLimit = this.sender.cachedCu(cuKey) ?? DEFAULT_CU.kick;
    const fees = this.fees(m);
    const microLamports = priorityFeeMicroLamports(d.quote.reward, cuLimit, fees);
    const fields = {
      market: m.key,
      position: positionKey,
      owner: owner.toBase58(),
      auctionId: auctionId.toString(),
      tab: d.quote.tab.toString(),
      lot: d.quote.lot.toString(),
      top: d.quote.top.toString(),
      reward: d.quote.reward.toString(),
      feeDebt: d.fee.feeDebt.toString(),
      oraclePrice: m.price()?.toString(),
      partial: d.quote.partial,
      trigger: t.trigger,
      cuLimit,
      microLamports,
    };
    if (this.cfg.dryRun) {
      this.log.info({ event: "kick", dryRun: true, ...fields }, "kick");
      this.kickCooldown.set(positionKey, Date.now() + 60_000);
      return;
    }
    const res = await this.sender.send({
      kind: cuKey,
      ixs: [ix],
      signers: [],
      cuLimit,
      microLamports,
      onSent: (signature, sentAt, attempt) => {
        if (attempt === 1)
          this.metrics.decisionLatency.observe({ kind: "kick", trigger: t.trigger }, (sentAt - t.t0) / 1000);
        this.log.info({ event: "kick", ...fields, signature, attempt, latencyMs: sentAt - t.t0 }, "kick");
      },
      stillWanted: () => !this.stopping,
    });
    if (res.ok) {
      if (res.computeUnits) this.sender.learnCu(cuKey, res.computeUnits);
      const ev = res.events.find((e) => e.name === "auctionStarted");
      const reward = ev ? (ev.data.reward as BN) : d.quote.reward;
      this.metrics.kicks.inc({ market: m.key, outcome: "won" });
      this.metrics.profit.inc({ market: m.key }, Number(reward.toString()));
      this.log.info(
        {
          event: "kick.won",
          market: m.key,
          position: positionKey,
          auction: ev?.data.auction.toBase58(),
          auctionId: auctionId.toString(),
          reward: reward.toString(),
          tab: ev?.data.tab.toString(),
          signature: res.signature,
        },
        "kick.won",
      );
    } else if (res.gavel && RACE_ERRORS.has(res.gavel.errorName)) {
      this.kickLost(m, positionKey, auctionId, res.gavel.errorName, res.signature);
    } else {
      this.metrics.kicks.inc({ market: m.key, outcome: "failed" });
      this.kickCooldown.set(positionKey, Date.now() + 3_000);
      this.log.error(
        {
          event: "kick.failed",
          market: m.key,
          position: positionKey,
          reason: res.reason,
          error: res.error,
          signature: res.signature,
        },
        "kick.failed",
      );
    }
    await this.refresh([m.key, positionKey]);
  }

  private kickLost(
    m: MarketState,
    positionKey: string,
    auctionId: BN,
    reason: string,
    signature: string | null,
  ): void {
    this.metrics.kicks.inc({ market: m.key, outcome: "lost" });
    this.kickCooldown.set(positionKey, Date.now() + 1_000);
    this.log.info(
      {
        event: "kick.lost",
        market: m.key,
        position: positionKey,
        auctionId: auctionId.toString(),
        reason,
        signature,
      },
      "kick.lost",
    );
  }

  // ----- auctions

  private evaluateAuction(m: MarketState, key: string, t: Trigger): void {
    if (this.stopping) return;
    const w = this.workOf(key);
    if (w.busy) {
      w.dirty = t;
      return;
    }
    w.busy = true;
    const p = this.track(this.actOnAuction(m, key, w, t)).finally(() => {
      w.busy = false;
      const again = w.dirty;
      w.dirty = null;
      if (again && !this.stopping && this.work.get(key) === w) this.evaluateAuction(m, key, again);
    });
    p.catch((e) =>
      this.log.error(
        { event: "take.failed", market: m.key, auction: key, error: String(e?.stack ?? e) },
        "take.failed",
      ),
    );
  }

  private schedule(m: MarketState, key: string, w: AuctionWork, atSecs: number): void {
    if (this.stopping) return;
    if (w.timer && w.timerAt === atSecs) return;
    if (w.timer) clearTimeout(w.timer);
    const ms = Math.max(0, this.clock.msUntil(atSecs) + this.cfg.sendLeadMs);
    w.timerAt = atSecs;
    w.timer = setTimeout(() => {
      w.timer = null;
      w.timerAt = null;
      this.evaluateAuction(m, key, { trigger: "timer", t0: Date.now() });
    }, ms);
  }

  private async actOnAuction(m: MarketState, key: string, w: AuctionWork, t: Trigger): Promise<void> {
    const entry = m.auctions.get(key);
    if (!entry) return;
    const a = entry.account;
    const now = this.clock.nowSecs();
    const p = m.account.params;
    if (a.flash !== 0) {
      this.schedule(m, key, w, now + 1);
      return;
    }
    if (needsReset(p, a, now)) {
      await this.reset(m, key, w, t);
      return;
    }
    const oraclePrice = m.price();
    if (oraclePrice === null || m.oracleAge(now) > this.cfg.maxOracleAgeSecs) {
      this.skip(`auction:${key}`, "oracle_unavailable", { oracleAge: m.oracleAge(now) });
      this.schedule(m, key, w, resetDueSecond(p, a));
      return;
    }
    if (this.cfg.absorbKeeper && (await this.maybeAbsorb(m, key, w, t, oraclePrice))) return;
    const valuePrice = await this.strategy.valuePrice(m, a.lot);
    if (valuePrice === null) {
      this.skip(`auction:${key}`, "no_quote");
      this.schedule(m, key, w, now + 1);
      return;
    }
    const strategyKind = this.strategy.kind;
    const cuKey = `take:${strategyKind}:${m.key}`;
    const cuGuess =
      this.sender.cachedCu(cuKey) ?? (strategyKind === "flash" ? DEFAULT_CU.flash : DEFAULT_CU.take);
    const d = decideTake({
      auction: a,
      params: {
        curve: p.curve,
        tailSecs: p.tailSecs,
        cuspBps: p.cuspBps,
        dust: p.dust,
        anchorStartBps: p.anchorStartBps,
        anchorRateBpsPerMin: p.anchorRateBpsPerMin,
      },
      nowSecs: now,
      // Anchored auctions are priced off the live oracle (the take carries the oracle accounts).
      oracleMid: oraclePrice,
      valuePrice,
      minProfitBps: this.cfg.minProfitBps,
      budget: this.strategy.budget(m),
      fees: this.fees(m),
      cuLimit: cuGuess,
      signatures: this.strategy.signatures,
    });
    const base = {
      market: m.key,
      auction: key,
      auctionId: a.id.toString(),
      oraclePrice: oraclePrice.toString(),
    };
    if (d.action === "reset") {
      await this.reset(m, key, w, t);
      return;
    }
    if (d.action === "wait") {
      this.skip(`auction:${key}`, "waiting_for_price", {
        ...base,
        limit: d.limit.toString(),
        at: d.at,
        priceThen: d.price.toString(),
      });
      this.schedule(m, key, w, d.at);
      return;
    }
    if (d.action === "skip") {
      this.skip(`auction:${key}`, d.reason, {
        ...base,
        price: d.price?.toString(),
        limit: d.limit?.toString(),
      });
      this.schedule(m, key, w, d.retryAt ?? resetDueSecond(p, a));
      return;
    }
    // Take.
    const accounts = this.accountsFor(m);
    const order = {
      auction: {
        collateralMint: m.account.collateralMint,
        debtMint: m.account.debtMint,
        auction: new PublicKey(key),
        position: a.position,
        kicker: a.kicker,
        // An anchored take reads the market's oracle(s); a Maker-mode take needs none.
        oracles: isAnchored(a) ? m.oracleAccounts() : undefined,
      },
      maxPrice: d.limit,
      maxCollateral: this.strategy.maxCollateralFor(d),
      quote: d.quote,
      programId: this.programId,
    };
    const { ixs, signers } = await this.strategy.buildTake(m, accounts, order);
    // From the warm-up simulation or earlier landed takes (see warmTakeCu).
    const cuLimit = this.sender.cachedCu(cuKey) ?? cuGuess;
    const microLamports = priorityFeeMicroLamports(d.grossProfit, cuLimit, this.fees(m));
    const fields = {
      ...base,
      strategy: strategyKind,
      price: d.price.toString(),
      limit: d.limit.toString(),
      maxPrice: d.limit.toString(),
      maxCollateral: order.maxCollateral.toString(),
      expectedCollateral: d.quote.collateral.toString(),
      expectedOwe: d.quote.owe.toString(),
      expectedProfit: d.fee.netProfit.toString(),
      valuePrice: valuePrice.toString(),
      minProfitBps: this.cfg.minProfitBps,
      cuLimit,
      microLamports,
      trigger: t.trigger,
    };
    if (this.cfg.dryRun) {
      this.log.info(
        { event: "take.sent", dryRun: true, ...fields, latencyMs: Date.now() - t.t0 },
        "take.sent",
      );
      this.schedule(m, key, w, now + 1);
      return;
    }
    const release =
      this.strategy.budget(m) === null
        ? () => undefined
        : this.inventory.reserve(m.account.debtMint.toBase58(), d.quote.owe);
    let res: SendOutcome;
    try {
      res = await this.sender.send({
        kind: cuKey,
        ixs,
        signers,
        cuLimit,
        microLamports,
        onSent: (signature, sentAt, attempt) => {
          if (attempt === 1) {
            this.metrics.decisionLatency.observe(
              { kind: "take", trigger: t.trigger },
              (sentAt - t.t0) / 1000,
            );
          }
          this.log.info(
            { event: "take.sent", ...fields, signature, attempt, latencyMs: sentAt - t.t0 },
            "take.sent",
          );
        },
        stillWanted: () => {
          const cur = m.auctions.get(key)?.account;
          if (!cur || this.stopping) return false;
          const mid = m.price();
          if (isAnchored(cur) && mid === null) return false;
          const price = takePrice(p, cur, this.clock.nowSecs(), mid ?? undefined);
          return price.lte(d.limit);
        },
      });
    } finally {
      release();
    }
    if (!res.ok) await this.refresh([key, m.key]);
    const cur = m.auctions.get(key)?.account;
    const moved = !cur || !cur.tab.eq(a.tab) || !cur.lot.eq(a.lot) || !cur.tic.eq(a.tic);
    if (res.ok) {
      if (res.computeUnits) this.sender.learnCu(cuKey, res.computeUnits);
      this.takeWon(m, key, res.events, valuePrice, d.limit, res.signature);
    } else if ((res.gavel && RACE_ERRORS.has(res.gavel.errorName)) || !cur) {
      this.takeLost(m, key, res.gavel?.errorName ?? "auction_gone", res.signature, d.limit);
    } else if (res.reason === "aborted") {
      this.takeLost(m, key, "price_moved", res.signature, d.limit);
    } else if (moved && res.reason === "program") {
      // Someone else's take changed the auction under ours (e.g. a flash swap sized for the old lot).
      this.takeLost(m, key, "auction_moved", res.signature, d.limit);
    } else {
      this.log.error(
        {
          event: "take.failed",
          ...base,
          reason: res.reason,
          error: res.error,
          signature: res.signature,
          logs: res.logs.slice(-5),
        },
        "take.failed",
      );
      // Something persistent (stop level, fee payer out of SOL, an RPC refusing): back off
      // instead of re-deciding at once.
      w.failures++;
      await this.refresh([key, m.key]);
      if (m.auctions.has(key)) this.schedule(m, key, w, this.clock.nowSecs() + Math.min(30, 2 ** w.failures));
      return;
    }
    w.failures = 0;
    await this.refresh([key, m.key]);
    void this.refreshBalance(m);
    if (m.auctions.has(key)) w.dirty ??= { trigger: "after_tx", t0: Date.now() };
  }

  private takeWon(
    m: MarketState,
    key: string,
    events: GavelEvent[],
    valuePrice: BN,
    limit: BN,
    signature: string,
  ): void {
    const ev = events.find(
      (e): e is GavelEvent<"auctionTaken"> => e.name === "auctionTaken" && e.data.taker.equals(this.me),
    );
    const collateral = ev ? ev.data.collateral : new BN(0);
    const owe = ev ? ev.data.owe : new BN(0);
    const profit = (valueFloor(collateral, valuePrice) ?? new BN(0)).sub(owe);
    const settled = events.find((e) => e.name === "auctionSettled");
    this.metrics.takesWon.inc({ market: m.key });
    if (profit.gtn(0)) this.metrics.profit.inc({ market: m.key }, Number(profit.toString()));
    this.log.info(
      {
        event: "take.won",
        market: m.key,
        auction: key,
        auctionId: ev?.data.id.toString(),
        price: ev?.data.price.toString(),
        limit: limit.toString(),
        collateral: collateral.toString(),
        owe: owe.toString(),
        profit: profit.toString(),
        tabLeft: ev?.data.tab.toString(),
        settled: settled !== undefined,
        badDebt: settled?.data.badDebt.toString(),
        signature,
      },
      "take.won",
    );
  }

  private takeLost(m: MarketState, key: string, reason: string, signature: string | null, limit: BN): void {
    this.metrics.takesLost.inc({ market: m.key, reason });
    this.log.info(
      { event: "take.lost", market: m.key, auction: key, reason, limit: limit.toString(), signature },
      "take.lost",
    );
  }

  private async refreshBalance(m: MarketState): Promise<void> {
    const ata = getAssociatedTokenAddressSync(m.account.debtMint, this.me);
    try {
      const info = await this.connection.getAccountInfo(ata, "confirmed");
      this.inventory.setBalance(
        m.account.debtMint.toBase58(),
        info && info.data.length >= 72 ? new BN(info.data.subarray(64, 72), "le") : new BN(0),
      );
    } catch (e) {
      this.rpcError("getAccountInfo(balance)", e);
    }
  }

  // ----- absorbs (absorb-keeper mode)

  /** Keeps a market's backstop if `data` is newer than what the bot has; true when applied. */
  private applyBackstop(m: MarketState, data: Buffer, slot: number): boolean {
    const old = this.backstops.get(m.key);
    if (old && slot < old.slot) return false;
    let account: BackstopAccount;
    try {
      account = decodeBackstop(data);
    } catch (e) {
      this.log.warn({ event: "backstop.invalid", market: m.key, error: String(e) }, "backstop.invalid");
      return false;
    }
    if (!account.market.equals(m.address)) return false;
    const address = old?.address ?? backstopAddresses(m.address, this.programId).backstop;
    this.backstops.set(m.key, { address, account, slot });
    return true;
  }

  /** Wakes the auction up at the second it becomes absorbable by age (`kicked_at + absorb_after_secs`). */
  private scheduleAbsorb(m: MarketState, key: string, w: AuctionWork, atSecs: number): void {
    if (this.stopping || (w.absorbTimer && w.absorbAt === atSecs)) return;
    if (w.absorbTimer) clearTimeout(w.absorbTimer);
    w.absorbAt = atSecs;
    w.absorbTimer = setTimeout(
      () => {
        w.absorbTimer = null;
        w.absorbAt = null;
        this.evaluateAuction(m, key, { trigger: "timer", t0: Date.now() });
      },
      // At most an hour ahead (setTimeout's range; a far second is simply looked at again).
      Math.min(3_600_000, Math.max(0, this.clock.msUntil(atSecs) + this.cfg.sendLeadMs)),
    );
  }

  /**
   * The absorb keeper's turn, before the take: absorbs when `decideAbsorb` says the program would
   * accept it and the reward pays the fee; otherwise schedules the age rule's second (the
   * near-insolvency rule is re-checked on every oracle update). True when it sent an absorb.
   */
  private async maybeAbsorb(
    m: MarketState,
    key: string,
    w: AuctionWork,
    t: Trigger,
    oraclePrice: BN,
  ): Promise<boolean> {
    const b = this.backstops.get(m.key);
    const a = m.auctions.get(key)?.account;
    if (!b || !a) return false;
    const now = this.clock.nowSecs();
    const cuKey = `absorb:${m.key}`;
    const d = decideAbsorb(m.account, a, b.account, oraclePrice, now, {
      policy: this.fees(m),
      cuLimit: this.sender.cachedCu(cuKey) ?? DEFAULT_CU.absorb,
    });
    if (d.action === "skip") {
      const dueAt = a.kickedAt.add(b.account.params.absorbAfterSecs);
      if (d.reason === "not_absorbable" && dueAt.bitLength() <= 52)
        this.scheduleAbsorb(m, key, w, dueAt.toNumber());
      // A Maker-mode price comes down to the oracle second by second.
      if (d.reason === "price_above_oracle") this.scheduleAbsorb(m, key, w, now + 1);
      this.skip(`absorb:${key}`, d.reason, {
        market: m.key,
        auction: key,
        absorbableAt: dueAt.toString(),
        reward: d.reward?.toString(),
      });
      return false;
    }
    if (!m.oracleUsableOnChain(now)) {
      this.skip(`absorb:${key}`, "oracle_not_usable_for_absorb", { oracleAge: m.oracleAge(now) });
      return false;
    }
    await this.absorb(m, key, w, t, d);
    return true;
  }

  private async absorb(
    m: MarketState,
    key: string,
    w: AuctionWork,
    t: Trigger,
    d: Extract<ReturnType<typeof decideAbsorb>, { action: "absorb" }>,
  ): Promise<void> {
    const a = m.auctions.get(key)!.account;
    const ix = absorbIx(
      {
        collateralMint: m.account.collateralMint,
        debtMint: m.account.debtMint,
        auction: new PublicKey(key),
        position: a.position,
        kicker: a.kicker,
        caller: this.me,
        callerDebtAccount: this.accountsFor(m).debt,
        oracles: m.oracleAccounts(),
      },
      this.programId,
    );
    const cuKey = `absorb:${m.key}`;
    const cuLimit = this.sender.cachedCu(cuKey) ?? DEFAULT_CU.absorb;
    const microLamports = priorityFeeMicroLamports(d.reward, cuLimit, this.fees(m));
    const fields = {
      market: m.key,
      auction: key,
      auctionId: a.id.toString(),
      price: d.price.toString(),
      collateral: d.quote.collateral.toString(),
      owe: d.quote.owe.toString(),
      reward: d.reward.toString(),
      feeDebt: d.fee.feeDebt.toString(),
      oraclePrice: m.price()?.toString(),
      sinceKickSecs: this.clock.nowSecs() - a.kickedAt.toNumber(),
      trigger: t.trigger,
      cuLimit,
      microLamports,
    };
    if (this.cfg.dryRun) {
      this.log.info({ event: "absorb", dryRun: true, ...fields }, "absorb");
      this.schedule(m, key, w, this.clock.nowSecs() + 5);
      return;
    }
    const res = await this.sender.send({
      kind: cuKey,
      ixs: [ix],
      signers: [],
      cuLimit,
      microLamports,
      onSent: (signature, sentAt, attempt) => {
        if (attempt === 1)
          this.metrics.decisionLatency.observe(
            { kind: "absorb", trigger: t.trigger },
            (sentAt - t.t0) / 1000,
          );
        this.log.info({ event: "absorb", ...fields, signature, attempt, latencyMs: sentAt - t.t0 }, "absorb");
      },
      stillWanted: () => !this.stopping && m.auctions.has(key),
    });
    if (res.ok) {
      if (res.computeUnits) this.sender.learnCu(cuKey, res.computeUnits);
      const ev = res.events.find((e) => e.name === "auctionAbsorbed");
      this.metrics.absorbs.inc({ market: m.key, outcome: "won" });
      if (ev) {
        this.metrics.profit.inc({ market: m.key }, Number((ev.data.reward as BN).toString()));
        this.metrics.absorbedCollateral.inc({ market: m.key }, Number((ev.data.collateral as BN).toString()));
      }
      this.log.info(
        {
          event: "absorb.won",
          ...fields,
          price: ev?.data.price.toString(),
          collateral: ev?.data.collateral.toString(),
          owe: ev?.data.owe.toString(),
          reward: ev?.data.reward.toString(),
          tab: ev?.data.tab.toString(),
          signature: res.signature,
        },
        "absorb.won",
      );
    } else if (res.gavel && RACE_ERRORS.has(res.gavel.errorName)) {
      this.metrics.absorbs.inc({ market: m.key, outcome: "lost" });
      this.log.info(
        { event: "absorb.lost", ...fields, reason: res.gavel.errorName, signature: res.signature },
        "absorb.lost",
      );
    } else {
      this.metrics.absorbs.inc({ market: m.key, outcome: "failed" });
      this.log.error(
        { event: "absorb.failed", ...fields, reason: res.reason, error: res.error },
        "absorb.failed",
      );
      w.failures++;
      await this.refresh([key, m.key, this.backstops.get(m.key)!.address.toBase58()]);
      if (m.auctions.has(key)) this.schedule(m, key, w, this.clock.nowSecs() + Math.min(30, 2 ** w.failures));
      return;
    }
    w.failures = 0;
    await this.refresh([key, m.key, this.backstops.get(m.key)!.address.toBase58()]);
    if (m.auctions.has(key)) w.dirty ??= { trigger: "after_tx", t0: Date.now() };
  }

  // ----- resets

  private async reset(m: MarketState, key: string, w: AuctionWork, t: Trigger): Promise<void> {
    const a = m.auctions.get(key)?.account;
    if (!a) return;
    const now = this.clock.nowSecs();
    if (!m.oracleUsableOnChain(now)) {
      this.skip(`auction:${key}`, "oracle_not_usable_for_reset", { oracleAge: m.oracleAge(now) });
      return; // the next oracle update re-evaluates
    }
    const accounts = this.accountsFor(m);
    const ix = resetAuctionIx(
      {
        collateralMint: m.account.collateralMint,
        debtMint: m.account.debtMint,
        caller: this.me,
        auction: new PublicKey(key),
        callerDebtAccount: accounts.debt,
        oracles: m.oracleAccounts(),
      },
      this.programId,
    );
    const reward = resetRewardAt(m.account, a, m.price()!);
    const cuKey = `reset:${m.key}`;
    const cuLimit = this.sender.cachedCu(cuKey) ?? DEFAULT_CU.reset;
    const microLamports = priorityFeeMicroLamports(reward, cuLimit, this.fees(m));
    const fields = {
      market: m.key,
      auction: key,
      auctionId: a.id.toString(),
      reward: reward.toString(),
      trigger: t.trigger,
    };
    if (this.cfg.dryRun) {
      this.log.info({ event: "reset", dryRun: true, ...fields }, "reset");
      this.schedule(m, key, w, now + 5);
      return;
    }
    const res = await this.sender.send({
      kind: cuKey,
      ixs: [ix],
      signers: [],
      cuLimit,
      microLamports,
      onSent: (signature, sentAt, attempt) => {
        if (attempt === 1)
          this.metrics.decisionLatency.observe({ kind: "reset", trigger: t.trigger }, (sentAt - t.t0) / 1000);
        this.log.info({ event: "reset", ...fields, signature, attempt }, "reset");
      },
      stillWanted: () => !this.stopping && m.auctions.has(key),
    });
    if (res.ok) {
      if (res.computeUnits) this.sender.learnCu(cuKey, res.computeUnits);
      const ev = res.events.find((e) => e.name === "auctionReset");
      this.metrics.resets.inc({ market: m.key, outcome: "won" });
      if (ev) this.metrics.profit.inc({ market: m.key }, Number((ev.data.reward as BN).toString()));
      this.log.info(
        {
          event: "reset.won",
          ...fields,
          top: ev?.data.top.toString(),
          reward: ev?.data.reward.toString(),
          signature: res.signature,
        },
        "reset.won",
      );
    } else if (res.gavel && RACE_ERRORS.has(res.gavel.errorName)) {
      this.metrics.resets.inc({ market: m.key, outcome: "lost" });
      this.log.info(
        { event: "reset.lost", ...fields, reason: res.gavel.errorName, signature: res.signature },
        "reset.lost",
      );
    } else {
      this.metrics.resets.inc({ market: m.key, outcome: "failed" });
      this.log.error(
        { event: "reset.failed", ...fields, reason: res.reason, error: res.error },
        "reset.failed",
      );
      w.failures++;
      await this.refresh([key, m.key]);
      if (m.auctions.has(key)) this.schedule(m, key, w, this.clock.nowSecs() + Math.min(30, 2 ** w.failures));
      return;
    }
    w.failures = 0;
    await this.refresh([key, m.key]);
    if (m.auctions.has(key)) w.dirty ??= { trigger: "after_tx", t0: Date.now() };
  }
}

function oracleList(m: MarketState): string {
  return m
    .oracleAccounts()
    .map((k) => k.toBase58())
    .join(",");
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

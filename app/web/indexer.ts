/**
 * The dashboard's view of a chain: polls Gavel's accounts (config, markets, positions, auctions,
 * oracles, clock) and listens to its events over the websocket, and turns them into the page's
 * `Snapshot` with the SDK's exact math (accrued debt, LTV, auction price, reset rule). Read-only.
 * On start it replays recent history (`getSignaturesForAddress` + `getTransaction`) so takes and
 * settlements from before the dashboard started show too.
 */
import BN from "bn.js";
import { Connection, PublicKey } from "@solana/web3.js";
import {
  accrueRate,
  anchoredPrice,
  backstopDueAfterAccrue,
  AuctionAccount,
  auctionDiscountBps,
  auctionPrice,
  BPS,
  debtFromArt,
  fetchAuctions,
  fetchClock,
  fetchConfig,
  fetchMarkets,
  fetchPositions,
  GavelEvent,
  isAnchored,
  PRICE_MODE_ANCHORED,
  ltvBps,
  MarketAccount,
  needsResetAt,
  parseEvents,
  poolValue,
  PositionAccount,
  PRICE_SCALE,
  PROGRAM_ID,
  ProgramAccount,
  settleReasonName,
  subscribeEvents,
  valueFloor,
  WAD,
  withdrawalValue,
} from "../../sdk/src";
import { closeWebSocket } from "../../sdk/testkit/surfpool";
import { MarketState } from "../bidder/account_index";
import {
  AuctionView,
  CurvePoint,
  LtvBucket,
  MarketView,
  ParamsView,
  PositionView,
  SettledView,
  Snapshot,
  TakeView,
} from "./src/model";
import { PoolTracker } from "./pool";

export interface IndexerOptions {
  /** Display symbols by mint address (default: the mint's first 4 characters). */
  symbols?: Record<string, string>;
  /** How many recent program transactions to replay on start (default 300; 0 = none). */
  historyLimit?: number;
  /** Kept takes and settlements (default 200 each). */
  keep?: number;
  /** Chain seconds between samples of each backstop pool's history (default 60). */
  poolSampleSecs?: number;
}

/** Seconds in a year, for the borrow APY. */
const YEAR_SECS = 31_536_000;
/** LTV histogram: 5% buckets up to 100%, then one for everything above. */
const BUCKET_BPS = 500;
const BUCKETS = 21;
/** Points sampled along an auction's curve. */
const CURVE_SAMPLES = 120;

const num = (x: BN): number => Number(x.toString());
const amount = (x: BN, decimals: number): number => num(x) / 10 ** decimals;
const short = (key: string): string => `${key.slice(0, 4)}…${key.slice(-4)}`;

/** Events the dashboard turns into rows. */
const TRACKED = new Set([
  "auctionStarted",
  "auctionReset",
  "auctionTaken",
  "auctionSettled",
  "auctionAbsorbed",
]);
type TrackedEvent = GavelEvent<
  "auctionStarted" | "auctionReset" | "auctionTaken" | "auctionSettled" | "auctionAbsorbed"
>;
const isTracked = (e: GavelEvent): e is TrackedEvent => TRACKED.has(e.name);

interface KickInfo {
  market: string;
  time: number;
  oraclePrice: number;
  /** The auction's price mode and `d_max` (of the kick, then of the last reset), from the events. */
  anchored: boolean;
  dMaxBps: number;
}

interface TakeTotals {
  collateral: number;
  paid: number;
  oracleValue: number;
  takes: number;
}

export class Indexer {
  private readonly symbols: Record<string, string>;
  private readonly historyLimit: number;
  private readonly keep: number;
  private markets = new Map<string, MarketState>();
  private readonly kicks = new Map<string, KickInfo>();
  private readonly totals = new Map<string, TakeTotals>();
  private readonly seen = new Set<string>();
  private takes: TakeView[] = [];
  private settled: SettledView[] = [];
  private last: Snapshot;
  private unsubscribe: (() => Promise<void>) | null = null;
  private queue: Promise<void> = Promise.resolve();
  private readonly takeListeners: ((t: TakeView) => void)[] = [];
  private readonly pools: PoolTracker;

  constructor(
    readonly connection: Connection,
    opts: IndexerOptions = {},
    readonly programId: PublicKey = PROGRAM_ID,
  ) {
    this.symbols = { ...opts.symbols };
    this.historyLimit = opts.historyLimit ?? 300;
    this.keep = opts.keep ?? 200;
    this.pools = new PoolTracker(opts.poolSampleSecs, programId);
    this.last = {
      rpc: connection.rpcEndpoint,
      updatedAtMs: 0,
      readMs: 0,
      error: null,
      slot: 0,
      chainTime: 0,
      stop: null,
      programId: programId.toBase58(),
      markets: [],
      auctions: [],
      takes: [],
      settled: [],
    };
  }

  /** The latest snapshot (the previous data with `error` set when the last poll failed). */
  get snapshot(): Snapshot {
    return this.last;
  }

  /** Shows `symbol` for `mint` from the next snapshot on. */
  label(mint: PublicKey, symbol: string): void {
    this.symbols[mint.toBase58()] = symbol;
  }

  /** Calls `listener` with each take as it arrives live. */
  onTake(listener: (t: TakeView) => void): void {
    this.takeListeners.push(listener);
  }

  /**
   * First snapshot, then (once the RPC answers) the event subscription and the history replay.
   * Never throws for RPC errors: they show in the snapshot and the next poll retries.
   */
  async start(): Promise<void> {
    await this.poll();
    if (this.last.error === null) {
      await this.replayHistory().catch((e: Error) => {
        this.last = { ...this.last, error: `history: ${e.message}` };
      });
      await this.poll();
    }
  }

  /** Subscribes to events (one at a time, in log order: a settlement must see its takes first). */
  private subscribeOnce(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = subscribeEvents(
      this.connection,
      (e, { signature, index, slot }) => {
        this.queue = this.queue
          .then(() => this.ingest(e, signature, index, slot, true))
          .catch(() => undefined);
      },
      this.programId,
    );
  }

  /** Unsubscribes and closes the websocket. */
  async stop(): Promise<void> {
    await this.unsubscribe?.().catch(() => undefined);
    closeWebSocket(this.connection);
  }

  /** Reads the chain once and rebuilds the snapshot; on failure keeps the old data with `error`. */
  async poll(): Promise<Snapshot> {
    const started = Date.now();
    try {
      const [config, clock, markets, positions, auctions] = await Promise.all([
        fetchConfig(this.connection, { programId: this.programId }),
        fetchClock(this.connection),
        fetchMarkets(this.connection, { programId: this.programId }),
        fetchPositions(this.connection, undefined, { programId: this.programId }),
        fetchAuctions(this.connection, undefined, { programId: this.programId }),
      ]);
      await this.refreshMarkets(markets, clock.slot.toNumber());
      await this.pools.refresh(
        this.connection,
        markets.map((m) => m.publicKey),
      );
      this.subscribeOnce();
      const now = clock.unixTimestamp.toNumber();
      this.last = {
        rpc: this.connection.rpcEndpoint,
        updatedAtMs: Date.now(),
        readMs: Date.now() - started,
        error: null,
        slot: clock.slot.toNumber(),
        chainTime: now,
        stop: config ? config.stop : null,
        programId: this.programId.toBase58(),
        markets: markets.map((m) => this.marketView(m, positions, now)),
        auctions: auctions
          .map((a) => this.auctionView(a, now))
          .filter((a): a is AuctionView => a !== null)
          .sort((a, b) => b.tic - a.tic),
        takes: this.takes,
        settled: this.settled,
      };
    } catch (e) {
      this.last = { ...this.last, updatedAtMs: Date.now(), error: rpcError(e, this.connection.rpcEndpoint) };
    }
    return this.last;
  }

  /** Keeps one `MarketState` per market with fresh oracle data. */
  private async refreshMarkets(markets: ProgramAccount<MarketAccount>[], slot: number): Promise<void> {
    const next = new Map<string, MarketState>();
    for (const m of markets) {
      const key = m.publicKey.toBase58();
      const state = this.markets.get(key) ?? new MarketState(m.publicKey, m.account, slot);
      state.account = m.account;
      next.set(key, state);
    }
    this.markets = next;
    await Promise.all([...next.values()].map((s) => this.refreshOracles(s, slot)));
  }

  private async refreshOracles(state: MarketState, slot: number): Promise<void> {
    const keys = state.oracleAccounts();
    const infos = await this.connection.getMultipleAccountsInfo(keys);
    infos.forEach((info, i) => {
      if (!info) return;
      try {
        state.setOracle(i === 0 ? "coll" : "debt", info.data, slot);
      } catch {
        // An unreadable oracle account leaves the price unknown (shown as "no price").
      }
    });
  }

  /** Human price (debt tokens per collateral token) from a PRICE_SCALE price. */
  private humanPrice(price: BN, m: MarketAccount): number {
    return (num(price) / num(PRICE_SCALE)) * 10 ** (m.collateralDecimals - m.debtDecimals);
  }

  private symbol(mint: PublicKey): string {
    const key = mint.toBase58();
    return this.symbols[key] ?? short(key);
  }

  private marketView(
    m: ProgramAccount<MarketAccount>,
    positions: ProgramAccount<PositionAccount>[],
    now: number,
  ): MarketView {
    const a = m.account;
    const p = a.params;
    const state = this.markets.get(m.publicKey.toBase58())!;
    const price = state.price();
    const coll = state.collOracle?.data;
    const rate =
      accrueRate(a.rate, p.borrowRatePerSecWad, new BN(Math.max(0, now - a.lastAccrualTs.toNumber()))) ??
      a.rate;
    const debtAmount = (x: BN) => amount(x, a.debtDecimals);
    const totalDebt = debtFromArt(a.artTotal, rate) ?? new BN(0);
    const mine = positions.filter((x) => x.account.market.equals(m.publicKey));
    const histogram: LtvBucket[] = Array.from({ length: BUCKETS }, (_, i) => ({
      fromBps: i * BUCKET_BPS,
      toBps: i === BUCKETS - 1 ? Infinity : (i + 1) * BUCKET_BPS,
      count: 0,
    }));
    const views: PositionView[] = [];
    for (const x of mine) {
      if (x.account.art.isZero()) continue;
      const debt = debtFromArt(x.account.art, rate) ?? new BN(0);
      const value = price ? (valueFloor(x.account.ink, price) ?? new BN(0)) : null;
      const ltv = value ? num(ltvBps(debt, value) ?? new BN(0)) : null;
      if (ltv !== null) histogram[Math.min(BUCKETS - 1, Math.floor(ltv / BUCKET_BPS))].count++;
      views.push({
        address: x.publicKey.toBase58(),
        owner: x.account.owner.toBase58(),
        collateral: amount(x.account.ink, a.collateralDecimals),
        debt: debtAmount(debt),
        ltvBps: ltv ?? NaN,
        health: ltv === null ? NaN : ltv / p.liquidationLtvBps,
        auctions: num(x.account.auctions),
      });
    }
    const nearLiquidation = views
      .filter((v) => Number.isFinite(v.health))
      .sort((x, y) => y.health - x.health)
      .slice(0, 10);
    const accrued = { ...a, rate, backstopDue: backstopDueAfterAccrue(a, rate) ?? a.backstopDue };
    const pool = poolValue(accrued) ?? new BN(0);
    const withdrawal = withdrawalValue(accrued) ?? new BN(0);
    const perShare = (v: BN) => (a.totalShares.isZero() ? null : num(v) / num(a.totalShares));
    return {
      address: m.publicKey.toBase58(),
      collateralMint: a.collateralMint.toBase58(),
      debtMint: a.debtMint.toBase58(),
      collateralSymbol: this.symbol(a.collateralMint),
      debtSymbol: this.symbol(a.debtMint),
      oraclePrice: price ? this.humanPrice(price, a) : null,
      oracleConfBps: coll && coll.price.gtn(0) ? (num(coll.conf) * 10_000) / num(coll.price) : null,
      oracleAgeSecs: coll ? now - coll.publishTime.toNumber() : null,
      params: paramsView(a),
      cash: debtAmount(a.cash),
      insurance: debtAmount(a.insurance),
      totalDebt: debtAmount(totalDebt),
      poolValue: debtAmount(pool),
      sharePrice: perShare(pool),
      withdrawalSharePrice: perShare(withdrawal),
      utilization: pool.isZero() ? 0 : num(totalDebt.add(a.auctionDebt)) / num(pool),
      dirt: debtAmount(a.dirt),
      auctionDebt: debtAmount(a.auctionDebt),
      collateralTotal: amount(a.collateralTotal, a.collateralDecimals),
      auctionCount: num(a.auctionCount),
      positionCount: mine.length,
      borrowerCount: views.length,
      ltvHistogram: histogram,
      nearLiquidation,
      backstop: this.pools.view(m.publicKey, a, price, now),
    };
  }

  private auctionView(x: ProgramAccount<AuctionAccount>, now: number): AuctionView | null {
    const a = x.account;
    const state = this.markets.get(a.market.toBase58());
    if (!state) return null;
    const m = state.account;
    const p = m.params;
    const hp = (v: BN) => this.humanPrice(v, m);
    const oracle = state.price();
    const elapsed = Math.max(0, now - a.tic.toNumber());
    const tail = p.tailSecs.toNumber();
    // The program's reset rule (the SDK's mirror) at second `t` with price `v` on the curve.
    const resetDue = (t: number, v: BN) =>
      needsResetAt({
        top: a.top,
        price: v,
        cuspBps: new BN(p.cuspBps),
        elapsedSecs: new BN(t),
        tailSecs: p.tailSecs,
      });
    const anchored = isAnchored(a);
    // Anchored auctions price at the live oracle (the one at the kick or reset while none is
    // readable) less the discount grown since `tic`; the curve is the projection at today's oracle.
    const mid = oracle ?? a.top;
    const anchoredAt = (t: number) => anchoredPrice(mid, auctionDiscountBps(p, a, a.tic.toNumber() + t));
    const priceAt = (t: number) => (anchored ? anchoredAt(t) : auctionPrice(p.curve, a.top, t));
    const price = priceAt(elapsed);
    const reset = anchored
      ? elapsed > tail
        ? "tail"
        : null
      : resetDue(elapsed, price)
        ? elapsed > tail
          ? "tail"
          : "cusp"
        : null;
    const curve: CurvePoint[] = [];
    const step = Math.max(1, Math.ceil(tail / CURVE_SAMPLES));
    for (let t = 0; t <= tail; t += step) {
      const v = priceAt(t);
      curve.push({ t, price: hp(v) });
      if (!anchored && resetDue(t, v)) break; // within the tail: below the cusp
    }
    const address = x.publicKey.toBase58();
    const takes = this.takes
      .filter((t) => t.auction === address && t.time >= a.tic.toNumber())
      .map((t) => ({ t: t.time - a.tic.toNumber(), price: t.price }));
    const cd = m.collateralDecimals;
    const dd = m.debtDecimals;
    return {
      address,
      market: a.market.toBase58(),
      id: num(a.id),
      owner: a.owner.toBase58(),
      kicker: a.kicker.toBase58(),
      tab: amount(a.tab, dd),
      initialTab: amount(a.initialTab, dd),
      lot: amount(a.lot, cd),
      initialLot: amount(a.initialLot, cd),
      top: hp(a.top),
      tic: a.tic.toNumber(),
      elapsedSecs: elapsed,
      price: hp(price),
      oraclePrice: oracle ? hp(oracle) : null,
      reset,
      tailSecs: tail,
      cuspPrice: hp(a.top.muln(p.cuspBps).div(BPS)),
      anchored,
      discountBps: anchored ? auctionDiscountBps(p, a, now).toNumber() : null,
      dMaxBps: anchored ? a.dMaxBps : null,
      boundPrice: anchored ? hp(anchoredPrice(mid, new BN(a.dMaxBps))) : null,
      curve,
      takes,
    };
  }

  /** Replays the program's recent transactions (oldest first) through `ingest`. */
  private async replayHistory(): Promise<void> {
    if (this.historyLimit === 0) return;
    const sigs = await this.connection.getSignaturesForAddress(this.programId, { limit: this.historyLimit });
    const ok = sigs.filter((s) => !s.err).reverse();
    const batch = 8;
    for (let i = 0; i < ok.length; i += batch) {
      const txs = await Promise.all(
        ok.slice(i, i + batch).map((s) =>
          this.connection.getTransaction(s.signature, {
            commitment: "confirmed",
            maxSupportedTransactionVersion: 0,
          }),
        ),
      );
      txs.forEach((tx, j) => {
        const logs = tx?.meta?.logMessages;
        if (!tx || !logs || tx.meta?.err) return;
        parseEvents(logs, this.programId).forEach((e, k) => {
          void this.ingest(e, ok[i + j].signature, k, tx.slot, false);
        });
      });
    }
  }

  /**
   * One event: kicks are remembered (for the oracle price at the kick), takes and settlements
   * become rows. A live take is measured against the oracle read right now.
   */
  private async ingest(
    e: GavelEvent,
    signature: string,
    index: number,
    slot: number,
    live: boolean,
  ): Promise<void> {
    if (!isTracked(e)) return;
    const key = `${signature}:${index}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.pools.ingest(e);
    const market = e.data.market.toBase58();
    const auction = e.data.auction.toBase58();
    const state = this.markets.get(market);
    if (e.name === "auctionStarted" && state) {
      this.kicks.set(auction, {
        market,
        time: num(e.data.unixTimestamp),
        oraclePrice: this.humanPrice(e.data.oraclePrice, state.account),
        anchored: e.data.priceMode === PRICE_MODE_ANCHORED,
        dMaxBps: e.data.dMaxBps,
      });
    } else if (e.name === "auctionReset") {
      const kick = this.kicks.get(auction);
      if (kick) kick.dMaxBps = e.data.dMaxBps;
    } else if (e.name === "auctionTaken" && state) {
      let oracle: number | null = null;
      let source: TakeView["oracleSource"] = null;
      if (live) {
        await this.refreshOracles(state, slot).catch(() => undefined);
        const price = state.price();
        if (price) [oracle, source] = [this.humanPrice(price, state.account), "take"];
      }
      const kick = this.kicks.get(auction);
      if (oracle === null && kick) [oracle, source] = [kick.oraclePrice, "kick"];
      const m = state.account;
      const take: TakeView = {
        key,
        signature,
        slot,
        market,
        auction,
        id: num(e.data.id),
        taker: e.data.taker.toBase58(),
        price: this.humanPrice(e.data.price, m),
        collateral: amount(e.data.collateral, m.collateralDecimals),
        owe: amount(e.data.owe, m.debtDecimals),
        tabLeft: amount(e.data.tab, m.debtDecimals),
        lotLeft: amount(e.data.lot, m.collateralDecimals),
        time: num(e.data.unixTimestamp),
        oraclePrice: oracle,
        oracleSource: source,
        discount: oracle ? 1 - this.humanPrice(e.data.price, m) / oracle : null,
      };
      const t = this.totals.get(auction) ?? { collateral: 0, paid: 0, oracleValue: 0, takes: 0 };
      t.collateral += take.collateral;
      t.paid += take.owe;
      t.oracleValue += oracle === null ? NaN : take.collateral * oracle;
      t.takes++;
      this.totals.set(auction, t);
      this.takes = [take, ...this.takes]
        .sort((x, y) => y.time - x.time || y.slot - x.slot)
        .slice(0, this.keep);
      if (live) for (const l of this.takeListeners) l(take);
    } else if (e.name === "auctionSettled" && state) {
      const m = state.account;
      const t = this.totals.get(auction);
      const kick = this.kicks.get(auction);
      const time = num(e.data.unixTimestamp);
      const row: SettledView = {
        key,
        signature,
        market,
        auction,
        id: num(e.data.id),
        reason: settleReasonName(e.data.reason),
        mode: kick ? (kick.anchored ? "anchored" : "maker") : null,
        dMaxBps: kick?.anchored ? kick.dMaxBps : null,
        raised: amount(e.data.raised, m.debtDecimals),
        returnedCollateral: amount(e.data.returnedCollateral, m.collateralDecimals),
        badDebt: amount(e.data.badDebt, m.debtDecimals),
        time,
        takes: t?.takes ?? 0,
        durationSecs: kick ? time - kick.time : null,
        discount: t && t.oracleValue > 0 ? 1 - t.paid / t.oracleValue : null,
      };
      this.settled = [row, ...this.settled].sort((x, y) => y.time - x.time).slice(0, this.keep);
    }
  }
}

function paramsView(m: MarketAccount): ParamsView {
  const p = m.params;
  const d = m.debtDecimals;
  const perSec = num(p.borrowRatePerSecWad) / num(WAD);
  return {
    maxLtvBps: p.maxLtvBps,
    liquidationLtvBps: p.liquidationLtvBps,
    chopBps: p.chopBps,
    bufBps: p.bufBps,
    cuspBps: p.cuspBps,
    chipBps: p.chipBps,
    tip: amount(p.tip, d),
    tailSecs: p.tailSecs.toNumber(),
    hole: amount(p.hole, d),
    dust: amount(p.dust, d),
    borrowApy: Math.expm1(Math.log1p(perSec) * YEAR_SECS),
    maxAgeSecs: p.maxAgeSecs.toNumber(),
    maxConfBps: p.maxConfBps,
    withdrawCooldownSecs: p.withdrawCooldownSecs.toNumber(),
    curve: curveName(p.curve),
  };
}

function curveName(c: MarketAccount["params"]["curve"]): string {
  const pct = (cut: BN) => `${((1 - num(cut) / 1e18) * 100).toFixed(2)}%`;
  if ("linear" in c) return `linear to zero over ${c.linear.tauSecs.toString()} s`;
  if ("stairstepExp" in c)
    return `stairstep −${pct(c.stairstepExp.cut)} every ${c.stairstepExp.stepSecs.toString()} s`;
  return `exponential −${pct(c.exp.cut)} per second`;
}

function rpcError(e: unknown, rpc: string): string {
  const msg = (e as Error).message ?? String(e);
  if (/fetch failed|ECONNREFUSED|ENOTFOUND|network/i.test(msg))
    return `cannot reach the RPC at ${rpc} (${msg})`;
  return `RPC error from ${rpc}: ${msg}`;
}

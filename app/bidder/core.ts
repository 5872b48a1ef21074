/**
 * What the bidder's pipelines (index sync, kick, take, reset, absorb) share: the configuration,
 * logger and metrics, the account index, the chain clock, the sender and the websocket, the
 * per-auction work state with its timers, and small helpers (one skip line per changed decision,
 * the fee policy, the bot's token accounts, re-reading accounts after a transaction).
 * @module
 */
import BN from "bn.js";
import { Connection, Keypair, PublicKey } from "@solana/web3.js";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import type { Logger } from "pino";
import {
  AUCTION_LAYOUT,
  BACKSTOP_LAYOUT,
  BackstopAccount,
  backstopAddresses,
  decodeBackstop,
  POSITION_LAYOUT,
} from "../../sdk/src";
import { Applied, BACKSTOP_DISCRIMINATOR, BidderIndex, MarketState } from "./account_index";
import { BidderConfig } from "./config";
import { FeePolicy, lamportsPerDebtUnit } from "./decide";
import { BidderMetrics } from "./metrics";
import { ChainClock, Sender } from "./sender";
import { BotAccounts, Inventory, TakeStrategy } from "./strategies";
import { ResilientWs } from "./ws";

/**
 * Byte offset of the `market` field in the accounts the bot follows per market (positions,
 * auctions, the backstop), from the SDK's generated layouts: one `memcmp` on it finds them all. The
 * type is the intersection of the three offsets, so a layout that moved one would not compile.
 */
export const MARKET_OFFSET: typeof AUCTION_LAYOUT.offsets.market & typeof BACKSTOP_LAYOUT.offsets.market =
  POSITION_LAYOUT.offsets.market;

/** The market (base58) a `Backstop` account's data belongs to. */
export function backstopMarketKey(data: Buffer): string {
  const at = BACKSTOP_LAYOUT.offsets.market;
  return new PublicKey(data.subarray(at, at + 32)).toBase58();
}

/** What woke a decision up, and when (for decision_latency_seconds). */
export interface Trigger {
  trigger: "oracle" | "account" | "timer" | "resync" | "after_tx" | "start";
  /** `Date.now()` when the trigger was received. */
  t0: number;
}

/** The bot's work on one live auction: one decision at a time, its timers and subscription. */
export interface AuctionWork {
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
}

/** Dependencies of the bidder (tests substitute their own). */
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
export class BotCore {
  readonly index = new BidderIndex();
  readonly clock = new ChainClock();
  readonly sender: Sender;
  readonly ws: ResilientWs;
  readonly cfg: BidderConfig;
  readonly log: Logger;
  readonly metrics: BidderMetrics;
  readonly strategy: TakeStrategy;
  readonly inventory: Inventory;
  readonly connection: Connection;
  readonly programId: PublicKey;
  readonly me: PublicKey;
  readonly work = new Map<string, AuctionWork>();
  /** Absorb keeper: each market's backstop (by market key) and the slot it was seen at. */
  readonly backstops = new Map<string, { address: PublicKey; account: BackstopAccount; slot: number }>();
  private readonly lastSkip = new Map<string, string>();
  private readonly inflight = new Set<Promise<unknown>>();
  stopping = false;
  /** Re-decides one auction (the auction pipeline; set by the bidder). */
  auctionDue: (m: MarketState, key: string, t: Trigger) => void = () => undefined;
  /** Re-checks one position for a kick (the kick pipeline; set by the bidder). */
  positionDue: (m: MarketState, key: string, t: Trigger) => void = () => undefined;

  constructor(deps: BidderDeps) {
    this.cfg = deps.config;
    this.log = deps.logger;
    this.metrics = deps.metrics;
    this.strategy = deps.strategy;
    this.inventory = deps.inventory;
    this.connection = deps.connection;
    this.programId = new PublicKey(this.cfg.programId);
    this.me = deps.payer.publicKey;
    this.sender = new Sender(deps.connection, deps.payer, {
      skipPreflight: this.cfg.skipPreflight,
      confirmTimeoutSecs: this.cfg.confirmTimeoutSecs,
      onRpcError: (op, e) => this.rpcError(op, e),
    });
    this.ws = deps.ws ?? new ResilientWs(this.cfg.ws);
  }

  rpcError(op: string, e: unknown): void {
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

  fees(m: MarketState): FeePolicy {
    return {
      maxPriorityFee: this.cfg.maxPriorityFee,
      priorityFeeShare: this.cfg.priorityFeeShare,
      lamportsPerDebtUnit: lamportsPerDebtUnit(this.cfg.solPrice, m.account.debtDecimals),
    };
  }

  /** Keeps `p` in the set a graceful stop waits for. */
  track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    p.finally(() => this.inflight.delete(p)).catch(() => undefined);
    return p;
  }

  /** Waits up to `timeoutMs` for the tracked work; true when all of it settled. */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      Promise.allSettled([...this.inflight]).then(() => true),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    return drained;
  }

  /** Logs a `skip` line, once per changed decision of `subject`. */
  skip(subject: string, reason: string, fields: Record<string, unknown> = {}): void {
    const sig = `${reason}|${JSON.stringify(fields)}`;
    if (this.lastSkip.get(subject) === sig) return; // one line per changed decision
    this.lastSkip.set(subject, sig);
    this.log.info({ event: "skip", subject, reason, ...fields }, "skip");
  }

  workOf(key: string): AuctionWork {
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
      };
      this.work.set(key, w);
    }
    return w;
  }

  /**
   * Reacts to an account the index removed: a closed auction is forgotten, and its position, which
   * the settlement wrote (one live auction less; collateral or unraised debt back), is re-read and
   * re-checked for a kick. A node need not notify that write (the close itself is seen on the
   * auction's own subscription or re-read after a take), and a position with a live auction is not
   * kicked on a partial-kick market, so without this it would wait for the next full resync.
   */
  removed(applied: Applied): void {
    if (applied.kind !== "closed" || applied.was !== "auction") return;
    this.forgetAuction(applied.key);
    if (this.stopping) return;
    const { market, position } = applied;
    const t0 = Date.now();
    void this.track(
      this.refresh([position]).then(() => this.positionDue(market, position, { trigger: "account", t0 })),
    );
  }

  forgetAuction(key: string): void {
    this.lastSkip.delete(`auction:${key}`);
    const w = this.work.get(key);
    if (!w) return;
    if (w.timer) clearTimeout(w.timer);
    if (w.absorbTimer) clearTimeout(w.absorbTimer);
    if (w.sub !== null) this.ws.unsubscribe(w.sub);
    this.work.delete(key);
    this.metrics.liveAuctions.set(this.index.auctionCount());
  }

  /** Clears every auction's timers (graceful stop). */
  clearAuctionTimers(): void {
    for (const w of this.work.values()) {
      if (w.timer) clearTimeout(w.timer);
      if (w.absorbTimer) clearTimeout(w.absorbTimer);
    }
  }

  /** Re-decides the auction at chain second `atSecs` (plus the configured send lead). */
  schedule(m: MarketState, key: string, w: AuctionWork, atSecs: number): void {
    if (this.stopping) return;
    if (w.timer && w.timerAt === atSecs) return;
    if (w.timer) clearTimeout(w.timer);
    const ms = Math.max(0, this.clock.msUntil(atSecs) + this.cfg.sendLeadMs);
    w.timerAt = atSecs;
    w.timer = setTimeout(() => {
      w.timer = null;
      w.timerAt = null;
      this.auctionDue(m, key, { trigger: "timer", t0: Date.now() });
    }, ms);
  }

  /**
   * After a transaction on an auction: re-reads `keys`; when it `failed` unexpectedly, backs off
   * (something persistent: a stop level, a fee payer out of SOL, an RPC refusing) instead of
   * re-deciding at once; otherwise re-decides as soon as the current decision ends.
   */
  async afterAuctionTx(
    m: MarketState,
    key: string,
    w: AuctionWork,
    failed: boolean,
    keys: string[],
  ): Promise<void> {
    if (failed) {
      w.failures++;
      await this.refresh(keys);
      if (m.auctions.has(key)) this.schedule(m, key, w, this.clock.nowSecs() + Math.min(30, 2 ** w.failures));
      return;
    }
    w.failures = 0;
    await this.refresh(keys);
    if (m.auctions.has(key)) w.dirty ??= { trigger: "after_tx", t0: Date.now() };
  }

  /** Keeps a market's backstop if `data` is newer than what the bot has; true when applied. */
  applyBackstop(m: MarketState, data: Buffer, slot: number): boolean {
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

  /** Re-reads accounts over RPC (after a transaction) and applies them. */
  async refresh(keys: string[]): Promise<void> {
    try {
      const res = await this.connection.getMultipleAccountsInfoAndContext(
        keys.map((k) => new PublicKey(k)),
        "confirmed",
      );
      res.value.forEach((info, i) => {
        const k = keys[i];
        if (!info || info.data.length === 0 || info.lamports === 0) {
          this.removed(this.index.remove(k, res.context.slot));
          return;
        }
        const m = this.index.markets.get(k);
        if (m) this.index.upsertMarket(m.address, info.data, res.context.slot);
        else if (info.data.subarray(0, 8).equals(BACKSTOP_DISCRIMINATOR)) {
          const bm = this.index.markets.get(backstopMarketKey(info.data));
          if (bm) this.applyBackstop(bm, info.data, res.context.slot);
        } else this.index.applyProgramAccount(k, info.data, res.context.slot);
      });
    } catch (e) {
      this.rpcError("getMultipleAccounts", e);
    }
  }

  /** Re-reads the bot's debt-token balance of a market into the inventory. */
  async refreshBalance(m: MarketState): Promise<void> {
    const ata = getAssociatedTokenAddressSync(m.account.debtMint, this.me);
    try {
      const info = await this.connection.getAccountInfo(ata, "confirmed");
      this.inventory.setBalance(m.account.debtMint.toBase58(), tokenAmount(info?.data ?? null));
    } catch (e) {
      this.rpcError("getAccountInfo(balance)", e);
    }
  }
}

/** The amount of an SPL token account's data (0 when missing or too short). */
export function tokenAmount(data: Buffer | null): BN {
  return data && data.length >= 72 ? new BN(data.subarray(64, 72), "le") : new BN(0);
}

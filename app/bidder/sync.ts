/**
 * Index sync: keeps the bot's account index in step with the chain. A full resync with
 * getProgramAccounts (at start, periodically and after a websocket reconnect) fills any gap left
 * by dropped notifications; websocket subscriptions per market (the market account, its program
 * accounts, its oracles, the bot's debt-token account, each live auction) apply changes as they
 * come. It tells the pipelines what changed through {@link SyncReactions}.
 * @module
 */
import { PublicKey } from "@solana/web3.js";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { backstopAddresses, encodeBase58 } from "../../sdk/src";
import { BACKSTOP_DISCRIMINATOR, DISCRIMINATORS, MarketState } from "./account_index";
import { backstopMarketKey, BotCore, MARKET_OFFSET, tokenAmount, Trigger } from "./core";
import { WsAccount } from "./ws";

/** What the pipelines do when the index changes. */
export interface SyncReactions {
  /** The market account changed (every transaction in the market touches it). */
  marketChanged(m: MarketState, t: Trigger): void;
  /** An oracle moved, or a resync ended: re-decide the whole market. */
  marketDue(m: MarketState, t: Trigger): void;
  /** An auction (or the market's backstop, for each auction) changed. */
  auctionChanged(m: MarketState, key: string, t: Trigger): void;
  /** A live auction the index did not have. */
  auctionSeen(m: MarketState, key: string): void;
  /** One position changed. */
  positionChanged(m: MarketState, key: string, t: Trigger): void;
}

/** See the module doc. */
export class IndexSync {
  private readonly marketSubs = new Map<string, { oracles: string; handles: number[] }>();
  private readonly tokenSubs = new Map<string, number>();
  private resyncing: Promise<void> | null = null;
  /** `Date.now()` of the last complete resync (0: none yet). */
  lastResyncAt = 0;

  constructor(
    private readonly core: BotCore,
    private readonly on: SyncReactions,
  ) {}

  /** Full resync with getProgramAccounts; fills any gap left by dropped notifications. */
  resync(reason: string): Promise<void> {
    if (this.resyncing) return this.resyncing;
    this.resyncing = this.doResync(reason)
      .catch((e) => {
        this.core.rpcError("resync", e);
        throw e;
      })
      .finally(() => {
        this.resyncing = null;
      });
    return this.resyncing;
  }

  /** The watched markets' accounts, with the slot they were read at. */
  private async readMarkets(): Promise<{ slot: number; accounts: { pubkey: PublicKey; data: Buffer }[] }> {
    const { connection: conn, cfg, programId } = this.core;
    if (cfg.markets.length === 0) {
      const res = await conn.getProgramAccounts(programId, {
        commitment: "confirmed",
        withContext: true,
        filters: [{ memcmp: { offset: 0, bytes: encodeBase58(DISCRIMINATORS.market) } }],
      });
      return {
        slot: res.context.slot,
        accounts: res.value.map((a) => ({ pubkey: a.pubkey, data: a.account.data })),
      };
    }
    const keys = cfg.markets.map((k) => new PublicKey(k));
    const res = await conn.getMultipleAccountsInfoAndContext(keys, "confirmed");
    const accounts: { pubkey: PublicKey; data: Buffer }[] = [];
    res.value.forEach((info, i) => {
      if (info) accounts.push({ pubkey: keys[i], data: info.data });
    });
    return { slot: res.context.slot, accounts };
  }

  private async doResync(reason: string): Promise<void> {
    const core = this.core;
    const started = Date.now();
    const markets = await this.readMarkets();
    for (const a of markets.accounts) core.index.upsertMarket(a.pubkey, a.data, markets.slot);
    for (const m of core.index.markets.values()) await this.resyncMarket(m);
    core.metrics.positions.set(core.index.positionCount());
    core.metrics.liveAuctions.set(core.index.auctionCount());
    this.lastResyncAt = Date.now();
    core.log.debug(
      {
        event: "resync",
        reason,
        ms: Date.now() - started,
        markets: core.index.markets.size,
        positions: core.index.positionCount(),
        auctions: core.index.auctionCount(),
      },
      "resync",
    );
    const t: Trigger = { trigger: reason === "start" ? "start" : "resync", t0: Date.now() };
    for (const m of core.index.markets.values()) this.on.marketDue(m, t);
  }

  /** One market's positions, auctions, oracles, the bot's balance and (absorb keeper) backstop. */
  private async resyncMarket(m: MarketState): Promise<void> {
    const { connection: conn, cfg, programId, me, index } = this.core;
    const filters = (d: Buffer) => [
      { memcmp: { offset: 0, bytes: encodeBase58(d) } },
      { memcmp: { offset: MARKET_OFFSET, bytes: m.key } },
    ];
    const [positions, auctions, extra] = await Promise.all([
      conn.getProgramAccounts(programId, {
        commitment: "confirmed",
        withContext: true,
        filters: filters(DISCRIMINATORS.position),
      }),
      conn.getProgramAccounts(programId, {
        commitment: "confirmed",
        withContext: true,
        filters: filters(DISCRIMINATORS.auction),
      }),
      conn.getMultipleAccountsInfoAndContext(
        [
          ...m.oracleAccounts(),
          getAssociatedTokenAddressSync(m.account.debtMint, me),
          ...(cfg.absorbKeeper ? [backstopAddresses(m.address, programId).backstop] : []),
        ],
        "confirmed",
      ),
    ]);
    const oracles = m.oracleAccounts();
    oracles.forEach((k, i) => {
      const info = extra.value[i];
      if (!info) return;
      this.setOracle(m, i, k, info.data, extra.context.slot);
    });
    this.core.inventory.setBalance(
      m.account.debtMint.toBase58(),
      tokenAmount(extra.value[oracles.length]?.data ?? null),
    );
    if (cfg.absorbKeeper) {
      const info = extra.value[oracles.length + 1];
      if (info) this.core.applyBackstop(m, info.data, extra.context.slot);
      else this.core.backstops.delete(m.key);
    }
    const s = Math.min(positions.context.slot, auctions.context.slot);
    const before = new Set(m.auctions.keys());
    const { closedAuctions } = index.resync(
      m,
      positions.value.map((a) => ({ pubkey: a.pubkey.toBase58(), data: a.account.data })),
      auctions.value.map((a) => ({ pubkey: a.pubkey.toBase58(), data: a.account.data })),
      s,
    );
    for (const k of closedAuctions) this.core.forgetAuction(k);
    for (const k of m.auctions.keys()) if (!before.has(k)) this.onNewAuction(m, k);
    this.subscribeMarket(m);
  }

  /** Applies oracle `i` of market `m`; false (logged) when its data is not a price. */
  private setOracle(
    m: MarketState,
    i: number,
    oracle: PublicKey,
    data: Buffer,
    slot: number,
    receivedAt?: number,
  ) {
    try {
      m.setOracle(i === 0 ? "coll" : "debt", data, slot, receivedAt);
      return true;
    } catch (e) {
      this.core.log.warn(
        { event: "oracle.invalid", oracle: oracle.toBase58(), error: String(e) },
        "oracle.invalid",
      );
      return false;
    }
  }

  private subscribeMarket(m: MarketState): void {
    const { ws, index, programId, me, inventory } = this.core;
    const oracles = oracleList(m);
    const existing = this.marketSubs.get(m.key);
    if (existing && existing.oracles === oracles) return;
    // New market, or the admin pointed it at other oracles: (re)subscribe.
    for (const h of existing?.handles ?? []) ws.unsubscribe(h);
    const handles: number[] = [];
    handles.push(
      ws.accountSubscribe(m.key, (acc, slot) => {
        if (acc.data.length === 0) return;
        index.upsertMarket(m.address, acc.data, slot);
        if (oracleList(m) !== oracles) this.subscribeMarket(m);
        // Every transaction in the market touches it (accrual, dirt): rescan at most once a second.
        this.on.marketChanged(m, { trigger: "account", t0: Date.now() });
      }),
    );
    handles.push(
      ws.programSubscribe(
        programId.toBase58(),
        [{ memcmp: { offset: MARKET_OFFSET, bytes: m.key } }],
        (k, acc, slot) => this.onProgramAccount(k, acc, slot),
      ),
    );
    m.oracleAccounts().forEach((oracle, i) => {
      handles.push(
        ws.accountSubscribe(oracle.toBase58(), (acc, slot) => {
          const receivedAt = Date.now();
          if (this.setOracle(m, i, oracle, acc.data, slot, receivedAt))
            this.on.marketDue(m, { trigger: "oracle", t0: receivedAt });
        }),
      );
    });
    this.marketSubs.set(m.key, { oracles, handles });
    const debtAta = getAssociatedTokenAddressSync(m.account.debtMint, me).toBase58();
    if (!this.tokenSubs.has(debtAta)) {
      const mint = m.account.debtMint.toBase58();
      this.tokenSubs.set(
        debtAta,
        ws.accountSubscribe(debtAta, (acc) => inventory.setBalance(mint, tokenAmount(acc.data))),
      );
    }
  }

  private onProgramAccount(pubkey: string, acc: WsAccount, slot: number): void {
    const core = this.core;
    if (core.stopping) return;
    if (core.cfg.absorbKeeper && acc.data.subarray(0, 8).equals(BACKSTOP_DISCRIMINATOR)) {
      // The backstop's market is at MARKET_OFFSET, so the market's programSubscribe delivers it.
      const m = core.index.markets.get(backstopMarketKey(acc.data));
      if (m && core.applyBackstop(m, acc.data, slot)) {
        const t: Trigger = { trigger: "account", t0: Date.now() };
        for (const key of m.auctions.keys()) this.on.auctionChanged(m, key, t);
      }
      return;
    }
    const applied = core.index.applyProgramAccount(pubkey, acc.data, slot);
    const t: Trigger = { trigger: "account", t0: Date.now() };
    if (applied.kind === "auction") {
      if (applied.isNew) this.onNewAuction(applied.market, applied.key);
      this.on.auctionChanged(applied.market, applied.key, t);
    } else if (applied.kind === "position") {
      this.on.positionChanged(applied.market, applied.key, t);
    } else {
      core.removed(applied);
    }
    core.metrics.positions.set(core.index.positionCount());
    core.metrics.liveAuctions.set(core.index.auctionCount());
  }

  private onNewAuction(m: MarketState, key: string): void {
    const core = this.core;
    core.metrics.auctionsSeen.inc({ market: m.key });
    this.on.auctionSeen(m, key);
    const w = core.workOf(key);
    if (w.sub === null) {
      // Closing an account is not a program-account change for every RPC: watch it directly.
      w.sub = core.ws.accountSubscribe(key, (acc, slot) => {
        if (acc.lamports === 0 || acc.data.length === 0 || acc.owner !== core.programId.toBase58()) {
          core.removed(core.index.remove(key, slot));
        } else {
          this.onProgramAccount(key, acc, slot);
        }
      });
    }
    const a = m.auctions.get(key)?.account;
    core.log.info(
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
}

function oracleList(m: MarketState): string {
  return m
    .oracleAccounts()
    .map((k) => k.toBase58())
    .join(",");
}

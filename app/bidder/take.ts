/**
 * The auction pipeline: one decision at a time per live auction (a trigger during a decision runs
 * one more after it). Each decision, in order: wait out a flash take in progress, reset a stalled
 * auction (reset.ts), skip without a usable oracle, let the absorb keeper act (absorb.ts), then
 * take at the bot's margin through its strategy (inventory or flash swap), or schedule the
 * earliest profitable second. Logs `take.sent`, `take.won`, `take.lost`, `take.failed`.
 * @module
 */
import BN from "bn.js";
import { PublicKey } from "@solana/web3.js";
import {
  AuctionAccount,
  GavelEvent,
  isAnchored,
  needsReset,
  takePrice,
  TakeQuote,
  valueFloor,
} from "../../sdk/src";
import { MarketState } from "./account_index";
import { AbsorbPipeline } from "./absorb";
import { AuctionWork, BotCore, Trigger } from "./core";
import { decideTake, resetDueSecond, sizeTake } from "./decide";
import { resetAuction } from "./reset";
import { cuLimitOf, DEFAULT_CU, RACE_ERRORS, sendDecision } from "./send_path";
import { TakeOrder } from "./strategies";

type TakeDecision = Extract<ReturnType<typeof decideTake>, { action: "take" }>;

/** See the module doc. */
export class AuctionPipeline {
  /** `absorb`: the absorb keeper, when enabled. */
  constructor(
    private readonly core: BotCore,
    private readonly absorb: AbsorbPipeline | null,
  ) {}

  /** Decides on auction `key` now, or once more after the decision in progress. */
  evaluate(m: MarketState, key: string, t: Trigger): void {
    const core = this.core;
    if (core.stopping) return;
    const w = core.workOf(key);
    if (w.busy) {
      w.dirty = t;
      return;
    }
    w.busy = true;
    const p = core.track(this.act(m, key, w, t)).finally(() => {
      w.busy = false;
      const again = w.dirty;
      w.dirty = null;
      if (again && !core.stopping && core.work.get(key) === w) this.evaluate(m, key, again);
    });
    p.catch((e) =>
      core.log.error(
        { event: "take.failed", market: m.key, auction: key, error: String(e?.stack ?? e) },
        "take.failed",
      ),
    );
  }

  private cuKey(m: MarketState): string {
    return `take:${this.core.strategy.kind}:${m.key}`;
  }

  private async act(m: MarketState, key: string, w: AuctionWork, t: Trigger): Promise<void> {
    const core = this.core;
    const entry = m.auctions.get(key);
    if (!entry) return;
    const a = entry.account;
    const now = core.clock.nowSecs();
    const p = m.account.params;
    if (a.flash !== 0) {
      core.schedule(m, key, w, now + 1);
      return;
    }
    if (needsReset(p, a, now)) {
      await resetAuction(core, m, key, w, t);
      return;
    }
    const oraclePrice = m.price();
    if (oraclePrice === null || m.oracleAge(now) > core.cfg.maxOracleAgeSecs) {
      core.skip(`auction:${key}`, "oracle_unavailable", { oracleAge: m.oracleAge(now) });
      core.schedule(m, key, w, resetDueSecond(p, a));
      return;
    }
    if (this.absorb && (await this.absorb.maybeAbsorb(m, key, w, t, oraclePrice))) return;
    const valuePrice = await core.strategy.valuePrice(m, a.lot);
    if (valuePrice === null) {
      core.skip(`auction:${key}`, "no_quote");
      core.schedule(m, key, w, now + 1);
      return;
    }
    const strategyKind = core.strategy.kind;
    const cuGuess = cuLimitOf(
      core,
      this.cuKey(m),
      strategyKind === "flash" ? DEFAULT_CU.flash : DEFAULT_CU.take,
    );
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
      minProfitBps: core.cfg.minProfitBps,
      budget: core.strategy.budget(m),
      fees: core.fees(m),
      cuLimit: cuGuess,
      signatures: core.strategy.signatures,
    });
    const base = {
      market: m.key,
      auction: key,
      auctionId: a.id.toString(),
      oraclePrice: oraclePrice.toString(),
    };
    if (d.action === "reset") {
      await resetAuction(core, m, key, w, t);
    } else if (d.action === "wait") {
      core.skip(`auction:${key}`, "waiting_for_price", {
        ...base,
        limit: d.limit.toString(),
        at: d.at,
        priceThen: d.price.toString(),
      });
      core.schedule(m, key, w, d.at);
    } else if (d.action === "skip") {
      core.skip(`auction:${key}`, d.reason, {
        ...base,
        price: d.price?.toString(),
        limit: d.limit?.toString(),
      });
      core.schedule(m, key, w, d.retryAt ?? resetDueSecond(p, a));
    } else {
      await this.take(m, key, w, t, { a, d, base, valuePrice, cuGuess });
    }
  }

  /** The order the strategy builds a take for: auction `key` (account `a`) up to `maxPrice`. */
  private order(
    m: MarketState,
    key: string,
    a: AuctionAccount,
    maxPrice: BN,
    sized: { maxCollateral: BN; quote: TakeQuote },
  ): TakeOrder {
    return {
      auction: {
        collateralMint: m.account.collateralMint,
        debtMint: m.account.debtMint,
        auction: new PublicKey(key),
        position: a.position,
        kicker: a.kicker,
        // An anchored take reads the market's oracle(s); a Maker-mode take needs none.
        oracles: isAnchored(a) ? m.oracleAccounts() : undefined,
      },
      maxPrice,
      // The sized amount, whatever the strategy: the inventory's full affordable amount (at a lower
      // price the tab buys more); the flash take's whole lot, so the collateral received never
      // falls below the quote's at any price at or below the one decided on — the whole lot, or
      // (tab-capped) floor(tab / price), which grows as the price falls — and the swap of the
      // quoted amount is always covered, any surplus staying with the bot. (A smaller
      // max_collateral could be dust-trimmed at a lower price and leave the swap short.)
      maxCollateral: sized.maxCollateral,
      quote: sized.quote,
      programId: this.core.programId,
    };
  }

  private async take(
    m: MarketState,
    key: string,
    w: AuctionWork,
    t: Trigger,
    decided: {
      a: AuctionAccount;
      d: TakeDecision;
      base: Record<string, string>;
      valuePrice: BN;
      cuGuess: number;
    },
  ): Promise<void> {
    const core = this.core;
    const { a, d, base, valuePrice, cuGuess } = decided;
    const p = m.account.params;
    const order = this.order(m, key, a, d.limit, d);
    const { ixs, signers } = await core.strategy.buildTake(m, core.accountsFor(m), order);
    // From the warm-up simulation or earlier landed takes (see warmCu).
    const cuKey = this.cuKey(m);
    const release =
      core.strategy.budget(m) === null || core.cfg.dryRun
        ? () => undefined
        : core.inventory.reserve(m.account.debtMint.toBase58(), d.quote.owe);
    let sent;
    try {
      sent = await sendDecision(core, m, {
        kind: "take",
        event: "take.sent",
        cu: { key: cuKey, limit: cuLimitOf(core, cuKey, cuGuess) },
        gain: d.grossProfit,
        ixs,
        signers,
        fields: {
          ...base,
          strategy: core.strategy.kind,
          price: d.price.toString(),
          limit: d.limit.toString(),
          maxPrice: d.limit.toString(),
          maxCollateral: order.maxCollateral.toString(),
          expectedCollateral: d.quote.collateral.toString(),
          expectedOwe: d.quote.owe.toString(),
          expectedProfit: d.fee.netProfit.toString(),
          valuePrice: valuePrice.toString(),
          minProfitBps: core.cfg.minProfitBps,
        },
        trigger: t,
        stillWanted: () => {
          const cur = m.auctions.get(key)?.account;
          if (!cur || core.stopping) return false;
          const mid = m.price();
          if (isAnchored(cur) && mid === null) return false;
          const price = takePrice(p, cur, core.clock.nowSecs(), mid ?? undefined);
          return price.lte(d.limit);
        },
      });
    } finally {
      release();
    }
    if (sent === null) {
      core.schedule(m, key, w, core.clock.nowSecs() + 1);
      return;
    }
    const { res } = sent;
    if (!res.ok) await core.refresh([key, m.key]);
    const cur = m.auctions.get(key)?.account;
    const moved = !cur || !cur.tab.eq(a.tab) || !cur.lot.eq(a.lot) || !cur.tic.eq(a.tic);
    if (res.ok) {
      this.won(m, key, res.events, valuePrice, d.limit, res.signature);
    } else if ((res.gavel && RACE_ERRORS.has(res.gavel.errorName)) || !cur) {
      this.lost(m, key, res.gavel?.errorName ?? "auction_gone", res.signature, d.limit);
    } else if (res.reason === "aborted") {
      this.lost(m, key, "price_moved", res.signature, d.limit);
    } else if (moved && res.reason === "program") {
      // Someone else's take changed the auction under ours (e.g. a flash swap sized for the old lot).
      this.lost(m, key, "auction_moved", res.signature, d.limit);
    } else {
      core.log.error(
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
      await core.afterAuctionTx(m, key, w, true, [key, m.key]);
      return;
    }
    await core.afterAuctionTx(m, key, w, false, [key, m.key]);
    void core.refreshBalance(m);
  }

  private won(
    m: MarketState,
    key: string,
    events: GavelEvent[],
    valuePrice: BN,
    limit: BN,
    signature: string,
  ): void {
    const core = this.core;
    const ev = events.find(
      (e): e is GavelEvent<"auctionTaken"> => e.name === "auctionTaken" && e.data.taker.equals(core.me),
    );
    const collateral = ev ? ev.data.collateral : new BN(0);
    const owe = ev ? ev.data.owe : new BN(0);
    const profit = (valueFloor(collateral, valuePrice) ?? new BN(0)).sub(owe);
    const settled = events.find((e) => e.name === "auctionSettled");
    core.metrics.takesWon.inc({ market: m.key });
    if (profit.gtn(0)) core.metrics.profit.inc({ market: m.key }, Number(profit.toString()));
    core.log.info(
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

  private lost(m: MarketState, key: string, reason: string, signature: string | null, limit: BN): void {
    this.core.metrics.takesLost.inc({ market: m.key, reason });
    this.core.log.info(
      { event: "take.lost", market: m.key, auction: key, reason, limit: limit.toString(), signature },
      "take.lost",
    );
  }

  /**
   * Learns the compute units of a take in this market off the hot path: simulates the take the bot
   * would send at the auction's current price (its own price as the limit, so the simulation does
   * not stop at the price check), sized to its budget. Best effort: on failure the default stays.
   */
  async warmCu(m: MarketState, key: string): Promise<void> {
    const core = this.core;
    const cuKey = this.cuKey(m);
    const a = m.auctions.get(key)?.account;
    if (core.cfg.dryRun || !a || core.sender.cachedCu(cuKey) !== undefined) return;
    const oracleMid = m.price();
    if (isAnchored(a) && oracleMid === null) return;
    const price = takePrice(m.account.params, a, core.clock.nowSecs(), oracleMid ?? undefined);
    const sized = sizeTake(a, price, m.account.params.dust, core.strategy.budget(m));
    if ("skip" in sized) return;
    try {
      const { ixs, signers } = await core.strategy.buildTake(
        m,
        core.accountsFor(m),
        this.order(m, key, a, price, sized),
      );
      const sim = await core.sender.simulate(ixs, signers);
      if (!sim.err && sim.unitsConsumed && core.sender.cachedCu(cuKey) === undefined) {
        const limit = core.sender.learnCu(cuKey, sim.unitsConsumed);
        core.log.debug({ event: "cu.learned", kind: cuKey, units: sim.unitsConsumed, limit }, "cu.learned");
      }
    } catch {
      // a venue without a route at this price, an RPC hiccup: keep the default
    }
  }
}

/**
 * The kick pipeline: scans a market's positions for unsafe ones (exact SDK math), picks the one
 * with the best reward that pays the fee, and kicks it, one market scan at a time (a trigger that
 * arrives during a scan runs one more scan after it), at most one throttled scan a second for
 * market-account changes. Logs `kick`, `kick.won`, `kick.lost`, `kick.failed`.
 * @module
 */
import BN from "bn.js";
import { PublicKey, TransactionInstruction } from "@solana/web3.js";
import { kickIx } from "../../sdk/src";
import { MarketState, positionOwner } from "./account_index";
import { BotCore, Trigger } from "./core";
import { decideKick, positionHealth, rateAt, scanUnsafe } from "./decide";
import { decisionCuLimit, logNotWon, sendDecision } from "./send_path";

type KickDecision = Extract<ReturnType<typeof decideKick>, { action: "kick" }>;

/** The bot's kick of `owner`'s position in market `m`, into the next auction id. */
export function botKickIx(
  core: BotCore,
  m: MarketState,
  owner: PublicKey,
  kickerDebtAccount: PublicKey,
): TransactionInstruction {
  const { me: kicker, programId } = core;
  return kickIx(
    { ...m.ixAccounts(), kicker, owner, auctionId: m.account.auctionCount, kickerDebtAccount },
    programId,
  );
}

/** See the module doc. */
export class KickPipeline {
  private readonly kicking = new Map<string, Trigger | null>();
  private readonly cooldown = new Map<string, number>();
  private readonly lastThrottledScan = new Map<string, number>();
  private readonly trailingScan = new Map<string, NodeJS.Timeout>();

  constructor(private readonly core: BotCore) {}

  /** Clears the pending throttled scans (graceful stop). */
  stop(): void {
    for (const t of this.trailingScan.values()) clearTimeout(t);
  }

  /** A position changed: no cooldown for it any more; scan the market only if it became unsafe. */
  positionChanged(m: MarketState, positionKey: string, t: Trigger): void {
    this.cooldown.delete(positionKey);
    if (this.isUnsafe(m, positionKey)) this.scan(m, t);
  }

  /** At most one scan a second per market, and one at the end of a throttled window. */
  scanThrottled(m: MarketState, t: Trigger): void {
    const wait = (this.lastThrottledScan.get(m.key) ?? 0) + 1_000 - Date.now();
    if (wait > 0) {
      if (!this.trailingScan.has(m.key) && !this.core.stopping) {
        this.trailingScan.set(
          m.key,
          setTimeout(() => {
            this.trailingScan.delete(m.key);
            this.scanThrottled(m, { trigger: "account", t0: Date.now() });
          }, wait),
        );
      }
      return;
    }
    this.lastThrottledScan.set(m.key, Date.now());
    this.scan(m, t);
  }

  /** Scans the market and kicks what pays, unless a scan of it runs (then once more after it). */
  scan(m: MarketState, t: Trigger): void {
    if (this.core.stopping) return;
    if (this.kicking.has(m.key)) {
      this.kicking.set(m.key, t);
      return;
    }
    this.kicking.set(m.key, null);
    const p = this.core.track(this.kickLoop(m, t)).finally(() => {
      const again = this.kicking.get(m.key);
      this.kicking.delete(m.key);
      if (again && !this.core.stopping) this.scan(m, again);
    });
    p.catch((e) =>
      this.core.log.error({ event: "kick.failed", market: m.key, error: String(e) }, "kick.failed"),
    );
  }

  private isUnsafe(m: MarketState, positionKey: string): boolean {
    const pos = m.positions.get(positionKey);
    const price = m.price();
    const rate = rateAt(m.account, this.core.clock.nowSecs());
    if (!pos || !price || !rate) return false;
    return positionHealth(pos, rate, price, new BN(m.account.params.liquidationLtvBps))?.unsafe ?? false;
  }

  private async kickLoop(m: MarketState, t: Trigger): Promise<void> {
    for (let round = 0; round < 64 && !this.core.stopping; round++) {
      const pick = this.pick(m);
      if (!pick) return;
      await this.kick(m, pick.key, pick.decision, round === 0 ? t : { trigger: "after_tx", t0: Date.now() });
    }
  }

  private pick(m: MarketState): { key: string; decision: KickDecision } | null {
    const core = this.core;
    const now = core.clock.nowSecs();
    const price = m.price();
    if (price === null) return null;
    const rate = rateAt(m.account, now);
    if (rate === null) return null;
    const unsafe = scanUnsafe(m.positions.entries(), rate, price, new BN(m.account.params.liquidationLtvBps));
    if (unsafe.length === 0) return null;
    if (!m.oracleUsableOnChain(now)) {
      core.skip(`market:${m.key}`, "oracle_not_usable_for_kick", {
        unsafe: unsafe.length,
        oracleAge: m.oracleAge(now),
      });
      return null;
    }
    const fees = core.fees(m);
    const cu = decisionCuLimit(core, "kick", m);
    let best: { key: string; decision: KickDecision } | null = null;
    const nowMs = Date.now();
    for (const key of unsafe) {
      if ((this.cooldown.get(key) ?? 0) > nowMs) continue;
      const pos = m.positions.get(key)!;
      const d = decideKick(m.account, pos, price, now, fees, cu);
      if (d.action !== "kick") {
        core.skip(`position:${key}`, d.reason, { market: m.key, reward: d.quote?.reward.toString() });
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

  private async kick(m: MarketState, positionKey: string, d: KickDecision, t: Trigger): Promise<void> {
    const core = this.core;
    const pos = m.positions.get(positionKey)!;
    const owner = positionOwner(pos);
    const auctionId = m.account.auctionCount;
    const ix = botKickIx(core, m, owner, core.accountsFor(m).debt);
    // The limit is learned from landed kicks; a generous default until then (no simulation
    // round trip on the hot path; the sender doubles a limit that turns out too tight).
    const sent = await sendDecision(core, m, {
      kind: "kick",
      event: "kick",
      gain: d.quote.reward,
      ixs: [ix],
      fields: {
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
      },
      trigger: t,
      stillWanted: () => !core.stopping,
    });
    if (sent === null) {
      this.cooldown.set(positionKey, Date.now() + 60_000);
      return;
    }
    core.metrics.kicks.inc({ market: m.key, outcome: sent.outcome });
    if (sent.outcome === "won") {
      const { res } = sent;
      const ev = res.events.find((e) => e.name === "auctionStarted");
      const reward = ev ? (ev.data.reward as BN) : d.quote.reward;
      core.metrics.profit.inc({ market: m.key }, Number(reward.toString()));
      core.log.info(
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
    } else {
      // A lost race: look again in a second; an unexpected failure: in three.
      this.cooldown.set(positionKey, Date.now() + (sent.outcome === "lost" ? 1_000 : 3_000));
      logNotWon(core, "kick", sent);
    }
    await core.refresh([m.key, positionKey]);
  }
}

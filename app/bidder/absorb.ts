/**
 * The absorb keeper (`--absorb-keeper`): follows each market's `Backstop` and, before the bot
 * considers a take, sends `absorb` for an auction the pool may absorb (open `absorb_after_secs`
 * since the kick: a timer; near insolvency: on oracle updates) when the reward pays the fee.
 * Logs `absorb`, `absorb.won`, `absorb.lost`, `absorb.failed`.
 * @module
 */
import BN from "bn.js";
import { PublicKey } from "@solana/web3.js";
import { absorbIx } from "../../sdk/src";
import { MarketState } from "./account_index";
import { AuctionWork, BotCore, Trigger } from "./core";
import { decideAbsorb } from "./decide";
import { decisionCuLimit, logNotWon, sendDecision } from "./send_path";

type AbsorbDecision = Extract<ReturnType<typeof decideAbsorb>, { action: "absorb" }>;

/** See the module doc. */
export class AbsorbPipeline {
  constructor(private readonly core: BotCore) {}

  /**
   * The absorb keeper's turn, before the take: absorbs when `decideAbsorb` says the program would
   * accept it and the reward pays the fee; otherwise schedules the age rule's second (the
   * near-insolvency rule is re-checked on every oracle update). True when it sent an absorb.
   */
  async maybeAbsorb(
    m: MarketState,
    key: string,
    w: AuctionWork,
    t: Trigger,
    oraclePrice: BN,
  ): Promise<boolean> {
    const core = this.core;
    const b = core.backstops.get(m.key);
    const a = m.auctions.get(key)?.account;
    if (!b || !a) return false;
    const now = core.clock.nowSecs();
    const d = decideAbsorb(m.account, a, b.account, oraclePrice, now, {
      policy: core.fees(m),
      cuLimit: decisionCuLimit(core, "absorb", m),
    });
    if (d.action === "skip") {
      const dueAt = a.kickedAt.add(b.account.params.absorbAfterSecs);
      if (d.reason === "not_absorbable" && dueAt.bitLength() <= 52)
        this.scheduleAbsorb(m, key, w, dueAt.toNumber());
      // A Maker-mode price comes down to the oracle second by second.
      if (d.reason === "price_above_oracle") this.scheduleAbsorb(m, key, w, now + 1);
      core.skip(`absorb:${key}`, d.reason, {
        market: m.key,
        auction: key,
        absorbableAt: dueAt.toString(),
        reward: d.reward?.toString(),
      });
      return false;
    }
    if (!m.oracleUsableOnChain(now)) {
      core.skip(`absorb:${key}`, "oracle_not_usable_for_absorb", { oracleAge: m.oracleAge(now) });
      return false;
    }
    await this.absorb(m, key, w, t, d);
    return true;
  }

  /** Wakes the auction up at the second it becomes absorbable by age (`kicked_at + absorb_after_secs`). */
  private scheduleAbsorb(m: MarketState, key: string, w: AuctionWork, atSecs: number): void {
    const core = this.core;
    if (core.stopping || (w.absorbTimer && w.absorbAt === atSecs)) return;
    if (w.absorbTimer) clearTimeout(w.absorbTimer);
    w.absorbAt = atSecs;
    w.absorbTimer = setTimeout(
      () => {
        w.absorbTimer = null;
        w.absorbAt = null;
        core.auctionDue(m, key, { trigger: "timer", t0: Date.now() });
      },
      // At most an hour ahead (setTimeout's range; a far second is simply looked at again).
      Math.min(3_600_000, Math.max(0, core.clock.msUntil(atSecs) + core.cfg.sendLeadMs)),
    );
  }

  private async absorb(
    m: MarketState,
    key: string,
    w: AuctionWork,
    t: Trigger,
    d: AbsorbDecision,
  ): Promise<void> {
    const core = this.core;
    const a = m.auctions.get(key)!.account;
    const ix = absorbIx(
      {
        ...m.ixAccounts(),
        auction: new PublicKey(key),
        position: a.position,
        kicker: a.kicker,
        caller: core.me,
        callerDebtAccount: core.accountsFor(m).debt,
      },
      core.programId,
    );
    const sent = await sendDecision(core, m, {
      kind: "absorb",
      event: "absorb",
      gain: d.reward,
      ixs: [ix],
      fields: {
        market: m.key,
        auction: key,
        auctionId: a.id.toString(),
        price: d.price.toString(),
        collateral: d.quote.collateral.toString(),
        owe: d.quote.owe.toString(),
        reward: d.reward.toString(),
        feeDebt: d.fee.feeDebt.toString(),
        oraclePrice: m.price()?.toString(),
        sinceKickSecs: core.clock.nowSecs() - a.kickedAt.toNumber(),
      },
      trigger: t,
      stillWanted: () => !core.stopping && m.auctions.has(key),
    });
    if (sent === null) {
      core.schedule(m, key, w, core.clock.nowSecs() + 5);
      return;
    }
    const { res, outcome, fields } = sent;
    core.metrics.absorbs.inc({ market: m.key, outcome });
    if (outcome === "won") {
      const ev = res.events.find((e) => e.name === "auctionAbsorbed");
      if (ev) {
        core.metrics.profit.inc({ market: m.key }, Number((ev.data.reward as BN).toString()));
        core.metrics.absorbedCollateral.inc({ market: m.key }, Number((ev.data.collateral as BN).toString()));
      }
      core.log.info(
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
    } else {
      logNotWon(core, "absorb", sent);
    }
    await core.afterAuctionTx(m, key, w, outcome === "failed", [
      key,
      m.key,
      core.backstops.get(m.key)!.address.toBase58(),
    ]);
  }
}

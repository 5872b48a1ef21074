/**
 * The reset pipeline: restarts a stalled auction (past its tail, or its price under the cusp)
 * with `reset_auction` for the reward, when the oracle is usable on chain. Logs `reset`,
 * `reset.won`, `reset.lost`, `reset.failed`.
 * @module
 */
import BN from "bn.js";
import { PublicKey } from "@solana/web3.js";
import { resetAuctionIx } from "../../sdk/src";
import { MarketState } from "./account_index";
import { AuctionWork, BotCore, Trigger } from "./core";
import { resetRewardAt } from "./decide";
import { logNotWon, sendDecision } from "./send_path";

/** Resets auction `key` of market `m`; see the module doc. */
export async function resetAuction(
  core: BotCore,
  m: MarketState,
  key: string,
  w: AuctionWork,
  t: Trigger,
): Promise<void> {
  const a = m.auctions.get(key)?.account;
  if (!a) return;
  const now = core.clock.nowSecs();
  if (!m.oracleUsableOnChain(now)) {
    core.skip(`auction:${key}`, "oracle_not_usable_for_reset", { oracleAge: m.oracleAge(now) });
    return; // the next oracle update re-evaluates
  }
  const ix = resetAuctionIx(
    {
      ...m.ixAccounts(),
      caller: core.me,
      auction: new PublicKey(key),
      callerDebtAccount: core.accountsFor(m).debt,
    },
    core.programId,
  );
  const reward = resetRewardAt(m.account, a, m.price()!);
  const sent = await sendDecision(core, m, {
    kind: "reset",
    event: "reset",
    gain: reward,
    ixs: [ix],
    fields: { market: m.key, auction: key, auctionId: a.id.toString(), reward: reward.toString() },
    trigger: t,
    stillWanted: () => !core.stopping && m.auctions.has(key),
  });
  if (sent === null) {
    core.schedule(m, key, w, now + 5);
    return;
  }
  const { res, outcome, fields } = sent;
  core.metrics.resets.inc({ market: m.key, outcome });
  if (outcome === "won") {
    const ev = res.events.find((e) => e.name === "auctionReset");
    if (ev) core.metrics.profit.inc({ market: m.key }, Number((ev.data.reward as BN).toString()));
    core.log.info(
      {
        event: "reset.won",
        ...fields,
        top: ev?.data.top.toString(),
        reward: ev?.data.reward.toString(),
        signature: res.signature,
      },
      "reset.won",
    );
  } else {
    logNotWon(core, "reset", sent);
  }
  await core.afterAuctionTx(m, key, w, outcome === "failed", [key, m.key]);
}

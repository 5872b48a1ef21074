/**
 * The one send path of the bidder's decisions (kick, take, reset, absorb): the compute-unit limit
 * (learned, or a default), the priority fee bid out of the expected gain, the `--dry-run` line,
 * the send through `Sender` with its decision-latency metric and log line, learning the units a
 * landed transaction used, and the outcome: won, lost a race (another bot got there first, or the
 * state moved) or failed.
 * @module
 */
import BN from "bn.js";
import { Keypair, TransactionInstruction } from "@solana/web3.js";
import { GavelError } from "../../sdk/src";
import { MarketState } from "./account_index";
import { BotCore, Trigger } from "./core";
import { priorityFeeMicroLamports } from "./decide";
import { SendOutcome } from "./sender";

/** Compute-unit limits used before a simulation or a landed transaction taught better ones. */
export const DEFAULT_CU = { kick: 60_000, take: 60_000, flash: 100_000, reset: 60_000, absorb: 60_000 };

/** Program errors that mean another bidder got there first (or the state moved): a lost race. */
export const RACE_ERRORS = new Set([
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
  "PositionAuctionLive",
  "HoleFull",
  "AuctionDusty",
  "AuctionResetNotNeeded",
  "KickerMismatch",
  "BackstopNotAbsorbable",
  "BackstopEmpty",
]);

/** The compute-unit cache key of a decision in a market. */
export function cuKeyOf(kind: string, m: MarketState): string {
  return `${kind}:${m.key}`;
}

/** The limit to send with: learned for `cuKey`, else `fallback`. */
export function cuLimitOf(core: BotCore, cuKey: string, fallback: number): number {
  return core.sender.cachedCu(cuKey) ?? fallback;
}

/** The limit of a kick, reset or absorb in market `m`: learned, else {@link DEFAULT_CU}. */
export function decisionCuLimit(core: BotCore, kind: "kick" | "reset" | "absorb", m: MarketState): number {
  return cuLimitOf(core, cuKeyOf(kind, m), DEFAULT_CU[kind]);
}

/** One decision to send. */
export type Decision = DecisionFields &
  (
    | {
        kind: "take";
        /** Compute-unit cache key and limit of the take's strategy. */
        cu: { key: string; limit: number };
      }
    /** Cache key {@link cuKeyOf}, limit {@link decisionCuLimit}. */
    | { kind: "kick" | "reset" | "absorb" }
  );

/** What every {@link Decision} says; `kind` is the metric label of decision_latency_seconds. */
export interface DecisionFields {
  /** Log event of the sent line (`kick`, `take.sent`, `reset`, `absorb`). */
  event: string;
  /** What the decision is expected to earn (debt base units): the priority fee is bid out of it. */
  gain: BN;
  ixs: TransactionInstruction[];
  /** Signers besides the payer (none by default). */
  signers?: Keypair[];
  /** Fields of every log line of the decision. */
  fields: Record<string, unknown>;
  trigger: Trigger;
  /** Re-checked before each retry; the send is aborted once false. */
  stillWanted: () => boolean;
}

type Landed = Extract<SendOutcome, { ok: true }>;
type NotLanded = Extract<SendOutcome, { ok: false }>;

/**
 * What became of a decision, with the fields of its sent lines (with the fee bid): `lost` is a
 * program error of {@link RACE_ERRORS}; `null` in dry-run mode (logged, not sent).
 */
export type DecisionOutcome =
  | null
  | ({ fields: Record<string, unknown> } & (
      | { outcome: "won"; res: Landed }
      | { outcome: "lost"; res: NotLanded & { gavel: GavelError } }
      | { outcome: "failed"; res: NotLanded }
    ));

/** Sends `d` (or logs it in dry-run mode); see the module doc. */
export async function sendDecision(core: BotCore, m: MarketState, d: Decision): Promise<DecisionOutcome> {
  const cu = d.kind === "take" ? d.cu : { key: cuKeyOf(d.kind, m), limit: decisionCuLimit(core, d.kind, m) };
  const microLamports = priorityFeeMicroLamports(d.gain, cu.limit, core.fees(m));
  const fields = { ...d.fields, cuLimit: cu.limit, microLamports, trigger: d.trigger.trigger };
  const t0 = d.trigger.t0;
  if (core.cfg.dryRun) {
    core.log.info({ event: d.event, dryRun: true, ...fields, latencyMs: Date.now() - t0 }, d.event);
    return null;
  }
  const res = await core.sender.send({
    kind: cu.key,
    ixs: d.ixs,
    signers: d.signers ?? [],
    cuLimit: cu.limit,
    microLamports,
    onSent: (signature, sentAt, attempt) => {
      if (attempt === 1)
        core.metrics.decisionLatency.observe(
          { kind: d.kind, trigger: d.trigger.trigger },
          (sentAt - t0) / 1000,
        );
      core.log.info({ event: d.event, ...fields, signature, attempt, latencyMs: sentAt - t0 }, d.event);
    },
    stillWanted: d.stillWanted,
  });
  if (res.ok) {
    if (res.computeUnits) core.sender.learnCu(cu.key, res.computeUnits);
    return { outcome: "won", res, fields };
  }
  const { gavel } = res;
  if (gavel && RACE_ERRORS.has(gavel.errorName)) return { outcome: "lost", res: { ...res, gavel }, fields };
  return { outcome: "failed", res, fields };
}

/**
 * Logs a decision that did not win: `<event>.lost` (info: the program error of the lost race) or
 * `<event>.failed` (error: the reason and the error), with the decision's fields and signature.
 */
export function logNotWon(
  core: BotCore,
  event: string,
  sent: Exclude<DecisionOutcome, null | { outcome: "won" }>,
): void {
  const { fields, res } = sent;
  if (sent.outcome === "lost") {
    core.log.info(
      { event: `${event}.lost`, ...fields, reason: sent.res.gavel.errorName, signature: res.signature },
      `${event}.lost`,
    );
  } else {
    core.log.error(
      { event: `${event}.failed`, ...fields, reason: res.reason, error: res.error, signature: res.signature },
      `${event}.failed`,
    );
  }
}

/**
 * Events: parsed from transaction logs (`Program data: ...` lines of Gavel's invocations).
 * @module
 */
import { EventParser, IdlEvents } from "@coral-xyz/anchor";
import { PublicKey } from "@solana/web3.js";
import { PROGRAM_ID } from "./constants";
import type { Gavel } from "./idl/gavel";
import { coder } from "./program";

/** Every event's fields by its camelCase name, from the IDL type (`GavelEvents["debtBorrowed"]`). */
export type GavelEvents = IdlEvents<Gavel>;

/** An event name, camelCase as in `Program<Gavel>`: `"debtBorrowed"`, `"auctionStarted"`, … */
export type GavelEventName = keyof GavelEvents;

/**
 * A decoded event, one variant per event of the IDL: testing `name` narrows `data`
 * (`if (e.name === "debtBorrowed") e.data.amount`), and a misspelt name does not compile.
 */
export type GavelEvent<N extends GavelEventName = GavelEventName> = {
  [K in N]: { name: K; data: GavelEvents[K] };
}[N];

/** Parses every Gavel event out of a transaction's log messages. */
export function parseEvents(logs: string[], programId: PublicKey = PROGRAM_ID): GavelEvent[] {
  const parser = new EventParser(programId, coder);
  return Array.from(parser.parseLogs(logs)) as GavelEvent[];
}

/** The first event named `name`, typed by it; `undefined` when there is none. */
export function findEvent<N extends GavelEventName>(
  events: readonly GavelEvent[],
  name: N,
): GavelEvent<N>["data"] | undefined {
  return (events.find((e) => e.name === name) as GavelEvent<N> | undefined)?.data;
}

/** Every event named `name`, in order, typed by it. */
export function filterEvents<N extends GavelEventName>(
  events: readonly GavelEvent[],
  name: N,
): GavelEvent<N>["data"][] {
  return (events.filter((e) => e.name === name) as GavelEvent<N>[]).map((e) => e.data);
}

/** `AuctionSettled.reason` values (the program's `liquidation::reason`). */
export const SettleReason = {
  /** The tab was raised in full. */
  Raised: 0,
  /** The collateral ran out first (the rest goes back to the position while it holds collateral, else bad debt). */
  Exhausted: 1,
  /** The admin cancelled it at stop level 3. */
  Cancelled: 2,
} as const;

/** A readable name for an `AuctionSettled.reason`. */
export function settleReasonName(reason: number): "raised" | "exhausted" | "cancelled" | "unknown" {
  if (reason === SettleReason.Raised) return "raised";
  if (reason === SettleReason.Exhausted) return "exhausted";
  if (reason === SettleReason.Cancelled) return "cancelled";
  return "unknown";
}

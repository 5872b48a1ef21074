/**
 * Events: parsed from transaction logs (`Program data: ...` lines of Gavel's invocations).
 * @module
 */
import { EventParser } from "@coral-xyz/anchor";
import { PublicKey } from "@solana/web3.js";
import { PROGRAM_ID } from "./constants";
import { coder } from "./program";

/** A decoded event: name and fields, camelCase as in `Program<Gavel>` (`stopChanged`). */
export interface GavelEvent {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: Record<string, any>;
}

/** Parses every Gavel event out of a transaction's log messages. */
export function parseEvents(logs: string[], programId: PublicKey = PROGRAM_ID): GavelEvent[] {
  const parser = new EventParser(programId, coder);
  return Array.from(parser.parseLogs(logs));
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

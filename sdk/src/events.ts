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

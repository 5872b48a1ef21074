/**
 * Live events over the websocket: every Gavel event of every successful transaction.
 * @module
 */
import { Commitment, Connection, PublicKey } from "@solana/web3.js";
import { PROGRAM_ID } from "./constants";
import { GavelEvent, parseEvents } from "./events";

/** Where an event came from. */
export interface EventContext {
  /** Signature of the transaction that emitted it. */
  signature: string;
  /** Slot of the notification. */
  slot: number;
  /** Position of the event among the transaction's Gavel events (signature + index is unique). */
  index: number;
}

/** Receives each event, in log order. */
export type EventCallback = (event: GavelEvent, context: EventContext) => void;

/**
 * Subscribes to Gavel's events with `connection.onLogs` (the connection needs a websocket
 * endpoint) and `parseEvents`; failed transactions emit nothing. Returns the unsubscribe
 * function. Exceptions thrown by `callback` are not caught.
 */
export function subscribeEvents(
  connection: Connection,
  callback: EventCallback,
  programId: PublicKey = PROGRAM_ID,
  commitment: Commitment = "confirmed",
): () => Promise<void> {
  const id = connection.onLogs(
    programId,
    (logs, ctx) => {
      if (logs.err) return;
      parseEvents(logs.logs, programId).forEach((event, index) =>
        callback(event, { signature: logs.signature, slot: ctx.slot, index }),
      );
    },
    commitment,
  );
  return () => connection.removeOnLogsListener(id);
}

/**
 * Turning whatever a send, a simulation, a wallet or Anchor throws into Gavel's typed errors —
 * only when the failing program is Gavel — and the typed "auction already settled" outcome of a
 * take that lost a race.
 * @module
 */
import { PublicKey, TransactionInstruction } from "@solana/web3.js";
import { PROGRAM_ID } from "./constants";
import { GavelError, gavelErrorFromCode, GavelErrorName, parseGavelError } from "./errors";

/** A {@link GavelError} as the client throws it: with the transaction's logs and the original error. */
export type GavelErrorWithLogs<N extends GavelErrorName = GavelErrorName> = GavelError<N> & {
  /** Log messages of the failed simulation or transaction, when known. */
  logs?: string[];
  /** What was thrown or returned before the mapping. */
  cause?: unknown;
};

/** Where a failure came from, to tell Gavel's errors from other programs' custom errors. */
export interface ErrorContext {
  /** Instructions of the failed transaction, in order (for `InstructionError: [index, ...]`). */
  instructions?: readonly TransactionInstruction[];
  /** Gavel's program id (default {@link PROGRAM_ID}). */
  programId?: PublicKey;
  /** Logs of the failed transaction, when they are not part of the error itself. */
  logs?: readonly string[];
}

const FAILED_CUSTOM = /^Program (\w+) failed: custom program error: 0x([0-9a-fA-F]+)/;
const FAILED_ANY = /^Program (\w+) failed: /;
const IX_CUSTOM = /Error processing Instruction (\d+): custom program error: 0x([0-9a-fA-F]+)/;

function withContext(e: GavelError, logs: readonly string[] | undefined, cause: unknown): GavelErrorWithLogs {
  const out = e as GavelErrorWithLogs;
  if (logs && logs.length > 0) out.logs = [...logs];
  if (cause !== undefined && cause !== e) out.cause = cause;
  return out;
}

/**
 * The Gavel error in a transaction's logs: the last `Program <id> failed: custom program error`
 * line, counted only when `<id>` is Gavel's. `undefined` when the logs show another program
 * failing, or no custom error.
 */
export function gavelErrorFromLogs(
  logs: readonly string[],
  programId: PublicKey = PROGRAM_ID,
): GavelError | undefined {
  const id = programId.toBase58();
  for (let i = logs.length - 1; i >= 0; i--) {
    const custom = FAILED_CUSTOM.exec(logs[i]);
    if (custom) return custom[1] === id ? gavelErrorFromCode(parseInt(custom[2], 16)) : undefined;
    if (FAILED_ANY.test(logs[i])) return undefined;
  }
  return undefined;
}

function logsOf(err: unknown): string[] | undefined {
  if (err == null || typeof err !== "object") return undefined;
  const o = err as Record<string, unknown>;
  for (const key of ["logs", "transactionLogs"]) {
    try {
      const v = o[key];
      if (Array.isArray(v) && v.every((l) => typeof l === "string")) return v as string[];
    } catch {
      // a throwing getter: no logs here
    }
  }
  const sim = o.simulationResponse as { logs?: unknown } | undefined;
  if (sim && Array.isArray(sim.logs)) return sim.logs as string[];
  return undefined;
}

function instructionError(err: unknown): [number, number] | undefined {
  const seen = new Set<unknown>();
  const visit = (v: unknown): [number, number] | undefined => {
    if (v == null || typeof v !== "object" || seen.has(v)) return undefined;
    seen.add(v);
    const o = v as Record<string, unknown>;
    const ie = o.InstructionError;
    if (Array.isArray(ie) && typeof ie[0] === "number") {
      const detail = ie[1] as { Custom?: unknown } | undefined;
      if (detail && typeof detail === "object" && typeof detail.Custom === "number")
        return [ie[0], detail.Custom];
      return undefined;
    }
    for (const key of ["err", "value", "error", "cause"]) {
      const found = visit(o[key]);
      if (found) return found;
    }
    return undefined;
  };
  return visit(err);
}

/**
 * Maps anything a send or simulation may throw or return to a {@link GavelError} when — and only
 * when — the failing program is Gavel: a simulation or confirmation result (`{ err, logs }`), a
 * web3.js `SendTransactionError` (its logs), an Anchor `AnchorError` or `ProgramError`, a raw
 * `TransactionError` (`{ InstructionError: [i, { Custom: n }] }`, checked against
 * `context.instructions[i]`) or its text. Anything else — including another program's custom
 * error with a code in Gavel's range, such as a swap's slippage error inside a flash take — is
 * returned unchanged (hence the type: a `GavelError` or what was passed in). The GavelError
 * carries `logs` and `cause`. {@link gavelErrorOf} gives the `GavelError` or `undefined`.
 */
export function toGavelError<E>(err: E, context: ErrorContext = {}): GavelErrorWithLogs | E {
  if (err instanceof GavelError) return err;
  const programId = context.programId ?? PROGRAM_ID;
  const logs = logsOf(err) ?? (context.logs ? [...context.logs] : undefined);

  // 1. Logs name the failing program.
  if (logs && logs.some((l) => FAILED_ANY.test(l))) {
    const e = gavelErrorFromLogs(logs, programId);
    return e ? withContext(e, logs, err) : err;
  }
  // 2. Anchor's errors know their program.
  if (err != null && typeof err === "object") {
    const o = err as Record<string, unknown>;
    let program: unknown;
    try {
      program = o.program;
    } catch {
      program = undefined;
    }
    const anchorCode = (o.error as { errorCode?: { number?: unknown } } | undefined)?.errorCode?.number;
    const code =
      typeof o.code === "number" ? o.code : typeof anchorCode === "number" ? anchorCode : undefined;
    const programKey = (program as { toBase58?: unknown } | undefined)?.toBase58;
    if (code !== undefined && typeof programKey === "function") {
      const same = (program as PublicKey).toBase58() === programId.toBase58();
      const e = same ? gavelErrorFromCode(code) : undefined;
      return e ? withContext(e, logs, err) : err;
    }
  }
  // 3. An instruction index and the transaction's instructions.
  const ix = instructionError(err);
  const text = err instanceof Error ? err.message : typeof err === "string" ? err : "";
  const fromText = IX_CUSTOM.exec(text);
  const located: [number, number] | undefined =
    ix ?? (fromText ? [Number(fromText[1]), parseInt(fromText[2], 16)] : undefined);
  if (located && context.instructions) {
    const [index, code] = located;
    const target = context.instructions[index];
    const e = target && target.programId.equals(programId) ? gavelErrorFromCode(code) : undefined;
    return e ? withContext(e, logs, err) : err;
  }
  // 4. Nothing tells the program apart: the code alone decides (as `parseGavelError`).
  const e = parseGavelError(err);
  return e ? withContext(e, logs, err) : err;
}

/**
 * The {@link GavelError} in anything a send, simulation, wallet or Anchor throws or returns — the
 * same mapping as {@link toGavelError} — or `undefined` when the failure is not Gavel's:
 * `const e = gavelErrorOf(err, { instructions }); if (e?.errorName === "LtvExceeded") …`.
 */
export function gavelErrorOf(err: unknown, context: ErrorContext = {}): GavelErrorWithLogs | undefined {
  const mapped = toGavelError(err, context);
  return mapped instanceof GavelError ? mapped : undefined;
}

/**
 * A take (or flash take) that lost a race: the auction was settled — closed by another taker's
 * final fill, or cancelled — before this transaction ran. `message` reads
 * `auction already settled: <address>`.
 */
export class AuctionGoneError extends Error {
  constructor(
    /** The auction's address. */
    readonly auction: PublicKey,
    /** The error the attempt failed with, if it got as far as a simulation or a send. */
    readonly cause?: unknown,
  ) {
    super(`auction already settled: ${auction.toBase58()}`);
    this.name = "AuctionGoneError";
  }
}

/** `true` when `err` is an {@link AuctionGoneError} (a take that lost the race to settle). */
export function isAuctionGone(err: unknown): err is AuctionGoneError {
  return (
    err instanceof AuctionGoneError ||
    (err instanceof Error && err.name === "AuctionGoneError" && "auction" in err)
  );
}

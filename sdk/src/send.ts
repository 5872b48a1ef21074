/**
 * The one way Gavel's code sends a transaction: a fresh blockhash for every signed version, the
 * confirmation watched against that blockhash's `lastValidBlockHeight`, and, once the chain is
 * past it (the transaction can no longer land), a new blockhash, a new signature and a resend —
 * at most `maxAttempts` times, then a {@link BlockhashExpiredError} naming every signature tried.
 *
 * web3.js's `sendAndConfirmTransaction` reuses a blockhash it cached for up to 30 s; on a chain
 * with short slots (surfpool produces ~13 blocks a second in its default mode, so a blockhash
 * lives ~11 s) that blockhash is already gone and the send dies with "Blockhash not found". Here
 * that preflight refusal counts as an expiry and is retried the same way.
 * @module
 */
import {
  Commitment,
  Connection,
  Finality,
  Signer,
  SendTransactionError,
  Transaction,
  TransactionError,
  TransactionInstruction,
  VersionedTransaction,
} from "@solana/web3.js";

/** A recent blockhash and the last block height at which a transaction using it can land. */
export interface BlockhashInfo {
  blockhash: string;
  lastValidBlockHeight: number;
}

/** Builds and signs the transaction for one attempt, with the blockhash it is given. */
export type BuildSigned = (
  blockhash: string,
  attempt: number,
) => Transaction | VersionedTransaction | Promise<Transaction | VersionedTransaction>;

/** Options of {@link sendWithBlockhashRetry} (all optional). */
export interface BlockhashRetryOptions {
  /** Commitment the transaction must reach (default `"confirmed"`). */
  commitment?: Commitment;
  /** Skip the RPC node's preflight simulation (default `false`). */
  skipPreflight?: boolean;
  /** `maxRetries` of each `sendRawTransaction` (default 0: this routine rebroadcasts itself). */
  maxRetries?: number;
  /** Signed versions (one blockhash each) tried before giving up (default 5). */
  maxAttempts?: number;
  /** Overall limit, ms (default 120,000): then a {@link SendTimeoutError}. */
  timeoutMs?: number;
  /**
   * Limit of each RPC call, ms (default 10,000): a call that hangs counts as failed (retried), so
   * no stuck request can hold the routine past `timeoutMs`.
   */
  rpcTimeoutMs?: number;
  /** Period of signature-status polls, ms (default 250). */
  pollMs?: number;
  /** Period at which the same signed bytes are sent again while unconfirmed, ms (default 2,000). */
  rebroadcastMs?: number;
  /**
   * Where each attempt's blockhash comes from (default `getLatestBlockhash(commitment)` every
   * time). A bot may serve a cached one for speed; it must fetch a new one for `attempt > 1`.
   */
  blockhash?: (attempt: number) => Promise<BlockhashInfo>;
  /** Called with each signature as it is handed to the RPC. */
  onSent?: (signature: string, attempt: number) => void;
  /** Asked before re-signing an expired transaction; `false` ends with a {@link SendAbortedError}. */
  stillWanted?: () => boolean;
  /** Called on each RPC call that failed and was retried (network trouble), for metrics and logs. */
  onRpcError?: (op: string, e: unknown) => void;
  /** Also read the landed transaction's logs and compute units (one `getTransaction`). */
  fetchLogs?: boolean;
}

/** A transaction that reached the commitment (it may still have failed: see `err`). */
export interface SentTransaction {
  signature: string;
  slot: number;
  /** The runtime's error when the transaction landed but failed; `null` on success. */
  err: TransactionError | null;
  /** Signed versions sent (1 when the first blockhash was still valid). */
  attempts: number;
  /** Log messages (with `fetchLogs`; empty when the node no longer has them). */
  logs: string[];
  /** Compute units consumed (with `fetchLogs`, when the node reports them). */
  computeUnits?: number;
}

/** Every blockhash tried expired before its transaction landed. */
export class BlockhashExpiredError extends Error {
  constructor(readonly signatures: string[]) {
    super(
      `transaction not confirmed: its blockhash expired ${signatures.length} time(s), ` +
        `re-signed and resent each time; signatures tried: ${signatures.join(", ")}`,
    );
    this.name = "BlockhashExpiredError";
  }
}

/** The overall time limit passed before the transaction was confirmed. */
export class SendTimeoutError extends Error {
  constructor(
    readonly signatures: string[],
    timeoutMs: number,
  ) {
    super(
      `transaction not confirmed within ${timeoutMs} ms; signatures tried: ${signatures.join(", ") || "none"}`,
    );
    this.name = "SendTimeoutError";
  }
}

/** `stillWanted()` said no before a resend. */
export class SendAbortedError extends Error {
  constructor(readonly signatures: string[]) {
    super(`transaction abandoned after its blockhash expired (no longer wanted): ${signatures.join(", ")}`);
    this.name = "SendAbortedError";
  }
}

const BLOCKHASH_NOT_FOUND = /blockhash not found/i;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** `p`, or a rejection once `ms` passed. */
function timed<T>(p: Promise<T>, ms: number, op: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${op}: no answer in ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function commitmentRank(c: string | null | undefined): number {
  if (c === "finalized" || c === "max" || c === "root") return 2;
  if (c === "confirmed" || c === "single" || c === "singleGossip") return 1;
  if (c === "processed" || c === "recent") return 0;
  return -1;
}

function serialize(tx: Transaction | VersionedTransaction): { raw: Buffer; signature: string } {
  if (tx instanceof VersionedTransaction) {
    return { raw: Buffer.from(tx.serialize()), signature: encodeBase58(tx.signatures[0]) };
  }
  const sig = tx.signatures[0]?.signature;
  if (!sig) throw new Error("transaction is not signed by its fee payer");
  return { raw: tx.serialize(), signature: encodeBase58(sig) };
}

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** Base58 of any byte string (transaction signatures are 64 bytes). */
export function encodeBase58(bytes: Uint8Array): string {
  if (bytes.length === 0) return "";
  let n = BigInt("0x" + Buffer.from(bytes).toString("hex"));
  let out = "";
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = "1" + out;
  }
  return out;
}

/**
 * Sends the transaction `build` signs, re-signing it with a new blockhash each time the previous
 * one expires (see the module doc). Resolves once it reached the commitment — successful or not
 * (`err`). Throws: the RPC's `SendTransactionError` when preflight refuses it (other than for an
 * unknown blockhash), {@link BlockhashExpiredError} after `maxAttempts` expiries,
 * {@link SendTimeoutError}, {@link SendAbortedError}.
 */
export async function sendWithBlockhashRetry(
  connection: Connection,
  build: BuildSigned,
  opts: BlockhashRetryOptions = {},
): Promise<SentTransaction> {
  const commitment = opts.commitment ?? "confirmed";
  const maxAttempts = opts.maxAttempts ?? 5;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const pollMs = opts.pollMs ?? 250;
  const rebroadcastMs = opts.rebroadcastMs ?? 2_000;
  const rpcMs = opts.rpcTimeoutMs ?? 10_000;
  const getBlockhash = opts.blockhash ?? (() => connection.getLatestBlockhash(commitment));
  const rpcError = (op: string, e: unknown) => opts.onRpcError?.(op, e);
  const deadline = Date.now() + timeoutMs;
  const signatures: string[] = [];

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (attempt > 1 && opts.stillWanted && !opts.stillWanted()) throw new SendAbortedError(signatures);
    let bh: BlockhashInfo | null = null;
    while (!bh) {
      try {
        bh = await timed(getBlockhash(attempt), rpcMs, "getLatestBlockhash");
      } catch (e) {
        rpcError("getLatestBlockhash", e);
        if (Date.now() > deadline) throw new SendTimeoutError(signatures, timeoutMs);
        await sleep(pollMs);
      }
    }
    const { raw, signature } = serialize(await build(bh.blockhash, attempt));
    signatures.push(signature);
    opts.onSent?.(signature, attempt);
    const sent = await sendRaw(connection, raw, opts, deadline, rpcError, rpcMs);
    if (sent === "blockhash not found") continue; // preflight does not know it: expired
    if (sent === "timeout") throw new SendTimeoutError(signatures, timeoutMs);
    const landed = await watch(connection, signature, raw, bh.lastValidBlockHeight, {
      commitment,
      rpcMs,
      pollMs,
      rebroadcastMs,
      deadline,
      rpcError,
    });
    if (landed === "expired") continue;
    if (landed === "timeout") throw new SendTimeoutError(signatures, timeoutMs);
    const out: SentTransaction = {
      signature,
      slot: landed.slot,
      err: landed.err,
      attempts: attempt,
      logs: [],
    };
    if (opts.fetchLogs)
      Object.assign(out, await fetchLogs(connection, signature, commitment, rpcError, rpcMs));
    return out;
  }
  throw new BlockhashExpiredError(signatures);
}

/** First send of signed bytes: retried on network trouble; preflight refusals thrown. */
async function sendRaw(
  connection: Connection,
  raw: Buffer,
  opts: BlockhashRetryOptions,
  deadline: number,
  rpcError: (op: string, e: unknown) => void,
  rpcMs: number,
): Promise<"sent" | "blockhash not found" | "timeout"> {
  for (;;) {
    try {
      await timed(
        connection.sendRawTransaction(raw, {
          skipPreflight: opts.skipPreflight ?? false,
          preflightCommitment: opts.commitment ?? "confirmed",
          maxRetries: opts.maxRetries ?? 0,
        }),
        rpcMs,
        "sendTransaction",
      );
      return "sent";
    } catch (e) {
      if (e instanceof SendTransactionError) {
        if (BLOCKHASH_NOT_FOUND.test(e.transactionError.message)) return "blockhash not found";
        throw e;
      }
      rpcError("sendTransaction", e);
      if (Date.now() > deadline) return "timeout";
      await sleep(250);
    }
  }
}

/**
 * Polls the signature until it reaches `commitment` (or fails), rebroadcasting the same bytes;
 * "expired" once the chain's block height is past `lastValidBlockHeight` and it has not landed.
 */
async function watch(
  connection: Connection,
  signature: string,
  raw: Buffer,
  lastValidBlockHeight: number,
  o: {
    commitment: Commitment;
    rpcMs: number;
    pollMs: number;
    rebroadcastMs: number;
    deadline: number;
    rpcError: (op: string, e: unknown) => void;
  },
): Promise<{ slot: number; err: TransactionError | null } | "expired" | "timeout"> {
  const want = commitmentRank(o.commitment);
  let lastBroadcast = Date.now();
  let lastHeightCheck = 0;
  const status = async () => {
    const st = (await timed(connection.getSignatureStatuses([signature]), o.rpcMs, "getSignatureStatuses"))
      .value[0];
    return st && (st.err || commitmentRank(st.confirmationStatus) >= want)
      ? { slot: st.slot, err: st.err }
      : null;
  };
  while (Date.now() < o.deadline) {
    await sleep(o.pollMs);
    try {
      const st = await status();
      if (st) return st;
    } catch (e) {
      o.rpcError("getSignatureStatuses", e);
    }
    const now = Date.now();
    if (now - lastBroadcast >= o.rebroadcastMs) {
      lastBroadcast = now;
      connection
        .sendRawTransaction(raw, { skipPreflight: true, maxRetries: 0 })
        .catch((e) => o.rpcError("sendTransaction", e));
    }
    if (now - lastHeightCheck >= Math.max(1_000, o.pollMs * 4)) {
      lastHeightCheck = now;
      try {
        if (
          (await timed(connection.getBlockHeight(o.commitment), o.rpcMs, "getBlockHeight")) >
          lastValidBlockHeight
        ) {
          // Past its last valid height it can no longer land; one last look in case it just did.
          const st = await status();
          return st ?? "expired";
        }
      } catch (e) {
        o.rpcError("getBlockHeight", e);
      }
    }
  }
  return "timeout";
}

async function fetchLogs(
  connection: Connection,
  signature: string,
  commitment: Commitment,
  rpcError: (op: string, e: unknown) => void,
  rpcMs: number,
): Promise<{ logs: string[]; computeUnits?: number }> {
  const finality: Finality = commitment === "finalized" ? "finalized" : "confirmed";
  for (let i = 0; i < 20; i++) {
    try {
      const tx = await timed(
        connection.getTransaction(signature, { commitment: finality, maxSupportedTransactionVersion: 0 }),
        rpcMs,
        "getTransaction",
      );
      if (tx) {
        return { logs: tx.meta?.logMessages ?? [], computeUnits: tx.meta?.computeUnitsConsumed };
      }
    } catch (e) {
      rpcError("getTransaction", e);
    }
    await sleep(150);
  }
  return { logs: [] };
}

/** Options of {@link sendAndConfirm}. */
export type SendAndConfirmOptions = Omit<BlockhashRetryOptions, "fetchLogs">;

/**
 * `sendAndConfirmTransaction` without its cached blockhash: `instructions` in a legacy transaction
 * paid by `signers[0]` and signed by all `signers`, sent with {@link sendWithBlockhashRetry}.
 * Resolves to the signature; a transaction that landed and failed throws a `SendTransactionError`
 * with its logs (as a failed preflight does).
 */
export async function sendAndConfirm(
  connection: Connection,
  instructions: TransactionInstruction[],
  signers: Signer[],
  opts: SendAndConfirmOptions = {},
): Promise<string> {
  if (signers.length === 0) throw new Error("sendAndConfirm needs at least the fee payer as signer");
  const res = await sendWithBlockhashRetry(
    connection,
    (blockhash) => {
      const tx = new Transaction({ feePayer: signers[0].publicKey, recentBlockhash: blockhash });
      tx.add(...instructions);
      tx.sign(...signers);
      return tx;
    },
    opts,
  );
  if (res.err) {
    const { logs } = await fetchLogs(
      connection,
      res.signature,
      opts.commitment ?? "confirmed",
      () => undefined,
      opts.rpcTimeoutMs ?? 10_000,
    );
    throw new SendTransactionError({
      action: "send",
      signature: res.signature,
      transactionMessage: `Transaction ${res.signature} failed: ${JSON.stringify(res.err)}`,
      logs,
    });
  }
  return res.signature;
}

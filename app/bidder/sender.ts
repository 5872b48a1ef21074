/**
 * Transaction sending for a competitive bot: a cached fresh blockhash, compute-unit limits from
 * simulation (cached per kind of transaction and refined from landed transactions), a priority fee
 * per transaction, rebroadcast until confirmed, a rebuild with a new blockhash when the old one
 * expires (while the caller still wants it), and outcomes classified with the program's error
 * codes. Also the chain clock estimate the scheduler relies on.
 * @module
 */
import {
  ComputeBudgetProgram,
  Connection,
  Keypair,
  SendTransactionError,
  SYSVAR_CLOCK_PUBKEY,
  Transaction,
  TransactionInstruction,
  VersionedTransaction,
} from "@solana/web3.js";
import {
  BlockhashExpiredError,
  GavelError,
  GavelEvent,
  parseEvents,
  parseGavelError,
  SendAbortedError,
  SendTimeoutError,
  SentTransaction,
  sendWithBlockhashRetry,
} from "../../sdk/src";

/**
 * The chain's unix time from Clock sysvar samples. A sample `unix_timestamp × 1000 − wall ms` lies
 * in (δ − 1000, δ] for the true offset δ (the timestamp is whole seconds), so the largest recent
 * sample is the best estimate of δ.
 */
export class ChainClock {
  private samples: { offsetMs: number; at: number }[] = [];
  /** Estimated chain time − wall time, ms. */
  offsetMs = 0;

  constructor(private readonly windowMs = 60_000) {}

  /** Adds a sample: the chain's unix timestamp seen at wall time `wallMs`. */
  sample(unixTs: number, wallMs = Date.now()): void {
    this.samples.push({ offsetMs: unixTs * 1000 - wallMs, at: wallMs });
    this.samples = this.samples.filter((s) => s.at >= wallMs - this.windowMs);
    this.offsetMs = Math.max(...this.samples.map((s) => s.offsetMs));
  }

  /** Number of samples in the window. */
  get size(): number {
    return this.samples.length;
  }

  /** The chain's current unix second. */
  nowSecs(wallMs = Date.now()): number {
    return Math.floor((wallMs + this.offsetMs) / 1000);
  }

  /** Wall-clock ms from now until the chain second `unixSecs` starts (negative: already started). */
  msUntil(unixSecs: number, wallMs = Date.now()): number {
    return unixSecs * 1000 - (wallMs + this.offsetMs);
  }
}

/** Reads the Clock sysvar's unix timestamp. */
export async function readChainTime(connection: Connection): Promise<number> {
  const info = await connection.getAccountInfo(SYSVAR_CLOCK_PUBKEY, "confirmed");
  if (!info) throw new Error("Clock sysvar missing");
  return Number(info.data.readBigInt64LE(32));
}

/** A transaction to send. */
export interface SendRequest {
  /** Label for logs and the CU cache, e.g. `take:inventory:<market>`. */
  kind: string;
  ixs: TransactionInstruction[];
  /** Signers besides the payer. */
  signers: Keypair[];
  cuLimit: number;
  microLamports: number;
  /** Called with each signature right when it is handed to the RPC. */
  onSent?: (signature: string, sentAt: number, attempt: number) => void;
  /** Asked before rebuilding an expired transaction. */
  stillWanted?: () => boolean;
}

/** How a send ended. */
export type SendOutcome =
  | { ok: true; signature: string; logs: string[]; events: GavelEvent[]; computeUnits: number | null }
  | {
      ok: false;
      signature: string | null;
      /** `program` (the transaction failed), `expired`, `timeout`, `aborted`, `rpc`. */
      reason: "program" | "expired" | "timeout" | "aborted" | "rpc";
      gavel: GavelError | null;
      error: string;
      logs: string[];
    };

/** Options of {@link Sender}. */
export interface SenderOptions {
  skipPreflight: boolean;
  confirmTimeoutSecs: number;
  /** Poll period of signature statuses. */
  pollMs?: number;
  /** Rebroadcast period of an unconfirmed transaction. */
  rebroadcastMs?: number;
  onRpcError?: (op: string, e: unknown) => void;
}

const MAX_CU = 1_400_000;
const CU_EXCEEDED = /Computational budget exceeded|exceeded CUs meter/;

/** See the module doc. */
export class Sender {
  private blockhash: { blockhash: string; lastValidBlockHeight: number; at: number } | null = null;
  private refreshing: Promise<void> | null = null;
  private readonly cu = new Map<string, number>();
  private readonly pollMs: number;
  private readonly rebroadcastMs: number;

  constructor(
    readonly connection: Connection,
    readonly payer: Keypair,
    readonly opts: SenderOptions,
  ) {
    this.pollMs = opts.pollMs ?? 150;
    this.rebroadcastMs = opts.rebroadcastMs ?? 1_000;
  }

  private rpcError(op: string, e: unknown): void {
    this.opts.onRpcError?.(op, e);
  }

  /** Refreshes the cached blockhash (call periodically; concurrent calls share one request). */
  refreshBlockhash(): Promise<void> {
    if (!this.refreshing) {
      this.refreshing = this.connection
        .getLatestBlockhash("confirmed")
        .then((b) => {
          this.blockhash = { ...b, at: Date.now() };
        })
        .catch((e) => this.rpcError("getLatestBlockhash", e))
        .finally(() => {
          this.refreshing = null;
        });
    }
    return this.refreshing;
  }

  /** A blockhash at most `maxAgeMs` old. */
  async freshBlockhash(maxAgeMs = 10_000): Promise<{ blockhash: string; lastValidBlockHeight: number }> {
    if (!this.blockhash || Date.now() - this.blockhash.at > maxAgeMs) await this.refreshBlockhash();
    if (!this.blockhash) throw new Error("no blockhash (RPC unreachable)");
    return this.blockhash;
  }

  /** The cached compute-unit limit for `kind`, if any. */
  cachedCu(kind: string): number | undefined {
    return this.cu.get(kind);
  }

  /**
   * Learns a limit for `kind` from units actually consumed, with headroom: the same instruction
   * costs more on another account (PDA bump search, interest accrual over a longer span, closing
   * the auction), and a generous limit is free when the priority fee is a share of the profit.
   */
  learnCu(kind: string, unitsConsumed: number): number {
    const limit = Math.min(MAX_CU, Math.ceil(unitsConsumed * 1.5) + 20_000);
    this.cu.set(kind, Math.max(limit, this.cu.get(kind) ?? 0));
    return this.cu.get(kind)!;
  }

  private build(
    ixs: TransactionInstruction[],
    signers: Keypair[],
    cuLimit: number,
    microLamports: number,
    blockhash: string,
  ): Transaction {
    const tx = new Transaction({ feePayer: this.payer.publicKey, recentBlockhash: blockhash });
    tx.add(ComputeBudgetProgram.setComputeUnitLimit({ units: cuLimit }));
    if (microLamports > 0) tx.add(ComputeBudgetProgram.setComputeUnitPrice({ microLamports }));
    tx.add(...ixs);
    tx.sign(this.payer, ...signers.filter((s) => !s.publicKey.equals(this.payer.publicKey)));
    return tx;
  }

  /** Builds, signs and serializes a transaction (no send): used to warm the hot path up. */
  buildSigned(
    ixs: TransactionInstruction[],
    signers: Keypair[],
    cuLimit: number,
    microLamports: number,
    blockhash: string,
  ): Buffer {
    return this.build(ixs, signers, cuLimit, microLamports, blockhash).serialize({
      requireAllSignatures: false,
      verifySignatures: false,
    });
  }

  /**
   * Simulates `ixs` (signature check off, latest blockhash): units consumed, or the program error.
   */
  async simulate(
    ixs: TransactionInstruction[],
    signers: Keypair[],
  ): Promise<{ unitsConsumed: number | null; gavel: GavelError | null; err: unknown; logs: string[] }> {
    const { blockhash } = await this.freshBlockhash();
    const tx = this.build(ixs, signers, MAX_CU, 0, blockhash);
    let res;
    try {
      res = await this.connection.simulateTransaction(new VersionedTransaction(tx.compileMessage()), {
        sigVerify: false,
        replaceRecentBlockhash: true,
        commitment: "confirmed",
      });
    } catch (e) {
      this.rpcError("simulateTransaction", e);
      throw e;
    }
    const logs = res.value.logs ?? [];
    const err = res.value.err;
    return {
      unitsConsumed: res.value.unitsConsumed ?? null,
      gavel: err ? (parseGavelError({ ...(err as object), logs }) ?? parseGavelError(logs) ?? null) : null,
      err,
      logs,
    };
  }

  /**
   * Sends until confirmed (`confirmed` commitment) through the SDK's `sendWithBlockhashRetry`
   * (rebroadcast, and a new blockhash and signature when the old one expires while `stillWanted()`);
   * a transaction that ran out of compute units goes again with twice the limit (same total
   * priority fee). Never throws.
   */
  async send(req: SendRequest): Promise<SendOutcome> {
    const deadline = Date.now() + this.opts.confirmTimeoutSecs * 1000;
    let { cuLimit, microLamports } = req;
    let lastSig: string | null = null;
    for (;;) {
      const timeoutMs = deadline - Date.now();
      if (timeoutMs <= 0) return fail(lastSig, "timeout", null, "not confirmed in time", []);
      let sent: SentTransaction;
      try {
        sent = await sendWithBlockhashRetry(
          this.connection,
          (blockhash) => this.build(req.ixs, req.signers, cuLimit, microLamports, blockhash),
          {
            skipPreflight: this.opts.skipPreflight,
            timeoutMs,
            maxAttempts: 20,
            pollMs: this.pollMs,
            rebroadcastMs: this.rebroadcastMs,
            // The cached blockhash (refreshed every 2 s) for the first try; a new one after an expiry.
            blockhash: (attempt) => this.freshBlockhash(attempt === 1 ? 10_000 : 0),
            onSent: (signature, attempt) => {
              lastSig = signature;
              req.onSent?.(signature, Date.now(), attempt);
            },
            stillWanted: req.stillWanted,
            onRpcError: (op, e) => this.rpcError(op, e),
            fetchLogs: true,
          },
        );
      } catch (e) {
        if (e instanceof SendAbortedError) return fail(lastSig, "aborted", null, "no longer wanted", []);
        if (e instanceof SendTimeoutError) return fail(lastSig, "timeout", null, "not confirmed in time", []);
        if (e instanceof BlockhashExpiredError) return fail(lastSig, "expired", null, e.message, []);
        const logs = e instanceof SendTransactionError ? (e.logs ?? []) : [];
        const gavel = parseGavelError(e) ?? parseGavelError(logs) ?? null;
        const msg = e instanceof SendTransactionError ? e.transactionError.message : firstLine(e);
        const more = gavel ? null : this.moreCu(req.kind, msg, logs, cuLimit, microLamports);
        if (more) {
          [cuLimit, microLamports] = more;
          continue;
        }
        return fail(
          lastSig,
          e instanceof SendTransactionError || gavel ? "program" : "rpc",
          gavel,
          msg,
          logs,
        );
      }
      const { signature, logs, err } = sent;
      if (!err) {
        return {
          ok: true,
          signature,
          logs,
          events: parseEvents(logs),
          computeUnits: sent.computeUnits ?? null,
        };
      }
      const gavel = parseGavelError({ ...(err as object), logs }) ?? parseGavelError(logs) ?? null;
      const msg = JSON.stringify(err);
      const more = gavel ? null : this.moreCu(req.kind, msg, logs, cuLimit, microLamports);
      if (more) {
        [cuLimit, microLamports] = more;
        continue;
      }
      return fail(signature, "program", gavel, msg, logs);
    }
  }

  /**
   * When `msg`/`logs` say the transaction ran out of compute units and the limit can still grow:
   * the doubled limit and the price keeping the same total priority fee (learned for `kind`).
   */
  private moreCu(
    kind: string,
    msg: string,
    logs: string[],
    cuLimit: number,
    microLamports: number,
  ): [number, number] | null {
    if (cuLimit >= MAX_CU || !CU_EXCEEDED.test(msg + "\n" + logs.join("\n"))) return null;
    const more = Math.min(MAX_CU, cuLimit * 2);
    this.cu.set(kind, Math.max(more, this.cu.get(kind) ?? 0));
    return [more, Math.floor((microLamports * cuLimit) / more)];
  }
}

function fail(
  signature: string | null,
  reason: "program" | "expired" | "timeout" | "aborted" | "rpc",
  gavel: GavelError | null,
  error: string,
  logs: string[],
): SendOutcome {
  return { ok: false, signature, reason, gavel, error, logs };
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split("\n")[0];
}

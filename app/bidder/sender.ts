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
  PublicKey,
  VersionedTransaction,
} from "@solana/web3.js";
import { GavelError, GavelEvent, parseEvents, parseGavelError } from "../../sdk/src";

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
   * Sends until confirmed (`confirmed` commitment), rebroadcasting, and rebuilding with a fresh
   * blockhash if it expires while `stillWanted()`. Never throws.
   */
  async send(req: SendRequest): Promise<SendOutcome> {
    const deadline = Date.now() + this.opts.confirmTimeoutSecs * 1000;
    let attempt = 0;
    let lastSig: string | null = null;
    let { cuLimit, microLamports } = req;
    while (Date.now() < deadline) {
      attempt++;
      let bh: { blockhash: string; lastValidBlockHeight: number };
      try {
        bh = await this.freshBlockhash(attempt === 1 ? 10_000 : 0);
      } catch (e) {
        await sleep(250);
        if (attempt > 20) return fail(null, "rpc", null, String(e), []);
        continue;
      }
      const tx = this.build(req.ixs, req.signers, cuLimit, microLamports, bh.blockhash);
      const raw = tx.serialize();
      const signature = encodeSig(tx);
      lastSig = signature;
      const sentAt = Date.now();
      req.onSent?.(signature, sentAt, attempt);
      try {
        await this.connection.sendRawTransaction(raw, {
          skipPreflight: this.opts.skipPreflight,
          preflightCommitment: "confirmed",
          maxRetries: 0,
        });
      } catch (e) {
        const logs = e instanceof SendTransactionError ? (e.logs ?? []) : [];
        const gavel = parseGavelError(e) ?? parseGavelError(logs) ?? null;
        if (gavel || e instanceof SendTransactionError) {
          const msg = e instanceof SendTransactionError ? e.transactionError.message : firstLine(e);
          if (!gavel && cuLimit < MAX_CU && CU_EXCEEDED.test(msg + logs.join("\n"))) {
            // Too tight a limit: double it (same total priority fee) and go again.
            const more = Math.min(MAX_CU, cuLimit * 2);
            microLamports = Math.floor((microLamports * cuLimit) / more);
            cuLimit = more;
            this.cu.set(req.kind, Math.max(more, this.cu.get(req.kind) ?? 0));
            continue;
          }
          return fail(signature, "program", gavel, msg, logs);
        }
        this.rpcError("sendTransaction", e);
        await sleep(250);
        continue; // network trouble: try again (same blockhash while valid)
      }
      const outcome = await this.confirm(signature, raw, bh.lastValidBlockHeight, deadline);
      if (outcome === "expired") {
        if (req.stillWanted && !req.stillWanted())
          return fail(signature, "aborted", null, "no longer wanted", []);
        continue;
      }
      if (outcome === "timeout") break;
      if (!outcome.ok && outcome.reason === "program" && !outcome.gavel && cuLimit < MAX_CU) {
        if (CU_EXCEEDED.test(outcome.error + outcome.logs.join("\n"))) {
          const more = Math.min(MAX_CU, cuLimit * 2);
          microLamports = Math.floor((microLamports * cuLimit) / more);
          cuLimit = more;
          this.cu.set(req.kind, Math.max(more, this.cu.get(req.kind) ?? 0));
          continue;
        }
      }
      return outcome;
    }
    return fail(lastSig, "timeout", null, "not confirmed in time", []);
  }

  private async confirm(
    signature: string,
    raw: Buffer,
    lastValidBlockHeight: number,
    deadline: number,
  ): Promise<SendOutcome | "expired" | "timeout"> {
    let lastBroadcast = Date.now();
    let lastHeightCheck = Date.now();
    while (Date.now() < deadline) {
      await sleep(this.pollMs);
      try {
        const st = (await this.connection.getSignatureStatuses([signature])).value[0];
        if (st && (st.confirmationStatus === "confirmed" || st.confirmationStatus === "finalized")) {
          return this.result(signature, st.err);
        }
      } catch (e) {
        this.rpcError("getSignatureStatuses", e);
      }
      const now = Date.now();
      if (now - lastBroadcast >= this.rebroadcastMs) {
        lastBroadcast = now;
        this.connection
          .sendRawTransaction(raw, { skipPreflight: true, maxRetries: 0 })
          .catch((e) => this.rpcError("sendTransaction", e));
      }
      if (now - lastHeightCheck >= 2_000) {
        lastHeightCheck = now;
        try {
          if ((await this.connection.getBlockHeight("confirmed")) > lastValidBlockHeight) {
            // One last look: it may have landed just before expiring.
            const st = (await this.connection.getSignatureStatuses([signature])).value[0];
            if (st && st.confirmationStatus) return this.result(signature, st.err);
            return "expired";
          }
        } catch (e) {
          this.rpcError("getBlockHeight", e);
        }
      }
    }
    return "timeout";
  }

  private async result(signature: string, err: unknown): Promise<SendOutcome> {
    let logs: string[] = [];
    let computeUnits: number | null = null;
    for (let i = 0; i < 5; i++) {
      try {
        const tx = await this.connection.getTransaction(signature, {
          commitment: "confirmed",
          maxSupportedTransactionVersion: 0,
        });
        if (tx) {
          logs = tx.meta?.logMessages ?? [];
          computeUnits = tx.meta?.computeUnitsConsumed ?? null;
          break;
        }
      } catch (e) {
        this.rpcError("getTransaction", e);
      }
      await sleep(100);
    }
    if (err) {
      const gavel = parseGavelError({ ...(err as object), logs }) ?? parseGavelError(logs) ?? null;
      return fail(signature, "program", gavel, JSON.stringify(err), logs);
    }
    return { ok: true, signature, logs, events: parseEvents(logs), computeUnits };
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

function encodeSig(tx: Transaction): string {
  // The first signature is the payer's: the transaction id.
  const sig = tx.signatures[0].signature;
  if (!sig) throw new Error("unsigned transaction");
  return base58(sig);
}

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** Base58 (transaction ids, memcmp filter bytes). */
export function base58(bytes: Uint8Array): string {
  // PublicKey's encoder handles any 32-byte value; signatures are 64 bytes, so encode by hand.
  if (bytes.length === 32) return new PublicKey(bytes).toBase58();
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

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

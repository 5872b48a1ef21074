/**
 * A LiteSVM chain with the real compiled Gavel program loaded, and a `send` that reports what a
 * client would see: success, compute units, logs, parsed events, and the typed Gavel error.
 */
import { Keypair, LAMPORTS_PER_SOL, PublicKey, Transaction, TransactionInstruction } from "@solana/web3.js";
import { ASSOCIATED_TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { FailedTransactionMetadata, LiteSVM } from "litesvm";
import { GavelError, GavelEvent, parseEvents, parseGavelError, PROGRAM_ID } from "../src";
import { PROGRAM_SO } from "./program";

/** Outcome of one transaction. */
export interface SendResult {
  ok: boolean;
  computeUnits: number;
  logs: string[];
  events: GavelEvent[];
  /** The Gavel error when the program failed with one. */
  error?: GavelError;
  /** The runtime's error text when the transaction failed. */
  rawError?: string;
}

/**
 * Throws when `tx` calls the associated-token-account program. Running LiteSVM 0.8's bundled ATA
 * program leaves the calling (main) thread's x87/MMX register state dirty; V8's next scavenge then
 * sizes its pretenuring hash table from a garbage float, and node aborts with `std::bad_alloc`
 * (reproduced with LiteSVM alone: one `createAssociatedTokenAccountIdempotent`, then a GC). Plain
 * keypair token accounts, or accounts written with `setAccount`, stand in for associated ones.
 */
export function refuseAtaProgram(tx: Transaction): void {
  if (tx.instructions.some((ix) => ix.programId.equals(ASSOCIATED_TOKEN_PROGRAM_ID)))
    throw new Error(
      "a LiteSVM transaction calls the associated-token-account program (it corrupts the node process's FPU state; see refuseAtaProgram)",
    );
}

/** A fresh in-process chain with Gavel deployed at its program id. */
export class GavelSvm {
  readonly svm: LiteSVM;

  constructor() {
    this.svm = new LiteSVM();
    this.svm.addProgramFromFile(PROGRAM_ID, PROGRAM_SO);
  }

  /** A new keypair holding `sol` SOL. */
  actor(sol = 10): Keypair {
    const kp = Keypair.generate();
    this.svm.airdrop(kp.publicKey, BigInt(sol * LAMPORTS_PER_SOL));
    return kp;
  }

  /** Sends `ixs` signed by `signers` (the first pays fees). */
  send(ixs: TransactionInstruction[], signers: Keypair[]): SendResult {
    const tx = new Transaction();
    tx.recentBlockhash = this.svm.latestBlockhash();
    tx.feePayer = signers[0].publicKey;
    tx.add(...ixs);
    tx.sign(...signers);
    refuseAtaProgram(tx);
    const res = this.svm.sendTransaction(tx);
    // A new blockhash, so that an identical later transaction is not a duplicate.
    this.svm.expireBlockhash();
    if (res instanceof FailedTransactionMetadata) {
      const meta = res.meta();
      const logs = meta.logs();
      return {
        ok: false,
        computeUnits: Number(meta.computeUnitsConsumed()),
        logs,
        events: [],
        error: parseGavelError(logs),
        rawError: String(res.err()),
      };
    }
    const logs = res.logs();
    return {
      ok: true,
      computeUnits: Number(res.computeUnitsConsumed()),
      logs,
      events: parseEvents(logs),
    };
  }

  /** Account data, or `null` when the account does not exist. */
  data(address: PublicKey): Buffer | null {
    const acc = this.svm.getAccount(address);
    return acc ? Buffer.from(acc.data) : null;
  }
}

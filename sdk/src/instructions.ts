/**
 * Instruction builders: each returns a `TransactionInstruction` and sends nothing.
 * @module
 */
import { PublicKey, SystemProgram, TransactionInstruction } from "@solana/web3.js";
import { PROGRAM_ID } from "./constants";
import { configPda } from "./pda";
import { coder } from "./program";

/** Accounts of `initialize_config`. */
export interface InitializeConfigAccounts {
  /** Signer and rent payer; becomes the admin. */
  admin: PublicKey;
}

/** `initialize_config`: creates the Config PDA with `admin` as admin and stop level 0. */
export function initializeConfigIx(
  accounts: InitializeConfigAccounts,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  return new TransactionInstruction({
    programId,
    keys: [
      { pubkey: accounts.admin, isSigner: true, isWritable: true },
      { pubkey: configPda(programId)[0], isSigner: false, isWritable: true },
      { pubkey: SystemProgram.programId, isSigner: false, isWritable: false },
    ],
    data: coder.instruction.encode("initializeConfig", {}),
  });
}

/** Accounts of `set_stop`. */
export interface SetStopAccounts {
  /** The config admin (signer). */
  admin: PublicKey;
}

/** `set_stop`: admin sets the stop level (0..=3). */
export function setStopIx(
  accounts: SetStopAccounts,
  stop: number,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  return new TransactionInstruction({
    programId,
    keys: [
      { pubkey: accounts.admin, isSigner: true, isWritable: false },
      { pubkey: configPda(programId)[0], isSigner: false, isWritable: true },
    ],
    data: coder.instruction.encode("setStop", { stop }),
  });
}

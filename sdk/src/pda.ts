/**
 * PDA seeds, mirroring the program's `state` modules one to one.
 * @module
 */
import { PublicKey } from "@solana/web3.js";
import { PROGRAM_ID } from "./constants";

/** Seed of the `Config` PDA (`programs/gavel/src/state/config.rs: CONFIG_SEED`). */
export const CONFIG_SEED = Buffer.from("config");

/** The `Config` PDA `["config"]` and its canonical bump. */
export function configPda(programId: PublicKey = PROGRAM_ID): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([CONFIG_SEED], programId);
}

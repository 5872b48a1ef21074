import { PublicKey } from "@solana/web3.js";
import idlJson from "./idl/gavel.json";

/** Gavel's program id (local-test key `keys/gavel-program-keypair.json`; see README). */
export const PROGRAM_ID = new PublicKey(idlJson.address);

/** Stop levels of `Config.stop`. */
export enum StopLevel {
  /** Everything allowed. */
  Live = 0,
  /** No new kicks. */
  NoKicks = 1,
  /** No kicks and no resets. */
  NoKicksNoResets = 2,
  /** Nothing but admin instructions (no takes). */
  AdminOnly = 3,
}

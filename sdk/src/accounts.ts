/**
 * Account decoders that need no `Program` (fast bulk decoding).
 * @module
 */
import { PublicKey } from "@solana/web3.js";
import { coder } from "./program";

/** Decoded `Config` account. */
export interface ConfigAccount {
  admin: PublicKey;
  pendingAdmin: PublicKey;
  stop: number;
  bump: number;
}

/** Decodes a `Config` account's data (checks the discriminator). */
export function decodeConfig(data: Buffer | Uint8Array): ConfigAccount {
  const raw = coder.accounts.decode("config", Buffer.from(data));
  return { admin: raw.admin, pendingAdmin: raw.pendingAdmin, stop: raw.stop, bump: raw.bump };
}

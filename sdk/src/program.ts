import { BorshCoder, Idl, Program, Provider } from "@coral-xyz/anchor";
import { convertIdlToCamelCase } from "@coral-xyz/anchor/dist/cjs/idl";
import { Connection } from "@solana/web3.js";
import idlJson from "./idl/gavel.json";
import type { Gavel } from "./idl/gavel";

/** The committed IDL, typed. */
export const IDL = idlJson as unknown as Gavel;

/**
 * Borsh coder for Gavel's instructions, accounts and events (needs no connection). Names are
 * camelCase, as in `Program<Gavel>`: `setStop`, account `config`, event `stopChanged`.
 */
export const coder = new BorshCoder(convertIdlToCamelCase(IDL as unknown as Idl));

/**
 * An Anchor `Program<Gavel>`. Without `provider` it can build instructions and decode data but
 * not send: its connection points at a local validator's default address.
 */
export function gavelProgram(provider?: Provider): Program<Gavel> {
  return new Program<Gavel>(
    IDL,
    provider ?? { connection: new Connection("http://127.0.0.1:8899", "confirmed") },
  );
}

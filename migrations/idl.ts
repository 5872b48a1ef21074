/**
 * Publishes Gavel's IDL on chain where Anchor looks for it (`Program.at`, `Program.fetchIdl`,
 * `anchor idl fetch`): the IdlAccount at `createWithSeed(findProgramAddress([], program),
 * "anchor:idl", program)`, holding the zlib-compressed IDL JSON. The program's IDL instructions
 * (programs/gavel/src/instructions/idl.rs) let only its upgrade authority create that account.
 */
import { Connection, Keypair, PublicKey, SystemProgram, TransactionInstruction } from "@solana/web3.js";
import { createHash } from "crypto";
import { isDeepStrictEqual } from "util";
import * as zlib from "zlib";
import { sendAndConfirm } from "../sdk/src";
import { programDataAddress } from "./loader";

/** anchor-lang's `IDL_IX_TAG` (little endian): the first 8 bytes of every IDL instruction. */
export const IDL_IX_TAG = Buffer.from("40f4bc78a7e9690a", "hex");
/** Bytes before the compressed IDL: discriminator, authority, data length. */
export const IDL_HEADER_LEN = 44;
/** Most bytes the program allocates for an IDL account in one `Create`. */
export const IDL_MAX_SPACE = 10_000;
/** Bytes of IDL data per `Write` transaction. */
const WRITE_CHUNK = 900;

/** The IDL account's address for `programId`. */
export function idlAccountAddress(programId: PublicKey): PublicKey {
  // PublicKey.createWithSeed, synchronously: sha256(base || seed || owner).
  const [base] = PublicKey.findProgramAddressSync([], programId);
  const hash = createHash("sha256")
    .update(Buffer.concat([base.toBuffer(), Buffer.from("anchor:idl"), programId.toBuffer()]))
    .digest();
  return new PublicKey(hash);
}

const u64 = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};

/** `Create { data_len }`: only the program's upgrade authority (`from`) may send it. */
export function idlCreateIx(programId: PublicKey, from: PublicKey, dataLen: number): TransactionInstruction {
  const [base] = PublicKey.findProgramAddressSync([], programId);
  return new TransactionInstruction({
    programId,
    keys: [
      { pubkey: from, isSigner: true, isWritable: true },
      { pubkey: idlAccountAddress(programId), isSigner: false, isWritable: true },
      { pubkey: base, isSigner: false, isWritable: false },
      { pubkey: SystemProgram.programId, isSigner: false, isWritable: false },
      { pubkey: programId, isSigner: false, isWritable: false },
      { pubkey: programDataAddress(programId), isSigner: false, isWritable: false },
    ],
    data: Buffer.concat([IDL_IX_TAG, Buffer.from([0]), u64(dataLen)]),
  });
}

/** `Write { data }`: appends `chunk` to the IDL account's data. */
export function idlWriteIx(
  programId: PublicKey,
  authority: PublicKey,
  chunk: Buffer,
): TransactionInstruction {
  const len = Buffer.alloc(4);
  len.writeUInt32LE(chunk.length);
  return new TransactionInstruction({
    programId,
    keys: [
      { pubkey: idlAccountAddress(programId), isSigner: false, isWritable: true },
      { pubkey: authority, isSigner: true, isWritable: false },
    ],
    data: Buffer.concat([IDL_IX_TAG, Buffer.from([2]), len, chunk]),
  });
}

/** `Close`: closes the IDL account, rent to `destination`. */
export function idlCloseIx(
  programId: PublicKey,
  authority: PublicKey,
  destination: PublicKey,
): TransactionInstruction {
  return new TransactionInstruction({
    programId,
    keys: [
      { pubkey: idlAccountAddress(programId), isSigner: false, isWritable: true },
      { pubkey: authority, isSigner: true, isWritable: false },
      { pubkey: destination, isSigner: false, isWritable: true },
    ],
    data: Buffer.concat([IDL_IX_TAG, Buffer.from([5])]),
  });
}

/** The IDL account as stored: its authority and the IDL JSON it holds (null if absent). */
export async function readOnChainIdl(
  connection: Connection,
  programId: PublicKey,
): Promise<{ authority: PublicKey; idl: unknown } | null> {
  const info = await connection.getAccountInfo(idlAccountAddress(programId), "confirmed");
  if (!info) return null;
  const authority = new PublicKey(info.data.subarray(8, 40));
  const len = info.data.readUInt32LE(40);
  const bytes = info.data.subarray(IDL_HEADER_LEN, IDL_HEADER_LEN + len);
  let idl: unknown = null;
  try {
    idl = JSON.parse(zlib.inflateSync(bytes).toString("utf8"));
  } catch {
    idl = null; // empty or partly written
  }
  return { authority, idl };
}

/** What `publishIdl` did. */
export interface IdlPublishResult {
  action: "published" | "republished" | "up to date";
  address: string;
  bytes: number;
  transactions: number;
}

/**
 * Makes the on-chain IDL equal `idl`: nothing when it already is; otherwise (re)creates the IDL
 * account (closing a stale one first) and writes the compressed JSON in chunks. `authority` must
 * be the program's upgrade authority.
 */
export async function publishIdl(
  connection: Connection,
  authority: Keypair,
  programId: PublicKey,
  idl: unknown,
): Promise<IdlPublishResult> {
  const address = idlAccountAddress(programId).toBase58();
  const compressed = zlib.deflateSync(Buffer.from(JSON.stringify(idl)), { level: 9 });
  if (compressed.length + IDL_HEADER_LEN > IDL_MAX_SPACE) {
    throw new Error(
      `compressed IDL is ${compressed.length} bytes; at most ${IDL_MAX_SPACE - IDL_HEADER_LEN} fit`,
    );
  }
  const send = (ix: TransactionInstruction): Promise<string> => sendAndConfirm(connection, [ix], [authority]);
  let transactions = 0;
  const existing = await readOnChainIdl(connection, programId);
  if (existing && isDeepStrictEqual(existing.idl, idl)) {
    return { action: "up to date", address, bytes: compressed.length, transactions };
  }
  if (existing) {
    if (!existing.authority.equals(authority.publicKey)) {
      throw new Error(`the on-chain IDL's authority is ${existing.authority.toBase58()}, not this keypair`);
    }
    await send(idlCloseIx(programId, authority.publicKey, authority.publicKey));
    transactions++;
  }
  await send(idlCreateIx(programId, authority.publicKey, compressed.length));
  transactions++;
  for (let at = 0; at < compressed.length; at += WRITE_CHUNK) {
    await send(idlWriteIx(programId, authority.publicKey, compressed.subarray(at, at + WRITE_CHUNK)));
    transactions++;
  }
  return { action: existing ? "republished" : "published", address, bytes: compressed.length, transactions };
}

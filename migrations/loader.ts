/**
 * Deploys or upgrades a program through the BPF Upgradeable Loader over plain RPC, without the
 * `solana` CLI. @solana/web3.js 1.x has no builder for this loader, so its instructions are encoded
 * here: bincode, a u32 LE variant tag then the fields (anza-xyz/agave
 * `loader_upgradeable_instruction.rs`).
 *
 * A deploy creates a Buffer account, writes the .so into it in transaction-sized chunks (many in
 * flight, failed ones retried), then creates the program account and runs `DeployWithMaxDataLen`
 * in one transaction. An upgrade writes a new Buffer the same way and runs `Upgrade`. If anything
 * fails after the buffer exists, the buffer is closed to return its rent (or its address is given
 * when even that fails).
 */
import {
  Connection,
  Keypair,
  LAMPORTS_PER_SOL,
  PublicKey,
  SendTransactionError,
  SystemProgram,
  SYSVAR_CLOCK_PUBKEY,
  SYSVAR_RENT_PUBKEY,
  Transaction,
  TransactionInstruction,
} from "@solana/web3.js";
import { sendAndConfirm } from "../sdk/src";

export const LOADER_ID = new PublicKey("BPFLoaderUpgradeab1e11111111111111111111111");

/** `UpgradeableLoaderState` sizes: Buffer and ProgramData headers, and the Program account. */
const BUFFER_HEADER = 37; // tag u32 + Option<Pubkey> authority
const PROGRAM_SIZE = 36; // tag u32 + programdata address
const PROGRAMDATA_HEADER = 45; // tag u32 + slot u64 + Option<Pubkey> authority
const TX_LIMIT = 1232;
const FEE_PER_SIGNATURE = 5000;

const w = (pubkey: PublicKey) => ({ pubkey, isSigner: false, isWritable: true });
const r = (pubkey: PublicKey) => ({ pubkey, isSigner: false, isWritable: false });
const s = (pubkey: PublicKey, isWritable = false) => ({ pubkey, isSigner: true, isWritable });

function data(tag: number, fields = Buffer.alloc(0)): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(tag);
  return Buffer.concat([out, fields]);
}

/** ProgramData address of `program`: PDA of [program] under the loader. */
export function programDataAddress(program: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync([program.toBuffer()], LOADER_ID)[0];
}

/** `InitializeBuffer` (0): must share a transaction with the buffer's `createAccount`. */
export function initializeBufferIx(buffer: PublicKey, authority: PublicKey): TransactionInstruction {
  return new TransactionInstruction({ programId: LOADER_ID, keys: [w(buffer), r(authority)], data: data(0) });
}

/** `Write` (1) { offset: u32, bytes: Vec<u8> (u64 LE length) }. */
export function writeIx(
  buffer: PublicKey,
  authority: PublicKey,
  offset: number,
  bytes: Uint8Array,
): TransactionInstruction {
  const fields = Buffer.alloc(12);
  fields.writeUInt32LE(offset, 0);
  fields.writeBigUInt64LE(BigInt(bytes.length), 4);
  return new TransactionInstruction({
    programId: LOADER_ID,
    keys: [w(buffer), s(authority)],
    data: data(1, Buffer.concat([fields, bytes])),
  });
}

/** `DeployWithMaxDataLen` (2) { max_data_len: u64 }: must share a transaction with the program's `createAccount`. */
export function deployWithMaxDataLenIx(
  a: { payer: PublicKey; program: PublicKey; buffer: PublicKey; authority: PublicKey },
  maxDataLen: number,
): TransactionInstruction {
  const fields = Buffer.alloc(8);
  fields.writeBigUInt64LE(BigInt(maxDataLen));
  return new TransactionInstruction({
    programId: LOADER_ID,
    keys: [
      s(a.payer, true),
      w(programDataAddress(a.program)),
      w(a.program),
      w(a.buffer),
      r(SYSVAR_RENT_PUBKEY),
      r(SYSVAR_CLOCK_PUBKEY),
      r(SystemProgram.programId),
      s(a.authority),
    ],
    data: data(2, fields),
  });
}

/** `Upgrade` (3): the buffer's bytes replace the program's; the buffer's lamports go to `spill`. */
export function upgradeIx(a: {
  program: PublicKey;
  buffer: PublicKey;
  spill: PublicKey;
  authority: PublicKey;
}): TransactionInstruction {
  return new TransactionInstruction({
    programId: LOADER_ID,
    keys: [
      w(programDataAddress(a.program)),
      w(a.program),
      w(a.buffer),
      w(a.spill),
      r(SYSVAR_RENT_PUBKEY),
      r(SYSVAR_CLOCK_PUBKEY),
      s(a.authority),
    ],
    data: data(3),
  });
}

/** `Close` (5) of a buffer: its lamports go to `recipient`. */
export function closeBufferIx(
  buffer: PublicKey,
  recipient: PublicKey,
  authority: PublicKey,
): TransactionInstruction {
  return new TransactionInstruction({
    programId: LOADER_ID,
    keys: [w(buffer), w(recipient), s(authority)],
    data: data(5),
  });
}

/** A deployed program's ProgramData: deploy slot, upgrade authority (null: immutable), code area. */
export interface ProgramData {
  slot: number;
  authority: PublicKey | null;
  code: Buffer;
}

/** Reads `program`'s ProgramData; null when the account does not exist. */
export async function readProgramData(
  connection: Connection,
  program: PublicKey,
): Promise<ProgramData | null> {
  const info = await connection.getAccountInfo(program);
  if (!info) return null;
  if (!info.owner.equals(LOADER_ID) || info.data.length < PROGRAM_SIZE || info.data.readUInt32LE(0) !== 2) {
    throw new Error(
      `${program.toBase58()} exists but is not an upgradeable-loader program (owner ${info.owner.toBase58()})`,
    );
  }
  const address = new PublicKey(info.data.subarray(4, PROGRAM_SIZE));
  const pd = await connection.getAccountInfo(address);
  if (!pd || pd.data.length < PROGRAMDATA_HEADER || pd.data.readUInt32LE(0) !== 3) {
    throw new Error(
      `program data account ${address.toBase58()} of ${program.toBase58()} is missing or malformed`,
    );
  }
  return {
    slot: Number(pd.data.readBigUInt64LE(4)),
    authority: pd.data[12] === 1 ? new PublicKey(pd.data.subarray(13, PROGRAMDATA_HEADER)) : null,
    code: pd.data.subarray(PROGRAMDATA_HEADER),
  };
}

/** Whether the deployed code area holds exactly `so`: its bytes, then only zero padding. */
export function holdsExactly(code: Buffer, so: Buffer): boolean {
  return (
    code.length >= so.length &&
    code.subarray(0, so.length).equals(so) &&
    code.subarray(so.length).every((b) => b === 0)
  );
}

/** What `deployProgram` did. */
export interface ProgramResult {
  action: "deployed" | "upgraded" | "up to date";
  programId: string;
  /** Transactions sent, retries included; `writes` of them were buffer writes. */
  transactions: number;
  writes: number;
  seconds: number;
}

export interface DeployOptions {
  /** The program's keypair; only its signature on creation is needed, upgrades use its address. */
  programKeypair: Keypair;
  /** Bytes the program may grow to on later upgrades; default twice the .so. */
  maxDataLen?: number;
  /** Buffer writes in flight at once; default 32 (fewer suit rate-limited public RPCs). */
  inFlight?: number;
  log?: (line: string) => void;
}

const sol = (lamports: number) => `${(lamports / LAMPORTS_PER_SOL).toFixed(4)} SOL`;

/**
 * Deploys `so` at `programKeypair`'s address if no account is there, upgrades it if the deployed
 * bytes differ (the payer must be the upgrade authority), and does nothing if they are equal. Returns
 * once the new code is executable (the loader makes it visible from the slot after the deploy).
 */
export async function deployProgram(
  connection: Connection,
  payer: Keypair,
  so: Buffer,
  opts: DeployOptions,
): Promise<ProgramResult> {
  const started = Date.now();
  const log = opts.log ?? console.log;
  const program = opts.programKeypair.publicKey;
  const current = await readProgramData(connection, program);
  const result = (action: ProgramResult["action"], transactions = 0, writes = 0): ProgramResult => ({
    action,
    programId: program.toBase58(),
    transactions,
    writes,
    seconds: (Date.now() - started) / 1000,
  });
  if (current && holdsExactly(current.code, so)) return result("up to date");
  if (current) {
    if (!current.authority)
      throw new Error(`program ${program.toBase58()} is immutable (no upgrade authority)`);
    if (!current.authority.equals(payer.publicKey)) {
      throw new Error(
        `program ${program.toBase58()} has upgrade authority ${current.authority.toBase58()}, not this keypair (${payer.publicKey.toBase58()})`,
      );
    }
    if (so.length > current.code.length) {
      throw new Error(
        `the .so is ${so.length} bytes but program ${program.toBase58()} holds at most ${current.code.length}; extend its program data first (solana program extend)`,
      );
    }
  }
  const maxDataLen = opts.maxDataLen ?? 2 * so.length;
  if (maxDataLen < so.length)
    throw new Error(`max data length ${maxDataLen} is below the .so's ${so.length} bytes`);

  const chunk = writeChunkSize(payer.publicKey);
  const chunks = Math.ceil(so.length / chunk);
  const rent = (size: number) => connection.getMinimumBalanceForRentExemption(size);
  const bufferRent = await rent(BUFFER_HEADER + so.length);
  const programRent = current ? 0 : await rent(PROGRAM_SIZE);
  const programDataRent = current ? 0 : await rent(PROGRAMDATA_HEADER + maxDataLen);
  const fees = FEE_PER_SIGNATURE * (chunks + 4);
  const needed = bufferRent + programRent + programDataRent + fees;
  const balance = await connection.getBalance(payer.publicKey);
  const [doing, what] = current ? ["upgrading", "upgrade"] : ["deploying", "deploy"];
  if (balance < needed) {
    throw new Error(
      `payer ${payer.publicKey.toBase58()} has ${sol(balance)}; ${doing} needs about ${sol(needed)} (buffer ${sol(bufferRent)}, program data ${sol(programDataRent + programRent)}, fees ${sol(fees)})`,
    );
  }

  log(`${doing} ${program.toBase58()}: ${so.length} bytes in ${chunks} writes of ${chunk}`);
  const buffer = Keypair.generate();
  await send(
    connection,
    [
      SystemProgram.createAccount({
        fromPubkey: payer.publicKey,
        newAccountPubkey: buffer.publicKey,
        lamports: bufferRent,
        space: BUFFER_HEADER + so.length,
        programId: LOADER_ID,
      }),
      initializeBufferIx(buffer.publicKey, payer.publicKey),
    ],
    [payer, buffer],
    "creating the buffer",
  );
  let writes = 0;
  try {
    writes = await writeBuffer(connection, payer, buffer.publicKey, so, chunk, opts.inFlight ?? 32, log);
    const tx = current
      ? [
          upgradeIx({
            program,
            buffer: buffer.publicKey,
            spill: payer.publicKey,
            authority: payer.publicKey,
          }),
        ]
      : [
          SystemProgram.createAccount({
            fromPubkey: payer.publicKey,
            newAccountPubkey: program,
            lamports: programRent,
            space: PROGRAM_SIZE,
            programId: LOADER_ID,
          }),
          deployWithMaxDataLenIx(
            { payer: payer.publicKey, program, buffer: buffer.publicKey, authority: payer.publicKey },
            maxDataLen,
          ),
        ];
    const signers = current ? [payer] : [payer, opts.programKeypair];
    await waitPastSlot(connection, await send(connection, tx, signers, what));
  } catch (e) {
    throw new Error(`${(e as Error).message}; ${await closeBuffer(connection, payer, buffer.publicKey)}`);
  }
  return result(current ? "upgraded" : "deployed", writes + 2, writes);
}

/**
 * Sends and confirms `ixs` (the SDK's `sendAndConfirm`: fresh blockhash, re-signed on expiry); a
 * failure is one line: `what`, the RPC's message and the programs' own logs.
 */
async function send(
  connection: Connection,
  ixs: TransactionInstruction[],
  signers: Keypair[],
  what: string,
  skipPreflight = false,
): Promise<string> {
  try {
    return await sendAndConfirm(connection, ixs, signers, { skipPreflight });
  } catch (e) {
    if (!(e instanceof SendTransactionError)) throw new Error(`${what} failed: ${(e as Error).message}`);
    const { message, logs = [] } = e.transactionError;
    // Some RPCs (surfpool) append the logs to the message: keep its first line without them.
    const first = message.split("\n")[0].replace(/: \d+ log messages:$/, "");
    const said = logs.filter((line) => !line.startsWith("Program "));
    throw new Error(`${what} failed: ${first}${said.length ? ` (${said.join("; ")})` : ""}`);
  }
}

/** The largest chunk whose `Write` transaction (payer = authority, one signature) fits a packet. */
function writeChunkSize(authority: PublicKey): number {
  const probe = 512;
  const tx = new Transaction({ feePayer: authority, recentBlockhash: PublicKey.default.toBase58() }).add(
    writeIx(PublicKey.default, authority, 0, Buffer.alloc(probe)),
  );
  return probe + TX_LIMIT - tx.serialize({ requireAllSignatures: false, verifySignatures: false }).length;
}

/**
 * Writes `so` into `buffer` with up to `inFlight` write transactions in flight, each sent with the
 * SDK's `sendAndConfirm` (a write whose blockhash expires is re-signed and resent). Returns the
 * number of write transactions.
 */
async function writeBuffer(
  connection: Connection,
  payer: Keypair,
  buffer: PublicKey,
  so: Buffer,
  chunk: number,
  inFlight: number,
  log: (line: string) => void,
): Promise<number> {
  const offsets = Array.from({ length: Math.ceil(so.length / chunk) }, (_, i) => i * chunk);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < offsets.length) {
      const offset = offsets[next++];
      const ix = writeIx(buffer, payer.publicKey, offset, so.subarray(offset, offset + chunk));
      await send(connection, [ix], [payer], `buffer write at ${offset}`, true);
      if (++done % 50 === 0 || done === offsets.length) log(`wrote ${done}/${offsets.length} chunks`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, offsets.length) }, worker));
  return offsets.length;
}

/** Waits until the chain is past the slot of `signature`, from which the new code is invocable. */
async function waitPastSlot(connection: Connection, signature: string): Promise<void> {
  const { value } = await connection.getSignatureStatuses([signature]);
  const slot = value[0]?.slot ?? (await connection.getSlot("confirmed"));
  while ((await connection.getSlot("confirmed")) <= slot)
    await new Promise((resolve) => setTimeout(resolve, 200));
}

/** Closes an abandoned buffer to the payer; says what happened to its rent. */
async function closeBuffer(connection: Connection, payer: Keypair, buffer: PublicKey): Promise<string> {
  try {
    await send(connection, [closeBufferIx(buffer, payer.publicKey, payer.publicKey)], [payer], "close");
    return `buffer ${buffer.toBase58()} closed, its rent returned`;
  } catch {
    return `buffer ${buffer.toBase58()} is left holding its rent (recover it with \`solana program close ${buffer.toBase58()}\`)`;
  }
}

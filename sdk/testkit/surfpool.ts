/**
 * The embedded surfpool validator (`@solana/surfpool-linux-x64-gnu`, started in-process: the specs
 * and the demo need its surfnet cheatcodes), with Gavel deployed from target/deploy, and the clean
 * way to stop it under a web3.js connection.
 */
import BN from "bn.js";
import { MINT_SIZE } from "@solana/spl-token";
import { Connection, Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import * as fs from "fs";
import { encodePythLegacyPrice, PROGRAM_ID, PYTH_LEGACY_PROGRAM_ID, rentExemptLamports } from "../src";
import { PROGRAM_SO } from "./program";
import { createMintIxs } from "./tokens";

/** The embedded validator's handle: the surfnet methods Gavel uses (argument formats found by experiment). */
export interface SurfnetHandle {
  rpcUrl: string;
  wsUrl: string;
  payerSecretKey: number[] | Uint8Array;
  deploy(opts: { programId: string; soBytes: number[] }): string;
  /** `data` must be a plain array of bytes (a Buffer is refused). */
  setAccount(address: string, lamports: number, data: number[], owner: string): void;
  fundSol(address: string, lamports: number): void;
  /** Credits `amount` base units of `mint` to `owner`'s associated token account (created if missing). */
  fundToken(owner: string, mint: string, amount: number): void;
  /** Sets `owner`'s associated token account balance of `mint` to `amount` base units. */
  setTokenBalance(owner: string, mint: string, amount: number): void;
  /** Absolute unix time in milliseconds, later than the current clock. */
  timeTravelToTimestamp(unixMs: number): unknown;
  /** Empties the runtime's event queue (see {@link startChain}); returns what it held. */
  drainEvents(): unknown[];
  stop(): void;
}

/** How the embedded chain produces blocks. */
export interface ChainOptions {
  /** Deploy Gavel through the validator's own deploy API (default true; false: a chain without Gavel). */
  deploy?: boolean;
  /**
   * `clock` (default): a slot every `slotTimeMs` and the chain's unix time follows the wall clock.
   * `default`: surfpool's own default mode (`Surfnet.start()`: ~13 blocks a second, the Clock
   * sysvar's unix time standing still; specs move it with `timeTravelToTimestamp`).
   */
  blockProduction?: "clock" | "default";
  /** Slot time in clock mode, ms (default 200; a blockhash then lives ~150 slots = 30 s). */
  slotTimeMs?: number;
}

/**
 * Starts an embedded validator, with Gavel deployed through the validator's own deploy API unless
 * `deploy` is false (then the chain has no Gavel, as migrations/deploy.ts meets a new cluster).
 * The admin is the surfnet's funded payer.
 */
export function startChain({
  deploy = true,
  blockProduction = "clock",
  slotTimeMs = 200,
}: ChainOptions = {}): {
  surfnet: SurfnetHandle;
  connection: Connection;
  admin: Keypair;
} {
  // The platform package is required directly: the `@solana/surfpool` wrapper is not published.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Surfnet } = require("@solana/surfpool-linux-x64-gnu") as {
    Surfnet: {
      start(): SurfnetHandle;
      startWithConfig(config: { blockProductionMode: string; slotTimeMs: number }): SurfnetHandle;
    };
  };
  // "clock" mode: slots advance with the wall clock and so does the chain's unix time (the default
  // mode keeps the Clock sysvar still, which would freeze every auction's price curve).
  const surfnet =
    blockProduction === "clock"
      ? Surfnet.startWithConfig({ blockProductionMode: "clock", slotTimeMs })
      : Surfnet.start();
  // The runtime queues its events (a clock update every slot, one per transaction) in a bounded
  // channel of 1,024 that only `drainEvents` empties. Undrained, the block loop blocks on the full
  // channel while it holds the chain's lock, and every RPC call hangs from then on: after ~1,000
  // slots (200 s in clock mode, 80 s in the default mode, sooner with transactions). Drain it
  // every second until the chain stops.
  const drain = setInterval(() => surfnet.drainEvents(), 1_000);
  drain.unref();
  const stop = surfnet.stop.bind(surfnet);
  surfnet.stop = () => {
    clearInterval(drain);
    stop();
  };
  if (deploy)
    surfnet.deploy({ programId: PROGRAM_ID.toBase58(), soBytes: Array.from(fs.readFileSync(PROGRAM_SO)) });
  const connection = new Connection(surfnet.rpcUrl, { commitment: "confirmed", wsEndpoint: surfnet.wsUrl });
  return { surfnet, connection, admin: Keypair.fromSecretKey(Uint8Array.from(surfnet.payerSecretKey)) };
}

/**
 * Closes `connection`'s websocket (if it opened one) with a normal close. web3.js reconnects a
 * websocket the server dropped, forever; stopping an embedded chain under a connection that still
 * has its socket open would leave that loop running ("ws error: connect ECONNREFUSED" every
 * second). web3.js has no public close, hence the private field.
 */
export function closeWebSocket(connection: Connection): void {
  (connection as unknown as { _rpcWebSocket?: { close(): void } })._rpcWebSocket?.close();
}

/** Closes `connection`'s websocket, then stops the chain. */
export function stopChain(surfnet: { stop(): void }, connection: Connection): void {
  closeWebSocket(connection);
  surfnet.stop();
}

/** When and how a {@link publishLegacyPrice} price is published. */
export interface LegacyPriceStamp {
  /** Publish slot. */
  slot: BN;
  /** Publish time, unix seconds. */
  unixTime: BN;
  /** Confidence in bps of the price (default 10). */
  confBps?: number;
  /** Lamports of the price account (default: rent-exempt). */
  lamports?: number;
}

/**
 * Writes a legacy Pyth price account at `oracle` on the surfnet (surfnet `setAccount`): `usd` per
 * whole token, expo −8, stamped `at`.
 */
export function publishLegacyPrice(
  surfnet: SurfnetHandle,
  oracle: PublicKey,
  usd: number,
  at: LegacyPriceStamp,
): void {
  const price = new BN(Math.round(usd * 1e8));
  const data = encodePythLegacyPrice({
    price,
    conf: price.muln(at.confBps ?? 10).divn(10_000),
    expo: -8,
    publishSlot: at.slot,
    publishTime: at.unixTime,
  });
  surfnet.setAccount(
    oracle.toBase58(),
    at.lamports ?? rentExemptLamports(data.length),
    Array.from(data),
    PYTH_LEGACY_PROGRAM_ID.toBase58(),
  );
}

/** The keys of a market a spec creates on an embedded chain: two new mints and its price account. */
export interface MarketKeys {
  /** "SOL": 9 decimals. */
  collateralMint: Keypair;
  /** "USDC": 6 decimals. */
  debtMint: Keypair;
  /** Where the spec writes the legacy Pyth price ({@link publishLegacyPrice}). */
  oracle: PublicKey;
}

/** New {@link MarketKeys}. */
export function newMarketKeys(): MarketKeys {
  return {
    collateralMint: Keypair.generate(),
    debtMint: Keypair.generate(),
    oracle: Keypair.generate().publicKey,
  };
}

/**
 * Instructions creating the two classic SPL mints of `keys` (9 and 6 decimals) with `authority` as
 * payer and mint authority; the transaction needs the authority and both mints as signers.
 */
export async function createMarketMintsIxs(
  connection: Connection,
  authority: PublicKey,
  keys: MarketKeys,
): Promise<TransactionInstruction[]> {
  const lamports = await connection.getMinimumBalanceForRentExemption(MINT_SIZE);
  return [
    ...createMintIxs(authority, keys.collateralMint.publicKey, 9, lamports),
    ...createMintIxs(authority, keys.debtMint.publicKey, 6, lamports),
  ];
}

/**
 * Loaders: single accounts by address and every account of a type (optionally of one market)
 * through `getProgramAccounts` with `memcmp` filters on the 8-byte discriminator and the market
 * field, decoded with the fast decoders of `./accounts`. They need only a `Connection`.
 * @module
 */
import BN from "bn.js";
import { utils } from "@coral-xyz/anchor";
import {
  AccountInfo,
  Commitment,
  Connection,
  GetProgramAccountsFilter,
  PublicKey,
  SYSVAR_CLOCK_PUBKEY,
} from "@solana/web3.js";
import {
  AUCTION_LAYOUT,
  AuctionAccount,
  BackstopAccount,
  BackstopDepositorAccount,
  ConfigAccount,
  decodeAuction,
  decodeBackstop,
  decodeBackstopDepositor,
  decodeConfig,
  decodeMarket,
  decodePosition,
  decodeWithdrawalRequest,
  MarketAccount,
  POSITION_LAYOUT,
  PositionAccount,
  WithdrawalRequestAccount,
} from "./accounts";
import { PROGRAM_ID } from "./constants";
import { configPda } from "./pda";
import { IDL } from "./program";

/** Names of Gavel's account types, as in `ACCOUNT_DISCRIMINATORS`. */
export type GavelAccountName = "config" | "market" | "position" | "auction";

function discriminatorOf(name: string): Buffer {
  const a = IDL.accounts.find((x) => x.name.toLowerCase() === name);
  if (!a) throw new Error(`IDL has no account ${name}`);
  return Buffer.from(a.discriminator);
}

/** The 8-byte discriminator that starts each Gavel account type (`sha256("account:<Name>")[..8]`). */
export const ACCOUNT_DISCRIMINATORS: Readonly<Record<GavelAccountName, Buffer>> = Object.freeze({
  config: discriminatorOf("config"),
  market: discriminatorOf("market"),
  position: discriminatorOf("position"),
  auction: discriminatorOf("auction"),
});

/** Byte offset of `Position.market` (right after the discriminator). */
export const POSITION_MARKET_OFFSET = POSITION_LAYOUT.offsets.market;
/** Byte offset of `Position.owner`. */
export const POSITION_OWNER_OFFSET = POSITION_LAYOUT.offsets.owner;
/** Byte offset of `Auction.market` (right after the discriminator). */
export const AUCTION_MARKET_OFFSET = AUCTION_LAYOUT.offsets.market;

/** A decoded program account with its address (the shape of Anchor's `account.x.all()`). */
export interface ProgramAccount<T> {
  /** Address of the account. */
  publicKey: PublicKey;
  /** Decoded data. */
  account: T;
}

/** Where and how to read. */
export interface FetchOptions {
  /** Gavel's program id (default {@link PROGRAM_ID}). */
  programId?: PublicKey;
  /** Commitment of the reads (default: the connection's). */
  commitment?: Commitment;
}

/** The `getProgramAccounts` filter selecting one account type by its discriminator at offset 0. */
export function discriminatorFilter(name: GavelAccountName): GetProgramAccountsFilter {
  return { memcmp: { offset: 0, bytes: utils.bytes.bs58.encode(ACCOUNT_DISCRIMINATORS[name]) } };
}

/** A `getProgramAccounts` filter matching a 32-byte key at `offset`. */
export function pubkeyFilter(offset: number, key: PublicKey): GetProgramAccountsFilter {
  return { memcmp: { offset, bytes: key.toBase58() } };
}

/** Account data when `info` is a live account owned by `programId`, else `null`. */
function ownedData(info: AccountInfo<Buffer> | null, programId: PublicKey): Buffer | null {
  if (!info || !info.owner.equals(programId) || info.data.length === 0) return null;
  return info.data;
}

async function fetchOne<T>(
  connection: Connection,
  address: PublicKey,
  decode: (d: Buffer) => T,
  opts: FetchOptions,
): Promise<T | null> {
  const info = await connection.getAccountInfo(address, opts.commitment);
  const data = ownedData(info, opts.programId ?? PROGRAM_ID);
  return data ? decode(data) : null;
}

async function fetchAll<T>(
  connection: Connection,
  name: GavelAccountName,
  decode: (d: Buffer) => T,
  extra: GetProgramAccountsFilter[],
  opts: FetchOptions,
): Promise<ProgramAccount<T>[]> {
  const found = await connection.getProgramAccounts(opts.programId ?? PROGRAM_ID, {
    commitment: opts.commitment,
    filters: [discriminatorFilter(name), ...extra],
  });
  return found
    .map(({ pubkey, account }) => ({ publicKey: pubkey, account: decode(account.data) }))
    .sort((a, b) => a.publicKey.toBase58().localeCompare(b.publicKey.toBase58()));
}

/** The `Config` account, or `null` before `initialize_config`. */
export function fetchConfig(connection: Connection, opts: FetchOptions = {}): Promise<ConfigAccount | null> {
  return fetchOne(connection, configPda(opts.programId ?? PROGRAM_ID)[0], decodeConfig, opts);
}

/** The market at `address`, or `null` when there is none. */
export function fetchMarket(
  connection: Connection,
  address: PublicKey,
  opts: FetchOptions = {},
): Promise<MarketAccount | null> {
  return fetchOne(connection, address, decodeMarket, opts);
}

/** The position at `address`, or `null` when there is none (never opened, or closed). */
export function fetchPosition(
  connection: Connection,
  address: PublicKey,
  opts: FetchOptions = {},
): Promise<PositionAccount | null> {
  return fetchOne(connection, address, decodePosition, opts);
}

/** The withdrawal request at `address`, or `null` when there is none (claimed or cancelled). */
export function fetchWithdrawalRequest(
  connection: Connection,
  address: PublicKey,
  opts: FetchOptions = {},
): Promise<WithdrawalRequestAccount | null> {
  return fetchOne(connection, address, decodeWithdrawalRequest, opts);
}

/** The backstop pool at `address` (see `backstopAddresses`), or `null` when there is none. */
export function fetchBackstop(
  connection: Connection,
  address: PublicKey,
  opts: FetchOptions = {},
): Promise<BackstopAccount | null> {
  return fetchOne(connection, address, decodeBackstop, opts);
}

/** The backstop depositor account at `address` (see `backstopDepositorPda`), or `null`. */
export function fetchBackstopDepositor(
  connection: Connection,
  address: PublicKey,
  opts: FetchOptions = {},
): Promise<BackstopDepositorAccount | null> {
  return fetchOne(connection, address, decodeBackstopDepositor, opts);
}

/** The auction at `address`, or `null` when there is none (never kicked, or settled). */
export function fetchAuction(
  connection: Connection,
  address: PublicKey,
  opts: FetchOptions = {},
): Promise<AuctionAccount | null> {
  return fetchOne(connection, address, decodeAuction, opts);
}

/** Every market, sorted by address. */
export function fetchMarkets(
  connection: Connection,
  opts: FetchOptions = {},
): Promise<ProgramAccount<MarketAccount>[]> {
  return fetchAll(connection, "market", decodeMarket, [], opts);
}

/** Every position, or those of `market`, sorted by address. */
export function fetchPositions(
  connection: Connection,
  market?: PublicKey,
  opts: FetchOptions = {},
): Promise<ProgramAccount<PositionAccount>[]> {
  const extra = market ? [pubkeyFilter(POSITION_MARKET_OFFSET, market)] : [];
  return fetchAll(connection, "position", decodePosition, extra, opts);
}

/** Every live auction, or those of `market`, sorted by address. */
export function fetchAuctions(
  connection: Connection,
  market?: PublicKey,
  opts: FetchOptions = {},
): Promise<ProgramAccount<AuctionAccount>[]> {
  const extra = market ? [pubkeyFilter(AUCTION_MARKET_OFFSET, market)] : [];
  return fetchAll(connection, "auction", decodeAuction, extra, opts);
}

/** The chain's clock as the program sees it (the `Clock` sysvar). */
export interface ChainClock {
  /** Current slot. */
  slot: BN;
  /** Current unix time (seconds). */
  unixTimestamp: BN;
}

/** Reads the `Clock` sysvar: slot at offset 0, unix timestamp at offset 32. */
export async function fetchClock(connection: Connection, commitment?: Commitment): Promise<ChainClock> {
  const info = await connection.getAccountInfo(SYSVAR_CLOCK_PUBKEY, commitment);
  if (!info || info.data.length < 40) throw new Error("cannot read the Clock sysvar");
  return {
    slot: new BN(info.data.readBigUInt64LE(0).toString()),
    unixTimestamp: new BN(info.data.readBigInt64LE(32).toString()),
  };
}

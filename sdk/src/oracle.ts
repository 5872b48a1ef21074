/**
 * Pyth oracle accounts: writers that build byte-exact price accounts for test chains, and readers
 * that decode them into one common shape.
 *
 * Two layouts, as on chain (`programs/gavel/src/oracle/`):
 * - legacy Pyth v2 price accounts (owned by the Pyth oracle program, identified by address),
 *   decoded with `parsePriceData` from `@pythnetwork/client`;
 * - pull-oracle `PriceUpdateV2` accounts (owned by the Pyth receiver, identified by the feed id
 *   inside), an Anchor/Borsh account decoded here.
 * @module
 */
import BN from "bn.js";
import { PublicKey } from "@solana/web3.js";
import { parsePriceData, PriceStatus } from "@pythnetwork/client";
import { priceFromPyth } from "./math";

/** Mainnet Pyth oracle v2 program, owner of legacy price accounts. */
export const PYTH_LEGACY_PROGRAM_ID = new PublicKey("FsJ3A3u2vn5cTVofAjvy6y5kwABJAqYWpe4975bi2epH");

/** Pyth Solana receiver program, owner of pull-oracle `PriceUpdateV2` accounts. */
export const PYTH_RECEIVER_PROGRAM_ID = new PublicKey("rec5EKMGg6MxZYaMdyBfgwp4d5rB9T1VQH5pJv5LtFJ");

/** Size of a real legacy price account: 240-byte header and aggregate + 32 components × 96 bytes. */
export const PYTH_LEGACY_PRICE_ACCOUNT_SIZE = 3312;

/** Magic number at offset 0 of every legacy Pyth account. */
export const PYTH_LEGACY_MAGIC = 0xa1b2c3d4;

/** Anchor discriminator of `PriceUpdateV2`: `sha256("account:PriceUpdateV2")[..8]`. */
export const PRICE_UPDATE_V2_DISCRIMINATOR: Buffer = Buffer.from([34, 241, 35, 99, 157, 126, 244, 205]);

/** Size the receiver allocates for a `PriceUpdateV2` (room for the 2-byte `Partial` level). */
export const PRICE_UPDATE_V2_LEN = 134;

/** Which Pyth account layout a market's oracle uses (the `u8` stored in the Market account). */
export enum OracleKind {
  /** Legacy Pyth v2 price account, identified by its address. */
  PythLegacy = 0,
  /** Pyth pull-oracle `PriceUpdateV2` account, identified by its feed id. */
  PythPull = 1,
}

/** An integer input: a `BN`, a `bigint` or a safe-integer `number`. */
export type IntLike = BN | bigint | number;

/**
 * A price as Pyth reports it: value = `price × 10^expo` (USD per whole token), ± `conf × 10^expo`.
 * Readers report what the account holds, including non-positive prices; the program refuses those.
 */
export interface OraclePriceData {
  /** Price mantissa (signed). */
  price: BN;
  /** Confidence interval mantissa. */
  conf: BN;
  /** Decimal exponent of `price` and `conf`. */
  expo: number;
  /** Unix time of the price. */
  publishTime: BN;
  /** Legacy: the aggregate's publish slot; pull: the slot the update was posted in. */
  publishSlot: BN;
  /** Legacy: aggregate status is Trading. Pull: always `true` (updates carry no status). */
  trading: boolean;
}

/** Fields of a legacy Pyth v2 price account for {@link encodePythLegacyPrice}. */
export interface PythLegacyPriceInput {
  /** Aggregate price mantissa (i64). */
  price: IntLike;
  /** Aggregate confidence mantissa (u64). */
  conf: IntLike;
  /** Exponent (i32), e.g. -8. */
  expo: number;
  /** Aggregate publish slot (u64); also written as `last_slot`, `valid_slot` and `prev_slot`. */
  publishSlot: IntLike;
  /** Publish time (i64), the account's `timestamp`; also written as `prev_timestamp`. */
  publishTime: IntLike;
  /** Aggregate status (`PriceStatus`), default 1 = Trading. */
  status?: number;
  /** EMA price mantissa, default `price`. */
  emaPrice?: IntLike;
  /** EMA confidence mantissa, default `conf`. */
  emaConf?: IntLike;
}

/** Fields of a pull-oracle `PriceUpdateV2` for {@link encodePriceUpdateV2}. */
export interface PriceUpdateV2Input {
  /** Pyth feed id (32 bytes). */
  feedId: Buffer | Uint8Array;
  /** Price mantissa (i64). */
  price: IntLike;
  /** Confidence mantissa (u64). */
  conf: IntLike;
  /** Exponent (i32). */
  expo: number;
  /** Publish time (i64). */
  publishTime: IntLike;
  /** Previous publish time (i64), default `publishTime`. */
  prevPublishTime?: IntLike;
  /** EMA price mantissa, default `price`. */
  emaPrice?: IntLike;
  /** EMA confidence mantissa, default `conf`. */
  emaConf?: IntLike;
  /** Slot the update was posted in (u64). */
  postedSlot: IntLike;
  /** Key allowed to overwrite the account, default the all-zero key. */
  writeAuthority?: PublicKey;
  /** Wormhole verification level, default `"full"`; `{ partial: n }` = n guardian signatures. */
  verification?: "full" | { partial: number };
}

/** A decoded `PriceUpdateV2`: the common price shape plus its feed id and verification. */
export type PriceUpdateV2Data = OraclePriceData & {
  /** Pyth feed id (32 bytes). */
  feedId: Buffer;
  /** `true` when fully verified (the only level the program accepts). */
  verified: boolean;
};

/**
 * An account ready for a test chain: structurally LiteSVM's `AccountInfoBytes`
 * (`svm.setAccount(pubkey, info)`) and web3.js's `AccountInfo<Uint8Array>`.
 */
export interface PythAccountInfo {
  /** Account data. */
  data: Uint8Array;
  /** The Pyth program that owns this layout. */
  owner: PublicKey;
  /** Balance (rent-exempt minimum by default). */
  lamports: number;
  /** Always `false`. */
  executable: boolean;
}

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const U64_MAX = (1n << 64n) - 1n;

function toBigInt(v: IntLike, what: string): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") {
    if (!Number.isSafeInteger(v)) throw new RangeError(`${what} must be a safe integer, got ${v}`);
    return BigInt(v);
  }
  return BigInt(v.toString(10));
}

function writeI64(buf: Buffer, at: number, v: IntLike, what: string): void {
  const x = toBigInt(v, what);
  if (x < I64_MIN || x > I64_MAX) throw new RangeError(`${what} out of i64 range: ${x}`);
  buf.writeBigInt64LE(x, at);
}

function writeU64(buf: Buffer, at: number, v: IntLike, what: string): void {
  const x = toBigInt(v, what);
  if (x < 0n || x > U64_MAX) throw new RangeError(`${what} out of u64 range: ${x}`);
  buf.writeBigUInt64LE(x, at);
}

function bn(x: bigint): BN {
  return new BN(x.toString(10));
}

/**
 * A full legacy Pyth v2 price account (3312 bytes, no publisher components) holding `p` as its
 * aggregate. `parsePriceData` from `@pythnetwork/client` decodes it to the same price, confidence,
 * exponent, status and publish time, and the program reads it at the same offsets: magic 0,
 * version 4, type 8, size 12, price type 16, exponent 20, last/valid slot 32/40, EMA price 48,
 * EMA confidence 72, timestamp 96, previous slot/price/conf/timestamp 176/184/192/200, aggregate
 * { price, conf, status, corporate action, publish slot } at 208/216/224/228/232.
 */
export function encodePythLegacyPrice(p: PythLegacyPriceInput): Buffer {
  const b = Buffer.alloc(PYTH_LEGACY_PRICE_ACCOUNT_SIZE);
  b.writeUInt32LE(PYTH_LEGACY_MAGIC, 0);
  b.writeUInt32LE(2, 4); // version
  b.writeUInt32LE(3, 8); // account type: price
  b.writeUInt32LE(PYTH_LEGACY_PRICE_ACCOUNT_SIZE, 12);
  b.writeUInt32LE(1, 16); // price type: price
  b.writeInt32LE(p.expo, 20);
  // 24: number of components, 28: number of quoters (both 0).
  writeU64(b, 32, p.publishSlot, "publishSlot"); // last_slot
  writeU64(b, 40, p.publishSlot, "publishSlot"); // valid_slot
  const emaPrice = p.emaPrice ?? p.price;
  const emaConf = p.emaConf ?? p.conf;
  // EMA as { value, numerator, denominator } with numerator = value, denominator = 1.
  writeI64(b, 48, emaPrice, "emaPrice");
  writeI64(b, 56, emaPrice, "emaPrice");
  writeI64(b, 64, 1, "ema denominator");
  // pyth-client stores the EMA confidence in an i64 and reads it back `as u64`: write its bits.
  writeU64(b, 72, emaConf, "emaConf");
  writeU64(b, 80, emaConf, "emaConf");
  writeI64(b, 88, 1, "ema denominator");
  writeI64(b, 96, p.publishTime, "publishTime"); // timestamp
  b.writeUInt8(1, 104); // min_pub
  // 112: product account, 144: next price account (all zero).
  writeU64(b, 176, p.publishSlot, "publishSlot"); // prev_slot
  writeI64(b, 184, p.price, "price"); // prev_price
  writeU64(b, 192, p.conf, "conf"); // prev_conf
  writeI64(b, 200, p.publishTime, "publishTime"); // prev_timestamp
  writeI64(b, 208, p.price, "price");
  writeU64(b, 216, p.conf, "conf");
  b.writeUInt32LE(p.status ?? PriceStatus.Trading, 224);
  b.writeUInt32LE(0, 228); // corporate action: none
  writeU64(b, 232, p.publishSlot, "publishSlot");
  return b;
}

/**
 * A `PriceUpdateV2` account (134 bytes, as the receiver allocates it): discriminator (8) ‖
 * write_authority (32) ‖ verification level (`Partial { num_signatures }` = tag 0 + u8, `Full` =
 * tag 1) ‖ price message { feed_id, price, conf, exponent, publish_time, prev_publish_time,
 * ema_price, ema_conf } ‖ posted_slot; zero padding after a `Full` update.
 */
export function encodePriceUpdateV2(p: PriceUpdateV2Input): Buffer {
  if (p.feedId.length !== 32) throw new RangeError(`feedId must be 32 bytes, got ${p.feedId.length}`);
  const b = Buffer.alloc(PRICE_UPDATE_V2_LEN);
  PRICE_UPDATE_V2_DISCRIMINATOR.copy(b, 0);
  (p.writeAuthority ?? PublicKey.default).toBuffer().copy(b, 8);
  let o = 40;
  const v = p.verification ?? "full";
  if (v === "full") {
    b.writeUInt8(1, o);
    o += 1;
  } else {
    b.writeUInt8(0, o);
    b.writeUInt8(v.partial, o + 1);
    o += 2;
  }
  Buffer.from(p.feedId).copy(b, o);
  writeI64(b, o + 32, p.price, "price");
  writeU64(b, o + 40, p.conf, "conf");
  b.writeInt32LE(p.expo, o + 48);
  writeI64(b, o + 52, p.publishTime, "publishTime");
  writeI64(b, o + 60, p.prevPublishTime ?? p.publishTime, "prevPublishTime");
  writeI64(b, o + 68, p.emaPrice ?? p.price, "emaPrice");
  writeU64(b, o + 76, p.emaConf ?? p.conf, "emaConf");
  writeU64(b, o + 84, p.postedSlot, "postedSlot");
  return b;
}

/**
 * Decodes a legacy Pyth v2 price account with `parsePriceData` and maps its aggregate to
 * {@link OraclePriceData} (`publishTime` = the account's `timestamp`). `publishSlot` is read as an
 * exact u64 (`parsePriceData` converts it to a `number`). Throws unless the data is a price
 * account (magic, version 2, type 3).
 */
export function readPythLegacy(data: Buffer | Uint8Array): OraclePriceData {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length < 240) throw new Error(`legacy Pyth price account too short: ${buf.length} bytes`);
  const magic = buf.readUInt32LE(0);
  const version = buf.readUInt32LE(4);
  const type = buf.readUInt32LE(8);
  if (magic !== PYTH_LEGACY_MAGIC || version !== 2 || type !== 3) {
    throw new Error(`not a legacy Pyth v2 price account (magic ${magic}, version ${version}, type ${type})`);
  }
  const parsed = parsePriceData(buf);
  return {
    price: bn(parsed.aggregate.priceComponent),
    conf: bn(parsed.aggregate.confidenceComponent),
    expo: parsed.exponent,
    publishTime: bn(parsed.timestamp),
    publishSlot: bn(buf.readBigUInt64LE(232)),
    trading: parsed.aggregate.status === PriceStatus.Trading,
  };
}

/**
 * Decodes a `PriceUpdateV2` account. Throws on a wrong discriminator, an unknown verification
 * tag or short data; a partially verified update decodes with `verified: false`.
 */
export function readPriceUpdateV2(data: Buffer | Uint8Array): PriceUpdateV2Data {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length < 41 || !buf.subarray(0, 8).equals(PRICE_UPDATE_V2_DISCRIMINATOR)) {
    throw new Error("not a PriceUpdateV2 account");
  }
  const tag = buf.readUInt8(40);
  if (tag > 1) throw new Error(`unknown PriceUpdateV2 verification level ${tag}`);
  const o = tag === 1 ? 41 : 42;
  if (buf.length < o + 92) throw new Error(`PriceUpdateV2 too short: ${buf.length} bytes`);
  return {
    feedId: Buffer.from(buf.subarray(o, o + 32)),
    verified: tag === 1,
    price: bn(buf.readBigInt64LE(o + 32)),
    conf: bn(buf.readBigUInt64LE(o + 40)),
    expo: buf.readInt32LE(o + 48),
    publishTime: bn(buf.readBigInt64LE(o + 52)),
    publishSlot: bn(buf.readBigUInt64LE(o + 84)),
    trading: true,
  };
}

/** Rent-exempt minimum for `len` bytes at the default rent (3480 lamports/byte-year × 2 years). */
export function rentExemptLamports(len: number): number {
  return (128 + len) * 3480 * 2;
}

/**
 * An oracle account for a test chain's `setAccount` (LiteSVM, Surfpool): `data` (copied) owned by
 * the Pyth program of `kind` (legacy oracle or receiver), with `lamports` (default the rent-exempt
 * minimum). Throws on an unknown kind.
 */
export function pythAccountInfo(
  kind: OracleKind,
  data: Buffer | Uint8Array,
  lamports?: number,
): PythAccountInfo {
  if (kind !== OracleKind.PythLegacy && kind !== OracleKind.PythPull) {
    throw new RangeError(`unknown oracle kind ${kind}`);
  }
  return {
    data: Uint8Array.from(data),
    owner: kind === OracleKind.PythLegacy ? PYTH_LEGACY_PROGRAM_ID : PYTH_RECEIVER_PROGRAM_ID,
    lamports: lamports ?? rentExemptLamports(data.length),
    executable: false,
  };
}

/** Decodes an oracle account of `kind` (legacy price account or `PriceUpdateV2`). */
export function readOracle(kind: number, data: Buffer | Uint8Array): OraclePriceData {
  return kind === OracleKind.PythPull ? readPriceUpdateV2(data) : readPythLegacy(data);
}

/**
 * A market's price (PRICE_SCALE, the program's `mid`: the oracle prices themselves, rounded down)
 * from the data of its oracle accounts, collateral first, then the debt oracle when the market has
 * one — what `kick` and anchored takes compute on chain. Applies none of the program's guards
 * (age, confidence, status); null when a price is not positive or out of range.
 */
export function marketOraclePrice(
  market: {
    collateralDecimals: number;
    debtDecimals: number;
    params: { collateralOracleKind: number; debtOracleKind: number; debtOracle: PublicKey };
  },
  oracleData: (Buffer | Uint8Array)[],
): BN | null {
  const p = market.params;
  const coll = readOracle(p.collateralOracleKind, oracleData[0]);
  const hasDebt = !p.debtOracle.equals(PublicKey.default);
  const debt = hasDebt ? readOracle(p.debtOracleKind, oracleData[1]) : null;
  if (coll.price.lten(0) || (debt && debt.price.lten(0))) return null;
  return priceFromPyth({
    collPrice: coll.price,
    collExpo: coll.expo,
    debtPrice: debt ? debt.price : new BN(1),
    debtExpo: debt ? debt.expo : 0,
    collDecimals: market.collateralDecimals,
    debtDecimals: market.debtDecimals,
  });
}

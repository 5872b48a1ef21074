/**
 * The bidder's in-memory index: watched markets with their oracle prices, positions and live
 * auctions, fed by websocket notifications and periodic getProgramAccounts resyncs. Every entry
 * remembers the slot it was seen at, so an older resync never overwrites a newer notification.
 * @module
 */
import BN from "bn.js";
import { PublicKey } from "@solana/web3.js";
import {
  AUCTION_LAYOUT,
  AuctionAccount,
  decodeAuction,
  decodeMarket,
  IDL,
  MarketAccount,
  OracleKind,
  OraclePriceData,
  POSITION_LAYOUT,
  priceFromPyth,
  readPriceUpdateV2,
  readPythLegacy,
} from "../../sdk/src";

const disc = (name: string): Buffer => Buffer.from(IDL.accounts.find((a) => a.name === name)!.discriminator);

/** Account discriminators (first 8 bytes). */
export const DISCRIMINATORS = {
  market: disc("Market"),
  position: disc("Position"),
  auction: disc("Auction"),
  config: disc("Config"),
};

/** Discriminator of a market's `Backstop` (the absorb keeper follows it through its `market` field). */
export const BACKSTOP_DISCRIMINATOR = disc("Backstop");

/** The kind of a Gavel account from its first 8 bytes. */
export function accountKind(data: Buffer): "market" | "position" | "auction" | "config" | null {
  if (data.length < 8) return null;
  for (const [kind, d] of Object.entries(DISCRIMINATORS)) {
    if (data.compare(d, 0, 8, 0, 8) === 0) return kind as keyof typeof DISCRIMINATORS;
  }
  return null;
}

/** What the bot keeps of a position (compact: an index may hold 100k+ of them). */
export interface PositionEntry {
  /**
   * Owner's 32 address bytes as a latin1 string (~60 bytes of heap, against ~230 for a
   * `PublicKey` and ~240 for a small `Uint8Array`); see {@link positionOwner}.
   */
  owner: string;
  ink: BN;
  art: BN;
  /** Live auctions of the position. */
  auctions: number;
  /**
   * Rewards its settled auctions paid beyond the penalty they collected, which lower its next
   * kick's reward (the program's `Position.unearned_rewards`); absent when 0, as it nearly always is.
   */
  unearnedRewards?: BN;
  slot: number;
}

/** Byte offsets of `Position`'s fields (the SDK's generated layout). */
const AT = POSITION_LAYOUT.offsets;
/** Size of a `Position` account. */
export const POSITION_LEN = POSITION_LAYOUT.len;

function u64At(data: Buffer, offset: number): BN {
  return new BN(data.subarray(offset, offset + 8), "le");
}

/**
 * Decodes a `Position` at fixed offsets (the Borsh layout has no variable fields); equal to the
 * SDK's `decodePosition` (tests check it) but fast enough for 100k-position resyncs.
 */
export function decodePositionFast(data: Buffer): {
  market: PublicKey;
  owner: PublicKey;
  ink: BN;
  art: BN;
  auctions: BN;
  unearnedRewards: BN;
} {
  if (data.length < POSITION_LEN || accountKind(data) !== "position") {
    throw new Error("not a Position account");
  }
  return {
    market: new PublicKey(data.subarray(AT.market, AT.market + 32)),
    owner: new PublicKey(data.subarray(AT.owner, AT.owner + 32)),
    ink: u64At(data, AT.ink),
    art: u64At(data, AT.art),
    auctions: u64At(data, AT.auctions),
    unearnedRewards: u64At(data, AT.unearnedRewards),
  };
}

/** The owner of an indexed position. */
export function positionOwner(p: PositionEntry): PublicKey {
  return new PublicKey(Buffer.from(p.owner, "latin1"));
}

/**
 * A flat copy of a string. Base58 encoders build addresses by concatenation, and V8 keeps such a
 * string as a tree of pieces (~1 KB for 44 characters) until something flattens it; index keys
 * live long, so they are stored flat (~70 bytes).
 */
export function flat(s: string): string {
  return Buffer.from(s, "latin1").toString("latin1");
}

/** An auction and the slot it was seen at. */
export interface AuctionEntry {
  account: AuctionAccount;
  slot: number;
}

/** A decoded oracle and when the bot received it. */
export interface OracleEntry {
  data: OraclePriceData;
  /** `Date.now()` at receipt. */
  receivedAt: number;
  slot: number;
}

/** One watched market. */
export class MarketState {
  readonly key: string;
  account: MarketAccount;
  slot: number;
  readonly positions = new Map<string, PositionEntry>();
  readonly auctions = new Map<string, AuctionEntry>();
  collOracle: OracleEntry | null = null;
  debtOracle: OracleEntry | null = null;

  constructor(
    readonly address: PublicKey,
    account: MarketAccount,
    slot: number,
  ) {
    this.key = address.toBase58();
    this.account = account;
    this.slot = slot;
  }

  /** The market has a debt oracle (else the debt token is worth 1 USD). */
  get hasDebtOracle(): boolean {
    return !this.account.params.debtOracle.equals(PublicKey.default);
  }

  /** Oracle accounts in the order the program wants them (collateral, then debt). */
  oracleAccounts(): PublicKey[] {
    const p = this.account.params;
    return this.hasDebtOracle ? [p.collateralOracle, p.debtOracle] : [p.collateralOracle];
  }

  /** The market's mints and oracles, as the bot's instructions on it name them. */
  ixAccounts(): { collateralMint: PublicKey; debtMint: PublicKey; oracles: PublicKey[] } {
    const { collateralMint, debtMint } = this.account;
    return { collateralMint, debtMint, oracles: this.oracleAccounts() };
  }

  /** Decodes an oracle account of this market (`which` = collateral or debt). */
  setOracle(which: "coll" | "debt", data: Buffer, slot: number, receivedAt = Date.now()): void {
    const kind =
      which === "coll" ? this.account.params.collateralOracleKind : this.account.params.debtOracleKind;
    const decoded = kind === OracleKind.PythPull ? readPriceUpdateV2(data) : readPythLegacy(data);
    const entry = { data: decoded, receivedAt, slot };
    if (which === "coll") this.collOracle = entry;
    else this.debtOracle = entry;
  }

  /**
   * The oracle mid price on PRICE_SCALE (debt base units per collateral base unit), as the
   * program computes `prices.mid`; null without a usable price.
   */
  price(): BN | null {
    const c = this.collOracle?.data;
    if (!c || !c.trading || c.price.lten(0)) return null;
    let debtPrice = new BN(1);
    let debtExpo = 0;
    if (this.hasDebtOracle) {
      const d = this.debtOracle?.data;
      if (!d || !d.trading || d.price.lten(0)) return null;
      debtPrice = d.price;
      debtExpo = d.expo;
    }
    return priceFromPyth({
      collPrice: c.price,
      collExpo: c.expo,
      debtPrice,
      debtExpo,
      collDecimals: this.account.collateralDecimals,
      debtDecimals: this.account.debtDecimals,
    });
  }

  /** Age of the oldest oracle price at `nowSecs` (Infinity without one). */
  oracleAge(nowSecs: number): number {
    const times = [this.collOracle?.data.publishTime];
    if (this.hasDebtOracle) times.push(this.debtOracle?.data.publishTime);
    let oldest = Infinity;
    for (const t of times) {
      if (!t) return Infinity;
      oldest = Math.min(oldest, t.toNumber());
    }
    return nowSecs - oldest;
  }

  /** Whether the program's freshness and confidence checks would pass at `nowSecs`. */
  oracleUsableOnChain(nowSecs: number): boolean {
    const p = this.account.params;
    if (this.oracleAge(nowSecs) > p.maxAgeSecs.toNumber()) return false;
    const c = this.collOracle!.data;
    // conf × BPS ≤ price × maxConfBps
    return c.conf.muln(10_000).lte(c.price.muln(p.maxConfBps));
  }
}

/** What changed in the index after applying an account. */
export type Applied =
  | { kind: "market"; market: MarketState }
  | { kind: "position"; market: MarketState; key: string }
  | { kind: "auction"; market: MarketState; key: string; isNew: boolean }
  /** A closed auction names its position (the settlement wrote it). */
  | { kind: "closed"; market: MarketState; key: string; was: "auction"; position: string }
  | { kind: "closed"; market: MarketState; key: string; was: "position" }
  | { kind: "ignored" };

/** See the module doc. */
export class BidderIndex {
  readonly markets = new Map<string, MarketState>();
  /** Oracle address → markets reading it, and as which oracle. */
  readonly oracles = new Map<string, { market: MarketState; which: "coll" | "debt" }[]>();

  /** Adds or updates a market (and its oracle routing). */
  upsertMarket(address: PublicKey, data: Buffer, slot: number): MarketState {
    const key = address.toBase58();
    const account = decodeMarket(data);
    let m = this.markets.get(key);
    if (m) {
      if (slot < m.slot) return m;
      m.account = account;
      m.slot = slot;
    } else {
      m = new MarketState(address, account, slot);
      this.markets.set(key, m);
    }
    this.routeOracles();
    return m;
  }

  private routeOracles(): void {
    this.oracles.clear();
    for (const m of this.markets.values()) {
      const add = (k: PublicKey, which: "coll" | "debt"): void => {
        const list = this.oracles.get(k.toBase58()) ?? [];
        list.push({ market: m, which });
        this.oracles.set(k.toBase58(), list);
      };
      add(m.account.params.collateralOracle, "coll");
      if (m.hasDebtOracle) add(m.account.params.debtOracle, "debt");
    }
  }

  /** Applies a Gavel program account (notification or resync). */
  applyProgramAccount(pubkey: string, data: Buffer, slot: number): Applied {
    const kind = accountKind(data);
    if (kind === "market") {
      const m = this.markets.get(pubkey);
      return m ? { kind: "market", market: this.upsertMarket(m.address, data, slot) } : { kind: "ignored" };
    }
    if (kind === "position") {
      const m = this.markets.get(new PublicKey(data.subarray(AT.market, AT.market + 32)).toBase58());
      if (!m) return { kind: "ignored" };
      const old = m.positions.get(pubkey);
      if (old && slot < old.slot) return { kind: "ignored" };
      if (data.length < POSITION_LEN) return { kind: "ignored" };
      const unearned = u64At(data, AT.unearnedRewards);
      m.positions.set(old ? pubkey : flat(pubkey), {
        owner: data.toString("latin1", AT.owner, AT.owner + 32),
        ink: u64At(data, AT.ink),
        art: u64At(data, AT.art),
        auctions: Number(data.readBigUInt64LE(AT.auctions)),
        ...(unearned.isZero() ? {} : { unearnedRewards: unearned }),
        slot,
      });
      return { kind: "position", market: m, key: pubkey };
    }
    if (kind === "auction") {
      const at = AUCTION_LAYOUT.offsets.market;
      const m = this.markets.get(new PublicKey(data.subarray(at, at + 32)).toBase58());
      if (!m) return { kind: "ignored" };
      const old = m.auctions.get(pubkey);
      if (old && slot < old.slot) return { kind: "ignored" };
      m.auctions.set(pubkey, { account: decodeAuction(data), slot });
      return { kind: "auction", market: m, key: pubkey, isNew: !old };
    }
    if (data.length === 0 || data.every((b) => b === 0)) return this.remove(pubkey, slot);
    return { kind: "ignored" };
  }

  /** Forgets a closed auction or position (unless a newer version is known). */
  remove(pubkey: string, slot: number): Applied {
    for (const m of this.markets.values()) {
      const a = m.auctions.get(pubkey);
      if (a && a.slot <= slot) {
        m.auctions.delete(pubkey);
        return {
          kind: "closed",
          market: m,
          key: pubkey,
          was: "auction",
          position: a.account.position.toBase58(),
        };
      }
      const p = m.positions.get(pubkey);
      if (p && p.slot <= slot) {
        m.positions.delete(pubkey);
        return { kind: "closed", market: m, key: pubkey, was: "position" };
      }
    }
    return { kind: "ignored" };
  }

  /**
   * Replaces a market's positions and auctions with a resync snapshot taken at `slot`: entries
   * missing from it are dropped unless seen after `slot`. Returns the auctions that disappeared.
   */
  resync(
    market: MarketState,
    positions: { pubkey: string; data: Buffer }[],
    auctions: { pubkey: string; data: Buffer }[],
    slot: number,
  ): { closedAuctions: string[] } {
    const seenPositions = new Set<string>();
    for (const p of positions) {
      seenPositions.add(p.pubkey);
      this.applyProgramAccount(p.pubkey, p.data, slot);
    }
    for (const [k, e] of market.positions) {
      if (!seenPositions.has(k) && e.slot <= slot) market.positions.delete(k);
    }
    const seenAuctions = new Set<string>();
    for (const a of auctions) {
      seenAuctions.add(a.pubkey);
      this.applyProgramAccount(a.pubkey, a.data, slot);
    }
    const closedAuctions: string[] = [];
    for (const [k, e] of market.auctions) {
      if (!seenAuctions.has(k) && e.slot <= slot) {
        market.auctions.delete(k);
        closedAuctions.push(k);
      }
    }
    return { closedAuctions };
  }

  /** Total positions indexed. */
  positionCount(): number {
    let n = 0;
    for (const m of this.markets.values()) n += m.positions.size;
    return n;
  }

  /** Total live auctions indexed. */
  auctionCount(): number {
    let n = 0;
    for (const m of this.markets.values()) n += m.auctions.size;
    return n;
  }
}

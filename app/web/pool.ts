/**
 * The dashboard's view of each market's backstop pool: reads the `Backstop` accounts, values the
 * basket at the oracle with the SDK's exact math (debt tokens + `valueFloor(collateral, price)`),
 * counts absorbs from `AuctionAbsorbed` events, and keeps a sampled history of the pool's size and
 * share value (a point every `sampleSecs` of chain time, and whenever the pool changes).
 */
import BN from "bn.js";
import { Connection, PublicKey } from "@solana/web3.js";
import {
  backstopAddresses,
  BackstopAccount,
  decodeBackstop,
  GavelEvent,
  MarketAccount,
  PROGRAM_ID,
  valueFloor,
} from "../../sdk/src";
import { BackstopView, PoolPoint } from "./src/model";

/** Samples kept per pool. */
const MAX_POINTS = 500;

const num = (x: BN): number => Number(x.toString());
const human = (x: BN, decimals: number): number => num(x) / 10 ** decimals;

interface Absorbed {
  absorbs: number;
  collateral: BN;
}

export class PoolTracker {
  private pools = new Map<string, { address: PublicKey; account: BackstopAccount }>();
  private readonly absorbed = new Map<string, Absorbed>();
  private readonly history = new Map<string, PoolPoint[]>();

  constructor(
    /** Chain seconds between history samples (a change of the pool always adds one). */
    readonly sampleSecs = 60,
    readonly programId: PublicKey = PROGRAM_ID,
  ) {}

  /** Reads the backstop of every market in `markets` (by market address). */
  async refresh(connection: Connection, markets: PublicKey[]): Promise<void> {
    const addresses = markets.map((m) => backstopAddresses(m, this.programId).backstop);
    const infos = addresses.length ? await connection.getMultipleAccountsInfo(addresses) : [];
    const next = new Map<string, { address: PublicKey; account: BackstopAccount }>();
    infos.forEach((info, i) => {
      if (info && info.data.length > 0 && info.owner.equals(this.programId))
        next.set(markets[i].toBase58(), { address: addresses[i], account: decodeBackstop(info.data) });
    });
    this.pools = next;
  }

  /** Counts an `AuctionAbsorbed` event (each event once: the caller deduplicates). */
  ingest(e: GavelEvent): void {
    if (e.name !== "auctionAbsorbed") return;
    const market = e.data.market.toBase58();
    const a = this.absorbed.get(market) ?? { absorbs: 0, collateral: new BN(0) };
    a.absorbs++;
    a.collateral = a.collateral.add(e.data.collateral);
    this.absorbed.set(market, a);
  }

  /**
   * The pool of `market` (null when it has none) at the oracle `price` (PRICE_SCALE; null when
   * unknown), sampled into its history at chain time `now`.
   */
  view(market: PublicKey, m: MarketAccount, price: BN | null, now: number): BackstopView | null {
    const key = market.toBase58();
    const pool = this.pools.get(key);
    if (!pool) return null;
    const b = pool.account;
    const dd = m.debtDecimals;
    const value = price ? valueFloor(b.collateral, price) : null;
    const size = value ? b.debt.add(value) : null;
    const shareValue = size && !b.totalShares.isZero() ? num(size) / num(b.totalShares) : null;
    const point: PoolPoint = { t: now, size: size ? human(size, dd) : NaN, shareValue };
    const points = this.history.get(key) ?? [];
    const last = points[points.length - 1];
    const changed = !last || last.size !== point.size || last.shareValue !== point.shareValue;
    // A change is a new point even within the same chain second (a step: before and after).
    if (size && (changed || now >= last.t + this.sampleSecs)) points.push(point);
    this.history.set(key, points.slice(-MAX_POINTS));
    const absorbed = this.absorbed.get(key);
    return {
      address: pool.address.toBase58(),
      debt: human(b.debt, dd),
      collateral: human(b.collateral, m.collateralDecimals),
      collateralValue: value ? human(value, dd) : null,
      size: size ? human(size, dd) : null,
      totalShares: human(b.totalShares, dd),
      shareValue,
      warming: human(b.warming, dd),
      fundingDue: human(m.backstopDue, dd),
      absorbs: absorbed?.absorbs ?? 0,
      absorbedCollateral: absorbed ? human(absorbed.collateral, m.collateralDecimals) : 0,
      history: this.history.get(key)!,
    };
  }
}

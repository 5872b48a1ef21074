/**
 * Partial kick sizing of Gavel (liquidation engine v2), an exact mirror of
 * `programs/gavel/src/math/partial.rs` (Rust): the debt and collateral a kick moves so that the
 * position returns to the market's target LTV, or the whole position. The kick then applies its
 * hole and dust rules to the result. Checked against the golden vectors in
 * `tests/vectors/partial.json`. u64 arguments are `BN`s; arguments outside u64 throw a `RangeError`.
 * @module
 */
import BN from "bn.js";
import { BPS, PRICE_SCALE, RATE_SCALE } from "./math";

const U64_MAX = new BN(1).shln(64).subn(1);

const fits = (x: BN): boolean => !x.isNeg() && x.lte(U64_MAX);
const ceilDiv = (a: BN, b: BN): BN => {
  const { div, mod } = a.divmod(b);
  return mod.isZero() ? div : div.addn(1);
};

/** Input of {@link partialKick}: the program's `PartialInput` (all u64). */
export interface PartialInput {
  ink: BN;
  art: BN;
  /** The market's borrow index, accrued to now (RATE_SCALE). */
  rate: BN;
  /** Oracle price (PRICE_SCALE). */
  price: BN;
  /** The position's debt, `ceil(art × rate / RATE_SCALE)`. */
  debt: BN;
  /** The collateral's value, `floor(ink × price / PRICE_SCALE)`. */
  value: BN;
  /** `kickTargetLtvBps`; 0 = whole positions. */
  targetLtvBps: BN;
  /** `kickFullLtvBps`. */
  fullLtvBps: BN;
  chopBps: BN;
  /** The auction's largest discount from health (no lot bound). */
  discountBps: BN;
  dust: BN;
}

/** What a kick moves before the hole and dust rules (the whole position: `art`, `ink`, `debt` themselves). */
export interface PartialSize {
  art: BN;
  ink: BN;
  /** Debt moved, `ceil(art × rate / RATE_SCALE)`. */
  debt: BN;
  /** Its tab, `ceil(debt × (BPS + chop) / BPS)` (0 when that exceeds u64). */
  tab: BN;
}

/**
 * The normalized debt and collateral a kick moves, exactly as the program sizes them:
 *
 * ```text
 * whole unless: target > 0, value > 0, debt × BPS < full × value, debt > floor(value × target / BPS),
 *               d < BPS and den = (BPS − d) × BPS − target × (BPS + chop) > 0
 * x = max(ceil((debt − floor(value × target / BPS)) × (BPS − d) × BPS / den), dust)
 * dart = ceil(x × RATE_SCALE / rate)                         whole if dart ≥ art
 * whole if ceil((art − dart) × rate / RATE_SCALE) < dust
 * auctionDebt = ceil(dart × rate / RATE_SCALE); tab = ceil(auctionDebt × (BPS + chop) / BPS)
 * dink = ceil(ceil(tab × PRICE_SCALE / price) × BPS / (BPS − d))   whole if dink ≥ ink
 * ```
 */
export function partialKick(i: PartialInput): PartialSize {
  for (const [k, v] of Object.entries(i)) {
    if (!BN.isBN(v) || !fits(v)) throw new RangeError(`${k} must be a u64 BN, got ${String(v)}`);
  }
  const wholeTab = ceilDiv(i.debt.mul(BPS.add(i.chopBps)), BPS);
  const whole = {
    art: i.art.clone(),
    ink: i.ink.clone(),
    debt: i.debt.clone(),
    tab: fits(BPS.add(i.chopBps)) && fits(wholeTab) ? wholeTab : new BN(0),
  };
  const { debt, value } = i;
  if (i.targetLtvBps.isZero() || value.isZero()) return whole;
  if (debt.mul(BPS).gte(i.fullLtvBps.mul(value))) return whole;
  const targetDebt = value.mul(i.targetLtvBps).div(BPS);
  if (debt.lte(targetDebt) || i.discountBps.gte(BPS)) return whole;
  const keep = BPS.sub(i.discountBps);
  const penalized = BPS.add(i.chopBps);
  if (!fits(penalized) || !fits(i.targetLtvBps.mul(penalized))) return whole;
  const den = keep.mul(BPS).sub(i.targetLtvBps.mul(penalized));
  if (den.lten(0) || i.rate.isZero()) return whole;
  const x = BN.max(ceilDiv(debt.sub(targetDebt).mul(keep).mul(BPS), den), i.dust);
  const dart = ceilDiv(x.mul(RATE_SCALE), i.rate);
  if (!fits(x) || !fits(dart) || dart.gte(i.art)) return whole;
  if (ceilDiv(i.art.sub(dart).mul(i.rate), RATE_SCALE).lt(i.dust)) return whole;
  const auctionDebt = ceilDiv(dart.mul(i.rate), RATE_SCALE);
  const tab = ceilDiv(auctionDebt.mul(penalized), BPS);
  const atPrice = ceilDiv(tab.mul(PRICE_SCALE), i.price);
  const dink = ceilDiv(atPrice.mul(BPS), keep);
  if (!fits(tab) || !fits(atPrice) || !fits(dink) || dink.gte(i.ink)) return whole;
  return { art: dart, ink: dink, debt: auctionDebt, tab };
}

/**
 * Pure decision of the bidder's second venue (issue 19): whether to buy the backstop pool's
 * collateral with `buy_from_backstop` at oracle × (1 − `buy_discount_bps`), sized and priced with
 * the SDK's exact mirrors (`buyPrice`, `buyOwe`) and judged under the same cost model as a take
 * (`decide.ts`: the collateral valued at the strategy's value price, the bot's margin, the
 * transaction fee and its priority-fee bid). No I/O.
 * @module
 */
import BN from "bn.js";
import { buyOwe, buyPrice, mulDivFloor, PRICE_SCALE, valueFloor } from "../../sdk/src";
import { feeBid, FeeBid, FeePolicy, takeLimitPrice } from "./decide";

/** Backstop fields a purchase reads (a decoded `Backstop` fits). */
export interface BuyPool {
  /** Collateral the pool holds. */
  collateral: BN;
  params: { buyDiscountBps: number };
}

/** Everything {@link decideBackstopBuy} needs. */
export interface BuyInputs {
  pool: BuyPool;
  /** The market's oracle mid price (PRICE_SCALE) the purchase will carry. */
  oracleMid: BN;
  /** What one collateral base unit is worth to the bot (PRICE_SCALE), after slippage/fees. */
  valuePrice: BN;
  minProfitBps: number;
  /** Debt tokens the bot can pay with. */
  budget: BN;
  /** Most collateral the bot wants (e.g. venue depth), null for no cap. */
  cap?: BN | null;
  fees: FeePolicy;
  cuLimit: number;
  signatures: number;
}

/** The outcome of {@link decideBackstopBuy}. */
export type BuyDecision =
  | {
      action: "buy";
      /** The program's price now, and the bot's limit (sent as `max_price`). */
      price: BN;
      limit: BN;
      /** Sent as `max_collateral`. */
      collateral: BN;
      /** Debt tokens the purchase costs (`buyOwe`). */
      owe: BN;
      /** Collateral value − owe, before fees (debt units). */
      grossProfit: BN;
      fee: FeeBid;
    }
  | { action: "skip"; reason: string; price?: BN; limit?: BN };

/**
 * Buy when the pool holds collateral, its price `ceil(oracle × (1 − discount))` is at most the
 * bot's limit (value × (1 − margin)), the budget pays for at least one base unit, and the profit
 * `floor(collateral × value) − ceil(collateral × price)` stays positive after the fee. The size is
 * the pool's collateral, capped by `cap` and by what the budget pays for
 * (`floor(budget × PRICE_SCALE / price)`, whose cost rounded up never exceeds the budget).
 */
export function decideBackstopBuy(i: BuyInputs): BuyDecision {
  if (i.pool.collateral.isZero()) return { action: "skip", reason: "pool_empty" };
  const price = buyPrice(i.oracleMid, new BN(i.pool.params.buyDiscountBps));
  if (price === null || price.isZero()) return { action: "skip", reason: "overflow" };
  const limit = takeLimitPrice(i.valuePrice, i.minProfitBps);
  if (price.gt(limit)) return { action: "skip", reason: "price_above_limit", price, limit };
  const affordable = mulDivFloor(i.budget, PRICE_SCALE, price);
  if (affordable === null) return { action: "skip", reason: "overflow", price, limit };
  let collateral = BN.min(i.pool.collateral, affordable);
  if (i.cap) collateral = BN.min(collateral, i.cap);
  if (collateral.isZero()) return { action: "skip", reason: "no_inventory", price, limit };
  const owe = buyOwe(collateral, price);
  const value = valueFloor(collateral, i.valuePrice);
  if (owe === null || value === null) return { action: "skip", reason: "overflow", price, limit };
  if (owe.isZero()) return { action: "skip", reason: "too_small", price, limit };
  const grossProfit = value.sub(owe);
  const fee = feeBid(grossProfit, i.cuLimit, i.signatures, i.fees);
  if (fee.netProfit.lten(0)) return { action: "skip", reason: "unprofitable_after_fees", price, limit };
  return { action: "buy", price, limit, collateral, owe, grossProfit, fee };
}

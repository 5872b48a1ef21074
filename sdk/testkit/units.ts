/** Token amounts and prices in base units: the collateral ("SOL", 9 decimals) and the debt ("USDC", 6 decimals). */
import BN from "bn.js";
import { PRICE_SCALE, priceFromPyth } from "../src";

/** `n` whole collateral tokens (9 decimals) in base units. */
export const SOL = (n: number): BN => new BN(Math.round(n * 1e9));
/** `n` whole debt tokens (6 decimals) in base units. */
export const USDC = (n: number): BN => new BN(Math.round(n * 1e6));

/** The largest u64 (2^64 − 1): "no limit" for a take's collateral or price, and the amounts at the limit. */
export const U64_MAX = new BN("18446744073709551615");

/** The oracle price on PRICE_SCALE for `usd` per whole collateral token (9 and 6 decimals). */
export function priceOf(usd: number): BN {
  return new BN(Math.round(usd * 1e8)).mul(PRICE_SCALE).div(new BN(10).pow(new BN(11)));
}

/**
 * The price on PRICE_SCALE the program derives (SDK mirror `priceFromPyth`) from a legacy Pyth
 * price of `usd` per whole collateral token (expo −8, 9 and 6 decimals, no debt oracle), taken at
 * its low side `price − conf` for a confidence of `confBps` of the price (0: the mid price).
 */
export function programPrice(usd: number, confBps = 0): BN {
  const price = new BN(Math.round(usd * 1e8));
  return priceFromPyth({
    collPrice: price.sub(price.muln(confBps).divn(10_000)),
    collExpo: -8,
    debtPrice: new BN(1),
    debtExpo: 0,
    collDecimals: 9,
    debtDecimals: 6,
  })!;
}

/** Token amounts in base units: the collateral ("SOL", 9 decimals) and the debt ("USDC", 6 decimals). */
import BN from "bn.js";

/** `n` whole collateral tokens (9 decimals) in base units. */
export const SOL = (n: number): BN => new BN(Math.round(n * 1e9));
/** `n` whole debt tokens (6 decimals) in base units. */
export const USDC = (n: number): BN => new BN(Math.round(n * 1e6));

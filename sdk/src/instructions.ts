/**
 * Instruction builders: each returns a `TransactionInstruction` and sends nothing. Every
 * `<instruction>Ix` is generated (`./generated/instructions`) from the program's instruction table,
 * `programs/gavel/instructions.js`: it takes the accounts a caller gives and derives the PDAs from
 * their seeds; `tests/05_lending.spec.ts` checks each builder against Anchor's
 * `program.methods.<ix>().accountsStrict()`. Here: the shapes callers pass them and the helpers
 * built on them.
 * @module
 */
import BN from "bn.js";
import { PublicKey, TransactionInstruction } from "@solana/web3.js";
import { PROGRAM_ID } from "./constants";
import { TakeLimits, takeBeginIx, takeEndIx } from "./generated/instructions";

export * from "./generated/instructions";

/** A market's identity: its mints (everything else derives from them). */
export interface MarketRef {
  collateralMint: PublicKey;
  debtMint: PublicKey;
}

/** Accounts of the LP instructions. */
export interface LiquidityAccounts extends MarketRef {
  lp: PublicKey;
  /** LP's debt-token account. */
  lpDebtAccount: PublicKey;
  /** LP's share-token account. */
  lpShareAccount: PublicKey;
}

/** Oracle accounts of a market: collateral oracle, then the debt oracle if the market has one. */
export type OracleAccounts = PublicKey[];

/** Repays everything (`repay` caps at the debt). */
export const REPAY_ALL = new BN("18446744073709551615");

/** An auction as the take instructions need it (from a decoded `Auction` account). */
export interface AuctionRef extends MarketRef {
  /** Auction address. */
  auction: PublicKey;
  /** `auction.position`. */
  position: PublicKey;
  /** `auction.kicker` (receives the rent when a take closes the auction). */
  kicker: PublicKey;
}

/**
 * Oracle accounts a take passes: none for a Maker-mode auction; the market's oracles (collateral,
 * then debt) for an anchored auction, whose price the program reads at the take.
 */
export interface TakeOracles {
  oracles?: OracleAccounts;
}

/**
 * A flash take: `take_begin`, the caller's `middle` instructions (e.g. a swap of the collateral
 * into the debt token), `take_end` paying from `debtSource` — all for one transaction.
 */
export function flashTakeIxs(
  accounts: AuctionRef &
    TakeOracles & { taker: PublicKey; collateralDestination: PublicKey; debtSource: PublicKey },
  limits: TakeLimits,
  middle: TransactionInstruction[],
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction[] {
  return [
    takeBeginIx(accounts, limits, programId),
    ...middle,
    takeEndIx({ ...accounts, payer: accounts.taker }, programId),
  ];
}

/**
 * Take strategies: how the bot values collateral and pays for it.
 * - `inventory`: pays from its own debt-token balance (`take`), values collateral at the oracle
 *   price less a slippage haircut, sizes takes to the balance not already committed to takes in
 *   flight.
 * - `flash`: `take_begin` → venue swap → `take_end` in one transaction (no inventory needed),
 *   values collateral at the venue's quote.
 * @module
 */
import BN from "bn.js";
import { Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { AuctionRef, flashTakeIxs, MarketAccount, takeIx, TakeOracles, TakeQuote } from "../../sdk/src";
import { StrategyKind } from "./config";
import { impliedPrice, lessBps } from "./decide";
import { SwapVenue, VenueMarket } from "./venue";

/** The market and accounts a strategy works with. */
export interface StrategyMarket {
  key: string;
  account: MarketAccount;
  /** Oracle mid price (PRICE_SCALE) or null. */
  price(): BN | null;
}

/** The bot's token accounts for a market. */
export interface BotAccounts {
  owner: PublicKey;
  collateral: PublicKey;
  debt: PublicKey;
}

/** A take to build. */
export interface TakeOrder {
  /** The auction, with the oracle accounts an anchored take reads. */
  auction: AuctionRef & TakeOracles;
  /** `max_price` (the bot's limit). */
  maxPrice: BN;
  /** `max_collateral`. */
  maxCollateral: BN;
  /** The program's quote at the price the take is expected to execute at. */
  quote: TakeQuote;
  programId: PublicKey;
}

/** See the module doc. */
export interface TakeStrategy {
  readonly kind: StrategyKind;
  /** Signatures a take transaction carries (fees). */
  readonly signatures: number;
  /** What `collateral` base units are worth to the bot, PRICE_SCALE per base unit; null: unknown. */
  valuePrice(market: StrategyMarket, collateral: BN): Promise<BN | null>;
  /** Debt tokens the strategy can pay now (null: unlimited). */
  budget(market: StrategyMarket): BN | null;
  /** Instructions (and extra signers) of a take. */
  buildTake(
    market: StrategyMarket,
    accounts: BotAccounts,
    order: TakeOrder,
  ): Promise<{ ixs: TransactionInstruction[]; signers: Keypair[] }>;
}

/** The take's accounts (the bot pays from its debt account, receives into its collateral account) and arguments. */
function takeRequest(order: TakeOrder, accounts: BotAccounts) {
  return {
    accounts: {
      ...order.auction,
      taker: accounts.owner,
      collateralDestination: accounts.collateral,
      debtSource: accounts.debt,
    },
    args: { maxCollateral: order.maxCollateral, maxPrice: order.maxPrice },
  };
}

/** Debt-token balances of the bot, minus what takes in flight have committed. */
export class Inventory {
  private readonly balances = new Map<string, BN>();
  private readonly reserved = new Map<string, BN>();

  /** Sets the on-chain balance of a debt mint. */
  setBalance(debtMint: string, amount: BN): void {
    this.balances.set(debtMint, amount);
  }

  /** On-chain balance (0 when unknown). */
  balance(debtMint: string): BN {
    return this.balances.get(debtMint) ?? new BN(0);
  }

  /** Balance not committed to takes in flight. */
  available(debtMint: string): BN {
    const free = this.balance(debtMint).sub(this.reserved.get(debtMint) ?? new BN(0));
    return free.isNeg() ? new BN(0) : free;
  }

  /** Commits `amount` to a take in flight; call the returned function when it is over. */
  reserve(debtMint: string, amount: BN): () => void {
    this.reserved.set(debtMint, (this.reserved.get(debtMint) ?? new BN(0)).add(amount));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.reserved.set(debtMint, this.reserved.get(debtMint)!.sub(amount));
    };
  }
}

/** Pays from the bot's debt-token balance. */
export class InventoryStrategy implements TakeStrategy {
  readonly kind = "inventory" as const;
  readonly signatures = 1;

  constructor(
    readonly inventory: Inventory,
    readonly slippageBps: number,
  ) {}

  async valuePrice(market: StrategyMarket): Promise<BN | null> {
    const p = market.price();
    return p && lessBps(p, this.slippageBps);
  }

  budget(market: StrategyMarket): BN | null {
    return this.inventory.available(market.account.debtMint.toBase58());
  }

  async buildTake(
    _market: StrategyMarket,
    accounts: BotAccounts,
    order: TakeOrder,
  ): Promise<{ ixs: TransactionInstruction[]; signers: Keypair[] }> {
    const take = takeRequest(order, accounts);
    return { ixs: [takeIx(take.accounts, take.args, order.programId)], signers: [] };
  }
}

/** Flash take paid by selling the collateral on a {@link SwapVenue}. */
export class FlashStrategy implements TakeStrategy {
  readonly kind = "flash" as const;
  readonly signatures: number;

  constructor(
    readonly venue: SwapVenue,
    readonly slippageBps: number,
    /** Extra signers the venue needs (a local test maker co-signs). */
    venueSigners = 0,
  ) {
    this.signatures = 1 + venueSigners;
  }

  private venueMarket(market: StrategyMarket): VenueMarket {
    return {
      collateralMint: market.account.collateralMint,
      debtMint: market.account.debtMint,
      oraclePrice: market.price(),
    };
  }

  async valuePrice(market: StrategyMarket, collateral: BN): Promise<BN | null> {
    if (collateral.isZero()) return null;
    const out = await this.venue.quote(this.venueMarket(market), collateral);
    const p = out && impliedPrice(collateral, out);
    return p && lessBps(p, this.slippageBps);
  }

  budget(): BN | null {
    return null;
  }

  async buildTake(
    market: StrategyMarket,
    accounts: BotAccounts,
    order: TakeOrder,
  ): Promise<{ ixs: TransactionInstruction[]; signers: Keypair[] }> {
    const swap = await this.venue.swapIxs({
      market: this.venueMarket(market),
      owner: accounts.owner,
      collateralAccount: accounts.collateral,
      debtAccount: accounts.debt,
      collateralAmount: order.quote.collateral,
      minDebtOut: order.quote.owe,
    });
    const take = takeRequest(order, accounts);
    const ixs = flashTakeIxs(take.accounts, take.args, swap.ixs, order.programId);
    return { ixs, signers: swap.signers };
  }
}

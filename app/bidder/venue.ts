/**
 * Swap venues for flash takes: where the bot sells the collateral it receives from `take_begin`,
 * inside the same transaction, to pay `take_end`. See README.md for plugging in an aggregator.
 * @module
 */
import BN from "bn.js";
import { createTransferInstruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
import { Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { BPS, mulDivFloor, valueFloor } from "../../sdk/src";

/** The market a swap is for. */
export interface VenueMarket {
  collateralMint: PublicKey;
  debtMint: PublicKey;
  /** Oracle mid price of the market (PRICE_SCALE), null when unknown. */
  oraclePrice: BN | null;
}

/** A swap's accounts and amounts. */
export interface SwapRequest {
  market: VenueMarket;
  /** The bot (signer of the collateral transfer). */
  owner: PublicKey;
  /** Bot's collateral account (collateral arrives here from `take_begin`). */
  collateralAccount: PublicKey;
  /** Bot's debt account (proceeds land here; `take_end` pays from it). */
  debtAccount: PublicKey;
  /** Exact collateral to sell. */
  collateralAmount: BN;
  /** The swap must return at least this much debt token, or fail the transaction. */
  minDebtOut: BN;
}

/** Instructions to put between `take_begin` and `take_end`, and any extra signers. */
export interface SwapIxs {
  ixs: TransactionInstruction[];
  signers: Keypair[];
}

/**
 * A place to sell collateral for the debt token. `quote` answers how much debt token a sale of
 * `collateralAmount` returns right now (null: no route); `swapIxs` builds the sale for a flash
 * take. Aggregators answer asynchronously, hence the promises.
 */
export interface SwapVenue {
  readonly name: string;
  quote(market: VenueMarket, collateralAmount: BN): Promise<BN | null>;
  swapIxs(req: SwapRequest): Promise<SwapIxs>;
}

/**
 * A venue for tests and local chains: a market maker buys any amount of collateral at the oracle
 * price minus `spreadBps`, by co-signing two SPL transfers in the middle of the transaction
 * (collateral bot → maker, debt token maker → bot). The maker's associated token accounts must
 * exist and hold enough debt token.
 */
export class LocalTestVenue implements SwapVenue {
  readonly name = "local-test";

  constructor(
    readonly maker: Keypair,
    readonly spreadBps: number,
  ) {}

  async quote(market: VenueMarket, collateralAmount: BN): Promise<BN | null> {
    if (!market.oraclePrice) return null;
    const gross = valueFloor(collateralAmount, market.oraclePrice);
    return gross && mulDivFloor(gross, new BN(10_000 - this.spreadBps), BPS);
  }

  async swapIxs(req: SwapRequest): Promise<SwapIxs> {
    const out = await this.quote(req.market, req.collateralAmount);
    if (out === null || out.lt(req.minDebtOut)) {
      throw new Error(`local-test venue: quote ${out} below the minimum ${req.minDebtOut}`);
    }
    const makerCollateral = getAssociatedTokenAddressSync(req.market.collateralMint, this.maker.publicKey);
    const makerDebt = getAssociatedTokenAddressSync(req.market.debtMint, this.maker.publicKey);
    return {
      ixs: [
        createTransferInstruction(
          req.collateralAccount,
          makerCollateral,
          req.owner,
          BigInt(req.collateralAmount.toString()),
        ),
        createTransferInstruction(makerDebt, req.debtAccount, this.maker.publicKey, BigInt(out.toString())),
      ],
      signers: [this.maker],
    };
  }
}

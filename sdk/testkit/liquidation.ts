/**
 * A lending world ready for liquidations: a market with an LP deposit and an insurance fund, a
 * kicker, and helpers for every actor of a liquidation (borrowers, kicks, takes, resets, bidders).
 * The specs' worlds (liquidation, fuzz, attacks, backstop, absorb keeper) build on it.
 */
import BN from "bn.js";
import { Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import {
  AuctionAccount,
  auctionPda,
  auctionPrice,
  AuctionRef,
  borrowIx,
  cancelAuctionIx,
  decodeAuction,
  depositCollateralIx,
  depositLiquidityIx,
  fundInsuranceIx,
  kickIx,
  MarketParams,
  openPositionIx,
  repayIx,
  resetAuctionIx,
  setStopIx,
  takeIx,
} from "../src";
import { LendingWorld } from "./lending";
import { defaultParams } from "./params";
import { SOL, USDC } from "./units";

/** See the module doc. */
export class LiquidationWorld extends LendingWorld {
  lp!: Keypair;
  kicker!: Keypair;
  /** Oracle accounts the helpers present (default: the legacy price account {@link oracle}). */
  oracles: PublicKey[] = [this.oracle];

  /** Creates the market with `params` over the defaults, an LP deposit and an insurance fund. */
  setup(params: Partial<MarketParams> = {}, liquidity = USDC(1_000_000), insurance = USDC(1_000)): this {
    this.createMarket({ ...defaultParams(this.oracle), ...params });
    this.lp = this.actor();
    this.fundDebt(this.lp.publicKey, liquidity.add(insurance));
    this.mustSend(
      [
        depositLiquidityIx(this.lpAccounts(this.lp), liquidity),
        ...(insurance.isZero()
          ? []
          : [
              fundInsuranceIx(
                {
                  ...this.ref,
                  funder: this.lp.publicKey,
                  funderDebtAccount: this.ata(this.ref.debtMint, this.lp.publicKey),
                },
                insurance,
              ),
            ]),
      ],
      [this.lp],
    );
    this.kicker = this.actor();
    return this;
  }

  /** Accounts of `who` for the LP instructions. */
  lpAccounts(who: Keypair) {
    return {
      ...this.ref,
      lp: who.publicKey,
      lpDebtAccount: this.ata(this.ref.debtMint, who.publicKey),
      lpShareAccount: this.ata(this.addrs.shareMint, who.publicKey),
    };
  }

  /** Accounts of `owner` for borrow (debt destination) and withdraw (use {@link withdrawAccounts}). */
  borrowAccounts(owner: Keypair) {
    return {
      ...this.ref,
      owner: owner.publicKey,
      destination: this.ata(this.ref.debtMint, owner.publicKey),
      oracles: this.oracles,
    };
  }

  /** Accounts of `owner` for withdraw_collateral. */
  withdrawAccounts(owner: Keypair) {
    return {
      ...this.ref,
      owner: owner.publicKey,
      destination: this.ata(this.ref.collateralMint, owner.publicKey),
      oracles: this.oracles,
    };
  }

  /** `depositor` adds `amount` collateral from their account to `owner`'s position. */
  depositIx(depositor: Keypair, amount: BN, owner: PublicKey = depositor.publicKey): TransactionInstruction {
    return depositCollateralIx(
      {
        ...this.ref,
        depositor: depositor.publicKey,
        owner,
        source: this.ata(this.ref.collateralMint, depositor.publicKey),
      },
      amount,
    );
  }

  /** `payer` repays up to `amount` of `owner`'s debt. */
  repayIx(payer: Keypair, amount: BN, owner: PublicKey = payer.publicKey): TransactionInstruction {
    return repayIx(
      { ...this.ref, payer: payer.publicKey, owner, source: this.ata(this.ref.debtMint, payer.publicKey) },
      amount,
    );
  }

  /** A new borrower with `sol` SOL of collateral who borrows `usdc`. */
  borrower(sol: number, usdc: number): Keypair {
    const b = this.actor();
    this.fundCollateral(b.publicKey, SOL(sol));
    this.mustSend(
      [
        openPositionIx({ ...this.ref, owner: b.publicKey }),
        ...(sol > 0 ? [this.depositIx(b, SOL(sol))] : []),
        ...(usdc > 0 ? [borrowIx(this.borrowAccounts(b), USDC(usdc))] : []),
      ],
      [b],
    );
    return b;
  }

  /** A kick of `owner`'s position by `kicker` into the next auction id. */
  kickIx(owner: PublicKey, kicker: Keypair = this.kicker): TransactionInstruction {
    return kickIx({
      ...this.ref,
      kicker: kicker.publicKey,
      owner,
      auctionId: this.market().auctionCount,
      kickerDebtAccount: this.ata(this.ref.debtMint, kicker.publicKey),
      oracles: this.oracles,
    });
  }

  /** Kicks `owner`'s position; returns the new auction's address. */
  kick(owner: PublicKey, kicker: Keypair = this.kicker): PublicKey {
    const [auction] = auctionPda(this.addrs.market, this.market().auctionCount);
    this.mustSend([this.kickIx(owner, kicker)], [kicker]);
    return auction;
  }

  /** The auction, decoded (null once closed). */
  auction(address: PublicKey): AuctionAccount | null {
    const data = this.chain.data(address);
    return data && data.length > 0 ? decodeAuction(data) : null;
  }

  /** The auction price now, from the SDK's mirror of the program's curve. */
  priceNow(address: PublicKey): BN {
    const a = this.auction(address)!;
    return auctionPrice(
      this.market().params.curve,
      a.top,
      new BN((this.now - BigInt(a.tic.toString())).toString()),
    );
  }

  /**
   * The accounts the take instructions need for `address`, with `bidder`'s token accounts and
   * `oracles` (none for a Maker-mode auction; the market's for an anchored one).
   */
  takeAccounts(address: PublicKey, bidder: Keypair, oracles?: PublicKey[]) {
    const a = this.auction(address)!;
    const ref: AuctionRef = { ...this.ref, auction: address, position: a.position, kicker: a.kicker };
    return {
      ...ref,
      taker: bidder.publicKey,
      collateralDestination: this.ata(this.ref.collateralMint, bidder.publicKey),
      debtSource: this.ata(this.ref.debtMint, bidder.publicKey),
      ...(oracles ? { oracles } : {}),
    };
  }

  /** A take of at most `maxCollateral` at a price of at most `maxPrice` (see {@link takeAccounts}). */
  takeIx(
    address: PublicKey,
    bidder: Keypair,
    maxCollateral: BN,
    maxPrice: BN,
    oracles?: PublicKey[],
  ): TransactionInstruction {
    return takeIx(this.takeAccounts(address, bidder, oracles), { maxCollateral, maxPrice });
  }

  /** A reset of `auction` by `caller` (who gets the reward). */
  resetIx(auction: PublicKey, caller: Keypair): TransactionInstruction {
    return resetAuctionIx({
      ...this.ref,
      caller: caller.publicKey,
      auction,
      callerDebtAccount: this.ata(this.ref.debtMint, caller.publicKey),
      oracles: this.oracles,
    });
  }

  /** A cancel of `auction` (stop level 3) signed by `admin` (default the protocol admin). */
  cancelIx(auction: PublicKey, admin: PublicKey = this.admin.publicKey): TransactionInstruction {
    const a = this.auction(auction)!;
    return cancelAuctionIx({ ...this.ref, admin, auction, position: a.position, kicker: a.kicker });
  }

  /** The admin sets the protocol's stop level. */
  setStop(level: number): void {
    this.mustSend([setStopIx({ admin: this.admin.publicKey }, level)], [this.admin]);
  }

  /**
   * The liquidation story's usual start: a borrower with `sol` SOL who borrowed `usdc`, the price
   * falls to `usd` and the kicker kicks the position. Returns the borrower and the auction.
   */
  kickedBorrower(sol = 10, usdc = 1_000, usd = 120): { owner: Keypair; auction: PublicKey } {
    const owner = this.borrower(sol, usdc);
    this.setPrice(usd);
    return { owner, auction: this.kick(owner.publicKey) };
  }

  /** A new actor holding `usdc` debt tokens. */
  bidder(usdc: number): Keypair {
    const b = this.actor();
    if (usdc > 0) this.fundDebt(b.publicKey, USDC(usdc));
    return b;
  }
}

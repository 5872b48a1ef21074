/**
 * A liquidation world with a backstop pool (`create_backstop`): depositors with share accounts,
 * and builders for deposits, withdrawals, absorbs and buys from the pool. Specs 21 (backstop) and
 * 24 (absorb keeper) build on it.
 */
import BN from "bn.js";
import { Keypair, PublicKey } from "@solana/web3.js";
import {
  absorbIx,
  BackstopAccount,
  backstopAddresses,
  BackstopParams,
  buyFromBackstopIx,
  createBackstopIx,
  decodeBackstop,
  depositBackstopIx,
  MarketParams,
  requestBackstopWithdrawalIx,
  withdrawBackstopIx,
} from "../src";
import { LiquidationWorld } from "./liquidation";
import { priceOf, USDC } from "./units";

/** Backstop parameters of the specs' backstops (spec 21's stories). */
export const BACKSTOP: BackstopParams = {
  absorbAfterSecs: new BN(3_600),
  absorbNearBps: 500,
  buyDiscountBps: 100,
  withdrawCooldownSecs: new BN(3_600),
  warmupSecs: new BN(600),
};

/** A market with an LP, an insurance fund, a backstop and helpers for its actors. */
export class BackstopWorld extends LiquidationWorld {
  b!: ReturnType<typeof backstopAddresses>;

  /** {@link LiquidationWorld.setup} on `market` (default: the defaults), then the backstop with `params`. */
  setupWithBackstop(params: BackstopParams = BACKSTOP, market: Partial<MarketParams> = {}): this {
    this.setup(market);
    this.createBackstop(params);
    return this;
  }

  /** Creates the market's backstop with `params` (the admin signs). */
  createBackstop(params: BackstopParams = BACKSTOP): void {
    this.b = backstopAddresses(this.addrs.market);
    this.mustSend([createBackstopIx({ admin: this.admin.publicKey, ...this.ref }, params)], [this.admin]);
  }

  /** An actor with token accounts for the collateral, the debt token and the backstop shares. */
  depositorActor(usdc: number): Keypair {
    const kp = this.actor();
    this.createTokenAccounts(kp, [this.b.shareMint]);
    if (usdc > 0) this.fundDebt(kp.publicKey, USDC(usdc));
    return kp;
  }

  shareAccount(owner: Keypair): PublicKey {
    return this.ata(this.b.shareMint, owner.publicKey);
  }

  /** `d` deposits `amount` debt tokens into the backstop. */
  backstopDepositIx(d: Keypair, amount: BN) {
    return depositBackstopIx(
      {
        ...this.ref,
        depositor: d.publicKey,
        depositorDebtAccount: this.ata(this.ref.debtMint, d.publicKey),
        depositorShareAccount: this.shareAccount(d),
        oracles: [this.oracle],
      },
      amount,
    );
  }

  requestIx(d: Keypair, shares: BN) {
    return requestBackstopWithdrawalIx(
      { ...this.ref, depositor: d.publicKey, depositorShareAccount: this.shareAccount(d) },
      shares,
    );
  }

  withdrawIx(d: Keypair) {
    return withdrawBackstopIx({
      ...this.ref,
      depositor: d.publicKey,
      depositorDebtAccount: this.ata(this.ref.debtMint, d.publicKey),
      depositorCollateralAccount: this.ata(this.ref.collateralMint, d.publicKey),
    });
  }

  /** A borrower with `sol` SOL of collateral who borrows `usdc`, at a fresh $150 price. */
  borrower(sol: number, usdc: number): Keypair {
    this.setPrice(150);
    return super.borrower(sol, usdc);
  }

  backstop(): BackstopAccount {
    return decodeBackstop(this.chain.data(this.b.backstop)!);
  }

  /** The oracle price on PRICE_SCALE for `usd` per SOL (9 and 6 decimals). */
  mid(usd: number): BN {
    return priceOf(usd);
  }

  absorbIx(address: PublicKey, caller: Keypair) {
    const a = this.auction(address)!;
    return absorbIx({
      ...this.ref,
      auction: address,
      position: a.position,
      kicker: a.kicker,
      caller: caller.publicKey,
      callerDebtAccount: this.ata(this.ref.debtMint, caller.publicKey),
      oracles: [this.oracle],
    });
  }

  buyIx(buyer: Keypair, maxCollateral: BN, maxPrice: BN) {
    return buyFromBackstopIx(
      {
        ...this.ref,
        buyer: buyer.publicKey,
        buyerDebtAccount: this.ata(this.ref.debtMint, buyer.publicKey),
        buyerCollateralAccount: this.ata(this.ref.collateralMint, buyer.publicKey),
        oracles: [this.oracle],
      },
      { maxCollateral, maxPrice },
    );
  }

  /** Vaults of the market and of the backstop equal their accounting. */
  assertAllVaults(): void {
    this.assertVaultsMatchAccounting();
    if (!this.chain.data(this.b.backstop)) return;
    const bs = this.backstop();
    const debt = this.balance(this.b.debtVault);
    if (!debt.eq(bs.debt.add(bs.warming))) throw new Error(`backstop debt vault ${debt} != debt + warming`);
    const coll = this.balance(this.b.collateralVault);
    if (!coll.eq(bs.collateral)) throw new Error(`backstop collateral vault ${coll} != ${bs.collateral}`);
  }
}

/**
 * A lending world on LiteSVM with the real gavel.so and the real SPL Token program: an admin, a
 * collateral mint ("SOL", 9 decimals) and a debt mint ("USDC", 6 decimals), a Pyth price account
 * the test moves at will, and helpers for the actors' token accounts and the clock.
 */
import BN from "bn.js";
import {
  ACCOUNT_SIZE,
  createInitializeAccount3Instruction,
  createMintToInstruction,
  MINT_SIZE,
  TOKEN_PROGRAM_ID,
} from "@solana/spl-token";
import { Keypair, PublicKey, SystemProgram } from "@solana/web3.js";
import { Clock } from "litesvm";
import {
  createMarketIx,
  decodeMarket,
  decodePosition,
  encodePriceUpdateV2,
  encodePythLegacyPrice,
  decodeWithdrawalRequest,
  initializeConfigIx,
  LiquidityAccounts,
  MarketAccount,
  MarketAddresses,
  MarketParams,
  marketAddresses,
  MarketRef,
  OracleKind,
  PositionAccount,
  positionPda,
  pythAccountInfo,
  requestWithdrawalIx,
  withdrawalRequestPda,
  WithdrawalRequestAccount,
  withdrawLiquidityIx,
} from "../src";
import { defaultParams } from "./params";
import { GavelSvm, SendResult } from "./svm";
import { createMintIxs } from "./tokens";

/** Start of the test clock (an arbitrary recent unix time). */
export const T0 = 1_760_000_000n;

/** One lending market and the tools to drive it. */
export class LendingWorld {
  readonly chain = new GavelSvm();
  readonly admin: Keypair;
  readonly collateralMint = Keypair.generate();
  readonly debtMint = Keypair.generate();
  /** Legacy Pyth price account of the collateral (USD per SOL, expo −8). */
  readonly oracle = Keypair.generate().publicKey;
  readonly ref: MarketRef;
  readonly addrs: MarketAddresses;
  slot = 1000n;
  now = T0;

  constructor() {
    this.admin = this.chain.actor(100);
    this.ref = { collateralMint: this.collateralMint.publicKey, debtMint: this.debtMint.publicKey };
    this.addrs = marketAddresses(this.ref.collateralMint, this.ref.debtMint);
    this.setClock();
    this.mustSend(
      [
        ...this.createMintIxs(this.collateralMint, 9),
        ...this.createMintIxs(this.debtMint, 6),
        initializeConfigIx({ admin: this.admin.publicKey }),
      ],
      [this.admin, this.collateralMint, this.debtMint],
    );
  }

  /**
   * Creates a mint of `programId` (default the classic SPL Token program; Token-2022 for the specs
   * that prove it refused) with the admin as mint authority.
   */
  newMint(decimals: number, programId: PublicKey = TOKEN_PROGRAM_ID): PublicKey {
    const mint = Keypair.generate();
    this.mustSend(this.createMintIxs(mint, decimals, programId), [this.admin, mint]);
    return mint.publicKey;
  }

  private createMintIxs(mint: Keypair, decimals: number, programId: PublicKey = TOKEN_PROGRAM_ID) {
    const lamports = Number(this.chain.svm.minimumBalanceForRentExemption(BigInt(MINT_SIZE)));
    return createMintIxs(this.admin.publicKey, mint.publicKey, decimals, lamports, programId);
  }

  /** Creates the market with `params` (default: {@link defaultParams}) at price `usd`. */
  createMarket(params: MarketParams = defaultParams(this.oracle), usd = 150): SendResult {
    this.setPrice(usd);
    return this.mustSend(
      [createMarketIx({ admin: this.admin.publicKey, ...this.ref }, params)],
      [this.admin],
    );
  }

  /** Sends and throws with the logs unless it succeeds. */
  mustSend(ixs: Parameters<GavelSvm["send"]>[0], signers: Keypair[]): SendResult {
    const res = this.chain.send(ixs, signers);
    if (!res.ok) throw new Error(`transaction failed: ${res.rawError}\n${res.logs.join("\n")}`);
    return res;
  }

  /** Moves the clock forward by `secs` (and slots by 2.5 per second). */
  warp(secs: number): void {
    this.now += BigInt(secs);
    this.slot += BigInt(Math.ceil(secs * 2.5));
    this.setClock();
  }

  private setClock(): void {
    this.chain.svm.setClock(new Clock(this.slot, this.now, 0n, 0n, this.now));
  }

  /** The last price published by {@link setPrice} on the market's oracle (USD per SOL). */
  lastUsd = 150;

  /** Publishes a legacy Pyth price for the collateral: `usd` per SOL, confidence `confBps`. */
  setPrice(
    usd: number,
    opts: { confBps?: number; ageSecs?: number; status?: number; account?: PublicKey } = {},
  ): void {
    if (!opts.account) this.lastUsd = usd;
    const price = new BN(Math.round(usd * 1e8));
    const conf = price.muln(opts.confBps ?? 10).divn(10_000);
    const data = encodePythLegacyPrice({
      price,
      conf,
      expo: -8,
      publishSlot: new BN((this.slot - 1n).toString()),
      publishTime: new BN((this.now - BigInt(opts.ageSecs ?? 0)).toString()),
      status: opts.status,
    });
    this.chain.svm.setAccount(opts.account ?? this.oracle, pythAccountInfo(OracleKind.PythLegacy, data));
  }

  /**
   * Publishes a pull-oracle `PriceUpdateV2` at `account` for `feedId`, published `ageSecs` ago
   * (default now) with confidence `confBps` (default 10 bps).
   */
  setPullPrice(
    account: PublicKey,
    feedId: Buffer,
    usd: number,
    verification: "full" | { partial: number } = "full",
    opts: { ageSecs?: number; confBps?: number } = {},
  ): void {
    const price = new BN(Math.round(usd * 1e8));
    const data = encodePriceUpdateV2({
      feedId,
      price,
      conf: price.muln(opts.confBps ?? 10).divn(10_000),
      expo: -8,
      publishTime: new BN((this.now - BigInt(opts.ageSecs ?? 0)).toString()),
      postedSlot: new BN(this.slot.toString()),
      verification,
    });
    this.chain.svm.setAccount(account, pythAccountInfo(OracleKind.PythPull, data));
  }

  private readonly tokenAccounts = new Map<string, PublicKey>();

  /**
   * A new actor with `sol` SOL and token accounts for both mints (and the share mint once the
   * market exists). Plain keypair token accounts, not associated ones: creating an associated
   * token account through LiteSVM 0.7/0.8's bundled ATA program dirties the thread's FPU state (a
   * later garbage collection aborts with `std::bad_alloc`; see `refuseAtaProgram` in svm.ts).
   */
  actor(sol = 10): Keypair {
    const kp = this.chain.actor(sol);
    const mints = [this.ref.collateralMint, this.ref.debtMint];
    if (this.chain.svm.getAccount(this.addrs.shareMint)) mints.push(this.addrs.shareMint);
    this.createTokenAccounts(kp, mints);
    return kp;
  }

  /**
   * Plain keypair token accounts of `owner` (who pays) for `mints`, in one transaction; {@link ata}
   * finds them afterwards.
   */
  createTokenAccounts(owner: Keypair, mints: PublicKey[]): PublicKey[] {
    const rent = Number(this.chain.svm.minimumBalanceForRentExemption(BigInt(ACCOUNT_SIZE)));
    const accounts = mints.map(() => Keypair.generate());
    const ixs = mints.flatMap((mint, i) => [
      SystemProgram.createAccount({
        fromPubkey: owner.publicKey,
        newAccountPubkey: accounts[i].publicKey,
        lamports: rent,
        space: ACCOUNT_SIZE,
        programId: TOKEN_PROGRAM_ID,
      }),
      createInitializeAccount3Instruction(accounts[i].publicKey, mint, owner.publicKey),
    ]);
    this.mustSend(ixs, [owner, ...accounts]);
    mints.forEach((mint, i) =>
      this.tokenAccounts.set(`${mint.toBase58()}/${owner.publicKey.toBase58()}`, accounts[i].publicKey),
    );
    return accounts.map((a) => a.publicKey);
  }

  /** `owner`'s token account for `mint` (created by {@link actor} or {@link createTokenAccounts}). */
  ata(mint: PublicKey, owner: PublicKey): PublicKey {
    const acc = this.tokenAccounts.get(`${mint.toBase58()}/${owner.toBase58()}`);
    if (!acc) throw new Error(`no ${mint.toBase58()} account for ${owner.toBase58()}`);
    return acc;
  }

  /** Mints collateral (base units) to `owner`. */
  fundCollateral(owner: PublicKey, amount: BN): void {
    this.mintTo(this.ref.collateralMint, this.ata(this.ref.collateralMint, owner), amount);
  }

  /** Mints debt tokens (base units) to `owner`. */
  fundDebt(owner: PublicKey, amount: BN): void {
    this.mintTo(this.ref.debtMint, this.ata(this.ref.debtMint, owner), amount);
  }

  /** Mints `amount` (base units) of `mint` into token `account`; the admin is the mint authority. */
  mintTo(mint: PublicKey, account: PublicKey, amount: BN): void {
    this.mustSend(
      [createMintToInstruction(mint, account, this.admin.publicKey, BigInt(amount.toString()))],
      [this.admin],
    );
  }

  /** Token balance of an account (0 when it does not exist). */
  balance(tokenAccount: PublicKey): BN {
    const acc = this.chain.svm.getAccount(tokenAccount);
    if (!acc) return new BN(0);
    return new BN(Buffer.from(acc.data).subarray(64, 72), "le");
  }

  /** The market account, decoded. */
  market(): MarketAccount {
    return decodeMarket(this.chain.data(this.addrs.market)!);
  }

  /** `owner`'s position, decoded (null when closed). */
  position(owner: PublicKey): PositionAccount | null {
    const data = this.chain.data(positionPda(this.addrs.market, owner)[0]);
    return data && data.length > 0 ? decodePosition(data) : null;
  }

  /** `lp`'s pending withdrawal request, decoded (null when there is none). */
  withdrawalRequest(lp: PublicKey): WithdrawalRequestAccount | null {
    const data = this.chain.data(withdrawalRequestPda(this.addrs.market, lp)[0]);
    return data && data.length > 0 ? decodeWithdrawalRequest(data) : null;
  }

  /**
   * An LP withdrawal the way an honest LP does it: `request_withdrawal(shares)`, wait out the
   * market's cooldown (the clock moves; the oracle is republished at its last price so that
   * later oracle reads stay fresh), then `withdraw_liquidity(shares)`. Returns the claim.
   */
  withdrawAfterCooldown(accounts: LiquidityAccounts, lp: Keypair, shares: BN): SendResult {
    this.mustSend([requestWithdrawalIx(accounts, shares)], [lp]);
    this.warp(this.market().params.withdrawCooldownSecs.toNumber());
    this.setPrice(this.lastUsd);
    return this.mustSend([withdrawLiquidityIx(accounts, shares)], [lp]);
  }

  /**
   * Token conservation: the vaults hold exactly what the market's accounting says they hold
   * (collateral of positions; LP cash plus the insurance fund).
   */
  assertVaultsMatchAccounting(): void {
    const m = this.market();
    const coll = this.balance(this.addrs.collateralVault);
    const liq = this.balance(this.addrs.liquidityVault);
    if (!coll.eq(m.collateralTotal))
      throw new Error(`collateral vault ${coll} != accounting ${m.collateralTotal}`);
    const expected = m.cash.add(m.insurance);
    if (!liq.eq(expected)) throw new Error(`liquidity vault ${liq} != cash + insurance ${expected}`);
  }
}

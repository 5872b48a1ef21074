/**
 * Gavel on an embedded surfpool validator (`@solana/surfpool-linux-x64-gnu`, always in-process: it
 * needs the surfnet cheatcodes), driven over JSON-RPC: the one wrapper of that chain, for the specs
 * (09, 10, 15, 18, 21, 22, 23), the demo (app/demo) and the dashboard's demo mode (app/web).
 *
 * - {@link SdkChain}: the chain — actors, mints, associated token accounts, legacy Pyth price
 *   accounts written with {@link publishLegacyPrice} at the chain's clock, the clock moved with
 *   `timeTravelToTimestamp(ms)`, markets with the shared defaults; several markets on one chain.
 * - {@link ChainMarket}: one SOL/USDC market on it with LPs, keepers and borrowers, each set up in
 *   as few transactions as it takes (the demo opens its borrowers eight at a time).
 *
 * Transactions go through the SDK's `sendAndConfirm` (its blockhash retry: web3.js's own
 * send-and-confirm helpers use a 30-second blockhash cache, and surfpool produces slots fast
 * enough to expire such a blockhash — "Blockhash not found"); the first signer pays.
 */
import BN from "bn.js";
import { createMintToInstruction, getAssociatedTokenAddressSync, MINT_SIZE } from "@solana/spl-token";
import { Connection, Keypair, LAMPORTS_PER_SOL, PublicKey, TransactionInstruction } from "@solana/web3.js";
import {
  borrowIx,
  configPda,
  createMarketIx,
  depositCollateralIx,
  depositLiquidityIx,
  fetchClock,
  fundInsuranceIx,
  GavelClient,
  initializeConfigIx,
  marketAddresses,
  MarketAddresses,
  MarketParams,
  MarketRef,
  openPositionIx,
  sendAndConfirm,
} from "../src";
import { defaultParams } from "./params";
import { ChainOptions, publishLegacyPrice, startChain, stopChain, SurfnetHandle } from "./surfpool";
import { createAtaIxs, createMintIxs } from "./tokens";

/** A market on the chain: mints, oracle, and the client-ready reference. */
export interface SdkMarket extends MarketRef {
  oracle: PublicKey;
}

/** A running embedded chain: its handle, a connection to it and its funded payer ({@link startChain}). */
export type ChainHandle = ReturnType<typeof startChain>;

/** Gavel on an embedded surfpool, with helpers for actors, tokens, prices and time. */
export class SdkChain {
  readonly surfnet: SurfnetHandle;
  readonly connection: Connection;
  /** Surfnet's funded payer; also Gavel's admin once {@link SdkChain.initialize} ran. */
  readonly admin: Keypair;
  readonly adminClient: GavelClient;

  /** Wraps a chain {@link startChain} started (or `connection`, another connection to it). */
  constructor({ surfnet, connection, admin }: ChainHandle) {
    this.surfnet = surfnet;
    this.connection = connection;
    this.admin = admin;
    this.adminClient = new GavelClient(this.connection, this.admin, { commitment: "confirmed" });
  }

  /**
   * Starts a surfnet with Gavel deployed from target/deploy/gavel.so. Default: surfpool's own
   * block production (the clock stands still until {@link warp}), as the SDK specs want; the demo
   * passes `{ blockProduction: "clock" }` (time follows the wall clock, as auctions need).
   */
  static start(opts: ChainOptions = { blockProduction: "default" }): SdkChain {
    return new SdkChain(startChain(opts));
  }

  stop(): void {
    stopChain(this.surfnet, this.connection);
  }

  /** Sends `ixs` signed by `signers` (the first pays) and waits for confirmation. */
  send(ixs: TransactionInstruction[], signers: Keypair[]): Promise<string> {
    return sendAndConfirm(this.connection, ixs, signers);
  }

  /** `initialize_config` with the surfnet payer as admin, unless the config exists. */
  async initialize(): Promise<void> {
    if (await this.connection.getAccountInfo(configPda()[0])) return;
    await this.send([initializeConfigIx({ admin: this.admin.publicKey })], [this.admin]);
  }

  /** A new keypair holding `sol` SOL. */
  actor(sol = 10): Keypair {
    const kp = Keypair.generate();
    this.surfnet.fundSol(kp.publicKey.toBase58(), sol * LAMPORTS_PER_SOL);
    return kp;
  }

  /** Creates `mints` in one transaction, with the admin as mint authority. */
  async createMints(mints: { mint: Keypair; decimals: number }[]): Promise<void> {
    const lamports = await this.connection.getMinimumBalanceForRentExemption(MINT_SIZE);
    await this.send(
      mints.flatMap(({ mint, decimals }) =>
        createMintIxs(this.admin.publicKey, mint.publicKey, decimals, lamports),
      ),
      [this.admin, ...mints.map(({ mint }) => mint)],
    );
  }

  /** A new mint with the admin as mint authority. */
  async createMint(decimals: number): Promise<PublicKey> {
    const mint = Keypair.generate();
    await this.createMints([{ mint, decimals }]);
    return mint.publicKey;
  }

  /** `owner`'s associated token account for `mint` (created if missing). */
  async tokenAccount(mint: PublicKey, owner: PublicKey): Promise<PublicKey> {
    const account = getAssociatedTokenAddressSync(mint, owner, true);
    if (!(await this.connection.getAccountInfo(account))) {
      await this.send(createAtaIxs(this.admin.publicKey, owner, [mint]), [this.admin]);
    }
    return account;
  }

  /** Mints `amount` base units of `mint` to `owner`'s associated account (created if missing). */
  async mint(mint: PublicKey, owner: PublicKey, amount: BN): Promise<PublicKey> {
    const account = getAssociatedTokenAddressSync(mint, owner, true);
    await this.send(
      [
        ...createAtaIxs(this.admin.publicKey, owner, [mint]),
        createMintToInstruction(mint, account, this.admin.publicKey, BigInt(amount.toString())),
      ],
      [this.admin],
    );
    return account;
  }

  /** Token balance of an account (0 when it does not exist). */
  async balance(account: PublicKey): Promise<BN> {
    const info = await this.connection.getAccountInfo(account);
    return info ? new BN(info.data.subarray(64, 72), "le") : new BN(0);
  }

  /** Publishes a legacy Pyth price (`usd` per whole token, expo −8) at the chain's clock. */
  async setPrice(oracle: PublicKey, usd: number, confBps = 10): Promise<void> {
    const clock = await fetchClock(this.connection);
    publishLegacyPrice(this.surfnet, oracle, usd, {
      slot: clock.slot,
      unixTime: clock.unixTimestamp,
      confBps,
    });
  }

  /** Moves the chain's clock `secs` forward. */
  async warp(secs: number): Promise<void> {
    const clock = await fetchClock(this.connection);
    this.surfnet.timeTravelToTimestamp((clock.unixTimestamp.toNumber() + secs) * 1000);
  }

  /** Creates a (new collateral mint, `debtMint`) market priced at `usd` per collateral token. */
  async createMarket(
    debtMint: PublicKey,
    usd = 150,
    params: Partial<MarketParams> = {},
    collateralDecimals = 9,
  ): Promise<SdkMarket> {
    const collateralMint = await this.createMint(collateralDecimals);
    const oracle = Keypair.generate().publicKey;
    await this.setPrice(oracle, usd);
    await this.adminClient.send([
      createMarketIx(
        { admin: this.admin.publicKey, collateralMint, debtMint },
        { ...defaultParams(oracle), ...params },
      ),
    ]);
    return { collateralMint, debtMint, oracle };
  }
}

/**
 * One SOL/USDC market on an {@link SdkChain}: new collateral (9 decimals) and debt (6 decimals)
 * mints, a legacy Pyth price account, and its LPs, keepers and borrowers, whose token accounts are
 * associated token accounts (what the bidder bot uses).
 */
export class ChainMarket implements SdkMarket {
  private readonly mints = { collateral: Keypair.generate(), debt: Keypair.generate() };
  readonly collateralMint = this.mints.collateral.publicKey;
  readonly debtMint = this.mints.debt.publicKey;
  readonly oracle = Keypair.generate().publicKey;
  readonly ref: MarketRef = { collateralMint: this.collateralMint, debtMint: this.debtMint };
  readonly addrs: MarketAddresses = marketAddresses(this.collateralMint, this.debtMint);

  constructor(readonly chain: SdkChain) {}

  /** Publishes the collateral price (USD per token, expo −8, `confBps` confidence) as of now. */
  setPrice(usd: number, confBps = 10): Promise<void> {
    return this.chain.setPrice(this.oracle, usd, confBps);
  }

  /** Config (if missing), the two mints (one transaction) and the oracle at `usd`. */
  async createMints(usd: number): Promise<void> {
    await this.chain.initialize();
    await this.chain.createMints([
      { mint: this.mints.collateral, decimals: 9 },
      { mint: this.mints.debt, decimals: 6 },
    ]);
    await this.setPrice(usd);
  }

  /** {@link createMints}, then the market with `params`. */
  async create(params: (oracle: PublicKey) => MarketParams, usd: number): Promise<void> {
    await this.createMints(usd);
    const admin = this.chain.admin;
    await this.chain.send(
      [createMarketIx({ admin: admin.publicKey, ...this.ref }, params(this.oracle))],
      [admin],
    );
  }

  /** `owner`'s associated token account for `mint`. */
  account(mint: PublicKey, owner: PublicKey): PublicKey {
    return getAssociatedTokenAddressSync(mint, owner, true);
  }

  /**
   * A new keypair holding `sol` SOL, the instructions creating its token accounts for both mints
   * (it pays), and a mint of `amount` of `mint` to it (the admin signs as mint authority).
   */
  private holder(sol: number, mint: PublicKey, amount: BN) {
    const kp = this.chain.actor(sol);
    const ixs = [
      ...createAtaIxs(kp.publicKey, kp.publicKey, [this.collateralMint, this.debtMint]),
      createMintToInstruction(
        mint,
        this.account(mint, kp.publicKey),
        this.chain.admin.publicKey,
        BigInt(amount.toString()),
      ),
    ];
    return { kp, ixs };
  }

  /** A funded keeper with token accounts for both mints and `usdc` debt tokens of inventory. */
  async keeper(usdc: BN): Promise<Keypair> {
    const { kp, ixs } = this.holder(10, this.debtMint, usdc);
    await this.chain.send(ixs, [kp, this.chain.admin]);
    return kp;
  }

  /**
   * An LP depositing `usdc` (base units) and funding the insurance fund with `insurance`: its
   * debt and share token accounts, the mint, the deposit (three transactions).
   */
  async lp(usdc: BN, insurance: BN): Promise<Keypair> {
    const lp = this.chain.actor(5);
    await this.chain.send(createAtaIxs(lp.publicKey, lp.publicKey, [this.debtMint, this.addrs.shareMint]), [
      lp,
    ]);
    const debtAccount = await this.chain.mint(this.debtMint, lp.publicKey, usdc.add(insurance));
    await this.chain.send(
      [
        depositLiquidityIx(
          {
            ...this.ref,
            lp: lp.publicKey,
            lpDebtAccount: debtAccount,
            lpShareAccount: this.account(this.addrs.shareMint, lp.publicKey),
          },
          usdc,
        ),
        ...(insurance.isZero()
          ? []
          : [
              fundInsuranceIx(
                { ...this.ref, funder: lp.publicKey, funderDebtAccount: debtAccount },
                insurance,
              ),
            ]),
      ],
      [lp],
    );
    return lp;
  }

  /**
   * A borrower with `ink` collateral borrowing `debt` (base units), set up in one transaction:
   * token accounts for both mints, `ink` minted (the admin co-signs as mint authority),
   * open_position, deposit_collateral, borrow.
   */
  async borrower(ink: BN, debt: BN): Promise<Keypair> {
    const { kp: b, ixs } = this.holder(1, this.collateralMint, ink);
    const owner = { ...this.ref, owner: b.publicKey };
    await this.chain.send(
      [
        ...ixs,
        openPositionIx(owner),
        depositCollateralIx(
          { ...owner, depositor: b.publicKey, source: this.account(this.collateralMint, b.publicKey) },
          ink,
        ),
        borrowIx(
          { ...owner, destination: this.account(this.debtMint, b.publicKey), oracles: [this.oracle] },
          debt,
        ),
      ],
      [b, this.chain.admin],
    );
    return b;
  }

  /**
   * {@link borrower} for each of `loans`, `concurrency` transactions in flight at once;
   * `onOpened(n)` after each one lands. Resolves in the order of `loans`.
   */
  async borrowers(
    loans: { ink: BN; debt: BN }[],
    concurrency: number,
    onOpened?: (opened: number) => void,
  ): Promise<Keypair[]> {
    const out: Keypair[] = new Array(loans.length);
    let next = 0;
    let opened = 0;
    const worker = async (): Promise<void> => {
      while (next < loans.length) {
        const i = next++;
        out[i] = await this.borrower(loans[i].ink, loans[i].debt);
        onOpened?.(++opened);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, loans.length) }, worker));
    return out;
  }
}

/**
 * A Gavel market on an embedded local validator (surfpool, in-process), driven over RPC: deploys
 * the program, creates mints, a Pyth legacy price account the scenario moves, the market, LPs and
 * borrowers. Used by the demo (app/demo/main.ts).
 */
import BN from "bn.js";
import {
  ACCOUNT_SIZE,
  createAssociatedTokenAccountIdempotentInstruction,
  createInitializeAccount3Instruction,
  createInitializeMint2Instruction,
  createMintToInstruction,
  getAssociatedTokenAddressSync,
  MINT_SIZE,
  TOKEN_PROGRAM_ID,
} from "@solana/spl-token";
import { Connection, Keypair, PublicKey, SystemProgram, TransactionInstruction } from "@solana/web3.js";
import {
  borrowIx,
  createMarketIx,
  depositCollateralIx,
  depositLiquidityIx,
  fundInsuranceIx,
  marketAddresses,
  MarketAddresses,
  MarketParams,
  MarketRef,
  openPositionIx,
  OracleKind,
  sendAndConfirm,
} from "../../sdk/src";
import { initializeGavel } from "../../migrations/deploy";
import { publishLegacyPrice, SurfnetHandle } from "../../sdk/testkit/surfpool";

/** One market on the chain and the accounts the scenario created. */
export class ChainMarket {
  readonly collateralMint = Keypair.generate();
  readonly debtMint = Keypair.generate();
  readonly oracle = Keypair.generate().publicKey;
  readonly ref: MarketRef;
  readonly addrs: MarketAddresses;
  private readonly tokenAccounts = new Map<string, PublicKey>();

  constructor(
    readonly surfnet: SurfnetHandle,
    readonly connection: Connection,
    readonly admin: Keypair,
  ) {
    this.ref = { collateralMint: this.collateralMint.publicKey, debtMint: this.debtMint.publicKey };
    this.addrs = marketAddresses(this.ref.collateralMint, this.ref.debtMint);
  }

  async send(ixs: TransactionInstruction[], signers: Keypair[]): Promise<string> {
    return sendAndConfirm(this.connection, ixs, signers);
  }

  /** Publishes the collateral price (USD per token, expo −8, 10 bps confidence) as of now. */
  async setPrice(usd: number): Promise<void> {
    const slot = await this.connection.getSlot("confirmed");
    publishLegacyPrice(this.surfnet, this.oracle, usd, {
      slot: new BN(slot),
      unixTime: new BN(Math.floor(Date.now() / 1000)),
      lamports: 100_000_000,
    });
  }

  /** Config (if missing), the two mints (9 and 6 decimals) and the oracle at `usd`. */
  async createMints(usd: number): Promise<void> {
    await initializeGavel(this.connection, this.admin);
    const rent = await this.connection.getMinimumBalanceForRentExemption(MINT_SIZE);
    const mintIxs = (mint: Keypair, decimals: number) => [
      SystemProgram.createAccount({
        fromPubkey: this.admin.publicKey,
        newAccountPubkey: mint.publicKey,
        lamports: rent,
        space: MINT_SIZE,
        programId: TOKEN_PROGRAM_ID,
      }),
      createInitializeMint2Instruction(mint.publicKey, decimals, this.admin.publicKey, null),
    ];
    await this.send(
      [...mintIxs(this.collateralMint, 9), ...mintIxs(this.debtMint, 6)],
      [this.admin, this.collateralMint, this.debtMint],
    );
    await this.setPrice(usd);
  }

  /** {@link createMints}, then the market with `params`. */
  async create(params: (oracle: PublicKey) => MarketParams, usd: number): Promise<void> {
    await this.createMints(usd);
    await this.send(
      [createMarketIx({ admin: this.admin.publicKey, ...this.ref }, params(this.oracle))],
      [this.admin],
    );
  }

  /** A funded actor with token accounts for the collateral, debt and share mints. */
  async actor(sol = 5): Promise<Keypair> {
    const kp = Keypair.generate();
    this.surfnet.fundSol(kp.publicKey.toBase58(), sol * 1e9);
    const mints = [this.ref.collateralMint, this.ref.debtMint, this.addrs.shareMint];
    const rent = await this.connection.getMinimumBalanceForRentExemption(ACCOUNT_SIZE);
    const accounts = mints.map(() => Keypair.generate());
    await this.send(
      mints.flatMap((mint, i) => [
        SystemProgram.createAccount({
          fromPubkey: kp.publicKey,
          newAccountPubkey: accounts[i].publicKey,
          lamports: rent,
          space: ACCOUNT_SIZE,
          programId: TOKEN_PROGRAM_ID,
        }),
        createInitializeAccount3Instruction(accounts[i].publicKey, mint, kp.publicKey),
      ]),
      [kp, ...accounts],
    );
    mints.forEach((mint, i) =>
      this.tokenAccounts.set(`${mint.toBase58()}/${kp.publicKey.toBase58()}`, accounts[i].publicKey),
    );
    return kp;
  }

  /** `owner`'s token account for `mint`. */
  account(mint: PublicKey, owner: PublicKey): PublicKey {
    const acc = this.tokenAccounts.get(`${mint.toBase58()}/${owner.toBase58()}`);
    if (!acc) throw new Error(`no token account of ${mint.toBase58()} for ${owner.toBase58()}`);
    return acc;
  }

  /**
   * A funded keeper with associated token accounts for both mints (what the bidder bot uses) and
   * `usdc` debt tokens of inventory.
   */
  async keeper(usdc: BN): Promise<Keypair> {
    const kp = Keypair.generate();
    this.surfnet.fundSol(kp.publicKey.toBase58(), 10e9);
    const [coll, debt] = [this.ref.collateralMint, this.ref.debtMint].map((mint) =>
      getAssociatedTokenAddressSync(mint, kp.publicKey),
    );
    await this.send(
      [
        createAssociatedTokenAccountIdempotentInstruction(
          kp.publicKey,
          coll,
          kp.publicKey,
          this.ref.collateralMint,
        ),
        createAssociatedTokenAccountIdempotentInstruction(
          kp.publicKey,
          debt,
          kp.publicKey,
          this.ref.debtMint,
        ),
        createMintToInstruction(this.ref.debtMint, debt, this.admin.publicKey, BigInt(usdc.toString())),
      ],
      [kp, this.admin],
    );
    return kp;
  }

  async mint(mint: PublicKey, owner: PublicKey, amount: BN): Promise<void> {
    await this.send(
      [
        createMintToInstruction(
          mint,
          this.account(mint, owner),
          this.admin.publicKey,
          BigInt(amount.toString()),
        ),
      ],
      [this.admin],
    );
  }

  /** An LP depositing `usdc` (base units) and funding the insurance fund with `insurance`. */
  async lp(usdc: BN, insurance: BN): Promise<Keypair> {
    const lp = await this.actor();
    await this.mint(this.ref.debtMint, lp.publicKey, usdc.add(insurance));
    const debtAccount = this.account(this.ref.debtMint, lp.publicKey);
    await this.send(
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
   * associated token accounts for both mints, `ink` minted (the admin co-signs as mint authority),
   * open_position, deposit_collateral, borrow.
   */
  async borrower(ink: BN, debt: BN): Promise<Keypair> {
    const b = Keypair.generate();
    this.surfnet.fundSol(b.publicKey.toBase58(), 1e9);
    const [coll, debtAcc] = [this.ref.collateralMint, this.ref.debtMint].map((mint) =>
      getAssociatedTokenAddressSync(mint, b.publicKey),
    );
    await this.send(
      [
        createAssociatedTokenAccountIdempotentInstruction(
          b.publicKey,
          coll,
          b.publicKey,
          this.ref.collateralMint,
        ),
        createAssociatedTokenAccountIdempotentInstruction(
          b.publicKey,
          debtAcc,
          b.publicKey,
          this.ref.debtMint,
        ),
        createMintToInstruction(this.ref.collateralMint, coll, this.admin.publicKey, BigInt(ink.toString())),
        openPositionIx({ ...this.ref, owner: b.publicKey }),
        depositCollateralIx({ ...this.ref, depositor: b.publicKey, owner: b.publicKey, source: coll }, ink),
        borrowIx({ ...this.ref, owner: b.publicKey, destination: debtAcc, oracles: [this.oracle] }, debt),
      ],
      [b, this.admin],
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

/** Oracle kind used by the demo's market. */
export const DEMO_ORACLE_KIND = OracleKind.PythLegacy;

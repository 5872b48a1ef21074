/**
 * An embedded surfpool validator (`@solana/surfpool-linux-x64-gnu`, always in-process: it needs
 * the surfnet cheatcodes) with Gavel deployed, driven over JSON-RPC by the SDK's `GavelClient`
 * (also for mints and associated token accounts, built with `@solana/spl-token`'s instructions:
 * its send-and-confirm helpers go through web3.js's 30-second blockhash cache, and surfpool
 * produces slots fast enough to expire such a blockhash — "Blockhash not found"), Pyth legacy
 * price accounts written with {@link publishLegacyPrice}, the clock moved with
 * `timeTravelToTimestamp(ms)`. Several markets on one chain (specs 09, 10, 21); the demo's
 * single-market `ChainMarket` (app/demo/chain.ts) starts its chain the same way.
 */
import BN from "bn.js";
import {
  createAssociatedTokenAccountIdempotentInstruction,
  createInitializeMint2Instruction,
  createMintToInstruction,
  getAssociatedTokenAddressSync,
  MINT_SIZE,
  TOKEN_PROGRAM_ID,
} from "@solana/spl-token";
import { Connection, Keypair, LAMPORTS_PER_SOL, PublicKey, SystemProgram } from "@solana/web3.js";
import { createMarketIx, fetchClock, GavelClient, initializeConfigIx, MarketParams, MarketRef } from "../src";
import { defaultParams } from "./params";
import { publishLegacyPrice, startChain, stopChain, SurfnetHandle } from "./surfpool";

/** A market on the chain: mints, oracle, and the client-ready reference. */
export interface SdkMarket extends MarketRef {
  oracle: PublicKey;
}

/** Gavel on an embedded surfpool, with helpers for actors, tokens, prices and time. */
export class SdkChain {
  readonly surfnet: SurfnetHandle;
  readonly connection: Connection;
  /** Surfnet's funded payer; also Gavel's admin once {@link SdkChain.initialize} ran. */
  readonly admin: Keypair;
  readonly adminClient: GavelClient;

  private constructor({ surfnet, connection, admin }: ReturnType<typeof startChain>) {
    this.surfnet = surfnet;
    this.connection = connection;
    this.admin = admin;
    this.adminClient = new GavelClient(this.connection, this.admin, { commitment: "confirmed" });
  }

  /** Starts a surfnet and deploys target/deploy/gavel.so at Gavel's program id. */
  static start(): SdkChain {
    return new SdkChain(startChain({ blockProduction: "default" }));
  }

  stop(): void {
    stopChain(this.surfnet, this.connection);
  }

  /** `initialize_config` with the surfnet payer as admin. */
  async initialize(): Promise<void> {
    await this.adminClient.send([initializeConfigIx({ admin: this.admin.publicKey })]);
  }

  /** A new keypair holding `sol` SOL. */
  actor(sol = 10): Keypair {
    const kp = Keypair.generate();
    this.surfnet.fundSol(kp.publicKey.toBase58(), sol * LAMPORTS_PER_SOL);
    return kp;
  }

  /** A new mint with the admin as mint authority. */
  async createMint(decimals: number): Promise<PublicKey> {
    const mint = Keypair.generate();
    const lamports = await this.connection.getMinimumBalanceForRentExemption(MINT_SIZE);
    await this.adminClient.send(
      [
        SystemProgram.createAccount({
          fromPubkey: this.admin.publicKey,
          newAccountPubkey: mint.publicKey,
          lamports,
          space: MINT_SIZE,
          programId: TOKEN_PROGRAM_ID,
        }),
        createInitializeMint2Instruction(mint.publicKey, decimals, this.admin.publicKey, null),
      ],
      { signers: [mint] },
    );
    return mint.publicKey;
  }

  /** `owner`'s associated token account for `mint` (created if missing). */
  async tokenAccount(mint: PublicKey, owner: PublicKey): Promise<PublicKey> {
    const account = getAssociatedTokenAddressSync(mint, owner, true);
    if (!(await this.connection.getAccountInfo(account))) {
      await this.adminClient.send([
        createAssociatedTokenAccountIdempotentInstruction(this.admin.publicKey, account, owner, mint),
      ]);
    }
    return account;
  }

  /** Mints `amount` base units of `mint` to `owner`'s associated account (created if missing). */
  async mint(mint: PublicKey, owner: PublicKey, amount: BN): Promise<PublicKey> {
    const account = getAssociatedTokenAddressSync(mint, owner, true);
    await this.adminClient.send([
      createAssociatedTokenAccountIdempotentInstruction(this.admin.publicKey, account, owner, mint),
      createMintToInstruction(mint, account, this.admin.publicKey, BigInt(amount.toString())),
    ]);
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

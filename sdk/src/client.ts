/**
 * `GavelClient`: the high-level client. Each action builds its instructions with the builders of
 * `./instructions`, simulates (a failure throws the typed {@link GavelError} before anything is
 * signed or sent), signs with a fresh blockhash, sends and confirms through `sendWithBlockhashRetry`
 * (re-signed with a new blockhash if one expires), and returns the signature with the events parsed from
 * the confirmed transaction's logs.
 * @module
 */
import BN from "bn.js";
import {
  Commitment,
  ComputeBudgetProgram,
  Connection,
  Keypair,
  PublicKey,
  SendTransactionError,
  Signer,
  Transaction,
  TransactionInstruction,
  TransactionMessage,
  VersionedTransaction,
} from "@solana/web3.js";
import {
  createAssociatedTokenAccountIdempotentInstruction,
  getAssociatedTokenAddressSync,
} from "@solana/spl-token";
import {
  AuctionAccount,
  BackstopAccount,
  BackstopDepositorAccount,
  ConfigAccount,
  MarketAccount,
  PositionAccount,
  WithdrawalRequestAccount,
} from "./accounts";
import { isAnchored, takePrice } from "./auction";
import { buyPrice } from "./backstop";
import { PROGRAM_ID } from "./constants";
import { GavelEvent, parseEvents } from "./events";
import {
  ChainClock,
  fetchAuction,
  fetchAuctions,
  fetchBackstop,
  fetchBackstopDepositor,
  fetchClock,
  fetchConfig,
  fetchMarket,
  fetchMarkets,
  fetchPosition,
  fetchPositions,
  fetchWithdrawalRequest,
  ProgramAccount,
} from "./fetch";
import {
  absorbIx,
  accrueIx,
  borrowIx,
  buyFromBackstopIx,
  createBackstopIx,
  depositBackstopIx,
  fundBackstopIx,
  requestBackstopWithdrawalIx,
  updateBackstopIx,
  withdrawBackstopIx,
  cancelWithdrawalIx,
  closePositionIx,
  depositCollateralIx,
  depositLiquidityIx,
  flashTakeIxs,
  fundInsuranceIx,
  kickIx,
  MarketRef,
  openPositionIx,
  REPAY_ALL,
  repayIx,
  requestWithdrawalIx,
  resetAuctionIx,
  takeIx,
  withdrawCollateralIx,
  withdrawLiquidityIx,
} from "./instructions";
import { marketOraclePrice, OracleKind } from "./oracle";
import {
  auctionPda,
  backstopAddresses,
  backstopDepositorPda,
  marketPda,
  positionPda,
  withdrawalRequestPda,
} from "./pda";
import { BackstopParams } from "./types";
import { EventCallback, subscribeEvents } from "./subscribe";
import { sendWithBlockhashRetry, SentTransaction } from "./send";
import { AuctionGoneError, toGavelError } from "./tx-errors";

/** A wallet (wallet adapter, Anchor `Wallet`): signs without exposing its key. */
export interface WalletSigner {
  /** The wallet's address: fee payer and signer of every client transaction. */
  publicKey: PublicKey;
  /** Signs a transaction (the client passes `VersionedTransaction`s). */
  signTransaction<T extends Transaction | VersionedTransaction>(tx: T): Promise<T>;
}

/** Who signs and pays: a `Keypair` or a wallet. */
export type GavelSigner = Keypair | WalletSigner;

/** Compute-unit limit: a number, or `"simulate"` = units used in the simulation × 1.2. */
export type ComputeUnitLimit = number | "simulate";

/** How transactions are sent; set on the client, overridable per call. */
export interface SendOptions {
  /** Priority fee: `SetComputeUnitPrice` in micro-lamports per compute unit (none when unset or 0). */
  priorityFeeMicroLamports?: number | bigint;
  /** `SetComputeUnitLimit`: a number, or `"simulate"` (none when unset: the runtime default). */
  computeUnitLimit?: ComputeUnitLimit;
  /** Skip the RPC node's own preflight simulation (default `false`; the client simulates anyway). */
  skipPreflight?: boolean;
  /** RPC send retries (`maxRetries` of `sendRawTransaction`; the client rebroadcasts itself). */
  maxRetries?: number;
  /**
   * Signed versions tried: each gets a fresh blockhash, and the next one is signed only once the
   * previous blockhash expired unconfirmed (default 5; then a `BlockhashExpiredError`).
   */
  maxAttempts?: number;
  /** Extra signers (e.g. for instructions of a flash take's middle). */
  signers?: Signer[];
}

/** Options of a {@link GavelClient}. */
export interface GavelClientOptions extends Omit<SendOptions, "signers"> {
  /** Commitment of reads, simulations and confirmations (default `"confirmed"`). */
  commitment?: Commitment;
  /** Gavel's program id (default {@link PROGRAM_ID}). */
  programId?: PublicKey;
  /**
   * Create the signer's missing associated token accounts that an action pays into (borrow and
   * withdrawal destinations, LP share accounts, rewards, bought collateral). Default `true`.
   */
  createTokenAccounts?: boolean;
  /**
   * Oracle accounts of a market when a call passes none. Default: the market's legacy price
   * accounts (`params.collateralOracle`, then `params.debtOracle` when set); a market on Pyth pull
   * oracles needs this or a per-call `oracles` (the `PriceUpdateV2` accounts to read).
   */
  resolveOracles?: (market: ProgramAccount<MarketAccount>) => PublicKey[] | Promise<PublicKey[]>;
}

/** A market: its address, or its mints. */
export type MarketLike = PublicKey | MarketRef;

/** An auction: its address, or the address with an already loaded account (saves a read). */
export type AuctionLike = PublicKey | ProgramAccount<AuctionAccount>;

/** An integer amount in base units. */
export type Amount = BN | bigint | number;

/** What an action's builder returns: one instruction or several. */
type Instructions = TransactionInstruction | TransactionInstruction[];

/** A loaded market as an action's builder gets it. */
interface MarketCall extends ProgramAccount<MarketAccount> {
  /** Its mints, as the instruction builders take them. */
  ref: MarketRef;
  /**
   * An account the signer is paid into: `given`, or their associated account for `mint`, which the
   * transaction creates first when it does not exist yet.
   */
  payTo(mint: PublicKey, given?: PublicKey): Promise<PublicKey>;
}

/** What every action returns. */
export interface GavelTxResult {
  /** Transaction signature. */
  signature: string;
  /** Gavel events of the confirmed transaction, in order (camelCase names: `debtBorrowed`). */
  events: GavelEvent[];
  /** Its log messages. */
  logs: string[];
  /** Slot it was confirmed in. */
  slot: number;
  /** Compute units it consumed, when the node reports them. */
  computeUnits?: number;
}

/** Call options of actions that read prices. */
export interface OracleOptions extends SendOptions {
  /** Oracle accounts to pass (collateral, then debt); overrides the client's resolution. */
  oracles?: PublicKey[];
}

/**
 * Call options of {@link GavelClient.take} and {@link GavelClient.flashTake} (`oracles`: an
 * anchored auction's oracle accounts, default the client's resolution; Maker-mode takes pass none).
 */
export interface TakeOptions extends OracleOptions {
  /** Most collateral to buy (base units); default the whole lot. */
  maxCollateral?: Amount;
  /** Highest acceptable price (PRICE_SCALE); default the auction's price at the chain's clock now. */
  maxPrice?: Amount;
  /** Where the collateral goes; default the signer's associated account (created when missing). */
  collateralDestination?: PublicKey;
  /** Debt-token account that pays; default the signer's associated account. */
  debtSource?: PublicKey;
}

const MAX_COMPUTE_UNITS = 1_400_000;

function toBN(x: Amount): BN {
  if (BN.isBN(x)) return x;
  if (typeof x === "number" && !Number.isSafeInteger(x))
    throw new RangeError(`amount ${x} is not a safe integer`);
  return new BN(x.toString());
}

function isKeypair(s: GavelSigner): s is Keypair {
  return !("signTransaction" in s) && "secretKey" in s;
}

/**
 * High-level Gavel client on a `Connection` and one signer (fee payer and actor of every call).
 *
 * ```ts
 * const client = new GavelClient(connection, keypair, { computeUnitLimit: "simulate" });
 * const { signature, events } = await client.borrow({ collateralMint, debtMint }, new BN(1_000_000));
 * ```
 *
 * Failures throw: a {@link GavelError} when Gavel refused (from the simulation, before signing),
 * an {@link AuctionGoneError} when a take finds its auction settled, otherwise what web3.js threw
 * (a `SendTransactionError` with logs for a failed simulation of another program).
 */
export class GavelClient {
  /** Commitment of reads, simulations and confirmations. */
  readonly commitment: Commitment;
  /** Gavel's program id. */
  readonly programId: PublicKey;
  private readonly defaults: Omit<SendOptions, "signers">;

  constructor(
    /** The RPC connection (with a websocket endpoint for {@link GavelClient.subscribeEvents}). */
    readonly connection: Connection,
    /** Fee payer and actor of every call. */
    readonly signer: GavelSigner,
    private readonly options: GavelClientOptions = {},
  ) {
    this.commitment = options.commitment ?? "confirmed";
    this.programId = options.programId ?? PROGRAM_ID;
    this.defaults = {
      priorityFeeMicroLamports: options.priorityFeeMicroLamports,
      computeUnitLimit: options.computeUnitLimit,
      skipPreflight: options.skipPreflight,
      maxRetries: options.maxRetries,
      maxAttempts: options.maxAttempts,
    };
  }

  /** The signer's address. */
  get publicKey(): PublicKey {
    return this.signer.publicKey;
  }

  // ------------------------------------------------------------------------------------------
  // Loaders

  /** The protocol `Config`, or `null` before initialization. */
  getConfig(): Promise<ConfigAccount | null> {
    return fetchConfig(this.connection, this.fetchOpts());
  }

  /**
   * A market — its address or `{ collateralMint, debtMint }`, as every action takes it, or the two
   * mints as arguments; `null` when there is none.
   */
  getMarket(market: MarketLike): Promise<MarketAccount | null>;
  getMarket(collateralMint: PublicKey, debtMint: PublicKey): Promise<MarketAccount | null>;
  getMarket(first: MarketLike, debtMint?: PublicKey): Promise<MarketAccount | null> {
    const address = debtMint
      ? marketPda(first as PublicKey, debtMint, this.programId)[0]
      : this.marketAddress(first);
    return fetchMarket(this.connection, address, this.fetchOpts());
  }

  /** `owner`'s position in `market` (address or mints), or `null`. */
  async getPosition(market: MarketLike, owner: PublicKey): Promise<PositionAccount | null> {
    return fetchPosition(
      this.connection,
      positionPda(this.marketAddress(market), owner, this.programId)[0],
      this.fetchOpts(),
    );
  }

  /** `lp`'s pending withdrawal request in `market` (address or mints), or `null`. */
  async getWithdrawalRequest(market: MarketLike, lp: PublicKey): Promise<WithdrawalRequestAccount | null> {
    return fetchWithdrawalRequest(
      this.connection,
      withdrawalRequestPda(this.marketAddress(market), lp, this.programId)[0],
      this.fetchOpts(),
    );
  }

  /** The backstop pool of `market` (address or mints), or `null` when it has none. */
  getBackstop(market: MarketLike): Promise<BackstopAccount | null> {
    const { backstop } = backstopAddresses(this.marketAddress(market), this.programId);
    return fetchBackstop(this.connection, backstop, this.fetchOpts());
  }

  /** `owner`'s depositor account in `market`'s backstop (warm-up and withdrawal request), or `null`. */
  getBackstopDepositor(market: MarketLike, owner: PublicKey): Promise<BackstopDepositorAccount | null> {
    const { backstop } = backstopAddresses(this.marketAddress(market), this.programId);
    const address = backstopDepositorPda(backstop, owner, this.programId)[0];
    return fetchBackstopDepositor(this.connection, address, this.fetchOpts());
  }

  /** The auction at `address`, or `null` (never kicked, or already settled). */
  getAuction(address: PublicKey): Promise<AuctionAccount | null> {
    return fetchAuction(this.connection, address, this.fetchOpts());
  }

  /** Every market (`getProgramAccounts`, discriminator filter). */
  getMarkets(): Promise<ProgramAccount<MarketAccount>[]> {
    return fetchMarkets(this.connection, this.fetchOpts());
  }

  /** Every position, or only `market`'s (discriminator and `market` field filters). */
  getPositions(market?: MarketLike): Promise<ProgramAccount<PositionAccount>[]> {
    return fetchPositions(this.connection, market && this.marketAddress(market), this.fetchOpts());
  }

  /** Every live auction, or only `market`'s (discriminator and `market` field filters). */
  getAuctions(market?: MarketLike): Promise<ProgramAccount<AuctionAccount>[]> {
    return fetchAuctions(this.connection, market && this.marketAddress(market), this.fetchOpts());
  }

  /** The chain's clock (the `Clock` sysvar). */
  getClock(): Promise<ChainClock> {
    return fetchClock(this.connection, this.commitment);
  }

  /**
   * An auction's price now (PRICE_SCALE) at the chain's clock, as a take would pay it: Maker mode
   * from the program's curve; anchored mode from the market's oracle accounts now (`oracles`, or
   * the client's resolution). `null` when the auction is gone. (Whether it may be taken also
   * depends on `needsReset`.)
   */
  async getAuctionPrice(auction: AuctionLike, oracles?: PublicKey[]): Promise<BN | null> {
    const a = await this.loadAuction(auction);
    if (!a) return null;
    const [market, clock] = await Promise.all([this.loadMarket(a.account.market), this.getClock()]);
    const mid = isAnchored(a.account) ? await this.oracleMid(market, oracles) : undefined;
    return takePrice(market.account.params, a.account, clock.unixTimestamp, mid);
  }

  /** Subscribes to Gavel's events (see `subscribeEvents`); returns the unsubscribe function. */
  subscribeEvents(callback: EventCallback): () => Promise<void> {
    return subscribeEvents(this.connection, callback, this.programId, this.commitment);
  }

  // ------------------------------------------------------------------------------------------
  // Borrowers

  /** `open_position`: opens the signer's position in `market`. */
  async openPosition(market: MarketLike, opts: SendOptions = {}): Promise<GavelTxResult> {
    return this.onMarket(market, opts, (m) =>
      openPositionIx({ ...m.ref, owner: this.publicKey }, this.programId),
    );
  }

  /** `close_position`: closes the signer's empty position (rent back). */
  async closePosition(market: MarketLike, opts: SendOptions = {}): Promise<GavelTxResult> {
    return this.onMarket(market, opts, (m) =>
      closePositionIx({ ...m.ref, owner: this.publicKey }, this.programId),
    );
  }

  /**
   * `deposit_collateral`: adds `amount` collateral (base units) to `owner`'s position (default the
   * signer's) from `source` (default the signer's associated collateral account).
   */
  async depositCollateral(
    market: MarketLike,
    amount: Amount,
    opts: SendOptions & { owner?: PublicKey; source?: PublicKey } = {},
  ): Promise<GavelTxResult> {
    return this.onMarket(market, opts, (m) =>
      depositCollateralIx(
        {
          ...m.ref,
          depositor: this.publicKey,
          owner: opts.owner ?? this.publicKey,
          source: opts.source ?? this.ata(m.account.collateralMint),
        },
        toBN(amount),
        this.programId,
      ),
    );
  }

  /** `withdraw_collateral`: withdraws `amount` collateral to `destination` (default the signer's ATA). */
  async withdrawCollateral(
    market: MarketLike,
    amount: Amount,
    opts: OracleOptions & { destination?: PublicKey } = {},
  ): Promise<GavelTxResult> {
    return this.onMarket(market, opts, async (m) =>
      withdrawCollateralIx(
        {
          ...m.ref,
          owner: this.publicKey,
          destination: await m.payTo(m.account.collateralMint, opts.destination),
          oracles: await this.oracles(m, opts.oracles),
        },
        toBN(amount),
        this.programId,
      ),
    );
  }

  /** `borrow`: borrows `amount` debt tokens to `destination` (default the signer's ATA). */
  async borrow(
    market: MarketLike,
    amount: Amount,
    opts: OracleOptions & { destination?: PublicKey } = {},
  ): Promise<GavelTxResult> {
    return this.onMarket(market, opts, async (m) =>
      borrowIx(
        {
          ...m.ref,
          owner: this.publicKey,
          destination: await m.payTo(m.account.debtMint, opts.destination),
          oracles: await this.oracles(m, opts.oracles),
        },
        toBN(amount),
        this.programId,
      ),
    );
  }

  /**
   * `repay`: repays up to `amount` (or `"all"`) of `owner`'s debt (default the signer's) from
   * `source` (default the signer's associated debt-token account).
   */
  async repay(
    market: MarketLike,
    amount: Amount | "all",
    opts: SendOptions & { owner?: PublicKey; source?: PublicKey } = {},
  ): Promise<GavelTxResult> {
    return this.onMarket(market, opts, (m) =>
      repayIx(
        {
          ...m.ref,
          payer: this.publicKey,
          owner: opts.owner ?? this.publicKey,
          source: opts.source ?? this.ata(m.account.debtMint),
        },
        amount === "all" ? REPAY_ALL : toBN(amount),
        this.programId,
      ),
    );
  }

  // ------------------------------------------------------------------------------------------
  // Liquidity providers and insurers

  /** `deposit_liquidity`: deposits `amount` debt tokens for LP shares. */
  async depositLiquidity(
    market: MarketLike,
    amount: Amount,
    opts: SendOptions & { debtAccount?: PublicKey; shareAccount?: PublicKey } = {},
  ): Promise<GavelTxResult> {
    return this.onMarket(market, opts, async (m) =>
      depositLiquidityIx(
        {
          ...m.ref,
          lp: this.publicKey,
          lpShareAccount: await m.payTo(m.account.shareMint, opts.shareAccount),
          lpDebtAccount: opts.debtAccount ?? this.ata(m.account.debtMint),
        },
        toBN(amount),
        this.programId,
      ),
    );
  }

  /**
   * `request_withdrawal`: moves `shares` into this wallet's withdrawal request; claim them with
   * {@link withdrawLiquidity} once the market's `withdrawCooldownSecs` has passed.
   */
  async requestWithdrawal(
    market: MarketLike,
    shares: Amount,
    opts: SendOptions & { shareAccount?: PublicKey } = {},
  ): Promise<GavelTxResult> {
    return this.onMarket(market, opts, (m) =>
      requestWithdrawalIx(
        { ...m.ref, lp: this.publicKey, lpShareAccount: opts.shareAccount ?? this.ata(m.account.shareMint) },
        toBN(shares),
        this.programId,
      ),
    );
  }

  /**
   * `withdraw_liquidity`: claims `shares` of this wallet's withdrawal request (after its cooldown)
   * for debt tokens, at min(value at request, value now), paid from idle cash.
   */
  async withdrawLiquidity(
    market: MarketLike,
    shares: Amount,
    opts: SendOptions & { debtAccount?: PublicKey } = {},
  ): Promise<GavelTxResult> {
    return this.onMarket(market, opts, async (m) =>
      withdrawLiquidityIx(
        { ...m.ref, lp: this.publicKey, lpDebtAccount: await m.payTo(m.account.debtMint, opts.debtAccount) },
        toBN(shares),
        this.programId,
      ),
    );
  }

  /** `cancel_withdrawal`: takes back the shares of this wallet's withdrawal request. */
  async cancelWithdrawal(
    market: MarketLike,
    opts: SendOptions & { shareAccount?: PublicKey } = {},
  ): Promise<GavelTxResult> {
    return this.onMarket(market, opts, async (m) =>
      cancelWithdrawalIx(
        {
          ...m.ref,
          lp: this.publicKey,
          lpShareAccount: await m.payTo(m.account.shareMint, opts.shareAccount),
        },
        this.programId,
      ),
    );
  }

  /** `fund_insurance`: adds `amount` debt tokens to the market's insurance fund. */
  async fundInsurance(
    market: MarketLike,
    amount: Amount,
    opts: SendOptions & { source?: PublicKey } = {},
  ): Promise<GavelTxResult> {
    return this.onMarket(market, opts, (m) =>
      fundInsuranceIx(
        { ...m.ref, funder: this.publicKey, funderDebtAccount: opts.source ?? this.ata(m.account.debtMint) },
        toBN(amount),
        this.programId,
      ),
    );
  }

  /** `accrue`: compounds the market's borrow index up to now. */
  async accrue(market: MarketLike, opts: SendOptions = {}): Promise<GavelTxResult> {
    return this.send([accrueIx({ market: this.marketAddress(market) }, this.programId)], opts);
  }

  /**
   * `fund_backstop`: moves the funding the market owes its backstop (interest and penalty shares,
   * up to the market's idle cash) into the pool. Anyone may; the signer only pays the fee.
   */
  async fundBackstop(market: MarketLike, opts: SendOptions = {}): Promise<GavelTxResult> {
    return this.onMarket(market, opts, (m) => fundBackstopIx(m.ref, this.programId));
  }

  // ------------------------------------------------------------------------------------------
  // Keepers and bidders

  /**
   * `kick`: starts the auction of `owner`'s unsafe position. The reward goes to `rewardAccount`
   * (default the signer's associated debt-token account, created when missing; the program
   * requires an account owned by the signer). Returns the new auction's address with the result.
   */
  async kick(
    market: MarketLike,
    owner: PublicKey,
    opts: OracleOptions & { rewardAccount?: PublicKey } = {},
  ): Promise<GavelTxResult & { auction: PublicKey }> {
    let expected = PublicKey.default;
    const res = await this.onMarket(market, opts, async (m) => {
      const auctionId = m.account.auctionCount;
      expected = auctionPda(m.publicKey, auctionId, this.programId)[0];
      return kickIx(
        {
          ...m.ref,
          kicker: this.publicKey,
          owner,
          auctionId,
          kickerDebtAccount: await m.payTo(m.account.debtMint, opts.rewardAccount),
          oracles: await this.oracles(m, opts.oracles),
        },
        this.programId,
      );
    });
    const started = res.events.find((e) => e.name === "auctionStarted");
    return { ...res, auction: started ? (started.data.auction as PublicKey) : expected };
  }

  /**
   * `take`: buys up to `maxCollateral` (default the whole lot) at the auction's current price, if
   * it is at most `maxPrice` (default the price at the chain's clock now; prices only fall, so the
   * default never pays more than quoted). Throws {@link AuctionGoneError} when the auction was
   * settled before the take could run.
   */
  async take(auction: AuctionLike, opts: TakeOptions = {}): Promise<GavelTxResult> {
    return this.onAuction(auction, opts, async (a, m) => {
      const { accounts, limits } = await this.takeSetup(a, m, opts);
      return takeIx(accounts, limits, this.programId);
    });
  }

  /**
   * Flash take: `take_begin` (collateral out first), then `middle` (e.g. a swap of the collateral
   * into the debt token, which must leave enough in `debtSource`), then `take_end` (payment), in
   * one transaction. Limits and accounts as in {@link GavelClient.take}.
   */
  async flashTake(
    auction: AuctionLike,
    middle: TransactionInstruction[],
    opts: TakeOptions = {},
  ): Promise<GavelTxResult> {
    return this.onAuction(auction, opts, async (a, m) => {
      const { accounts, limits } = await this.takeSetup(a, m, opts);
      return flashTakeIxs(accounts, limits, middle, this.programId);
    });
  }

  /**
   * `reset_auction`: restarts an auction past its tail or below its cusp from a fresh price; the
   * reward goes to `rewardAccount` (default the signer's associated debt-token account; the program
   * requires an account owned by the signer).
   */
  async resetAuction(
    auction: AuctionLike,
    opts: OracleOptions & { rewardAccount?: PublicKey } = {},
  ): Promise<GavelTxResult> {
    return this.onAuction(auction, opts, async (a, m) =>
      resetAuctionIx(
        {
          ...m.ref,
          caller: this.publicKey,
          auction: a.publicKey,
          callerDebtAccount: await m.payTo(m.account.debtMint, opts.rewardAccount),
          oracles: await this.oracles(m, opts.oracles),
        },
        this.programId,
      ),
    );
  }

  // ------------------------------------------------------------------------------------------
  // Backstop pool

  /** Admin: `create_backstop` — creates `market`'s backstop pool with `params`. */
  async createBackstop(
    market: MarketLike,
    params: BackstopParams,
    opts: SendOptions = {},
  ): Promise<GavelTxResult> {
    return this.onMarket(market, opts, (m) =>
      createBackstopIx({ admin: this.publicKey, ...m.ref }, params, this.programId),
    );
  }

  /** Admin: `update_backstop` — replaces the backstop's parameters. */
  async updateBackstop(
    market: MarketLike,
    params: BackstopParams,
    opts: SendOptions = {},
  ): Promise<GavelTxResult> {
    return this.onMarket(market, opts, (m) =>
      updateBackstopIx({ admin: this.publicKey, ...m.ref }, params, this.programId),
    );
  }

  /**
   * `deposit_backstop`: deposits `amount` debt tokens (they warm up for `warmupSecs`) and turns a
   * warmed-up deposit into shares (`amount` 0: only that). The shares go to `shareAccount`
   * (default the signer's associated account of the backstop share mint, created when missing);
   * the market's oracles are passed when the pool holds collateral (they price the shares).
   */
  async depositBackstop(
    market: MarketLike,
    amount: Amount,
    opts: OracleOptions & { debtAccount?: PublicKey; shareAccount?: PublicKey } = {},
  ): Promise<GavelTxResult> {
    return this.onMarket(market, opts, async (m) => {
      const pool = await this.mustLoadBackstop(m);
      return depositBackstopIx(
        {
          ...m.ref,
          depositor: this.publicKey,
          depositorShareAccount: await m.payTo(
            backstopAddresses(m.publicKey, this.programId).shareMint,
            opts.shareAccount,
          ),
          depositorDebtAccount: opts.debtAccount ?? this.ata(m.account.debtMint),
          oracles: pool.collateral.isZero() && !opts.oracles ? [] : await this.oracles(m, opts.oracles),
        },
        toBN(amount),
        this.programId,
      );
    });
  }

  /**
   * `request_backstop_withdrawal`: burns `shares` into this wallet's withdrawal request, paid by
   * {@link withdrawBackstop} after the backstop's `withdrawCooldownSecs`.
   */
  async requestBackstopWithdrawal(
    market: MarketLike,
    shares: Amount,
    opts: SendOptions & { shareAccount?: PublicKey } = {},
  ): Promise<GavelTxResult> {
    return this.onMarket(market, opts, (m) =>
      requestBackstopWithdrawalIx(
        {
          ...m.ref,
          depositor: this.publicKey,
          depositorShareAccount:
            opts.shareAccount ?? this.ata(backstopAddresses(m.publicKey, this.programId).shareMint),
        },
        toBN(shares),
        this.programId,
      ),
    );
  }

  /**
   * `withdraw_backstop`: pays this wallet's withdrawal request after its cooldown, pro rata in
   * debt tokens and collateral (default the signer's associated accounts, created when missing).
   */
  async withdrawBackstop(
    market: MarketLike,
    opts: SendOptions & { debtAccount?: PublicKey; collateralAccount?: PublicKey } = {},
  ): Promise<GavelTxResult> {
    return this.onMarket(market, opts, async (m) =>
      withdrawBackstopIx(
        {
          ...m.ref,
          depositor: this.publicKey,
          depositorDebtAccount: await m.payTo(m.account.debtMint, opts.debtAccount),
          depositorCollateralAccount: await m.payTo(m.account.collateralMint, opts.collateralAccount),
        },
        this.programId,
      ),
    );
  }

  /**
   * `absorb`: the market's backstop buys what is left of a stalled or near-insolvent auction at
   * the auction's current price; the reward goes to `rewardAccount` (default the signer's
   * associated debt-token account; the program requires an account owned by the signer).
   */
  async absorb(
    auction: AuctionLike,
    opts: OracleOptions & { rewardAccount?: PublicKey } = {},
  ): Promise<GavelTxResult> {
    return this.onAuction(auction, opts, async (a, m) =>
      absorbIx(
        {
          ...m.ref,
          auction: a.publicKey,
          position: a.account.position,
          kicker: a.account.kicker,
          caller: this.publicKey,
          callerDebtAccount: await m.payTo(m.account.debtMint, opts.rewardAccount),
          oracles: await this.oracles(m, opts.oracles),
        },
        this.programId,
      ),
    );
  }

  /**
   * `buy_from_backstop`: buys up to `maxCollateral` (default all) of the backstop's collateral at
   * oracle × (1 − `buyDiscountBps`), if that is at most `maxPrice` (default the price at the
   * oracle accounts read now). Collateral to `collateralAccount` (default the signer's associated
   * account, created when missing), paid from `debtAccount` (default the associated account).
   */
  async buyFromBackstop(
    market: MarketLike,
    opts: OracleOptions & {
      maxCollateral?: Amount;
      maxPrice?: Amount;
      debtAccount?: PublicKey;
      collateralAccount?: PublicKey;
    } = {},
  ): Promise<GavelTxResult> {
    return this.onMarket(market, opts, async (m) => {
      const pool = await this.mustLoadBackstop(m);
      const oracles = await this.oracles(m, opts.oracles);
      let maxPrice: BN;
      if (opts.maxPrice !== undefined) {
        maxPrice = toBN(opts.maxPrice);
      } else {
        const price = buyPrice(await this.oracleMid(m, oracles), new BN(pool.params.buyDiscountBps));
        if (!price) throw new Error("backstop buy price out of range");
        maxPrice = price;
      }
      return buyFromBackstopIx(
        {
          ...m.ref,
          buyer: this.publicKey,
          buyerCollateralAccount: await m.payTo(m.account.collateralMint, opts.collateralAccount),
          buyerDebtAccount: opts.debtAccount ?? this.ata(m.account.debtMint),
          oracles,
        },
        {
          maxCollateral: opts.maxCollateral === undefined ? pool.collateral : toBN(opts.maxCollateral),
          maxPrice,
        },
        this.programId,
      );
    });
  }

  // ------------------------------------------------------------------------------------------
  // Sending

  /**
   * Sends any instructions through the client's pipeline: compute budget, simulation (typed
   * errors before signing), signature, send, confirmation, events. The signer pays.
   */
  async send(instructions: TransactionInstruction[], opts: SendOptions = {}): Promise<GavelTxResult> {
    const o: SendOptions = { ...this.defaults };
    for (const [k, v] of Object.entries(opts)) if (v !== undefined) (o as Record<string, unknown>)[k] = v;
    const budget = (limit?: number): TransactionInstruction[] => {
      const out: TransactionInstruction[] = [];
      if (limit !== undefined) out.push(ComputeBudgetProgram.setComputeUnitLimit({ units: limit }));
      if (o.priorityFeeMicroLamports !== undefined && BigInt(o.priorityFeeMicroLamports) > 0n) {
        out.push(ComputeBudgetProgram.setComputeUnitPrice({ microLamports: o.priorityFeeMicroLamports }));
      }
      return out;
    };
    const fixed = typeof o.computeUnitLimit === "number" ? o.computeUnitLimit : undefined;
    let ixs = [...budget(o.computeUnitLimit === "simulate" ? MAX_COMPUTE_UNITS : fixed), ...instructions];
    // 1. Simulate (unsigned; the node substitutes a recent blockhash).
    const sim = await this.connection.simulateTransaction(this.compile(ixs, PublicKey.default.toBase58()), {
      sigVerify: false,
      replaceRecentBlockhash: true,
      commitment: this.commitment,
    });
    if (sim.value.err) {
      const logs = sim.value.logs ?? [];
      const mapped = toGavelError(
        { err: sim.value.err, logs },
        { instructions: ixs, programId: this.programId, logs },
      );
      if (mapped instanceof Error) throw mapped;
      throw new SendTransactionError({
        action: "simulate",
        signature: "",
        transactionMessage: `Transaction simulation failed: ${JSON.stringify(sim.value.err)}`,
        logs,
      });
    }
    if (o.computeUnitLimit === "simulate") {
      const used = sim.value.unitsConsumed ?? MAX_COMPUTE_UNITS;
      ixs = [...budget(Math.min(MAX_COMPUTE_UNITS, Math.ceil(used * 1.2))), ...instructions];
    }

    // 2. Sign with a fresh blockhash, send, confirm; re-signed with a new one if it expires.
    let sent: SentTransaction;
    try {
      sent = await sendWithBlockhashRetry(
        this.connection,
        (blockhash) => this.sign(this.compile(ixs, blockhash), o.signers ?? []),
        {
          commitment: this.commitment,
          skipPreflight: o.skipPreflight ?? false,
          maxRetries: o.maxRetries,
          maxAttempts: o.maxAttempts,
          fetchLogs: true,
        },
      );
    } catch (e) {
      if (e instanceof SendTransactionError) {
        throw toGavelError(e, { instructions: ixs, programId: this.programId });
      }
      throw e;
    }

    // 3. The outcome and its events.
    const { signature, logs, err } = sent;
    if (err) {
      const mapped = toGavelError({ err, logs }, { instructions: ixs, programId: this.programId, logs });
      if (mapped instanceof Error) throw mapped;
      throw new SendTransactionError({
        action: "send",
        signature,
        transactionMessage: `Transaction ${signature} failed: ${JSON.stringify(err)}`,
        logs,
      });
    }
    return {
      signature,
      events: parseEvents(logs, this.programId),
      logs,
      slot: sent.slot,
      computeUnits: sent.computeUnits,
    };
  }

  // ------------------------------------------------------------------------------------------
  // Internals

  private fetchOpts() {
    return { programId: this.programId, commitment: this.commitment };
  }

  private compile(ixs: TransactionInstruction[], blockhash: string): VersionedTransaction {
    const message = new TransactionMessage({
      payerKey: this.publicKey,
      recentBlockhash: blockhash,
      instructions: ixs,
    }).compileToV0Message();
    return new VersionedTransaction(message);
  }

  private async sign(tx: VersionedTransaction, extra: Signer[]): Promise<VersionedTransaction> {
    if (extra.length > 0) tx.sign(extra);
    if (isKeypair(this.signer)) {
      tx.sign([this.signer]);
      return tx;
    }
    return this.signer.signTransaction(tx);
  }

  private marketAddress(market: MarketLike): PublicKey {
    return "collateralMint" in market
      ? marketPda(market.collateralMint, market.debtMint, this.programId)[0]
      : market;
  }

  private async loadMarket(market: MarketLike): Promise<ProgramAccount<MarketAccount>> {
    const address = this.marketAddress(market);
    const account = await fetchMarket(this.connection, address, this.fetchOpts());
    if (!account) throw new Error(`no Gavel market at ${address.toBase58()}`);
    return { publicKey: address, account };
  }

  private ata(mint: PublicKey, owner: PublicKey = this.publicKey): PublicKey {
    return getAssociatedTokenAddressSync(mint, owner, true);
  }

  private async oracles(m: ProgramAccount<MarketAccount>, given?: PublicKey[]): Promise<PublicKey[]> {
    if (given) return given;
    if (this.options.resolveOracles) return this.options.resolveOracles(m);
    const p = m.account.params;
    const legacy = (kind: number, which: string): void => {
      if (kind !== OracleKind.PythLegacy) {
        throw new Error(
          `market ${m.publicKey.toBase58()} reads its ${which} price from a Pyth pull oracle: ` +
            "pass `oracles` (its PriceUpdateV2 accounts) or the client option `resolveOracles`",
        );
      }
    };
    legacy(p.collateralOracleKind, "collateral");
    const out = [p.collateralOracle];
    if (!p.debtOracle.equals(PublicKey.default)) {
      legacy(p.debtOracleKind, "debt");
      out.push(p.debtOracle);
    }
    return out;
  }

  /** The market's oracle price now (the program's `mid`) from its oracle accounts. */
  private async oracleMid(m: ProgramAccount<MarketAccount>, given?: PublicKey[]): Promise<BN> {
    const keys = await this.oracles(m, given);
    const infos = await this.connection.getMultipleAccountsInfo(keys, this.commitment);
    const data = infos.map((info, i) => {
      if (!info) throw new Error(`oracle account ${keys[i].toBase58()} does not exist`);
      return info.data;
    });
    const mid = marketOraclePrice(m.account, data);
    if (!mid) throw new Error(`market ${m.publicKey.toBase58()}: oracle price out of range`);
    return mid;
  }

  private async mustLoadBackstop(m: ProgramAccount<MarketAccount>): Promise<BackstopAccount> {
    const pool = await this.getBackstop(m.publicKey);
    if (!pool) throw new Error(`market ${m.publicKey.toBase58()} has no backstop`);
    return pool;
  }

  private auctionAddress(auction: AuctionLike): PublicKey {
    return "account" in auction ? auction.publicKey : auction;
  }

  private async loadAuction(auction: AuctionLike): Promise<ProgramAccount<AuctionAccount> | null> {
    if ("account" in auction) return auction;
    const account = await this.getAuction(auction);
    return account ? { publicKey: auction, account } : null;
  }

  private async mustLoadAuction(auction: AuctionLike): Promise<ProgramAccount<AuctionAccount>> {
    const a = await this.loadAuction(auction);
    if (!a) throw new AuctionGoneError(this.auctionAddress(auction));
    return a;
  }

  /** Runs `action`; if it fails and the auction no longer exists, throws `AuctionGoneError` instead. */
  private async raceGuard<T>(auction: PublicKey, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (e) {
      if (e instanceof AuctionGoneError) throw e;
      const still = await this.getAuction(auction).catch(() => undefined);
      if (still === null) throw new AuctionGoneError(auction, e);
      throw e;
    }
  }

  /** Accounts and limits of a take of `a` (the options' or their defaults). */
  private async takeSetup(a: ProgramAccount<AuctionAccount>, m: MarketCall, opts: TakeOptions) {
    const collateralDestination = await m.payTo(m.account.collateralMint, opts.collateralDestination);
    const oracles = isAnchored(a.account) ? await this.oracles(m, opts.oracles) : [];
    let maxPrice: BN;
    if (opts.maxPrice !== undefined) maxPrice = toBN(opts.maxPrice);
    else {
      const clock = await this.getClock();
      const mid = isAnchored(a.account) ? await this.oracleMid(m, oracles) : undefined;
      maxPrice = takePrice(m.account.params, a.account, clock.unixTimestamp, mid);
    }
    return {
      accounts: {
        ...m.ref,
        auction: a.publicKey,
        position: a.account.position,
        kicker: a.account.kicker,
        taker: this.publicKey,
        collateralDestination,
        debtSource: opts.debtSource ?? this.ata(m.account.debtMint),
        oracles,
      },
      limits: {
        maxCollateral: opts.maxCollateral !== undefined ? toBN(opts.maxCollateral) : a.account.lot,
        maxPrice,
      },
    };
  }

  /**
   * Loads `market`, builds the action's instructions with `build` and sends them, after those
   * creating the accounts `build` asked `payTo` for.
   */
  private async onMarket(
    market: MarketLike,
    opts: SendOptions,
    build: (m: MarketCall) => Instructions | Promise<Instructions>,
  ): Promise<GavelTxResult> {
    const loaded = await this.loadMarket(market);
    const create: TransactionInstruction[] = [];
    const m: MarketCall = {
      ...loaded,
      ref: { collateralMint: loaded.account.collateralMint, debtMint: loaded.account.debtMint },
      payTo: async (mint, given) => {
        if (given) return given;
        const address = this.ata(mint);
        if (this.options.createTokenAccounts === false) return address;
        if (await this.connection.getAccountInfo(address, this.commitment)) return address;
        create.push(
          createAssociatedTokenAccountIdempotentInstruction(this.publicKey, address, this.publicKey, mint),
        );
        return address;
      },
    };
    const built = await build(m);
    return this.send([...create, ...[built].flat()], opts);
  }

  /**
   * {@link onMarket} for an action on an auction: loads it, then its market; throws
   * `AuctionGoneError` when the auction is gone, before or during the action.
   */
  private onAuction(
    auction: AuctionLike,
    opts: SendOptions,
    build: (a: ProgramAccount<AuctionAccount>, m: MarketCall) => Promise<Instructions>,
  ): Promise<GavelTxResult> {
    return this.raceGuard(this.auctionAddress(auction), async () => {
      const a = await this.mustLoadAuction(auction);
      return this.onMarket(a.account.market, opts, (m) => build(a, m));
    });
  }
}

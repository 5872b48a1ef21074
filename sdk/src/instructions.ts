/**
 * Instruction builders: each returns a `TransactionInstruction` and sends nothing. The builders
 * name the accounts; their order, flags and fixed addresses come from `./generated/accounts`
 * (generated from the program's instruction table, `programs/gavel/instructions.js`), and
 * `tests/05_lending.spec.ts` checks each builder against Anchor's
 * `program.methods.<ix>().accountsStrict()`.
 * @module
 */
import BN from "bn.js";
import { AccountMeta, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { PROGRAM_ID } from "./constants";
import * as metas from "./generated/accounts";
import {
  auctionPda,
  backstopAddresses,
  backstopDepositorPda,
  configPda,
  marketAddresses,
  positionPda,
  withdrawalRequestPda,
} from "./pda";
import { coder } from "./program";
import { BackstopParams, MarketParams, withFundingDefaults } from "./types";

function build(
  name: string,
  args: Record<string, unknown>,
  keys: AccountMeta[],
  programId: PublicKey,
): TransactionInstruction {
  return new TransactionInstruction({ programId, keys, data: coder.instruction.encode(name, args) });
}

/** A market's identity: its mints (everything else derives from them). */
export interface MarketRef {
  collateralMint: PublicKey;
  debtMint: PublicKey;
}

/** `initialize_config`: creates the Config PDA with `admin` as admin and stop level 0. */
export function initializeConfigIx(
  accounts: { admin: PublicKey },
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  return build(
    "initializeConfig",
    {},
    metas.initializeConfigAccountMetas({ admin: accounts.admin, config: configPda(programId)[0] }),
    programId,
  );
}

/** `set_stop`: admin sets the stop level (0..=3). */
export function setStopIx(
  accounts: { admin: PublicKey },
  stop: number,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  return build(
    "setStop",
    { stop },
    metas.setStopAccountMetas({ admin: accounts.admin, config: configPda(programId)[0] }),
    programId,
  );
}

/** `transfer_admin`: admin nominates `newAdmin` (PublicKey.default cancels). */
export function transferAdminIx(
  accounts: { admin: PublicKey },
  newAdmin: PublicKey,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  return build(
    "transferAdmin",
    { newAdmin },
    metas.transferAdminAccountMetas({ admin: accounts.admin, config: configPda(programId)[0] }),
    programId,
  );
}

/** `accept_admin`: the nominated admin takes over. */
export function acceptAdminIx(
  accounts: { pendingAdmin: PublicKey },
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  return build(
    "acceptAdmin",
    {},
    metas.acceptAdminAccountMetas({ pendingAdmin: accounts.pendingAdmin, config: configPda(programId)[0] }),
    programId,
  );
}

/** `create_market`: admin creates a market with its vaults and share mint. */
export function createMarketIx(
  accounts: { admin: PublicKey } & MarketRef,
  params: MarketParams,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const m = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  return build(
    "createMarket",
    { params: withFundingDefaults(params) },
    metas.createMarketAccountMetas({
      admin: accounts.admin,
      config: configPda(programId)[0],
      market: m.market,
      collateralMint: accounts.collateralMint,
      debtMint: accounts.debtMint,
      collateralVault: m.collateralVault,
      liquidityVault: m.liquidityVault,
      shareMint: m.shareMint,
    }),
    programId,
  );
}

/** `update_market`: admin replaces a market's parameters. */
export function updateMarketIx(
  accounts: { admin: PublicKey; market: PublicKey },
  params: MarketParams,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  return build(
    "updateMarket",
    { params: withFundingDefaults(params) },
    metas.updateMarketAccountMetas({
      admin: accounts.admin,
      config: configPda(programId)[0],
      market: accounts.market,
    }),
    programId,
  );
}

/** Accounts of the LP instructions. */
export interface LiquidityAccounts extends MarketRef {
  lp: PublicKey;
  /** LP's debt-token account. */
  lpDebtAccount: PublicKey;
  /** LP's share-token account. */
  lpShareAccount: PublicKey;
}

/** `deposit_liquidity`: LP deposits `amount` debt tokens for shares. */
export function depositLiquidityIx(
  accounts: LiquidityAccounts,
  amount: BN,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const m = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  return build(
    "depositLiquidity",
    { amount },
    metas.depositLiquidityAccountMetas({
      lp: accounts.lp,
      config: configPda(programId)[0],
      market: m.market,
      liquidityVault: m.liquidityVault,
      shareMint: m.shareMint,
      lpDebtAccount: accounts.lpDebtAccount,
      lpShareAccount: accounts.lpShareAccount,
    }),
    programId,
  );
}

/**
 * `request_withdrawal`: first step of a withdrawal. Moves `shares` out of the LP's share account
 * into the LP's `WithdrawalRequest` PDA (rent paid by the LP), claimable after the market's
 * `withdrawCooldownSecs` with {@link withdrawLiquidityIx}.
 */
export function requestWithdrawalIx(
  accounts: Omit<LiquidityAccounts, "lpDebtAccount">,
  shares: BN,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const m = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  return build(
    "requestWithdrawal",
    { shares },
    metas.requestWithdrawalAccountMetas({
      lp: accounts.lp,
      config: configPda(programId)[0],
      market: m.market,
      shareMint: m.shareMint,
      lpShareAccount: accounts.lpShareAccount,
      withdrawalRequest: withdrawalRequestPda(m.market, accounts.lp, programId)[0],
    }),
    programId,
  );
}

/**
 * `withdraw_liquidity`: claims `shares` of the LP's withdrawal request (after its cooldown) for
 * debt tokens, at min(value at request, value now); closes the request when it is empty.
 */
export function withdrawLiquidityIx(
  accounts: Omit<LiquidityAccounts, "lpShareAccount">,
  shares: BN,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const m = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  return build(
    "withdrawLiquidity",
    { shares },
    metas.withdrawLiquidityAccountMetas({
      lp: accounts.lp,
      config: configPda(programId)[0],
      market: m.market,
      liquidityVault: m.liquidityVault,
      lpDebtAccount: accounts.lpDebtAccount,
      withdrawalRequest: withdrawalRequestPda(m.market, accounts.lp, programId)[0],
    }),
    programId,
  );
}

/**
 * `cancel_withdrawal`: returns the shares of the LP's withdrawal request to `lpShareAccount`
 * (those worth more than the request's value now are forfeited to the pool) and closes it.
 */
export function cancelWithdrawalIx(
  accounts: Omit<LiquidityAccounts, "lpDebtAccount">,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const m = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  return build(
    "cancelWithdrawal",
    {},
    metas.cancelWithdrawalAccountMetas({
      lp: accounts.lp,
      config: configPda(programId)[0],
      market: m.market,
      shareMint: m.shareMint,
      lpShareAccount: accounts.lpShareAccount,
      withdrawalRequest: withdrawalRequestPda(m.market, accounts.lp, programId)[0],
    }),
    programId,
  );
}

/** `fund_insurance`: anyone adds `amount` to the insurance fund. */
export function fundInsuranceIx(
  accounts: MarketRef & { funder: PublicKey; funderDebtAccount: PublicKey },
  amount: BN,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const m = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  return build(
    "fundInsurance",
    { amount },
    metas.fundInsuranceAccountMetas({
      funder: accounts.funder,
      market: m.market,
      liquidityVault: m.liquidityVault,
      funderDebtAccount: accounts.funderDebtAccount,
    }),
    programId,
  );
}

/** `open_position`: `owner` opens their position. */
export function openPositionIx(
  accounts: MarketRef & { owner: PublicKey },
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const { market } = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  return build(
    "openPosition",
    {},
    metas.openPositionAccountMetas({
      owner: accounts.owner,
      config: configPda(programId)[0],
      market,
      position: positionPda(market, accounts.owner, programId)[0],
    }),
    programId,
  );
}

/** `deposit_collateral`: `depositor` adds collateral from `source` to `owner`'s position. */
export function depositCollateralIx(
  accounts: MarketRef & { depositor: PublicKey; owner: PublicKey; source: PublicKey },
  amount: BN,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const m = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  return build(
    "depositCollateral",
    { amount },
    metas.depositCollateralAccountMetas({
      depositor: accounts.depositor,
      market: m.market,
      position: positionPda(m.market, accounts.owner, programId)[0],
      collateralVault: m.collateralVault,
      source: accounts.source,
    }),
    programId,
  );
}

/** Oracle accounts of a market: collateral oracle, then the debt oracle if the market has one. */
export type OracleAccounts = PublicKey[];

/** `withdraw_collateral`: owner withdraws `amount` to `destination`. */
export function withdrawCollateralIx(
  accounts: MarketRef & { owner: PublicKey; destination: PublicKey; oracles: OracleAccounts },
  amount: BN,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const m = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  return build(
    "withdrawCollateral",
    { amount },
    metas.withdrawCollateralAccountMetas(
      {
        owner: accounts.owner,
        config: configPda(programId)[0],
        market: m.market,
        position: positionPda(m.market, accounts.owner, programId)[0],
        collateralVault: m.collateralVault,
        destination: accounts.destination,
      },
      accounts.oracles,
    ),
    programId,
  );
}

/** `borrow`: owner borrows `amount` to `destination`. */
export function borrowIx(
  accounts: MarketRef & { owner: PublicKey; destination: PublicKey; oracles: OracleAccounts },
  amount: BN,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const m = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  return build(
    "borrow",
    { amount },
    metas.borrowAccountMetas(
      {
        owner: accounts.owner,
        config: configPda(programId)[0],
        market: m.market,
        position: positionPda(m.market, accounts.owner, programId)[0],
        liquidityVault: m.liquidityVault,
        destination: accounts.destination,
      },
      accounts.oracles,
    ),
    programId,
  );
}

/** Repays everything (`repay` caps at the debt). */
export const REPAY_ALL = new BN("18446744073709551615");

/** `repay`: `payer` repays up to `amount` of `owner`'s debt from `source`. */
export function repayIx(
  accounts: MarketRef & { payer: PublicKey; owner: PublicKey; source: PublicKey },
  amount: BN,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const m = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  return build(
    "repay",
    { amount },
    metas.repayAccountMetas({
      payer: accounts.payer,
      market: m.market,
      position: positionPda(m.market, accounts.owner, programId)[0],
      liquidityVault: m.liquidityVault,
      source: accounts.source,
    }),
    programId,
  );
}

/** `close_position`: owner closes their empty position. */
export function closePositionIx(
  accounts: MarketRef & { owner: PublicKey },
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const { market } = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  return build(
    "closePosition",
    {},
    metas.closePositionAccountMetas({
      owner: accounts.owner,
      market,
      position: positionPda(market, accounts.owner, programId)[0],
    }),
    programId,
  );
}

/** `accrue`: compounds the market's borrow index. */
export function accrueIx(
  accounts: { market: PublicKey },
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  return build("accrue", {}, metas.accrueAccountMetas({ market: accounts.market }), programId);
}

/** `kick`: starts auction number `auctionId` (= the market's `auctionCount`) of `owner`'s position. */
export function kickIx(
  accounts: MarketRef & {
    kicker: PublicKey;
    owner: PublicKey;
    auctionId: BN;
    kickerDebtAccount: PublicKey;
    oracles: OracleAccounts;
  },
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const m = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  return build(
    "kick",
    {},
    metas.kickAccountMetas(
      {
        kicker: accounts.kicker,
        config: configPda(programId)[0],
        market: m.market,
        position: positionPda(m.market, accounts.owner, programId)[0],
        auction: auctionPda(m.market, accounts.auctionId, programId)[0],
        liquidityVault: m.liquidityVault,
        kickerDebtAccount: accounts.kickerDebtAccount,
      },
      accounts.oracles,
    ),
    programId,
  );
}

/** An auction as the take instructions need it (from a decoded `Auction` account). */
export interface AuctionRef extends MarketRef {
  /** Auction address. */
  auction: PublicKey;
  /** `auction.position`. */
  position: PublicKey;
  /** `auction.kicker` (receives the rent when a take closes the auction). */
  kicker: PublicKey;
}

/** Limits of a take: how much collateral at most, and the highest acceptable price. */
export interface TakeLimits {
  maxCollateral: BN;
  /** PRICE_SCALE; the take fails if the auction price is above it. */
  maxPrice: BN;
}

/**
 * Oracle accounts a take passes: none for a Maker-mode auction; the market's oracles (collateral,
 * then debt) for an anchored auction, whose price the program reads at the take.
 */
export interface TakeOracles {
  oracles?: OracleAccounts;
}

/** `take`: buys up to `maxCollateral` at the current price if it is ≤ `maxPrice`. */
export function takeIx(
  accounts: AuctionRef &
    TakeOracles & { taker: PublicKey; collateralDestination: PublicKey; debtSource: PublicKey },
  limits: TakeLimits,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const m = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  return build(
    "take",
    { maxCollateral: limits.maxCollateral, maxPrice: limits.maxPrice },
    metas.takeAccountMetas(
      {
        taker: accounts.taker,
        config: configPda(programId)[0],
        market: m.market,
        auction: accounts.auction,
        position: accounts.position,
        collateralVault: m.collateralVault,
        liquidityVault: m.liquidityVault,
        collateralDestination: accounts.collateralDestination,
        debtSource: accounts.debtSource,
        kicker: accounts.kicker,
      },
      accounts.oracles ?? [],
    ),
    programId,
  );
}

/** `take_begin`: flash take, first half (collateral out). Use {@link flashTakeIxs}. */
export function takeBeginIx(
  accounts: AuctionRef & TakeOracles & { taker: PublicKey; collateralDestination: PublicKey },
  limits: TakeLimits,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const m = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  return build(
    "takeBegin",
    { maxCollateral: limits.maxCollateral, maxPrice: limits.maxPrice },
    metas.takeBeginAccountMetas(
      {
        taker: accounts.taker,
        config: configPda(programId)[0],
        market: m.market,
        auction: accounts.auction,
        collateralVault: m.collateralVault,
        collateralDestination: accounts.collateralDestination,
      },
      accounts.oracles ?? [],
    ),
    programId,
  );
}

/** `take_end`: flash take, second half (payment in). Use {@link flashTakeIxs}. */
export function takeEndIx(
  accounts: AuctionRef & { payer: PublicKey; debtSource: PublicKey },
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const m = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  return build(
    "takeEnd",
    {},
    metas.takeEndAccountMetas({
      payer: accounts.payer,
      market: m.market,
      auction: accounts.auction,
      position: accounts.position,
      liquidityVault: m.liquidityVault,
      debtSource: accounts.debtSource,
      kicker: accounts.kicker,
    }),
    programId,
  );
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

/** `reset_auction`: restarts a stalled auction from a fresh price; `callerDebtAccount` gets the reward. */
export function resetAuctionIx(
  accounts: MarketRef & {
    caller: PublicKey;
    auction: PublicKey;
    callerDebtAccount: PublicKey;
    oracles: OracleAccounts;
  },
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const m = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  return build(
    "resetAuction",
    {},
    metas.resetAuctionAccountMetas(
      {
        caller: accounts.caller,
        config: configPda(programId)[0],
        market: m.market,
        auction: accounts.auction,
        liquidityVault: m.liquidityVault,
        callerDebtAccount: accounts.callerDebtAccount,
      },
      accounts.oracles,
    ),
    programId,
  );
}

/** `cancel_auction`: admin at stop 3 returns the auction to its position. */
export function cancelAuctionIx(
  accounts: AuctionRef & { admin: PublicKey },
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const m = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  return build(
    "cancelAuction",
    {},
    metas.cancelAuctionAccountMetas({
      admin: accounts.admin,
      config: configPda(programId)[0],
      market: m.market,
      auction: accounts.auction,
      position: accounts.position,
      kicker: accounts.kicker,
    }),
    programId,
  );
}

/** `create_backstop`: admin creates a market's backstop pool, its share mint and vaults. */
export function createBackstopIx(
  accounts: { admin: PublicKey } & MarketRef,
  params: BackstopParams,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const m = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  const b = backstopAddresses(m.market, programId);
  return build(
    "createBackstop",
    { params },
    metas.createBackstopAccountMetas({
      admin: accounts.admin,
      config: configPda(programId)[0],
      market: m.market,
      backstop: b.backstop,
      collateralMint: accounts.collateralMint,
      debtMint: accounts.debtMint,
      shareMint: b.shareMint,
      debtVault: b.debtVault,
      collateralVault: b.collateralVault,
    }),
    programId,
  );
}

/** `update_backstop`: admin replaces a backstop's parameters. */
export function updateBackstopIx(
  accounts: { admin: PublicKey } & MarketRef,
  params: BackstopParams,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const m = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  return build(
    "updateBackstop",
    { params },
    metas.updateBackstopAccountMetas({
      admin: accounts.admin,
      config: configPda(programId)[0],
      backstop: backstopAddresses(m.market, programId).backstop,
    }),
    programId,
  );
}

/**
 * `deposit_backstop`: deposits `amount` debt tokens (they warm up first) and turns the depositor's
 * warmed-up deposit into shares (`amount` 0: only that). Pass the market's `oracles` when the
 * pool holds collateral (they price the new shares).
 */
export function depositBackstopIx(
  accounts: MarketRef & {
    depositor: PublicKey;
    depositorDebtAccount: PublicKey;
    depositorShareAccount: PublicKey;
    oracles?: OracleAccounts;
  },
  amount: BN,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const m = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  const b = backstopAddresses(m.market, programId);
  return build(
    "depositBackstop",
    { amount },
    metas.depositBackstopAccountMetas(
      {
        depositor: accounts.depositor,
        config: configPda(programId)[0],
        market: m.market,
        backstop: b.backstop,
        depositorAccount: backstopDepositorPda(b.backstop, accounts.depositor, programId)[0],
        debtVault: b.debtVault,
        shareMint: b.shareMint,
        depositorDebtAccount: accounts.depositorDebtAccount,
        depositorShareAccount: accounts.depositorShareAccount,
      },
      accounts.oracles ?? [],
    ),
    programId,
  );
}

/** `request_backstop_withdrawal`: burns `shares` into a withdrawal request (paid after the cooldown). */
export function requestBackstopWithdrawalIx(
  accounts: MarketRef & { depositor: PublicKey; depositorShareAccount: PublicKey },
  shares: BN,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const m = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  const b = backstopAddresses(m.market, programId);
  return build(
    "requestBackstopWithdrawal",
    { shares },
    metas.requestBackstopWithdrawalAccountMetas({
      depositor: accounts.depositor,
      config: configPda(programId)[0],
      backstop: b.backstop,
      depositorAccount: backstopDepositorPda(b.backstop, accounts.depositor, programId)[0],
      shareMint: b.shareMint,
      depositorShareAccount: accounts.depositorShareAccount,
    }),
    programId,
  );
}

/** `withdraw_backstop`: pays the depositor's request, pro rata in debt tokens and collateral. */
export function withdrawBackstopIx(
  accounts: MarketRef & {
    depositor: PublicKey;
    depositorDebtAccount: PublicKey;
    depositorCollateralAccount: PublicKey;
  },
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const m = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  const b = backstopAddresses(m.market, programId);
  return build(
    "withdrawBackstop",
    {},
    metas.withdrawBackstopAccountMetas({
      depositor: accounts.depositor,
      config: configPda(programId)[0],
      market: m.market,
      backstop: b.backstop,
      depositorAccount: backstopDepositorPda(b.backstop, accounts.depositor, programId)[0],
      debtVault: b.debtVault,
      collateralVault: b.collateralVault,
      depositorDebtAccount: accounts.depositorDebtAccount,
      depositorCollateralAccount: accounts.depositorCollateralAccount,
    }),
    programId,
  );
}

/** `absorb`: the backstop buys a stalled or near-insolvent auction's lot; `callerDebtAccount` gets the reward. */
export function absorbIx(
  accounts: AuctionRef & { caller: PublicKey; callerDebtAccount: PublicKey; oracles: OracleAccounts },
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const m = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  const b = backstopAddresses(m.market, programId);
  return build(
    "absorb",
    {},
    metas.absorbAccountMetas(
      {
        caller: accounts.caller,
        config: configPda(programId)[0],
        market: m.market,
        backstop: b.backstop,
        auction: accounts.auction,
        position: accounts.position,
        collateralVault: m.collateralVault,
        liquidityVault: m.liquidityVault,
        backstopDebtVault: b.debtVault,
        backstopCollateralVault: b.collateralVault,
        callerDebtAccount: accounts.callerDebtAccount,
        kicker: accounts.kicker,
      },
      accounts.oracles,
    ),
    programId,
  );
}

/** `buy_from_backstop`: buys up to `maxCollateral` of the backstop's collateral at oracle × (1 − discount). */
export function buyFromBackstopIx(
  accounts: MarketRef & {
    buyer: PublicKey;
    buyerDebtAccount: PublicKey;
    buyerCollateralAccount: PublicKey;
    oracles: OracleAccounts;
  },
  limits: TakeLimits,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const m = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  const b = backstopAddresses(m.market, programId);
  return build(
    "buyFromBackstop",
    { maxCollateral: limits.maxCollateral, maxPrice: limits.maxPrice },
    metas.buyFromBackstopAccountMetas(
      {
        buyer: accounts.buyer,
        config: configPda(programId)[0],
        market: m.market,
        backstop: b.backstop,
        debtVault: b.debtVault,
        collateralVault: b.collateralVault,
        buyerDebtAccount: accounts.buyerDebtAccount,
        buyerCollateralAccount: accounts.buyerCollateralAccount,
      },
      accounts.oracles,
    ),
    programId,
  );
}

/** `fund_backstop`: moves the market's accrued backstop funding (`backstopDue`, up to its idle cash) into the backstop. */
export function fundBackstopIx(
  accounts: MarketRef,
  programId: PublicKey = PROGRAM_ID,
): TransactionInstruction {
  const m = marketAddresses(accounts.collateralMint, accounts.debtMint, programId);
  const b = backstopAddresses(m.market, programId);
  return build(
    "fundBackstop",
    {},
    metas.fundBackstopAccountMetas({
      config: configPda(programId)[0],
      market: m.market,
      backstop: b.backstop,
      liquidityVault: m.liquidityVault,
      debtVault: b.debtVault,
    }),
    programId,
  );
}

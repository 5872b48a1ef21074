/**
 * Account decoders that need no `Program` (fast bulk decoding).
 * @module
 */
import BN from "bn.js";
import { PublicKey } from "@solana/web3.js";
import { coder } from "./program";
import { StopLevel } from "./constants";
import { BackstopParams, MarketParams, PriceMode } from "./types";

/** Decoded `Config` account. */
export interface ConfigAccount {
  admin: PublicKey;
  pendingAdmin: PublicKey;
  stop: StopLevel;
  bump: number;
}

/** Decoded `Market` account. */
export interface MarketAccount {
  bump: number;
  collateralMint: PublicKey;
  debtMint: PublicKey;
  collateralDecimals: number;
  debtDecimals: number;
  collateralVault: PublicKey;
  liquidityVault: PublicKey;
  shareMint: PublicKey;
  totalShares: BN;
  cash: BN;
  insurance: BN;
  artTotal: BN;
  rate: BN;
  lastAccrualTs: BN;
  collateralTotal: BN;
  dirt: BN;
  auctionDebt: BN;
  auctionCount: BN;
  params: MarketParams;
  /** Newest collateral-oracle publish time the market has read (unix seconds); older prices are refused. */
  collateralPublishTime: BN;
  /** The same for the debt oracle (0 without one). */
  debtPublishTime: BN;
  /**
   * Debt tokens owed to the backstop pool (its interest and penalty shares) not yet moved by
   * `fund_backstop`; excluded from the LPs' pool value.
   */
  backstopDue: BN;
}

/** Decoded `Position` account. */
export interface PositionAccount {
  market: PublicKey;
  owner: PublicKey;
  ink: BN;
  art: BN;
  /** Live auctions of this position. */
  auctions: BN;
  bump: number;
}

/** Decoded `WithdrawalRequest` account: an LP's pending withdrawal. */
export interface WithdrawalRequestAccount {
  market: PublicKey;
  lp: PublicKey;
  /** Shares in the request (burned from the LP, still counted in the market's `totalShares`). */
  shares: BN;
  /** Their value at the request: the most a claim or a cancel gives for them. */
  value: BN;
  /** Unix time of the request. */
  requestedTs: BN;
  /** First unix time `withdraw_liquidity` accepts a claim. */
  claimableTs: BN;
  bump: number;
}

/** Decoded `Auction` account. */
export interface AuctionAccount {
  market: PublicKey;
  id: BN;
  position: PublicKey;
  owner: PublicKey;
  kicker: PublicKey;
  /** Debt + penalty still to raise. */
  tab: BN;
  /** Collateral left. */
  lot: BN;
  /** Debt part of the tab. */
  debt: BN;
  /** Maker mode: start price (PRICE_SCALE). Anchored mode: the oracle price at the kick or last reset. */
  top: BN;
  /** Start time of the current curve (unix seconds). */
  tic: BN;
  initialTab: BN;
  initialLot: BN;
  pendingOwe: BN;
  flash: number;
  bump: number;
  /** Debt part of the tab at the kick (the penalty is `initialTab − initialDebt`). */
  initialDebt: BN;
  /** Rewards paid so far by the kick and every reset (at most the penalty). */
  rewardsPaid: BN;
  /** The market's price mode at the kick. */
  priceMode: PriceMode;
  /** Anchored mode: the largest discount, fixed at the kick or last reset. */
  dMaxBps: number;
  /** Unix time of the kick (the backstop's `absorbAfterSecs` runs from here). */
  kickedAt: BN;
}

/** Decoded `Backstop` account (a market's backstop pool). */
export interface BackstopAccount {
  market: PublicKey;
  shareMint: PublicKey;
  debtVault: PublicKey;
  collateralVault: PublicKey;
  /** Share mint supply + shares of pending withdrawal requests. */
  totalShares: BN;
  /** Debt tokens that belong to the shares (accounting, not the vault balance). */
  debt: BN;
  /** Collateral that belongs to the shares. */
  collateral: BN;
  /** Deposits still warming up (not shares yet). */
  warming: BN;
  params: BackstopParams;
  bump: number;
}

/** Decoded `BackstopDepositor` account. */
export interface BackstopDepositorAccount {
  backstop: PublicKey;
  owner: PublicKey;
  warming: BN;
  warmAt: BN;
  withdrawShares: BN;
  withdrawAt: BN;
  bump: number;
}

/** Decodes a `Config` account's data (checks the discriminator). */
export function decodeConfig(data: Buffer | Uint8Array): ConfigAccount {
  const raw = coder.accounts.decode("config", Buffer.from(data));
  return { admin: raw.admin, pendingAdmin: raw.pendingAdmin, stop: raw.stop, bump: raw.bump };
}

/** Decodes a `Market` account's data (checks the discriminator). */
export function decodeMarket(data: Buffer | Uint8Array): MarketAccount {
  return coder.accounts.decode("market", Buffer.from(data)) as MarketAccount;
}

/** Decodes a `Position` account's data (checks the discriminator). */
export function decodePosition(data: Buffer | Uint8Array): PositionAccount {
  const raw = coder.accounts.decode("position", Buffer.from(data));
  return {
    market: raw.market,
    owner: raw.owner,
    ink: raw.ink,
    art: raw.art,
    auctions: raw.auctions,
    bump: raw.bump,
  };
}

/** Decodes a `WithdrawalRequest` account's data (checks the discriminator). */
export function decodeWithdrawalRequest(data: Buffer | Uint8Array): WithdrawalRequestAccount {
  const raw = coder.accounts.decode("withdrawalRequest", Buffer.from(data));
  return {
    market: raw.market,
    lp: raw.lp,
    shares: raw.shares,
    value: raw.value,
    requestedTs: raw.requestedTs,
    claimableTs: raw.claimableTs,
    bump: raw.bump,
  };
}

/** Decodes an `Auction` account's data (checks the discriminator). */
export function decodeAuction(data: Buffer | Uint8Array): AuctionAccount {
  return coder.accounts.decode("auction", Buffer.from(data)) as AuctionAccount;
}

/** Decodes a `Backstop` account's data (checks the discriminator). */
export function decodeBackstop(data: Buffer | Uint8Array): BackstopAccount {
  const raw = coder.accounts.decode("backstop", Buffer.from(data));
  delete raw.reserved;
  return raw as BackstopAccount;
}

/** Decodes a `BackstopDepositor` account's data (checks the discriminator). */
export function decodeBackstopDepositor(data: Buffer | Uint8Array): BackstopDepositorAccount {
  const raw = coder.accounts.decode("backstopDepositor", Buffer.from(data));
  delete raw.reserved;
  return raw as BackstopDepositorAccount;
}

/**
 * Account decoders that need no `Program` (fast bulk decoding).
 * @module
 */
import BN from "bn.js";
import { PublicKey } from "@solana/web3.js";
import { coder } from "./program";
import { BackstopParams, MarketParams } from "./types";

/** Decoded `Config` account. */
export interface ConfigAccount {
  admin: PublicKey;
  pendingAdmin: PublicKey;
  stop: number;
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
  /** Start price (PRICE_SCALE). */
  top: BN;
  /** Start time of the current curve (unix seconds). */
  tic: BN;
  initialTab: BN;
  initialLot: BN;
  pendingOwe: BN;
  flash: number;
  bump: number;
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

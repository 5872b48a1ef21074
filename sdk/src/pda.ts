/**
 * PDA seeds, mirroring the program's `state` modules one to one.
 * @module
 */
import BN from "bn.js";
import { PublicKey } from "@solana/web3.js";
import { PROGRAM_ID } from "./constants";

/** Seed of the `Config` PDA (`state/config.rs: CONFIG_SEED`). */
export const CONFIG_SEED = Buffer.from("config");
/** Seed of market PDAs (`state/market.rs: MARKET_SEED`). */
export const MARKET_SEED = Buffer.from("market");
/** Seed of a market's collateral vault (`COLLATERAL_VAULT_SEED`). */
export const COLLATERAL_VAULT_SEED = Buffer.from("collateral_vault");
/** Seed of a market's liquidity vault (`LIQUIDITY_VAULT_SEED`). */
export const LIQUIDITY_VAULT_SEED = Buffer.from("liquidity_vault");
/** Seed of a market's LP share mint (`SHARE_MINT_SEED`). */
export const SHARE_MINT_SEED = Buffer.from("share_mint");
/** Seed of auction PDAs (`state/auction.rs: AUCTION_SEED`). */
export const AUCTION_SEED = Buffer.from("auction");
/** Seed of position PDAs (`state/position.rs: POSITION_SEED`). */
export const POSITION_SEED = Buffer.from("position");

/** The `Config` PDA `["config"]` and its canonical bump. */
export function configPda(programId: PublicKey = PROGRAM_ID): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([CONFIG_SEED], programId);
}

/** The `Market` PDA `["market", collateral_mint, debt_mint]`. */
export function marketPda(
  collateralMint: PublicKey,
  debtMint: PublicKey,
  programId: PublicKey = PROGRAM_ID,
): [PublicKey, number] {
  return PublicKey.findProgramAddressSync(
    [MARKET_SEED, collateralMint.toBuffer(), debtMint.toBuffer()],
    programId,
  );
}

/** The collateral vault `["collateral_vault", market]`. */
export function collateralVaultPda(
  market: PublicKey,
  programId: PublicKey = PROGRAM_ID,
): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([COLLATERAL_VAULT_SEED, market.toBuffer()], programId);
}

/** The liquidity vault `["liquidity_vault", market]`. */
export function liquidityVaultPda(market: PublicKey, programId: PublicKey = PROGRAM_ID): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([LIQUIDITY_VAULT_SEED, market.toBuffer()], programId);
}

/** The LP share mint `["share_mint", market]`. */
export function shareMintPda(market: PublicKey, programId: PublicKey = PROGRAM_ID): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([SHARE_MINT_SEED, market.toBuffer()], programId);
}

/** The `Position` PDA `["position", market, owner]`. */
export function positionPda(
  market: PublicKey,
  owner: PublicKey,
  programId: PublicKey = PROGRAM_ID,
): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([POSITION_SEED, market.toBuffer(), owner.toBuffer()], programId);
}

/** Seed of withdrawal request PDAs (`state/withdrawal.rs: WITHDRAWAL_SEED`). */
export const WITHDRAWAL_SEED = Buffer.from("withdrawal");

/** The `WithdrawalRequest` PDA `["withdrawal", market, lp]`. */
export function withdrawalRequestPda(
  market: PublicKey,
  lp: PublicKey,
  programId: PublicKey = PROGRAM_ID,
): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([WITHDRAWAL_SEED, market.toBuffer(), lp.toBuffer()], programId);
}

/** Every PDA of a market, derived from its mints. */
export interface MarketAddresses {
  market: PublicKey;
  collateralVault: PublicKey;
  liquidityVault: PublicKey;
  shareMint: PublicKey;
}

/** Derives a market's address and those of its vaults and share mint. */
export function marketAddresses(
  collateralMint: PublicKey,
  debtMint: PublicKey,
  programId: PublicKey = PROGRAM_ID,
): MarketAddresses {
  const [market] = marketPda(collateralMint, debtMint, programId);
  return {
    market,
    collateralVault: collateralVaultPda(market, programId)[0],
    liquidityVault: liquidityVaultPda(market, programId)[0],
    shareMint: shareMintPda(market, programId)[0],
  };
}

/** The `Auction` PDA `["auction", market, id as u64 little endian]`. */
export function auctionPda(
  market: PublicKey,
  id: BN | number | bigint,
  programId: PublicKey = PROGRAM_ID,
): [PublicKey, number] {
  const idLe = new BN(id.toString()).toArrayLike(Buffer, "le", 8);
  return PublicKey.findProgramAddressSync([AUCTION_SEED, market.toBuffer(), idLe], programId);
}

/** Seed of a market's backstop (`state/backstop.rs: BACKSTOP_SEED`). */
export const BACKSTOP_SEED = Buffer.from("backstop");
/** Seed of a backstop's share mint (`BACKSTOP_SHARES_SEED`). */
export const BACKSTOP_SHARES_SEED = Buffer.from("backstop_shares");
/** Seed of a backstop's debt-token vault (`BACKSTOP_DEBT_SEED`). */
export const BACKSTOP_DEBT_SEED = Buffer.from("backstop_debt");
/** Seed of a backstop's collateral vault (`BACKSTOP_COLLATERAL_SEED`). */
export const BACKSTOP_COLLATERAL_SEED = Buffer.from("backstop_collateral");
/** Seed of backstop depositor PDAs (`BACKSTOP_DEPOSITOR_SEED`). */
export const BACKSTOP_DEPOSITOR_SEED = Buffer.from("backstop_depositor");

/** A market's backstop PDAs, derived from the market address. */
export interface BackstopAddresses {
  backstop: PublicKey;
  shareMint: PublicKey;
  debtVault: PublicKey;
  collateralVault: PublicKey;
}

/** Derives a market's backstop `["backstop", market]`, its share mint and its two vaults. */
export function backstopAddresses(market: PublicKey, programId: PublicKey = PROGRAM_ID): BackstopAddresses {
  const pda = (seed: Buffer): PublicKey =>
    PublicKey.findProgramAddressSync([seed, market.toBuffer()], programId)[0];
  return {
    backstop: pda(BACKSTOP_SEED),
    shareMint: pda(BACKSTOP_SHARES_SEED),
    debtVault: pda(BACKSTOP_DEBT_SEED),
    collateralVault: pda(BACKSTOP_COLLATERAL_SEED),
  };
}

/** A depositor's account `["backstop_depositor", backstop, owner]`. */
export function backstopDepositorPda(
  backstop: PublicKey,
  owner: PublicKey,
  programId: PublicKey = PROGRAM_ID,
): [PublicKey, number] {
  return PublicKey.findProgramAddressSync(
    [BACKSTOP_DEPOSITOR_SEED, backstop.toBuffer(), owner.toBuffer()],
    programId,
  );
}

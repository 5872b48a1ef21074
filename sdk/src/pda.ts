/**
 * PDAs: every seed and derivation function is generated (`./generated/pda`) from the program's
 * table, `programs/gavel/instructions.js`, which the IDL's seeds come from too; here, the
 * addresses of a market and of its backstop in one call.
 * @module
 */
import { PublicKey } from "@solana/web3.js";
import { PROGRAM_ID } from "./constants";
import {
  backstopCollateralVaultPda,
  backstopDebtVaultPda,
  backstopPda,
  backstopShareMintPda,
  collateralVaultPda,
  liquidityVaultPda,
  marketPda,
  shareMintPda,
} from "./generated/pda";

export * from "./generated/pda";

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

/** A market's backstop PDAs, derived from the market address. */
export interface BackstopAddresses {
  backstop: PublicKey;
  shareMint: PublicKey;
  debtVault: PublicKey;
  collateralVault: PublicKey;
}

/** Derives a market's backstop `["backstop", market]`, its share mint and its two vaults. */
export function backstopAddresses(market: PublicKey, programId: PublicKey = PROGRAM_ID): BackstopAddresses {
  return {
    backstop: backstopPda(market, programId)[0],
    shareMint: backstopShareMintPda(market, programId)[0],
    debtVault: backstopDebtVaultPda(market, programId)[0],
    collateralVault: backstopCollateralVaultPda(market, programId)[0],
  };
}

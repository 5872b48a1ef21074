/** SPL Token instructions the test worlds and the embedded chain share (classic SPL Token by default). */
import {
  createAssociatedTokenAccountIdempotentInstruction,
  createInitializeMint2Instruction,
  getAssociatedTokenAddressSync,
  MINT_SIZE,
  TOKEN_PROGRAM_ID,
} from "@solana/spl-token";
import { PublicKey, SystemProgram, TransactionInstruction } from "@solana/web3.js";

/** Creates `mint` (`lamports` of rent from `payer`) with `payer` as its mint authority. */
export function createMintIxs(
  payer: PublicKey,
  mint: PublicKey,
  decimals: number,
  lamports: number,
  programId = TOKEN_PROGRAM_ID,
): TransactionInstruction[] {
  return [
    SystemProgram.createAccount({
      fromPubkey: payer,
      newAccountPubkey: mint,
      lamports,
      space: MINT_SIZE,
      programId,
    }),
    createInitializeMint2Instruction(mint, decimals, payer, null, programId),
  ];
}

/** `owner`'s associated token account of each of `mints`, created if missing (`payer` pays). */
export function createAtaIxs(
  payer: PublicKey,
  owner: PublicKey,
  mints: PublicKey[],
): TransactionInstruction[] {
  return mints.map((mint) =>
    createAssociatedTokenAccountIdempotentInstruction(
      payer,
      getAssociatedTokenAddressSync(mint, owner, true),
      owner,
      mint,
    ),
  );
}

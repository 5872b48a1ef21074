/**
 * Initializes Gavel on a cluster where the program is deployed: creates the Config (admin = the
 * keypair) if it does not exist, and reports what it found otherwise. Idempotent.
 *
 *   npx ts-node migrations/deploy.ts --rpc http://127.0.0.1:8899 --keypair ~/.config/solana/id.json
 *
 * (Deploying the .so itself: `solana program deploy` with the official CLI, `anchor deploy`, or the
 * embedded chain's deploy API as in app/demo. Markets come with the Lending core.)
 */
import { Connection, Keypair, sendAndConfirmTransaction, Transaction } from "@solana/web3.js";
import * as fs from "fs";
import { configPda, decodeConfig, initializeConfigIx, PROGRAM_ID } from "../sdk/src";

/** What `initializeGavel` did. */
export interface InitResult {
  created: boolean;
  admin: string;
  stop: number;
  signature?: string;
}

/** Creates the Config with `admin` as admin unless it exists; fails if the program is missing. */
export async function initializeGavel(connection: Connection, admin: Keypair): Promise<InitResult> {
  const program = await connection.getAccountInfo(PROGRAM_ID);
  if (!program?.executable) {
    throw new Error(`Gavel is not deployed at ${PROGRAM_ID.toBase58()} on ${connection.rpcEndpoint}`);
  }
  const [config] = configPda();
  const existing = await connection.getAccountInfo(config);
  if (existing) {
    const cfg = decodeConfig(existing.data);
    return { created: false, admin: cfg.admin.toBase58(), stop: cfg.stop };
  }
  const balance = await connection.getBalance(admin.publicKey);
  if (balance < 5_000_000) {
    throw new Error(`admin ${admin.publicKey.toBase58()} has ${balance} lamports; needs at least 0.005 SOL`);
  }
  const signature = await sendAndConfirmTransaction(
    connection,
    new Transaction().add(initializeConfigIx({ admin: admin.publicKey })),
    [admin],
    { commitment: "confirmed" },
  );
  const cfg = decodeConfig((await connection.getAccountInfo(config))!.data);
  return { created: true, admin: cfg.admin.toBase58(), stop: cfg.stop, signature };
}

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`missing --${name}`);
  return v;
}

async function main(): Promise<void> {
  const rpc = arg("rpc", "http://127.0.0.1:8899");
  const keypairPath = arg("keypair", `${process.env.HOME}/.config/solana/id.json`).replace(
    /^~/,
    process.env.HOME ?? "~",
  );
  if (!fs.existsSync(keypairPath)) throw new Error(`keypair file not found: ${keypairPath}`);
  const admin = Keypair.fromSecretKey(Uint8Array.from(JSON.parse(fs.readFileSync(keypairPath, "utf8"))));
  const res = await initializeGavel(new Connection(rpc, "confirmed"), admin);
  console.log(res.created ? `config created (${res.signature})` : "config already exists", res);
}

if (require.main === module) {
  main().catch((e: Error) => {
    console.error(`deploy: ${e.message}`);
    process.exit(1);
  });
}

/**
 * The main job (so far): start an embedded local chain (surfpool, in-process), deploy the freshly
 * built gavel.so, initialize the protocol, exercise the admin's stop switch, and print each step.
 * Later issues grow this into the full liquidation demo (markets, borrowers, crash, bidders).
 */
import { AnchorProvider, Wallet } from "@coral-xyz/anchor";
import { Connection, Keypair } from "@solana/web3.js";
import * as fs from "fs";
import * as path from "path";
import { configPda, decodeConfig, gavelProgram, parseEvents, PROGRAM_ID } from "../../sdk/src";
import { initializeGavel } from "../../migrations/deploy";

interface SurfnetHandle {
  rpcUrl: string;
  wsUrl: string;
  payerSecretKey: number[];
  deploy(opts: { programId: string; soBytes: number[] }): string;
  stop(): void;
}

const SO = path.join(__dirname, "../../target/deploy/gavel.so");

async function main(): Promise<void> {
  const step = (msg: string): void => console.log(`[demo] ${msg}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Surfnet } = require("@solana/surfpool-linux-x64-gnu") as { Surfnet: { start(): SurfnetHandle } };
  const surfnet = Surfnet.start();
  try {
    step(`embedded chain up: rpc ${surfnet.rpcUrl}, ws ${surfnet.wsUrl}`);
    const so = fs.readFileSync(SO);
    surfnet.deploy({ programId: PROGRAM_ID.toBase58(), soBytes: Array.from(so) });
    step(`deployed gavel.so (${so.length} bytes) at ${PROGRAM_ID.toBase58()}`);

    const connection = new Connection(surfnet.rpcUrl, { commitment: "confirmed", wsEndpoint: surfnet.wsUrl });
    const admin = Keypair.fromSecretKey(Uint8Array.from(surfnet.payerSecretKey));
    const init = await initializeGavel(connection, admin);
    step(
      `config ${init.created ? "created" : "found"} at ${configPda()[0].toBase58()}: admin ${init.admin}, stop ${init.stop}`,
    );

    const program = gavelProgram(
      new AnchorProvider(connection, new Wallet(admin), { commitment: "confirmed" }),
    );
    for (const level of [1, 0]) {
      const sig = await program.methods.setStop(level).accounts({ admin: admin.publicKey }).rpc();
      const tx = await connection.getTransaction(sig, {
        commitment: "confirmed",
        maxSupportedTransactionVersion: 0,
      });
      const events = parseEvents(tx?.meta?.logMessages ?? []);
      const cu = tx?.meta?.computeUnitsConsumed;
      step(
        `set_stop(${level}) in ${cu} CU, events: ${events.map((e) => `${e.name}(${e.data.previous}→${e.data.stop})`).join(", ")}`,
      );
    }
    const cfg = decodeConfig((await connection.getAccountInfo(configPda()[0]))!.data);
    if (cfg.stop !== 0 || cfg.admin.toBase58() !== admin.publicKey.toBase58()) {
      throw new Error("final config state is not what the demo set");
    }
    step("done: protocol initialized and live (stop 0)");
  } finally {
    surfnet.stop();
  }
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    console.error(`[demo] failed: ${e.message}`);
    process.exit(1);
  },
);

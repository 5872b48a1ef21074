/**
 * A real local validator reached over JSON-RPC and websocket. By default an embedded surfpool
 * (`@solana/surfpool-linux-x64-gnu`, started in-process, Gavel deployed from target/deploy);
 * with GAVEL_RPC_URL set (e.g. by `anchor test`), that validator, where Gavel is already deployed
 * and ANCHOR_WALLET pays.
 */
import { Connection, Keypair } from "@solana/web3.js";
import * as fs from "fs";
import { startChain, stopChain } from "../../sdk/testkit";

/** What a spec needs from a running validator. */
export interface LocalValidator {
  connection: Connection;
  rpcUrl: string;
  wsUrl: string;
  /** A funded keypair. */
  payer: Keypair;
  /** Stops the embedded validator (no-op for an external one). */
  stop(): void;
}

/** Starts (or connects to) a validator with Gavel deployed. */
export function startValidator(): LocalValidator {
  const external = process.env.GAVEL_RPC_URL;
  if (external) {
    const wallet = process.env.ANCHOR_WALLET ?? `${process.env.HOME}/.config/solana/id.json`;
    const payer = Keypair.fromSecretKey(Uint8Array.from(JSON.parse(fs.readFileSync(wallet, "utf8"))));
    const wsUrl = process.env.GAVEL_WS_URL ?? external.replace(/^http/, "ws").replace(/:8899\b/, ":8900");
    return {
      connection: new Connection(external, { commitment: "confirmed", wsEndpoint: wsUrl }),
      rpcUrl: external,
      wsUrl,
      payer,
      stop: () => undefined,
    };
  }
  const { surfnet, connection, admin } = startChain({ blockProduction: "default" });
  return {
    connection,
    rpcUrl: surfnet.rpcUrl,
    wsUrl: surfnet.wsUrl,
    payer: admin,
    stop: () => stopChain(surfnet, connection),
  };
}

/**
 * The deploy script on an embedded validator: an operator initializes Gavel and its markets from
 * a JSON file, runs it again (nothing changes), edits a parameter (refused without --update,
 * applied with it), and gets one readable line for a missing keypair.
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as path from "path";
import { Keypair } from "@solana/web3.js";
import { decodeMarket } from "../sdk/src";
import { applyMarkets, initializeGavel, MarketSpec } from "../migrations/deploy";
import { ChainMarket, startChain } from "../app/demo/chain";
import example from "../migrations/markets.example.json";

describe("15 deploy script (embedded validator)", function () {
  this.timeout(120_000);
  const { surfnet, connection, admin } = startChain();
  const chain = new ChainMarket(surfnet, connection, admin);
  let spec: MarketSpec;
  after(() => surfnet.stop());

  it("initializes the config once; the second run finds it", async () => {
    const first = await initializeGavel(connection, admin);
    expect(first.created).to.equal(true);
    const second = await initializeGavel(connection, admin);
    expect(second.created).to.equal(false);
    expect(second.admin).to.equal(admin.publicKey.toBase58());
    let message = "";
    try {
      const someoneElse = Keypair.generate();
      surfnet.fundSol(someoneElse.publicKey.toBase58(), 1e9);
      await initializeGavel(connection, someoneElse);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).to.match(/^config already initialized by /);
  });

  it("creates the file's market, then reports it unchanged on a second run", async () => {
    // The example file's mints and oracle are mainnet addresses; use this chain's mints instead.
    await chain.createMints(150);
    spec = {
      ...example.markets[0],
      collateralMint: chain.ref.collateralMint.toBase58(),
      debtMint: chain.ref.debtMint.toBase58(),
      params: { ...example.markets[0].params, collateralOracle: chain.oracle.toBase58() },
    };
    const lines = await applyMarkets(connection, admin, [spec]);
    expect(lines[0]).to.match(/created/);
    const again = await applyMarkets(connection, admin, [spec]);
    expect(again[0]).to.match(/exists with the same parameters/);
  });

  it("a changed parameter is refused without --update and applied with it", async () => {
    const changed = { ...spec, params: { ...spec.params, maxLtvBps: 6500 } };
    let message = "";
    try {
      await applyMarkets(connection, admin, [changed]);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).to.match(/already exists with other parameters/);
    const lines = await applyMarkets(connection, admin, [changed], true);
    expect(lines[0]).to.match(/updated/);
    const info = await connection.getAccountInfo(chain.addrs.market);
    expect(decodeMarket(info!.data).params.maxLtvBps).to.equal(6500);
  });

  it("a bad parameter is named in the error", async () => {
    let message = "";
    try {
      await applyMarkets(connection, admin, [{ ...spec, params: { ...spec.params, tip: "-1" } }]);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).to.equal("markets[0]: params.tip must be a non-negative integer, got -1");
  });

  it("a missing keypair file is one readable line and exit code 1", () => {
    const missing = path.join("/tmp", `${Keypair.generate().publicKey.toBase58()}.json`);
    let status = 0;
    let stderr = "";
    try {
      execFileSync(
        "npx",
        ["ts-node", "migrations/deploy.ts", "--rpc", surfnet.rpcUrl, "--keypair", missing],
        {
          cwd: path.join(__dirname, ".."),
          stdio: "pipe",
        },
      );
    } catch (e) {
      const err = e as { status: number; stderr: Buffer };
      status = err.status;
      stderr = err.stderr.toString();
    }
    expect(status).to.equal(1);
    expect(stderr.trim()).to.equal(`deploy: keypair file not found: ${missing}`);
  });
});

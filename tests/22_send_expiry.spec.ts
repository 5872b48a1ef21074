/**
 * Blockhash expiry, provoked on purpose: on the demo's embedded chain (200 ms slots: a blockhash
 * lives ~150 blocks ≈ 30 s) a connection whose `getLatestBlockhash` hands out, for its next `n`
 * calls, a blockhash that was held until the chain went past its `lastValidBlockHeight` — what
 * web3.js's 30-second blockhash cache did to every sender. Each sender of the repo (the SDK
 * routine itself, `GavelClient`, the demo's chain market, the deploy script's loader and
 * initializer, the bidder's sender) signs with that dead blockhash first, sees it expire (refused
 * by preflight as "Blockhash not found", or silently dropped when preflight is skipped), re-signs
 * with a fresh one and lands; an endless supply of dead blockhashes ends in one clear error.
 */
import { expect } from "chai";
import BN from "bn.js";
import {
  BlockhashWithExpiryBlockHeight,
  Commitment,
  Connection,
  Keypair,
  LAMPORTS_PER_SOL,
  PublicKey,
  SystemProgram,
  Transaction,
} from "@solana/web3.js";
import * as fs from "fs";
import * as path from "path";
import {
  BlockhashExpiredError,
  configPda,
  decodeConfig,
  GavelClient,
  initializeConfigIx,
  positionPda,
  sendWithBlockhashRetry,
  setStopIx,
} from "../sdk/src";
import { ChainMarket, SdkChain, startChain, stopChain, SurfnetHandle } from "../sdk/testkit";
import { demoParams } from "../app/demo/scenario";
import { applyMarkets, initializeGavel } from "../migrations/deploy";
import { deployProgram } from "../migrations/loader";
import { Sender } from "../app/bidder/sender";

const ROOT = path.join(__dirname, "..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A connection that serves an expired blockhash on chosen `getLatestBlockhash` calls, counted from
 * the last {@link HeldBlockhashConnection.hold}.
 */
class HeldBlockhashConnection extends Connection {
  private calls = 0;
  private dead = new Set<number>();
  /** Dead blockhashes handed out since the last `hold`. */
  served = 0;
  constructor(
    url: string,
    private readonly expired: BlockhashWithExpiryBlockHeight,
  ) {
    super(url, { commitment: "confirmed" });
  }
  /** The next calls numbered `calls` (1 = the next one) get the expired blockhash. */
  hold(...calls: number[]): void {
    this.calls = 0;
    this.served = 0;
    this.dead = new Set(calls);
  }
  /** For `n` sends one after the other: each one's first try (calls 1, 3, 5, ...). */
  holdFirstTries(n: number): void {
    this.hold(...Array.from({ length: n }, (_, i) => 2 * i + 1));
  }
  override async getLatestBlockhash(c?: Commitment): Promise<BlockhashWithExpiryBlockHeight> {
    if (this.dead.has(++this.calls)) {
      this.served++;
      return this.expired;
    }
    return super.getLatestBlockhash(c);
  }
}

describe("22 blockhash expiry: every sender re-signs and lands (held, expired blockhashes)", function () {
  this.timeout(300_000);
  let surfnet: SurfnetHandle;
  let plain: Connection;
  let conn: HeldBlockhashConnection;
  let admin: Keypair;

  // The deploy runs first, on the fresh chain. (With 20 ms slots, surfpool 1.5's RPC server was
  // seen to stop answering altogether during the 32-in-flight buffer writes on a loaded machine.)
  before(async () => {
    ({ surfnet, connection: plain, admin } = startChain({ deploy: false }));
    // Hold a blockhash until the chain is past its last valid height.
    const dead = await plain.getLatestBlockhash("confirmed");
    while ((await plain.getBlockHeight("confirmed")) <= dead.lastValidBlockHeight) await sleep(250);
    conn = new HeldBlockhashConnection(surfnet.rpcUrl, dead);
  });
  after(() => {
    if (surfnet) stopChain(surfnet, plain);
  });

  const transfer = (lamports: number) => (blockhash: string) => {
    const tx = new Transaction({ feePayer: admin.publicKey, recentBlockhash: blockhash }).add(
      SystemProgram.transfer({
        fromPubkey: admin.publicKey,
        toPubkey: Keypair.generate().publicKey,
        lamports,
      }),
    );
    tx.sign(admin);
    return tx;
  };

  it("the deploy script: loader (buffer, ~190 writes without preflight, deploy) and initializer", async () => {
    const programKeypair = Keypair.fromSecretKey(
      Uint8Array.from(
        JSON.parse(fs.readFileSync(path.join(ROOT, "keys/gavel-program-keypair.json"), "utf8")),
      ),
    );
    // The buffer's creation (call 1; its retry is call 2) and the first tries of the 32 buffer
    // writes in flight at once (calls 3..34) get the dead blockhash.
    conn.hold(1, ...Array.from({ length: 32 }, (_, i) => i + 3));
    const res = await deployProgram(conn, admin, fs.readFileSync(path.join(ROOT, "target/deploy/gavel.so")), {
      programKeypair,
      log: () => undefined,
    });
    expect(res.action).to.equal("deployed");
    expect(conn.served).to.equal(33);
    conn.holdFirstTries(1);
    const init = await initializeGavel(conn, admin);
    expect(init.created).to.equal(true);
    expect(conn.served).to.equal(1);
    const config = await plain.getAccountInfo(configPda()[0]);
    expect(decodeConfig(config!.data).admin.equals(admin.publicKey)).to.equal(true);
  });

  it("GavelClient", async () => {
    const client = new GavelClient(conn, admin);
    conn.holdFirstTries(1);
    const res = await client.send([setStopIx({ admin: admin.publicKey }, 1)]);
    expect(res.events.map((e) => e.name)).to.deep.equal(["stopChanged"]);
    expect(conn.served).to.equal(1);
    conn.holdFirstTries(1);
    await client.send([setStopIx({ admin: admin.publicKey }, 0)], { skipPreflight: true });
    expect(conn.served).to.equal(1);
    const config = await plain.getAccountInfo(configPda()[0]);
    expect(decodeConfig(config!.data).stop).to.equal(0);
    // initialize_config is refused now that the config exists: a program error, not a retry.
    conn.holdFirstTries(1);
    let err: unknown;
    try {
      await client.send([initializeConfigIx({ admin: admin.publicKey })]);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(Error);
    expect(err).not.to.be.instanceOf(BlockhashExpiredError);
  });

  it("the demo's chain market (mints, market, LP, borrower) and the deploy script's markets", async () => {
    const m = new ChainMarket(new SdkChain({ surfnet, connection: conn, admin }));
    conn.holdFirstTries(2); // mints, market (the config exists: not sent again)
    await m.create(demoParams, 150);
    expect(conn.served).to.equal(2);
    conn.holdFirstTries(3); // token accounts, mint, deposit
    await m.lp(new BN(1_000_000e6), new BN(1_000e6));
    expect(conn.served).to.equal(3);
    conn.holdFirstTries(1);
    const b = await m.borrower(new BN(10e9), new BN(500e6));
    expect(conn.served).to.equal(1);
    const info = await plain.getAccountInfo(positionPda(m.addrs.market, b.publicKey)[0]);
    expect(info).to.not.equal(null);
    // applyMarkets on the same market: exists, same parameters (nothing sent); --update with a
    // changed dust goes through the held blockhash.
    const p = { ...demoParams(m.oracle), dust: demoParams(m.oracle).dust.addn(1) };
    const params: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(p)) {
      params[k] = BN.isBN(v) ? v.toString() : v instanceof PublicKey ? v.toBase58() : v;
    }
    params.curve = { exp: { cut: "995000000000000000" } };
    const spec = {
      collateralMint: m.ref.collateralMint.toBase58(),
      debtMint: m.ref.debtMint.toBase58(),
      params,
    };
    conn.holdFirstTries(1);
    const lines = await applyMarkets(conn, admin, [spec], true);
    expect(lines[0]).to.match(/updated/);
    expect(conn.served).to.equal(1);
  });

  it("the bidder's sender", async () => {
    const payer = Keypair.generate();
    surfnet.fundSol(payer.publicKey.toBase58(), 2 * LAMPORTS_PER_SOL);
    for (const skipPreflight of [false, true]) {
      const sender = new Sender(conn, payer, { skipPreflight, confirmTimeoutSecs: 60 });
      conn.holdFirstTries(1);
      const sent: number[] = [];
      const out = await sender.send({
        kind: "test",
        ixs: [
          SystemProgram.transfer({
            fromPubkey: payer.publicKey,
            toPubkey: Keypair.generate().publicKey,
            lamports: 1_000_000,
          }),
        ],
        signers: [],
        cuLimit: 10_000,
        microLamports: 1,
        onSent: (_s, _at, attempt) => sent.push(attempt),
      });
      expect(out.ok, JSON.stringify(out)).to.equal(true);
      expect(sent).to.deep.equal([1, 2]);
    }
  });

  for (const skipPreflight of [false, true]) {
    it(`the SDK routine: refused ${skipPreflight ? "silently (no preflight)" : "by preflight"}, re-signed, landed`, async () => {
      conn.holdFirstTries(1);
      const sigs: string[] = [];
      const res = await sendWithBlockhashRetry(conn, transfer(1_000_000 + Number(skipPreflight)), {
        skipPreflight,
        onSent: (s) => sigs.push(s),
      });
      expect(res.err).to.equal(null);
      expect(res.attempts).to.equal(2);
      expect(sigs).to.have.length(2);
      expect(res.signature).to.equal(sigs[1]);
      const [first] = (await plain.getSignatureStatuses([sigs[0]])).value;
      expect(first, "the dead-blockhash version never landed").to.equal(null);
    });
  }

  it("bounded: a blockhash that is always dead ends in one BlockhashExpiredError naming each try", async () => {
    conn.hold(...Array.from({ length: 100 }, (_, i) => i + 1));
    let err: unknown;
    try {
      await sendWithBlockhashRetry(conn, transfer(1_000_003), { maxAttempts: 3, skipPreflight: true });
    } catch (e) {
      err = e;
    }
    expect(conn.served).to.equal(3);
    expect(err).to.be.instanceOf(BlockhashExpiredError);
    expect((err as BlockhashExpiredError).signatures).to.have.length(3);
    expect((err as Error).message).to.match(/blockhash expired 3 time\(s\), re-signed and resent each time/);
  });
});

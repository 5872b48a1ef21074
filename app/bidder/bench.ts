/**
 * Bidder performance, in process (no chain): the real `Bidder` engine on a stub RPC and a stub
 * websocket, with one market holding 100k synthetic positions and a live auction.
 *
 * - health-scan throughput: `scanUnsafe` over the 100k indexed positions (exact SDK math);
 * - memory: heap growth from loading the 100k positions into the index (through a resync);
 * - latency: an oracle notification handed to the engine's subscription callback → the take
 *   transaction handed to `sendRawTransaction` (decision, sizing, fee bid, build, sign,
 *   serialize), with the 100k-position kick scan running on the same updates.
 *
 * Writes the figures to bench/bidder.json (`npm run bench` adds the e2e spec's on-chain latencies there) and
 * prints them. Run: `npx ts-node app/bidder/bench.ts`.
 * @module
 */
import BN from "bn.js";
import * as fs from "fs";
import * as path from "path";
import * as v8 from "v8";
import * as vm from "vm";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { Connection, Keypair, PublicKey, SYSVAR_CLOCK_PUBKEY } from "@solana/web3.js";
import pino from "pino";
import {
  coder,
  encodePythLegacyPrice,
  MAKER_ENGINE,
  marketAddresses,
  PRICE_SCALE,
  PROGRAM_ID,
  PYTH_LEGACY_PROGRAM_ID,
  RATE_SCALE,
  encodeBase58,
} from "../../sdk/src";
import { Bidder } from "./bidder";
import { DEFAULTS } from "./config";
import { rateAt, scanUnsafe } from "./decide";
import { BidderIndex, DISCRIMINATORS } from "./account_index";
import { BidderMetrics } from "./metrics";
import { Inventory, InventoryStrategy } from "./strategies";
import { ResilientWs } from "./ws";
import { StubWs } from "../../sdk/testkit/stub_ws";
import { SOL, USDC } from "../../sdk/testkit/units";

const N_POSITIONS = Number(process.env.BENCH_POSITIONS ?? 100_000);
const LATENCY_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);

function gc(): void {
  const g = (global as { gc?: () => void }).gc;
  if (g) return g();
  v8.setFlagsFromString("--expose-gc");
  (vm.runInNewContext("gc") as () => void)();
}

function positionData(market: PublicKey, owner: PublicKey, ink: BN, art: BN): Buffer {
  return Buffer.concat([
    DISCRIMINATORS.position,
    market.toBuffer(),
    owner.toBuffer(),
    ink.toArrayLike(Buffer, "le", 8),
    art.toArrayLike(Buffer, "le", 8),
    Buffer.alloc(8),
    Buffer.from([255]),
    Buffer.alloc(24),
  ]);
}

function oracleData(usd: number, now: number): Buffer {
  const price = new BN(Math.round(usd * 1e8));
  return encodePythLegacyPrice({ price, conf: price.divn(2000), expo: -8, publishSlot: 1, publishTime: now });
}

function tokenAccount(mint: PublicKey, owner: PublicKey, amount: BN): Buffer {
  const b = Buffer.alloc(165);
  mint.toBuffer().copy(b, 0);
  owner.toBuffer().copy(b, 32);
  amount.toArrayLike(Buffer, "le", 8).copy(b, 64);
  b.writeUInt8(1, 108); // initialized
  return b;
}

/** The chain, as the engine sees it through RPC. */
class StubChain {
  readonly accounts = new Map<string, Buffer>();
  positions: { pubkey: PublicKey; data: Buffer }[] = [];
  auctions: { pubkey: PublicKey; data: Buffer }[] = [];
  onSend: ((at: bigint) => void) | null = null;
  sends = 0;

  private info(data: Buffer) {
    return { data, lamports: 1_000_000, owner: PROGRAM_ID, executable: false, rentEpoch: 0 };
  }

  connection(): Connection {
    const ctx = { slot: 100 };
    const stub = {
      getAccountInfo: async (k: PublicKey) => {
        if (k.equals(SYSVAR_CLOCK_PUBKEY)) {
          const b = Buffer.alloc(40);
          b.writeBigInt64LE(BigInt(Math.floor(Date.now() / 1000)), 32);
          return this.info(b);
        }
        const d = this.accounts.get(k.toBase58());
        return d ? this.info(d) : null;
      },
      getLatestBlockhash: async () => ({
        blockhash: Keypair.generate().publicKey.toBase58(),
        lastValidBlockHeight: 1_000_000_000,
      }),
      getProgramAccounts: async (
        _p: PublicKey,
        cfg: { filters: { memcmp: { offset: number; bytes: string } }[] },
      ) => {
        const isPosition = cfg.filters.some(
          (f) => f.memcmp.offset === 0 && f.memcmp.bytes === encodeBase58(DISCRIMINATORS.position),
        );
        const list = isPosition ? this.positions : this.auctions;
        return { context: ctx, value: list.map((a) => ({ pubkey: a.pubkey, account: this.info(a.data) })) };
      },
      getMultipleAccountsInfoAndContext: async (keys: PublicKey[]) => ({
        context: ctx,
        value: keys.map((k) => {
          const d = this.accounts.get(k.toBase58());
          return d ? this.info(d) : null;
        }),
      }),
      getMultipleAccountsInfo: async (keys: PublicKey[]) =>
        keys.map((k) => {
          const d = this.accounts.get(k.toBase58());
          return d ? this.info(d) : null;
        }),
      sendRawTransaction: async () => {
        this.sends++;
        this.onSend?.(process.hrtime.bigint());
        return "sig";
      },
      getSignatureStatuses: async () => ({
        context: ctx,
        value: [{ confirmationStatus: "confirmed", err: null }],
      }),
      getTransaction: async () => ({ meta: { logMessages: [], computeUnitsConsumed: 20_000 } }),
      getBlockHeight: async () => 0,
      simulateTransaction: async () => ({
        context: ctx,
        value: { err: null, unitsConsumed: 15_000, logs: [] },
      }),
    };
    return stub as unknown as Connection;
  }
}

async function main(): Promise<void> {
  const collateralMint = Keypair.generate().publicKey;
  const debtMint = Keypair.generate().publicKey;
  const oracle = Keypair.generate().publicKey;
  const { market, collateralVault, liquidityVault, shareMint } = marketAddresses(collateralMint, debtMint);
  const payer = Keypair.generate();
  const now = Math.floor(Date.now() / 1000);
  const chain = new StubChain();
  const marketData = await coder.accounts.encode("market", {
    bump: 255,
    collateralMint,
    debtMint,
    collateralDecimals: 9,
    debtDecimals: 6,
    collateralVault,
    liquidityVault,
    shareMint,
    totalShares: USDC(100_000_000),
    cash: USDC(100_000_000),
    insurance: USDC(10_000),
    artTotal: new BN(0),
    rate: RATE_SCALE,
    lastAccrualTs: new BN(now),
    collateralTotal: new BN(0),
    dirt: new BN(0),
    auctionDebt: new BN(0),
    auctionCount: new BN(1),
    params: {
      maxLtvBps: 7_500,
      liquidationLtvBps: 8_000,
      chopBps: 1_000,
      bufBps: 10_200,
      cuspBps: 5_000,
      chipBps: 10,
      tip: USDC(1),
      tailSecs: new BN(3_600),
      hole: USDC(10_000_000),
      dust: USDC(10),
      borrowRatePerSecWad: new BN(0),
      oracleProgram: PYTH_LEGACY_PROGRAM_ID,
      collateralOracleKind: 0,
      collateralOracle: oracle,
      debtOracleKind: 0,
      debtOracle: PublicKey.default,
      maxAgeSecs: new BN(600),
      maxAgeSlots: new BN(0),
      maxConfBps: 200,
      curve: { exp: { cut: new BN("980000000000000000") } },
      withdrawCooldownSecs: new BN(3_600),
      ...MAKER_ENGINE,
    },
    collateralPublishTime: new BN(0),
    debtPublishTime: new BN(0),
  });
  chain.accounts.set(market.toBase58(), marketData);
  chain.accounts.set(oracle.toBase58(), oracleData(90, now));
  chain.accounts.set(
    getAssociatedTokenAddressSync(debtMint, payer.publicKey).toBase58(),
    tokenAccount(debtMint, payer.publicKey, USDC(1_000_000)),
  );
  chain.accounts.set(
    getAssociatedTokenAddressSync(collateralMint, payer.publicKey).toBase58(),
    tokenAccount(collateralMint, payer.publicKey, new BN(0)),
  );
  // 100k positions, all safe above $75: 10 SOL against 300..600 USDC.
  for (let i = 0; i < N_POSITIONS; i++) {
    const owner = Keypair.generate().publicKey;
    const art = USDC(300 + (i % 300));
    chain.positions.push({
      pubkey: Keypair.generate().publicKey,
      data: positionData(market, owner, SOL(10), art),
    });
  }
  // A live auction of 10 SOL priced at $100 (top), i.e. above a 1 % margin at $90, below at $110.
  const auctionKey = Keypair.generate().publicKey;
  const auctionData = await coder.accounts.encode("auction", {
    market,
    id: new BN(0),
    position: chain.positions[0].pubkey,
    owner: Keypair.generate().publicKey,
    kicker: Keypair.generate().publicKey,
    tab: USDC(900),
    lot: SOL(10),
    debt: USDC(820),
    top: new BN(100_000_000).mul(PRICE_SCALE).div(new BN(1e9)),
    tic: new BN(now + 1_000_000), // a curve that has not started: the price stays at top all along
    initialTab: USDC(900),
    initialLot: SOL(10),
    pendingOwe: new BN(0),
    flash: 0,
    bump: 255,
    reserved: Array(32).fill(0),
  });
  chain.auctions.push({ pubkey: auctionKey, data: auctionData });
  chain.accounts.set(auctionKey.toBase58(), auctionData);

  // Memory: the index alone, loaded like a resync.
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const idx = new BidderIndex();
  const m0 = idx.upsertMarket(market, marketData, 1);
  idx.resync(
    m0,
    chain.positions.map((p) => ({ pubkey: p.pubkey.toBase58(), data: p.data })),
    [],
    1,
  );
  gc();
  const heapBytes = process.memoryUsage().heapUsed - heap0;

  // Scan throughput.
  const rate = rateAt(m0.account, now)!;
  const price = new BN(80_000_000).mul(PRICE_SCALE).div(new BN(1e9));
  const ltv = new BN(8_000);
  const rounds: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t = process.hrtime.bigint();
    const unsafe = scanUnsafe(m0.positions.entries(), rate, price, ltv);
    rounds.push(Number(process.hrtime.bigint() - t) / 1e9);
    if (unsafe.length !== 0) throw new Error("fixture positions should be safe");
  }
  rounds.sort((a, b) => a - b);
  const scanPerSec = N_POSITIONS / rounds[Math.floor(rounds.length / 2)];

  // Latency through the real engine.
  const metrics = new BidderMetrics("bench");
  const inventory = new Inventory();
  const ws = new StubWs();
  const bidder = new Bidder({
    config: {
      ...DEFAULTS,
      markets: [market.toBase58()],
      minProfitBps: 100,
      resyncSecs: 3_600,
      maxOracleAgeSecs: 600,
    },
    payer,
    connection: chain.connection(),
    logger: pino({ level: "silent" }),
    metrics,
    strategy: new InventoryStrategy(inventory, 0),
    inventory,
    ws: ws as unknown as ResilientWs,
  });
  await bidder.start();
  if (!ws.subscribed(oracle.toBase58())) throw new Error("the bidder did not subscribe to the oracle");
  const deliver = (usd: number): void =>
    ws.deliver(
      oracle.toBase58(),
      { data: oracleData(usd, Math.floor(Date.now() / 1000)), lamports: 1, owner: "" },
      100,
    );
  await new Promise((r) => setTimeout(r, 300)); // the warm-up simulation
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_ROUNDS; i++) {
    const sent = new Promise<bigint>((resolve) => (chain.onSend = resolve));
    const t0 = process.hrtime.bigint();
    deliver(110); // the auction is now ≥ 1 % below the collateral's value: take
    const t1 = await sent;
    chain.onSend = null;
    samples.push(Number(t1 - t0) / 1e6);
    deliver(90); // back above the limit
    await new Promise((r) => setTimeout(r, 400)); // the send's confirmation loop and the scan finish
  }
  await bidder.stop(5_000);
  samples.sort((a, b) => a - b);
  const pct = (p: number) => samples[Math.min(samples.length - 1, Math.ceil((p / 100) * samples.length) - 1)];

  const result = {
    measuredAt: new Date().toISOString(),
    node: process.version,
    cpus: (await import("os")).cpus().length,
    positions: N_POSITIONS,
    healthScan: {
      positionsPerSec: Math.round(scanPerSec),
      msPer100k: Number(((100_000 / scanPerSec) * 1000).toFixed(1)),
      goalPositionsPerSec: 200_000,
    },
    memory: {
      indexHeapMB: Number((heapBytes / 2 ** 20).toFixed(1)),
      bytesPerPosition: Math.round(heapBytes / N_POSITIONS),
      processRssMB: Number((process.memoryUsage().rss / 2 ** 20).toFixed(1)),
    },
    latencyInProcessMs: {
      what: "oracle notification → take handed to sendRawTransaction, 100k positions indexed",
      n: samples.length,
      p50: Number(pct(50).toFixed(2)),
      p95: Number(pct(95).toFixed(2)),
      max: Number(samples[samples.length - 1].toFixed(2)),
      goalMs: 50,
    },
  };
  const file = path.join(__dirname, "..", "..", "bench", "bidder.json");
  const existing = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
  fs.writeFileSync(file, JSON.stringify({ ...existing, inProcess: result }, null, 2) + "\n");
  console.log(JSON.stringify(result, null, 2));
  if (chain.sends < LATENCY_ROUNDS) throw new Error(`only ${chain.sends} sends`);
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    console.error(e.stack ?? e);
    process.exit(1);
  },
);

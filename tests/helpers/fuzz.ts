/**
 * Tools of the security suite (`tests/13_attacks.spec.ts`) and the invariant fuzzer
 * (`tests/14_fuzz.spec.ts`):
 *
 * - {@link Arena}: a {@link LendingWorld} with an LP, an insurance fund, borrowers, kicks, takes and
 *   resets, extra mints, plain keypair token accounts for any mint, and more markets on one chain;
 * - {@link Rng}: a seeded PRNG (mulberry32), so that a fuzz run is reproduced by its seed;
 * - {@link checkInvariants}, {@link snapshot} / {@link diffSnapshots}: the accounting invariants and
 *   the "a failed transaction changes nothing" check;
 * - {@link Fuzzer}: the random-operation driver over one market with N actors.
 *
 * Reproduction: the program's behaviour does not depend on account addresses (only on account
 * contents and on which accounts are equal), and every choice of the fuzzer comes from its seed and
 * from chain state, so a seed replays the same operations with the same outcomes even though the
 * keypairs themselves are fresh on each run.
 */
import BN from "bn.js";
import { ACCOUNT_SIZE, createInitializeAccount3Instruction, TOKEN_PROGRAM_ID } from "@solana/spl-token";
import {
  AccountMeta,
  Keypair,
  PublicKey,
  SystemProgram,
  SYSVAR_INSTRUCTIONS_PUBKEY,
  Transaction,
  TransactionInstruction,
  VersionedTransaction,
} from "@solana/web3.js";
import { FailedTransactionMetadata } from "litesvm";
import {
  AuctionAccount,
  auctionPda,
  borrowIx,
  cancelAuctionIx,
  closePositionIx,
  configPda,
  createMarketIx,
  debtFromArt,
  decodeMarket,
  decodePosition,
  depositLiquidityIx,
  flashTakeIxs,
  fundInsuranceIx,
  GavelEvent,
  MarketAccount,
  marketAddresses,
  MarketAddresses,
  MarketParams,
  MarketRef,
  maxDebtFor,
  needsReset,
  openPositionIx,
  poolValue,
  positionPda,
  PositionAccount,
  PROGRAM_ID,
  RATE_SCALE,
  REPAY_ALL,
  setStopIx,
  takeIx,
  updateMarketIx,
  valueFloor,
  withdrawCollateralIx,
  withdrawLiquidityIx,
  requestWithdrawalIx,
  cancelWithdrawalIx,
  withdrawalRequestPda,
  decodeWithdrawalRequest,
  WithdrawalRequestAccount,
  claimAmount,
  requestValueOf,
  withdrawalValue,
  accrueIx,
  accrueRate,
  coder,
  parseGavelError,
  takeQuote,
  TakeQuoteError,
} from "../../sdk/src";
import {
  defaultParams,
  LiquidationWorld,
  programPrice,
  SendResult,
  SOL,
  U64_MAX,
  USDC,
} from "../../sdk/testkit";
import { rng } from "../../app/sim/paths";

// ---------------------------------------------------------------------------------------------
// Seeded PRNG.
// ---------------------------------------------------------------------------------------------

/** The simulator's seeded mulberry32 with helpers for choosing operations. */
export class Rng {
  private readonly draw: () => number;

  constructor(seed: number) {
    this.draw = rng(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.draw();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A uniformly chosen element. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** A uniform 64-bit value. */
  u64(): BN {
    const hi = new BN(Math.floor(this.next() * 2 ** 32));
    const lo = new BN(Math.floor(this.next() * 2 ** 32));
    return hi.shln(32).or(lo);
  }

  /** `x × f` for a random `f` in [lo, hi), as a BN (floored). */
  scale(x: BN, lo: number, hi: number): BN {
    const f = Math.floor((lo + (hi - lo) * this.next()) * 1e6);
    return x.muln(f).divn(1e6);
  }

  /** Chooses a key of `weights` with probability proportional to its weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const keys = Object.keys(weights) as K[];
    const total = keys.reduce((s, k) => s + weights[k], 0);
    let x = this.next() * total;
    for (const k of keys) {
      x -= weights[k];
      if (x < 0) return k;
    }
    return keys[keys.length - 1];
  }
}

// ---------------------------------------------------------------------------------------------
// The arena: a lending world with liquidation helpers and several markets.
// ---------------------------------------------------------------------------------------------

/** The kit's {@link LiquidationWorld} with the fuzzer's extras: more mints and markets, token accounts, decoders. */
export class Arena extends LiquidationWorld {
  /** Token accounts created by {@link tokenAccount}, by `mint/owner`. */
  private readonly extra = new Map<string, PublicKey>();

  /** The LPs' pool value as the program computes it (`Market::pool_value`). */
  poolValue(m: MarketAccount = this.market()): BN {
    return poolValueOf(m);
  }

  /**
   * `owner`'s plain keypair token account for any `mint` (created on first use; the world's own
   * accounts from {@link actor} are returned when they exist).
   */
  tokenAccount(owner: Keypair, mint: PublicKey): PublicKey {
    const key = `${mint.toBase58()}/${owner.publicKey.toBase58()}`;
    const known = this.extra.get(key);
    if (known) return known;
    try {
      return this.ata(mint, owner.publicKey);
    } catch {
      // not one of the world's accounts
    }
    const acc = Keypair.generate();
    this.mustSend(
      [
        SystemProgram.createAccount({
          fromPubkey: owner.publicKey,
          newAccountPubkey: acc.publicKey,
          lamports: Number(this.chain.svm.minimumBalanceForRentExemption(BigInt(ACCOUNT_SIZE))),
          space: ACCOUNT_SIZE,
          programId: TOKEN_PROGRAM_ID,
        }),
        createInitializeAccount3Instruction(acc.publicKey, mint, owner.publicKey),
      ],
      [owner, acc],
    );
    this.extra.set(key, acc.publicKey);
    return acc.publicKey;
  }

  /** Creates another market on this chain (the same oracle account by default). */
  addMarket(ref: MarketRef, params: Partial<MarketParams> = {}): MarketAddresses {
    this.setPrice(150);
    this.mustSend(
      [createMarketIx({ admin: this.admin.publicKey, ...ref }, { ...defaultParams(this.oracle), ...params })],
      [this.admin],
    );
    return marketAddresses(ref.collateralMint, ref.debtMint);
  }

  /** Any market on this chain, decoded. */
  marketAt(address: PublicKey): MarketAccount {
    return decodeMarket(this.chain.data(address)!);
  }

  /** A position by address, decoded (null when closed). */
  positionAt(address: PublicKey): PositionAccount | null {
    const data = this.chain.data(address);
    return data && data.length > 0 ? decodePosition(data) : null;
  }

  /** The oracle price in PRICE_SCALE that the program derives from `usd` (conf 0 → mid). */
  programPrice(usd: number, confBps = 0): BN {
    return programPrice(usd, confBps);
  }
}

/** Pool value as `Market::pool_value` (the SDK's mirror). */
export function poolValueOf(m: MarketAccount): BN {
  return poolValue(m)!;
}

// ---------------------------------------------------------------------------------------------
// Invariants and snapshots.
// ---------------------------------------------------------------------------------------------

/** Token amount of an SPL token account's raw data (0 when absent). */
export function tokenAmount(data: Buffer | null): BN {
  return data && data.length >= 72 ? new BN(data.subarray(64, 72), "le") : new BN(0);
}

/** Supply of an SPL mint's raw data. */
export function mintSupply(data: Buffer): BN {
  return new BN(data.subarray(36, 44), "le");
}

/** What the invariant checker needs to know besides the chain. */
/** The rewards of one live auction, counted from the events (see {@link Tracked.rewards}). */
export interface AuctionRewards {
  paid: BN;
  penalty: BN;
  debt: BN;
  position: string;
  carried: BN;
}

export interface Tracked {
  /** Every position address ever opened in the market (closed ones are skipped). */
  positions: PublicKey[];
  /** Live auction addresses (from `AuctionStarted` / `AuctionSettled` events). */
  auctions: Set<string>;
  /** Auction ids below this were already checked (set by {@link checkInvariants}). */
  knownCount?: number;
  /** Auctions settled since the last check (must be closed). */
  closed?: PublicKey[];
  /**
   * Per live auction: the rewards its `AuctionStarted` and `AuctionReset` events paid, its penalty
   * and debt at the kick (`tab − debt` and `debt` of `AuctionStarted`), its position and the
   * unearned rewards it carried in from that position, counted from the events independently of
   * the program's `rewards_paid`.
   */
  rewards?: Map<string, AuctionRewards>;
  /**
   * Per position: the unearned rewards its settled auctions left (rewards charged beyond the
   * penalty collected), modelled from the events; the program's `unearned_rewards` must match.
   */
  unearned?: Map<string, BN>;
  /**
   * Positions that got an auction's unraised debt back (settled with its collateral exhausted and
   * no bad debt) since their last kick: their debt may be below dust (a whole kick still takes it).
   */
  returnedDebt?: Set<string>;
  /** Withdrawal request addresses of the LPs (absent ones are skipped). */
  requests?: PublicKey[];
}

/** The withdrawal request at `address`, decoded (null when there is none). */
function requestAt(arena: Arena, address: PublicKey): WithdrawalRequestAccount | null {
  const data = arena.chain.data(address);
  return data && data.length > 0 ? decodeWithdrawalRequest(data) : null;
}

/**
 * Throws unless the market's accounting holds: vaults match (`collateral vault == collateral_total`,
 * `liquidity vault == cash + insurance`), `Σ ink + Σ lot == collateral_total`,
 * `dirt == Σ tab`, `auction_debt == Σ debt`, `art_total == Σ art`, share mint supply + shares
 * in withdrawal requests == `total_shares`, per-auction sanity (`debt ≤ tab ≤ initial_tab`, `lot ≤
 * initial_lot`, no open flash take, live tab ≥ dust, the kick and all resets together paid at most
 * the penalty `initial_tab − initial_debt`, and `rewards_paid` equals the reward events),
 * per-position sanity (debt 0 or ≥ dust, live auction count), and
 * `rate ≥ 1.0`. The tracked live auctions must be exactly the auction accounts that exist.
 */
export function checkInvariants(arena: Arena, tracked: Tracked): void {
  const fail = (msg: string): never => {
    throw new Error(`invariant: ${msg}`);
  };
  const m = arena.market();
  const collVault = tokenAmount(arena.chain.data(arena.addrs.collateralVault));
  const liqVault = tokenAmount(arena.chain.data(arena.addrs.liquidityVault));
  if (!collVault.eq(m.collateralTotal))
    fail(`collateral vault ${collVault} != collateral_total ${m.collateralTotal}`);
  if (!liqVault.eq(m.cash.add(m.insurance)))
    fail(`liquidity vault ${liqVault} != cash ${m.cash} + insurance ${m.insurance}`);
  // Shares in withdrawal requests are burned from their owners but still counted by the market.
  let requested = new BN(0);
  for (const address of tracked.requests ?? []) {
    const req = requestAt(arena, address);
    if (!req) continue;
    if (!req.market.equals(arena.addrs.market)) fail(`request ${address} of another market`);
    if (req.shares.isZero()) fail(`request ${address} empty but not closed`);
    requested = requested.add(req.shares);
  }
  const supply = mintSupply(arena.chain.data(arena.addrs.shareMint)!);
  if (!supply.add(requested).eq(m.totalShares))
    fail(`share supply ${supply} + requested ${requested} != total_shares ${m.totalShares}`);
  if (m.rate.lt(RATE_SCALE)) fail(`rate ${m.rate} below 1.0`);

  let ink = new BN(0);
  let art = new BN(0);
  const liveByPosition = new Map<string, number>();
  const positions = new Map<string, PositionAccount>();
  for (const p of tracked.positions) {
    const pos = arena.positionAt(p);
    if (!pos) continue;
    positions.set(p.toBase58(), pos);
    if (!pos.market.equals(arena.addrs.market)) fail(`position ${p} of another market`);
    ink = ink.add(pos.ink);
    art = art.add(pos.art);
    const unearned = tracked.unearned?.get(p.toBase58()) ?? new BN(0);
    if (tracked.unearned && !pos.unearnedRewards.eq(unearned))
      fail(`position ${p} unearned_rewards ${pos.unearnedRewards} != modelled ${unearned}`);
    if (!pos.art.isZero()) {
      const debt = debtFromArt(pos.art, m.rate)!;
      if (debt.lt(m.params.dust) && !tracked.returnedDebt?.has(p.toBase58()))
        fail(`position ${p} debt ${debt} below dust`);
    }
  }
  let lot = new BN(0);
  let tab = new BN(0);
  let debt = new BN(0);
  for (const key of tracked.auctions) {
    const a = arena.auction(new PublicKey(key));
    if (!a) fail(`tracked auction ${key} does not exist`);
    const au = a as AuctionAccount;
    if (!au.market.equals(arena.addrs.market)) fail(`auction ${key} of another market`);
    if (au.flash !== 0 || !au.pendingOwe.isZero()) fail(`auction ${key} left a flash take open`);
    if (au.debt.gt(au.tab)) fail(`auction ${key} debt ${au.debt} > tab ${au.tab}`);
    if (au.tab.gt(au.initialTab)) fail(`auction ${key} tab grew`);
    if (au.lot.gt(au.initialLot)) fail(`auction ${key} lot grew`);
    if (au.tab.isZero() || au.lot.isZero()) fail(`auction ${key} done but not closed`);
    if (au.tab.lt(m.params.dust)) fail(`auction ${key} tab ${au.tab} below dust`);
    if (au.id.gte(m.auctionCount)) fail(`auction ${key} id beyond auction_count`);
    if (au.initialDebt.gt(au.initialTab)) fail(`auction ${key} initial debt above initial tab`);
    const penalty = au.initialTab.sub(au.initialDebt);
    const seen = tracked.rewards?.get(key);
    // What it charged: the position's carried unearned rewards, then what it paid out, within the
    // penalty (so never above the larger of the two).
    const carried = seen?.carried ?? new BN(0);
    if (au.rewardsPaid.gt(BN.max(penalty, carried)))
      fail(`auction ${key} charged ${au.rewardsPaid} of rewards > penalty ${penalty}`);
    if (seen && !seen.carried.add(seen.paid).eq(au.rewardsPaid))
      fail(
        `auction ${key} rewards_paid ${au.rewardsPaid} != carried ${carried} + Σ reward events ${seen.paid}`,
      );
    if (seen && !seen.penalty.eq(penalty))
      fail(`auction ${key} penalty ${penalty} != kick event's ${seen.penalty}`);
    const pk = au.position.toBase58();
    liveByPosition.set(pk, (liveByPosition.get(pk) ?? 0) + 1);
    lot = lot.add(au.lot);
    tab = tab.add(au.tab);
    debt = debt.add(au.debt);
  }
  // No live auction outside the tracked set: ids below `knownCount` were checked when they appeared
  // (and closed ones when they settled); the new ones must all be tracked.
  for (let id = tracked.knownCount ?? 0; id < m.auctionCount.toNumber(); id++) {
    const [addr] = auctionPda(arena.addrs.market, id);
    const exists = (arena.chain.data(addr)?.length ?? 0) > 0;
    if (exists !== tracked.auctions.has(addr.toBase58()))
      fail(`auction #${id} exists=${exists} but tracked=${tracked.auctions.has(addr.toBase58())}`);
  }
  tracked.knownCount = m.auctionCount.toNumber();
  for (const closed of tracked.closed ?? []) {
    if ((arena.chain.data(closed)?.length ?? 0) > 0) fail(`settled auction ${closed} still exists`);
  }
  if (tracked.closed) tracked.closed.length = 0;
  for (const [key, pos] of positions) {
    const live = liveByPosition.get(key) ?? 0;
    if (!pos.auctions.eqn(live)) fail(`position ${key} counts ${pos.auctions} auctions, ${live} live`);
  }
  if (!ink.add(lot).eq(m.collateralTotal))
    fail(`Σ ink ${ink} + Σ lot ${lot} != collateral_total ${m.collateralTotal}`);
  if (!art.eq(m.artTotal)) fail(`Σ art ${art} != art_total ${m.artTotal}`);
  if (!tab.eq(m.dirt)) fail(`Σ tab ${tab} != dirt ${m.dirt}`);
  if (!debt.eq(m.auctionDebt)) fail(`Σ auction debt ${debt} != auction_debt ${m.auctionDebt}`);
}

/** Raw state of a set of accounts (owner, lamports, data). */
export type Snapshot = Map<string, { owner: Buffer; lamports: bigint; data: Buffer } | null>;

const base58Cache = new WeakMap<PublicKey, string>();
/** `key.toBase58()`, cached per object (base58 encoding is slow and snapshots repeat it a lot). */
function b58(key: PublicKey): string {
  let s = base58Cache.get(key);
  if (s === undefined) {
    s = key.toBase58();
    base58Cache.set(key, s);
  }
  return s;
}

/** Reads `addresses` (every value compared by {@link diffSnapshots}). */
export function snapshot(arena: Arena, addresses: PublicKey[]): Snapshot {
  const out: Snapshot = new Map();
  for (const a of addresses) {
    const acc = arena.chain.svm.getAccount(a);
    out.set(
      b58(a),
      acc
        ? { owner: acc.owner.toBuffer(), lamports: BigInt(acc.lamports), data: Buffer.from(acc.data) }
        : null,
    );
  }
  return out;
}

/** Addresses whose state differs between two snapshots (lamports ignored for `ignoreLamports`). */
export function diffSnapshots(
  before: Snapshot,
  after: Snapshot,
  ignoreLamports: Set<string> = new Set(),
): string[] {
  const changed: string[] = [];
  for (const [k, v] of before) {
    const w = after.get(k) ?? null;
    if (v === null || w === null) {
      if (v !== w) changed.push(k);
      continue;
    }
    if (
      !v.owner.equals(w.owner) ||
      !v.data.equals(w.data) ||
      (!ignoreLamports.has(k) && v.lamports !== w.lamports)
    )
      changed.push(k);
  }
  return changed;
}

/**
 * Sends like `GavelSvm.send`, but as an unsigned `VersionedTransaction` on a chain with signature
 * verification off (the fuzzer's speed-up: ed25519 in JavaScript dominates otherwise). The program
 * sees the same `is_signer` flags either way; to keep that honest, every account the message
 * requires to sign must be one of `signers`, whose keypairs the caller holds.
 */
export function sendUnsigned(arena: Arena, ixs: TransactionInstruction[], signers: Keypair[]): SendResult {
  const svm = arena.chain.svm;
  const tx = new Transaction();
  tx.recentBlockhash = svm.latestBlockhash();
  tx.feePayer = signers[0].publicKey;
  tx.add(...ixs);
  const message = tx.compileMessage();
  const held = new Set(signers.map((k) => b58(k.publicKey)));
  for (const key of message.accountKeys.slice(0, message.header.numRequiredSignatures))
    if (!held.has(key.toBase58())) throw new Error(`fuzzer bug: ${key.toBase58()} must sign but is not held`);
  const res = svm.sendTransaction(new VersionedTransaction(message));
  svm.expireBlockhash();
  if (res instanceof FailedTransactionMetadata) {
    const logs = res.meta().logs();
    return {
      ok: false,
      computeUnits: Number(res.meta().computeUnitsConsumed()),
      logs,
      events: [],
      error: parseGavelError(logs),
      rawError: String(res.err()),
    };
  }
  const logs = res.logs();
  const events: GavelEvent[] = [];
  for (const line of logs) {
    if (!line.startsWith("Program data: ")) continue;
    const ev = coder.events.decode(line.slice("Program data: ".length));
    if (ev) events.push(ev as GavelEvent);
  }
  return { ok: true, computeUnits: Number(res.computeUnitsConsumed()), logs, events };
}

/**
 * Memoizes `PublicKey.findProgramAddressSync` (a pure function; the SDK's builders derive the same
 * PDAs over and over) while `f` runs.
 */
function withPdaMemo<T>(f: () => T): T {
  const original = PublicKey.findProgramAddressSync;
  const memo = new Map<string, [PublicKey, number]>();
  PublicKey.findProgramAddressSync = (seeds: Array<Buffer | Uint8Array>, programId: PublicKey) => {
    const key = `${b58(programId)}/${seeds.map((x) => Buffer.from(x).toString("hex")).join("/")}`;
    let hit = memo.get(key);
    if (!hit) {
      hit = original.call(PublicKey, seeds, programId);
      memo.set(key, hit);
    }
    return hit;
  };
  try {
    return f();
  } finally {
    PublicKey.findProgramAddressSync = original;
  }
}

// ---------------------------------------------------------------------------------------------
// The fuzzer.
// ---------------------------------------------------------------------------------------------

/** One actor of the fuzz: wallet, token accounts and position address. */
interface Actor {
  kp: Keypair;
  coll: PublicKey;
  debt: PublicKey;
  share: PublicKey;
  position: PublicKey;
  /** The actor's withdrawal request PDA. */
  request: PublicKey;
}

/** An operation: what to send, by whom, and a label for the log. */
interface Op {
  name: string;
  ixs: TransactionInstruction[];
  signers: Keypair[];
  /** Differential check of the outcome against the SDK's mirror (throws on a mismatch). */
  check?: (res: SendResult) => void;
}

/** Options of a fuzz run. */
export interface FuzzOptions {
  seed: number;
  ops: number;
  /** At least 2 (default 6). */
  actors?: number;
  /** Called every `every` steps with progress (e.g. for a long background run). */
  progress?: (step: number, stats: FuzzStats) => void;
  every?: number;
}

/** Counters of a run, by operation: sent, succeeded. */
export interface FuzzStats {
  ops: number;
  ok: number;
  failed: number;
  byOp: Record<string, { sent: number; ok: number }>;
  errors: Record<string, number>;
  kicks: number;
  takes: number;
  flashTakes: number;
  resets: number;
  cancels: number;
  settled: number;
  badDebts: number;
  socialized: BN;
  rewardsPaid: BN;
  /** Reset loops (a borrower kicks their own position, resets it after each tail, buys it back). */
  resetLoops: number;
  /** Of those, loops whose tab was raised in full: the insurance fund's net was checked ≥ 0. */
  resetLoopsRaised: number;
}

/** Thrown with the seed and step on the first broken invariant. */
export class FuzzFailure extends Error {
  constructor(
    readonly seed: number,
    readonly step: number,
    readonly op: string,
    cause: string,
  ) {
    super(
      `fuzz seed ${seed} failed at step ${step} (${op}): ${cause}\n  reproduce: GAVEL_FUZZ_SEED=${seed} GAVEL_FUZZ_OPS=${step + 1}`,
    );
    this.name = "FuzzFailure";
  }
}

/**
 * Random-operation driver over one market with N actors. Every step sends one transaction chosen by
 * the PRNG (or moves the oracle / the clock), then checks {@link checkInvariants}, that the LP share
 * price did not fall except by a `BadDebt` event's socialized amount, and, when the transaction
 * failed, that no account changed.
 */
export class Fuzzer {
  readonly arena = new Arena();
  readonly rng: Rng;
  readonly actors: Actor[] = [];
  readonly tracked: Tracked = {
    positions: [],
    auctions: new Set(),
    closed: [],
    rewards: new Map(),
    unearned: new Map(),
    returnedDebt: new Set(),
    requests: [],
  };
  /** The most recently closed auctions (kept as garbage inputs). */
  readonly closedAuctions: PublicKey[] = [];
  readonly stats: FuzzStats = {
    ops: 0,
    ok: 0,
    failed: 0,
    byOp: {},
    errors: {},
    kicks: 0,
    takes: 0,
    flashTakes: 0,
    resets: 0,
    cancels: 0,
    settled: 0,
    badDebts: 0,
    socialized: new BN(0),
    rewardsPaid: new BN(0),
    resetLoops: 0,
    resetLoopsRaised: 0,
  };
  /** Oracle price in cents and its confidence. */
  private cents = 15_000;
  private confBps = 10;
  private step = 0;

  constructor(readonly opts: FuzzOptions) {
    // Two at least: an unsigned-transaction mutation has another actor pay for it.
    if ((opts.actors ?? 6) < 2) throw new Error(`the fuzzer needs at least 2 actors, got ${opts.actors}`);
    this.rng = new Rng(opts.seed);
    const a = this.arena;
    // Signatures are not verified (see sendUnsigned) and identical unsigned messages must not be
    // refused as duplicates.
    a.chain.svm.withSigverify(false);
    a.chain.svm.withTransactionHistory(0n);
    // Default parameters with a hole of 200k USDC, so that big positions are kicked in parts.
    // A small insurance fund, so that bad debt is also socialized to the LPs.
    a.setup({ hole: USDC(200_000) }, USDC(1_000_000), USDC(300));
    for (let i = 0; i < (opts.actors ?? 6); i++) {
      const kp = a.actor(1_000);
      a.fundCollateral(kp.publicKey, SOL(2_000));
      a.fundDebt(kp.publicKey, USDC(2_000_000));
      this.actors.push({
        kp,
        coll: a.ata(a.ref.collateralMint, kp.publicKey),
        debt: a.ata(a.ref.debtMint, kp.publicKey),
        share: a.ata(a.addrs.shareMint, kp.publicKey),
        position: positionPda(a.addrs.market, kp.publicKey)[0],
        request: withdrawalRequestPda(a.addrs.market, kp.publicKey)[0],
      });
      this.tracked.positions.push(positionPda(a.addrs.market, kp.publicKey)[0]);
      this.tracked.requests!.push(withdrawalRequestPda(a.addrs.market, kp.publicKey)[0]);
      // Most actors start with an open position holding collateral (and some debt).
      if (i % 3 !== 2) {
        a.mustSend(
          [
            openPositionIx({ ...a.ref, owner: kp.publicKey }),
            a.depositIx(kp, SOL(100 + 100 * i)),
            borrowIx(a.borrowAccounts(kp), USDC(5_000 + 2_000 * i)),
          ],
          [kp],
        );
      }
    }
    this.publishPrice();
  }

  /** Runs `opts.ops` steps; throws a {@link FuzzFailure} on the first violation. */
  run(): FuzzStats {
    return withPdaMemo(() => this.runSteps());
  }

  private runSteps(): FuzzStats {
    checkInvariants(this.arena, this.tracked);
    for (this.step = 0; this.step < this.opts.ops; this.step++) {
      const op = this.nextOp();
      try {
        this.apply(op);
      } catch (e) {
        if (e instanceof FuzzFailure) throw e;
        throw new FuzzFailure(
          this.opts.seed,
          this.step,
          op?.name ?? "oracle/clock",
          String((e as Error).message),
        );
      }
      if (this.opts.progress && (this.step + 1) % (this.opts.every ?? 1000) === 0)
        this.opts.progress(this.step + 1, this.stats);
    }
    return this.stats;
  }

  // --- state helpers -------------------------------------------------------------------------

  private publishPrice(opts: { ageSecs?: number; status?: number } = {}): void {
    this.arena.setPrice(this.cents / 100, { confBps: this.confBps, ...opts });
  }

  private liveAuctions(): PublicKey[] {
    return [...this.tracked.auctions].map((k) => new PublicKey(k));
  }

  private openPositions(): Actor[] {
    return this.actors.filter((x) => this.arena.positionAt(x.position) !== null);
  }

  /**
   * A successful claim happened after the request's cooldown and paid exactly what the SDK's
   * mirror says: min(value at request, value now at the withdrawal value), never more.
   */
  private checkClaim(
    res: SendResult,
    req: WithdrawalRequestAccount | null,
    shares: BN,
    m: MarketAccount,
  ): void {
    if (!res.ok) return;
    if (!req) throw new Error("withdraw_liquidity paid without a request");
    if (BigInt(req.claimableTs.toString()) > this.arena.now)
      throw new Error(`claim paid before the cooldown ended (${req.claimableTs} > ${this.arena.now})`);
    const now = this.accrued(m);
    const cap = requestValueOf(shares, req.shares, req.value)!;
    const expected = claimAmount(shares, cap, withdrawalValue(now)!, now.totalShares)!;
    const ev = res.events.find((e) => e.name === "liquidityWithdrawn");
    const paid = ev?.data.amount as BN | undefined;
    if (!paid || !paid.eq(expected)) throw new Error(`claim paid ${paid}, the rule says ${expected}`);
  }

  /** Max additional debt of `pos` at the current (price − confidence), as the program computes it. */
  private borrowRoom(pos: PositionAccount, m: MarketAccount): BN {
    const low = this.arena.programPrice(this.cents / 100, this.confBps);
    const limit = maxDebtFor(valueFloor(pos.ink, low)!, new BN(m.params.maxLtvBps))!;
    const debt = debtFromArt(pos.art, m.rate)!;
    return limit.gt(debt) ? limit.sub(debt) : new BN(0);
  }

  private unsafe(pos: PositionAccount, m: MarketAccount): boolean {
    if (pos.art.isZero()) return false;
    const mid = this.arena.programPrice(this.cents / 100);
    const limit = maxDebtFor(valueFloor(pos.ink, mid)!, new BN(m.params.liquidationLtvBps))!;
    return debtFromArt(pos.art, m.rate)!.gt(limit);
  }

  /** The market as the next instruction will see it after accruing interest up to the clock. */
  private accrued(m: MarketAccount): MarketAccount {
    const secs = new BN((this.arena.now - BigInt(m.lastAccrualTs.toString())).toString());
    if (secs.lten(0)) return m;
    return { ...m, rate: accrueRate(m.rate, m.params.borrowRatePerSecWad, secs)! };
  }

  /**
   * What the SDK's mirror predicts for a take (`AuctionNeedsReset`, `PriceAboveMax`, a refused
   * quote, or the exact collateral and payment), as a check of the transaction's outcome. A
   * predicted success may still fail in the token program (a bidder short of funds).
   */
  private takePrediction(
    au: AuctionAccount,
    price: BN,
    maxCollateral: BN,
    maxPrice: BN,
    m: MarketAccount,
  ): (res: SendResult) => void {
    let expected: string | { collateral: BN; owe: BN };
    if (needsReset(m.params, au, new BN(this.arena.now.toString()))) expected = "AuctionNeedsReset";
    else if (price.gt(maxPrice)) expected = "PriceAboveMax";
    else {
      try {
        expected = takeQuote(au, maxCollateral, price, m.params.dust);
      } catch (e) {
        const reason = (e as TakeQuoteError).reason;
        expected =
          reason === "TooSmall"
            ? "TakeTooSmall"
            : reason === "PartialLeavesDust"
              ? "TakeLeavesDust"
              : "MathOverflow";
      }
    }
    return (res) => {
      const stopped = res.error?.errorName === "ProtocolStopped";
      if (typeof expected === "string") {
        if (res.ok || (res.error?.errorName !== expected && !stopped))
          throw new Error(
            `take: SDK predicts ${expected}, program says ${res.ok ? "ok" : (res.error?.errorName ?? res.rawError)}`,
          );
        return;
      }
      if (!res.ok) {
        if (res.error && !stopped)
          throw new Error(`take: SDK predicts a fill, program refuses with ${res.error.errorName}`);
        return; // e.g. the bidder's token account is short: the token program refuses
      }
      const ev = res.events.find((e) => e.name === "auctionTaken")!.data;
      if (!ev.collateral.eq(expected.collateral) || !ev.owe.eq(expected.owe) || !ev.price.eq(price))
        throw new Error(
          `take: SDK predicts ${expected.collateral} for ${expected.owe} at ${price}, program sold ${ev.collateral} for ${ev.owe} at ${ev.price}`,
        );
    };
  }

  /** A random amount "around" `x`: mostly a fraction of it, sometimes garbage. */
  private amountAround(x: BN): BN {
    const r = this.rng;
    switch (r.int(10)) {
      case 0:
        return new BN(0);
      case 1:
        return U64_MAX.clone();
      case 2:
        return new BN(r.range(1, 1000));
      case 3:
        return r.u64();
      case 4:
        return x.clone();
      case 5:
        return x.addn(1);
      default:
        return BN.max(r.scale(x, 0, 1), new BN(1));
    }
  }

  // --- operations ------------------------------------------------------------------------------

  private nextOp(): Op | null {
    const r = this.rng;
    let kind = r.weighted({
      price: 10,
      warp: 8,
      lpDeposit: 3,
      lpRequest: 2,
      lpWithdraw: 3,
      lpCancel: 1,
      runAhead: 1,
      insurance: 1,
      open: 2,
      deposit: 5,
      withdraw: 4,
      borrow: 10,
      repay: 5,
      close: 1,
      accrue: 1,
      kick: 8,
      take: 12,
      flash: 5,
      reset: 4,
      resetLoop: 2,
      stop: 0.5,
      topUp: 1,
      bad: 8,
    });
    // Without live auctions, liquidation steps try a kick instead.
    if ((kind === "take" || kind === "flash" || kind === "reset") && this.tracked.auctions.size === 0)
      kind = "kick";
    switch (kind) {
      case "price":
        this.movePrice();
        return null;
      case "warp":
        this.warp();
        return null;
      case "bad":
        return this.badOp();
      case "resetLoop":
        try {
          this.resetLoop();
        } catch (e) {
          if (e instanceof FuzzFailure) throw e;
          throw new FuzzFailure(this.opts.seed, this.step, "resetLoop", String((e as Error).message));
        }
        return null;
      default:
        return this.validOp(kind);
    }
  }

  private movePrice(): void {
    const r = this.rng;
    const roll = r.int(20);
    if (roll <= 1)
      this.cents = Math.round(this.cents * (0.4 + 0.5 * r.next())); // crash
    else if (roll === 2)
      this.cents = Math.round(this.cents * (1.1 + 0.5 * r.next())); // pump
    else if (roll <= 4)
      this.cents = Math.round(this.cents + (15_000 - this.cents) * 0.5); // revert
    else this.cents = Math.round(this.cents * (0.94 + 0.12 * r.next()));
    this.cents = Math.min(Math.max(this.cents, 100), 1_000_000);
    this.confBps = r.chance(0.1) ? r.range(0, 400) : 10;
    const bad = r.int(40);
    if (bad === 0) this.publishPrice({ ageSecs: r.range(61, 1000) });
    else if (bad === 1) this.publishPrice({ status: 0 });
    else this.publishPrice();
  }

  private warp(): void {
    const r = this.rng;
    const roll = r.int(20);
    const secs =
      roll < 12
        ? r.range(1, 120)
        : roll < 17
          ? r.range(90, 1_800)
          : roll < 19
            ? 7_201
            : r.range(3_600, 30 * 86_400);
    this.arena.warp(secs);
    if (r.chance(0.85)) this.publishPrice();
  }

  private validOp(kind: string): Op | null {
    const r = this.rng;
    const a = this.arena;
    const actor = r.pick(this.actors);
    const other = r.pick(this.actors);
    const m = a.market();
    const live = this.liveAuctions();
    switch (kind) {
      case "lpDeposit": {
        const bal = a.balance(actor.debt);
        return {
          name: kind,
          ixs: [depositLiquidityIx(a.lpAccounts(actor.kp), this.amountAround(bal.divn(4)))],
          signers: [actor.kp],
        };
      }
      case "lpRequest":
        return {
          name: kind,
          ixs: [requestWithdrawalIx(a.lpAccounts(actor.kp), this.amountAround(a.balance(actor.share)))],
          signers: [actor.kp],
        };
      case "lpWithdraw": {
        const req = requestAt(a, actor.request);
        const shares = this.amountAround(req?.shares ?? a.balance(actor.share));
        return {
          name: kind,
          ixs: [withdrawLiquidityIx(a.lpAccounts(actor.kp), shares)],
          signers: [actor.kp],
          check: (res) => this.checkClaim(res, req, shares, m),
        };
      }
      case "lpCancel":
        return { name: kind, ixs: [cancelWithdrawalIx(a.lpAccounts(actor.kp))], signers: [actor.kp] };
      case "runAhead": {
        // Issue 15's attack: an LP who sees an unsafe position leaves in the same transaction as
        // its kick — asking for a withdrawal (which then waits the cooldown, its shares sharing
        // the loss), or claiming a request made earlier (paid at most its value now, with the
        // auction's debt counted only up to the insurance fund).
        const unsafe = this.openPositions().filter((x) => this.unsafe(a.positionAt(x.position)!, m));
        const target = unsafe.length > 0 ? r.pick(unsafe) : other;
        const req = requestAt(a, actor.request);
        if (!req) {
          return {
            name: kind,
            ixs: [
              requestWithdrawalIx(a.lpAccounts(actor.kp), a.balance(actor.share)),
              a.kickIx(target.kp.publicKey, actor.kp),
            ],
            signers: [actor.kp],
          };
        }
        return {
          name: kind,
          ixs: [
            withdrawLiquidityIx(a.lpAccounts(actor.kp), req.shares),
            a.kickIx(target.kp.publicKey, actor.kp),
          ],
          signers: [actor.kp],
          check: (res) => this.checkClaim(res, req, req.shares, m),
        };
      }
      case "insurance":
        return {
          name: kind,
          ixs: [
            fundInsuranceIx(
              { ...a.ref, funder: actor.kp.publicKey, funderDebtAccount: actor.debt },
              this.amountAround(USDC(50)),
            ),
          ],
          signers: [actor.kp],
        };
      case "open":
        return {
          name: kind,
          ixs: [openPositionIx({ ...a.ref, owner: actor.kp.publicKey })],
          signers: [actor.kp],
        };
      case "deposit":
        return {
          name: kind,
          ixs: [a.depositIx(actor.kp, this.amountAround(a.balance(actor.coll).divn(5)), other.kp.publicKey)],
          signers: [actor.kp],
        };
      case "withdraw": {
        const pos = a.positionAt(actor.position);
        const x = pos ? pos.ink : SOL(1);
        return {
          name: kind,
          ixs: [withdrawCollateralIx(a.withdrawAccounts(actor.kp), this.amountAround(x))],
          signers: [actor.kp],
        };
      }
      case "borrow": {
        const pos = a.positionAt(actor.position);
        const room = pos ? this.borrowRoom(pos, m) : USDC(100);
        // Half of the borrows go to the limit (then a modest price fall makes them kickable).
        const amount = r.chance(0.5) ? BN.max(room, m.params.dust) : this.amountAround(room);
        return { name: kind, ixs: [borrowIx(a.borrowAccounts(actor.kp), amount)], signers: [actor.kp] };
      }
      case "repay": {
        const pos = a.positionAt(other.position);
        const debt = pos ? debtFromArt(pos.art, m.rate)! : USDC(10);
        const amount = r.chance(0.3) ? REPAY_ALL : this.amountAround(debt);
        return { name: kind, ixs: [a.repayIx(actor.kp, amount, other.kp.publicKey)], signers: [actor.kp] };
      }
      case "close":
        return {
          name: kind,
          ixs: [closePositionIx({ ...a.ref, owner: actor.kp.publicKey })],
          signers: [actor.kp],
        };
      case "accrue":
        return { name: kind, ixs: [accrueIx({ market: a.addrs.market })], signers: [actor.kp] };
      case "kick": {
        const open = this.openPositions();
        const unsafe = open.filter((x) => this.unsafe(a.positionAt(x.position)!, m));
        if (unsafe.length === 0 && r.chance(0.7)) {
          // Nothing to liquidate: the market moves instead (a crash half of the time).
          if (r.chance(0.5)) this.cents = Math.max(100, Math.round(this.cents * (0.7 + 0.2 * r.next())));
          this.movePrice();
          return null;
        }
        const target =
          unsafe.length > 0 && r.chance(0.8) ? r.pick(unsafe) : open.length > 0 ? r.pick(open) : other;
        const pos = a.positionAt(target.position);
        // The SDK's verdict at the rate the kick will accrue to and the published mid price.
        const verdict = pos ? this.unsafe(pos, this.accrued(m)) : null;
        return {
          name: kind,
          ixs: [a.kickIx(target.kp.publicKey, actor.kp)],
          signers: [actor.kp],
          check: (res) => {
            if (res.ok && verdict !== true)
              throw new Error(`kick succeeded but the SDK says the position is safe`);
            if (res.error?.errorName === "PositionSafe" && verdict === true)
              throw new Error(`kick refused as safe but the SDK says the position is unsafe`);
          },
        };
      }
      case "take":
      case "flash": {
        if (live.length === 0) return null;
        const auction = r.pick(live);
        const au = a.auction(auction)!;
        const price = a.priceNow(auction);
        const maxPrice = r.pick([price, price, U64_MAX, price.subn(1), r.scale(price, 1, 1.2), new BN(0)]);
        const maxCollateral = r.pick([
          au.lot,
          U64_MAX,
          BN.max(r.scale(au.lot, 0, 1), new BN(1)),
          new BN(1),
          new BN(0),
        ]);
        const acc = a.takeAccounts(auction, actor.kp);
        const check = this.takePrediction(au, price, maxCollateral, maxPrice, m);
        if (kind === "take")
          return { name: kind, ixs: [takeIx(acc, { maxCollateral, maxPrice })], signers: [actor.kp], check };
        return {
          name: kind,
          ixs: flashTakeIxs(acc, { maxCollateral, maxPrice }, []),
          signers: [actor.kp],
          check,
        };
      }
      case "reset": {
        if (live.length === 0) return null;
        return { name: kind, ixs: [a.resetIx(r.pick(live), actor.kp)], signers: [actor.kp] };
      }
      case "stop": {
        // The admin stops the protocol, cancels one auction, and goes live again (one transaction).
        const ixs: TransactionInstruction[] = [setStopIx({ admin: a.admin.publicKey }, 3)];
        if (live.length > 0) {
          const auction = r.pick(live);
          const au = a.auction(auction)!;
          ixs.push(
            cancelAuctionIx({
              ...a.ref,
              admin: a.admin.publicKey,
              auction,
              position: au.position,
              kicker: au.kicker,
            }),
          );
        }
        ixs.push(setStopIx({ admin: a.admin.publicKey }, r.chance(0.9) ? 0 : r.range(1, 2)));
        return { name: kind, ixs, signers: [a.admin] };
      }
      case "topUp": {
        // Test-only minting (outside the protocol) so that actors can keep bidding and depositing.
        a.fundDebt(actor.kp.publicKey, USDC(1_000_000));
        a.fundCollateral(actor.kp.publicKey, SOL(1_000));
        return null;
      }
    }
    return null;
  }

  /**
   * Issue 15's reward loop: a borrower kicks their own unsafe position, resets the auction after
   * each tail (1 to 5 times) and, most of the time, buys it all back. Every transaction goes
   * through {@link apply} (so every invariant is checked after each); the kick and the resets
   * together may pay at most the auction's penalty, and when the tab is raised in full the
   * insurance fund must not end the loop with less than it started with.
   */
  private resetLoop(): void {
    const a = this.arena;
    const r = this.rng;
    const m = this.accrued(a.market());
    const unsafe = this.openPositions().filter((x) => this.unsafe(a.positionAt(x.position)!, m));
    if (unsafe.length === 0) return;
    const owner = r.pick(unsafe);
    const market = a.market();
    const [auction] = auctionPda(a.addrs.market, market.auctionCount);
    const insurance0 = market.insurance;
    const kick = a.kickIx(owner.kp.publicKey, owner.kp);
    // Half of the loops run on a dust-sized auction, where the penalty is below tip + chip (the
    // case that paid (k + 1) × the penalty): in the same transaction the admin narrows the hole to
    // 1.1–5 × dust of room, the owner kicks a hole-limited slice, the admin restores the hole.
    const admin = { admin: a.admin.publicKey, market: a.addrs.market };
    const room = r.scale(market.params.dust, 1.1, 5);
    const ixs = r.chance(0.5)
      ? [
          updateMarketIx(admin, { ...market.params, hole: market.dirt.add(room) }),
          kick,
          updateMarketIx(admin, market.params),
        ]
      : [kick];
    this.apply({ name: "resetLoop:kick", ixs, signers: [owner.kp, a.admin] });
    if (!a.auction(auction)) return;
    const tail = Number(m.params.tailSecs.toString());
    let resets = 0;
    for (let i = r.range(1, 5); i > 0; i--) {
      a.warp(tail + 1);
      this.publishPrice();
      const before = this.stats.resets;
      this.apply({ name: "resetLoop:reset", ixs: [a.resetIx(auction, owner.kp)], signers: [owner.kp] });
      resets += this.stats.resets - before;
    }
    if (resets === 0) return;
    this.stats.resetLoops++;
    if (r.chance(0.3)) return; // left for the other bidders
    const au = a.auction(auction)!;
    const price = a.priceNow(auction);
    const check = this.takePrediction(au, price, U64_MAX, U64_MAX, a.market());
    const settledBefore = this.stats.settled;
    const acc = a.takeAccounts(auction, owner.kp);
    let raised = false;
    this.apply({
      name: "resetLoop:take",
      ixs: [takeIx(acc, { maxCollateral: U64_MAX, maxPrice: U64_MAX })],
      signers: [owner.kp],
      check: (res) => {
        check(res);
        raised = res.events.some((e) => e.name === "auctionSettled" && e.data.reason === 0);
      },
    });
    if (!raised || this.stats.settled === settledBefore) return;
    this.stats.resetLoopsRaised++;
    const net = a.market().insurance.sub(insurance0);
    if (net.isNeg())
      throw new FuzzFailure(
        this.opts.seed,
        this.step,
        "resetLoop",
        `insurance fund lost ${net.neg()} on a raised auction`,
      );
  }

  /** Every address an operation may read or write, for the snapshot of a failing transaction. */
  private watched(): PublicKey[] {
    const a = this.arena;
    return [
      a.addrs.market,
      a.addrs.collateralVault,
      a.addrs.liquidityVault,
      a.addrs.shareMint,
      configPda()[0],
      ...this.tracked.positions,
      ...this.liveAuctions(),
      ...this.closedAuctions,
      ...this.actors.flatMap((x) => [x.coll, x.debt, x.share, x.request, x.kp.publicKey]),
      a.admin.publicKey,
    ];
  }

  /** A garbage operation: a valid one with a mutated account, signer flag, argument or data. */
  private badOp(): Op | null {
    const r = this.rng;
    let base: Op | null = null;
    for (let i = 0; i < 5 && !base; i++)
      base = this.validOp(
        r.pick([
          "lpDeposit",
          "lpRequest",
          "lpWithdraw",
          "lpCancel",
          "deposit",
          "withdraw",
          "borrow",
          "repay",
          "close",
          "kick",
          "take",
          "flash",
          "reset",
          "open",
          "insurance",
        ]),
      );
    if (!base) return null;
    const gavel = base.ixs.filter((ix) => ix.programId.equals(PROGRAM_ID));
    const target = r.pick(gavel);
    const mutation = r.int(6);
    const clone = (ix: TransactionInstruction, keys: AccountMeta[], data = ix.data) =>
      new TransactionInstruction({ programId: ix.programId, keys, data });
    let mutated: TransactionInstruction;
    const signers = base.signers;
    let name = `bad:${base.name}`;
    if (mutation === 0) {
      // Replace a non-signer account with another known (or unknown) account.
      const idx = target.keys.map((k, i) => (k.isSigner ? -1 : i)).filter((i) => i >= 0);
      if (idx.length === 0) return null;
      const i = r.pick(idx);
      const pool = [
        ...this.watched(),
        SystemProgram.programId,
        TOKEN_PROGRAM_ID,
        SYSVAR_INSTRUCTIONS_PUBKEY,
        this.arena.oracle,
        this.arena.ref.collateralMint,
        this.arena.ref.debtMint,
        Keypair.generate().publicKey,
      ].filter((k) => !base!.signers.some((s) => s.publicKey.equals(k)));
      const keys = target.keys.map((k, j) => (j === i ? { ...k, pubkey: r.pick(pool) } : { ...k }));
      mutated = clone(target, keys);
      name += `:account${i}`;
    } else if (mutation === 1) {
      // The authority does not sign (in any instruction of the op); someone else pays the fee.
      const authority = target.keys[0].pubkey;
      const payer = this.actors.find((x) => !x.kp.publicKey.equals(authority))!;
      const unsign = (ix: TransactionInstruction) =>
        clone(
          ix,
          ix.keys.map((k) => (k.pubkey.equals(authority) ? { ...k, isSigner: false } : { ...k })),
        );
      const ixs = base.ixs.map(unsign);
      const rest = base.signers.filter(
        (k) => !k.publicKey.equals(authority) && !k.publicKey.equals(payer.kp.publicKey),
      );
      return { name: `${name}:nosigner`, ixs, signers: [payer.kp, ...rest] };
    } else if (mutation === 2) {
      // Random u64 arguments.
      const data = Buffer.from(target.data);
      for (let at = 8; at + 8 <= data.length; at += 8) r.u64().toArrayLike(Buffer, "le", 8).copy(data, at);
      mutated = clone(
        target,
        target.keys.map((k) => ({ ...k })),
        data,
      );
      name += ":args";
    } else if (mutation === 3) {
      // Random instruction data (truncated, extended or unknown discriminator).
      const len = r.pick([0, 4, 8, 9, 16, 17, 24, 40]);
      const data = Buffer.alloc(len);
      for (let j = 0; j < len; j++) data[j] = r.int(256);
      if (len >= 8 && r.chance(0.5)) target.data.copy(data, 0, 0, 8);
      mutated = clone(
        target,
        target.keys.map((k) => ({ ...k })),
        data,
      );
      name += ":data";
    } else if (mutation === 5) {
      // Role swap: one of the user's token accounts replaced by a market vault.
      const mine = new Set(this.actors.flatMap((x) => [x.coll, x.debt, x.share].map(b58)));
      const idx = target.keys.map((k, i) => (mine.has(b58(k.pubkey)) ? i : -1)).filter((i) => i >= 0);
      if (idx.length === 0) return null;
      const i = r.pick(idx);
      const vault = r.pick([this.arena.addrs.collateralVault, this.arena.addrs.liquidityVault]);
      mutated = clone(
        target,
        target.keys.map((k, j) => (j === i ? { ...k, pubkey: vault } : { ...k })),
      );
      name += `:vault${i}`;
    } else {
      // A writable account passed read-only.
      const idx = target.keys.map((k, i) => (k.isWritable && !k.isSigner ? i : -1)).filter((i) => i >= 0);
      if (idx.length === 0) return null;
      const i = r.pick(idx);
      mutated = clone(
        target,
        target.keys.map((k, j) => (j === i ? { ...k, isWritable: false } : { ...k })),
      );
      name += `:readonly${i}`;
    }
    return { name, ixs: base.ixs.map((ix) => (ix === target ? mutated : ix)), signers };
  }

  // --- one step --------------------------------------------------------------------------------

  private apply(op: Op | null): void {
    const a = this.arena;
    if (!op) {
      checkInvariants(a, this.tracked);
      return;
    }
    const st = this.stats;
    st.ops++;
    const label = op.name.split(":").slice(0, 2).join(":");
    st.byOp[label] ??= { sent: 0, ok: 0 };
    st.byOp[label].sent++;
    const watched = this.watched();
    const before = snapshot(a, watched);
    const marketBefore = a.market();
    const res = sendUnsigned(a, op.ixs, op.signers);
    if (!res.ok) {
      op.check?.(res);
      st.failed++;
      const err = res.error?.errorName ?? (res.rawError ?? "unknown").slice(0, 60);
      st.errors[err] = (st.errors[err] ?? 0) + 1;
      const wallets = new Set(
        this.actors.map((x) => x.kp.publicKey.toBase58()).concat(a.admin.publicKey.toBase58()),
      );
      const changed = diffSnapshots(before, snapshot(a, watched), wallets);
      if (changed.length > 0)
        throw new FuzzFailure(
          this.opts.seed,
          this.step,
          op.name,
          `failed transaction changed ${changed.join(", ")}`,
        );
      checkInvariants(a, this.tracked);
      return;
    }
    op.check?.(res);
    this.checkConservation();
    st.ok++;
    st.byOp[label].ok++;
    if (op.name === "flash") st.flashTakes++;
    this.track(res);
    checkInvariants(a, this.tracked);
    this.checkSharePrice(marketBefore, a.market(), res.events, op.name);
  }

  /**
   * Global conservation: each mint's supply is held exactly by the market's vault and the known
   * wallets (actors, LP, kicker): no token leaked to, or appeared from, anywhere else.
   */
  private checkConservation(): void {
    const a = this.arena;
    const holders = [...this.actors.map((x) => x.kp.publicKey), a.lp.publicKey, a.kicker.publicKey];
    for (const [mint, vault] of [
      [a.ref.collateralMint, a.addrs.collateralVault],
      [a.ref.debtMint, a.addrs.liquidityVault],
    ] as const) {
      const supply = mintSupply(a.chain.data(mint)!);
      const held = holders.reduce((sum, h) => sum.add(a.balance(a.ata(mint, h))), a.balance(vault));
      if (!held.eq(supply)) throw new Error(`invariant: ${mint.toBase58()} supply ${supply} != held ${held}`);
    }
  }

  /** Updates the live auction set and the counters from a successful transaction's events. */
  private track(res: SendResult): void {
    const st = this.stats;
    for (const e of res.events as GavelEvent[]) {
      switch (e.name) {
        case "auctionStarted": {
          this.tracked.auctions.add((e.data.auction as PublicKey).toBase58());
          const position = (e.data.position as PublicKey).toBase58();
          this.tracked.returnedDebt!.delete(position);
          const carried = this.tracked.unearned!.get(position) ?? new BN(0);
          this.tracked.unearned!.delete(position);
          const penalty = (e.data.tab as BN).sub(e.data.debt as BN);
          const reward = e.data.reward as BN;
          if (reward.gtn(0) && carried.add(reward).gt(penalty))
            throw new Error(`invariant: kick reward ${reward} > penalty ${penalty} − carried ${carried}`);
          this.tracked.rewards!.set((e.data.auction as PublicKey).toBase58(), {
            paid: reward,
            penalty,
            debt: e.data.debt as BN,
            position,
            carried,
          });
          st.kicks++;
          st.rewardsPaid = st.rewardsPaid.add(e.data.reward as BN);
          break;
        }
        case "auctionSettled": {
          const r = this.tracked.rewards!.get((e.data.auction as PublicKey).toBase58());
          if (r) {
            // Penalty collected: proceeds beyond the debt; a cancel turns the rest back into debt,
            // penalty included, so it counts whole. The rest of what it charged stays unearned.
            const raised = e.data.raised as BN;
            const collected =
              e.data.reason === 2 ? r.penalty : raised.gt(r.debt) ? raised.sub(r.debt) : new BN(0);
            const left = r.carried.add(r.paid).sub(collected);
            if (left.gtn(0))
              this.tracked.unearned!.set(
                r.position,
                (this.tracked.unearned!.get(r.position) ?? new BN(0)).add(left),
              );
          }
          if (e.data.reason === 1 && (e.data.badDebt as BN).isZero())
            this.tracked.returnedDebt!.add((e.data.position as PublicKey).toBase58());
          this.tracked.auctions.delete((e.data.auction as PublicKey).toBase58());
          this.closedAuctions.push(e.data.auction as PublicKey);
          if (this.closedAuctions.length > 16) this.closedAuctions.shift();
          this.tracked.closed!.push(e.data.auction as PublicKey);
          this.tracked.rewards!.delete((e.data.auction as PublicKey).toBase58());
          st.settled++;
          if (e.data.reason === 2) st.cancels++;
          break;
        }
        case "positionClosed":
          this.tracked.unearned!.delete((e.data.position as PublicKey).toBase58());
          this.tracked.returnedDebt!.delete((e.data.position as PublicKey).toBase58());
          break;
        case "auctionTaken":
          st.takes++;
          break;
        case "auctionReset": {
          st.resets++;
          st.rewardsPaid = st.rewardsPaid.add(e.data.reward as BN);
          const r = this.tracked.rewards!.get((e.data.auction as PublicKey).toBase58());
          if (r) {
            r.paid = r.paid.add(e.data.reward as BN);
            if ((e.data.reward as BN).gtn(0) && r.carried.add(r.paid).gt(r.penalty))
              throw new Error(
                `invariant: auction rewards ${r.paid} > penalty ${r.penalty} − carried ${r.carried}`,
              );
          }
          break;
        }
        case "badDebt":
          st.badDebts++;
          st.socialized = st.socialized.add(e.data.socialized as BN);
          break;
      }
    }
  }

  /**
   * The LP share price (pool value / shares) never falls, except by the socialized part of a bad
   * debt in this step: `pv1 × ts0 ≥ (pv0 − socialized) × ts1`.
   */
  private checkSharePrice(m0: MarketAccount, m1: MarketAccount, events: GavelEvent[], op: string): void {
    const ts0 = m0.totalShares;
    const ts1 = m1.totalShares;
    if (ts0.isZero() || ts1.isZero()) return;
    const socialized = events
      .filter((e) => e.name === "badDebt")
      .reduce((s, e) => s.add(e.data.socialized as BN), new BN(0));
    const pv0 = poolValueOf(m0);
    const pv1 = poolValueOf(m1);
    const floor = BN.max(pv0.sub(socialized), new BN(0));
    if (pv1.mul(ts0).lt(floor.mul(ts1)))
      throw new FuzzFailure(
        this.opts.seed,
        this.step,
        op,
        `share price fell: ${pv0}/${ts0} → ${pv1}/${ts1} (socialized ${socialized})`,
      );
  }
}

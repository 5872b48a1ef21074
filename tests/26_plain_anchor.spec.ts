/**
 * Gavel as a plain Anchor user meets it (issue 20's "done when"): no `@gavel/sdk`, only
 * `@coral-xyz/anchor`, `@solana/web3.js`, `@solana/spl-token` and `idl/gavel.json`. On a fresh
 * embedded validator the operator deploys gavel.so through the upgradeable loader and publishes the
 * IDL as migrations/deploy.ts does; the user loads the program with `Program.at` (the IDL read from
 * the chain), then runs the lending and liquidation story with `program.methods.X(...).accounts({...})`
 * passing only the accounts Anchor cannot derive: initialize_config, create_market,
 * deposit_liquidity, open_position, deposit_collateral, borrow, a price drop written into the Pyth
 * account, kick and take — checking balances and account state at each step, and getting
 * `AnchorError`s with the IDL's names for refused actions.
 */
import { AnchorError, AnchorProvider, BN, EventParser, Idl, Program, Wallet } from "@coral-xyz/anchor";
import {
  createAssociatedTokenAccountIdempotentInstruction,
  createMintToInstruction,
  getAccount,
  getAssociatedTokenAddressSync,
} from "@solana/spl-token";
import {
  Connection,
  Keypair,
  LAMPORTS_PER_SOL,
  PublicKey,
  SYSVAR_CLOCK_PUBKEY,
  Transaction,
  TransactionInstruction,
} from "@solana/web3.js";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import {
  createMarketMintsIxs,
  newMarketKeys,
  startChain,
  stopChain,
  SurfnetHandle,
} from "../sdk/testkit/surfpool";
import { publishIdl } from "../migrations/idl";
import { deployProgram } from "../migrations/loader";
import idlJson from "../idl/gavel.json";

const ROOT = path.join(__dirname, "..");
const PROGRAM_ID = new PublicKey(idlJson.address);
const PYTH_LEGACY_PROGRAM = new PublicKey("FsJ3A3u2vn5cTVofAjvy6y5kwABJAqYWpe4975bi2epH");
const SOL = (n: number): BN => new BN(Math.round(n * 1e9));
const USDC = (n: number): BN => new BN(Math.round(n * 1e6));
const pda = (...seeds: (Buffer | PublicKey)[]): PublicKey =>
  PublicKey.findProgramAddressSync(
    seeds.map((s) => (s instanceof PublicKey ? s.toBuffer() : s)),
    PROGRAM_ID,
  )[0];

/**
 * A legacy Pyth price account (pyth-client's `PriceAccount`, 3,312 bytes) holding `usd` per token
 * (expo −8, confidence 0.1 %), trading, published at `slot`/`time`: what a test chain needs to move
 * the price, written field by field from Pyth's layout.
 */
function pythPrice(usd: number, slot: bigint, time: bigint): Buffer {
  const b = Buffer.alloc(3312);
  const price = BigInt(Math.round(usd * 1e8));
  const conf = price / 1000n;
  b.writeUInt32LE(0xa1b2c3d4, 0); // magic
  b.writeUInt32LE(2, 4); // version
  b.writeUInt32LE(3, 8); // account type: price
  b.writeUInt32LE(3312, 12); // size
  b.writeUInt32LE(1, 16); // price type: price
  b.writeInt32LE(-8, 20); // exponent
  b.writeBigUInt64LE(slot, 32); // last slot
  b.writeBigUInt64LE(slot, 40); // valid slot
  for (const [at, v] of [
    [48, price], // EMA price: value, numerator, denominator
    [56, price],
    [64, 1n],
    [72, conf], // EMA confidence
    [80, conf],
    [88, 1n],
  ] as const) {
    b.writeBigInt64LE(v, at);
  }
  b.writeBigInt64LE(time, 96); // timestamp
  b.writeUInt8(1, 104); // min publishers
  b.writeBigUInt64LE(slot, 176); // previous aggregate: slot, price, conf, time
  b.writeBigInt64LE(price, 184);
  b.writeBigUInt64LE(conf, 192);
  b.writeBigInt64LE(time, 200);
  b.writeBigInt64LE(price, 208); // aggregate: price, conf, status (1 = trading), publish slot
  b.writeBigUInt64LE(conf, 216);
  b.writeUInt32LE(1, 224);
  b.writeBigUInt64LE(slot, 232);
  return b;
}

describe("26 plain Anchor: Program.at and the whole lending and liquidation story without the SDK (embedded validator)", function () {
  this.timeout(300_000);
  let surfnet: SurfnetHandle;
  let connection: Connection;
  let admin: Keypair;
  let program: Program;
  const keys = newMarketKeys();
  const { collateralMint, debtMint, oracle } = keys;
  const lp = Keypair.generate();
  const borrower = Keypair.generate();
  const liquidator = Keypair.generate();
  let market: PublicKey;
  let position: PublicKey;
  let auction: PublicKey;

  /** `program.account` by name; without the generated IDL type, fields are `unknown` to TypeScript. */
  const accounts = () =>
    program.account as unknown as Record<
      "config" | "market" | "position" | "auction",
      { fetch(address: PublicKey): Promise<Record<string, unknown>> }
    >;
  /** The same program with `who` as the provider's wallet (the signer Anchor fills in). */
  const as = (who: Keypair): Program =>
    new Program(program.idl, new AnchorProvider(connection, new Wallet(who), { commitment: "confirmed" }));
  const send = (ixs: TransactionInstruction[], signers: Keypair[] = []): Promise<string> =>
    (program.provider as AnchorProvider).sendAndConfirm(new Transaction().add(...ixs), signers);
  const ata = (mint: Keypair, owner: PublicKey) => getAssociatedTokenAddressSync(mint.publicKey, owner);
  /** Creates `owner`'s associated account of `mint` (the admin pays) and mints `amount` into it. */
  const tokenAccount = (mint: PublicKey, owner: PublicKey, amount?: BN): TransactionInstruction[] => {
    const account = getAssociatedTokenAddressSync(mint, owner);
    return [
      createAssociatedTokenAccountIdempotentInstruction(admin.publicKey, account, owner, mint),
      ...(amount ? [createMintToInstruction(mint, account, admin.publicKey, BigInt(amount.toString()))] : []),
    ];
  };
  const balance = async (account: PublicKey): Promise<bigint> =>
    (await getAccount(connection, account)).amount;
  const clock = async (): Promise<{ slot: bigint; time: bigint }> => {
    const data = (await connection.getAccountInfo(SYSVAR_CLOCK_PUBKEY))!.data;
    return { slot: data.readBigUInt64LE(0), time: data.readBigInt64LE(32) };
  };
  const setPrice = async (usd: number): Promise<void> => {
    const { slot, time } = await clock();
    const data = pythPrice(usd, slot, time);
    const lamports = await connection.getMinimumBalanceForRentExemption(data.length);
    surfnet.setAccount(oracle.toBase58(), lamports, Array.from(data), PYTH_LEGACY_PROGRAM.toBase58());
  };
  /** The events of a landed transaction, decoded by the program's coder. */
  const eventsOf = async (signature: string): Promise<{ name: string; data: Record<string, unknown> }[]> => {
    const tx = await connection.getTransaction(signature, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
    return [...new EventParser(PROGRAM_ID, program.coder).parseLogs(tx!.meta!.logMessages!)];
  };
  /** The AnchorError a refused call throws, checked against the IDL's entry for `name`. */
  const anchorError = async (call: Promise<unknown>, name: string): Promise<AnchorError> => {
    let caught: unknown;
    try {
      await call;
    } catch (e) {
      caught = e;
    }
    expect(caught, `expected ${name}`).to.be.instanceOf(AnchorError);
    const err = caught as AnchorError;
    const entry = idlJson.errors.find((e) => e.name === name)!;
    expect(err.error.errorCode).to.deep.equal({ code: name, number: entry.code });
    expect(err.error.errorMessage).to.equal(entry.msg);
    expect(err.program.equals(PROGRAM_ID)).to.equal(true);
    return err;
  };

  before(async () => {
    ({ surfnet, connection, admin } = startChain({ deploy: false }));
    for (const who of [lp, borrower, liquidator])
      surfnet.fundSol(who.publicKey.toBase58(), 10 * LAMPORTS_PER_SOL);
  });
  after(() => {
    if (surfnet) stopChain(surfnet, connection);
  });

  it("the operator deploys gavel.so and publishes the IDL; Program.at loads it from the chain", async () => {
    expect(await connection.getAccountInfo(PROGRAM_ID)).to.equal(null);
    const programKeypair = Keypair.fromSecretKey(
      Uint8Array.from(
        JSON.parse(fs.readFileSync(path.join(ROOT, "target/deploy/gavel-keypair.json"), "utf8")),
      ),
    );
    const so = fs.readFileSync(path.join(ROOT, "target/deploy/gavel.so"));
    await deployProgram(connection, admin, so, { programKeypair, inFlight: 8, log: () => undefined });
    const provider = new AnchorProvider(connection, new Wallet(admin), { commitment: "confirmed" });
    // Deployed, no IDL yet: Anchor has nothing to load.
    let before: unknown;
    await Program.at(PROGRAM_ID, provider).catch((e) => (before = e));
    expect(String(before)).to.match(/IDL not found for program/);

    await publishIdl(connection, admin, PROGRAM_ID, idlJson);
    program = await Program.at(PROGRAM_ID, provider);
    expect(program.programId.equals(PROGRAM_ID)).to.equal(true);
    expect(program.idl).to.deep.equal(
      // Program.at converts names to camelCase, as `new Program(idlJson)` does.
      new Program(idlJson as Idl, provider).idl,
    );
  });

  it("initialize_config: Anchor derives the config; the admin is the signer, stop 0", async () => {
    await program.methods.initializeConfig().accounts({ admin: admin.publicKey }).rpc();
    const config = await accounts().config.fetch(pda(Buffer.from("config")));
    expect((config.admin as PublicKey).equals(admin.publicKey)).to.equal(true);
    expect(config.stop).to.equal(0);
    // A second one is refused with the IDL's error.
    await anchorError(
      program.methods.initializeConfig().accounts({ admin: admin.publicKey }).rpc(),
      "ConfigAlreadyInitialized",
    );
  });

  it("create_market: given the two mints, Anchor derives the market, its vaults and share mint", async () => {
    await send(await createMarketMintsIxs(connection, admin.publicKey, keys), [collateralMint, debtMint]);
    await setPrice(150);
    const params = {
      maxLtvBps: 7_000,
      liquidationLtvBps: 8_000,
      chopBps: 1_000,
      bufBps: 12_000,
      cuspBps: 4_500,
      chipBps: 10,
      tip: USDC(5),
      tailSecs: new BN(7_200),
      hole: USDC(1_000_000),
      dust: USDC(10),
      borrowRatePerSecWad: new BN(0),
      oracleProgram: PYTH_LEGACY_PROGRAM,
      collateralOracleKind: 0,
      collateralOracle: oracle,
      debtOracleKind: 0,
      debtOracle: PublicKey.default,
      maxAgeSecs: new BN(60),
      maxAgeSlots: new BN(0),
      maxConfBps: 200,
      curve: { stairstepExp: { stepSecs: new BN(90), cut: new BN("990000000000000000") } },
      withdrawCooldownSecs: new BN(3_600),
      priceMode: 0,
      anchorStartBps: 0,
      anchorRateBpsPerMin: 0,
      anchorMaxBaseBps: 0,
      anchorMaxCapBps: 0,
      kickTargetLtvBps: 0,
      kickFullLtvBps: 0,
    };
    await program.methods
      .createMarket(params)
      .accounts({
        admin: admin.publicKey,
        collateralMint: collateralMint.publicKey,
        debtMint: debtMint.publicKey,
      })
      .rpc();
    market = pda(Buffer.from("market"), collateralMint.publicKey, debtMint.publicKey);
    const m = await accounts().market.fetch(market);
    expect((m.collateralMint as PublicKey).equals(collateralMint.publicKey)).to.equal(true);
    expect((m.collateralVault as PublicKey).equals(pda(Buffer.from("collateral_vault"), market))).to.equal(
      true,
    );
    expect((m.liquidityVault as PublicKey).equals(pda(Buffer.from("liquidity_vault"), market))).to.equal(
      true,
    );
    expect(m.collateralDecimals).to.equal(9);
    expect(m.debtDecimals).to.equal(6);
    const stored = m.params as typeof params;
    expect(stored.collateralOracle.equals(oracle)).to.equal(true);
    expect(stored.maxLtvBps).to.equal(7_000);
    expect(stored.curve.stairstepExp.stepSecs.toNumber()).to.equal(90);
  });

  it("deposit_liquidity and fund_insurance: the LP names the market and its token accounts; shares 1:1 on the first deposit", async () => {
    const m = await accounts().market.fetch(market);
    const shareMint = m.shareMint as PublicKey;
    const lpDebt = ata(debtMint, lp.publicKey);
    const lpShares = getAssociatedTokenAddressSync(shareMint, lp.publicKey);
    await send([
      ...tokenAccount(debtMint.publicKey, lp.publicKey, USDC(101_000)),
      ...tokenAccount(shareMint, lp.publicKey),
    ]);
    await as(lp)
      .methods.depositLiquidity(USDC(100_000))
      .accounts({ market, lpDebtAccount: lpDebt, lpShareAccount: lpShares })
      .rpc();
    expect(await balance(lpDebt)).to.equal(1_000_000_000n);
    expect(await balance(lpShares)).to.equal(100_000_000_000n);
    // The insurance fund pays keeper rewards (and bad debt first).
    await as(lp).methods.fundInsurance(USDC(1_000)).accounts({ market, funderDebtAccount: lpDebt }).rpc();
    expect(await balance(lpDebt)).to.equal(0n);
    expect(await balance(m.liquidityVault as PublicKey)).to.equal(101_000_000_000n);
    const after = await accounts().market.fetch(market);
    expect((after.cash as BN).toString()).to.equal(USDC(100_000).toString());
    expect((after.insurance as BN).toString()).to.equal(USDC(1_000).toString());
  });

  it("open_position, deposit_collateral, borrow: the borrower deposits 10 SOL and borrows 1,000 USDC", async () => {
    const source = ata(collateralMint, borrower.publicKey);
    const destination = ata(debtMint, borrower.publicKey);
    await send([
      ...tokenAccount(collateralMint.publicKey, borrower.publicKey, SOL(10)),
      ...tokenAccount(debtMint.publicKey, borrower.publicKey),
    ]);
    const alice = as(borrower);
    await alice.methods.openPosition().accounts({ market }).rpc();
    position = pda(Buffer.from("position"), market, borrower.publicKey);
    const opened = await accounts().position.fetch(position);
    expect((opened.owner as PublicKey).equals(borrower.publicKey)).to.equal(true);
    expect((opened.ink as BN).toNumber()).to.equal(0);

    // The market comes from the position (relations); the source is the user's choice.
    await alice.methods.depositCollateral(SOL(10)).accounts({ position, source }).rpc();
    expect(await balance(source)).to.equal(0n);
    expect(await balance(pda(Buffer.from("collateral_vault"), market))).to.equal(10_000_000_000n);

    // Over max LTV (70 % of $1,500): the IDL's LtvExceeded, nothing moves.
    await anchorError(
      alice.methods.borrow(USDC(1_100)).accounts({ market, destination, collateralOracle: oracle }).rpc(),
      "LtvExceeded",
    );
    const sig = await alice.methods
      .borrow(USDC(1_000))
      .accounts({ market, destination, collateralOracle: oracle })
      .rpc();
    expect(await balance(destination)).to.equal(1_000_000_000n);
    const pos = await accounts().position.fetch(position);
    expect((pos.ink as BN).toString()).to.equal(SOL(10).toString());
    expect((pos.art as BN).toString()).to.equal(USDC(1_000).toString()); // rate 1.0: art = debt
    const [borrowed] = await eventsOf(sig);
    expect(borrowed.name).to.equal("debtBorrowed");
    expect((borrowed.data.amount as BN).toString()).to.equal(USDC(1_000).toString());
  });

  it("kick: refused while safe (PositionSafe); after the price falls to $110 Anchor derives the auction from market.auction_count", async () => {
    const kickerDebt = ata(debtMint, liquidator.publicKey);
    await send(tokenAccount(debtMint.publicKey, liquidator.publicKey, USDC(5_000)));
    const bot = as(liquidator);
    const kick = () =>
      bot.methods
        .kick()
        .accounts({ position, kickerDebtAccount: kickerDebt, collateralOracle: oracle })
        .rpc();
    await anchorError(kick(), "PositionSafe");

    await setPrice(110); // $1,100 of collateral for $1,000 of debt: 91 % LTV, over the 80 % liquidation LTV
    const id = (await accounts().market.fetch(market)).auctionCount as BN;
    const sig = await kick();
    auction = pda(Buffer.from("auction"), market, id.toArrayLike(Buffer, "le", 8));
    const started = (await eventsOf(sig)).find((e) => e.name === "auctionStarted")!;
    expect((started.data.auction as PublicKey).equals(auction)).to.equal(true);

    const a = await accounts().auction.fetch(auction);
    expect((a.position as PublicKey).equals(position)).to.equal(true);
    expect((a.kicker as PublicKey).equals(liquidator.publicKey)).to.equal(true);
    expect((a.lot as BN).toString()).to.equal(SOL(10).toString());
    expect((a.tab as BN).toString()).to.equal(USDC(1_100).toString()); // debt + 10 % penalty
    // Maker mode: the price starts at buf (120 %) × $110, in USDC base units per lamport × 1e12.
    expect((a.top as BN).toString()).to.equal(new BN(132).mul(new BN(10).pow(new BN(9))).toString());
    // The keeper's reward, from the insurance fund: tip + chip × tab = 5 + 0.1 % × 1,100 USDC.
    expect((started.data.reward as BN).toString()).to.equal(USDC(6.1).toString());
    expect(await balance(kickerDebt)).to.equal(BigInt(USDC(5_006.1).toString()));
    const m = await accounts().market.fetch(market);
    expect((m.auctionDebt as BN).toString()).to.equal(USDC(1_000).toString());
    expect((m.insurance as BN).toString()).to.equal(USDC(1_000 - 6.1).toString());
    expect(((await accounts().position.fetch(position)).auctions as BN).toNumber()).to.equal(1);
  });

  it("take: given only the auction, Anchor resolves market, position and kicker; the tab is raised and the rest goes back", async () => {
    const bot = as(liquidator);
    const collateralDestination = ata(collateralMint, liquidator.publicKey);
    const debtSource = ata(debtMint, liquidator.publicKey);
    await send(tokenAccount(collateralMint.publicKey, liquidator.publicKey));
    const top = (await accounts().auction.fetch(auction)).top as BN;
    // A limit under the current price is refused with the IDL's PriceAboveMax.
    await anchorError(
      bot.methods.take(SOL(10), top.subn(1)).accounts({ auction, collateralDestination, debtSource }).rpc(),
      "PriceAboveMax",
    );
    const paidBefore = await balance(debtSource);
    const vaultBefore = await balance(pda(Buffer.from("liquidity_vault"), market));
    const sig = await bot.methods
      .take(SOL(10), top)
      .accounts({ auction, collateralDestination, debtSource })
      .rpc();
    const events = await eventsOf(sig);
    expect(events.map((e) => e.name)).to.deep.equal(["auctionTaken", "auctionSettled"]);
    const taken = events[0].data;
    const settled = events[1].data;

    // 1,100 USDC at $132 a SOL: 8.333… SOL bought, the other 1.666… SOL back in the position.
    expect((taken.owe as BN).toString()).to.equal(USDC(1_100).toString());
    const got = await balance(collateralDestination);
    expect(got.toString()).to.equal((taken.collateral as BN).toString());
    expect(Number(got) / 1e9).to.be.closeTo(1_100 / 132, 1e-8);
    expect(paidBefore - (await balance(debtSource))).to.equal(1_100_000_000n);
    expect((await balance(pda(Buffer.from("liquidity_vault"), market))) - vaultBefore).to.equal(
      1_100_000_000n,
    );
    expect(settled.reason).to.equal(0); // raised
    expect((settled.badDebt as BN).toNumber()).to.equal(0);

    expect(await connection.getAccountInfo(auction)).to.equal(null); // closed, rent back to the kicker
    const pos = await accounts().position.fetch(position);
    expect((pos.art as BN).toNumber()).to.equal(0);
    expect((pos.auctions as BN).toNumber()).to.equal(0);
    expect(BigInt((pos.ink as BN).toString()) + got).to.equal(10_000_000_000n);
    expect((pos.ink as BN).toString()).to.equal((settled.returnedCollateral as BN).toString());
    const m = await accounts().market.fetch(market);
    expect((m.auctionDebt as BN).toNumber()).to.equal(0);
    expect((m.artTotal as BN).toNumber()).to.equal(0);
  });
});

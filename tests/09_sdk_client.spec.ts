/**
 * The SDK's GavelClient against a real validator (embedded surfpool, RPC + websocket): the whole
 * lending and liquidation story through its high-level methods — each simulated first, sent,
 * confirmed, and returning its events — plus its loaders (getProgramAccounts filters), typed
 * errors before anything is sent, priority fees and simulated compute limits, the event
 * subscription, a wallet-like signer, and a take that lost the race to settle. Alongside, a plain
 * `@coral-xyz/anchor` client (idl/gavel.json only) builds all 32 instructions passing only the
 * accounts nothing derives, and gets the SDK builders' exact account metas and data.
 */
import BN from "bn.js";
import { AnchorProvider, Idl, Program, Wallet } from "@coral-xyz/anchor";
import {
  ComputeBudgetProgram,
  Keypair,
  PublicKey,
  SendTransactionError,
  Transaction,
  TransactionInstruction,
  VersionedTransaction,
} from "@solana/web3.js";
import { expect } from "chai";
import {
  absorbIx,
  acceptAdminIx,
  accrueIx,
  AuctionGoneError,
  backstopAddresses,
  buyFromBackstopIx,
  fundBackstopIx,
  cancelAuctionIx,
  cancelWithdrawalIx,
  closePositionIx,
  createMarketIx,
  createBackstopIx,
  depositBackstopIx,
  borrowIx,
  depositCollateralIx,
  depositLiquidityIx,
  ErrorCode,
  Gavel,
  GavelClient,
  GavelError,
  GavelErrorWithLogs,
  GavelEvent,
  fundInsuranceIx,
  initializeConfigIx,
  gavelProgram,
  isAuctionGone,
  kickIx,
  openPositionIx,
  marketOraclePrice,
  marketPda,
  positionPda,
  PRICE_MODE_ANCHORED,
  PROGRAM_ID,
  REPAY_ALL,
  repayIx,
  requestBackstopWithdrawalIx,
  requestWithdrawalIx,
  resetAuctionIx,
  setStopIx,
  takeBeginIx,
  takeEndIx,
  takeIx,
  takePrice,
  toGavelError,
  updateMarketIx,
  updateBackstopIx,
  transferAdminIx,
  WalletSigner,
  withdrawBackstopIx,
  withdrawCollateralIx,
  withdrawLiquidityIx,
  findEvent,
  gavelErrorOf,
  isGavelError,
  filterEvents,
  V2_ENGINE,
} from "../sdk/src";
import { SdkChain, SdkMarket, SOL, USDC, WITHDRAW_COOLDOWN_SECS } from "../sdk/testkit";
import * as fs from "fs";
import * as path from "path";

/**
 * A plain `@coral-xyz/anchor` client of Gavel: only idl/gavel.json, the wallet of `kp` as
 * provider (so Anchor fills every signer slot with it).
 */
function plainAnchor(chain: SdkChain, kp: Keypair): Program {
  const idl = JSON.parse(fs.readFileSync(path.join(__dirname, "../idl/gavel.json"), "utf8")) as Idl;
  return new Program(idl, new AnchorProvider(chain.connection, new Wallet(kp), { commitment: "confirmed" }));
}

/** Metas and data of an instruction, comparable with deep equality. */
function shape(ix: TransactionInstruction): { keys: string[]; data: string } {
  return {
    keys: ix.keys.map((k) => `${k.pubkey.toBase58()} ${k.isSigner ? "s" : "-"}${k.isWritable ? "w" : "-"}`),
    data: ix.data.toString("hex"),
  };
}

/** A wallet that signs like a browser wallet: no key material exposed, `signTransaction` only. */
function walletOf(kp: Keypair): WalletSigner & { signed: number } {
  const w = {
    publicKey: kp.publicKey,
    signed: 0,
    async signTransaction<T extends Transaction | VersionedTransaction>(tx: T): Promise<T> {
      w.signed++;
      if (tx instanceof VersionedTransaction) tx.sign([kp]);
      else tx.partialSign(kp);
      return tx;
    },
  };
  return w;
}

async function rejects(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

describe("09 SDK GavelClient on a local validator (surfpool)", function () {
  this.timeout(120_000);
  let chain: SdkChain;
  let usdc: PublicKey;
  let a: SdkMarket; // SOL/USDC
  let b: SdkMarket; // ETH/USDC
  let lp: GavelClient;
  let alice: Keypair;
  let aliceClient: GavelClient;
  let bob: Keypair;
  let keeper: GavelClient;
  let auction: PublicKey;
  const seen: GavelEvent[] = [];
  let unsubscribe: (() => Promise<void>) | undefined;

  before(async () => {
    chain = SdkChain.start();
    await chain.initialize();
    usdc = await chain.createMint(6);
    a = await chain.createMarket(usdc, 150);
    b = await chain.createMarket(usdc, 3_000);
    const lpKey = chain.actor();
    await chain.mint(usdc, lpKey.publicKey, USDC(2_002_000));
    lp = new GavelClient(chain.connection, lpKey);
  });

  after(async () => {
    if (unsubscribe) await unsubscribe();
    chain?.stop();
  });

  it("an LP deposits liquidity and funds insurance; the share account is created on the way", async () => {
    const dep = await lp.depositLiquidity(a, USDC(1_000_000));
    expect(dep.events.map((e) => e.name)).to.deep.equal(["liquidityDeposited"]);
    expect(findEvent(dep.events, "liquidityDeposited")!.shares.toString()).to.equal(
      USDC(1_000_000).toString(),
    );
    await lp.depositLiquidity(b, USDC(1_000_000));
    const ins = await lp.fundInsurance(a, USDC(1_000));
    expect(ins.events[0].name).to.equal("insuranceFunded");
    const market = (await lp.getMarket(a.collateralMint, a.debtMint))!;
    expect(market.cash.toString()).to.equal(USDC(1_000_000).toString());
    expect(market.insurance.toString()).to.equal(USDC(1_000).toString());
  });

  it("loaders: a market by mints, by { collateralMint, debtMint } or by address; getMarkets finds exactly the two markets", async () => {
    const [addrA] = marketPda(a.collateralMint, a.debtMint);
    const byMints = await lp.getMarket(a.collateralMint, a.debtMint);
    const byRef = await lp.getMarket({ collateralMint: a.collateralMint, debtMint: a.debtMint });
    const byAddress = await lp.getMarket(addrA);
    expect(byMints!.collateralMint.toBase58()).to.equal(a.collateralMint.toBase58());
    expect(byRef!.debtMint.toBase58()).to.equal(a.debtMint.toBase58());
    expect(byAddress!.params.collateralOracle.toBase58()).to.equal(a.oracle.toBase58());
    expect(await lp.getMarket(Keypair.generate().publicKey, usdc)).to.equal(null);
    expect(await lp.getMarket({ collateralMint: Keypair.generate().publicKey, debtMint: usdc })).to.equal(
      null,
    );
    const markets = await lp.getMarkets();
    const expected = [addrA, marketPda(b.collateralMint, b.debtMint)[0]].map((k) => k.toBase58()).sort();
    expect(markets.map((m) => m.publicKey.toBase58()).sort()).to.deep.equal(expected);
    expect((await lp.getConfig())!.admin.toBase58()).to.equal(chain.admin.publicKey.toBase58());
  });

  it("events stream to subscribeEvents over the websocket", async () => {
    const signatures: string[] = [];
    const indexes: number[] = [];
    unsubscribe = lp.subscribeEvents((e, ctx) => {
      seen.push(e);
      signatures.push(ctx.signature);
      indexes.push(ctx.index);
    });
    // The subscription becomes active asynchronously: fund the insurance by 1 USDC until a
    // notification arrives.
    const sent: string[] = [];
    for (let i = 0; i < 20 && seen.length === 0; i++) {
      sent.push((await lp.fundInsurance(a, USDC(1))).signature);
      for (let j = 0; j < 5 && seen.length === 0; j++) await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen[0].name).to.equal("insuranceFunded");
    expect(sent).to.include(signatures[0]);
    expect(indexes[0]).to.equal(0); // the transaction's only Gavel event
  });

  it("Alice opens a position, deposits 10 SOL and borrows 1,000 USDC; each call returns its events", async () => {
    alice = chain.actor();
    await chain.mint(a.collateralMint, alice.publicKey, SOL(10));
    aliceClient = new GavelClient(chain.connection, alice, { commitment: "confirmed" });
    const open = await aliceClient.openPosition(a);
    expect(open.signature).to.be.a("string");
    expect(open.events.map((e) => e.name)).to.deep.equal(["positionOpened"]);
    const dep = await aliceClient.depositCollateral(a, SOL(10));
    expect(findEvent(dep.events, "collateralDeposited")!.ink.toString()).to.equal(SOL(10).toString());
    expect(filterEvents(dep.events, "collateralDeposited").map((d) => d.amount.toString())).to.deep.equal([
      SOL(10).toString(),
    ]);
    expect(findEvent(dep.events, "debtBorrowed")).to.equal(undefined);
    // Alice has no USDC account yet: the client creates her associated account in the same transaction.
    const borrow = await aliceClient.borrow(a, USDC(1_000));
    const ev = borrow.events.find((e) => e.name === "debtBorrowed")!;
    expect(ev.data.amount.toString()).to.equal(USDC(1_000).toString());
    expect((await chain.balance(await chain.tokenAccount(usdc, alice.publicKey))).toString()).to.equal(
      USDC(1_000).toString(),
    );
    const pos = (await aliceClient.getPosition(a, alice.publicKey))!;
    expect(pos.ink.toString()).to.equal(SOL(10).toString());
    expect(pos.art.gtn(0)).to.equal(true);
  });

  it("simulation first: borrowing over max LTV throws the typed LtvExceeded and sends nothing", async () => {
    const lamports = await chain.connection.getBalance(alice.publicKey);
    const err = (await rejects(aliceClient.borrow(a, USDC(100_000)))) as GavelErrorWithLogs;
    expect(err).to.be.instanceOf(GavelError);
    expect(err.code).to.equal(ErrorCode.LtvExceeded);
    expect(err.errorName).to.equal("LtvExceeded");
    expect(err.logs!.some((l) => l.includes(`${PROGRAM_ID.toBase58()} failed`))).to.equal(true);
    expect(err.cause).not.to.be.instanceOf(SendTransactionError); // from the client's own simulation
    expect(await chain.connection.getBalance(alice.publicKey)).to.equal(lamports); // no fee: never sent
  });

  it("Bob borrows in the other market; getPositions filters by market", async () => {
    bob = chain.actor();
    await chain.mint(b.collateralMint, bob.publicKey, SOL(1));
    const bobClient = new GavelClient(chain.connection, bob);
    await bobClient.openPosition(b);
    await bobClient.depositCollateral(b, SOL(1));
    await bobClient.borrow(b, USDC(2_000));
    const inA = await lp.getPositions(a);
    const inB = await lp.getPositions({ collateralMint: b.collateralMint, debtMint: b.debtMint });
    expect(inA.map((p) => p.account.owner.toBase58())).to.deep.equal([alice.publicKey.toBase58()]);
    expect(inB.map((p) => p.account.owner.toBase58())).to.deep.equal([bob.publicKey.toBase58()]);
    expect(inA.every((p) => p.account.market.equals(marketPda(a.collateralMint, a.debtMint)[0]))).to.equal(
      true,
    );
    expect((await lp.getPositions()).length).to.equal(2);
  });

  it("a keeper with a priority fee and a simulated compute limit: kicking a healthy position is PositionSafe", async () => {
    const kp = chain.actor();
    keeper = new GavelClient(chain.connection, kp, {
      priorityFeeMicroLamports: 5_000,
      computeUnitLimit: "simulate",
    });
    const err = await rejects(keeper.kick(a, alice.publicKey));
    expect((err as GavelError).code).to.equal(ErrorCode.PositionSafe);
  });

  it("a plain Anchor client resolves every derivable account: open_position, deposit_collateral, borrow, deposit_liquidity and kick equal the SDK's", async () => {
    const user = chain.actor();
    const anchor = plainAnchor(chain, user);
    const [marketA] = marketPda(a.collateralMint, a.debtMint);
    const [alicePosition] = positionPda(marketA, alice.publicKey);
    const src = Keypair.generate().publicKey; // any token account: the user's choice, never derived
    const dst = Keypair.generate().publicKey;
    const amount = new BN(1_234);
    // Anchor fills the signer with the provider, config/vaults/position from their seeds.
    expect(
      shape(await anchor.methods.openPosition().accounts({ market: marketA }).instruction()),
    ).to.deep.equal(shape(openPositionIx({ ...a, owner: user.publicKey })));
    // The market comes from `position.market` (relations); the position itself is anyone's.
    expect(
      shape(
        await anchor.methods
          .depositCollateral(amount)
          .accounts({ position: alicePosition, source: src })
          .instruction(),
      ),
    ).to.deep.equal(
      shape(
        depositCollateralIx({ ...a, depositor: user.publicKey, owner: alice.publicKey, source: src }, amount),
      ),
    );
    expect(
      shape(
        await anchor.methods
          .borrow(amount)
          .accounts({ market: marketA, destination: dst, collateralOracle: a.oracle })
          .instruction(),
      ),
    ).to.deep.equal(
      shape(borrowIx({ ...a, owner: user.publicKey, destination: dst, oracles: [a.oracle] }, amount)),
    );
    expect(
      shape(
        await anchor.methods
          .depositLiquidity(amount)
          .accounts({ market: marketA, lpDebtAccount: src, lpShareAccount: dst })
          .instruction(),
      ),
    ).to.deep.equal(
      shape(
        depositLiquidityIx({ ...a, lp: user.publicKey, lpDebtAccount: src, lpShareAccount: dst }, amount),
      ),
    );
    // The auction's address is a seed of the market's data: `market.auction_count` read on chain.
    const auctionId = (await lp.getMarket(a.collateralMint, a.debtMint))!.auctionCount;
    expect(
      shape(
        await anchor.methods
          .kick()
          .accounts({ position: alicePosition, kickerDebtAccount: src, collateralOracle: a.oracle })
          .instruction(),
      ),
    ).to.deep.equal(
      shape(
        kickIx({
          ...a,
          kicker: user.publicKey,
          owner: alice.publicKey,
          auctionId,
          kickerDebtAccount: src,
          oracles: [a.oracle],
        }),
      ),
    );
    // Without the position Anchor cannot know whose position to kick, hence nor the market.
    const missing = await rejects(
      anchor.methods.kick().accounts({ kickerDebtAccount: src, collateralOracle: a.oracle }).instruction(),
    );
    expect(String(missing)).to.match(/Unresolved accounts: .*`market`/);
  });

  it("SOL crashes to $110: the keeper kicks; the transaction carries the fee and a limit of 1.2 × the units", async () => {
    await chain.setPrice(a.oracle, 110);
    const res = await keeper.kick(a, alice.publicKey);
    auction = res.auction;
    const started = res.events.find((e) => e.name === "auctionStarted")!;
    expect(started.data.auction.toBase58()).to.equal(auction.toBase58());
    expect(started.data.lot.toString()).to.equal(SOL(10).toString());
    const tx = (await chain.connection.getTransaction(res.signature, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    }))!;
    const keys = tx.transaction.message.staticAccountKeys;
    const budget = tx.transaction.message.compiledInstructions
      .filter((ix) => keys[ix.programIdIndex].equals(ComputeBudgetProgram.programId))
      .map((ix) => Buffer.from(ix.data));
    const price = budget.find((d) => d[0] === 3)!;
    const limit = budget.find((d) => d[0] === 2)!;
    expect(price.readBigUInt64LE(1)).to.equal(5_000n);
    const units = tx.meta!.computeUnitsConsumed!;
    expect(limit.readUInt32LE(1)).to.be.within(units, Math.ceil(units * 1.25) + 1_000);
    const auctions = await keeper.getAuctions(a);
    expect(auctions.map((x) => x.publicKey.toBase58())).to.deep.equal([auction.toBase58()]);
    expect(await keeper.getAuctions(b)).to.deep.equal([]);
  });

  it("a plain Anchor client given only the auction resolves market, position, kicker and vaults for take, take_begin and take_end", async () => {
    const user = chain.actor();
    const anchor = plainAnchor(chain, user);
    const onChain = (await keeper.getAuction(auction))!;
    const ref = { ...a, auction, position: onChain.position, kicker: onChain.kicker };
    expect(onChain.kicker.equals(user.publicKey)).to.equal(false);
    const out = Keypair.generate().publicKey;
    const pay = Keypair.generate().publicKey;
    const limits = { maxCollateral: SOL(1), maxPrice: new BN(77) };
    expect(
      shape(
        await anchor.methods
          .take(limits.maxCollateral, limits.maxPrice)
          .accounts({ auction, collateralDestination: out, debtSource: pay })
          .instruction(),
      ),
    ).to.deep.equal(
      shape(takeIx({ ...ref, taker: user.publicKey, collateralDestination: out, debtSource: pay }, limits)),
    );
    expect(
      shape(
        await anchor.methods
          .takeBegin(limits.maxCollateral, limits.maxPrice)
          .accounts({ auction, collateralDestination: out })
          .instruction(),
      ),
    ).to.deep.equal(
      shape(takeBeginIx({ ...ref, taker: user.publicKey, collateralDestination: out }, limits)),
    );
    expect(
      shape(await anchor.methods.takeEnd().accounts({ auction, debtSource: pay }).instruction()),
    ).to.deep.equal(shape(takeEndIx({ ...ref, payer: user.publicKey, debtSource: pay })));
  });

  it("a plain Anchor client builds the other instructions with only the subject, token accounts and oracles", async () => {
    const user = chain.actor();
    const me = user.publicKey;
    const anchor = plainAnchor(chain, user);
    const m = anchor.methods;
    const [marketA] = marketPda(a.collateralMint, a.debtMint);
    const [alicePosition] = positionPda(marketA, alice.publicKey);
    const onChain = (await keeper.getAuction(auction))!;
    const ref = { ...a, auction, position: onChain.position, kicker: onChain.kicker };
    const t1 = Keypair.generate().publicKey;
    const t2 = Keypair.generate().publicKey;
    const amount = new BN(5);
    const limits = { maxCollateral: SOL(1), maxPrice: new BN(77) };
    const oracle = { collateralOracle: a.oracle };
    const cases: [string, TransactionInstruction, TransactionInstruction][] = [
      ["initialize_config", await m.initializeConfig().instruction(), initializeConfigIx({ admin: me })],
      ["set_stop", await m.setStop(1).instruction(), setStopIx({ admin: me }, 1)],
      [
        "repay",
        await m.repay(amount).accounts({ position: alicePosition, source: t1 }).instruction(),
        repayIx({ ...a, payer: me, owner: alice.publicKey, source: t1 }, amount),
      ],
      [
        "withdraw_collateral",
        await m
          .withdrawCollateral(amount)
          .accounts({ market: marketA, destination: t1, ...oracle })
          .instruction(),
        withdrawCollateralIx({ ...a, owner: me, destination: t1, oracles: [a.oracle] }, amount),
      ],
      [
        "close_position",
        await m.closePosition().accounts({ market: marketA }).instruction(),
        closePositionIx({ ...a, owner: me }),
      ],
      ["accrue", await m.accrue().accounts({ market: marketA }).instruction(), accrueIx({ market: marketA })],
      [
        "fund_insurance",
        await m.fundInsurance(amount).accounts({ market: marketA, funderDebtAccount: t1 }).instruction(),
        fundInsuranceIx({ ...a, funder: me, funderDebtAccount: t1 }, amount),
      ],
      [
        "request_withdrawal",
        await m.requestWithdrawal(amount).accounts({ market: marketA, lpShareAccount: t2 }).instruction(),
        requestWithdrawalIx({ ...a, lp: me, lpShareAccount: t2 }, amount),
      ],
      [
        "withdraw_liquidity",
        await m.withdrawLiquidity(amount).accounts({ market: marketA, lpDebtAccount: t1 }).instruction(),
        withdrawLiquidityIx({ ...a, lp: me, lpDebtAccount: t1 }, amount),
      ],
      [
        "cancel_withdrawal",
        await m.cancelWithdrawal().accounts({ market: marketA, lpShareAccount: t2 }).instruction(),
        cancelWithdrawalIx({ ...a, lp: me, lpShareAccount: t2 }),
      ],
      [
        "reset_auction",
        await m
          .resetAuction()
          .accounts({ auction, callerDebtAccount: t1, ...oracle })
          .instruction(),
        resetAuctionIx({ ...a, caller: me, auction, callerDebtAccount: t1, oracles: [a.oracle] }),
      ],
      [
        "cancel_auction",
        await m.cancelAuction().accounts({ auction }).instruction(),
        cancelAuctionIx({ ...ref, admin: me }),
      ],
      [
        "deposit_backstop",
        await m
          .depositBackstop(amount)
          .accounts({ market: marketA, depositorDebtAccount: t1, depositorShareAccount: t2 })
          .instruction(),
        depositBackstopIx(
          { ...a, depositor: me, depositorDebtAccount: t1, depositorShareAccount: t2 },
          amount,
        ),
      ],
      [
        "withdraw_backstop",
        await m
          .withdrawBackstop()
          .accounts({ market: marketA, depositorDebtAccount: t1, depositorCollateralAccount: t2 })
          .instruction(),
        withdrawBackstopIx({ ...a, depositor: me, depositorDebtAccount: t1, depositorCollateralAccount: t2 }),
      ],
      [
        "absorb",
        await m
          .absorb()
          .accounts({ auction, callerDebtAccount: t1, ...oracle })
          .instruction(),
        absorbIx({ ...ref, caller: me, callerDebtAccount: t1, oracles: [a.oracle] }),
      ],
      [
        "buy_from_backstop",
        await m
          .buyFromBackstop(limits.maxCollateral, limits.maxPrice)
          .accounts({ market: marketA, buyerDebtAccount: t1, buyerCollateralAccount: t2, ...oracle })
          .instruction(),
        buyFromBackstopIx(
          { ...a, buyer: me, buyerDebtAccount: t1, buyerCollateralAccount: t2, oracles: [a.oracle] },
          limits,
        ),
      ],
      [
        "fund_backstop",
        await m.fundBackstop().accounts({ market: marketA }).instruction(),
        fundBackstopIx(a),
      ],
    ];
    for (const [name, viaAnchor, viaSdk] of cases)
      expect(shape(viaAnchor), name).to.deep.equal(shape(viaSdk));
  });

  it("a client without priority fee or limit sends no compute-budget instruction", async () => {
    const res = await lp.accrue(a);
    const tx = (await chain.connection.getTransaction(res.signature, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    }))!;
    const keys = tx.transaction.message.staticAccountKeys;
    expect(keys.some((k) => k.equals(ComputeBudgetProgram.programId))).to.equal(false);
  });

  it("a bidder with a wallet-like signer buys 2 SOL at the curve's price (simulated, then signed once)", async () => {
    const kp = chain.actor();
    await chain.mint(usdc, kp.publicKey, USDC(1_000));
    const wallet = walletOf(kp);
    const bidder = new GavelClient(chain.connection, wallet);
    const price = (await bidder.getAuctionPrice(auction))!;
    const res = await bidder.take(auction, { maxCollateral: SOL(2) });
    const taken = res.events.find((e) => e.name === "auctionTaken")!;
    expect(taken.data.collateral.toString()).to.equal(SOL(2).toString());
    expect(taken.data.price.lte(price)).to.equal(true);
    expect(wallet.signed).to.equal(1);
  });

  it("two bidders race for the rest: the winner settles the auction, the loser reads 'auction already settled'", async () => {
    const [w, l] = [chain.actor(), chain.actor()];
    await chain.mint(usdc, w.publicKey, USDC(2_000));
    await chain.mint(usdc, l.publicKey, USDC(2_000));
    const winner = new GavelClient(chain.connection, w);
    const loser = new GavelClient(chain.connection, l);
    // The loser loaded the auction before the winner's take landed.
    const stale = { publicKey: auction, account: (await loser.getAuction(auction))! };
    const res = await winner.take(auction);
    expect(res.events.map((e) => e.name)).to.deep.equal(["auctionTaken", "auctionSettled"]);
    expect(await winner.getAuction(auction)).to.equal(null);

    const fresh = await rejects(loser.take(auction));
    expect(fresh).to.be.instanceOf(AuctionGoneError);
    expect((fresh as Error).message).to.equal(`auction already settled: ${auction.toBase58()}`);

    // With the stale account the client builds and simulates: the program refuses the closed
    // auction, and the client reports the lost race, not the raw account error.
    const raced = await rejects(
      loser.take(stale, { maxPrice: new BN(1_000).mul(new BN(10).pow(new BN(12))) }),
    );
    expect(isAuctionGone(raced)).to.equal(true);
    expect((raced as Error).message).to.match(/^auction already settled/);
    const cause = (raced as AuctionGoneError).cause as GavelError;
    expect(cause).to.be.instanceOf(GavelError);
    expect([ErrorCode.AccountOwnerInvalid, ErrorCode.AccountDiscriminatorInvalid]).to.include(cause.code);
    // Alice got her leftover collateral back.
    expect((await aliceClient.getPosition(a, alice.publicKey))!.ink.gtn(0)).to.equal(true);
    // The subscriber saw the whole auction.
    for (let i = 0; i < 50 && !seen.some((e) => e.name === "auctionSettled"); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const names = seen.map((e) => e.name);
    for (const n of ["auctionStarted", "auctionTaken", "auctionSettled"]) expect(names).to.include(n);
  });

  it("Alice repays nothing left, withdraws her leftover collateral and closes her position", async () => {
    const pos = (await aliceClient.getPosition(a, alice.publicKey))!;
    expect(pos.art.toNumber()).to.equal(0);
    const w = await aliceClient.withdrawCollateral(a, pos.ink);
    expect(w.events[0].name).to.equal("collateralWithdrawn");
    const close = await aliceClient.closePosition(a);
    expect(close.events[0].name).to.equal("positionClosed");
    expect(await aliceClient.getPosition(a, alice.publicKey)).to.equal(null);
  });

  it("Carol borrows and repays everything with repay('all')", async () => {
    const carol = chain.actor();
    await chain.mint(a.collateralMint, carol.publicKey, SOL(5));
    const c = new GavelClient(chain.connection, carol);
    await c.openPosition(a);
    await c.depositCollateral(a, SOL(5));
    await c.borrow(a, USDC(100));
    // Interest accrues per second: top up a little before repaying all.
    await chain.mint(usdc, carol.publicKey, USDC(1));
    const res = await c.repay(a, "all");
    expect(res.events[0].name).to.equal("debtRepaid");
    expect((await c.getPosition(a, carol.publicKey))!.art.toNumber()).to.equal(0);
    expect(REPAY_ALL.toString()).to.equal("18446744073709551615");
  });

  it("ETH crashes: an auction past its tail is reset, then bought with a flash take", async () => {
    await chain.setPrice(b.oracle, 2_200);
    const res = await keeper.kick(b, bob.publicKey);
    const ethAuction = res.auction;
    await chain.warp(7_300); // past tail_secs = 7,200
    await chain.setPrice(b.oracle, 2_100);
    const reset = await keeper.resetAuction(ethAuction);
    expect(reset.events.map((e) => e.name)).to.deep.equal(["auctionReset"]);
    await chain.setPrice(a.oracle, 150); // keep market A's oracle fresh after the jump

    const kp = chain.actor();
    await chain.mint(usdc, kp.publicKey, USDC(5_000));
    const flash = new GavelClient(chain.connection, kp, { computeUnitLimit: "simulate" });
    // No swap in the middle here: the bidder already holds the USDC that take_end collects.
    const taken = await flash.flashTake(ethAuction, []);
    expect(taken.events.map((e) => e.name)).to.include.members(["auctionTaken", "auctionSettled"]);
    expect(await flash.getAuction(ethAuction)).to.equal(null);
  });

  it("the LP asks to withdraw, claims part after the cooldown, and cancels the rest", async () => {
    const req = await lp.requestWithdrawal(a, USDC(2_000));
    expect(req.events[0].name).to.equal("withdrawalRequested");
    const pending = (await lp.getWithdrawalRequest(a, lp.publicKey))!;
    expect(pending.shares.toString()).to.equal(USDC(2_000).toString());
    expect(pending.claimableTs.sub(pending.requestedTs).toNumber()).to.equal(WITHDRAW_COOLDOWN_SECS);
    const early = (await rejects(lp.withdrawLiquidity(a, USDC(1_000)))) as GavelError;
    expect(early.code).to.equal(ErrorCode.WithdrawalCooldownActive);
    await chain.warp(WITHDRAW_COOLDOWN_SECS + 1);
    const res = await lp.withdrawLiquidity(a, USDC(1_000));
    expect(res.events[0].name).to.equal("liquidityWithdrawn");
    expect((await lp.getWithdrawalRequest(a, lp.publicKey))!.shares.toString()).to.equal(
      USDC(1_000).toString(),
    );
    const back = await lp.cancelWithdrawal(a);
    expect(back.events[0].name).to.equal("withdrawalCancelled");
    expect(await lp.getWithdrawalRequest(a, lp.publicKey)).to.equal(null);
  });

  it("an anchored market (engine v2): the client prices takes from the oracle and passes it to take and flash take", async () => {
    const c = await chain.createMarket(usdc, 150, V2_ENGINE);
    const funder = chain.actor();
    await chain.mint(usdc, funder.publicKey, USDC(101_000));
    const funderClient = new GavelClient(chain.connection, funder);
    await funderClient.depositLiquidity(c, USDC(100_000));
    await funderClient.fundInsurance(c, USDC(1_000));
    const dave = chain.actor();
    await chain.mint(c.collateralMint, dave.publicKey, SOL(10));
    const daveClient = new GavelClient(chain.connection, dave);
    await daveClient.openPosition(c);
    await daveClient.depositCollateral(c, SOL(10));
    await daveClient.borrow(c, USDC(1_000));
    await chain.setPrice(c.oracle, 120);
    const kicked = await keeper.kick(c, dave.publicKey);
    const a0 = (await keeper.getAuction(kicked.auction))!;
    expect(a0.priceMode).to.equal(PRICE_MODE_ANCHORED);
    expect(a0.lot.lt(SOL(10))).to.equal(true); // a partial kick
    // The oracle moves after the kick: the client's price follows it.
    await chain.setPrice(c.oracle, 125);
    const market = (await keeper.getMarket(c.collateralMint, c.debtMint))!;
    const info = (await chain.connection.getAccountInfo(c.oracle))!;
    const mid = marketOraclePrice(market, [info.data])!;
    const before = await keeper.getClock();
    const quoted = (await keeper.getAuctionPrice(kicked.auction))!;
    const after = await keeper.getClock();
    // The SDK's program mirror at the client's clock (which lies between the two reads).
    expect(quoted.lte(takePrice(market.params, a0, before.unixTimestamp, mid))).to.equal(true);
    expect(quoted.gte(takePrice(market.params, a0, after.unixTimestamp, mid))).to.equal(true);
    expect(quoted.gt(a0.top)).to.equal(true); // above the oracle price at the kick ($120)
    const bidderKey = chain.actor();
    await chain.mint(usdc, bidderKey.publicKey, USDC(2_000));
    const bidder = new GavelClient(chain.connection, bidderKey);
    const res = await bidder.take(kicked.auction, { maxCollateral: SOL(1) });
    const taken = res.events.find((e) => e.name === "auctionTaken")!;
    expect(taken.data.price.lte(quoted)).to.equal(true);
    expect(taken.data.price.gte(mid.muln(10_000 - a0.dMaxBps).divn(10_000))).to.equal(true);
    const tx = (await chain.connection.getTransaction(res.signature, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    }))!;
    expect(tx.transaction.message.staticAccountKeys.some((k) => k.equals(c.oracle))).to.equal(true);
    const flash = await bidder.flashTake(kicked.auction, [], { maxCollateral: SOL(1) });
    expect(flash.events.map((e) => e.name)).to.include("auctionTaken");
  });

  it("error mapping: SendTransactionError, Anchor errors and raw results → GavelError only when the failing program is Gavel", async () => {
    // A preflight rejection from sendTransaction (web3.js SendTransactionError with logs).
    const stranger = chain.actor();
    const tx = new Transaction().add(setStopIx({ admin: stranger.publicKey }, 1));
    tx.recentBlockhash = (await chain.connection.getLatestBlockhash()).blockhash;
    tx.feePayer = stranger.publicKey;
    tx.sign(stranger);
    const sendErr = await rejects(chain.connection.sendRawTransaction(tx.serialize()));
    expect(sendErr).to.be.instanceOf(SendTransactionError);
    expect((toGavelError(sendErr) as GavelError).code).to.equal(ErrorCode.AdminRequired);
    // The typed forms: the GavelError or undefined, and a guard narrowing to one error.
    expect(gavelErrorOf(sendErr)?.errorName).to.equal("AdminRequired");
    expect(isGavelError(toGavelError(sendErr), "AdminRequired")).to.equal(true);
    expect(isGavelError(toGavelError(sendErr), "LtvExceeded")).to.equal(false);
    expect(isGavelError(sendErr)).to.equal(false);

    // An Anchor `Program.rpc()` failure.
    const program: Program<Gavel> = gavelProgram(
      new AnchorProvider(chain.connection, new Wallet(chain.admin), { commitment: "confirmed" }),
    );
    const anchorErr = await rejects(
      program.methods.setStop(9).accounts({ admin: chain.admin.publicKey }).rpc(),
    );
    expect((toGavelError(anchorErr) as GavelError).code).to.equal(ErrorCode.StopLevelInvalid);

    // Another program failing with a code in Gavel's range stays what it was.
    const other = Keypair.generate().publicKey.toBase58();
    const foreign = {
      err: { InstructionError: [1, { Custom: 6001 }] },
      logs: [`Program ${other} invoke [1]`, `Program ${other} failed: custom program error: 0x1771`],
    };
    expect(toGavelError(foreign)).to.equal(foreign);
    expect(gavelErrorOf(foreign)).to.equal(undefined);
    const gavelIx = setStopIx({ admin: stranger.publicKey }, 1);
    const foreignIx = { ...gavelIx, programId: new PublicKey(other) } as typeof gavelIx;
    const raw = { InstructionError: [1, { Custom: 6011 }] };
    expect(toGavelError(raw, { instructions: [gavelIx, foreignIx] })).to.equal(raw);
    expect((toGavelError(raw, { instructions: [foreignIx, gavelIx] }) as GavelError).code).to.equal(6011);
    const plain = new Error("network down");
    expect(toGavelError(plain)).to.equal(plain);
  });

  it("a plain Anchor client builds the admin and backstop instructions (create/update market and backstop, admin handover, backstop withdrawal request)", async () => {
    const admin = new GavelClient(chain.connection, chain.admin);
    const backstopParams = {
      absorbAfterSecs: new BN(600),
      absorbNearBps: 200,
      buyDiscountBps: 100,
      withdrawCooldownSecs: new BN(60),
      warmupSecs: new BN(60),
    };
    await admin.createBackstop(b, backstopParams);
    const user = chain.actor();
    const me = user.publicKey;
    const m = plainAnchor(chain, user).methods;
    const [marketB] = marketPda(b.collateralMint, b.debtMint);
    const backstop = backstopAddresses(marketB).backstop;
    const params = (await lp.getMarket(b.collateralMint, b.debtMint))!.params;
    const fresh = { collateralMint: Keypair.generate().publicKey, debtMint: Keypair.generate().publicKey };
    const t1 = Keypair.generate().publicKey;
    const cases: [string, TransactionInstruction, TransactionInstruction][] = [
      ["transfer_admin", await m.transferAdmin(t1).instruction(), transferAdminIx({ admin: me }, t1)],
      ["accept_admin", await m.acceptAdmin().instruction(), acceptAdminIx({ pendingAdmin: me })],
      [
        "create_market",
        await m.createMarket(params).accounts(fresh).instruction(),
        createMarketIx({ admin: me, ...fresh }, params),
      ],
      [
        "update_market",
        await m.updateMarket(params).accounts({ market: marketB }).instruction(),
        updateMarketIx({ admin: me, market: marketB }, params),
      ],
      [
        "create_backstop",
        await m.createBackstop(backstopParams).accounts(fresh).instruction(),
        createBackstopIx({ admin: me, ...fresh }, backstopParams),
      ],
      [
        "update_backstop",
        await m.updateBackstop(backstopParams).accounts({ backstop }).instruction(),
        updateBackstopIx({ admin: me, ...b }, backstopParams),
      ],
      [
        // The share mint comes from `backstop.share_mint` (relations), read on chain.
        "request_backstop_withdrawal",
        await m
          .requestBackstopWithdrawal(new BN(3))
          .accounts({ backstop, depositorShareAccount: t1 })
          .instruction(),
        requestBackstopWithdrawalIx({ ...b, depositor: me, depositorShareAccount: t1 }, new BN(3)),
      ],
    ];
    for (const [name, viaAnchor, viaSdk] of cases)
      expect(shape(viaAnchor), name).to.deep.equal(shape(viaSdk));
  });
});

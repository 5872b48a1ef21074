/**
 * `npm run bench`: measures compute units of every instruction on the real gavel.so in LiteSVM and
 * the program size, and rewrites bench/cu.json (instruction → CU) and bench/program.json; records the
 * bidder e2e spec's latest latency figures (target/bench/bidder-e2e.json) in bench/bidder.json.
 *
 * Each instruction is sent alone in its transaction (except the flash take, whose two halves are
 * read from the per-invocation lines of the logs), on a realistic path through a SOL/USDC market
 * (sdk/testkit's `LiquidationWorld`, the specs' world: real SPL Token, legacy Pyth price account).
 * What is recorded is the steady state: the SECOND call of each instruction, a minute after the
 * previous step, so that the market accrues interest as it does in real use (a first LP deposit
 * mints shares 1:1, later ones price them; a first borrow has no debt to add to). Instructions that
 * can run only once for a given account record the call on a second account instead:
 * `initialize_config` (once per program: its only call), `create_market` (the second market,
 * ETH/USDC), `open_position` and `close_position` (the second borrower), `accept_admin` (the second
 * hand-over), `kick` (the second auction), `reset_auction` (the second reset of an auction past its
 * tail), `cancel_auction` (the second auction cancelled at stop 3), `create_backstop` (once per
 * market: its only call). Backstop: `deposit_backstop` records a warmed-up deposit turned into
 * shares priced against absorbed collateral (oracle read; the first call is a plain deposit
 * creating the depositor account), `absorb` the second of two absorbs of whole auctions,
 * `withdraw_backstop` the second depositor's pro-rata payout in both tokens. Oracle-reading
 * instructions read a legacy Pyth account; `withdraw_collateral` is measured with debt outstanding
 * (oracle read); `take`, `take_begin` and `take_end` buy 1 SOL slices that leave the auction open.
 *
 * The liquidation instructions are measured a second time on a market in the anchored price mode
 * (engine v2 defaults, `V2_ENGINE`): `kick_anchored`, `take_anchored`, `take_begin_anchored`,
 * `reset_auction_anchored`, where takes read the oracle too (a legacy Pyth account, as above).
 * `accrue_funded` is `accrue` on a market with a backstop interest share (the pool's share of the
 * interest is booked too); `fund_backstop` moves a minute of that share into the pool.
 *
 * `create_market`, `open_position` and `kick` derive their PDAs on chain (the canonical-bump search),
 * whose cost grows by about 330 CU per bump tried, so with random keys they vary from run to run.
 * The recorded calls use keys whose PDAs all have the canonical bump 255 (one try): the floor, and
 * the same number every run. Accrual cost depends on the seconds elapsed (a minute here).
 */
import BN from "bn.js";
import * as fs from "fs";
import * as path from "path";
import { MINT_SIZE } from "@solana/spl-token";
import { Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import idl from "../idl/gavel.json";
import {
  absorbIx,
  acceptAdminIx,
  accrueIx,
  auctionPda,
  backstopAddresses,
  buyFromBackstopIx,
  fundBackstopIx,
  createBackstopIx,
  depositBackstopIx,
  requestBackstopWithdrawalIx,
  updateBackstopIx,
  withdrawBackstopIx,
  borrowIx,
  cancelAuctionIx,
  closePositionIx,
  collateralVaultPda,
  createMarketIx,
  decodeAuction,
  depositCollateralIx,
  depositLiquidityIx,
  flashTakeIxs,
  fundInsuranceIx,
  initializeConfigIx,
  kickIx,
  liquidityVaultPda,
  marketPda,
  MarketParams,
  openPositionIx,
  positionPda,
  PROGRAM_ID,
  repayIx,
  REPAY_ALL,
  resetAuctionIx,
  setStopIx,
  shareMintPda,
  takeIx,
  transferAdminIx,
  updateMarketIx,
  withdrawCollateralIx,
  withdrawLiquidityIx,
  requestWithdrawalIx,
  cancelWithdrawalIx,
} from "../sdk/src";
import {
  createMintIxs,
  defaultParams,
  E2E_FIGURES,
  GavelSvm,
  LiquidationWorld,
  PROGRAM_SO,
  SendResult,
  SOL,
  USDC,
  v2Params,
  WITHDRAW_COOLDOWN_SECS,
} from "../sdk/testkit";

const OUT = path.join(__dirname, "../bench");

function must(name: string, res: SendResult): number {
  if (!res.ok) throw new Error(`${name} failed: ${res.rawError}\n${res.logs.join("\n")}`);
  return res.computeUnits;
}

/** Units each top-level Gavel invocation of a transaction consumed, in order (from its logs). */
function programUnits(logs: string[]): number[] {
  const re = new RegExp(`^Program ${PROGRAM_ID.toBase58()} consumed (\\d+) of`);
  return logs.flatMap((line) => {
    const m = re.exec(line);
    return m ? [Number(m[1])] : [];
  });
}

/** Compute units per instruction: the recorded (steady-state) call and the first one. */
interface Measure {
  first: number;
  steady: number;
}

/** The first and the steady (second) call of `units`. */
const measure = (units: number[]): Measure => ({ first: units[0], steady: units[1] });

/**
 * A keeper holding 5,000 USDC on `w` and the liquidation calls it makes, each sent alone and
 * measured: kicks (a minute passes after each), takes and flash takes of 1 SOL slices (likewise),
 * resets once the auction is past its tail (the oracle republished at `usd()`). Takes pass the
 * market's oracle when `takeOracles` (anchored takes read it; Maker takes do not).
 */
function liquidator(w: LiquidationWorld, usd: () => number, minute: () => void, takeOracles: boolean) {
  const keeper = w.actor();
  w.fundDebt(keeper.publicKey, USDC(5_000));
  const keeperDebt = w.ata(w.ref.debtMint, keeper.publicKey);
  const auctions: PublicKey[] = [];
  const auctionRef = (address: PublicKey) => {
    const a = decodeAuction(w.chain.data(address)!);
    return { ...w.ref, auction: address, position: a.position, kicker: a.kicker };
  };
  const bid = (address: PublicKey) => ({
    ...auctionRef(address),
    ...(takeOracles ? { oracles: [w.oracle] } : {}),
    taker: keeper.publicKey,
    collateralDestination: w.ata(w.ref.collateralMint, keeper.publicKey),
    debtSource: keeperDebt,
  });
  const slice = { maxCollateral: SOL(1), maxPrice: new BN("18446744073709551615") };
  return {
    keeper,
    keeperDebt,
    auctions,
    auctionRef,
    /** Kicks `v`'s position into the next auction (appended to `auctions`). */
    kick(name: string, v: Keypair): number {
      const id = w.market().auctionCount;
      auctions.push(auctionPda(w.addrs.market, id)[0]);
      const ix = kickIx({
        ...w.ref,
        kicker: keeper.publicKey,
        owner: v.publicKey,
        auctionId: id,
        kickerDebtAccount: keeperDebt,
        oracles: [w.oracle],
      });
      const units = must(name, w.chain.send([ix], [keeper]));
      minute();
      return units;
    },
    take(name: string, address: PublicKey): number {
      const units = must(name, w.chain.send([takeIx(bid(address), slice)], [keeper]));
      minute();
      return units;
    },
    /** A flash take is take_begin + take_end in one transaction: each one's units from the logs. */
    flash(name: string, address: PublicKey): number[] {
      const res = w.chain.send(flashTakeIxs(bid(address), slice, []), [keeper]);
      must(name, res);
      const units = programUnits(res.logs);
      if (units.length !== 2) throw new Error(`${name}: expected 2 Gavel invocations, got ${units.length}`);
      minute();
      return units;
    },
    reset(name: string, address: PublicKey): number {
      w.warp(7_201);
      w.setPrice(usd());
      const ix = resetAuctionIx({
        ...w.ref,
        caller: keeper.publicKey,
        auction: address,
        callerDebtAccount: keeperDebt,
        oracles: [w.oracle],
      });
      return must(name, w.chain.send([ix], [keeper]));
    },
  };
}

/**
 * Kick, take, flash take and reset on a fresh world whose market has `params(oracle)`: three
 * borrowers at 10 SOL / 1,000 USDC, SOL from $150 to $120, the second kick (auction #1, bump 255)
 * and the second of each other call recorded. Takes pass the oracle (anchored takes read it; Maker
 * takes ignore it). Returns the measures under `<instruction><suffix>`.
 */
function liquidations(params: (oracle: PublicKey) => MarketParams, suffix: string): Record<string, Measure> {
  const cu: Record<string, Measure> = {};
  let w = new LiquidationWorld();
  while (auctionPda(w.addrs.market, 1)[1] !== 255) w = new LiquidationWorld();
  w.setup(params(w.oracle));
  let usd = 150;
  const minute = () => {
    w.warp(60);
    w.setPrice(usd);
  };
  const victims = Array.from({ length: 3 }, () => w.borrower(10, 1_000));
  usd = 120;
  minute();
  const k = liquidator(w, () => usd, minute, true);
  cu[`kick${suffix}`] = measure(victims.slice(0, 2).map((v) => k.kick(`kick${suffix}`, v)));
  cu[`take${suffix}`] = measure([0, 1].map(() => k.take(`take${suffix}`, k.auctions[0])));
  const flashes = [0, 1].map(() => k.flash(`flash take${suffix}`, k.auctions[0]));
  cu[`take_begin${suffix}`] = measure(flashes.map((f) => f[0]));
  cu[`reset_auction${suffix}`] = measure([0, 1].map(() => k.reset(`reset_auction${suffix}`, k.auctions[1])));
  w.assertVaultsMatchAccounting();
  return cu;
}

function main(): void {
  const cu: Record<string, Measure> = {};
  /** Rows beyond the IDL's instructions (recorded after the completeness check). */
  const extra: Record<string, Measure> = {};

  // initialize_config can run once per program: a fresh chain, alone in its transaction.
  const chain = new GavelSvm();
  const admin = chain.actor();
  const init = must(
    "initialize_config",
    chain.send([initializeConfigIx({ admin: admin.publicKey })], [admin]),
  );
  cu.initialize_config = { first: init, steady: init };

  // A world whose auction #1 (the recorded kick) has bump 255 (see the header).
  let w = new LiquidationWorld();
  while (auctionPda(w.addrs.market, 1)[1] !== 255) w = new LiquidationWorld();
  let usd = 150;
  /** A minute passes and the oracle publishes a fresh price. */
  const minute = () => {
    w.warp(60);
    w.setPrice(usd);
  };
  /** Sends `build()` twice, a minute apart, and records both calls. */
  const twice = (name: string, build: () => [TransactionInstruction[], Keypair[]]) => {
    const first = must(name, w.chain.send(...build()));
    minute();
    const steady = must(name, w.chain.send(...build()));
    cu[name] = { first, steady };
    minute();
  };

  // Admin.
  twice("set_stop", () => [[setStopIx({ admin: w.admin.publicKey }, 0)], [w.admin]]);
  const next = w.chain.actor();
  const handOver = (from: Keypair, to: Keypair) => {
    must("transfer_admin", w.chain.send([transferAdminIx({ admin: from.publicKey }, to.publicKey)], [from]));
    return must("accept_admin", w.chain.send([acceptAdminIx({ pendingAdmin: to.publicKey })], [to]));
  };
  const acceptFirst = handOver(w.admin, next);
  cu.accept_admin = { first: acceptFirst, steady: handOver(next, w.admin) };
  twice("transfer_admin", () => [[transferAdminIx({ admin: w.admin.publicKey }, next.publicKey)], [w.admin]]);

  // Markets: the world's SOL/USDC, then ETH/USDC (recorded).
  const createFirst = must("create_market", w.createMarket());
  // An ETH mint whose market, vaults and share mint all have bump 255 (see the header).
  const bump255 = (mint: PublicKey) => {
    const [market, bump] = marketPda(mint, w.ref.debtMint);
    const pdas = [collateralVaultPda(market), liquidityVaultPda(market), shareMintPda(market)];
    return bump === 255 && pdas.every(([, b]) => b === 255);
  };
  let eth = Keypair.generate();
  while (!bump255(eth.publicKey)) eth = Keypair.generate();
  must(
    "eth mint",
    w.chain.send(
      createMintIxs(
        w.admin.publicKey,
        eth.publicKey,
        8,
        Number(w.chain.svm.minimumBalanceForRentExemption(BigInt(MINT_SIZE))),
      ),
      [w.admin, eth],
    ),
  );
  const createSecond = must(
    "create_market",
    w.chain.send(
      [
        createMarketIx(
          { admin: w.admin.publicKey, collateralMint: eth.publicKey, debtMint: w.ref.debtMint },
          defaultParams(w.oracle),
        ),
      ],
      [w.admin],
    ),
  );
  cu.create_market = { first: createFirst, steady: createSecond };
  const market = { admin: w.admin.publicKey, market: w.addrs.market };
  twice("update_market", () => [[updateMarketIx(market, defaultParams(w.oracle))], [w.admin]]);

  // Liquidity.
  const lp = w.actor();
  w.fundDebt(lp.publicKey, USDC(2_000_010));
  const lpAccounts = {
    ...w.ref,
    lp: lp.publicKey,
    lpDebtAccount: w.ata(w.ref.debtMint, lp.publicKey),
    lpShareAccount: w.ata(w.addrs.shareMint, lp.publicKey),
  };
  twice("deposit_liquidity", () => [[depositLiquidityIx(lpAccounts, USDC(1_000_000))], [lp]]);
  twice("fund_insurance", () => [
    [
      fundInsuranceIx(
        { ...w.ref, funder: lp.publicKey, funderDebtAccount: w.ata(w.ref.debtMint, lp.publicKey) },
        USDC(1),
      ),
    ],
    [lp],
  ]);

  // Two borrowers (open_position and close_position run once per position).
  // The second borrower's position PDA has bump 255 (see the header).
  const first = w.actor();
  let second = w.actor();
  while (positionPda(w.addrs.market, second.publicKey)[1] !== 255) second = w.actor();
  const borrowers = [first, second];
  const opens = borrowers.map((b) => {
    w.fundCollateral(b.publicKey, SOL(100));
    w.fundDebt(b.publicKey, USDC(1_000));
    return must("open_position", w.chain.send([openPositionIx({ ...w.ref, owner: b.publicKey })], [b]));
  });
  cu.open_position = { first: opens[0], steady: opens[1] };
  const b = borrowers[1];
  const owner = { ...w.ref, owner: b.publicKey };
  twice("deposit_collateral", () => [
    [
      depositCollateralIx(
        { ...owner, depositor: b.publicKey, source: w.ata(w.ref.collateralMint, b.publicKey) },
        SOL(50),
      ),
    ],
    [b],
  ]);
  const toB = { destination: w.ata(w.ref.debtMint, b.publicKey), oracles: [w.oracle] };
  twice("borrow", () => [[borrowIx({ ...owner, ...toB }, USDC(1_000))], [b]]);
  const collDest = { destination: w.ata(w.ref.collateralMint, b.publicKey), oracles: [w.oracle] };
  twice("withdraw_collateral", () => [[withdrawCollateralIx({ ...owner, ...collDest }, SOL(1))], [b]]);
  const repaySource = { payer: b.publicKey, source: w.ata(w.ref.debtMint, b.publicKey) };
  twice("repay", () => [[repayIx({ ...owner, ...repaySource }, USDC(100))], [b]]);
  twice("accrue", () => [[accrueIx({ market: w.addrs.market })], [lp]]);
  // LP withdrawal: a request; after the cooldown a partial claim (first) and the claim that closes
  // the request (steady); then a second request (steady) and two cancels.
  const request = () => w.chain.send([requestWithdrawalIx(lpAccounts, USDC(2_000))], [lp]);
  const claim = () => w.chain.send([withdrawLiquidityIx(lpAccounts, USDC(1_000))], [lp]);
  const cancel = () => w.chain.send([cancelWithdrawalIx(lpAccounts)], [lp]);
  const requestFirst = must("request_withdrawal", request());
  w.warp(WITHDRAW_COOLDOWN_SECS);
  w.setPrice(usd);
  const claimPart = must("withdraw_liquidity", claim());
  minute();
  cu.withdraw_liquidity = { first: claimPart, steady: must("withdraw_liquidity", claim()) };
  minute();
  cu.request_withdrawal = { first: requestFirst, steady: must("request_withdrawal", request()) };
  minute();
  const cancelFirst = must("cancel_withdrawal", cancel());
  must("request_withdrawal", request());
  minute();
  cu.cancel_withdrawal = { first: cancelFirst, steady: must("cancel_withdrawal", cancel()) };
  minute();

  // Both borrowers leave: repay all, withdraw everything, close (the second close is recorded).
  const closes = borrowers.map((who) => {
    const pos = w.position(who.publicKey)!;
    const o = { ...w.ref, owner: who.publicKey };
    if (!pos.art.isZero()) {
      must(
        "repay",
        w.chain.send(
          [repayIx({ ...o, payer: who.publicKey, source: w.ata(w.ref.debtMint, who.publicKey) }, REPAY_ALL)],
          [who],
        ),
      );
    }
    const ink = w.position(who.publicKey)!.ink;
    if (!ink.isZero()) {
      const dest = { destination: w.ata(w.ref.collateralMint, who.publicKey), oracles: [w.oracle] };
      must("withdraw_collateral", w.chain.send([withdrawCollateralIx({ ...o, ...dest }, ink)], [who]));
    }
    return must("close_position", w.chain.send([closePositionIx(o)], [who]));
  });
  cu.close_position = { first: closes[0], steady: closes[1] };

  // Liquidations. Three borrowers at 10 SOL / 1,000 USDC; SOL falls from $150 to $120 (LTV 83%
  // over the 80% liquidation LTV); the insurance fund can pay the kickers in full.
  w.mustSend(
    [
      fundInsuranceIx(
        { ...w.ref, funder: lp.publicKey, funderDebtAccount: w.ata(w.ref.debtMint, lp.publicKey) },
        USDC(1_000),
      ),
    ],
    [lp],
  );
  // Five: three for the takes, resets and cancels, two for the backstop's absorbs.
  const victims = Array.from({ length: 5 }, () => w.borrower(10, 1_000));
  usd = 120;
  minute();
  const k = liquidator(w, () => usd, minute, false);
  const { keeper, keeperDebt, auctions, auctionRef } = k;
  const kicks = victims.slice(0, 3).map((v) => k.kick("kick", v));
  // Auction #1 is the recorded one (bump 255).
  cu.kick = measure(kicks);
  cu.take = measure([0, 1].map(() => k.take("take", auctions[0])));
  const flashes = [0, 1].map(() => k.flash("flash take", auctions[0]));
  cu.take_begin = measure(flashes.map((f) => f[0]));
  cu.take_end = measure(flashes.map((f) => f[1]));
  // The backstop: two depositors (the second deposit also turns the first into shares, pricing
  // them against absorbed collateral read from the oracle), absorbs of auctions #3 and #4 once
  // their price is under the oracle (1,800 s after the kicks), two sales of its collateral.
  victims.slice(3).forEach((v) => k.kick("kick", v));
  const bs = backstopAddresses(w.addrs.market);
  const bsParams = {
    absorbAfterSecs: new BN(600),
    absorbNearBps: 500,
    buyDiscountBps: 100,
    withdrawCooldownSecs: new BN(60),
    warmupSecs: new BN(60),
  };
  const created = must(
    "create_backstop",
    w.chain.send([createBackstopIx({ admin: w.admin.publicKey, ...w.ref }, bsParams)], [w.admin]),
  );
  cu.create_backstop = { first: created, steady: created };
  twice("update_backstop", () => [
    [updateBackstopIx({ admin: w.admin.publicKey, ...w.ref }, bsParams)],
    [w.admin],
  ]);
  const depositors = [w.actor(), w.actor()].map((d) => {
    const [shares] = w.createTokenAccounts(d, [bs.shareMint]);
    w.fundDebt(d.publicKey, USDC(6_000));
    return { d, shares };
  });
  const depositIx = (i: number, amount: BN) =>
    depositBackstopIx(
      {
        ...w.ref,
        depositor: depositors[i].d.publicKey,
        depositorDebtAccount: w.ata(w.ref.debtMint, depositors[i].d.publicKey),
        depositorShareAccount: depositors[i].shares,
        oracles: [w.oracle],
      },
      amount,
    );
  const depositFirst = must("deposit_backstop", w.chain.send([depositIx(0, USDC(5_000))], [depositors[0].d]));
  must("deposit_backstop", w.chain.send([depositIx(1, USDC(5_000))], [depositors[1].d]));
  w.warp(1_800);
  w.setPrice(usd);
  // Turn both deposits into shares (the pool holds no collateral yet).
  must("deposit_backstop", w.chain.send([depositIx(0, new BN(0))], [depositors[0].d]));
  must("deposit_backstop", w.chain.send([depositIx(1, USDC(1_000))], [depositors[1].d]));
  const absorbs = [auctions[3], auctions[4]].map((address) => {
    const units = must(
      "absorb",
      w.chain.send(
        [
          absorbIx({
            ...auctionRef(address),
            caller: keeper.publicKey,
            callerDebtAccount: keeperDebt,
            oracles: [w.oracle],
          }),
        ],
        [keeper],
      ),
    );
    minute();
    return units;
  });
  cu.absorb = { first: absorbs[0], steady: absorbs[1] };
  // The second depositor's warmed-up 1,000 become shares priced against the absorbed collateral.
  const depositSteady = must("deposit_backstop", w.chain.send([depositIx(1, new BN(0))], [depositors[1].d]));
  cu.deposit_backstop = { first: depositFirst, steady: depositSteady };
  twice("buy_from_backstop", () => [
    [
      buyFromBackstopIx(
        {
          ...w.ref,
          buyer: keeper.publicKey,
          buyerDebtAccount: keeperDebt,
          buyerCollateralAccount: w.ata(w.ref.collateralMint, keeper.publicKey),
          oracles: [w.oracle],
        },
        { maxCollateral: SOL(1), maxPrice: new BN("18446744073709551615") },
      ),
    ],
    [keeper],
  ]);
  // Funding: with a 20 % interest share and a 30 % penalty share (set for these two rows only),
  // `accrue` also books the pool's share of the interest, and `fund_backstop` (after a minute of
  // interest) moves it into the pool.
  // A borrower owes 5,000 USDC (the earlier positions are closed or liquidated by now).
  const funding = { backstopInterestShareBps: 2_000, backstopPenaltyShareBps: 3_000 };
  const payer = w.actor();
  w.fundCollateral(payer.publicKey, SOL(100));
  const payerRef = { ...w.ref, owner: payer.publicKey };
  must(
    "borrow",
    w.chain.send(
      [
        openPositionIx(payerRef),
        depositCollateralIx(
          { ...payerRef, depositor: payer.publicKey, source: w.ata(w.ref.collateralMint, payer.publicKey) },
          SOL(100),
        ),
        borrowIx(
          { ...payerRef, destination: w.ata(w.ref.debtMint, payer.publicKey), oracles: [w.oracle] },
          USDC(5_000),
        ),
      ],
      [payer],
    ),
  );
  must(
    "update_market",
    w.chain.send([updateMarketIx(market, { ...defaultParams(w.oracle), ...funding })], [w.admin]),
  );
  minute();
  const fundedAccrues = [0, 1].map(() => {
    const units = must("accrue", w.chain.send([accrueIx({ market: w.addrs.market })], [keeper]));
    minute();
    return units;
  });
  extra.accrue_funded = { first: fundedAccrues[0], steady: fundedAccrues[1] };
  twice("fund_backstop", () => [[fundBackstopIx(w.ref)], [keeper]]);
  must("update_market", w.chain.send([updateMarketIx(market, defaultParams(w.oracle))], [w.admin]));
  const requests = depositors.map(({ d, shares }) => {
    const units = must(
      "request_backstop_withdrawal",
      w.chain.send(
        [
          requestBackstopWithdrawalIx(
            { ...w.ref, depositor: d.publicKey, depositorShareAccount: shares },
            USDC(1_000),
          ),
        ],
        [d],
      ),
    );
    minute();
    return units;
  });
  cu.request_backstop_withdrawal = { first: requests[0], steady: requests[1] };
  // Resets: the auction has passed its tail (2 hours) each time.
  cu.reset_auction = measure([0, 1].map(() => k.reset("reset_auction", auctions[1])));
  // Emergency: at stop level 3 the admin cancels the two other auctions.
  must("set_stop", w.chain.send([setStopIx({ admin: w.admin.publicKey }, 3)], [w.admin]));
  const cancels = [auctions[1], auctions[2]].map((address) =>
    must(
      "cancel_auction",
      w.chain.send([cancelAuctionIx({ ...auctionRef(address), admin: w.admin.publicKey })], [w.admin]),
    ),
  );
  cu.cancel_auction = { first: cancels[0], steady: cancels[1] };
  w.assertVaultsMatchAccounting();
  // With no auction live (the partly taken #0 cancelled too), the backstop's withdrawal requests
  // are paid (pro rata, both tokens).
  must(
    "cancel_auction",
    w.chain.send([cancelAuctionIx({ ...auctionRef(auctions[0]), admin: w.admin.publicKey })], [w.admin]),
  );
  must("set_stop", w.chain.send([setStopIx({ admin: w.admin.publicKey }, 0)], [w.admin]));
  const withdrawals = depositors.map(({ d }) => {
    const units = must(
      "withdraw_backstop",
      w.chain.send(
        [
          withdrawBackstopIx({
            ...w.ref,
            depositor: d.publicKey,
            depositorDebtAccount: w.ata(w.ref.debtMint, d.publicKey),
            depositorCollateralAccount: w.ata(w.ref.collateralMint, d.publicKey),
          }),
        ],
        [d],
      ),
    );
    minute();
    return units;
  });
  cu.withdraw_backstop = { first: withdrawals[0], steady: withdrawals[1] };

  // Every instruction of the IDL, in the IDL's order.
  const names = idl.instructions.map((ix) => ix.name);
  const missing = names.filter((n) => !(n in cu));
  const unknown = Object.keys(cu).filter((n) => !names.includes(n));
  if (missing.length || unknown.length) {
    throw new Error(
      `bench out of date: not measured ${missing.join(", ")}; not in the IDL ${unknown.join(", ")}`,
    );
  }
  const anchored = liquidations(v2Params, "_anchored");
  const rows = [...names, ...Object.keys(anchored), ...Object.keys(extra)];
  Object.assign(cu, anchored, extra);
  const out: Record<string, number> = Object.fromEntries(rows.map((n) => [n, cu[n].steady]));

  const program = { "gavel.so_bytes": fs.statSync(PROGRAM_SO).size };
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, "cu.json"), JSON.stringify(out, null, 2) + "\n");
  fs.writeFileSync(path.join(OUT, "program.json"), JSON.stringify(program, null, 2) + "\n");
  console.table(
    rows.map((instruction) => ({
      instruction,
      "compute units": cu[instruction].steady,
      "first call": cu[instruction].first,
    })),
  );
  console.log(`gavel.so: ${program["gavel.so_bytes"]} bytes`);
  recordE2eFigures();
}

/**
 * Copies the bidder e2e spec's latest figures (target/bench/bidder-e2e.json, written by spec 12)
 * into bench/bidder.json's `e2e`, keeping the in-process figures of app/bidder/bench.ts.
 */
function recordE2eFigures(): void {
  if (!fs.existsSync(E2E_FIGURES)) {
    console.log(
      `bench/bidder.json: e2e figures kept (no ${path.relative(process.cwd(), E2E_FIGURES)}: run spec 12)`,
    );
    return;
  }
  const file = path.join(OUT, "bidder.json");
  const existing = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
  const e2e = JSON.parse(fs.readFileSync(E2E_FIGURES, "utf8"));
  fs.writeFileSync(file, JSON.stringify({ ...existing, e2e }, null, 2) + "\n");
  console.log(`bench/bidder.json: e2e figures of ${e2e.measuredAt}`);
}

main();

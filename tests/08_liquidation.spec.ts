/**
 * The liquidation engine on the real gavel.so (LiteSVM, real SPL Token, Pyth-layout oracle).
 * Actors: an LP and an insurer fund the market, borrowers borrow, the oracle crashes, a kicker
 * starts auctions, bidders take slices as the price falls. After every step the vaults must equal
 * the market's accounting (no token created or lost) and `dirt` must equal the live tabs.
 */
import BN from "bn.js";
import { expect } from "chai";
import { Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { createTransferInstruction } from "@solana/spl-token";
import {
  accrueIx,
  debtFromArt,
  depositLiquidityIx,
  ErrorCode,
  flashTakeIxs,
  needsReset,
  poolValue as sdkPoolValue,
  PRICE_SCALE,
  takeBeginIx,
  takeQuote,
  withdrawalValue,
  withdrawLiquidityIx,
  requestWithdrawalIx,
  findEvent,
} from "../sdk/src";
import { LiquidationWorld, SOL, U64_MAX, USDC, WITHDRAW_COOLDOWN_SECS } from "../sdk/testkit";

const MAX = U64_MAX;

/** The kit's liquidation world, remembering the last bidder, with this spec's dirt check. */
class World extends LiquidationWorld {
  /** A bidder holding `usdc` debt tokens. */
  bidder(usdc: number): Keypair {
    this.last = super.bidder(usdc);
    return this.last;
  }

  private last?: Keypair;

  /** The most recent actor from {@link bidder}. */
  actorsLast(): Keypair {
    return this.last!;
  }

  /** Sum of live tabs must be `dirt` (auctions passed in are all that exist in these stories). */
  assertDirt(auctions: PublicKey[]): void {
    const tabs = auctions.map((a) => this.auction(a)?.tab ?? new BN(0)).reduce((x, y) => x.add(y), new BN(0));
    expect(this.market().dirt.toString()).to.equal(tabs.toString());
  }
}

describe("08 liquidation: kick, take, reset, flash take, bad debt (LiteSVM)", () => {
  describe("a price crash, a kick, and bidders taking slices as the price falls", () => {
    const w = new World();
    let alice: Keypair;
    let auction: PublicKey;
    const bidders: Keypair[] = [];
    afterEach(() => {
      w.assertVaultsMatchAccounting();
      if (auction) w.assertDirt([auction]);
    });

    it("Alice borrows 1,000 USDC against 10 SOL at $150; a kicker cannot kick a healthy position", () => {
      w.setup();
      alice = w.borrower(10, 1_000);
      const res = w.chain.send([w.kickIx(alice.publicKey)], [w.kicker]);
      expect(res.error?.code).to.equal(ErrorCode.PositionSafe);
    });

    it("SOL falls to $120 (LTV 83% > 80%): with a stale price the kick is refused", () => {
      w.warp(60);
      w.setPrice(120, { ageSecs: 120 });
      expect(w.chain.send([w.kickIx(alice.publicKey)], [w.kicker]).error?.code).to.equal(
        ErrorCode.OracleStale,
      );
      w.setPrice(120, { confBps: 500 });
      expect(w.chain.send([w.kickIx(alice.publicKey)], [w.kicker]).error?.code).to.equal(
        ErrorCode.OracleConfidenceTooWide,
      );
    });

    it("at stop level 1 nobody can kick", () => {
      w.setPrice(120);
      w.setStop(1);
      expect(w.chain.send([w.kickIx(alice.publicKey)], [w.kicker]).error?.code).to.equal(
        ErrorCode.ProtocolStopped,
      );
      w.setStop(0);
    });

    it("the kicker starts the auction: tab = debt × 1.1, top = $120 × 1.2, and earns tip + chip", () => {
      const artBefore = w.position(alice.publicKey)!.art;
      const insuranceBefore = w.market().insurance;
      auction = w.kick(alice.publicKey);
      const a = w.auction(auction)!;
      expect(a.lot.toString()).to.equal(SOL(10).toString());
      // The debt at the rate accrued by the kick, rounded up; the tab adds the 10% penalty, rounded up.
      expect(a.debt.toString()).to.equal(debtFromArt(artBefore, w.market().rate)!.toString());
      expect(a.tab.toString()).to.equal(a.debt.muln(11).addn(9).divn(10).toString());
      expect(a.top.toString()).to.equal(
        new BN(120).mul(PRICE_SCALE).divn(1000).muln(1200).divn(1000).toString(),
      );
      const reward = insuranceBefore.sub(w.market().insurance);
      expect(reward.toString()).to.equal(USDC(5).add(a.tab.muln(10).divn(10_000)).toString());
      expect(w.balance(w.ata(w.ref.debtMint, w.kicker.publicKey)).toString()).to.equal(reward.toString());
      const pos = w.position(alice.publicKey)!;
      expect(pos.art.toNumber()).to.equal(0);
      expect(pos.ink.toNumber()).to.equal(0);
      expect(pos.auctions.toNumber()).to.equal(1);
    });

    it("a second kick of the same (now empty) position is refused", () => {
      expect(w.chain.send([w.kickIx(alice.publicKey)], [w.kicker]).error?.code).to.equal(
        ErrorCode.PositionSafe,
      );
    });

    it("Bob's slippage guard holds: a max price one unit below the current price is refused", () => {
      bidders.push(w.bidder(2_000));
      const price = w.priceNow(auction);
      const res = w.chain.send([w.takeIx(auction, bidders[0], SOL(1), price.subn(1))], [bidders[0]]);
      expect(res.error?.code).to.equal(ErrorCode.PriceAboveMax);
    });

    it("after 15 minutes Bob buys 3 SOL at the curve's price and pays exactly the SDK's quote", () => {
      w.warp(900);
      const bob = bidders[0];
      const price = w.priceNow(auction);
      const a = w.auction(auction)!;
      const quote = takeQuote({ tab: a.tab, lot: a.lot }, SOL(3), price, w.market().params.dust);
      const res = w.mustSend([w.takeIx(auction, bob, SOL(3), price)], [bob]);
      const ev = res.events.find((e) => e.name === "auctionTaken")!;
      expect(ev.data.price.toString()).to.equal(price.toString());
      expect(ev.data.collateral.toString()).to.equal(quote.collateral.toString());
      expect(ev.data.owe.toString()).to.equal(quote.owe.toString());
      expect(w.balance(w.ata(w.ref.collateralMint, bob.publicKey)).toString()).to.equal(SOL(3).toString());
      expect(w.balance(w.ata(w.ref.debtMint, bob.publicKey)).toString()).to.equal(
        USDC(2_000).sub(quote.owe).toString(),
      );
    });

    it("a partial take that would leave less than dust of tab is trimmed to leave exactly dust", () => {
      const carol = w.bidder(2_000);
      bidders.push(carol);
      w.warp(90);
      const price = w.priceNow(auction);
      const a = w.auction(auction)!;
      // Enough collateral to leave ~5 USDC of tab: under dust (10 USDC).
      const almost = a.tab.sub(USDC(5)).mul(PRICE_SCALE).div(price);
      const res = w.mustSend([w.takeIx(auction, carol, almost, price)], [carol]);
      const ev = res.events.find((e) => e.name === "auctionTaken")!;
      expect(ev.data.tab.toString()).to.equal(w.market().params.dust.toString());
    });

    it("Dave buys the rest: the tab is raised, leftover collateral returns to Alice's position, the auction closes and its rent goes to the kicker", () => {
      const dave = w.bidder(2_000);
      const kickerLamports = w.chain.svm.getBalance(w.kicker.publicKey)!;
      const a = w.auction(auction)!;
      const price = w.priceNow(auction);
      const res = w.mustSend([w.takeIx(auction, dave, MAX, price)], [dave]);
      const names = res.events.map((e) => e.name);
      expect(names).to.deep.equal(["auctionTaken", "auctionSettled"]);
      const settled = findEvent(res.events, "auctionSettled")!;
      expect(settled.reason).to.equal(0);
      expect(settled.raised.toString()).to.equal(a.initialTab.toString());
      expect(settled.badDebt.toNumber()).to.equal(0);
      const taken = findEvent(res.events, "auctionTaken")!.collateral;
      expect(settled.returnedCollateral.toString()).to.equal(a.lot.sub(taken).toString());
      const pos = w.position(alice.publicKey)!;
      expect(pos.ink.toString()).to.equal(settled.returnedCollateral.toString());
      expect(pos.auctions.toNumber()).to.equal(0);
      expect(w.auction(auction)).to.equal(null);
      expect(w.chain.svm.getBalance(w.kicker.publicKey)! > kickerLamports).to.equal(true);
      expect(w.market().dirt.toNumber()).to.equal(0);
      expect(w.market().auctionDebt.toNumber()).to.equal(0);
      auction = undefined as unknown as PublicKey;
    });

    it("the LP lost nothing: pool value ≥ deposits, and the penalty went to the insurance fund", () => {
      const m = w.market();
      expect(m.cash.gte(USDC(1_000_000))).to.equal(true);
      expect(m.artTotal.toNumber()).to.equal(0);
    });
  });

  describe("bad debt: first the insurance fund, then the LPs", () => {
    it("an auction that raises less than the debt is covered by insurance; LPs lose nothing", () => {
      const w = new World().setup({}, USDC(1_000_000), USDC(1_000));
      const { auction } = w.kickedBorrower(10, 1_000, 100);
      const poolBefore = poolValue(w);
      w.warp(90 * 30); // 0.99^30 ≈ 0.74 → $88.6
      const price = w.priceNow(auction);
      const a = w.auction(auction)!;
      expect(price.mul(a.lot).div(PRICE_SCALE).lt(a.debt)).to.equal(true);
      const res = w.mustSend([w.takeIx(auction, w.bidder(2_000), MAX, price)], [w.actorsLast()]);
      const bad = res.events.find((e) => e.name === "badDebt")!.data;
      const taken = res.events.find((e) => e.name === "auctionTaken")!.data;
      expect(bad.debt.toString()).to.equal(a.debt.sub(taken.owe).toString());
      expect(bad.coveredByInsurance.toString()).to.equal(bad.debt.toString());
      expect(bad.socialized.toNumber()).to.equal(0);
      expect(poolValue(w).toString()).to.equal(poolBefore.toString());
      w.assertVaultsMatchAccounting();
      expect(w.market().dirt.toNumber()).to.equal(0);
    });

    it("bad debt beyond the insurance fund is socialized: the LP share value drops by exactly that", () => {
      const w = new World().setup({}, USDC(1_000_000), USDC(40));
      const { auction } = w.kickedBorrower(10, 1_000, 100);
      const insurance = w.market().insurance;
      const poolBefore = poolValue(w);
      w.warp(90 * 30);
      const price = w.priceNow(auction);
      const res = w.mustSend([w.takeIx(auction, w.bidder(2_000), MAX, price)], [w.actorsLast()]);
      const bad = res.events.find((e) => e.name === "badDebt")!.data;
      expect(bad.coveredByInsurance.toString()).to.equal(insurance.toString());
      expect(bad.socialized.toString()).to.equal(bad.debt.sub(insurance).toString());
      expect(bad.socialized.gtn(0)).to.equal(true);
      expect(w.market().insurance.toNumber()).to.equal(0);
      expect(poolBefore.sub(poolValue(w)).toString()).to.equal(bad.socialized.toString());
      w.assertVaultsMatchAccounting();
    });
  });

  describe("LPs cannot run ahead of a pending bad debt", () => {
    /** A new LP who deposits `usdc`. */
    const lpOf = (w: World, usdc: BN): Keypair => {
      const lp = w.actor();
      w.fundDebt(lp.publicKey, usdc);
      w.mustSend([depositLiquidityIx(w.lpAccounts(lp), usdc)], [lp]);
      return lp;
    };

    it("Lena withdraws while an auction heads for bad debt: she gets no better price than Otto, who stays", () => {
      const w = new World().setup({}, USDC(1_000), USDC(40));
      const lena = w.lp;
      lpOf(w, USDC(1_000)); // Otto, who stays
      const alice = w.borrower(10, 1_000);
      // Lena asks to withdraw half her shares before the crash, at 1.000 a share.
      const shares = w.balance(w.ata(w.addrs.shareMint, lena.publicKey)).divn(2);
      w.mustSend([requestWithdrawalIx(w.lpAccounts(lena), shares)], [lena]);
      w.setPrice(100);
      const auction = w.kick(alice.publicKey);
      w.warp(WITHDRAW_COOLDOWN_SECS);
      w.setPrice(100);
      w.mustSend([accrueIx({ market: w.addrs.market })], [lena]);
      const m = w.market();
      expect(m.auctionDebt.gt(m.insurance)).to.equal(true);
      // Face value counts the whole auction debt; withdrawals count it only up to the insurance.
      const face = shares.mul(sdkPoolValue(m)!).div(m.totalShares);
      const expected = shares.mul(withdrawalValue(m)!).div(m.totalShares);
      expect(face.sub(expected).toString()).to.equal(
        m.auctionDebt.sub(m.insurance).mul(shares).div(m.totalShares).toString(),
      );
      expect(expected.lt(w.withdrawalRequest(lena.publicKey)!.value)).to.equal(true);
      const before = w.balance(w.ata(w.ref.debtMint, lena.publicKey));
      const res = w.mustSend([withdrawLiquidityIx(w.lpAccounts(lena), shares)], [lena]);
      const got = w.balance(w.ata(w.ref.debtMint, lena.publicKey)).sub(before);
      expect(got.toString()).to.equal(expected.toString());
      expect(findEvent(res.events, "liquidityWithdrawn")!.amount.toString()).to.equal(expected.toString());
      // The auction raises less than the debt; the rest beyond insurance is socialized.
      w.warp(90 * 20);
      const price = w.priceNow(auction);
      const take = w.mustSend([w.takeIx(auction, w.bidder(2_000), MAX, price)], [w.actorsLast()]);
      expect(take.events.find((e) => e.name === "badDebt")!.data.socialized.gtn(0)).to.equal(true);
      // Per share, those who stayed hold at least what Lena took out per share.
      const after = w.market();
      expect(sdkPoolValue(after)!.mul(shares).gte(got.mul(after.totalShares))).to.equal(true);
      expect(after.totalShares.toString()).to.equal(m.totalShares.sub(shares).toString());
      w.assertVaultsMatchAccounting();
    });

    it("with no auction live a withdrawal is at the full pool value", () => {
      const w = new World().setup({}, USDC(1_000), USDC(40));
      w.borrower(10, 500);
      const m = w.market();
      expect(withdrawalValue(m)!.toString()).to.equal(sdkPoolValue(m)!.toString());
      const shares = USDC(100);
      const before = w.balance(w.ata(w.ref.debtMint, w.lp.publicKey));
      // Interest accrues during the cooldown; the claim pays the value at the request.
      w.withdrawAfterCooldown(w.lpAccounts(w.lp), w.lp, shares);
      const got = w.balance(w.ata(w.ref.debtMint, w.lp.publicKey)).sub(before);
      expect(got.toString()).to.equal(shares.mul(sdkPoolValue(m)!).div(m.totalShares).toString());
    });

    it("the last LP cannot take everything while an auction is live; after it settles she can", () => {
      const w = new World().setup({}, USDC(2_000), new BN(0));
      const alice = w.borrower(10, 1_000);
      const all = w.balance(w.ata(w.addrs.shareMint, w.lp.publicKey));
      w.mustSend([requestWithdrawalIx(w.lpAccounts(w.lp), all)], [w.lp]);
      w.setPrice(100);
      const auction = w.kick(alice.publicKey);
      w.warp(WITHDRAW_COOLDOWN_SECS);
      w.setPrice(100);
      w.mustSend([accrueIx({ market: w.addrs.market })], [w.lp]);
      // Her withdrawal value is exactly the idle cash (no insurance), but the auction's proceeds
      // would then belong to no shares at all.
      expect(withdrawalValue(w.market())!.toString()).to.equal(w.market().cash.toString());
      const res = w.chain.send([withdrawLiquidityIx(w.lpAccounts(w.lp), all)], [w.lp]);
      expect(res.error?.code).to.equal(ErrorCode.LiquidityInsufficient);
      w.mustSend([w.takeIx(auction, w.bidder(2_000), MAX, w.priceNow(auction))], [w.actorsLast()]);
      expect(w.market().auctionDebt.toNumber()).to.equal(0);
      w.mustSend([withdrawLiquidityIx(w.lpAccounts(w.lp), all)], [w.lp]);
      expect(w.market().totalShares.toNumber()).to.equal(0);
      w.assertVaultsMatchAccounting();
    });
  });

  describe("an auction nobody bids on runs to its tail and is reset", () => {
    const w = new World();
    let auction: PublicKey;
    let caller: Keypair;
    before(() => {
      w.setup();
      ({ auction } = w.kickedBorrower());
      caller = w.bidder(0);
    });
    afterEach(() => w.assertVaultsMatchAccounting());
    const resetIx = () => w.resetIx(auction, caller);

    it("before the tail a reset is refused", () => {
      w.warp(3_600);
      w.setPrice(120);
      expect(w.chain.send([resetIx()], [caller]).error?.code).to.equal(ErrorCode.AuctionResetNotNeeded);
    });

    it("past the tail a take is refused, and the SDK agrees the auction needs a reset", () => {
      w.warp(3_601 + 1);
      w.setPrice(110);
      const a = w.auction(auction)!;
      expect(needsReset(w.market().params, a, new BN(w.now.toString()))).to.equal(true);
      const res = w.chain.send([w.takeIx(auction, w.bidder(2_000), SOL(1), MAX)], [w.actorsLast()]);
      expect(res.error?.code).to.equal(ErrorCode.AuctionNeedsReset);
    });

    it("at stop level 2 nobody can reset", () => {
      w.setStop(2);
      expect(w.chain.send([resetIx()], [caller]).error?.code).to.equal(ErrorCode.ProtocolStopped);
      w.setStop(0);
    });

    it("anyone resets it from the fresh price ($110 × 1.2) and is paid like a kicker", () => {
      const a = w.auction(auction)!;
      const res = w.mustSend([resetIx()], [caller]);
      const ev = res.events.find((e) => e.name === "auctionReset")!.data;
      const after = w.auction(auction)!;
      expect(after.top.toString()).to.equal(
        new BN(110).mul(PRICE_SCALE).divn(1000).muln(12).divn(10).toString(),
      );
      expect(after.tic.toString()).to.equal(w.now.toString());
      expect(ev.reward.toString()).to.equal(USDC(5).add(a.tab.muln(10).divn(10_000)).toString());
      expect(w.balance(w.ata(w.ref.debtMint, caller.publicKey)).toString()).to.equal(ev.reward.toString());
      // A Maker-mode auction: the event says so, with the d_max its kick stored (unused here).
      expect([ev.priceMode, ev.dMaxBps]).to.deep.equal([0, after.dMaxBps]);
      expect(w.chain.send([resetIx()], [caller]).error?.code).to.equal(ErrorCode.AuctionResetNotNeeded);
    });

    it("after the reset a bidder can take again", () => {
      const price = w.priceNow(auction);
      w.mustSend([w.takeIx(auction, w.bidder(5_000), SOL(1), price)], [w.actorsLast()]);
      expect(w.auction(auction)!.lot.toString()).to.equal(SOL(9).toString());
    });
  });

  describe("flash take: the collateral pays for itself within one transaction", () => {
    const w = new World();
    let auction: PublicKey;
    let maker: Keypair;
    before(() => {
      w.setup();
      ({ auction } = w.kickedBorrower());
      w.warp(900);
      maker = w.bidder(100_000); // a swap venue: buys SOL for USDC at $135
    });
    afterEach(() => w.assertVaultsMatchAccounting());

    const accountsFor = (bidder: Keypair, address = auction) => {
      const a = w.auction(address)!;
      return {
        ...w.ref,
        auction: address,
        position: a.position,
        kicker: a.kicker,
        taker: bidder.publicKey,
        collateralDestination: w.ata(w.ref.collateralMint, bidder.publicKey),
        debtSource: w.ata(w.ref.debtMint, bidder.publicKey),
      };
    };
    /** The venue's swap: the bidder's SOL to the maker, the maker's USDC to the bidder. */
    const swap = (bidder: Keypair, sol: BN, usdc: BN): TransactionInstruction[] => [
      createTransferInstruction(
        w.ata(w.ref.collateralMint, bidder.publicKey),
        w.ata(w.ref.collateralMint, maker.publicKey),
        bidder.publicKey,
        BigInt(sol.toString()),
      ),
      createTransferInstruction(
        w.ata(w.ref.debtMint, maker.publicKey),
        w.ata(w.ref.debtMint, bidder.publicKey),
        maker.publicKey,
        BigInt(usdc.toString()),
      ),
    ];

    it("take_begin without a take_end in the transaction is refused", () => {
      const bidder = w.bidder(0);
      const ix = takeBeginIx(accountsFor(bidder), { maxCollateral: SOL(1), maxPrice: MAX });
      expect(w.chain.send([ix], [bidder]).error?.code).to.equal(ErrorCode.FlashTakeEndMissing);
    });

    it("a fake instructions sysvar is refused", () => {
      const bidder = w.bidder(0);
      const [begin, end] = flashTakeIxs(accountsFor(bidder), { maxCollateral: SOL(1), maxPrice: MAX }, []);
      begin.keys[6].pubkey = Keypair.generate().publicKey;
      expect(w.chain.send([begin, end], [bidder]).error?.code).to.equal(ErrorCode.ProgramAccountInvalid);
    });

    it("two take_begins on one auction before the take_end are refused", () => {
      const bidder = w.bidder(1_000);
      const [begin, end] = flashTakeIxs(accountsFor(bidder), { maxCollateral: SOL(1), maxPrice: MAX }, []);
      expect(w.chain.send([begin, begin, end], [bidder]).error?.code).to.equal(ErrorCode.FlashTakePending);
    });

    it("a take_end alone is refused", () => {
      const bidder = w.bidder(1_000);
      const [, end] = flashTakeIxs(accountsFor(bidder), { maxCollateral: SOL(1), maxPrice: MAX }, []);
      expect(w.chain.send([end], [bidder]).error?.code).to.equal(ErrorCode.FlashTakeNotPending);
    });

    it("a bidder with no USDC takes 2 SOL at ~$130, sells them at $135 in the middle, pays from the proceeds and keeps the profit", () => {
      const bidder = w.bidder(0);
      const price = w.priceNow(auction);
      const quote = takeQuote(w.auction(auction)!, SOL(2), price, w.market().params.dust);
      const proceeds = quote.collateral.muln(135).divn(1000);
      expect(proceeds.gt(quote.owe)).to.equal(true);
      const ixs = flashTakeIxs(
        accountsFor(bidder),
        { maxCollateral: SOL(2), maxPrice: price },
        swap(bidder, quote.collateral, proceeds),
      );
      const res = w.mustSend(ixs, [bidder, maker]);
      const ev = res.events.find((e) => e.name === "auctionTaken")!.data;
      expect(ev.owe.toString()).to.equal(quote.owe.toString());
      expect(ev.price.toString()).to.equal(price.toString());
      expect(w.balance(w.ata(w.ref.collateralMint, bidder.publicKey)).toNumber()).to.equal(0);
      expect(w.balance(w.ata(w.ref.debtMint, bidder.publicKey)).toString()).to.equal(
        proceeds.sub(quote.owe).toString(),
      );
      const a = w.auction(auction)!;
      expect(a.flash).to.equal(0);
      expect(a.pendingOwe.toNumber()).to.equal(0);
      expect(a.lot.toString()).to.equal(SOL(8).toString());
    });

    it("if the swap does not cover the payment the whole transaction fails and nothing moves", () => {
      const bidder = w.bidder(0);
      const before = w.auction(auction)!;
      const price = w.priceNow(auction);
      const ixs = flashTakeIxs(
        accountsFor(bidder),
        { maxCollateral: SOL(1), maxPrice: price },
        swap(bidder, SOL(1), USDC(50)),
      );
      expect(w.chain.send(ixs, [bidder, maker]).ok).to.equal(false);
      expect(w.auction(auction)!.lot.toString()).to.equal(before.lot.toString());
    });
  });
});

describe("08 liquidation: hole, dust, stop levels, cancel (LiteSVM)", () => {
  it("the hole caps a kick: a partial auction starts, the rest waits until room frees up, then is kicked", () => {
    // hole 600 USDC of tab: room for 600 / 1.1 ≈ 545 USDC of debt.
    const w = new World().setup({ hole: USDC(600) });
    const { owner: alice, auction: first } = w.kickedBorrower();
    const a = w.auction(first)!;
    expect(a.tab.lte(USDC(600))).to.equal(true);
    expect(a.tab.gte(USDC(599))).to.equal(true);
    const pos = w.position(alice.publicKey)!;
    expect(pos.art.gtn(0)).to.equal(true);
    expect(pos.ink.add(a.lot).toString()).to.equal(SOL(10).toString());
    expect(w.chain.send([w.kickIx(alice.publicKey)], [w.kicker]).error?.code).to.equal(ErrorCode.HoleFull);
    w.assertDirt([first]);
    // A bidder raises the whole first tab, which frees the room; the leftover collateral went back
    // to Alice, so her remainder is safe again at $120 — until SOL falls to $90.
    w.warp(90);
    w.setPrice(120);
    w.mustSend([w.takeIx(first, w.bidder(1_000), MAX, w.priceNow(first))], [w.actorsLast()]);
    expect(w.chain.send([w.kickIx(alice.publicKey)], [w.kicker]).error?.code).to.equal(
      ErrorCode.PositionSafe,
    );
    w.setPrice(90);
    const second = w.kick(alice.publicKey);
    expect(w.position(alice.publicKey)!.art.toNumber()).to.equal(0);
    w.assertDirt([second]);
    w.assertVaultsMatchAccounting();
  });

  it("a partial kick whose auction would be below dust is refused", () => {
    const w = new World().setup({ hole: USDC(10) });
    const alice = w.borrower(10, 1_000);
    w.setPrice(120);
    expect(w.chain.send([w.kickIx(alice.publicKey)], [w.kicker]).error?.code).to.equal(
      ErrorCode.AuctionDusty,
    );
  });

  it("when a partial kick would leave the position under dust, the whole debt goes to auction", () => {
    // room for ≈ 995 USDC of debt of 1,000: the 5 left would be dust.
    const w = new World().setup({ hole: USDC(1_095) });
    const { owner: alice, auction } = w.kickedBorrower();
    expect(w.position(alice.publicKey)!.art.toNumber()).to.equal(0);
    expect(w.auction(auction)!.lot.toString()).to.equal(SOL(10).toString());
  });

  it("a take that would buy nothing is refused, and a take may not leave less than dust unless it buys all", () => {
    const w = new World().setup();
    const { auction } = w.kickedBorrower();
    const bob = w.bidder(2_000);
    expect(w.chain.send([w.takeIx(auction, bob, new BN(0), MAX)], [bob]).error?.code).to.equal(
      ErrorCode.TakeTooSmall,
    );
    w.assertVaultsMatchAccounting();
  });

  it("each stop level allows exactly what state/stop.rs says: kick < 1, reset < 2, take < 3, cancel only at 3", () => {
    const w = new World().setup();
    const alice = w.borrower(10, 700);
    const { auction } = w.kickedBorrower();
    // Alice (700 USDC on 10 SOL) is safe at $120 and unsafe at $85: only the stop level blocks her kick.
    w.setPrice(85);
    const caller = w.bidder(0);
    const bob = w.bidder(5_000);
    const results: Record<number, Record<string, string>> = {};
    for (const stop of [1, 2, 3]) {
      w.setStop(stop);
      const name = (ixs: TransactionInstruction[], signer: Keypair) =>
        w.chain.send(ixs, [signer]).error?.errorName ?? "ok";
      results[stop] = {
        kick: name([w.kickIx(alice.publicKey)], w.kicker),
        reset: name([w.resetIx(auction, caller)], caller),
        take: name([w.takeIx(auction, bob, SOL(0.1), MAX)], bob),
        cancel: name([w.cancelIx(auction)], w.admin),
      };
    }
    // Stop 1: kicks refused; the auction does not need a reset (AuctionResetNotNeeded proves the
    // stop check passed); takes work; cancel refused. Stop 2: resets refused too. Stop 3: only cancel.
    expect(results[1]).to.deep.equal({
      kick: "ProtocolStopped",
      reset: "AuctionResetNotNeeded",
      take: "ok",
      cancel: "ProtocolStopped",
    });
    expect(results[2]).to.deep.equal({
      kick: "ProtocolStopped",
      reset: "ProtocolStopped",
      take: "ok",
      cancel: "ProtocolStopped",
    });
    expect(results[3]).to.deep.equal({
      kick: "ProtocolStopped",
      reset: "ProtocolStopped",
      take: "ProtocolStopped",
      cancel: "ok",
    });
    w.assertVaultsMatchAccounting();
  });

  it("cancel (stop 3, admin only): the lot returns to the position and the tab becomes its debt again", () => {
    const w = new World().setup();
    const { owner: bea, auction } = w.kickedBorrower();
    const a = w.auction(auction)!;
    w.setStop(3);
    const stranger = w.bidder(0);
    const ix = w.cancelIx(auction, stranger.publicKey);
    expect(w.chain.send([ix], [stranger]).error?.code).to.equal(ErrorCode.AdminRequired);
    const res = w.mustSend([w.cancelIx(auction)], [w.admin]);
    expect(findEvent(res.events, "auctionSettled")!.reason).to.equal(2);
    const pos = w.position(bea.publicKey)!;
    expect(pos.ink.toString()).to.equal(a.lot.toString());
    const debt = pos.art.mul(w.market().rate).add(new BN(1e12).subn(1)).div(new BN(1e12));
    expect(debt.sub(a.tab).abs().lten(1)).to.equal(true);
    expect(pos.auctions.toNumber()).to.equal(0);
    expect(w.auction(auction)).to.equal(null);
    expect(w.market().dirt.toNumber()).to.equal(0);
    w.assertVaultsMatchAccounting();
  });
});

/** The LPs' pool value, as the program computes it (the SDK's mirror). */
function poolValue(w: LiquidationWorld): BN {
  return sdkPoolValue(w.market())!;
}

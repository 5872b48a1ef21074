/**
 * The bidder's decisions without a chain: profitability at the margin boundary, sizing to
 * inventory and to the tab/dust rules (the SDK's `takeQuote`), priority-fee bidding (share and
 * cap), the earliest profitable second of every curve kind (against a brute-force scan of the
 * SDK's `auctionPrice`), kick reward against the fee, the index decoders, the chain clock, the
 * websocket client's reconnects (a local `ws` server), and configuration errors (also through the
 * real CLI: exit code 2 and one line on stderr). One LiteSVM check ties `kickQuote` to the program.
 */
import BN from "bn.js";
import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { Keypair, PublicKey } from "@solana/web3.js";
import WebSocket from "ws";
import {
  absorbQuote,
  auctionPrice,
  auctionPda,
  buyOwe,
  buyPrice,
  Curve,
  debtFromArt,
  decodePosition,
  needsReset,
  PRICE_MODE_ANCHORED,
  PRICE_SCALE,
  RATE_SCALE,
  takePrice,
  takeQuote,
  V2_ENGINE,
  valueFloor,
} from "../sdk/src";
import { ConfigError, defaultWsUrl, loadKeypair, parseConfig } from "../app/bidder/config";
import {
  decideKick,
  decideTake,
  earliestProfitableSecond,
  feeBid,
  FeePolicy,
  kickQuote,
  lamportsPerDebtUnit,
  lessBps,
  positionHealth,
  priorityFeeMicroLamports,
  rateAt,
  resetDueSecond,
  resetRewardAt,
  decideAbsorb,
  scanUnsafe,
  sizeTake,
  takeLimitPrice,
  txFeeLamports,
} from "../app/bidder/decide";
import { BuyDecision, decideBackstopBuy } from "../app/bidder/decide_backstop";
import { BidderIndex, decodePositionFast, DISCRIMINATORS } from "../app/bidder/account_index";
import { ChainClock } from "../app/bidder/sender";
import { encodeBase58 as base58 } from "../sdk/src";
import { Inventory, InventoryStrategy } from "../app/bidder/strategies";
import { LocalTestVenue } from "../app/bidder/venue";
import { ResilientWs } from "../app/bidder/ws";
import { Arena } from "./helpers/fuzz";
import { defaultParams, LendingWorld, LiquidationWorld, SOL, USDC } from "../sdk/testkit";

const ROOT = path.join(__dirname, "..");
/** PRICE_SCALE price of SOL (9 decimals) in USDC (6 decimals) at `usd` dollars. */
const px = (usd: number): BN => new BN(Math.round(usd * 1e6)).mul(PRICE_SCALE).div(new BN(1e9));
const CUT_99 = new BN("990000000000000000");

const FEES: FeePolicy = {
  maxPriorityFee: 1_000_000,
  priorityFeeShare: 0.1,
  lamportsPerDebtUnit: 1e9 / (150 * 1e6),
};
const NO_FEES: FeePolicy = { maxPriorityFee: 0, priorityFeeShare: 0, lamportsPerDebtUnit: 1e12 };

const CURVES: Record<string, Curve> = {
  linear: { linear: { tauSecs: new BN(600) } },
  stairstep: { stairstepExp: { stepSecs: new BN(90), cut: CUT_99 } },
  exp: { exp: { cut: new BN("999000000000000000") } },
};

describe("11 bidder unit: decisions, sizing, fees, schedule, config (no chain)", () => {
  describe("anchored auctions (engine v2): the price follows the oracle the bot sees", () => {
    const tic = 2_000_000;
    const params = {
      curve: CURVES.linear,
      tailSecs: new BN(7_200),
      cuspBps: 4_500,
      anchorStartBps: 50,
      anchorRateBpsPerMin: 50,
      dust: USDC(10),
    };
    const auction = {
      tab: USDC(1_000),
      lot: SOL(10),
      top: px(120),
      tic: new BN(tic),
      priceMode: PRICE_MODE_ANCHORED,
      dMaxBps: 634,
    };
    const base = {
      auction,
      params,
      valuePrice: px(120), // the collateral is worth the oracle price to the bot
      budget: null,
      fees: NO_FEES,
      cuLimit: 50_000,
      signatures: 1,
    };

    it("takes at the oracle less the grown discount, exactly the SDK's (and the program's) takePrice", () => {
      const d = decideTake({ ...base, nowSecs: tic + 90, minProfitBps: 100, oracleMid: px(120) });
      // 0.5 % + 0.75 % = 1.25 % off $120 ≥ the 1 % margin: take now at $118.50.
      expect(d.action).to.equal("take");
      if (d.action !== "take") return;
      expect(d.price.toString()).to.equal(px(118.5).toString());
      expect(d.price.toString()).to.equal(takePrice(params, auction, tic + 90, px(120)).toString());
    });

    it("waits for the first second the discount reaches the margin, and re-plans when the oracle moves", () => {
      // A 3 % margin at a constant oracle: 0.5 % + 50 × e / 60 bps ≥ 3 % from e = 300 s.
      const plan = decideTake({ ...base, nowSecs: tic, minProfitBps: 300, oracleMid: px(120) });
      expect(plan.action).to.equal("wait");
      if (plan.action !== "wait") return;
      expect(plan.at).to.equal(tic + 300);
      expect(plan.price.toString()).to.equal(px(116.4).toString());
      expect(earliestProfitableSecond(params, auction, plan.limit, tic, px(120))!.at).to.equal(tic + 300);
      // The oracle falls to $118 while the bot values the collateral at $120: profitable sooner.
      const replanned = decideTake({ ...base, nowSecs: tic, minProfitBps: 300, oracleMid: px(118) });
      expect(replanned.action).to.equal("wait");
      if (replanned.action !== "wait") return;
      expect(replanned.at).to.be.below(plan.at);
      expect(takePrice(params, auction, replanned.at, px(118)).lte(replanned.limit)).to.equal(true);
      expect(takePrice(params, auction, replanned.at - 1, px(118)).gt(replanned.limit)).to.equal(true);
    });

    it("beyond d_max the margin is never reached; past the tail a reset is due (no cusp)", () => {
      const never = decideTake({ ...base, nowSecs: tic, minProfitBps: 700, oracleMid: px(120) });
      expect(never.action).to.equal("skip");
      expect(resetDueSecond(params, auction)).to.equal(tic + 7_201);
      expect(
        decideTake({ ...base, nowSecs: tic + 7_201, minProfitBps: 0, oracleMid: px(120) }).action,
      ).to.equal("reset");
      // Without the oracle price the bot cannot price an anchored take.
      const blind = decideTake({ ...base, nowSecs: tic, minProfitBps: 0 });
      expect(blind).to.deep.equal({ action: "skip", reason: "no_oracle_price" });
    });
  });

  describe("profitability at the margin", () => {
    const tic = 1_000_000;
    const value = px(100); // the collateral is worth $100 to the bot
    const base = {
      auction: { tab: USDC(1_000), lot: SOL(20), tic: new BN(tic) },
      params: { curve: CURVES.linear, tailSecs: new BN(600), cuspBps: 1_000, dust: USDC(10) },
      valuePrice: value,
      budget: null,
      fees: NO_FEES,
      cuLimit: 50_000,
      signatures: 1,
    };

    it("the limit is the value less the margin, rounded down", () => {
      expect(takeLimitPrice(value, 0).toString()).to.equal(value.toString());
      expect(takeLimitPrice(value, 100).toString()).to.equal(px(99).toString());
      expect(takeLimitPrice(new BN(999), 1).toString()).to.equal("998"); // 999 × 0.9999 = 998.9001
      expect(() => takeLimitPrice(value, 10_001)).to.throw(RangeError);
    });

    it("a price exactly at the limit is taken; one unit above waits for the next profitable second", () => {
      const limit = takeLimitPrice(value, 250);
      const at = decideTake({
        ...base,
        auction: { ...base.auction, top: limit },
        nowSecs: tic,
        minProfitBps: 250,
      });
      expect(at.action).to.equal("take");
      if (at.action === "take") {
        expect(at.price.toString()).to.equal(limit.toString());
        expect(at.limit.toString()).to.equal(limit.toString());
      }
      const above = decideTake({
        ...base,
        auction: { ...base.auction, top: limit.addn(1) },
        nowSecs: tic,
        minProfitBps: 250,
      });
      expect(above.action).to.equal("wait");
      if (above.action === "wait") {
        expect(above.at).to.equal(tic + 1); // linear over 600 s: one second later it is 1/600 lower
        expect(above.price.lte(limit)).to.equal(true);
      }
    });

    it("a higher margin waits longer; the scheduled second is the first at or below the limit", () => {
      const top = px(120);
      const waits = [0, 100, 500, 1_000].map((bps) => {
        const d = decideTake({ ...base, auction: { ...base.auction, top }, nowSecs: tic, minProfitBps: bps });
        expect(d.action).to.equal("wait");
        return d.action === "wait" ? d.at : 0;
      });
      expect(waits).to.deep.equal([...waits].sort((a, b) => a - b));
      expect(new Set(waits).size).to.equal(4);
      // At the scheduled second the price is at or below the limit, one second before it is not.
      expect(auctionPrice(CURVES.linear, top, waits[0] - tic).lte(value)).to.equal(true);
      expect(auctionPrice(CURVES.linear, top, waits[0] - 1 - tic).gt(value)).to.equal(true);
      const d1 = decideTake({
        ...base,
        auction: { ...base.auction, top },
        nowSecs: waits[1],
        minProfitBps: 100,
      });
      expect(d1.action).to.equal("take");
      // At zero margin nothing is left once the transaction fee is paid.
      const d0 = decideTake({
        ...base,
        auction: { ...base.auction, top },
        nowSecs: waits[0],
        minProfitBps: 0,
      });
      expect(d0).to.deep.include({ action: "skip", reason: "unprofitable_after_fees" });
    });

    it("a profit eaten by the transaction fee is skipped (and looked at again next second)", () => {
      const limit = takeLimitPrice(value, 0);
      const expensive: FeePolicy = { ...NO_FEES, lamportsPerDebtUnit: 1e-3 }; // 5000 lamports = 5e6 units
      const d = decideTake({
        ...base,
        auction: { ...base.auction, top: limit, lot: SOL(0.001), tab: USDC(1) },
        nowSecs: tic,
        minProfitBps: 0,
        fees: expensive,
      });
      expect(d.action).to.equal("skip");
      if (d.action === "skip") {
        expect(d.reason).to.equal("unprofitable_after_fees");
        expect(d.retryAt).to.equal(tic + 1);
      }
    });

    it("an auction past its tail or below its cusp is reset, not taken", () => {
      const top = px(120);
      const past = decideTake({
        ...base,
        auction: { ...base.auction, top },
        nowSecs: tic + 601,
        minProfitBps: 0,
      });
      expect(past.action).to.equal("reset");
      const cusp = decideTake({
        ...base,
        params: { ...base.params, cuspBps: 9_000 },
        auction: { ...base.auction, top },
        nowSecs: tic + 61, // linear: 120 × 539/600 < 90 % of top
        minProfitBps: 0,
      });
      expect(cusp.action).to.equal("reset");
    });

    it("a limit the curve reaches only below the cusp is skipped (no profitable second before a reset)", () => {
      const d = decideTake({
        ...base,
        params: { ...base.params, cuspBps: 9_000 },
        auction: { ...base.auction, top: px(200) },
        nowSecs: tic,
        minProfitBps: 0,
      });
      expect(d.action).to.equal("skip");
      if (d.action === "skip") expect(d.reason).to.equal("not_profitable_before_reset");
    });
  });

  describe("sizing to inventory and to the tab/dust rules (takeQuote)", () => {
    const auction = { tab: USDC(1_100), lot: SOL(10) };
    const price = px(120);
    const dust = USDC(10);

    it("with enough inventory the take raises the whole tab (and no more)", () => {
      const s = sizeTake(auction, price, dust, USDC(5_000));
      expect("skip" in s).to.equal(false);
      if ("skip" in s) return;
      expect(s.quote.owe.toString()).to.equal(auction.tab.toString());
      expect(s.quote.collateral.toString()).to.equal(
        takeQuote(auction, s.maxCollateral, price, dust).collateral.toString(),
      );
      expect(s.quote.collateral.lt(auction.lot)).to.equal(true); // leftover collateral goes back
    });

    it("a budget buys floor(budget / price) and never owes more than the budget, at this price or any lower one", () => {
      const budget = USDC(500);
      const s = sizeTake(auction, price, dust, budget);
      if ("skip" in s) throw new Error(s.skip);
      expect(s.maxCollateral.toString()).to.equal(budget.mul(PRICE_SCALE).div(price).toString());
      expect(s.quote.owe.lte(budget)).to.equal(true);
      for (const lower of [price.subn(1), price.muln(9).divn(10), price.divn(2)]) {
        expect(takeQuote(auction, s.maxCollateral, lower, dust).owe.lte(budget)).to.equal(true);
      }
    });

    it("a budget that would leave less than dust of tab is trimmed to leave exactly dust", () => {
      const s = sizeTake(auction, price, dust, auction.tab.sub(USDC(5)));
      if ("skip" in s) throw new Error(s.skip);
      expect(s.quote.owe.toString()).to.equal(auction.tab.sub(dust).toString());
    });

    it("a tab at or below dust must be taken whole: a smaller budget is skipped", () => {
      const small = { tab: USDC(8), lot: SOL(1) };
      expect(sizeTake(small, price, dust, USDC(5))).to.deep.equal({ skip: "inventory_below_tab" });
      const s = sizeTake(small, price, dust, USDC(8));
      if ("skip" in s) throw new Error(s.skip);
      expect(s.quote.owe.toString()).to.equal(USDC(8).toString());
    });

    it("no inventory, or a budget too small to buy one base unit, is skipped", () => {
      expect(sizeTake(auction, price, dust, new BN(0))).to.deep.equal({ skip: "no_inventory" });
      expect(sizeTake(auction, PRICE_SCALE.muln(1000), dust, new BN(999))).to.deep.equal({
        skip: "no_inventory",
      });
    });

    it("a venue cap limits the collateral; unlimited budget (flash) takes the whole lot or tab", () => {
      const s = sizeTake(auction, price, dust, null, SOL(2));
      if ("skip" in s) throw new Error(s.skip);
      expect(s.quote.collateral.toString()).to.equal(SOL(2).toString());
      const all = sizeTake({ tab: USDC(5_000), lot: SOL(10) }, price, dust, null);
      if ("skip" in all) throw new Error(all.skip);
      expect(all.quote.collateral.toString()).to.equal(SOL(10).toString());
    });

    it("decideTake sizes to the budget and reports the profit at the bot's valuation", () => {
      const d = decideTake({
        auction: { ...auction, top: px(95), tic: new BN(0) },
        params: { curve: CURVES.linear, tailSecs: new BN(600), cuspBps: 1_000, dust },
        nowSecs: 0,
        valuePrice: px(100),
        minProfitBps: 100,
        budget: USDC(475),
        fees: FEES,
        cuLimit: 50_000,
        signatures: 1,
      });
      if (d.action !== "take") throw new Error(d.action);
      expect(d.quote.collateral.toString()).to.equal(SOL(5).toString());
      expect(d.quote.owe.toString()).to.equal(USDC(475).toString());
      expect(d.grossProfit.toString()).to.equal(USDC(25).toString());
      expect(d.fee.netProfit.toString()).to.equal(USDC(25).sub(d.fee.feeDebt).toString());
    });
  });

  describe("priority fees: a share of the expected profit, capped", () => {
    it("share × profit in lamports, spread over the compute-unit limit, as micro-lamports per CU", () => {
      // 0.01 USDC at 150 USDC/SOL = 66_666 lamports; 10 % over 100k CU = 66_666 µlamports/CU.
      expect(lamportsPerDebtUnit(150, 6)).to.be.closeTo(6.6667, 1e-4);
      expect(priorityFeeMicroLamports(USDC(0.01), 100_000, FEES)).to.equal(66_666);
      expect(priorityFeeMicroLamports(USDC(0.01), 100_000, { ...FEES, priorityFeeShare: 0.5 })).to.equal(
        333_333,
      );
    });

    it("is capped by maxPriorityFee and zero without profit", () => {
      expect(priorityFeeMicroLamports(USDC(10_000), 100_000, FEES)).to.equal(1_000_000);
      expect(priorityFeeMicroLamports(USDC(0.01), 100_000, { ...FEES, maxPriorityFee: 5_000 })).to.equal(
        5_000,
      );
      expect(priorityFeeMicroLamports(new BN(0), 100_000, FEES)).to.equal(0);
      expect(priorityFeeMicroLamports(new BN(-5), 100_000, FEES)).to.equal(0);
    });

    it("the fee (signatures + priority) is netted out of the profit in debt units, rounded up", () => {
      expect(txFeeLamports(100_000, 66_666, 1)).to.equal(5_000 + 6_667);
      const bid = feeBid(USDC(0.01), 100_000, 2, FEES);
      expect(bid.microLamports).to.equal(66_666);
      expect(bid.feeLamports).to.equal(10_000 + 6_667);
      expect(bid.feeDebt.toNumber()).to.equal(Math.ceil(16_667 / FEES.lamportsPerDebtUnit));
      expect(bid.feeDebt.toNumber()).to.equal(2_501); // 16_667 lamports at 6.67 lamports per unit
      expect(bid.netProfit.toString()).to.equal(USDC(0.01).sub(bid.feeDebt).toString());
    });
  });

  describe("the earliest profitable second, for every curve kind", () => {
    const top = px(120);
    const tic = 1_700_000_000;
    /** First second (from `from`) with price ≤ limit and the auction still takeable, by brute force. */
    const brute = (curve: Curve, limit: BN, from: number, tail: number, cusp: number): number | null => {
      for (let t = Math.max(from, tic); t <= tic + tail; t++) {
        const p = auctionPrice(curve, top, t - tic);
        if (p.lte(limit)) return p.muln(10_000).lt(top.muln(cusp)) ? null : t;
      }
      return null;
    };
    for (const [name, curve] of Object.entries(CURVES)) {
      it(`${name}: matches a second-by-second scan of auctionPrice for many limits`, () => {
        const tail = 3_600;
        for (const usd of [130, 120, 119.99, 110, 100, 90, 75, 60, 50, 20]) {
          for (const from of [tic - 5, tic, tic + 37]) {
            const limit = px(usd);
            const got = earliestProfitableSecond(
              { curve, tailSecs: new BN(tail), cuspBps: 4_000 },
              { top, tic: new BN(tic) },
              limit,
              from,
            );
            const want = brute(curve, limit, from, tail, 4_000);
            expect(got?.at ?? null, `${name} at $${usd} from ${from - tic}`).to.equal(want);
            if (got) expect(got.price.toString()).to.equal(auctionPrice(curve, top, got.at - tic).toString());
          }
        }
      });

      it(`${name}: the reset-due second is the first second needsReset is true`, () => {
        for (const [tail, cusp] of [
          [3_600, 4_000],
          [300, 9_900],
          [7_200, 0],
        ]) {
          const params = { curve, tailSecs: new BN(tail), cuspBps: cusp };
          const due = resetDueSecond(params, { top, tic: new BN(tic) });
          expect(needsReset(params, { top, tic: new BN(tic) }, due)).to.equal(true);
          expect(needsReset(params, { top, tic: new BN(tic) }, due - 1)).to.equal(false);
        }
      });
    }
  });

  describe("absorb keeper (issue 19): absorb when the program would accept it and the reward pays the fee", () => {
    const market = {
      insurance: USDC(1_000),
      params: {
        curve: CURVES.stairstep,
        tailSecs: new BN(7_200),
        cuspBps: 4_500,
        tip: USDC(5),
        chipBps: 10,
        dust: USDC(10),
      },
    };
    // Kicked at t = 1,000 from top $126 (1.2 × $105); tab 1,100 (debt 1,000 + 10 % penalty).
    const auction = {
      top: px(126),
      tic: new BN(1_000),
      kickedAt: new BN(1_000),
      tab: USDC(1_100),
      debt: USDC(1_000),
      lot: SOL(10),
      initialTab: USDC(1_100),
      initialDebt: USDC(1_000),
      rewardsPaid: USDC(6.1),
      flash: 0,
    };
    const backstop = { debt: USDC(10_000), params: { absorbAfterSecs: new BN(600), absorbNearBps: 500 } };
    const fee = { policy: NO_FEES, cuLimit: 15_000 };

    it("not before absorb_after_secs unless near insolvency; never above the oracle", () => {
      // 10 SOL at $120 = 1,200 > tab × 1.05 = 1,155: not near insolvency, 300 s < 600 s.
      expect(decideAbsorb(market, auction, backstop, px(120), 1_300, fee)).to.deep.include({
        action: "skip",
        reason: "not_absorbable",
      });
      // At $105 the lot (1,050) is near insolvency at once, but the curve ($126) is above the oracle.
      expect(decideAbsorb(market, auction, backstop, px(105), 1_010, fee)).to.deep.include({
        action: "skip",
        reason: "price_above_oracle",
      });
    });

    it("after absorb_after_secs: the pool buys by absorbQuote at the auction's price; the reward is the kick reward", () => {
      const d = decideAbsorb(market, auction, backstop, px(120), 1_600, fee);
      expect(d.action).to.equal("absorb");
      if (d.action !== "absorb") return;
      const price = auctionPrice(CURVES.stairstep, px(126), 600);
      expect(d.price.toString()).to.equal(price.toString());
      const q = absorbQuote(auction, price, backstop.debt, market.params.dust);
      expect([d.quote.collateral.toString(), d.quote.owe.toString()]).to.deep.equal([
        q.collateral.toString(),
        q.owe.toString(),
      ]);
      expect(d.reward.toString()).to.equal(USDC(5).add(USDC(1.1)).toString()); // tip + 0.1 % of the tab
    });

    it("the per-auction cap: the reward is what the kick and resets left of the penalty; nothing left, no absorb for a fee", () => {
      const nearlyPaid = { ...auction, rewardsPaid: USDC(97) };
      const d = decideAbsorb(market, nearlyPaid, backstop, px(120), 1_600, fee);
      expect(d.action === "absorb" && d.reward.toString()).to.equal(USDC(3).toString());
      const allPaid = { ...auction, rewardsPaid: USDC(100) };
      const none = decideAbsorb(market, allPaid, backstop, px(120), 1_600, { policy: FEES, cuLimit: 15_000 });
      expect(none).to.deep.include({ action: "skip", reason: "reward_below_fee" });
      expect(none.reward!.toString()).to.equal("0");
    });

    it("an empty pool, a flash take in progress or an auction past its tail: skip", () => {
      const skip = (d: ReturnType<typeof decideAbsorb>) => (d.action === "skip" ? d.reason : d.action);
      expect(
        skip(decideAbsorb(market, auction, { ...backstop, debt: new BN(0) }, px(120), 1_600, fee)),
      ).to.equal("backstop_empty");
      expect(skip(decideAbsorb(market, { ...auction, flash: 1 }, backstop, px(120), 1_600, fee))).to.equal(
        "flash_take_pending",
      );
      expect(skip(decideAbsorb(market, auction, backstop, px(120), 1_000 + 7_201, fee))).to.equal(
        "needs_reset",
      );
    });
  });

  describe("backstop venue (issue 19): buy the pool's collateral when it pays under the bot's cost model", () => {
    const pool = { collateral: SOL(10), params: { buyDiscountBps: 100 } };
    const base = {
      pool,
      oracleMid: px(120),
      valuePrice: lessBps(px(120), 50), // the inventory strategy: oracle less 50 bps slippage
      minProfitBps: 20,
      budget: USDC(100_000),
      fees: NO_FEES,
      cuLimit: 40_000,
      signatures: 1,
    };
    const skip = (d: BuyDecision) => (d.action === "skip" ? d.reason : d.action);

    it("buys the whole pool at ceil(oracle × 99 %): the program's price and owe, the profit net of fees", () => {
      const d = decideBackstopBuy(base);
      if (d.action !== "buy") throw new Error(`expected a buy, got ${skip(d)}`);
      const price = buyPrice(px(120), new BN(100))!;
      expect(d.price.toString()).to.equal(price.toString());
      expect(d.price.toString()).to.equal(px(120).muln(99).divn(100).toString()); // exact here
      expect(d.limit.toString()).to.equal(lessBps(lessBps(px(120), 50), 20).toString());
      expect(d.collateral.toString()).to.equal(SOL(10).toString());
      expect(d.owe.toString()).to.equal(buyOwe(SOL(10), price)!.toString());
      expect(d.owe.toString()).to.equal(USDC(1_188).toString());
      const value = valueFloor(SOL(10), base.valuePrice)!;
      expect(d.grossProfit.toString()).to.equal(value.sub(d.owe).toString());
      expect(d.fee.netProfit.toString()).to.equal(d.grossProfit.sub(d.fee.feeDebt).toString());
      // With real fees the profit is net of the transaction fee and the priority-fee bid.
      const paid = decideBackstopBuy({ ...base, fees: FEES });
      if (paid.action !== "buy") throw new Error(skip(paid));
      expect(paid.fee.feeDebt.gtn(0)).to.equal(true);
      expect(paid.fee.netProfit.lt(d.fee.netProfit)).to.equal(true);
    });

    it("skips when the pool's discount does not cover the slippage and the margin", () => {
      const d = decideBackstopBuy({ ...base, pool: { ...pool, params: { buyDiscountBps: 60 } } });
      expect(skip(d)).to.equal("price_above_limit");
      // 70 bps of discount cover 50 of slippage and 20 of margin exactly (limit rounded down).
      const edge = decideBackstopBuy({ ...base, pool: { ...pool, params: { buyDiscountBps: 71 } } });
      expect(skip(edge)).to.equal("buy");
    });

    it("sizes to the inventory: the cost never exceeds the budget, one more base unit would", () => {
      const budget = USDC(500);
      const d = decideBackstopBuy({ ...base, budget });
      if (d.action !== "buy") throw new Error(skip(d));
      expect(d.owe.lte(budget)).to.equal(true);
      expect(buyOwe(d.collateral.addn(1), d.price)!.gt(budget)).to.equal(true);
      expect(d.collateral.toString()).to.equal(budget.mul(PRICE_SCALE).div(d.price).toString());
      const capped = decideBackstopBuy({ ...base, cap: SOL(1) });
      expect(capped.action === "buy" && capped.collateral.toString()).to.equal(SOL(1).toString());
    });

    it("skips an empty pool, an empty wallet, a dust purchase and a profit eaten by the fee", () => {
      expect(skip(decideBackstopBuy({ ...base, pool: { ...pool, collateral: new BN(0) } }))).to.equal(
        "pool_empty",
      );
      expect(skip(decideBackstopBuy({ ...base, budget: new BN(0) }))).to.equal("no_inventory");
      // One base unit of collateral costs 1 (rounded up) and is worth 0 (rounded down).
      expect(skip(decideBackstopBuy({ ...base, pool: { ...pool, collateral: new BN(1) } }))).to.equal(
        "unprofitable_after_fees",
      );
      // 5,000 lamports worth 50 USDC: more than the 6 USDC the 10 SOL earn.
      const expensive: FeePolicy = { ...NO_FEES, lamportsPerDebtUnit: 1e-4 };
      expect(skip(decideBackstopBuy({ ...base, fees: expensive }))).to.equal("unprofitable_after_fees");
    });
  });

  describe("health and kicks", () => {
    const rate = RATE_SCALE.muln(11).divn(10);
    it("unsafe exactly when the debt exceeds the liquidation limit at the oracle price", () => {
      const price = px(100);
      // 10 SOL at $100 = 1000 USDC; limit at 80 % = 800 USDC.
      const artFor = (debt: BN) => debt.mul(RATE_SCALE).div(rate); // debt rounds up from art
      const at = positionHealth({ ink: SOL(10), art: artFor(USDC(800)) }, rate, price, new BN(8_000))!;
      expect(at.limit.toString()).to.equal(USDC(800).toString());
      expect(at.debt.lte(at.limit)).to.equal(true);
      expect(at.unsafe).to.equal(false);
      const over = positionHealth(
        { ink: SOL(10), art: artFor(USDC(800)).addn(1) },
        rate,
        price,
        new BN(8_000),
      )!;
      expect(over.unsafe).to.equal(true);
      const none = positionHealth({ ink: new BN(0), art: new BN(0) }, rate, price, new BN(8_000))!;
      expect(none.unsafe).to.equal(false);
      const list = scanUnsafe(
        [
          ["a", { ink: SOL(10), art: artFor(USDC(800)) }],
          ["b", { ink: SOL(10), art: artFor(USDC(801)) }],
          ["c", { ink: SOL(1), art: new BN(0) }],
          ["d", { ink: new BN(0), art: new BN(1) }],
        ],
        rate,
        price,
        new BN(8_000),
      );
      expect(list).to.deep.equal(["b", "d"]);
    });

    it("rateAt accrues the index like the program's accrue (and not backwards)", () => {
      const m = {
        rate: RATE_SCALE,
        lastAccrualTs: new BN(1_000),
        params: { borrowRatePerSecWad: new BN("1547125957") },
      };
      expect(rateAt(m, 999)!.toString()).to.equal(RATE_SCALE.toString());
      const year = rateAt(m, 1_000 + 31_536_000)!;
      expect(year.gt(RATE_SCALE.muln(104).divn(100)) && year.lt(RATE_SCALE.muln(106).divn(100))).to.equal(
        true,
      );
    });

    const market = {
      rate: RATE_SCALE,
      lastAccrualTs: new BN(0),
      dirt: new BN(0),
      insurance: USDC(1_000),
      params: { ...defaultParams(PublicKey.default), borrowRatePerSecWad: new BN(0) },
    };

    it("kick reward = tip + chip × tab, capped by the insurance fund; kicked when it covers the fee", () => {
      const pos = { ink: SOL(10), art: USDC(1_000), auctions: 0 }; // $1000 debt, limit $960 at $120
      const q = kickQuote(market, pos, px(120), 0);
      if ("skip" in q) throw new Error(q.skip);
      expect(q.tab.toString()).to.equal(USDC(1_100).toString());
      expect(q.reward.toString()).to.equal(USDC(5).add(USDC(1_100).divn(1_000)).toString());
      expect(q.top.toString()).to.equal(px(144).toString());
      expect(decideKick(market, pos, px(120), 0, FEES, 60_000).action).to.equal("kick");
      const poor = decideKick({ ...market, insurance: new BN(0) }, pos, px(120), 0, FEES, 60_000);
      expect(poor).to.deep.include({ action: "skip", reason: "reward_below_fee" });
      const capped = kickQuote({ ...market, insurance: USDC(2) }, pos, px(120), 0);
      expect("skip" in capped ? null : capped.reward.toString()).to.equal(USDC(2).toString());
      // A fee worth more than the reward (SOL at 10^7 USDC: 5000 lamports = 50 USDC).
      const dear = decideKick(market, pos, px(120), 0, { ...FEES, lamportsPerDebtUnit: 1e-4 }, 60_000);
      expect(dear.action).to.equal("skip");
    });

    it("safe, hole-full and dusty positions are not kicked (the program's refusals)", () => {
      const pos = { ink: SOL(10), art: USDC(1_000), auctions: 0 };
      expect(kickQuote(market, pos, px(130), 0)).to.deep.equal({ skip: "safe" });
      const full = { ...market, dirt: market.params.hole };
      expect(kickQuote(full, pos, px(120), 0)).to.deep.equal({ skip: "hole_full" });
      // Room for ~5 USDC of debt (< dust 10) while the rest would stay above dust: refused.
      const tight = { ...market, dirt: market.params.hole.sub(USDC(5.5)) };
      expect(kickQuote(tight, pos, px(120), 0)).to.deep.equal({ skip: "auction_dusty" });
      // Room for 550 USDC of tab: a partial auction of 500 USDC of debt.
      const part = kickQuote({ ...market, dirt: market.params.hole.sub(USDC(550)) }, pos, px(120), 0);
      if ("skip" in part) throw new Error(part.skip);
      expect(part.partial).to.equal(true);
      expect(part.debt.toString()).to.equal(USDC(500).toString());
      expect(part.lot.toString()).to.equal(SOL(5).toString());
    });

    // The demo's three bots sent 40 kicks the program refused (PositionAuctionLive): a position
    // partially kicked while its auction still sold.
    it("partial kicks: a position with a live auction is not kicked until it settles (PositionAuctionLive); whole-position markets ignore the count", () => {
      const pos = { ink: SOL(10), art: USDC(1_000), auctions: 1 };
      const partial = { ...market, params: { ...market.params, ...V2_ENGINE } };
      expect(kickQuote(partial, pos, px(120), 0)).to.deep.equal({ skip: "position_auction_live" });
      expect(decideKick(partial, pos, px(120), 0, FEES, 60_000)).to.deep.equal({
        action: "skip",
        reason: "position_auction_live",
      });
      expect(decideKick(partial, { ...pos, auctions: new BN(0) }, px(120), 0, FEES, 60_000).action).to.equal(
        "kick",
      );
      // Maker mode kicks whole positions: no count rule in the program.
      expect(decideKick(market, pos, px(120), 0, FEES, 60_000).action).to.equal("kick");
    });

    // Issue 15: kickQuote and the reset path used to omit the cap at the penalty, overstating the
    // reward of auctions under ~50 USDC of debt (and the priority fee bid on it).
    it("kick and reset rewards are capped by the auction's penalty, also across resets (SDK kickReward/resetReward)", () => {
      const pos = { ink: SOL(0.2), art: USDC(20), auctions: 0 }; // tab 22, penalty 2 < tip 5
      const q = kickQuote(market, pos, px(120), 0);
      if ("skip" in q) throw new Error(q.skip);
      expect([q.tab.toString(), q.reward.toString()]).to.deep.equal([
        USDC(22).toString(),
        USDC(2).toString(),
      ]);
      const auction = {
        tab: q.tab,
        lot: q.lot,
        debt: q.debt,
        initialTab: q.tab,
        initialDebt: q.debt,
        rewardsPaid: q.reward,
      };
      expect(resetRewardAt(market, auction, px(120)).toString()).to.equal("0"); // the kick paid it all
      const fresh = { ...auction, rewardsPaid: new BN(0) };
      expect(resetRewardAt(market, fresh, px(120)).toString()).to.equal(USDC(2).toString());
      expect(resetRewardAt(market, fresh, px(40)).toString()).to.equal("0"); // lot worth 8 < dust
    });

    // A position whose earlier auction ran out after paying more reward than the penalty it
    // collected carries the difference (`unearnedRewards`) into its next kick's cap.
    it("a kick's reward is lowered by the position's unearned rewards (the program's carry)", () => {
      const pos = { ink: SOL(10), art: USDC(1_000), auctions: 0 }; // tab 1,100, reward 6.1
      const reward = (unearned: BN): string => {
        const q = kickQuote(market, { ...pos, unearnedRewards: unearned }, px(120), 0);
        return "skip" in q ? q.skip : q.reward.toString();
      };
      expect(reward(new BN(0))).to.equal(USDC(6.1).toString());
      expect(reward(USDC(97))).to.equal(USDC(3).toString()); // penalty 100 − 97
      expect(reward(USDC(150))).to.equal("0");
    });

    it("resetRewardAt equals the program's reset reward on LiteSVM (kick, then resets after the tail)", () => {
      const w = new Arena().setup();
      const b = w.borrower(0.2, 20);
      const big = w.borrower(10, 1_000);
      w.setPrice(120);
      const auctions = [w.kick(b.publicKey), w.kick(big.publicKey)];
      for (let round = 0; round < 3; round++) {
        w.warp(7_201);
        w.setPrice(120);
        for (const key of auctions) {
          const predicted = resetRewardAt(w.market(), w.auction(key)!, px(120));
          const res = w.mustSend([w.resetIx(key, w.kicker)], [w.kicker]);
          const paid = res.events.find((e) => e.name === "auctionReset")!.data.reward as BN;
          expect(predicted.toString(), `round ${round}`).to.equal(paid.toString());
        }
      }
      expect(w.auction(auctions[0])!.rewardsPaid.toString()).to.equal(USDC(2).toString());
      expect(w.auction(auctions[1])!.rewardsPaid.gt(USDC(20))).to.equal(true);
    });

    it("kickQuote equals the program's kick on LiteSVM (tab, lot, top, reward; partial under the hole)", () => {
      for (const hole of [USDC(1_000_000), USDC(600)]) {
        const w = new LiquidationWorld().setup({ hole }, USDC(100_000));
        const b = w.borrower(10, 1_000);
        w.warp(3_600); // interest accrues: the quote must accrue like the program
        w.setPrice(120);
        const m = w.market();
        const q = kickQuote(m, w.position(b.publicKey)!, px(120), Number(w.now));
        if ("skip" in q) throw new Error(q.skip);
        const kicker = w.actor();
        const res = w.mustSend([w.kickIx(b.publicKey, kicker)], [kicker]);
        const ev = res.events.find((e) => e.name === "auctionStarted")!.data;
        expect(q.tab.toString()).to.equal(ev.tab.toString());
        expect(q.lot.toString()).to.equal(ev.lot.toString());
        expect(q.debt.toString()).to.equal(ev.debt.toString());
        expect(q.top.toString()).to.equal(ev.top.toString());
        expect(q.reward.toString()).to.equal(ev.reward.toString());
        expect(q.partial).to.equal(hole.lt(USDC(1_000)));
        expect(ev.auction.toBase58()).to.equal(auctionPda(w.addrs.market, m.auctionCount)[0].toBase58());
        expect(debtFromArt(w.position(b.publicKey)!.art, w.market().rate)!.gtn(0)).to.equal(q.partial);
      }
    });
  });

  describe("index, clock, strategies, venue", () => {
    const positionData = (market: PublicKey, owner: PublicKey, ink: BN, art: BN): Buffer =>
      Buffer.concat([
        DISCRIMINATORS.position,
        market.toBuffer(),
        owner.toBuffer(),
        ink.toArrayLike(Buffer, "le", 8),
        art.toArrayLike(Buffer, "le", 8),
        new BN(1).toArrayLike(Buffer, "le", 8),
        Buffer.from([254]),
        new BN(7).toArrayLike(Buffer, "le", 8), // unearned_rewards
        Buffer.alloc(16),
      ]);

    it("decodePositionFast equals the SDK's decodePosition", () => {
      const market = Keypair.generate().publicKey;
      const owner = Keypair.generate().publicKey;
      const data = positionData(market, owner, new BN("18446744073709551615"), new BN("123456789012345"));
      const a = decodePositionFast(data);
      const b = decodePosition(data);
      expect(a.market.toBase58()).to.equal(b.market.toBase58());
      expect(a.owner.toBase58()).to.equal(b.owner.toBase58());
      expect(a.ink.toString()).to.equal(b.ink.toString());
      expect(a.art.toString()).to.equal(b.art.toString());
      expect(a.auctions.toString()).to.equal(b.auctions.toString());
      expect([a.unearnedRewards.toString(), b.unearnedRewards.toString()]).to.deep.equal(["7", "7"]);
      expect(() => decodePositionFast(Buffer.alloc(121))).to.throw();
    });

    it("the index routes positions to their market, ignores older slots, and a resync drops what vanished", async () => {
      const idx = new BidderIndex();
      const w = new LendingWorld();
      w.createMarket();
      const marketData = Buffer.from(w.chain.data(w.addrs.market)!);
      const m = idx.upsertMarket(w.addrs.market, marketData, 10);
      expect(idx.oracles.get(w.oracle.toBase58())![0].market).to.equal(m);
      const owner = Keypair.generate().publicKey;
      const key = Keypair.generate().publicKey.toBase58();
      expect(
        idx.applyProgramAccount(key, positionData(w.addrs.market, owner, SOL(1), USDC(1)), 20).kind,
      ).to.equal("position");
      expect(
        idx.applyProgramAccount(key, positionData(w.addrs.market, owner, SOL(2), USDC(1)), 15).kind,
      ).to.equal("ignored");
      expect(m.positions.get(key)!.ink.toString()).to.equal(SOL(1).toString());
      const other = positionData(Keypair.generate().publicKey, owner, SOL(1), USDC(1));
      expect(idx.applyProgramAccount("x", other, 30).kind).to.equal("ignored");
      idx.resync(m, [], [], 19); // older than the notification: kept
      expect(m.positions.size).to.equal(1);
      idx.resync(m, [], [], 21);
      expect(m.positions.size).to.equal(0);
      // The oracle price the program would compute (USD 150, expo −8, 9 → 6 decimals).
      m.setOracle("coll", Buffer.from(w.chain.data(w.oracle)!), 10);
      expect(m.price()!.toString()).to.equal(px(150).toString());
    });

    it("the chain clock keeps the largest offset sample (timestamps are whole seconds)", () => {
      const c = new ChainClock();
      c.sample(1_000, 1_000_700); // chain shows 1000 at wall 1000.7 s
      c.sample(1_001, 1_001_100); // chain shows 1001 at wall 1001.1 s → it ticked within 0.1 s
      expect(c.offsetMs).to.equal(-100);
      expect(c.nowSecs(1_001_150)).to.equal(1_001);
      expect(c.msUntil(1_002, 1_001_150)).to.equal(950);
    });

    it("base58 encodes like PublicKey (memcmp filters, signatures)", () => {
      const k = Keypair.generate().publicKey;
      expect(base58(k.toBytes())).to.equal(k.toBase58());
      expect(base58(Buffer.from([0, 0, 1]))).to.equal("112");
      expect(base58(DISCRIMINATORS.position).length).to.be.greaterThan(8);
    });

    it("inventory: takes in flight reserve their payment until released", () => {
      const inv = new Inventory();
      inv.setBalance("usdc", USDC(100));
      const release = inv.reserve("usdc", USDC(60));
      expect(inv.available("usdc").toString()).to.equal(USDC(40).toString());
      inv.reserve("usdc", USDC(60));
      expect(inv.available("usdc").toNumber()).to.equal(0);
      release();
      release();
      expect(inv.available("usdc").toString()).to.equal(USDC(40).toString());
      const strat = new InventoryStrategy(inv, 100);
      const fakeMarket = {
        key: "m",
        account: { debtMint: { toBase58: () => "usdc" } },
        price: () => px(100),
      };
      return strat
        .valuePrice(fakeMarket as never)
        .then((p) => expect(p!.toString()).to.equal(px(99).toString()));
    });

    it("the local test venue quotes the oracle value less its spread, and builds two co-signed transfers", async () => {
      const maker = Keypair.generate();
      const venue = new LocalTestVenue(maker, 50);
      const market = {
        collateralMint: Keypair.generate().publicKey,
        debtMint: Keypair.generate().publicKey,
        oraclePrice: px(100),
      };
      expect((await venue.quote(market, SOL(2)))!.toString()).to.equal(USDC(199).toString());
      expect(await venue.quote({ ...market, oraclePrice: null }, SOL(2))).to.equal(null);
      const owner = Keypair.generate().publicKey;
      const swap = await venue.swapIxs({
        market,
        owner,
        collateralAccount: Keypair.generate().publicKey,
        debtAccount: Keypair.generate().publicKey,
        collateralAmount: SOL(2),
        minDebtOut: USDC(150),
      });
      expect(swap.ixs).to.have.length(2);
      expect(swap.signers).to.deep.equal([maker]);
      expect(swap.ixs[0].keys[2].pubkey.toBase58()).to.equal(owner.toBase58());
      expect(swap.ixs[1].keys[2].pubkey.toBase58()).to.equal(maker.publicKey.toBase58());
      let caught: unknown;
      await venue
        .swapIxs({
          market,
          owner,
          collateralAccount: owner,
          debtAccount: owner,
          collateralAmount: SOL(2),
          minDebtOut: USDC(200),
        })
        .catch((e) => (caught = e));
      expect(String(caught)).to.match(/below the minimum/);
    });
  });

  describe("websocket client: resubscribes after a dropped connection", () => {
    it("reconnects with backoff, re-sends every subscription, and reports open(reconnect)", async () => {
      const server = new WebSocket.Server({ port: 0, host: "127.0.0.1" });
      await new Promise((r) => server.once("listening", r));
      const port = (server.address() as { port: number }).port;
      const subscribes: string[] = [];
      server.on("connection", (sock) => {
        sock.on("message", (raw) => {
          const msg = JSON.parse(raw.toString());
          subscribes.push(msg.method);
          sock.send(JSON.stringify({ jsonrpc: "2.0", id: msg.id, result: subscribes.length }));
          if (msg.method === "accountSubscribe") {
            const value = { data: [Buffer.from("hi").toString("base64"), "base64"], lamports: 1, owner: "x" };
            const params = { subscription: subscribes.length, result: { context: { slot: 7 }, value } };
            sock.send(JSON.stringify({ jsonrpc: "2.0", method: "accountNotification", params }));
          }
        });
      });
      const ws = new ResilientWs(`ws://127.0.0.1:${port}`, { minBackoffMs: 20, pingMs: 200 });
      const opens: boolean[] = [];
      const got: string[] = [];
      ws.on("open", (r) => opens.push(r));
      ws.accountSubscribe("acct", (acc, slot) => got.push(`${acc.data.toString()}@${slot}`));
      ws.programSubscribe("prog", [{ memcmp: { offset: 8, bytes: "abc" } }], () => undefined);
      ws.start();
      const until = async (pred: () => boolean) => {
        for (let i = 0; i < 100 && !pred(); i++) await new Promise((r) => setTimeout(r, 20));
        expect(pred()).to.equal(true);
      };
      await until(() => got.length === 1 && subscribes.length === 2);
      for (const c of server.clients) c.terminate(); // the connection drops
      await until(() => opens.length === 2 && got.length === 2 && subscribes.length === 4);
      expect(opens).to.deep.equal([false, true]);
      expect(ws.reconnects).to.equal(1);
      expect(subscribes.sort()).to.deep.equal([
        "accountSubscribe",
        "accountSubscribe",
        "programSubscribe",
        "programSubscribe",
      ]);
      ws.stop();
      await new Promise((r) => server.close(r));
    });
  });

  describe("configuration", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gavel-bidder-unit-"));
    const kpFile = path.join(dir, "bot.json");
    fs.writeFileSync(kpFile, JSON.stringify(Array.from(Keypair.generate().secretKey)));
    const market = Keypair.generate().publicKey.toBase58();
    const ok = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
      const r = parseConfig(argv, env);
      if (r.help) throw new Error("help");
      return r.config;
    };
    const bad = (argv: string[], re: RegExp, env: NodeJS.ProcessEnv = {}) =>
      expect(() => parseConfig(argv, env)).to.throw(ConfigError, re);
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("flags over environment over the --config file over defaults", () => {
      const file = path.join(dir, "c.json");
      fs.writeFileSync(
        file,
        JSON.stringify({ minProfitBps: 50, name: "file", resyncSecs: 7, rpc: "http://h:8899" }),
      );
      const c = ok(["--config", file, "--min-profit-bps", "70"], {
        GAVEL_MIN_PROFIT_BPS: "60",
        GAVEL_NAME: "env",
      });
      expect(c.minProfitBps).to.equal(70);
      expect(c.name).to.equal("env");
      expect(c.resyncSecs).to.equal(7);
      expect(c.ws).to.equal("ws://h:8900");
      expect(c.strategy).to.equal("inventory");
      expect(c.dryRun).to.equal(false);
    });

    it("markets: repeatable and comma lists, deduplicated; booleans; metrics port", () => {
      const m2 = Keypair.generate().publicKey.toBase58();
      const c = ok(["--market", market, "--market", `${m2},${market}`, "--dry-run", "--metrics-port", "0"]);
      expect(c.markets).to.deep.equal([market, m2]);
      expect(c.dryRun).to.equal(true);
      expect(c.metricsPort).to.equal(0);
      expect(ok([], { GAVEL_MARKETS: `${market},${m2}`, GAVEL_DRY_RUN: "1" }).markets).to.have.length(2);
      expect(defaultWsUrl("https://rpc.example.com")).to.equal("wss://rpc.example.com");
      expect(parseConfig(["--help"])).to.deep.equal({ help: true });
    });

    it("the absorb keeper is off by default; on by --absorb-keeper, GAVEL_ABSORB_KEEPER or the file", () => {
      expect(ok([]).absorbKeeper).to.equal(false);
      expect(ok(["--absorb-keeper"]).absorbKeeper).to.equal(true);
      expect(ok([], { GAVEL_ABSORB_KEEPER: "1" }).absorbKeeper).to.equal(true);
      const file = path.join(dir, "keeper.json");
      fs.writeFileSync(file, JSON.stringify({ absorbKeeper: true }));
      expect(ok(["--config", file]).absorbKeeper).to.equal(true);
      bad([], /--absorb-keeper/, { GAVEL_ABSORB_KEEPER: "maybe" });
    });

    it("the backstop venue is off by default; on by --backstop-buy, GAVEL_BACKSTOP_BUY or the file", () => {
      expect(ok([]).backstopBuy).to.equal(false);
      expect(ok(["--backstop-buy"]).backstopBuy).to.equal(true);
      expect(ok([], { GAVEL_BACKSTOP_BUY: "1" }).backstopBuy).to.equal(true);
      const file = path.join(dir, "venue.json");
      fs.writeFileSync(file, JSON.stringify({ backstopBuy: true }));
      expect(ok(["--config", file]).backstopBuy).to.equal(true);
      bad([], /--backstop-buy/, { GAVEL_BACKSTOP_BUY: "maybe" });
    });

    it("bad values are one-line ConfigErrors naming the flag", () => {
      bad(["--min-profit-bps=-1"], /--min-profit-bps must be an integer in \[0, 9999\]/);
      bad(["--min-profit-bps", "10000"], /--min-profit-bps/);
      bad(["--min-profit-bps", "1.5"], /--min-profit-bps/);
      bad(["--min-profit-bps", "abc"], /--min-profit-bps/);
      bad(["--priority-fee-share", "2"], /--priority-fee-share must be a number in \[0, 1\]/);
      bad(["--max-priority-fee", "-5"], /--max-priority-fee/);
      bad(["--strategy", "yolo"], /--strategy must be inventory or flash/);
      bad(["--strategy", "flash"], /needs a venue/);
      bad(["--market", "not-a-key"], /--market is not a valid base58 address/);
      bad(["--rpc", "ftp://x"], /--rpc must use http: or https:/);
      bad(["--rpc", "nonsense"], /--rpc is not a valid URL/);
      bad(["--ws", "http://x"], /--ws must use ws: or wss:/);
      bad(["--metrics-port", "70000"], /--metrics-port/);
      bad(["--resync-secs", "0"], /--resync-secs/);
      bad(["--bogus"], /Unknown option '--bogus'/);
      bad(["--config", path.join(dir, "missing.json")], /cannot read --config .*ENOENT/);
      bad([], /--min-profit-bps/, { GAVEL_MIN_PROFIT_BPS: "lots" });
      const junk = path.join(dir, "junk.json");
      fs.writeFileSync(junk, "{ nope");
      bad(["--config", junk], /is not valid JSON/);
      fs.writeFileSync(junk, JSON.stringify({ mystery: 1 }));
      bad(["--config", junk], /unknown setting "mystery"/);
      for (const argv of [["--strategy", "x"], ["--bogus"], ["--rpc", "nonsense"]]) {
        expect(() => parseConfig(argv))
          .to.throw(ConfigError)
          .that.satisfies((e: Error) => !e.message.includes("\n"));
      }
    });

    it("keypair files: missing, not JSON, wrong length", () => {
      expect(() => loadKeypair(path.join(dir, "nope.json"))).to.throw(
        ConfigError,
        /cannot read --keypair .*ENOENT/,
      );
      const f = path.join(dir, "bad.json");
      fs.writeFileSync(f, "hello");
      expect(() => loadKeypair(f)).to.throw(ConfigError, /not a JSON array of 64 bytes/);
      fs.writeFileSync(f, JSON.stringify([1, 2, 3]));
      expect(() => loadKeypair(f)).to.throw(ConfigError, /not a JSON array of 64 bytes/);
      expect(loadKeypair(kpFile).publicKey).to.be.instanceOf(PublicKey);
    });

    describe("through the CLI (exit code 2, one line on stderr)", function () {
      this.timeout(60_000);
      /** A fake RPC: answers getVersion, and getMultipleAccounts with nothing (unknown market). */
      let server: http.Server;
      let rpc = "";
      before(async () => {
        server = http.createServer((req, res) => {
          let body = "";
          req.on("data", (d) => (body += d));
          req.on("end", () => {
            const msg = JSON.parse(body);
            const result =
              msg.method === "getVersion"
                ? { "solana-core": "test", "feature-set": 0 }
                : { context: { slot: 1 }, value: msg.params[0].map(() => null) };
            res.writeHead(200, { "content-type": "application/json" });
            res.end(JSON.stringify({ jsonrpc: "2.0", id: msg.id, result }));
          });
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
        rpc = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      });
      after(() => server.close());

      /** Runs the CLI (asynchronously: the fake RPC above lives in this process). */
      const cli = (args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> =>
        new Promise((resolve) => {
          const p = spawn(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", "app/bidder/main.ts", ...args],
            {
              cwd: ROOT,
              env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "1" },
            },
          );
          let stdout = "";
          let stderr = "";
          p.stdout.on("data", (d) => (stdout += d));
          p.stderr.on("data", (d) => (stderr += d));
          p.on("exit", (status) => resolve({ status, stdout, stderr }));
        });

      it("a bad flag value, a missing keypair, an unreachable RPC and an unknown market each exit 2 with one line", async () => {
        const cases: [string[], RegExp][] = [
          [["--min-profit-bps", "x"], /^error: --min-profit-bps must be an integer/],
          [
            ["--keypair", path.join(dir, "missing.json"), "--rpc", rpc],
            /^error: cannot read --keypair .*ENOENT/,
          ],
          [
            ["--keypair", kpFile, "--rpc", "http://127.0.0.1:9", "--rpc-timeout-ms", "2000"],
            /^error: RPC http:\/\/127\.0\.0\.1:9 is unreachable/,
          ],
          [
            ["--keypair", kpFile, "--rpc", rpc, "--market", market],
            new RegExp(`^error: unknown market ${market}: account not found`),
          ],
        ];
        const results = await Promise.all(cases.map(([args]) => cli(args)));
        for (const [i, [args, re]] of cases.entries()) {
          const r = results[i];
          expect(r.status, `${args.join(" ")}: ${r.stderr}`).to.equal(2);
          expect(r.stderr.trim().split("\n"), r.stderr).to.have.length(1);
          expect(r.stderr.trim()).to.match(re);
        }
        const help = await cli(["--help"]);
        expect(help.status).to.equal(0);
        expect(help.stdout).to.match(/--min-profit-bps/);
      });
    });
  });
});

/**
 * Story: a keeper watching a Dutch auction computes the price, whether the auction needs a reset,
 * and what a take will buy and cost, off chain, and gets exactly what the program will compute,
 * to the base unit. `sdk/src/auction.ts` mirrors `programs/gavel/src/math/auction.rs`; both run
 * the golden vectors of `tests/vectors/auction.json` (exact-integer reference:
 * `scripts/gen-auction-vectors.py`), including every refusal of a take. Pure math: no chain needed.
 */
import BN from "bn.js";
import { expect } from "chai";
import {
  auctionDiscountBps,
  auctionPrice,
  CUT_SCALE,
  expPrice,
  linearPrice,
  MAX_CUT,
  needsReset,
  needsResetAt,
  rpowFloor,
  stairstepPrice,
  takePrice,
  takeQuote,
  TakeQuoteError,
} from "../sdk/src/auction";
import { anchoredPrice, discountBps, dMaxBps } from "../sdk/src/anchored";
import {
  kickReward,
  KickSizeError,
  kickSize,
  resetReward,
  RewardInput,
  unearnedRewards,
} from "../sdk/src/kick";
import { partialKick } from "../sdk/src/partial";
import { PRICE_MODE_ANCHORED } from "../sdk/src/types";
import type { Curve } from "../sdk/src/types";
import { GoldenCase, loadVectors, mismatches, named, u, vectorKeys } from "./helpers/vectors";

/** One golden case: u64 arguments as decimal strings; see the file's `_format`. */
interface Case {
  args: string[];
  expected: string | boolean | { collateral: string; owe: string } | null;
}

const vectors = loadVectors("auction");

const str = (x: BN): string => x.toString(10);

/** A take quote, or the name of the refusal, encoded like `expected`. */
function quoteOrReason(f: () => { collateral: BN; owe: BN }): Case["expected"] {
  try {
    const q = f();
    return { collateral: str(q.collateral), owe: str(q.owe) };
  } catch (e) {
    if (e instanceof TakeQuoteError) return e.reason;
    throw e;
  }
}

/** Each vector key (the Rust function name) and the TypeScript code that mirrors it. */
const MIRROR: Record<string, (a: string[]) => Case["expected"]> = {
  rpow_floor: (a) => str(rpowFloor(u(a[0]), u(a[1]))),
  linear_price: (a) => str(linearPrice(u(a[0]), u(a[1]), u(a[2]))),
  stairstep_price: (a) => str(stairstepPrice(u(a[0]), u(a[1]), u(a[2]), u(a[3]))),
  exp_price: (a) => str(expPrice(u(a[0]), u(a[1]), u(a[2]))),
  needs_reset: (a) =>
    needsResetAt({ top: u(a[0]), price: u(a[1]), cuspBps: u(a[2]), elapsedSecs: u(a[3]), tailSecs: u(a[4]) }),
  take_quote: (a) =>
    quoteOrReason(() => takeQuote({ tab: u(a[0]), lot: u(a[1]) }, u(a[2]), u(a[3]), u(a[4]))),
};

/** The curve-price vectors again, through `auctionPrice` and the decoded `Curve` shape. */
const VIA_CURVE: Record<string, (a: string[]) => Case["expected"]> = {
  linear_price: (a) => str(auctionPrice({ linear: { tauSecs: u(a[1]) } }, u(a[0]), u(a[2]))),
  stairstep_price: (a) =>
    str(auctionPrice({ stairstepExp: { stepSecs: u(a[1]), cut: u(a[2]) } }, u(a[0]), u(a[3]))),
  exp_price: (a) => str(auctionPrice({ exp: { cut: u(a[1]) } }, u(a[0]), u(a[2]))),
};

const cases = (name: string): Case[] => (vectors[name] ?? []) as Case[];

// A SOL/USDC market: SOL at $150, 9 decimals, USDC 6 decimals; auctions start 20 % above.
const TOP = new BN("180000000000");
const PRICE = new BN("150000000000");
const CUT_99 = new BN("990000000000000000");
const CUT_9999 = new BN("999900000000000000");
const STAIRSTEP: Curve = { stairstepExp: { stepSecs: new BN(90), cut: CUT_99 } };
const EXP: Curve = { exp: { cut: CUT_9999 } };
const LINEAR: Curve = { linear: { tauSecs: new BN(3_600) } };

describe("07 auction math mirror: sdk/src/auction.ts prices, resets and takes exactly like the program", () => {
  it("the vector file covers exactly the mirrored functions", () => {
    expect(vectorKeys(vectors)).to.deep.equal(Object.keys(MIRROR).sort());
  });

  for (const [name, mirror] of Object.entries(MIRROR)) {
    it(`${name}: all ${cases(name).length} cases match the exact reference`, () => {
      expect(cases(name).length).to.be.greaterThan(200);
      const failures = mismatches(name, cases(name), mirror);
      expect(failures, failures.slice(0, 10).join("\n")).to.deep.equal([]);
    });
  }

  for (const [name, mirror] of Object.entries(VIA_CURVE)) {
    it(`auctionPrice dispatches ${name}'s ${cases(name).length} cases to the same result`, () => {
      const failures = mismatches(name, cases(name), mirror);
      expect(failures, failures.slice(0, 10).join("\n")).to.deep.equal([]);
    });
  }

  describe("readable examples", () => {
    it("a stairstep auction (0.99 every 90 s) holds its price for a step, then cuts 1 %", () => {
      const at = (t: number) => str(auctionPrice(STAIRSTEP, TOP, t));
      expect([at(0), at(89), at(90), at(179), at(180)]).to.deep.equal([
        "180000000000",
        "180000000000",
        "178200000000",
        "178200000000",
        "176418000000",
      ]);
      // Before the start (a clock behind tic) counts as the start.
      expect(at(-30)).to.equal("180000000000");
    });

    it("an exponential auction falls every second; a linear one reaches exactly 0 at tau", () => {
      expect(str(auctionPrice(EXP, TOP, 1))).to.equal("179982000000");
      const hour = auctionPrice(EXP, TOP, 3_600);
      expect(hour.gt(new BN("125000000000")) && hour.lt(new BN("126000000000"))).to.equal(true);
      expect(str(auctionPrice(LINEAR, TOP, 1_800))).to.equal("90000000000");
      expect(str(auctionPrice(LINEAR, TOP, 3_599))).to.equal("50000000");
      expect(str(auctionPrice(LINEAR, TOP, 3_600))).to.equal("0");
      expect(str(auctionPrice(LINEAR, TOP, new BN("18446744073709551615")))).to.equal("0");
    });

    it("prices never rise, and stay at most top, over five years of elapsed time", () => {
      const fiveYears = 5 * 365 * 86_400;
      for (const curve of [STAIRSTEP, EXP, LINEAR, { exp: { cut: MAX_CUT } }]) {
        let prev = TOP;
        for (let t = 0; t <= fiveYears; t = t < 10_000 ? t + 1 + (t >> 4) : t * 2 + 1) {
          for (const s of [t, t + 1]) {
            const p = auctionPrice(curve, TOP, s);
            expect(p.lte(prev), `${JSON.stringify(Object.keys(curve))} rises at ${s}`).to.equal(true);
            prev = p;
          }
        }
      }
      // At the slowest allowed cut the price still falls, second by second.
      const slow: Curve = { exp: { cut: MAX_CUT } };
      expect(auctionPrice(slow, TOP, fiveYears).lt(auctionPrice(slow, TOP, fiveYears - 1))).to.equal(true);
    });

    it("a keeper sees a reset due below the cusp or past the tail, not exactly at either", () => {
      const params = { cuspBps: 4_000, tailSecs: new BN(7_200), curve: LINEAR };
      const auction = { top: TOP, tic: new BN(1_700_000_000) };
      const now = (dt: number) => 1_700_000_000 + dt;
      // Linear over 3600 s: 40 % of top at exactly 2160 s.
      expect(needsReset(params, auction, now(2_160))).to.equal(false);
      expect(needsReset(params, auction, now(2_161))).to.equal(true);
      const flat = { ...params, cuspBps: new BN(0), curve: { linear: { tauSecs: new BN(1_000_000) } } };
      expect(needsReset(flat, auction, new BN(now(7_200)))).to.equal(false);
      expect(needsReset(flat, auction, new BN(now(7_201)))).to.equal(true);
      expect(needsReset(flat, auction, now(-5))).to.equal(false);
    });

    it("takes: capped at the tab, partial, chost-adjusted, and the refusals", () => {
      const auction = { tab: new BN(1_200_000_000), lot: new BN(10_000_000_000) };
      const dust = new BN(100_000_000);
      const q = (max: BN | number, price = PRICE, a = auction) =>
        quoteOrReason(() => takeQuote(a, new BN(max), price, dust));
      // Everything: 8 SOL for the whole 1200 USDC tab.
      expect(q(auction.lot)).to.deep.equal({ collateral: "8000000000", owe: "1200000000" });
      // 2 SOL for 300 USDC.
      expect(q(2_000_000_000)).to.deep.equal({ collateral: "2000000000", owe: "300000000" });
      // 7.4 SOL would leave 90 USDC (< dust): cut to 1100 USDC, leaving exactly the dust.
      expect(q(7_400_000_000)).to.deep.equal({ collateral: "7333333333", owe: "1100000000" });
      // The whole lot at $100 raises 1000 USDC; the rest of the tab stays open.
      expect(q(auction.lot, new BN(100_000_000_000))).to.deep.equal({
        collateral: "10000000000",
        owe: "1000000000",
      });
      // A 50 USDC tab can only be bought in full.
      const small = { ...auction, tab: new BN(50_000_000) };
      expect(q(100_000_000, PRICE, small)).to.equal("PartialLeavesDust");
      expect(q(auction.lot, PRICE, small)).to.deep.equal({ collateral: "333333333", owe: "50000000" });
      expect(q(0)).to.equal("TooSmall");
      expect(q(auction.lot, new BN(0))).to.equal("TooSmall");
      const huge = { tab: new BN(1), lot: new BN("18446744073709551615") };
      expect(q(huge.lot, new BN("18446744073709551615"), huge)).to.equal("Overflow");
      // The bidder pays rounded up: 3 lamports at 0.150000000001 cost 1 base unit.
      expect(q(3, PRICE.addn(1))).to.deep.equal({ collateral: "3", owe: "1" });
    });

    it("TakeQuoteError is a real Error with the program's reason", () => {
      let caught: unknown;
      try {
        takeQuote({ tab: new BN(1), lot: new BN(1) }, new BN(0), PRICE, new BN(0));
      } catch (e) {
        caught = e;
      }
      expect(caught).to.be.instanceOf(TakeQuoteError);
      expect(caught).to.be.instanceOf(Error);
      expect((caught as TakeQuoteError).reason).to.equal("TooSmall");
      expect((caught as TakeQuoteError).name).to.equal("TakeQuoteError");
    });

    it("constants match the program; arguments outside u64 throw", () => {
      expect(str(CUT_SCALE)).to.equal("1000000000000000000");
      expect(str(MAX_CUT)).to.equal("999999999000000000");
      expect(str(rpowFloor(CUT_99, new BN(0)))).to.equal(str(CUT_SCALE));
      expect(() => rpowFloor(new BN(-1), new BN(1))).to.throw(RangeError);
      expect(() => auctionPrice(EXP, new BN(1).shln(64), 0)).to.throw(RangeError);
      expect(() => auctionPrice(EXP, TOP, 1.5)).to.throw(RangeError);
      expect(() => takeQuote({ tab: new BN(-1), lot: new BN(1) }, new BN(1), PRICE, new BN(0))).to.throw(
        RangeError,
      );
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Kick sizing and keeper rewards: sdk/src/kick.ts against tests/vectors/kick.json
// (scripts/gen-kick-vectors.py), the same file programs/gavel/src/math/kick.rs is tested with.
// ---------------------------------------------------------------------------------------------

interface KickCase {
  args: string[];
  expected: string | Record<string, string>;
  binds: string;
}

const KICK_VECTORS = loadVectors("kick");
const kickCases = (name: string): KickCase[] => (KICK_VECTORS[name] ?? []) as KickCase[];

/** The vector file's argument order (its `_format`): KickInput, KickParams, RewardInput. */
const KICK_INPUT = ["ink", "art", "rate", "price", "dirt"] as const;
const KICK_PARAMS = [
  "liquidationLtvBps",
  "chopBps",
  "bufBps",
  "hole",
  "dust",
  "targetLtvBps",
  "fullLtvBps",
  "maxBaseBps",
  "maxCapBps",
] as const;
const REWARD_INPUT = ["tip", "chipBps", "tab", "debt", "initialPenalty", "rewardsPaid", "insurance"] as const;

const rewardOf = (a: string[]): RewardInput => named(a, REWARD_INPUT);

/** Each vector key (the Rust function name) and the TypeScript code that mirrors it. */
const KICK_MIRROR: Record<string, (a: string[]) => KickCase["expected"]> = {
  kick_size: (a) => {
    try {
      const s = kickSize({ ...named(a, KICK_INPUT), params: named(a, KICK_PARAMS, KICK_INPUT.length) });
      return {
        art: str(s.art),
        ink: str(s.ink),
        debt: str(s.debt),
        tab: str(s.tab),
        top: str(s.top),
        d_max_bps: str(s.dMaxBps),
      };
    } catch (e) {
      if (e instanceof KickSizeError) return e.reason;
      throw e;
    }
  },
  kick_reward: (a) => str(kickReward(rewardOf(a))),
  reset_reward: (a) => str(resetReward(rewardOf(a), u(a[7]), u(a[8]))),
  unearned_rewards: (a) =>
    str(
      unearnedRewards({
        rewardsPaid: u(a[0]),
        initialTab: u(a[1]),
        initialDebt: u(a[2]),
        tab: u(a[3]),
        debt: u(a[4]),
      }),
    ),
};

describe("07 kick math mirror: sdk/src/kick.ts sizes kicks and pays rewards exactly like the program", () => {
  it("the vector file covers exactly the mirrored functions, with a case where each cap binds", () => {
    const keys = vectorKeys(KICK_VECTORS);
    expect(keys).to.deep.equal(Object.keys(KICK_MIRROR).sort());
    const binds = new Set(keys.flatMap((k) => kickCases(k).map((c) => `${k}: ${c.binds}`)));
    for (const label of [
      "kick_size: hole (partial)",
      "kick_size: hole full",
      "kick_size: dust-whole (the rest would be dust)",
      "kick_size: dust-refuse (the auction would be dust)",
      "kick_size: partial (target LTV)",
      "kick_size: hole (of a partial kick)",
      "kick_reward: penalty still to raise",
      "kick_reward: cumulative per-auction cap",
      "kick_reward: insurance",
      "kick_reward: tip + chip",
      "unearned_rewards: unearned",
      "unearned_rewards: earned (penalty collected covers the rewards)",
    ])
      expect(binds.has(label), label).to.equal(true);
  });

  for (const [name, mirror] of Object.entries(KICK_MIRROR)) {
    it(`${name}: all ${kickCases(name).length} cases match the exact reference`, () => {
      expect(kickCases(name).length).to.be.greaterThan(250);
      const failures = mismatches(name, kickCases(name), mirror);
      expect(failures, failures.slice(0, 10).join("\n")).to.deep.equal([]);
    });
  }

  it("issue 15's loop: a 2 USDC penalty pays 2 at the kick and nothing at any reset after it", () => {
    const s = kickSize({
      ink: new BN(200_000_000),
      art: new BN(20_000_000),
      rate: new BN("1000000000000"),
      price: new BN("120000000000"),
      dirt: new BN(0),
      params: {
        liquidationLtvBps: new BN(8_000),
        chopBps: new BN(1_000),
        bufBps: new BN(12_000),
        hole: new BN("1000000000000"),
        dust: new BN(10_000_000),
        targetLtvBps: new BN(0),
        fullLtvBps: new BN(0),
        maxBaseBps: new BN(0),
        maxCapBps: new BN(0),
      },
    });
    expect([s.tab.toNumber(), s.debt.toNumber()]).to.deep.equal([22_000_000, 20_000_000]);
    const r: RewardInput = {
      tip: new BN(5_000_000),
      chipBps: new BN(10),
      tab: s.tab,
      debt: s.debt,
      initialPenalty: s.tab.sub(s.debt),
      rewardsPaid: new BN(0),
      insurance: new BN(1_000_000_000),
    };
    const kick = kickReward(r);
    expect(kick.toNumber()).to.equal(2_000_000);
    const reset = resetReward({ ...r, rewardsPaid: kick }, new BN(24_000_000), new BN(10_000_000));
    expect(reset.toNumber()).to.equal(0);
  });
});

/** The anchored price mode's golden vectors (`scripts/gen-anchored-vectors.py`). */
const anchoredVectors = loadVectors("anchored");

/** Each anchored vector key (the Rust function name) and the TypeScript code that mirrors it. */
const ANCHORED: Record<string, (a: string[]) => string> = {
  d_max_bps: (a) =>
    str(dMaxBps(named(a, ["ltvBps", "liquidationLtvBps", "maxBaseBps", "maxCapBps", "tab", "lotValue"]))),
  discount_bps: (a) => str(discountBps(u(a[0]), u(a[1]), u(a[2]), u(a[3]))),
  anchored_price: (a) => str(anchoredPrice(u(a[0]), u(a[1]))),
};

describe("07 anchored price mirror: sdk/src/anchored.ts bounds, discounts and prices exactly like the program", () => {
  it("the vector file covers exactly the mirrored functions", () => {
    expect(vectorKeys(anchoredVectors)).to.deep.equal(Object.keys(ANCHORED).sort());
  });

  for (const [name, mirror] of Object.entries(ANCHORED)) {
    const list = (anchoredVectors[name] ?? []) as Case[];
    it(`${name}: all ${list.length} cases match the exact reference`, () => {
      expect(list.length).to.be.greaterThan(300);
      const failures = mismatches(name, list, mirror, String);
      expect(failures, failures.slice(0, 10).join("\n")).to.deep.equal([]);
    });
  }

  it("takePrice: Maker auctions price from the curve, anchored ones from the oracle less the grown discount", () => {
    const params = {
      curve: STAIRSTEP,
      cuspBps: 4_500,
      tailSecs: new BN(7_200),
      anchorStartBps: 50,
      anchorRateBpsPerMin: 50,
    };
    const tic = new BN(1_700_000_000);
    const maker = { top: TOP, tic };
    expect(str(takePrice(params, maker, tic.addn(90)))).to.equal("178200000000");
    const anchored = { top: PRICE, tic, priceMode: PRICE_MODE_ANCHORED, dMaxBps: 634 };
    // 90 s in: 0.5 % + 0.75 % = 1.25 % off $150 = $148.125; the cap holds from 11 min 24 s on.
    expect(str(takePrice(params, anchored, tic.addn(90), PRICE))).to.equal("148125000000");
    expect(str(auctionDiscountBps(params, anchored, tic.addn(684)))).to.equal("620");
    expect(str(auctionDiscountBps(params, anchored, tic.addn(3_600)))).to.equal("634");
    // The price follows whatever oracle price the take presents.
    expect(str(takePrice(params, anchored, tic, new BN(120_000_000_000)))).to.equal("119400000000");
    expect(() => takePrice(params, anchored, tic)).to.throw(RangeError);
    // No cusp in anchored mode: only the tail.
    expect(needsReset(params, anchored, tic.addn(7_200))).to.equal(false);
    expect(needsReset(params, anchored, tic.addn(7_201))).to.equal(true);
  });
});

describe("07 partial kick mirror: sdk/src/partial.ts sizes kicks exactly like the program", () => {
  const list = loadVectors("partial").partial_kick as GoldenCase<string, Record<string, string>>[];
  /** The vector file's argument order (its `_format`). */
  const PARTIAL_INPUT = [
    "ink",
    "art",
    "rate",
    "price",
    "debt",
    "value",
    "targetLtvBps",
    "fullLtvBps",
    "chopBps",
    "discountBps",
    "dust",
  ] as const;

  it(`partial_kick: all ${list.length} cases match the exact reference`, () => {
    expect(list.length).to.be.greaterThan(400);
    const failures = mismatches("partial_kick", list, (a) => {
      const got = partialKick(named(a, PARTIAL_INPUT));
      return { art: str(got.art), ink: str(got.ink), debt: str(got.debt), tab: str(got.tab) };
    });
    expect(failures, failures.slice(0, 10).join("\n")).to.deep.equal([]);
    // Both outcomes are covered.
    expect(list.filter((c) => c.expected.art !== c.args[1]).length).to.be.greaterThan(100);
    expect(list.filter((c) => c.expected.art === c.args[1]).length).to.be.greaterThan(100);
  });
});

/**
 * Story: a client computes debts, prices and LP shares off chain and gets exactly what the program
 * will compute, to the base unit. `sdk/src/math.ts` mirrors `programs/gavel/src/math`; both run
 * the golden vectors of `tests/vectors/math.json` (exact-integer reference:
 * `scripts/gen-math-vectors.py`), including `null` wherever the program returns `None`.
 * Pure math: no chain needed.
 */
import BN from "bn.js";
import { expect } from "chai";
import {
  accrueRate,
  amountForShares,
  artFromDebtCeil,
  artFromDebtFloor,
  bpsOf,
  cancelShares,
  claimAmount,
  requestValueOf,
  compoundWad,
  debtFromArt,
  ltvBps,
  maxDebtFor,
  MAX_ACCRUAL_CHUNK_SECS,
  mulDivCeil,
  mulDivFloor,
  pow10,
  PRICE_SCALE,
  priceFromPyth,
  RATE_SCALE,
  sharesForDeposit,
  valueFloor,
  WAD,
  BPS,
} from "../sdk/src/math";
import { loadVectors, mismatches, vectorKeys } from "./helpers/vectors";

/** One golden case: u64 arguments are decimal strings, small integers are numbers. */
interface Case {
  args: (string | number)[];
  expected: string | null;
}

const vectors = loadVectors("math");

/** A u64 argument (must be a decimal string in the file). */
function u(arg: string | number): BN {
  if (typeof arg !== "string") throw new Error(`u64 argument ${arg} should be a string`);
  return new BN(arg, 10);
}

/** A small-integer argument (must be a JSON number in the file). */
function n(arg: string | number): number {
  if (typeof arg !== "number") throw new Error(`small argument ${arg} should be a number`);
  return arg;
}

/** Each vector key (the Rust function name) and the TypeScript function that mirrors it. */
const MIRROR: Record<string, (a: Case["args"]) => BN | null> = {
  mul_div_floor: (a) => mulDivFloor(u(a[0]), u(a[1]), u(a[2])),
  mul_div_ceil: (a) => mulDivCeil(u(a[0]), u(a[1]), u(a[2])),
  pow10: (a) => pow10(n(a[0])),
  compound_wad: (a) => compoundWad(u(a[0]), u(a[1])),
  accrue_rate: (a) => accrueRate(u(a[0]), u(a[1]), u(a[2])),
  debt_from_art: (a) => debtFromArt(u(a[0]), u(a[1])),
  art_from_debt_floor: (a) => artFromDebtFloor(u(a[0]), u(a[1])),
  art_from_debt_ceil: (a) => artFromDebtCeil(u(a[0]), u(a[1])),
  value_floor: (a) => valueFloor(u(a[0]), u(a[1])),
  ltv_bps: (a) => ltvBps(u(a[0]), u(a[1])),
  max_debt_for: (a) => maxDebtFor(u(a[0]), u(a[1])),
  shares_for_deposit: (a) => sharesForDeposit(u(a[0]), u(a[1]), u(a[2])),
  amount_for_shares: (a) => amountForShares(u(a[0]), u(a[1]), u(a[2])),
  bps_of: (a) => bpsOf(u(a[0]), u(a[1])),
  request_value_of: (a) => requestValueOf(u(a[0]), u(a[1]), u(a[2])),
  claim_amount: (a) => claimAmount(u(a[0]), u(a[1]), u(a[2]), u(a[3])),
  cancel_shares: (a) => cancelShares(u(a[0]), u(a[1]), u(a[2]), u(a[3])),
  price_from_pyth: (a) =>
    priceFromPyth({
      collPrice: u(a[0]),
      collExpo: n(a[1]),
      debtPrice: u(a[2]),
      debtExpo: n(a[3]),
      collDecimals: n(a[4]),
      debtDecimals: n(a[5]),
    }),
};

const show = (x: BN | null | string): string => (x === null ? "null" : x.toString());

/** Per-second rate (WAD) of 5 % APY, as in the vectors. */
const R_5_APY = new BN("1547125957");
const DAY = new BN(86_400);

describe("03 math mirror: sdk/src/math.ts agrees with the program on every golden vector", () => {
  it("the vector file covers exactly the mirrored functions", () => {
    expect(vectorKeys(vectors)).to.deep.equal(Object.keys(MIRROR).sort());
  });

  for (const [name, mirror] of Object.entries(MIRROR)) {
    const cases = (vectors[name] ?? []) as Case[];
    it(`${name}: all ${cases.length} cases match the exact reference`, () => {
      expect(cases.length).to.be.greaterThan(20);
      const failures = mismatches(name, cases, mirror, (x) => show(x as BN | null | string));
      expect(failures, failures.slice(0, 10).join("\n")).to.deep.equal([]);
    });
  }

  describe("readable examples", () => {
    it("SOL at $150 in USDC: one lamport is worth 0.15 USDC base units (price 150e9)", () => {
      const sol = { collPrice: new BN(15_000_000_000), collExpo: -8, collDecimals: 9, debtDecimals: 6 };
      const noDebtOracle = priceFromPyth({ ...sol, debtPrice: new BN(1), debtExpo: 0 });
      const usdcAtPar = priceFromPyth({ ...sol, debtPrice: new BN(100_000_000), debtExpo: -8 });
      expect(show(noDebtOracle)).to.equal("150000000000");
      expect(show(usdcAtPar)).to.equal("150000000000");
      // 2 SOL are worth 300 USDC; a 50 % LTV allows 150 USDC, and one base unit more is 5001 bps.
      const value = valueFloor(new BN(2_000_000_000), noDebtOracle!)!;
      expect(show(value)).to.equal("300000000");
      expect(show(maxDebtFor(value, new BN(5_000)))).to.equal("150000000");
      expect(show(ltvBps(new BN(150_000_001), value))).to.equal("5001");
    });

    it("borrowing rounds art up and repaying rounds it down, so debt is never under-counted", () => {
      const rate = new BN("1050000000000"); // index 1.05
      const art = artFromDebtCeil(new BN(100_000_000), rate)!;
      expect(show(art)).to.equal("95238096");
      expect(show(artFromDebtFloor(new BN(100_000_000), rate))).to.equal("95238095");
      expect(debtFromArt(art, rate)!.gte(new BN(100_000_000))).to.equal(true);
    });

    it("5 % APY compounds per second to just under 1.05 a year; 0 s changes nothing", () => {
      expect(show(compoundWad(R_5_APY, new BN(0)))).to.equal(WAD.toString());
      expect(show(accrueRate(RATE_SCALE, R_5_APY, new BN(0)))).to.equal(RATE_SCALE.toString());
      const day = accrueRate(RATE_SCALE, R_5_APY, DAY)!;
      const year = accrueRate(RATE_SCALE, R_5_APY, MAX_ACCRUAL_CHUNK_SECS)!;
      expect(day.gt(RATE_SCALE) && year.gt(day)).to.equal(true);
      expect(show(year)).to.equal("1049999999957");
    });

    it("a zero price, a zero result and an overflow are all refused (null)", () => {
      const pair = { collExpo: -8, debtPrice: new BN(1), debtExpo: 0, collDecimals: 9, debtDecimals: 6 };
      expect(priceFromPyth({ ...pair, collPrice: new BN(0) })).to.equal(null);
      expect(priceFromPyth({ ...pair, collPrice: new BN(1), collExpo: -40 })).to.equal(null);
      expect(mulDivFloor(new BN(2).pow(new BN(63)), new BN(2), new BN(1))).to.equal(null);
      expect(sharesForDeposit(new BN(1), new BN(0), new BN(5))).to.equal(null);
    });

    it("constants match the program", () => {
      expect([BPS, WAD, RATE_SCALE, PRICE_SCALE].map(show)).to.deep.equal([
        "10000",
        "1000000000000000000",
        "1000000000000",
        "1000000000000",
      ]);
      expect(MAX_ACCRUAL_CHUNK_SECS.toNumber()).to.equal(365 * 86_400);
    });

    it("arguments outside u64 are programming errors and throw", () => {
      expect(() => mulDivFloor(new BN(-1), new BN(1), new BN(1))).to.throw(RangeError);
      expect(() => bpsOf(new BN(2).pow(new BN(64)), new BN(1))).to.throw(RangeError);
      expect(() => pow10(1.5)).to.throw(RangeError);
    });
  });
});

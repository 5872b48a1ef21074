/**
 * The demo's summary and options (the demo itself runs in the test command as the README gives it,
 * `./scripts/demo.sh` at its default size; scripts/test.sh counts it as one test).
 */
import { expect } from "chai";
import { demoOptions, formatTable, quantile } from "../app/demo/scenario";

describe("17 demo summary and options", () => {
  it("quantiles are nearest-rank: median, p95 and worst of the clearing discounts", () => {
    const xs = Array.from({ length: 20 }, (_, i) => (i + 1) / 100); // 0.01 .. 0.20
    expect(quantile(xs, 0.5)).to.equal(0.1);
    expect(quantile(xs, 0.95)).to.equal(0.19);
    expect(quantile(xs, 1)).to.equal(0.2);
    expect(quantile([0.03], 0.95)).to.equal(0.03);
    expect(quantile([], 0.5)).to.equal(undefined);
  });

  it("tables align: numbers right, text left, no index column, no quotes", () => {
    const out = formatTable(
      ["bidder", "margin (bps)", "profit (USDC)"],
      [
        ["aggressive", "100", "1,234.50"],
        ["cautious", "600", "-3.25"],
      ],
    ).split("\n");
    expect(out).to.deep.equal([
      "bidder      margin (bps)  profit (USDC)",
      "──────────  ────────────  ─────────────",
      "aggressive           100       1,234.50",
      "cautious             600          -3.25",
    ]);
    expect(out.join("\n")).not.to.match(/["']|\(index\)/);
  });

  it("options: defaults are the README's (50 borrowers), flags override, bad input is one line", () => {
    expect(demoOptions([])).to.include({ borrowers: 50, seed: 7, crash: 0.3, steps: 10, engine: "v2" });
    expect(demoOptions(["--engine", "maker"])).to.include({ engine: "maker", borrowers: 50 });
    expect(() => demoOptions(["--engine", "v3"])).to.throw(/--engine is v2 or maker/);
    expect(demoOptions(["--borrowers", "12", "--seed", "3"])).to.include({ borrowers: 12, seed: 3 });
    expect(() => demoOptions(["--nope", "1"])).to.throw(/unknown option --nope/);
    expect(() => demoOptions(["--crash", "1.5"])).to.throw(/--crash is a fraction below 1/);
    // Malformed values, missing values and inherited names are refused, not read as 0 or ignored.
    expect(() => demoOptions(["--borrowers", "10.5"])).to.throw(
      /--borrowers needs a whole number, got "10.5"/,
    );
    expect(() => demoOptions(["--seed", "1.5"])).to.throw(/--seed needs a whole number/);
    expect(() => demoOptions(["--borrowers", ""])).to.throw(
      /--borrowers needs a non-negative number, got ""/,
    );
    expect(() => demoOptions(["--borrowers", "--seed", "3"])).to.throw(/--borrowers needs a value/);
    expect(() => demoOptions(["--seed"])).to.throw(/--seed needs a value/);
    expect(() => demoOptions(["--toString", "3"])).to.throw(/unknown option --toString/);
    expect(() => demoOptions(["50"])).to.throw(/unexpected argument 50/);
    expect(() => demoOptions(["--borrowers", "0"])).to.throw(/--borrowers needs at least 1/);
    expect(() => demoOptions(["--steps", "0"])).to.throw(/--steps needs at least 1/);
    expect(demoOptions(["--crash", "0.5", "--steps", "20"])).to.include({ crash: 0.5, steps: 20 });
  });
});

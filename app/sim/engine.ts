/**
 * The simulator's engine: a LendingWorld (LiteSVM + the real gavel.so) driven along a price path
 * by a keeper (kicks, resets) and in-process bidders using the SDK's exact auction math, with a
 * price-impact feedback loop and an off-chain fixed-bonus baseline on the same path, liquidated by the
 * same bidder population under the same frictions.
 */
import BN from "bn.js";
import { Keypair, PublicKey } from "@solana/web3.js";
import {
  auctionPda,
  auctionPrice,
  borrowIx,
  debtFromArt,
  decodeAuction,
  depositCollateralIx,
  depositLiquidityIx,
  fundInsuranceIx,
  kickIx,
  MarketParams,
  needsReset,
  openPositionIx,
  PRICE_SCALE,
  resetAuctionIx,
  takeIx,
  takeQuote,
  TakeQuote,
} from "../../sdk/src";
import { defaultParams, LendingWorld } from "../../tests/helpers/lending";
import { blackThursdayPath, GBM_DEFAULTS, gbmPath, PathPoint, quantile, rng } from "./paths";

const SOL = (n: number): BN => new BN(Math.round(n * 1e9));
const USDC = (n: number): BN => new BN(Math.round(n * 1e6));
const num = (b: BN, scale: number): number => Number(b.toString()) / scale;
/** PRICE_SCALE price (USDC base per SOL base × 1e12) → USD per SOL. */
const usdOf = (p: BN): number => num(p, 1e9);

export type Scenario = "gbm" | "blackthursday";
export type Stress = "default" | "harsh";

export interface SimConfig {
  scenario: Scenario;
  /** The calibration preset the other fields started from. */
  stress: Stress;
  seed: number;
  borrowers: number;
  bidders: number;
  stepSecs: number;
  /** Simulated hours of the path (then `drainSecs` at the last exogenous price). */
  hours: number;
  drainSecs: number;
  startUsd: number;
  /** Market depth in USD for the price-impact model: impact = sold value / depth. */
  depthUsd: number;
  /** Half-life (s) of the price impact's recovery. */
  impactHalfLifeSecs: number;
  /** USDC each bidder starts with (each baseline liquidator too: they are the same bidders). */
  bidderCapitalUsd: number;
  /** Delay (s) before a bidder's sale proceeds are USDC it can bid with again (0: at once). */
  recycleSecs: number;
  /** Base latency (s) of bidder i: latencySecs × (i + 1). */
  latencySecs: number;
  /** Margin of bidder i: marginBps + i × marginStepBps. */
  marginBps: number;
  marginStepBps: number;
  /** Share of steps a bidder is offline when calm; congestion adds `congestionOffline`. */
  offlineShare: number;
  congestionOffline: number;
  /** Extra latency (s) at full congestion. */
  congestionLatencySecs: number;
  txFeeUsd: number;
  priorityFeeUsd: number;
  /** Extra priority fee (USD per take) at full congestion. */
  congestionPriorityFeeUsd: number;
  /** Cost of selling collateral on top of the seller's own price impact (value / (2 × depth)). */
  slippageBps: number;
  /** Market parameter overrides (buf, chop, curve…). */
  params: Partial<MarketParams>;
  /** Check vault accounting after every step (throws on a mismatch). */
  checkInvariants: boolean;
  /** Progress lines every this many simulated seconds (0: none). */
  progressSecs: number;
  log: (line: string) => void;
}

/**
 * The harsh calibration: capital per bidder about one average position's debt (so auctions need
 * several takes by several bidders) and tied up while the collateral is sold, a market ten times
 * thinner with slower recovery (so liquidations' own selling moves the oracle), most bidders gone at
 * the peak of congestion, slower bidders, and costs that rise with congestion.
 */
export const HARSH: Partial<SimConfig> & { stress: "harsh" } = {
  stress: "harsh",
  depthUsd: 2_000_000,
  impactHalfLifeSecs: 3600,
  bidderCapitalUsd: 10_000,
  recycleSecs: 900,
  latencySecs: 10,
  offlineShare: 0.1,
  congestionOffline: 0.6,
  congestionLatencySecs: 300,
  priorityFeeUsd: 0.05,
  congestionPriorityFeeUsd: 2,
  slippageBps: 100,
};

export function defaultConfig(scenario: Scenario = "blackthursday", stress: Stress = "default"): SimConfig {
  const base: SimConfig = {
    scenario,
    stress,
    seed: 1,
    borrowers: 30,
    bidders: 3,
    stepSecs: 60,
    hours: scenario === "gbm" ? 6 : 24,
    drainSecs: 3 * 3600,
    startUsd: 150,
    depthUsd: 20_000_000,
    impactHalfLifeSecs: 1800,
    bidderCapitalUsd: 250_000,
    recycleSecs: 0,
    latencySecs: 5,
    marginBps: 100,
    marginStepBps: 100,
    offlineShare: 0.05,
    congestionOffline: 0.4,
    congestionLatencySecs: 120,
    txFeeUsd: 0.001,
    priorityFeeUsd: 0.05,
    congestionPriorityFeeUsd: 0,
    slippageBps: 30,
    params: {},
    checkInvariants: true,
    progressSecs: 3600,
    log: () => {},
  };
  return stress === "harsh" ? { ...base, ...HARSH } : base;
}

export interface TakeRecord {
  auctionId: number;
  t: number;
  bidder: number;
  priceUsd: number;
  oracleUsd: number;
  discount: number;
  collateral: number;
  owe: number;
  netProfitUsd: number;
}

export interface AuctionRecord {
  id: number;
  kickT: number;
  settleT: number | null;
  duration: number | null;
  debt: number;
  tab: number;
  lot: number;
  raised: number;
  badDebt: number;
  resets: number;
  takes: number;
  /** Distinct bidders that took from it. */
  takers: number;
  clearingPrices: number[];
  /** Collateral-weighted discount of its takes vs the oracle at each take. */
  discount: number | null;
}

export interface Summary {
  auctions: number;
  settled: number;
  /** Mean takes and mean distinct takers per auction, and the share of auctions with > 1 take. */
  takesPerAuction: number;
  takersPerAuction: number;
  multiTakeShare: number;
  /**
   * Loss not yet realized when the run stops: remaining tab minus lot value of auctions still open,
   * plus debt minus collateral value of positions never kicked, at the last oracle price.
   */
  shortfallAtEnd: number;
  liquidatedDebt: number;
  badDebt: number;
  badDebtRatio: number;
  discountMedian: number;
  discountP95: number;
  durationMedianSecs: number;
  keeperRewards: number;
  lpLoss: number;
  insuranceUsed: number;
  bidderNetProfit: number;
  minPriceUsd: number;
  invariantChecks: number;
}

export interface BaselineSummary {
  liquidations: number;
  liquidatedDebt: number;
  /** Realized bad debt (positions seized to zero collateral) plus `shortfallAtEnd`. */
  badDebt: number;
  badDebtRatio: number;
  /** Positions still liquidatable when the run ends, and their debt. */
  leftUnliquidated: number;
  unsafeDebtAtEnd: number;
  /** Debt minus collateral value (at the last oracle) of positions left underwater at the end. */
  shortfallAtEnd: number;
  /** Liquidator's price discount vs oracle: 1 − 1/1.05. */
  discount: number;
  bonusPaid: number;
  /** Liquidators' sale proceeds (after slippage, own impact, fees) minus repayments. */
  liquidatorNetProfit: number;
  /** Bidder-position chances (online, after latency, position unsafe) refused for want of USDC. */
  capitalSkips: number;
  /** … refused by the margin or cost check. */
  costSkips: number;
  /** Seconds from a position becoming unsafe to each liquidation of it (median, max). */
  waitMedianSecs: number;
  waitMaxSecs: number;
  /** Highest debt / collateral value any position reached at a step's oracle (1: insolvent). */
  maxLtv: number;
}

export interface RunResult {
  config: Omit<SimConfig, "log">;
  summary: Summary;
  baseline: BaselineSummary;
  auctions: AuctionRecord[];
  takes: TakeRecord[];
  path: { t: number; exo: number; oracle: number; congestion: number }[];
}

export function makePath(c: SimConfig): PathPoint[] {
  return c.scenario === "gbm"
    ? gbmPath({ ...GBM_DEFAULTS, start: c.startUsd, hours: c.hours, stepSecs: c.stepSecs }, c.seed)
    : blackThursdayPath(c.startUsd, c.stepSecs, c.seed, c.hours);
}

interface BookEntry {
  kp: Keypair;
  sol: number;
  usdc: number;
}

/** Seeded borrower book: collateral 10..200 SOL, LTV 55..69% at the start price. */
export function makeBook(c: SimConfig): { sol: number; usdc: number }[] {
  const r = rng(c.seed ^ 0x9e3779b9);
  return Array.from({ length: c.borrowers }, () => {
    const sol = Math.round(10 + r() * 190);
    const ltv = 0.55 + r() * 0.14;
    return { sol, usdc: Math.floor(sol * c.startUsd * ltv) };
  });
}

class SimWorld extends LendingWorld {
  lp!: Keypair;
  kicker!: Keypair;

  setup(params: MarketParams, liquidity: BN, insurance: BN, usd: number): void {
    this.createMarket(params, usd);
    this.lp = this.actor();
    this.fundDebt(this.lp.publicKey, liquidity.add(insurance));
    const lpAcc = {
      ...this.ref,
      lp: this.lp.publicKey,
      lpDebtAccount: this.ata(this.ref.debtMint, this.lp.publicKey),
    };
    this.mustSend(
      [
        depositLiquidityIx(
          { ...lpAcc, lpShareAccount: this.ata(this.addrs.shareMint, this.lp.publicKey) },
          liquidity,
        ),
        fundInsuranceIx(
          { ...this.ref, funder: this.lp.publicKey, funderDebtAccount: lpAcc.lpDebtAccount },
          insurance,
        ),
      ],
      [this.lp],
    );
    this.kicker = this.actor();
  }

  borrower(sol: number, usdc: number): Keypair {
    const b = this.actor();
    this.fundCollateral(b.publicKey, SOL(sol));
    this.mustSend(
      [
        openPositionIx({ ...this.ref, owner: b.publicKey }),
        depositCollateralIx(
          {
            ...this.ref,
            depositor: b.publicKey,
            owner: b.publicKey,
            source: this.ata(this.ref.collateralMint, b.publicKey),
          },
          SOL(sol),
        ),
        borrowIx(
          {
            ...this.ref,
            owner: b.publicKey,
            destination: this.ata(this.ref.debtMint, b.publicKey),
            oracles: [this.oracle],
          },
          USDC(usdc),
        ),
      ],
      [b],
    );
    return b;
  }
}

/** Runs one simulation on `path` (default: the config's scenario path). */
export function runSim(c: SimConfig, path: PathPoint[] = makePath(c)): RunResult {
  const r = rng(c.seed * 7919 + 17);
  const params: MarketParams = { ...defaultParams(PublicKey.default), ...c.params };
  const w = new SimWorld();
  params.collateralOracle = w.oracle;
  const book = makeBook(c);
  const totalBorrow = book.reduce((s, b) => s + b.usdc, 0);
  w.setup(params, USDC(totalBorrow * 1.5 + 100_000), USDC(Math.max(10_000, totalBorrow * 0.01)), c.startUsd);
  const borrowers: BookEntry[] = book.map((b) => ({ ...b, kp: w.borrower(b.sol, b.usdc) }));
  const bidders = Array.from({ length: c.bidders }, (_, i) => {
    const kp = w.actor();
    w.fundDebt(kp.publicKey, USDC(c.bidderCapitalUsd));
    return {
      kp,
      latency: c.latencySecs * (i + 1),
      margin: (c.marginBps + i * c.marginStepBps) / 10_000,
      /** Sale proceeds not yet back as USDC: [due time, amount]. */
      pending: [] as [number, number][],
    };
  });

  const auctions = new Map<
    number,
    AuctionRecord & { addr: PublicKey; weighted: number; coll: number; takerSet: Set<number> }
  >();
  const takes: TakeRecord[] = [];
  const outPath: RunResult["path"] = [];
  const oracleHist: number[] = [];
  /** Who was online in which order at each step, for the baseline. */
  const schedule: BidderStep[] = [];
  let impact = 1;
  let keeperRewards = 0;
  let lpLoss = 0;
  let insuranceUsed = 0;
  let invariantChecks = 0;
  let minPrice = Infinity;
  let lastOracle = c.startUsd;
  const drainSteps = Math.ceil(c.drainSecs / c.stepSecs);
  const steps = path.length + drainSteps;
  const decay = Math.pow(0.5, c.stepSecs / c.impactHalfLifeSecs);

  const onEvents = (events: { name: string; data: Record<string, BN> }[], t: number): void => {
    for (const e of events) {
      if (e.name === "auctionStarted" || e.name === "auctionReset") keeperRewards += num(e.data.reward, 1e6);
      if (e.name === "auctionReset") {
        const a = auctions.get(e.data.id.toNumber());
        if (a) a.resets++;
      }
      if (e.name === "auctionSettled") {
        const a = auctions.get(e.data.id.toNumber());
        if (a) {
          a.settleT = t;
          a.duration = t - a.kickT;
          a.badDebt = num(e.data.badDebt, 1e6);
        }
      }
      if (e.name === "badDebt") {
        lpLoss += num(e.data.socialized, 1e6);
        insuranceUsed += num(e.data.coveredByInsurance, 1e6);
      }
    }
  };

  for (let i = 0; i < steps; i++) {
    const pt = path[Math.min(i, path.length - 1)];
    const t = i * c.stepSecs;
    const congestion = i < path.length ? pt.congestion : 0;
    if (i > 0) w.warp(c.stepSecs);
    impact = 1 - (1 - impact) * decay;
    const oracle = pt.usd * impact;
    minPrice = Math.min(minPrice, oracle);
    lastOracle = oracle;
    w.setPrice(oracle);
    oracleHist.push(oracle);
    outPath.push({ t, exo: pt.usd, oracle, congestion });
    const m = w.market();
    const nowBN = new BN(w.now.toString());

    // Keeper: kick every unsafe position (at the oracle price), then reset what needs it.
    const priceBN = new BN(Math.round(oracle * 1e9));
    for (const b of borrowers) {
      const pos = w.position(b.kp.publicKey);
      if (!pos || pos.ink.isZero() || pos.art.isZero()) continue;
      const debt = debtFromArt(pos.art, m.rate)!;
      const value = pos.ink.mul(priceBN).div(PRICE_SCALE);
      if (debt.muln(10_000).lte(value.muln(m.params.liquidationLtvBps))) continue;
      const id = w.market().auctionCount;
      const [addr] = auctionPda(w.addrs.market, id);
      const res = w.chain.send(
        [
          kickIx({
            ...w.ref,
            kicker: w.kicker.publicKey,
            owner: b.kp.publicKey,
            auctionId: id,
            kickerDebtAccount: w.ata(w.ref.debtMint, w.kicker.publicKey),
            oracles: [w.oracle],
          }),
        ],
        [w.kicker],
      );
      if (!res.ok) continue;
      const ev = res.events.find((e) => e.name === "auctionStarted")!;
      auctions.set(id.toNumber(), {
        addr,
        id: id.toNumber(),
        kickT: t,
        settleT: null,
        duration: null,
        debt: num(ev.data.debt, 1e6),
        tab: num(ev.data.tab, 1e6),
        lot: num(ev.data.lot, 1e9),
        raised: 0,
        badDebt: 0,
        resets: 0,
        takes: 0,
        takers: 0,
        clearingPrices: [],
        discount: null,
        weighted: 0,
        coll: 0,
        takerSet: new Set(),
      });
      onEvents(res.events, t);
    }
    const live = [...auctions.values()].filter((a) => a.settleT === null);
    for (const a of live) {
      const acc = decodeAuction(w.chain.data(a.addr)!);
      if (needsReset(m.params, acc, nowBN)) {
        const res = w.chain.send(
          [
            resetAuctionIx({
              ...w.ref,
              caller: w.kicker.publicKey,
              auction: a.addr,
              callerDebtAccount: w.ata(w.ref.debtMint, w.kicker.publicKey),
              oracles: [w.oracle],
            }),
          ],
          [w.kicker],
        );
        if (res.ok) onEvents(res.events, t);
      }
    }

    // Bidders, in a seeded random order each step.
    const order = bidders.map((_, k) => k).sort(() => r() - 0.5);
    const online = bidders.map(() => false);
    schedule.push({ order, online });
    const fee = c.txFeeUsd + c.priorityFeeUsd + congestion * c.congestionPriorityFeeUsd;
    /** USD a sale of `coll` collateral at `px` brings after slippage, own impact and the fee. */
    const saleUsd = (coll: number, px: number): number =>
      coll * px * (1 - c.slippageBps / 10_000 - (coll * px) / (2 * c.depthUsd)) - fee;
    for (const k of order) {
      const bd = bidders[k];
      const due = bd.pending.filter(([at]) => at <= t);
      bd.pending = bd.pending.filter(([at]) => at > t);
      for (const [, usd] of due) w.fundDebt(bd.kp.publicKey, USDC(usd));
      if (r() < c.offlineShare + congestion * c.congestionOffline) continue;
      online[k] = true;
      const latency = bd.latency + congestion * c.congestionLatencySecs;
      const seen = oracleHist[Math.max(0, oracleHist.length - 1 - Math.round(latency / c.stepSecs))];
      for (const a of [...auctions.values()].filter((x) => x.settleT === null)) {
        const data = w.chain.data(a.addr);
        if (!data || data.length === 0) continue;
        const acc = decodeAuction(data);
        if (Number(nowBN.sub(acc.tic).toString()) < latency) continue;
        if (needsReset(m.params, acc, nowBN)) continue;
        const price = auctionPrice(m.params.curve, acc.top, nowBN.sub(acc.tic));
        if (usdOf(price) > seen * (1 - bd.margin)) continue;
        const debtAcc = w.ata(w.ref.debtMint, bd.kp.publicKey);
        const inv = w.balance(debtAcc);
        let maxColl = inv.mul(PRICE_SCALE).div(price).subn(1);
        if (maxColl.lten(0)) continue;
        let q: TakeQuote;
        try {
          q = takeQuote(acc, maxColl, price, m.params.dust);
        } catch {
          maxColl = acc.lot; // a partial take would leave dust: try to take it all
          try {
            q = takeQuote(acc, maxColl, price, m.params.dust);
            if (q.owe.gt(inv)) continue;
          } catch {
            continue;
          }
        }
        // Costs: skip a take whose expected sale (at the price the bidder sees) does not cover it.
        if (saleUsd(num(q.collateral, 1e9), seen) <= num(q.owe, 1e6)) continue;
        const res = w.chain.send(
          [
            takeIx(
              {
                ...w.ref,
                auction: a.addr,
                position: acc.position,
                kicker: acc.kicker,
                taker: bd.kp.publicKey,
                collateralDestination: w.ata(w.ref.collateralMint, bd.kp.publicKey),
                debtSource: debtAcc,
              },
              { maxCollateral: maxColl, maxPrice: price },
            ),
          ],
          [bd.kp],
        );
        if (!res.ok) continue;
        const ev = res.events.find((e) => e.name === "auctionTaken")!;
        const coll = num(ev.data.collateral, 1e9);
        const owe = num(ev.data.owe, 1e6);
        const px = usdOf(ev.data.price);
        const proceeds = Math.max(0, saleUsd(coll, oracle));
        const net = proceeds - owe;
        // Sell the collateral into the market: the price moves, proceeds return as USDC (later).
        if (c.recycleSecs === 0) w.fundDebt(bd.kp.publicKey, USDC(proceeds));
        else bd.pending.push([t + c.recycleSecs, proceeds]);
        impact *= 1 - Math.min(0.5, (coll * oracle) / c.depthUsd);
        const disc = 1 - px / oracle;
        takes.push({
          auctionId: a.id,
          t,
          bidder: k,
          priceUsd: px,
          oracleUsd: oracle,
          discount: disc,
          collateral: coll,
          owe,
          netProfitUsd: net,
        });
        a.takes++;
        a.takerSet.add(k);
        a.raised += owe;
        a.clearingPrices.push(px);
        a.weighted += disc * coll;
        a.coll += coll;
        onEvents(res.events, t);
      }
    }
    if (c.checkInvariants) {
      w.assertVaultsMatchAccounting();
      invariantChecks++;
    }
    if (c.progressSecs > 0 && t % c.progressSecs < c.stepSecs) {
      const liveN = [...auctions.values()].filter((a) => a.settleT === null).length;
      c.log(
        `t=${(t / 3600).toFixed(2)}h oracle=$${oracle.toFixed(2)} auctions=${auctions.size} live=${liveN} takes=${takes.length}`,
      );
    }
    if (i >= path.length && [...auctions.values()].every((a) => a.settleT !== null)) break;
  }

  let shortfallAtEnd = 0;
  for (const a of auctions.values()) {
    const data = a.settleT === null ? w.chain.data(a.addr) : null;
    if (!data || data.length === 0) continue;
    const acc = decodeAuction(data);
    shortfallAtEnd += Math.max(0, num(acc.tab, 1e6) - num(acc.lot, 1e9) * lastOracle);
  }
  const rate = w.market().rate;
  for (const b of borrowers) {
    const pos = w.position(b.kp.publicKey);
    if (!pos || pos.art.isZero()) continue;
    const debt = num(debtFromArt(pos.art, rate)!, 1e6);
    shortfallAtEnd += Math.max(0, debt - num(pos.ink, 1e9) * lastOracle);
  }
  const recs: AuctionRecord[] = [...auctions.values()].map((a) => ({
    id: a.id,
    kickT: a.kickT,
    settleT: a.settleT,
    duration: a.duration,
    debt: a.debt,
    tab: a.tab,
    lot: a.lot,
    raised: a.raised,
    badDebt: a.badDebt,
    resets: a.resets,
    takes: a.takes,
    takers: a.takerSet.size,
    clearingPrices: a.clearingPrices,
    discount: a.coll > 0 ? a.weighted / a.coll : null,
  }));
  const liquidated = recs.reduce((s, a) => s + a.debt, 0);
  const bad = recs.reduce((s, a) => s + a.badDebt, 0);
  const discs = recs.filter((a) => a.discount !== null).map((a) => a.discount as number);
  const durs = recs.filter((a) => a.duration !== null).map((a) => a.duration as number);
  const mean = (xs: number[]): number => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
  const summary: Summary = {
    auctions: recs.length,
    settled: durs.length,
    takesPerAuction: mean(recs.map((a) => a.takes)),
    takersPerAuction: mean(recs.map((a) => a.takers)),
    multiTakeShare: mean(recs.map((a) => (a.takes > 1 ? 1 : 0))),
    shortfallAtEnd: round(shortfallAtEnd),
    liquidatedDebt: round(liquidated),
    badDebt: round(bad),
    badDebtRatio: liquidated > 0 ? bad / liquidated : 0,
    discountMedian: quantile(discs, 0.5),
    discountP95: quantile(discs, 0.95),
    durationMedianSecs: quantile(durs, 0.5),
    keeperRewards: round(keeperRewards),
    lpLoss: round(lpLoss),
    insuranceUsed: round(insuranceUsed),
    bidderNetProfit: round(takes.reduce((s, x) => s + x.netProfitUsd, 0)),
    minPriceUsd: minPrice,
    invariantChecks,
  };
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { log, ...config } = c;
  return {
    config,
    summary,
    baseline: baseline(c, path, book, params, schedule),
    auctions: recs,
    takes,
    path: outPath,
  };
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/** One step of the bidder population: the order they act in and who is online (from runSim). */
export interface BidderStep {
  order: number[];
  online: boolean[];
}

/**
 * Fixed-bonus baseline (Compound/Aave style): an off-chain model of the same borrower book on the
 * same exogenous path, with its own market (the same impact model fed by its own sales, since it is
 * the counterfactual where this protocol liquidates instead of Gavel). A position is unsafe when
 * debt > collateral × oracle × liquidation LTV; a liquidation repays up to 50% of its debt (all of
 * it under 20 USDC) and hands the liquidator collateral worth repay × 1.05 at the current oracle.
 *
 * It is done by the same bidder population as Gavel's, facing the same frictions and the same
 * decision: each bidder i has its own `bidderCapitalUsd`, proceeds back after `recycleSecs`, the
 * same latency (latency × (i + 1) + congestion extra; it acts on a position only once it has been
 * unsafe that long, like a Gavel bidder on an auction once it has been live that long, and judges
 * by the oracle that long ago), the same margin (the price it pays per unit of collateral, oracle /
 * 1.05, must be at most seen × (1 − margin_i)) and the same cost check (the sale at the seen price,
 * net of slippage, own impact and the step's fees, must exceed the repayment). Offline bidders and
 * the order of bidders come from `schedule` (runSim's own draws, so the same bidders are offline in
 * the same steps as in the Gavel run) and, past it, from a seeded draw with the same offline model.
 * It runs over the path and the same drain at the last exogenous price as the Gavel run.
 */
export function baseline(
  c: SimConfig,
  path: PathPoint[],
  book: { sol: number; usdc: number }[],
  params: MarketParams,
  schedule: BidderStep[] = [],
): BaselineSummary {
  const r = rng(c.seed * 31 + 5);
  const pos = book.map((b) => ({ coll: b.sol, debt: b.usdc, unsafeSince: null as number | null }));
  const liqLtv = params.liquidationLtvBps / 10_000;
  const decay = Math.pow(0.5, c.stepSecs / c.impactHalfLifeSecs);
  const bidders = Array.from({ length: c.bidders }, (_, i) => ({
    cash: c.bidderCapitalUsd,
    latency: c.latencySecs * (i + 1),
    margin: (c.marginBps + i * c.marginStepBps) / 10_000,
    pending: [] as [number, number][],
  }));
  const unsafe = (p: { coll: number; debt: number }, px: number): boolean =>
    p.debt > 0 && p.coll > 0 && p.debt > p.coll * px * liqLtv;
  const steps = path.length + Math.ceil(c.drainSecs / c.stepSecs);
  const hist: number[] = [];
  let impact = 1;
  let liquidated = 0;
  let bonus = 0;
  let profit = 0;
  let n = 0;
  let bad = 0;
  let capitalSkips = 0;
  let costSkips = 0;
  let maxLtv = 0;
  const waits: number[] = [];
  let price = c.startUsd;
  for (let i = 0; i < steps; i++) {
    const pt = path[Math.min(i, path.length - 1)];
    const t = i * c.stepSecs;
    const congestion = i < path.length ? pt.congestion : 0;
    impact = 1 - (1 - impact) * decay;
    price = pt.usd * impact;
    hist.push(price);
    for (const p of pos) {
      p.unsafeSince = unsafe(p, price) ? (p.unsafeSince ?? t) : null;
      if (p.debt > 0 && p.coll > 0) maxLtv = Math.max(maxLtv, p.debt / (p.coll * price));
    }
    const fee = c.txFeeUsd + c.priorityFeeUsd + congestion * c.congestionPriorityFeeUsd;
    const saleUsd = (coll: number, px: number): number =>
      coll * px * (1 - c.slippageBps / 10_000 - (coll * px) / (2 * c.depthUsd)) - fee;
    const drawn = i < schedule.length ? schedule[i] : null;
    const order = drawn ? drawn.order : bidders.map((_, k) => k).sort(() => r() - 0.5);
    for (const k of order) {
      const bd = bidders[k];
      for (const [, usd] of bd.pending.filter(([at]) => at <= t)) bd.cash += usd;
      bd.pending = bd.pending.filter(([at]) => at > t);
      const online = drawn ? drawn.online[k] : r() >= c.offlineShare + congestion * c.congestionOffline;
      if (!online) continue;
      const latency = bd.latency + congestion * c.congestionLatencySecs;
      const seen = hist[Math.max(0, hist.length - 1 - Math.round(latency / c.stepSecs))];
      for (const p of pos) {
        if (p.unsafeSince === null || t - p.unsafeSince < latency || !unsafe(p, price)) continue;
        if (bd.cash < 1) {
          capitalSkips++;
          continue;
        }
        let repay = Math.min(bd.cash, p.debt > 20 ? p.debt * 0.5 : p.debt);
        let seize = (repay * 1.05) / price;
        if (seize > p.coll) {
          seize = p.coll;
          repay = (p.coll * price) / 1.05;
        }
        // The Gavel bidders' decision: margin under the price seen, and the sale must cover the cost.
        if (price / 1.05 > seen * (1 - bd.margin) || saleUsd(seize, seen) <= repay) {
          costSkips++;
          continue;
        }
        const proceeds = Math.max(0, saleUsd(seize, price));
        bd.cash -= repay;
        if (c.recycleSecs === 0) bd.cash += proceeds;
        else bd.pending.push([t + c.recycleSecs, proceeds]);
        p.debt -= repay;
        p.coll -= seize;
        liquidated += repay;
        bonus += seize * price - repay;
        profit += proceeds - repay;
        n++;
        waits.push(t - p.unsafeSince);
        impact *= 1 - Math.min(0.5, (seize * price) / c.depthUsd);
        if (p.coll <= 1e-9 && p.debt > 0) {
          bad += p.debt;
          p.debt = 0;
        }
        if (!unsafe(p, price)) p.unsafeSince = null;
      }
    }
  }
  let left = 0;
  let unsafeDebt = 0;
  let shortfall = 0;
  for (const p of pos) {
    if (p.debt > p.coll * price) shortfall += p.debt - p.coll * price;
    if (unsafe(p, price)) {
      left++;
      unsafeDebt += p.debt;
    }
  }
  return {
    liquidations: n,
    leftUnliquidated: left,
    unsafeDebtAtEnd: round(unsafeDebt),
    shortfallAtEnd: round(shortfall),
    liquidatedDebt: round(liquidated),
    badDebt: round(bad + shortfall),
    badDebtRatio: liquidated > 0 ? (bad + shortfall) / liquidated : 0,
    discount: 1 - 1 / 1.05,
    bonusPaid: round(bonus),
    liquidatorNetProfit: round(profit),
    capitalSkips,
    costSkips,
    waitMedianSecs: quantile(waits, 0.5),
    waitMaxSecs: waits.length ? Math.max(...waits) : 0,
    maxLtv,
  };
}

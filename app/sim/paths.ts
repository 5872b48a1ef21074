/**
 * Seeded randomness and exogenous price paths (JS numbers: off-chain model only).
 */

/** mulberry32: a small, seeded, deterministic PRNG returning floats in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draw (Box–Muller). */
export function normal(r: () => number): number {
  const u = Math.max(r(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

/** One point of an exogenous path: time offset, price, and the congestion level (0 calm .. 1 jammed). */
export interface PathPoint {
  t: number;
  usd: number;
  congestion: number;
}

export interface GbmOptions {
  start: number;
  hours: number;
  stepSecs: number;
  /** Daily drift (log). */
  driftDaily: number;
  /** Daily volatility. */
  volDaily: number;
  /** Jumps per day (Poisson) and mean/stdev of the log jump. */
  jumpsPerDay: number;
  jumpMean: number;
  jumpStd: number;
}

export const GBM_DEFAULTS: Omit<GbmOptions, "stepSecs"> = {
  start: 150,
  hours: 6,
  driftDaily: -1.0,
  volDaily: 0.3,
  jumpsPerDay: 10,
  jumpMean: -0.05,
  jumpStd: 0.02,
};

/** Geometric Brownian motion with Poisson jumps. */
export function gbmPath(o: GbmOptions, seed: number): PathPoint[] {
  const r = rng(seed);
  const dtDays = o.stepSecs / 86_400;
  const n = Math.ceil((o.hours * 3600) / o.stepSecs);
  const out: PathPoint[] = [{ t: 0, usd: o.start, congestion: 0 }];
  let p = o.start;
  for (let i = 1; i <= n; i++) {
    let d =
      (o.driftDaily - (o.volDaily * o.volDaily) / 2) * dtDays + o.volDaily * Math.sqrt(dtDays) * normal(r);
    if (r() < o.jumpsPerDay * dtDays) d += o.jumpMean + o.jumpStd * normal(r);
    p *= Math.exp(d);
    out.push({ t: i * o.stepSecs, usd: p, congestion: 0 });
  }
  return out;
}

/**
 * A replay shaped like 12 March 2020 (ETH ≈ −43% in a day): stepped log-linear segments over 24 h
 * with the steepest fall in a few hours, small seeded noise, and network congestion that peaks in
 * the crash window. Knots: (hour, fraction of the start price, congestion).
 */
export const BLACK_THURSDAY_KNOTS: [number, number, number][] = [
  [0, 1.0, 0],
  [4, 0.96, 0.1],
  [8, 0.9, 0.3],
  [10, 0.78, 0.8],
  [12, 0.62, 1],
  [13, 0.58, 1],
  [16, 0.6, 0.6],
  [20, 0.55, 0.5],
  [24, 0.57, 0.2],
];

export function blackThursdayPath(start: number, stepSecs: number, seed: number, hours = 24): PathPoint[] {
  return knotPath(BLACK_THURSDAY_KNOTS, start, stepSecs, seed, hours);
}

/**
 * A crash then a rebound (a V): the same fall as {@link BLACK_THURSDAY_KNOTS} down to 58% by hour
 * 12, then back to 75% by hour 14 and 90% by hour 20, congestion easing as the price recovers. The
 * auctions still open in the rebound are where a slow Dutch curve can recover value (or not).
 */
export const REBOUND_KNOTS: [number, number, number][] = [
  [0, 1.0, 0],
  [4, 0.96, 0.1],
  [8, 0.9, 0.3],
  [10, 0.78, 0.8],
  [12, 0.58, 1],
  [13, 0.62, 0.9],
  [14, 0.75, 0.7],
  [16, 0.85, 0.4],
  [20, 0.9, 0.2],
  [24, 0.92, 0.1],
];

export function reboundPath(start: number, stepSecs: number, seed: number, hours = 24): PathPoint[] {
  return knotPath(REBOUND_KNOTS, start, stepSecs, seed, hours);
}

/** Stepped log-linear segments through `knots` (hour of a 24 h day, fraction of start, congestion). */
function knotPath(
  knots: [number, number, number][],
  start: number,
  stepSecs: number,
  seed: number,
  hours: number,
): PathPoint[] {
  const r = rng(seed);
  const n = Math.ceil((hours * 3600) / stepSecs);
  const scale = 24 / hours; // compress the day when fewer hours are asked for
  const out: PathPoint[] = [];
  for (let i = 0; i <= n; i++) {
    const h = ((i * stepSecs) / 3600) * scale;
    let k = 0;
    while (k < knots.length - 2 && knots[k + 1][0] <= h) k++;
    const [h0, f0, c0] = knots[k];
    const [h1, f1, c1] = knots[k + 1];
    const x = Math.min(1, Math.max(0, (h - h0) / (h1 - h0)));
    const f = Math.exp(Math.log(f0) + x * (Math.log(f1) - Math.log(f0)));
    const noise = i === 0 ? 0 : 0.003 * normal(r);
    out.push({ t: i * stepSecs, usd: start * f * Math.exp(noise), congestion: c0 + x * (c1 - c0) });
  }
  return out;
}

/** Median and quantiles of a list of numbers (0 when empty). */
export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

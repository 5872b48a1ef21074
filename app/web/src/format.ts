/** Number, time and address formatting for the page. */

const cache = new Map<string, Intl.NumberFormat>();
function nf(min: number, max: number): Intl.NumberFormat {
  const key = `${min}/${max}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat("en-US", { minimumFractionDigits: min, maximumFractionDigits: max });
    cache.set(key, f);
  }
  return f;
}

/** An amount with `unit`, e.g. "1,234.56 USDC"; "—" when unknown. */
export function amount(x: number | null | undefined, unit = "", maxFraction = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  const digits = Math.abs(x) !== 0 && Math.abs(x) < 1 ? Math.max(maxFraction, 4) : maxFraction;
  return `${nf(0, digits).format(x)}${unit ? ` ${unit}` : ""}`;
}

/** A price in debt tokens per collateral token, e.g. "104.25 USDC/SOL". */
export function price(x: number | null | undefined, debt: string, coll: string): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "no price";
  const digits = x >= 1000 ? 2 : x >= 1 ? 4 : 8;
  return `${nf(2, digits).format(x)} ${debt}/${coll}`;
}

/** Basis points as a percentage ("80.00%"). */
export function bps(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  return `${(x / 100).toFixed(digits)}%`;
}

/** A fraction as a percentage ("1.35%"). */
export function pct(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  return `${(x * 100).toFixed(digits)}%`;
}

/** A duration in seconds, e.g. "2 min 5 s". */
export function duration(secs: number | null | undefined): string {
  if (secs === null || secs === undefined || !Number.isFinite(secs)) return "—";
  const s = Math.max(0, Math.round(secs));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** "12 s ago" / "in 3 s" relative to `now` (unix seconds). */
export function ago(t: number, now: number): string {
  const d = Math.round(now - t);
  if (Math.abs(d) < 1) return "just now";
  return d > 0 ? `${duration(d)} ago` : `in ${duration(-d)}`;
}

/** Absolute local time of a unix timestamp, e.g. "14:03:07". */
export function clock(t: number): string {
  return new Date(t * 1000).toLocaleTimeString("en-GB", { hour12: false });
}

/** Full ISO time for tooltips. */
export function iso(t: number): string {
  return new Date(t * 1000).toISOString();
}

/** "7GP2…V1mM". */
export function short(key: string): string {
  return key.length > 10 ? `${key.slice(0, 4)}…${key.slice(-4)}` : key;
}

/**
 * Live auctions, each with its price curve: past path, price now, oracle, projection to tail/cusp.
 * An anchored auction (engine v2) shows its price against the live oracle, its discount now and
 * the discount bound `d_max` (the lowest price at today's oracle) where a Maker auction shows its cusp.
 */
import type { MarketIndex } from "../app";
import { amount, clock, duration, pct, price, short } from "../format";
import { AuctionView } from "../model";

const W = 560;
const H = 230;
const L = 64;
const R = 16;
const T = 14;
const B = 30;

function CurveChart({ a, elapsed, unit }: { a: AuctionView; elapsed: number; unit: string }) {
  const tEnd = Math.max(a.curve[a.curve.length - 1]?.t ?? 1, elapsed, 1);
  // The floor line: the cusp (Maker mode) or the discount bound at today's oracle (anchored).
  const floor = a.anchored && a.boundPrice !== null ? a.boundPrice : a.cuspPrice;
  const values = [a.top, floor, ...a.curve.map((p) => p.price), ...a.takes.map((p) => p.price)];
  if (a.oraclePrice !== null) values.push(a.oraclePrice);
  const lo = Math.min(...values) * 0.97;
  const hi = Math.max(...values) * 1.02;
  const x = (t: number) => L + ((W - L - R) * t) / tEnd;
  const y = (p: number) => T + ((H - T - B) * (hi - p)) / (hi - lo || 1);
  const path = (pts: { t: number; price: number }[]) =>
    pts.map((p, i) => `${i ? "L" : "M"}${x(p.t).toFixed(1)},${y(p.price).toFixed(1)}`).join(" ");
  // The price now, interpolated between samples (the server sampled the exact curve).
  const now = Math.min(elapsed, tEnd);
  const before = a.curve.filter((p) => p.t <= now);
  const after = a.curve.filter((p) => p.t > now);
  const here = { t: now, price: a.price };
  const past = [...before, here];
  const future = [here, ...after];
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => lo + (hi - lo) * f);
  return (
    <svg class="curve" viewBox={`0 0 ${W} ${H}`} data-testid="curve">
      {ticks.map((v) => (
        <g key={v}>
          <line x1={L} x2={W - R} y1={y(v)} y2={y(v)} class="grid" />
          <text x={L - 4} y={y(v) + 4} class="axis" text-anchor="end">
            {amount(v, "", 2)}
          </text>
        </g>
      ))}
      {[0, 0.5, 1].map((f) => (
        <text key={f} x={x(tEnd * f)} y={H - 10} class="axis" text-anchor={["start", "middle", "end"][f * 2]}>
          {duration(tEnd * f)}
        </text>
      ))}
      <line x1={L} x2={W - R} y1={y(floor)} y2={y(floor)} class="cusp" />
      <text x={W - R} y={y(floor) - 3} class="axis" text-anchor="end" data-testid="curve-floor">
        {a.anchored ? `d_max bound −${((a.dMaxBps ?? 0) / 100).toFixed(2)}%` : "cusp"}
      </text>
      {a.tailSecs <= tEnd && <line x1={x(a.tailSecs)} x2={x(a.tailSecs)} y1={T} y2={H - B} class="tail" />}
      {a.oraclePrice !== null && (
        <>
          <line x1={L} x2={W - R} y1={y(a.oraclePrice)} y2={y(a.oraclePrice)} class="oracle" />
          <text x={L + 4} y={y(a.oraclePrice) - 3} class="oraclelabel">
            oracle {amount(a.oraclePrice, unit, 2)}
          </text>
        </>
      )}
      <path d={path(future)} class="projected" data-testid="curve-projected" />
      <path d={path(past)} class="past" data-testid="curve-past" />
      {a.takes.map((p, i) => (
        <circle key={i} cx={x(p.t)} cy={y(p.price)} r={5} class="take" data-testid="curve-take">
          <title>{`take at ${amount(p.price, unit, 4)} after ${duration(p.t)}`}</title>
        </circle>
      ))}
      <circle cx={x(here.t)} cy={y(here.price)} r={4} class="now" />
    </svg>
  );
}

function AuctionCard({ a, markets, now }: { a: AuctionView; markets: MarketIndex; now: number }) {
  const m = markets.get(a.market);
  const coll = m?.collateralSymbol ?? "";
  const debt = m?.debtSymbol ?? "";
  // Between snapshots the price moves on; the server's numbers are for `elapsedSecs`.
  const elapsed = Math.max(a.elapsedSecs, Math.floor(now - a.tic));
  const vsOracle = a.oraclePrice ? a.price / a.oraclePrice - 1 : null;
  return (
    <section class="card auction" data-testid="auction-card">
      <h3>
        Auction #{a.id}{" "}
        <span class="addr" title={a.address}>
          {short(a.address)}
        </span>{" "}
        {a.reset ? (
          <span class="pill warn" data-testid="reset-due">
            reset due ({a.reset === "tail" ? "past tail" : "below cusp"})
          </span>
        ) : (
          <span class="pill ok">takeable</span>
        )}{" "}
        {a.anchored && <span class="pill">anchored</span>}
      </h3>
      <div class="stats">
        <div class="stat">
          <div class="label">price now</div>
          <div class="value" data-testid="auction-price">
            {price(a.price, debt, coll)}
          </div>
        </div>
        <div class="stat">
          <div class="label">vs oracle</div>
          <div class="value">{vsOracle === null ? "—" : `${vsOracle >= 0 ? "+" : ""}${pct(vsOracle)}`}</div>
        </div>
        {a.anchored && (
          <div class="stat" title="anchored price: the live oracle less a discount that grows to its bound">
            <div class="label">discount / bound</div>
            <div class="value" data-testid="auction-discount">
              {((a.discountBps ?? 0) / 100).toFixed(2)}%{" "}
              <span class="of">of {((a.dMaxBps ?? 0) / 100).toFixed(2)}%</span>
            </div>
          </div>
        )}
        <div class="stat">
          <div class="label">tab left</div>
          <div class="value">
            {amount(a.tab, debt)} <span class="of">of {amount(a.initialTab, debt)}</span>
          </div>
        </div>
        <div class="stat">
          <div class="label">lot left</div>
          <div class="value">
            {amount(a.lot, coll, 4)} <span class="of">of {amount(a.initialLot, coll, 4)}</span>
          </div>
        </div>
        <div class="stat" title={`curve started ${clock(a.tic)}`}>
          <div class="label">running for</div>
          <div class="value">{duration(elapsed)}</div>
        </div>
      </div>
      <CurveChart a={a} elapsed={a.elapsedSecs} unit={debt} />
      <div class="legend">
        <span class="k past" /> path so far <span class="k projected" /> projected to{" "}
        {a.anchored
          ? "tail at today's oracle"
          : a.curve.length && a.curve[a.curve.length - 1].price < a.cuspPrice
            ? "cusp"
            : "tail"}{" "}
        <span class="k oracle" /> oracle <span class="k take" /> takes · owner{" "}
        <span title={a.owner}>{short(a.owner)}</span> · kicked by{" "}
        <span title={a.kicker}>{short(a.kicker)}</span>
      </div>
    </section>
  );
}

export function Auctions({
  auctions,
  markets,
  now,
}: {
  auctions: AuctionView[];
  markets: MarketIndex;
  now: number;
}) {
  return (
    <section>
      <h2>Live auctions {auctions.length > 0 && <span class="count">{auctions.length}</span>}</h2>
      {auctions.length === 0 ? (
        <p class="state" data-testid="no-auctions">
          No live auctions — every position is safe or already liquidated.
        </p>
      ) : (
        <div class="grid">
          {auctions.map((a) => (
            <AuctionCard key={a.address} a={a} markets={markets} now={now} />
          ))}
        </div>
      )}
    </section>
  );
}

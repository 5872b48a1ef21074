/** A market's backstop pool: its basket at the oracle, share value, funding, and their history. */
import { amount, clock } from "../format";
import { BackstopView, MarketView, PoolPoint } from "../model";

function Stat({
  label,
  value,
  title,
  testid,
}: {
  label: string;
  value: string;
  title?: string;
  testid?: string;
}) {
  return (
    <div class="stat" title={title} data-testid={testid}>
      <div class="label">{label}</div>
      <div class="value">{value}</div>
    </div>
  );
}

/** Share value over time (chain time on x), with the first and last values labelled. */
function ShareHistory({ points }: { points: PoolPoint[] }) {
  const w = 420;
  const h = 90;
  const pad = 18;
  const xs = points.filter((p) => p.shareValue !== null) as (PoolPoint & { shareValue: number })[];
  if (xs.length === 0) return null;
  const t0 = xs[0].t;
  const t1 = Math.max(t0 + 1, xs[xs.length - 1].t);
  const lo = Math.min(...xs.map((p) => p.shareValue));
  const hi = Math.max(...xs.map((p) => p.shareValue));
  const span = hi - lo || Math.max(hi * 0.001, 1e-9);
  const x = (t: number) => pad + ((t - t0) / (t1 - t0)) * (w - 2 * pad);
  const y = (v: number) => h - pad - ((v - lo) / span) * (h - 2 * pad);
  const d = xs.map((p, i) => `${i ? "L" : "M"}${x(p.t).toFixed(1)},${y(p.shareValue).toFixed(1)}`).join(" ");
  const last = xs[xs.length - 1];
  return (
    <svg
      class="history"
      viewBox={`0 0 ${w} ${h}`}
      data-testid="pool-history"
      data-points={xs.length}
      data-last={last.shareValue}
    >
      <path d={d} class="line" />
      {xs.map((p) => (
        <circle key={p.t} cx={x(p.t)} cy={y(p.shareValue)} r={2} class="dot">
          <title>{`${clock(p.t)}: ${amount(p.shareValue, "", 6)} per share, pool ${amount(p.size)}`}</title>
        </circle>
      ))}
      <text x={pad} y={h - 4} class="axis">
        {clock(t0)}
      </text>
      <text x={w - pad} y={h - 4} class="axis end">
        {clock(last.t)}
      </text>
      <text x={pad} y={12} class="axis">
        {amount(hi, "", 6)}
      </text>
    </svg>
  );
}

export function PoolPanel({ m, b }: { m: MarketView; b: BackstopView }) {
  const d = m.debtSymbol;
  const c = m.collateralSymbol;
  return (
    <div class="pool" data-testid="pool-panel">
      <h4>Backstop pool</h4>
      <div class="stats">
        <Stat
          label="pool size"
          value={amount(b.size, d)}
          title="debt tokens + absorbed collateral at the oracle"
          testid="pool-size"
        />
        <Stat label="debt tokens" value={amount(b.debt, d)} />
        <Stat
          label="absorbed collateral"
          value={`${amount(b.collateral, c, 4)} (${amount(b.collateralValue, d)})`}
          title="collateral the pool holds now, at the oracle"
          testid="pool-collateral"
        />
        <Stat
          label="share value"
          value={amount(b.shareValue, d, 6)}
          title="pool size per share"
          testid="pool-share"
        />
        <Stat label="shares" value={amount(b.totalShares)} />
        <Stat label="warming up" value={amount(b.warming, d)} />
        <Stat
          label="funding due"
          value={amount(b.fundingDue, d)}
          title="interest and penalty shares owed by the market"
        />
        <Stat
          label="absorbs seen"
          value={`${b.absorbs} (${amount(b.absorbedCollateral, c, 4)})`}
          title="since the dashboard started, including replayed history"
          testid="pool-absorbs"
        />
      </div>
      <ShareHistory points={b.history} />
    </div>
  );
}

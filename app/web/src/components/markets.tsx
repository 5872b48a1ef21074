/** Market cards: liquidity, insurance, dirt vs hole, oracle, parameters, LTV distribution. */
import { amount, bps, duration, pct, price, short } from "../format";
import { MarketView } from "../model";
import { PoolPanel } from "./pool";

function Stat({ label, value, title }: { label: string; value: string; title?: string }) {
  return (
    <div class="stat" title={title}>
      <div class="label">{label}</div>
      <div class="value">{value}</div>
    </div>
  );
}

/** Bars of positions per LTV bucket, with the max and liquidation LTVs marked. */
function LtvHistogram({ m }: { m: MarketView }) {
  const w = 420;
  const h = 120;
  const pad = 18;
  const max = Math.max(1, ...m.ltvHistogram.map((b) => b.count));
  const bw = (w - 2 * pad) / m.ltvHistogram.length;
  const x = (b: number) => pad + (b / 500) * bw;
  return (
    <svg class="histogram" viewBox={`0 0 ${w} ${h + 20}`} data-testid="ltv-histogram">
      {m.ltvHistogram.map((b, i) => {
        const bh = ((h - 10) * b.count) / max;
        const danger = b.fromBps >= m.params.liquidationLtvBps;
        return (
          <g key={i}>
            <rect
              x={pad + i * bw + 1}
              y={h - bh}
              width={bw - 2}
              height={bh}
              class={danger ? "bar danger" : b.fromBps >= m.params.maxLtvBps ? "bar warn" : "bar"}
            >
              <title>
                {`LTV ${bps(b.fromBps, 0)}–${Number.isFinite(b.toBps) ? bps(b.toBps, 0) : "∞"}: ${b.count} positions`}
              </title>
            </rect>
            {b.count > 0 && (
              <text x={pad + i * bw + bw / 2} y={h - bh - 2} class="barlabel">
                {b.count}
              </text>
            )}
          </g>
        );
      })}
      {[
        [m.params.maxLtvBps, "max"],
        [m.params.liquidationLtvBps, "liq"],
      ].map(([v, name], i) => (
        <g key={name}>
          <line x1={x(v as number)} x2={x(v as number)} y1={4} y2={h} class={`marker ${name}`} />
          <text x={x(v as number) + 3} y={12 + 13 * i} class="markerlabel">
            {name} {bps(v as number, 0)}
          </text>
        </g>
      ))}
      {[0, 2500, 5000, 7500, 10000].map((v) => (
        <text key={v} x={x(v)} y={h + 14} class="axis">
          {bps(v, 0)}
        </text>
      ))}
    </svg>
  );
}

function MarketCard({ m }: { m: MarketView }) {
  const pair = `${m.collateralSymbol}/${m.debtSymbol}`;
  const d = m.debtSymbol;
  const p = m.params;
  const fill = p.hole > 0 ? Math.min(1, m.dirt / p.hole) : 0;
  return (
    <section class="card market" data-testid="market-card">
      <h3>
        {pair}{" "}
        <span class="addr" title={m.address}>
          {short(m.address)}
        </span>
      </h3>
      <div class="cols">
        <div>
          <div class="oracle">
            oracle{" "}
            <strong data-testid="oracle-price">
              {price(m.oraclePrice, m.debtSymbol, m.collateralSymbol)}
            </strong>
            {m.oracleAgeSecs !== null && <span> · {duration(m.oracleAgeSecs)} old</span>}
            {m.oracleConfBps !== null && <span> · ±{bps(m.oracleConfBps)}</span>}
          </div>
          <div class="stats">
            <Stat
              label="pool value"
              value={amount(m.poolValue, d)}
              title="cash + borrowed + debt in auctions"
            />
            <Stat label="cash" value={amount(m.cash, d)} />
            <Stat label="borrowed" value={amount(m.totalDebt, d)} />
            <Stat label="utilization" value={pct(m.utilization)} />
            <Stat label="insurance fund" value={amount(m.insurance, d)} />
            <Stat
              label="LP share: deposit / withdraw"
              value={`${amount(m.sharePrice, "", 6)} / ${amount(m.withdrawalSharePrice, "", 6)}`}
              title="debt tokens per share; withdrawals count live auctions only up to the insurance fund"
            />
            <Stat label="collateral" value={amount(m.collateralTotal, m.collateralSymbol, 4)} />
            <Stat label="positions" value={`${m.borrowerCount} borrowing / ${m.positionCount}`} />
            <Stat label="auctions kicked" value={String(m.auctionCount)} />
          </div>
          <div class="dirt" title="debt + penalty in live auctions vs the hole cap">
            <div class="label">
              dirt {amount(m.dirt, d)} of hole {amount(p.hole, d)} ({pct(fill)})
            </div>
            <div class="meter">
              <div style={{ width: `${fill * 100}%` }} />
            </div>
          </div>
          {m.backstop && <PoolPanel m={m} b={m.backstop} />}
          <details open>
            <summary>Parameters</summary>
            <table class="compact params">
              <tbody>
                <tr>
                  <td>max LTV / liquidation LTV</td>
                  <td>
                    {bps(p.maxLtvBps)} / {bps(p.liquidationLtvBps)}
                  </td>
                </tr>
                <tr>
                  <td>penalty (chop)</td>
                  <td>{bps(p.chopBps)}</td>
                </tr>
                <tr>
                  <td>start price (buf)</td>
                  <td>{bps(p.bufBps)} of oracle</td>
                </tr>
                <tr>
                  <td>curve</td>
                  <td>{p.curve}</td>
                </tr>
                <tr>
                  <td>reset after (tail / cusp)</td>
                  <td>
                    {duration(p.tailSecs)} / below {bps(p.cuspBps)} of start
                  </td>
                </tr>
                <tr>
                  <td>kicker reward (tip + chip)</td>
                  <td>
                    {amount(p.tip, d)} + {bps(p.chipBps)} of tab
                  </td>
                </tr>
                <tr>
                  <td>hole / dust</td>
                  <td>
                    {amount(p.hole, d)} / {amount(p.dust, d)}
                  </td>
                </tr>
                <tr>
                  <td>borrow APY</td>
                  <td>{pct(p.borrowApy)}</td>
                </tr>
                <tr>
                  <td>oracle max age / confidence</td>
                  <td>
                    {duration(p.maxAgeSecs)} / {bps(p.maxConfBps)}
                  </td>
                </tr>
              </tbody>
            </table>
          </details>
        </div>
        <div>
          <h4>LTV distribution at the oracle price</h4>
          <LtvHistogram m={m} />
          {m.nearLiquidation.length > 0 && (
            <>
              <h4>Closest to liquidation</h4>
              <table class="compact">
                <thead>
                  <tr>
                    <th>owner</th>
                    <th class="num">collateral</th>
                    <th class="num">debt</th>
                    <th class="num">LTV</th>
                    <th class="num">of liq. LTV</th>
                  </tr>
                </thead>
                <tbody>
                  {m.nearLiquidation.slice(0, 5).map((x) => (
                    <tr key={x.address} class={x.health >= 1 ? "unsafe" : x.health >= 0.95 ? "warn" : ""}>
                      <td title={x.owner}>
                        {short(x.owner)}
                        {x.auctions > 0 ? " · in auction" : ""}
                      </td>
                      <td class="num">{amount(x.collateral, m.collateralSymbol, 4)}</td>
                      <td class="num">{amount(x.debt, d)}</td>
                      <td class="num">{bps(x.ltvBps)}</td>
                      <td class="num">{pct(x.health, 1)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
      </div>
    </section>
  );
}

export function Markets({ markets }: { markets: MarketView[] }) {
  return (
    <section>
      <h2>Markets</h2>
      {markets.length === 0 ? (
        <p class="state" data-testid="no-markets">
          No markets yet.
        </p>
      ) : (
        <div class="grid markets">
          {markets.map((m) => (
            <MarketCard key={m.address} m={m} />
          ))}
        </div>
      )}
    </section>
  );
}

/** Takes as they happen and settled auctions, newest first. */
import type { ComponentChildren } from "preact";
import type { MarketIndex } from "../app";
import { ago, amount, clock, duration, iso, pct, short } from "../format";
import { SettledView, TakeView } from "../model";

/** A discount (1 − price / oracle) shown as the price's distance from the oracle: "−1.35%". */
function vsOracle(discount: number | null): string {
  if (discount === null) return "—";
  return `${discount > 0 ? "−" : "+"}${pct(Math.abs(discount))}`;
}

/** A column of a {@link ScrollTable}: its header, numeric (right-aligned) or not, a tooltip. */
interface Column {
  label: string;
  num?: boolean;
  title?: string;
}

/** A scrolling table with `columns` as its header and `children` as its rows. */
function ScrollTable({ columns, children }: { columns: Column[]; children: ComponentChildren }) {
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} class={c.num ? "num" : undefined} title={c.title}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

const TAKE_COLUMNS: Column[] = [
  { label: "time" },
  { label: "auction" },
  { label: "bidder" },
  { label: "bought", num: true },
  { label: "price", num: true },
  { label: "paid", num: true },
  {
    label: "vs oracle",
    num: true,
    title: "price / oracle − 1 (oracle read when the take arrived; † the oracle at the kick)",
  },
];

const SETTLED_COLUMNS: Column[] = [
  { label: "time" },
  { label: "auction" },
  { label: "outcome" },
  {
    label: "pricing",
    title:
      "the Maker curve, or anchored to the live oracle with its largest discount d_max (from the kick and reset events)",
  },
  { label: "takes", num: true },
  { label: "duration", num: true },
  { label: "raised", num: true },
  { label: "returned", num: true },
  { label: "bad debt", num: true },
  { label: "clearing vs oracle", num: true, title: "volume-weighted take price vs volume-weighted oracle" },
];

function When({ t, now }: { t: number; now: number }) {
  return (
    <td title={iso(t)}>
      {clock(t)} <span class="of">{ago(t, now)}</span>
    </td>
  );
}

export function Takes({
  takes,
  markets,
  now,
  fresh,
}: {
  takes: TakeView[];
  markets: MarketIndex;
  now: number;
  fresh: Set<string>;
}) {
  return (
    <section class="card">
      <h2>Takes</h2>
      {takes.length === 0 ? (
        <p class="state" data-testid="no-takes">
          No takes yet.
        </p>
      ) : (
        <ScrollTable columns={TAKE_COLUMNS}>
          {takes.slice(0, 25).map((t) => {
            const m = markets.get(t.market);
            return (
              <tr key={t.key} class={fresh.has(t.key) ? "fresh" : ""} data-testid="take-row">
                <When t={t.time} now={now} />
                <td title={t.auction}>#{t.id}</td>
                <td title={t.taker}>{short(t.taker)}</td>
                <td class="num">{amount(t.collateral, m?.collateralSymbol, 4)}</td>
                <td class="num">{amount(t.price, "", 4)}</td>
                <td class="num">{amount(t.owe, m?.debtSymbol)}</td>
                <td class="num">
                  {vsOracle(t.discount)}
                  {t.oracleSource === "kick" ? "†" : ""}
                </td>
              </tr>
            );
          })}
        </ScrollTable>
      )}
    </section>
  );
}

/** How a settled auction was priced: "curve", "anchored ≤ 6.34%", or "—" when its kick was not seen. */
function pricing(s: SettledView): string {
  if (s.mode === null) return "—";
  return s.mode === "maker" ? "curve" : `anchored ≤ ${pct((s.dMaxBps ?? 0) / 10_000)}`;
}

const REASONS: Record<SettledView["reason"], string> = {
  raised: "tab raised",
  // Bad debt only when the debt part was short; otherwise only part of the penalty went unraised.
  exhausted: "collateral ran out",
  cancelled: "cancelled",
  unknown: "?",
};

export function Settled({
  settled,
  markets,
  now,
}: {
  settled: SettledView[];
  markets: MarketIndex;
  now: number;
}) {
  const bad = settled.reduce((x, s) => x + s.badDebt, 0);
  return (
    <section class="card">
      <h2>Settled auctions</h2>
      {settled.length === 0 ? (
        <p class="state" data-testid="no-settled">
          None settled yet.
        </p>
      ) : (
        <>
          <p class="summary">
            {settled.length} settled · bad debt <strong data-testid="bad-debt-total">{amount(bad)}</strong>
          </p>
          <ScrollTable columns={SETTLED_COLUMNS}>
            {settled.slice(0, 25).map((s) => {
              const m = markets.get(s.market);
              return (
                <tr key={s.key} data-testid="settled-row" class={s.badDebt > 0 ? "unsafe" : ""}>
                  <When t={s.time} now={now} />
                  <td title={s.auction}>#{s.id}</td>
                  <td>{REASONS[s.reason]}</td>
                  <td data-testid="settled-mode">{pricing(s)}</td>
                  <td class="num">{s.takes}</td>
                  <td class="num">{duration(s.durationSecs)}</td>
                  <td class="num">{amount(s.raised, m?.debtSymbol)}</td>
                  <td class="num">{amount(s.returnedCollateral, m?.collateralSymbol, 4)}</td>
                  <td class="num">{amount(s.badDebt, m?.debtSymbol)}</td>
                  <td class="num" data-testid="settled-discount">
                    {vsOracle(s.discount)}
                  </td>
                </tr>
              );
            })}
          </ScrollTable>
        </>
      )}
    </section>
  );
}

/** The dashboard page: header, markets, live auctions, takes, settled auctions. */
import { Auctions } from "./components/auctions";
import { Markets } from "./components/markets";
import { Settled, Takes } from "./components/tables";
import { clock, short } from "./format";
import { LinkState, useLive, useTick } from "./live";
import { MarketView, Snapshot } from "./model";

const STOP_LABELS = ["live", "no kicks", "no kicks or resets", "admin only"];

/** Market lookup for rows that only carry the market address. */
export type MarketIndex = Map<string, MarketView>;

/** The chain's time now, extrapolated from the snapshot by the wall clock. */
export function chainNow(s: Snapshot, wallMs: number): number {
  return s.chainTime + Math.max(0, (wallMs - s.updatedAtMs) / 1000);
}

function Header({ link, snapshot }: { link: LinkState; snapshot: Snapshot | null }) {
  return (
    <header>
      <h1>
        Gavel <span class="sub">Dutch-auction liquidations</span>
      </h1>
      <div class="meta">
        <span class={`pill ${link}`} data-testid="link-state">
          {link === "live" ? "● live" : link === "connecting" ? "connecting…" : "reconnecting…"}
        </span>
        {snapshot && (
          <>
            <span title="RPC endpoint the dashboard server reads">{snapshot.rpc}</span>
            <span title={snapshot.programId}>program {short(snapshot.programId)}</span>
            <span>slot {snapshot.slot.toLocaleString("en-US")}</span>
            <span title="time the dashboard server took to read every Gavel account">
              read in {snapshot.readMs} ms
            </span>
            <span>chain time {snapshot.chainTime ? clock(snapshot.chainTime) : "—"}</span>
            {snapshot.stop !== null && (
              <span class={`pill stop${snapshot.stop}`} data-testid="stop-level">
                stop {snapshot.stop}: {STOP_LABELS[snapshot.stop] ?? "?"}
              </span>
            )}
          </>
        )}
      </div>
    </header>
  );
}

export function App() {
  const { link, snapshot, fresh } = useLive();
  const wall = useTick();
  if (!snapshot) {
    return (
      <main>
        <Header link={link} snapshot={null} />
        <p class="state" data-testid="loading">
          {link === "reconnecting" ? "Cannot reach the dashboard server; retrying…" : "Loading chain state…"}
        </p>
      </main>
    );
  }
  const now = chainNow(snapshot, wall);
  const markets: MarketIndex = new Map(snapshot.markets.map((m) => [m.address, m]));
  const neverLoaded = snapshot.updatedAtMs === 0 || (snapshot.error !== null && snapshot.chainTime === 0);
  return (
    <main>
      <Header link={link} snapshot={snapshot} />
      {snapshot.error && (
        <p class="banner error" data-testid="rpc-error">
          {snapshot.error}
          {neverLoaded ? "" : ` — showing data from ${clock(snapshot.chainTime)}`}
        </p>
      )}
      {neverLoaded ? (
        <p class="state">No data from the chain yet.</p>
      ) : snapshot.stop === null && snapshot.markets.length === 0 ? (
        <p class="state" data-testid="empty">
          Gavel is not initialized on this chain (no Config account for program {snapshot.programId}).
        </p>
      ) : (
        <>
          <Markets markets={snapshot.markets} />
          <Auctions auctions={snapshot.auctions} markets={markets} now={now} />
          <Takes takes={snapshot.takes} markets={markets} now={now} fresh={fresh} />
          <Settled settled={snapshot.settled} markets={markets} now={now} />
        </>
      )}
    </main>
  );
}

/**
 * Prometheus metrics (prom-client, one registry per bot) and the `/metrics` + `/health` server.
 * Names follow Prometheus conventions: one prefix (`gavel_bidder_`), counters end in `_total`,
 * units in the name (`_seconds`, `_debt_units`); prom-client's default process metrics included.
 * @module
 */
import * as http from "http";
import { AddressInfo } from "net";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** Prefix of every metric name (the bot's own and prom-client's default process metrics). */
export const METRIC_PREFIX = "gavel_bidder_";

/** The bot's metrics. */
export class BidderMetrics {
  readonly registry = new Registry();
  readonly auctionsSeen: Counter<"market">;
  readonly kicks: Counter<"market" | "outcome">;
  readonly takesWon: Counter<"market">;
  readonly takesLost: Counter<"market" | "reason">;
  readonly resets: Counter<"market" | "outcome">;
  readonly absorbs: Counter<"market" | "outcome">;
  readonly absorbedCollateral: Counter<"market">;
  readonly profit: Counter<"market">;
  readonly decisionLatency: Histogram<"kind" | "trigger">;
  readonly rpcErrors: Counter<"op">;
  readonly wsReconnects: Counter;
  readonly positions: Gauge;
  readonly liveAuctions: Gauge;
  readonly wsConnected: Gauge;

  constructor(bot: string) {
    this.registry.setDefaultLabels({ bot });
    collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
    const r = [this.registry];
    this.auctionsSeen = new Counter({
      name: `${METRIC_PREFIX}auctions_seen_total`,
      help: "Auctions the bot has seen start (or found at a resync)",
      labelNames: ["market"],
      registers: r,
    });
    this.kicks = new Counter({
      name: `${METRIC_PREFIX}kicks_total`,
      help: "Kicks by outcome: won (ours landed), lost (someone else's or position safe), failed",
      labelNames: ["market", "outcome"],
      registers: r,
    });
    this.takesWon = new Counter({
      name: `${METRIC_PREFIX}takes_won_total`,
      help: "Takes that landed",
      labelNames: ["market"],
      registers: r,
    });
    this.takesLost = new Counter({
      name: `${METRIC_PREFIX}takes_lost_total`,
      help: "Takes that lost a race (auction settled, price moved, account gone)",
      labelNames: ["market", "reason"],
      registers: r,
    });
    this.resets = new Counter({
      name: `${METRIC_PREFIX}resets_total`,
      help: "Auction resets by outcome",
      labelNames: ["market", "outcome"],
      registers: r,
    });
    this.absorbs = new Counter({
      name: `${METRIC_PREFIX}absorbs_total`,
      help: "Backstop absorbs sent by the absorb keeper, by outcome",
      labelNames: ["market", "outcome"],
      registers: r,
    });
    this.absorbedCollateral = new Counter({
      name: `${METRIC_PREFIX}absorbed_collateral_units_total`,
      help: "Collateral the backstop bought in the keeper's won absorbs, collateral base units",
      labelNames: ["market"],
      registers: r,
    });
    this.profit = new Counter({
      name: `${METRIC_PREFIX}profit_debt_units_total`,
      help: "Realized profit of won takes and kick/reset/absorb rewards, debt base units, before tx fees",
      labelNames: ["market"],
      registers: r,
    });
    this.decisionLatency = new Histogram({
      name: `${METRIC_PREFIX}decision_latency_seconds`,
      help: "Trigger (price update, account change, timer) received to transaction sent",
      labelNames: ["kind", "trigger"],
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: r,
    });
    this.rpcErrors = new Counter({
      name: `${METRIC_PREFIX}rpc_errors_total`,
      help: "RPC calls that failed (network, timeout, server error)",
      labelNames: ["op"],
      registers: r,
    });
    this.wsReconnects = new Counter({
      name: `${METRIC_PREFIX}ws_reconnects_total`,
      help: "Websocket reconnects",
      registers: r,
    });
    this.positions = new Gauge({
      name: `${METRIC_PREFIX}positions_indexed`,
      help: "Positions in the index",
      registers: r,
    });
    this.liveAuctions = new Gauge({
      name: `${METRIC_PREFIX}auctions_live`,
      help: "Live auctions in the index",
      registers: r,
    });
    this.wsConnected = new Gauge({
      name: `${METRIC_PREFIX}ws_connected`,
      help: "1 when the websocket is up",
      registers: r,
    });
  }
}

/** Health as `/health` reports it. */
export interface HealthReport {
  ok: boolean;
  [k: string]: unknown;
}

/** Serves `/metrics` and `/health` on `port` (0 = any free port); resolves with the bound port. */
export async function startMetricsServer(
  metrics: BidderMetrics,
  port: number,
  health: () => HealthReport,
): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/metrics") {
      metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { "content-type": metrics.registry.contentType });
          res.end(text);
        },
        (e: Error) => {
          res.writeHead(500);
          res.end(e.message);
        },
      );
    } else if (path === "/health") {
      const h = health();
      res.writeHead(h.ok ? 200 : 503, { "content-type": "application/json" });
      res.end(JSON.stringify(h));
    } else {
      res.writeHead(404);
      res.end("not found\n");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

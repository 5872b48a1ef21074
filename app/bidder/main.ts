/**
 * Gavel liquidation bot, command line. Built with `npm run build:bidder` (tsconfig.bidder.json) and
 * run as `node target/bidder/app/bidder/main.js [flags]` (see `--help` and README.md): `node` is
 * then the process a supervisor signals. Exits 2 on a configuration error (one line on stderr), 1
 * on a fatal runtime error, 0 after a graceful SIGINT/SIGTERM shutdown.
 * @module
 */
import { Connection, PublicKey } from "@solana/web3.js";
import pino from "pino";
import { decodeMarket } from "../../sdk/src";
import { Bidder } from "./bidder";
import { BidderConfig, checkRpc, ConfigError, loadKeypair, parseConfig, USAGE } from "./config";
import { accountKind } from "./account_index";
import { BidderMetrics, startMetricsServer } from "./metrics";
import { FlashStrategy, Inventory, InventoryStrategy, TakeStrategy } from "./strategies";
import { LocalTestVenue } from "./venue";

/** Checks that every configured market exists and is a Gavel market; throws {@link ConfigError}. */
export async function checkMarkets(connection: Connection, config: BidderConfig): Promise<void> {
  if (config.markets.length === 0) return;
  const keys = config.markets.map((k) => new PublicKey(k));
  const infos = await connection.getMultipleAccountsInfo(keys, "confirmed");
  infos.forEach((info, i) => {
    const k = config.markets[i];
    if (!info) throw new ConfigError(`unknown market ${k}: account not found`);
    if (!info.owner.equals(new PublicKey(config.programId)) || accountKind(info.data) !== "market") {
      throw new ConfigError(`unknown market ${k}: not a Gavel market account`);
    }
    decodeMarket(info.data);
  });
}

/** Builds the strategy the config asks for. */
export function buildStrategy(config: BidderConfig, inventory: Inventory): TakeStrategy {
  if (config.strategy === "flash") {
    const maker = loadKeypair(config.venue!.makerKeypair, "venue.makerKeypair");
    return new FlashStrategy(new LocalTestVenue(maker, config.venue!.spreadBps), config.slippageBps, 1);
  }
  return new InventoryStrategy(inventory, config.slippageBps);
}

async function main(argv: string[]): Promise<number> {
  let config: BidderConfig;
  try {
    const parsed = parseConfig(argv);
    if (parsed.help) {
      console.log(USAGE);
      return 0;
    }
    config = parsed.config;
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    throw e;
  }

  const logger = pino({ name: config.name, level: config.logLevel, base: { bot: config.name } });
  let bidder: Bidder;
  let server: import("http").Server | null = null;
  try {
    const payer = loadKeypair(config.keypair);
    const inventory = new Inventory();
    const strategy = buildStrategy(config, inventory);
    const connection = new Connection(config.rpc, { commitment: "confirmed", disableRetryOnRateLimit: true });
    const version = await checkRpc(connection, config.rpc, config.rpcTimeoutMs);
    await checkMarkets(connection, config);
    const metrics = new BidderMetrics(config.name);
    bidder = new Bidder({ config, payer, connection, logger, metrics, strategy, inventory });
    if (config.metricsPort !== null) {
      const s = await startMetricsServer(metrics, config.metricsPort, () => bidder.health());
      server = s.server;
      logger.info({ event: "metrics.listening", port: s.port }, "metrics.listening");
    }
    logger.info(
      {
        event: "start",
        bidder: payer.publicKey.toBase58(),
        rpc: config.rpc,
        ws: config.ws,
        solanaCore: version,
        markets: config.markets.length ? config.markets : "all",
        strategy: config.strategy,
        minProfitBps: config.minProfitBps,
        dryRun: config.dryRun,
      },
      "start",
    );
    await bidder.start();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    console.error(`error: ${(e as Error).message.split("\n")[0]}`);
    return 1;
  }

  return new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = async (signal: string): Promise<void> => {
      if (stopping) return;
      stopping = true;
      logger.info({ event: "shutdown", signal }, "shutdown");
      const { drained } = await bidder.stop(10_000);
      if (server) await new Promise<void>((r) => server!.close(() => r()));
      logger.info({ event: "stopped", drained }, "stopped");
      resolve(0);
    };
    process.on("SIGINT", () => void shutdown("SIGINT"));
    process.on("SIGTERM", () => void shutdown("SIGTERM"));
    // Only now say "ready": a supervisor that signals the bot as soon as it reads this line must
    // find the handlers installed (before them, SIGTERM would kill the process outright).
    logger.info(
      { event: "ready", markets: bidder.index.markets.size, positions: bidder.index.positionCount() },
      "ready",
    );
  });
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      // Let pino flush, then exit (web3.js keeps sockets alive otherwise).
      setImmediate(() => process.exit(code));
    },
    (e: Error) => {
      console.error(`fatal: ${e.stack ?? e}`);
      process.exit(1);
    },
  );
}

/**
 * The auction dashboard, served by one command:
 *
 *   npm run dashboard                          # embedded chain + the demo scenario, then stays up
 *   npm run dashboard -- --rpc http://127.0.0.1:8899 [--ws ws://127.0.0.1:8900]
 *
 * Flags: --port 8080, --host 127.0.0.1, --poll-ms 1000, --history 300 (recent transactions replayed
 * on start), --symbols <mint>=<SYM>,... ; in the default (demo) mode also the demo's --borrowers,
 * --seed, --crash, --steps, --stepSecs, --timeoutSecs.
 */
import { SdkChain } from "../../sdk/testkit/sdk_chain";
import { demoOptions, runDemo, stopBidders } from "../demo/scenario";
import { DashboardOptions, startDashboard } from "./server";

function usage(msg: string): never {
  console.error(`error: ${msg}`);
  console.error(
    "usage: npm run dashboard -- [--rpc URL [--ws URL]] [--port N] [--host H] [--poll-ms N] [--history N] [--symbols MINT=SYM,...] [demo flags]",
  );
  process.exit(2);
}

function parse(argv: string[]): { opts: Omit<DashboardOptions, "rpc"> & { rpc?: string }; demo: string[] } {
  const opts: Omit<DashboardOptions, "rpc"> & { rpc?: string } = { port: 8080, symbols: {} };
  const demo: string[] = [];
  const int = (flag: string, v: string | undefined) => {
    if (v === undefined || !/^\d+$/.test(v)) usage(`${flag} needs a whole number, got ${v ?? "nothing"}`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, v] = [argv[i], argv[i + 1]];
    switch (flag) {
      case "--rpc":
      case "--ws":
        if (!v || !/^(https?|wss?):\/\//.test(v)) usage(`${flag} needs a URL, got ${v ?? "nothing"}`);
        opts[flag === "--rpc" ? "rpc" : "ws"] = v;
        break;
      case "--port":
        opts.port = int(flag, v);
        break;
      case "--host":
        if (!v) usage("--host needs an address");
        opts.host = v;
        break;
      case "--poll-ms":
        opts.pollMs = Math.max(200, int(flag, v));
        break;
      case "--history":
        opts.historyLimit = int(flag, v);
        break;
      case "--symbols":
        for (const pair of (v ?? "").split(",")) {
          const [mint, sym] = pair.split("=");
          if (!mint || !sym) usage(`--symbols wants MINT=SYM pairs, got ${v ?? "nothing"}`);
          opts.symbols![mint] = sym;
        }
        break;
      default:
        if (!flag.startsWith("--")) usage(`unexpected argument ${flag}`);
        demo.push(flag, v);
    }
  }
  if (opts.rpc && demo.length) usage(`${demo[0]} is a demo flag; with --rpc there is no demo`);
  return { opts, demo };
}

async function main(): Promise<void> {
  const { opts, demo } = parse(process.argv.slice(2));
  if (opts.rpc) {
    const dash = await startDashboard({ ...opts, rpc: opts.rpc });
    console.log(`[dashboard] ${dash.url} — reading ${opts.rpc}; Ctrl-C to stop`);
    process.once("SIGINT", () => void dash.stop().then(() => process.exit(0)));
    process.once("SIGTERM", () => void dash.stop().then(() => process.exit(0)));
    return;
  }
  let demoOpts;
  try {
    demoOpts = demoOptions(demo);
  } catch (e) {
    usage((e as Error).message);
  }
  const chain = SdkChain.start({ blockProduction: "clock" });
  const dash = await startDashboard({ ...opts, rpc: chain.surfnet.rpcUrl, ws: chain.surfnet.wsUrl });
  // Ctrl-C / SIGTERM: the demo's bidder processes, the page server and the chain all stop.
  const shutdown = () =>
    void Promise.allSettled([stopBidders(), dash.stop()]).finally(() => {
      chain.stop();
      process.exit(0);
    });
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  console.log(
    `[dashboard] open ${dash.url} — the demo now runs on an embedded chain (${chain.surfnet.rpcUrl})`,
  );
  const ok = await runDemo(chain, demoOpts, (m) => {
    dash.indexer.label(m.ref.collateralMint, "SOL");
    dash.indexer.label(m.ref.debtMint, "USDC");
  });
  console.log(
    `[dashboard] demo finished (invariants ${ok ? "held" : "FAILED"}); the chain and ${dash.url} stay up — Ctrl-C to stop`,
  );
}

main().catch((e: Error) => {
  console.error(`[dashboard] failed: ${e.message}`);
  process.exit(1);
});

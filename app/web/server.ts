/**
 * The dashboard's HTTP server: the built page (app/web/dist), `GET /api/snapshot` (JSON), and the
 * `/live` websocket pushing a snapshot every poll and each take the moment its event arrives.
 * Read-only; binds to 127.0.0.1 unless told otherwise.
 */
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { Connection } from "@solana/web3.js";
import WebSocket from "ws";
import { Indexer, IndexerOptions } from "./indexer";
import { ServerMessage } from "./src/model";

export interface DashboardOptions extends IndexerOptions {
  /** JSON-RPC endpoint of the chain. */
  rpc: string;
  /** Its websocket endpoint (default: derived from `rpc` by the connection). */
  ws?: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Milliseconds between polls (default 1000). */
  pollMs?: number;
  /** The built page (default app/web/dist). */
  staticDir?: string;
  /** Where RPC failures and recoveries are reported (default stderr). */
  log?: (line: string) => void;
}

export interface Dashboard {
  url: string;
  indexer: Indexer;
  stop(): Promise<void>;
}

export const DEFAULT_STATIC_DIR = path.join(__dirname, "dist");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".ico": "image/x-icon",
};

/** Starts the indexer and the server; resolves once both are listening. */
export async function startDashboard(opts: DashboardOptions): Promise<Dashboard> {
  const staticDir = opts.staticDir ?? DEFAULT_STATIC_DIR;
  if (!fs.existsSync(path.join(staticDir, "index.html"))) {
    throw new Error(
      `the page is not built (${staticDir}/index.html missing): run \`npx vite build app/web\``,
    );
  }
  const connection = new Connection(opts.rpc, { commitment: "confirmed", wsEndpoint: opts.ws });
  const indexer = new Indexer(connection, opts);
  const server = http.createServer((req, res) => serve(req, res, staticDir, indexer));
  const wss = new WebSocket.Server({ server, path: "/live" });
  const broadcast = (msg: ServerMessage) => {
    const text = JSON.stringify(msg);
    for (const c of wss.clients) if (c.readyState === WebSocket.OPEN) c.send(text);
  };
  wss.on("connection", (socket) => {
    socket.send(JSON.stringify({ type: "snapshot", snapshot: indexer.snapshot } satisfies ServerMessage));
  });
  indexer.onTake((take) => broadcast({ type: "take", take }));

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  await indexer.start();
  let stopped = false;
  let lastError: string | null = null;
  const loop = async () => {
    while (!stopped) {
      const snapshot = await indexer.poll();
      if (snapshot.error !== lastError) {
        (opts.log ?? console.error)(`[dashboard] ${snapshot.error ?? `reading ${opts.rpc} again`}`);
        lastError = snapshot.error;
      }
      broadcast({ type: "snapshot", snapshot });
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 1000));
    }
  };
  const running = loop();
  const address = server.address() as { port: number };
  return {
    url: `http://${opts.host ?? "127.0.0.1"}:${address.port}/`,
    indexer,
    async stop() {
      stopped = true;
      await running;
      await indexer.stop();
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function serve(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  staticDir: string,
  indexer: Indexer,
): void {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { Allow: "GET, HEAD" }).end("read-only dashboard\n");
    return;
  }
  if (url.pathname === "/api/snapshot") {
    res.writeHead(200, { "Content-Type": TYPES[".json"], "Cache-Control": "no-store" });
    res.end(JSON.stringify(indexer.snapshot));
    return;
  }
  // Static files; anything unknown gets the page (one-page app).
  const rel = path.normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, "");
  let file = path.join(staticDir, rel);
  if (!file.startsWith(staticDir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    file = path.join(staticDir, "index.html");
  }
  res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream" });
  fs.createReadStream(file).pipe(res);
}

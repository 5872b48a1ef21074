/**
 * Bidder configuration: defaults < JSON file (`--config`) < environment (`GAVEL_*`) < CLI flags.
 *
 * {@link parseConfig} is pure (no file or network access besides reading the `--config` file) and
 * throws a {@link ConfigError} with a one-line message on any bad value; {@link loadKeypair} and
 * {@link checkRpc} do the checks that need the file system or the network.
 * @module
 */
import { Connection, Keypair, PublicKey } from "@solana/web3.js";
import * as fs from "fs";
import { parseArgs } from "util";
import { PROGRAM_ID } from "../../sdk/src";

/** A configuration problem, reported as one line and a non-zero exit code. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** How the bot pays for collateral. */
export type StrategyKind = "inventory" | "flash";

/** Settings of the swap venue used by the `flash` strategy. */
export interface VenueConfig {
  /** `local-test`: a market-maker keypair co-signs two SPL transfers (tests and local chains). */
  kind: "local-test";
  /** Keypair file of the market maker (it must hold debt tokens in its associated account). */
  makerKeypair: string;
  /** The maker buys collateral at the oracle price minus this spread (bps). */
  spreadBps: number;
}

/** Everything the bot needs to run. */
export interface BidderConfig {
  /** Name in logs and metrics (several bots on one host). */
  name: string;
  /** JSON-RPC endpoint (HTTP). */
  rpc: string;
  /** Websocket endpoint; default: the RPC URL with ws(s):// and port + 1. */
  ws: string;
  /** Keypair file (JSON array of 64 bytes, as `solana-keygen` writes it). */
  keypair: string;
  /** Markets to watch (base58); empty = every market of the program. */
  markets: string[];
  /** Gavel program id. */
  programId: string;
  /** Required margin: take only at price ≤ value × (1 − minProfitBps / 10 000). */
  minProfitBps: number;
  /** Cap of the priority fee, micro-lamports per compute unit. */
  maxPriorityFee: number;
  /** Share of the expected profit bid as priority fee, in [0, 1]. */
  priorityFeeShare: number;
  /** `inventory` (pays from the debt-token balance) or `flash` (flash take + swap venue). */
  strategy: StrategyKind;
  /** Decide and log, send nothing. */
  dryRun: boolean;
  /** Absorb-keeper mode: send `absorb` for auctions the market's backstop may absorb (issue 19). */
  absorbKeeper: boolean;
  /** Buy the backstop's collateral (`buy_from_backstop`) when it pays under the bot's cost model. */
  backstopBuy: boolean;
  /** Port of the Prometheus `/metrics` and `/health` server; null = no server; 0 = any free port. */
  metricsPort: number | null;
  /** Seconds between full resyncs with getProgramAccounts. */
  resyncSecs: number;
  /** Haircut on the collateral's value for slippage and venue fees (bps). */
  slippageBps: number;
  /** Debt tokens per SOL, to convert transaction fees into debt units. */
  solPrice: number;
  /** Send without preflight simulation. */
  skipPreflight: boolean;
  /** Send this many ms after the chain second starts (negative: before). */
  sendLeadMs: number;
  /** Give up confirming a transaction after this many seconds. */
  confirmTimeoutSecs: number;
  /** Timeout of the startup RPC check, ms. */
  rpcTimeoutMs: number;
  /** Skip takes when the oracle is older than this (seconds; our valuation, not the program's check). */
  maxOracleAgeSecs: number;
  /** Swap venue of the `flash` strategy. */
  venue: VenueConfig | null;
  /** pino log level. */
  logLevel: string;
}

/** Defaults of every setting. */
export const DEFAULTS: BidderConfig = {
  name: "bidder",
  rpc: "http://127.0.0.1:8899",
  ws: "",
  keypair: `${process.env.HOME ?? "."}/.config/solana/id.json`,
  markets: [],
  programId: PROGRAM_ID.toBase58(),
  minProfitBps: 100,
  maxPriorityFee: 1_000_000,
  priorityFeeShare: 0.1,
  strategy: "inventory",
  dryRun: false,
  absorbKeeper: false,
  backstopBuy: false,
  metricsPort: null,
  resyncSecs: 30,
  slippageBps: 0,
  solPrice: 150,
  skipPreflight: false,
  sendLeadMs: 0,
  confirmTimeoutSecs: 30,
  rpcTimeoutMs: 5_000,
  maxOracleAgeSecs: 120,
  venue: null,
  logLevel: "info",
};

/** Environment variables and the setting each one sets. */
export const ENV_VARS: Record<string, keyof BidderConfig> = {
  GAVEL_NAME: "name",
  GAVEL_RPC: "rpc",
  GAVEL_WS: "ws",
  GAVEL_KEYPAIR: "keypair",
  GAVEL_MARKETS: "markets",
  GAVEL_PROGRAM_ID: "programId",
  GAVEL_MIN_PROFIT_BPS: "minProfitBps",
  GAVEL_MAX_PRIORITY_FEE: "maxPriorityFee",
  GAVEL_PRIORITY_FEE_SHARE: "priorityFeeShare",
  GAVEL_STRATEGY: "strategy",
  GAVEL_DRY_RUN: "dryRun",
  GAVEL_ABSORB_KEEPER: "absorbKeeper",
  GAVEL_BACKSTOP_BUY: "backstopBuy",
  GAVEL_METRICS_PORT: "metricsPort",
  GAVEL_RESYNC_SECS: "resyncSecs",
  GAVEL_SLIPPAGE_BPS: "slippageBps",
  GAVEL_SOL_PRICE: "solPrice",
  GAVEL_LOG_LEVEL: "logLevel",
};

/** A command-line flag: the setting it sets, its argument, what it does. */
interface FlagSpec {
  key: keyof BidderConfig;
  /** Placeholder of its value (`""` for a boolean flag). */
  arg: string;
  help: string;
}

/** CLI flags (kebab-case), in `--help` order. */
export const FLAGS: Record<string, FlagSpec> = {
  rpc: { key: "rpc", arg: "<url>", help: "JSON-RPC endpoint (HTTP)" },
  ws: { key: "ws", arg: "<url>", help: "websocket endpoint; empty = the RPC URL with ws(s):// and port + 1" },
  keypair: { key: "keypair", arg: "<file>", help: "bidder keypair file (solana-keygen JSON)" },
  market: {
    key: "markets",
    arg: "<address>",
    help: "market to watch; repeatable or a comma list; none = all",
  },
  "program-id": { key: "programId", arg: "<address>", help: "Gavel program id" },
  "min-profit-bps": { key: "minProfitBps", arg: "<n>", help: "required margin below the collateral value" },
  "max-priority-fee": { key: "maxPriorityFee", arg: "<n>", help: "priority fee cap, micro-lamports per CU" },
  "priority-fee-share": {
    key: "priorityFeeShare",
    arg: "<x>",
    help: "share of expected profit bid as fee, 0..1",
  },
  strategy: {
    key: "strategy",
    arg: "inventory|flash",
    help: "pay from the debt-token balance, or flash take + venue",
  },
  "dry-run": { key: "dryRun", arg: "", help: "decide and log everything, send nothing" },
  "absorb-keeper": {
    key: "absorbKeeper",
    arg: "",
    help: "absorb stalled or near-insolvent auctions into the backstop",
  },
  "backstop-buy": {
    key: "backstopBuy",
    arg: "",
    help: "buy the backstop's collateral at oracle × (1 − discount) when profitable",
  },
  "metrics-port": {
    key: "metricsPort",
    arg: "<n>",
    help: "serve /metrics and /health (0 = any free port; none = off)",
  },
  "resync-secs": { key: "resyncSecs", arg: "<n>", help: "full resync period, seconds" },
  "slippage-bps": {
    key: "slippageBps",
    arg: "<n>",
    help: "haircut on the collateral value (venue fees, slippage)",
  },
  "sol-price": { key: "solPrice", arg: "<x>", help: "debt tokens per SOL (converts fees into debt units)" },
  "skip-preflight": { key: "skipPreflight", arg: "", help: "send without preflight simulation" },
  "send-lead-ms": {
    key: "sendLeadMs",
    arg: "<n>",
    help: "send n ms after the chain second starts (before: --send-lead-ms=-50)",
  },
  "confirm-timeout-secs": {
    key: "confirmTimeoutSecs",
    arg: "<n>",
    help: "give up confirming a transaction after n seconds",
  },
  "rpc-timeout-ms": { key: "rpcTimeoutMs", arg: "<n>", help: "timeout of the startup RPC check, ms" },
  "max-oracle-age-secs": {
    key: "maxOracleAgeSecs",
    arg: "<n>",
    help: "skip takes when the oracle is older (seconds)",
  },
  name: { key: "name", arg: "<name>", help: "name in logs and metrics" },
  "log-level": { key: "logLevel", arg: "<level>", help: "pino level (info, debug, ...)" },
};

/** Settings only a `--config` file sets (no flag). */
export const FILE_ONLY: (keyof BidderConfig)[] = ["venue"];

/** A default as `--help` prints it. */
export function defaultText(key: keyof BidderConfig): string {
  const v = DEFAULTS[key];
  if (v === null) return "none";
  if (Array.isArray(v)) return v.length ? v.join(",") : "none";
  if (v === "") return "none";
  return String(v);
}

/** Usage text of the CLI, generated from {@link FLAGS}, {@link DEFAULTS} and {@link ENV_VARS}. */
export const USAGE = ((): string => {
  const envOf = (key: keyof BidderConfig) => Object.keys(ENV_VARS).find((e) => ENV_VARS[e] === key);
  const lines = [
    "usage: node target/bidder/app/bidder/main.js [flags]   (npm run build:bidder builds it)",
    "",
    "  --config <file>".padEnd(38) + "JSON file with any setting below (camelCase keys); flags override it",
    "  --help".padEnd(38) + "this text",
  ];
  for (const [flag, f] of Object.entries(FLAGS)) {
    const env = envOf(f.key);
    lines.push(
      `  --${flag}${f.arg ? ` ${f.arg}` : ""}`.padEnd(38) +
        `${f.help} (default: ${defaultText(f.key)})${env ? ` [${env}]` : ""}`,
    );
  }
  lines.push("", "config file only:");
  lines.push(
    `  venue`.padEnd(38) +
      `swap venue of --strategy flash: {"kind":"local-test","makerKeypair":<file>,"spreadBps":<n>} (default: none)`,
  );
  lines.push("", "SIGINT/SIGTERM: stop deciding, drain transactions in flight (up to 10 s), exit 0.");
  return lines.join("\n");
})();

type Raw = Partial<Record<keyof BidderConfig, unknown>>;

function fail(msg: string): never {
  throw new ConfigError(msg);
}

function toInt(v: unknown, what: string, min: number, max: number): number {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    fail(`${what} must be an integer in [${min}, ${max}], got ${JSON.stringify(v)}`);
  }
  return n;
}

function toNum(v: unknown, what: string, min: number, max: number): number {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < min || n > max) {
    fail(`${what} must be a number in [${min}, ${max}], got ${JSON.stringify(v)}`);
  }
  return n;
}

function toBool(v: unknown, what: string): boolean {
  if (typeof v === "boolean") return v;
  if (v === "1" || v === "true" || v === "yes") return true;
  if (v === "0" || v === "false" || v === "no" || v === "") return false;
  return fail(`${what} must be true or false, got ${JSON.stringify(v)}`);
}

function toUrl(v: unknown, what: string, protocols: string[]): string {
  if (typeof v !== "string") fail(`${what} must be a URL string`);
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return fail(`${what} is not a valid URL: ${JSON.stringify(v)}`);
  }
  if (!protocols.includes(u.protocol)) {
    fail(`${what} must use ${protocols.join(" or ")}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function toPubkey(v: unknown, what: string): string {
  if (typeof v !== "string") fail(`${what} must be a base58 address`);
  try {
    return new PublicKey(v).toBase58();
  } catch {
    return fail(`${what} is not a valid base58 address: ${JSON.stringify(v)}`);
  }
}

function toList(v: unknown): unknown[] {
  const items = Array.isArray(v) ? v : [v];
  return items.flatMap((x) =>
    typeof x === "string"
      ? x
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== "")
      : [x],
  );
}

/** The websocket URL a Solana RPC URL implies (http→ws, https→wss, port + 1). */
export function defaultWsUrl(rpc: string): string {
  const u = new URL(rpc);
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  if (u.port !== "") u.port = String(Number(u.port) + 1);
  return u.toString().replace(/\/$/, "");
}

/** Validates and normalizes merged raw settings. */
export function validateConfig(raw: Raw): BidderConfig {
  const known = new Set(Object.keys(DEFAULTS));
  for (const k of Object.keys(raw)) if (!known.has(k)) fail(`unknown setting "${k}"`);
  const v = { ...DEFAULTS, ...raw } as Record<keyof BidderConfig, unknown>;
  const strategy = String(v.strategy);
  if (strategy !== "inventory" && strategy !== "flash") {
    fail(`--strategy must be inventory or flash, got ${JSON.stringify(v.strategy)}`);
  }
  const rpc = toUrl(v.rpc, "--rpc", ["http:", "https:"]);
  const ws = v.ws === "" || v.ws == null ? defaultWsUrl(rpc) : toUrl(v.ws, "--ws", ["ws:", "wss:"]);
  if (typeof v.keypair !== "string" || v.keypair === "") fail("--keypair must be a file path");
  const name = String(v.name);
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) fail(`--name must match [A-Za-z0-9_.-]{1,64}, got ${name}`);
  let venue: VenueConfig | null = null;
  if (v.venue != null) {
    const r = v.venue as Record<string, unknown>;
    if (typeof r !== "object" || r.kind !== "local-test") fail(`venue.kind must be "local-test"`);
    if (typeof r.makerKeypair !== "string" || r.makerKeypair === "") {
      fail("venue.makerKeypair must be a file path");
    }
    venue = {
      kind: "local-test",
      makerKeypair: r.makerKeypair,
      spreadBps: r.spreadBps == null ? 0 : toInt(r.spreadBps, "venue.spreadBps", 0, 9_999),
    };
  }
  if (strategy === "flash" && venue === null) fail("--strategy flash needs a venue in the --config file");
  const metricsPort =
    v.metricsPort === null || v.metricsPort === "" ? null : toInt(v.metricsPort, "--metrics-port", 0, 65_535);
  const markets = toList(v.markets).map((m) => toPubkey(m, "--market"));
  return {
    name,
    rpc,
    ws,
    keypair: v.keypair,
    markets: [...new Set(markets)],
    programId: toPubkey(v.programId, "--program-id"),
    minProfitBps: toInt(v.minProfitBps, "--min-profit-bps", 0, 9_999),
    maxPriorityFee: toInt(v.maxPriorityFee, "--max-priority-fee", 0, 1_000_000_000_000),
    priorityFeeShare: toNum(v.priorityFeeShare, "--priority-fee-share", 0, 1),
    strategy,
    dryRun: toBool(v.dryRun, "--dry-run"),
    absorbKeeper: toBool(v.absorbKeeper, "--absorb-keeper"),
    backstopBuy: toBool(v.backstopBuy, "--backstop-buy"),
    metricsPort,
    resyncSecs: toNum(v.resyncSecs, "--resync-secs", 1, 86_400),
    slippageBps: toInt(v.slippageBps, "--slippage-bps", 0, 9_999),
    solPrice: toNum(v.solPrice, "--sol-price", 1e-9, 1e12),
    skipPreflight: toBool(v.skipPreflight, "--skip-preflight"),
    sendLeadMs: toInt(v.sendLeadMs, "--send-lead-ms", -1_000, 5_000),
    confirmTimeoutSecs: toNum(v.confirmTimeoutSecs, "--confirm-timeout-secs", 1, 600),
    rpcTimeoutMs: toInt(v.rpcTimeoutMs, "--rpc-timeout-ms", 100, 120_000),
    maxOracleAgeSecs: toInt(v.maxOracleAgeSecs, "--max-oracle-age-secs", 1, 86_400),
    venue,
    logLevel: String(v.logLevel),
  };
}

/**
 * Parses `argv` (without `node script`) and `env` into a validated config. Reads the `--config`
 * file when given. Throws {@link ConfigError}; `{ help: true }` when `--help` was asked for.
 */
export function parseConfig(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): { config: BidderConfig; help: false } | { help: true } {
  const options: Record<string, { type: "string" | "boolean"; multiple?: boolean }> = {
    config: { type: "string" },
    help: { type: "boolean" },
  };
  for (const flag of Object.keys(FLAGS)) {
    options[flag] =
      FLAGS[flag].arg === "" ? { type: "boolean" } : { type: "string", multiple: flag === "market" };
  }
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (e) {
    return fail((e as Error).message.split("\n")[0]);
  }
  if (values.help) return { help: true };

  let file: Raw = {};
  if (typeof values.config === "string") {
    let text: string;
    try {
      text = fs.readFileSync(values.config, "utf8");
    } catch (e) {
      return fail(`cannot read --config ${values.config}: ${(e as NodeJS.ErrnoException).code ?? e}`);
    }
    try {
      file = JSON.parse(text) as Raw;
    } catch (e) {
      return fail(`--config ${values.config} is not valid JSON: ${(e as Error).message}`);
    }
    if (typeof file !== "object" || file === null || Array.isArray(file)) {
      fail(`--config ${values.config} must hold a JSON object`);
    }
  }
  const fromEnv: Raw = {};
  for (const [name, key] of Object.entries(ENV_VARS)) {
    if (env[name] !== undefined && env[name] !== "") fromEnv[key] = env[name];
  }
  const fromFlags: Raw = {};
  for (const [flag, { key }] of Object.entries(FLAGS)) {
    if (values[flag] !== undefined) fromFlags[key] = values[flag];
  }
  return { config: validateConfig({ ...file, ...fromEnv, ...fromFlags }), help: false };
}

/** Reads a keypair file (JSON array of 64 numbers); throws {@link ConfigError}. */
export function loadKeypair(path: string, what = "--keypair"): Keypair {
  let text: string;
  try {
    text = fs.readFileSync(path, "utf8");
  } catch (e) {
    return fail(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  let bytes: unknown;
  try {
    bytes = JSON.parse(text);
  } catch {
    return fail(`${what} ${path} is not a JSON array of 64 bytes`);
  }
  if (
    !Array.isArray(bytes) ||
    bytes.length !== 64 ||
    !bytes.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)
  ) {
    fail(`${what} ${path} is not a JSON array of 64 bytes`);
  }
  try {
    return Keypair.fromSecretKey(Uint8Array.from(bytes as number[]));
  } catch (e) {
    return fail(`${what} ${path} is not a valid keypair: ${(e as Error).message}`);
  }
}

/** Checks that the RPC answers `getVersion` within `timeoutMs`; throws {@link ConfigError}. */
export async function checkRpc(connection: Connection, url: string, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const v = await Promise.race([connection.getVersion(), timeout]);
    return v["solana-core"];
  } catch (e) {
    return fail(`RPC ${url} is unreachable: ${(e as Error).message.split("\n")[0]}`);
  } finally {
    clearTimeout(timer);
  }
}

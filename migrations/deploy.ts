/**
 * Deploys Gavel on a cluster and initializes it, idempotently, over RPC alone (no `solana` CLI).
 * `--keypair` pays for everything and becomes the upgrade authority and the Config's admin.
 *
 * 1. The program (skipped with `--skip-program`): `--so` (default target/deploy/gavel.so) goes
 *    through the BPF Upgradeable Loader (migrations/loader.ts) at the address of
 *    `--program-keypair` (default keys/gavel-program-keypair.json, the SDK's `PROGRAM_ID`). No
 *    program there: it is deployed, with room to grow to `--max-data-len` bytes (default twice the
 *    .so). Deployed with other bytes: it is upgraded in place, no flag needed, if the keypair is
 *    its upgrade authority (otherwise an error naming the authority). Same bytes: "program up to
 *    date", nothing sent. The balance is checked against rent and fees before anything is sent; a
 *    buffer left by a failed write or deploy is closed, or its address printed if that fails too.
 * 2. The IDL on chain (skipped with `--skip-idl`; migrations/idl.ts): idl/gavel.json, compressed,
 *    in the IdlAccount where Anchor's `Program.at` and `anchor idl fetch` look; republished when it
 *    differs; only the upgrade authority may publish it.
 * 3. The Config (admin = the keypair) unless it exists.
 * 4. Each market of `--markets <file.json>` (see migrations/markets.example.json) unless it exists.
 *    A market that exists with other parameters is an error, unless `--update` is given (then
 *    `update_market` applies the file's parameters).
 *
 *   npx ts-node migrations/deploy.ts --rpc http://127.0.0.1:8899 --keypair ~/.config/solana/id.json \
 *     --markets migrations/markets.example.json
 *
 * `--ws <url>` names the websocket endpoint when it is not the RPC port + 1 (sends go through the
 * SDK's `sendAndConfirm`, which polls over HTTP, so nothing needs it today);
 * `--in-flight <n>` caps concurrent buffer writes (default 32; fewer for rate-limited public RPCs).
 */
import BN from "bn.js";
import { Connection, Keypair, PublicKey } from "@solana/web3.js";
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import {
  configPda,
  createMarketIx,
  Curve,
  decodeConfig,
  decodeMarket,
  initializeConfigIx,
  MAKER_ENGINE,
  marketPda,
  MarketParams,
  PROGRAM_ID,
  sendAndConfirm,
  updateMarketIx,
} from "../sdk/src";
import { AnchorProvider, Wallet } from "@coral-xyz/anchor";
import { loadKeypair } from "../app/bidder/config";
import { publishIdl } from "./idl";
import { deployProgram } from "./loader";

/** What `initializeGavel` did. */
export interface InitResult {
  created: boolean;
  admin: string;
  stop: number;
  signature?: string;
}

/** Creates the Config with `admin` as admin unless it exists; fails if the program is missing. */
export async function initializeGavel(connection: Connection, admin: Keypair): Promise<InitResult> {
  const program = await connection.getAccountInfo(PROGRAM_ID);
  if (!program?.executable) {
    throw new Error(`Gavel is not deployed at ${PROGRAM_ID.toBase58()} on ${connection.rpcEndpoint}`);
  }
  const [config] = configPda();
  const existing = await connection.getAccountInfo(config);
  if (existing) {
    const cfg = decodeConfig(existing.data);
    if (!cfg.admin.equals(admin.publicKey)) {
      throw new Error(
        `config already initialized by ${cfg.admin.toBase58()}, not by this keypair (${admin.publicKey.toBase58()})`,
      );
    }
    return { created: false, admin: cfg.admin.toBase58(), stop: cfg.stop };
  }
  const balance = await connection.getBalance(admin.publicKey);
  if (balance < 5_000_000) {
    throw new Error(`admin ${admin.publicKey.toBase58()} has ${balance} lamports; needs at least 0.005 SOL`);
  }
  const signature = await sendAndConfirm(
    connection,
    [initializeConfigIx({ admin: admin.publicKey })],
    [admin],
  );
  const cfg = decodeConfig((await connection.getAccountInfo(config))!.data);
  return { created: true, admin: cfg.admin.toBase58(), stop: cfg.stop, signature };
}

/** A market of the markets file: mints and parameters (numbers, or decimal strings for u64). */
export interface MarketSpec {
  collateralMint: string;
  debtMint: string;
  params: Record<string, unknown>;
}

const U64_FIELDS = [
  "tip",
  "tailSecs",
  "hole",
  "dust",
  "borrowRatePerSecWad",
  "maxAgeSecs",
  "maxAgeSlots",
  "withdrawCooldownSecs",
];
const KEY_FIELDS = ["oracleProgram", "collateralOracle", "debtOracle"];
const SMALL_FIELDS = [
  "maxLtvBps",
  "liquidationLtvBps",
  "chopBps",
  "bufBps",
  "cuspBps",
  "chipBps",
  "collateralOracleKind",
  "debtOracleKind",
  "maxConfBps",
];

/** `v` as a public key; `what` names it in the error. */
function publicKey(v: unknown, what: string): PublicKey {
  try {
    return new PublicKey(String(v));
  } catch {
    throw new Error(`${what} is not a public key`);
  }
}

/** Parses a markets-file params object into `MarketParams`, with a clear error per bad field. */
export function parseParams(raw: Record<string, unknown>, where: string): MarketParams {
  if (typeof raw !== "object" || raw === null) throw new Error(`${where}: missing params`);
  const out: Record<string, unknown> = {};
  const need = (k: string): unknown => {
    if (raw[k] === undefined) throw new Error(`${where}: missing params.${k}`);
    return raw[k];
  };
  for (const k of U64_FIELDS) {
    const v = String(need(k));
    if (!/^\d+$/.test(v)) throw new Error(`${where}: params.${k} must be a non-negative integer, got ${v}`);
    out[k] = new BN(v);
  }
  for (const k of SMALL_FIELDS) {
    const v = Number(need(k));
    if (!Number.isInteger(v) || v < 0)
      throw new Error(`${where}: params.${k} must be a non-negative integer`);
    out[k] = v;
  }
  // Engine v2 and backstop funding fields are optional: absent = the original engine (Maker
  // curve, whole positions) and no funding share.
  for (const k of [...Object.keys(MAKER_ENGINE), "backstopInterestShareBps", "backstopPenaltyShareBps"]) {
    const v = raw[k] === undefined ? 0 : Number(raw[k]);
    if (!Number.isInteger(v) || v < 0)
      throw new Error(`${where}: params.${k} must be a non-negative integer`);
    out[k] = v;
  }
  for (const k of KEY_FIELDS) out[k] = publicKey(need(k), `${where}: params.${k}`);
  const c = need("curve") as Record<string, Record<string, string | number>>;
  const bn = (v: string | number | undefined, name: string): BN => {
    if (v === undefined || !/^\d+$/.test(String(v)))
      throw new Error(`${where}: params.curve.${name} must be an integer`);
    return new BN(String(v));
  };
  let curve: Curve;
  if (c.linear) curve = { linear: { tauSecs: bn(c.linear.tauSecs, "linear.tauSecs") } };
  else if (c.stairstepExp)
    curve = {
      stairstepExp: {
        stepSecs: bn(c.stairstepExp.stepSecs, "stairstepExp.stepSecs"),
        cut: bn(c.stairstepExp.cut, "stairstepExp.cut"),
      },
    };
  else if (c.exp) curve = { exp: { cut: bn(c.exp.cut, "exp.cut") } };
  else throw new Error(`${where}: params.curve must be one of linear, stairstepExp, exp`);
  out.curve = curve;
  return out as unknown as MarketParams;
}

/** Canonical text of params, to compare what is on chain with what the file asks for. */
function paramsKey(p: MarketParams): string {
  const canon = (v: unknown): unknown => {
    if (BN.isBN(v)) return v.toString();
    if (v instanceof PublicKey) return v.toBase58();
    if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(o)
          .sort()
          .map((k) => [k, canon(o[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(canon(p));
}

/** Creates (or, with `update`, updates) each market; returns one line per market. */
export async function applyMarkets(
  connection: Connection,
  admin: Keypair,
  specs: MarketSpec[],
  update = false,
): Promise<string[]> {
  const lines: string[] = [];
  for (const [i, spec] of specs.entries()) {
    const where = `markets[${i}]`;
    const collateralMint = publicKey(spec.collateralMint, `${where}: collateralMint`);
    const debtMint = publicKey(spec.debtMint, `${where}: debtMint`);
    const params = parseParams(spec.params, where);
    const [market] = marketPda(collateralMint, debtMint);
    const existing = await connection.getAccountInfo(market);
    if (!existing) {
      const sig = await sendAndConfirm(
        connection,
        [createMarketIx({ admin: admin.publicKey, collateralMint, debtMint }, params)],
        [admin],
      );
      lines.push(`${where}: market ${market.toBase58()} created (${sig})`);
      continue;
    }
    const onChain = decodeMarket(existing.data).params;
    if (paramsKey(onChain) === paramsKey(params)) {
      lines.push(`${where}: market ${market.toBase58()} exists with the same parameters`);
    } else if (update) {
      const sig = await sendAndConfirm(
        connection,
        [updateMarketIx({ admin: admin.publicKey, market }, params)],
        [admin],
      );
      lines.push(`${where}: market ${market.toBase58()} updated (${sig})`);
    } else {
      throw new Error(
        `${where}: market ${market.toBase58()} already exists with other parameters (pass --update to apply the file's)`,
      );
    }
  }
  return lines;
}

/** The command line's flags: `true` for those that take a value. */
const FLAGS = {
  rpc: true,
  ws: true,
  keypair: true,
  markets: true,
  update: false,
  "skip-program": false,
  "skip-idl": false,
  so: true,
  "program-keypair": true,
  "max-data-len": true,
  "in-flight": true,
} as const;

/** Parsed command line: each flag given, with its value (`true` for a switch). */
export type DeployArgs = Partial<Record<keyof typeof FLAGS, string | boolean>>;

/**
 * Parses the command line; throws a one-line error on an unknown flag, a missing value (a value
 * may not start with `-`) or a positional argument, so a mistyped flag is never silently ignored.
 */
export function parseDeployArgs(argv: string[]): DeployArgs {
  const options = Object.fromEntries(
    Object.entries(FLAGS).map(([name, takesValue]) => [name, { type: takesValue ? "string" : "boolean" }]),
  ) as Record<string, { type: "string" | "boolean" }>;
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as DeployArgs;
  } catch (e) {
    const known = Object.keys(FLAGS)
      .map((f) => `--${f}`)
      .join(", ");
    throw new Error(`${(e as Error).message.split("\n")[0]} (flags: ${known})`);
  }
}

/** `--name <n>` as a positive integer; undefined when the flag is absent. */
function positiveInt(args: DeployArgs, name: "max-data-len" | "in-flight"): number | undefined {
  if (args[name] === undefined) return undefined;
  const v = Number(args[name]);
  if (!Number.isSafeInteger(v) || v <= 0)
    throw new Error(`--${name} must be a positive integer, got "${args[name]}"`);
  return v;
}

/** A keypair from a JSON file of its secret key bytes (the `solana-keygen` format). */
function readKeypair(file: string, flag: string): Keypair {
  const resolved = file.replace(/^~/, process.env.HOME ?? "~");
  if (!fs.existsSync(resolved)) throw new Error(`keypair file not found: ${resolved}`);
  return loadKeypair(resolved, flag);
}

/** The markets file: read and checked before anything is sent. */
function readMarketsFile(file: string): MarketSpec[] {
  if (!fs.existsSync(file)) throw new Error(`markets file not found: ${file}`);
  let specs: unknown;
  try {
    specs = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`markets file ${file} is not valid JSON: ${(e as Error).message.split("\n")[0]}`);
  }
  const markets = (specs as { markets?: unknown } | null)?.markets;
  if (!Array.isArray(markets)) throw new Error(`markets file ${file} must hold {"markets": [...]}`);
  return markets as MarketSpec[];
}

async function main(): Promise<void> {
  const args = parseDeployArgs(process.argv.slice(2));
  const str = (name: keyof typeof FLAGS, fallback: string) => (args[name] as string | undefined) ?? fallback;
  const rpc = str("rpc", "http://127.0.0.1:8899");
  const admin = readKeypair(str("keypair", `${process.env.HOME}/.config/solana/id.json`), "--keypair");
  const markets = args.markets === undefined ? undefined : readMarketsFile(args.markets as string);
  const maxDataLen = positiveInt(args, "max-data-len");
  const inFlight = positiveInt(args, "in-flight");
  const connection = new Connection(rpc, {
    commitment: "confirmed",
    wsEndpoint: args.ws as string | undefined,
  });
  if (!args["skip-program"]) {
    const root = path.join(__dirname, "..");
    const programKeypair = readKeypair(
      str("program-keypair", path.join(root, "keys/gavel-program-keypair.json")),
      "--program-keypair",
    );
    if (!programKeypair.publicKey.equals(PROGRAM_ID)) {
      throw new Error(
        `program keypair is ${programKeypair.publicKey.toBase58()} but the SDK's PROGRAM_ID is ${PROGRAM_ID.toBase58()}`,
      );
    }
    const soPath = str("so", path.join(root, "target/deploy/gavel.so"));
    if (!fs.existsSync(soPath)) throw new Error(`program file not found: ${soPath}`);
    const deployed = await deployProgram(connection, admin, fs.readFileSync(soPath), {
      programKeypair,
      maxDataLen,
      inFlight,
    });
    console.log(
      deployed.action === "up to date"
        ? `program ${deployed.programId} up to date`
        : `program ${deployed.programId} ${deployed.action}: ${deployed.transactions} transactions (${deployed.writes} buffer writes) in ${deployed.seconds.toFixed(1)} s`,
    );
  }
  if (!args["skip-idl"]) console.log(await publishGavelIdl(connection, admin));
  await initializeAndApply(connection, admin, markets, args.update === true);
}

/** Publishes idl/gavel.json on chain; returns a line saying what happened. */
async function publishGavelIdl(connection: Connection, admin: Keypair): Promise<string> {
  const idl = JSON.parse(fs.readFileSync(path.join(__dirname, "../idl/gavel.json"), "utf8")) as unknown;
  const r = await publishIdl(connection, admin, PROGRAM_ID, idl);
  return r.action === "up to date"
    ? `IDL up to date at ${r.address}`
    : `IDL ${r.action} at ${r.address}: ${r.bytes} compressed bytes in ${r.transactions} transactions`;
}

/** Steps 3 and 4: the Config, then the markets of the markets file (if any). */
async function initializeAndApply(
  connection: Connection,
  admin: Keypair,
  markets: MarketSpec[] | undefined,
  update: boolean,
): Promise<void> {
  const res = await initializeGavel(connection, admin);
  console.log(res.created ? `config created (${res.signature})` : "config already exists", res);
  if (markets) {
    for (const line of await applyMarkets(connection, admin, markets, update)) {
      console.log(line);
    }
  }
}

/**
 * Anchor's migration entry (`anchor migrate`, or `anchor deploy` followed by it): `anchor` calls the
 * module itself with its provider after deploying the program. Publishes the IDL, creates the
 * Config and applies `GAVEL_MARKETS` (a markets file, optional); the provider's wallet pays and
 * must be the upgrade authority.
 */
async function migrate(provider: AnchorProvider): Promise<void> {
  const admin = (provider.wallet as Wallet).payer;
  if (!admin) throw new Error("anchor migrate: the provider's wallet has no keypair (payer)");
  console.log(await publishGavelIdl(provider.connection, admin));
  const file = process.env.GAVEL_MARKETS;
  await initializeAndApply(provider.connection, admin, file ? readMarketsFile(file) : undefined, false);
}

// `anchor migrate` requires this file and calls the module with its provider; the named exports
// above stay available to importers.
module.exports = Object.assign(migrate, module.exports);

if (require.main === module) {
  main().catch((e: Error) => {
    console.error(`deploy: ${e.message}`);
    process.exit(1);
  });
}

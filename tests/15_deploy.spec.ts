/**
 * The deploy script on an embedded validator. On a chain without Gavel, an operator deploys the .so
 * through the upgradeable loader and initializes the config (then the program is up to date and
 * nothing is sent), upgrades it with other bytes, and is refused with someone else's keypair, an
 * invalid ELF (its buffer's rent comes back) or too little SOL. On a chain with Gavel, the operator
 * initializes Gavel and its markets from a JSON file, runs it again (nothing changes), edits a
 * parameter (refused without --update, applied with it), and gets one readable line for a missing
 * keypair.
 */
import { expect } from "chai";
import { execFile, execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { Connection, Keypair, LAMPORTS_PER_SOL, TransactionInstruction } from "@solana/web3.js";
import {
  configPda,
  decodeConfig,
  decodeMarket,
  ErrorCode,
  parseGavelError,
  PROGRAM_ID,
  sendAndConfirm,
  setStopIx,
} from "../sdk/src";
import { AnchorProvider, Program, Wallet } from "@coral-xyz/anchor";
import { applyMarkets, initializeGavel, MarketSpec, parseDeployArgs } from "../migrations/deploy";
import { idlAccountAddress, idlCloseIx, idlCreateIx, idlWriteIx } from "../migrations/idl";
import { deployProgram, holdsExactly, LOADER_ID, readProgramData } from "../migrations/loader";
import { ChainMarket, SdkChain, startChain, stopChain, SurfnetHandle } from "../sdk/testkit";
import example from "../migrations/markets.example.json";

const ROOT = path.join(__dirname, "..");
// Buffer writes in flight: surfpool 1.5's RPC has been seen to stop answering under 32 concurrent
// writes on a loaded 2-core machine; 8 keeps the upgrade tests reliable (the default stays 32).
const IN_FLIGHT = 8;
const SO = fs.readFileSync(path.join(ROOT, "target/deploy/gavel.so"));
const readKeypair = (file: string) =>
  Keypair.fromSecretKey(Uint8Array.from(JSON.parse(fs.readFileSync(file, "utf8"))));

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a rejection");
}

/** Runs migrations/deploy.ts on `surfnet` as the owner of `keypairFile`, with `extra` arguments; its stdout. */
async function deployCli(surfnet: SurfnetHandle, keypairFile: string, ...extra: string[]): Promise<string> {
  const args = [
    "migrations/deploy.ts",
    "--rpc",
    surfnet.rpcUrl,
    "--ws",
    surfnet.wsUrl,
    "--keypair",
    keypairFile,
  ];
  return (await promisify(execFile)("npx", ["ts-node", ...args, ...extra], { cwd: ROOT })).stdout;
}

describe("15 deploy script: the program through the upgradeable loader (embedded validator)", function () {
  this.timeout(300_000);
  // The chain starts with the suite, not when mocha loads the file (an idle chain would run for
  // the whole test command).
  let surfnet: SurfnetHandle;
  let connection: Connection;
  let admin: Keypair;
  let keypairFile: string;
  const programKeypair = readKeypair(path.join(ROOT, "keys/gavel-program-keypair.json"));
  const silent = () => undefined;
  // A valid ELF with other bytes: the loader accepts bytes after the ELF's last section (it pads
  // every program data account with zeros anyway); these are not zeros, so the code differs.
  const other = Buffer.concat([SO, Buffer.alloc(100, 0xab)]);
  const cli = (): Promise<string> => deployCli(surfnet, keypairFile, "--in-flight", String(IN_FLIGHT));
  before(() => {
    ({ surfnet, connection, admin } = startChain({ deploy: false }));
    keypairFile = path.join(os.tmpdir(), `gavel-deploy-${admin.publicKey.toBase58()}.json`);
    fs.writeFileSync(keypairFile, JSON.stringify(Array.from(admin.secretKey)));
  });
  after(() => {
    fs.rmSync(keypairFile, { force: true });
    if (surfnet) stopChain(surfnet, connection);
  });

  it("deploys gavel.so on a chain without Gavel, then creates the config through it", async () => {
    expect(await connection.getAccountInfo(PROGRAM_ID)).to.equal(null);
    const out = await cli();
    // 1012 bytes: what a one-signature Write transaction leaves of the 1232-byte packet.
    const writes = Math.ceil(SO.length / 1012);
    expect(out).to.contain(`program ${PROGRAM_ID.toBase58()} deployed: ${writes + 2} transactions`);
    expect(out).to.contain(`wrote ${writes}/${writes} chunks`);
    expect(out).to.match(/IDL published at \w+: \d+ compressed bytes/);
    expect(out).to.match(/config created/);
    const program = await connection.getAccountInfo(PROGRAM_ID);
    expect(program!.executable).to.equal(true);
    expect(program!.owner.equals(LOADER_ID)).to.equal(true);
    const data = await readProgramData(connection, PROGRAM_ID);
    expect(data!.code.subarray(0, SO.length).equals(SO)).to.equal(true);
    expect(data!.code.length).to.equal(2 * SO.length);
    expect(data!.authority!.equals(admin.publicKey)).to.equal(true);
    const config = await connection.getAccountInfo(configPda()[0]);
    expect(config!.owner.equals(PROGRAM_ID)).to.equal(true);
    expect(decodeConfig(config!.data).admin.equals(admin.publicKey)).to.equal(true);
  });

  it("a second run finds the program up to date and the config existing, and sends nothing", async () => {
    const balance = await connection.getBalance(admin.publicKey);
    const out = await cli();
    expect(out).to.contain(`program ${PROGRAM_ID.toBase58()} up to date`);
    expect(out).to.contain(`IDL up to date at ${idlAccountAddress(PROGRAM_ID).toBase58()}`);
    expect(out).to.match(/config already exists/);
    expect(await connection.getBalance(admin.publicKey)).to.equal(balance);
  });

  it("Anchor finds the IDL on chain: Program.at loads it, equal to idl/gavel.json", async () => {
    const provider = new AnchorProvider(connection, new Wallet(admin), { commitment: "confirmed" });
    const idl = JSON.parse(fs.readFileSync(path.join(ROOT, "idl/gavel.json"), "utf8"));
    expect(await Program.fetchIdl(PROGRAM_ID, provider)).to.deep.equal(idl);
    const program = await Program.at(PROGRAM_ID, provider);
    expect(program.programId.equals(PROGRAM_ID)).to.equal(true);
    expect(program.idl.instructions.length).to.equal(idl.instructions.length);
    const config = await (
      program.account as Record<string, { fetch(a: unknown): Promise<{ admin: unknown }> }>
    )["config"].fetch(configPda()[0]);
    expect(String(config.admin)).to.equal(admin.publicKey.toBase58());
  });

  it("`anchor migrate` calls the deploy module with its provider: IDL and config up to date", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const migrate = require("../migrations/deploy") as (provider: AnchorProvider) => Promise<void>;
    expect(migrate).to.be.a("function");
    const balance = await connection.getBalance(admin.publicKey);
    await migrate(new AnchorProvider(connection, new Wallet(admin), { commitment: "confirmed" }));
    expect(await connection.getBalance(admin.publicKey)).to.equal(balance);
  });

  it("other bytes upgrade the program in place; it executes after each upgrade", async () => {
    const setStop = async (stop: number) => {
      await sendAndConfirm(connection, [setStopIx({ admin: admin.publicKey }, stop)], [admin]);
      const config = await connection.getAccountInfo(configPda()[0]);
      expect(decodeConfig(config!.data).stop).to.equal(stop);
    };
    const before = await readProgramData(connection, PROGRAM_ID);
    const up = await deployProgram(connection, admin, other, {
      programKeypair,
      log: silent,
      inFlight: IN_FLIGHT,
    });
    expect(up.action).to.equal("upgraded");
    const after = await readProgramData(connection, PROGRAM_ID);
    expect(holdsExactly(after!.code, other)).to.equal(true);
    expect(after!.slot).to.be.greaterThan(before!.slot);
    await setStop(1);
    // Back to gavel.so: its first bytes are deployed already, but the tail is not zero padding.
    const back = await deployProgram(connection, admin, SO, {
      programKeypair,
      log: silent,
      inFlight: IN_FLIGHT,
    });
    expect(back.action).to.equal("upgraded");
    expect(holdsExactly((await readProgramData(connection, PROGRAM_ID))!.code, SO)).to.equal(true);
    await setStop(0);
  });

  it("another keypair is refused: the upgrade authority is named and nothing is sent", async () => {
    const someone = Keypair.generate();
    surfnet.fundSol(someone.publicKey.toBase58(), 10 * LAMPORTS_PER_SOL);
    const message = await rejection(
      deployProgram(connection, someone, other, { programKeypair, log: silent, inFlight: IN_FLIGHT }),
    );
    expect(message).to.equal(
      `program ${PROGRAM_ID.toBase58()} has upgrade authority ${admin.publicKey.toBase58()}, not this keypair (${someone.publicKey.toBase58()})`,
    );
    expect(await connection.getBalance(someone.publicKey)).to.equal(10 * LAMPORTS_PER_SOL);
  });

  it("an invalid ELF is rejected by the loader; its buffer is closed and the rent comes back", async () => {
    const fresh = Keypair.generate();
    const balance = await connection.getBalance(admin.publicKey);
    const message = await rejection(
      deployProgram(connection, admin, Buffer.alloc(5000, 7), { programKeypair: fresh, log: silent }),
    );
    expect(message).to.match(
      /^deploy failed: Transaction simulation failed: Error processing Instruction 1: invalid account data for instruction \(.+\); buffer \w+ closed, its rent returned$/,
    );
    expect(await connection.getAccountInfo(fresh.publicKey)).to.equal(null);
    // Fees only: the create, five writes and the close (the failed deploy is not sent).
    expect(balance - (await connection.getBalance(admin.publicKey))).to.be.lessThan(100_000);
  });

  it("too little SOL is refused up front with what the deploy needs", async () => {
    const poor = Keypair.generate();
    surfnet.fundSol(poor.publicKey.toBase58(), LAMPORTS_PER_SOL);
    const message = await rejection(
      deployProgram(connection, poor, SO, { programKeypair: Keypair.generate(), log: silent }),
    );
    expect(message).to.match(
      /^payer \w+ has 1\.0000 SOL; deploying needs about \d+\.\d{4} SOL \(buffer \d+\.\d{4} SOL, program data \d+\.\d{4} SOL, fees 0\.\d{4} SOL\)$/,
    );
    expect(await connection.getBalance(poor.publicKey)).to.equal(LAMPORTS_PER_SOL);
  });

  it("only the upgrade authority creates the IDL account, only its authority writes or closes it", async () => {
    const stranger = Keypair.generate();
    surfnet.fundSol(stranger.publicKey.toBase58(), LAMPORTS_PER_SOL);
    const as = (who: Keypair, ix: TransactionInstruction) => sendAndConfirm(connection, [ix], [who]);
    const refused = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        return parseGavelError(e)?.code;
      }
      throw new Error("expected a refusal");
    };
    expect(
      await refused(as(stranger, idlWriteIx(PROGRAM_ID, stranger.publicKey, Buffer.from("x")))),
    ).to.equal(ErrorCode.IdlAuthorityMismatch);
    expect(
      await refused(as(stranger, idlCloseIx(PROGRAM_ID, stranger.publicKey, stranger.publicKey))),
    ).to.equal(ErrorCode.IdlAuthorityMismatch);
    // The authority closes it; a stranger then cannot take the empty address.
    await as(admin, idlCloseIx(PROGRAM_ID, admin.publicKey, admin.publicKey));
    expect(await connection.getAccountInfo(idlAccountAddress(PROGRAM_ID))).to.equal(null);
    expect(await refused(as(stranger, idlCreateIx(PROGRAM_ID, stranger.publicKey, 100)))).to.equal(
      ErrorCode.IdlAuthorityMismatch,
    );
    // The deploy script publishes it again. (Last in this suite: after an account is closed and
    // re-created at the same address, surfpool 1.5 was seen to stop confirming later large
    // transaction bursts such as a program upgrade's buffer writes.)
    expect(await cli()).to.match(/IDL published at/);
  });
});

describe("15 deploy script on surfpool's default block production (no Gavel yet)", function () {
  this.timeout(300_000);
  let surfnet: SurfnetHandle;
  let connection: Connection;
  let keypairFile: string;
  before(() => {
    let admin: Keypair;
    // ~13 blocks a second: a blockhash lives ~11 s, less than web3.js's 30-second cache.
    ({ surfnet, connection, admin } = startChain({ deploy: false, blockProduction: "default" }));
    keypairFile = path.join(os.tmpdir(), `gavel-deploy-default-${admin.publicKey.toBase58()}.json`);
    fs.writeFileSync(keypairFile, JSON.stringify(Array.from(admin.secretKey)));
  });
  after(() => {
    fs.rmSync(keypairFile, { force: true });
    if (surfnet) stopChain(surfnet, connection);
  });

  it("deploys gavel.so and creates the config through it", async () => {
    const out = await deployCli(surfnet, keypairFile);
    expect(out).to.contain(`program ${PROGRAM_ID.toBase58()} deployed`);
    expect(out).to.match(/config created/);
    const data = await readProgramData(connection, PROGRAM_ID);
    expect(data!.code.subarray(0, SO.length).equals(SO)).to.equal(true);
  });
});

describe("15 deploy script (embedded validator)", function () {
  this.timeout(120_000);
  let surfnet: SurfnetHandle;
  let connection: Connection;
  let admin: Keypair;
  let chain: ChainMarket;
  let spec: MarketSpec;
  before(() => {
    ({ surfnet, connection, admin } = startChain());
    chain = new ChainMarket(new SdkChain({ surfnet, connection, admin }));
  });
  after(() => surfnet && stopChain(surfnet, connection));

  it("initializes the config once; the second run finds it", async () => {
    const first = await initializeGavel(connection, admin);
    expect(first.created).to.equal(true);
    const second = await initializeGavel(connection, admin);
    expect(second.created).to.equal(false);
    expect(second.admin).to.equal(admin.publicKey.toBase58());
    let message = "";
    try {
      const someoneElse = Keypair.generate();
      surfnet.fundSol(someoneElse.publicKey.toBase58(), 1e9);
      await initializeGavel(connection, someoneElse);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).to.match(/^config already initialized by /);
  });

  it("creates the file's market, then reports it unchanged on a second run", async () => {
    // The example file's mints and oracle are mainnet addresses; use this chain's mints instead.
    await chain.createMints(150);
    spec = {
      ...example.markets[0],
      collateralMint: chain.ref.collateralMint.toBase58(),
      debtMint: chain.ref.debtMint.toBase58(),
      params: { ...example.markets[0].params, collateralOracle: chain.oracle.toBase58() },
    };
    const lines = await applyMarkets(connection, admin, [spec]);
    expect(lines[0]).to.match(/created/);
    const again = await applyMarkets(connection, admin, [spec]);
    expect(again[0]).to.match(/exists with the same parameters/);
  });

  it("a changed parameter is refused without --update and applied with it", async () => {
    const changed = { ...spec, params: { ...spec.params, maxLtvBps: 6500 } };
    let message = "";
    try {
      await applyMarkets(connection, admin, [changed]);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).to.match(/already exists with other parameters/);
    const lines = await applyMarkets(connection, admin, [changed], true);
    expect(lines[0]).to.match(/updated/);
    const info = await connection.getAccountInfo(chain.addrs.market);
    expect(decodeMarket(info!.data).params.maxLtvBps).to.equal(6500);
  });

  it("a bad parameter is named in the error", async () => {
    let message = "";
    try {
      await applyMarkets(connection, admin, [{ ...spec, params: { ...spec.params, tip: "-1" } }]);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).to.equal("markets[0]: params.tip must be a non-negative integer, got -1");
  });

  it("a missing keypair file is one readable line and exit code 1", () => {
    const missing = path.join("/tmp", `${Keypair.generate().publicKey.toBase58()}.json`);
    let status = 0;
    let stderr = "";
    try {
      execFileSync(
        "npx",
        ["ts-node", "migrations/deploy.ts", "--rpc", surfnet.rpcUrl, "--keypair", missing],
        {
          cwd: path.join(__dirname, ".."),
          stdio: "pipe",
        },
      );
    } catch (e) {
      const err = e as { status: number; stderr: Buffer };
      status = err.status;
      stderr = err.stderr.toString();
    }
    expect(status).to.equal(1);
    expect(stderr.trim()).to.equal(`deploy: keypair file not found: ${missing}`);
  });
});

describe("15 deploy script: bad command lines (no chain)", function () {
  this.timeout(120_000);

  it("an unknown flag, a missing value or a positional argument is refused, naming the flags", () => {
    expect({ ...parseDeployArgs(["--rpc", "http://x", "--update"]) }).to.deep.equal({
      rpc: "http://x",
      update: true,
    });
    expect(() => parseDeployArgs(["--rcp", "http://x"])).to.throw(
      /^Unknown option '--rcp' \(flags: --rpc, --ws,/,
    );
    expect(() => parseDeployArgs(["--rpc"])).to.throw(/^Option '--rpc <value>' argument missing/);
    expect(() => parseDeployArgs(["--rpc", "--keypair", "k.json"])).to.throw(
      /^Option '--rpc' argument is ambiguous/,
    );
    expect(() => parseDeployArgs(["k.json"])).to.throw(/^Unexpected argument 'k.json'/);
  });

  it("bad flags and files are one line on stderr and exit code 1, before any RPC call", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gavel-deploy-"));
    const file = (name: string, text: string) => {
      fs.writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    const notKey = file("not-key.json", "[1,2,3]\n");
    const notJson = file("not-json.json", "{bad\n");
    const noMarkets = file("no-markets.json", '{"market": []}');
    const key = path.join(ROOT, "keys/gavel-program-keypair.json");
    // An unreachable RPC: an error about it would mean the bad input was not caught first.
    const cases: [string[], RegExp][] = [
      [["--keypiar", key], /^deploy: Unknown option '--keypiar' \(flags: /],
      [["--keypair", notKey], /^deploy: --keypair .*not-key\.json is not a JSON array of 64 bytes$/],
      [
        ["--keypair", key, "--markets", notJson],
        /^deploy: markets file .*not-json\.json is not valid JSON: /,
      ],
      [
        ["--keypair", key, "--markets", noMarkets],
        /^deploy: markets file .*no-markets\.json must hold \{"markets": \[\.\.\.\]\}$/,
      ],
      [
        ["--keypair", key, "--max-data-len", "1e9x"],
        /^deploy: --max-data-len must be a positive integer, got "1e9x"$/,
      ],
    ];
    for (const [args, expected] of cases) {
      const r = spawnSync(
        process.execPath,
        [
          "-r",
          "ts-node/register/transpile-only",
          "migrations/deploy.ts",
          "--rpc",
          "http://127.0.0.1:1",
          ...args,
        ],
        { cwd: ROOT, encoding: "utf8" },
      );
      expect(r.status, args.join(" ")).to.equal(1);
      expect(r.stderr.trim().split("\n"), args.join(" ")).to.have.length(1);
      expect(r.stderr.trim(), args.join(" ")).to.match(expected);
    }
  });
});

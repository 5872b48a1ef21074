/**
 * The SDK as a package: `scripts/build-sdk.sh` builds and packs @gavel/sdk, an empty ES-module
 * project installs the tarball from npm's ordinary client, and the quick start of sdk/README.md —
 * extracted verbatim with its `local-chain.ts` preamble — is type-checked against the packed
 * declarations (ESM and CommonJS) and run with node against a fresh embedded validator with Gavel
 * deployed, a funded market, a borrower and a liquidator.
 */
import BN from "bn.js";
import { expect } from "chai";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { GavelClient, marketPda } from "../sdk/src";
import { SdkChain, SdkMarket, SOL, USDC } from "../sdk/testkit";

const run = promisify(execFile);
const ROOT = path.join(__dirname, "..");
const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");

/** The fenced code block right after `<!-- marker -->` in a markdown file. */
function codeBlockAfter(markdown: string, marker: string): string {
  const at = markdown.indexOf(`<!-- ${marker} -->`);
  if (at < 0) throw new Error(`no <!-- ${marker} --> in the README`);
  const m = /```ts\n([\s\S]*?)\n```/.exec(markdown.slice(at));
  if (!m) throw new Error(`no ts block after <!-- ${marker} -->`);
  return m[1] + "\n";
}

/** Type tests of the packed declarations: each `@ts-expect-error` fails the build if types were `any`. */
const TYPES_ESM = `import { Connection, Keypair } from "@solana/web3.js";
import { ErrorCode, GavelClient, GavelError, isAuctionGone, type MarketAccount } from "@gavel/sdk";
const client = new GavelClient(new Connection("http://127.0.0.1:1"), Keypair.generate());
const market = { collateralMint: Keypair.generate().publicKey, debtMint: Keypair.generate().publicKey };
export const borrow = () =>
  // @ts-expect-error amounts are base-unit integers, not strings
  client.borrow(market, "1");
export const field = (m: MarketAccount) =>
  // @ts-expect-error no such field
  m.notAField;
export const code: number = ErrorCode.LtvExceeded;
export const typed = (e: unknown): boolean => e instanceof GavelError || isAuctionGone(e);
`;
const TYPES_CJS = `import sdk = require("@gavel/sdk");
import web3 = require("@solana/web3.js");
const client = new sdk.GavelClient(new web3.Connection("http://127.0.0.1:1"), web3.Keypair.generate());
export const take = () =>
  // @ts-expect-error the auction is a PublicKey or a loaded account
  client.take("auction");
export const names: string[] = Object.keys(sdk.ErrorCode);
`;

describe("10 SDK package: build, pack, install, and run the README quick start", function () {
  this.timeout(180_000);
  let tarball: string;
  let dir: string;
  let chain: SdkChain | undefined;
  const timings: string[] = [];
  const timed = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    const out = await f();
    timings.push(`${what} ${((Date.now() - t) / 1000).toFixed(1)} s`);
    return out;
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "gavel-sdk-"));
  });

  after(() => {
    chain?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    console.log(`      (${timings.join(", ")})`);
  });

  it("the SDK's IDL copy is byte-identical to idl/gavel.json", () => {
    const a = fs.readFileSync(path.join(ROOT, "idl/gavel.json"));
    const b = fs.readFileSync(path.join(ROOT, "sdk/src/idl/gavel.json"));
    expect(a.equals(b)).to.equal(true);
  });

  it("scripts/build-sdk.sh builds ESM + CJS + .d.ts and packs a tarball with only dist/, README and runtime dependencies", async () => {
    const { stdout } = await timed("build", () => run("bash", [path.join(ROOT, "scripts/build-sdk.sh")]));
    tarball = path.join(ROOT, stdout.trim().split("\n").pop()!);
    expect(fs.existsSync(tarball), tarball).to.equal(true);
    const { stdout: list } = await run("tar", ["tzf", tarball]);
    const files = list.trim().split("\n");
    for (const f of [
      "package/package.json",
      "package/README.md",
      "package/dist/cjs/index.js",
      "package/dist/cjs/index.d.ts",
      "package/dist/cjs/package.json",
      "package/dist/esm/index.js",
      "package/dist/esm/index.d.ts",
      "package/dist/esm/package.json",
      "package/dist/cjs/idl/gavel.json",
    ]) {
      expect(files).to.include(f);
    }
    expect(files.every((f) => /^package\/(package\.json|README\.md|dist\/)/.test(f))).to.equal(true);
    const { stdout: pj } = await run("tar", ["xzOf", tarball, "package/package.json"]);
    const pkg = JSON.parse(pj);
    expect(pkg.name).to.equal("@gavel/sdk");
    expect(pkg.version).to.equal("0.1.0");
    expect(pkg.devDependencies).to.equal(undefined);
    expect(Object.keys(pkg.dependencies).sort()).to.deep.equal([
      "@coral-xyz/anchor",
      "@pythnetwork/client",
      "@solana/spl-token",
      "@solana/web3.js",
      "@types/bn.js",
      "bn.js",
    ]);
    expect(pkg.exports["."].import.default).to.equal("./dist/esm/index.js");
    expect(pkg.exports["."].require.default).to.equal("./dist/cjs/index.js");
  });

  it("an empty project installs the tarball with npm", async () => {
    fs.writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "gavel-quickstart", private: true, type: "module" }, null, 2),
    );
    await timed("npm install", () =>
      run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", tarball], {
        cwd: dir,
      }),
    );
    expect(fs.existsSync(path.join(dir, "node_modules/@gavel/sdk/dist/esm/index.js"))).to.equal(true);
  });

  it("import and require load the same API, and the IDL is exported", async () => {
    const { stdout: esm } = await run(
      "node",
      [
        "--input-type=module",
        "-e",
        'import * as s from "@gavel/sdk"; console.log(Object.keys(s).sort().join())',
      ],
      { cwd: dir },
    );
    const { stdout: cjs } = await run(
      "node",
      [
        "-e",
        'const s = require("@gavel/sdk"); console.log(Object.keys(s).sort().join()); console.log(require("@gavel/sdk/idl/gavel.json").address)',
      ],
      { cwd: dir },
    );
    const [cjsKeys, address] = cjs.trim().split("\n");
    expect(esm.trim()).to.equal(cjsKeys);
    for (const name of ["GavelClient", "subscribeEvents", "AuctionGoneError", "isAuctionGone", "borrowIx"]) {
      expect(cjsKeys.split(",")).to.include(name);
    }
    expect(address).to.equal("7GP234LwKLTdc6kkRBi2DE9vU4ATK3K5vYP8J1WZV1mM");
  });

  it("the README quick start and its local-chain preamble type-check against the packed declarations (ESM and CJS)", async () => {
    const readme = fs.readFileSync(path.join(ROOT, "sdk/README.md"), "utf8");
    fs.writeFileSync(path.join(dir, "quickstart.ts"), codeBlockAfter(readme, "quickstart"));
    fs.writeFileSync(path.join(dir, "local-chain.ts"), codeBlockAfter(readme, "quickstart:local-chain"));
    fs.writeFileSync(path.join(dir, "types-esm.ts"), TYPES_ESM);
    fs.writeFileSync(path.join(dir, "types-cjs.cts"), TYPES_CJS);
    fs.writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "nodenext",
          moduleResolution: "nodenext",
          strict: true,
          skipLibCheck: true,
          types: ["node"],
          outDir: "out",
        },
        files: ["quickstart.ts", "local-chain.ts", "types-esm.ts", "types-cjs.cts"],
      }),
    );
    try {
      await timed("tsc", () => run("node", [TSC, "-p", dir], { cwd: dir }));
    } catch (e) {
      throw new Error(`tsc failed:\n${(e as { stdout?: string }).stdout ?? e}`);
    }
    expect(fs.existsSync(path.join(dir, "out/quickstart.js"))).to.equal(true);
  });

  it("the quick start runs against a fresh validator: it borrows, kicks and takes, and exits 0", async () => {
    const t = Date.now();
    chain = SdkChain.start();
    await chain.initialize();
    const usdc = await chain.createMint(6);
    const market: SdkMarket = await chain.createMarket(usdc, 150);
    const lpKey = chain.actor();
    await chain.mint(usdc, lpKey.publicKey, USDC(1_001_000));
    const lp = new GavelClient(chain.connection, lpKey);
    await lp.depositLiquidity(market, USDC(1_000_000));
    await lp.fundInsurance(market, USDC(1_000));
    const borrower = chain.actor();
    const liquidator = chain.actor();
    await chain.mint(market.collateralMint, borrower.publicKey, SOL(10));
    await chain.mint(usdc, liquidator.publicKey, USDC(5_000));
    timings.push(`chain setup ${((Date.now() - t) / 1000).toFixed(1)} s`);

    const env = {
      ...process.env,
      GAVEL_RPC_URL: chain.surfnet.rpcUrl,
      GAVEL_BORROWER: JSON.stringify(Array.from(borrower.secretKey)),
      GAVEL_LIQUIDATOR: JSON.stringify(Array.from(liquidator.secretKey)),
      GAVEL_COLLATERAL_MINT: market.collateralMint.toBase58(),
      GAVEL_DEBT_MINT: market.debtMint.toBase58(),
    };
    let stdout: string;
    try {
      ({ stdout } = await timed("quick start", () =>
        run("node", ["out/quickstart.js"], { cwd: dir, env, timeout: 60_000 }),
      ));
    } catch (e) {
      const x = e as { code?: number; stdout?: string; stderr?: string };
      throw new Error(`quick start exited ${x.code}:\n${x.stdout}\n${x.stderr}`);
    }
    console.log(stdout.trimEnd().replace(/^/gm, "      | "));
    const lines = stdout.trim().split("\n");
    expect(lines[0]).to.match(/^borrowed 1000\.00 USDC against 10 SOL \(\w+\)$/);
    expect(lines[1]).to.match(/^kicked auction \w+: 10000000000 lamports of SOL for 1100\.\d\d USDC$/);
    expect(lines[2]).to.equal("auction price now: 132.00 USDC per SOL");
    expect(lines[3]).to.match(/^took \d+ lamports of SOL for 1100\.\d\d USDC$/);
    expect(lines[4]).to.match(/^settled: \d+ lamports back to the borrower$/);

    // What it did, read back from the chain.
    const [address] = marketPda(market.collateralMint, market.debtMint);
    expect(await lp.getAuctions(address)).to.deep.equal([]);
    const pos = (await lp.getPosition(address, borrower.publicKey))!;
    expect(pos.art.toNumber()).to.equal(0);
    expect(pos.ink.toString()).to.equal(/\d+/.exec(lines[4])![0]);
    const taken = new BN(/took (\d+)/.exec(lines[3])![1]);
    expect(taken.add(pos.ink).toString()).to.equal(SOL(10).toString());
  });
});

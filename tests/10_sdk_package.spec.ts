/**
 * The SDK as a package: `scripts/build-sdk.sh` builds and packs @gavel/sdk, and empty projects
 * install the tarball from npm's ordinary client with its peer dependencies (`@solana/web3.js`,
 * `@coral-xyz/anchor`) at both ends of the supported range, plus web3.js 1.95.8 (an app pinned
 * there failed to type-check while the SDK carried its own copy). In each, the quick start of
 * sdk/README.md — extracted verbatim with its `local-chain.ts` preamble — is compiled with
 * `tsc --strict` as an ES module and as CommonJS, together with the compile-time negative tests
 * of tests/types; the quick start then runs against a fresh embedded validator (Gavel deployed,
 * a funded market, a borrower and a liquidator): as ESM with the newest peers, as CommonJS with
 * the oldest.
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

/** CommonJS-only type tests of the packed declarations (`import = require`). */
const TYPES_CJS = `import sdk = require("@gavel/sdk");
import web3 = require("@solana/web3.js");
const client = new sdk.GavelClient(new web3.Connection("http://127.0.0.1:1"), web3.Keypair.generate());
export const take = () =>
  // @ts-expect-error the auction is a PublicKey or a loaded account
  client.take("auction");
export const borrow = () =>
  // @ts-expect-error amounts are base-unit integers, not strings
  client.borrow({ collateralMint: web3.PublicKey.default, debtMint: web3.PublicKey.default }, "1");
export const names: string[] = Object.keys(sdk.ErrorCode);
`;

const PEERS = ["@solana/web3.js", "@coral-xyz/anchor"] as const;

/** The lowest version a range such as `^1.95.5` or `>=0.30.1 <0.33.0` admits (its first x.y.z). */
function lowest(range: string): string {
  const m = /(\d+\.\d+\.\d+)/.exec(range);
  if (!m) throw new Error(`no version in the range ${range}`);
  return m[1];
}

/** An empty app that installs the tarball and the given peers, and compiles the quick start. */
interface App {
  name: string;
  dir: string;
  /** npm install arguments besides the tarball. */
  peers: string[];
  /** Installed versions, read back. */
  versions: Record<string, string>;
}

describe("10 SDK package: build, pack, install with the peer range, and run the README quick start (ESM and CommonJS)", function () {
  this.timeout(300_000);
  let tarball: string;
  let root: string;
  let chain: SdkChain | undefined;
  let market: SdkMarket;
  const apps: App[] = [];
  const timings: string[] = [];
  const timed = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    const out = await f();
    timings.push(`${what} ${((Date.now() - t) / 1000).toFixed(1)} s`);
    return out;
  };
  const readme = fs.readFileSync(path.join(ROOT, "sdk/README.md"), "utf8");
  const sdkPkg = JSON.parse(fs.readFileSync(path.join(ROOT, "sdk/package.json"), "utf8"));
  const app = (name: string): App => apps.find((a) => a.name === name)!;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "gavel-sdk-"));
  });

  after(() => {
    chain?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
    console.log(`      (${timings.join(", ")})`);
  });

  it("the SDK's IDL copy is byte-identical to idl/gavel.json", () => {
    const a = fs.readFileSync(path.join(ROOT, "idl/gavel.json"));
    const b = fs.readFileSync(path.join(ROOT, "sdk/src/idl/gavel.json"));
    expect(a.equals(b)).to.equal(true);
  });

  it("the compile-time negative tests (tests/types) type-check against the sources", async () => {
    try {
      await timed("tsc tests/types", () => run("node", [TSC, "-p", path.join(ROOT, "tests/types")]));
    } catch (e) {
      throw new Error(`tsc failed:\n${(e as { stdout?: string }).stdout ?? e}`);
    }
  });

  it("scripts/build-sdk.sh builds ESM + CJS + .d.ts and packs a tarball with only dist/, README, dependencies and web3.js + Anchor as peers", async () => {
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
      "@pythnetwork/client",
      "@solana/spl-token",
      "@types/bn.js",
      "bn.js",
    ]);
    expect(Object.keys(pkg.peerDependencies).sort()).to.deep.equal([...PEERS].sort());
    // No declaration names a package that is not the app's own (peer) or installed with the SDK.
    const { stdout: dts } = await run("tar", ["xzOf", tarball, "--wildcards", "package/dist/esm/*.d.ts"]);
    const imported = new Set([...dts.matchAll(/from "([^".][^"]*)"/g)].map((m) => m[1]));
    for (const name of imported) expect([...PEERS, "bn.js"], `a .d.ts imports ${name}`).to.include(name);
    expect(pkg.exports["."].import.default).to.equal("./dist/esm/index.js");
    expect(pkg.exports["."].require.default).to.equal("./dist/cjs/index.js");
  });

  it("empty apps install the tarball: with the README's command (newest peers), the oldest peers of the range, and web3.js pinned at 1.95.8", async () => {
    const install = /<!-- install -->\s*```bash\n(npm install [^\n]+)\n```/.exec(readme);
    expect(install, "the README's install command").to.not.equal(null);
    const words = install![1].split(/\s+/).slice(2);
    expect(words).to.include("@gavel/sdk");
    const low = PEERS.map((p) => `${p}@${lowest(sdkPkg.peerDependencies[p])}`);
    const specs: [string, string[]][] = [
      ["newest", words.filter((w) => w !== "@gavel/sdk")],
      ["oldest", low],
      [
        "web3.js 1.95.8",
        ["@solana/web3.js@1.95.8", `@coral-xyz/anchor@${sdkPkg.peerDependencies["@coral-xyz/anchor"]}`],
      ],
    ];
    for (const [name, peers] of specs) {
      const dir = path.join(root, name.replace(/\W+/g, "-"));
      fs.mkdirSync(path.join(dir, "cjs"), { recursive: true });
      fs.writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ name: "app", private: true, type: "module" }),
      );
      fs.writeFileSync(path.join(dir, "cjs/package.json"), JSON.stringify({ type: "commonjs" }));
      apps.push({ name, dir, peers, versions: {} });
    }
    // Installs are network- and disk-bound: in parallel.
    await timed("npm install ×3", () =>
      Promise.all(
        apps.map((a) =>
          run(
            "npm",
            [
              "install",
              "--no-audit",
              "--no-fund",
              "--prefer-offline",
              "--loglevel=error",
              tarball,
              ...a.peers,
            ],
            { cwd: a.dir },
          ),
        ),
      ),
    );
    for (const a of apps) {
      expect(fs.existsSync(path.join(a.dir, "node_modules/@gavel/sdk/dist/esm/index.js"))).to.equal(true);
      for (const p of PEERS) {
        a.versions[p] = JSON.parse(
          fs.readFileSync(path.join(a.dir, "node_modules", p, "package.json"), "utf8"),
        ).version;
      }
      // One copy of web3.js in the whole tree: the app's.
      const { stdout } = await run("npm", ["ls", "--all", "--parseable", "--long", "@solana/web3.js"], {
        cwd: a.dir,
      });
      const copies = new Set(
        stdout
          .trim()
          .split("\n")
          .map((l) => l.split(":")[1]),
      );
      expect([...copies], `${a.name}: web3.js copies`).to.deep.equal([
        `@solana/web3.js@${a.versions["@solana/web3.js"]}`,
      ]);
    }
    timings.push(
      ...apps.map(
        (a) =>
          `${a.name}: web3.js ${a.versions["@solana/web3.js"]} + anchor ${a.versions["@coral-xyz/anchor"]}`,
      ),
    );
    expect(app("oldest").versions).to.deep.equal({
      "@solana/web3.js": lowest(sdkPkg.peerDependencies["@solana/web3.js"]),
      "@coral-xyz/anchor": lowest(sdkPkg.peerDependencies["@coral-xyz/anchor"]),
    });
    expect(app("web3.js 1.95.8").versions["@solana/web3.js"]).to.equal("1.95.8");
    expect(app("newest").versions["@solana/web3.js"]).to.match(/^1\./);
  });

  it("in each app, import and require load the same API, and the IDL is exported", async () => {
    const check = async (a: App): Promise<void> => {
      const { stdout: esm } = await run(
        "node",
        [
          "--input-type=module",
          "-e",
          'import * as s from "@gavel/sdk"; console.log(Object.keys(s).sort().join())',
        ],
        { cwd: a.dir },
      );
      const { stdout: cjs } = await run(
        "node",
        [
          "-e",
          'const s = require("@gavel/sdk"); console.log(Object.keys(s).sort().join()); console.log(require("@gavel/sdk/idl/gavel.json").address)',
        ],
        { cwd: a.dir },
      );
      const [cjsKeys, address] = cjs.trim().split("\n");
      expect(esm.trim(), a.name).to.equal(cjsKeys);
      for (const name of [
        "GavelClient",
        "subscribeEvents",
        "AuctionGoneError",
        "isAuctionGone",
        "borrowIx",
        "findEvent",
      ]) {
        expect(cjsKeys.split(","), a.name).to.include(name);
      }
      expect(address).to.equal("7GP234LwKLTdc6kkRBi2DE9vU4ATK3K5vYP8J1WZV1mM");
    };
    await timed("load ×3", () => Promise.all(apps.map(check)));
  });

  it("in each app, tsc --strict compiles the quick start as an ES module and as CommonJS, and the negative type tests hold", async () => {
    const quickstart = codeBlockAfter(readme, "quickstart");
    const localChain = codeBlockAfter(readme, "quickstart:local-chain");
    const negative = fs.readFileSync(path.join(ROOT, "tests/types/sdk.ts"), "utf8");
    for (const a of apps) {
      for (const sub of [".", "cjs"]) {
        fs.writeFileSync(path.join(a.dir, sub, "quickstart.ts"), quickstart);
        fs.writeFileSync(path.join(a.dir, sub, "local-chain.ts"), localChain);
      }
      fs.writeFileSync(path.join(a.dir, "types.ts"), negative);
      fs.writeFileSync(path.join(a.dir, "types-cjs.cts"), TYPES_CJS);
      // `nodenext`: each file is an ES module or CommonJS by its nearest package.json "type".
      fs.writeFileSync(
        path.join(a.dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            target: "ES2022",
            module: "nodenext",
            moduleResolution: "nodenext",
            strict: true,
            skipLibCheck: true,
            types: ["node"],
          },
          files: [
            "quickstart.ts",
            "local-chain.ts",
            "cjs/quickstart.ts",
            "cjs/local-chain.ts",
            "types.ts",
            "types-cjs.cts",
          ],
        }),
      );
      try {
        await timed(`tsc ${a.name}`, () => run("node", [TSC, "-p", a.dir], { cwd: a.dir }));
      } catch (e) {
        throw new Error(`tsc failed in the ${a.name} app:\n${(e as { stdout?: string }).stdout ?? e}`);
      }
      expect(fs.readFileSync(path.join(a.dir, "quickstart.js"), "utf8")).to.match(/^import /m);
      expect(fs.readFileSync(path.join(a.dir, "cjs/quickstart.js"), "utf8")).to.match(
        /require\("@gavel\/sdk"\)/,
      );
    }
  });

  /** Runs `file` with node against the chain as a new borrower and liquidator; checks what it did. */
  const runQuickStart = async (label: string, cwd: string, file: string): Promise<void> => {
    await chain!.setPrice(market.oracle, 150);
    const borrower = chain!.actor();
    const liquidator = chain!.actor();
    await chain!.mint(market.collateralMint, borrower.publicKey, SOL(10));
    await chain!.mint(market.debtMint, liquidator.publicKey, USDC(5_000));
    const env = {
      ...process.env,
      GAVEL_RPC_URL: chain!.surfnet.rpcUrl,
      GAVEL_BORROWER: JSON.stringify(Array.from(borrower.secretKey)),
      GAVEL_LIQUIDATOR: JSON.stringify(Array.from(liquidator.secretKey)),
      GAVEL_COLLATERAL_MINT: market.collateralMint.toBase58(),
      GAVEL_DEBT_MINT: market.debtMint.toBase58(),
    };
    let stdout: string;
    try {
      ({ stdout } = await timed(`quick start ${label}`, () =>
        run("node", [file], { cwd, env, timeout: 60_000 }),
      ));
    } catch (e) {
      const x = e as { code?: number; stdout?: string; stderr?: string };
      throw new Error(`quick start (${label}) exited ${x.code}:\n${x.stdout}\n${x.stderr}`);
    }
    console.log(stdout.trimEnd().replace(/^/gm, `      | ${label}: `));
    const lines = stdout.trim().split("\n");
    expect(lines[0]).to.match(/^borrowed 1000\.00 USDC against 10 SOL \(\w+\)$/);
    expect(lines[1]).to.match(/^kicked auction \w+: 10000000000 lamports of SOL for 1100\.\d\d USDC$/);
    expect(lines[2]).to.equal("auction price now: 132.00 USDC per SOL");
    expect(lines[3]).to.match(/^took \d+ lamports of SOL for 1100\.\d\d USDC$/);
    expect(lines[4]).to.match(/^settled: \d+ lamports back to the borrower$/);

    // What it did, read back from the chain.
    const lp = new GavelClient(chain!.connection, chain!.admin);
    const [address] = marketPda(market.collateralMint, market.debtMint);
    expect(await lp.getAuctions(address)).to.deep.equal([]);
    const pos = (await lp.getPosition(market, borrower.publicKey))!;
    expect(pos.art.toNumber()).to.equal(0);
    expect(pos.ink.toString()).to.equal(/\d+/.exec(lines[4])![0]);
    const taken = new BN(/took (\d+)/.exec(lines[3])![1]);
    expect(taken.add(pos.ink).toString()).to.equal(SOL(10).toString());
  };

  it("the quick start runs against a fresh validator as an ES module (newest peers): it borrows, kicks and takes, and exits 0", async () => {
    const t = Date.now();
    chain = SdkChain.start();
    await chain.initialize();
    const usdc = await chain.createMint(6);
    market = await chain.createMarket(usdc, 150);
    const lpKey = chain.actor();
    await chain.mint(usdc, lpKey.publicKey, USDC(1_001_000));
    const lp = new GavelClient(chain.connection, lpKey);
    await lp.depositLiquidity(market, USDC(1_000_000));
    await lp.fundInsurance(market, USDC(1_000));
    timings.push(`chain setup ${((Date.now() - t) / 1000).toFixed(1)} s`);
    await runQuickStart("ESM", app("newest").dir, "quickstart.js");
  });

  it("the same quick start runs as CommonJS with the oldest peers of the range", async () => {
    expect(chain, "the chain of the previous test").to.not.equal(undefined);
    await runQuickStart("CJS", path.join(app("oldest").dir, "cjs"), "quickstart.js");
  });
});

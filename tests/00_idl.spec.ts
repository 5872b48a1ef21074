/**
 * The committed IDL, the generated TS type, the program-id keypair and the compiled program agree.
 * (The Rust side checks layouts and error codes against the IDL in programs/gavel/tests/idl.rs.)
 */
import { Keypair, TransactionInstruction } from "@solana/web3.js";
import { expect } from "chai";
import { execFileSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import idl from "../idl/gavel.json";
import { ErrorCode, PROGRAM_ID } from "../sdk/src";
import { GavelSvm } from "../sdk/testkit";

const ROOT = path.join(__dirname, "..");
const sha8 = (s: string): number[] => Array.from(createHash("sha256").update(s).digest().subarray(0, 8));

describe("00 IDL and program id", () => {
  it("every discriminator in the IDL is sha256 of its namespaced name", () => {
    for (const ix of idl.instructions) expect(ix.discriminator).to.deep.equal(sha8(`global:${ix.name}`));
    for (const a of idl.accounts) expect(a.discriminator).to.deep.equal(sha8(`account:${a.name}`));
    for (const e of idl.events) expect(e.discriminator).to.deep.equal(sha8(`event:${e.name}`));
  });

  it("the generated TS type is up to date with idl/gavel.json", () => {
    execFileSync("node", [path.join(ROOT, "scripts/gen-idl-types.js"), "--check"]);
  });

  it("the committed program keypair derives the program id used by IDL, SDK and Anchor.toml", () => {
    const secret = JSON.parse(fs.readFileSync(path.join(ROOT, "keys/gavel-program-keypair.json"), "utf8"));
    const kp = Keypair.fromSecretKey(Uint8Array.from(secret));
    expect(kp.publicKey.toBase58()).to.equal(idl.address);
    expect(PROGRAM_ID.toBase58()).to.equal(idl.address);
    const toml = fs.readFileSync(path.join(ROOT, "Anchor.toml"), "utf8");
    expect(toml).to.include(`gavel = "${idl.address}"`);
  });

  it("plain Anchor can resolve 158 of 218 account slots; the rest are the subject, the caller's token accounts and oracles", () => {
    // Anchor's resolver fills signers (provider), `address`, `pda` seeds and `relations`.
    type Slot = { name: string; signer?: boolean; address?: string; pda?: unknown; relations?: string[] };
    const open: Record<string, string[]> = {};
    let resolved = 0;
    let total = 0;
    for (const ix of idl.instructions) {
      for (const slot of ix.accounts as Slot[]) {
        total++;
        if (slot.signer || slot.address || slot.pda || slot.relations) resolved++;
        else (open[ix.name] ??= []).push(slot.name);
      }
    }
    expect({ resolved, total }).to.deep.equal({ resolved: 158, total: 218 });
    const subject = /^(market|position|auction|backstop|collateral_mint|debt_mint)$/;
    const tokenAccount = /(_account|^source|^destination|_destination|_source)$/;
    for (const [ix, names] of Object.entries(open)) {
      for (const n of names) {
        expect(subject.test(n) || tokenAccount.test(n) || n === "collateral_oracle", `${ix}.${n}`).to.equal(
          true,
        );
      }
      // At most one subject account per instruction: everything else of it is derived.
      expect(names.filter((n) => subject.test(n) && !n.endsWith("_mint")).length, ix).to.be.at.most(1);
    }
  });

  it("every relation names a field of the related account, every account seed an account of the instruction", () => {
    const typeOf: Record<string, string> = {
      position: "Position",
      auction: "Auction",
      backstop: "Backstop",
      market: "Market",
    };
    const fields = (t: string): string[] =>
      (idl.types.find((x) => x.name === t)?.type as { fields?: { name: string }[] }).fields?.map(
        (f) => f.name,
      ) ?? [];
    type Seed = { kind: string; path?: string; account?: string };
    type Slot = { name: string; pda?: { seeds: Seed[] }; relations?: string[] };
    for (const ix of idl.instructions) {
      const names = (ix.accounts as Slot[]).map((a) => a.name);
      for (const slot of ix.accounts as Slot[]) {
        for (const r of slot.relations ?? []) {
          expect(names, `${ix.name}.${slot.name}`).to.include(r);
          expect(fields(typeOf[r]), `${ix.name}.${slot.name} from ${r}`).to.include(slot.name);
        }
        for (const seed of slot.pda?.seeds ?? []) {
          if (seed.kind !== "account") continue;
          const [root, ...field] = (seed.path ?? "").split(".");
          expect(names, `${ix.name}.${slot.name}`).to.include(root);
          if (field.length) expect(fields(seed.account ?? ""), seed.path).to.include(field.join("."));
        }
      }
    }
  });

  it("the compiled program recognises every IDL instruction and refuses unknown ones", () => {
    const chain = new GavelSvm();
    const payer = chain.actor();
    for (const ix of idl.instructions) {
      // No accounts: a known instruction fails on its accounts, never as unknown.
      const res = chain.send(
        [
          new TransactionInstruction({
            programId: PROGRAM_ID,
            keys: [],
            data: Buffer.from(ix.discriminator),
          }),
        ],
        [payer],
      );
      expect(res.ok, ix.name).to.equal(false);
      expect(res.error?.code, ix.name).to.equal(ErrorCode.AccountsMissing);
    }
    const unknown = chain.send(
      [
        new TransactionInstruction({
          programId: PROGRAM_ID,
          keys: [],
          data: Buffer.from(sha8("global:nope")),
        }),
      ],
      [payer],
    );
    expect(unknown.error?.code).to.equal(ErrorCode.InstructionUnknown);
    const short = chain.send(
      [new TransactionInstruction({ programId: PROGRAM_ID, keys: [], data: Buffer.from([1, 2, 3]) })],
      [payer],
    );
    expect(short.error?.code).to.equal(ErrorCode.InstructionUnknown);
  });

  it("every file and function the README's 'where to find a rule' table names exists", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const table = readme.split("<!-- rule-map -->")[1]?.split("<!-- /rule-map -->")[0] ?? "";
    const rows = table.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| rule"));
    expect(rows.length).to.be.at.least(5);
    let named = 0;
    for (const row of rows) {
      // Each cell holds `[label](path)` links, each followed by the `names` of functions in it.
      for (const part of row.split(/[|;]/)) {
        const links = [...part.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]);
        for (const link of links) expect(fs.existsSync(path.join(ROOT, link)), link).to.equal(true);
        if (links.length === 0) continue;
        // The names after the last link are functions of that file.
        const source = fs.readFileSync(path.join(ROOT, links[links.length - 1]), "utf8");
        for (const [, fn] of part.slice(part.lastIndexOf(")") + 1).matchAll(/`(\w+)`/g)) {
          expect(
            new RegExp(`(fn|function) ${fn}\\b`).test(source),
            `${fn} in ${links[links.length - 1]}`,
          ).to.equal(true);
          named++;
        }
      }
    }
    expect(named).to.be.at.least(20);
  });
});

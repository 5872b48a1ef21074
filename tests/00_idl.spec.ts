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
import { GavelSvm } from "./helpers/svm";

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
});

/**
 * Story: an admin deploys Gavel and initializes its Config; the admin moves the stop level through
 * every value; a stranger and bad inputs are refused. Run on the real gavel.so in LiteSVM, with
 * instructions built by Anchor's `Program` from the committed IDL.
 */
import { Program } from "@coral-xyz/anchor";
import { Keypair, PublicKey, SystemProgram, TransactionInstruction } from "@solana/web3.js";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import idl from "../idl/gavel.json";
import {
  configPda,
  decodeConfig,
  ErrorCode,
  Gavel,
  gavelProgram,
  initializeConfigIx,
  PROGRAM_ID,
  setStopIx,
  StopLevel,
  findEvent,
} from "../sdk/src";
import { GavelSvm } from "../sdk/testkit";

/** Compute-unit ceilings for this suite (measured figures live in bench/cu.json). */
const CU_LIMIT = { initializeConfig: 8_000, setStop: 1_500 };

describe("01 config: initialize_config and set_stop (LiteSVM)", () => {
  let chain: GavelSvm;
  let program: Program<Gavel>;
  let admin: Keypair;
  let stranger: Keypair;
  const [config, bump] = configPda();

  before(() => {
    chain = new GavelSvm();
    program = gavelProgram();
    admin = chain.actor();
    stranger = chain.actor();
  });

  it("the admin initializes the config through Anchor's Program; everyone sees stop 0", async () => {
    const ix = await program.methods.initializeConfig().accounts({ admin: admin.publicKey }).instruction();
    const res = chain.send([ix], [admin]);
    expect(res.ok, res.logs.join("\n")).to.equal(true);
    expect(res.computeUnits).to.be.greaterThan(0).and.lessThan(CU_LIMIT.initializeConfig);

    const data = chain.data(config)!;
    const decoded = program.coder.accounts.decode("config", data);
    expect(decoded.admin.toBase58()).to.equal(admin.publicKey.toBase58());
    expect(decoded.stop).to.equal(0);
    expect(decoded.bump).to.equal(bump);
    expect(decodeConfig(data).pendingAdmin.equals(PublicKey.default)).to.equal(true);
    expect(chain.svm.getAccount(config)!.owner.toBase58()).to.equal(PROGRAM_ID.toBase58());
    expect(res.events).to.have.length(1);
    expect(res.events[0].name).to.equal("configInitialized");
    expect(findEvent(res.events, "configInitialized")!.admin.toBase58()).to.equal(admin.publicKey.toBase58());
  });

  it("a second initialize_config is refused and the admin is unchanged", () => {
    const res = chain.send([initializeConfigIx({ admin: stranger.publicKey })], [stranger]);
    expect(res.ok).to.equal(false);
    expect(res.error?.code).to.equal(ErrorCode.ConfigAlreadyInitialized);
    expect(decodeConfig(chain.data(config)!).admin.toBase58()).to.equal(admin.publicKey.toBase58());
  });

  for (const level of [StopLevel.NoKicks, StopLevel.NoKicksNoResets, StopLevel.AdminOnly, StopLevel.Live]) {
    it(`the admin sets stop ${level}; a StopChanged event says from what to what`, async () => {
      const before = decodeConfig(chain.data(config)!).stop;
      const ix = await program.methods.setStop(level).accounts({ admin: admin.publicKey }).instruction();
      const res = chain.send([ix], [admin]);
      expect(res.ok, res.logs.join("\n")).to.equal(true);
      expect(res.computeUnits).to.be.greaterThan(0).and.lessThan(CU_LIMIT.setStop);
      expect(decodeConfig(chain.data(config)!).stop).to.equal(level);
      expect(res.events.map((e) => e.name)).to.deep.equal(["stopChanged"]);
      expect(findEvent(res.events, "stopChanged")!.previous).to.equal(before);
      expect(findEvent(res.events, "stopChanged")!.stop).to.equal(level);
    });
  }

  it("a stranger cannot set the stop level", () => {
    const res = chain.send([setStopIx({ admin: stranger.publicKey }, 1)], [stranger]);
    expect(res.error?.code).to.equal(ErrorCode.AdminRequired);
    expect(decodeConfig(chain.data(config)!).stop).to.equal(StopLevel.Live);
  });

  it("stop level 4 (and 255) is refused with StopLevelInvalid", () => {
    for (const bad of [4, 255]) {
      const res = chain.send([setStopIx({ admin: admin.publicKey }, bad)], [admin]);
      expect(res.error?.code, String(bad)).to.equal(ErrorCode.StopLevelInvalid);
    }
    expect(decodeConfig(chain.data(config)!).stop).to.equal(StopLevel.Live);
  });

  it("the admin key must sign: naming the admin without its signature is refused", () => {
    const ix = setStopIx({ admin: admin.publicKey }, 2);
    ix.keys[0].isSigner = false;
    const res = chain.send([ix], [stranger]);
    expect(res.error?.code).to.equal(ErrorCode.SignerMissing);
  });

  it("set_stop with a truncated or over-long argument is refused", () => {
    for (const data of [
      Buffer.from(setStopIx({ admin: admin.publicKey }, 1).data.subarray(0, 8)),
      Buffer.concat([setStopIx({ admin: admin.publicKey }, 1).data, Buffer.from([0])]),
    ]) {
      const ix = setStopIx({ admin: admin.publicKey }, 1);
      const res = chain.send(
        [new TransactionInstruction({ programId: PROGRAM_ID, keys: ix.keys, data })],
        [admin],
      );
      expect(res.error?.code).to.equal(ErrorCode.InstructionDataInvalid);
    }
  });

  it("a fake config (right layout, owned by another program) is refused", () => {
    const fake = Keypair.generate().publicKey;
    const real = chain.svm.getAccount(config)!;
    chain.svm.setAccount(fake, { ...real, owner: SystemProgram.programId });
    const ix = setStopIx({ admin: admin.publicKey }, 1);
    ix.keys[1].pubkey = fake;
    const res = chain.send([ix], [admin]);
    expect(res.error?.code).to.equal(ErrorCode.AccountOwnerInvalid);
  });

  it("a program-owned account of another type (wrong discriminator) is refused", () => {
    const fake = Keypair.generate().publicKey;
    const real = chain.svm.getAccount(config)!;
    const data = Buffer.from(real.data);
    data[0] ^= 0xff;
    chain.svm.setAccount(fake, { ...real, data });
    const ix = setStopIx({ admin: admin.publicKey }, 1);
    ix.keys[1].pubkey = fake;
    expect(chain.send([ix], [admin]).error?.code).to.equal(ErrorCode.AccountDiscriminatorInvalid);
  });

  it("initialize_config at an address that is not the config PDA is refused", () => {
    const chain2 = new GavelSvm();
    const payer = chain2.actor();
    const wrong = Keypair.generate();
    const ix = initializeConfigIx({ admin: payer.publicKey });
    ix.keys[1] = { pubkey: wrong.publicKey, isSigner: true, isWritable: true };
    const res = chain2.send([ix], [payer, wrong]);
    expect(res.error?.code).to.equal(ErrorCode.AccountAddressInvalid);
    expect(chain2.data(wrong.publicKey)).to.equal(null);
  });

  it("initialize_config with a fake system program is refused", () => {
    const chain2 = new GavelSvm();
    const payer = chain2.actor();
    const ix = initializeConfigIx({ admin: payer.publicKey });
    ix.keys[2].pubkey = Keypair.generate().publicKey;
    expect(chain2.send([ix], [payer]).error?.code).to.equal(ErrorCode.ProgramAccountInvalid);
  });

  it("initialize_config still works when someone pre-funded the config address", () => {
    const chain2 = new GavelSvm();
    const payer = chain2.actor();
    chain2.svm.airdrop(config, 1_000n);
    const res = chain2.send([initializeConfigIx({ admin: payer.publicKey })], [payer]);
    expect(res.ok, res.logs.join("\n")).to.equal(true);
    const acc = chain2.svm.getAccount(config)!;
    expect(acc.owner.toBase58()).to.equal(PROGRAM_ID.toBase58());
    expect(BigInt(acc.lamports)).to.equal(chain2.svm.minimumBalanceForRentExemption(BigInt(acc.data.length)));
    expect(decodeConfig(acc.data).admin.toBase58()).to.equal(payer.publicKey.toBase58());
  });

  it("every instruction is refused at exactly the stop levels of the table in state/stop.rs", () => {
    // The table's rows, read from the Rust source: `name => CONST = Always | RefusedFrom(n) | OnlyAt(n),`.
    const source = fs.readFileSync(path.join(__dirname, "../programs/gavel/src/state/stop.rs"), "utf8");
    const rows = [...source.matchAll(/^ {4}(\w+) => \w+ = (Always|RefusedFrom\((\d)\)|OnlyAt\((\d)\)),$/gm)];
    const allows = new Map(
      rows.map(([, name, gate, from, at]): [string, (stop: number) => boolean] => [
        name,
        gate === "Always"
          ? () => true
          : from !== undefined
            ? (s) => s < Number(from)
            : (s) => s === Number(at),
      ]),
    );
    expect([...allows.keys()]).to.deep.equal(idl.instructions.map((ix) => ix.name));

    // Each instruction as the IDL describes it: the admin signs, fixed addresses and the config PDA
    // where the IDL names them, fresh keys elsewhere, zero arguments of the right length. Gated
    // instructions check the stop level right after their signer and program checks, so the same
    // transaction fails with ProtocolStopped exactly where the table refuses it.
    const chain2 = new GavelSvm();
    const boss = chain2.actor();
    chain2.send([initializeConfigIx({ admin: boss.publicKey })], [boss]);
    type IdlType = string | { defined?: { name: string }; array?: [IdlType, number] };
    type TypeDef = {
      kind: string;
      fields?: { type: IdlType }[];
      variants?: { fields?: { type: IdlType }[] }[];
    };
    const types = new Map(idl.types.map((t) => [t.name, t.type as TypeDef]));
    const sizes: Record<string, number> = { u8: 1, bool: 1, u16: 2, u32: 4, u64: 8, i64: 8, pubkey: 32 };
    const size = (t: IdlType): number => {
      if (typeof t === "string") return sizes[t];
      if (t.array) return size(t.array[0]) * t.array[1];
      const def = types.get(t.defined!.name)!;
      const fields = def.kind === "enum" ? (def.variants![0].fields ?? []) : def.fields!;
      return (def.kind === "enum" ? 1 : 0) + fields.reduce((n, f) => n + size(f.type), 0);
    };
    // set_stop's argument is the level under test (zero would set stop 0 midway).
    const build = (stop: number) =>
      idl.instructions.map((ix) => {
        const keys = ix.accounts.map(
          (a: { name: string; signer?: boolean; writable?: boolean; address?: string }) => ({
            pubkey: a.signer
              ? boss.publicKey
              : a.address
                ? new PublicKey(a.address)
                : a.name === "config"
                  ? config
                  : Keypair.generate().publicKey,
            isSigner: a.signer ?? false,
            isWritable: a.writable ?? false,
          }),
        );
        const args = Buffer.alloc(ix.args.reduce((n, a) => n + size(a.type as IdlType), 0));
        if (ix.name === "set_stop") args[0] = stop;
        return new TransactionInstruction({
          programId: PROGRAM_ID,
          keys,
          data: Buffer.concat([Buffer.from(ix.discriminator), args]),
        });
      });
    for (const stop of [StopLevel.AdminOnly, StopLevel.NoKicksNoResets, StopLevel.NoKicks, StopLevel.Live]) {
      chain2.send([setStopIx({ admin: boss.publicKey }, stop)], [boss]);
      const ixs = build(stop);
      idl.instructions.forEach((ix, i) => {
        const res = chain2.send([ixs[i]], [boss]);
        const stopped = res.error?.code === ErrorCode.ProtocolStopped;
        expect(stopped, `${ix.name} at stop ${stop}`).to.equal(!allows.get(ix.name)!(stop));
      });
      expect(decodeConfig(chain2.data(config)!).stop).to.equal(stop);
    }
  });
});

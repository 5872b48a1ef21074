/**
 * Story on a real validator (RPC + websocket): the admin initializes Gavel with a real signed
 * transaction through Anchor's `Program.rpc()`, an indexer subscribed over websocket sees each
 * event, and a stranger's attempt fails with a typed error.
 */
import { AnchorError, AnchorProvider, Idl, Program, Wallet } from "@coral-xyz/anchor";
import { Keypair, LAMPORTS_PER_SOL, Logs, SystemProgram, Transaction } from "@solana/web3.js";
import { expect } from "chai";
import {
  configPda,
  decodeConfig,
  ErrorCode,
  Gavel,
  GavelEvent,
  gavelProgram,
  parseEvents,
  parseGavelError,
  PROGRAM_ID,
  setStopIx,
} from "../sdk/src";
import { LocalValidator, startValidator } from "./helpers/validator";
import { startChain, stopChain } from "../sdk/testkit";
import * as fs from "fs";
import * as path from "path";

describe("02 config on a local validator (RPC + websocket)", () => {
  let v: LocalValidator;
  let program: Program<Gavel>;
  let subscription: number;
  const seen: GavelEvent[] = [];
  const [config] = configPda();

  before(async () => {
    v = startValidator();
    program = gavelProgram(
      new AnchorProvider(v.connection, new Wallet(v.payer), { commitment: "confirmed" }),
    );
    subscription = v.connection.onLogs(
      PROGRAM_ID,
      (l: Logs) => {
        if (!l.err) seen.push(...parseEvents(l.logs));
      },
      "confirmed",
    );
  });

  after(async () => {
    if (v) {
      await v.connection.removeOnLogsListener(subscription);
      v.stop();
    }
  });

  const waitFor = async (pred: () => boolean, what: string): Promise<void> => {
    for (let i = 0; i < 100 && !pred(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(pred(), what).to.equal(true);
  };

  it("the program is deployed and executable", async () => {
    const info = await v.connection.getAccountInfo(PROGRAM_ID);
    expect(info?.executable).to.equal(true);
  });

  it("the admin initializes the config with a real transaction; the indexer sees ConfigInitialized", async () => {
    const sig = await program.methods.initializeConfig().accounts({ admin: v.payer.publicKey }).rpc();
    expect(sig).to.be.a("string");
    const cfg = decodeConfig((await v.connection.getAccountInfo(config))!.data);
    expect(cfg.admin.toBase58()).to.equal(v.payer.publicKey.toBase58());
    expect(cfg.stop).to.equal(0);
    await waitFor(() => seen.some((e) => e.name === "configInitialized"), "ConfigInitialized over websocket");
  });

  it("the admin raises the stop level to 3 and back to 0; both changes stream to the indexer", async () => {
    await program.methods.setStop(3).accounts({ admin: v.payer.publicKey }).rpc();
    expect(decodeConfig((await v.connection.getAccountInfo(config))!.data).stop).to.equal(3);
    await program.methods.setStop(0).accounts({ admin: v.payer.publicKey }).rpc();
    expect(decodeConfig((await v.connection.getAccountInfo(config))!.data).stop).to.equal(0);
    await waitFor(() => seen.filter((e) => e.name === "stopChanged").length >= 2, "two StopChanged");
    const changes = seen.filter((e) => e.name === "stopChanged").map((e) => [e.data.previous, e.data.stop]);
    expect(changes).to.deep.equal([
      [0, 3],
      [3, 0],
    ]);
  });

  it("a stranger's set_stop is rejected by the validator with AdminRequired", async () => {
    const stranger = Keypair.generate();
    const fund = new Transaction().add(
      SystemProgram.transfer({
        fromPubkey: v.payer.publicKey,
        toPubkey: stranger.publicKey,
        lamports: LAMPORTS_PER_SOL,
      }),
    );
    await program.provider.sendAndConfirm!(fund);
    const tx = new Transaction().add(setStopIx({ admin: stranger.publicKey }, 1));
    let caught: unknown;
    try {
      await program.provider.sendAndConfirm!(tx, [stranger], { commitment: "confirmed" });
    } catch (e) {
      caught = e;
    }
    expect(parseGavelError(caught)?.code).to.equal(ErrorCode.AdminRequired);
    expect(decodeConfig((await v.connection.getAccountInfo(config))!.data).stop).to.equal(0);
  });

  it("stop level 4 is rejected with StopLevelInvalid", async () => {
    let caught: unknown;
    try {
      await program.methods.setStop(4).accounts({ admin: v.payer.publicKey }).rpc();
    } catch (e) {
      caught = e;
    }
    expect(parseGavelError(caught)?.code).to.equal(ErrorCode.StopLevelInvalid);
  });

  describe("a plain @coral-xyz/anchor client (only idl/gavel.json, no SDK)", () => {
    const idl = JSON.parse(fs.readFileSync(path.join(__dirname, "../idl/gavel.json"), "utf8")) as Idl;
    const plain = (): Program => {
      return new Program(
        idl,
        new AnchorProvider(v.connection, new Wallet(v.payer), { commitment: "confirmed" }),
      );
    };

    it("gets an AnchorError with the IDL's error name, number and message", async () => {
      let caught: unknown;
      try {
        await plain().methods.setStop(7).accounts({ admin: v.payer.publicKey }).rpc();
      } catch (e) {
        caught = e;
      }
      expect(caught).to.be.instanceOf(AnchorError);
      const err = caught as AnchorError;
      const idlError = (idl.errors ?? []).find((e) => e.name === "StopLevelInvalid");
      expect(err.error.errorCode).to.deep.equal({ code: "StopLevelInvalid", number: 6012 });
      expect(err.error.errorMessage).to.equal(idlError?.msg);
      expect(err.program.toBase58()).to.equal(PROGRAM_ID.toBase58());
    });

    it("without preflight the landed failure's logs parse into the same AnchorError", async () => {
      // anchor 0.32.1's provider rebuilds the confirm error with web3.js's pre-1.95
      // SendTransactionError signature, so `.rpc({ skipPreflight: true })` throws an error without
      // logs; the program's log line is still on chain, where AnchorError.parse reads it.
      const tx = await plain().methods.setStop(9).accounts({ admin: v.payer.publicKey }).transaction();
      tx.feePayer = v.payer.publicKey;
      tx.recentBlockhash = (await v.connection.getLatestBlockhash("confirmed")).blockhash;
      tx.sign(v.payer);
      const signature = await v.connection.sendRawTransaction(tx.serialize(), { skipPreflight: true });
      let landed = null;
      for (let i = 0; i < 100 && !landed; i++) {
        await new Promise((r) => setTimeout(r, 100));
        landed = await v.connection.getTransaction(signature, {
          commitment: "confirmed",
          maxSupportedTransactionVersion: 0,
        });
      }
      expect(landed?.meta?.err).to.deep.equal({ InstructionError: [0, { Custom: 6012 }] });
      const parsed = AnchorError.parse(landed?.meta?.logMessages ?? []);
      expect(parsed?.error.errorCode).to.deep.equal({ code: "StopLevelInvalid", number: 6012 });
    });
  });
});

describe("02 the embedded chain over a long run", function () {
  this.timeout(90_000);

  it("keeps answering past 1,024 runtime events (the testkit drains the event queue)", async () => {
    // 10 ms slots: a clock-update event every slot fills surfpool's 1,024-event queue in ~10 s;
    // undrained, its block loop would block holding the chain's lock and every call would hang.
    const { surfnet, connection } = startChain({ slotTimeMs: 10 });
    try {
      const answer = <T>(p: Promise<T>) =>
        Promise.race([
          p,
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no answer in 5 s")), 5_000)),
        ]);
      let slot = await answer(connection.getSlot());
      const deadline = Date.now() + 60_000;
      while (slot < 2_500 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 1_000));
        slot = await answer(connection.getSlot());
      }
      expect(slot).to.be.greaterThan(2_500);
      await answer(connection.getLatestBlockhash());
    } finally {
      stopChain(surfnet, connection);
    }
  });
});

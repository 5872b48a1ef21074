/**
 * Story: a tester needs Pyth price accounts on a local chain. They write a legacy SOL/USD price
 * account and a pull-oracle PriceUpdateV2 with the SDK's encoders, check that the official
 * `@pythnetwork/client` parser and the SDK's readers see the same price, and that the states the
 * program refuses (negative price, halted feed, partial verification) read back as such. No
 * program is needed: these are pure byte layouts, plus one LiteSVM `setAccount` round trip.
 */
import BN from "bn.js";
import { parsePriceData, PriceStatus } from "@pythnetwork/client";
import { Keypair, PublicKey } from "@solana/web3.js";
import { expect } from "chai";
import { createHash } from "crypto";
import { AccountInfoBytes, LiteSVM } from "litesvm";
import {
  encodePriceUpdateV2,
  encodePythLegacyPrice,
  OracleKind,
  OraclePriceData,
  PRICE_UPDATE_V2_DISCRIMINATOR,
  PRICE_UPDATE_V2_LEN,
  pythAccountInfo,
  PYTH_LEGACY_PRICE_ACCOUNT_SIZE,
  PYTH_LEGACY_PROGRAM_ID,
  PYTH_RECEIVER_PROGRAM_ID,
  readPriceUpdateV2,
  readPythLegacy,
  rentExemptLamports,
} from "../sdk/src";

/** SOL/USD at $150.00000000 ± $0.075, expo −8. */
const SOL = {
  price: new BN("15000000000"),
  conf: new BN(7_500_000),
  expo: -8,
  publishSlot: new BN(250_000_000),
  publishTime: new BN(1_700_000_000),
};

/** The SOL/USD feed id of Pyth (any 32 bytes would do). */
const SOL_FEED = Buffer.from("ef0d8b6fda2ceba41da15d4095d1da392a0d2f8ed0c6c7bc0f4cfac8c280b56d", "hex");

/** What both readers return for {@link SOL}: the common shape, numbers as decimal strings. */
const SOL_READ = {
  price: "15000000000",
  conf: "7500000",
  expo: -8,
  publishTime: "1700000000",
  publishSlot: "250000000",
  trading: true,
};

/** The common shape of a reader's result (legacy or pull), comparable with {@link SOL_READ}. */
const commonShape = (read: OraclePriceData): typeof SOL_READ => ({
  price: read.price.toString(),
  conf: read.conf.toString(),
  expo: read.expo,
  publishTime: read.publishTime.toString(),
  publishSlot: read.publishSlot.toString(),
  trading: read.trading,
});

const I64_MAX = (1n << 63n) - 1n;
const I64_MIN = -(1n << 63n);
const U64_MAX = (1n << 64n) - 1n;

describe("04 oracle accounts: Pyth legacy and pull layouts, written and read back", () => {
  describe("a legacy Pyth v2 price account", () => {
    it("is 3312 bytes and the official parsePriceData reads the same aggregate", () => {
      const data = encodePythLegacyPrice(SOL);
      expect(data.length).to.equal(PYTH_LEGACY_PRICE_ACCOUNT_SIZE);

      const parsed = parsePriceData(data);
      expect(parsed.magic).to.equal(0xa1b2c3d4);
      expect(parsed.version).to.equal(2);
      expect(parsed.type).to.equal(3);
      expect(parsed.exponent).to.equal(-8);
      expect(parsed.status).to.equal(PriceStatus.Trading);
      expect(parsed.aggregate.priceComponent).to.equal(15_000_000_000n);
      expect(parsed.aggregate.confidenceComponent).to.equal(7_500_000n);
      expect(parsed.aggregate.publishSlot).to.equal(250_000_000);
      expect(parsed.timestamp).to.equal(1_700_000_000n);
      expect(parsed.price).to.be.closeTo(150, 1e-9);
      expect(parsed.confidence).to.be.closeTo(0.075, 1e-12);
      expect(parsed.emaPrice.valueComponent).to.equal(15_000_000_000n);
      expect(parsed.emaConfidence.valueComponent).to.equal(7_500_000n);
      expect(parsed.numComponentPrices).to.equal(0);
      expect(parsed.priceComponents).to.have.length(0);
      // Current slot within Pyth's 25-slot window: still trading.
      expect(parsePriceData(data, 250_000_025).status).to.equal(PriceStatus.Trading);
    });

    it("round-trips through readPythLegacy into the common shape", () => {
      expect(commonShape(readPythLegacy(encodePythLegacyPrice(SOL)))).to.deep.equal(SOL_READ);
    });

    it("writes the fields the program reads at pyth-client's offsets", () => {
      const data = encodePythLegacyPrice({ ...SOL, emaPrice: 1n, emaConf: 2n });
      expect(data.readUInt32LE(0)).to.equal(0xa1b2c3d4);
      expect(data.readInt32LE(20)).to.equal(-8);
      expect(data.readBigInt64LE(96)).to.equal(1_700_000_000n); // timestamp
      expect(data.readBigInt64LE(208)).to.equal(15_000_000_000n); // agg.price
      expect(data.readBigUInt64LE(216)).to.equal(7_500_000n); // agg.conf
      expect(data.readUInt32LE(224)).to.equal(1); // agg.status
      expect(data.readBigUInt64LE(232)).to.equal(250_000_000n); // agg.pub_slot
      expect(parsePriceData(data).emaPrice.valueComponent).to.equal(1n);
      expect(parsePriceData(data).emaConfidence.valueComponent).to.equal(2n);
    });

    it("keeps a negative price negative (the program refuses it)", () => {
      const data = encodePythLegacyPrice({ ...SOL, price: -42n });
      expect(readPythLegacy(data).price.toString()).to.equal("-42");
      expect(parsePriceData(data).aggregate.priceComponent).to.equal(-42n);
    });

    for (const status of [
      PriceStatus.Unknown,
      PriceStatus.Halted,
      PriceStatus.Auction,
      PriceStatus.Ignored,
    ]) {
      it(`reports status ${PriceStatus[status]} as not trading, as parsePriceData does`, () => {
        const data = encodePythLegacyPrice({ ...SOL, status });
        const parsed = parsePriceData(data);
        expect(parsed.status).to.equal(status);
        expect(parsed.price).to.equal(undefined);
        const read = readPythLegacy(data);
        expect(read.trading).to.equal(false);
        expect(read.price.toString()).to.equal("15000000000");
      });
    }

    it("carries extreme values exactly (i64 and u64 bounds)", () => {
      const data = encodePythLegacyPrice({
        price: I64_MAX,
        conf: U64_MAX,
        expo: -2_147_483_648,
        publishSlot: U64_MAX,
        publishTime: I64_MIN,
      });
      const read = readPythLegacy(data);
      expect(read.price.toString()).to.equal(I64_MAX.toString());
      expect(read.conf.toString()).to.equal(U64_MAX.toString());
      expect(read.expo).to.equal(-2_147_483_648);
      expect(read.publishSlot.toString()).to.equal(U64_MAX.toString());
      expect(read.publishTime.toString()).to.equal(I64_MIN.toString());
      expect(parsePriceData(data).aggregate.priceComponent).to.equal(I64_MAX);
    });

    it("refuses out-of-range inputs and non-price accounts", () => {
      expect(() => encodePythLegacyPrice({ ...SOL, price: I64_MAX + 1n })).to.throw(RangeError);
      expect(() => encodePythLegacyPrice({ ...SOL, conf: -1 })).to.throw(RangeError);
      expect(() => encodePythLegacyPrice({ ...SOL, publishSlot: 0.5 })).to.throw(RangeError);
      const data = encodePythLegacyPrice(SOL);
      for (const [at, value] of [
        [0, 0xa1b2c3d5],
        [4, 1],
        [8, 2],
      ]) {
        const bad = Buffer.from(data);
        bad.writeUInt32LE(value, at);
        expect(() => readPythLegacy(bad)).to.throw(/not a legacy Pyth v2 price account/);
      }
      expect(() => readPythLegacy(data.subarray(0, 239))).to.throw(/too short/);
    });
  });

  describe("a pull-oracle PriceUpdateV2", () => {
    const update = {
      feedId: SOL_FEED,
      price: SOL.price,
      conf: SOL.conf,
      expo: SOL.expo,
      publishTime: SOL.publishTime,
      postedSlot: SOL.publishSlot,
    };

    it("has Anchor's discriminator sha256('account:PriceUpdateV2')[..8] and the receiver's size", () => {
      const h = createHash("sha256").update("account:PriceUpdateV2").digest().subarray(0, 8);
      expect(PRICE_UPDATE_V2_DISCRIMINATOR.equals(h)).to.equal(true);
      const data = encodePriceUpdateV2(update);
      expect(data.length).to.equal(PRICE_UPDATE_V2_LEN);
      expect(data.subarray(0, 8).equals(h)).to.equal(true);
    });

    it("round-trips a fully verified update with its feed id", () => {
      const read = readPriceUpdateV2(encodePriceUpdateV2(update));
      expect(read.feedId.equals(SOL_FEED)).to.equal(true);
      expect(read.verified).to.equal(true);
      expect(commonShape(read)).to.deep.equal(SOL_READ);
    });

    it("lays out the Borsh fields after a 1-byte Full level", () => {
      const authority = Keypair.generate().publicKey;
      const data = encodePriceUpdateV2({
        ...update,
        writeAuthority: authority,
        prevPublishTime: 1_699_999_999,
        emaPrice: 3n,
        emaConf: 4n,
      });
      expect(new PublicKey(data.subarray(8, 40)).equals(authority)).to.equal(true);
      expect(data[40]).to.equal(1); // VerificationLevel::Full
      expect(data.subarray(41, 73).equals(SOL_FEED)).to.equal(true);
      expect(data.readBigInt64LE(73)).to.equal(15_000_000_000n); // price
      expect(data.readBigUInt64LE(81)).to.equal(7_500_000n); // conf
      expect(data.readInt32LE(89)).to.equal(-8); // exponent
      expect(data.readBigInt64LE(93)).to.equal(1_700_000_000n); // publish_time
      expect(data.readBigInt64LE(101)).to.equal(1_699_999_999n); // prev_publish_time
      expect(data.readBigInt64LE(109)).to.equal(3n); // ema_price
      expect(data.readBigUInt64LE(117)).to.equal(4n); // ema_conf
      expect(data.readBigUInt64LE(125)).to.equal(250_000_000n); // posted_slot
      expect(data[133]).to.equal(0); // padding
    });

    it("reads a partially verified update as not verified (the program refuses it)", () => {
      const data = encodePriceUpdateV2({ ...update, verification: { partial: 5 } });
      expect(data.length).to.equal(PRICE_UPDATE_V2_LEN);
      expect([data[40], data[41]]).to.deep.equal([0, 5]);
      const read = readPriceUpdateV2(data);
      expect(read.verified).to.equal(false);
      expect(read.feedId.equals(SOL_FEED)).to.equal(true);
      expect(read.price.toString()).to.equal("15000000000");
      expect(read.publishSlot.toString()).to.equal("250000000");
    });

    it("keeps a negative price negative and extreme values exact", () => {
      expect(readPriceUpdateV2(encodePriceUpdateV2({ ...update, price: -1 })).price.toString()).to.equal(
        "-1",
      );
      const read = readPriceUpdateV2(
        encodePriceUpdateV2({
          ...update,
          price: I64_MIN,
          conf: U64_MAX,
          publishTime: I64_MAX,
          postedSlot: U64_MAX,
        }),
      );
      expect(read.price.toString()).to.equal(I64_MIN.toString());
      expect(read.conf.toString()).to.equal(U64_MAX.toString());
      expect(read.publishTime.toString()).to.equal(I64_MAX.toString());
      expect(read.publishSlot.toString()).to.equal(U64_MAX.toString());
    });

    it("refuses a wrong discriminator, an unknown level, short data and a bad feed id", () => {
      const data = encodePriceUpdateV2(update);
      const wrongDisc = Buffer.from(data);
      wrongDisc[0] ^= 1;
      expect(() => readPriceUpdateV2(wrongDisc)).to.throw(/not a PriceUpdateV2/);
      const wrongTag = Buffer.from(data);
      wrongTag[40] = 2;
      expect(() => readPriceUpdateV2(wrongTag)).to.throw(/verification level 2/);
      expect(() => readPriceUpdateV2(data.subarray(0, 132))).to.throw(/too short/);
      expect(() => readPriceUpdateV2(encodePythLegacyPrice(SOL))).to.throw(/not a PriceUpdateV2/);
      expect(() => encodePriceUpdateV2({ ...update, feedId: Buffer.alloc(31) })).to.throw(RangeError);
    });
  });

  describe("accounts for a test chain", () => {
    it("are owned by the right Pyth program with rent-exempt lamports", () => {
      const legacy = pythAccountInfo(OracleKind.PythLegacy, encodePythLegacyPrice(SOL));
      expect(legacy.owner.equals(PYTH_LEGACY_PROGRAM_ID)).to.equal(true);
      expect(legacy.owner.toBase58()).to.equal("FsJ3A3u2vn5cTVofAjvy6y5kwABJAqYWpe4975bi2epH");
      expect(legacy.lamports).to.equal(rentExemptLamports(3312)).and.equal(23_942_400);
      expect(legacy.executable).to.equal(false);
      expect(legacy.data.length).to.equal(3312);

      const pull = pythAccountInfo(
        OracleKind.PythPull,
        encodePriceUpdateV2({ ...SOL, feedId: SOL_FEED, postedSlot: 1 }),
        7,
      );
      expect(pull.owner.equals(PYTH_RECEIVER_PROGRAM_ID)).to.equal(true);
      expect(pull.owner.toBase58()).to.equal("rec5EKMGg6MxZYaMdyBfgwp4d5rB9T1VQH5pJv5LtFJ");
      expect(pull.lamports).to.equal(7);
      expect(() => pythAccountInfo(2 as OracleKind, Buffer.alloc(1))).to.throw(RangeError);
    });

    it("load into LiteSVM with setAccount and read back identically", () => {
      const svm = new LiteSVM();
      const legacyKey = Keypair.generate().publicKey;
      const pullKey = Keypair.generate().publicKey;
      const legacy: AccountInfoBytes = pythAccountInfo(OracleKind.PythLegacy, encodePythLegacyPrice(SOL));
      const pull: AccountInfoBytes = pythAccountInfo(
        OracleKind.PythPull,
        encodePriceUpdateV2({ ...SOL, feedId: SOL_FEED, postedSlot: SOL.publishSlot }),
      );
      svm.setAccount(legacyKey, legacy);
      svm.setAccount(pullKey, pull);

      const gotLegacy = svm.getAccount(legacyKey)!;
      expect(gotLegacy.owner.equals(PYTH_LEGACY_PROGRAM_ID)).to.equal(true);
      expect(Buffer.from(gotLegacy.data).equals(Buffer.from(legacy.data))).to.equal(true);
      expect(readPythLegacy(gotLegacy.data).price.toString()).to.equal("15000000000");

      const gotPull = svm.getAccount(pullKey)!;
      expect(gotPull.owner.equals(PYTH_RECEIVER_PROGRAM_ID)).to.equal(true);
      expect(readPriceUpdateV2(gotPull.data).feedId.equals(SOL_FEED)).to.equal(true);
    });
  });
});

/**
 * The SDK's generated account layouts (`*_LAYOUT`: size and field offsets, from
 * programs/gavel/layouts.js) agree with Anchor's Borsh coder reading the IDL, and with the
 * accounts the compiled program creates.
 */
import BN from "bn.js";
import { Keypair, PublicKey } from "@solana/web3.js";
import { expect } from "chai";
import {
  AUCTION_LAYOUT,
  BACKSTOP_DEPOSITOR_LAYOUT,
  BACKSTOP_LAYOUT,
  CONFIG_LAYOUT,
  coder,
  configPda,
  IDL,
  MARKET_LAYOUT,
  marketPda,
  POSITION_LAYOUT,
  WITHDRAWAL_REQUEST_LAYOUT,
  withFundingDefaults,
} from "../sdk/src";
import { defaultParams, LendingWorld } from "../sdk/testkit";

interface Layout {
  readonly len: number;
  readonly offsets: Readonly<Record<string, number>>;
}

const LAYOUTS: Record<string, Layout> = {
  Config: CONFIG_LAYOUT,
  Market: MARKET_LAYOUT,
  Position: POSITION_LAYOUT,
  Auction: AUCTION_LAYOUT,
  WithdrawalRequest: WITHDRAWAL_REQUEST_LAYOUT,
  Backstop: BACKSTOP_LAYOUT,
  BackstopDepositor: BACKSTOP_DEPOSITOR_LAYOUT,
};

type IdlField = { name: string; type: unknown };
const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const fieldsOf = (name: string): IdlField[] =>
  (IDL.types.find((t) => t.name === name)?.type as { fields: IdlField[] }).fields;

/** A value of every field, each distinct, for the IDL type `name` (params at their largest curve). */
function sample(name: string, seed: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  fieldsOf(name).forEach((f, i) => {
    const n = seed + i;
    const key = camel(f.name);
    if (f.type === "pubkey") out[key] = Keypair.generate().publicKey;
    else if (f.type === "u8") out[key] = n % 251;
    else if (f.type === "u16") out[key] = 1_000 + n;
    else if (f.type === "u64") out[key] = new BN(1_000_000 + n);
    else if (f.type === "i64") out[key] = new BN(-1_000_000 - n);
    else if (f.name === "reserved")
      out[key] = new Array((f.type as { array: [string, number] }).array[1]).fill(0);
    else if (f.name === "params" && name === "Market")
      out[key] = withFundingDefaults(defaultParams(Keypair.generate().publicKey));
    else out[key] = sample((f.type as { defined: { name: string } }).defined.name, seed + 100);
  });
  return out;
}

/** The field `type` at `offset` of `data`, in the shape the coder decodes it. */
function readAt(data: Buffer, type: unknown, offset: number): unknown {
  if (type === "pubkey") return new PublicKey(data.subarray(offset, offset + 32));
  if (type === "u8") return data.readUInt8(offset);
  if (type === "u16") return data.readUInt16LE(offset);
  if (type === "u64") return new BN(data.subarray(offset, offset + 8), "le");
  if (type === "i64") return new BN(data.subarray(offset, offset + 8), "le").fromTwos(64);
  return undefined; // a nested type: its own fields are not at a listed offset
}

describe("27 generated account layouts", () => {
  for (const [name, layout] of Object.entries(LAYOUTS)) {
    it(`${name}: the coder's encoding is ${layout.len} bytes and every listed field sits at its offset`, async () => {
      const value = sample(name, 1);
      const data = await coder.accounts.encode(name.charAt(0).toLowerCase() + name.slice(1), value);
      expect(data.length).to.equal(layout.len);
      const fields = fieldsOf(name);
      let checked = 0;
      for (const f of fields) {
        const offset = layout.offsets[camel(f.name)];
        if (offset === undefined) continue;
        const read = readAt(data, f.type, offset);
        if (read === undefined) continue;
        expect(String(read), `${name}.${f.name} at ${offset}`).to.equal(String(value[camel(f.name)]));
        checked++;
      }
      // Every field has an offset, in order, except those after a variable-size one (Market's
      // after `params`, whose curve is an enum).
      const named = fields.filter((f) => f.name !== "reserved").map((f) => camel(f.name));
      const upTo = name === "Market" ? named.indexOf("params") + 1 : named.length;
      expect(Object.keys(layout.offsets)).to.deep.equal(named.slice(0, upTo));
      expect(checked).to.equal(
        fields.filter((f) => readAt(data, f.type, 8) !== undefined).length - (named.length - upTo),
      );
    });
  }

  it("the program's Config and Market accounts are CONFIG_LAYOUT.len and MARKET_LAYOUT.len bytes", () => {
    const w = new LendingWorld();
    w.createMarket();
    expect(w.chain.data(configPda()[0])?.length).to.equal(CONFIG_LAYOUT.len);
    expect(w.chain.data(marketPda(w.ref.collateralMint, w.ref.debtMint)[0])?.length).to.equal(
      MARKET_LAYOUT.len,
    );
  });
});

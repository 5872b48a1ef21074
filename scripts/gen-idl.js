#!/usr/bin/env node
// Writes idl/gavel.json (Anchor IDL spec 0.1.0) from the instruction table of
// programs/gavel/instructions.js and the types, events and errors below. The program is not built
// with anchor-lang, so these are the IDL's source; programs/gavel/tests/idl.rs
// checks it against the program (instruction and error lists, every account and event layout),
// and the mocha specs drive the real .so through it. `--check` fails if idl/gavel.json is stale.
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const disc = (ns, name) =>
  Array.from(crypto.createHash("sha256").update(`${ns}:${name}`).digest().subarray(0, 8));
// Instructions and their accounts come from the program's one table (programs/gavel/instructions.js);
// the accounts the program reads from the tail of the list (oracles) follow, as named there.
const { instructions: table } = require("../programs/gavel/instructions.js");
const instructions = table.map(({ name, docs, accounts, args, remaining }) => ({
  name,
  docs,
  discriminator: disc("global", name),
  accounts: [...accounts, ...(remaining ? remaining.accounts : [])],
  args,
}));

const f = (name, type) => ({ name, type });
const P = "pubkey";
const defined = (name) => ({ defined: { name } });
const struct = (name, fields, docs) => ({
  name,
  ...(docs ? { docs: [docs] } : {}),
  type: { kind: "struct", fields: fields.map(([n, t]) => f(n, t)) },
});

// Account layouts and the Borsh types inside them come from the program's one layout table
// (programs/gavel/layouts.js), with their docs; each account ends in its reserved bytes.
const layouts = require("../programs/gavel/layouts.js");
const PRIMITIVES = new Set(["u8", "u16", "u64", "i64", P]);
// Field docs stay out of the IDL: with them the compressed IDL no longer fits its on-chain account
// (migrations/idl.ts); the program's and the SDK's types carry them.
const field = ({ name, type }) => ({ name, type: PRIMITIVES.has(type) ? type : defined(type) });
const reserved = (n) => (n ? [{ name: "reserved", type: { array: ["u8", n] } }] : []);
const layoutType = (t) => ({
  name: t.name,
  docs: [t.docs],
  type:
    t.kind === "enum"
      ? { kind: "enum", variants: t.variants.map((v) => ({ name: v.name, fields: v.fields.map(field) })) }
      : { kind: "struct", fields: [...t.fields.map(field), ...reserved(t.reserved)] },
});
const types = [...layouts.types, ...layouts.accounts].map(layoutType);

const events = [
  ["ConfigInitialized", [["admin", P]]],
  [
    "StopChanged",
    [
      ["admin", P],
      ["previous", "u8"],
      ["stop", "u8"],
      ["unix_timestamp", "i64"],
    ],
  ],
  [
    "AdminTransferProposed",
    [
      ["admin", P],
      ["pending_admin", P],
    ],
  ],
  [
    "AdminTransferAccepted",
    [
      ["previous_admin", P],
      ["admin", P],
    ],
  ],
  [
    "MarketCreated",
    [
      ["market", P],
      ["collateral_mint", P],
      ["debt_mint", P],
      ["params", defined("MarketParams")],
    ],
  ],
  [
    "MarketUpdated",
    [
      ["market", P],
      ["params", defined("MarketParams")],
    ],
  ],
  [
    "InterestAccrued",
    [
      ["market", P],
      ["rate", "u64"],
      ["elapsed_secs", "u64"],
      ["total_debt", "u64"],
      ["unix_timestamp", "i64"],
    ],
  ],
  [
    "LiquidityDeposited",
    [
      ["market", P],
      ["lp", P],
      ["amount", "u64"],
      ["shares", "u64"],
      ["total_shares", "u64"],
      ["pool_value", "u64"],
    ],
  ],
  [
    "LiquidityWithdrawn",
    [
      ["market", P],
      ["lp", P],
      ["amount", "u64"],
      ["shares", "u64"],
      ["total_shares", "u64"],
      ["pool_value", "u64"],
    ],
  ],
  [
    "InsuranceFunded",
    [
      ["market", P],
      ["funder", P],
      ["amount", "u64"],
      ["insurance", "u64"],
    ],
  ],
  [
    "PositionOpened",
    [
      ["market", P],
      ["position", P],
      ["owner", P],
    ],
  ],
  [
    "CollateralDeposited",
    [
      ["market", P],
      ["position", P],
      ["depositor", P],
      ["amount", "u64"],
      ["ink", "u64"],
    ],
  ],
  [
    "CollateralWithdrawn",
    [
      ["market", P],
      ["position", P],
      ["owner", P],
      ["amount", "u64"],
      ["ink", "u64"],
    ],
  ],
  [
    "DebtBorrowed",
    [
      ["market", P],
      ["position", P],
      ["owner", P],
      ["amount", "u64"],
      ["art", "u64"],
      ["debt", "u64"],
      ["rate", "u64"],
    ],
  ],
  [
    "DebtRepaid",
    [
      ["market", P],
      ["position", P],
      ["payer", P],
      ["amount", "u64"],
      ["art", "u64"],
      ["debt", "u64"],
      ["rate", "u64"],
    ],
  ],
  [
    "PositionClosed",
    [
      ["market", P],
      ["position", P],
      ["owner", P],
    ],
  ],
  // prettier-ignore
  ["AuctionStarted", [["market", P], ["auction", P], ["id", "u64"], ["position", P], ["owner", P], ["kicker", P], ["tab", "u64"], ["lot", "u64"], ["debt", "u64"], ["top", "u64"], ["oracle_price", "u64"], ["reward", "u64"], ["unix_timestamp", "i64"]]],
  // prettier-ignore
  ["AuctionTaken", [["market", P], ["auction", P], ["id", "u64"], ["taker", P], ["price", "u64"], ["collateral", "u64"], ["owe", "u64"], ["tab", "u64"], ["lot", "u64"], ["unix_timestamp", "i64"]]],
  // prettier-ignore
  ["AuctionReset", [["market", P], ["auction", P], ["id", "u64"], ["caller", P], ["top", "u64"], ["tab", "u64"], ["lot", "u64"], ["reward", "u64"], ["unix_timestamp", "i64"]]],
  // prettier-ignore
  ["AuctionSettled", [["market", P], ["auction", P], ["id", "u64"], ["position", P], ["reason", "u8"], ["raised", "u64"], ["returned_collateral", "u64"], ["bad_debt", "u64"], ["unix_timestamp", "i64"]]],
  // prettier-ignore
  ["BadDebt", [["market", P], ["auction", P], ["id", "u64"], ["debt", "u64"], ["covered_by_insurance", "u64"], ["socialized", "u64"]]],
  // prettier-ignore
  ["WithdrawalRequested", [["market", P], ["lp", P], ["shares", "u64"], ["value", "u64"], ["claimable_ts", "i64"], ["unix_timestamp", "i64"]]],
  // prettier-ignore
  ["WithdrawalCancelled", [["market", P], ["lp", P], ["shares_returned", "u64"], ["shares_forfeited", "u64"], ["total_shares", "u64"]]],
  [
    "BackstopCreated",
    [
      ["market", P],
      ["backstop", P],
      ["params", defined("BackstopParams")],
    ],
  ],
  [
    "BackstopUpdated",
    [
      ["market", P],
      ["backstop", P],
      ["params", defined("BackstopParams")],
    ],
  ],
  // prettier-ignore
  ["BackstopDeposited", [["market", P], ["depositor", P], ["amount", "u64"], ["activated", "u64"], ["shares", "u64"], ["total_shares", "u64"], ["warming", "u64"], ["warm_at", "i64"]]],
  // prettier-ignore
  ["BackstopWithdrawalRequested", [["market", P], ["depositor", P], ["shares", "u64"], ["withdraw_at", "i64"]]],
  // prettier-ignore
  ["BackstopWithdrawn", [["market", P], ["depositor", P], ["shares", "u64"], ["debt", "u64"], ["collateral", "u64"], ["total_shares", "u64"]]],
  // prettier-ignore
  ["AuctionAbsorbed", [["market", P], ["auction", P], ["id", "u64"], ["caller", P], ["price", "u64"], ["collateral", "u64"], ["owe", "u64"], ["reward", "u64"], ["tab", "u64"], ["lot", "u64"], ["unix_timestamp", "i64"]]],
  // prettier-ignore
  ["BackstopCollateralBought", [["market", P], ["buyer", P], ["price", "u64"], ["collateral", "u64"], ["owe", "u64"], ["backstop_debt", "u64"], ["backstop_collateral", "u64"], ["unix_timestamp", "i64"]]],
  // prettier-ignore
  ["BackstopFunded", [["market", P], ["backstop", P], ["amount", "u64"], ["backstop_due", "u64"], ["backstop_debt", "u64"], ["total_shares", "u64"], ["unix_timestamp", "i64"]]],
];

const root = path.join(__dirname, "..");
const out = path.join(root, "idl/gavel.json");
// Errors: read from the program's one list (programs/gavel/src/error.rs: `Name = code => "message",`).
const errorSource = fs.readFileSync(path.join(root, "programs/gavel/src/error.rs"), "utf8");
const errors = [...errorSource.matchAll(/^\s+([A-Z][A-Za-z0-9]*) = (\d+) => "((?:[^"\\]|\\.)*)",$/gm)].map(
  ([, name, code, msg]) => ({ code: Number(code), name, msg: msg.replace(/\\(.)/g, "$1") }),
);
if (errors.length === 0) throw new Error("no errors found in programs/gavel/src/error.rs");
const idl = {
  address: "7GP234LwKLTdc6kkRBi2DE9vU4ATK3K5vYP8J1WZV1mM",
  metadata: {
    name: "gavel",
    version: "0.1.0",
    spec: "0.1.0",
    description: "Gavel: Dutch-auction liquidation protocol for Solana",
  },
  instructions,
  accounts: layouts.accounts.map(({ name }) => ({ name, discriminator: disc("account", name) })),
  events: events.map(([n]) => ({ name: n, discriminator: disc("event", n) })),
  errors,
  types: [...types, ...events.map(([n, fields]) => struct(n, fields))],
};
const text = JSON.stringify(idl, null, 2) + "\n";
// The same bytes go to the SDK's copy (sdk/src/idl/gavel.json), which the SDK imports so that the
// @gavel/sdk package builds from sdk/ alone; idl/gavel.json stays the IDL of record.
const outputs = [out, path.join(root, "sdk/src/idl/gavel.json")];
if (process.argv.includes("--check")) {
  for (const file of outputs) {
    if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) {
      console.error(`${path.relative(root, file)} is stale: run \`node scripts/gen-idl.js\``);
      process.exit(1);
    }
  }
} else {
  for (const file of outputs) fs.writeFileSync(file, text);
}

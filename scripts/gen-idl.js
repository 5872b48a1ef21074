#!/usr/bin/env node
// Writes idl/gavel.json (Anchor IDL spec 0.1.0) from the instruction table of
// programs/gavel/instructions.js, the layout table of programs/gavel/layouts.js (account, type and
// event layouts) and the error list of programs/gavel/src/error.rs. The program is not built
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

// Account layouts, the Borsh types inside them and events come from the program's one layout table
// (programs/gavel/layouts.js), with their docs; each account ends in its reserved bytes.
const layouts = require("../programs/gavel/layouts.js");
const defined = (name) => ({ defined: { name } });
const PRIMITIVES = new Set(["u8", "u16", "u64", "i64", "pubkey"]);
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

// Event types carry no docs either (the program's event structs do), for the same reason.
const eventType = (t) => ({ name: t.name, type: { kind: "struct", fields: t.fields.map(field) } });

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
  events: layouts.events.map(({ name }) => ({ name, discriminator: disc("event", name) })),
  errors,
  types: [...types, ...layouts.events.map(eventType)],
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

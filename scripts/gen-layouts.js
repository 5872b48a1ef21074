#!/usr/bin/env node
// Writes, from the one layout table programs/gavel/layouts.js:
//   - programs/gavel/src/state/layout_gen.rs: every layout's struct (or enum) with its docs; per
//     Borsh type `LEN` (or `MAX_LEN` when an enum inside makes it variable), `read` and `write`;
//     per account `DISCRIMINATOR`, `RESERVED`, `LEN`, `read`, `write` and `account_io!`
//     (`load`/`store`);
//   - programs/gavel/src/events_gen.rs: every event's struct and its `Event` impl (discriminator,
//     IDL name, fields for the IDL check, encoding);
//   - sdk/src/generated/layouts.ts: per account the SDK's decoded interface (camelCase fields)
//     and its decoder, re-exported by sdk/src/accounts.ts;
//   - sdk/src/generated/types.ts: the SDK's shapes of the Borsh types (`MarketParams`, `Curve`, …:
//     camelCase fields, the SDK's narrower types, optional fields and the function filling them
//     in), re-exported by sdk/src/types.ts.
// `--check` writes nothing and fails when either differs from what the table generates
// (scripts/test.sh runs it). The IDL's accounts, types and events are written by scripts/gen-idl.js
// from the same table.
const path = require("path");
const {
  root,
  wrap,
  generatedRust,
  generatedTs,
  rustfmt,
  prettierTs,
  writeOrCheck,
} = require("./gen-output.js");
const { types, accounts, events } = require("../programs/gavel/layouts.js");

const SOURCE = "programs/gavel/layouts.js";
const RUST_OUT = "programs/gavel/src/state/layout_gen.rs";
const EVENTS_OUT = "programs/gavel/src/events_gen.rs";
const TS_OUT = "sdk/src/generated/layouts.ts";
const TS_TYPES_OUT = "sdk/src/generated/types.ts";

const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const lowerFirst = (s) => s[0].toLowerCase() + s.slice(1);

// Primitive Borsh types: size, Rust type, Reader/Writer method (`bytes` writes a pubkey), TS type.
const PRIMITIVES = {
  u8: { size: 1, rust: "u8", io: "u8", ts: "number" },
  u16: { size: 2, rust: "u16", io: "u16", ts: "number" },
  u64: { size: 8, rust: "u64", io: "u64", ts: "BN" },
  i64: { size: 8, rust: "i64", io: "i64", ts: "BN" },
  pubkey: { size: 32, rust: "Pubkey", io: "pubkey", ts: "PublicKey" },
};
const byName = new Map(types.map((t) => [t.name, t]));
const typeOf = (name) => {
  const t = byName.get(name);
  if (!t && !PRIMITIVES[name]) throw new Error(`${SOURCE}: unknown type ${name}`);
  return t;
};
// A layout is variable-sized when an enum is inside it (its size constant is then `MAX_LEN`).
const variable = (t) => t.kind === "enum" || t.fields.some((x) => typeOf(x.type) && variable(typeOf(x.type)));
const sizeConst = (t) => `${t.name}::${variable(t) ? "MAX_LEN" : "LEN"}`;
// The size of `fields`: the primitives' bytes summed, plus the size constants of nested types.
const fieldsSize = (fields) => {
  const bytes = fields.reduce((n, x) => n + (PRIMITIVES[x.type]?.size ?? 0), 0);
  return [
    String(bytes),
    ...fields.filter((x) => !PRIMITIVES[x.type]).map((x) => sizeConst(typeOf(x.type))),
  ].join(" + ");
};

// `///` lines of `text` wrapped to 100 columns at `indent`.
const docLines = (text, indent = "") =>
  text ? wrap(text, 96 - indent.length).map((l) => `${indent}/// ${l}`) : [];

// A JSDoc comment of `text` at `indent`: one line when it fits in 100 columns, else wrapped.
function jsDoc(text, indent = "") {
  if (indent.length + text.length + 7 <= 100) return [`${indent}/** ${text} */`];
  return [`${indent}/**`, ...wrap(text, 97 - indent.length).map((l) => `${indent} * ${l}`), `${indent} */`];
}

// The read expression of one field from Reader `r` (a `&mut Reader` named `r` or `&mut r`).
const readExpr = (x, r) => (PRIMITIVES[x.type] ? `r.${PRIMITIVES[x.type].io}()?` : `${x.type}::read(${r})?`);

// Write statements for `fields` (`self.` prefixed when `owner`), starting a chain at `start`:
// consecutive primitives form one chain; a nested type writes itself.
function writeStatements(fields, start, writer, owner = "self.") {
  const out = [];
  let chain = start ? [start] : [];
  const flush = () => {
    if (chain.length) out.push(`${chain.join("")};`);
    chain = [];
  };
  for (const x of fields) {
    const p = PRIMITIVES[x.type];
    if (!p) {
      flush();
      out.push(`${owner}${x.name}.write(${writer});`);
      continue;
    }
    if (!chain.length) chain.push("w");
    chain.push(p.io === "pubkey" ? `.bytes(&${owner}${x.name})` : `.${p.io}(${owner}${x.name})`);
  }
  flush();
  return out;
}

// A struct with its docs; `derive` for layouts (events need none).
function rustStruct(t, lines, derive = "#[derive(Clone, Copy, Debug, PartialEq, Eq)]") {
  lines.push("", ...docLines(t.docs), ...(derive ? [derive] : []), `pub struct ${t.name} {`);
  for (const x of t.fields) {
    lines.push(...docLines(x.docs, "    "), `    pub ${x.name}: ${PRIMITIVES[x.type]?.rust ?? x.type},`);
  }
  lines.push("}");
}

function rustEnum(t) {
  const lines = [
    "",
    ...docLines(t.docs),
    "#[derive(Clone, Copy, Debug, PartialEq, Eq)]",
    `pub enum ${t.name} {`,
  ];
  for (const v of t.variants) {
    const fields = v.fields.map((x) => `${x.name}: ${PRIMITIVES[x.type].rust}`).join(", ");
    lines.push(...docLines(v.docs, "    "), `    ${v.name} { ${fields} },`);
  }
  const largest = Math.max(
    ...t.variants.map((v) => v.fields.reduce((n, x) => n + PRIMITIVES[x.type].size, 0)),
  );
  lines.push(
    "}",
    "",
    `impl ${t.name} {`,
    "    /// Largest encoded size (tag + the largest variant's fields).",
    `    pub const MAX_LEN: usize = 1 + ${largest};`,
    "",
    "    /// Decodes (Borsh: tag byte, then the variant's fields).",
    "    pub fn read(r: &mut Reader) -> Result<Self, GavelError> {",
    "        match r.u8()? {",
  );
  t.variants.forEach((v, tag) => {
    const fields = v.fields.map((x) => `${x.name}: ${readExpr(x, "r")}`).join(", ");
    lines.push(`            ${tag} => Ok(Self::${v.name} { ${fields} }),`);
  });
  lines.push(
    "            _ => Err(GavelError::InstructionDataInvalid),",
    "        }",
    "    }",
    "",
    "    /// Encodes (Borsh).",
    "    pub fn write(&self, w: &mut Writer) {",
    "        match *self {",
  );
  t.variants.forEach((v, tag) => {
    const names = v.fields.map((x) => x.name).join(", ");
    const chain = v.fields.map((x) => `.${PRIMITIVES[x.type].io}(${x.name})`).join("");
    lines.push(
      `            Self::${v.name} { ${names} } => {`,
      `                w.u8(${tag})${chain};`,
      "            }",
    );
  });
  lines.push("        }", "    }", "}");
  return lines;
}

function rustType(t) {
  if (t.kind === "enum") return rustEnum(t);
  const lines = [];
  rustStruct(t, lines);
  const [name, doc] = variable(t) ? ["MAX_LEN", "Largest Borsh size."] : ["LEN", "Borsh size."];
  lines.push(
    "",
    `impl ${t.name} {`,
    `    /// ${doc}`,
    `    pub const ${name}: usize = ${fieldsSize(t.fields)};`,
    "",
    "    /// Decodes the fields (Borsh).",
    "    pub fn read(r: &mut Reader) -> Result<Self, GavelError> {",
    "        Ok(Self {",
    ...t.fields.map((x) => `            ${x.name}: ${readExpr(x, "r")},`),
    "        })",
    "    }",
    "",
    "    /// Encodes the fields (Borsh).",
    "    pub fn write(&self, w: &mut Writer) {",
    ...writeStatements(t.fields, null, "w").map((s) => `        ${s}`),
    "    }",
    "}",
  );
  return lines;
}

function rustAccount(t) {
  const lines = [];
  rustStruct(t, lines);
  const nested = t.fields.some((x) => !PRIMITIVES[x.type]);
  const start = "Writer::new(data, 0)";
  const writes = nested
    ? [`let mut w = ${start};`, ...writeStatements(t.fields, "w.bytes(&Self::DISCRIMINATOR)", "&mut w")]
    : writeStatements(t.fields, `${start}.bytes(&Self::DISCRIMINATOR)`, "&mut w");
  const tail = variable(t)
    ? [
        "// The params can shrink (a shorter curve): the bytes after the fields stay zero.",
        "let end = w.len();",
        "data[end..].fill(0);",
      ]
    : [];
  lines.push(
    "",
    `impl ${t.name} {`,
    `    /// \`sha256("account:${t.name}")[..8]\`.`,
    `    pub const DISCRIMINATOR: [u8; 8] = discriminator::account("${t.name}");`,
    "    /// Bytes reserved after the fields for future versions (zero).",
    `    pub const RESERVED: usize = ${t.reserved ?? 0};`,
    `    /// Account size: discriminator + fields${variable(t) ? " (at their largest)" : ""} + reserved.`,
    `    pub const LEN: usize = 8 + ${fieldsSize(t.fields)} + Self::RESERVED;`,
    "",
    "    /// Decodes account bytes (discriminator not checked here).",
    "    pub fn read(data: &[u8]) -> Result<Self, GavelError> {",
    "        let mut r = Reader::new(data, 8);",
    "        Ok(Self {",
    ...t.fields.map((x) => `            ${x.name}: ${readExpr(x, "&mut r")},`),
    "        })",
    "    }",
    "",
    `    /// Encodes discriminator and fields into exactly [\`Self::LEN\`] bytes.`,
    "    pub fn write(&self, data: &mut [u8]) -> Result<(), GavelError> {",
    "        if data.len() != Self::LEN {",
    "            return Err(GavelError::AccountDiscriminatorInvalid);",
    "        }",
    ...writes.map((s) => `        ${s}`),
    ...tail.map((s) => `        ${s}`),
    "        Ok(())",
    "    }",
    "}",
    "",
    `account_io!(${t.name});`,
  );
  return lines;
}

function rust() {
  const out = [
    ...generatedRust(
      "scripts/gen-layouts.js",
      SOURCE,
      "Every account layout and the Borsh types inside them: the structs with their docs, sizes, " +
        "`read` and `write` (fields in order, little endian). Behaviour lives in `state/<name>.rs`.",
    ),
    "",
    "use pinocchio::pubkey::Pubkey;",
    "",
    "use super::{account_io, discriminator, Reader, Writer};",
    "use crate::error::GavelError;",
  ];
  for (const t of types) out.push(...rustType(t));
  for (const t of accounts) out.push(...rustAccount(t));
  const text = out.join("\n") + "\n";
  return rustfmt(text);
}

// One event: its struct and its `Event` impl (discriminator, name, fields for the IDL check, encoding).
function rustEvent(t) {
  const lines = [];
  rustStruct(t, lines, null);
  const fields = t.fields.map((x) => `("${x.name}", "${PRIMITIVES[x.type]?.rust ?? x.type}")`).join(", ");
  lines.push(
    "",
    `impl Event for ${t.name} {`,
    `    const DISCRIMINATOR: [u8; 8] = discriminator::event("${t.name}");`,
    `    const NAME: &'static str = "${t.name}";`,
    `    const FIELDS: &'static [(&'static str, &'static str)] = &[${fields}];`,
    "",
    "    fn encode_fields(&self, w: &mut Writer) {",
    ...writeStatements(t.fields, null, "w").map((s) => `        ${s}`),
    "    }",
    "}",
  );
  return lines;
}

function rustEvents() {
  const out = [
    ...generatedRust(
      "scripts/gen-layouts.js",
      SOURCE,
      "Every event's struct and its `Event` impl: discriminator, IDL name, fields (for the IDL " +
        "check) and Borsh encoding. How events are emitted: `events.rs`.",
    ),
    "",
    "use pinocchio::pubkey::Pubkey;",
    "",
    "use crate::events::Event;",
    "use crate::state::{discriminator, BackstopParams, MarketParams, Writer};",
  ];
  for (const t of events) out.push(...rustEvent(t));
  out.push(
    "",
    "/// Every event's `(name, fields)`, for the IDL check.",
    "pub const ALL: &[(&str, &[(&str, &str)])] = &[",
    ...events.map((t) => `    (${t.name}::NAME, ${t.name}::FIELDS),`),
    "];",
  );
  return rustfmt(out.join("\n") + "\n");
}

// SDK types narrower than the Borsh ones, and where each SDK type comes from (paths from
// sdk/src/generated/).
const TS_IMPORTS = {
  StopLevel: "../constants",
  PriceMode: "../types",
  OracleKind: "../oracle",
  MarketParams: "./types",
  BackstopParams: "./types",
};
// A field's SDK type: the narrower one the table names, else its Borsh type's.
const tsType = (x) => x.ts ?? PRIMITIVES[x.type]?.ts ?? x.type;

// `import { a, b } from "from";` lines (`import type` when `typeOnly`) for the SDK types `fields`
// use that live elsewhere, except those named `local`.
function tsImports(fields, typeOnly, local = []) {
  const used = new Set(fields.map(tsType));
  const imports = new Map();
  for (const name of [...used].filter((n) => TS_IMPORTS[n] && !local.includes(n)).sort()) {
    const from = TS_IMPORTS[name];
    imports.set(from, [...(imports.get(from) ?? []), name]);
  }
  const kw = typeOnly ? "import type" : "import";
  return [...imports].map(([from, names]) => `${kw} { ${names.join(", ")} } from "${from}";`);
}

// A Borsh type's size in bytes, at its largest when an enum inside makes it variable.
const maxSize = (type) => {
  if (PRIMITIVES[type]) return PRIMITIVES[type].size;
  const t = typeOf(type);
  if (t.kind === "enum")
    return 1 + Math.max(...t.variants.map((v) => v.fields.reduce((n, x) => n + maxSize(x.type), 0)));
  return t.fields.reduce((n, x) => n + maxSize(x.type), 0);
};

/** An account's size in bytes (= the Rust `LEN`: discriminator, fields at their largest, reserved). */
const accountLen = (t) => 8 + t.fields.reduce((n, x) => n + maxSize(x.type), 0) + (t.reserved ?? 0);

// An account's size and the byte offsets of its fields up to the first one of
// variable size (included), as an SDK constant: `POSITION_LAYOUT.offsets.owner`.
function layoutConst(t) {
  const offsets = [];
  let at = 8;
  for (const x of t.fields) {
    offsets.push(`${camel(x.name)}: ${at}`);
    if (typeOf(x.type) && variable(typeOf(x.type))) break;
    at += maxSize(x.type);
  }
  const len = accountLen(t);
  const constName = t.name.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
  return [
    ...jsDoc(
      `\`${t.name}\`'s size in bytes (discriminator and reserved bytes included${variable(t) ? ", fields at their largest" : ""}) ` +
        `and the byte offsets of its fields${variable(t) ? " up to the first of variable size" : ""}.`,
    ),
    `export const ${constName}_LAYOUT = { len: ${len}, offsets: { ${offsets.join(", ")} } } as const;`,
  ];
}

async function ts() {
  const out = [
    ...generatedTs(
      "scripts/gen-layouts.js",
      SOURCE,
      "Decoded accounts (camelCase fields, reserved bytes left out) and their decoders, which need no " +
        "`Program` (fast bulk decoding).",
    ),
    'import BN from "bn.js";',
    'import { PublicKey } from "@solana/web3.js";',
    'import { coder } from "../program";',
    ...tsImports(
      accounts.flatMap((t) => t.fields),
      false,
    ),
    "",
    "/** Decodes account `name`'s data (checks the discriminator), without its reserved bytes. */",
    "function decodeAccount<T>(name: string, data: Buffer | Uint8Array): T {",
    "  const raw = coder.accounts.decode(name, Buffer.from(data));",
    "  delete raw.reserved;",
    "  return raw as T;",
    "}",
  ];
  for (const t of accounts) {
    out.push(
      "",
      ...jsDoc(`Decoded \`${t.name}\` account: ${lowerFirst(t.docs)}`),
      `export interface ${t.name}Account {`,
    );
    for (const x of t.fields) out.push(...jsDoc(x.docs, "  "), `  ${camel(x.name)}: ${tsType(x)};`);
    const article = /^[AEIOU]/.test(t.name) ? "an" : "a";
    out.push(
      "}",
      "",
      `/** Decodes ${article} \`${t.name}\` account's data (checks the discriminator). */`,
      `export function decode${t.name}(data: Buffer | Uint8Array): ${t.name}Account {`,
      `  return decodeAccount("${lowerFirst(t.name)}", data);`,
      "}",
      "",
      ...layoutConst(t),
    );
  }
  return prettierTs(out.join("\n") + "\n", TS_OUT);
}

// One field of an SDK interface: its docs (with what the SDK fills in when it is optional) and type.
function tsField(x, t) {
  if (x.optional === undefined) return [...jsDoc(x.docs, "  "), `  ${camel(x.name)}: ${tsType(x)};`];
  if (!t.defaults) throw new Error(`${SOURCE}: ${t.name} has optional fields but no \`defaults\``);
  const docs = `${x.docs} Omitted = ${x.optional} (\`${t.defaults}\` fills it in); decoded accounts always have it.`;
  return [...jsDoc(docs, "  "), `  ${camel(x.name)}?: ${tsType(x)};`];
}

// `t`'s function filling in its optional fields (`t.defaults`), as the program's layout needs them all.
function tsDefaults(t) {
  const optional = t.fields.filter((x) => x.optional !== undefined);
  if (!optional.length) return [];
  return [
    "",
    ...jsDoc(
      `\`params\` with its optional fields (${optional.map((x) => `\`${camel(x.name)}\``).join(", ")}) ` +
        "filled in with their defaults, as the program's Borsh layout needs every field.",
    ),
    `export function ${t.defaults}(params: ${t.name}): Required<${t.name}> {`,
    "  return {",
    "    ...params,",
    ...optional.map((x) => `    ${camel(x.name)}: params.${camel(x.name)} ?? ${JSON.stringify(x.optional)},`),
    "  };",
    "}",
  ];
}

// The SDK's shapes of the Borsh types: an enum as the union Anchor encodes and decodes (one
// camelCase key per variant), a struct as an interface with camelCase fields.
async function tsTypes() {
  const fields = types.flatMap((t) => (t.kind === "enum" ? t.variants.flatMap((v) => v.fields) : t.fields));
  const out = [
    ...generatedTs(
      "scripts/gen-layouts.js",
      SOURCE,
      "The SDK's shapes of the program's Borsh types, camelCase as Anchor encodes and decodes them " +
        "(re-exported by `sdk/src/types.ts`).",
    ),
    'import type BN from "bn.js";',
    'import type { PublicKey } from "@solana/web3.js";',
    ...tsImports(
      fields,
      true,
      types.map((t) => t.name),
    ),
  ];
  for (const t of types) {
    out.push("", ...jsDoc(t.docs));
    if (t.kind === "enum") {
      const variant = (v) =>
        `{ ${lowerFirst(v.name)}: { ${v.fields.map((x) => `${camel(x.name)}: ${tsType(x)}`).join("; ")} } }`;
      out.push(`export type ${t.name} = ${t.variants.map(variant).join(" | ")};`);
      continue;
    }
    out.push(
      `export interface ${t.name} {`,
      ...t.fields.flatMap((x) => tsField(x, t)),
      "}",
      ...tsDefaults(t),
    );
  }
  return prettierTs(out.join("\n") + "\n", TS_TYPES_OUT);
}

async function main() {
  const outputs = new Map([
    [path.join(root, RUST_OUT), rust()],
    [path.join(root, EVENTS_OUT), rustEvents()],
    [path.join(root, TS_OUT), await ts()],
    [path.join(root, TS_TYPES_OUT), await tsTypes()],
  ]);
  writeOrCheck(outputs, "node scripts/gen-layouts.js");
}

// What scripts/gen-readme-tables.js reads of the layouts.
module.exports = { accountLen, PRIMITIVES };

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

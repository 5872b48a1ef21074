#!/usr/bin/env node
// Writes, from the one instruction table programs/gavel/instructions.js:
//   - programs/gavel/src/instructions/accounts_gen.rs: per instruction a struct of its accounts in
//     order and a `from_slice` that splits the handler's account slice with one slice pattern
//     (`AccountsMissing` when too short) — what each handler destructures;
//   - the "Accounts" list of each instruction file's `//!` header (between the line
//     `//! Accounts (generated ...` and the next empty `//!` line);
//   - programs/gavel/src/state/seeds_gen.rs: each PDA's constant seed `<SEED>_SEED`, which the
//     program derives and signs with;
//   - sdk/src/generated/pda.ts: each PDA of the table's `PDAS`, its seed and derivation function;
//   - sdk/src/generated/instructions.ts: per instruction the SDK builder `<name>Ix`: the accounts a
//     caller gives, the PDAs derived from their seeds, the metas in order with their writable/signer
//     flags and fixed addresses, the args encoded.
// `--check` writes nothing and fails when any of them differs from what the table generates
// (scripts/test.sh runs it). The IDL is written by scripts/gen-idl.js from the same table.
const fs = require("fs");
const path = require("path");
const { root, generatedRust, generatedTs, rustfmt, prettierTs, writeOrCheck } = require("./gen-output.js");
const { instructions, table, PDAS, INPUTS } = require("../programs/gavel/instructions.js");
const layouts = require("../programs/gavel/layouts.js");

const SOURCE = "programs/gavel/instructions.js";
const RUST_OUT = "programs/gavel/src/instructions/accounts_gen.rs";
const RUST_SEEDS = "programs/gavel/src/state/seeds_gen.rs";
const TS_DIR = "sdk/src/generated";
const TS_PDA = `${TS_DIR}/pda.ts`;
const TS_IX = `${TS_DIR}/instructions.ts`;
const HEADER_START = "//! Accounts (generated from";

const pascal = (s) => s.replace(/(^|_)([a-z])/g, (_, __, c) => c.toUpperCase());
const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const ADDRESS_NAMES = {
  "11111111111111111111111111111111": "System program",
  TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA: "SPL Token program",
  Sysvar1nstructions1111111111111111111111111: "Instructions sysvar",
};

// One account described in words: flags, where its address comes from, its docs.
function describe(acc) {
  const parts = [];
  if (acc.signer) parts.push("signer");
  if (acc.writable) parts.push("writable");
  if (acc.address) parts.push(ADDRESS_NAMES[acc.address] ?? `address \`${acc.address}\``);
  if (acc.pda) {
    const seeds = acc.pda.seeds.map((s) =>
      s.kind === "const" ? JSON.stringify(Buffer.from(s.value).toString()) : s.path,
    );
    parts.push(`PDA \`[${seeds.join(", ")}]\``);
  }
  for (const r of acc.relations ?? []) parts.push(`address \`${r}.${acc.name}\``);
  const flags = parts.join(", ");
  const docs = (acc.docs ?? []).join(" ");
  return [flags ? flags[0].toUpperCase() + flags.slice(1) + "." : "", docs].filter(Boolean).join(" ");
}

function remainingDocs(rem) {
  const named = rem.accounts.map((x) => `\`${x.name}\``).join(", ");
  return named ? `${rem.docs} In the IDL: ${named}.` : `${rem.docs} Not in the IDL.`;
}

function rust() {
  const out = [
    ...generatedRust(
      "scripts/gen-accounts.js",
      SOURCE,
      "The accounts of every instruction, in the order the program reads them. Each handler " +
        "destructures its struct; `from_slice` is one slice pattern, as a hand-written handler would " +
        "write it, inlined, with its error path marked cold so that each handler's success path stays " +
        "straight (measured: no larger `.so` and no more CU than the patterns written in the handlers).",
    ),
    "",
    "use pinocchio::account_info::AccountInfo;",
    "",
    "use crate::error::GavelError;",
  ];
  for (const ix of instructions) {
    const name = `${pascal(ix.name)}Accounts`;
    const fields = ix.accounts.map((a) => a.name);
    out.push("", `/// The accounts of \`${ix.name}\`: ${ix.docs.join(" ")}`, `pub struct ${name}<'a> {`);
    for (const acc of ix.accounts) {
      const d = describe(acc);
      if (d) out.push(`    /// ${d}`);
      out.push(`    pub ${acc.name}: &'a AccountInfo,`);
    }
    if (ix.remaining) {
      out.push(`    /// The remaining accounts: ${remainingDocs(ix.remaining)}`);
      out.push(`    pub ${ix.remaining.name}: &'a [AccountInfo],`);
    }
    const all = [...fields, ...(ix.remaining ? [ix.remaining.name] : [])];
    const pattern = [...fields, ix.remaining ? `${ix.remaining.name} @ ..` : ".."].join(", ");
    out.push(
      "}",
      "",
      `impl<'a> ${name}<'a> {`,
      `    /// Splits \`accounts\`; \`AccountsMissing\` when it has fewer than ${fields.length}.`,
      "    #[inline(always)]",
      "    pub fn from_slice(accounts: &'a [AccountInfo]) -> Result<Self, GavelError> {",
      `        let [${pattern}] = accounts else {`,
      "            core::hint::cold_path();",
      "            return Err(GavelError::AccountsMissing);",
      "        };",
      `        Ok(Self { ${all.join(", ")} })`,
      "    }",
      "}",
    );
  }
  const text = out.join("\n") + "\n";
  return rustfmt(text);
}

// The header list of one instruction file, replacing the lines from HEADER_START to the next `//!`.
function header(ix) {
  const lines = [`${HEADER_START} \`${SOURCE}\`, in order; struct \`${pascal(ix.name)}Accounts\`):`];
  for (const acc of ix.accounts) {
    const d = describe(acc);
    lines.push(`//! - \`${acc.name}\`${d ? `: ${d}` : ""}`);
  }
  if (ix.remaining) lines.push(`//! - \`${ix.remaining.name} @ ..\`: ${remainingDocs(ix.remaining)}`);
  return lines;
}

function withHeader(file, ix) {
  const text = fs.readFileSync(file, "utf8");
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.startsWith(HEADER_START));
  if (start < 0) throw new Error(`${path.relative(root, file)}: no line starting "${HEADER_START}"`);
  let end = start + 1;
  while (end < lines.length && lines[end] !== "//!") end++;
  if (end === lines.length)
    throw new Error(`${path.relative(root, file)}: no empty "//!" after the accounts`);
  return [...lines.slice(0, start), ...header(ix), ...lines.slice(end)].join("\n");
}

const TS_TYPES = { u8: "number", u16: "number", u32: "number", u64: "BN", pubkey: "PublicKey" };
const tsType = (t) => (t.defined ? t.defined.name : TS_TYPES[t]);
// Defined args whose TypeScript shape leaves fields optional: the builder completes them with the
// function the layout table names (`defaults`, generated into sdk/src/generated/types.ts).
const ARG_PREPARE = Object.fromEntries(
  layouts.types.filter((t) => t.defaults).map((t) => [t.name, t.defaults]),
);
// An instruction with these args takes them as one object parameter.
const ARG_GROUP = { names: ["max_collateral", "max_price"], param: "limits", type: "TakeLimits" };

// How the SDK gets each account of `ix` (table form): a fixed address, a PDA derived from its seeds
// (each seed value resolved the same way, a value no account holds derived as the PDA of that name),
// or an input the caller gives. Returns the derivation lines, the inputs and each account's value.
function resolve(ix, idlIx) {
  const accounts = new Map(ix.accounts.map((acc, i) => [acc.name, [acc, idlIx.accounts[i]]]));
  const lines = [];
  const inputs = [];
  const values = new Map();
  const value = (name) => {
    if (values.has(name)) return values.get(name);
    const [acc, idlAcc] = accounts.get(name) ?? [];
    const kind = acc ? acc.pda : PDAS[name] && name;
    let expr;
    if (acc?.address) {
      expr = fixedName(acc.address);
    } else if (kind) {
      const refs = PDAS[kind].slice(1).map(value);
      lines.push(`const ${camel(name)} = ${camel(kind)}Pda(${[...refs, "programId"].join(", ")})[0];`);
      expr = camel(name);
    } else {
      const input = acc ? { type: "pubkey", docs: describe(idlAcc) } : INPUTS[name];
      if (!input) throw new Error(`${ix.name}: no account, PDA or input named ${name}`);
      inputs.push({ name, ...input });
      expr = `accounts.${camel(name)}`;
    }
    values.set(name, expr);
    return expr;
  };
  for (const acc of ix.accounts) value(acc.name);
  return { lines, inputs, values };
}

// Fixed addresses, as constants named after their accounts (`token_program` → TOKEN_PROGRAM).
const fixed = new Map();
for (const acc of instructions.flatMap((ix) => ix.accounts)) {
  if (acc.address && !fixed.has(acc.address)) fixed.set(acc.address, acc.name.toUpperCase());
}
const fixedName = (addr) => fixed.get(addr);

// A PDA's constant seed's name in the program and the SDK (`"share_mint"` → `SHARE_MINT_SEED`).
const seedName = (constant) => `${constant.toUpperCase()}_SEED`;
/** A PDA's seeds in words: `["auction", market, auction_id (u64 LE)]`. */
function pdaSeeds(kind) {
  const [constant, ...refs] = PDAS[kind];
  const words = refs.map((r) => (INPUTS[r]?.type === "u64" ? `${r} (u64 LE)` : r));
  return `[${[JSON.stringify(constant), ...words].join(", ")}]`;
}

function tsPda() {
  const out = [
    ...generatedTs(
      "scripts/gen-accounts.js",
      SOURCE,
      "Every PDA of the program: its constant seed and a function deriving it (address, canonical " +
        "bump) from the values its seeds name, as the program's `state` modules derive it.",
    ),
    'import BN from "bn.js";',
    'import { PublicKey } from "@solana/web3.js";',
    'import { PROGRAM_ID } from "../constants";',
  ];
  for (const [kind, [constant, ...refs]] of Object.entries(PDAS)) {
    const seed = seedName(constant);
    const params = refs.map((r) =>
      INPUTS[r]?.type === "u64" ? `${camel(r)}: BN | number | bigint` : `${camel(r)}: PublicKey`,
    );
    const seeds = refs.map((r) =>
      INPUTS[r]?.type === "u64"
        ? `new BN(${camel(r)}.toString()).toArrayLike(Buffer, "le", 8)`
        : `${camel(r)}.toBuffer()`,
    );
    out.push(
      "",
      `/** Constant seed of the \`${kind}\` PDA. */`,
      `export const ${seed} = Buffer.from(${JSON.stringify(constant)});`,
      "",
      `/** The \`${kind}\` PDA \`${pdaSeeds(kind)}\` and its canonical bump. */`,
      `export function ${camel(kind)}Pda(${[...params, "programId: PublicKey = PROGRAM_ID"].join(", ")}): [PublicKey, number] {`,
      `  return PublicKey.findProgramAddressSync([${[seed, ...seeds].join(", ")}], programId);`,
      "}",
    );
  }
  return prettierTs(out.join("\n") + "\n", TS_PDA);
}

function tsInstructions() {
  const defined = new Set(
    instructions.flatMap((ix) => ix.args.filter((x) => x.type.defined)).map((x) => x.type.defined.name),
  );
  const prepare = [...defined].map((d) => ARG_PREPARE[d]).filter(Boolean);
  const out = [
    ...generatedTs(
      "scripts/gen-accounts.js",
      SOURCE,
      "Every instruction's builder: it takes the accounts a caller gives (and the values PDA seeds " +
        "name, such as the market's mints), derives every PDA, and returns the instruction with its " +
        "accounts in the program's order, their writable/signer flags and fixed addresses. It sends " +
        "nothing.",
    ),
    'import BN from "bn.js";',
    'import { AccountMeta, PublicKey, TransactionInstruction } from "@solana/web3.js";',
    'import { PROGRAM_ID } from "../constants";',
    'import { coder } from "../program";',
    `import { ${[...defined, ...prepare].sort().join(", ")} } from "./types";`,
    `import { ${Object.keys(PDAS)
      .map((k) => `${camel(k)}Pda`)
      .join(", ")} } from "./pda";`,
    "",
    ...[...fixed].map(
      ([addr, name]) => `/** ${ADDRESS_NAMES[addr] ?? addr}. */\nconst ${name} = new PublicKey("${addr}");`,
    ),
    "",
    "const meta = (pubkey: PublicKey, isSigner: boolean, isWritable: boolean): AccountMeta => ({",
    "  pubkey,",
    "  isSigner,",
    "  isWritable,",
    "});",
    "const readonly = (pubkey: PublicKey): AccountMeta => meta(pubkey, false, false);",
    "",
    "function instruction(",
    "  programId: PublicKey,",
    "  name: string,",
    "  args: Record<string, unknown>,",
    "  keys: AccountMeta[],",
    "): TransactionInstruction {",
    "  return new TransactionInstruction({ programId, keys, data: coder.instruction.encode(name, args) });",
    "}",
    "",
    "/** Limits of a take or a buy: how much collateral at most, and the highest acceptable price. */",
    `export interface ${ARG_GROUP.type} {`,
    "  maxCollateral: BN;",
    "  /** PRICE_SCALE; the instruction fails if the price is above it. */",
    "  maxPrice: BN;",
    "}",
  ];
  instructions.forEach((idlIx, i) => {
    const ix = table[i];
    const { lines, inputs, values } = resolve(ix, idlIx);
    const iface = `${pascal(ix.name)}Inputs`;
    const rem = ix.remaining;
    out.push(
      "",
      `/** What \`${camel(ix.name)}Ix\` takes: the accounts of \`${ix.name}\` a caller gives and the values their PDAs derive from. */`,
      `export interface ${iface} {`,
    );
    for (const input of inputs) {
      if (input.docs) out.push(`  /** ${input.docs} */`);
      out.push(`  ${camel(input.name)}: ${TS_TYPES[input.type]};`);
    }
    if (rem) {
      out.push(`  /** ${rem.docs} */`, `  oracles${rem.accounts.length ? "" : "?"}: PublicKey[];`);
    }
    out.push("}");
    const grouped = ix.args.length > 1;
    if (grouped && ix.args.map((x) => x.name).join() !== ARG_GROUP.names.join())
      throw new Error(`${ix.name}: several args other than ${ARG_GROUP.names}`);
    const params = [
      `accounts: ${iface}`,
      ...(grouped
        ? [`${ARG_GROUP.param}: ${ARG_GROUP.type}`]
        : ix.args.map((x) => `${camel(x.name)}: ${tsType(x.type)}`)),
      "programId: PublicKey = PROGRAM_ID",
    ];
    const data = ix.args.map((x) => {
      const v = grouped ? `${ARG_GROUP.param}.${camel(x.name)}` : camel(x.name);
      const p = x.type.defined && ARG_PREPARE[x.type.defined.name];
      return p ? `${camel(x.name)}: ${p}(${v})` : v === camel(x.name) ? v : `${camel(x.name)}: ${v}`;
    });
    const argDocs = grouped
      ? [` * @param ${ARG_GROUP.param} ${ix.args.map((x) => `\`${x.name}\``).join(", ")}.`]
      : ix.args.map((x) => ` * @param ${camel(x.name)} \`${x.name}\`.`);
    out.push(
      "",
      "/**",
      ` * \`${ix.name}\`: ${ix.docs.join(" ")}`,
      ` * @param accounts ${rem ? "The accounts and values of {@link " + iface + "}, then the remaining accounts `oracles`." : "See {@link " + iface + "}."}`,
      ...argDocs,
      " */",
      `export function ${camel(ix.name)}Ix(${params.join(", ")}): TransactionInstruction {`,
      ...lines.map((l) => `  ${l}`),
      `  return instruction(programId, "${camel(ix.name)}", { ${data.join(", ")} }, [`,
    );
    for (const acc of ix.accounts)
      out.push(`    meta(${values.get(acc.name)}, ${!!acc.signer}, ${!!acc.writable}),`);
    if (rem) out.push(`    ...(accounts.oracles${rem.accounts.length ? "" : " ?? []"}).map(readonly),`);
    out.push("  ]);", "}");
  });
  return prettierTs(out.join("\n") + "\n", TS_IX);
}

// The program's PDA seed constants: per PDA of the table, `<SEED>_SEED` = its constant seed, the
// names the SDK's generated/pda.ts gives them.
function rustSeeds() {
  const out = [
    ...generatedRust(
      "scripts/gen-accounts.js",
      SOURCE,
      "The constant seed of every PDA of the program (the first of its seeds), as the IDL and the " +
        "SDK's `sdk/src/generated/pda.ts` state them.",
    ),
  ];
  for (const [kind, [constant]] of Object.entries(PDAS)) {
    out.push(
      "",
      `/// Seed of the \`${kind}\` PDA \`${pdaSeeds(kind)}\`.`,
      `pub const ${seedName(constant)}: &[u8] = b"${constant}";`,
    );
  }
  return rustfmt(out.join("\n") + "\n");
}

async function main() {
  const outputs = new Map();
  outputs.set(path.join(root, RUST_OUT), rust());
  outputs.set(path.join(root, RUST_SEEDS), rustSeeds());
  for (const ix of instructions) {
    const file = path.join(root, `programs/gavel/src/instructions/${ix.name}.rs`);
    outputs.set(file, withHeader(file, ix));
  }
  outputs.set(path.join(root, TS_PDA), await tsPda());
  outputs.set(path.join(root, TS_IX), await tsInstructions());
  // A file this script wrote once and no longer generates is stale (other generators share the folder).
  for (const f of fs.readdirSync(path.join(root, TS_DIR))) {
    const file = path.join(root, TS_DIR, f);
    const mine = fs.readFileSync(file, "utf8").startsWith("// @generated by scripts/gen-accounts.js");
    if (mine && !outputs.has(file)) outputs.set(file, null);
  }
  writeOrCheck(outputs, "node scripts/gen-accounts.js");
}

// What scripts/gen-readme-tables.js reads of the PDAs.
module.exports = { pdaSeeds };

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

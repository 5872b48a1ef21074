#!/usr/bin/env node
// Writes, from the one instruction table programs/gavel/instructions.js:
//   - programs/gavel/src/instructions/accounts_gen.rs: per instruction a struct of its accounts in
//     order and a `from_slice` that splits the handler's account slice with one slice pattern
//     (`AccountsMissing` when too short) — what each handler destructures;
//   - the "Accounts" list of each instruction file's `//!` header (between the line
//     `//! Accounts (generated ...` and the next empty `//!` line);
//   - sdk/src/generated/accounts.ts: per instruction the account metas in order with their
//     writable/signer flags and fixed addresses, which the SDK builders fill by name.
// `--check` writes nothing and fails when any of them differs from what the table generates
// (scripts/test.sh runs it). The IDL is written by scripts/gen-idl.js from the same table.
const fs = require("fs");
const path = require("path");
const { root, generatedRust, generatedTs, rustfmt, prettierTs, writeOrCheck } = require("./gen-output.js");
const { instructions } = require("../programs/gavel/instructions.js");

const SOURCE = "programs/gavel/instructions.js";
const RUST_OUT = "programs/gavel/src/instructions/accounts_gen.rs";
const TS_OUT = "sdk/src/generated/accounts.ts";
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

async function ts() {
  // Fixed addresses, as constants named after their accounts (`token_program` → TOKEN_PROGRAM).
  const fixed = new Map();
  for (const acc of instructions.flatMap((ix) => ix.accounts)) {
    if (acc.address && fixed.get(acc.address) === undefined) fixed.set(acc.address, acc.name.toUpperCase());
  }
  const constName = (addr) => fixed.get(addr);
  const out = [
    ...generatedTs(
      "scripts/gen-accounts.js",
      SOURCE,
      "Account metas of every instruction, in the program's order with its writable/signer flags and " +
        "fixed addresses filled in. The builders of `instructions.ts` pass the other accounts by name.",
    ),
    'import { AccountMeta, PublicKey } from "@solana/web3.js";',
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
  ];
  for (const ix of instructions) {
    const keys = ix.accounts.filter((a) => !a.address);
    const iface = `${pascal(ix.name)}AccountKeys`;
    out.push(
      "",
      `/** The accounts of \`${ix.name}\` a caller chooses or derives. */`,
      `export interface ${iface} {`,
    );
    for (const acc of keys) {
      const d = describe(acc);
      if (d) out.push(`  /** ${d} */`);
      out.push(`  ${camel(acc.name)}: PublicKey;`);
    }
    out.push("}", "");
    const rem = ix.remaining;
    out.push(
      `/** \`${ix.name}\`'s account metas${rem ? `; then \`${camel(rem.name)}\` (read-only): ${rem.docs}` : "."} */`,
      `export function ${camel(ix.name)}AccountMetas(keys: ${iface}${rem ? `, ${camel(rem.name)}: PublicKey[]` : ""}): AccountMeta[] {`,
      "  return [",
    );
    for (const acc of ix.accounts) {
      const key = acc.address ? constName(acc.address) : `keys.${camel(acc.name)}`;
      out.push(`    meta(${key}, ${!!acc.signer}, ${!!acc.writable}),`);
    }
    if (rem) out.push(`    ...${camel(rem.name)}.map(readonly),`);
    out.push("  ];", "}");
  }
  return prettierTs(out.join("\n") + "\n", TS_OUT);
}

async function main() {
  const outputs = new Map();
  outputs.set(path.join(root, RUST_OUT), rust());
  for (const ix of instructions) {
    const file = path.join(root, `programs/gavel/src/instructions/${ix.name}.rs`);
    outputs.set(file, withHeader(file, ix));
  }
  outputs.set(path.join(root, TS_OUT), await ts());
  writeOrCheck(outputs, "node scripts/gen-accounts.js");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

#!/usr/bin/env node
// Rewrites the README's instruction, event and error tables from idl/gavel.json (between
// `<!-- idl:NAME -->` and `<!-- /idl:NAME -->` markers), its accounts-and-seeds table from the PDAs
// of programs/gavel/instructions.js and the layouts of programs/gavel/layouts.js
// (`<!-- pdas:accounts -->`) and its compute-unit table from bench/cu.json (`<!-- bench:cu -->`,
// which `npm run bench` rewrites), so the docs cannot drift from the program or the measurements.
// `--check` fails if README.md is stale.
const fs = require("fs");
const path = require("path");
const { PDAS, TOKEN_PDAS } = require("../programs/gavel/instructions.js");
const layouts = require("../programs/gavel/layouts.js");
const { pdaSeeds } = require("./gen-accounts.js");
const { accountLen, PRIMITIVES } = require("./gen-layouts.js");

const root = path.join(__dirname, "..");
const idl = JSON.parse(fs.readFileSync(path.join(root, "idl/gavel.json"), "utf8"));
const cu = JSON.parse(fs.readFileSync(path.join(root, "bench/cu.json"), "utf8"));
// bench/cu.json's variants of an instruction: `<name>_<variant>` → "`<name>` (<what it measures>)".
const CU_VARIANTS = { anchored: "anchored", funded: "with a backstop interest share" };
const readmePath = path.join(root, "README.md");
const readme = fs.readFileSync(readmePath, "utf8");

const typeName = (t) =>
  typeof t === "string"
    ? t
    : t.defined
      ? t.defined.name
      : t.array
        ? `[${typeName(t.array[0])}; ${t.array[1]}]`
        : "?";
const flags = (a) => [a.signer ? "signer" : "", a.writable ? "writable" : ""].filter(Boolean).join(", ");

const tables = {
  instructions: [
    "| instruction | what it does | accounts (in order) | args |",
    "|---|---|---|---|",
    ...idl.instructions.map(
      (ix) =>
        `| \`${ix.name}\` | ${ix.docs.join(" ")} | ${ix.accounts
          .map((a) => `\`${a.name}\`${flags(a) ? ` (${flags(a)})` : ""}`)
          .join(", ")} | ${ix.args.map((x) => `\`${x.name}: ${typeName(x.type)}\``).join(", ") || "—"} |`,
    ),
  ],
  events: [
    "| event | fields |",
    "|---|---|",
    ...idl.events.map((e) => {
      const t = idl.types.find((x) => x.name === e.name);
      return `| \`${e.name}\` | ${t.type.fields.map((f) => `\`${f.name}\``).join(", ")} |`;
    }),
  ],
  errors: [
    "| code | name | message |",
    "|---|---|---|",
    ...idl.errors.map((e) => `| ${e.code} | \`${e.name}\` | ${e.msg} |`),
  ],
};

// Per PDA: the Gavel account of that name (its size, docs and fields) or the SPL token account or
// mint it is.
const pascal = (s) => s.replace(/(^|_)([a-z])/g, (_, __, c) => c.toUpperCase());
const fieldName = (f) => `\`${f.name}\`${f.type in PRIMITIVES ? "" : ` (\`${f.type}\`)`}`;
const pdaTables = {
  accounts: [
    "| account | seeds | bytes | holds |",
    "|---|---|---:|---|",
    ...Object.keys(PDAS).map((kind) => {
      const account = layouts.accounts.find((t) => t.name === pascal(kind));
      const seeds = `\`${pdaSeeds(kind)}\``;
      if (account) {
        const holds = `${account.docs.replace(/\.$/, "")}: ${account.fields.map(fieldName).join(", ")}`;
        return `| \`${account.name}\` | ${seeds} | ${accountLen(account).toLocaleString("en-US")} | ${holds} |`;
      }
      if (!TOKEN_PDAS[kind]) throw new Error(`PDA ${kind}: no account in layouts.js and no TOKEN_PDAS entry`);
      return `| \`${kind}\` | ${seeds} | — | ${TOKEN_PDAS[kind]} Token authority: the market. |`;
    }),
  ],
};

const idlNames = Object.fromEntries(idl.instructions.map((ix) => [ix.name, true]));
const cuLabel = (key) => {
  const variant = Object.keys(CU_VARIANTS).find((v) => key.endsWith(`_${v}`) && !(key in idlNames));
  return variant ? `\`${key.slice(0, -variant.length - 1)}\` (${CU_VARIANTS[variant]})` : `\`${key}\``;
};
const benchTables = {
  cu: [
    "| instruction | compute units |",
    "|---|---|",
    ...Object.entries(cu).map(([key, units]) => `| ${cuLabel(key)} | ${units.toLocaleString("en-US")} |`),
  ],
};

let out = readme;
const sections = [
  ...Object.entries(tables).map(([name, lines]) => [`idl:${name}`, lines]),
  ...Object.entries(pdaTables).map(([name, lines]) => [`pdas:${name}`, lines]),
  ...Object.entries(benchTables).map(([name, lines]) => [`bench:${name}`, lines]),
];
for (const [name, lines] of sections) {
  const re = new RegExp(`(<!-- ${name} -->\\n)[\\s\\S]*?(<!-- /${name} -->)`);
  if (!re.test(out)) throw new Error(`README.md has no <!-- ${name} --> section`);
  out = out.replace(re, `$1${lines.join("\n")}\n$2`);
}
if (process.argv.includes("--check")) {
  if (out !== readme) {
    console.error("README.md tables are stale: run `node scripts/gen-readme-tables.js`");
    process.exit(1);
  }
} else {
  fs.writeFileSync(readmePath, out);
}

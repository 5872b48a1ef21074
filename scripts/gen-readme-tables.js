#!/usr/bin/env node
// Rewrites the README's instruction, event and error tables from idl/gavel.json (between
// `<!-- idl:NAME -->` and `<!-- /idl:NAME -->` markers), so the docs cannot drift from the
// program. `--check` fails if README.md is stale.
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const idl = JSON.parse(fs.readFileSync(path.join(root, "idl/gavel.json"), "utf8"));
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

let out = readme;
for (const [name, lines] of Object.entries(tables)) {
  const re = new RegExp(`(<!-- idl:${name} -->\\n)[\\s\\S]*?(<!-- /idl:${name} -->)`);
  if (!re.test(out)) throw new Error(`README.md has no <!-- idl:${name} --> section`);
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

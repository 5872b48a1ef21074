#!/usr/bin/env node
// Rewrites the README's instruction, event and error tables from idl/gavel.json (between
// `<!-- idl:NAME -->` and `<!-- /idl:NAME -->` markers) and its compute-unit table from
// bench/cu.json (`<!-- bench:cu -->`, which `npm run bench` rewrites), so the docs cannot drift
// from the program or the measurements. `--check` fails if README.md is stale.
const fs = require("fs");
const path = require("path");

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

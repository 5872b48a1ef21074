#!/usr/bin/env node
// Makes tsc's ES-module output of the SDK (sdk/dist/esm) loadable by Node's ESM loader and by
// TypeScript's `nodenext` resolution, without changing the sources (which use extensionless
// imports, as the repo's CommonJS tooling expects):
// - relative specifiers get their file: "./pda" → "./pda.js", "./idl/gavel" → "./idl/gavel.js"
//   (in .js and .d.ts files; `from "..."` and `import("...")`);
// - JSON imports become a JS module ("./idl/gavel.json" → "./idl/gavel.json.js", `export default`),
//   which every Node version and bundler loads (no import attributes needed);
// - Anchor's CommonJS subpath `@coral-xyz/anchor/dist/cjs/idl` (no `exports` map) gets `.js`.
// Usage: node scripts/sdk-esm-fixup.js sdk/dist/esm
const fs = require("fs");
const path = require("path");

const dir = path.resolve(process.argv[2] ?? "sdk/dist/esm");
const files = [];
const walk = (d) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.(js|d\.ts)$/.test(e.name)) files.push(p);
  }
};
walk(dir);

const BARE = { "@coral-xyz/anchor/dist/cjs/idl": "@coral-xyz/anchor/dist/cjs/idl.js" };
let changed = 0;
for (const file of files) {
  const src = fs.readFileSync(file, "utf8");
  const fix = (spec) => {
    if (BARE[spec]) return BARE[spec];
    if (!spec.startsWith("./") && !spec.startsWith("../")) return spec;
    const abs = path.resolve(path.dirname(file), spec);
    if (spec.endsWith(".json")) {
      if (!file.endsWith(".js")) return spec;
      const json = fs.readFileSync(abs, "utf8");
      fs.writeFileSync(`${abs}.js`, `export default ${json.trim()};\n`);
      return `${spec}.js`;
    }
    if (/\.(js|mjs|cjs)$/.test(spec)) return spec;
    for (const ext of [".js", ".d.ts"]) {
      if (fs.existsSync(abs + ext)) return `${spec}.js`;
    }
    for (const ext of [".js", ".d.ts"]) {
      if (fs.existsSync(path.join(abs, `index${ext}`))) return `${spec}/index.js`;
    }
    throw new Error(`${path.relative(dir, file)}: cannot resolve ${spec}`);
  };
  const out = src
    .replace(/(\bfrom\s*)(["'])([^"']+)\2/g, (_, pre, q, spec) => `${pre}${q}${fix(spec)}${q}`)
    .replace(/(\bimport\s*\(\s*)(["'])([^"']+)\2/g, (_, pre, q, spec) => `${pre}${q}${fix(spec)}${q}`)
    .replace(
      /(^|\n)(\s*import\s*)(["'])([^"']+)\3/g,
      (_, nl, pre, q, spec) => `${nl}${pre}${q}${fix(spec)}${q}`,
    );
  if (out !== src) {
    fs.writeFileSync(file, out);
    changed++;
  }
}
console.log(
  `sdk-esm-fixup: ${changed} of ${files.length} files rewritten in ${path.relative(process.cwd(), dir)}`,
);

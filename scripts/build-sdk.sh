#!/usr/bin/env bash
# Builds the @gavel/sdk package from sdk/src and packs it: CommonJS (dist/cjs) and ES modules
# (dist/esm), each with .d.ts and a package.json type marker, staged in target/sdk/build/ (under
# target/, so lint never sees build output) with sdk/package.json and sdk/README.md, then
# `npm pack` → target/sdk/gavel-sdk-<version>.tgz, whose path is the last line printed.
# Needs only the repo's node_modules (TypeScript); no network.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/sdk/build

# The SDK imports its own copy of the IDL; scripts/gen-idl.js writes both.
if ! cmp -s idl/gavel.json sdk/src/idl/gavel.json; then
  echo "sdk/src/idl/gavel.json differs from idl/gavel.json: run node scripts/gen-idl.js" >&2
  exit 1
fi

rm -rf "$OUT"
mkdir -p "$OUT"
npx tsc -p sdk/tsconfig.cjs.json
npx tsc -p sdk/tsconfig.esm.json
node scripts/sdk-esm-fixup.js "$OUT/dist/esm" >/dev/null
rm -f "$OUT/dist/esm/idl/gavel.json" # replaced by gavel.json.js
echo '{ "type": "commonjs" }' >"$OUT/dist/cjs/package.json"
echo '{ "type": "module" }' >"$OUT/dist/esm/package.json"
cp sdk/package.json sdk/README.md "$OUT/"

# Smoke test: both entry points load and export the same names.
(cd "$OUT" && node -e '
  const cjs = Object.keys(require("./dist/cjs/index.js")).sort();
  import("./dist/esm/index.js").then((esm) => {
    if (JSON.stringify(Object.keys(esm).sort()) !== JSON.stringify(cjs)) throw new Error("ESM and CJS exports differ");
    if (typeof esm.GavelClient !== "function") throw new Error("GavelClient missing");
  });
')

rm -f target/sdk/gavel-sdk-*.tgz
tarball=$(cd "$OUT" && npm pack --pack-destination .. --silent | tail -1)
echo "target/sdk/$tarball"

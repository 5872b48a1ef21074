// Mocha settings. `npx mocha` runs every spec; `npx mocha tests/08_liquidation.spec.ts` runs only
// the files named (a `spec` list in the config would be added to them, running everything).
const named = process.argv.slice(2).some((a) => /\.spec\.ts$/.test(a));
module.exports = {
  require: ["ts-node/register"],
  extension: ["ts"],
  ...(named ? {} : { spec: ["tests/**/*.spec.ts"] }),
  timeout: 120000,
  exit: true,
};

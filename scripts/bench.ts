/**
 * `npm run bench`: measures compute units of every instruction on the real gavel.so in LiteSVM and
 * the program size, and rewrites bench/cu.json (instruction → CU) and bench/program.json.
 */
import * as fs from "fs";
import * as path from "path";
import { initializeConfigIx, setStopIx } from "../sdk/src";
import { GavelSvm, PROGRAM_SO, SendResult } from "../tests/helpers/svm";

const OUT = path.join(__dirname, "../bench");

function must(name: string, res: SendResult): number {
  if (!res.ok) throw new Error(`${name} failed: ${res.rawError}\n${res.logs.join("\n")}`);
  return res.computeUnits;
}

function main(): void {
  const chain = new GavelSvm();
  const admin = chain.actor();
  const cu: Record<string, number> = {};
  cu.initialize_config = must(
    "initialize_config",
    chain.send([initializeConfigIx({ admin: admin.publicKey })], [admin]),
  );
  cu.set_stop = must("set_stop", chain.send([setStopIx({ admin: admin.publicKey }, 1)], [admin]));

  const program = { "gavel.so_bytes": fs.statSync(PROGRAM_SO).size };
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, "cu.json"), JSON.stringify(cu, null, 2) + "\n");
  fs.writeFileSync(path.join(OUT, "program.json"), JSON.stringify(program, null, 2) + "\n");
  console.table(Object.entries(cu).map(([instruction, units]) => ({ instruction, "compute units": units })));
  console.log(`gavel.so: ${program["gavel.so_bytes"]} bytes`);
}

main();

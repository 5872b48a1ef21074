/**
 * The main job: on an embedded local chain (surfpool, in-process) deploy Gavel and run the demo
 * scenario (app/demo/scenario.ts): a market, LPs, `--borrowers` borrowers, a price crash and three
 * competing bidder processes, then a summary. Exit code 0 only if the run's invariants held.
 *
 *   npx ts-node app/demo/main.ts [--borrowers 50] [--seed 7] [--crash 0.30] [--steps 10] [--engine v2|maker]
 */
import { SdkChain } from "../../sdk/testkit/sdk_chain";
import { demoOptions, runDemo, stopBidders } from "./scenario";

const USAGE =
  "usage: ./scripts/demo.sh [--borrowers 50] [--seed 7] [--crash 0.30] [--steps 10] [--engine v2|maker] [--stepSecs 3] [--timeoutSecs 180]";

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  const opts = demoOptions(argv);
  const chain = SdkChain.start({ blockProduction: "clock" });
  // SIGINT/SIGTERM mid-run: stop the bidder processes and the chain, leave nothing running.
  const abort = (signal: string) =>
    void stopBidders().finally(() => {
      chain.stop();
      console.error(`[demo] stopped by ${signal}`);
      process.exit(130);
    });
  process.once("SIGINT", () => abort("SIGINT"));
  process.once("SIGTERM", () => abort("SIGTERM"));
  try {
    return (await runDemo(chain, opts)) ? 0 : 1;
  } finally {
    chain.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`[demo] failed: ${e.message}`);
    process.exit(1);
  },
);

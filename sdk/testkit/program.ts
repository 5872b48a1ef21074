/** Paths of build outputs: the compiled program and the figures specs measure. */
import * as path from "path";

/** Path of the program built by `scripts/build-program.sh`. */
export const PROGRAM_SO = path.join(__dirname, "../../target/deploy/gavel.so");

/**
 * The bidder e2e spec's latency figures (spec 12 writes them under target/; `npm run bench`
 * records the latest in bench/bidder.json, so a spec run never rewrites committed figures).
 */
export const E2E_FIGURES = path.join(__dirname, "../../target/bench/bidder-e2e.json");

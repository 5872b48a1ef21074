/**
 * The golden vectors of tests/vectors/*.json (written by scripts/gen-*-vectors.py with Python's exact
 * integers, read by the Rust tests too): loading a file, naming a case's u64 arguments, and running
 * an SDK mirror over every case of a function.
 */
import BN from "bn.js";
import * as fs from "fs";
import * as path from "path";

/** One golden case: the arguments and what the Rust function returns for them. */
export interface GoldenCase<A = string, E = unknown> {
  args: A[];
  expected: E;
}

/** The vector file `tests/vectors/<name>.json`, keyed by Rust function name (and `_format`). */
export function loadVectors(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(__dirname, "..", "vectors", `${name}.json`), "utf8")) as Record<
    string,
    unknown
  >;
}

/** The function keys of a vector file (all but `_format` and other `_` notes), sorted. */
export function vectorKeys(vectors: Record<string, unknown>): string[] {
  return Object.keys(vectors)
    .filter((k) => !k.startsWith("_"))
    .sort();
}

/** A u64 argument written as a decimal string. */
export const u = (s: string): BN => new BN(s, 10);

/**
 * The u64 arguments `args[from]`, `args[from + 1]`, … under the names `keys` (the argument order the
 * vector file's `_format` states).
 */
export function named<K extends string>(args: string[], keys: readonly K[], from = 0): Record<K, BN> {
  return Object.fromEntries(keys.map((k, i) => [k, u(args[from + i])])) as Record<K, BN>;
}

/**
 * Runs `mirror` on every case of function `name` and lists those whose result differs from the
 * expected one, compared through `show` (default: as JSON).
 */
export function mismatches<A, E>(
  name: string,
  cases: GoldenCase<A, E>[],
  mirror: (args: A[]) => unknown,
  show: (x: unknown) => string = (x) => JSON.stringify(x),
): string[] {
  const failures: string[] = [];
  for (const c of cases) {
    const got = show(mirror(c.args));
    if (got !== show(c.expected))
      failures.push(`${name}(${c.args.join(", ")}) = ${got}, want ${show(c.expected)}`);
  }
  return failures;
}

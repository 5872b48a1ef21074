#!/usr/bin/env bash
# The test command: installs what is missing, builds the program from source, then runs every
# check and suite — lint (rustfmt, clippy, tsc, eslint, prettier, IDL types), the README's run
# command `./scripts/demo.sh` exactly as written (default size; one test line, its exit code says
# whether its invariants held), Rust unit and IDL tests, and the mocha specs (LiteSVM on the real
# .so, an embedded local validator) — and ends with one line `N passed, N failed` totalling all.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
START=$(date +%s)
scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

PASSED=0
FAILED=0
LOGDIR=target/test-logs
mkdir -p "$LOGDIR"

check() { # name, command...: a lint-style check counts as one test
  local name=$1; shift
  if "$@" >"$LOGDIR/$name.log" 2>&1; then
    echo "ok    $name"; PASSED=$((PASSED + 1))
  else
    echo "FAIL  $name (see $LOGDIR/$name.log)"; tail -30 "$LOGDIR/$name.log"; FAILED=$((FAILED + 1))
  fi
}

echo "== lint"
check rustfmt cargo fmt --all -- --check
check clippy cargo clippy --all-targets --locked -- -D warnings
check tsc npx tsc -p .
check tsc-web npx tsc -p app/web/src
check tsc-sdk-types npx tsc -p tests/types
check eslint npx eslint .
check prettier npx prettier --check .
check accounts node scripts/gen-accounts.js --check
check layouts node scripts/gen-layouts.js --check
check idl node scripts/gen-idl.js --check
check idl-types node scripts/gen-idl-types.js --check
check readme-tables node scripts/gen-readme-tables.js --check

echo "== the README's run command, as written (default size)"
demo_start=$(date +%s)
check demo ./scripts/demo.sh
echo "      ./scripts/demo.sh took $(($(date +%s) - demo_start)) s; its summary: $LOGDIR/demo.log"

echo "== rust tests"
cargo test --locked 2>&1 | tee "$LOGDIR/cargo-test.log"
rust_status=${PIPESTATUS[0]}
rp=$(grep -Eo '^test result: [a-zA-Z]+\. [0-9]+ passed; [0-9]+ failed' "$LOGDIR/cargo-test.log" | awk '{s+=$4} END {print s+0}')
rf=$(grep -Eo '^test result: [a-zA-Z]+\. [0-9]+ passed; [0-9]+ failed' "$LOGDIR/cargo-test.log" | awk '{s+=$6} END {print s+0}')
if [ "$rust_status" != 0 ] && [ "$rf" = 0 ]; then rf=1; fi # did not compile or run
PASSED=$((PASSED + rp)); FAILED=$((FAILED + rf))

echo "== mocha specs"
npx mocha 2>&1 | tee "$LOGDIR/mocha.log"
mocha_status=${PIPESTATUS[0]}
mp=$(grep -Eo '^ *[0-9]+ passing' "$LOGDIR/mocha.log" | awk '{print $1}' | tail -1)
mf=$(grep -Eo '^ *[0-9]+ failing' "$LOGDIR/mocha.log" | awk '{print $1}' | tail -1)
mp=${mp:-0}; mf=${mf:-0}
if [ "$mocha_status" != 0 ] && [ "$mf" = 0 ]; then mf=1; fi
PASSED=$((PASSED + mp)); FAILED=$((FAILED + mf))

echo "== done in $(($(date +%s) - START)) s"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ] && [ "$PASSED" -gt 0 ]

#!/usr/bin/env bash
# Installs everything Gavel needs on a fresh Debian machine and builds the program:
# Debian rustc-web/LLVM 22 + sbpf-linker (via build-program.sh), Debian's chromium (the dashboard's
# browser test), npm dependencies, target/deploy/gavel.so, the bidder's entry point.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

log() { echo "[setup] $*" >&2; }
command -v node >/dev/null || { log "error: Node.js >= 20 is required (node not found)"; exit 1; }
command -v cargo >/dev/null || { log "error: a host Rust toolchain (cargo) is required"; exit 1; }

# `npm install` with the committed lockfile rather than `npm ci`: litesvm 0.8.0 lists native
# packages for other platforms (darwin, linux-arm64) that were never published at that version, so
# the lockfile cannot contain them and `npm ci` refuses it as out of sync. `npm install` installs
# exactly the locked versions and skips the missing optional packages. (litesvm 1.x moved to
# @solana/kit types; 0.4.0's binary needs a newer glibc than Debian 12's.)
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm install (locked versions)"
  npm install --no-save --no-audit --no-fund --loglevel=error
fi
scripts/build-program.sh

# The bidder's built entry point (node target/bidder/app/bidder/main.js): what the demo's bidders
# and an operator's service run (incremental: seconds when nothing changed).
log "building the bidder (npm run build:bidder)"
npx tsc -p tsconfig.bidder.json

# The dashboard spec drives a real browser: Debian's chromium through playwright-core (no browser
# download from elsewhere).
if ! command -v chromium >/dev/null; then
  log "installing Debian's chromium"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

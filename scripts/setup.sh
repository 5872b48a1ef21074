#!/usr/bin/env bash
# Installs everything Gavel needs on a fresh Debian machine and builds the program:
# Debian rustc-web/LLVM 22 + sbpf-linker (via build-program.sh), npm dependencies, target/deploy/gavel.so.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

log() { echo "[setup] $*" >&2; }
command -v node >/dev/null || { log "error: Node.js >= 20 is required (node not found)"; exit 1; }
command -v cargo >/dev/null || { log "error: a host Rust toolchain (cargo) is required"; exit 1; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
scripts/build-program.sh

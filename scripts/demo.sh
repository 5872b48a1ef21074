#!/usr/bin/env bash
# The main job: installs what is missing, builds gavel.so, runs the demo on an embedded chain.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec node -r ts-node/register/transpile-only app/demo/main.ts "$@"

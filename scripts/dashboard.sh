#!/usr/bin/env bash
# The auction dashboard: installs what is missing, builds gavel.so and the page, then serves it
# (default: an embedded chain running the demo; `-- --rpc URL` reads any other chain).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
npx vite build app/web --logLevel warn
# exec node itself (not npx): a signal to this script's process reaches the dashboard, which stops
# the demo's bidders and the chain before exiting.
exec node -r ts-node/register/transpile-only app/web/main.ts "$@"

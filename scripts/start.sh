#!/usr/bin/env bash
# The one command that starts IntelGraph on its embedded default (all-in-one):
# installs packages, fetches/builds and starts Neo4j and FerretDB on loopback,
# builds the analyst console if its sources changed, seeds the demo tenant and
# prints the GraphQL and console URLs and the logins. Ctrl-C stops the platform
# (the stores keep running; `pnpm stores stop` stops them).
# RUN_MODE=split starts one process per service instead (scripts/split.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh
node scripts/console.mjs build
node scripts/stores.mjs start
eval "$(node scripts/devEnv.mjs)"

if [ "${RUN_MODE:-all-in-one}" = "split" ]; then
  exec node scripts/split.mjs --seed-demo
fi
# tsx in-process (not its CLI wrapper) so Ctrl-C/SIGTERM reach our own shutdown.
exec node --import tsx gateway/src/main.ts --seed-demo

#!/usr/bin/env bash
# Installs what the TypeScript side needs: pnpm (via npm, since corepack does not
# work on these machines) and the workspace's packages. Idempotent and quick
# when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=10.34.9
need() { command -v "$1" >/dev/null 2>&1 || { echo "[bootstrap] $1 is required: $2" >&2; exit 1; }; }
need node "install Node.js 20.19+ (https://nodejs.org)"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || { echo "[bootstrap] Node.js 20.19 or newer is required; found $(node --version)" >&2; exit 1; }

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "[bootstrap] installing pnpm@$PNPM_VERSION"
  npm install -g "pnpm@$PNPM_VERSION" --no-fund --no-audit --loglevel=error >/dev/null
fi

stamp=node_modules/.intelgraph-install-stamp
lock_hash=$(cat pnpm-lock.yaml package.json */package.json subgraphs/*/package.json clients/*/package.json 2>/dev/null | sha256sum | cut -c1-16)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_hash" ]; then
  exit 0
fi
echo "[bootstrap] pnpm install"
if [ "${CI:-}" = "true" ]; then
  pnpm install --frozen-lockfile --reporter=append-only 2>&1 | tail -n 5
else
  pnpm install --reporter=append-only 2>&1 | tail -n 5
fi
echo "$lock_hash" > "$stamp"

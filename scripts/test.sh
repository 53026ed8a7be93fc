#!/usr/bin/env bash
# The whole test suite, as CI runs it: install, static checks (typecheck, lint,
# format, generated SDK types and error/close codes current, every operation covered by a policy,
# file and function sizes;
# schema freshness is a unit test), then every vitest project (unit,
# integration against the real Neo4j and FerretDB, which it starts itself, and
# e2e: the console in headless Chromium, installed by scripts/chromium.sh).
# Ends with one line: `N passed, N failed` (each static check counts as one).
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh || { echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
check() {
  local name=$1; shift
  local started=$SECONDS
  if "$@" > ".cache/check-$name.log" 2>&1; then
    echo "[check] $name: ok ($((SECONDS - started))s)"
    passed=$((passed + 1))
  else
    echo "[check] $name: FAILED ($((SECONDS - started))s)"
    tail -n 40 ".cache/check-$name.log"
    failed=$((failed + 1))
  fi
}
mkdir -p .cache
check typecheck node_modules/.bin/tsc -p tsconfig.json --noEmit
check typecheck-web node_modules/.bin/tsc -p clients/web/tsconfig.json --noEmit
check lint node_modules/.bin/eslint .
check format node_modules/.bin/prettier --check "**/*.{ts,tsx,mjs,js,json,md,yaml,yml}"
check codegen node_modules/.bin/graphql-codegen --config codegen.yml --check
check codes node_modules/.bin/tsx scripts/tools/generateCodes.ts --check
check policy-coverage node_modules/.bin/tsx policies/src/cli/coverage.ts
# No source file over 400 lines, no function over 150 (generated code aside); prints the largest either way.
check size node_modules/.bin/tsx scripts/tools/sizeCheck.ts
grep -q "over the limit" .cache/check-size.log || sed 's/^/  /' .cache/check-size.log

results=.cache/vitest-results.json
rm -f "$results"
node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json="$results" "$@"
vitest_rc=$?

if [ -f "$results" ]; then
  read -r vp vf < <(node -e '
    const r = require(process.argv[1]);
    console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0) + (r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0));
  ' "$PWD/$results")
  passed=$((passed + vp))
  failed=$((failed + vf))
  if [ "$vitest_rc" -ne 0 ] && [ "$vf" -eq 0 ]; then failed=$((failed + 1)); fi
else
  echo "[test] vitest produced no results (exit $vitest_rc)"
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

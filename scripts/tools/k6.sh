#!/usr/bin/env bash
# Builds k6 (the load-testing tool) from the Go module proxy into
# .cache/tools/bin/k6 and prints its path on stdout (all else goes to stderr).
# Idempotent: when the pinned version is already built it only prints the path.
#
#   bash scripts/tools/k6.sh            -> /abs/path/.cache/tools/bin/k6
#   K6="$(bash scripts/tools/k6.sh)"
#
# Needs Go (>= the version k6's go.mod asks for, see GO_MIN below) on PATH or
# in /usr/local/go/bin. The build log is .cache/tools/k6-build.log.
# Environment: K6_VERSION to try another version, GOTOOLCHAIN (default
# "local": never fetch another Go toolchain behind your back).
set -euo pipefail

K6_VERSION="${K6_VERSION:-v1.8.1}"
GO_MIN="1.25" # go.k6.io/k6 v1.8.1 go.mod: "go 1.25.0"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="$ROOT/.cache/tools"
BIN_DIR="$TOOLS/bin"
BIN="$BIN_DIR/k6"
STAMP="$BIN_DIR/k6.version"
LOG="$TOOLS/k6-build.log"

say() { printf '[k6] %s\n' "$*" >&2; }
die() {
  say "error: $*"
  exit 1
}

if [[ -x "$BIN" && -f "$STAMP" && "$(cat "$STAMP")" == "$K6_VERSION" ]]; then
  echo "$BIN"
  exit 0
fi

GO="$(command -v go || true)"
if [[ -z "$GO" && -x /usr/local/go/bin/go ]]; then GO=/usr/local/go/bin/go; fi
[[ -n "$GO" ]] || die "Go is not installed (need Go >= $GO_MIN to build k6 $K6_VERSION). Install it from https://go.dev/dl/ or your package manager, then re-run."

have="$("$GO" env GOVERSION 2>/dev/null | sed -E 's/^go//; s/[^0-9.].*$//')"
older() { [[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" == "$1" && "$1" != "$2" ]]; }
if [[ -z "$have" ]] || older "$have" "$GO_MIN"; then
  die "Go ${have:-?} at $GO is too old: k6 $K6_VERSION needs Go >= $GO_MIN."
fi

mkdir -p "$BIN_DIR"
tmp="$(mktemp -d "$TOOLS/k6-build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

say "building go.k6.io/k6@$K6_VERSION with Go $have (first time only; log: ${LOG#"$ROOT"/})"
start=$(date +%s)
# Built outside any module/workspace so the repo's files cannot interfere.
if ! (cd "$tmp" && env GOBIN="$tmp" GOWORK=off CGO_ENABLED=0 GOTOOLCHAIN="${GOTOOLCHAIN:-local}" \
  GOFLAGS="-trimpath -buildvcs=false" "$GO" install "go.k6.io/k6@$K6_VERSION") >"$LOG" 2>&1; then
  tail -n 20 "$LOG" >&2
  die "go install go.k6.io/k6@$K6_VERSION failed (full log: $LOG)"
fi
[[ -x "$tmp/k6" ]] || die "the build produced no k6 binary (log: $LOG)"
mv -f "$tmp/k6" "$BIN"
echo "$K6_VERSION" >"$STAMP"
say "built in $(($(date +%s) - start))s: $("$BIN" version 2>/dev/null | head -n1)"
echo "$BIN"

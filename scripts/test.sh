#!/usr/bin/env bash
# npm test: check and build, then every test tier (vitest run; arguments go to vitest). Times each
# step, stops at the first failure with its exit code, and prints the step and tier times at the
# end (the tier times come from scripts/tier-times-reporter.ts).
set -uo pipefail
cd "$(dirname "$0")/.."

TIER_TIMES_FILE="$(mktemp)"
export TIER_TIMES_FILE
trap 'rm -f "$TIER_TIMES_FILE"' EXIT
started=$(date +%s)
lines=()

clock() { printf '%d:%02d' $(($1 / 60)) $(($1 % 60)); }

summary() {
  echo
  echo "== npm test times (wall)"
  printf '%s\n' "${lines[@]}"
  if [ -s "$TIER_TIMES_FILE" ]; then
    echo "  tiers (first file start → last file end; one tier after another):"
    sed 's/^/    /' "$TIER_TIMES_FILE"
  fi
  printf '%-15s %6s\n' total "$(clock $(($(date +%s) - started)))"
}

step() {
  local name=$1
  shift
  echo "== $name: $*"
  local t0 rc
  t0=$(date +%s)
  "$@"
  rc=$?
  lines+=("$(printf '%-15s %6s' "$name" "$(clock $(($(date +%s) - t0)))")")
  if [ "$rc" -ne 0 ]; then
    summary
    echo "== npm test: $name failed (exit $rc)"
    exit "$rc"
  fi
}

# Check and build side by side (scripts/parallel.mjs): neither needs the other, and each is mostly
# one single-threaded process at a time.
step check+build node scripts/parallel.mjs check build
# The first-load budgets (gzip) of the built apps, each enforced (issue #21).
step budget node scripts/bundle-budget.mjs
step vitest npx vitest run "$@"
summary

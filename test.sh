#!/usr/bin/env bash
# Runs every test: installs what the tests need (eng/install-test-tools.sh), then the whole suite.
# Extra arguments go to dotnet test, e.g. ./test.sh --filter "FullyQualifiedName~Workplace.Tests.Graph".
# TEST_TIMEOUT_MINUTES (default 20) bounds the whole run; a single test hanging for 5 minutes is killed
# with a hang dump and named in the output.
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
cd "$root"
bash eng/install-test-tools.sh
mkdir -p artifacts/test-results
rm -f artifacts/test-results/*.trx
status=0
timeout --kill-after=30s "${TEST_TIMEOUT_MINUTES:-20}m" \
  dotnet test Workplace.sln --logger "trx;LogFilePrefix=tests" --logger "console;verbosity=normal" \
  --results-directory artifacts/test-results --blame-hang-timeout 5m "$@" || status=$?
if [ "$status" = "124" ]; then
  echo "The test run took longer than ${TEST_TIMEOUT_MINUTES:-20} minutes and was stopped." >&2
fi
# One plain closing line across every test assembly.
passed=0; failed=0; skipped=0
for trx in artifacts/test-results/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
done
echo "Tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"

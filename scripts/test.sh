#!/usr/bin/env bash
# Runs the whole test suite and ends with the totals alone on a line: "N passed, N failed, N skipped".
# Exits non-zero when any test failed or no test ran.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
results="$root/.build/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet test "$root/tests/Stackvault.Tests/Stackvault.Tests.csproj" -c Release -nologo \
  --logger "trx;LogFileName=unit.trx" --logger "console;verbosity=minimal" \
  --results-directory "$results" -- RunConfiguration.TestSessionTimeout=3000000
test_rc=$?

extra_failed=0
# The benchmark harness must keep working: a tiny smoke run (never a timing assertion).
if [[ -x bench/run.sh ]]; then
  if bash bench/run.sh --smoke >"$results/bench-smoke.log" 2>&1; then
    echo "bench smoke: ok"
  else
    echo "bench smoke: FAILED (see below)"; tail -n 30 "$results/bench-smoke.log"; extra_failed=1
  fi
fi

python3 - "$results" "$extra_failed" "$test_rc" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
results, extra_failed, test_rc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for f in glob.glob(results + "/**/*.trx", recursive=True):
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    if c is None:
        continue
    passed += int(c.get("passed", 0))
    failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    skipped += int(c.get("notExecuted", 0)) + int(c.get("inconclusive", 0))
if extra_failed:
    failed += 1
else:
    passed += 0
if test_rc != 0 and failed == 0:
    failed = 1  # the runner failed (build error, crash) without a TRX count
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
PY

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

# The CLI the tests launch is the NativeAOT build (./stackvault, STACKVAULT_BUILD=aot), the build the benchmarks measure:
# each of the suite's thousands of CLI runs starts without a runtime to load or code to compile (the suite takes about
# 4 minutes against it, 10 against the JIT build, which is more than the 2 minutes the NativeAOT build takes). The
# tests of what only the JIT does run the managed build beside the tests (CliRunner.UseManagedBuild).
if ! aot_log="$(STACKVAULT_BUILD=aot "$root/stackvault" --version 2>&1)"; then
  printf '%s\n' "$aot_log"; echo "the NativeAOT build of the CLI failed"; echo "0 passed, 1 failed, 0 skipped"; exit 1
fi
export STACKVAULT_TEST_CLI="$root/.build/cli-aot/Stackvault.Cli"

dotnet test "$root/tests/Stackvault.Tests/Stackvault.Tests.csproj" -c Release -nologo \
  --logger "trx;LogFileName=unit.trx" --logger "console;verbosity=minimal" \
  --blame-hang-timeout 8m --blame-hang-dump-type none \
  --results-directory "$results" -- RunConfiguration.TestSessionTimeout=3000000
test_rc=$?

extra_passed=0
extra_failed=0
# Whole-program checks outside xunit, each counted as one test in the totals. The two run side by side (one is mostly Python on one core, the other mostly I/O), each into its own log.
# The benchmark harness must keep working: a tiny smoke run (never a timing assertion).
# The format is documented well enough for an independent restorer (tools/recover.py).
declare -A check_pids=()
[[ -f bench/run.sh ]] && { bash bench/run.sh --smoke >"$results/bench-smoke.log" 2>&1 & check_pids[bench-smoke]=$!; }
[[ -f tests/recover/run.sh ]] && { bash tests/recover/run.sh >"$results/recover-roundtrip.log" 2>&1 & check_pids[recover-roundtrip]=$!; }
for name in bench-smoke recover-roundtrip; do
  [[ -n "${check_pids[$name]:-}" ]] || continue
  if wait "${check_pids[$name]}"; then
    echo "$name: ok"; extra_passed=$((extra_passed + 1))
  else
    echo "$name: FAILED"; tail -n 40 "$results/$name.log"; extra_failed=$((extra_failed + 1))
  fi
done

python3 - "$results" "$extra_passed" "$extra_failed" "$test_rc" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
results = sys.argv[1]
extra_passed, extra_failed, test_rc = (int(x) for x in sys.argv[2:5])
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for f in glob.glob(results + "/**/*.trx", recursive=True):
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    if c is None:
        continue
    passed += int(c.get("passed", 0))
    failed += sum(int(c.get(k, 0)) for k in ("failed", "error", "timeout", "aborted"))
    skipped += max(int(c.get("total", 0)) - int(c.get("executed", 0)), int(c.get("notExecuted", 0)))
passed += extra_passed
failed += extra_failed
if test_rc != 0 and failed == 0:
    failed = 1  # the runner failed (build error, crash) without a TRX count
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
PY

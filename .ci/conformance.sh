#!/usr/bin/env bash
# Runs the official MCP conformance suite against McpGrains' conformance client (tests/McpGrains.ConformanceClient).
# See docs/conformance.md.
#
#   .ci/conformance.sh [--no-build] [run...]      runs: auth-0.1.16 backcompat-0.1.16 2025-11-25 2026-07-28 (default: all)
#
# Prints one line per run, "conformance <run>: N passed, N failed" (scenarios; the ones the suite runs but marks "not
# scored" for a revision, the authorization extensions and later additions, are counted here like the others and also
# listed), then "conformance total: N passed, N failed" and a machine-readable "CONFORMANCE_COUNTS passed=N failed=N"
# for .ci/run. Exit code 1 when any scenario failed.
# A scenario counts as failed when the suite prints it with ✗ (a FAILURE or a WARNING check).
# Full logs and per-scenario checks.json: $CONFORMANCE_OUT (default artifacts/conformance).
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

build=1
runs=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    *) runs+=("$arg") ;;
  esac
done
[ ${#runs[@]} -gt 0 ] || runs=(auth-0.1.16 backcompat-0.1.16 2025-11-25 2026-07-28)

out=${CONFORMANCE_OUT:-"$repo/artifacts/conformance"}
# Per-scenario budget: the suite starts every scenario of a run at once (one silo per client process).
timeout_ms=${CONFORMANCE_TIMEOUT_MS:-300000}
rm -rf "$out"
mkdir -p "$out"

fail_setup() { echo "conformance: $1"; echo "conformance total: 0 passed, 1 failed"; echo "CONFORMANCE_COUNTS passed=0 failed=1"; exit 1; }

tools=$("$repo/.ci/install-node-tools.sh") || fail_setup "installing the node tools failed"
eval "$tools"

if [ "$build" -eq 1 ]; then
  dotnet build tests/McpGrains.ConformanceClient -c Debug > "$out/build.log" 2>&1 || { tail -n 30 "$out/build.log"; fail_setup "building tests/McpGrains.ConformanceClient failed"; }
fi
dll="$repo/tests/McpGrains.ConformanceClient/bin/Debug/net10.0/McpGrains.ConformanceClient.dll"
[ -f "$dll" ] || fail_setup "$dll is missing (build first)"
client="bash $repo/.ci/conformance-slot.sh dotnet $dll"
export MCPGRAINS_CONFORMANCE_TIMEOUT_SECONDS=$(( timeout_ms / 1000 - 10 ))

# For a failed scenario, what CI output alone must show to diagnose it: the checks that were not SUCCESS or INFO and the
# last lines of the client's stderr (its own log; it never logs a token, code or state).
explain_failure() {
  local dir
  dir=$(ls -d "$1/$2"-* 2>/dev/null | tail -n 1)
  [ -n "$dir" ] || return 0
  [ -f "$dir/checks.json" ] && "$NODE22" -e '
    for (const c of JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")))
      if (c.status !== "SUCCESS" && c.status !== "INFO") console.log(`    ${c.timestamp} ${c.status} ${c.id}: ${c.description}`);
  ' "$dir/checks.json"
  [ -f "$dir/stderr.txt" ] && tail -n 15 "$dir/stderr.txt" | sed 's/^/    | /'
  return 0
}

total_passed=0
total_failed=0
total_expected=0
expected_file="$repo/.ci/conformance-expected-failures.txt"
is_expected() { [ -f "$expected_file" ] && grep -qE "^$1[[:space:]]+$2[[:space:]]" "$expected_file"; }
for run in "${runs[@]}"; do
  case "$run" in
    auth-0.1.16) cmd=("$NODE22" "$CONFORMANCE_0116" client --suite auth) ;;
    backcompat-0.1.16) cmd=("$NODE22" "$CONFORMANCE_0116" client --suite backcompat) ;;
    2025-11-25|2026-07-28) cmd=("$NODE22" "$CONFORMANCE_020" client --requirements "$run") ;;
    *) echo "conformance: unknown run '$run'"; total_failed=$((total_failed + 1)); continue ;;
  esac
  log="$out/$run.log"
  "${cmd[@]}" --command "$client" --timeout "$timeout_ms" -o "$out/$run" > "$log" 2>&1
  suite_status=$?

  # Scenario lines: "✓ name: N passed, ..." / "✗ name: ...". 0.2.x then lists the scenarios it does not score for the
  # revision as "  ✓ name (reason)" after "Not scored for ...": McpGrains implements them (issue 16), so they count.
  not_scored=$(sed -n '/^Not scored for/,$p' "$log" | sed -nE 's/^  (✓|✗) ([^ ]+) \(.*/\2/p')
  passed=0; failed=0; failed_names=()
  while read -r mark name; do
    name=${name%:}
    if [ "$mark" = "✓" ]; then passed=$((passed + 1))
    elif is_expected "$run" "$name"; then total_expected=$((total_expected + 1)); echo "  expected failure: $name ($(grep -E "^$run[[:space:]]+$name[[:space:]]" "$expected_file" | sed -E 's/^[^ ]+[[:space:]]+[^ ]+[[:space:]]+//'))"
    else failed=$((failed + 1)); failed_names+=("$name"); fi
  done < <(sed -nE 's/^(✓|✗) ([^ ]+): .*/\1 \2/p' "$log")
  if [ $((passed + failed)) -eq 0 ]; then
    failed=1; failed_names+=("(no scenario results; suite exit code $suite_status, see $log)")
  fi
  echo "conformance $run: $passed passed, $failed failed"
  for name in "${failed_names[@]}"; do
    echo "  failed: $name"
    explain_failure "$out/$run" "$name"
  done
  if [ -n "$not_scored" ]; then echo "  counted, though not scored by the suite: $(echo $not_scored)"; fi
  total_passed=$((total_passed + passed)); total_failed=$((total_failed + failed))
done

echo "conformance total: $total_passed passed, $total_failed failed, $total_expected expected failures"
echo "CONFORMANCE_COUNTS passed=$total_passed failed=$total_failed expected=$total_expected"
[ "$total_failed" -eq 0 ]

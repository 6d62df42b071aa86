#!/usr/bin/env bash
# Runs the server scenarios of the official MCP conformance suite against McpGrains' conformance upstream
# (tests/McpGrains.ConformanceServer, an MCP C# SDK server) directly, the baseline, and through McpGrains'
# /mcp/{serverId} (the McpGrains.Host process, with a small YARP hop in front that adds the host app key and the user
# header the suite does not send). See docs/conformance.md.
#
#   .ci/conformance-server.sh [--no-build] [run...]     runs: 0.1.16 2025-11-25 2026-07-28 (default: all)
#
# Prints, per run, "conformance-server <run>: N passed, N failed" counting the scenarios through McpGrains that the
# suite scores for the run: passed through McpGrains, or failed through McpGrains although they pass directly.
# A scenario that fails directly too is listed ("fails directly") and not counted. Then the per-scenario table
# (direct | through McpGrains), "conformance-server total: ..." and "CONFORMANCE_SERVER_COUNTS passed=N failed=N
# expected=N" for .ci/run. Exit code 1 when a counted scenario failed. Logs and checks: $CONFORMANCE_OUT/server.
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
[ ${#runs[@]} -gt 0 ] || runs=(0.1.16 2025-11-25 2026-07-28)

out=${CONFORMANCE_OUT:-"$repo/artifacts/conformance"}/server
# Per-scenario budget of the 0.2.x suite (0.1.16 has its own, fixed).
timeout_ms=${CONFORMANCE_TIMEOUT_MS:-60000}
rm -rf "$out"
mkdir -p "$out"

fail_setup() {
  echo "conformance-server: $1"
  echo "conformance-server total: 0 passed, 1 failed"
  echo "CONFORMANCE_SERVER_COUNTS passed=0 failed=1 expected=0"
  exit 1
}

tools=$("$repo/.ci/install-node-tools.sh") || fail_setup "installing the node tools failed"
eval "$tools"

if [ "$build" -eq 1 ]; then
  for project in tests/McpGrains.ConformanceServer tests/McpGrains.ConformanceHop src/McpGrains.Host; do
    dotnet build "$project" -c Debug >> "$out/build.log" 2>&1 || { tail -n 30 "$out/build.log"; fail_setup "building $project failed"; }
  done
fi
bin() { echo "$repo/$1/bin/Debug/net10.0/$2.dll"; }
fixture_dll=$(bin tests/McpGrains.ConformanceServer McpGrains.ConformanceServer)
hop_dll=$(bin tests/McpGrains.ConformanceHop McpGrains.ConformanceHop)
host_dll=$(bin src/McpGrains.Host McpGrains.Host)
for dll in "$fixture_dll" "$hop_dll" "$host_dll"; do [ -f "$dll" ] || fail_setup "$dll is missing (build first)"; done

free_port() { "$NODE22" -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
wait_ready() { # url, name, pid
  for _ in $(seq 1 240); do
    "$NODE22" -e "fetch('$1').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || fail_setup "$2 exited before it was ready (see $out/$2.log)"
    sleep 0.5
  done
  fail_setup "$2 was not ready at $1 within 120 s (see $out/$2.log)"
}

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT

fixture_port=$(free_port); host_port=$(free_port); hop_port=$(free_port); silo_port=$(free_port); gateway_port=$(free_port)
host_key="conformance-host-key-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"

(cd "$(dirname "$fixture_dll")" && exec dotnet "$fixture_dll" --urls "http://127.0.0.1:$fixture_port") > "$out/fixture.log" 2>&1 &
pids+=($!); fixture_pid=$!
(cd "$(dirname "$host_dll")" && exec env \
  ASPNETCORE_ENVIRONMENT=Development \
  McpGrains__PublicBaseUrl="http://127.0.0.1:$host_port" \
  McpGrains__Security__AllowInsecureLoopback=true \
  McpGrains__Security__Keys__conformance="$(head -c 32 /dev/urandom | base64)" \
  McpGrains__Security__ActiveKeyId=conformance \
  McpGrains__HostApps__conformance__ApiKey="$host_key" \
  McpGrains__Servers__conformance__Url="http://127.0.0.1:$fixture_port/mcp" \
  McpGrains__Orleans__SiloPort="$silo_port" McpGrains__Orleans__GatewayPort="$gateway_port" \
  Logging__LogLevel__Default=Warning \
  dotnet "$host_dll" --urls "http://127.0.0.1:$host_port") > "$out/mcpgrains.log" 2>&1 &
pids+=($!); host_pid=$!
(cd "$(dirname "$hop_dll")" && exec dotnet "$hop_dll" --urls "http://127.0.0.1:$hop_port" \
  --target "http://127.0.0.1:$host_port/mcp/conformance" --hostKey "$host_key" --user conformance-user) > "$out/hop.log" 2>&1 &
pids+=($!); hop_pid=$!
wait_ready "http://127.0.0.1:$fixture_port/health" fixture "$fixture_pid"
wait_ready "http://127.0.0.1:$host_port/health/ready" mcpgrains "$host_pid"
wait_ready "http://127.0.0.1:$hop_port/health" hop "$hop_pid"

# Scenario lines "✓ name: ..." / "✗ name: ..."; 0.2.x lists unscored ones after "Not scored for".
results() { # log -> "mark name" per scored scenario
  local not_scored
  not_scored=$(sed -n '/^Not scored for/,$p' "$1" | sed -nE 's/^  (✓|✗) ([^ ]+) \(.*/\2/p')
  sed -nE 's/^(✓|✗) ([^ ]+): .*/\1 \2/p' "$1" | while read -r mark name; do
    name=${name%:}
    printf '%s\n' "$not_scored" | grep -qxF -- "$name" || echo "$mark $name"
  done
}

total_passed=0; total_failed=0; total_expected=0
table="$out/table.md"
: > "$table"
for run in "${runs[@]}"; do
  case "$run" in
    0.1.16) suite=("$NODE22" "$CONFORMANCE_0116" server) ;;
    2025-11-25|2026-07-28) suite=("$NODE22" "$CONFORMANCE_020" server --requirements "$run" --timeout "$timeout_ms") ;;
    *) echo "conformance-server: unknown run '$run'"; total_failed=$((total_failed + 1)); continue ;;
  esac
  for target in direct mcpgrains; do
    url="http://127.0.0.1:$fixture_port/mcp"; [ "$target" = mcpgrains ] && url="http://127.0.0.1:$hop_port/mcp"
    "${suite[@]}" --url "$url" -o "$out/$run-$target" > "$out/$run-$target.log" 2>&1
  done
  results "$out/$run-direct.log" > "$out/$run-direct.txt"
  results "$out/$run-mcpgrains.log" > "$out/$run-mcpgrains.txt"
  passed=0; failed=0; failed_names=(); direct_failures=()
  echo "### $run" >> "$table"; echo >> "$table"
  echo "| Scenario | Direct | Through McpGrains |" >> "$table"; echo "|---|---|---|" >> "$table"
  while read -r mark name; do
    direct=$(grep -E " $name\$" "$out/$run-direct.txt" | cut -d' ' -f1)
    echo "| $name | ${direct:-–} | $mark |" >> "$table"
    if [ "$mark" = "✓" ]; then passed=$((passed + 1))
    elif [ "$direct" = "✓" ]; then failed=$((failed + 1)); failed_names+=("$name")
    else total_expected=$((total_expected + 1)); direct_failures+=("$name"); fi
  done < "$out/$run-mcpgrains.txt"
  echo >> "$table"
  if [ $((passed + failed)) -eq 0 ]; then failed=1; failed_names+=("(no scenario results, see $out/$run-mcpgrains.log)"); fi
  echo "conformance-server $run: $passed passed, $failed failed"
  for name in "${failed_names[@]}"; do echo "  failed: $name (passes directly)"; done
  for name in "${direct_failures[@]}"; do echo "  fails directly: $name"; done
  total_passed=$((total_passed + passed)); total_failed=$((total_failed + failed))
done

cat "$table"
echo "conformance-server total: $total_passed passed, $total_failed failed, $total_expected fail directly too"
echo "CONFORMANCE_SERVER_COUNTS passed=$total_passed failed=$total_failed expected=$total_expected"
[ "$total_failed" -eq 0 ]

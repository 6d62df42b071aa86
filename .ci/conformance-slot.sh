#!/usr/bin/env bash
# Runs one conformance client process (its arguments) once one of a few slots is free.
# The suite starts every scenario of a run at once; each client process starts its own silo, and 30 silos starting
# together on a 2-core machine starve each other of CPU until probes and token requests time out. Each process takes
# the next ticket and waits (a blocking flock, no polling) for slot ticket % $CONFORMANCE_SLOTS for its whole life;
# the suite's per-scenario timeout still bounds the wait.
set -u
# A scenario whose context expires soon runs at once: auth/wif-jwt-bearer hands the client a workload JWT valid for 5
# minutes from the scenario's start, which a client still queued for a slot on a loaded machine would present expired.
case "${MCP_CONFORMANCE_SCENARIO:-}" in
  auth/wif-jwt-bearer) exec "$@" ;;
esac
slots=${CONFORMANCE_SLOTS:-4}
dir=${CONFORMANCE_SLOT_DIR:-/tmp/mcpgrains-conformance-slots}
mkdir -p "$dir"
exec {counter}>>"$dir/counter"
flock "$counter"
ticket=$(( $(cat "$dir/next" 2>/dev/null || echo 0) ))
echo $(( ticket + 1 )) > "$dir/next"
flock -u "$counter"
exec {slot}>"$dir/slot-$(( ticket % slots ))"
flock "$slot"
"$@"

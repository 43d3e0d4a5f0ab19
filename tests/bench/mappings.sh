#!/usr/bin/env bash
# check against numastat -p on a process with many mappings (a JVM- or
# database-shaped process): best of 3 wall time and peak RSS of check,
# check --by-mapping --json and numastat -p, side by side (checkpeer.sh).
# Goal (#14): check no slower than numastat -p and under 32 MiB.
#   tests/bench/mappings.sh [BIN] [MAPPINGS]
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/bench/checkpeer.sh
N=${2:-60000}
peer_setup "${1:-build/numa-migrate}"
gcc -O2 -Wall -Wextra -Werror -o "$PEER_T/nmb-mappings" tests/bench/tools/nmb-mappings.c
out=$(mktemp /tmp/nm-maps.XXXXXX)
"$PEER_T/nmb-mappings" "$N" >"$out" &
mp=$!
trap 'kill $mp 2>/dev/null; rm -f "$out" "$PEER_OUT"' EXIT
until grep -q '^READY ' "$out"; do
	kill -0 $mp 2>/dev/null || { echo "mappings: the fixture failed"; exit 1; }
	sleep 0.2
done
peer_header $mp "$N one-page mappings"
peer_compare $mp

#!/usr/bin/env bash
# check against numastat -p on a large process: the test helper with SIZE
# (default 8G) of touched 4 KiB pages, best of 3 wall time and peak RSS of
# check, check --by-mapping --json and numastat -p, side by side
# (checkpeer.sh). Goal (#14): check no slower than numastat -p and under
# 32 MiB. The helper is killed on every exit (the host is shared: guests of
# other runs need the memory back).
#   tests/bench/bigcheck.sh [BIN] [SIZE]
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/bench/checkpeer.sh
SIZE=${2:-8G}
peer_setup "${1:-build/numa-migrate}"
out=$(mktemp /tmp/nm-big.XXXXXX)
hp=
cleanup() {
	[ -n "$hp" ] && kill -9 "$hp" 2>/dev/null && wait "$hp" 2>/dev/null
	rm -f "$out" "$PEER_OUT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
node=$(tr -c '0-9\n' ' ' </sys/devices/system/node/has_memory | awk '{ print $1 }')
echo "bigcheck: touching $SIZE in the helper..."
"$PEER_BIN" helper --size "$SIZE" --node "$node" --no-thp >"$out" 2>&1 &
hp=$!
until grep -q '^HELPER ' "$out"; do
	kill -0 $hp 2>/dev/null || { echo "bigcheck: the helper failed: $(cat "$out")"; exit 1; }
	sleep 0.5
done
peer_header $hp "$SIZE of 4 KiB pages (helper --no-thp)"
peer_compare $hp

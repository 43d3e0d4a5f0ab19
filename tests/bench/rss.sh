#!/usr/bin/env bash
# Memory of the engine over a huge range: a helper with SIZE (default 16G) of
# touched memory, then check, move (to the node it is on: every page is
# queried and classified, none needs to move) with --verify=1, and a dry run,
# each under nmb-time, which reports the child's peak RSS from wait4(2).
# Goal: at most 32 MiB whatever the range size (memory is O(batch x jobs)).
#   tests/bench/rss.sh [BIN] [SIZE]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=$(realpath "${1:-build/numa-migrate}")
SIZE=${2:-16G}
T=build/bench-tools
mkdir -p "$T"
gcc -O2 -Wall -Wextra -Werror -o "$T/nmb-time" tests/bench/tools/nmb-time.c
out=$(mktemp /tmp/nm-rss.XXXXXX)
trap 'kill -9 $hp 2>/dev/null; rm -f "$out"' EXIT
echo "rss: allocating and touching $SIZE in the helper (needs that much free RAM)..."
"$BIN" helper --size "$SIZE" --node 0 --no-thp >"$out" 2>&1 &
hp=$!
until grep -q '^HELPER ' "$out"; do
	kill -0 $hp 2>/dev/null || { echo "rss: helper failed: $(cat "$out")"; exit 1; }
	sleep 0.5
done
node=$(awk '{print $1}' <(tr -c '0-9\n' ' ' </sys/devices/system/node/has_memory))
measure() {
	local name=$1; shift
	"$T/nmb-time" "$BIN" "$@" --no-progress >/dev/null 2>"$out.t" || true
	local kb s rc
	kb=$(sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' "$out.t")
	s=$(sed -n 's/^elapsed_s=\([0-9.]*\).*/\1/p' "$out.t")
	rc=$(sed -n 's/.* rc=\([0-9]*\).*/\1/p' "$out.t")
	awk -v n="$name" -v kb="$kb" -v s="$s" -v rc="$rc" -v size="$SIZE" 'BEGIN {
		printf "RSS %-28s range %s: peak RSS %6.1f MiB in %6.2f s (exit %s) %s\n",
			n, size, kb / 1024, s, rc, kb <= 32768 ? "[goal <= 32 MiB: met]" : "[goal <= 32 MiB: MISSED]" }'
}
measure "check" check --pid $hp --range "$SIZE"
measure "check --by-mapping" check --pid $hp --range "$SIZE" --by-mapping
measure "move --verify=1 (jobs 4)" move --pid $hp --range "$SIZE" --to-node "$node" --verify=1 --jobs 4
measure "move --dry-run" move --pid $hp --range "$SIZE" --to-node "$node" --dry-run
rm -f "$out.t"

#!/usr/bin/env bash
# make demo: the golden path (helper, check, move, verify). On a host with
# two or more NUMA nodes it runs here; with one node it says so and runs the
# same steps in a 2-node QEMU guest, so a real migration is shown.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/numa-migrate}
nodes=$(cat /sys/devices/system/node/has_memory 2>/dev/null || echo 0)
count=$(tr ',' '\n' <<<"$nodes" | awk -F- '{ n += ($2 == "" ? 1 : $2 - $1 + 1) } END { print n + 0 }')
if [ "$count" -ge 2 ]; then
	echo "demo: this machine has $count NUMA nodes with memory ($nodes): running the demo here"
	exec tests/demo/steps.sh "$BIN"
fi
echo "demo: this machine has one NUMA node with memory (node $nodes), so no page can move here."
echo "demo: running the same demo in a 2-node QEMU guest (Debian's 6.12 kernel, TCG; about a minute)."
make --no-print-directory STATIC=1 all
VM_VERBOSE=1 tests/vm/vm.sh test --kernel 6.12 --nodes 2 --tests demo --extra tests/demo --bin build/static

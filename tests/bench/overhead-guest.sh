#!/usr/bin/env bash
# make bench-overhead: overhead.sh (trace, scan, auto --all on a process it does
# not manage, auto --all managing it) in the 2-node guest, where every hook
# attaches (see README.md here). KERNEL=6.1|6.12 (default 6.12).
# OVERHEAD_PAIRS, OVERHEAD_MODES and OVERHEAD_WORKLOADS (overhead.sh) reach the
# guest through overhead.conf in a scenario folder built under build/.
set -euo pipefail
cd "$(dirname "$0")/../.."
k=${KERNEL:-6.12}
x=build/bench-overhead
rm -rf "$x" && mkdir -p "$x/scenarios" "$x/tools"
cp tests/bench/scenarios/overhead.sh "$x/scenarios/"
cp -L tests/bench/scenarios/overhead-steps tests/bench/scenarios/overhead-stats.awk "$x/scenarios/"
cp tests/bench/tools/nmb-workload.c tests/bench/tools/nmb.h "$x/tools/"
for v in OVERHEAD_PAIRS OVERHEAD_MODES OVERHEAD_WORKLOADS; do
	[ -z "${!v:-}" ] || printf "%s='%s'\n" "$v" "${!v}" >> "$x/scenarios/overhead.conf"
done
echo "bench-overhead: commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- userspace bpf tests/bench || echo ' with local changes'), kernel $k, 2 nodes"
# no keep-alive probe: a tracer's cost is measured against a kernel with none
export VM_KEEPALIVE=0 VM_VERBOSE=1 VM_TIMEOUT=${VM_TIMEOUT:-2400}
tests/vm/vm.sh test --kernel "$k" --nodes 2 --tests overhead --extra "$x" \
	--bin build/static 2>&1 | tee build/bench-overhead-"$k".log
grep -E '(OVERHEAD|overhead:|bench-overhead:|\(s\):)' build/bench-overhead-"$k".log | sed 's/^\[[^]]*\] *//; s/^| //' || true

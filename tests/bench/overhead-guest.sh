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
cp -L tests/bench/scenarios/overhead-steps tests/bench/scenarios/overhead-stats.awk \
	tests/bench/scenarios/overhead-cost.awk "$x/scenarios/"
cp tests/bench/tools/nmb-workload.c tests/bench/tools/nmb.h "$x/tools/"
for v in OVERHEAD_PAIRS OVERHEAD_MODES OVERHEAD_WORKLOADS; do
	[ -z "${!v:-}" ] || printf "%s='%s'\n" "$v" "${!v}" >> "$x/scenarios/overhead.conf"
done
echo "bench-overhead: commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- userspace bpf tests/bench || echo ' with local changes'), kernel $k, 2 nodes"
# The keep-alive stays on (page_fault_user enabled in an idle tracefs instance
# for the whole session, plain runs included): without it each attach patches
# exc_page_fault's static branch, and on 2026-12-03 the guest died 100 s in on
# the emulator's stale-translation int3 there (tests/vm/README.md). The
# figures are then the cost of our programs on a kernel with that tracepoint on.
export VM_KEEPALIVE=${VM_KEEPALIVE:-1} VM_VERBOSE=1 VM_TIMEOUT=${VM_TIMEOUT:-2400}
tests/vm/vm.sh test --kernel "$k" --nodes 2 --tests overhead --extra "$x" \
	--bin build/static 2>&1 | tee build/bench-overhead-"$k".log
grep -E '(OVERHEAD|overhead:|bench-overhead:|NMTEST-KEEPALIVE|\(s\):)' build/bench-overhead-"$k".log | sed 's/^\[[^]]*\] *//; s/^| //' || true

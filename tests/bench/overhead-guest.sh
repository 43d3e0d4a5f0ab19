#!/usr/bin/env bash
# make bench-overhead: overhead.sh (trace, scan, auto --all on a process it does
# not manage, auto --all managing it) in the 2-node guest, where every hook
# attaches (see README.md here). KERNEL=6.1|6.12 (default 6.12).
# OVERHEAD_PAIRS, OVERHEAD_MODES and OVERHEAD_WORKLOADS (overhead.sh) reach the
# guest through overhead.conf in a scenario folder built under build/;
# VM_ICOUNT picks the guest's clock (below).
set -euo pipefail
cd "$(dirname "$0")/../.."
k=${KERNEL:-6.12}
x=build/bench-overhead
rm -rf "$x" && mkdir -p "$x/scenarios" "$x/tools"
cp tests/bench/scenarios/overhead.sh "$x/scenarios/"
cp -L tests/bench/scenarios/overhead-steps tests/bench/scenarios/overhead-stats.awk \
	tests/bench/scenarios/signci.awk \
	tests/bench/scenarios/overhead-cost.awk tests/bench/scenarios/agentcpu.awk "$x/scenarios/"
cp tests/bench/tools/nmb-workload.c tests/bench/tools/nmb.h "$x/tools/"
for v in OVERHEAD_PAIRS OVERHEAD_MODES OVERHEAD_WORKLOADS; do
	[ -z "${!v:-}" ] || printf "%s='%s'\n" "$v" "${!v}" >> "$x/scenarios/overhead.conf"
done
# The guest's clock counts instructions (VM_ICOUNT=0: QEMU -icount, 1 ns per
# instruction, tests/vm/vm.sh): a run's time is the work done in the guest
# while it ran, on either vCPU, with no noise from the host, so a 1% effect is
# resolved in a few pairs. VM_ICOUNT= (empty) times with the host's clock as
# up to 2026-12-06 (pairs spread 10-40 points there). See README.md here.
export VM_ICOUNT=${VM_ICOUNT-0}
if [ -n "$VM_ICOUNT" ]; then
	clock="the instruction clock (QEMU -icount shift=$VM_ICOUNT: 2^$VM_ICOUNT ns per instruction, the vCPUs in turn)"
else
	clock="the host's clock (multi-threaded TCG)"
fi
echo "bench-overhead: commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- userspace bpf tests/bench || echo ' with local changes'), kernel $k, 2 nodes, timed by $clock"
# The guest boots without the test rig's keep-alive (VM_KEEPALIVE=0): no other
# tracer on the functions and tracepoints our programs attach to, in plain runs
# or traced ones, as on a machine with no other tracer. With it (VM_KEEPALIVE=1)
# each fentry site calls ftrace's list function, which tests every ftrace user
# on each call, and our two trampolines join that list: the figures are then
# those of a kernel already traced there (results/2026-12-05-overhead-6.12-e.txt).
# It was on here because of the emulator's stale-translation int3 at
# exc_page_fault, when an attach patched page_fault_user's static branch
# (2026-12-03). No program attaches there now (the fault address comes from
# numa_migrate_check / numa_migrate_prep), and every attach happens while the
# workload waits for its start signal.
export VM_KEEPALIVE=${VM_KEEPALIVE:-0} VM_VERBOSE=1 VM_TIMEOUT=${VM_TIMEOUT:-3600}
tests/vm/vm.sh test --kernel "$k" --nodes 2 --tests overhead --extra "$x" \
	--bin build/static 2>&1 | tee build/bench-overhead-"$k".log
grep -E '(OVERHEAD|overhead:|bench-overhead:|NMTEST-KEEPALIVE|\(s\):)' build/bench-overhead-"$k".log | sed 's/^\[[^]]*\] *//; s/^| //' || true

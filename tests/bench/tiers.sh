#!/usr/bin/env bash
# make bench-tiers: numa-migrate auto --demote-cold (DAMON) against the
# kernel's own tiering (numa_balancing=2 + demotion_enabled) in the 4-node
# guest on 6.12 (see README.md here). Rounds and the limit are set at the top
# of scenarios/tierbench-steps (the guest sees no host environment).
set -euo pipefail
cd "$(dirname "$0")/../.."
# The guest keeps page_fault_user on (VM_KEEPALIVE, see tests/vm/README.md): two
# first attempts without it were lost to QEMU's stray-int3 hazard, and what is
# measured here is placement, not a tracer's cost (both methods pay the same
# idle tracepoint).
export VM_KEEPALIVE=${VM_KEEPALIVE:-1} VM_VERBOSE=1 VM_TIMEOUT=${VM_TIMEOUT:-1800}
tests/vm/vm.sh test --kernel 6.12 --nodes 4 --tests tierbench --extra tests/bench \
	--bin build/static 2>&1 | tee build/bench-tiers-6.12.log
grep -E '^ *(RUN|TIERBENCH|== )' build/bench-tiers-6.12.log | sed 's/^ *| *//' || true

#!/usr/bin/env bash
# make bench-large: issue 14 point 4, millions of pages: move 4 GiB of 4 KiB
# pages and of THP (and 256 MiB, for the linearity ratio), trace and auto on
# a 4 GiB footprint, in the 2-node 6.12 guest with 5.5 GiB a node (see
# README.md here, "Millions of pages"). The guest takes ~11 GiB of the host.
set -euo pipefail
cd "$(dirname "$0")/../.."
# The keep-alive stays on (tests/vm/README.md): trace and auto attach probes
# twice here, and a leg lost to QEMU's stray-int3 hazard costs ~20 minutes;
# move_pages takes no user page faults, so the idle tracepoint costs it nothing.
export VM_NODE_MEM=${VM_NODE_MEM:-5632M} VM_KEEPALIVE=${VM_KEEPALIVE:-1} VM_VERBOSE=1 \
	VM_TIMEOUT=${VM_TIMEOUT:-3000}
tests/vm/vm.sh test --kernel 6.12 --nodes 2 --tests large --extra tests/bench \
	--bin build/static 2>&1 | tee build/bench-large-6.12.log
grep -a 'LARGE ' build/bench-large-6.12.log | sed 's/^.*LARGE /LARGE /' | awk '!seen[$0]++' || true

#!/usr/bin/env bash
# make bench-disrupt: what a running application feels while its memory moves,
# for each mover and move --max-stall setting, in a 2-node guest (README.md here).
#   KERNEL=6.1|6.12 (default 6.12)
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v migratepages >/dev/null || tests/deps.sh
k=${KERNEL:-6.12}
export VM_KEEPALIVE=0 VM_HOST_BINS="migratepages" VM_VERBOSE=1 VM_TIMEOUT=${VM_TIMEOUT:-1800}
tests/vm/vm.sh test --kernel "$k" --nodes 2 --tests disrupt --extra tests/bench \
	--bin build/static 2>&1 | tee build/bench-disrupt-"$k".log
grep -E '^ *(DISRUPT|== )' build/bench-disrupt-"$k".log | sed 's/^ *//' || true

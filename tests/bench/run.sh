#!/usr/bin/env bash
# make bench: migration throughput in a 2-node guest (see README.md here).
#   KERNEL=6.1|6.12 (default 6.12); 256 MiB, median of 5 interleaved runs per method
#   (the guest overhead benchmark is make bench-overhead: it needs the keep-alive on)
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v migratepages >/dev/null || tests/deps.sh
export VM_KEEPALIVE=0 VM_HOST_BINS="migratepages" VM_VERBOSE=1 VM_TIMEOUT=${VM_TIMEOUT:-1800}
tests/vm/vm.sh test --kernel "${KERNEL:-6.12}" --nodes 2 --tests bench --extra tests/bench \
	--bin build/static 2>&1 | tee build/bench-"${KERNEL:-6.12}".log
grep -E '^ *(BENCH|== |  [a-z])' build/bench-"${KERNEL:-6.12}".log | sed 's/^ *//' || true

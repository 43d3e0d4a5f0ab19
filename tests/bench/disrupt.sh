#!/usr/bin/env bash
# make bench-disrupt: what a running application feels while its memory moves,
# for each mover and move --max-stall setting, in a 2-node guest (README.md here).
#   KERNEL=6.1|6.12 (default 6.12)
#   DISRUPT_METHODS=a,b,... (default: every mover and setting), DISRUPT_ROUNDS=N (default 3)
#   DISRUPT_APP_NODE=N: the application's threads on node N's CPUs only (default: any)
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v migratepages >/dev/null || tests/deps.sh
k=${KERNEL:-6.12}
export VM_KEEPALIVE=0 VM_HOST_BINS="migratepages" VM_VERBOSE=1 VM_TIMEOUT=${VM_TIMEOUT:-1800}
args=
case ${DISRUPT_METHODS:-} in *[!a-z0-9,-]*) echo "DISRUPT_METHODS: names and commas only" >&2; exit 2 ;; esac
case ${DISRUPT_ROUNDS:-} in *[!0-9]*) echo "DISRUPT_ROUNDS: a number" >&2; exit 2 ;; esac
case ${DISRUPT_APP_NODE:-} in *[!0-9]*) echo "DISRUPT_APP_NODE: a node number" >&2; exit 2 ;; esac
[ -z "${DISRUPT_METHODS:-}" ] || args="nmdisrupt_methods=$DISRUPT_METHODS"
[ -z "${DISRUPT_ROUNDS:-}" ] || args="$args nmdisrupt_rounds=$DISRUPT_ROUNDS"
[ -z "${DISRUPT_APP_NODE:-}" ] || args="$args nmdisrupt_appnode=$DISRUPT_APP_NODE"
export VM_GUEST_ARGS="$args"
tests/vm/vm.sh test --kernel "$k" --nodes 2 --tests disrupt --extra tests/bench \
	--bin build/static 2>&1 | tee build/bench-disrupt-"$k".log
grep -E '^ *(DISRUPT|== )' build/bench-disrupt-"$k".log | sed 's/^ *//' || true

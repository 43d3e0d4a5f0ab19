#!/usr/bin/env bash
# make bench: migration throughput in a 2-node guest (see README.md here).
#   KERNEL=6.1|6.12 (default 6.12); 256 MiB, median of 5 interleaved runs per method;
#   BENCH_REPS, BENCH_MODES and BENCH_CALLERS as below
#   (the guest overhead benchmark is make bench-overhead, overhead-guest.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v migratepages >/dev/null || tests/deps.sh
export VM_KEEPALIVE=0 VM_HOST_BINS="migratepages" VM_VERBOSE=1 VM_TIMEOUT=${VM_TIMEOUT:-1800}
# BENCH_REPS=N (default 5), BENCH_MODES=4k,thp (the default), BENCH_CALLERS=0 (skip the
# THP single-caller study): passed to the guest's steps on its command line
case ${BENCH_REPS:-}${BENCH_CALLERS:-} in *[!0-9]*) echo "BENCH_REPS, BENCH_CALLERS: numbers" >&2; exit 2 ;; esac
case ${BENCH_MODES:-} in *[!a-z0-9,]*) echo "BENCH_MODES: 4k, thp or 4k,thp" >&2; exit 2 ;; esac
args=
[ -z "${BENCH_REPS:-}" ] || args="nmbench_reps=$BENCH_REPS"
[ -z "${BENCH_MODES:-}" ] || args="$args nmbench_modes=$BENCH_MODES"
[ -z "${BENCH_CALLERS:-}" ] || args="$args nmbench_callers=$BENCH_CALLERS"
export VM_GUEST_ARGS="$args"
tests/vm/vm.sh test --kernel "${KERNEL:-6.12}" --nodes 2 --tests bench --extra tests/bench \
	--bin build/static 2>&1 | tee build/bench-"${KERNEL:-6.12}".log
grep -E '^ *(BENCH|== |  [a-z])' build/bench-"${KERNEL:-6.12}".log | sed 's/^ *//' || true

#!/usr/bin/env bash
# make bench-auto: 'numa-migrate auto' against the kernel's own NUMA balancing
# in a 2-node guest (see README.md here). KERNEL=6.1|6.12 (default 6.12).
# Sizes and the scan size are set at the top of
# scenarios/autobench-steps (the guest sees no host environment).
set -euo pipefail
cd "$(dirname "$0")/../.."
# the rig's keep-alive stays on (two probes on page_fault_user that record
# nothing): both methods pay it alike, and auto's attaches then patch no kernel
# text (the emulator's stray int3, tests/vm/README.md); placement is measured
# here, not tracer cost (that is make bench-overhead)
# On the instruction clock (VM_ICOUNT) the vCPUs run in turn: 9 runs took
# 1,537 s there and 12 ran past 1,800 s, so that clock gets an hour
timeout=1800
[ -z "${VM_ICOUNT:-}" ] || timeout=3600
export VM_VERBOSE=1 VM_TIMEOUT=${VM_TIMEOUT:-$timeout}
# AUTOBENCH_MAX_STALL=MS: both auto methods run with --max-stall MS (the cost
# of a paced default to convergence); AUTOBENCH_REPS=N: runs per method
# (default 3); AUTOBENCH_UNPACED=1: auto --max-stall 0 as a fourth method,
# interleaved. The guest reads them from its command line.
case ${AUTOBENCH_MAX_STALL:-} in *[!0-9]*) echo "AUTOBENCH_MAX_STALL: milliseconds" >&2; exit 2 ;; esac
case ${AUTOBENCH_REPS:-3} in ''|0|*[!0-9]*) echo "AUTOBENCH_REPS: a count of runs, 1 or more" >&2; exit 2 ;; esac
# AUTOBENCH_METHODS=kernel,auto[,...]: a shorter list for a diagnostic run
# (kernel and auto are what the summary compares); AUTOBENCH_TRACE=1: a CALLS
# line per auto run, its move_pages calls traced (the tracing costs time:
# not for the figures)
case ${AUTOBENCH_METHODS:-kernel,auto} in
*[!a-z,-]*) echo "AUTOBENCH_METHODS: comma-separated methods" >&2; exit 2 ;;
esac
for m in $(echo "${AUTOBENCH_METHODS:-}" | tr , ' '); do
	case $m in
	kernel | auto | auto-nocpu | auto-unpaced) ;;
	*) echo "AUTOBENCH_METHODS: '$m' is not one of kernel, auto, auto-nocpu, auto-unpaced" >&2; exit 2 ;;
	esac
done
for m in kernel auto; do
	case ,${AUTOBENCH_METHODS:-kernel,auto}, in
	*,$m,*) ;;
	*) echo "AUTOBENCH_METHODS: needs kernel and auto, which the summary compares" >&2; exit 2 ;;
	esac
done
args="nmautobench_reps=${AUTOBENCH_REPS:-3}"
[ -z "${AUTOBENCH_METHODS:-}" ] || args="$args nmautobench_methods=$AUTOBENCH_METHODS"
[ "${AUTOBENCH_TRACE:-0}" != 1 ] || args="$args nmautobench_trace=1"
[ -z "${AUTOBENCH_MAX_STALL:-}" ] || args="$args nmautobench_stall=$AUTOBENCH_MAX_STALL"
[ "${AUTOBENCH_UNPACED:-0}" != 1 ] || args="$args nmautobench_unpaced=1"
export VM_GUEST_ARGS="$args"
tests/vm/vm.sh test --kernel "${KERNEL:-6.12}" --nodes 2 --tests autobench --extra tests/bench \
	--bin build/static 2>&1 | tee build/bench-auto-"${KERNEL:-6.12}".log
grep -E '^ *(RUN|TIMELINE|AUTOBENCH|== )' build/bench-auto-"${KERNEL:-6.12}".log | sed 's/^ *| *//' || true

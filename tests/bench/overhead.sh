#!/bin/sh
# Trace overhead: each workload with and without 'numa-migrate trace'
# attached, interleaved (untraced, traced, untraced, ...) in the same run,
# median of REPS each. Runs under bash on the host and busybox sh in a guest.
#   overhead.sh [NUMA_MIGRATE] [NMB_WORKLOAD]
# NUMA balancing is on for both (the same conditions), restored afterwards.
set -u
NM=${1:-numa-migrate}
WL=${2:-nmb-workload}
REPS=${OVERHEAD_REPS:-5}
T=$(mktemp -d /tmp/nm-ovh.XXXXXX)
BAL=/proc/sys/kernel/numa_balancing
old_bal=$(cat $BAL 2>/dev/null || echo 0)
trap 'echo "$old_bal" > $BAL 2>/dev/null; rm -rf "$T"' EXIT
echo 1 > $BAL 2>/dev/null || echo "overhead: cannot turn NUMA balancing on (no hinting faults)"

fail() { echo "OVERHEAD-ERROR: $*" >&2; exit 1; }

wait_for() { # FILE REGEX
	i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 300 ] && fail "timed out waiting for '$2' in $1: $(cat "$1")"
		sleep 0.1
	done
}

# run_one MODE MB ROUNDS traced|plain: prints the timed part's seconds
run_one() {
	"$WL" "$1" "$2" "$3" > "$T/wl" 2>&1 &
	wpid=$!
	wait_for "$T/wl" '^READY'
	if [ "$4" = traced ]; then
		"$NM" trace --pid $wpid --duration 3600 --no-progress > "$T/tr.out" 2> "$T/tr.err" &
		tpid=$!
		wait_for "$T/tr.err" 'tracing pid'
	fi
	kill -USR1 $wpid
	wait $wpid
	rc=$?
	[ $rc -eq 0 ] || fail "workload failed (exit $rc): $(cat "$T/wl")"
	if [ "$4" = traced ]; then
		kill -INT $tpid
		wait $tpid || fail "trace failed: $(cat "$T/tr.err")"
		grep -q 'samples' "$T/tr.out" || fail "trace printed no report: $(cat "$T/tr.out" "$T/tr.err")"
		sed -n 's/.* \([0-9]*\) hinting faults.*/\1/p' "$T/tr.out" >> "$T/faults"
	fi
	sed -n 's/^ELAPSED s=//p' "$T/wl"
}

median() { sort -g | awk -v m=$(((REPS + 1) / 2)) 'NR == m'; }

for w in "faults 64 20" "access 256 300"; do
	set -- $w
	: > "$T/plain"; : > "$T/traced"; : > "$T/faults"
	r=0
	while [ $r -lt $REPS ]; do
		run_one "$1" "$2" "$3" plain >> "$T/plain" || exit 1
		run_one "$1" "$2" "$3" traced >> "$T/traced" || exit 1
		r=$((r + 1))
	done
	p=$(median < "$T/plain"); t=$(median < "$T/traced"); hf=$(median < "$T/faults")
	echo "  $1 runs untraced (s): $(tr '\n' ' ' < "$T/plain")"
	echo "  $1 runs traced   (s): $(tr '\n' ' ' < "$T/traced")"
	awk -v w="$1" -v p="$p" -v t="$t" -v hf="${hf:-0}" -v mb="$2" -v n="$3" 'BEGIN {
		printf "OVERHEAD %s (%s MiB x %s): untraced %.3f s, traced %.3f s, slowdown %+.1f%% (goal <= 5%%), %s hinting faults seen per traced run\n",
			w, mb, n, p, t, (t / p - 1) * 100, hf }'
done
echo "OVERHEAD-DONE"

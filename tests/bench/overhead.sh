#!/bin/sh
# Overhead of numa-migrate's BPF programs on a workload (issue #14 point 6).
#   overhead.sh [NUMA_MIGRATE] [NMB_WORKLOAD]
# Runs under bash on the host and busybox sh in a guest (scenarios/overhead-steps
# is this file; ./overhead-guest.sh boots the 2-node guest, `make bench-overhead`).
#
# Modes, each against the same workload run with nothing attached ("plain"):
#   trace         numa-migrate trace --pid W (the traced process; goal <= 5%)
#   scan          scan --duration covering the run: its server-wide hinting-fault
#                 programs see every process's faults (goal <= 5%)
#   auto-other    auto --all --exclude W: its programs run on every process's
#                 faults, W is not managed (goal <= 1%, the figure for
#                 processes that are not managed); an idle 80 MiB bystander is
#                 eligible, so auto has a process to manage
#   auto-managed  auto --all --min-size 8M managing W (no goal: auto moves W's
#                 pages, which changes what it measures)
# Order: ABBA blocks, a palindrome plain, m1, m2, ..., mk, mk, ..., m1, plain,
# so a drift that is linear over a block cancels. A pair is one mode run and the
# plain run of the same half-block: PAIRS pairs per mode = 2 x blocks.
# The script computes everything printed (overhead-stats.awk); nothing is pooled by hand:
#   per mode: median, IQR and range of the run times;
#   per non-plain mode: the median of the per-pair ratios (mode / plain) and
#   their IQR (the spread of single pairs), and the ABBA block ratios
#   (sum of the block's two mode runs / its two plain runs);
#   "resolved" when the pair ratios' IQR excludes 1.0 (the spread is smaller
#   than the effect), "not resolved" otherwise; goal "met" when the upper
#   quartile is within the goal, "missed" when the lower quartile is above it,
#   "not resolved" when the IQR straddles it;
#   OVERHEAD-CI: the median pair ratio's 95% interval (signci.awk, the sign
#   test's) and the goal judged on it the same way;
#   OVERHEAD-AGENT: the agent's own CPU time while the workload ran, median
#   and range over the timed runs, in percent of one CPU (agentcpu.awk).
# Settings (environment on the host; overhead.conf next to this file in the guest):
#   OVERHEAD_PAIRS (even, default 16: the median's 95% interval is then the
#   4th to 13th of the sorted ratios, not their range), OVERHEAD_MODES
#   (default "trace scan auto-other"; auto-managed on request), OVERHEAD_WORKLOADS
#   ("NAME MB ROUNDS;..." default "faults 64 20;access 256 200").
# NUMA balancing is on for every run (the same conditions), restored afterwards.
set -u
NM=${1:-numa-migrate}
WL=${2:-nmb-workload}
here=$(dirname "$0")
# shellcheck disable=SC1091
[ -f "$here/overhead.conf" ] && . "$here/overhead.conf"
PAIRS=${OVERHEAD_PAIRS:-16}
MODES=${OVERHEAD_MODES:-trace scan auto-other}
WORKLOADS=${OVERHEAD_WORKLOADS:-faults 64 20;access 256 200}
T=$(mktemp -d /tmp/nm-ovh.XXXXXX)
BAL=/proc/sys/kernel/numa_balancing
old_bal=$(cat $BAL 2>/dev/null || echo 0)
bypid=
STATS=/proc/sys/kernel/bpf_stats_enabled
old_stats=$(cat $STATS 2>/dev/null || echo 0)
cleanup() {
	[ -n "$bypid" ] && kill "$bypid" 2>/dev/null
	echo "$old_bal" > $BAL 2>/dev/null
	echo "$old_stats" > $STATS 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
echo 0 > $STATS 2>/dev/null	# never on while runs are timed (the cost runs turn it on)
echo 1 > $BAL 2>/dev/null || echo "overhead: cannot turn NUMA balancing on (no hinting faults)"

fail() { echo "OVERHEAD-ERROR: $*" >&2; exit 1; }

case $PAIRS in *[!0-9]* | '') fail "OVERHEAD_PAIRS=$PAIRS: expected an even number" ;; esac
if [ $((PAIRS % 2)) -ne 0 ] || [ "$PAIRS" -lt 2 ]; then
	fail "OVERHEAD_PAIRS=$PAIRS: expected an even number >= 2 (ABBA blocks of two pairs)"
fi
BLOCKS=$((PAIRS / 2))
# each workload is "NAME MB ROUNDS", ';' between them: checked before anything
# starts (a bad one otherwise shows only as a workload that never got ready)
while read -r w mb rounds extra; do
	[ -n "$w" ] || continue
	case $w in faults | access) ;; *) fail "OVERHEAD_WORKLOADS: unknown workload '$w' (faults or access)" ;; esac
	case "$mb,$rounds,${extra:+x}" in
	*[!0-9,]* | ,* | *,,) fail "OVERHEAD_WORKLOADS: '$w $mb $rounds${extra:+ $extra}': expected NAME MB ROUNDS, e.g. 'access 256 200'" ;;
	esac
done <<EOF
$(echo "$WORKLOADS" | tr ';' '\n')
EOF
nodes=0
for d in /sys/devices/system/node/node[0-9]*; do [ -d "$d" ] && nodes=$((nodes + 1)); done
if [ "$nodes" -lt 2 ]; then
	echo "overhead: $nodes NUMA node(s): no hinting faults, scan and auto attach no fault programs; only trace is measured here"
	MODES=trace
fi
rev=
for m in $MODES; do
	case $m in trace | scan | auto-other | auto-managed) ;; *) fail "unknown mode '$m' in OVERHEAD_MODES" ;; esac
	rev="$m${rev:+ $rev}"
done

wait_for() { # FILE REGEX
	i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 600 ] && fail "timed out waiting for '$2' in $1: $(cat "$1")"
		sleep 0.1
	done
}

has_bpf_link() {
	for f in "/proc/$1"/fd/*; do
		case $(readlink "$f" 2>/dev/null) in *bpf?link*) return 0 ;; esac
	done
	return 1
}

# until PID holds a BPF link (scan prints nothing when its programs are attached)
wait_bpf() {
	i=0
	until has_bpf_link "$1"; do
		i=$((i + 1)); [ $i -gt 600 ] && fail "pid $1 attached no BPF program in 60 s: $(cat "$T/ag.err")"
		kill -0 "$1" 2>/dev/null || fail "the agent exited before attaching: $(cat "$T/ag.out" "$T/ag.err")"
		sleep 0.1
	done
}

# the agent of MODE for workload pid $1, in the background as $apid
start_agent() {
	: > "$T/ag.out"; : > "$T/ag.err"	# not the last run's lines (see run_one)
	case $mode in
	trace)
		"$NM" trace --pid "$1" --duration 3600 --no-progress > "$T/ag.out" 2> "$T/ag.err" &
		apid=$!; wait_for "$T/ag.err" 'tracing pid' ;;
	scan)
		"$NM" scan --duration 3600 > "$T/ag.out" 2> "$T/ag.err" &
		apid=$!; wait_bpf $apid
		sleep 1 ;;	# past the process list, into the window
	auto-other)
		"$NM" auto --all --interval 1 --exclude "$1" > "$T/ag.out" 2> "$T/ag.err" &
		apid=$!; wait_for "$T/ag.err" 'auto --all: every process' ;;
	auto-managed)
		"$NM" auto --all --interval 1 --min-size 8M > "$T/ag.out" 2> "$T/ag.err" &
		apid=$!; wait_for "$T/ag.err" 'auto --all: every process' ;;
	esac
}

# stop the agent and check that it did what the mode says
stop_agent() {
	kill -INT "$apid"
	wait "$apid"
	rc=$?
	out="$T/ag.out"
	case $mode in
	trace)
		[ $rc -eq 0 ] || fail "trace failed (exit $rc): $(cat "$T/ag.err")"
		grep -q 'samples' "$out" || fail "trace printed no report: $(cat "$out" "$T/ag.err")"
		sed -n 's/.* \([0-9]*\) hinting faults.*/\1/p' "$out" >> "$T/hf.$w" ;;
	scan)
		[ $rc -eq 0 ] || fail "scan failed (exit $rc): $(cat "$T/ag.err")"
		grep -q '^numa-migrate scan:' "$out" || fail "scan printed no report: $(cat "$out" "$T/ag.err")"
		! grep -q 'locality not measured' "$out" || fail "scan had no locality programs: $(cat "$out")" ;;
	auto-other)
		[ $rc -eq 0 ] || fail "auto --all failed (exit $rc): $(cat "$out" "$T/ag.err")"
		grep -q "^ *$bypid " "$out" || fail "auto --all did not manage the bystander $bypid: $(cat "$out")"
		! grep -q "^ *$1 " "$out" || fail "auto --all managed the excluded workload $1: $(cat "$out")" ;;
	auto-managed)
		[ $rc -eq 0 ] || [ $rc -eq 3 ] || fail "auto --all failed (exit $rc): $(cat "$out" "$T/ag.err")"
		if grep -q "^ *$1 " "$out"; then
			echo 1 >> "$T/managed.$w"
		else
			echo 0 >> "$T/managed.$w"
		fi
		sed -n 's/^ *Total: *\([0-9]*\) pages moved.*/\1/p' "$out" >> "$T/moved.$w" ;;
	esac
}

# prog_fdinfo PID: the fdinfo of PID's BPF programs, read once into
# $T/fdinfo, so the sum and the per-program figures are one snapshot (the
# kernel counts run_cnt and run_time_ns while kernel.bpf_stats_enabled is on)
prog_fdinfo() {
	for f in "/proc/$1"/fd/*; do
		[ "$(readlink "$f" 2>/dev/null)" = anon_inode:bpf-prog ] &&
			cat "/proc/$1/fdinfo/${f##*/}"
	done > "$T/fdinfo" 2>/dev/null
}

# prog_cost: "RUNS NS PROGS" over $T/fdinfo, each program id once
prog_cost() {
	awk '$1 == "prog_id:" { id = $2; if (!(id in seen)) { seen[id] = 1; k++ } }
		$1 == "run_time_ns:" { ns[id] = $2 } $1 == "run_cnt:" { n[id] = $2 }
		END { for (i in seen) { c += n[i]; t += ns[i] } printf "%.0f %.0f %d\n", c, t, k }' "$T/fdinfo"
}

# prog_detail: "ID:TYPE:RUNS:NS" for each program of $T/fdinfo, for the
# transcript (which hook the time goes to; bpftool prog show ID names it)
prog_detail() {
	awk '$1 == "prog_type:" { ty = $2 } $1 == "prog_id:" { id = $2 }
		$1 == "run_time_ns:" { ns = $2 } $1 == "run_cnt:" && !(id in seen) { seen[id] = 1; printf "%s:%s:%s:%s ", id, ty, $2, ns }' "$T/fdinfo"
}

# agent_ticks PID: PID's user and system CPU time so far, in clock ticks (its
# threads' too; fields 14 and 15 of stat, counted after the command's ")")
HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)
case $HZ in '' | *[!0-9]*) HZ=100 ;; esac
agent_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }

# run_one MODE BLOCK HALF: one timed workload run, appends "BLOCK HALF MODE SECONDS";
# with COST=1 (the cost runs) it appends "MODE SECONDS RUNS NS PROGS" to cost.$w instead
COST=0
run_one() {
	mode=$1
	# the files are emptied here, not by the redirection in the child: a check
	# of the file could otherwise still see the last run's READY
	: > "$T/wl"
	# shellcheck disable=SC2086 # wargs is three words
	NMB_HOLD=$COST "$WL" $wargs < /dev/null > "$T/wl" 2>&1 &
	wpid=$!
	wait_for "$T/wl" '^READY'
	[ "$mode" = plain ] || start_agent $wpid
	[ "$mode" = plain ] || at0=$(agent_ticks $apid)
	kill -USR1 $wpid
	if [ $COST = 1 ]; then
		# the workload holds after its timed part: trace ends with its
		# target, so its programs are read while the workload still lives
		wait_for "$T/wl" '^ELAPSED'
		prog_fdinfo $apid
		c=$(prog_cost)
		d=$(prog_detail)
		kill -USR1 $wpid
	fi
	wait $wpid
	rc=$?
	[ $rc -eq 0 ] || fail "workload failed in mode $mode (exit $rc): $(cat "$T/wl")"
	s=$(sed -n 's/^ELAPSED s=//p' "$T/wl")
	[ -n "$s" ] || fail "workload printed no time: $(cat "$T/wl")"
	if [ $COST = 1 ]; then
		stop_agent $wpid
		echo "$mode $s $c" >> "$T/cost.$w"
		echo "  cost run $w $mode $s $c (programs id:type:runs:ns: $d)"
		return
	fi
	if [ "$mode" != plain ]; then
		# the agent's CPU time over the run (agentcpu.awk)
		echo "$mode $at0 $(agent_ticks $apid) $s" >> "$T/agcpu.$w"
		stop_agent $wpid
	fi
	echo "$2 $3 $mode $s" >> "$T/runs.$w"
	# each run as it ends: a guest that dies part-way still leaves its blocks
	echo "  run $w $2 $3 $mode $s"
}

# median FILE: the middle value (the lower one of an even count), empty when none
median() { sort -g "$1" | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }'; }

# an idle eligible process for auto --all (80 MiB touched, then waiting)
case " $MODES " in *" auto-"*)
	"$WL" access 80 1 < /dev/null > "$T/by" 2>&1 &
	bypid=$!
	wait_for "$T/by" '^READY' ;;
esac

echo "overhead: $PAIRS pairs per mode ($BLOCKS ABBA blocks: plain $MODES | $rev plain), kernel $(uname -r)"
echo "$WORKLOADS" | tr ';' '\n' > "$T/workloads"
while read -r w mb rounds; do
	[ -n "$w" ] || continue
	wargs="$w $mb $rounds"
	: > "$T/runs.$w"; : > "$T/hf.$w"; : > "$T/managed.$w"; : > "$T/moved.$w"; : > "$T/agcpu.$w"
	# one discarded run first: the first run of a fresh guest pays for page cache
	# and allocator warm-up, which would otherwise be charged to plain
	run_one plain 0 0
	echo "  $w warm-up run, discarded (s): $(cut -d" " -f4 "$T/runs.$w")"
	: > "$T/runs.$w"
	b=1
	while [ $b -le $BLOCKS ]; do
		run_one plain $b 1
		for m in $MODES; do run_one "$m" $b 1; done
		for m in $rev; do run_one "$m" $b 2; done
		run_one plain $b 2
		b=$((b + 1))
	done
	for m in plain $MODES; do
		echo "  $w $m (s): $(awk -v m="$m" '$3 == m { printf "%s ", $4 }' "$T/runs.$w")"
	done
	awk -v w="$w" -v mb="$mb" -v rounds="$rounds" -v modes="$MODES" \
	    -v hf="$(median "$T/hf.$w")" \
	    -v managed="$(awk '{ n++; s += $1 } END { printf "%d of %d", s, n }' "$T/managed.$w")" \
	    -v moved="$(median "$T/moved.$w")" \
	    -f "$here/signci.awk" -f "$here/overhead-stats.awk" "$T/runs.$w"
	awk -v w="$w" -v modes="$MODES" -v hz="$HZ" -f "$here/agentcpu.awk" "$T/agcpu.$w"
	# then the programs' own time, one run per mode, bpf_stats on
	if echo 1 > $STATS 2>/dev/null; then
		: > "$T/cost.$w"
		COST=1
		for m in $MODES; do run_one "$m" 0 0; done
		COST=0
		echo 0 > $STATS
		awk -v w="$w" -f "$here/overhead-cost.awk" "$T/cost.$w"
	else
		echo "OVERHEAD-COST $w: kernel.bpf_stats_enabled cannot be turned on here: no figures of the programs' own time"
	fi
done < "$T/workloads"
echo "OVERHEAD-DONE"

#!/bin/sh
# Runs inside a 2-node guest (tests/bench/run.sh boots it). Migrates a fresh
# helper region from node 0 to node 1 with each method, side by side in one
# run, and prints throughput as GB/s and ratios. Under TCG absolute speeds
# mean little; the ratios are what to read.
#
# Fairness (see shared kernel notes): numa_balancing off, every method gets a
# fresh region first-touched on node 0 by a helper that never forked, the
# same THP setting, and bytes are those verified on node 1 afterwards
# (numa-migrate check), divided by the method's wall-clock time. numa-migrate
# runs as users run it (the BPF migration counter loaded and attached, issue
# 14 point 3); numa-migrate-nobpf and numa-migrate-1job-nobpf show what that
# costs the default jobs and one job.
set -u
SIZE_MB=${BENCH_SIZE_MB:-256}
REPS=${BENCH_REPS:-5}
MODES="4k thp"
CALLERS=1
# run.sh's BENCH_REPS, BENCH_MODES (4k,thp) and BENCH_CALLERS=0 (no THP
# caller study) come on the guest's command line
HERE=/nmtest/scenarios	# guestlib and signci.awk beside this script (run.sh: --extra tests/bench)
. $HERE/guestlib
v=$(guest_arg nmbench_reps); [ -z "$v" ] || REPS=$v
v=$(guest_arg nmbench_modes); [ -z "$v" ] || MODES=$(echo "$v" | tr ',' ' ')
v=$(guest_arg nmbench_callers); [ -z "$v" ] || CALLERS=$v
NM=numa-migrate
METHODS="numa-migrate numa-migrate-1job numa-migrate-1job-2cpu numa-migrate-1job-nobpf numa-migrate-nobpf migratepages single-move"
OUT=/tmp/bench
mkdir -p $OUT

echo 0 > /proc/sys/kernel/numa_balancing 2>/dev/null
warm_guest_memory || exit 1

fail() { echo "BENCH-ERROR: $*" >&2; exit 1; }

start_helper() { # $1 = --thp|--no-thp
	rm -f $OUT/helper.out	# the wait must not read the last run's HELPER line
	$NM helper --size ${SIZE_MB}M --node 0 $1 > $OUT/helper.out 2>&1 &
	i=0
	while ! grep -q '^HELPER ' $OUT/helper.out 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 600 ] && fail "helper did not start: $(cat $OUT/helper.out)"
		sleep 0.1
	done
	HPID=$(sed -n 's/^HELPER pid=\([0-9]*\).*/\1/p' $OUT/helper.out)
	HSTART=$(sed -n 's/^HELPER .* start=\(0x[0-9a-f]*\).*/\1/p' $OUT/helper.out)
	HLEN=$(sed -n 's/^HELPER .* len=\([0-9]*\).*/\1/p' $OUT/helper.out)
}

stop_helper() {
	kill -TERM $HPID
	wait $HPID 2>/dev/null
	grep -q '^VERIFY ok' $OUT/helper.out || fail "pattern check failed after migration: $(grep VERIFY $OUT/helper.out)"
}

# pages of the helper region now on node 1
on_node1() {
	$NM check --pid $HPID --range "$HSTART+$HLEN" --json --no-progress > $OUT/check.json 2>&1 ||
		fail "check failed: $(cat $OUT/check.json)"
	tr -d ' \n' < $OUT/check.json | sed -n 's/.*"nodes":{.*"1":{"pages":\([0-9]*\).*/\1/p'
}

elapsed() { sed -n 's/^elapsed_s=\([0-9.]*\).*/\1/p' $OUT/time.err; }

# The single-threaded methods (one job, migratepages, one call) run on node
# 0's first CPU, the helper's, while a spinner keeps node 1's first CPU busy.
# Under TCG a function-call IPI (the TLB shootdown of every THP a migration
# unmaps) to an idle vCPU takes milliseconds: the same single caller moved
# 256 MiB of THP in 1.3-1.4 s with the other vCPU busy and in 1.4-8.1 s with
# it idle (results/2026-12-04-thp-single-caller-6.12.txt). Two jobs keep
# both vCPUs busy themselves. The spinner takes nothing from a single caller.
CPU0=$(sed 's/[-,].*//' /sys/devices/system/node/node0/cpulist)
CPU1=$(sed 's/[-,].*//' /sys/devices/system/node/node1/cpulist)
# VM_CPUS=1 (run.sh): node 1 has no CPU. Every method then runs on the one
# vCPU, with no spinner, and nothing waits on another vCPU; the methods and
# studies that need node 1's CPU are left out, and say so.
if [ -z "$CPU1" ]; then
	METHODS=$(echo " $METHODS " | sed 's/ numa-migrate-1job-2cpu / /; s/^ //; s/ $//')
	echo "one vCPU (node 1 is memory only): numa-migrate-1job-2cpu and the THP caller study need node 1's CPU and are left out"
	CALLERS=0
fi
has_method() { case " $METHODS " in *" $1 "*) return 0 ;; esac; return 1; }
single() {
	if [ -z "$CPU1" ]; then
		nmb-time nmb-pinrun $CPU0 "$@"
		return
	fi
	nmb-pinrun $CPU1 --spin &
	spin=$!
	nmb-time nmb-pinrun $CPU0 "$@"
	rc=$?
	kill $spin
	wait $spin 2>/dev/null
	return $rc
}

# One job as on a server with a CPU to spare: it starts on node 0's CPU, as
# the single callers run, and may also use node 1's, where a SCHED_IDLE
# spinner keeps the vCPU awake but yields at once. There one job's second
# thread queries the next batch while the call runs (docs/move.md); pinned
# to one CPU (numa-migrate-1job) it queries before each call, as before.
twocpu() {
	nmb-pinrun $CPU1 --idle-spin &
	spin=$!
	nmb-time nmb-pinrun $CPU0,$CPU1 "$@"
	rc=$?
	kill $spin
	wait $spin 2>/dev/null
	return $rc
}

# run_method NAME THPFLAG: one measurement, prints "NAME gbps"
run_method() {
	name=$1 thp=$2
	start_helper $thp
	case $name in
	numa-migrate)	# as users run it: the BPF migration counter attached
		nmb-time $NM move --pid $HPID --range "$HSTART+$HLEN" --to-node 1 --no-progress \
			> $OUT/method.out 2> $OUT/time.err ;;
	numa-migrate-1job)
		single $NM move --pid $HPID --range "$HSTART+$HLEN" --to-node 1 --no-progress --jobs 1 \
			> $OUT/method.out 2> $OUT/time.err ;;
	numa-migrate-1job-2cpu)
		twocpu $NM move --pid $HPID --range "$HSTART+$HLEN" --to-node 1 --no-progress --jobs 1 \
			> $OUT/method.out 2> $OUT/time.err ;;
	numa-migrate-1job-nobpf)	# one job without the counter: the engine alone against one call
		single $NM move --pid $HPID --range "$HSTART+$HLEN" --to-node 1 --no-progress --jobs 1 \
			--no-bpf > $OUT/method.out 2> $OUT/time.err ;;
	numa-migrate-nobpf)	# what loading and attaching the counter costs
		nmb-time $NM move --pid $HPID --range "$HSTART+$HLEN" --to-node 1 --no-progress --no-bpf \
			> $OUT/method.out 2> $OUT/time.err ;;
	migratepages)
		single migratepages $HPID 0 1 > $OUT/method.out 2> $OUT/time.err ;;
	single-move)
		single nmb-single-move $HPID $HSTART $HLEN 1 > $OUT/method.out 2> $OUT/time.err ;;
	esac
	t=$(elapsed)
	[ -n "$t" ] || fail "$name: no timing: $(cat $OUT/time.err $OUT/method.out)"
	p=$(on_node1)
	[ -n "$p" ] || p=0
	stop_helper
	# numa-migrate's own split of its time (its report): the move's
	# seconds and the time inside move_pages (summed over the jobs); the
	# rest of the wall time is start-up (BPF load, reading the process)
	own=$(sed -n 's/^Time: \([0-9.]*\) s$/\1/p' $OUT/method.out)
	calls=$(sed -n 's/^  in [0-9]* move_pages calls: \([0-9.]*\) s .*/\1/p' $OUT/method.out)
	jobs=$(sed -n 's/^  in [0-9]* move_pages calls: .*(summed over \([0-9]*\) jobs*)$/\1/p' $OUT/method.out)
	case $name in numa-migrate*)
		[ -n "$own" ] && [ -n "$calls" ] && [ -n "$jobs" ] ||
			fail "$name: no time split in its report: $(cat $OUT/method.out)" ;;
	*) own=0 calls=0 jobs=0 ;;
	esac
	# columns: name GB/s wall pages total own calls jobs busy, where busy
	# is the time inside move_pages over the move's (jobs when every job
	# calls move_pages from start to end)
	awk -v n="$name" -v p="$p" -v t="$t" -v total=$((HLEN / 4096)) -v own="$own" -v calls="$calls" -v jobs="$jobs" \
		'BEGIN { printf "%s %.4f %.3f %d %d %.3f %.3f %d %.3f\n", n, p * 4096 / t / 1e9, t, p, total, own, calls, jobs,
			(own > 0 ? calls / own : 0) }'
}

# Methods run round-robin within each repetition (nm, nm1, mp, sm, nm, ...)
# so drift of the emulated machine over time hits every method alike; the
# median of REPS runs is reported. Prints "NAME gbps secs pages total".
measure_all() {
	thp=$1
	rm -f $OUT/runs.*
	r=0
	while [ $r -lt $REPS ]; do
		for m in $METHODS; do
			run_method $m $thp >> $OUT/runs.$m || exit 1
		done
		r=$((r + 1))
	done
	for m in $METHODS; do
		[ "$(wc -l < $OUT/runs.$m)" -eq $REPS ] || fail "$m: $REPS runs asked for, $(wc -l < $OUT/runs.$m) measured"
		sort -k2 -g $OUT/runs.$m | awk -v m=$(((REPS + 1) / 2)) 'NR == m' > $OUT/median.$m
		echo "  runs of $m (GB/s): $(awk '{printf "%s ", $2}' $OUT/runs.$m)"
	done
}

for mode in $MODES; do
	if [ $mode = thp ]; then flag=--thp; else flag=--no-thp; fi
	if [ $mode = thp ] && ! grep -q '\[always\]\|\[madvise\]' /sys/kernel/mm/transparent_hugepage/enabled; then
		fail "THP disabled in this kernel: $(cat /sys/kernel/mm/transparent_hugepage/enabled)"
	fi
	echo "== ${SIZE_MB} MiB, $mode pages, node 0 -> node 1, median of $REPS, methods interleaved =="
	measure_all $flag || exit 1
	nmb-memcpy $SIZE_MB 0 1 > $OUT/mc || fail "memcpy baseline failed"
	mc=$(sed -n 's/.*gbps=\([0-9.]*\).*/\1/p' $OUT/mc)
	for m in $METHODS; do
		awk '{ printf "  %-18s %8.4f GB/s  %7.3f s  %d/%d pages on node 1\n", $1, $2, $3, $4, $5 }' $OUT/median.$m
	done
	printf '  %-18s %8.4f GB/s\n' memcpy "$mc"
	nm=$(awk '{print $2}' $OUT/median.numa-migrate); nm1=$(awk '{print $2}' $OUT/median.numa-migrate-1job)
	mp=$(awk '{print $2}' $OUT/median.migratepages); sm=$(awk '{print $2}' $OUT/median.single-move)
	awk -v nm=$nm -v nm1=$nm1 -v mp=$mp -v sm=$sm -v mc=$mc -v mode=$mode 'BEGIN {
		printf "BENCH %s numa-migrate/migratepages=%.2fx numa-migrate/single-move=%.2fx numa-migrate(1 job)/migratepages=%.2fx numa-migrate(1 job)/single-move=%.2fx numa-migrate/memcpy=%.2f\n",
			mode, nm / mp, nm / sm, nm1 / mp, nm1 / sm, nm / mc }'
	nb1=$(awk '{print $2}' $OUT/median.numa-migrate-1job-nobpf)
	awk -v nm1=$nm1 -v nb1=$nb1 -v sm=$sm -v mode=$mode 'BEGIN {
		printf "BENCH %s numa-migrate(1 job)/numa-migrate(1 job, --no-bpf)=%.2f (the counter'"'"'s cost to one job) numa-migrate(1 job, --no-bpf)/single-move=%.2fx (the engine alone)\n",
			mode, nm1 / nb1, nb1 / sm }'
	nb=$(awk '{print $2}' $OUT/median.numa-migrate-nobpf)
	awk -v nm=$nm -v nb=$nb -v mp=$mp -v sm=$sm -v mode=$mode 'BEGIN {
		printf "BENCH %s numa-migrate/numa-migrate(--no-bpf)=%.2f (the cost of loading and attaching the counter) numa-migrate(--no-bpf)/migratepages=%.2fx numa-migrate(--no-bpf)/single-move=%.2fx\n",
			mode, nm / nb, nb / mp, nb / sm }'
	# where one job's time goes against one call's: medians of the wall
	# time, the move's own seconds and the time inside move_pages
	for m in numa-migrate-1job numa-migrate-1job-2cpu numa-migrate-1job-nobpf; do
		has_method $m || continue
		echo "$(col_median $OUT/runs.$m 3 $REPS) $(col_median $OUT/runs.$m 6 $REPS) $(col_median $OUT/runs.$m 7 $REPS) $(col_median $OUT/runs.single-move 3 $REPS)" | awk -v m=$m -v mode=$mode '{
			printf "BENCH-SPLIT %s %s: wall %.3f s = start-up and exit %.3f s + the move %.3f s (inside move_pages %.3f s, the engine around the calls %.3f s); single-move wall %.3f s\n",
				mode, m, $1, $1 - $2, $2, $3, $2 - $3, $4 }' || fail "the split line for $m"
	done
	# how busy the default jobs kept themselves: the time inside move_pages
	# over the move's, the median and the lowest of the runs
	for m in numa-migrate numa-migrate-nobpf; do
		has_method $m || continue
		lo=$(sort -g -k9 $OUT/runs.$m | awk 'NR == 1 { print $9 }')
		echo "$(col_median $OUT/runs.$m 8 $REPS) $(col_median $OUT/runs.$m 9 $REPS) $lo" | awk -v m=$m -v mode=$mode '{
			printf "BENCH-JOBS %s %s: %d jobs, time inside move_pages / the move'"'"'s time: median %.2f, lowest %.2f (%d when every job calls move_pages to the end)\n",
				mode, m, $1, $2, $3, $1 }' || fail "the jobs line for $m"
	done
	# one job against each peer, repetition by repetition (a repetition runs
	# every method once, in turn): the paired ratio's median and the sign
	# test's interval for it, so "no slower" is read from the pairs
	for p in single-move migratepages; do
		awk 'NR == FNR { a[FNR] = $2; next } { print a[FNR] / $2 }' \
			$OUT/runs.numa-migrate-1job $OUT/runs.$p |
			awk -v what="BENCH-PAIRED $mode numa-migrate(1 job)/$p" -f $HERE/signci.awk
		has_method numa-migrate-1job-2cpu || continue
		awk 'NR == FNR { a[FNR] = $2; next } { print a[FNR] / $2 }' \
			$OUT/runs.numa-migrate-1job-2cpu $OUT/runs.$p |
			awk -v what="BENCH-PAIRED $mode numa-migrate(1 job, 2 CPUs)/$p" -f $HERE/signci.awk
	done
done

# Why single callers' THP moves spread so much here (issue 14 point 3 asks):
# one move_pages call over a fresh THP region, on node 0's CPU with node 1's
# CPU idle or kept busy, and on node 1's CPU with node 0's idle, 3 rounds
# interleaved; CAL = function-call IPIs the guest handled during the move.
ipis() { irq_counts CAL | awk '{ s = 0; for (i = 1; i <= NF; i++) s += $i; print s }'; }
[ "$CALLERS" = 1 ] && echo "== THP, one move_pages call: the other vCPU idle or busy, 3 rounds =="
r=0
[ "$CALLERS" = 1 ] || r=3
while [ $r -lt 3 ]; do
	for v in cpu0-other-idle cpu0-other-busy cpu1-other-idle; do
		start_helper --thp
		a=$(ipis)
		case $v in
		cpu0-other-idle) nmb-time nmb-pinrun $CPU0 nmb-single-move $HPID $HSTART $HLEN 1 ;;
		cpu0-other-busy) single nmb-single-move $HPID $HSTART $HLEN 1 ;;
		cpu1-other-idle) nmb-time nmb-pinrun $CPU1 nmb-single-move $HPID $HSTART $HLEN 1 ;;
		esac > $OUT/method.out 2> $OUT/time.err
		b=$(ipis)
		t=$(elapsed)
		[ -n "$t" ] || fail "$v: no timing: $(cat $OUT/time.err $OUT/method.out)"
		stop_helper
		echo "  THPCALLER $v round=$((r + 1)) seconds=$t function_call_ipis=$((b - a))"
	done
	r=$((r + 1))
done
echo "BENCH-DONE"

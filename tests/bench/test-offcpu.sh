#!/usr/bin/env bash
# Checks tests/bench/offcpu.awk (the disruption benchmark's split of a stall
# into time blocked and time waiting for a CPU) on a scheduler trace whose
# intervals are known, with this machine's awk and busybox's (the guest's).
# Toucher 100, mapper 200 (times in ms from 10 s):
#   toucher: preempted 0-3 (wait 3), blocked (D) 10-12.5 then runnable to 13
#            (wait 0.5), blocked 20-20.4 then runnable to 20.5 (wait 0.1)
#   mapper:  blocked 30-45 with no wake-up seen (all 15 ms blocked), then
#            asleep from 50 to the end of the trace (open: left out)
# plus a switch-in with no switch-out before it (left out), another
# process's events, a comm with a space, and 3 lost events. The mover
# (-v mover=numa-migrate), threads 400 and 401: 400 preempted 10.0110-10.0115
# and 10.0124-10.0140 (0.5 + 0.1 ms inside the toucher's longest block,
# 10.0100-10.0125), asleep 10.0116-10.0120 (not preempted: not counted); 401
# preempted 10.0050-10.0060 (before the block: not counted).
# Prints PASS/FAIL per awk and exits non-zero on any failure. Run by the host
# tests (tests/host/run.sh).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/nm-offcpu.XXXXXX)
trap 'rm -rf "$T"' EXIT
sw() { # TS PREV_PID PREV_STATE NEXT_PID
	printf '     nmb-disrupt-%s   [000] d..2.   %s: sched_switch: prev_comm=x prev_pid=%s prev_prio=120 prev_state=%s ==> next_comm=y next_pid=%s next_prio=120\n' \
		"$2" "$1" "$2" "$3" "$4"
}
mv() { # TS PREV_PID PREV_STATE NEXT_PID: a switch of the mover's threads
	printf '    numa-migrate-%s   [001] d..2.   %s: sched_switch: prev_comm=%s prev_pid=%s prev_prio=120 prev_state=%s ==> next_comm=%s next_pid=%s next_prio=120\n' \
		"$2" "$1" "$([ "$2" -ge 400 ] && echo numa-migrate || echo swapper/1)" "$2" "$3" \
		"$([ "$4" -ge 400 ] && echo numa-migrate || echo swapper/1)" "$4"
}
wk() { # TS PID
	printf '          <idle>-0       [001] d.h2.   %s: sched_waking: comm=nmb-disrupt pid=%s prio=120 target_cpu=000\n' "$1" "$2"
}
{
	echo '# tracer: nop'
	echo '#'
	sw 9.990000 0 R 100
	sw 10.000000 100 R+ 5
	sw 10.003000 5 S 100
	sw 10.005000 300 D 7
	printf '     Web Content-301 [001] d..2.   10.006000: sched_switch: prev_comm=Web Content prev_pid=301 prev_prio=120 prev_state=D ==> next_comm=z next_pid=0 next_prio=120\n'
	mv 10.004000 0 I 401
	mv 10.005000 401 R+ 0
	mv 10.006000 0 I 401
	sw 10.010000 100 D 0
	mv 10.010500 0 I 400
	mv 10.011000 400 R 0
	mv 10.011500 0 I 400
	mv 10.011600 400 S 0
	mv 10.012000 0 I 400
	mv 10.012400 400 R 0
	wk 10.012500 100
	mv 10.014000 0 I 400
	sw 10.013000 0 I 100
	sw 10.020000 100 D 0
	wk 10.020400 100
	wk 10.020450 300
	sw 10.020500 0 I 100
	echo 'CPU:1 [LOST 3 EVENTS]'
	sw 10.030000 200 D 0
	sw 10.045000 0 I 200
	sw 10.050000 200 S 0
} > "$T/trace"
want='OFFCPU toucher_blocked_worst_us=2500 toucher_blocked_over1ms=1 toucher_blocked_total_us=2900 toucher_wait_worst_us=3000 mapper_blocked_worst_us=15000 mapper_blocked_over1ms=1 mapper_blocked_total_us=15000 mapper_wait_worst_us=0 mover_preempted_in_worst_block_us=600 mover_threads=2 events=25 lost=3'
bad=0
for a in awk "busybox awk"; do
	if ! $a 'BEGIN { }' </dev/null 2>/dev/null; then
		echo "FAIL $a: not installed (tests/deps.sh installs busybox-static)"; bad=1; continue
	fi
	out=$($a -v toucher=100 -v mapper=200 -v mover=numa-migrate -f "$HERE/offcpu.awk" "$T/trace" 2>&1)
	if [ "$out" = "$want" ]; then
		echo "PASS $a"
	else
		printf 'FAIL %s\n  want: %s\n  got:  %s\n' "$a" "$want" "$out"; bad=1
	fi
done
exit $bad

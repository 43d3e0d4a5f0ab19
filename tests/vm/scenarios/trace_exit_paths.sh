# trace_exit_paths: --enable-balancing puts kernel.numa_balancing back to 0
# on the exit paths trace_signals does not cover: SIGHUP and SIGQUIT (each
# ends the session promptly, with a report), a reader that goes away
# (`| head -1`, SIGPIPE), an error after balancing went on (--svg to a full
# device), and a target that exits during the session.
# timeout: 300

t_trace_exit_paths() {
	local sig tpid rc
	helper_start --size 32M --node 0 --access-node 1 --threads 1
	for sig in HUP QUIT; do
		trace_signalled $sig
	done
	# the reader goes away: text and JSON
	for fmt in --json --csv; do
		echo 0 >/proc/sys/kernel/numa_balancing
		"$NM" trace --pid "$H_PID" --duration 3 --enable-balancing $fmt 2>pipe.err | head -1 >pipe.out
		assert_eq 0 "$(cat /proc/sys/kernel/numa_balancing)" "numa_balancing restored after trace $fmt | head -1"
		assert_eq 1 "$(wc -l <pipe.out)" "head's one line"
	done
	# an error once balancing is on
	echo 0 >/proc/sys/kernel/numa_balancing
	assert_exit 3 "$NM" trace --pid "$H_PID" --duration 2 --enable-balancing --svg /dev/full
	assert_eq 0 "$(cat /proc/sys/kernel/numa_balancing)" "numa_balancing restored after an error exit"
	# the target exits during the session
	echo 0 >/proc/sys/kernel/numa_balancing
	"$NM" trace --pid "$H_PID" --duration 120 --enable-balancing >exit.out 2>exit.err &
	tpid=$!
	nmt_track_pid "$tpid"
	wait_until 30 grep -q 'tracing pid' exit.err || fail "trace did not start: $(cat exit.err)"
	kill -9 "$H_PID"
	wait_until 30 proc_gone "$tpid" || fail "trace still runs 30 s after its target exited"
	wait "$tpid"
	rc=$?
	assert_eq 0 "$rc" "trace's exit status when its target exited"
	assert_match "pid $H_PID exited" "$(cat exit.err)" "the target's exit reported"
	assert_eq 0 "$(cat /proc/sys/kernel/numa_balancing)" "numa_balancing restored after the target exited"
	wait "$H_BGPID" 2>/dev/null || :	# killed: 137 is expected
}

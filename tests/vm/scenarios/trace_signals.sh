# trace_signals: --enable-balancing turns kernel.numa_balancing on for the
# session; SIGTERM and SIGINT end the session early with a report and put
# the previous value (0) back.
# timeout: 180

t_trace_signals() {
	local sig tpid rc
	helper_start --size 64M --node 0 --access-node 1 --threads 1
	for sig in TERM INT; do
		echo 0 >/proc/sys/kernel/numa_balancing
		"$NM" trace --pid "$H_PID" --duration 120 --enable-balancing >trace.$sig.out 2>trace.$sig.err &
		tpid=$!
		nmt_track_pid "$tpid"
		wait_until 30 grep -q 'tracing pid' trace.$sig.err || fail "trace did not start: $(cat trace.$sig.err)"
		assert_eq 1 "$(cat /proc/sys/kernel/numa_balancing)" "numa_balancing during the session"
		kill -$sig "$tpid"
		wait "$tpid"
		rc=$?
		cat trace.$sig.out trace.$sig.err | sed 's/^/    trace| /' >&2
		assert_eq 0 "$rc" "trace's exit status after SIG$sig"
		assert_eq 0 "$(cat /proc/sys/kernel/numa_balancing)" "numa_balancing restored after SIG$sig"
		assert_match 'samples' "$(cat trace.$sig.out)" "the report printed after SIG$sig"
	done
	helper_stop
}

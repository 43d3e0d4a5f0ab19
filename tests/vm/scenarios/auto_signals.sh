# auto_signals: auto without --duration runs until SIGTERM, SIGINT, SIGHUP or
# SIGQUIT and then reports (ended_by signal, exit 0), puts
# kernel.numa_balancing back, removes its --pid-file and leaves a complete
# --metrics file (no temporary files); it ends by itself when the target
# exits; a reader that goes away (SIGPIPE) and an error end it too, and every
# one of these exits restores kernel.numa_balancing (issue #11 point 1);
# --daemon returns at once and the background process writes the pid file,
# the log and its summary.
# nodes: 2
# kernels: 6.12
# timeout: 240

t_auto_signals() {
	local sig apid rc dpid
	helper_start --size 32M --node 0 --access-node 1 --threads 1 --no-thp
	for sig in TERM INT HUP QUIT; do
		echo 0 >/proc/sys/kernel/numa_balancing
		rm -f auto.pid auto.prom sig.log
		"$NM" auto --pid "$H_PID" --interval 1 --enable-balancing --json --pid-file auto.pid \
			--metrics auto.prom --log sig.log >auto.$sig.out 2>auto.$sig.err &
		apid=$!
		nmt_track_pid "$apid"
		wait_until 30 intervals_logged 2 || fail "auto logged no 2 intervals: $(cat auto.$sig.err)"
		assert_eq "$apid" "$(cat auto.pid)" "--pid-file contents"
		assert_eq 1 "$(cat /proc/sys/kernel/numa_balancing)" "numa_balancing during auto"
		# the interval's metrics carry the target's pid (they said pid="0"
		# until the final write)
		assert_match "^numa_migrate_auto_intervals_total\{pid=\"$H_PID\"\} [1-9][0-9]*$" "$(cat auto.prom)" "metrics during the run"
		kill -$sig "$apid"
		wait "$apid"
		rc=$?
		sed 's/^/    auto| /' auto.$sig.out auto.$sig.err >&2
		assert_eq 0 "$rc" "auto's exit status after SIG$sig"
		save_file auto.sig-$sig.json auto.$sig.out
		save_file auto-log.sig-$sig.jsonl sig.log
		assert_eq signal "$(jget ended_by "$(cat auto.$sig.out)")" "ended_by after SIG$sig"
		assert_eq 0 "$(cat /proc/sys/kernel/numa_balancing)" "numa_balancing restored after SIG$sig"
		[ ! -e auto.pid ] || fail "--pid-file left behind after SIG$sig"
		assert_match "^numa_migrate_auto_pages_moved_total\{pid=\"$H_PID\"\} [0-9]+$" "$(cat auto.prom)" "metrics: pages moved"
		assert_match "^numa_migrate_auto_intervals_total\{pid=\"$H_PID\"\} [1-9][0-9]*$" "$(cat auto.prom)" "metrics: intervals"
		assert_eq "" "$(ls | grep 'auto.prom.tmp' || true)" "temporary metrics files left"
		tail -n 1 sig.log | nmt-jflat >last.flat || fail "last log line is not JSON"
		assert_eq summary "$(sed -n 's/^type=//p' last.flat)" "last log line after SIG$sig"
	done

	# the reader goes away while auto runs: its next write gets EPIPE, auto
	# ends (the shell sees SIGPIPE's status) and balancing is back at 0
	echo 0 >/proc/sys/kernel/numa_balancing
	rm -f pipe.rc
	{ "$NM" auto --pid "$H_PID" --interval 1 --duration 20 --enable-balancing --json \
		--log /proc/self/fd/1 2>pipe.err; echo $? >pipe.rc; } | head -c 10 >pipe.out
	sed 's/^/    auto| /' pipe.err >&2
	assert_eq 10 "$(wc -c <pipe.out | tr -d ' ')" "bytes the reader took"
	assert_eq 141 "$(cat pipe.rc)" "auto's exit status when its reader went away"
	assert_eq 0 "$(cat /proc/sys/kernel/numa_balancing)" "numa_balancing restored after SIGPIPE"

	# an error ends the run (--metrics in a directory that does not exist):
	# exit 3, and balancing is back at 0
	echo 0 >/proc/sys/kernel/numa_balancing
	assert_exit 3 "$NM" auto --pid "$H_PID" --interval 1 --duration 20 --enable-balancing \
		--json --metrics /nonexistent/auto.prom
	save_out auto.metrics-error.json
	assert_eq 0 "$(cat /proc/sys/kernel/numa_balancing)" "numa_balancing restored after an error"

	# the target exits: auto ends by itself
	echo 0 >/proc/sys/kernel/numa_balancing
	"$NM" auto --pid "$H_PID" --interval 1 --enable-balancing --json >exit.out 2>exit.err &
	apid=$!
	nmt_track_pid "$apid"
	wait_until 30 grep -q 'auto on pid' exit.err || fail "auto did not start: $(cat exit.err)"
	helper_stop
	wait_until 20 eval '! proc_alive $apid' || fail "auto still runs 20 s after its target exited"
	wait "$apid"
	assert_eq 0 "$?" "auto's exit status when the target exits"
	save_file auto.target-exit.json exit.out
	assert_eq target_exit "$(jget ended_by "$(cat exit.out)")" "ended_by when the target exits"
	assert_eq 0 "$(cat /proc/sys/kernel/numa_balancing)" "numa_balancing restored when the target exits"

	# --daemon: returns at once; the daemon writes its pid, log and summary
	helper_start --size 16M --node 0 --access-node 1 --threads 1 --no-thp
	rm -f d.pid d.log
	assert_exit 0 "$NM" auto --pid "$H_PID" --interval 1 --duration 3 --enable-balancing \
		--daemon --pid-file d.pid --log d.log
	wait_until 10 test -s d.pid || fail "the daemon wrote no pid file"
	dpid=$(cat d.pid)
	nmt_track_pid "$dpid"
	proc_alive "$dpid" || fail "daemon pid $dpid is not running"
	wait_until 30 eval '! proc_alive $dpid' || fail "daemon still runs after --duration 3"
	tail -n 1 d.log | nmt-jflat >d.flat || fail "daemon's last log line is not JSON"
	save_file auto-log.daemon.jsonl d.log
	assert_eq summary "$(sed -n 's/^type=//p' d.flat)" "daemon's last log line"
	assert_eq duration "$(sed -n 's/^ended_by=//p' d.flat)" "daemon's ended_by"
	[ ! -e d.pid ] || fail "daemon left its pid file"
	helper_stop
}

intervals_logged() { [ "$(grep -c '"type":"interval"' sig.log 2>/dev/null)" -ge "$1" ]; }

# auto_damon_exits: the kdamond auto --demote-cold starts on its target (the
# DAMON cold sensor) is gone after every way auto ends: SIGINT, SIGTERM,
# SIGHUP, a reader that goes away (SIGPIPE), an error, the target exiting.
# And a kdamond someone else configured is left alone: auto falls back to the
# hinting-fault sensor and says why, --cold-sensor damon is refused with the
# cause and the fix, and the other kdamond is as it was.
# nodes: 4
# kernels: 6.12
# timeout: 200

damon_on() { [ "$(cat /sys/kernel/mm/damon/admin/kdamonds/nr_kdamonds)" = 1 ] &&
	[ "$(cat /sys/kernel/mm/damon/admin/kdamonds/0/state)" = on ]; }

t_auto_damon_exits() {
	local adm=/sys/kernel/mm/damon/admin/kdamonds sig apid rc
	assert_eq 0 "$(cat $adm/nr_kdamonds)" "kdamonds before"
	helper_start --size 32M --node 0 --access-node 1 --threads 1 --no-thp
	for sig in INT TERM HUP; do
		"$NM" auto --pid "$H_PID" --interval 1 --demote-cold 3 --cold-sensor damon \
			--enable-balancing --json >auto.$sig.out 2>auto.$sig.err &
		apid=$!
		nmt_track_pid "$apid"
		wait_until 30 damon_on || fail "no kdamond running under auto: $(cat auto.$sig.err)"
		assert_eq "$H_PID" "$(cat $adm/0/contexts/0/targets/0/pid_target)" "the kdamond's target"
		assert_eq stat "$(cat $adm/0/contexts/0/schemes/0/action)" "our scheme acts on nothing"
		kill -$sig "$apid"
		wait "$apid"
		rc=$?
		assert_eq 0 "$rc" "auto's exit status after SIG$sig"
		assert_eq damon "$(jget cold_sensor.name "$(cat auto.$sig.out)")" "cold sensor (SIG$sig run)"
		assert_eq 0 "$(cat $adm/nr_kdamonds)" "kdamonds after SIG$sig"
	done

	# the reader goes away: EPIPE on the next log line, the kdamond goes too
	{ "$NM" auto --pid "$H_PID" --interval 1 --duration 20 --demote-cold 3 --cold-sensor damon \
		--enable-balancing --json --log /proc/self/fd/1 2>pipe.err; echo $? >pipe.rc; } | head -c 10 >pipe.out
	assert_eq 141 "$(cat pipe.rc)" "auto's exit status when its reader went away"
	assert_eq 0 "$(cat $adm/nr_kdamonds)" "kdamonds after SIGPIPE"

	# an error ends the run: exit 3, no kdamond left
	assert_exit 3 "$NM" auto --pid "$H_PID" --interval 1 --duration 20 --demote-cold 3 \
		--cold-sensor damon --enable-balancing --json --metrics /nonexistent/auto.prom
	assert_eq 0 "$(cat $adm/nr_kdamonds)" "kdamonds after an error"

	# the target exits
	"$NM" auto --pid "$H_PID" --interval 1 --demote-cold 3 --enable-balancing --json \
		>exit.out 2>exit.err &
	apid=$!
	nmt_track_pid "$apid"
	wait_until 30 damon_on || fail "no kdamond running under auto: $(cat exit.err)"
	helper_stop
	wait_until 20 eval '! proc_alive $apid' || fail "auto still runs 20 s after its target exited"
	wait "$apid"
	assert_eq 0 "$?" "auto's exit status when the target exits"
	assert_eq target_exit "$(jget ended_by "$(cat exit.out)")" "ended_by when the target exits"
	assert_eq 0 "$(cat $adm/nr_kdamonds)" "kdamonds after the target exited"

	# someone else's kdamond (configured, off): left alone
	helper_start --size 16M --node 0 --access-node 1 --threads 1 --no-thp
	echo 1 >$adm/nr_kdamonds || fail "cannot configure a kdamond"
	at_exit "echo 0 >$adm/nr_kdamonds"
	assert_exit 4 "$NM" auto --pid "$H_PID" --interval 1 --duration 2 --demote-cold 3 \
		--cold-sensor damon --enable-balancing --json
	assert_match 'someone else' "$(jget error)" "the refusal names the cause"
	assert_match 'cold-sensor faults' "$(jget error)" "the refusal names the fix"
	assert_exit 0 "$NM" auto --pid "$H_PID" --interval 1 --duration 2 --demote-cold 3 \
		--enable-balancing --json
	save_out auto.damon-busy.json
	assert_eq faults "$(jget cold_sensor.name)" "auto's fallback sensor"
	assert_match 'someone else' "$(jget cold_sensor.why)" "why the fallback"
	assert_eq 1 "$(cat $adm/nr_kdamonds)" "someone else's kdamond still configured"
	assert_eq off "$(cat $adm/0/state)" "someone else's kdamond untouched"
	assert_exit 0 "$NM" features --json
	assert_eq faults "$(jget cold_sensor.name)" "features' answer with a busy DAMON"
	echo 0 >$adm/nr_kdamonds
	assert_exit 0 "$NM" features --json
	assert_eq damon "$(jget cold_sensor.name)" "features' answer with DAMON free"
	assert_match 'own kdamond' "$(jget cold_sensor.why)" "features' reason"
}

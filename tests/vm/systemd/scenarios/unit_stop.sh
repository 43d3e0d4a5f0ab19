# unit_stop: systemctl stop ends a running numa-migrate-auto@PID cleanly:
# kernel.numa_balancing, 0 before and 1 while it ran (--enable-balancing),
# is 0 again; the summary says ended_by signal and exit code 0; the unit is
# inactive, not failed; the process is untouched and its data intact.
# timeout: 150

. /nmtest/unit.sh

t_unit_stop() {
	local u
	echo 0 >/proc/sys/kernel/numa_balancing
	helper_start --size 16M --node 0 --access-node 1 --threads 1 --no-thp
	u=numa-migrate-auto@$H_PID.service
	at_exit "systemctl stop $u"
	assert_exit 0 systemctl start "$u"
	wait_until 20 grep -qx 1 /proc/sys/kernel/numa_balancing ||
		fail "kernel.numa_balancing is $(cat /proc/sys/kernel/numa_balancing) with $u active (its --enable-balancing)"
	# an interval logged: the loop runs
	wait_until 30 grep -Eq '"type": ?"interval"' "/var/log/numa-migrate/auto-$H_PID.jsonl" ||
		fail "no interval in /var/log/numa-migrate/auto-$H_PID.jsonl after 30 s"
	assert_exit 0 systemctl stop "$u"
	assert_eq inactive "$(systemctl is-active "$u")" "$u after systemctl stop"
	assert_eq 0 "$(cat /proc/sys/kernel/numa_balancing)" "kernel.numa_balancing restored by systemctl stop"
	unit_summary "$H_PID"
	assert_eq signal "$(jget ended_by "$SUM")" "ended_by in the summary"
	assert_eq 0 "$(jnum exit_code "$SUM")" "exit_code in the summary"
	unit_journal "$u"
	assert_match "^numa-migrate auto: pid $H_PID .*ended by signal$" "$JOURNAL" "the report in the journal"
	assert_nomatch 'Failed with result' "$JOURNAL" "$u stopped without failure"
	proc_alive "$H_PID" || fail "pid $H_PID died with the unit"
	helper_stop
}

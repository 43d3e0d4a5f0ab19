# agents: other placement agents that will fight a move (issue #13 point 3).
# Each one the guest can run: a DAMON kdamond with a migrate_cold scheme on the
# helper (set up through /sys/kernel/mm/damon/admin), numad (Debian's package,
# put in the initramfs by vm.sh), and a second auto. For each, diagnose names
# it with the fix, and auto warns of it (stderr), lists it in its JSON report
# and logs it as the first --log line; a second auto on a locked process is
# refused, and diagnose names the lock's holder.
# nodes: 2
# kernels: 6.12
# timeout: 300

KD=/sys/kernel/mm/damon/admin/kdamonds

# damon_start PID: kdamond 0 monitors PID's memory and migrates its cold
# regions to node 1.
damon_start() {
	kd_write 1 nr_kdamonds
	kd_write 1 0/contexts/nr_contexts
	kd_write vaddr 0/contexts/0/operations
	kd_write 1 0/contexts/0/targets/nr_targets
	kd_write "$1" 0/contexts/0/targets/0/pid_target
	kd_write 1 0/contexts/0/schemes/nr_schemes
	kd_write migrate_cold 0/contexts/0/schemes/0/action
	kd_write 1 0/contexts/0/schemes/0/target_nid
	kd_write on 0/state
}
kd_write() { echo "$1" >"$KD/$2" || fail "cannot write '$1' to $KD/$2 (a kdamond with a migrate_cold scheme)"; }

# diag_agent REGEX_WHAT REGEX_FIX: diagnose --pid H_PID names an agent.
diag_agent() {
	assert_exit 0 "$NM" diagnose --pid "$H_PID" --json
	assert_match "\"id\": \"agents\"," "$OUT" "diagnose's agents finding"
	assert_match "\"what\": \"$1" "$OUT" "diagnose names the agent"
	assert_match "\"fix\": \"$2" "$OUT" "diagnose gives the fix"
}

t_agents() {
	local kpid npid bg rc=0
	echo 1 >/proc/sys/kernel/numa_balancing
	helper_start --size 32M --node 0 --access-node 0 --threads 1 --no-thp
	# nothing runs yet: diagnose says so
	assert_exit 0 "$NM" diagnose --pid "$H_PID" --json
	assert_eq ok "$(jfind findings id agents severity)" "agents finding with no agent"

	# a kdamond migrating the helper's cold memory
	damon_start "$H_PID"
	# nothing left changed: the kdamond off, then none configured (at_exit
	# runs the newest first); features_damon expects 0 kdamonds at boot
	at_exit "echo 0 >$KD/nr_kdamonds"
	at_exit "echo off >$KD/0/state"
	kpid=$(cat "$KD/0/pid")
	diag_agent "DAMON kdamond 0 \\(pid $kpid\\) runs a migrate_cold scheme on a process's memory" \
		"it moves pages by its own access rule: turn it off with 'echo off > $KD/0/state'"
	assert_exit 0,3 "$NM" auto --pid "$H_PID" --interval 1 --duration 2 --json --log damon.log
	assert_match "other placement agent: DAMON kdamond 0 \\(pid $kpid\\)" "$ERR" "auto warns of the kdamond"
	assert_eq damon "$(jfind agents pid "$kpid" kind)" "auto's JSON agents"
	assert_eq "$H_PID" "$(jfind agents pid "$kpid" target)" "the kdamond's target"
	save_out auto.agents-damon.json
	assert_match "^\\{\"type\":\"agents\",\"target\":$H_PID,\"agents\":\\[\\{\"kind\":\"damon\"" \
		"$(head -n 1 damon.log)" "the log's first line"
	save_file auto-log.agents-damon.jsonl damon.log
	echo off >"$KD/0/state"

	# numad, from Debian's package
	command -v numad >/dev/null || fail "numad is not in the initramfs (vm.sh puts it there)"
	mkdir -p /var/log /var/run
	numad -i 5 || fail "numad did not start"
	wait_until 10 pidof numad >/dev/null || fail "numad is not running 10 s after its start"
	npid=$(pidof numad)
	at_exit "kill $npid"
	diag_agent "numad \\(pid $npid\\) is running: it moves whole processes between nodes" \
		"stop it \\(systemctl stop numad\\), or keep it off this process with 'numad -x $H_PID'"
	assert_exit 0,3 "$NM" auto --all --min-size 24M --interval 1 --duration 2 --json
	assert_match "other placement agent: numad \\(pid $npid\\)" "$ERR" "auto --all warns of numad"
	assert_eq numad "$(jfind agents pid "$npid" kind)" "auto --all's JSON agents"
	assert_match "'numad -x PID' for each\$" "$(jfind agents pid "$npid" fix)" "numad's fix under --all"
	save_out auto-all.agents-numad.json
	kill "$npid"
	wait_until 10 eval '! pidof numad >/dev/null' || fail "numad still runs 10 s after SIGTERM"

	# a second auto: the lock refuses it, diagnose names the holder
	"$NM" auto --pid "$H_PID" --interval 1 --duration 60 >first.out 2>first.err &
	bg=$!
	nmt_track_pid "$bg"
	wait_until 20 test -e "/run/numa-migrate/pid-$H_PID.lock" ||
		fail "the first auto took no lock in 20 s: $(cat first.err)"
	assert_exit 1 "$NM" auto --pid "$H_PID" --duration 1
	assert_match "managed by another numa-migrate auto already: pid $bg " "$ERR" "the second auto is refused"
	diag_agent "another numa-migrate auto \\(pid $bg\\) manages pid $H_PID" \
		"leave the process to it, or stop it first \\(kill $bg\\)"
	kill -INT "$bg"
	wait "$bg" || rc=$?
	assert_eq 0 "$rc" "the first auto's exit status after SIGINT"
	helper_verify
	helper_stop
}

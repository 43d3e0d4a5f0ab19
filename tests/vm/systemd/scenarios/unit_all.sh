# unit_all: the server-wide numa-migrate-auto.service (auto --all) beside a
# per-pid numa-migrate-auto@PID: with NM_AUTO_ALL_OPTS="--interval 1
# --min-size 32M", a misplaced 64 MiB process A ends local under the
# server-wide unit; process B, taken by numa-migrate-auto@B first, is left
# to it (the per-pid lock: the --all unit lists it as skipped and moves none
# of its pages); node exporter reads both units' metrics from the one
# textfile directory with no scrape error (their families must not clash);
# systemctl stop restores kernel.numa_balancing.
# timeout: 300

. /nmtest/unit.sh

local_pct() {	# PID START+LEN: share of the buffer on node 1 in PCT
	"$NM" check --pid "$1" --range "$2" --json >"$NMT_WORK/check.json" 2>/dev/null
	PCT=$(jget nodes.1.percent "$(cat "$NMT_WORK/check.json")") || PCT=0
	num_cmp "$PCT" -ge 95
}

t_unit_all() {
	local a a_range b u=numa-migrate-auto.service ub log=/var/log/numa-migrate/auto-all.jsonl v
	echo 0 >/proc/sys/kernel/numa_balancing
	printf '%s\n' 'NM_AUTO_OPTS="--interval 1"' 'NM_AUTO_ALL_OPTS="--interval 1 --min-size 32M"' \
		>/etc/default/numa-migrate-auto
	numab_scan_size 4
	helper_start --size 64M --node 0 --access-node 1 --threads 1 --no-thp
	b=$H_PID
	ub=numa-migrate-auto@$b.service
	# the units keep their metrics files (RuntimeDirectoryPreserve): the next
	# scenario counts what node exporter serves, so these go with this one,
	# after both units stopped (at_exit runs the newest first)
	at_exit "rm -f /run/numa-migrate/auto-all.prom /run/numa-migrate/auto-$b.prom"
	at_exit "systemctl stop $ub"
	assert_exit 0 systemctl start "$ub"
	wait_until 20 test -e "/run/numa-migrate/pid-$b.lock" || fail "no lock file for pid $b with $ub active"
	helper_start --size 64M --node 0 --access-node 1 --threads 1 --no-thp
	a=$H_PID a_range="$H_START+$H_LEN"

	at_exit "systemctl stop $u"
	assert_exit 0 systemctl start "$u"
	assert_eq active "$(systemctl is-active "$u")" "$u after systemctl start"
	wait_until 150 local_pct "$a" "$a_range" || fail "after 150 s only $PCT% of A's buffer on node 1"
	info "A: $PCT% of its buffer on node 1 under $u"
	wait_until 20 test -s /run/numa-migrate/auto-all.prom || fail "no /run/numa-migrate/auto-all.prom while $u runs"
	wait_until 20 test -s "/run/numa-migrate/auto-$b.prom" || fail "no /run/numa-migrate/auto-$b.prom while $ub runs"
	scrape "$NMT_WORK/both.prom"
	assert_eq 0 "$(sed -n 's/^node_textfile_scrape_error //p' "$NMT_WORK/both.prom")" \
		"node_textfile_scrape_error with both units' metrics in one directory"
	v=$(sed -n 's/^numa_migrate_auto_all_processes //p' "$NMT_WORK/both.prom")
	assert_ge "${v:-0}" 1 "numa_migrate_auto_all_processes over HTTP"
	v=$(prom_value numa_migrate_auto_intervals_total "$b" "$NMT_WORK/both.prom")
	assert_gt "${v:-0}" 0 "the per-pid unit's intervals over HTTP beside the server-wide one"

	assert_exit 0 systemctl stop "$u"
	assert_eq inactive "$(systemctl is-active "$u")" "$u after systemctl stop"
	assert_eq active "$(systemctl is-active "$ub")" "$ub still runs after the server-wide unit stopped"
	assert_exit 0 systemctl stop "$ub"
	assert_eq 0 "$(cat /proc/sys/kernel/numa_balancing)" "kernel.numa_balancing after both units stopped"

	# the server-wide log: A's decisions carry its pid; B was never its to move
	[ -s "$log" ] || fail "$log is missing or empty"
	grep -Eq "\"pid\": ?$a[,}]" "$log" || fail "no line of $log names pid $a"
	if grep -E "\"type\": ?\"decision\"" "$log" | grep -Eq "\"pid\": ?$b[,}]"; then
		fail "$u logged a decision for pid $b, which $ub held"
	fi
	unit_journal "$u"
	assert_match "^  Skipped pid $b " "$JOURNAL" "the server-wide report names the skipped pid $b"
	assert_nomatch 'Failed with result' "$JOURNAL" "$u stopped without failure"
	helper_stop
}

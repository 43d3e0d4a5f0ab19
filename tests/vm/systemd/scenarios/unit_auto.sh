# unit_auto: systemctl start numa-migrate-auto@PID on a misplaced process
# (a thread on node 1 works on 64 MiB first-touched on node 0; the kernel
# scans 4 MiB a period, as in auto_loop) with NM_AUTO_OPTS="--interval 1"
# in /etc/default/numa-migrate-auto: the unit reaches active and turns NUMA
# balancing on, the memory ends local (check --json), the unit stops by
# itself, successfully, when the process exits and balancing is off again;
# the report is in the journal, the decisions and the summary in
# /var/log/numa-migrate/auto-PID.jsonl, and node exporter's textfile
# collector serves the numa_migrate_auto_* metrics over HTTP, equal to the
# summary's, with no scrape error and nothing promtool objects to.
# timeout: 240

. /nmtest/unit.sh

local_now() {
	"$NM" check --pid "$H_PID" --range "$H_START+$H_LEN" --json >"$NMT_WORK/check.json" 2>/dev/null
	PCT=$(jget nodes.1.percent "$(cat "$NMT_WORK/check.json")") || PCT=0
	num_cmp "$PCT" -ge 95
}

t_unit_auto() {
	local u log moves moved prom n v line kv
	echo 'NM_AUTO_OPTS="--interval 1"' >/etc/default/numa-migrate-auto
	numab_scan_size 4
	helper_start --size 64M --node 0 --access-node 1 --threads 1 --no-thp
	u=numa-migrate-auto@$H_PID.service
	log=/var/log/numa-migrate/auto-$H_PID.jsonl
	prom=/run/numa-migrate/auto-$H_PID.prom
	at_exit "systemctl stop $u"
	assert_exit 0 "$NM" check --pid "$H_PID" --range "$H_START+$H_LEN" --json
	assert_ge "$(jnum nodes.0.percent)" 95 "before: share of the buffer on node 0 (check --json)"

	assert_exit 0 systemctl start "$u"
	assert_eq active "$(systemctl is-active "$u")" "$u after systemctl start"
	wait_until 20 grep -qx 1 /proc/sys/kernel/numa_balancing ||
		fail "kernel.numa_balancing is $(cat /proc/sys/kernel/numa_balancing) with $u active (its --enable-balancing)"
	wait_until 120 local_now || fail "after 120 s only $PCT% of the buffer on node 1 (check --json)"
	info "check --json: $PCT% of the buffer on node 1"
	assert_eq active "$(systemctl is-active "$u")" "$u while the process runs"
	wait_until 10 test -s "$prom" || fail "no $prom while $u runs (its --metrics)"
	scrape "$NMT_WORK/live.prom"
	v=$(prom_value numa_migrate_auto_intervals_total "$H_PID" "$NMT_WORK/live.prom")
	assert_gt "${v:-missing}" 0 "numa_migrate_auto_intervals_total{pid=\"$H_PID\"} over HTTP while $u runs"

	helper_stop	# the process exits (and its data is intact)
	wait_until 30 unit_is "$u" inactive || fail "$u is $(systemctl is-active "$u") 30 s after pid $H_PID exited"
	assert_eq 0 "$(cat /proc/sys/kernel/numa_balancing)" "kernel.numa_balancing after $u ended"

	unit_summary "$H_PID"
	assert_eq target_exit "$(jget ended_by "$SUM")" "ended_by in the summary"
	assert_eq 0 "$(jnum exit_code "$SUM")" "exit_code in the summary"
	moved=$(jnum ours.pages_moved "$SUM")
	assert_gt "$moved" 0 "pages the unit moved"
	moves=0 n=0
	while IFS= read -r line; do
		n=$((n + 1))
		printf '%s\n' "$line" | "$NMT_JSON" flat >"$NMT_WORK/flat" || fail "line $n of $log is not JSON: $line"
		grep -qx 'type=decision' "$NMT_WORK/flat" || continue
		grep -qx 'result.action=moved' "$NMT_WORK/flat" && moves=$((moves + 1))
	done <"$log"
	assert_gt "$moves" 0 "decisions with action moved in $log"

	unit_journal "$u"
	# rounds that came on a settled burst are said after the intervals
	early=$(jnum early_rounds "$SUM")
	case $early in
	0) early= ;;
	[1-9]*) early=" \($early decided early, on a settled burst of samples\)" ;;
	*) fail "the summary's early_rounds is not a count: '$early'" ;;
	esac
	assert_match "^numa-migrate auto: pid $H_PID \(.*\), $(jnum intervals "$SUM") intervals of 1 s$early in .*, ended by target_exit$" \
		"$JOURNAL" "the report in the journal, as the summary says"
	assert_match "^  Moved by us: +$moved pages in " "$JOURNAL" "pages moved in the journal's report"
	# the decisions, counted by reason: the journal's report says what the log's summary says
	printf '%s\n' "$SUM" | "$NMT_JSON" flat | sed -n 's/^decisions\.//p' >"$NMT_WORK/decisions"
	assert_gt "$(wc -l <"$NMT_WORK/decisions")" 0 "reasons in the summary's decisions"
	while IFS= read -r kv; do
		assert_match "^  Decisions: .* $kv( |$)" "$JOURNAL" "decisions $kv in the journal's report"
	done <"$NMT_WORK/decisions"
	assert_match 'Deactivated successfully' "$JOURNAL" "$u ended without failure"
	assert_nomatch 'Failed with result' "$JOURNAL" "$u ended without failure"

	# the metrics over HTTP, after the run: the final ones, equal to the summary's
	scrape "$NMT_WORK/final.prom"
	sed 's/^/    metrics| /' "$prom" >&2
	assert_eq 0 "$(sed -n 's/^node_textfile_scrape_error //p' "$NMT_WORK/final.prom")" "node_textfile_scrape_error"
	assert_eq "$moved" "$(prom_value numa_migrate_auto_pages_moved_total "$H_PID" "$NMT_WORK/final.prom")" "pages_moved_total over HTTP"
	assert_eq "$(jnum ours.pages_failed "$SUM")" "$(prom_value numa_migrate_auto_pages_failed_total "$H_PID" "$NMT_WORK/final.prom")" "pages_failed_total over HTTP"
	assert_eq "$(jnum intervals "$SUM")" "$(prom_value numa_migrate_auto_intervals_total "$H_PID" "$NMT_WORK/final.prom")" "intervals_total over HTTP"
	assert_eq "$(jnum samples "$SUM")" "$(prom_value numa_migrate_auto_samples_total "$H_PID" "$NMT_WORK/final.prom")" "samples_total over HTTP"
	assert_eq "$(jnum migrations.kernel.succeeded "$SUM")" "$(prom_value numa_migrate_auto_kernel_pages_migrated_total "$H_PID" "$NMT_WORK/final.prom")" "kernel_pages_migrated_total over HTTP"
	assert_near "$(jnum locality.after "$SUM")" "$(prom_value numa_migrate_auto_locality_percent "$H_PID" "$NMT_WORK/final.prom")" 0.05 "locality_percent over HTTP"

	grep -E '^(# (HELP|TYPE) )?numa_migrate_' "$NMT_WORK/final.prom" >"$NMT_WORK/ours.prom"
	assert_eq 18 "$(wc -l <"$NMT_WORK/ours.prom")" "numa_migrate_ lines over HTTP (6 metrics, HELP, TYPE)"
	assert_exit 0 promtool check metrics <"$NMT_WORK/ours.prom"
	assert_eq "" "$ALL" "promtool check metrics on the numa_migrate_ metrics over HTTP"
	# the whole page parses (exit 1 is a parse error; 3 is lint, which node
	# exporter's own camelCase names draw) and no complaint is about ours
	run promtool check metrics <"$NMT_WORK/final.prom"
	assert_ne 1 "$RC" "promtool check metrics on node exporter's whole page: a parse error"
	assert_nomatch numa_migrate_ "$ALL" "promtool check metrics on node exporter's whole page"
}

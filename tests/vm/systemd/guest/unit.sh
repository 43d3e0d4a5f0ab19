# /nmtest/unit.sh - what the systemd leg's scenarios share (sourced by them).

# unit_summary PID: the last line of the unit's --log file (its summary) in
# SUM; fails unless it is the JSON summary.
unit_summary() {
	local log=/var/log/numa-migrate/auto-$1.jsonl
	[ -s "$log" ] || fail "$log is missing or empty (the unit's --log)"
	SUM=$(tail -n 1 "$log")
	assert_eq summary "$(jget type "$SUM")" "type of the last line of $log"
}

# unit_journal UNIT: the unit's journal (messages only) in JOURNAL.
unit_journal() {
	JOURNAL=$(journalctl -q --no-pager -o cat -u "$1")
	printf '%s\n' "$JOURNAL" | sed 's/^/    journal| /' >&2
}

# scrape FILE: node exporter's /metrics over HTTP on loopback into FILE.
scrape() {
	curl -sSf -o "$1" http://127.0.0.1:9100/metrics || fail "curl http://127.0.0.1:9100/metrics failed"
}

# prom_value NAME PID FILE: the value of NAME{pid="PID"} in FILE (empty if absent).
prom_value() {
	sed -n "s/^$1{pid=\"$2\"} //p" "$3" | head -n 1
}

unit_is() { [ "$(systemctl is-active "$1")" = "$2" ]; }

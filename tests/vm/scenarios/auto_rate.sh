# auto_rate: --max-rate 8 (MB/s) over 128 MiB that all wants to move: auto
# must keep its own migrations, as the migrate tracepoint counts them per
# interval, within 8 MiB/s x the interval + the 2 MiB burst, report at most
# 10 MiB in any second, and still move (at least half the cap on average).
# --mover-any-cpu keeps the moves beside the process's thread: each interval
# with moves ran under the finer default bound for that (2 ms, pace.h).
# nodes: 2
# kernels: 6.12
# timeout: 150

t_auto_rate() {
	local moved secs tp line n=0 bad=0 total=0 nmoves=0
	echo 0 >/proc/sys/kernel/numa_balancing
	numab_scan_size 4
	helper_start --size 128M --node 0 --access-node 1 --threads 1 --no-thp
	assert_exit 0 "$NM" auto --pid "$H_PID" --interval 1 --duration 10 --enable-balancing \
		--max-rate 8 --mover-any-cpu --json --log rate.log
	save_out auto.rate.json
	save_file auto-log.rate.jsonl rate.log
	moved=$(jnum ours.pages_moved)
	secs=$(jnum seconds)
	tp=$(jnum migrations.ours.succeeded)
	info "moved $moved pages ($((moved * 4096 / 1048576)) MiB; tracepoint $tp) in $secs s; most in 1 s: $(jnum ours.max_mb_in_1s) MiB; deferred moves: $(jnum ours.moves_deferred)"
	assert_le "$(jnum ours.max_mb_in_1s)" 10 "most MiB we moved in any second (cap 8 + 2 burst)"
	assert_ge "$moved" $((8 * 256 * 10 / 2)) "pages moved in 10 s at 8 MiB/s (at least half the cap)"
	assert_gt "$(jnum ours.moves_deferred)" 0 "moves the cap deferred (128 MiB cannot move at 8 MiB/s in 10 s)"
	awk -v b=$((tp * 4096)) -v s="$secs" 'BEGIN { exit !(b <= 8 * 1048576 * s + 2 * 1048576) }' ||
		fail "our migrations ($tp pages, tracepoint) exceed 8 MiB/s x $secs s + 2 MiB"
	# per interval, by the tracepoint: pages <= (8 MiB x seconds + 2 MiB) / 4 KiB
	while IFS= read -r line; do
		printf '%s\n' "$line" | nmt-jflat >iv.flat || fail "log line is not JSON: $line"
		grep -q '^type=interval$' iv.flat || continue
		n=$((n + 1))
		p=$(sed -n 's/^migrations\.ours\.succeeded=//p' iv.flat)
		s=$(sed -n 's/^seconds=//p' iv.flat)
		total=$((total + p))
		if grep -q '^moves=[1-9]' iv.flat; then
			nmoves=$((nmoves + 1))
			assert_eq 2 "$(sed -n 's/^max_stall_ms=//p' iv.flat)" \
				"the stall bound of interval $n's moves, beside the process's thread"
			grep -q '^mover_cpus=' iv.flat && fail "mover_cpus under --mover-any-cpu: $line"
		fi
		awk -v p="$p" -v s="$s" 'BEGIN { exit !(p * 4096 <= 8 * 1048576 * s + 2 * 1048576) }' || {
			info "interval $n: $p pages in $s s is over the cap"
			bad=$((bad + 1))
		}
	done <rate.log
	assert_ge "$n" 9 "interval lines in the log"
	assert_gt "$nmoves" 3 "intervals with moves"
	assert_eq 0 "$(jnum mover.off_process_cpus)" "intervals whose moves ran off the process's CPUs"
	assert_eq 0 "$bad" "intervals over 8 MiB/s (+2 MiB burst) by the tracepoint"
	assert_eq "$tp" "$total" "our migrations: sum of the intervals vs the report"
	# a move the cap cut short goes on in the next intervals
	assert_match '"continues_interval":' "$(cat rate.log)" "continued moves in the log"
	helper_stop
}

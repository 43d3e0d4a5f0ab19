# trace_modes: trace with kernel.numa_balancing off (and no
# --enable-balancing) says so and reports no hinting faults; --granularity
# 256K makes the heat report's regions 256 KiB (none crosses a 256K boundary)
# with the node-1 workload still attributed to node 1; a target that exits
# mid-session ends the session early with its message and a valid report.
# nodes: 2
# timeout: 180

flat_get() { sed -n "s/^$1=//p" flat | head -n 1; }

t_trace_modes() {
	local line pid len n1 t0 t1 g=262144 bad nreg n1reg acc
	need_nm
	echo 0 >/proc/sys/kernel/numa_balancing
	tool_start ACCESS nmt-access 16
	pid=$T_BGPID
	line=$T_LINE
	len=$(nmt_field len "$line")
	n1=$(nmt_field n1 "$line")

	# balancing off: the message, no hinting faults, balancing left off
	assert_exit 0 "$NM" trace --pid "$pid" --duration 3 --json
	save_out trace.balancing-off.json
	assert_match 'kernel\.numa_balancing is 0' "$ERR" "trace's message with balancing off"
	assert_match '--enable-balancing' "$ERR" "the message names the fix"
	printf '%s\n' "$OUT" | nmt-jflat >flat || fail "trace --json (balancing off) does not parse"
	assert_eq 0 "$(flat_get hint_faults)" "hint_faults with balancing off"
	assert_eq 0 "$(cat /proc/sys/kernel/numa_balancing)" "kernel.numa_balancing after a session without --enable-balancing"
	# with balancing on the same message must not appear
	assert_exit 0 "$NM" trace --pid "$pid" --duration 8 --granularity 256K --json --enable-balancing
	save_out trace.256k.json
	assert_nomatch 'numa_balancing is 0' "$ERR" "message with --enable-balancing"
	assert_eq 0 "$(cat /proc/sys/kernel/numa_balancing)" "kernel.numa_balancing restored"

	# --granularity 256K: every region is 256 KiB and aligned to it
	printf '%s\n' "$OUT" | nmt-jflat >flat || fail "trace --json (256K) does not parse"
	assert_eq "$g" "$(flat_get granularity)" "granularity in the JSON"
	assert_gt "$(flat_get hint_faults)" 0 "hint_faults (balancing on)"
	bad=$(awk -F= '/^regions\.[0-9]+\.start=/ { split($1, p, "."); s[p[2]] = $2 }
		/^regions\.[0-9]+\.end=/ { split($1, p, "."); e[p[2]] = $2 }
		END { for (i in s) print s[i], e[i] }' flat | while read -r a b; do
			[ $((b)) -gt $((a)) ] && [ $((a / g)) -eq $(((b - 1) / g)) ] || echo "$a-$b"
		done | head -n 3)
	nreg=$(grep -c '^regions\.[0-9]*\.start=' flat)
	info "$nreg regions"
	assert_gt "$nreg" 0 "regions in the report"
	assert_eq "" "$bad" "regions that are empty or cross a 256K boundary"
	# the node-1 region (16M) is cut in 64 regions; those with samples are node 1's
	n1reg=$(region_list "$n1" "$len" | wc -l)
	assert_gt "$n1reg" 8 "regions with samples in the 16M node-1 buffer (at 2M there would be at most 8)"
	acc=$(region_list "$n1" "$len" | awk '{ a0 += $2; a1 += $3 } END { print a0 + 0, a1 + 0 }')
	info "node-1 buffer: accesses from node 0 / node 1: $acc"
	set -- $acc
	assert_ge $((100 * $2 / ($1 + $2))) 90 "share of the node-1 buffer's samples from node 1 (%)"

	# the target exits mid-session: the session ends early, says so, reports
	"$NM" trace --pid "$pid" --duration 40 --json --enable-balancing >exit.out 2>exit.err &
	TPID=$!
	nmt_track_pid "$TPID"
	sleep 4
	t0=$(nmt_now)
	kill -KILL "$pid"
	wait_until 20 trace_gone || fail "trace still running 20 s after its target exited"
	wait "$TPID"
	RC=$?
	t1=$(nmt_now)
	sed 's/^/    err| /' exit.err >&2
	info "trace ended $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') s after the kill, status $RC"
	assert_eq 0 "$RC" "trace's exit status when the target exits"
	assert_match "pid $pid exited after [0-9.]+ s" "$(cat exit.err)" "trace's message when the target exits"
	nmt-jflat <exit.out >flat || fail "trace --json after the target exited does not parse: $(cat exit.out)"
	save_file trace.target-exit.json exit.out
	assert_eq "$pid" "$(flat_get pid)" "pid in the report"
	assert_lt "$(flat_get duration_s)" 20 "duration_s (the session ended with the target, not at 40 s)"
	assert_eq 0 "$(cat /proc/sys/kernel/numa_balancing)" "kernel.numa_balancing restored after the target exited"
}

trace_gone() { ! proc_alive "$TPID"; }

# region_list START LEN: "start acc0 acc1" for the report's regions (flat)
# inside [START, START+LEN) that have samples.
region_list() {
	local lo=$(($1)) hi=$(($1 + $2)) s a0 a1
	awk -F= '/^regions\.[0-9]+\.start=/ { split($1, p, "."); s[p[2]] = $2 }
		/^regions\.[0-9]+\.accesses_by_node\.0=/ { split($1, p, "."); a0[p[2]] = $2 }
		/^regions\.[0-9]+\.accesses_by_node\.1=/ { split($1, p, "."); a1[p[2]] = $2 }
		END { for (i in s) print s[i], a0[i] + 0, a1[i] + 0 }' flat |
		while read -r s a0 a1; do
			[ $((s)) -ge "$lo" ] && [ $((s)) -lt "$hi" ] && [ $((a0 + a1)) -gt 0 ] && echo "$s $a0 $a1"
		done
}

# auto_tier_damon: hot and cold halves on the 4-node guest (nodes 2 and 3
# are CPU-less), with DAMON as the cold sensor (Debian's 6.12 has it).
# nmt-hotcold: a hot buffer placed on memory-only node 2 and touched
# continuously by a thread on node 0, a cold buffer on node 0 never touched
# after its pattern was written. auto --demote-cold 3 --enable-balancing
# must end with the hot buffer in DRAM (node 0), the cold one on node 2 (the
# memory-only node nearest node 0), no demotion of the hot buffer, every
# demotion logged with what DAMON saw, and the pattern intact.
# nodes: 4
# kernels: 6.12
# timeout: 150

# Margins, not one interval: with --demote-cold 3 at --interval 1 a region
# is cold after 3 s of DAMON seeing no access (age * aggr_us). DAMON's
# regions split apart from the hot buffer within about a second (10
# aggregations of 100 ms), so the cold buffer qualifies at 4-6 s; the run
# lasts 20 s, over three times that. The hot buffer is touched every few
# milliseconds: to look cold it would need 30 aggregations in a row with no
# access seen, which a thread sweeping it continuously never gives.
HC_N=3
HC_DURATION=20

hotcold_start() {
	nmt-hotcold 32 2 0 >"$NMT_WORK/hotcold.out" 2>&1 &
	nmt_track_pid $!
	wait_until 60 grep -q '^HOTCOLD ' "$NMT_WORK/hotcold.out" ||
		fail "nmt-hotcold did not start: $(cat "$NMT_WORK/hotcold.out")"
	HC_LINE=$(grep '^HOTCOLD ' "$NMT_WORK/hotcold.out")
	HC_PID=$(nmt_field pid "$HC_LINE")
	HC_HOT=$(($(nmt_field hot "$HC_LINE")))
	HC_COLD=$(($(nmt_field cold "$HC_LINE")))
	HC_LEN=$(nmt_field len "$HC_LINE")
	info "$HC_LINE"
}

# hotcold_verify: SIGUSR1, then the VERIFY line must say the pattern is intact.
hotcold_verify() {
	local v
	kill -USR1 "$HC_PID" || fail "nmt-hotcold $HC_PID is gone"
	wait_until 60 grep -q '^VERIFY ' "$NMT_WORK/hotcold.out" || fail "nmt-hotcold printed no VERIFY line"
	v=$(grep '^VERIFY ' "$NMT_WORK/hotcold.out" | tail -n 1)
	info "$v"
	assert_eq 0 "$(nmt_field cold_bad "$v")" "cold buffer words that lost their pattern"
	assert_eq 0 "$(nmt_field hot_bad "$v")" "hot pages whose first word lost its pattern"
	assert_eq 0 "$(nmt_field hot_checks_bad "$v")" "mismatches the hot thread saw"
	assert_gt "$(nmt_field passes "$v")" 0 "passes of the hot thread over its buffer"
}

t_auto_tier_damon() {
	local adm=/sys/kernel/mm/damon/admin/kdamonds line ds de node n=0 hot_end cold_end
	echo 0 >/proc/sys/kernel/numa_balancing
	assert_eq 0 "$(cat $adm/nr_kdamonds)" "kdamonds before auto"
	hotcold_start
	assert_eq $((HC_LEN / 4096)) "$(nmt_field hot_on_slow "$HC_LINE")" "hot pages moved to node 2 by nmt-hotcold"
	assert_ge "$(numa_maps_percent "$HC_PID" "$HC_HOT" "$HC_LEN" 2)" 99 "hot buffer on node 2 before auto"
	assert_ge "$(numa_maps_percent "$HC_PID" "$HC_COLD" "$HC_LEN" 0)" 99 "cold buffer on node 0 before auto"
	assert_exit 0 "$NM" auto --pid "$HC_PID" --interval 1 --duration "$HC_DURATION" \
		--demote-cold "$HC_N" --cold-sensor damon --enable-balancing --json --log tier.log
	save_out auto.tier-damon.json
	save_file auto-log.tier-damon.jsonl tier.log
	assert_eq damon "$(jget cold_sensor.name)" "the report's cold sensor"
	assert_match 'DAMON' "$(jget cold_sensor.trust)" "the report says how far to trust it"
	assert_eq 0 "$(cat $adm/nr_kdamonds)" "kdamonds after auto (ours removed)"
	hot_end=$((HC_HOT + HC_LEN))
	cold_end=$((HC_COLD + HC_LEN))
	while IFS= read -r line; do
		printf '%s\n' "$line" | nmt-jflat >d.flat || fail "log line is not JSON: $line"
		grep -q '^reason=demote_cold$' d.flat || continue
		ds=$(($(sed -n 's/^start=//p' d.flat)))
		de=$(($(sed -n 's/^end=//p' d.flat)))
		node=$(sed -n 's/^node=//p' d.flat)
		[ "$ds" -lt "$hot_end" ] && [ "$de" -gt "$HC_HOT" ] &&
			fail "a region of the hot buffer was demoted: $line"
		assert_eq damon "$(sed -n 's/^sensor\.name=//p' d.flat)" "sensor of a demotion"
		assert_eq 0 "$(sed -n 's/^sensor\.nr_accesses=//p' d.flat)" "DAMON's nr_accesses of a demoted region"
		assert_ge "$(sed -n 's/^sensor\.idle_s=//p' d.flat | cut -d. -f1)" "$HC_N" "DAMON's idle seconds of a demoted region"
		if [ "$ds" -lt "$cold_end" ] && [ "$de" -gt "$HC_COLD" ] &&
			grep -q '^result\.action=moved$' d.flat; then
			assert_eq 2 "$node" "node of a demotion of the cold buffer"
			[ "$n" -gt 0 ] || info "first demotion of the cold buffer: t=$(sed -n 's/^t=//p' d.flat) s, DAMON idle $(sed -n 's/^sensor\.idle_s=//p' d.flat) s (needed $HC_N s), of a $HC_DURATION s run"
			n=$((n + 1))
		fi
	done <tier.log
	info "demotions of the cold buffer: $n; hot on node 0: $(numa_maps_percent "$HC_PID" "$HC_HOT" "$HC_LEN" 0)%, cold on node 2: $(numa_maps_percent "$HC_PID" "$HC_COLD" "$HC_LEN" 2)%"
	assert_gt "$n" 0 "moves of the cold buffer by demote_cold"
	assert_ge "$(numa_maps_percent "$HC_PID" "$HC_HOT" "$HC_LEN" 0)" 95 "hot buffer on node 0 after auto"
	assert_ge "$(numa_maps_percent "$HC_PID" "$HC_COLD" "$HC_LEN" 2)" 90 "cold buffer on node 2 after auto"
	hotcold_verify
}

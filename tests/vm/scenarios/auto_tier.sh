# auto_tier: tiered memory on the 4-node guest (nodes 2 and 3 are CPU-less).
# Promotion: a buffer the threads on node 1 use, placed on memory-only node
# 3, is moved by auto to node 1. Demotion: with --demote-cold 5, nmt-access's
# untouched region (first-touched on node 0) goes to node 2, the memory-only
# node nearest node 0 by the distance table, while the regions in use stay
# (every region is sampled each second: the kernel may not back off). The
# hinting-fault cold sensor (--cold-sensor faults); auto_tier_damon has DAMON's.
# nodes: 4
# kernels: 6.12
# timeout: 200

t_auto_tier() {
	local line pid len s e f n
	echo 0 >/proc/sys/kernel/numa_balancing
	numab_scan_size 4
	helper_start --size 32M --node 0 --access-node 1 --threads 1 --no-thp
	assert_exit 0 "$NM" move --pid "$H_PID" --range "$H_START+$H_LEN" --to-node 3 --json
	save_out move.to-node-3.json
	assert_ge "$(numa_maps_percent "$H_PID" "$H_START" "$H_LEN" 3)" 99 "buffer on node 3 before auto"
	assert_exit 0 "$NM" auto --pid "$H_PID" --interval 1 --duration 8 --enable-balancing \
		--json --log promote.log
	save_out auto.tier-promote.json
	save_file auto-log.tier-promote.jsonl promote.log
	n=0
	while IFS= read -r line; do
		printf '%s\n' "$line" | nmt-jflat >p.flat || fail "log line is not JSON: $line"
		grep -q '^result\.action=moved$' p.flat || continue
		s=$(($(sed -n 's/^start=//p' p.flat)))
		[ "$s" -ge $((H_START)) ] && [ "$s" -lt $((H_START + H_LEN)) ] || continue
		assert_eq 1 "$(sed -n 's/^node=//p' p.flat)" "node of a move of the buffer"
		f=$(sed -n 's/^result\.from_nodes\.3=//p' p.flat)
		n=$((n + ${f:-0}))
	done <promote.log
	info "auto promoted $n pages from node 3 to node 1; numa_maps: $(numa_maps_percent "$H_PID" "$H_START" "$H_LEN" 1)% on node 1"
	assert_gt "$n" 4096 "pages auto moved from memory-only node 3 to node 1 (of 8192)"
	assert_ge "$(numa_maps_percent "$H_PID" "$H_START" "$H_LEN" 1)" 95 "buffer on node 1 after auto"
	helper_stop

	# demotion: the kernel scans the whole footprint (256 MiB) every second
	# (scan_period_max_ms 1000: it never backs off). Kernels from 6.4 let a
	# scan pass skip VMAs the scanning thread has not touched lately (not
	# verified here, the likely reason), so a region in use may be sampled
	# only every other pass; --demote-cold 5 active intervals
	# tells cold from hot. In one matrix run 12 s were not enough to reach 6
	# active intervals for the untouched region (no demotion at all); a
	# verbose run saw 6 active intervals of 16, another 6 of 20 (the kernel
	# samples early, then rarely): 16 s, and a margin of one interval.
	echo 256 >/sys/kernel/debug/sched/numa_balancing/scan_size_mb
	numab_set scan_period_max_ms 1000
	access_start 16
	line=$A_LINE pid=$A_PID len=$A_LEN
	# the hinting-fault sensor, pinned: it is what 6.1, auto --all and a
	# machine with someone else's kdamond use; DAMON is auto_tier_damon's
	# (nmt-access's threads do not flush the TLB, so under TCG DAMON would
	# not see their accesses: see nmt-hotcold.c)
	assert_exit 0 "$NM" auto --pid "$pid" --interval 1 --duration 16 --demote-cold 5 \
		--cold-sensor faults --enable-balancing --json --log demote.log
	save_out auto.tier-demote.json
	save_file auto-log.tier-demote.jsonl demote.log
	auto_decisions demote.log >demote.dec
	info "active intervals (>= 8 samples): $(grep '"type":"interval"' demote.log |
		sed -n 's/.*"evidence":{"samples":\([0-9]*\).*/\1/p' | awk '$1 >= 8' | wc -l) of $(grep -c '"type":"interval"' demote.log); demote_cold decisions: $(grep -c '"reason":"demote_cold"' demote.log)"
	s=$(($(nmt_field none "$line")))
	info "untouched region: $(numa_maps_percent "$pid" "$s" "$len" 2)% on node 2"
	assert_ge "$(numa_maps_percent "$pid" "$s" "$len" 2)" 90 "untouched region on node 2 after --demote-cold"
	assert_eq faults "$(jget cold_sensor.name)" "the report's cold sensor"
	grep '"reason":"demote_cold"' demote.log | grep -qv '"sensor":{"name":"faults","intervals_without_samples":' &&
		fail "a demotion that does not say the faults sensor's intervals without samples"
	awk -v s="$s" -v e=$((s + len)) '$6 == "demote_cold" && $7 == "moved" { print $3, $4, $5 }' demote.dec >dem.moved
	while read -r ds de node; do
		[ $((ds)) -lt $((s + len)) ] && [ $((de)) -gt "$s" ] || continue
		assert_eq 2 "$node" "node of a demotion of the untouched region"
	done <dem.moved
	s=$(($(nmt_field n0 "$line")))
	e=$((s + len))
	while read -r ds de node; do
		[ $((ds)) -lt "$e" ] && [ $((de)) -gt "$s" ] && fail "the node-0 region (in use) was demoted: $ds-$de to $node"
	done <dem.moved
	assert_ge "$(numa_maps_percent "$pid" "$s" "$len" 0)" 90 "node-0 region stays on node 0"
}

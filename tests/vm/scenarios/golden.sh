# golden: the main path. 512M of 4K pages first-touched on node 0 move to
# node 1 and back, verified by the tool, by the kernel's numa_maps and by the
# helper's own pattern check.
# timeout: 300

t_golden() {
	local v pct kpct
	helper_start --size 512M --node 0 --no-thp --seed 42
	assert_ge "$(numa_maps_percent "$H_PID" "$H_START" "$H_LEN" 0)" 95 "numa_maps: share on node 0 after first touch"

	assert_exit 0 "$NM" move --pid "$H_PID" --range 512M --to-node 1 --verify
	assert_match '^Pages examined: [0-9]+' "$OUT" "move's report"
	assert_gt "$(text_num Moved)" 0 "Moved"
	assert_match '^Verification: [0-9.]+% on node 1' "$OUT" "move's verification line"
	v=$(text_num Verification)
	assert_ge "$v" 95 "Verification (% of the range on node 1)"

	# What the tool reports agrees with the kernel's own accounting.
	assert_exit 0 "$NM" check --pid "$H_PID" --exact --range 512M --json
	save_out check.golden.json
	pct=$(jnum nodes.1.percent)
	kpct=$(numa_maps_percent "$H_PID" "$H_START" "$H_LEN" 1)
	info "check: node 1 = $pct%, numa_maps N1 = $kpct%"
	assert_ge "$kpct" 95 "numa_maps: share of the helper's pages on node 1"
	assert_near "$pct" "$kpct" 1 "check --json nodes.1.percent vs numa_maps N1="

	assert_exit 0 "$NM" check --pid "$H_PID" --exact --range 512M
	assert_match '^Node 1: [0-9.]+% pages' "$OUT" "check's text output"
	assert_near "$(text_num 'Node 1')" "$kpct" 1 "check text 'Node 1:' vs numa_maps"

	helper_verify
	assert_match '^VERIFY ok ' "$H_VERIFY" "helper's pattern check after the move"

	assert_exit 0 "$NM" move --pid "$H_PID" --range 512M --to-node 0 --verify
	assert_ge "$(text_num Verification)" 95 "Verification after moving back to node 0"
	assert_match '^Verification: [0-9.]+% on node 0' "$OUT" "verification names node 0"
	assert_ge "$(numa_maps_percent "$H_PID" "$H_START" "$H_LEN" 0)" 95 "numa_maps: share on node 0 after moving back"

	helper_stop
}

# auto_spread: auto --spread keeps a THP buffer spread by weight while auto
# runs with NUMA balancing on (issue #16 point 2). The buffer starts on node
# 0, a helper thread on node 0 keeps using it, so the kernel's balancing pulls
# pages on the other node back to node 0 (the drift auto must re-apply
# against) and the policy sees hinting faults in the spread (which it must
# not act on: reason "spread"). 4 nodes: 0:3,2:1 (DRAM and the CPU-less node
# 2); 2 nodes: 0:1,1:1. Checked against the kernel directly (tools/nmt-where:
# move_pages in query mode, page by page): each node within 1 point of its
# share when auto ends, no 2 MiB block on two nodes, THPs still huge, the
# helper's pattern intact; the log: the first application, every
# re-application with the split it saw (more than 1 point off), no move of
# the policy inside the spread, and decisions held back with reason spread.
# auto runs 12 s (one interval a second): balancing needs a few scans.
# kernels: 6.12
# timeout: 240

t_auto_spread() {
	local spec nodes w0 w1 huge0 huge1 share s e line n_re n_spread miss
	spread_plan
	set -- $nodes
	echo 0 >/proc/sys/kernel/numa_balancing
	# the whole footprint every second, never backing off: the kernel samples
	# (and pulls back) the spread's far pages within a few seconds
	numab_scan_size 256
	numab_set scan_period_max_ms 1000
	helper_start --size 128M --node 0 --thp --threads 1 --access-node 0
	huge0=$(rollup_huge "$H_PID")
	info "AnonHugePages before: $huge0 kB"
	assert_ge "$huge0" 65536 "AnonHugePages (kB) of a 128M --thp helper (THP allocation failed?)"
	assert_ge "$(numa_maps_percent "$H_PID" "$H_START" "$H_LEN" 0)" 99 "buffer on node 0 before auto"

	assert_exit 0 "$NM" auto --pid "$H_PID" --spread "$H_START+$H_LEN=$spec" --interval 1 \
		--duration 12 --enable-balancing --json --log spread.log
	save_out auto.spread.json
	save_file auto-log.spread.jsonl spread.log
	# the kernel's answer, right after auto (which restored balancing to 0)
	W=$(nmt-where "$H_PID" "$H_START" "$H_LEN") || fail "nmt-where failed"
	info "kernel: $W; auto: $(jget spreads.0.split.achieved), $(jnum spreads.0.reapplied) re-applications, $(jnum spreads.0.pages_moved) pages moved; kernel numa_misplaced migrations $(jnum migrations.kernel.numa_misplaced)"
	assert_eq 1 "$(jlen spreads)" "spreads in the report"
	assert_eq "$H_START+$H_LEN" "$(jget spreads.0.where)" "spreads.0.where"
	assert_eq "$spec" "$(jget spreads.0.split.spec)" "spreads.0.split.spec"
	assert_eq "$w0.0" "$(jnum "spreads.0.split.requested.$1")" "requested share of node $1"
	assert_eq true "$(jget spreads.0.split.within_tolerance)" "spreads.0.split.within_tolerance"
	assert_eq 0 "$(jnum spreads.0.pages_failed)" "pages the spread failed to move"
	assert_ge "$(jnum spreads.0.pages_moved)" $((H_LEN / 4096 * w1 / 100)) "pages moved for the spread (its share of node $2 at least)"
	assert_eq $((H_LEN / 4096)) "$(nmt_field present "$W")" "present pages (nmt-where)"
	share=$(where_share "$1")
	within "$share" "$w0" || fail "node $1 holds $share% of the pages (nmt-where), not $w0% +-1"
	share=$(where_share "$2")
	within "$share" "$w1" || fail "node $2 holds $share% of the pages (nmt-where), not $w1% +-1"
	assert_gt "$(nmt_field blocks "$W")" 0 "2 MiB blocks in the range"
	assert_eq 0 "$(nmt_field mixed "$W")" "2 MiB blocks split across nodes"
	huge1=$(rollup_huge "$H_PID")
	info "AnonHugePages after: $huge1 kB"
	assert_ge "$huge1" $((huge0 * 95 / 100)) "AnonHugePages (kB) after auto (THPs split?)"

	# the log: one first application, before the first interval
	assert_eq 1 "$(grep -c '"type":"spread".*"event":"apply"' spread.log)" "first applications logged"
	assert_match '"interval":-1,' "$(grep '"event":"apply"' spread.log)" "the first application's interval"
	# each re-application with the split it saw, more than 1 point off
	grep '"type":"spread".*"event":"reapply"' spread.log >reapply.log || true
	n_re=0
	while IFS= read -r line; do
		n_re=$((n_re + 1))
		miss=$(jget seen.worst_miss_pct "$line")
		awk -v m="$miss" 'BEGIN { exit !(m > 1) }' || fail "a re-application saw a miss of $miss points, not more than 1: $line"
	done <reapply.log
	assert_eq "$(jnum spreads.0.reapplied)" "$n_re" "re-applications: the report against the log"
	assert_gt "$n_re" 0 "re-applications (the kernel's balancing pulled pages back to node $1)"
	# the policy never moved a region of the spread, and held back with
	# reason spread where its evidence pointed elsewhere
	auto_decisions spread.log >spread.dec
	s=$((H_START)) e=$((H_START + H_LEN))
	while read -r iv scope ds de node reason action moved rest; do
		[ "$action" = moved ] || continue
		[ $((ds)) -lt "$e" ] && [ $((de)) -gt "$s" ] && fail "the policy moved $ds-$de (inside the spread) to node $node ($reason)"
	done <spread.dec
	n_spread=$(awk '$6 == "spread"' spread.dec | wc -l)
	info "decisions: $(wc -l <spread.dec), reason spread: $n_spread; re-applications: $n_re"
	assert_gt "$n_spread" 0 "decisions with reason spread (the policy saw the spread's faults)"
	assert_gt "$(jnum decisions.spread)" 0 "decisions.spread in the report"
	helper_stop	# the pattern check
}

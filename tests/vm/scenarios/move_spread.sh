# move_spread: move --to-node with node:weight pairs spreads a THP-backed
# buffer across nodes by weight. On 4 nodes 0:3,2:1 (DRAM and the CPU-less
# node 2); on 2 nodes 0:1,1:1. Checked against the kernel directly
# (tools/nmt-where: move_pages in query mode, page by page): every node within
# 1 point of its share, no 2 MiB block on two nodes; THPs still huge
# (AnonHugePages); the helper's pattern intact after the move. A spread that
# is not reached (--from-node skipping every page) exits 3 and says why.
# kernels: 6.12
# timeout: 180

t_move_spread() {
	local spec huge0 huge1 n share want w0 w1 nodes
	spread_plan
	echo 0 >/proc/sys/kernel/numa_balancing	# nothing else moves the pages
	helper_start --size 128M --node 1 --thp
	huge0=$(rollup_huge "$H_PID")
	info "AnonHugePages before: $huge0 kB"
	assert_ge "$huge0" 65536 "AnonHugePages (kB) of a 128M --thp helper (THP allocation failed?)"

	# a split that is not reached is exit 3: --from-node 0 skips every page
	# (all on node 1), so no node gets its share
	set -- $nodes
	assert_exit 3 "$NM" move --pid "$H_PID" --range "$H_START+$H_LEN" --to-node "$spec" \
		--from-node 0 --json
	save_out move.spread-missed.json
	assert_eq false "$(jget spread.within_tolerance)" "spread.within_tolerance when nothing moved"
	assert_eq 0 "$(jnum "spread.pages.$1")" "pages on node $1 when nothing moved"
	assert_match "^spread: node $1 holds 0.00% of the 32768 present pages, $w0.00 points off" \
		"$(jget error)" "error of a missed spread"

	assert_exit 0 "$NM" move --pid "$H_PID" --range "$H_START+$H_LEN" --to-node "$spec" --json
	save_out move.spread.json
	assert_eq "$spec" "$(jget spread.spec)" "spread.spec"
	assert_eq null "$(jget target_node)" "target_node of a spread"
	assert_eq "$w0.0" "$(jnum "spread.requested.$1")" "requested share of node $1"
	assert_eq "$w1.0" "$(jnum "spread.requested.$2")" "requested share of node $2"
	assert_eq true "$(jget spread.within_tolerance)" "spread.within_tolerance"
	assert_gt "$(jnum huge_pages.moved)" 0 "huge_pages.moved"
	info "moved $(jnum moved) pages ($(jnum huge_pages.moved) THPs) in $(jnum seconds) s; achieved $(jget spread.achieved)"
	assert_eq 0 "$(jnum failed)" "failed pages"

	# the kernel's answer, not numa-migrate's
	W=$(nmt-where "$H_PID" "$H_START" "$H_LEN") || fail "nmt-where failed"
	info "kernel: $W"
	assert_eq $((H_LEN / 4096)) "$(nmt_field present "$W")" "present pages (nmt-where)"
	share=$(where_share "$1")
	within "$share" "$w0" || fail "node $1 holds $share% of the pages (nmt-where), not $w0% +-1"
	share=$(where_share "$2")
	within "$share" "$w1" || fail "node $2 holds $share% of the pages (nmt-where), not $w1% +-1"
	assert_eq "$(jnum "spread.pages.$1")" "$(nmt_field "n$1" "$W")" "node $1: numa-migrate's count = the kernel's"
	assert_gt "$(nmt_field blocks "$W")" 0 "2 MiB blocks in the range"
	assert_eq 0 "$(nmt_field mixed "$W")" "2 MiB blocks split across nodes"
	huge1=$(rollup_huge "$H_PID")
	info "AnonHugePages after: $huge1 kB"
	assert_ge "$huge1" $((huge0 * 95 / 100)) "AnonHugePages (kB) after the spread (THPs split?)"

	# text: the requested and achieved split
	assert_exit 0 "$NM" move --pid "$H_PID" --range "$H_START+$H_LEN" --to-node "$spec"
	assert_match "^Spread: requested node $1 $w0.0%, node $2 $w1.0%" "$OUT" "text: requested"
	assert_match "^  within tolerance: " "$OUT" "text: verdict"
	helper_stop	# the pattern check
}

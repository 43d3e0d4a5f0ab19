# check_agrees: with the pages spread over several nodes, check --exact's
# per-node percentages (JSON and text) match the kernel's numa_maps counts,
# and the default (numa_maps as the source) gives the page-exact counts.
# timeout: 240

t_check_agrees() {
	local mb n pct kpct s1 e1 s3 total want0=75
	helper_start --size 256M --node 0 --no-thp
	mb=$((1024 * 1024))
	s1=$(hex "$H_START")
	e1=$(hex "$H_START + 64 * $mb")
	assert_exit 0 "$NM" move --pid "$H_PID" --range "$s1-$e1" --to-node 1
	if nmt_in 3 $(mem_nodes); then
		# 64M on node 1, 64M on the memory-only node 3, 128M stay on node 0
		# (on 2 nodes: 64M on node 1, 192M on node 0)
		s3=$(hex "$H_START + 64 * $mb")
		assert_exit 0 "$NM" move --pid "$H_PID" --range "$s3+67108864" --to-node 3
		want0=50
	fi

	assert_exit 0 "$NM" check --pid "$H_PID" --exact --range "$H_START+$H_LEN" --json
	save_out check.agrees.json
	assert_eq $((H_LEN / 4096)) "$(jnum pages)" "pages of a $H_LEN-byte range"
	assert_eq "$(jnum pages)" "$(jnum present)" "present (every page was written)"
	assert_eq true "$(jget numa_maps_agrees)" "numa_maps_agrees"
	assert_le "$(jnum numa_maps_diff_pages)" "$((H_LEN / 4096 / 100))" "numa_maps_diff_pages"
	JSON=$OUT
	total=0
	for n in $(mem_nodes); do
		pct=$(jget "nodes.$n.percent" "$JSON" || echo 0)
		kpct=$(numa_maps_percent "$H_PID" "$H_START" "$H_LEN" "$n")
		info "node $n: check $pct%, numa_maps $kpct%"
		assert_near "$pct" "$kpct" 1 "node $n: check --json percent vs numa_maps"
		total=$(awk -v a="$total" -v b="$pct" 'BEGIN { print a + b }')
	done
	assert_near "$total" 100 0.5 "sum of the nodes' percentages"
	assert_near "$(jget nodes.0.percent "$JSON")" "$want0" 1 "node 0's share (the rest was moved away)"

	assert_exit 0 "$NM" check --pid "$H_PID" --exact --range "$H_START+$H_LEN"
	for n in $(mem_nodes); do
		kpct=$(numa_maps_percent "$H_PID" "$H_START" "$H_LEN" "$n")
		if num_cmp "$kpct" -gt 0; then
			assert_match "^Node $n: [0-9.]+% pages" "$OUT" "check's text line for node $n"
			assert_near "$(text_num "Node $n")" "$kpct" 1 "node $n: check text vs numa_maps"
		fi
	done

	# the legacy form
	assert_exit 0 "$NM" --pid "$H_PID" --check
	assert_match '^Node 0: [0-9.]+% pages' "$OUT" "legacy --check output"

	# the default source, numa_maps (one read, as numastat -p), over the
	# whole process: the same pages on every node as the page-exact query
	# of the whole process (the helper is idle)
	assert_exit 0 "$NM" check --pid "$H_PID" --exact --json
	JSON=$OUT
	assert_exit 0 "$NM" check --pid "$H_PID" --json
	save_out check.numa-maps.json
	assert_eq page_exact "$(jget source "$JSON")" "--exact's source"
	assert_eq numa_maps "$(jget source)" "the default's source"
	for n in $(mem_nodes); do
		assert_eq "$(jget "nodes.$n.pages" "$JSON" || echo 0)" "$(jget "nodes.$n.pages" || echo 0)" \
			"node $n: numa_maps vs the page-exact query, whole process"
	done
	helper_stop
}

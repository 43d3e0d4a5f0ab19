# integrity: a thread on node 1 reads and rewrites the region while it moves
# back and forth five times; no byte may change.
# timeout: 400

t_integrity() {
	local i to
	helper_start --size 256M --node 0 --access-node 1 --threads 1 --seed 7
	for i in 1 2 3 4 5; do
		to=$((i % 2))
		assert_exit 0,3 "$NM" move --pid "$H_PID" --range 256M --to-node "$to" --json
		move_json_sane
		if [ "$RC" = 3 ]; then
			# only pages busy under the access thread may stay behind
			assert_eq 0 "$M_FAILED" "failed pages in round $i (exit 3 is allowed for busy pages only)"
			assert_gt "$M_BUSY" 0 "busy pages in round $i (exit 3 without busy pages)"
		fi
		assert_gt "$M_MOVED" 0 "moved in round $i (to node $to)"
		assert_ge "$(numa_maps_percent "$H_PID" "$H_START" "$H_LEN" "$to")" 90 \
			"numa_maps: share on node $to after round $i"
	done
	helper_stop
}

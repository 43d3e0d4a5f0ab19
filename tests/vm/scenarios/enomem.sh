# enomem: node 2 is a 256M memory-only node; moving 512M there runs it out of
# memory: exit 3, ENOMEM counted for every page that did not fit, what fitted
# moved (most of node 2's free memory), the report's counts are where
# numa_maps finds the pages, nothing corrupted.
# nodes: 4
# timeout: 300

t_enomem() {
	local free_kb n0 n2
	need_nodes 4
	helper_start --size 512M --node 0 --no-thp
	free_kb=$(awk '/MemFree:/ { print $4 }' /sys/devices/system/node/node2/meminfo)
	info "node 2 MemFree before the move: $free_kb kB"
	assert_exit 3 "$NM" move --pid "$H_PID" --range 512M --to-node 2 --json
	save_out move.enomem.json
	move_json_sane
	assert_gt "$(jnum failed_by_errno.ENOMEM)" 0 "failed_by_errno.ENOMEM"
	assert_eq "$M_FAILED" "$(jnum failed_by_errno.ENOMEM)" "failed vs failed_by_errno.ENOMEM (every failure is the full node)"
	assert_eq 0 "$M_BUSY" "busy"
	assert_gt "$M_FAILED" 0 "failed"
	# what fitted moved: at least 3/4 of node 2's free memory (the rest is
	# the kernel's watermark reserve), never more than it
	assert_ge "$M_MOVED" $((free_kb / 4 * 3 / 4)) "moved (pages, vs node 2's free $free_kb kB)"
	assert_le "$M_MOVED" $((free_kb / 4)) "moved (pages, vs node 2's free $free_kb kB)"
	n2=$(numa_maps_pages "$H_PID" "$H_START" "$H_LEN" 2)
	n0=$(numa_maps_pages "$H_PID" "$H_START" "$H_LEN" 0)
	info "numa_maps: N0=$n0 N2=$n2"
	assert_eq "$M_MOVED" "$n2" "numa_maps: pages on node 2 vs moved"
	assert_eq $((M_PAGES - M_MOVED)) "$n0" "numa_maps: pages left on node 0 vs pages - moved"
	helper_stop
}

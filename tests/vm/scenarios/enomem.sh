# enomem: node 2 is a 256M memory-only node; moving 512M there runs it out of
# memory: exit 3, ENOMEM counted, what fitted moved, nothing corrupted.
# nodes: 4
# timeout: 300

t_enomem() {
	need_nodes 4
	helper_start --size 512M --node 0 --no-thp
	assert_exit 3 "$NM" move --pid "$H_PID" --range 512M --to-node 2 --json
	move_json_sane
	assert_gt "$(jnum failed_by_errno.ENOMEM)" 0 "failed_by_errno.ENOMEM"
	assert_gt "$M_MOVED" 0 "moved (what fitted on node 2)"
	assert_gt "$M_FAILED" 0 "failed"
	assert_le "$(numa_maps_pages "$H_PID" "$H_START" "$H_LEN" 2)" 65536 "numa_maps: pages on the 256M node 2"
	helper_stop
}

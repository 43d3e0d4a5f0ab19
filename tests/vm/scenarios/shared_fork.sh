# shared_fork: pages shared copy-on-write with a forked child cannot be moved
# without --all (EACCES, exit 3); with --all (CAP_SYS_NICE, root) they are.
# timeout: 240

t_shared_fork() {
	local eacces shared
	helper_start --size 128M --node 0 --no-thp --fork-child
	assert_match ' child=[0-9]+' "$H_LINE" "HELPER line of --fork-child"

	assert_exit 3 "$NM" move --pid "$H_PID" --range 128M --to-node 1 --json
	move_json_sane
	assert_gt "$M_FAILED" 0 "failed (pages shared with the child)"
	eacces=$(jget failed_by_errno.EACCES || echo 0)
	shared=$(jget failed_by_errno | grep -o '"[^"]*[Ss][Hh][Aa][Rr][Ee][Dd][^"]*"' | head -n 1)
	if [ -z "$shared" ]; then
		assert_gt "$eacces" 0 "failed_by_errno.EACCES (pages shared with the child)"
	fi
	assert_lt "$(numa_maps_percent "$H_PID" "$H_START" "$H_LEN" 1)" 50 "numa_maps: share on node 1 without --all"

	assert_exit 0 "$NM" move --pid "$H_PID" --range 128M --to-node 1 --all --verify --json
	move_json_sane
	assert_gt "$M_MOVED" 0 "moved with --all"
	assert_eq 0 "$M_FAILED" "failed with --all"
	assert_ge "$(jnum verification.percent)" 95 "verification.percent with --all"
	assert_ge "$(numa_maps_percent "$H_PID" "$H_START" "$H_LEN" 1)" 95 "numa_maps: share on node 1 with --all"
	helper_stop
}

# drift: with NUMA balancing on and the helper's thread running on node 0,
# pages moved to node 1 drift back; --verify=10 reports it.
# timeout: 240

t_drift() {
	local left to0 after
	[ -w /proc/sys/kernel/numa_balancing ] || fail "/proc/sys/kernel/numa_balancing is not writable"
	echo 1 >/proc/sys/kernel/numa_balancing || fail "cannot enable NUMA balancing"
	at_exit "echo 0 >/proc/sys/kernel/numa_balancing"
	helper_start --size 256M --node 0 --access-node 0 --threads 1

	assert_exit 0,3 "$NM" move --pid "$H_PID" --range 256M --to-node 1 --verify=10 --json
	move_json_sane
	assert_gt "$M_MOVED" 0 "moved"
	after=$(jnum drift.after_s)
	assert_eq 10 "$after" "drift.after_s"
	left=$(jnum drift.left_target)
	to0=$(jget drift.to_nodes.0 || echo missing)
	info "drift: $left pages left node 1 in $after s, $to0 of them to node 0 ($(jget drift.to_nodes))"
	assert_gt "$left" 0 "drift.left_target (pages NUMA balancing took back)"
	assert_gt "$to0" 0 "drift.to_nodes.0"
	helper_stop
}

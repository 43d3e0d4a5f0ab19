# move_interrupt_policy: SIGINT during `move --policy bind --verify=20` puts the
# target back into its cgroup and removes the cpuset child (issue #11 point
# 2): exit 3, a partial report that names what it restored, text and JSON.
# nodes: 2
# kernels: 6.12
# timeout: 300

# the helper in the cpuset child and its pages on node 1: the move is done
# and the run is in its --verify=20 window
nmt_bound_and_moved() {
	! proc_alive "$NMT_MPID" && return 0
	[ "$(grep '^0::' "/proc/$H_PID/cgroup")" = "0::/numa-migrate-$H_PID" ] || return 1
	awk -v p="$(numa_maps_percent "$H_PID" "$H_START" "$H_LEN" 1)" 'BEGIN { exit !(p >= 90) }' || return 1
	move_sleeping
}

t_move_interrupt_policy() {
	local before cg
	helper_start --size 64M --node 0
	cg=/sys/fs/cgroup/numa-migrate-$H_PID
	at_exit "echo $H_PID >/sys/fs/cgroup/cgroup.procs; rmdir $cg"
	before=$(grep '^0::' "/proc/$H_PID/cgroup")
	assert_eq "0::/" "$before" "the helper's cgroup before"

	sigint_move nmt_bound_and_moved "helper not in the cpuset child with its pages on node 1 and the move in its verify window" --pid "$H_PID" --to-node 1 --policy bind --verify=20
	assert_eq 3 "$RC" "exit status of the interrupted move"
	assert_eq "$before" "$(grep '^0::' "/proc/$H_PID/cgroup")" "the helper's cgroup after SIGINT (text)"
	[ -d "$cg" ] && fail "$cg still exists after SIGINT"
	assert_match "^Policy: bind to node 1: pid $H_PID moved from cgroup /sys/fs/cgroup to $cg" "$OUT" "policy line"
	assert_match "^Restored: the cgroup of pid $H_PID \\(moved from /sys/fs/cgroup into $cg\\)" "$OUT" "restored line"
	assert_match "^PARTIAL: interrupted by SIGINT before the drift re-check$" "$OUT" "partial line"

	assert_exit 0 "$NM" move --pid "$H_PID" --range 64M --to-node 0
	sigint_move nmt_bound_and_moved "helper not in the cpuset child with its pages on node 1 and the move in its verify window" --pid "$H_PID" --to-node 1 --policy bind --verify=20 --json
	save_out move.interrupted-policy.json
	assert_eq 3 "$RC" "exit status of the interrupted move (JSON)"
	assert_eq "$before" "$(grep '^0::' "/proc/$H_PID/cgroup")" "the helper's cgroup after SIGINT (JSON)"
	[ -d "$cg" ] && fail "$cg still exists after SIGINT (JSON)"
	assert_eq true "$(jget interrupted)" "interrupted"
	assert_eq policy "$(jget changes_undone.0.kind)" "changes_undone.0.kind"
	assert_eq true "$(jget changes_undone.0.restored)" "changes_undone.0.restored"
	assert_match "cgroup of pid $H_PID" "$(jget changes_undone.0.what)" "changes_undone.0.what"
	assert_eq true "$(jget policy.restored)" "policy.restored"
	assert_match "interrupted by SIGINT" "$(jget error)" "error member"
	helper_stop
}

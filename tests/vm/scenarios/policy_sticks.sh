# policy_sticks: with NUMA balancing on and the helper's thread on node 0
# (pin_sticks shows such a move drifting back), move --policy bind puts the
# helper in a cpuset child with cpuset.mems=1: its memory stays on node 1, the
# thread still runs on node 0, and the printed undo command puts it back.
# nodes: 2
# kernels: 6.12
# timeout: 180

t_policy_sticks() {
	local left moved cg undo
	echo 1 >/proc/sys/kernel/numa_balancing || fail "cannot enable NUMA balancing"
	at_exit "echo 0 >/proc/sys/kernel/numa_balancing"
	helper_start --size 256M --node 0 --access-node 0 --threads 1

	assert_exit 0 "$NM" move --pid "$H_PID" --range 256M --to-node 1 --policy bind --verify=10 --explain --json
	save_out move.policy.json
	cg=$(jget policy.cgroup)
	undo=$(jget policy.undo)
	at_exit "$undo"
	info "policy: $(jget policy)"
	assert_eq "/sys/fs/cgroup/numa-migrate-$H_PID" "$cg" "policy.cgroup"
	assert_eq 1 "$(cat "$cg/cpuset.mems.effective")" "cpuset.mems.effective"
	assert_eq "0::/numa-migrate-$H_PID" "$(grep '^0::' "/proc/$H_PID/cgroup")" "the helper's cgroup"
	moved=$(jnum moved)
	left=$(jnum drift.left_target)
	info "with --policy bind: moved $moved (already on node 1: $(jget already_on_target)), $left left node 1 in 10 s"
	assert_le "$left" 655 "drift with --policy bind (at most 1% of 65536)"
	assert_ge "$(jnum verification.percent)" 99 "verification.percent"
	assert_ge "$(numa_maps_percent "$H_PID" "$H_START" "$H_LEN" 1)" 99 "numa_maps: on node 1 after 10 s"
	assert_eq 0 "$(awk '{print $39}' "/proc/$H_PID/task/$(ls "/proc/$H_PID/task" | tail -n 1)/stat")" \
		"the access thread still runs on node 0's CPU"

	sh -c "$undo" || fail "undo '$undo' failed"
	assert_eq "0::/" "$(grep '^0::' "/proc/$H_PID/cgroup")" "the helper's cgroup after undo"
	[ -d "$cg" ] && fail "$cg still exists after undo"
	helper_stop
}

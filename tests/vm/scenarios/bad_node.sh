# bad_node: a node that does not exist is an argument error naming the node;
# a node outside the target's cpuset fails with a message about the cpuset.
# timeout: 180

CG=/sys/fs/cgroup/nmt_bad_node

t_bad_node() {
	helper_start --size 64M --node 0 --no-thp

	assert_exit 1 "$NM" move --pid "$H_PID" --range 64M --to-node 7
	assert_match '[Nn]ode[^0-9]{0,20}7([^0-9]|$)' "$ALL" "message for --to-node 7"

	cpuset_confine "$H_PID" 0
	assert_exit 1,3 "$NM" move --pid "$H_PID" --range 64M --to-node 1
	assert_match 'cpuset' "$ALL" "message for a node outside the target's cpuset.mems"
	assert_ge "$(numa_maps_percent "$H_PID" "$H_START" "$H_LEN" 0)" 99 \
		"numa_maps: pages stay on node 0"
	helper_stop
}

# cpuset_confine PID MEMS: a cgroup v2 child with cpuset.mems=MEMS holding PID.
cpuset_confine() {
	grep -qw cpuset /sys/fs/cgroup/cgroup.controllers ||
		skip "no cpuset controller in /sys/fs/cgroup/cgroup.controllers ($(cat /sys/fs/cgroup/cgroup.controllers))"
	echo +cpuset >/sys/fs/cgroup/cgroup.subtree_control ||
		skip "cannot enable +cpuset in /sys/fs/cgroup/cgroup.subtree_control"
	mkdir -p "$CG" || skip "cannot create $CG"
	at_exit "cpuset_release"
	echo "$2" >"$CG/cpuset.mems" || skip "cannot write $2 to $CG/cpuset.mems"
	echo "$1" >"$CG/cgroup.procs" || skip "cannot move pid $1 into $CG"
	assert_eq "$2" "$(cat "$CG/cpuset.mems.effective")" "cpuset.mems.effective of $CG"
	info "pid $1 confined to mems $2 in $CG"
}

cpuset_release() {
	local p
	for p in $(cat "$CG/cgroup.procs" 2>/dev/null); do
		echo "$p" >/sys/fs/cgroup/cgroup.procs
	done
	rmdir "$CG" 2>/dev/null
}

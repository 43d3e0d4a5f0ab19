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

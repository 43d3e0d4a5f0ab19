# pin_sticks: with NUMA balancing on and the helper's thread on node 0, a move
# to node 1 drifts back; diagnose warned and named --pin-threads, and --explain
# attributes the drift to NUMA balancing from node 0's CPU; the same move with
# --pin-threads stays on node 1.
# nodes: 2
# kernels: 6.12
# timeout: 240

t_pin_sticks() {
	local left moved
	echo 1 >/proc/sys/kernel/numa_balancing || fail "cannot enable NUMA balancing"
	at_exit "echo 0 >/proc/sys/kernel/numa_balancing"
	helper_start --size 256M --node 0 --access-node 0 --threads 1
	sleep 1

	assert_exit 0 "$NM" diagnose --pid "$H_PID" --range 256M --to-node 1 --json
	save_out diagnose.pin.json
	assert_eq warn "$(finding numa_balancing severity)" "numa_balancing finding"
	assert_match "--pin-threads" "$(finding numa_balancing fix)" "numa_balancing fix"

	assert_exit 0,3 "$NM" move --pid "$H_PID" --range 256M --to-node 1 --verify=10 --explain --json
	save_out move.explain-drift.json
	left=$(jnum drift.left_target)
	info "without --pin-threads: $left of $(jget moved) pages left node 1 in 10 s"
	info "attribution: $(jget drift.attribution.causes)"
	assert_gt "$left" 1000 "drift without --pin-threads"
	assert_eq numa_balancing "$(jget drift.attribution.causes.0.cause)" "first drift cause"
	assert_ge "$(jnum drift.attribution.causes.0.pages)" $((left / 2)) \
		"pages attributed to NUMA balancing (of $left that left)"
	assert_gt "$(jnum drift.attribution.causes.0.cpu_nodes.0)" 0 "faulting CPUs on node 0"
	assert_match "--pin-threads" "$(jget drift.attribution.causes.0.fix)" "drift fix"

	assert_exit 0 "$NM" move --pid "$H_PID" --range 256M --to-node 1 --pin-threads --verify=10 --json
	save_out move.pin-threads.json
	moved=$(jnum moved)
	left=$(jnum drift.left_target)
	info "with --pin-threads: $left pages left node 1 in 10 s; pinned $(jget pin_threads)"
	assert_ge "$(jnum pin_threads.pinned)" 2 "threads pinned"
	assert_eq "$(jnum pin_threads.threads)" "$(jnum pin_threads.pinned)" "every thread pinned"
	assert_eq 1 "$(jget pin_threads.cpus)" "node 1's CPUs"
	# the access thread ran on node 0's CPU, the main thread anywhere
	assert_match '"cpus": *"0"' "$(jget pin_threads.previous)" "previous affinity of the access thread"
	assert_match "taskset" "$(jget pin_threads.undo)" "undo command"
	assert_le "$left" $((moved / 100)) "drift with --pin-threads (at most 1%)"
	assert_ge "$(numa_maps_percent "$H_PID" "$H_START" "$H_LEN" 1)" 95 "numa_maps: on node 1 after 10 s"
	helper_stop
}

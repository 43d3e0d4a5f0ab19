# diagnose_node_full: node 2 (256M) cannot take 512M: diagnose blocks with the
# MiB to free; move --explain names node_full with the same kind of fix.
# nodes: 4
# timeout: 240

t_diagnose_node_full() {
	need_nodes 4
	helper_start --size 512M --node 0 --no-thp
	assert_exit 3 "$NM" diagnose --pid "$H_PID" --range 512M --to-node 2 --json
	save_out diagnose.node-full.json
	assert_eq true "$(finding free_memory blocks)" "free_memory blocks"
	assert_match "free at least [0-9]+ MiB on node 2" "$(finding free_memory fix)" "free_memory fix"
	assert_eq info "$(finding cpus severity)" "cpus finding (node 2 has no CPUs)"
	assert_match "no CPUs" "$(finding cpus what)" "cpus finding"

	assert_exit 3 "$NM" move --pid "$H_PID" --range 512M --to-node 2 --explain --json
	save_out move.explain-node-full.json
	assert_gt "$(cause_pages node_full)" 0 "node_full pages"
	assert_eq "$(jnum failed_by_errno.ENOMEM)" "$(cause_pages node_full)" "node_full = ENOMEM pages"
	info "node_full fix: $(jget explain.causes.0.fix)"
	assert_match "free at least [0-9.]+ MiB on node 2" "$(jget explain.causes.0.fix)" "node_full fix"
	helper_stop
}

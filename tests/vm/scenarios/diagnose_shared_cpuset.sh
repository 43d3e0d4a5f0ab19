# diagnose_shared_cpuset: pages shared copy-on-write with a forked child are
# counted from pagemap before the move and named 'shared' after it; a node
# outside the target's cpuset blocks (exit 3) with the cpuset.mems fix.
# nodes: 2
# kernels: 6.12
# timeout: 150

t_diagnose_shared_cpuset() {
	local pages
	helper_start --size 64M --node 0 --no-thp --fork-child
	pages=$((H_LEN / 4096))

	assert_exit 0 "$NM" diagnose --pid "$H_PID" --range 64M --to-node 1 --json
	save_out diagnose.shared.json
	assert_eq "$pages" "$(jnum facts.pages.shared)" "facts.pages.shared"
	assert_eq warn "$(finding shared severity)" "shared finding"
	assert_match "--all" "$(finding shared fix)" "shared fix"

	assert_exit 3 "$NM" move --pid "$H_PID" --range 64M --to-node 1 --explain --json
	save_out move.explain-shared.json
	assert_eq shared "$(jget explain.causes.0.cause)" "first cause"
	assert_eq "$pages" "$(jnum explain.causes.0.pages)" "shared pages"
	assert_eq EACCES "$(jget explain.causes.0.from)" "shared comes from EACCES"
	assert_match "CAP_SYS_NICE" "$(jget explain.causes.0.fix)" "shared fix"
	assert_exit 3 "$NM" move --pid "$H_PID" --range 64M --to-node 1 --explain
	assert_match "^  shared: $pages pages \(EACCES\)" "$OUT" "text cause line"

	cpuset_confine "$H_PID" 0
	assert_exit 3 "$NM" diagnose --pid "$H_PID" --to-node 1 --json
	save_out diagnose.blocked.json
	assert_eq blocked "$(jget verdict)" "verdict"
	assert_eq true "$(finding cpuset blocks)" "cpuset finding blocks"
	assert_match "cpuset.mems" "$(finding cpuset fix)" "cpuset fix"
	assert_exit 3 "$NM" diagnose --pid "$H_PID" --to-node 1
	assert_match "\[BLOCKS\] +cpuset: node 1 is outside" "$OUT" "text cpuset line"
	helper_stop
}

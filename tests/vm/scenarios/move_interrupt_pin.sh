# move_interrupt_pin: SIGINT during `move --pin-threads --verify=20` puts every
# thread's CPU affinity back as it was before the move (issue #11 point 2):
# exit 3, a partial report that says it was interrupted and names what it
# restored, in text and in JSON.
# nodes: 2
# kernels: 6.12
# timeout: 300

# "TID CPULIST;" for every thread of PID, sorted.
nmt_affinity() {
	local t
	for t in /proc/"$1"/task/*; do
		echo "${t##*/} $(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "$t/status")"
	done | sort | tr '\n' ';'
}

# every thread on node 1's CPU and the range on node 1: the move is done and
# the run is in its --verify=20 window
nmt_pinned_and_moved() {
	! proc_alive "$NMT_MPID" && return 0
	[ -z "$(nmt_affinity "$H_PID" | tr ';' '\n' | awk 'NF && $2 != "1"')" ] || return 1
	awk -v p="$(numa_maps_percent "$H_PID" "$H_START" "$H_LEN" 1)" 'BEGIN { exit !(p >= 90) }' || return 1
	move_sleeping
}

t_move_interrupt_pin() {
	local before after
	helper_start --size 64M --node 0 --access-node 0 --threads 1
	before=$(nmt_affinity "$H_PID")
	info "affinity before: $before"
	assert_match ' 0;' "$before" "the access thread runs on node 0's CPU"

	sigint_move nmt_pinned_and_moved "threads not pinned, pages not on node 1 and the move not in its verify window" --pid "$H_PID" --range 64M --to-node 1 --pin-threads --verify=20
	assert_eq 3 "$RC" "exit status of the interrupted move"
	assert_eq "$before" "$(nmt_affinity "$H_PID")" "every thread's affinity after SIGINT (text)"
	assert_match "^Pinned threads: ([0-9]+) of \1 to node 1's CPUs 1;" "$OUT" "pin line"
	assert_match "^Restored: the CPU affinity of pid $H_PID's [0-9]+ pinned threads? \(set to node 1's CPUs 1\)" "$OUT" "restored line"
	assert_match "^PARTIAL: interrupted by SIGINT before the drift re-check$" "$OUT" "partial line"
	assert_match "^ERROR: interrupted by SIGINT" "$ERR" "error message"

	# the same in JSON, from node 0 again
	assert_exit 0 "$NM" move --pid "$H_PID" --range 64M --to-node 0
	assert_eq "$before" "$(nmt_affinity "$H_PID")" "affinity untouched by a move without --pin-threads"
	sigint_move nmt_pinned_and_moved "threads not pinned, pages not on node 1 and the move not in its verify window" --pid "$H_PID" --range 64M --to-node 1 --pin-threads --verify=20 --json
	save_out move.interrupted-pin.json
	after=$(nmt_affinity "$H_PID")
	assert_eq 3 "$RC" "exit status of the interrupted move (JSON)"
	assert_eq "$before" "$after" "every thread's affinity after SIGINT (JSON)"
	assert_eq 1 "$(printf '%s\n' "$OUT" | grep -c '^{')" "JSON documents on stdout"
	assert_eq true "$(jget interrupted)" "interrupted"
	assert_eq true "$(jget partial)" "partial"
	assert_eq pin_threads "$(jget changes_undone.0.kind)" "changes_undone.0.kind"
	assert_eq true "$(jget changes_undone.0.restored)" "changes_undone.0.restored"
	assert_match "affinity of pid $H_PID" "$(jget changes_undone.0.what)" "changes_undone.0.what"
	assert_eq true "$(jget pin_threads.restored)" "pin_threads.restored"
	assert_match "interrupted by SIGINT" "$(jget error)" "error member"
	assert_eq 3 "$(jnum exit_code)" "exit_code member"
	helper_stop
}

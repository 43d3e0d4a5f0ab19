# move_interrupt_midmove: SIGINT while pages are being moved (no --pin-threads)
# ends the move at the next batch with a partial report that says it was
# interrupted, and exit 3: an interrupted move is not a success. Small batches
# on one job keep the move running for many seconds under TCG.
# nodes: 2
# kernels: 6.12
# timeout: 300

nmt_first_pages_moved() {
	! proc_alive "$NMT_MPID" && return 0
	[ "$(numa_maps_pages "$H_PID" "$H_START" "$H_LEN" 1 2>/dev/null || echo 0)" -gt 0 ]
}

t_move_interrupt_midmove() {
	local total moved
	helper_start --size 512M --node 0 --no-thp
	total=$((H_LEN / 4096))
	sigint_move nmt_first_pages_moved "no page reached node 1" \
		--pid "$H_PID" --range 512M --to-node 1 --batch 16 --jobs 1
	assert_eq 3 "$RC" "exit status of the interrupted move"
	assert_match "^PARTIAL: interrupted by SIGINT after [0-9]+ of $total pages were examined" "$OUT" "partial line"
	assert_match "^ERROR: interrupted by SIGINT" "$ERR" "error message"
	moved=$(text_num Moved)
	is_num "$moved" || fail "no 'Moved:' line in the partial report"
	assert_lt "$moved" "$total" "pages moved before the signal (of $total)"
	assert_ge "$(numa_maps_pages "$H_PID" "$H_START" "$H_LEN" 1)" "$moved" "numa_maps pages on node 1"
	helper_stop
}

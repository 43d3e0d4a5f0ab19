# exit_midmove: the target is SIGKILLed while its pages are being moved. The
# move must end with exit 3, print 'process P exited during the move after N
# of M pages were examined', the partial report (Pages examined: N) and not
# crash. The kill is sent once numa_maps shows the first moved pages.
# timeout: 400

t_exit_midmove() {
	local attempt size mpid rc moved_now msg
	size=1G
	for attempt in 1 2 3; do
		helper_start --size "$size" --node 0 --no-thp
		info "attempt $attempt: moving $size to node 1, killing the helper once pages arrive"
		"$NM" move --pid "$H_PID" --range "$size" --to-node 1 >move.$attempt.out 2>move.$attempt.err &
		mpid=$!
		nmt_track_pid "$mpid"
		NMT_MPID=$mpid
		wait_until 60 nmt_move_started || fail "no page reached node 1 within 60 s of starting the move"
		moved_now=$(numa_maps_pages "$H_PID" "$H_START" "$H_LEN" 1 2>/dev/null)
		kill -KILL "$H_PID"
		info "helper killed with ${moved_now:-?} pages on node 1"
		wait "$mpid"
		rc=$?
		OUT=$(cat move.$attempt.out)
		ALL=$(cat move.$attempt.out move.$attempt.err)
		printf '%s\n' "$ALL" | sed 's/^/    move| /' >&2
		info "move exited with status $rc"
		assert_lt "$rc" 128 "move's exit status (>= 128 means it was killed by a signal: a crash)"
		if [ "$rc" = 0 ] && [ "${moved_now:-0}" -ge $((H_LEN / 4096 * 95 / 100)) ]; then
			info "the move finished before the kill landed; retrying"
			continue
		fi
		assert_eq 3 "$rc" "move's exit status when the target exits mid-move"
		assert_match "process $H_PID exited during the move after [0-9]+ of [0-9]+ pages were examined; the counts are partial" \
			"$ALL" "message saying the process exited during the move"
		msg=$(printf '%s\n' "$ALL" | sed -n "s/.*process $H_PID exited during the move after \([0-9]*\) of \([0-9]*\) pages.*/\1 \2/p" | head -n 1)
		set -- $msg
		assert_eq $((H_LEN / 4096)) "$2" "pages to examine in the exit message (1G)"
		assert_lt "$1" "$2" "pages examined in the exit message (partial)"
		assert_match '^Pages examined: [0-9]+' "$OUT" "partial report"
		assert_eq "$1" "$(text_num 'Pages examined')" "report's 'Pages examined' vs the exit message"
		return 0
	done
	fail "in 3 attempts the kill never landed while the move was running (the move finished first)"
}

nmt_move_started() {
	! proc_alive "$NMT_MPID" && return 0
	[ "$(numa_maps_pages "$H_PID" "$H_START" "$H_LEN" 1 2>/dev/null || echo 0)" -gt 0 ]
}

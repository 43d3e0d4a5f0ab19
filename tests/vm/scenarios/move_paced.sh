# move_paced: move --max-stall cuts the move into many small calls and still
# lands every page, verified by the tool, numa_maps and the helper's pattern.
# 64M of 4K pages: with a 2 ms bound each call holds a few dozen pages.
# With a thread of the process busy on node 1's CPU, the paced move runs on
# node 0's without pauses; --mover-any-cpu keeps the pauses.
# timeout: 200

t_move_paced() {
	local pages calls
	helper_start --size 64M --node 0 --no-thp --seed 7
	assert_exit 0 "$NM" move --pid "$H_PID" --range 64M --to-node 1 --verify --max-stall 2 --json
	pages=$(jnum pages)
	calls=$(jnum move_pages_calls)
	info "paced move: $pages pages in $calls move_pages calls"
	assert_eq "$(jnum moved)" "$pages" "every page moved under --max-stall 2"
	# unpaced, 16384 pages go in one call; paced, no call holds more than
	# NM_PACE_MAX (2048) pages, and under TCG (tens of us a page) far fewer
	assert_ge "$calls" $((pages / 2048)) "move_pages calls under --max-stall 2"
	assert_gt "$calls" $((pages / 256)) "calls small enough for a 1 ms aim"
	assert_ge "$(numa_maps_percent "$H_PID" "$H_START" "$H_LEN" 1)" 95 "numa_maps: share on node 1"
	# the report's split of the time: the bound in force, time inside the
	# calls, the pauses between them (none is ever paid for the last call)
	assert_eq "$(jnum max_stall_ms)" 2 "max_stall_ms: the bound in force"
	assert_gt "$(jnum move_pages_seconds)" 0 "move_pages_seconds of a paced move"
	assert_gt "$(jnum paused_seconds)" 0 "paused_seconds of a paced move"
	# the helper's threads sleep: no CPU is kept clear of them
	jget mover_cpus >/dev/null && fail "mover_cpus of a move beside sleeping threads: $(jget mover_cpus)"

	# the same move back without a bound: one call per 16384-page batch
	assert_exit 0 "$NM" move --pid "$H_PID" --range 64M --to-node 0 --json
	assert_eq "$(jnum move_pages_calls)" $((pages / 16384)) "unpaced calls (one per batch)"
	assert_eq "$(jnum max_stall_ms)" 0 "max_stall_ms unpaced"
	assert_eq "$(jnum paused_seconds)" 0 "no pause unpaced"
	assert_gt "$(jnum move_pages_seconds)" 0 "move_pages_seconds unpaced"

	assert_exit 1 "$NM" move --pid "$H_PID" --range 64M --to-node 1 --max-stall 1001
	assert_match "max-stall" "$ERR" "an out-of-range bound is a usage error naming the option"

	helper_verify
	assert_match '^VERIFY ok ' "$H_VERIFY" "helper's pattern check after the paced moves"
	helper_stop

	# a thread of the process busy on node 1's CPU: the paced move runs on
	# node 0's, which it does not use, and calls without pauses
	helper_start --size 64M --node 0 --no-thp --seed 7 --access-node 1 --threads 1
	sleep 0.5	# the thread is running
	assert_exit 0 "$NM" move --pid "$H_PID" --range 64M --to-node 1 --max-stall 2 --batch 4096 \
		--jobs 2 --json
	assert_eq "$(cat /sys/devices/system/node/node0/cpulist)" "$(jget mover_cpus)" \
		"the CPUs of a paced move beside a thread busy on node 1"
	assert_eq 1 "$(jnum jobs)" "jobs on the one CPU of its own (4 batches, --jobs 2)"
	assert_eq 0 "$(jnum paused_seconds)" "paused_seconds on CPUs of its own"
	assert_eq "$(jnum moved)" "$(jnum pages)" "every page moved off the process's CPUs"
	assert_gt "$(jnum move_pages_calls)" $(($(jnum pages) / 256)) "calls still paced"
	assert_ge "$(numa_maps_percent "$H_PID" "$H_START" "$H_LEN" 1)" 95 "numa_maps: share on node 1"
	# --mover-any-cpu: where it runs, with the pauses
	assert_exit 0 "$NM" move --pid "$H_PID" --range 64M --to-node 0 --max-stall 2 \
		--mover-any-cpu --json
	jget mover_cpus >/dev/null && fail "mover_cpus under --mover-any-cpu: $(jget mover_cpus)"
	assert_gt "$(jnum paused_seconds)" 0 "paused_seconds under --mover-any-cpu"
	helper_verify
	assert_match '^VERIFY ok ' "$H_VERIFY" "helper's pattern check after the moves beside its thread"
	helper_stop
}

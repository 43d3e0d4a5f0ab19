# unprivileged: uid 1000 may not move root's pages (exit 2, the message names
# the missing privilege), may move its own, and may not use --all without
# CAP_SYS_NICE.

t_unprivileged() {
	helper_start --size 64M --node 0 --no-thp
	local root_helper=$H_PID root_start=$H_START root_len=$H_LEN

	assert_exit 2 as_tester "$NM" move --pid "$root_helper" --range 64M --to-node 1
	assert_match 'CAP_SYS_NICE|ptrace' "$ALL" "message for moving root's process as uid 1000"
	assert_ge "$(numa_maps_percent "$root_helper" "$root_start" "$root_len" 0)" 99 \
		"numa_maps: root's pages still on node 0"

	HELPER_AS=as_tester helper_start --size 32M --node 0 --no-thp
	assert_eq 1000 "$(awk '/^Uid:/ { print $2 }' "/proc/$H_PID/status")" "uid of the tester's helper"
	assert_exit 0 as_tester "$NM" move --pid "$H_PID" --range 32M --to-node 1 --verify
	assert_ge "$(text_num Verification)" 95 "uid 1000 moving its own pages"

	assert_exit 2 as_tester "$NM" move --pid "$H_PID" --range 32M --to-node 0 --all
	assert_match 'CAP_SYS_NICE' "$ALL" "message for --all without CAP_SYS_NICE"
	helper_stop
}

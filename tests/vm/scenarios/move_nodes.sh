# move_nodes: with a buffer spread over nodes 1, 2 and 0, --from-node moves
# only the pages on the nodes it lists (numa_maps: the others stay where they
# were); --min-verified exits 3 when fewer than PCT% of the present pages are
# on the target afterwards and 0 when at least PCT% are; --pin-threads to a
# CPU-less node is refused (exit 1, nothing moved); a thread whose cpuset
# refuses the target's CPUs makes the move exit 3 (every thread refusing:
# exit 1, nothing moved); diagnose --all without CAP_SYS_NICE exits 2 (and 0
# without --all).
# nodes: 4
# timeout: 240

MB=1048576

t_move_nodes() {
	local a b c p64 seg
	need_nodes 4
	assert_eq "0 1" "$(cpu_nodes | sed 's/ $//')" "nodes with CPUs (2 and 3 must be memory-only)"
	helper_start --size 192M --node 0 --no-thp
	p64=$((64 * MB / 4096))
	a=$(hex "$H_START") b=$(hex "$H_START + 64 * $MB") c=$(hex "$H_START + 128 * $MB")
	assert_exit 0 "$NM" move --pid "$H_PID" --range "$a+$((64 * MB))" --to-node 1
	assert_exit 0 "$NM" move --pid "$H_PID" --range "$b+$((64 * MB))" --to-node 2
	seg_nodes "set-up" "0 $p64 0 0" "0 0 $p64 0" "$p64 0 0 0"

	# --from-node 1 --to-node 3: only segment a moves; 1/3 on node 3 < 50%
	assert_exit 3 "$NM" move --pid "$H_PID" --range "$a+$H_LEN" --from-node 1 --to-node 3 \
		--verify --min-verified 50 --json
	save_out move.from-node.json
	move_json_sane
	assert_eq "$p64" "$M_MOVED" "--from-node 1: moved (segment a, on node 1)"
	assert_eq $((2 * p64)) "$M_SKIPPED" "--from-node 1: skipped_filter (segments b, c)"
	assert_eq false "$(jget verification.passed)" "--min-verified 50: verification.passed"
	assert_near "$(jnum verification.percent)" 33.3 0.2 "verification.percent (a of a, b, c on node 3)"
	assert_eq 50 "$(jnum verification.min_percent)" "verification.min_percent"
	seg_nodes "--from-node 1" "0 0 0 $p64" "0 0 $p64 0" "$p64 0 0 0"

	# the text form says why it failed
	assert_exit 3 "$NM" move --pid "$H_PID" --range "$a+$H_LEN" --from-node 1 --to-node 3 \
		--verify --min-verified 50
	assert_match '50' "$ALL" "the text report names the --min-verified threshold"

	# --from-node 0,2 would take b and c; --from-node 2 takes b only: 2/3 >= 66%
	assert_exit 0 "$NM" move --pid "$H_PID" --range "$a+$H_LEN" --from-node 2 --to-node 3 \
		--verify --min-verified 66 --json
	move_json_sane
	assert_eq "$p64" "$M_MOVED" "--from-node 2: moved (segment b)"
	assert_eq $((2 * p64)) $((M_SKIPPED + $(jnum already_on_target))) \
		"--from-node 2: skipped_filter + already_on_target (segments a, now on node 3, and c)"
	assert_eq true "$(jget verification.passed)" "--min-verified 66: verification.passed"
	seg_nodes "--from-node 2" "0 0 0 $p64" "0 0 0 $p64" "$p64 0 0 0"

	# --pin-threads to node 2, which has no CPU: refused before anything moves
	assert_exit 1 "$NM" move --pid "$H_PID" --range "$c+$((64 * MB))" --to-node 2 --pin-threads
	assert_match 'node 2' "$ERR" "the refusal names node 2"
	assert_match '[Cc][Pp][Uu]' "$ERR" "the refusal says node 2 has no CPU"
	seg_nodes "--pin-threads to node 2" "0 0 0 $p64" "0 0 0 $p64" "$p64 0 0 0"
	assert_eq "0-1" "$(taskset_list "$H_PID")" "helper's affinity after the refused --pin-threads"
	helper_stop

	pin_refused
	diagnose_all_unprivileged
}

# seg_nodes WHAT SEG_A SEG_B SEG_C: each of the helper's 64M segments has
# "N0 N1 N2 N3" pages on the nodes (numa_maps_pages over the whole VMA would
# mix them, so count with check).
seg_nodes() {
	local what=$1 s i=0 want got n
	shift
	for want in "$@"; do
		s=$(hex "$H_START + $i * 64 * $MB")
		run "$NM" check --pid "$H_PID" --exact --range "$s+$((64 * MB))" --json
		[ "$RC" = 0 ] || fail "$what: check of segment $i failed (rc $RC)"
		got=
		for n in 0 1 2 3; do got="$got $(jget "nodes.$n.pages" || echo 0)"; done
		assert_eq "$want" "${got# }" "$what: segment $i pages on nodes 0 1 2 3"
		i=$((i + 1))
	done
	# numa_maps (one VMA): the totals per node agree
	for n in 0 1 2 3; do
		want=0
		for s in "$@"; do want=$((want + $(echo "$s" | cut -d' ' -f$((n + 1))))); done
		assert_eq "$want" "$(numa_maps_pages "$H_PID" "$H_START" "$H_LEN" "$n")" "$what: numa_maps N$n="
	done
}

# taskset_list PID: the CPU list every thread of PID may run on (one value if
# they agree, else all of them).
taskset_list() {
	local t
	for t in /proc/$1/task/*; do
		sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "$t/status"
	done | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# --pin-threads against cpusets (cgroup v2, threaded): the helper's access
# thread sits in a threaded child whose cpuset.cpus is CPU 0, so it refuses
# node 1's CPU. With every thread there nothing can be pinned: exit 1 before
# anything moves. With only the access thread there the main thread is
# pinned, the other refuses: the move happens and exits 3, and the report
# says which thread refused.
pin_refused() {
	local cg=/sys/fs/cgroup/nmt_pin tid t
	grep -qw cpuset /sys/fs/cgroup/cgroup.controllers || fail "no cpuset controller in the guest"
	echo +cpuset >/sys/fs/cgroup/cgroup.subtree_control || fail "cannot enable +cpuset"
	helper_start --size 16M --node 0 --no-thp --threads 1 --access-node 0
	mkdir -p "$cg" || fail "cannot create $cg"
	at_exit "cgroup_release $cg"
	echo "$H_PID" >"$cg/cgroup.procs" || fail "cannot move $H_PID into $cg"
	mkdir -p "$cg/t" || fail "cannot create $cg/t"
	at_exit "rmdir $cg/t 2>/dev/null"
	echo threaded >"$cg/t/cgroup.type" || fail "cannot make $cg/t threaded"
	echo +cpuset >"$cg/cgroup.subtree_control" || fail "cannot enable +cpuset in $cg"
	echo 0 >"$cg/t/cpuset.cpus" || fail "cannot write 0 to $cg/t/cpuset.cpus"
	tid=
	for t in /proc/$H_PID/task/*; do
		t=${t##*/}
		[ "$t" != "$H_PID" ] && tid=$t
	done
	[ -n "$tid" ] || fail "the helper has no access thread"
	for t in /proc/$H_PID/task/*; do echo "${t##*/}" >"$cg/t/cgroup.threads" || fail "cannot move thread ${t##*/} into $cg/t"; done
	assert_eq 0 "$(taskset_list "$H_PID")" "helper's CPUs inside $cg/t"

	# every thread refuses: nothing is pinned, nothing moves
	assert_exit 1 "$NM" move --pid "$H_PID" --range 16M --to-node 1 --pin-threads --json
	assert_match 'cpuset\.cpus' "$ERR" "the refusal names cpuset.cpus"
	assert_eq 0 "$(numa_maps_pages "$H_PID" "$H_START" "$H_LEN" 1)" "numa_maps: pages on node 1 after the refused move"

	# the main thread back in $cg (all CPUs): it is pinned, the access thread refuses
	echo "$H_PID" >"$cg/cgroup.threads" || fail "cannot move thread $H_PID back into $cg"
	assert_exit 3 "$NM" move --pid "$H_PID" --range 16M --to-node 1 --pin-threads --json
	save_out move.pin-partial.json
	info "pin_threads: $(jget pin_threads)"
	assert_eq 2 "$(jnum pin_threads.threads)" "threads"
	assert_eq 1 "$(jnum pin_threads.pinned)" "threads pinned (the main thread)"
	assert_eq 1 "$(jnum pin_threads.failed)" "threads that refused (the access thread)"
	assert_eq $((16 * MB / 4096)) "$(jnum moved)" "pages moved despite the refusal"
	assert_eq 1 "$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "/proc/$H_PID/task/$H_PID/status")" "main thread's CPUs (pinned to node 1)"
	assert_eq 0 "$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "/proc/$H_PID/task/$tid/status")" "access thread's CPUs (refused)"
	assert_exit 3 "$NM" move --pid "$H_PID" --range 16M --to-node 1 --pin-threads
	assert_match "1 of 2 threads could not be pinned to node 1 \\(thread $tid: " "$ERR" "text: the refusal names the thread"
	helper_stop
}

# diagnose --all as uid 1000 (no CAP_SYS_NICE) on its own process: exit 2
# and a blocking privileges finding naming CAP_SYS_NICE; without --all, 0.
diagnose_all_unprivileged() {
	HELPER_AS=as_tester helper_start --size 16M --node 0 --no-thp
	assert_exit 0 as_tester "$NM" diagnose --pid "$H_PID" --range 16M --to-node 1 --json
	assert_exit 2 as_tester "$NM" diagnose --pid "$H_PID" --range 16M --to-node 1 --all --json
	save_out diagnose.unprivileged-all.json
	assert_eq 2 "$(jnum exit_code)" "diagnose --all: exit_code in the JSON"
	assert_eq true "$(finding privileges blocks)" "privileges finding blocks"
	assert_match 'CAP_SYS_NICE' "$(finding privileges what) $(finding privileges fix)" \
		"privileges finding names CAP_SYS_NICE"
	assert_exit 2 as_tester "$NM" diagnose --pid "$H_PID" --range 16M --to-node 1 --all
	assert_match 'CAP_SYS_NICE' "$ALL" "text: names CAP_SYS_NICE"
	helper_stop
}

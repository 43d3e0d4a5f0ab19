# drift_demotion: with demotion enabled, reclaim in the helper's memory cgroup
# (memory.reclaim; the guest has no swap) demotes its pages from node 0 to a
# CPU-less lower-tier node; diagnose --watch attributes them to demotion.
# nodes: 4
# kernels: 6.12
# timeout: 180

CGD=/sys/fs/cgroup/nmt_demote

t_drift_demotion() {
	local old left
	need_nodes 4
	info "memory tiers: $(for t in /sys/devices/virtual/memory_tiering/memory_tier*; do printf '%s=%s ' "${t##*/}" "$(cat "$t/nodelist")"; done)"
	[ -w /sys/kernel/mm/numa/demotion_enabled ] || fail "no /sys/kernel/mm/numa/demotion_enabled"
	old=$(cat /sys/kernel/mm/numa/demotion_enabled)
	echo 1 >/sys/kernel/mm/numa/demotion_enabled || fail "cannot enable demotion"
	at_exit "echo $old >/sys/kernel/mm/numa/demotion_enabled"
	grep -qw memory /sys/fs/cgroup/cgroup.controllers || fail "no memory controller"
	echo +memory >/sys/fs/cgroup/cgroup.subtree_control || fail "cannot enable +memory"
	mkdir -p "$CGD" || fail "cannot create $CGD"
	at_exit "cgroup_release $CGD"
	# born in the cgroup, so its pages are charged there (v2 does not move
	# charges with a process) and memory.reclaim there reclaims them
	echo $$ >"$CGD/cgroup.procs" || fail "cannot enter $CGD"
	helper_start --size 64M --node 0 --no-thp
	echo $$ >/sys/fs/cgroup/cgroup.procs || fail "cannot leave $CGD"
	assert_match "$CGD" "/sys/fs/cgroup$(sed -n 's/^0:://p' "/proc/$H_PID/cgroup")" "the helper's cgroup"

	"$NM" diagnose --pid "$H_PID" --range 64M --to-node 0 --watch 10 --json >watch.json 2>watch.err &
	nmt_track_pid $!
	sleep 4
	echo 48M >"$CGD/memory.reclaim" 2>reclaim.err || info "memory.reclaim: $(cat reclaim.err)"
	wait_until 30 grep -q '"watch"' watch.json || fail "diagnose --watch wrote no report: $(cat watch.err)"
	sleep 1
	OUT=$(cat watch.json)
	save_out diagnose.watch-demotion.json
	info "watch: $(jget watch.attribution)"
	left=$((H_LEN / 4096 - $(numa_maps_pages "$H_PID" "$H_START" "$H_LEN" 0)))
	info "numa_maps: $left pages of the helper left node 0"
	assert_gt "$left" 0 "pages demoted (numa_maps)"
	assert_eq demotion "$(jget watch.attribution.causes.0.cause)" "first cause"
	assert_gt "$(jnum watch.attribution.causes.0.pages)" 0 "pages attributed to demotion"
	assert_match "demotion_enabled" "$(jget watch.attribution.causes.0.fix)" "demotion fix"
	assert_eq "$left" "$(jnum watch.attribution.causes.0.pages)" "attributed = left node 0"
}

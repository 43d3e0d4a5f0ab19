# auto_policy: the policy's limits on a live process, each read back from
# the decision log. --dry-run moves nothing (the tracepoint agrees) but says
# what it would; --reserve larger than any node's free memory blocks every
# move with reason 'reserve'; a cpuset without node 1 gives 'outside_cpuset';
# with nmt-access's regions (one used by node 0, one by node 1, one by both;
# the kernel's default scan size, so each is sampled every period) nothing
# moves with less than --share 75 of its interval's samples, the shared
# region is sampled and decided, the node-0 region
# never moves, and the node-1 region is decided for node 1.
# nodes: 2
# kernels: 6.12
# timeout: 200

CG=/sys/fs/cgroup/nmt_auto_policy

t_auto_policy() {
	local s e n dec
	echo 0 >/proc/sys/kernel/numa_balancing
	numab_scan_size 4
	helper_start --size 64M --node 0 --access-node 1 --threads 1 --no-thp

	# dry run
	assert_exit 0 "$NM" auto --pid "$H_PID" --interval 1 --duration 5 --enable-balancing \
		--dry-run --json --log dry.log
	save_out auto.dry-run.json
	save_file auto-log.dry-run.jsonl dry.log
	assert_eq true "$(jget dry_run)" "dry_run in the report"
	assert_eq 0 "$(jnum ours.pages_moved)" "pages moved by a dry run"
	assert_eq 0 "$(jnum migrations.ours.succeeded)" "our migrations on the tracepoint in a dry run"
	assert_gt "$(jnum ours.pages_would_move)" 0 "pages a dry run would move"
	auto_decisions dry.log >dry.dec
	assert_match ' would_move ' "$(cat dry.dec)" "a would_move decision in the dry run's log"
	assert_nomatch ' moved ' "$(cat dry.dec)" "moved decisions in a dry run's log"

	# reserve: no node has 64 GiB free
	assert_exit 0 "$NM" auto --pid "$H_PID" --interval 1 --duration 4 --enable-balancing \
		--reserve 64G --json --log reserve.log
	save_out auto.reserve.json
	save_file auto-log.reserve.jsonl reserve.log
	assert_eq 0 "$(jnum ours.pages_moved)" "pages moved with --reserve 64G"
	assert_gt "$(jnum decisions.reserve)" 0 "decisions held back by the reserve"
	auto_decisions reserve.log >reserve.dec
	assert_nomatch ' (moved|partial) ' "$(cat reserve.dec)" "moves under --reserve 64G"

	# cpuset: memory confined to node 0, the threads still run on node 1
	cpuset_confine "$H_PID" 0
	assert_exit 0 "$NM" auto --pid "$H_PID" --interval 1 --duration 4 --enable-balancing \
		--json --log cpuset.log
	save_out auto.cpuset.json
	save_file auto-log.cpuset.jsonl cpuset.log
	assert_eq 0 "$(jnum ours.pages_moved)" "pages moved outside the cpuset"
	assert_gt "$(jnum decisions.outside_cpuset)" 0 "decisions refused by the cpuset"
	cpuset_release
	helper_stop

	# threshold: nmt-access's four regions (n0, n1, both, none), 16 MiB each
	numab_scan_size 256
	access_start 16
	line=$A_LINE pid=$A_PID len=$A_LEN
	assert_exit 0 "$NM" auto --pid "$pid" --interval 1 --duration 8 --enable-balancing \
		--json --log share.log
	save_out auto.share.json
	save_file auto-log.share.jsonl share.log
	auto_decisions share.log >share.dec
	for r in n0 n1 both; do
		s=$(($(nmt_field $r "$line")))
		e=$((s + len))
		while read -r _ _ ds de node reason action moved _ _; do
			[ $((ds)) -lt "$e" ] && [ $((de)) -gt "$s" ] || continue
			echo "$node $reason $action $moved"
		done <share.dec >$r.dec
		info "$r: $(sort ./$r.dec | uniq -c | tr '\n' ';')"
	done
	assert_match '^1 ' "$(cat n1.dec)" "a decision for node 1 about the node-1 region"
	assert_nomatch '^0 ' "$(cat n1.dec)" "decisions for node 0 about the node-1 region"
	assert_nomatch ' (moved|partial) ' "$(cat n0.dec)" "moves of the node-0 region"
	# the shared region is sampled and decided; whether an interval splits its
	# samples below 75% (no_majority) is the kernel's sampling: seen in a
	# clean-clone run, node 0 took >= 75% of them in every interval. The
	# threshold itself is what the check below holds every move to (and
	# test_policy covers no_majority on recorded samples).
	assert_gt "$(wc -l <both.dec)" 0 "decisions about the region both nodes use"
	if grep -q ' no_majority ' both.dec; then
		info "the shared region was held back for no_majority"
	else
		info "no interval split the shared region's samples below 75%"
	fi
	# every move had at least 75% of its interval's samples
	awk '$7 == "moved" || $7 == "partial" { n++; if ($10 + 0 < 75) { print; bad++ } }
		END { print n + 0, "moves,", bad + 0, "under the share" > "/dev/stderr"; exit bad > 0 }' share.dec ||
		fail "moves with less than --share 75 of the samples (above)"
}

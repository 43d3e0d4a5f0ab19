# auto_tier_damon10: auto_tier_damon ten times in one guest boot (issue 16:
# the demotion scenario must pass 10 runs out of 10 on 6.12). Each run is
# the whole scenario in a subshell with its own state, work folder and
# clean-up (processes killed, knobs restored), as the runner gives each
# scenario; a run's failure is recorded and the others still run. Passes
# only when all ten pass. About 40 s a run under TCG, so it lives here, out of
# the matrix: VM_VERBOSE=1 tests/vm/vm.sh test --kernel 6.12 --nodes 4
# --tests auto_tier_damon10 --extra tests/bench --bin build/static
# nodes: 4
# kernels: 6.12
# timeout: 900

t_auto_tier_damon10() {
	local i ok=0 base=$NMT_WORK
	. "$NMT_SCENARIOS/auto_tier_damon.sh"
	for i in 1 2 3 4 5 6 7 8 9 10; do
		mkdir -p "$base/run$i/state" "$base/run$i/work"
		info "run $i of 10: begin"
		if (
			NMT_STATE=$base/run$i/state NMT_WORK=$base/run$i/work
			NMT_PIDS= NMT_AT_EXIT=
			cd "$NMT_WORK" || exit 1
			trap 'nmt_cleanup' EXIT
			t_auto_tier_damon
			[ ! -s "$NMT_STATE/failed" ]
		); then
			ok=$((ok + 1))
			info "run $i of 10: pass"
		else
			info "run $i of 10: FAIL: $(head -n 1 "$base/run$i/state/failed" 2>/dev/null)"
		fi
		nmt_reset_env
	done
	info "auto_tier_damon: $ok of 10 runs passed in one boot of $(uname -r)"
	assert_eq 10 "$ok" "runs of auto_tier_damon that passed"
}

# auto against the kernel's NUMA balancing alone: convergence time, pages
# migrated, and the phase change, side by side in one guest run.
# nodes: 2
# timeout: 1500
t_autobench() {
	sh /nmtest/scenarios/autobench-steps >&2 || fail "the auto benchmark did not complete (see above)"
}

# numa-migrate auto --demote-cold (DAMON sensor) against the kernel's own
# tiering (numa_balancing=2, demotion_enabled), same workload, in one guest
# run: see tierbench-steps.
# nodes: 4
# kernels: 6.12
# timeout: 1500
t_tierbench() {
	sh /nmtest/scenarios/tierbench-steps >&2 || fail "the tier benchmark did not complete (see above)"
}

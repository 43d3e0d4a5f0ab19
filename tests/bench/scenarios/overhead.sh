# Trace overhead in the guest, where every hook attaches (see ../README.md).
# nodes: 2
# timeout: 900
t_overhead() {
	sh /nmtest/scenarios/overhead-steps numa-migrate nmb-workload >&2 ||
		fail "the overhead benchmark did not complete (see above)"
}

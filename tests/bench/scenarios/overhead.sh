# Overhead of trace, scan and auto --all in the guest, where every hook
# attaches (see ../README.md, "Trace overhead"). 8 pairs of 3 modes x 2
# workloads took 11 min under TCG (2026-12-05); the default 16, about 21 min.
# nodes: 2
# timeout: 3000
t_overhead() {
	sh /nmtest/scenarios/overhead-steps numa-migrate nmb-workload >&2 ||
		fail "the overhead benchmark did not complete (see above)"
}

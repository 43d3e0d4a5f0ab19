# Overhead of trace, scan and auto --all in the guest, where every hook
# attaches (see ../README.md, "Trace overhead"). 8 pairs of 4 modes x 2
# workloads take 15-25 min under TCG.
# nodes: 2
# timeout: 2200
t_overhead() {
	sh /nmtest/scenarios/overhead-steps numa-migrate nmb-workload >&2 ||
		fail "the overhead benchmark did not complete (see above)"
}

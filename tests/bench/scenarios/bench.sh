# Throughput of numa-migrate against numactl's migratepages, one move_pages
# call over the whole region, and memcpy, side by side in one guest run.
# nodes: 2
# timeout: 1500
t_bench() {
	sh /nmtest/scenarios/bench-steps >&2 || fail "the benchmark did not complete (see above)"
}

# Throughput of numa-migrate against numactl's migratepages, one move_pages
# call over the whole region, and memcpy, side by side in one guest run.
# nodes: 2
# timeout: 1500
t_bench() {
	# the tracepoint move's counter attaches to, held on by two idle
	# probes: attaching then patches no kernel text (the emulator's stray
	# int3, tests/vm/README.md); it costs each method alike, once per call
	info "keep-alive: $(nmt_keepalive nm-bench migrate/mm_migrate_pages)"
	sh /nmtest/scenarios/bench-steps >&2 || fail "the benchmark did not complete (see above)"
}

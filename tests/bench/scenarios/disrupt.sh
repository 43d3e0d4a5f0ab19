# What the application feels while its memory moves: page-touch and
# mmap/munmap stalls under each mover (see ../README.md, "Disruption").
# nodes: 2
# timeout: 1700
t_disrupt() {
	sh /nmtest/scenarios/disrupt-steps >&2 || fail "the disruption benchmark did not complete (see above)"
}

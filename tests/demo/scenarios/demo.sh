# The README's demo, run in a 2-node guest when the host has one node.
# nodes: 2
# timeout: 240
t_demo() {
	sh /nmtest/scenarios/demo-steps numa-migrate >&2 || fail "the demo failed (see above)"
}

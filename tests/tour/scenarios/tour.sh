# tour: the README's tour, run for real in a 2-node guest (make readme-tour).
# A 256 MiB buffer first-touched on node 0 and used by a thread on node 1:
# scan must rank it first with the fix 'move --to-node 1', check must see it
# all on node 0, diagnose must find nothing that blocks, move --verify=5 must
# bring every page to node 1 and see none drift back; then auto, on a 64 MiB
# buffer placed the same way, must move it to node 1 by itself. The README
# quotes this scenario's output (tests/tour/README.md says how to refresh it).
# nodes: 2
# kernels: 6.12
# timeout: 240

t_tour() {
	local a
	echo 0 >/proc/sys/kernel/numa_balancing
	helper_start --size 256M --node 0 --access-node 1 --threads 1 --no-thp
	a=$H_PID

	assert_exit 0 "$NM" scan --min-size 100M --duration 2
	assert_match "^ *$a .*numa-migrate move --pid $a --to-node 1\$" "$OUT" "scan: the misplaced helper and its fix"

	assert_exit 0 "$NM" check --pid "$a" --range 256M
	assert_match '^Node 0: 100\.0% pages$' "$OUT" "check: all on node 0 before the move"

	assert_exit 0 "$NM" diagnose --pid "$a" --to-node 1
	assert_match '^Verdict: .*nothing blocks the move' "$OUT" "diagnose: nothing blocks the move to node 1"

	assert_exit 0 "$NM" move --pid "$a" --range 256M --to-node 1 --verify=5 --no-progress
	assert_match '^Verification: 100\.0% on node 1$' "$OUT" "move: every page verified on node 1"
	assert_match '^Drift: 0 pages left node 1 after 5 s' "$OUT" "move: nothing drifted back"
	helper_stop

	numab_scan_size 4
	helper_start --size 64M --node 0 --access-node 1 --threads 1 --no-thp
	assert_exit 0 "$NM" auto --pid "$H_PID" --interval 1 --duration 10 --enable-balancing
	assert_match '^  Moved by us: +[1-9][0-9]* pages' "$OUT" "auto: moved pages itself"
	assert_ge "$(numa_maps_percent "$H_PID" "$H_START" "$H_LEN" 1)" 95 "auto: share of the buffer on node 1 (numa_maps)"
	helper_stop
}

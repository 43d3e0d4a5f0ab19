#!/usr/bin/env bash
# make readme-tour: runs the README's tour (scenarios/tour.sh: scan, check,
# diagnose, move --verify=5, auto) in a 2-node Debian 6.12 guest, every step
# asserted, and writes the commands and their output, as a user sees them, to
# build/tour/transcript.txt. The README quotes that transcript; after a change
# to an output, run this and refresh the README's excerpts (and
# tests/tour/transcript.txt, the run they were taken from).
# Exit status: the guest run's (non-zero when a step did not do what it says).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/tour
mkdir -p "$out"
make --no-print-directory STATIC=1 all
rc=0
VM_VERBOSE=1 VM_OUT="$out/vm" tests/vm/vm.sh test --kernel 6.12 --nodes 2 --tests tour \
	--extra tests/tour --bin build/static >"$out/console.txt" 2>&1 || rc=$?
{
	echo "# make readme-tour, $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
	echo "# $(grep -m1 -o 'NMTEST-BOOT kernel=[^ ]*' "$out/console.txt" | sed 's/NMTEST-BOOT //'), 2 nodes (QEMU TCG)"
	# the scenario log: '$ cmd' lines and their output, without the prefixes
	tr -d '\r' <"$out/console.txt" | sed -n 's/^\[6\.12\/2n\] | //p' |
		sed -n -e 's/^\[[0-9.]*\] \(\$ .*\)/\n\1/p' -e 's/^\[[0-9.]*\] \(helper ready: .*\)/\n# \1/p' \
			-e 's/^    out| \{0,1\}//p' -e 's/^    err| /(stderr) /p' -e 's/^    \(rc=[0-9]*\)$/(\1)/p'
} >"$out/transcript.txt"
tail -n 3 "$out/console.txt"
echo "tour: transcript in $out/transcript.txt"
exit "$rc"

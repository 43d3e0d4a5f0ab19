#!/usr/bin/env bash
# make test: unit, host, sanitizer, fuzz, package and guest stages in order; every
# stage runs even if an earlier one failed (so one run shows everything),
# then one closing line sums them: "N passed, N failed". Exit status:
# non-zero if any stage failed.
#
#   tests/run-all.sh            the full suite (make test, what .ci/run calls)
#   tests/run-all.sh STAGE...   only these make targets (make check: the
#                               fast tier, without the guest matrix)
set -uo pipefail
cd "$(dirname "$0")/.."
stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(unit-test host-test unit-test-asan asan-smoke fuzz-short pkg-test vm-test vm-systemd-test)
t_start=$(date +%s)
log=$(mktemp /tmp/nm-test.XXXXXX)
trap 'rm -f "$log"' EXIT
total_p=0 total_f=0 rc=0 summary=()
for stage in "${stages[@]}"; do
	echo "==> make $stage"
	make --no-print-directory "$stage" 2>&1 | tee "$log"
	src=${PIPESTATUS[0]}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
	if [ -z "$line" ]; then
		echo "==> $stage printed no summary line (exit $src): counted as 1 failure"
		line="0 passed, 1 failed"
	fi
	p=$(awk '{print $1}' <<<"$line")
	f=$(awk '{print $3}' <<<"$line")
	if [ "$src" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1	# the stage failed without a failing test: count it
	fi
	[ "$src" -ne 0 ] || [ "$f" -ne 0 ] && rc=1
	total_p=$((total_p + p)) total_f=$((total_f + f))
	summary+=("$stage $p/$f")
done
echo "==> passed/failed per stage: ${summary[*]} ($(($(date +%s) - t_start)) s)"
echo "$total_p passed, $total_f failed"
exit $rc

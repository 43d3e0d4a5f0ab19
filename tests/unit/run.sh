#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/unit/run.sh BIN...
#
# Runs each cmocka unit test binary, shows its output, and ends with one
# line "N passed, N failed" summing cmocka's own summaries. Exits non-zero
# when any binary reported a failure, crashed, or printed no summary.
#
# cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s), ..."
# on stderr and the per-test lines on stdout, so both are captured. A
# binary that dies outside cmocka's signal handling (or exits early) counts
# as one failure, since its own tally never appeared.

set -u

if [ $# -eq 0 ]; then
	echo "usage: $0 TEST_BINARY..." >&2
	exit 2
fi

log=$(mktemp "${TMPDIR:-/tmp}/nm-unit.XXXXXX") || exit 2
trap 'rm -f "$log"' EXIT

# The last "N" of a summary line matching PATTERN (ERE with a group), or "".
summary_count() {
	sed -n -E "s/.*$1.*/\\1/p" "$log" | tail -n 1
}

passed=0
failed=0
status=0
for bin in "$@"; do
	echo "==> $bin"
	if [ ! -x "$bin" ]; then
		echo "run.sh: $bin: not an executable file"
		failed=$((failed + 1))
		status=1
		continue
	fi
	# Plain-text output whatever the caller's environment asks for.
	CMOCKA_MESSAGE_OUTPUT=STDOUT "$bin" >"$log" 2>&1
	rc=$?
	cat "$log"
	p=$(summary_count '\[  PASSED  \] ([0-9]+) test\(s\)\.')
	f=$(summary_count '\[  FAILED  \] ([0-9]+) test\(s\)')
	p=${p:-0}
	f=${f:-0}
	# A sanitizer build (make unit-test-asan) stops at the first report:
	# name it, since cmocka's tally never appears.
	san=$(grep -m1 -E 'runtime error:|ERROR: (Address|Leak)Sanitizer' "$log")
	if [ -n "$san" ]; then
		echo "run.sh: $bin: SANITIZER REPORT (exit $rc; tests after it in this binary did not run): $san"
		f=$((f + 1))
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		if [ "$rc" -gt 128 ]; then
			echo "run.sh: $bin: killed by signal $((rc - 128))"
		else
			echo "run.sh: $bin: exited with status $rc without reporting a failure"
		fi
		f=1
	elif [ "$rc" -eq 0 ] && ! grep -q '\[  PASSED  \]' "$log"; then
		echo "run.sh: $bin: printed no cmocka summary"
		f=1
	fi
	[ "$f" -ne 0 ] && status=1
	passed=$((passed + p))
	failed=$((failed + f))
done

echo "$passed passed, $failed failed"
exit "$status"

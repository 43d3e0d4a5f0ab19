#!/usr/bin/env bash
# Checks vm.sh's retry rule on recorded guest consoles (fixtures/), with
# run_guest stubbed: a leg whose only fault is the emulator's stray int3 is
# run once more; a second such fault, a failing scenario, a kprobe's int3
# or any other kernel fault fails it. Prints PASS/FAIL per case and exits
# non-zero on any failure. Run by the host tests (tests/host/run.sh).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/vm/vm.sh
. "$HERE/vm.sh"
set +e
T=$(mktemp -d /tmp/nm-runleg.XXXXXX)
trap 'rm -rf "$T"' EXIT
OUT=$T
rel() { echo "$1"; }
FX=$HERE/fixtures
bad=0 calls=0 first= pass_at=1

# stub: the first run's console is $first; the run numbered $pass_at and
# later ones pass
run_guest() {
	calls=$((calls + 1))
	LEG_CLEAN=$T/leg.txt
	[ "$calls" -gt 1 ] || cp "$first" "$LEG_CLEAN"
	[ "$calls" -ge "$pass_at" ]
}

# case NAME CONSOLE PASS_AT WANT_RC WANT_CALLS
case_() {
	local name=$1 rc
	first=$2 pass_at=$3 calls=0
	rm -f "$T"/leg*.txt
	run_leg 6.12 2 all >"$T/out" 2>&1
	rc=$?
	if [ "$rc" -eq "$4" ] && [ "$calls" -eq "$5" ]; then
		echo "PASS $name (rc=$rc, guest runs: $calls)"
	else
		echo "FAIL $name: rc=$rc guest runs=$calls, expected rc=$4 runs=$5; output: $(cat "$T/out")"
		bad=$((bad + 1))
	fi
}

cat "$FX/console-bug-in-int3.txt" >"$T/with-fail.txt"
echo 'FAIL auto_cooldown (a real failure) in 30 s' >>"$T/with-fail.txt"
cat "$FX/console-bug-in-int3.txt" >"$T/with-kprobe.txt"
echo '[  118.682344]  kprobe_int3_handler+0x12/0x150' >>"$T/with-kprobe.txt"
printf 'RUN  topology\nPASS topology in 1 s\n1 passed, 0 failed, 0 skipped\n' >"$T/clean.txt"

case_ "clean leg: one run" "$T/clean.txt" 1 0 1
case_ "Oops: int3, then a clean run: retried, passes" "$FX/console-oops-int3.txt" 2 0 2
case_ "BUG under exc_int3, then a clean run: retried, passes" "$FX/console-bug-in-int3.txt" 2 0 2
case_ "int3 twice: fails after one retry" "$FX/console-oops-int3.txt" 9 1 2
case_ "int3 after a failing scenario: fails, no retry" "$T/with-fail.txt" 9 1 1
case_ "int3 under a kprobe: fails, no retry" "$T/with-kprobe.txt" 9 1 1
case_ "general protection fault: fails, no retry" "$FX/console-gpf.txt" 9 1 1
# the retry keeps the first console
first=$FX/console-oops-int3.txt pass_at=2 calls=0
run_leg 6.12 2 all >"$T/out" 2>&1
if cmp -s "$T/leg.int3.txt" "$FX/console-oops-int3.txt" && grep -q 'retrying this leg once' "$T/out"; then
	echo "PASS the retry says so and keeps the first console"
else
	echo "FAIL the retry did not keep the first console or say so: $(cat "$T/out")"
	bad=$((bad + 1))
fi
echo "run_leg: $bad failed"
[ "$bad" -eq 0 ]

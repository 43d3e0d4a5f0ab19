#!/usr/bin/env bash
# tests/host/asan-smoke.sh ASAN_BIN BIN
#
# The commands of the whole binary (kernel access, BPF loaders, commands:
# what the unit tests cannot reach) once each under ASan (leaks included)
# and UBSan (-fno-sanitize-recover), ASAN_BIN built by 'make asan-smoke'.
# The target process is a helper of the normal BIN (an ASan process maps
# terabytes of shadow memory, which is not what numa-migrate is for). A
# command passes when it exits with its usual status and no sanitizer
# report. Closing line: "N passed, N failed".
set -uo pipefail

ABIN=$(realpath "${1:?usage: asan-smoke.sh ASAN_BIN BIN}")
BIN=$(realpath "${2:?usage: asan-smoke.sh ASAN_BIN BIN}")
WORK=$(mktemp -d /tmp/nm-asan.XXXXXX)
hpid=
trap '[ -z "$hpid" ] || kill -9 "$hpid" 2>/dev/null; rm -rf "$WORK"' EXIT
export ASAN_OPTIONS=detect_leaks=1:exitcode=86:fast_unwind_on_malloc=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

"$BIN" helper --size 16M --node 0 --no-thp >"$WORK/helper.out" 2>&1 &
hpid=$!
for _ in $(seq 1 100); do
	grep -q '^HELPER ' "$WORK/helper.out" && break
	sleep 0.05
done
grep -q '^HELPER ' "$WORK/helper.out" || { echo "asan-smoke: helper did not start: $(cat "$WORK/helper.out")"; exit 2; }

passed=0 failed=0
# case WANT_EXIT ARGS...
case_() {
	local want=$1 rc rep
	shift
	"$ABIN" "$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	rep=$(grep -m1 -E 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: .*Sanitizer' "$WORK/err")
	if [ -z "$rep" ] && [ "$rc" -eq "$want" ]; then
		echo "PASS $*"
		passed=$((passed + 1))
	else
		echo "FAIL $* (exit $rc, expected $want)${rep:+: $rep}"
		grep -A14 -E 'ERROR: (Address|Leak)Sanitizer|runtime error:|Direct leak' "$WORK/err" | head -n 16 | sed 's/^/    | /'
		failed=$((failed + 1))
	fi
}

case_ 0 features
case_ 0 features --json
case_ 0 check --pid "$hpid" --no-progress
case_ 0 check --pid "$hpid" --json --by-mapping
case_ 0 move --pid "$hpid" --to-node 0 --verify --json
case_ 0 diagnose --pid "$hpid" --json
case_ 0 trace --pid "$hpid" --duration 1 --json
case_ 4 auto --pid "$hpid" --duration 1
case_ 1 move --pid "$hpid" --to-node 99
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/fuzz/run.sh [NAME...]
#
# Builds the libFuzzer harnesses tests/fuzz/fuzz_*.c (or only the NAMEs
# given, e.g. fuzz_size) and runs each for FUZZ_SECONDS (default 20) with
# inputs of at most 256 bytes. Seeds come from tests/fuzz/corpus/NAME/;
# inputs the fuzzer finds go to build/fuzz/corpus/NAME/ so the source tree
# stays clean, and crashing inputs to build/fuzz/NAME-crash-*. Exits
# non-zero when a harness fails to build or any fuzzer finds a crash,
# leak or sanitizer report. The last line counts harnesses: "N passed,
# N failed" (a harness that does not build counts as failed).
#
# Environment: FUZZ_SECONDS, CLANG (default clang), OUTPUT (default build).

set -u

cd "$(dirname "$0")/../.." || exit 2

seconds=${FUZZ_SECONDS:-20}
clang=${CLANG:-clang}
out=${OUTPUT:-build}/fuzz
# -fno-sanitize-recover: UBSan aborts, so undefined behaviour is a crash
# libFuzzer records rather than a message scrolling past.
cflags=(-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
	-std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter
	-Iinclude -Iuserspace/lib -Iuserspace/read -Iuserspace/output -Iuserspace/cmd -Itests/fuzz)
# The pure parsers the harnesses reach (no libbpf, no other core files).
lib=(userspace/lib/parse.c userspace/read/maps.c userspace/read/numa_maps.c
     userspace/lib/range.c userspace/read/target.c userspace/read/procfs.c
     userspace/read/procstream.c userspace/lib/bsearch.c userspace/read/reasonfmt.c
     userspace/read/tracefs.c)

if [ $# -gt 0 ]; then
	names=("$@")
else
	names=()
	for src in tests/fuzz/fuzz_*.c; do
		names+=("$(basename "$src" .c)")
	done
fi

mkdir -p "$out" || exit 2
status=0
summary=()
passed=0 failed=0
for name in "${names[@]}"; do
	src=tests/fuzz/$name.c
	bin=$out/$name
	log=$out/$name.log
	echo "==> $name: build"
	if ! "$clang" "${cflags[@]}" "$src" "${lib[@]}" -o "$bin"; then
		summary+=("$name: BUILD FAILED")
		status=1 failed=$((failed + 1))
		continue
	fi
	mkdir -p "$out/corpus/$name"
	seeds=()
	[ -d "tests/fuzz/corpus/$name" ] && seeds=("tests/fuzz/corpus/$name")
	echo "==> $name: fuzzing for ${seconds}s"
	"$bin" -max_len=256 -max_total_time="$seconds" -print_final_stats=1 \
		-artifact_prefix="$out/$name-" \
		"$out/corpus/$name" "${seeds[@]}" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		summary+=("$name: ok, ${runs:-?} runs in ${seconds}s")
		passed=$((passed + 1))
	else
		tail -n 40 "$log"
		summary+=("$name: FAILED (exit $rc), see $log and $out/$name-*")
		status=1 failed=$((failed + 1))
	fi
done

echo "==> summary"
printf '%s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
exit "$status"

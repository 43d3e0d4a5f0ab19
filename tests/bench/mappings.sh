#!/usr/bin/env bash
# check against numastat -p on a process with many mappings (a JVM- or
# database-shaped process): best of 3 wall time and peak RSS of each, in the
# same run, and their ratio. Goal (#14): check no slower than numastat -p and
# under 32 MiB.
#   tests/bench/mappings.sh [BIN] [MAPPINGS]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=$(realpath "${1:-build/numa-migrate}")
N=${2:-60000}
T=build/bench-tools
mkdir -p "$T"
gcc -O2 -Wall -Wextra -Werror -o "$T/nmb-mappings" tests/bench/tools/nmb-mappings.c
gcc -O2 -Wall -Wextra -Werror -o "$T/nmb-time" tests/bench/tools/nmb-time.c
command -v numastat >/dev/null || { echo "mappings: numastat missing (apt-get install numactl)"; exit 1; }
out=$(mktemp /tmp/nm-maps.XXXXXX)
"$T/nmb-mappings" "$N" >"$out" &
mp=$!
trap 'kill $mp 2>/dev/null; rm -f "$out" "$out.t"' EXIT
until grep -q '^READY ' "$out"; do
	kill -0 $mp 2>/dev/null || { echo "mappings: the fixture failed"; exit 1; }
	sleep 0.2
done
echo "mappings: pid $mp with $(wc -l </proc/$mp/maps) mappings; $(uname -r); $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
best() {	# best NAME CMD...: best of 3 elapsed, and the peak RSS of that run
	local name=$1 s kb bs= bkb=
	shift
	for _ in 1 2 3; do
		"$T/nmb-time" "$@" >/dev/null 2>"$out.t"
		s=$(sed -n 's/^elapsed_s=\([0-9.]*\).*/\1/p' "$out.t")
		kb=$(sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' "$out.t")
		if [ -z "$bs" ] || awk -v a="$s" -v b="$bs" 'BEGIN { exit !(a < b) }'; then bs=$s bkb=$kb; fi
	done
	printf '%-28s best of 3: %6.3f s, peak RSS %7.1f MiB\n' "$name" "$bs" "$(awk -v k="$bkb" 'BEGIN { print k / 1024 }')"
	eval "${name//[^a-z]/_}_s=$bs"
}
best numastat numastat -p "$mp"
best check "$BIN" check --pid "$mp" --no-progress
best check_by_mapping "$BIN" check --pid "$mp" --no-progress --by-mapping --json
awk -v c="$check_s" -v n="$numastat_s" 'BEGIN { printf "check / numastat -p: %.2fx the time (goal <= 1.00)\n", c / n }'

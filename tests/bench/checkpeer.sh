# shellcheck shell=bash disable=SC2154 # PEER_* are set by peer_best (printf -v)
# Sourced by mappings.sh and bigcheck.sh: check (numa_maps, the default),
# check --by-mapping --json, check --exact (the page-exact query and its
# cross-check) and numastat -p on the same process, best of 3 wall time each with the peak RSS
# and the CPU time (user + system) of that run (nmb-time: wait4's rusage of
# the command alone), side by side with the ratios against numastat. On a
# shared machine the wall time carries other programs' load; the CPU time
# says what each command costs itself. Goal (#14 point 1): check no slower than
# numastat -p and under 32 MiB.
#   peer_setup BIN   builds the tools, sets PEER_BIN, PEER_T, PEER_OUT
#   peer_compare PID prints the table
# "s" is decimal seconds; figures are compared with awk, not the shell.

peer_setup() {
	PEER_BIN=$(realpath "$1")
	PEER_T=build/bench-tools
	mkdir -p "$PEER_T"
	gcc -O2 -Wall -Wextra -Werror -o "$PEER_T/nmb-time" tests/bench/tools/nmb-time.c
	command -v numastat >/dev/null || { echo "bench: numastat missing (apt-get install numactl)"; exit 1; }
	PEER_OUT=$(mktemp /tmp/nm-peer.XXXXXX)
}

peer_header() {	# peer_header PID WHAT
	echo "$(date -u +%Y-%m-%dT%H:%MZ) kernel $(uname -r) commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo '+dirty')"
	echo "process: pid $1, $2, $(wc -l </proc/"$1"/maps) mappings, $(awk '/^VmRSS/ { printf "%.1f MiB", $2 / 1024 }' /proc/"$1"/status) resident"
	echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "check's source: $("$PEER_BIN" check --pid "$1" --json | sed -n 's/^ *"source": "\([a-z_]*\)".*/\1/p') (check --exact: page_exact)"
}

# peer_best NAME CMD...: best of 3 elapsed and the peak RSS of that run, into
# PEER_S_<name>, PEER_KB_<name> and PEER_CPU_<name>; a failing command fails
# the benchmark.
peer_best() {
	local name=$1 s kb cpu bs="" bkb="" bcpu=""
	shift
	for _ in 1 2 3; do
		if ! "$PEER_T/nmb-time" "$@" >/dev/null 2>"$PEER_OUT"; then
			echo "bench: '$*' failed: $(tail -3 "$PEER_OUT")"
			exit 1
		fi
		s=$(sed -n 's/^elapsed_s=\([0-9.]*\).*/\1/p' "$PEER_OUT")
		kb=$(sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' "$PEER_OUT")
		cpu=$(sed -n 's/.*cpu_s=\([0-9.]*\).*/\1/p' "$PEER_OUT")
		if [ -z "$bs" ] || awk -v a="$s" -v b="$bs" 'BEGIN { exit !(a < b) }'; then
			bs=$s bkb=$kb bcpu=$cpu
		fi
	done
	printf -v "PEER_S_$name" '%s' "$bs"
	printf -v "PEER_KB_$name" '%s' "$bkb"
	printf -v "PEER_CPU_$name" '%s' "$bcpu"
}

peer_compare() {	# peer_compare PID
	local pid=$1 n
	peer_best numastat numastat -p "$pid"
	peer_best check "$PEER_BIN" check --pid "$pid" --no-progress
	peer_best bymap "$PEER_BIN" check --pid "$pid" --no-progress --by-mapping --json
	peer_best exact "$PEER_BIN" check --pid "$pid" --no-progress --exact
	printf '%-28s %9s %14s %9s %12s %12s\n' "command (best of 3)" "time" "time/numastat" \
		"CPU" "CPU/numastat" "peak RSS"
	for n in numastat check bymap exact; do
		local s="PEER_S_$n" kb="PEER_KB_$n" cpu="PEER_CPU_$n" label
		case $n in
		numastat) label="numastat -p" ;;
		check) label="check" ;;
		bymap) label="check --by-mapping --json" ;;
		exact) label="check --exact" ;;
		esac
		awk -v l="$label" -v s="${!s}" -v kb="${!kb}" -v c="${!cpu}" -v ns="$PEER_S_numastat" \
			-v nc="$PEER_CPU_numastat" 'BEGIN {
			printf "%-28s %7.3f s %13.2fx %7.3f s %11.2fx %8.1f MiB%s\n", l, s, s / ns, c,
				(nc > 0 ? c / nc : 0), kb / 1024, (kb < 32768 ? "" : " (over 32 MiB)") }'
	done
	awk -v c="$PEER_S_check" -v n="$PEER_S_numastat" -v kb="$PEER_KB_check" \
		-v bkb="$PEER_KB_bymap" -v ekb="$PEER_KB_exact" -v cc="$PEER_CPU_check" \
		-v nc="$PEER_CPU_numastat" 'BEGIN {
		printf "check / numastat -p: %.2fx the time (goal <= 1.00: %s), %.2fx the CPU; peak RSS %s, --by-mapping --json %s, --exact %s (goal < 32 MiB)\n",
			c / n, c <= n ? "met" : "MISSED", (nc > 0 ? cc / nc : 0),
			kb < 32768 ? "met" : "MISSED", bkb < 32768 ? "met" : "MISSED",
			ekb < 32768 ? "met" : "MISSED" }'
}

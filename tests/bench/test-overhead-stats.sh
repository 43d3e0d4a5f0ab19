#!/usr/bin/env bash
# Checks tests/bench/overhead-stats.awk (the overhead benchmark's figures) on
# runs whose ratios are known, with this machine's awk and busybox's (the
# guest's): per-pair ratios, their quantiles (type 7), block ratios, and the
# three verdicts (resolved or not, goal met / missed / not resolved).
# Plain runs are all 10 s, so each ratio is the mode's time / 10:
#   trace:      10.0 10.4 | 10.6 11.0  -> ratios 1.00 1.04 1.06 1.10
#   scan:       11 s each              -> +10% everywhere
#   auto-other: 9.9 10.1 | 9.98 10.02  -> ratios 0.99 1.01 0.998 1.002
# Then overhead-cost.awk on cost lines with known shares, and agentcpu.awk on
# known tick counts (below).
# Prints PASS/FAIL per awk and exits non-zero on any failure. Run by the host
# tests (tests/host/run.sh).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/nm-ovhstats.XXXXXX)
trap 'rm -rf "$T"' EXIT
cat > "$T/runs" <<'RUNS'
1 1 plain 10.0
1 1 trace 10.0
1 1 scan 11.0
1 1 auto-other 9.9
1 2 auto-other 10.1
1 2 scan 11.0
1 2 trace 10.4
1 2 plain 10.0
2 1 plain 10.0
2 1 trace 10.6
2 1 scan 11.0
2 1 auto-other 9.98
2 2 auto-other 10.02
2 2 scan 11.0
2 2 trace 11.0
2 2 plain 10.0
RUNS
want=(
	# per mode: median, IQR and range of the times; 4 plain runs
	'OVERHEAD faults (64 MiB x 20) plain: median 10.000 s (IQR 10.000-10.000, range 10.000-10.000, 4 runs)'
	# trace: median (1.04 + 1.06) / 2; Q1 1.00 + 0.75 x 0.04; Q3 1.06 + 0.25 x 0.04;
	# blocks (10.0 + 10.4) / 20 = 1.02 and (10.6 + 11.0) / 20 = 1.08
	'OVERHEAD faults trace: median 10.500 s (IQR 10.300-10.700, range 10.000-11.000); per-pair ratio +5.0% (IQR +3.0%..+7.0%, range +0.0%..+10.0%, 4 pairs), block ratio +5.0% (range +2.0%..+8.0%, 2 ABBA blocks); resolved: the spread is smaller than the effect; goal <= 5%: not resolved (the IQR straddles it), 123 hinting faults seen per traced run (median)'
	'OVERHEAD faults scan: median 11.000 s (IQR 11.000-11.000, range 11.000-11.000); per-pair ratio +10.0% (IQR +10.0%..+10.0%, range +10.0%..+10.0%, 4 pairs), block ratio +10.0% (range +10.0%..+10.0%, 2 ABBA blocks); resolved: the spread is smaller than the effect; goal <= 5%: missed (lower quartile +10.0%)'
	# auto-other: sorted 0.99 0.998 1.002 1.01: Q1 0.996, Q3 1.004, within 1%
	'OVERHEAD faults auto-other: median 10.000 s (IQR 9.960-10.040, range 9.900-10.100); per-pair ratio +0.0% (IQR -0.4%..+0.4%, range -1.0%..+1.0%, 4 pairs), block ratio +0.0% (range +0.0%..+0.0%, 2 ABBA blocks); not resolved: the IQR of the ratios straddles 0%; goal <= 1%: met (upper quartile +0.4%)'
	# 4 pairs: even the range holds the median with 1 - 2 / 2^4 = 87.5% only
	'OVERHEAD-CI faults trace: 4 pairs, too few for a 95% interval of the median (6 at least)'
	'OVERHEAD-CI faults scan: 4 pairs, too few for a 95% interval of the median (6 at least)'
	'OVERHEAD-CI faults auto-other: 4 pairs, too few for a 95% interval of the median (6 at least)'
)
bad=0
# judge LABEL: $T/out must hold every line of want and nothing else
judge() {
	local miss=0 line
	for line in "${want[@]}"; do
		grep -qxF "$line" "$T/out" || { echo "  $1: missing: $line"; miss=1; }
	done
	[ "$(wc -l < "$T/out")" -eq "${#want[@]}" ] || { echo "  $1: expected ${#want[@]} lines"; miss=1; }
	if [ $miss -eq 0 ]; then
		echo "PASS $1"
	else
		echo "FAIL $1; it printed:"; sed 's/^/    /' "$T/out"; bad=1
	fi
}
for a in awk "busybox awk"; do
	if ! $a 'BEGIN { }' </dev/null 2>/dev/null; then
		echo "FAIL $a: not installed (tests/deps.sh installs busybox-static)"; bad=1; continue
	fi
	$a -v w=faults -v mb=64 -v rounds=20 -v modes="trace scan auto-other" -v hf=123 \
		-v managed= -v moved= -f "$HERE/signci.awk" -f "$HERE/overhead-stats.awk" \
		"$T/runs" > "$T/out" 2>&1
	judge "$a"
done

# The median's interval on 12 pairs (6 blocks, plain 10 s, so each ratio is
# the mode's time / 10). P(Binomial(12, 1/2) <= 2) = 79/4096 = 1.93%, <= 3:
# 7.3%, so k = 3: the 3rd and 10th sorted ratios, coverage 1 - 2 x 79/4096 =
# 96.1%. auto-other's ratios, sorted: 0.990 0.995 1.000 1.001 1.002 1.003
# 1.005 1.006 1.007 1.008 1.020 1.050: median (1.003 + 1.005) / 2, interval
# 1.000..1.008, within 1% (its IQR, 1.001-1.007, is too; the two extremes are
# not). trace's are those + 0.04: interval 1.040..1.048, within 5%; scan's
# are all 1.06: missed.
awk 'BEGIN {
	n = split("0.990 1.005 1.050 1.000 1.003 1.008 0.995 1.006 1.020 1.001 1.007 1.002",
		  r, " ")
	for (b = 1; b <= 6; b++)
		for (h = 1; h <= 2; h++) {
			i = (b - 1) * 2 + h
			printf "%d %d plain 10\n%d %d trace %.2f\n%d %d scan 10.6\n%d %d auto-other %.2f\n",
				b, h, b, h, (r[i] + 0.04) * 10, b, h, b, h, r[i] * 10
		}
}' > "$T/runs12"
want=(
	'OVERHEAD-CI faults trace: median pair ratio +4.4%, 96.1% interval +4.0%..+4.8% (order statistics 3 and 10 of 12 pairs, any distribution); goal <= 5%: met (upper bound +4.8%)'
	'OVERHEAD-CI faults scan: median pair ratio +6.0%, 96.1% interval +6.0%..+6.0% (order statistics 3 and 10 of 12 pairs, any distribution); goal <= 5%: missed (lower bound +6.0%)'
	'OVERHEAD-CI faults auto-other: median pair ratio +0.4%, 96.1% interval +0.0%..+0.8% (order statistics 3 and 10 of 12 pairs, any distribution); goal <= 1%: met (upper bound +0.8%)'
)
for a in awk "busybox awk"; do
	$a 'BEGIN { }' </dev/null 2>/dev/null || continue	# said above
	$a -v w=faults -v mb=64 -v rounds=20 -v modes="trace scan auto-other" -v hf=1 \
		-v managed= -v moved= -f "$HERE/signci.awk" -f "$HERE/overhead-stats.awk" \
		"$T/runs12" 2>&1 |
		grep '^OVERHEAD-CI' > "$T/out"
	judge "$a (12 pairs)"
done

# signci.awk alone (the throughput benchmark's paired ratios): the same 12
# ratios as auto-other's above, in their unsorted order, then 5 (too few)
awk 'BEGIN { n = split("0.990 1.005 1.050 1.000 1.003 1.008 0.995 1.006 1.020 1.001 1.007 1.002",
		  r, " ")
	for (i = 1; i <= n; i++) print r[i] }' > "$T/ratios12"
head -n 5 "$T/ratios12" > "$T/ratios5"
want=(
	'R12: median 1.004, 96.1% interval 1.000..1.008 (order statistics 3 and 10 of 12, any distribution)'
	'R5: median 1.003 of 5, too few for a 95% interval (6 at least)'
)
for a in awk "busybox awk"; do
	$a 'BEGIN { }' </dev/null 2>/dev/null || continue	# said above
	{ $a -v what=R12 -f "$HERE/signci.awk" "$T/ratios12"
	  $a -v what=R5 -f "$HERE/signci.awk" "$T/ratios5"; } > "$T/out" 2>&1
	judge "$a (signci alone)"
done

# overhead-cost.awk: the programs' own time as a share of the run, and the
# verdict each way (trace: a lower bound; scan, auto-other: everything counted)
cat > "$T/cost" <<'COST'
trace 10.0 1000 600000000 3
scan 10.0 2000 100000000 2
auto-other 10.0 500 200000000 4
trace 20.0 10 100000000 1
auto-other 10.0 3000000000 50000000 4
COST
want=(
	"OVERHEAD-COST faults trace: 3 BPF programs ran 1000 times for 600.0 ms (600000 ns a run) during a 10.000 s run: 6.00% of it; goal <= 5%: missed on the programs' own time alone"
	"OVERHEAD-COST faults scan: 2 BPF programs ran 2000 times for 100.0 ms (50000 ns a run) during a 10.000 s run: 1.00% of it; goal <= 5%: within it for the programs' own time (all of it counted against the workload; the dispatch is not in it)"
	"OVERHEAD-COST faults auto-other: 4 BPF programs ran 500 times for 200.0 ms (400000 ns a run) during a 10.000 s run: 2.00% of it; goal <= 1%: not shown by this figure (all of the programs' time counted against the workload, other processes' events included)"
	"OVERHEAD-COST faults trace: 1 BPF programs ran 10 times for 100.0 ms (10000000 ns a run) during a 20.000 s run: 0.50% of it; goal <= 5%: not shown by this figure (a lower bound: the dispatch is not in it)"
	# counts past 2^31 print whole
	"OVERHEAD-COST faults auto-other: 4 BPF programs ran 3000000000 times for 50.0 ms (0 ns a run) during a 10.000 s run: 0.50% of it; goal <= 1%: within it for the programs' own time (all of it counted against the workload; the dispatch is not in it)"
)
# each_awk LABEL FILE ARGS...: each awk with ARGS on FILE, judged against want
each_awk() {
	local label=$1 file=$2 a
	shift 2
	for a in awk "busybox awk"; do
		$a 'BEGIN { }' </dev/null 2>/dev/null || continue	# said above
		$a "$@" "$file" > "$T/out" 2>&1
		judge "$a ($label)"
	done
}
each_awk cost "$T/cost" -v w=faults -f "$HERE/overhead-cost.awk"
# agentcpu.awk: the agent's CPU share per run, (T1 - T0) / hz / seconds:
# auto-other 30, 10, 20 ticks over 10, 10, 5 s at 100 a second: 3%, 1%, 4%,
# and 5 ticks over 2.5 s: 2% (sorted 1 2 3 4: median 2.5%); trace 0%; scan
# had no timed run; a line with no time is left out
cat > "$T/agent" <<'AGENT'
auto-other 100 130 10
auto-other 100 110 10
trace 5 5 10
auto-other 0 20 5
auto-other 7 12 2.5
scan 1 2 0
AGENT
want=(
	"OVERHEAD-AGENT faults trace: the agent's own CPU time while the workload ran: median 0.00% of one CPU (range 0.00%..0.00%, 1 runs, ticks of 1/100 s)"
	"OVERHEAD-AGENT faults auto-other: the agent's own CPU time while the workload ran: median 2.50% of one CPU (range 1.00%..4.00%, 4 runs, ticks of 1/100 s)"
	"OVERHEAD-AGENT faults scan: no timed run"
)
each_awk agent "$T/agent" -v w=faults -v hz=100 -v modes="trace auto-other scan" \
	-f "$HERE/agentcpu.awk"
exit $bad

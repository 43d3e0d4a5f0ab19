# The agent's own CPU time in overhead.sh's timed runs: what it takes from the
# machine while the workload runs. In the 2-vCPU guest it competes with the
# workload for the host's two cores, so it is part of the cost a process that
# is not managed sees there (on a server with idle cores it takes a core's
# time, not the workload's).
# Input, one line per timed run of a mode: MODE T0 T1 SECONDS (the agent's
# user + system clock ticks, its threads' included, read from /proc/AGENT/stat
# before the workload's start signal and after it ended; the workload's time).
# Variables: w (the workload's name), modes (in the order to print), hz (clock
# ticks a second). Per mode: the median and range of the per-run shares of one
# CPU, (T1 - T0) / hz / SECONDS.
# tests/bench/test-overhead-stats.sh checks it on known lines.
$4 > 0 {
	k = ++n[$1]
	v[$1, k] = ($3 - $2) / hz / $4 * 100
}
END {
	nm = split(modes, ms, " ")
	for (j = 1; j <= nm; j++) {
		m = ms[j]
		c = n[m] + 0
		if (!c) {
			printf "OVERHEAD-AGENT %s %s: no timed run\n", w, m
			continue
		}
		for (i = 1; i <= c; i++)
			a[i] = v[m, i]
		# insertion sort: a few dozen runs
		for (i = 2; i <= c; i++) {
			x = a[i]
			for (k = i - 1; k >= 1 && a[k] > x; k--)
				a[k + 1] = a[k]
			a[k + 1] = x
		}
		med = c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
		printf "OVERHEAD-AGENT %s %s: the agent's own CPU time while the workload ran: median %.2f%% of one CPU (range %.2f%%..%.2f%%, %d runs, ticks of 1/%d s)\n",
			w, m, med, a[1], a[c], c, hz
	}
}

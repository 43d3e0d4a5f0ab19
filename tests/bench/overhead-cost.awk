# The programs' own CPU time in overhead.sh's cost runs (one run per mode, with
# kernel.bpf_stats_enabled on, after the timed pairs: the stats add two clock
# reads to every program run, so they are never on while runs are timed).
# Input, one line per cost run: MODE SECONDS RUNS NS PROGS (the workload's
# time; the run counts and nanoseconds summed over the agent's BPF programs,
# each program id once, read from /proc/AGENT/fdinfo after the workload ended;
# how many programs). Variable: w (the workload's name).
# What the share means differs by mode, and the verdict says which way it
# cannot flatter:
#   trace: the programs filter to the traced process and run in its context,
#     so their time is a lower bound of its cost (the tracepoint dispatch and
#     cache effects are not in it): above the goal is a miss, within it is not
#     a pass;
#   scan, auto-other: the programs run on every process's events; all of their
#     time is counted against the workload, an upper bound of their part of
#     its cost (again without the dispatch).
# tests/bench/test-overhead-stats.sh checks it on known lines.
{
	m = $1; s = $2 + 0; runs = $3 + 0; ns = $4 + 0; progs = $5 + 0
	goal = m == "auto-other" ? 1 : m == "auto-managed" ? -1 : 5
	share = s > 0 ? ns / 1e9 / s * 100 : 0
	if (goal < 0)
		v = "no goal (auto moves this process's pages)"
	else if (m == "trace")
		v = share > goal ? sprintf("goal <= %d%%: missed on the programs' own time alone", goal) : \
			sprintf("goal <= %d%%: not shown by this figure (a lower bound: the dispatch is not in it)", goal)
	else
		v = share > goal ? sprintf("goal <= %d%%: not shown by this figure (all of the programs' time counted against the workload, other processes' events included)", goal) : \
			sprintf("goal <= %d%%: within it for the programs' own time (all of it counted against the workload; the dispatch is not in it)", goal)
	printf "OVERHEAD-COST %s %s: %d BPF programs ran %.0f times for %.1f ms (%.0f ns a run) during a %.3f s run: %.2f%% of it; %s\n",
		w, m, progs, runs, ns / 1e6, runs ? ns / runs : 0, s, share, v
}

# The figures of overhead.sh, from its runs file (one line per timed run:
# BLOCK HALF MODE SECONDS; half 1 is plain then the modes, half 2 the modes
# reversed then plain). Variables: w, mb, rounds (the workload), modes (the
# non-plain modes in order), hf, managed, moved (the extra figures of trace and
# auto-managed, worked out by the caller). tests/bench/test-overhead-stats.sh
# checks it on runs with known ratios.
#   per mode: median, IQR and range of the run times;
#   per non-plain mode: per-pair ratios (the mode's run / the plain run of the
#   same half-block), their median and IQR; block ratios (the block's two mode
#   runs / its two plain runs: a drift linear over the block cancels);
#   resolved when the pair ratios' IQR excludes 1.0; the goal met when the
#   upper quartile is within it, missed when the lower quartile is above it;
#   then (OVERHEAD-CI) an interval for the median pair ratio that holds it with
#   at least 95% confidence whatever the distribution (the sign test's: order
#   statistics k and n+1-k of the n sorted ratios, k the largest with
#   P(Binomial(n, 1/2) < k) <= 2.5%; signci.awk, given first: awk -f
#   signci.awk -f overhead-stats.awk), and the goal judged on it: the IQR
#   says how much single runs vary, the interval where the median lies.
# Quantiles: linear interpolation between order statistics (R's type 7).
function q(a, n, p,   h, lo) {	# quantile, linear interpolation (type 7)
	h = (n - 1) * p + 1; lo = int(h)
	return lo >= n ? a[n] : a[lo] + (h - lo) * (a[lo + 1] - a[lo])
}
function pct(r) { return sprintf("%+.1f%%", (r - 1) * 100) }
# verdict(goal, lo, hi, ...): the goal judged on an interval lo..hi of
# ratios, whose ends and whole are named LW, HW and WHOLE
function verdict(goal, lo, hi, lw, hw, whole) {
	if (goal < 0)
		return "no goal (auto moves this process's pages)"
	if (hi <= 1 + goal / 100)
		return sprintf("goal <= %d%%: met (%s %s)", goal, hw, pct(hi))
	if (lo > 1 + goal / 100)
		return sprintf("goal <= %d%%: missed (%s %s)", goal, lw, pct(lo))
	return sprintf("goal <= %d%%: not resolved (%s straddles it)", goal, whole)
}
{ t[$1, $2, $3] += $4; all[$3, ++cnt[$3]] = $4 + 0; if ($1 > nb) nb = $1 }
END {
	split(modes, ms, " ")
	n = cnt["plain"]
	for (i = 1; i <= n; i++) p[i] = all["plain", i]
	sortn(p, n)
	printf "OVERHEAD %s (%s MiB x %s) plain: median %.3f s (IQR %.3f-%.3f, range %.3f-%.3f, %d runs)\n",
		w, mb, rounds, q(p, n, .5), q(p, n, .25), q(p, n, .75), p[1], p[n], n
	for (k = 1; k in ms; k++) {
		m = ms[k]; goal = m == "auto-other" ? 1 : m == "auto-managed" ? -1 : 5
		delete x; delete r; delete br
		for (i = 1; i <= cnt[m]; i++) x[i] = all[m, i]
		sortn(x, cnt[m])
		np = 0; nbr = 0
		for (b = 1; b <= nb; b++) {
			for (h = 1; h <= 2; h++)
				if (t[b, h, "plain"] > 0)
					r[++np] = t[b, h, m] / t[b, h, "plain"]
			br[++nbr] = (t[b, 1, m] + t[b, 2, m]) / (t[b, 1, "plain"] + t[b, 2, "plain"])
		}
		sortn(r, np); sortn(br, nbr)
		lo = q(r, np, .25); hi = q(r, np, .75); med = q(r, np, .5)
		res = lo > 1 || hi < 1 ? "resolved: the spread is smaller than the effect" : \
			"not resolved: the IQR of the ratios straddles 0%"
		g = verdict(goal, lo, hi, "lower quartile", "upper quartile", "the IQR")
		extra = m == "trace" ? sprintf(", %s hinting faults seen per traced run (median)", hf == "" ? 0 : hf) : \
			m == "auto-managed" ? sprintf(", workload managed in %s runs, %s pages moved per run (median)", managed, moved == "" ? 0 : moved) : ""
		printf "OVERHEAD %s %s: median %.3f s (IQR %.3f-%.3f, range %.3f-%.3f); per-pair ratio %s (IQR %s..%s, range %s..%s, %d pairs), block ratio %s (range %s..%s, %d ABBA blocks); %s; %s%s\n",
			w, m, q(x, cnt[m], .5), q(x, cnt[m], .25), q(x, cnt[m], .75), x[1], x[cnt[m]],
			pct(med), pct(lo), pct(hi), pct(r[1]), pct(r[np]), np,
			pct(q(br, nbr, .5)), pct(br[1]), pct(br[nbr]), nbr, res, g, extra
		ck = ci_k(np)
		if (!ck) {
			printf "OVERHEAD-CI %s %s: %d pairs, too few for a 95%% interval of the median (6 at least)\n", w, m, np
			continue
		}
		clo = r[ck]; chi = r[np + 1 - ck]
		g = verdict(goal, clo, chi, "lower bound", "upper bound", "the interval")
		printf "OVERHEAD-CI %s %s: median pair ratio %s, %.1f%% interval %s..%s (order statistics %d and %d of %d pairs, any distribution); %s\n",
			w, m, pct(med), ci_cover * 100, pct(clo), pct(chi), ck, np + 1 - ck, np, g
	}
}

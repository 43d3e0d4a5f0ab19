# The sign test's interval for a median, whatever the distribution: the k-th
# and (n+1-k)-th of the n sorted values hold the median with probability
# 1 - 2 P(Binomial(n, 1/2) < k). Shared by overhead-stats.awk and the
# throughput benchmark (steps.sh): awk -f signci.awk [-f PROGRAM] (busybox awk,
# the guest's, takes several -f; it has no ^ operator).
#   ci_k(n): the largest k with P(Binomial(n, 1/2) < k) <= 2.5% (at least 95%
#   coverage), 0 when n is too small for that (n < 6); sets ci_cover.
#   sortn(a, n): sorts a[1..n] as numbers.
# Alone, with -v what=LABEL: reads one value per line and prints
# "LABEL: median M, C% interval LO..HI (order statistics ...)".
function sortn(a, n,   i, j, x) {	# insertion sort, n is small
	for (i = 2; i <= n; i++) {
		x = a[i]
		for (j = i - 1; j >= 1 && a[j] > x; j--)
			a[j + 1] = a[j]
		a[j + 1] = x
	}
}
function ci_k(n,   j, term, cdf, k) {
	term = 1; cdf = 0; k = 0
	for (j = 0; j < n; j++)
		term /= 2	# 1/2^n
	for (j = 0; j < n; j++) {
		cdf += term		# P(X <= j)
		if (cdf > 0.025)
			break
		k = j + 1; ci_cover = 1 - 2 * cdf
		term = term * (n - j) / (j + 1)
	}
	return k
}
what != "" { sv[++sn] = $1 + 0 }
END {
	if (what != "") {	# no exit here: a program after this file has its END
		sortn(sv, sn)
		smed = sn % 2 ? sv[(sn + 1) / 2] : (sv[sn / 2] + sv[sn / 2 + 1]) / 2
		sk = ci_k(sn)
		if (sk)
			printf "%s: median %.3f, %.1f%% interval %.3f..%.3f (order statistics %d and %d of %d, any distribution)\n",
				what, smed, ci_cover * 100, sv[sk], sv[sn + 1 - sk], sk, sn + 1 - sk, sn
		else
			printf "%s: median %.3f of %d, too few for a 95%% interval (6 at least)\n", what, smed, sn
	}
}

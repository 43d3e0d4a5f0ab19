// SPDX-License-Identifier: GPL-2.0
/* numa-migrate scan: CPU accounting per node, remote bytes, fix, ranking. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"
#include "scan.h"

static int by_tid(const void *a, const void *b)
{
	const struct nm_scan_thread *x = a, *y = b;

	return (x->tid > y->tid) - (x->tid < y->tid);
}

void nm_scan_sample_sort(struct nm_scan_sample *s)
{
	if (s->n > 1)
		qsort(s->t, s->n, sizeof(*s->t), by_tid);
}

void nm_scan_sample_free(struct nm_scan_sample *s)
{
	free(s->t);
	memset(s, 0, sizeof(*s));
}

static int node_of(const int16_t *cpu_node, size_t ncpu, int cpu)
{
	return cpu >= 0 && (size_t)cpu < ncpu ? cpu_node[cpu] : -1;
}

static void charge(double by_node[NM_MAX_NODES], const int16_t *cpu_node, size_t ncpu,
		   int cpu, double secs)
{
	int node = node_of(cpu_node, ncpu, cpu);

	if (node >= 0 && node < NM_MAX_NODES)
		by_node[node] += secs;
}

/* The ticks thread C of CUR ran since PREV, one step of a merge over both
 * (sorted by tid; *I is where PREV stands): a thread new in CUR (SEEN false)
 * started in between, all its ticks count. */
static uint64_t ran_since(const struct nm_scan_sample *prev, size_t *i,
			  const struct nm_scan_thread *c, bool *seen)
{
	while (*i < prev->n && prev->t[*i].tid < c->tid)
		(*i)++;
	*seen = *i < prev->n && prev->t[*i].tid == c->tid;
	if (!*seen)
		return c->ticks;
	return c->ticks >= prev->t[*i].ticks ? c->ticks - prev->t[*i].ticks : 0;
}

/* The CPU time of each thread of CUR since PREV (both sorted by tid: one
 * merge pass), charged to its node at CUR; with STEADY only when that was
 * its node at PREV too (a thread that moved or started in between is
 * counted in the total, not on a node). */
static double account(const struct nm_scan_sample *prev, const struct nm_scan_sample *cur,
		      const int16_t *cpu_node, size_t ncpu, long hz, bool steady,
		      double by_node[NM_MAX_NODES])
{
	size_t i = 0;
	double total = 0;

	if (hz <= 0)
		return 0;
	for (size_t j = 0; j < cur->n; j++) {
		const struct nm_scan_thread *c = &cur->t[j];
		bool seen;
		uint64_t d = ran_since(prev, &i, c, &seen);
		double secs;

		if (!d)
			continue;
		secs = (double)d / (double)hz;
		total += secs;
		if (steady && (!seen || node_of(cpu_node, ncpu, prev->t[i].cpu) !=
					node_of(cpu_node, ncpu, c->cpu)))
			continue;
		charge(by_node, cpu_node, ncpu, c->cpu, secs);
	}
	return total;
}

double nm_scan_account(const struct nm_scan_sample *prev, const struct nm_scan_sample *cur,
		       const int16_t *cpu_node, size_t ncpu, long hz,
		       double by_node[NM_MAX_NODES])
{
	return account(prev, cur, cpu_node, ncpu, hz, false, by_node);
}

double nm_scan_account_steady(const struct nm_scan_sample *prev,
			      const struct nm_scan_sample *cur,
			      const int16_t *cpu_node, size_t ncpu, long hz,
			      double by_node[NM_MAX_NODES])
{
	return account(prev, cur, cpu_node, ncpu, hz, true, by_node);
}

size_t nm_scan_active(const struct nm_scan_sample *prev, const struct nm_scan_sample *cur,
		      pid_t *tids)
{
	size_t i = 0, n = 0;

	for (size_t j = 0; j < cur->n; j++) {
		const struct nm_scan_thread *c = &cur->t[j];
		bool seen;

		if (prev ? ran_since(prev, &i, c, &seen) : c->state == 'R')
			tids[n++] = c->tid;
	}
	return n;
}

int nm_cpus_left(const cpu_set_t *mine, const cpu_set_t *theirs, cpu_set_t *out)
{
	int left;

	CPU_AND(out, mine, theirs);
	CPU_XOR(out, mine, out);	/* MINE less the CPUs both have */
	left = CPU_COUNT(out);
	if (!left || left == CPU_COUNT(mine)) {
		*out = *mine;
		return 0;
	}
	return left;
}

const char *nm_cpuset_format(const cpu_set_t *s, char *buf, size_t len)
{
	size_t used = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (int c = 0; c < CPU_SETSIZE; c++) {
		int e = c;
		int n;

		if (!CPU_ISSET(c, s))
			continue;
		while (e + 1 < CPU_SETSIZE && CPU_ISSET(e + 1, s))
			e++;
		n = e > c ? snprintf(buf + used, len - used, "%s%d-%d", used ? "," : "", c, e)
			  : snprintf(buf + used, len - used, "%s%d", used ? "," : "", c);
		if (n < 0 || (size_t)n >= len - used) {
			if (len > 4)	/* snprintf kept what fit */
				memcpy(buf + len - 4, "...", 4);
			return buf;
		}
		used += (size_t)n;
		c = e;
	}
	return buf;
}

void nm_scan_judge(struct nm_scan_proc *p, double fix_share)
{
	int best = -1;

	p->home.bits = 0;
	p->remote_bytes = 0;
	p->fix = NM_SCAN_FIX_NONE;
	p->fix_node = -1;
	for (int n = 0; n < NM_MAX_NODES; n++) {
		if (p->cpu_s_by_node[n] > 0)
			nm_nodemask_set(&p->home, n);
		if (p->cpu_s_by_node[n] > 0 && (best < 0 || p->cpu_s_by_node[n] > p->cpu_s_by_node[best]))
			best = n;
	}
	if (!p->home.bits) {
		/* no CPU time in the window: no basis for "remote" */
		p->fix = NM_SCAN_FIX_IDLE;
		return;
	}
	for (int n = 0; n < NM_MAX_NODES; n++)
		if (!nm_nodemask_test(&p->home, n))
			p->remote_bytes += p->bytes_by_node[n];
	if (!p->remote_bytes)
		return;
	if (p->cpu_s > 0 && p->cpu_s_by_node[best] * 100.0 >= fix_share * p->cpu_s) {
		p->fix = NM_SCAN_FIX_MOVE;
		p->fix_node = best;
	} else {
		p->fix = NM_SCAN_FIX_AUTO;
	}
}

int nm_scan_sort_parse(const char *s, enum nm_scan_sort *out)
{
	static const struct { const char *name; enum nm_scan_sort key; } keys[] = {
		{ "remote", NM_SCAN_SORT_REMOTE }, { "rss", NM_SCAN_SORT_RSS },
		{ "cpu", NM_SCAN_SORT_CPU }, { "locality", NM_SCAN_SORT_LOCALITY },
		{ "pid", NM_SCAN_SORT_PID },
	};

	for (size_t i = 0; i < NM_ARRAY_SIZE(keys); i++)
		if (!strcmp(s, keys[i].name)) {
			*out = keys[i].key;
			return 0;
		}
	return -EINVAL;
}

#define CMP(a, b) (((a) > (b)) - ((a) < (b)))

static int tiebreak(const struct nm_scan_proc *x, const struct nm_scan_proc *y)
{
	int c = CMP(y->bytes, x->bytes);

	return c ? c : CMP(x->pid, y->pid);
}

static int cmp_remote(const void *a, const void *b)
{
	const struct nm_scan_proc *x = a, *y = b;
	int c = CMP(y->remote_bytes, x->remote_bytes);

	return c ? c : tiebreak(x, y);
}

static int cmp_rss(const void *a, const void *b)
{
	return tiebreak(a, b);
}

static int cmp_cpu(const void *a, const void *b)
{
	const struct nm_scan_proc *x = a, *y = b;
	int c = CMP(y->cpu_s, x->cpu_s);

	return c ? c : tiebreak(x, y);
}

static int cmp_locality(const void *a, const void *b)
{
	const struct nm_scan_proc *x = a, *y = b;
	bool mx = x->locality >= 0, my = y->locality >= 0;
	int c;

	if (mx != my)
		return mx ? -1 : 1;	/* unmeasured last */
	c = mx ? CMP(x->locality, y->locality) : 0;
	return c ? c : cmp_remote(x, y);
}

static int cmp_pid(const void *a, const void *b)
{
	const struct nm_scan_proc *x = a, *y = b;

	return CMP(x->pid, y->pid);
}

void nm_scan_rank(struct nm_scan_proc *p, size_t n, enum nm_scan_sort key)
{
	int (*cmp[])(const void *, const void *) = {
		[NM_SCAN_SORT_REMOTE] = cmp_remote, [NM_SCAN_SORT_RSS] = cmp_rss,
		[NM_SCAN_SORT_CPU] = cmp_cpu, [NM_SCAN_SORT_LOCALITY] = cmp_locality,
		[NM_SCAN_SORT_PID] = cmp_pid,
	};

	if (n > 1)
		qsort(p, n, sizeof(*p), cmp[key]);
}

const char *nm_scan_fix_cmd(const struct nm_scan_proc *p, char *buf, size_t len)
{
	switch (p->fix) {
	case NM_SCAN_FIX_MOVE:
		snprintf(buf, len, "numa-migrate move --pid %d --to-node %d", (int)p->pid,
			 p->fix_node);
		break;
	case NM_SCAN_FIX_AUTO:
		snprintf(buf, len, "numa-migrate auto --pid %d", (int)p->pid);
		break;
	default:
		snprintf(buf, len, "%s", "");
	}
	return buf;
}

int nm_scan_parse_stat(const char *line, uint64_t *ticks, int *cpu, char *state)
{
	/* after the comm's closing parenthesis: field 3 (state) onwards */
	const char *p = strrchr(line, ')');
	uint64_t ut = 0, st = 0;
	long c = -1;
	int field = 3;

	if (!p || p[1] != ' ')
		return -EINVAL;
	p += 2;
	while (*p && field <= 39) {
		const char *end = strchr(p, ' ');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char tok[32];

		if (len == 0 || len >= sizeof(tok))
			return -EINVAL;
		memcpy(tok, p, len);
		tok[len] = '\0';
		if (field == 3 && state)
			*state = tok[0];
		if (field == 14 && nm_parse_u64(tok, &ut))
			return -EINVAL;
		if (field == 15 && nm_parse_u64(tok, &st))
			return -EINVAL;
		if (field == 39 && nm_parse_long(tok, 0, INT32_MAX, &c))
			return -EINVAL;
		field++;
		p += len;
		if (*p == ' ')
			p++;
		else if (*p && *p != '\n')
			return -EINVAL;
	}
	if (field <= 39 || c < 0)
		return -EINVAL;
	*ticks = ut + st;
	*cpu = (int)c;
	return 0;
}

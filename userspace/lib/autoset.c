// SPDX-License-Identifier: GPL-2.0
/* auto --all's pid set and budget sharing (see autoset.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "autoset.h"
#include "nm.h"
#include "parse.h"

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

size_t nm_pidlist_sort(pid_t *p, size_t n)
{
	size_t k = 0;

	if (!n)
		return 0;
	qsort(p, n, sizeof(*p), cmp_pid);
	for (size_t i = 1; i < n; i++)
		if (p[i] != p[k])
			p[++k] = p[i];
	return k + 1;
}

int nm_pidlist_has(const pid_t *p, size_t n, pid_t pid)
{
	return p && n && bsearch(&pid, p, n, sizeof(*p), cmp_pid) != NULL;
}

int nm_pidlist_parse(const char *s, pid_t **out, size_t *n)
{
	pid_t *p = NULL;
	size_t cnt = 0, cap = 0;
	char *copy, *tok, *save = NULL;

	*out = NULL;
	*n = 0;
	if (!s || !*s)
		return 0;
	copy = strdup(s);
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		pid_t v;

		if (nm_parse_pid(tok, &v)) {
			free(copy);
			free(p);
			return -EINVAL;
		}
		if (nm_grow(p, cnt, cap, 8)) {
			free(copy);
			free(p);
			return -ENOMEM;
		}
		p[cnt++] = v;
	}
	free(copy);
	if (!cnt)
		return -EINVAL;	/* "," alone */
	*n = nm_pidlist_sort(p, cnt);
	*out = p;
	return 0;
}

void nm_autoset_diff(const pid_t *cur, size_t ncur, const pid_t *seen, size_t nseen,
		     size_t room, pid_t *add, size_t *nadd, pid_t *del, size_t *ndel,
		     size_t *waiting)
{
	size_t i = 0, j = 0;

	*nadd = *ndel = *waiting = 0;
	while (i < ncur || j < nseen) {
		if (j == nseen || (i < ncur && cur[i] < seen[j])) {
			del[(*ndel)++] = cur[i++];
		} else if (i == ncur || seen[j] < cur[i]) {
			if (*nadd < room)
				add[(*nadd)++] = seen[j];
			else
				(*waiting)++;
			j++;
		} else {
			i++;
			j++;
		}
	}
}

static int cmp_need(const void *a, const void *b, void *arg)
{
	const uint64_t *need = arg;
	uint64_t x = need[*(const size_t *)a], y = need[*(const size_t *)b];

	return (x > y) - (x < y);
}

void nm_share_budget(const uint64_t *need, size_t n, uint64_t budget, uint64_t *out,
		     size_t *order)
{
	uint64_t left = budget;

	for (size_t i = 0; i < n; i++) {
		order[i] = i;
		out[i] = 0;
	}
	qsort_r(order, n, sizeof(*order), cmp_need, (void *)need);
	/* smallest needs first: each takes min(need, an equal part of what is
	 * left), so what it leaves goes to the bigger ones after it */
	for (size_t k = 0; k < n; k++) {
		uint64_t fair = left / (uint64_t)(n - k);
		uint64_t give = need[order[k]] < fair ? need[order[k]] : fair;

		out[order[k]] = give;
		left -= give;
	}
}

void nm_smallmemo_begin(struct nm_smallmemo *m)
{
	m->round++;
	m->nn = 0;
	m->at = 0;
	m->found = 0;
}

static int memo_keep(struct nm_smallmemo *m, pid_t pid, uint32_t streak)
{
	if (m->nn == m->ncap) {
		size_t c = m->ncap ? m->ncap * 2 : 256;
		pid_t *p = realloc(m->npid, c * sizeof(*p));
		uint32_t *s;

		if (!p)
			return -ENOMEM;
		m->npid = p;
		s = realloc(m->nstreak, c * sizeof(*s));
		if (!s)
			return -ENOMEM;
		m->nstreak = s;
		m->ncap = c;	/* both arrays hold C now */
	}
	m->npid[m->nn] = pid;
	m->nstreak[m->nn++] = streak;
	return 0;
}

bool nm_smallmemo_skip(struct nm_smallmemo *m, pid_t pid)
{
	unsigned int period = m->period ? m->period : 1;

	while (m->at < m->n && m->pid[m->at] < pid)
		m->at++;
	m->found = m->at < m->n && m->pid[m->at] == pid ? m->streak[m->at] : 0;
	if (m->found & NM_MEMO_NOMM) {
		if (m->nomm_period > period)
			period = m->nomm_period;
		if ((m->round + (uint64_t)pid) % period == 0)
			return false;
	} else if (m->found < period || (m->round + (uint64_t)pid) % period == 0) {
		return false;
	}
	/* settled and not its turn: still small as far as anyone knows */
	return memo_keep(m, pid, m->found) == 0;
}

int nm_smallmemo_small(struct nm_smallmemo *m, pid_t pid)
{
	uint32_t streak = m->found & ~NM_MEMO_NOMM;

	return memo_keep(m, pid, streak < NM_MEMO_NOMM - 1 ? streak + 1 : streak);
}

int nm_smallmemo_nomm(struct nm_smallmemo *m, pid_t pid)
{
	return memo_keep(m, pid, NM_MEMO_NOMM);
}

void nm_smallmemo_end(struct nm_smallmemo *m)
{
	pid_t *p = m->pid;
	uint32_t *s = m->streak;
	size_t c = m->cap;

	m->pid = m->npid;
	m->streak = m->nstreak;
	m->n = m->nn;
	m->cap = m->ncap;
	m->npid = p;
	m->nstreak = s;
	m->ncap = c;
	m->nn = 0;
}

void nm_smallmemo_free(struct nm_smallmemo *m)
{
	free(m->pid);
	free(m->streak);
	free(m->npid);
	free(m->nstreak);
	memset(m, 0, sizeof(*m));
}

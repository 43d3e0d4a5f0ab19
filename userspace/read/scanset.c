// SPDX-License-Identifier: GPL-2.0
/* The processes of one scan (see scanset.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "procscan.h"
#include "scanset.h"
#include "target.h"

static void skip(struct nm_scanset *s, pid_t pid, const char *comm, const char *what, int err)
{
	struct nm_scan_skip *k;

	if (nm_grow(s->skip, s->nskip, s->skipcap, 16))
		return;
	k = &s->skip[s->nskip++];
	k->pid = pid;
	snprintf(k->comm, sizeof(k->comm), "%s", comm ? comm : "");
	if (err == EACCES || err == EPERM)
		snprintf(k->why, sizeof(k->why), "cannot read /proc/%d/%s: permission denied (run "
			 "as root to read every process)", (int)pid, what);
	else
		snprintf(k->why, sizeof(k->why), "cannot read /proc/%d/%s: %s", (int)pid, what,
			 strerror(err));
}

/* Gone processes are simply not reported. */
static bool gone(int r)
{
	return r == -ESRCH || r == -ENOENT;
}

int nm_scanset_collect(struct nm_scanset *s)
{
	pid_t *pids;
	size_t n;
	int r = nm_pids_list(s->root, &pids, &n);

	if (r)
		return r;
	if (s->memo)
		nm_smallmemo_begin(s->memo);
	for (size_t i = 0; i < n; i++) {
		struct nm_scan_proc *p;
		uint64_t rss, size;
		char cg[256] = "";

		if (pids[i] == s->self)
			continue;
		s->examined++;
		if (nm_pidlist_has(s->exclude, s->nexclude, pids[i]))
			continue;
		if (s->memo && nm_smallmemo_skip(s->memo, pids[i])) {
			s->below_min++;
			continue;
		}
		r = nm_proc_statm(s->root, pids[i], s->page_size, &size, &rss);
		if (gone(r))
			continue;
		if (r) {
			skip(s, pids[i], NULL, "statm", -r);
			continue;
		}
		if (!size) {	/* a kernel thread, or exiting */
			s->below_min++;
			if (s->memo)
				nm_smallmemo_nomm(s->memo, pids[i]);
			continue;
		}
		if (rss < s->min_size) {
			s->below_min++;
			if (s->memo)
				nm_smallmemo_small(s->memo, pids[i]);
			continue;
		}
		r = nm_proc_cgroup(s->root, pids[i], cg, sizeof(cg));
		if (gone(r))
			continue;
		if (s->cgroup && (r || !nm_cgroup_under(cg, s->cgroup))) {
			s->outside++;
			continue;
		}
		if (nm_grow(s->p, s->n, s->cap, 64)) {
			free(pids);
			return -ENOMEM;
		}
		p = &s->p[s->n];
		memset(p, 0, sizeof(*p));
		p->pid = pids[i];
		p->locality = -1;
		snprintf(p->cgroup, sizeof(p->cgroup), "%s", cg);
		r = nm_target_comm(s->root, p->pid, p->comm, sizeof(p->comm));
		if (!r && !s->no_cpu_sample)
			r = nm_proc_threads(s->root, p->pid, &p->last);
		if (r) {
			if (!gone(r))
				skip(s, p->pid, p->comm, "task", -r);
			nm_scan_sample_free(&p->last);
			continue;
		}
		s->n++;
	}
	free(pids);
	if (s->memo)
		nm_smallmemo_end(s->memo);
	return 0;
}

void nm_scanset_sample(struct nm_scanset *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct nm_scan_proc *p = &s->p[i];
		struct nm_scan_sample t;

		if (p->pid <= 0)
			continue;
		if (nm_proc_threads(s->root, p->pid, &s->cur)) {
			p->pid = -p->pid;	/* exited: dropped by finish */
			continue;
		}
		p->cpu_s += nm_scan_account(&p->last, &s->cur, s->cpus->node, NM_MAX_CPUS, s->hz,
					    p->cpu_s_by_node);
		t = p->last;
		p->last = s->cur;
		s->cur = t;
	}
}

void nm_scanset_finish(struct nm_scanset *s)
{
	size_t k = 0;

	for (size_t i = 0; i < s->n; i++) {
		struct nm_scan_proc *p = &s->p[i];
		int r = p->pid > 0 ? nm_proc_node_bytes(s->root, p->pid, p->bytes_by_node, &p->bytes) :
				     -ESRCH;

		nm_scan_sample_free(&p->last);
		if (r) {
			if (!gone(r))
				skip(s, p->pid, p->comm, "numa_maps", -r);
			continue;
		}
		nm_scan_judge(p, s->fix_share);
		s->p[k++] = *p;
	}
	s->n = k;
	nm_scan_rank(s->p, s->n, s->sort);
}

void nm_scanset_reset(struct nm_scanset *s)
{
	for (size_t i = 0; i < s->n; i++)
		nm_scan_sample_free(&s->p[i].last);
	s->n = s->nskip = s->examined = s->below_min = s->outside = 0;
}

void nm_scanset_free(struct nm_scanset *s)
{
	nm_scanset_reset(s);
	nm_scan_sample_free(&s->cur);
	free(s->p);
	free(s->skip);
	s->p = NULL;
	s->skip = NULL;
	s->cap = s->skipcap = 0;
}

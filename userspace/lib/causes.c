// SPDX-License-Identifier: GPL-2.0
/* Failed pages of a move -> groups by cause, with reason and fix (pure). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "causes.h"
#include "errors.h"
#include "target.h"	/* nm_nodemask_fmt */

static double mib(uint64_t bytes)
{
	return (double)bytes / (1024.0 * 1024.0);
}

static const char *const cause_names[NM_CAUSES] = {
	[NM_CAUSE_BUSY] = "busy", [NM_CAUSE_MLOCKED] = "mlocked",
	[NM_CAUSE_SHARED] = "shared", [NM_CAUSE_CPUSET] = "cpuset",
	[NM_CAUSE_NODE_FULL] = "node_full", [NM_CAUSE_NOT_PRESENT] = "not_present",
	[NM_CAUSE_FILE_DIRTY] = "file_dirty", [NM_CAUSE_UNMOVABLE] = "unmovable",
	[NM_CAUSE_WRONG_NODE] = "wrong_node", [NM_CAUSE_OTHER] = "other",
};

const char *nm_cause_name(enum nm_cause c)
{
	return (unsigned)c < NM_CAUSES ? cause_names[c] : "other";
}

static const struct nm_vma *vma_of(const struct nm_vma_list *l, uint64_t addr)
{
	for (size_t i = 0; l && i < l->n; i++)
		if (addr >= l->v[i].start && addr < l->v[i].end)
			return &l->v[i];
	return NULL;
}

/* How many of slot S's examples satisfy PRED. */
static unsigned int count_ex(const struct nm_move_result *r, enum nm_errslot s,
			     const struct nm_explain_ctx *c,
			     bool (*pred)(const struct nm_explain_ctx *, uint64_t))
{
	unsigned int n = 0;

	for (unsigned int k = 0; k < r->nexample[s]; k++)
		n += pred(c, r->example[s][k]);
	return n;
}

static bool in_locked(const struct nm_explain_ctx *c, uint64_t a)
{
	return c->locked && nm_locked_find(c->locked, a);
}

static bool in_file(const struct nm_explain_ctx *c, uint64_t a)
{
	const struct nm_vma *v = vma_of(c->vmas, a);

	return v && v->kind == NM_VMA_FILE;
}

/* Which cause the pages of slot S belong to: the errno, refined by what the
 * examples' mappings are (most examples decide). */
static enum nm_cause cause_of(const struct nm_move_result *r, enum nm_errslot s,
			      const struct nm_explain_ctx *c)
{
	unsigned int nex = r->nexample[s];

	switch (s) {
	case NM_ERR_EBUSY:
	case NM_ERR_UNPROCESSED:
	case NM_ERR_EPERM:
		if (nex && 2 * count_ex(r, s, c, in_locked) > nex)
			return NM_CAUSE_MLOCKED;
		return s == NM_ERR_EPERM ? NM_CAUSE_UNMOVABLE : NM_CAUSE_BUSY;
	case NM_ERR_EACCES:
		if (c->mems_known && !nm_nodemask_test(&c->mems_allowed, c->target))
			return NM_CAUSE_CPUSET;
		return NM_CAUSE_SHARED;
	case NM_ERR_ENOMEM:
		return NM_CAUSE_NODE_FULL;
	case NM_ERR_EFAULT:
	case NM_ERR_ENOENT:
		return NM_CAUSE_NOT_PRESENT;
	case NM_ERR_EIO:
	case NM_ERR_EINVAL:
		if (nex && 2 * count_ex(r, s, c, in_file) > nex)
			return NM_CAUSE_FILE_DIRTY;
		return NM_CAUSE_UNMOVABLE;
	case NM_ERR_WRONG_NODE:
		return NM_CAUSE_WRONG_NODE;
	default:
		return NM_CAUSE_OTHER;
	}
}

/* The reason and fix of each cause that needs no numbers (the others are
 * written by describe). */
static const struct {
	const char *reason, *fix;
} plain[NM_CAUSES] = {
	[NM_CAUSE_BUSY] = { "busy: isolated by another migration or pinned (I/O, RDMA, "
		"vmsplice) and still busy after the retries",
		"retry later; pages that stay busy are pinned until the I/O holding them ends" },
	[NM_CAUSE_MLOCKED] = { "in an mlocked mapping and busy or refused: locked and pinned "
		"for I/O", "stop the I/O that pins them (or munlock) and retry" },
	[NM_CAUSE_SHARED] = { "mapped by other processes too (shared, or copy-on-write after "
		"fork)", "--all (MPOL_MF_MOVE_ALL, needs CAP_SYS_NICE) moves them for every "
		"process mapping them" },
	[NM_CAUSE_NOT_PRESENT] = { "not present: never touched, swapped out, or the shared "
		"zero page", "nothing to move; new pages follow the memory policy and the CPU "
		"that touches them" },
	[NM_CAUSE_FILE_DIRTY] = { "dirty file pages the filesystem could not write back or "
		"migrate", "sync the file (or let writeback finish) and retry" },
	[NM_CAUSE_UNMOVABLE] = { "the kernel cannot migrate these pages (special or driver "
		"mapping)", "none: leave them out with --range" },
	[NM_CAUSE_OTHER] = { "unexpected per-page error",
		"report it with the move's JSON output" },
};

static void describe(struct nm_cause_group *g, const struct nm_explain_ctx *c)
{
	char b[128];
	double need = mib(g->pages * c->page_size);

	switch (g->cause) {
	case NM_CAUSE_CPUSET:
		nm_nodemask_fmt(&c->mems_allowed, b, sizeof(b));
		snprintf(g->reason, sizeof(g->reason), "node %d is outside the process's cpuset "
			 "(allowed memory nodes: %s)", c->target, b);
		snprintf(g->fix, sizeof(g->fix), "pick one of nodes %s, or add node %d to the "
			 "cgroup's cpuset.mems", b, c->target);
		break;
	case NM_CAUSE_NODE_FULL:
		snprintf(g->reason, sizeof(g->reason), "node %d ran out of free memory", c->target);
		if (c->free_known)
			snprintf(g->fix, sizeof(g->fix), "free at least %.1f MiB on node %d (it has "
				 "%.1f MiB free now) or pick another node", need, c->target,
				 (double)c->target_free_kb / 1024.0);
		else
			snprintf(g->fix, sizeof(g->fix), "free at least %.1f MiB on node %d or "
				 "pick another node", need, c->target);
		break;
	case NM_CAUSE_WRONG_NODE:
		snprintf(g->reason, sizeof(g->reason), "the kernel placed them on another node "
			 "than requested");
		snprintf(g->fix, sizeof(g->fix), "check free memory on node %d and retry",
			 c->target);
		break;
	default: {
		enum nm_cause k = (unsigned int)g->cause < NM_CAUSES && plain[g->cause].reason ?
				  g->cause : NM_CAUSE_OTHER;

		snprintf(g->reason, sizeof(g->reason), "%s", plain[k].reason);
		snprintf(g->fix, sizeof(g->fix), "%s", plain[k].fix);
	}
	}
}

static void example(struct nm_cause_group *g, const struct nm_explain_ctx *c, uint64_t a)
{
	const struct nm_vma *v = vma_of(c->vmas, a);
	struct nm_cause_example *e;

	if (g->nex >= NM_ARRAY_SIZE(g->ex))
		return;
	e = &g->ex[g->nex++];
	e->addr = a;
	if (!v)
		snprintf(e->mapping, sizeof(e->mapping), "unmapped");
	else
		snprintf(e->mapping, sizeof(e->mapping), "0x%" PRIx64 "-0x%" PRIx64 " %s %s",
			 v->start, v->end, v->perms, v->path ? v->path : nm_vma_kind_name(v->kind));
}

static void append_errno(struct nm_cause_group *g, const char *name)
{
	size_t pos = strlen(g->errnos);

	if (pos < sizeof(g->errnos))
		snprintf(g->errnos + pos, sizeof(g->errnos) - pos, "%s%s", pos ? "," : "", name);
}

size_t nm_explain_move(const struct nm_move_result *res, const struct nm_explain_ctx *ctx,
		       struct nm_cause_group *out)
{
	struct nm_cause_group g[NM_CAUSES];
	size_t n = 0;

	memset(g, 0, sizeof(g));
	for (int c = 0; c < NM_CAUSES; c++)
		g[c].cause = (enum nm_cause)c;
	if (res->not_present) {
		g[NM_CAUSE_NOT_PRESENT].pages += res->not_present;
		append_errno(&g[NM_CAUSE_NOT_PRESENT], "query");
	}
	for (int s = 0; s < NM_ERR_SLOTS; s++) {
		enum nm_cause c;

		if (!res->by_errno[s])
			continue;
		c = cause_of(res, (enum nm_errslot)s, ctx);
		g[c].pages += res->by_errno[s];
		append_errno(&g[c], nm_errslot_name((enum nm_errslot)s));
		for (unsigned int k = 0; k < res->nexample[s]; k++)
			example(&g[c], ctx, res->example[s][k]);
	}
	for (int c = 0; c < NM_CAUSES; c++) {
		if (!g[c].pages)
			continue;
		describe(&g[c], ctx);
		out[n++] = g[c];
	}
	/* largest first; stable for equal counts */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && out[j].pages > out[j - 1].pages; j--) {
			struct nm_cause_group t = out[j];

			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}

// SPDX-License-Identifier: GPL-2.0
/* The decision policy of 'numa-migrate auto'; see policy.h for the rules. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "policy.h"

void nm_policy_opts_default(struct nm_policy_opts *o)
{
	o->share_pct = 75.0;
	o->min_samples = 8;
	o->stable = 2;
	o->cpu_confirm = true;
	o->cooldown = 5;
	o->reserve_bytes = 256ULL << 20;
	o->mapping_quorum = 2;
	o->demote_cold = 0;
	o->cold_idle_s = 0;	/* the faults sensor until DAMON runs */
}

#define NM_R_NAME(id, name) [NM_R_##id] = name,
static const char *const reason_names[NM_R_NREASONS] = { NM_REASONS(NM_R_NAME) };
#undef NM_R_NAME

const char *nm_reason_name(enum nm_reason r)
{
	return (unsigned int)r < NM_R_NREASONS ? reason_names[r] : "unknown";
}

int nm_policy_init(struct nm_policy *p, const struct nm_policy_opts *o, uint64_t granularity)
{
	if (!granularity || (granularity & (granularity - 1)))
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	p->o = *o;
	p->granularity = granularity;
	p->cpu_node = -1;
	return 0;
}

void nm_policy_free(struct nm_policy *p)
{
	free(p->reg);
	free(p->map);
	free(p->dec);
	memset(p, 0, sizeof(*p));
}

/* The region whose granule starts at BASE (a region may start later in its
 * granule, where its mapping begins). */
static struct nm_pregion *find_region(struct nm_pregion *r, size_t n, uint64_t g,
				      uint64_t base)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((r[mid].start & ~(g - 1)) < base)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && (r[lo].start & ~(g - 1)) == base ? &r[lo] : NULL;
}

static struct nm_pmapping *find_mapping(struct nm_pmapping *m, size_t n, uint64_t start)
{
	size_t lo = 0, hi = n;

	/* sorted by start: a process with 60,000 mappings must not cost n^2 */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && m[lo].start == start ? &m[lo] : NULL;
}

int nm_policy_set_ranges(struct nm_policy *p, const struct nm_policy_range *r, size_t n)
{
	struct nm_pregion *reg = NULL;
	struct nm_pmapping *map = NULL;
	size_t nreg = 0, capreg = 0, nmap = 0, capmap = 0;
	uint64_t g = p->granularity;
	/* the last region's bytes of its last mapping, and of its owner */
	uint64_t cur_bytes = 0, owner_bytes = 0;

	for (size_t i = 0; i < n; i++) {
		struct nm_pmapping *m = nmap ? &map[nmap - 1] : NULL;

		if (!m || m->start != r[i].map_start) {
			struct nm_pmapping *old = find_mapping(p->map, p->nmap, r[i].map_start);

			if (nm_grow(map, nmap, capmap, 16))
				goto nomem;
			m = &map[nmap++];
			if (old && old->end == r[i].map_end) {
				*m = *old;
			} else {
				memset(m, 0, sizeof(*m));
				m->cand = -1;
				m->cooldown_until = 0;
			}
			m->start = r[i].map_start;
			m->end = r[i].map_end;
		}
		for (uint64_t a = r[i].start; a < r[i].end;) {
			uint64_t rs = a & ~(g - 1);
			uint64_t e = rs + g < r[i].end ? rs + g : r[i].end;
			struct nm_pregion *x = nreg ? &reg[nreg - 1] : NULL;

			if (x && (x->start & ~(g - 1)) == rs) {	/* two pieces in one region */
				if (x->mapping_last != nmap - 1)
					cur_bytes = 0;	/* the next mapping's first piece */
				cur_bytes += e - a;
				x->end = e;
				x->mapping_last = nmap - 1;
				if (cur_bytes > owner_bytes) {
					x->owner = nmap - 1;
					owner_bytes = cur_bytes;
				}
				a = e;
				continue;
			}
			if (nm_grow(reg, nreg, capreg, 16))
				goto nomem;
			x = &reg[nreg++];
			struct nm_pregion *old = find_region(p->reg, p->nreg, g, rs);

			if (old) {
				*x = *old;
			} else {
				memset(x, 0, sizeof(*x));
				x->cand = -1;
				x->moved_to = -1;
				x->last_sample = -1;
				x->born = p->active;
			}
			x->start = a > rs ? a : rs;
			x->end = e;
			x->mapping = x->mapping_last = x->owner = nmap - 1;
			owner_bytes = cur_bytes = e - x->start;
			a = e;
		}
	}
	free(p->reg);
	free(p->map);
	p->reg = reg;
	p->nreg = nreg;
	p->capreg = capreg;
	p->map = map;
	p->nmap = nmap;
	p->capmap = capmap;
	return 0;
nomem:
	free(reg);
	free(map);
	return -ENOMEM;
}

void nm_policy_begin(struct nm_policy *p)
{
	for (size_t i = 0; i < p->nreg; i++)
		memset(&p->reg[i].ev, 0, sizeof(p->reg[i].ev));
	for (size_t i = 0; i < p->nmap; i++) {
		memset(&p->map[i].ev, 0, sizeof(p->map[i].ev));
		p->map[i].agree = p->map[i].disagree = 0;
	}
	p->unmanaged = 0;
	memset(&p->ev, 0, sizeof(p->ev));
	p->cpu_node = -1;
	p->cpu_s = 0;
	memset(p->cpu_by_node, 0, sizeof(p->cpu_by_node));
}

void nm_policy_cpu(struct nm_policy *p, const double by_node[NM_MAX_NODES], double total_s)
{
	int best = 0;
	double share;

	for (int n = 1; n < NM_MAX_NODES; n++)
		if (by_node[n] > by_node[best])
			best = n;
	memcpy(p->cpu_by_node, by_node, sizeof(p->cpu_by_node));
	p->cpu_s = total_s;
	share = total_s > 0 ? 100.0 * by_node[best] / total_s : 0;
	p->cpu_node = total_s >= NM_POLICY_CPU_MIN_S && share >= p->o.share_pct ?
		      best : -1;
}

static uint64_t diff(uint64_t now, uint64_t before)
{
	return now >= before ? now - before : now;	/* a reset counter starts over */
}

void nm_policy_observe(struct nm_policy *p, uint64_t region_start, const struct nm_hf_region *r)
{
	struct nm_pregion *x = find_region(p->reg, p->nreg, p->granularity,
					     region_start & ~(p->granularity - 1));
	struct nm_evidence *e;

	if (!x) {
		for (int n = 0; n < NM_HF_MAX_NODES; n++)
			p->unmanaged += r->by_cpu_node[n];	/* cumulative: a hint only */
		return;
	}
	e = &x->ev;
	memset(e, 0, sizeof(*e));
	for (int n = 0; n < NM_HF_MAX_NODES; n++) {
		e->by_node[n] = diff(r->by_cpu_node[n], x->last.by_cpu_node[n]);
		e->page_node[n] = diff(r->by_mem_node[n], x->last.by_mem_node[n]);
		e->samples += e->by_node[n];
	}
	e->local = diff(r->local, x->last.local);
	e->kernel_migrated = diff(r->migrated, x->last.migrated);
	if (e->local > e->samples)
		e->local = e->samples;
	x->last = *r;
}

static int top_node(const struct nm_evidence *e)
{
	int best = -1;

	for (int n = 0; n < NM_HF_MAX_NODES; n++)
		if (e->by_node[n] && (best < 0 || e->by_node[n] > e->by_node[best]))
			best = n;
	return best;
}

static double share_of(const struct nm_evidence *e, int node)
{
	if (!e->samples || node < 0)
		return 0.0;
	return 100.0 * (double)e->by_node[node] / (double)e->samples;
}

static bool passes_share(const struct nm_policy *p, const struct nm_evidence *e, int node)
{
	return e->samples && node >= 0 && share_of(e, node) >= p->o.share_pct;
}

static void evidence_add(struct nm_evidence *dst, const struct nm_evidence *src)
{
	dst->samples += src->samples;
	dst->local += src->local;
	dst->kernel_migrated += src->kernel_migrated;
	for (int n = 0; n < NM_HF_MAX_NODES; n++) {
		dst->by_node[n] += src->by_node[n];
		dst->page_node[n] += src->page_node[n];
	}
}

double nm_evidence_locality(const struct nm_evidence *e)
{
	return e->samples ? 100.0 * (double)e->local / (double)e->samples : -1.0;
}

/* Streak update from one interval's evidence: returns the candidate node. */
static void streak_update(const struct nm_policy *p, const struct nm_evidence *e, int *cand,
			  unsigned int *streak)
{
	int top = top_node(e);

	if (e->samples < p->o.min_samples)
		return;				/* not enough to say: hold */
	if (!passes_share(p, e, top)) {
		*cand = -1;
		*streak = 0;
		return;
	}
	if (*cand == top) {
		(*streak)++;
	} else {
		*cand = top;
		*streak = 1;
	}
}

/* The tests every move passes, in order; NM_R_MOVE when all do. */
static enum nm_reason node_checks(const struct nm_policy *p, struct nm_node_env *env,
				  const struct nm_evidence *e, long cooldown_until, int node,
				  uint64_t bytes)
{
	if (e && e->samples && e->local == e->samples)
		return NM_R_ALREADY_LOCAL;
	if (cooldown_until > p->interval)
		return NM_R_COOLDOWN;
	if (env->allowed.bits && !nm_nodemask_test(&env->allowed, node))
		return NM_R_OUTSIDE_CPUSET;
	if (!nm_nodemask_test(&env->has_memory, node))
		return NM_R_NO_MEMORY;
	if (env->free_known &&
	    (env->free_bytes[node] < bytes ||
	     env->free_bytes[node] - bytes < p->o.reserve_bytes))
		return NM_R_RESERVE;
	return NM_R_MOVE;
}

/* D's node, share and reason from its evidence (D->ev, D->streak) and the
 * streak's candidate CAND: the same tests for a region and a mapping. */
static void judge(const struct nm_policy *p, struct nm_node_env *env, int cand,
		  long cooldown_until, struct nm_decision *d)
{
	/* one interval is enough when the process's threads stayed on the
	 * streak's node all through it (nm_policy_cpu) */
	bool confirmed = p->o.cpu_confirm && cand >= 0 && cand == p->cpu_node &&
			 d->streak >= 1;

	d->node = cand >= 0 ? cand : top_node(&d->ev);
	d->share = share_of(&d->ev, d->node);
	d->cpu_confirmed = confirmed && d->streak < p->o.stable;
	if (d->ev.samples < p->o.min_samples)
		d->reason = NM_R_FEW_SAMPLES;
	else if (cand < 0)
		d->reason = NM_R_NO_MAJORITY;
	else if (d->streak < p->o.stable && !confirmed)
		d->reason = NM_R_NOT_STABLE;
	else
		d->reason = node_checks(p, env, &d->ev, cooldown_until, d->node,
					d->end - d->start);
}

/* Whether mapping MI has a piece in region X. */
static bool region_in_mapping(const struct nm_pregion *x, size_t mi)
{
	return mi >= x->mapping && mi <= x->mapping_last;
}

/* Whether a mapping with a piece in X moves whole this interval. */
static bool region_covered(const struct nm_pregion *x, const bool *covered)
{
	if (!covered)
		return false;
	for (size_t mi = x->mapping; mi <= x->mapping_last; mi++)
		if (covered[mi])
			return true;
	return false;
}

static int push(struct nm_policy *p, const struct nm_decision *d)
{
	if (nm_grow(p->dec, p->ndec, p->capdec, 16))
		return -ENOMEM;
	p->dec[p->ndec++] = *d;
	return 0;
}

static bool is_move(const struct nm_decision *d)
{
	return !d->covered && (d->reason == NM_R_MOVE || d->reason == NM_R_MOVE_MAPPING ||
	       d->reason == NM_R_DEMOTE);
}

static int cmp_decision(const void *a, const void *b)
{
	const struct nm_decision *x = a, *y = b;

	if (is_move(x) != is_move(y))
		return is_move(x) ? -1 : 1;
	if (is_move(x) && x->ev.samples != y->ev.samples)
		return x->ev.samples > y->ev.samples ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (int)y->mapping - (int)x->mapping;	/* a mapping before its first region */
}

static void charge(struct nm_node_env *env, int node, uint64_t bytes)
{
	if (env->free_known && node >= 0 && node < NM_MAX_NODES)
		env->free_bytes[node] = env->free_bytes[node] > bytes ?
					env->free_bytes[node] - bytes : 0;
}

/* Pools every region's evidence into its owner mapping and counts, per
 * mapping, the sampled regions that agree with the pooled top node or hold a
 * majority for another: one pass each over the regions (a pass over them per
 * mapping cost mappings x regions: 3.6e9 steps an interval at 60,000). */
static void mappings_pool(struct nm_policy *p)
{
	for (size_t i = 0; i < p->nreg; i++)
		evidence_add(&p->map[p->reg[i].owner].ev, &p->reg[i].ev);
	for (size_t i = 0; i < p->nreg; i++) {
		const struct nm_evidence *e = &p->reg[i].ev;
		struct nm_pmapping *m = &p->map[p->reg[i].owner];
		int top, rt;

		if (!e->samples)
			continue;
		top = top_node(&m->ev);
		rt = top_node(e);
		if (passes_share(p, e, top))
			m->agree++;
		else if (e->samples >= p->o.min_samples && rt != top && passes_share(p, e, rt))
			m->disagree++;
	}
}

/* Runs mapping M's streak on its pooled evidence (mappings_pool). */
static void mapping_streak(struct nm_policy *p, struct nm_pmapping *m)
{
	int top = top_node(&m->ev);

	if (m->ev.samples < p->o.min_samples)
		return;				/* hold */
	if (!passes_share(p, &m->ev, top) || m->disagree) {
		m->cand = -1;
		m->streak = 0;
		return;
	}
	if (m->agree < p->o.mapping_quorum)
		return;				/* too few regions sampled yet: hold */
	if (m->cand == top) {
		m->streak++;
	} else {
		m->cand = top;
		m->streak = 1;
	}
}

void nm_policy_exclude(struct nm_policy *p, const struct nm_policy_excl *x, size_t n)
{
	p->excl = x;
	p->nexcl = n;
}

/* Whether [START, END) overlaps an excluded range, walking *K forward: the
 * callers ask in order of START, so one pass over the exclusions serves a
 * pass over the regions (or the mappings). */
static bool excluded(const struct nm_policy *p, size_t *k, uint64_t start, uint64_t end)
{
	while (*k < p->nexcl && p->excl[*k].end <= start)
		(*k)++;
	return *k < p->nexcl && p->excl[*k].start < end;
}

/* The first region holding a piece of mapping MI: regions are in address
 * order, so their mapping_last never decreases. */
static size_t first_region_of(const struct nm_policy *p, size_t mi)
{
	size_t lo = 0, hi = p->nreg;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->reg[mid].mapping_last < mi)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Until when mapping MI must stay put if moved whole to NODE: its own
 * cooldown, or the latest of its regions' that were moved to another node.
 * A region moved on its own is part of its mapping: moving the whole
 * mapping elsewhere would undo that move inside the region's cooldown (the
 * ping-pong the cooldown is there to stop); the mapping's other regions are
 * then judged one by one. Moving the rest of the mapping to where the
 * region went undoes nothing, and is not held. */
static long mapping_cooldown(const struct nm_policy *p, size_t mi, int node)
{
	long until = p->map[mi].cooldown_until;

	for (size_t i = first_region_of(p, mi); i < p->nreg && p->reg[i].mapping <= mi; i++) {
		const struct nm_pregion *x = &p->reg[i];

		if (region_in_mapping(x, mi) && x->moved_to != node && x->cooldown_until > until)
			until = x->cooldown_until;
	}
	return until;
}

/* Marks the regions and mappings auto --spread keeps where it put them. */
static void mark_spread(struct nm_policy *p)
{
	size_t k = 0;

	for (size_t i = 0; i < p->nreg; i++)
		p->reg[i].spread = excluded(p, &k, p->reg[i].start, p->reg[i].end);
	k = 0;
	for (size_t i = 0; i < p->nmap; i++)
		p->map[i].spread = excluded(p, &k, p->map[i].start, p->map[i].end);
}

int nm_policy_decide(struct nm_policy *p, const struct nm_node_env *env_in,
		     struct nm_decision **out, size_t *n)
{
	struct nm_node_env env = *env_in;
	bool *covered = NULL;
	int err = 0;

	p->ndec = 0;
	if (p->nmap) {
		covered = calloc(p->nmap, sizeof(*covered));
		if (!covered)
			return -ENOMEM;
	}
	mark_spread(p);
	memset(&p->ev, 0, sizeof(p->ev));
	for (size_t i = 0; i < p->nreg; i++)
		evidence_add(&p->ev, &p->reg[i].ev);
	if (p->ev.samples >= p->o.min_samples)
		p->active++;	/* the kernel was sampling this process */
	p->total_samples += p->ev.samples;
	p->total_local += p->ev.local;
	for (size_t i = 0; i < p->nreg; i++) {
		struct nm_pregion *x = &p->reg[i];

		streak_update(p, &x->ev, &x->cand, &x->streak);
		if (x->ev.samples)
			x->last_sample = p->active;
	}
	if (p->o.mapping_quorum)
		mappings_pool(p);
	for (size_t mi = 0; p->o.mapping_quorum && mi < p->nmap && !err; mi++) {
		struct nm_pmapping *m = &p->map[mi];
		struct nm_decision d = { .mapping = true, .index = mi, .start = m->start,
					 .end = m->end, .node = -1 };

		mapping_streak(p, m);
		if (!m->ev.samples)
			continue;
		d.ev = m->ev;
		d.agree = m->agree;
		d.streak = m->streak;
		judge(p, &env, m->cand, mapping_cooldown(p, mi, m->cand), &d);
		if (m->spread)
			d.reason = NM_R_SPREAD;
		if (d.reason == NM_R_MOVE) {
			d.reason = NM_R_MOVE_MAPPING;
			covered[mi] = true;
			charge(&env, d.node, m->end - m->start);
		}
		/* mappings are recorded only when they say more than their
		 * regions: a move, or a generalisation held back */
		if (d.reason == NM_R_MOVE_MAPPING || m->agree >= p->o.mapping_quorum)
			err = push(p, &d);
	}
	for (size_t i = 0; i < p->nreg && !err; i++) {
		struct nm_pregion *x = &p->reg[i];
		struct nm_decision d = { .index = i, .start = x->start, .end = x->end,
					 .ev = x->ev, .node = -1, .streak = x->streak };

		d.covered = region_covered(x, covered);
		if (d.covered && !x->ev.samples)
			continue;
		if (!x->ev.samples) {
			long since = x->last_sample >= 0 ? x->last_sample : x->born;
			bool cold = p->o.cold_idle_s > 0 ? nm_damon_cold(&x->seen, p->o.cold_idle_s) :
				    p->active - since >= (long)p->o.demote_cold;

			if (!p->o.demote_cold || !cold || x->cooldown_until > p->interval ||
			    x->spread)
				continue;
			d.seen = x->seen;
			d.quiet = p->active - since;
			d.reason = NM_R_DEMOTE;	/* node: the caller's, from the placement */
			err = push(p, &d);
			continue;
		}
		judge(p, &env, x->cand, x->cooldown_until, &d);
		if (x->spread)
			d.reason = NM_R_SPREAD;
		if (d.reason == NM_R_MOVE && !d.covered)
			charge(&env, d.node, x->end - x->start);
		err = push(p, &d);
	}
	free(covered);
	if (err)
		return err;
	if (p->ndec > 1)	/* qsort(NULL, 0, ...) is undefined */
		qsort(p->dec, p->ndec, sizeof(*p->dec), cmp_decision);
	p->interval++;
	*out = p->dec;
	*n = p->ndec;
	return 0;
}

void nm_policy_acted(struct nm_policy *p, const struct nm_decision *d, int node)
{
	/* decide() already advanced the interval: the cooldown counts from it */
	long until = p->interval + (long)p->o.cooldown;

	if (d->mapping) {
		if (d->index >= p->nmap)
			return;
		p->map[d->index].cooldown_until = until;
		p->map[d->index].streak = 0;
		/* the mapping's regions are one run of the address-ordered list:
		 * find its first, not walk every region for every mapping moved */
		for (size_t i = first_region_of(p, d->index);
		     i < p->nreg && p->reg[i].mapping <= d->index; i++)
			if (region_in_mapping(&p->reg[i], d->index)) {
				p->reg[i].cooldown_until = until;
				p->reg[i].moved_to = node;
				p->reg[i].streak = 0;
				p->reg[i].cand = -1;
			}
		return;
	}
	if (d->index >= p->nreg)
		return;
	p->reg[d->index].cooldown_until = until;
	p->reg[d->index].moved_to = node;
	p->reg[d->index].streak = 0;
	p->reg[d->index].cand = -1;
	if (d->reason == NM_R_DEMOTE)	/* cold again only after another full stretch */
		p->reg[d->index].last_sample = p->active;
}

int nm_nearest_memory_only(const struct nm_node_env *env, int from)
{
	int best = -1;

	if (from < 0 || from >= NM_MAX_NODES)
		return -1;
	for (int n = 0; n < NM_MAX_NODES; n++) {
		if (n == from || nm_nodemask_test(&env->has_cpu, n) ||
		    !nm_nodemask_test(&env->has_memory, n))
			continue;
		if (env->allowed.bits && !nm_nodemask_test(&env->allowed, n))
			continue;
		if (env->distance[from][n] == UINT32_MAX)
			continue;
		if (best < 0 || env->distance[from][n] < env->distance[from][best])
			best = n;
	}
	return best;
}

/* ---- rate cap ------------------------------------------------------------ */

void nm_rate_init(struct nm_rate *r, double bytes_per_s, double burst, double now)
{
	r->bytes_per_s = bytes_per_s;
	r->burst = burst;
	r->tokens = burst;
	r->last = now;
}

static void refill(struct nm_rate *r, double now)
{
	if (now > r->last) {
		r->tokens += (now - r->last) * r->bytes_per_s;
		if (r->tokens > r->burst)
			r->tokens = r->burst;
	}
	r->last = now;
}

double nm_rate_wait(struct nm_rate *r, double bytes, double now)
{
	if (r->bytes_per_s <= 0)
		return 0.0;
	refill(r, now);
	if (bytes > r->burst)
		bytes = r->burst;
	return r->tokens >= bytes ? 0.0 : (bytes - r->tokens) / r->bytes_per_s;
}

void nm_rate_spend(struct nm_rate *r, double bytes, double now)
{
	if (r->bytes_per_s <= 0)
		return;
	refill(r, now);
	r->tokens -= bytes;
}

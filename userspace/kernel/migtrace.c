// SPDX-License-Identifier: GPL-2.0
/*
 * Loads bpf/migrate.bpf.c (per-region flows and events) or, for the counter
 * alone, bpf/migcount.bpf.c: open, set rodata, load, attach (the skeleton
 * lifecycle split), then reads the per-CPU counters and names each reason
 * (enum migrate_reason differs by kernel: migrate.bpf.c's programs record
 * where the reasons this program knows are; for migcount.bpf.c, which has
 * no CO-RE relocation so that loading it parses no BTF, the tracepoint's
 * format in tracefs names them, or else a thread reads the names from the
 * kernel's BTF while the caller works).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "bpfenv.h"
#include "hooks.h"
#include "migrate.h"
#include "migrate.skel.h"
#include "migcount.skel.h"
#include "migtrace.h"
#include "nm.h"
#include "memblocks.h"
#include "quietthread.h"
#include "reasonfmt.h"

struct nm_migtrace {
	struct migrate_bpf *skel;	/* regions, or the counter's fallback */
	struct migcount_bpf *cskel;	/* or the counter alone, without CO-RE */
	unsigned int shift;
	char names[NM_MIGRATE_MAX_REASONS][NM_REASON_NAME_LEN];
	bool named[NM_MIGRATE_MAX_REASONS];	/* names[i] is the kernel's name */
	bool core_named, btf_named;		/* tried: names_from_core, _btf */
	pthread_t namer;			/* names_from_btf, when namer_on */
	bool namer_on;
	struct ring_buffer *rb;
	int (*ev_fn)(void *ctx, const struct nm_mig_event *e);
	void *ev_ctx;
	int ev_err;
};

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN && getenv("NM_BPF_DEBUG"))
		return vfprintf(stderr, fmt, ap);
	return 0;
}

/* libbpf's messages only with NM_BPF_DEBUG set: our callers explain failures
 * in their own words (which hook, why, what is lost). */
void nm_bpf_quiet(void)
{
	libbpf_set_print(quiet_print);
}

/* Every reason unnamed: "reason_N" until its name is known. */
static void names_init(struct nm_migtrace *t)
{
	for (int i = 0; i < NM_MIGRATE_MAX_REASONS; i++)
		snprintf(t->names[i], sizeof(t->names[i]), "reason_%d", i);
}

/* The names of the reasons the programs located in the running kernel: the
 * table their first migration wrote (nothing yet when none was seen). */
static void names_from_core(struct nm_migtrace *t)
{
	static const char *const known[NM_KR_COUNT] = {
#define NM_KR_NAME(id, name) name,
		NM_MIGRATE_KNOWN_REASONS(NM_KR_NAME)
#undef NM_KR_NAME
	};
	const struct migrate_bpf__bss *bss = t->skel ? t->skel->bss : NULL;

	if (t->core_named || !bss || !bss->reason_values_set)
		return;
	for (int i = 0; i < NM_KR_COUNT; i++) {
		__s32 v = bss->reason_value[i];

		if (v < 0 || v >= NM_MIGRATE_MAX_REASONS)
			continue;
		snprintf(t->names[v], sizeof(t->names[v]), "%s", known[i]);
		t->named[v] = true;
	}
	t->core_named = true;
}

/* Every value from the kernel's BTF: "MR_NUMA_MISPLACED" -> "numa_misplaced".
 * The counter alone's names, on the namer thread; with migrate.bpf.c only
 * for a reason its table does not have (a kernel newer than the list), as
 * parsing the BTF costs 0.03-0.10 s under QEMU. */
static void names_from_btf(struct nm_migtrace *t)
{
	struct btf *btf = btf__load_vmlinux_btf();
	int id;

	if (!btf)
		return;
	id = btf__find_by_name_kind(btf, "migrate_reason", BTF_KIND_ENUM);
	if (id > 0) {
		const struct btf_type *ty = btf__type_by_id(btf, id);
		const struct btf_enum *e = btf_enum(ty);

		for (int i = 0; i < btf_vlen(ty); i++, e++) {
			const char *n = btf__name_by_offset(btf, e->name_off);

			if (e->val < 0 || e->val >= NM_MIGRATE_MAX_REASONS || !n)
				continue;
			if (!strncmp(n, "MR_", 3))
				n += 3;
			size_t k = 0;

			for (; n[k] && k + 1 < sizeof(t->names[0]); k++)
				t->names[e->val][k] = (char)(n[k] >= 'A' && n[k] <= 'Z' ?
							     n[k] - 'A' + 'a' : n[k]);
			t->names[e->val][k] = 0;
			t->named[e->val] = true;
		}
	}
	btf__free(btf);
}

static void *namer(void *arg)
{
	names_from_btf(arg);
	return NULL;
}

/* The names the thread read, once it is done. */
static void names_join(struct nm_migtrace *t)
{
	if (!t->namer_on)
		return;
	pthread_join(t->namer, NULL);
	t->namer_on = false;
	t->btf_named = true;
}

static int fail(struct nm_kernel_counts *kc, int err, const char *stage)
{
	kc->available = false;
	snprintf(kc->why, sizeof(kc->why), "%s failed: %s%s", stage, strerror(-err),
		 err == -EPERM ? " (needs root or CAP_BPF+CAP_PERFMON)" :
		 err == -ENOENT ? " (no tracepoint mm_migrate_pages in this kernel)" : "");
	return err;
}

static int put_block(void *ctx, uint64_t block, int node)
{
	int fd = *(int *)ctx;
	__u32 k = (__u32)block, n = (__u32)node + 1;	/* 0 means unknown */

	if (block >= NM_MIGRATE_MAX_BLOCKS)
		return 0;	/* past the table: those frames' node stays unknown */
	return bpf_map_update_elem(fd, &k, &n, BPF_ANY) ? -errno : 0;
}

/* Fills the BPF memory block table; the node of a frame stays unknown when
 * sysfs has no memory blocks (the flows then say so). */
static void fill_blocks(struct migrate_bpf *s)
{
	int fd = bpf_map__fd(s->maps.block_node);
	uint64_t bytes;

	(void)nm_memblocks_read("", &bytes, put_block, &fd);
}

/* log2(memory block size / page size); 15 (128 MiB) when unknown */
static unsigned int block_pfn_shift(void)
{
	uint64_t bytes = 0;
	unsigned int sh = 0;

	if (nm_memblocks_block_bytes("", &bytes))
		return 15;
	while (bytes > 4096 && sh < 40) {
		bytes >>= 1;
		sh++;
	}
	return sh;
}

/* One attempt: open, set rodata and autoload, load, attach. PMD: the THP
 * pair of tracepoints (absent on some kernels: tried, then left out). */
static int try_load(struct nm_migtrace *t, const struct nm_migtrace_opts *o, bool regions,
		    bool pmd, const char **stage)
{
	struct migrate_bpf *s = migrate_bpf__open();
	int err;

	*stage = "BPF open";
	if (!s)
		return errno ? -errno : -EINVAL;
	s->rodata->filter_tgid = (__u32)o->tgid;
	s->rodata->region_shift = o->region_shift;
	s->rodata->block_pfn_shift = block_pfn_shift();
	s->rodata->emit_events = regions && o->events;
	bpf_program__set_autoload(s->progs.on_migrate_start, regions);
	bpf_program__set_autoload(s->progs.on_set_migration_pte, regions);
	bpf_program__set_autoload(s->progs.on_remove_migration_pte, regions);
	bpf_program__set_autoload(s->progs.on_set_migration_pmd, regions && pmd);
	bpf_program__set_autoload(s->progs.on_remove_migration_pmd, regions && pmd);
	if (!(regions && o->events))
		bpf_map__set_max_entries(s->maps.mig_events, 4096);
	if (!regions) {
		/* only the per-reason counter runs: the region programs' maps
		 * would be created (and the LRU one preallocated) for nothing */
		bpf_map__set_max_entries(s->maps.block_node, 1);
		bpf_map__set_max_entries(s->maps.target_regions, 1);
		bpf_map__set_max_entries(s->maps.pending, 1);
		bpf_map__set_max_entries(s->maps.mig_flows, 1);
	}
	*stage = "BPF load";
	err = migrate_bpf__load(s);
	if (!err && regions)
		fill_blocks(s);	/* before attach: no event may see an empty table */
	if (!err) {
		/* raw tracepoints and tp_btf: no tracefs needed */
		*stage = "attach to the migrate tracepoints";
		err = migrate_bpf__attach(s);
	}
	if (err) {
		migrate_bpf__destroy(s);
		return err;
	}
	t->skel = s;
	t->shift = o->region_shift;
	return 0;
}

/*
 * The counter alone from bpf/migcount.bpf.c, for task group TGID (0: all).
 * The tracepoint's argument count is found by attaching with 8, 7, then 6
 * (the kernel refuses a program that reads past its last argument with
 * EINVAL). Returns 0 or the -errno of the last attempt.
 */
static int try_count_only(struct nm_migtrace *t, pid_t tgid, const char **stage)
{
	static const __u32 nargs[] = { 8, 7, 6 };
	int err = -EINVAL;

	for (size_t i = 0; i < NM_ARRAY_SIZE(nargs); i++) {
		struct migcount_bpf *s = migcount_bpf__open();

		*stage = "BPF open";
		if (!s)
			return errno ? -errno : -EINVAL;
		s->rodata->filter_tgid = (__u32)tgid;
		s->rodata->nargs = nargs[i];
		*stage = "BPF load";
		err = migcount_bpf__load(s);
		if (!err) {
			*stage = "attach to the migrate tracepoint";
			err = migcount_bpf__attach(s);
		}
		if (!err) {
			t->cskel = s;
			return 0;
		}
		migcount_bpf__destroy(s);
		if (err != -EINVAL)
			break;
	}
	return err;
}

int nm_migtrace_open(struct nm_migtrace **out, const struct nm_migtrace_opts *o,
		     struct nm_kernel_counts *kc)
{
	struct nm_migtrace *t;
	const char *stage;
	int err = -EINVAL;

	memset(kc, 0, sizeof(*kc));
	*out = NULL;
	nm_bpf_quiet();
	t = calloc(1, sizeof(*t));
	if (!t)
		return fail(kc, -ENOMEM, "allocation");
	names_init(t);
	/* the counter alone: the object without CO-RE, its names from the
	 * tracepoint's format or else from the BTF meanwhile; migrate.bpf.c's
	 * counter when it cannot attach */
	if (!o->regions && !try_count_only(t, o->tgid, &stage)) {
		/* from the tracepoint's format when tracefs is mounted (2 KiB);
		 * a reason it leaves unnamed is looked up in the BTF later */
		if (nm_reason_names_read("", t->names, t->named, NM_MIGRATE_MAX_REASONS) <= 0)
			t->namer_on = !nm_thread_start_quiet(&t->namer, namer, t);
		kc->available = true;
		*out = t;
		return 0;
	}
	/* per-region attribution needs tp_btf on more tracepoints; the
	 * per-reason counters must not depend on them */
	if (o->regions) {
		err = try_load(t, o, true, true, &stage);
		if (!err) {
			kc->thp_flows = true;
		} else {
			snprintf(kc->thp_flows_why, sizeof(kc->thp_flows_why),
				 "%s failed: %s", stage, strerror(-err));
			err = try_load(t, o, true, false, &stage);
		}
		if (!err)
			kc->regions = true;
		else
			snprintf(kc->regions_why, sizeof(kc->regions_why), "%s failed: %s",
				 stage, strerror(-err));
	}
	if (err)
		err = try_load(t, o, false, false, &stage);
	if (err) {
		free(t);
		return fail(kc, err, stage);
	}
	kc->available = true;
	*out = t;
	return 0;
}

int nm_migtrace_start_regions(struct nm_migtrace **out, pid_t tgid, unsigned int region_shift,
			      struct nm_kernel_counts *kc)
{
	struct nm_migtrace_opts o = { .tgid = tgid, .region_shift = region_shift,
				      .regions = true };

	return nm_migtrace_open(out, &o, kc);
}

int nm_migtrace_start(struct nm_migtrace **out, pid_t tgid, struct nm_kernel_counts *kc)
{
	struct nm_migtrace_opts o = { .tgid = tgid, .region_shift = 21 };

	return nm_migtrace_open(out, &o, kc);
}

const char *nm_migtrace_reason_name(struct nm_migtrace *t, unsigned int reason)
{
	if (reason >= NM_MIGRATE_REASON_UNKNOWN)
		return "unknown";
	names_join(t);
	names_from_core(t);
	if (!t->named[reason] && !t->btf_named) {
		names_from_btf(t);
		t->btf_named = true;
	}
	return t->names[reason];
}

static int node_of(__u16 n)
{
	return n == NM_NODE_UNKNOWN ? -1 : (int)n;
}

int nm_migtrace_read_flows(struct nm_migtrace *t,
			   int (*fn)(void *ctx, uint64_t region_start, const char *reason,
				     int from, int to, uint64_t pages),
			   void *ctx, struct nm_migtrace_drops *drops)
{
	struct nm_migrate_flow_key key, next;
	void *prev = NULL;
	__u64 v, d[NM_MIG_DROP_NSLOTS] = { 0 };
	int ffd, dfd, err = 0;

	if (!t->skel)
		return -EOPNOTSUPP;	/* the counter alone has no flows */
	ffd = bpf_map__fd(t->skel->maps.mig_flows);
	dfd = bpf_map__fd(t->skel->maps.mig_dropped);

	for (__u32 i = 0; i < NM_MIG_DROP_NSLOTS; i++)
		if (bpf_map_lookup_elem(dfd, &i, &d[i]))
			d[i] = 0;
	if (drops) {
		drops->flows = d[NM_MIG_DROP_FLOWS];
		drops->unmatched = d[NM_MIG_DROP_PENDING];
		drops->events = d[NM_MIG_DROP_EVENTS];
	}
	while (!err && !bpf_map_get_next_key(ffd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(ffd, &key, &v) || !v)
			continue;
		err = fn(ctx, key.region << t->shift, nm_migtrace_reason_name(t, key.reason),
			 node_of(key.from_node), node_of(key.to_node), v);
	}
	return err;
}

int nm_migtrace_add_target_region(struct nm_migtrace *t, uint64_t addr)
{
	__u64 k = addr >> t->shift;
	__u8 one = 1;

	if (!t->skel)
		return -EOPNOTSUPP;
	if (bpf_map_update_elem(bpf_map__fd(t->skel->maps.target_regions), &k, &one, BPF_ANY))
		return -errno;
	return 0;
}

static int on_event(void *ctx, void *data, size_t len)
{
	struct nm_migtrace *t = ctx;
	const struct nm_migrate_event *r = data;
	struct nm_mig_event e;

	if (len < sizeof(*r) || t->ev_err)
		return 0;
	memset(&e, 0, sizeof(e));
	e.ts_ns = r->ts_ns;
	e.addr = r->addr;
	e.src_pfn = r->src_pfn;
	e.dst_pfn = r->dst_pfn;
	e.actor_tgid = (pid_t)r->actor_tgid;
	e.actor_tid = (pid_t)r->actor_tid;
	e.reason = nm_migtrace_reason_name(t, r->reason);
	e.from_node = node_of(r->from_node);
	e.to_node = node_of(r->to_node);
	e.cpu_node = (int)r->cpu_node;
	e.order = r->order;
	memcpy(e.comm, r->comm, sizeof(r->comm));
	e.comm[sizeof(e.comm) - 1] = 0;
	t->ev_err = t->ev_fn(t->ev_ctx, &e);
	return 0;
}

int nm_migtrace_poll_events(struct nm_migtrace *t, int timeout_ms,
			    int (*fn)(void *ctx, const struct nm_mig_event *e), void *ctx)
{
	int n;

	if (!t->skel)
		return -EOPNOTSUPP;	/* the counter alone sends no events */
	if (!t->rb) {
		t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.mig_events), on_event, t, NULL);
		if (!t->rb)
			return errno ? -errno : -EINVAL;
	}
	t->ev_fn = fn;
	t->ev_ctx = ctx;
	t->ev_err = 0;
	n = ring_buffer__poll(t->rb, timeout_ms);
	if (n < 0 && n != -EINTR)
		return n;
	return t->ev_err;
}

int nm_migtrace_read(struct nm_migtrace *t, struct nm_kernel_counts *kc)
{
	int ncpu = libbpf_num_possible_cpus();
	int fd = bpf_map__fd(t->cskel ? t->cskel->maps.migrate_stats
				      : t->skel->maps.migrate_stats);
	struct nm_migrate_stats *v;

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	v = calloc((size_t)ncpu, sizeof(*v));
	if (!v)
		return -ENOMEM;
	kc->nreasons = 0;
	for (__u32 k = 0; k < NM_MIGRATE_MAX_REASONS; k++) {
		struct nm_migrate_stats s = { 0 };

		if (bpf_map_lookup_elem(fd, &k, v))
			continue;
		for (int c = 0; c < ncpu; c++) {
			s.events += v[c].events;
			s.succeeded += v[c].succeeded;
			s.failed += v[c].failed;
			s.thp_succeeded += v[c].thp_succeeded;
			s.thp_failed += v[c].thp_failed;
		}
		if (!s.events || kc->nreasons >= NM_ARRAY_SIZE(kc->reason))
			continue;
		snprintf(kc->reason[kc->nreasons].name, sizeof(kc->reason[0].name), "%s",
			 nm_migtrace_reason_name(t, k));
		kc->reason[kc->nreasons].events = s.events;
		kc->reason[kc->nreasons].succeeded = s.succeeded;
		kc->reason[kc->nreasons].failed = s.failed;
		kc->reason[kc->nreasons].thp_succeeded = s.thp_succeeded;
		kc->reason[kc->nreasons].thp_failed = s.thp_failed;
		kc->nreasons++;
	}
	free(v);
	return 0;
}

void nm_migtrace_hooks(const struct nm_kernel_counts *kc, struct nm_hook_status *st)
{
	static const enum nm_hook_id regions[] = {
		NM_HK_MIGRATE_START, NM_HK_SET_MIGRATION_PTE, NM_HK_REMOVE_MIGRATION_PTE,
	}, thp[] = { NM_HK_SET_MIGRATION_PMD, NM_HK_REMOVE_MIGRATION_PMD };
	const char *why;

	nm_hook_result(&st[NM_HK_MIGRATE_PAGES], 0, kc->available ? 0 : -ENOENT);
	if (!kc->available)
		snprintf(st[NM_HK_MIGRATE_PAGES].why, sizeof(st->why), "%s", kc->why);
	why = !kc->available ? kc->why : kc->regions_why;
	for (size_t i = 0; i < NM_ARRAY_SIZE(regions); i++) {
		nm_hook_result(&st[regions[i]], 0, kc->regions ? 0 : -ENOENT);
		if (!kc->regions)
			snprintf(st[regions[i]].why, sizeof(st->why), "%s", why);
	}
	why = !kc->available ? kc->why : !kc->regions ? kc->regions_why : kc->thp_flows_why;
	for (size_t i = 0; i < NM_ARRAY_SIZE(thp); i++) {
		bool ok = kc->regions && kc->thp_flows;

		nm_hook_result(&st[thp[i]], 0, ok ? 0 : -ENOENT);
		if (!ok)
			snprintf(st[thp[i]].why, sizeof(st->why), "%s", why);
	}
}

void nm_migtrace_stop(struct nm_migtrace *t)
{
	if (!t)
		return;
	names_join(t);
	ring_buffer__free(t->rb);
	migcount_bpf__destroy(t->cskel);
	migrate_bpf__destroy(t->skel);
	free(t);
}

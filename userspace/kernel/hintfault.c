// SPDX-License-Identifier: GPL-2.0
/*
 * The hinting-fault loader: skeleton lifecycle split (open, set rodata and
 * autoload, load, attach), repeated once per attach method of
 * task_numa_fault, in the hook table's order (hooks.c), until one works: a
 * kernel that refuses fentry (the 6.18 build machine: EPERM) gets the
 * kprobe; one without kprobes (same machine: ENOENT) gets neither, and the
 * address hook alone. Within each, the address hooks are tried the same way,
 * cheapest first (addr_order).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "hintfault.h"		/* include/: shared with BPF */
#include "hintfault_load.h"
#include "hfbound.h"
#include "hooks.h"
#include "migtrace.h"
#include "nm.h"
#include "procscan.h"
#include "hintfault.skel.h"

struct nm_hintfault {
	struct hintfault_bpf *skel;
	/* destroying the skeleton does not detach what bpf_program__attach
	 * attached: the links are kept and destroyed */
	struct bpf_link *fault_link, *addr_link;
	unsigned int shift;
	uint32_t max_regions;	/* entries of the region map */
};

/* The program for METHOD of task_numa_fault, NULL for one it has none of. */
static struct bpf_program *fault_prog(struct hintfault_bpf *s, enum nm_attach m)
{
	switch (m) {
	case NM_AT_FENTRY: return s->progs.fentry_task_numa_fault;
	case NM_AT_KPROBE: return s->progs.kprobe_task_numa_fault;
	default: return NULL;
	}
}

/* The address hooks in the order tried: the two functions only hinting
 * faults call (one per kernel version), then the tracepoint every user page
 * fault passes. */
static const enum nm_hook_id addr_order[] = {
	NM_HK_NUMA_MIGRATE_CHECK, NM_HK_NUMA_MIGRATE_PREP, NM_HK_PAGE_FAULT_USER,
};

static struct bpf_program *addr_prog(struct hintfault_bpf *s, enum nm_hook_id id)
{
	switch (id) {
	case NM_HK_NUMA_MIGRATE_CHECK: return s->progs.fentry_numa_migrate_check;
	case NM_HK_NUMA_MIGRATE_PREP: return s->progs.fentry_numa_migrate_prep;
	default: return s->progs.on_page_fault_user;
	}
}

static struct nm_hook_status *addr_status(struct nm_hf_choice *c, enum nm_hook_id id)
{
	switch (id) {
	case NM_HK_NUMA_MIGRATE_CHECK: return &c->check;
	case NM_HK_NUMA_MIGRATE_PREP: return &c->prep;
	default: return &c->addr;
	}
}

bool nm_hf_choice_addr(const struct nm_hf_choice *c)
{
	return c->check.used >= 0 || c->prep.used >= 0 || c->addr.used >= 0;
}

void nm_hf_choice_hooks(const struct nm_hf_choice *c, struct nm_hook_status *st)
{
	st[NM_HK_TASK_NUMA_FAULT] = c->fault;
	st[NM_HK_NUMA_MIGRATE_CHECK] = c->check;
	st[NM_HK_NUMA_MIGRATE_PREP] = c->prep;
	st[NM_HK_PAGE_FAULT_USER] = c->addr;
}

static int attach(struct bpf_program *p, struct bpf_link **out)
{
	*out = bpf_program__attach(p);
	if (!*out)
		return errno ? -errno : -EINVAL;
	return 0;
}

/* One attempt with the fault hook by METHOD (NM_AT_NONE: the address hook
 * alone) and the address hook ADDR: open, set rodata and autoload, load,
 * attach. An address hook that fails to attach after a good load leaves the
 * fault hook attached and *ADDR_ERR set (0 when it attached). */
static int try_method(struct nm_hintfault *h, enum nm_attach method, enum nm_hook_id addr,
		      pid_t tgid, int *addr_err)
{
	struct hintfault_bpf *s = hintfault_bpf__open();
	struct bpf_program *want, *want_addr;
	int err;

	*addr_err = 0;
	if (!s)
		return errno ? -errno : -EINVAL;
	s->rodata->target_tgid = (__u32)tgid;
	s->rodata->region_shift = h->shift;
	if (h->max_regions > NM_HF_MAX_REGIONS) {
		/* sized from the footprint (hfbound.h): allocated as regions
		 * appear, not all at load, so a large bound costs only what
		 * is used (non-preallocated hashes are fine in tracing
		 * programs since 6.1, as migrate.bpf.c's flows) */
		bpf_map__set_max_entries(s->maps.regions, h->max_regions);
		bpf_map__set_map_flags(s->maps.regions, BPF_F_NO_PREALLOC);
	}
	want = fault_prog(s, method);
	if (method != NM_AT_NONE && !want) {	/* a method this loader has no program for */
		hintfault_bpf__destroy(s);
		return -EOPNOTSUPP;
	}
	want_addr = addr_prog(s, addr);
	bpf_program__set_autoload(s->progs.fentry_task_numa_fault,
				  want == s->progs.fentry_task_numa_fault);
	bpf_program__set_autoload(s->progs.kprobe_task_numa_fault,
				  want == s->progs.kprobe_task_numa_fault);
	for (size_t i = 0; i < NM_ARRAY_SIZE(addr_order); i++) {
		struct bpf_program *p = addr_prog(s, addr_order[i]);

		bpf_program__set_autoload(p, p == want_addr);
	}
	err = hintfault_bpf__load(s);
	if (!err && want)
		err = attach(want, &h->fault_link);
	if (err) {
		hintfault_bpf__destroy(s);
		return err;
	}
	/* without addresses faults cannot be placed in regions, but they are
	 * still counted (NM_HF_NO_ADDR) */
	*addr_err = attach(want_addr, &h->addr_link);
	h->skel = s;
	return 0;
}

/* Whether address hook ID is worth a load with the fault hook by METHOD. */
static bool addr_worth(enum nm_hook_id id, enum nm_attach method, const struct nm_hf_choice *c)
{
	if (id == NM_HK_PAGE_FAULT_USER)
		return true;
	/* fentry, as task_numa_fault's first method: a kernel that refuses
	 * that one refuses these too, and without a fault hook no address is
	 * worth a fentry */
	if (method != NM_AT_FENTRY ||
	    (id == NM_HK_NUMA_MIGRATE_CHECK ? c->check.tried : c->prep.tried))
		return false;
	/* 6.1's function: a kernel with 6.12's (refused or not) lacks it;
	 * one absent from this kernel is left untried (try_addr_hooks) */
	return id != NM_HK_NUMA_MIGRATE_PREP || !c->check.tried;
}

/* Tries the address hooks in order with the fault hook by METHOD; 0 once one
 * load worked (with the address hook it records), or the error of the
 * load with page_fault_user, which is the fault hook's own. */
static int try_addr_hooks(struct nm_hintfault *h, enum nm_attach method, pid_t tgid,
			  struct nm_hf_choice *c)
{
	int err = -ENOENT, addr_err;

	for (size_t i = 0; i < NM_ARRAY_SIZE(addr_order); i++) {
		enum nm_hook_id id = addr_order[i];
		struct nm_hook_status *st = addr_status(c, id);

		if (!addr_worth(id, method, c))
			continue;
		err = try_method(h, method, id, tgid, &addr_err);
		if (err && id != NM_HK_PAGE_FAULT_USER) {
			/* refused: the next. Not in this kernel's BTF (libbpf's
			 * ESRCH): another version's function, which features
			 * lists as absent, not as a hook that failed */
			if (err != -ESRCH)
				nm_hook_result(st, 0, err);
			continue;
		}
		if (err)
			return err;
		nm_hook_result(st, 0, addr_err);
		if (addr_err && id != NM_HK_PAGE_FAULT_USER) {
			/* loaded but refused at attach: unload, the next one */
			bpf_link__destroy(h->fault_link);
			h->fault_link = NULL;
			hintfault_bpf__destroy(h->skel);
			h->skel = NULL;
			err = addr_err;
			continue;
		}
		if (!addr_err && id != NM_HK_PAGE_FAULT_USER)
			snprintf(c->addr.why, sizeof(c->addr.why), "not attached: %s gives the "
				 "addresses of hinting faults alone", nm_hook(id)->name);
		return 0;
	}
	return err;
}

int nm_hintfault_open(struct nm_hintfault **out, pid_t tgid, unsigned int region_shift,
		      struct nm_hf_choice *c)
{
	return nm_hintfault_open_sized(out, tgid, region_shift, NM_HF_MAX_REGIONS, c);
}

int nm_hintfault_open_sized(struct nm_hintfault **out, pid_t tgid, unsigned int region_shift,
			    uint32_t max_regions, struct nm_hf_choice *c)
{
	const struct nm_hook_def *d = nm_hook(NM_HK_TASK_NUMA_FAULT);
	struct nm_hintfault *h;
	int err = -ENOENT;

	memset(c, 0, sizeof(*c));
	nm_hook_status_init(&c->fault, 1);
	nm_hook_status_init(&c->check, 1);
	nm_hook_status_init(&c->prep, 1);
	nm_hook_status_init(&c->addr, 1);
	*out = NULL;
	nm_bpf_quiet();
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->shift = region_shift;
	h->max_regions = max_regions < NM_HF_MAX_REGIONS ? NM_HF_MAX_REGIONS : max_regions;
	/* the table's order of preference */
	for (int i = 0; i < NM_HOOK_MAX_METHODS && d->method[i] && !h->skel; i++) {
		err = try_addr_hooks(h, d->method[i], tgid, c);
		nm_hook_result(&c->fault, i, err);
	}
	if (!h->skel) {
		err = try_addr_hooks(h, NM_AT_NONE, tgid, c);
		if (err)	/* the address hook was not even tried */
			nm_hook_result(&c->addr, 0, err);
		else if (!nm_hf_choice_addr(c))
			err = c->addr.err[0];
	}
	if (err && h->skel)
		nm_hintfault_close(h);
	else if (err)
		free(h);
	else
		*out = h;
	return err;
}

/* nm_hintfault_open_sized with the map sized from TGID's resident size (a
 * target whose size cannot be read gets the default) */
int nm_hintfault_open_footprint(struct nm_hintfault **out, pid_t tgid, unsigned int region_shift,
				struct nm_hf_choice *c)
{
	long ps = sysconf(_SC_PAGESIZE);
	uint64_t rss = 0;

	if (nm_proc_rss("", tgid, ps > 0 ? (uint64_t)ps : 4096, &rss))
		rss = 0;
	return nm_hintfault_open_sized(out, tgid, region_shift,
				       nm_hf_region_bound(rss, 1ULL << region_shift), c);
}

uint32_t nm_hintfault_max_regions(const struct nm_hintfault *h)
{
	return h ? h->max_regions : 0;
}

void nm_hintfault_close(struct nm_hintfault *h)
{
	if (!h)
		return;
	bpf_link__destroy(h->addr_link);
	bpf_link__destroy(h->fault_link);
	hintfault_bpf__destroy(h->skel);
	free(h);
}

/* Sums the per-CPU counters into ST. 0 or -errno. */
static int read_stats(struct nm_hintfault *h, struct nm_hf_stats *st)
{
	int sfd = bpf_map__fd(h->skel->maps.stats);
	int ncpu = libbpf_num_possible_cpus();
	__u64 *per_cpu;

	memset(st, 0, sizeof(*st));
	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	per_cpu = calloc((size_t)ncpu, sizeof(*per_cpu));
	if (!per_cpu)
		return -ENOMEM;
	for (__u32 k = 0; k < NM_HF_NSTATS; k++) {
		__u64 sum = 0;

		if (bpf_map_lookup_elem(sfd, &k, per_cpu))
			continue;
		for (int c = 0; c < ncpu; c++)
			sum += per_cpu[c];
		switch (k) {
		case NM_HF_FAULTS: st->faults = sum; break;
		case NM_HF_NO_ADDR: st->no_addr = sum; break;
		case NM_HF_DROPPED: st->dropped = sum; break;
		case NM_HF_PAGE_FAULTS: st->page_faults = sum; break;
		}
	}
	free(per_cpu);
	return 0;
}

int nm_hintfault_faults(struct nm_hintfault *h, uint64_t *faults)
{
	struct nm_hf_stats st;
	int err = read_stats(h, &st);

	*faults = st.faults;
	return err;
}

int nm_hintfault_read_pids(struct nm_hintfault *h,
			   int (*fn)(void *ctx, pid_t pid, uint64_t region_start,
				     const struct nm_hf_region *r),
			   void *ctx, struct nm_hf_stats *st)
{
	int rfd = bpf_map__fd(h->skel->maps.regions);
	struct nm_hf_key key, next;
	struct nm_hf_region r;
	void *prev = NULL;
	int err = read_stats(h, st);

	while (!err && !bpf_map_get_next_key(rfd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(rfd, &key, &r))
			continue;	/* deleted meanwhile */
		err = fn(ctx, (pid_t)key.tgid, key.region << h->shift, &r);
	}
	return err;
}

struct one_pid {
	int (*fn)(void *ctx, uint64_t region_start, const struct nm_hf_region *r);
	void *ctx;
};

static int drop_pid(void *arg, pid_t pid, uint64_t start, const struct nm_hf_region *r)
{
	struct one_pid *o = arg;

	return o->fn(o->ctx, start, r);
}

int nm_hintfault_read(struct nm_hintfault *h,
		      int (*fn)(void *ctx, uint64_t region_start,
				const struct nm_hf_region *r),
		      void *ctx, struct nm_hf_stats *st)
{
	struct one_pid o = { fn, ctx };

	return nm_hintfault_read_pids(h, drop_pid, &o, st);
}

/* The pid set's first test (pid_hint in hintfault.bpf.c): D (+1, -1) on
 * PID's slot. A slot counts the set's tgids in it, so it is raised after a
 * pid enters the set and lowered after one leaves: the programs never find
 * a member behind a zero. Only the command's main thread calls this. */
static int hint_adjust(struct nm_hintfault *h, __u32 pid, int d)
{
	int fd = bpf_map__fd(h->skel->maps.pid_hint);
	__u32 k = pid & (NM_HF_PID_HINTS - 1), n;

	if (bpf_map_lookup_elem(fd, &k, &n))
		return -errno;
	if (d < 0 && n == 0)
		return 0;
	n = d < 0 ? n - 1 : n + 1;
	return bpf_map_update_elem(fd, &k, &n, BPF_ANY) ? -errno : 0;
}

int nm_hintfault_pid_add(struct nm_hintfault *h, pid_t pid)
{
	int fd = bpf_map__fd(h->skel->maps.pids), err;
	__u32 k = (__u32)pid;
	__u8 one = 1;

	if (bpf_map_update_elem(fd, &k, &one, BPF_NOEXIST)) {
		if (errno == EEXIST)
			return 0;	/* a member already: its slot counts it */
		return errno == E2BIG || errno == ENOSPC ? -E2BIG : -errno;
	}
	err = hint_adjust(h, k, +1);
	if (err)
		bpf_map_delete_elem(fd, &k);
	return err;
}

int nm_hintfault_pid_del(struct nm_hintfault *h, pid_t pid)
{
	int rfd = bpf_map__fd(h->skel->maps.regions);
	struct nm_hf_key key, next;
	__u32 k = (__u32)pid;
	void *prev = NULL;
	int err = 0;

	if (!bpf_map_delete_elem(bpf_map__fd(h->skel->maps.pids), &k))
		err = hint_adjust(h, k, -1);
	else if (errno != ENOENT)
		err = -errno;
	/* deleting the current key would restart the walk: delete behind it */
	while (!bpf_map_get_next_key(rfd, prev, &next)) {
		if (prev && key.tgid == (__u32)pid)
			bpf_map_delete_elem(rfd, &key);
		key = next;
		prev = &key;
	}
	if (prev && key.tgid == (__u32)pid)
		bpf_map_delete_elem(rfd, &key);
	return err;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The hinting-fault loader: skeleton lifecycle split (open, set rodata and
 * autoload, load, attach), repeated once per hook flavour until one works.
 * fentry is tried first (no kprobe overhead); a kernel that refuses it (the
 * 6.18 build machine: EPERM) gets the kprobe; one without kprobes (same
 * machine: ENOENT) gets neither, and the address hook alone.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "hintfault.h"		/* include/: shared with BPF */
#include "hintfault_load.h"
#include "migtrace.h"
#include "hintfault.skel.h"

struct nm_hintfault {
	struct hintfault_bpf *skel;
	unsigned int shift;
};

enum flavour { FL_FENTRY, FL_KPROBE, FL_NONE };

static int try_flavour(enum flavour fl, pid_t tgid, unsigned int shift,
		       struct hintfault_bpf **out, struct nm_hf_choice *c)
{
	struct hintfault_bpf *s = hintfault_bpf__open();
	int err;

	if (!s)
		return errno ? -errno : -EINVAL;
	s->rodata->target_tgid = (__u32)tgid;
	s->rodata->region_shift = shift;
	bpf_program__set_autoload(s->progs.fentry_task_numa_fault, fl == FL_FENTRY);
	bpf_program__set_autoload(s->progs.kprobe_task_numa_fault, fl == FL_KPROBE);
	err = hintfault_bpf__load(s);
	if (!err && fl == FL_FENTRY &&
	    !bpf_program__attach(s->progs.fentry_task_numa_fault))
		err = errno ? -errno : -EINVAL;
	if (!err && fl == FL_KPROBE &&
	    !bpf_program__attach(s->progs.kprobe_task_numa_fault))
		err = errno ? -errno : -EINVAL;
	if (err) {
		hintfault_bpf__destroy(s);
		return err;
	}
	if (!bpf_program__attach(s->progs.on_page_fault_user)) {
		c->addr_err = errno ? -errno : -EINVAL;
		/* without addresses faults cannot be placed in regions, but
		 * they are still counted (NM_HF_NO_ADDR) */
	} else {
		c->addr_hook = true;
	}
	*out = s;
	return 0;
}

int nm_hintfault_open(struct nm_hintfault **out, pid_t tgid, unsigned int region_shift,
		      struct nm_hf_choice *c)
{
	struct hintfault_bpf *s = NULL;
	struct nm_hintfault *h;
	int err;

	memset(c, 0, sizeof(*c));
	*out = NULL;
	nm_bpf_quiet();
	err = try_flavour(FL_FENTRY, tgid, region_shift, &s, c);
	if (!err) {
		c->fault_hook = "fentry";
	} else {
		c->fentry_err = err;
		err = try_flavour(FL_KPROBE, tgid, region_shift, &s, c);
		if (!err) {
			c->fault_hook = "kprobe";
		} else {
			c->kprobe_err = err;
			err = try_flavour(FL_NONE, tgid, region_shift, &s, c);
			if (!err && !c->addr_hook) {
				hintfault_bpf__destroy(s);
				return c->addr_err;
			}
		}
	}
	if (err)
		return err;
	h = calloc(1, sizeof(*h));
	if (!h) {
		hintfault_bpf__destroy(s);
		return -ENOMEM;
	}
	h->skel = s;
	h->shift = region_shift;
	*out = h;
	return 0;
}

void nm_hintfault_close(struct nm_hintfault *h)
{
	if (!h)
		return;
	hintfault_bpf__destroy(h->skel);
	free(h);
}

int nm_hintfault_read(struct nm_hintfault *h,
		      int (*fn)(void *ctx, uint64_t region_start,
				const struct nm_hf_region *r),
		      void *ctx, struct nm_hf_stats *st)
{
	int rfd = bpf_map__fd(h->skel->maps.regions);
	int sfd = bpf_map__fd(h->skel->maps.stats);
	int ncpu = libbpf_num_possible_cpus();
	__u64 key, next, *per_cpu;
	struct nm_hf_region r;
	void *prev = NULL;
	int err = 0;

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
	while (!err && !bpf_map_get_next_key(rfd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(rfd, &key, &r))
			continue;	/* deleted meanwhile */
		err = fn(ctx, key << h->shift, &r);
	}
	return err;
}

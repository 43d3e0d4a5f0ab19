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
#include <bpf/libbpf.h>
#include "hintfault.h"
#include "hintfault.skel.h"

struct nm_hintfault {
	struct hintfault_bpf *skel;
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

// SPDX-License-Identifier: GPL-2.0
/*
 * The one probe module: decides what this kernel offers by really loading
 * and attaching (a BTF name can exist while the kernel refuses the hook, as
 * fentry does on the 6.18 build machine), and records what it chose, what
 * was refused and why, and what data is lost. Which hooks there are, their
 * methods, roles and losses come from the hook table (hooks.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "bpfenv.h"
#include "diagread.h"
#include "kernfeat.h"
#include "hintfault_load.h"
#include "hooks.h"
#include "migtrace.h"
#include "procfs.h"
#include "schednuma_load.h"

/* Every hook of the table into F, from what the loaders reported. */
static void report(struct nm_features *f, const struct nm_hook_status *st)
{
	for (int id = NM_HK_NONE + 1; id < NM_HK_COUNT; id++) {
		const struct nm_hook_def *d = nm_hook(id);
		const struct nm_hook_status *s = &st[id];
		enum nm_hook_state state;
		struct nm_hook *h;
		char detail[sizeof(h->detail)];

		if (!s->tried && s->why[0]) {	/* another hook served */
			h = nm_features_add(f, d->name, d->role, NM_HOOK_AVAILABLE,
					    nm_attach_name(d->method[0]));
			if (h)
				snprintf(h->detail, sizeof(h->detail), "%s", s->why);
			continue;
		}
		if (!s->tried)
			continue;	/* functions: listed from BTF below; not root */
		state = s->used == 0 ? NM_HOOK_ATTACHED : s->used > 0 ? NM_HOOK_FALLBACK :
			NM_HOOK_MISSING;
		h = nm_features_add(f, d->name, d->role, state,
				    s->used >= 0 ? nm_attach_name(d->method[s->used]) : "");
		if (!h)
			return;
		snprintf(h->detail, sizeof(h->detail), "%s",
			 nm_hook_detail(id, s, detail, sizeof(detail)));
		if (state == NM_HOOK_MISSING)
			snprintf(h->lost, sizeof(h->lost), "%s", d->lost);
	}
}

/* The kernel functions not tried (another served, not root, or another
 * kernel version's): present in this kernel's BTF or not. */
static void probe_btf_names(struct nm_features *f, const struct nm_hook_status *st)
{
	struct btf *btf = btf__load_vmlinux_btf();

	for (int id = NM_HK_NONE + 1; id < NM_HK_COUNT; id++) {
		const struct nm_hook_def *d = nm_hook(id);
		bool found;
		struct nm_hook *h;

		if (!d->btf_func || st[id].tried || st[id].why[0])
			continue;
		found = btf && btf__find_by_name_kind(btf, d->name, BTF_KIND_FUNC) > 0;
		h = nm_features_add(f, d->name, d->role,
				    found ? NM_HOOK_AVAILABLE : NM_HOOK_ABSENT,
				    nm_attach_name(d->method[0]));
		if (h && found)
			snprintf(h->detail, sizeof(h->detail), "in this kernel; not tried%s",
				 geteuid() ? " (not root)" : "");
	}
	btf__free(btf);
}

/* Loads and attaches every loader on this process, as trace would. */
static void probe_loaders(struct nm_hook_status *st)
{
	struct nm_kernel_counts kc;
	struct nm_migtrace *t = NULL;
	struct nm_hintfault *hf = NULL;
	struct nm_schednuma *sn = NULL;
	struct nm_hf_choice c;
	int err;

	(void)nm_migtrace_start_regions(&t, getpid(), 21, &kc);	/* mounts tracefs */
	nm_migtrace_hooks(&kc, st);
	nm_migtrace_stop(t);
	(void)nm_hintfault_open(&hf, getpid(), 21, &c);
	nm_hf_choice_hooks(&c, st);
	nm_hintfault_close(hf);
	err = nm_schednuma_open(&sn, getpid());
	nm_schednuma_hooks(err, st);
	nm_schednuma_close(sn);
}

int nm_probe_features(struct nm_features *f)
{
	struct nm_hook_status st[NM_HK_COUNT];
	struct utsname u;

	memset(f, 0, sizeof(*f));
	nm_hook_status_init(st, NM_HK_COUNT);
	if (!uname(&u))
		snprintf(f->kernel, sizeof(f->kernel), "%s", u.release);
	f->root = geteuid() == 0;
	f->btf = nm_btf_present("");
	f->numa_balancing = nm_numa_balancing_mode("");
	if (f->root)
		probe_loaders(st);
	report(f, st);
	f->tracefs = nm_tracefs_mounted("");
	probe_btf_names(f, st);
	return f->root ? 0 : -EPERM;
}

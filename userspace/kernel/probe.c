// SPDX-License-Identifier: GPL-2.0
/*
 * The one probe module: decides what this kernel offers by really loading
 * and attaching (a BTF name can exist while the kernel refuses the hook, as
 * fentry does on the 6.18 build machine), and records what it chose, what
 * was refused and why, and what data is lost.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "errors.h"
#include "diagread.h"
#include "kfeatures.h"
#include "hintfault_load.h"
#include "migtrace.h"
#include "procfs.h"
#include "schednuma_load.h"

/* Appends "LABEL: strerror (ENAME)" to the hook's detail, "; "-separated. */
static void why(struct nm_hook *h, const char *label, int err)
{
	size_t n = strlen(h->detail);

	snprintf(h->detail + n, sizeof(h->detail) - n, "%s%s: %s (%s)", n ? "; " : "",
		 label, strerror(-err), nm_errno_name(-err));
}

static void probe_migrate_tp(struct nm_features *f)
{
	static const char *const region_hooks[][2] = {
		{ "migrate:mm_migrate_pages_start", "the reason of each kernel migration" },
		{ "migrate:set_migration_pte", "each page the kernel migrates: address, source node" },
		{ "migrate:remove_migration_pte", "its destination node (or that it failed)" },
	};
	struct nm_kernel_counts kc;
	struct nm_migtrace *t = NULL;
	struct nm_hook *h;
	int err = nm_migtrace_start_regions(&t, getpid(), 21, &kc);

	h = nm_features_add(f, "migrate:mm_migrate_pages", "kernel page migrations by reason",
			    err ? NM_HOOK_MISSING : NM_HOOK_ATTACHED, err ? "" : "tracepoint");
	if (h && err) {
		snprintf(h->detail, sizeof(h->detail), "%s", kc.why);
		snprintf(h->lost, sizeof(h->lost),
			 "migrations are not counted: move cannot cross-check its counts, "
			 "trace cannot show what the kernel moved");
	}
	for (size_t i = 0; i < NM_ARRAY_SIZE(region_hooks); i++) {
		h = nm_features_add(f, region_hooks[i][0], region_hooks[i][1],
				    kc.regions ? NM_HOOK_ATTACHED : NM_HOOK_MISSING,
				    kc.regions ? "tp_btf" : "");
		if (h && !kc.regions) {
			snprintf(h->detail, sizeof(h->detail), "%s",
				 err ? kc.why : kc.regions_why);
			snprintf(h->lost, sizeof(h->lost),
				 "kernel migrations are counted by reason but not per region "
				 "or node; diagnose cannot attribute drift");
		}
	}
	{
		static const char *const pmd[] = { "migrate:set_migration_pmd",
						   "migrate:remove_migration_pmd" };
		bool ok = kc.regions && kc.thp_flows;

		for (size_t i = 0; i < NM_ARRAY_SIZE(pmd); i++) {
			h = nm_features_add(f, pmd[i], i ? "the same for a THP moved whole (end)" :
					    "the same for a THP moved whole (start)",
					    ok ? NM_HOOK_ATTACHED : NM_HOOK_MISSING, ok ? "tp_btf" : "");
			if (h && !ok) {
				snprintf(h->detail, sizeof(h->detail), "%s",
					 err ? kc.why : !kc.regions ? kc.regions_why :
					 kc.thp_flows_why);
				snprintf(h->lost, sizeof(h->lost),
					 "THPs the kernel migrates whole are not placed in regions");
			}
		}
	}
	nm_migtrace_stop(t);
}

static void probe_sched(struct nm_features *f)
{
	static const char *const hooks[][2] = {
		{ "sched:sched_move_numa", "threads the scheduler moved between nodes" },
		{ "sched:sched_swap_numa", "threads swapped between nodes" },
		{ "sched:sched_stick_numa", "thread moves considered and refused" },
	};
	struct nm_schednuma *s = NULL;
	int err = nm_schednuma_open(&s, getpid());

	for (size_t i = 0; i < NM_ARRAY_SIZE(hooks); i++) {
		struct nm_hook *h = nm_features_add(f, hooks[i][0], hooks[i][1],
						    err ? NM_HOOK_MISSING : NM_HOOK_ATTACHED,
						    err ? "" : "tp_btf");

		if (h && err) {
			why(h, "tp_btf", err);
			snprintf(h->lost, sizeof(h->lost),
				 "the target's threads moved between nodes are not reported");
		}
	}
	nm_schednuma_close(s);
}

/* Neither the kprobe PMU nor tracefs's kprobe_events: built without kprobes. */
static bool no_kprobes(void)
{
	struct stat st;

	return stat("/sys/bus/event_source/devices/kprobe", &st) &&
	       stat("/sys/kernel/tracing/kprobe_events", &st) &&
	       stat("/sys/kernel/debug/tracing/kprobe_events", &st);
}

static void probe_hintfault(struct nm_features *f)
{
	struct nm_hintfault *hf = NULL;
	struct nm_hf_choice c;
	struct nm_hook *h;
	int err = nm_hintfault_open(&hf, getpid(), 21, &c);

	if (c.fault_hook) {
		h = nm_features_add(f, "task_numa_fault", "NUMA hinting faults (accessing node)",
				    !strcmp(c.fault_hook, "fentry") ? NM_HOOK_ATTACHED :
				    NM_HOOK_FALLBACK, c.fault_hook);
		if (h && c.fentry_err)
			why(h, "fentry refused", c.fentry_err);
	} else {
		h = nm_features_add(f, "task_numa_fault", "NUMA hinting faults (accessing node)",
				    NM_HOOK_MISSING, "");
		if (h) {
			why(h, "fentry", c.fentry_err);
			why(h, "kprobe", c.kprobe_err);
			if (no_kprobes())
				snprintf(h->detail + strlen(h->detail),
					 sizeof(h->detail) - strlen(h->detail),
					 " - this kernel has no kprobes (CONFIG_KPROBES unset)");
			snprintf(h->lost, sizeof(h->lost),
				 "no hinting faults: which node touches which page is unknown; "
				 "trace shows page placement and kernel migrations only");
		}
	}
	h = nm_features_add(f, "page_fault_user", "fault addresses for hinting faults",
			    c.addr_hook ? NM_HOOK_ATTACHED : NM_HOOK_MISSING,
			    c.addr_hook ? "tp_btf" : "");
	if (h && !c.addr_hook) {
		why(h, "tp_btf", c.addr_err ? c.addr_err : err);
		snprintf(h->lost, sizeof(h->lost),
			 "hinting faults cannot be placed in address regions (counted as "
			 "without address)");
	}
	nm_hintfault_close(hf);
}

/* Hooks later versions use: present in this kernel's BTF or not. */
static void probe_btf_names(struct nm_features *f)
{
	static const struct { const char *name, *btfname, *role; int kind; } names[] = {
		{ "numa_migrate_prep", "numa_migrate_prep", "fault address with page (6.1)", BTF_KIND_FUNC },
		{ "numa_migrate_check", "numa_migrate_check", "fault address with page (6.12+)", BTF_KIND_FUNC },
	};
	struct btf *btf = btf__load_vmlinux_btf();

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		bool found = btf && btf__find_by_name_kind(btf, names[i].btfname, names[i].kind) > 0;
		struct nm_hook *h = nm_features_add(f, names[i].name, names[i].role,
						    found ? NM_HOOK_AVAILABLE : NM_HOOK_ABSENT,
						    "BTF");

		if (h && found)
			snprintf(h->detail, sizeof(h->detail), "in this kernel; not used by this "
				 "version of numa-migrate");
	}
	btf__free(btf);
}

int nm_probe_features(struct nm_features *f)
{
	struct utsname u;
	struct stat st;

	memset(f, 0, sizeof(*f));
	if (!uname(&u))
		snprintf(f->kernel, sizeof(f->kernel), "%s", u.release);
	f->root = geteuid() == 0;
	f->btf = !stat("/sys/kernel/btf/vmlinux", &st);
	f->numa_balancing = nm_numa_balancing_mode("");
	if (f->root) {
		probe_migrate_tp(f);	/* mounts tracefs when missing */
		probe_hintfault(f);
		probe_sched(f);
	}
	f->tracefs = !stat("/sys/kernel/tracing/events", &st) ||
		     !stat("/sys/kernel/debug/tracing/events", &st);
	probe_btf_names(f);
	return f->root ? 0 : -EPERM;
}

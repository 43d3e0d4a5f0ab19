/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What this kernel offers for tracing, hook by hook: attached, fell back to
 * what, or missing, and what data is lost because of it. kernel/probe.c
 * fills it by really loading and attaching; output/kfeatures.c prints it.
 */
#ifndef NM_KERNFEAT_H
#define NM_KERNFEAT_H

#include <stdbool.h>
#include <stddef.h>

enum nm_hook_state {
	NM_HOOK_ATTACHED,	/* the preferred way worked */
	NM_HOOK_FALLBACK,	/* a fallback worked (detail says what was refused) */
	NM_HOOK_MISSING,	/* nothing worked: data lost (see lost) */
	NM_HOOK_AVAILABLE,	/* exists in this kernel, not attached (another hook served) */
	NM_HOOK_ABSENT,		/* does not exist in this kernel */
};

struct nm_hook {
	char name[48];		/* "task_numa_fault" */
	char role[64];		/* "NUMA hinting faults" */
	enum nm_hook_state state;
	char via[32];		/* "fentry", "kprobe", "tracepoint", "tp_btf", "BTF" */
	char detail[256];	/* what was refused and why */
	char lost[192];		/* data lost when missing, else empty */
};

#define NM_MAX_HOOKS 24

struct nm_features {
	char kernel[65];
	bool root, btf, tracefs;
	int numa_balancing;	/* kernel.numa_balancing, -1 unreadable */
	size_t nhooks;
	struct nm_hook hooks[NM_MAX_HOOKS];
};

const char *nm_hook_state_name(enum nm_hook_state s);
/* Appends a hook; returns it (NULL when full). */
struct nm_hook *nm_features_add(struct nm_features *f, const char *name, const char *role,
				enum nm_hook_state state, const char *via);

/* Fills F by probing the running kernel (needs root to load BPF). Returns 0,
 * or -EPERM when not root (F still holds what could be read). */
int nm_probe_features(struct nm_features *f);

#endif

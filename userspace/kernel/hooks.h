/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One table of the kernel hooks numa-migrate uses: for each, its name, the
 * ways to attach it in order of preference, the data it gives and what is
 * lost without it. The loaders (hintfault.c, migtrace.c, schednuma.c) try
 * the methods in the table's order and report per hook what happened in a
 * struct nm_hook_status; `features` (probe.c) and the warnings of trace
 * (and auto) are written from the table and those statuses, so no hook name
 * or method is spelled anywhere else.
 *
 * Adding a hook: its id here, its row in hooks.c, its program in bpf/X.bpf.c
 * and its attach in the loader userspace/kernel/X.c (four files).
 */
#ifndef NM_HOOKS_H
#define NM_HOOKS_H

#include <stdbool.h>
#include <stddef.h>

enum nm_hook_id {
	NM_HK_NONE,			/* "no hook" (for depends) */
	NM_HK_MIGRATE_PAGES,		/* migrate:mm_migrate_pages */
	NM_HK_MIGRATE_START,		/* migrate:mm_migrate_pages_start */
	NM_HK_SET_MIGRATION_PTE,
	NM_HK_REMOVE_MIGRATION_PTE,
	NM_HK_SET_MIGRATION_PMD,
	NM_HK_REMOVE_MIGRATION_PMD,
	NM_HK_TASK_NUMA_FAULT,
	NM_HK_NUMA_MIGRATE_CHECK,	/* fault addresses, 6.12+ */
	NM_HK_NUMA_MIGRATE_PREP,	/* fault addresses, 6.1 */
	NM_HK_PAGE_FAULT_USER,		/* fault addresses, where neither attaches */
	NM_HK_SCHED_MOVE_NUMA,
	NM_HK_SCHED_SWAP_NUMA,
	NM_HK_SCHED_STICK_NUMA,
	NM_HK_COUNT
};

enum nm_attach {
	NM_AT_NONE,
	NM_AT_TP_BTF,		/* BTF-typed raw tracepoint */
	NM_AT_FENTRY,
	NM_AT_KPROBE,
	NM_AT_BTF,		/* only looked up in the kernel's BTF */
	NM_AT_RAW_TP,		/* raw tracepoint (untyped arguments) */
};

#define NM_HOOK_MAX_METHODS 3

struct nm_hook_def {
	const char *name;	/* "task_numa_fault", "migrate:mm_migrate_pages" */
	const char *role;	/* the data it gives */
	enum nm_attach method[NM_HOOK_MAX_METHODS];	/* in order of preference */
	const char *lost;	/* what is lost without it */
	/* Trace/auto warn, once per group of hooks attached together, with
	 * "<warn> unavailable (<why>): <lost>"; NULL: covered by another's. */
	const char *warn;
	enum nm_hook_id depends;	/* no warning when that one is missing too */
	/* Attached, this hook gives what hook SERVES would, which is then not
	 * attached (and not warned about) */
	enum nm_hook_id serves;
	/* a kernel function: when not tried (another served, not root, or a
	 * kernel of another version), listed as in the kernel's BTF or not */
	bool btf_func;
};

/* NM_HK_NONE < ID < NM_HK_COUNT, else NULL. */
const struct nm_hook_def *nm_hook(enum nm_hook_id id);
/* "tp_btf", "tracepoint", "fentry", "kprobe", "BTF" */
const char *nm_attach_name(enum nm_attach m);

/* What a loader did with one hook. */
struct nm_hook_status {
	bool tried;		/* the loader got as far as this hook */
	int used;		/* index in method[] that attached, -1: none */
	int err[NM_HOOK_MAX_METHODS];	/* -errno of each refused method, 0 */
	char why[256];		/* when set, the reason instead of err[] */
};

void nm_hook_status_init(struct nm_hook_status *st, size_t n);
/* Records that method index I attached (ERR 0) or was refused (-errno). */
void nm_hook_result(struct nm_hook_status *s, int i, int err);

/* The reason a hook is missing or fell back: WHY, else "<method>: <strerror>
 * (<ENAME>)" per refused method ("<method> refused: ..." when a later one
 * attached), "; "-separated, with a note when kprobes were refused because
 * the kernel has none. Returns BUF. */
const char *nm_hook_detail(enum nm_hook_id id, const struct nm_hook_status *s, char *buf,
			   size_t len);
/* The warning for a missing hook: "<warn> unavailable (<detail>): <lost>",
 * or NULL when the hook attached, has no warning of its own, or its
 * dependency is missing too (STATUS: the whole array, by id). */
const char *nm_hook_warning(enum nm_hook_id id, const struct nm_hook_status *status,
			    char *buf, size_t len);
/* "task_numa_fault by fentry: EPERM-text, by kprobe: ok" for error messages. */
const char *nm_hook_tried(enum nm_hook_id id, const struct nm_hook_status *s, char *buf,
			  size_t len);

#endif

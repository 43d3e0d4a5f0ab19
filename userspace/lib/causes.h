/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why pages did not land (pure): after a move, the pages that failed grouped
 * by cause. move_pages's errno alone does not tell every cause apart, so the
 * grouping also uses what /proc says (mlocked mappings from smaps, the
 * target's cpuset, file or anonymous mapping).
 */
#ifndef NM_CAUSES_H
#define NM_CAUSES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "diagread.h"
#include "engine.h"
#include "maps.h"
#include "nm.h"

enum nm_cause {
	NM_CAUSE_BUSY,		/* EBUSY / early stop, retries ran out */
	NM_CAUSE_MLOCKED,	/* busy or refused inside an mlocked mapping */
	NM_CAUSE_SHARED,	/* EACCES: mapped by other processes */
	NM_CAUSE_CPUSET,	/* EACCES and the target is outside the cpuset */
	NM_CAUSE_NODE_FULL,	/* ENOMEM */
	NM_CAUSE_NOT_PRESENT,	/* not present, zero page, unmapped */
	NM_CAUSE_FILE_DIRTY,	/* EIO/EINVAL on a file mapping */
	NM_CAUSE_UNMOVABLE,	/* EIO/EINVAL/EPERM elsewhere */
	NM_CAUSE_WRONG_NODE,	/* landed on another node */
	NM_CAUSE_OTHER,
	NM_CAUSES
};

const char *nm_cause_name(enum nm_cause c);	/* "busy", "shared", ... */

struct nm_cause_example {
	uint64_t addr;
	char mapping[128];	/* "0x7f..-0x7f.. rw-p anon" or the path */
};

struct nm_cause_group {
	enum nm_cause cause;
	uint64_t pages;
	char errnos[64];	/* the statuses it comes from: "EBUSY,UNPROCESSED" */
	char reason[256];
	char fix[320];
	unsigned int nex;
	struct nm_cause_example ex[4];
};

/* What /proc says around a move, used to tell causes apart. */
struct nm_explain_ctx {
	int target;
	uint64_t page_size;
	const struct nm_vma_list *vmas;		/* may be NULL */
	const struct nm_locked_list *locked;	/* may be NULL */
	bool mems_known;
	struct nm_nodemask mems_allowed;
	bool free_known;
	uint64_t target_free_kb;
};

/* Groups the pages of RES that did not land by cause (largest first).
 * Returns the number of groups written to OUT (at most NM_CAUSES). */
size_t nm_explain_move(const struct nm_move_result *res, const struct nm_explain_ctx *ctx,
		       struct nm_cause_group *out);

#endif

// SPDX-License-Identifier: GPL-2.0
/* The features table's data (see kernfeat.h). */
#include <stdio.h>
#include <string.h>
#include "kernfeat.h"
#include "nm.h"

const char *nm_hook_state_name(enum nm_hook_state s)
{
	static const char *const n[] = {
		[NM_HOOK_ATTACHED] = "attached", [NM_HOOK_FALLBACK] = "fallback",
		[NM_HOOK_MISSING] = "missing", [NM_HOOK_AVAILABLE] = "available",
		[NM_HOOK_ABSENT] = "absent",
	};

	return (unsigned)s < NM_ARRAY_SIZE(n) ? n[s] : "?";
}

struct nm_hook *nm_features_add(struct nm_features *f, const char *name, const char *role,
				enum nm_hook_state state, const char *via)
{
	struct nm_hook *h;

	if (f->nhooks >= NM_MAX_HOOKS)
		return NULL;
	h = &f->hooks[f->nhooks++];
	memset(h, 0, sizeof(*h));
	snprintf(h->name, sizeof(h->name), "%s", name);
	snprintf(h->role, sizeof(h->role), "%s", role);
	snprintf(h->via, sizeof(h->via), "%s", via ? via : "");
	h->state = state;
	return h;
}

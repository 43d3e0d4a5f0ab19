/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Other placement agents (read/agents.h) as scan, diagnose and auto write
 * them: a JSON list of {kind, pid, target, what, fix}, and a warning line
 * each.
 */
#ifndef NM_AGENTSOUT_H
#define NM_AGENTSOUT_H

#include <json-c/json.h>
#include "agents.h"

/* [] for A NULL or empty. */
struct json_object *nm_agents_json(const struct nm_agents *a);
/* One nm_warn per agent: "other placement agent: WHAT; FIX". */
void nm_agents_warn(const struct nm_agents *a);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands and what check and move share: opening the target. */
#ifndef NM_CMDS_H
#define NM_CMDS_H

#include "cli.h"
#include "engine.h"
#include "maps.h"
#include "range.h"
#include "report.h"
#include "sys.h"

int nm_cmd_check(struct nm_args *a);
int nm_cmd_move(struct nm_args *a);
int nm_cmd_help(struct nm_args *a);
int nm_cmd_features(struct nm_args *a);
int nm_cmd_trace(struct nm_args *a);
int nm_cmd_diagnose(struct nm_args *a);

struct nm_diag_facts;
struct nm_target;
struct nm_locked_list;
/* Gathers diagnose's facts about T for a move per A (to_node, all). LOCKED
 * receives the mlocked mappings (free it). Returns 0 or the -errno of the
 * page query (-ESRCH: the target exited). */
int nm_diag_gather(struct nm_args *a, struct nm_target *t, struct nm_diag_facts *f,
		   struct nm_locked_list *locked);
int nm_cmd_auto(struct nm_args *a);
int nm_cmd_scan(struct nm_args *a);

extern const struct nm_cmddef nm_cmds[];
extern const size_t nm_ncmds;

#endif

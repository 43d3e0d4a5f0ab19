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

int nm_cmd_auto(struct nm_args *a);
int nm_cmd_scan(struct nm_args *a);
/* --cgroup ARG as a path relative to the cgroup v2 mount (*REL, NULL
 * without ARG; points into ARG). 0, or the exit code after the error. */
int nm_cgroup_opt_resolve(const char *arg, const char **rel);

extern const struct nm_cmddef nm_cmds[];
extern const size_t nm_ncmds;

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * auto --spread (lib/aspread.h): opening the spreads against the target,
 * and each interval's query and (re-)application through lib/spreadmove.c,
 * logged by the process's --log. A module of the auto command beside
 * autoproc.c.
 */
#ifndef NM_AUTOSPREAD_H
#define NM_AUTOSPREAD_H

#include "aspread.h"
#include "autoproc.h"

#define NM_ASPREAD_SETTLE_ROUNDS 6
#define NM_ASPREAD_SETTLE_S 0.5

/* Parses A's --spread words and checks each against the target T (nodes
 * with memory and in its cpuset, WHERE inside its mappings, no two spreads
 * sharing a page). *OUT: NULL when none is given. Returns 0, or the exit
 * code after printing the error (the object, the cause and the fix). */
int nm_autospread_open(const struct nm_args *a, const struct nm_target *t,
		       struct nm_aspreads **out);
/* Queries each spread of P and applies those due (never applied, or more
 * than NM_ASPREAD_TOLERANCE points off), logging each application with the
 * split it saw. 0 or the -errno of the query or move that failed. */
int nm_autospread_step(struct nm_autoproc *p);
/* The end of --duration: undoes P's bal_on first (the kernel's balancing is
 * what pulls a spread back), then steps until a check needs no application
 * (hinting faults armed before may still move a few pages), at most
 * NM_ASPREAD_SETTLE_ROUNDS checks, each NM_ASPREAD_SETTLE_S after the last
 * step. A stop signal ends it at once. 0 or -errno. */
int nm_autospread_settle(struct nm_autoproc *p);

#endif

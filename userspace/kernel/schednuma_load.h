/* SPDX-License-Identifier: GPL-2.0 */
/* Loads bpf/schednuma.bpf.c and reads the target's thread moves by node. */
#ifndef NM_SCHEDNUMA_LOAD_H
#define NM_SCHEDNUMA_LOAD_H

#include <stdint.h>
#include <sys/types.h>

struct nm_schednuma;

/* Returns 0 or -errno (then nothing is attached). */
int nm_schednuma_open(struct nm_schednuma **out, pid_t tgid);
/* Calls FN for every (event name, source node, destination node, count);
 * CPUs are mapped to nodes through /sys. Returns 0, FN's error or -errno. */
int nm_schednuma_read(struct nm_schednuma *s,
		      int (*fn)(void *ctx, const char *event, int src_node, int dst_node,
				uint64_t count),
		      void *ctx);
void nm_schednuma_close(struct nm_schednuma *s);

struct nm_hook_status;
/* Records ERR, nm_schednuma_open's return, for each sched:* hook of the
 * hook table into ST (indexed by enum nm_hook_id). */
void nm_schednuma_hooks(int err, struct nm_hook_status *st);

#endif

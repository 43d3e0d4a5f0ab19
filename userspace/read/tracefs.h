/* SPDX-License-Identifier: GPL-2.0 */
/* Where tracefs is: /sys/kernel/tracing, or under debugfs on older setups. */
#ifndef NM_TRACEFS_H
#define NM_TRACEFS_H

#include <stddef.h>

/*
 * ROOT + the first tracefs mount point under which REL ("/events", ...)
 * exists, into BUF. ROOT "" or NULL: the real /sys. Returns 0, -ENOENT
 * when neither has it, or -ENAMETOOLONG.
 */
int nm_tracefs_path(const char *root, const char *rel, char *buf, size_t len);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Whole-file readers for /proc and /sys (pure apart from read(2)). */
#ifndef NM_PROCFS_H
#define NM_PROCFS_H

#include <sys/types.h>

/* Reads PATH into a malloc'ed NUL-terminated *text. Returns 0 or -errno. */
int nm_read_text_file(const char *path, char **text);

/* Reads ROOT/proc/PID/NAME (ROOT "" or NULL: the real /proc). -ESRCH when
 * ROOT/proc/PID does not exist, -ENOENT when only NAME is missing. */
int nm_proc_read_text(const char *root, pid_t pid, const char *name, char **text);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Whole-file readers for /proc and /sys (pure apart from read(2)). */
#ifndef NM_PROCFS_H
#define NM_PROCFS_H

#include <stddef.h>
#include <sys/types.h>

/* Reads PATH into a malloc'ed NUL-terminated *text. Returns 0 or -errno. */
int nm_read_text_file(const char *path, char **text);

/* Reads ROOT/proc/PID/NAME (ROOT "" or NULL: the real /proc). -ESRCH when
 * ROOT/proc/PID does not exist, -ENOENT when only NAME is missing. */
int nm_proc_read_text(const char *root, pid_t pid, const char *name, char **text);

/* Calls FN(CTX, line) for each line of TEXT (a NUL-terminated copy without
 * the newline; FN may keep nothing of it). Every line must be accepted: the
 * first error stops the walk and is returned, with its 1-based line number
 * in *bad_line (may be NULL). Only the final newline may end the text. */
int nm_parse_lines(const char *text, int (*fn)(void *ctx, const char *line),
		   void *ctx, size_t *bad_line);

#endif

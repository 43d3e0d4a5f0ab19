/* SPDX-License-Identifier: GPL-2.0 */
/* Line-by-line readers of /proc files: memory bounded by the longest line,
 * not by the file (a process with 60,000 mappings has 4 MiB of maps). */
#ifndef NM_PROCSTREAM_H
#define NM_PROCSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A line callback: 0 to go on, or -errno to stop the walk with. */
typedef int (*nm_line_fn)(void *ctx, const char *line);

/* Calls FN(CTX, line) for each line of ROOT/proc/PID/NAME (ROOT "" or
 * NULL: the real /proc), without its newline; FN may keep nothing of the
 * line. The first error FN returns stops the walk and is returned, with its
 * 1-based line number in *bad_line (may be NULL). -ESRCH when ROOT/proc/PID
 * does not exist, -ENOENT when only NAME is missing. */
int nm_proc_each_line(const char *root, pid_t pid, const char *name, nm_line_fn fn,
		      void *ctx, size_t *bad_line);

/* Whether the consumer of the lines is ready (CTX is the line callback's):
 * > 0 yes, 0 not yet, -errno never (the read stops with it). BLOCK: wait
 * until it is one or the other. */
typedef int (*nm_ready_fn)(void *ctx, bool block);

/* nm_proc_each_line that may start before its consumer is ready: the file
 * is read as soon as it is open, kept until READY(CTX) says yes (checked
 * between reads; waited for at the end of the file), then handed on line
 * by line as before. READY NULL: ready at once (memory: the longest line
 * and a 64 KiB read). -ECANCELED when READY says never without an errno. */
int nm_proc_each_line_when(const char *root, pid_t pid, const char *name, nm_line_fn fn,
			   void *ctx, nm_ready_fn ready, size_t *bad_line);

/* What a line parses into: elements of ESIZE bytes (at most 1 KiB) that
 * PARSE fills from a line (0 or -errno), owning the malloc'ed char * at
 * OWNED (freed if the element cannot be kept). */
struct nm_line_type {
	size_t esize, owned;
	int (*parse)(const char *line, void *elem);
};

/* A list that parsed lines are appended to: *ARR holds *N elements of type
 * T (capacity *CAP, doubled when full). */
struct nm_line_list {
	const struct nm_line_type *t;
	void **arr;
	size_t *n, *cap;
};

/* An nm_line_fn: parses LINE and appends it to CTX, a struct nm_line_list. */
int nm_line_list_add(void *ctx, const char *line);

/* Frees the N elements of type T at ARR (what each owns) and ARR. */
void nm_line_list_free(const struct nm_line_type *t, void *arr, size_t n);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* /proc/PID/maps: parser (pure) and reader (takes a root path for fixtures). */
#ifndef NM_MAPS_H
#define NM_MAPS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum nm_vma_kind {
	NM_VMA_ANON,		/* anonymous: no name, or [anon:..]/[anon_shmem:..] (path kept) */
	NM_VMA_HEAP,		/* [heap] */
	NM_VMA_STACK,		/* [stack] */
	NM_VMA_FILE,		/* backed by a file path */
	NM_VMA_SPECIAL,		/* [vdso], [vvar], [vsyscall], other [..] */
};

struct nm_vma {
	uint64_t start, end;	/* [start, end) */
	char perms[5];		/* "rw-p" */
	uint64_t offset;
	uint64_t inode;
	enum nm_vma_kind kind;
	char *path;		/* owned; NULL for unnamed anon */
};

struct nm_vma_list {
	struct nm_vma *v;
	size_t n, cap;
};

/* Parses one line (with or without trailing newline). On success out->path
 * is malloc'ed (or NULL). Returns 0, -EINVAL for malformed, -ENOMEM. */
int nm_maps_parse_line(const char *line, struct nm_vma *out);

/* Parses a whole maps text, replacing OUT's contents (start from a zeroed or
 * freed list; on error OUT is left empty). Returns 0 or -errno; on -EINVAL
 * *bad_line is the 1-based line number. */
int nm_maps_parse(const char *text, struct nm_vma_list *out, size_t *bad_line);

/* Reads ROOT/proc/PID/maps (ROOT "" for the real /proc). */
int nm_maps_read(const char *root, pid_t pid, struct nm_vma_list *out);

void nm_vma_list_free(struct nm_vma_list *l);

const char *nm_vma_kind_name(enum nm_vma_kind k);

/* Whether move_pages can act on it: not special, and some of r/w/x (not a
 * PROT_NONE guard). */
int nm_vma_is_migratable(const struct nm_vma *v);

#endif

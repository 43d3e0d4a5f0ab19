// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/PID/maps. A line is
 *
 *   START-END PERMS OFFSET MAJ:MIN INODE [PADDING NAME]
 *
 * where NAME is a path (which may contain spaces and end in " (deleted)";
 * the kernel escapes only newlines), a bracketed pseudo name ("[heap]",
 * "[anon:NAME]" set by prctl(PR_SET_VMA_ANON_NAME)) or something like
 * "anon_inode:[perf_event]". The name runs to the end of the line.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "maps.h"
#include "parse.h"
#include "procfs.h"
#include "procstream.h"



static int expect(const char **p, char c)
{
	if (**p != c)
		return -EINVAL;
	(*p)++;
	return 0;
}

/* "rw-p": each position is its letter or '-', the last 'p' or 's'. */
static int scan_perms(const char **p, char perms[5])
{
	const char *s = *p;

	if ((s[0] != 'r' && s[0] != '-') || (s[1] != 'w' && s[1] != '-') ||
	    (s[2] != 'x' && s[2] != '-') || (s[3] != 'p' && s[3] != 's'))
		return -EINVAL;
	memcpy(perms, s, 4);
	perms[4] = '\0';
	*p = s + 4;
	return 0;
}

/* The fields before the name: address range, perms, offset, dev, inode. */
static int scan_fields(const char **p, struct nm_vma *v)
{
	uint64_t major, minor;

	if (nm_scan_digits(p, 16, &v->start) || expect(p, '-') ||
	    nm_scan_digits(p, 16, &v->end) || expect(p, ' ') ||
	    scan_perms(p, v->perms) || expect(p, ' ') ||
	    nm_scan_digits(p, 16, &v->offset) || expect(p, ' ') ||
	    nm_scan_digits(p, 16, &major) || expect(p, ':') ||
	    nm_scan_digits(p, 16, &minor) || expect(p, ' ') ||
	    nm_scan_digits(p, 10, &v->inode))
		return -EINVAL;
	if (v->start >= v->end)
		return -EINVAL;
	return 0;
}

static enum nm_vma_kind kind_of(const char *name)
{
	if (!name)
		return NM_VMA_ANON;
	if (name[0] == '/')
		return NM_VMA_FILE;
	if (!strcmp(name, "[heap]"))
		return NM_VMA_HEAP;
	/* "[stack:TID]" is how 3.x kernels named thread stacks. */
	if (!strcmp(name, "[stack]") || !strncmp(name, "[stack:", 7))
		return NM_VMA_STACK;
	/* Named anonymous memory is still anonymous memory. Shared anonymous
	 * memory with a name is included: move_pages handles shmem pages. */
	if (!strncmp(name, "[anon:", 6) || !strncmp(name, "[anon_shmem:", 12))
		return NM_VMA_ANON;
	return NM_VMA_SPECIAL;
}

int nm_maps_parse_line(const char *line, struct nm_vma *out)
{
	struct nm_vma v = { 0 };
	const char *p = line, *name, *end;
	int rc;

	if (!line || !out)
		return -EINVAL;
	rc = scan_fields(&p, &v);
	if (rc)
		return rc;
	if (*p != ' ' && *p != '\n' && *p != '\0')
		return -EINVAL;		/* e.g. "0abc": garbage glued to the inode */
	/* The kernel ends the fields with a space, then pads to a column
	 * before a name. */
	while (*p == ' ')
		p++;
	name = p;
	end = name + strcspn(name, "\n");
	if (*end == '\n' && end[1] != '\0')
		return -EINVAL;		/* more than one line */
	if (end > name) {
		v.path = strndup(name, (size_t)(end - name));
		if (!v.path)
			return -ENOMEM;
	}
	v.kind = kind_of(v.path);
	*out = v;
	return 0;
}

static int parse_vma(const char *line, void *elem)
{
	return nm_maps_parse_line(line, elem);
}

static const struct nm_line_type vma_line = {
	sizeof(struct nm_vma), offsetof(struct nm_vma, path), parse_vma
};

/*
 * OUT is overwritten (not appended to); on error it is left empty. Every
 * line must parse: an empty line in the middle is an error, only the
 * final newline may end the text.
 */
int nm_maps_parse(const char *text, struct nm_vma_list *out, size_t *bad_line)
{
	struct nm_line_list l = { &vma_line, (void **)&out->v, &out->n, &out->cap };
	size_t line = 0;
	int rc;

	if (!text || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	rc = nm_parse_lines(text, nm_line_list_add, &l, &line);
	if (rc) {
		if (rc == -EINVAL && bad_line)
			*bad_line = line;
		nm_vma_list_free(out);
	}
	return rc;
}


/* Line by line: memory holds the list, never the whole text. */
int nm_maps_read(const char *root, pid_t pid, struct nm_vma_list *out)
{
	struct nm_line_list l = { &vma_line, (void **)&out->v, &out->n, &out->cap };
	int rc;

	memset(out, 0, sizeof(*out));
	rc = nm_proc_each_line(root, pid, "maps", nm_line_list_add, &l, NULL);
	if (rc)
		nm_vma_list_free(out);
	return rc;
}

void nm_vma_list_free(struct nm_vma_list *l)
{
	if (!l)
		return;
	nm_line_list_free(&vma_line, l->v, l->n);
	memset(l, 0, sizeof(*l));
}

const char *nm_vma_kind_name(enum nm_vma_kind k)
{
	switch (k) {
	case NM_VMA_ANON:
		return "anon";
	case NM_VMA_HEAP:
		return "heap";
	case NM_VMA_STACK:
		return "stack";
	case NM_VMA_FILE:
		return "file";
	case NM_VMA_SPECIAL:
		return "special";
	}
	return "unknown";
}

/* [vdso] and friends are kernel pages; a "---p" guard region has no pages
 * move_pages could touch. */
int nm_vma_is_migratable(const struct nm_vma *v)
{
	if (v->kind == NM_VMA_SPECIAL)
		return 0;
	return v->perms[0] == 'r' || v->perms[1] == 'w' || v->perms[2] == 'x';
}

// SPDX-License-Identifier: GPL-2.0
/* Migration reasons' names from the tracepoint's format (see reasonfmt.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "procfs.h"
#include "reasonfmt.h"
#include "tracefs.h"

#define NM_REASON_MAX_ENTRIES 64

struct entry {
	long value;
	char name[NM_REASON_NAME_LEN];
};

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	return p;
}

/* One {V, "name"} at P: fills E, returns the text after it or NULL. */
static const char *parse_entry(const char *p, struct entry *e)
{
	const char *q;
	char *end;
	size_t n = 0;

	p = skip_blanks(p);
	if (*p != '{')
		return NULL;
	p = skip_blanks(p + 1);
	if (*p < '0' || *p > '9')
		return NULL;	/* an enum name the kernel did not resolve */
	errno = 0;
	e->value = strtol(p, &end, 10);
	if (errno || end == p)
		return NULL;
	p = skip_blanks(end);
	if (*p != ',')
		return NULL;
	p = skip_blanks(p + 1);
	if (*p != '"')
		return NULL;
	for (q = p + 1; *q && *q != '"'; q++) {
		if (!((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '_') ||
		    n + 1 >= sizeof(e->name))
			return NULL;
		e->name[n++] = *q;
	}
	e->name[n] = 0;
	if (*q != '"' || !n)
		return NULL;
	p = skip_blanks(q + 1);
	return *p == '}' ? p + 1 : NULL;
}

int nm_reason_names_parse(const char *text, char names[][NM_REASON_NAME_LEN], bool *named,
			  int max)
{
	static const char key[] = "__print_symbolic(REC->reason,";
	struct entry e[NM_REASON_MAX_ENTRIES];
	const char *p = text ? strstr(text, key) : NULL;
	int n = 0, count = 0;

	if (!p)
		return -EINVAL;
	p += sizeof(key) - 1;
	for (;;) {
		if (n == NM_REASON_MAX_ENTRIES)
			return -EINVAL;
		p = parse_entry(p, &e[n]);
		if (!p)
			return -EINVAL;
		n++;
		p = skip_blanks(p);
		if (*p == ')')
			break;
		if (*p != ',')
			return -EINVAL;
		p++;
	}
	/* all parsed: only now write */
	for (int i = 0; i < n; i++) {
		const char *name = strcmp(e[i].name, "syscall_or_cpuset") ? e[i].name : "syscall";

		if (e[i].value < 0 || e[i].value >= max)
			continue;
		snprintf(names[e[i].value], NM_REASON_NAME_LEN, "%s", name);
		named[e[i].value] = true;
		count++;
	}
	return count;
}

int nm_reason_names_read(const char *root, char names[][NM_REASON_NAME_LEN], bool *named,
			 int max)
{
	char path[4096], *text = NULL;
	int err = nm_tracefs_path(root, "/events/migrate/mm_migrate_pages/format", path,
				  sizeof(path));

	if (!err)
		err = nm_read_text_file(path, &text);
	if (!err)
		err = nm_reason_names_parse(text, names, named, max);
	free(text);
	return err;
}

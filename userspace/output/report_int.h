/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers the check and move reports share (report.c, checkreport.c). */
#ifndef NM_REPORT_INT_H
#define NM_REPORT_INT_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include "parse.h"
#include "report.h"

static inline int last_node(const struct nm_nodemask *m, const struct nm_hist *h)
{
	int last = h->max_node;

	for (int n = NM_MAX_NODES - 1; n > last; n--)
		if (nm_nodemask_test(m, n))
			return n;
	return last;
}

static inline bool show_node(const struct nm_nodemask *m, const struct nm_hist *h, int n)
{
	return nm_nodemask_test(m, n) || h->node[n];
}

static inline struct json_object *j_u64(uint64_t v)
{
	return json_object_new_uint64(v);
}

/* Writes S to F for a text report: control bytes as \xNN (nm_text_escape),
 * so a name a user chose cannot drive the reader's terminal. */
static inline void put_escaped(FILE *f, const char *s)
{
	char *e = nm_text_escape_dup(s);

	fputs(e ? e : "?", f);
	free(e);
}

/* comm (at most 16 bytes, so 64 escaped) for a text line. */
static inline const char *comm_text(const char *comm, char *buf, size_t len)
{
	return nm_text_escape(comm ? comm : "?", buf, len);
}

/* check's text and CSV (checkreport.c), for nm_report_check. */
void nm_check_text(FILE *f, const struct nm_check_report *r);
void nm_check_csv(FILE *f, const struct nm_check_report *r);

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/PID/numa_maps. A line is
 *
 *   START POLICY [file=PATH | heap | stack] [huge] [KEY=VALUE ...]
 *
 * with counters (anon=, dirty=, mapped=, mapmax=, swapcache=, active=,
 * writeback=, N<node>=, kernelpagesize_kB=) printed only when non-zero.
 * Unknown tokens are ignored so a newer kernel's additions do not break
 * us, but a known key with a malformed number is an error.
 *
 * POLICY has spaces in two cases, "weighted interleave" and "prefer (many)"
 * (mm/mempolicy.c policy_modes[]), each possibly followed by "=flags" and
 * ":nodes"; those are joined back into one policy.
 *
 * The kernel escapes space, tab, newline and '=' in PATH as \ooo, but older
 * or patched kernels and hand-written fixtures may not; PATH is therefore
 * taken as everything after "file=" up to the first token that is a known
 * word or key ("huge", "heap", "stack", a counter above, N<digits>=), or
 * the end of the line. A path containing such a token
 * after a space (e.g. "/a anon=1") is cut there: an accepted ambiguity.
 * The path is kept verbatim (escapes are not decoded).
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "bsearch.h"
#include "numa_maps.h"
#include "procfs.h"
#include "procstream.h"


struct span {
	const char *s;
	size_t len;
};

static bool span_is(struct span t, const char *word)
{
	return t.len == strlen(word) && !memcmp(t.s, word, t.len);
}

static bool span_starts(struct span t, const char *prefix)
{
	size_t n = strlen(prefix);

	return t.len >= n && !memcmp(t.s, prefix, n);
}

/* The next space-separated token after *p, skipping runs of spaces. */
static bool next_token(const char **p, struct span *t)
{
	while (**p == ' ')
		(*p)++;
	if (!**p)
		return false;
	t->s = *p;
	t->len = strcspn(*p, " ");
	*p += t->len;
	return true;
}

/* Decimal digits only; -EINVAL when empty or not digits, -ERANGE when it
 * does not fit 64 bits. */
static int dec_span(struct span t, uint64_t *out)
{
	uint64_t v = 0;

	if (!t.len)
		return -EINVAL;
	for (size_t i = 0; i < t.len; i++) {
		unsigned int d = (unsigned int)(t.s[i] - '0');

		if (d > 9)
			return -EINVAL;
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int hex_span(struct span t, uint64_t *out)
{
	uint64_t v = 0;

	if (!t.len || t.len > 16)
		return -EINVAL;
	for (size_t i = 0; i < t.len; i++) {
		char c = t.s[i];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			return -EINVAL;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

/* The counters a line may hold, by key. */
static const struct {
	const char *key;
	size_t off;
} counters[] = {
	{ "anon", offsetof(struct nm_numa_maps_entry, anon) },
	{ "dirty", offsetof(struct nm_numa_maps_entry, dirty) },
	{ "mapped", offsetof(struct nm_numa_maps_entry, mapped) },
	{ "mapmax", offsetof(struct nm_numa_maps_entry, mapmax) },
	{ "active", offsetof(struct nm_numa_maps_entry, active) },
	{ "swapcache", offsetof(struct nm_numa_maps_entry, swapcache) },
	{ "writeback", offsetof(struct nm_numa_maps_entry, writeback) },
	{ "unevictable", offsetof(struct nm_numa_maps_entry, unevictable) },
	{ "kernelpagesize_kB", offsetof(struct nm_numa_maps_entry, kernelpagesize_kb) },
};

/* Index into counters[] of KEY, or -1. */
static int counter_index(struct span key)
{
	for (size_t i = 0; i < NM_ARRAY_SIZE(counters); i++)
		if (span_is(key, counters[i].key))
			return (int)i;
	return -1;
}

/* Splits "KEY=VALUE"; false when there is no '='. */
static bool split_kv(struct span t, struct span *key, struct span *val)
{
	const char *eq = memchr(t.s, '=', t.len);

	if (!eq)
		return false;
	key->s = t.s;
	key->len = (size_t)(eq - t.s);
	val->s = eq + 1;
	val->len = t.len - key->len - 1;
	return true;
}

/* "N<digits>" */
static bool is_node_key(struct span key)
{
	if (key.len < 2 || key.s[0] != 'N')
		return false;
	for (size_t i = 1; i < key.len; i++)
		if (key.s[i] < '0' || key.s[i] > '9')
			return false;
	return true;
}

/* Whether T ends a file= path: a flag word or a key we know. */
static bool ends_path(struct span t)
{
	struct span key, val;

	if (span_is(t, "huge") || span_is(t, "heap") || span_is(t, "stack"))
		return true;
	if (!split_kv(t, &key, &val))
		return false;
	return is_node_key(key) || counter_index(key) >= 0;
}

static int set_node(struct nm_numa_maps_entry *e, struct span key, struct span val)
{
	struct span num = { key.s + 1, key.len - 1 };
	uint64_t node, pages;
	int rc = dec_span(num, &node);

	if (rc)
		return rc;
	if (node >= NM_MAX_NODES)
		return -ERANGE;
	rc = dec_span(val, &pages);
	if (rc)
		return rc;
	e->node_pages[node] = pages;
	return 0;
}

/* The file= path starts at VAL and runs to the next token ending it; *p is
 * left at that token. */
static int take_path(struct nm_numa_maps_entry *e, struct span val, const char **p,
		     bool keep)
{
	const char *end = val.s + val.len;
	const char *q = end;
	struct span t;

	while (next_token(&q, &t) && !ends_path(t))
		end = t.s + t.len;
	*p = end;
	if (end == val.s)
		return -EINVAL;	/* "file=" with nothing after it */
	if (!keep)
		return 0;
	free(e->file);
	e->file = strndup(val.s, (size_t)(end - val.s));
	return e->file ? 0 : -ENOMEM;
}

static int take_token(struct nm_numa_maps_entry *e, struct span t, const char **p,
		      bool keep)
{
	struct span key, val;
	int c;

	if (span_is(t, "heap"))
		e->heap = 1;
	else if (span_is(t, "stack"))
		e->stack = 1;
	else if (span_is(t, "huge"))
		e->huge = 1;
	if (!split_kv(t, &key, &val))
		return 0;	/* a flag, known or not */
	if (span_is(key, "file"))
		return take_path(e, val, p, keep);
	if (is_node_key(key))
		return set_node(e, key, val);
	c = counter_index(key);
	if (c >= 0)
		return dec_span(val, (uint64_t *)((char *)e + counters[c].off));
	return 0;		/* unknown key: ignored */
}

/* POLICY, joining the two policy names that contain a space. Longer than
 * the field is truncated, as the kernel's own 64-byte buffer does. */
static int take_policy(struct nm_numa_maps_entry *e, const char **p)
{
	struct span t, more;
	const char *q;
	size_t len;

	if (**p != ' ' || !next_token(p, &t))
		return -EINVAL;
	q = *p;
	if (next_token(&q, &more) &&
	    ((span_is(t, "weighted") && span_starts(more, "interleave")) ||
	     (span_is(t, "prefer") && span_starts(more, "(many)")))) {
		t.len = (size_t)(more.s + more.len - t.s);
		*p = q;
	}
	len = t.len < sizeof(e->policy) ? t.len : sizeof(e->policy) - 1;
	memcpy(e->policy, t.s, len);
	e->policy[len] = '\0';
	return 0;
}

/* KEEP: copy the file= path into E (malloc); otherwise E->file stays NULL. */
static int parse_fields(const char *s, struct nm_numa_maps_entry *e, bool keep)
{
	struct span t = { s, strcspn(s, " ") };
	const char *p = s + t.len;
	int rc = hex_span(t, &e->start);

	if (rc)
		return rc;
	rc = take_policy(e, &p);
	while (!rc && next_token(&p, &t))
		rc = take_token(e, t, &p, keep);
	return rc;
}

int nm_numa_maps_parse_line(const char *line, struct nm_numa_maps_entry *out)
{
	struct nm_numa_maps_entry e = { 0 };
	size_t len;
	char *s;
	int rc;

	if (!line || !out)
		return -EINVAL;
	len = strcspn(line, "\n");
	if (line[len] == '\n' && line[len + 1] != '\0')
		return -EINVAL;		/* more than one line */
	s = strndup(line, len);
	if (!s)
		return -ENOMEM;
	rc = parse_fields(s, &e, true);
	free(s);
	if (rc) {
		free(e.file);
		return rc;
	}
	*out = e;
	return 0;
}

static int parse_entry(const char *line, void *elem)
{
	return nm_numa_maps_parse_line(line, elem);
}

static const struct nm_line_type entry_line = {
	sizeof(struct nm_numa_maps_entry), offsetof(struct nm_numa_maps_entry, file), parse_entry
};

static int by_start(const void *a, const void *b)
{
	const struct nm_numa_maps_entry *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

/* Ends a read into OUT: left empty on error (RC); sorted by start for the
 * lookup otherwise (the kernel lists mappings by address already). */
static int finish(struct nm_numa_maps *out, int rc)
{
	if (rc) {
		nm_numa_maps_free(out);
		return rc;
	}
	for (size_t i = 1; i < out->n; i++)
		if (out->e[i - 1].start >= out->e[i].start) {
			qsort(out->e, out->n, sizeof(*out->e), by_start);
			break;
		}
	return 0;
}

/* OUT is overwritten, and left empty on error; *bad_line (1-based) is set
 * for -EINVAL and -ERANGE. */
int nm_numa_maps_parse(const char *text, struct nm_numa_maps *out, size_t *bad_line)
{
	struct nm_line_list l;
	size_t line = 0;
	int rc;

	if (!text || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	l = (struct nm_line_list){ &entry_line, (void **)&out->e, &out->n, &out->cap };
	rc = nm_parse_lines(text, nm_line_list_add, &l, &line);
	if ((rc == -EINVAL || rc == -ERANGE) && bad_line)
		*bad_line = line;
	return finish(out, rc);
}

/* Line by line: memory holds the entries, never the whole text. */
int nm_numa_maps_read(const char *root, pid_t pid, struct nm_numa_maps *out)
{
	struct nm_line_list l = { &entry_line, (void **)&out->e, &out->n, &out->cap };

	memset(out, 0, sizeof(*out));
	return finish(out, nm_proc_each_line(root, pid, "numa_maps", nm_line_list_add, &l,
					     NULL));
}

struct each {
	nm_numa_maps_fn fn;
	void *ctx;
	nm_ready_fn ready;
};

static int each_ready(void *ctx, bool block)
{
	const struct each *e = ctx;

	return e->ready(e->ctx, block);
}

/* The line in place (it ends at its NUL: the stream cut the newline), with
 * no allocation: the path is not kept, so a line costs its parse only. */
static int each_line(void *ctx, const char *line)
{
	const struct each *e = ctx;
	struct nm_numa_maps_entry ent = { 0 };
	int rc = parse_fields(line, &ent, false);

	return rc ? rc : e->fn(e->ctx, &ent);
}

int nm_numa_maps_each(const char *root, pid_t pid, nm_numa_maps_fn fn, void *ctx,
		      nm_ready_fn ready)
{
	struct each e = { fn, ctx, ready };

	return nm_proc_each_line_when(root, pid, "numa_maps", each_line, &e,
				      ready ? each_ready : NULL, NULL);
}

void nm_numa_maps_free(struct nm_numa_maps *m)
{
	if (!m)
		return;
	nm_line_list_free(&entry_line, m->e, m->n);
	memset(m, 0, sizeof(*m));
}

const struct nm_numa_maps_entry *
nm_numa_maps_find(const struct nm_numa_maps *m, uint64_t start)
{
	/* sorted by start (nm_numa_maps_parse): a lookup per mapping stays
	 * O(log n), so comparing 60,000 mappings is not quadratic */
	size_t i = nm_lower_bound_u64(m->e, m->n, sizeof(*m->e),
				      offsetof(struct nm_numa_maps_entry, start), start);

	return i < m->n && m->e[i].start == start ? &m->e[i] : NULL;
}

/* Saturates rather than wraps: a corrupt line must not look small. */
uint64_t nm_numa_maps_entry_total(const struct nm_numa_maps_entry *e)
{
	uint64_t sum = 0;

	for (int n = 0; n < NM_MAX_NODES; n++)
		sum = e->node_pages[n] > UINT64_MAX - sum ? UINT64_MAX
							  : sum + e->node_pages[n];
	return sum;
}

uint64_t nm_numa_maps_entry_pages(const struct nm_numa_maps_entry *e, uint64_t page_size,
				  uint64_t node[NM_MAX_NODES])
{
	uint64_t scale = e->kernelpagesize_kb && page_size ?
			 e->kernelpagesize_kb * 1024 / page_size : 1;
	uint64_t sum = 0;

	if (!scale)
		scale = 1;
	for (int n = 0; n < NM_MAX_NODES; n++) {
		uint64_t p = e->node_pages[n] * scale;

		node[n] += p;
		sum += p;
	}
	return sum;
}

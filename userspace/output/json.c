// SPDX-License-Identifier: GPL-2.0
/* JSON helpers, the single stdout document, and text escaping (see json.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "errors.h"
#include "json.h"

/* Length of the valid UTF-8 sequence at S (N bytes left), or 0 when the byte
 * at S does not start one (overlong forms, surrogates and code points past
 * U+10FFFF are invalid, as RFC 3629 says). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

/* Copies S into a new string, each byte for which BAD says so as \xNN.
 * NULL on allocation failure. */
static char *escape(const char *s, bool ctrl)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), o = 0;
	char *out = malloc(n * 4 + 1);

	if (!out)
		return NULL;
	for (size_t i = 0; i < n;) {
		size_t l = utf8_seq(p + i, n - i);

		if (l == 0 || (ctrl && l == 1 && (p[i] < 0x20 || p[i] == 0x7f))) {
			o += (size_t)sprintf(out + o, "\\x%02x", p[i]);
			i++;
			continue;
		}
		memcpy(out + o, p + i, l);
		o += l;
		i += l;
	}
	out[o] = '\0';
	return out;
}

struct json_object *nm_json_str(const char *s)
{
	struct json_object *o;
	char *e;

	if (!s)
		return NULL;
	e = escape(s, false);	/* json-c escapes control characters itself */
	if (!e)
		return json_object_new_string("");
	o = json_object_new_string(e);
	free(e);
	return o;
}

struct json_object *nm_json_hex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return json_object_new_string(buf);
}

struct json_object *nm_json_pct(double v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.1f", v);
	return json_object_new_double_s(v, buf);
}

struct json_object *nm_json_secs(double v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.3f", v);
	return json_object_new_double_s(v, buf);
}

void nm_json_add_node(struct json_object *o, int node, struct json_object *v)
{
	char key[12];

	snprintf(key, sizeof(key), "%d", node);
	json_object_object_add(o, key, v);
}

struct json_object *nm_json_obj(const char *key, ...)
{
	struct json_object *o = json_object_new_object();
	va_list ap;

	va_start(ap, key);
	for (; key; key = va_arg(ap, const char *))
		json_object_object_add(o, key, va_arg(ap, struct json_object *));
	va_end(ap);
	return o;
}

struct json_object *nm_json_by_node(const uint64_t *v, int n)
{
	struct json_object *o = json_object_new_object();

	for (int i = 0; i < n; i++)
		if (v[i])
			nm_json_add_node(o, i, json_object_new_uint64(v[i]));
	return o;
}

struct json_object *nm_json_by_node_all(const uint64_t *v, int n)
{
	struct json_object *o = json_object_new_object();

	for (int i = 0; i < n; i++)
		nm_json_add_node(o, i, json_object_new_uint64(v[i]));
	return o;
}

struct json_object *nm_json_by_node_secs(const double *v, int n)
{
	struct json_object *o = json_object_new_object();

	for (int i = 0; i < n; i++)
		if (v[i] > 0)
			nm_json_add_node(o, i, nm_json_secs(v[i]));
	return o;
}

struct json_object *nm_json_by_node_pct(const double *v, int n)
{
	struct json_object *o = json_object_new_object();

	for (int i = 0; i < n; i++)
		if (v[i] != 0)
			nm_json_add_node(o, i, nm_json_pct(v[i]));
	return o;
}

static int print(FILE *f, struct json_object *o, int flags)
{
	int r = 0;

	if (fprintf(f, "%s\n", json_object_to_json_string_ext(o, flags)) < 0 || fflush(f))
		r = errno ? -errno : -EIO;
	json_object_put(o);
	return r;
}

int nm_json_print(FILE *f, struct json_object *o)
{
	return print(f, o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE |
		     JSON_C_TO_STRING_SPACED);
}

int nm_json_print_line(FILE *f, struct json_object *o)
{
	return print(f, o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

static struct json_object *pending;

void nm_out_json(struct json_object *doc)
{
	if (pending)
		json_object_put(pending);
	pending = doc;
}

int nm_out_finish(void)
{
	size_t n = nm_errors_count();
	struct json_object *doc = pending;

	pending = NULL;
	if (!nm_errors_json()) {
		if (doc)
			json_object_put(doc);
		return fflush(stdout) ? -errno : 0;
	}
	if (!doc && !n)
		return fflush(stdout) ? -errno : 0;
	if (!doc) {
		/* an error alone: one line, {"error": "..."} */
		doc = json_object_new_object();
		json_object_object_add(doc, "error", nm_json_str(nm_errors_get(0)));
		nm_errors_clear();
		return nm_json_print_line(stdout, doc);
	}
	if (n) {
		json_object_object_add(doc, "error", nm_json_str(nm_errors_get(0)));
		if (n > 1) {
			struct json_object *all = json_object_new_array();

			for (size_t i = 0; i < n; i++)
				json_object_array_add(all, nm_json_str(nm_errors_get(i)));
			json_object_object_add(doc, "errors", all);
		}
		nm_errors_clear();
	}
	return nm_json_print(stdout, doc);
}

const char *nm_text_escape(const char *s, char *buf, size_t len)
{
	char *e;
	size_t n;

	if (!len)
		return buf;
	e = s ? escape(s, true) : NULL;
	if (!e) {
		snprintf(buf, len, "%s", s ? "?" : "");
		return buf;
	}
	n = strlen(e);
	if (n < len) {
		memcpy(buf, e, n + 1);
	} else if (len > 4) {
		/* cut on a character, not inside an escape or a UTF-8 sequence */
		size_t keep = 0, i = 0;

		while (i < n) {
			size_t l = e[i] == '\\' && e[i + 1] == 'x' ? 4 :
				   utf8_seq((const unsigned char *)e + i, n - i);

			if (!l)
				l = 1;
			if (i + l > len - 4)
				break;
			i += l;
			keep = i;
		}
		memcpy(buf, e, keep);
		memcpy(buf + keep, "...", 4);
	} else {
		buf[0] = '\0';
	}
	free(e);
	return buf;
}

char *nm_text_escape_dup(const char *s)
{
	return escape(s ? s : "", true);
}

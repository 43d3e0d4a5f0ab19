/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small XML well-formedness check for the tests of SVG output: balanced
 * tags, quoted attribute values, entities only, one root element.
 * Include after <cmocka.h> and "testutil.h".
 */
#ifndef NM_XMLCHECK_H
#define NM_XMLCHECK_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static inline bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == ':' || c == '.';
}

/* P at '&': whether an entity (&name; or &#123; or &#x1f;) starts there. */
static inline bool entity_at(const char *p)
{
	const char *q = p + 1;

	if (*q == '#') {
		q++;
		if (*q == 'x')
			q++;
		if (!((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f') || (*q >= 'A' && *q <= 'F')))
			return false;
		while ((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f') || (*q >= 'A' && *q <= 'F'))
			q++;
		return *q == ';';
	}
	if (!name_char(*q))
		return false;
	while (name_char(*q))
		q++;
	return *q == ';';
}

/* A small XML well-formedness check: balanced tags (self-closing counted),
 * quoted attribute values, no raw '&' but entities, no raw '<' in text or
 * values, one root element named ROOT. Returns NULL or what is wrong. */
static inline const char *xml_check(const char *s, const char *root)
{
	static char err[160];
	char stack[64][32];
	int depth = 0, roots = 0;
	const char *p = s;

#define BAD(...) do { snprintf(err, sizeof(err), __VA_ARGS__); return err; } while (0)
	if (!strncmp(p, "<?xml", 5)) {
		p = strstr(p, "?>");
		if (!p)
			BAD("unterminated XML declaration");
		p += 2;
	}
	while (*p) {
		if (*p == '&') {
			if (!entity_at(p))
				BAD("raw '&' in text at offset %td", p - s);
			p++;
			continue;
		}
		if (*p != '<') {
			if (!depth && !(*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
				BAD("text outside the root at offset %td", p - s);
			p++;
			continue;
		}
		/* a tag */
		p++;
		if (*p == '/') {
			char name[32];
			size_t n = 0;

			for (p++; name_char(*p); p++) {
				if (n + 1 >= sizeof(name))
					BAD("name too long");
				name[n++] = *p;
			}
			name[n] = 0;
			while (*p == ' ' || *p == '\n')
				p++;
			if (*p != '>')
				BAD("bad end tag </%s at offset %td", name, p - s);
			p++;
			if (!depth)
				BAD("</%s> closes nothing", name);
			if (strcmp(stack[depth - 1], name))
				BAD("</%s> closes <%s>", name, stack[depth - 1]);
			depth--;
			continue;
		}
		if (!name_char(*p))
			BAD("raw '<' at offset %td", p - 1 - s);
		{
			char name[32];
			size_t n = 0;

			for (; name_char(*p); p++) {
				if (n + 1 >= sizeof(name))
					BAD("name too long");
				name[n++] = *p;
			}
			name[n] = 0;
			for (;;) {
				bool sp = false;

				while (*p == ' ' || *p == '\n' || *p == '\t') {
					p++;
					sp = true;
				}
				if (*p == '>' || (p[0] == '/' && p[1] == '>'))
					break;
				if (!sp || !name_char(*p))
					BAD("bad attribute in <%s at offset %td", name, p - s);
				while (name_char(*p))
					p++;
				if (*p != '=')
					BAD("attribute without value in <%s at offset %td", name, p - s);
				p++;
				if (*p != '"' && *p != '\'')
					BAD("unquoted attribute value in <%s at offset %td", name, p - s);
				{
					char q = *p++;

					for (; *p && *p != q; p++) {
						if (*p == '<')
							BAD("'<' in attribute value at offset %td", p - s);
						if (*p == '&' && !entity_at(p))
							BAD("raw '&' in attribute value at offset %td", p - s);
					}
					if (!*p)
						BAD("unterminated attribute value in <%s", name);
					p++;
				}
			}
			if (!depth) {
				if (roots++)
					BAD("second root <%s>", name);
				if (strcmp(name, root))
					BAD("root is <%s>, not <%s>", name, root);
			}
			if (*p == '/') {
				p += 2;		/* self-closing */
				continue;
			}
			p++;
			if (depth == (int)(sizeof(stack) / sizeof(stack[0])))
				BAD("too deep");
			snprintf(stack[depth++], sizeof(stack[0]), "%s", name);
		}
	}
	if (depth)
		BAD("<%s> not closed", stack[depth - 1]);
	if (!roots)
		BAD("no root element");
	return NULL;
#undef BAD
}

static inline void assert_xml_ok_(const char *s, const char *file, int ln)
{
	const char *e = xml_check(s, "svg");

	if (e)
		fail_msg_at(file, ln, "SVG not well-formed: %s\n%s", e, s);
}
#define assert_xml_ok(s) assert_xml_ok_((s), __FILE__, __LINE__)

#endif

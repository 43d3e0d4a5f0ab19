// SPDX-License-Identifier: GPL-2.0
/*
 * nmt-json - the one JSON reader of the shell tests, on the host
 * (tests/host/run.sh builds it) and in the guest (tests/vm/vm.sh links it
 * statically into the initramfs). Reads JSON on stdin.
 *
 *   nmt-json get PATH      the value at a dotted PATH (nodes.1.percent,
 *                          list.0; "" is the whole document): strings raw,
 *                          objects and arrays as compact JSON, null as null
 *   nmt-json type PATH     null, boolean, int, double, string, object, array
 *   nmt-json len PATH      number of elements (array) or keys (object)
 *   nmt-json keys PATH     an object's keys, one a line
 *   nmt-json find LIST KEY VALUE FIELD
 *                          FIELD of the first element of the array LIST
 *                          whose KEY prints as VALUE
 *   nmt-json flat          every leaf as path=value, one a line
 *                          (regions.3.accesses_by_node.1=57)
 *   nmt-json valid         the whole input is exactly one JSON document in
 *                          valid UTF-8 (strict); says what is wrong if not
 *
 * get, type, len, keys and find read the first JSON object in the input,
 * from its first '{' (so a report after a warning line still reads) and
 * ignore what follows it. flat reads the input from its start.
 *
 * Exit status: 0 found; 1 PATH absent, no match, or (flat, valid) not JSON;
 * 2 usage or no JSON object in the input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

static char *slurp(size_t *lenp)
{
	size_t cap = 1 << 16, len = 0, n;
	char *buf = malloc(cap), *nb;

	while (buf && (n = fread(buf + len, 1, cap - len - 1, stdin)) > 0) {
		len += n;
		if (cap - len < 2) {
			nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (buf)
		buf[len] = 0;
	*lenp = len;
	return buf;
}

/* The value at a dotted path below o, or NULL with *found = 0. */
static struct json_object *at(struct json_object *o, const char *path, int *found)
{
	char *copy = strdup(path), *save = NULL, *k, *end;
	struct json_object *cur = o;

	*found = 1;
	if (!copy) {
		*found = 0;
		return NULL;
	}
	for (k = strtok_r(copy, ".", &save); k; k = strtok_r(NULL, ".", &save)) {
		if (json_object_is_type(cur, json_type_object)) {
			if (!json_object_object_get_ex(cur, k, &cur))
				goto absent;
		} else if (json_object_is_type(cur, json_type_array)) {
			unsigned long i = strtoul(k, &end, 10);

			if (!*k || *end || i >= json_object_array_length(cur))
				goto absent;
			cur = json_object_array_get_idx(cur, i);
		} else {
			goto absent;
		}
	}
	free(copy);
	return cur;
absent:
	free(copy);
	*found = 0;
	return NULL;
}

static const char *text(struct json_object *o)
{
	if (!o)
		return "null";
	if (json_object_is_type(o, json_type_object) || json_object_is_type(o, json_type_array))
		return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						      JSON_C_TO_STRING_NOSLASHESCAPE);
	return json_object_get_string(o);
}

static void flat(const char *path, struct json_object *o)
{
	char p[1024];

	switch (json_object_get_type(o)) {
	case json_type_object:
		json_object_object_foreach(o, k, v) {
			snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "", k);
			flat(p, v);
		}
		break;
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(o); i++) {
			snprintf(p, sizeof(p), "%s%s%zu", path, *path ? "." : "", i);
			flat(p, json_object_array_get_idx(o, i));
		}
		break;
	default:
		printf("%s=%s\n", path, text(o));
	}
}

/* The input is one strict JSON document and nothing else but whitespace. */
static int valid(const char *buf, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;
	size_t used;

	if (!tok)
		return 2;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, buf, (int)len);
	if (!o) {
		enum json_tokener_error e = json_tokener_get_error(tok);

		fprintf(stderr, "nmt-json: not valid JSON at byte %zu: %s\n",
			json_tokener_get_parse_end(tok),
			e == json_tokener_continue ? "unexpected end of input"
						   : json_tokener_error_desc(e));
		json_tokener_free(tok);
		return 1;
	}
	used = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	json_object_put(o);
	while (used < len && strchr(" \t\r\n", buf[used]))
		used++;
	if (used < len) {
		fprintf(stderr, "nmt-json: more than one JSON document: text follows at byte %zu\n",
			used);
		return 1;
	}
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: nmt-json get|type|len|keys PATH | find LIST KEY VALUE FIELD | flat | valid  (JSON on stdin)\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	struct json_object *doc, *o;
	size_t len;
	char *buf, *start;
	int found, want;

	want = !strcmp(cmd, "find") ? 6 : (!strcmp(cmd, "flat") || !strcmp(cmd, "valid")) ? 2 : 3;
	if (argc != want || (want == 3 && strcmp(cmd, "get") && strcmp(cmd, "type") &&
			     strcmp(cmd, "len") && strcmp(cmd, "keys")))
		return usage();
	buf = slurp(&len);
	if (!buf) {
		fprintf(stderr, "nmt-json: out of memory reading stdin\n");
		return 2;
	}
	if (!strcmp(cmd, "valid"))
		return valid(buf, len);
	if (!strcmp(cmd, "flat")) {
		doc = json_tokener_parse(buf);
		if (!doc) {
			fprintf(stderr, "nmt-json: input is not valid JSON\n");
			return 1;
		}
		flat("", doc);
		return 0;
	}
	start = strchr(buf, '{');
	doc = start ? json_tokener_parse(start) : NULL;
	if (!doc) {
		fprintf(stderr, "nmt-json: no JSON object in the input\n");
		return 2;
	}
	o = at(doc, argv[2], &found);
	if (!found)
		return 1;
	if (!strcmp(cmd, "get")) {
		printf("%s\n", text(o));
	} else if (!strcmp(cmd, "type")) {
		printf("%s\n", o ? json_type_to_name(json_object_get_type(o)) : "null");
	} else if (!strcmp(cmd, "len")) {
		if (json_object_is_type(o, json_type_array))
			printf("%zu\n", json_object_array_length(o));
		else if (json_object_is_type(o, json_type_object))
			printf("%d\n", json_object_object_length(o));
		else
			return 1;
	} else if (!strcmp(cmd, "keys")) {
		if (!json_object_is_type(o, json_type_object))
			return 1;
		json_object_object_foreach(o, k, v) {
			(void)v;
			printf("%s\n", k);
		}
	} else { /* find */
		for (size_t i = 0; json_object_is_type(o, json_type_array) &&
				   i < json_object_array_length(o); i++) {
			struct json_object *el = json_object_array_get_idx(o, i), *k, *f;

			k = at(el, argv[3], &found);
			if (!found || strcmp(text(k), argv[4]))
				continue;
			f = at(el, argv[5], &found);
			if (!found)
				return 1;
			printf("%s\n", text(f));
			return 0;
		}
		return 1;
	}
	return 0;
}

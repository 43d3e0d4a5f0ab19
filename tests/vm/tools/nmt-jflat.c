// SPDX-License-Identifier: GPL-2.0
/*
 * nmt-jflat < FILE.json: prints every leaf as "path=value", one per line
 * (regions.3.accesses_by_node.1=57), so busybox scenarios can read JSON with
 * grep and sed. Strings are printed raw; exits 1 when the input does not parse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <json-c/json.h>

static void walk(const char *path, struct json_object *o)
{
	char p[1024];

	switch (json_object_get_type(o)) {
	case json_type_object:
		json_object_object_foreach(o, k, v) {
			snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "", k);
			walk(p, v);
		}
		break;
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(o); i++) {
			snprintf(p, sizeof(p), "%s%s%zu", path, *path ? "." : "", i);
			walk(p, json_object_array_get_idx(o, i));
		}
		break;
	case json_type_null:
		printf("%s=null\n", path);
		break;
	default:
		printf("%s=%s\n", path, json_object_get_string(o));
	}
}

int main(void)
{
	size_t cap = 1 << 16, len = 0, n;
	char *buf = malloc(cap);
	struct json_object *o;

	while (buf && (n = fread(buf + len, 1, cap - len - 1, stdin)) > 0) {
		len += n;
		if (cap - len < 2)
			buf = realloc(buf, cap *= 2);
	}
	if (!buf)
		return 2;
	buf[len] = 0;
	o = json_tokener_parse(buf);
	if (!o) {
		fprintf(stderr, "nmt-jflat: input is not valid JSON\n");
		return 1;
	}
	walk("", o);
	return 0;
}

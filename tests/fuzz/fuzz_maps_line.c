// SPDX-License-Identifier: GPL-2.0
/* libFuzzer harness: nm_maps_parse_line, and nm_maps_parse of the whole
 * input as a maps text. */
#include <errno.h>
#include <stdint.h>
#include "fuzz.h"
#include "maps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_vma(const struct nm_vma *v)
{
	FUZZ_CHECK(v->start < v->end);
	FUZZ_CHECK(strlen(v->perms) == 4 && strspn(v->perms, "rwxps-") == 4);
	FUZZ_CHECK(v->kind <= NM_VMA_SPECIAL);
	FUZZ_CHECK(strcmp(nm_vma_kind_name(v->kind), "unknown"));
	if (!v->path)
		FUZZ_CHECK(v->kind == NM_VMA_ANON);
	if (v->path)
		FUZZ_CHECK(v->path[0] && v->path[0] != ' ' && !strchr(v->path, '\n'));
	if (v->kind == NM_VMA_FILE)
		FUZZ_CHECK(v->path && v->path[0] == '/');
	nm_vma_is_migratable(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct nm_vma v;
	struct nm_vma_list l;
	size_t bad = 0;
	int rc = nm_maps_parse_line(s, &v);

	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	if (rc == 0) {
		check_vma(&v);
		free(v.path);
	}
	rc = nm_maps_parse(s, &l, &bad);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	if (rc == 0) {
		for (size_t i = 0; i < l.n; i++)
			check_vma(&l.v[i]);
	} else {
		FUZZ_CHECK(bad >= 1 && l.n == 0 && l.v == NULL);
	}
	nm_vma_list_free(&l);
	free(s);
	return 0;
}

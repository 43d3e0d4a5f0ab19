// SPDX-License-Identifier: GPL-2.0
/* libFuzzer harness: nm_maps_parse_line, and nm_maps_parse of the whole
 * input as a maps text. */
#include <errno.h>
#include <stdint.h>
#include "fuzz.h"
#include "maps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int parse_vma(const char *s, void *elem)
{
	return nm_maps_parse_line(s, elem);
}

static void check_vma(const void *elem)
{
	const struct nm_vma *v = elem;

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
	struct nm_vma_list l;
	size_t bad = 0;

	fuzz_line(s, parse_vma, sizeof(struct nm_vma), offsetof(struct nm_vma, path), check_vma, 0);
	fuzz_whole(nm_maps_parse(s, &l, &bad), 0, bad, l.n, l.v);
	for (size_t i = 0; i < l.n; i++)
		check_vma(&l.v[i]);
	nm_vma_list_free(&l);
	free(s);
	return 0;
}

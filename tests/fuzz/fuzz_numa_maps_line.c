// SPDX-License-Identifier: GPL-2.0
/* libFuzzer harness: nm_numa_maps_parse_line, and nm_numa_maps_parse of the
 * whole input. */
#include <errno.h>
#include <stdint.h>
#include "fuzz.h"
#include "numa_maps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int parse_entry(const char *s, void *elem)
{
	return nm_numa_maps_parse_line(s, elem);
}

static void check_entry(const void *elem)
{
	const struct nm_numa_maps_entry *e = elem;
	size_t plen = strnlen(e->policy, sizeof(e->policy));

	FUZZ_CHECK(plen > 0 && plen < sizeof(e->policy));
	FUZZ_CHECK(!strchr(e->policy, '\n'));
	if (e->file)
		FUZZ_CHECK(e->file[0] && !strchr(e->file, '\n'));
	FUZZ_CHECK(e->heap == 0 || e->heap == 1);
	FUZZ_CHECK(e->stack == 0 || e->stack == 1);
	FUZZ_CHECK(e->huge == 0 || e->huge == 1);
	nm_numa_maps_entry_total(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct nm_numa_maps m;
	size_t bad = 0;

	fuzz_line(s, parse_entry, sizeof(struct nm_numa_maps_entry),
		  offsetof(struct nm_numa_maps_entry, file), check_entry, -ERANGE);
	fuzz_whole(nm_numa_maps_parse(s, &m, &bad), -ERANGE, bad, m.n, m.e);
	for (size_t i = 0; i < m.n; i++) {
		check_entry(&m.e[i]);
		FUZZ_CHECK(nm_numa_maps_find(&m, m.e[i].start) != NULL);
	}
	nm_numa_maps_free(&m);
	free(s);
	return 0;
}

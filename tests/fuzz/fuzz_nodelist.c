// SPDX-License-Identifier: GPL-2.0
/* libFuzzer harness: nm_parse_nodelist, round-tripped through
 * nm_nodemask_fmt. */
#include <errno.h>
#include <stdint.h>
#include "fuzz.h"
#include "parse.h"
#include "target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct nm_nodemask m = { 0x5a5a }, again = { 0 };
	/* 64 nodes as "0,2,4,..." is at most 64 * 3 characters. */
	char buf[256];
	int rc = nm_parse_nodelist(s, &m);

	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ERANGE);
	if (rc == 0) {
		FUZZ_CHECK(m.bits != 0);	/* an empty list is an error */
		nm_nodemask_fmt(&m, buf, sizeof(buf));
		FUZZ_CHECK(nm_parse_nodelist(buf, &again) == 0);
		FUZZ_CHECK(again.bits == m.bits);
	} else {
		FUZZ_CHECK(m.bits == 0x5a5a);	/* untouched on error */
	}
	free(s);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/* libFuzzer harness: nm_reason_names_parse, the migration reasons' names
 * from a tracepoint's print fmt: either every listed value is named with a
 * lower-case name, or (-EINVAL) nothing is written. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include "fuzz.h"
#include "reasonfmt.h"

#define MAX 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	char names[MAX][NM_REASON_NAME_LEN];
	bool named[MAX] = { false };
	int rc, count = 0;

	memset(names, 'x', sizeof(names));
	rc = nm_reason_names_parse(s, names, named, MAX);
	FUZZ_CHECK(rc == -EINVAL || (rc >= 0 && rc <= 64));
	for (int i = 0; i < MAX; i++) {
		if (!named[i]) {
			FUZZ_CHECK(names[i][0] == 'x');	/* untouched */
			continue;
		}
		count++;
		FUZZ_CHECK(rc > 0);
		FUZZ_CHECK(memchr(names[i], 0, NM_REASON_NAME_LEN) != NULL);
		FUZZ_CHECK(names[i][0] != 0);
		for (const char *p = names[i]; *p; p++)
			FUZZ_CHECK((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_');
	}
	/* a value listed twice is counted twice but names one slot */
	FUZZ_CHECK(rc == -EINVAL ? count == 0 : count <= rc);
	free(s);
	return 0;
}

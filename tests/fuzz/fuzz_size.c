// SPDX-License-Identifier: GPL-2.0
/* libFuzzer harness: nm_parse_size (and nm_parse_u64, nm_fmt_bytes). */
#include <errno.h>
#include <stdint.h>
#include "fuzz.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	uint64_t v = 0, u = 0;
	char buf[32];
	int rc = nm_parse_size(s, &v);
	int urc = nm_parse_u64(s, &u);

	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ERANGE);
	FUZZ_CHECK(urc == 0 || urc == -EINVAL || urc == -ERANGE);
	/* A plain number is a size without a suffix: same value. */
	if (urc == 0)
		FUZZ_CHECK(rc == 0 && v == u);
	if (rc == 0) {
		/* What parsed has no whitespace or sign anywhere. */
		FUZZ_CHECK(!strpbrk(s, " \t\n+-"));
		nm_fmt_bytes(v, buf, sizeof(buf));
		FUZZ_CHECK(strlen(buf) > 2 && strlen(buf) < sizeof(buf) - 1);
	}
	free(s);
	return 0;
}

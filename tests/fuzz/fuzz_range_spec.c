// SPDX-License-Identifier: GPL-2.0
/* libFuzzer harness: nm_range_spec_parse, then nm_range_resolve of what
 * parsed against a typical process, checking the pieces' invariants. */
#include <errno.h>
#include <stdint.h>
#include "fuzz.h"
#include "range.h"

#define PS 4096ULL

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char maps_text[] =
	"1000-2000 r--p 00000000 fd:01 11 /usr/bin/app\n"
	"2000-3000 rw-p 00000000 00:00 0 [heap]\n"
	"10000-30000 rw-p 00000000 00:00 0 \n"
	"30000-31000 ---p 00000000 00:00 0 \n"
	"31000-51000 rw-p 00000000 00:00 0 [anon:x]\n"
	"60000-70000 r-xp 00000000 fd:01 12 /lib/a b.so\n"
	"70000-71000 ---p 00010000 fd:01 12 /lib/a b.so\n"
	"7ffd0000-7ffd2000 rw-p 00000000 00:00 0 [stack]\n"
	"7ffd3000-7ffd5000 r-xp 00000000 00:00 0 [vdso]\n"
	"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n";

static void check_spec(const char *s, const struct nm_range_spec *spec)
{
	FUZZ_CHECK(!strcmp(spec->text, s));
	switch (spec->kind) {
	case NM_RSPEC_ABS:
		FUZZ_CHECK(spec->start < spec->end);
		break;
	case NM_RSPEC_SIZE:
		FUZZ_CHECK(spec->size > 0);
		break;
	case NM_RSPEC_PATH:
		FUZZ_CHECK(spec->path[0] == '/' && !strcmp(spec->path, s));
		break;
	case NM_RSPEC_HEAP:
	case NM_RSPEC_STACK:
	case NM_RSPEC_ANON:
		break;
	case NM_RSPEC_ALL:
	default:
		FUZZ_CHECK(!"parse never yields ALL or an unknown kind");
	}
}

static void check_ranges(const struct nm_range_list *r, const struct nm_vma_list *l)
{
	uint64_t pages = 0;

	FUZZ_CHECK(r->n > 0);
	for (size_t i = 0; i < r->n; i++) {
		const struct nm_range *p = &r->r[i];
		const struct nm_vma *v;

		FUZZ_CHECK(p->vma < l->n);
		v = &l->v[p->vma];
		FUZZ_CHECK(nm_vma_is_migratable(v));
		FUZZ_CHECK(p->start < p->end);
		FUZZ_CHECK(p->start >= v->start && p->end <= v->end);
		FUZZ_CHECK(p->start % PS == 0 && p->end % PS == 0);
		if (i)
			FUZZ_CHECK(r->r[i - 1].end <= p->start);
		pages += (p->end - p->start) / PS;
	}
	FUZZ_CHECK(pages == r->pages);
	FUZZ_CHECK(r->rounded == (r->req_start != r->round_start ||
				  r->req_end != r->round_end));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct nm_range_spec spec;
	struct nm_vma_list l;
	struct nm_range_list r;
	char err[512];
	int rc = nm_range_spec_parse(s, &spec, err, sizeof(err));

	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	if (rc) {
		FUZZ_CHECK(!strncmp(err, "invalid range '", 15));
		free(s);
		return 0;
	}
	check_spec(s, &spec);
	FUZZ_CHECK(nm_maps_parse(maps_text, &l, NULL) == 0);
	rc = nm_range_resolve(&spec, &l, PS, &r, err, sizeof(err));
	FUZZ_CHECK(rc == 0 || rc == -ENOENT);
	if (rc == 0)
		check_ranges(&r, &l);
	else
		FUZZ_CHECK(err[0] != '\0' && r.n == 0);
	nm_range_list_free(&r);
	nm_vma_list_free(&l);
	free(s);
	return 0;
}

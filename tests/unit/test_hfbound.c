// SPDX-License-Identifier: GPL-2.0
/* Unit tests of userspace/lib/hfbound.c: the hinting-fault region map's size
 * from the footprint (issue 14, point 4: a 4 GiB footprint drops no sample). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "hfbound.h"
#include "hintfault.h"

#define GiB (1ULL << 30)

/* Small targets keep the map size used before sizing. */
static void test_floor(void **state)
{
	(void)state;
	assert_int_equal(nm_hf_region_bound(0, 2 << 20), NM_HF_MAX_REGIONS);
	assert_int_equal(nm_hf_region_bound(4 * GiB, 2 << 20), NM_HF_MAX_REGIONS);	/* 2048 regions */
	assert_int_equal(nm_hf_region_bound(64 << 20, 4096), NM_HF_MAX_REGIONS);	/* 16384 pages */
	assert_int_equal(nm_hf_region_bound(256 << 20, 4096), 2 * 65536);	/* 65536: twice */
}

/* 4 GiB at 4 KiB is 1,048,576 regions, more than the fixed 65536: twice that. */
static void test_scales(void **state)
{
	(void)state;
	assert_int_equal(nm_hf_region_bound(4 * GiB, 4096), 2u << 20);
	assert_int_equal(nm_hf_region_bound(4 * GiB, 16384), 512u << 10);
	/* a partial region counts as one */
	assert_int_equal(nm_hf_region_bound(1 * GiB + 1, 4096), 2 * ((1u << 18) + 1));
	assert_true(nm_hf_region_bound(4 * GiB, 65536) > 65536);	/* 65536 exactly fills the old map */
}

/* Huge footprints stop at the cap (no overflow of the 32-bit size). */
static void test_cap(void **state)
{
	(void)state;
	assert_int_equal(nm_hf_region_bound(8 * GiB, 4096), NM_HF_REGIONS_CAP);
	assert_int_equal(nm_hf_region_bound(UINT64_MAX, 4096), NM_HF_REGIONS_CAP);
	assert_int_equal(nm_hf_region_bound(UINT64_MAX, 1ULL << 63), NM_HF_MAX_REGIONS);
	assert_int_equal(nm_hf_region_bound(4 * GiB, 0), 2u << 20);	/* 0: 4 KiB */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_floor),
		cmocka_unit_test(test_scales),
		cmocka_unit_test(test_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

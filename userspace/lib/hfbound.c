// SPDX-License-Identifier: GPL-2.0
/* Sizing of the hinting-fault region map from the target's footprint. */
#include "hfbound.h"
#include "hintfault.h"		/* include/: NM_HF_MAX_REGIONS */

uint32_t nm_hf_region_bound(uint64_t footprint, uint64_t gran)
{
	uint64_t need;

	if (!gran)
		gran = 4096;
	need = footprint / gran + (footprint % gran != 0);
	if (need > NM_HF_REGIONS_CAP / 2)
		return NM_HF_REGIONS_CAP;
	need *= 2;
	return need < NM_HF_MAX_REGIONS ? NM_HF_MAX_REGIONS : (uint32_t)need;
}

/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the diagnosis tests. Include after <cmocka.h> and "diagnose.h". */
#ifndef NM_DIAGTEST_H
#define NM_DIAGTEST_H

/* The finding ID of D, failing unless it exists with severity SEV. */
static inline const struct nm_finding *must_find(const struct nm_diagnosis *d, const char *id,
						 enum nm_diag_sev sev)
{
	const struct nm_finding *x = nm_diagnosis_find(d, id);

	if (!x)
		fail_msg("no finding '%s'", id);
	if (x->sev != sev)
		fail_msg("finding '%s' is %s, expected %s: %s", id, nm_diag_sev_name(x->sev),
			 nm_diag_sev_name(sev), x->what);
	return x;
}

#endif

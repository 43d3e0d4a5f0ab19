/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writers of the diagnosis (diagnose, move --explain): the findings, the
 * causes of failed pages and the drift attribution, as text and as JSON.
 * Text escapes what a user controls (comm, mapping names); JSON strings go
 * through nm_json_str.
 */
#ifndef NM_DIAGREPORT_H
#define NM_DIAGREPORT_H

#include <stddef.h>
#include <stdio.h>
#include <json-c/json.h>
#include "causes.h"
#include "diagnose.h"
#include "driftattr.h"

void nm_diagnosis_text(FILE *out, const struct nm_diag_facts *f, const struct nm_diagnosis *d);
/* Its "exit_code" is that of the findings alone (nm_diagnosis_exit). */
struct json_object *nm_diagnosis_json(const struct nm_diag_facts *f,
				      const struct nm_diagnosis *d);
void nm_causes_text(FILE *out, const struct nm_cause_group *g, size_t n);
struct json_object *nm_causes_json(const struct nm_cause_group *g, size_t n);
void nm_drift_attr_text(FILE *out, const struct nm_drift_attr *a);
struct json_object *nm_drift_attr_json(const struct nm_drift_attr *a);

/* diagnose --watch S: what the window gave. */
struct nm_diag_watch {
	long seconds;			/* 0: not asked for */
	const struct nm_drift_attr *attr;	/* NULL: not traced */
	const char *why;		/* why not traced, or why partial; NULL */
};

/* The diagnose command's report: text on OUT, or the JSON document with the
 * command's EXIT_CODE. W may be NULL (no --watch). */
void nm_diagnose_report_text(FILE *out, const struct nm_diag_facts *f,
			     const struct nm_diagnosis *d, const struct nm_diag_watch *w);
struct json_object *nm_diagnose_report_json(const struct nm_diag_facts *f,
					    const struct nm_diagnosis *d,
					    const struct nm_diag_watch *w, int exit_code);

#endif

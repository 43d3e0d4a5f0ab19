/* SPDX-License-Identifier: GPL-2.0 */
/* move --to-node N:W,...: the requested and achieved split, text and JSON. Pure. */
#ifndef NM_SPREADREPORT_H
#define NM_SPREADREPORT_H

#include <stdio.h>
#include <json-c/json.h>
#include "spreadmove.h"

/* "0:3,2:1" into BUF. */
const char *nm_spread_fmt(const struct nm_spread *sp, char *buf, size_t len);
/* The verification's split; C NULL when it was not measured. */
void nm_spread_text(FILE *f, const struct nm_spread *sp, const struct nm_spread_check *c);
/* {"spec", "requested": {node: pct}, "achieved": {node: pct} | null, "pages",
 *  "tolerance_pct", "worst_miss_pct", "within_tolerance"} */
struct json_object *nm_spread_json(const struct nm_spread *sp, const struct nm_spread_check *c);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* auto --spread: the report section (text, JSON) and the log line of each
 * application. Pure. */
#ifndef NM_AUTOSPREADREPORT_H
#define NM_AUTOSPREADREPORT_H

#include <stdio.h>
#include <json-c/json.h>
#include "aspread.h"

/* [{"where", "split": move's spread object, "reapplied", "pages_moved",
 *   "pages_failed"}, ...] */
struct json_object *nm_aspreads_json(const struct nm_aspreads *s);
/* "  Spread X=0:3,2:1: ..." lines; nothing when there is no spread. */
void nm_aspreads_text(FILE *f, const struct nm_aspreads *s);
/* {"type": "spread", "interval", "t", "where", "event": "apply" | "reapply",
 *  "seen": the split that made it due (null before the first), "moved",
 *  "failed", "after": the split queried after it} */
struct json_object *nm_aspread_log_json(long interval, double t, const struct nm_aspread *s,
					const struct nm_spread_check *seen, uint64_t moved,
					uint64_t failed);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Printing what this kernel offers for tracing (kernfeat.h), in text and
 * JSON. Pure.
 */
#ifndef NM_KFEATURES_H
#define NM_KFEATURES_H

#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>
#include "damoninfo.h"
#include "kernfeat.h"

void nm_features_text(FILE *out, const struct nm_features *f);
struct json_object *nm_features_json(const struct nm_features *f);

/* DAMON: present, sysfs, kdamonds configured and running, usable by us. */
void nm_damon_info_text(FILE *out, const struct nm_damon_info *d);
struct json_object *nm_damon_info_json(const struct nm_damon_info *d);


/* The sensor auto --demote-cold would use here (DAMON where usable), why,
 * and how far to trust it. */
void nm_cold_sensor_text(FILE *out, const struct nm_damon_info *d);
struct json_object *nm_cold_sensor_json(const struct nm_damon_info *d);

#endif

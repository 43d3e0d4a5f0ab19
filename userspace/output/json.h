/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one JSON helper module, and the one place that prints what a command
 * hands over for stdout in JSON mode.
 *
 * Strings: every string that may carry bytes from outside (process names,
 * mapped file paths, messages quoting them) goes through nm_json_str, which
 * keeps valid UTF-8 as it is and writes each byte that is not part of a valid
 * UTF-8 sequence as the four characters \xNN (docs/json.md says so), so a
 * strict parser never rejects a report.
 *
 * Documents: in JSON mode stdout carries exactly one document. A command
 * hands its report to nm_out_json() instead of printing it; errors reported
 * with nm_error() meanwhile become its "error" member (or, with no report,
 * the whole document: {"error": "..."}), as bpftool's p_err does.
 * nm_out_finish(), called by main after the command, prints it.
 */
#ifndef NM_JSON_H
#define NM_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>

/* A JSON string of S with invalid UTF-8 bytes written as \xNN. S NULL: null. */
struct json_object *nm_json_str(const char *s);
/* "0x1f000" */
struct json_object *nm_json_hex(uint64_t v);
/* a number printed with one decimal, like the text reports */
struct json_object *nm_json_pct(double v);
/* Seconds, written with millisecond precision (3 decimals). */
struct json_object *nm_json_secs(double v);
/* {"0": v[0], "2": v[2]}: node-keyed counts, zero entries left out */
struct json_object *nm_json_by_node(const uint64_t *v, int n);
/* the same with every entry, zeros too */
struct json_object *nm_json_by_node_all(const uint64_t *v, int n);
/* a node-keyed object of seconds with three decimals, zeros left out */
struct json_object *nm_json_by_node_secs(const double *v, int n);
/* a node-keyed object of doubles with one decimal, zeros left out */
struct json_object *nm_json_by_node_pct(const double *v, int n);
/* Adds KEY: VALUE to the node-keyed object O (KEY is the node number). */
void nm_json_add_node(struct json_object *o, int node, struct json_object *v);

/* A new object of the KEY, VALUE pairs that follow, in order, up to a NULL
 * key: nm_json_obj("pid", json_object_new_int(1), "comm", nm_json_str(c), NULL). */
struct json_object *nm_json_obj(const char *key, ...) __attribute__((sentinel));

/* Prints O (pretty or one line) and a newline to F, and drops O. Returns 0 or
 * -errno (-EPIPE when the reader went away). */
int nm_json_print(FILE *f, struct json_object *o);
int nm_json_print_line(FILE *f, struct json_object *o);

/* The command's JSON document for stdout (takes ownership; a second call
 * replaces the first). */
void nm_out_json(struct json_object *doc);
/* Prints the pending document with the errors reported so far, once. With
 * JSON mode off it only flushes stdout. Returns 0 or -errno of the write. */
int nm_out_finish(void);

/* Text output: S with control bytes (and DEL, and bytes that are not valid
 * UTF-8) written as \xNN, so names a user chose cannot drive root's terminal.
 * Writes into BUF and returns it (truncated with "..." when BUF is short). */
const char *nm_text_escape(const char *s, char *buf, size_t len);
/* The same into a growing static-free buffer the caller frees. */
char *nm_text_escape_dup(const char *s);

#endif

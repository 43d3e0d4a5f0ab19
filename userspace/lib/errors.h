/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place that maps errno values to names, plain-language reasons and
 * exit codes, and that prints errors ("ERROR: ..." on stderr; an "error"
 * object on stdout too in JSON mode).
 */
#ifndef NM_ERRORS_H
#define NM_ERRORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Per-page failure classes counted by move. */
enum nm_errslot {
	NM_ERR_EBUSY,
	NM_ERR_EACCES,
	NM_ERR_EPERM,
	NM_ERR_ENOMEM,
	NM_ERR_EFAULT,
	NM_ERR_ENOENT,
	NM_ERR_EIO,
	NM_ERR_EINVAL,
	NM_ERR_UNPROCESSED,	/* move_pages stopped early and retries ran out */
	NM_ERR_WRONG_NODE,	/* landed on a node other than the target */
	NM_ERR_OTHER,
	NM_ERR_SLOTS
};

/* ERR is a positive errno. */
enum nm_errslot nm_errslot_of(int err);
const char *nm_errslot_name(enum nm_errslot s);	/* "EBUSY", "EIO" ... */
/* Why a page with this per-page status failed, and what to do. */
const char *nm_errslot_reason(enum nm_errslot s);

/* "EPERM" etc. for any errno (falls back to "E<number>"). Thread-safe. */
const char *nm_errno_name(int err);

/* Exit code for a fatal (whole-operation) error ERR (positive errno). */
int nm_exit_for_errno(int err);

/* JSON mode: the errors also go into the one stdout document (json.h). */
void nm_errors_set_json(bool on);
bool nm_errors_json(void);
/* The errors reported so far (the first 16), in order. */
size_t nm_errors_count(void);
const char *nm_errors_get(size_t i);
/* Forgets them (nm_out_finish has put them in the document). */
void nm_errors_clear(void);

/* Prints "ERROR: <message>" to stderr and keeps it for the JSON document. */
void nm_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "warning: <message>" to stderr. */
void nm_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The message for a whole-call error of move_pages / proc access on PID,
 * naming cause and fix. OP is "query" or "move". Writes into buf. */
const char *nm_describe_target_error(int err, int pid, const char *op,
				     bool move_all, char *buf, size_t len);

#endif

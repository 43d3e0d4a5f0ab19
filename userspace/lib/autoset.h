/* SPDX-License-Identifier: GPL-2.0 */
/*
 * auto --all's pure bookkeeping: which processes join and leave the managed
 * set at each rescan, the --exclude list, and how one global --max-rate
 * budget is shared between the processes that want to move pages.
 */
#ifndef NM_AUTOSET_H
#define NM_AUTOSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Processes one auto --all manages at most: the BPF pid set's size
 * (NM_HF_MAX_PIDS). Past it, eligible processes wait for a free slot. */
#define NM_AUTOSET_MAX 4096

/* Parses "PID,PID,..." into a sorted, deduplicated array (*OUT, freed by the
 * caller; NULL and 0 for NULL or ""). 0, -EINVAL (not a pid list) or -ENOMEM. */
int nm_pidlist_parse(const char *s, pid_t **out, size_t *n);
/* Sorts and deduplicates P in place; returns the new count. */
size_t nm_pidlist_sort(pid_t *p, size_t n);
/* Whether sorted P holds PID (binary search). */
int nm_pidlist_has(const pid_t *p, size_t n, pid_t pid);

/* One rescan against the managed set. CUR (managed now) and SEEN (eligible
 * now, minus the excluded) are sorted. Fills ADD with the SEEN not in CUR,
 * at most ROOM of them (the set's free slots: the rest wait for the next
 * rescan, *WAITING says how many), and DEL with the CUR not in SEEN (exited,
 * or no longer eligible). ADD and DEL need room for NSEEN and NCUR. Linear. */
void nm_autoset_diff(const pid_t *cur, size_t ncur, const pid_t *seen, size_t nseen,
		     size_t room, pid_t *add, size_t *nadd, pid_t *del, size_t *ndel,
		     size_t *waiting);

/*
 * The processes auto --all's rescans found below --min-size. Reading every
 * process's resident size every interval is most of what an idle auto --all
 * costs (one /proc/PID/statm read each, and most processes are small or
 * kernel threads), so a process read small at PERIOD rescans in a row is
 * settled: it is read again only at every PERIOD-th rescan, on its own turn
 * ((round + pid) mod PERIOD, so the reads spread evenly over the rescans). A
 * new process, and one that was not small, is read at every rescan until it
 * settles. PERIOD 1 reads every process every time. Memory: two entries per
 * small process; each rescan is one merge walk over the ascending pids.
 */
/* auto --all's PERIOD: a process small for this long is read once as often */
#define NM_SMALL_RECHECK_S 5
/* ... and its NOMM_PERIOD: a pid read without an address space (a kernel
 * thread: statm's size 0) is read again only this often, in case the
 * number was reused between two rescans */
#define NM_NOMM_RECHECK_S 60
/* the streak of a pid without an address space */
#define NM_MEMO_NOMM 0x80000000u

struct nm_smallmemo {
	unsigned int period;	/* set by the caller (>= 1) */
	unsigned int nomm_period; /* for pids without an address space (>= period) */
	uint64_t round;
	pid_t *pid;		/* the last rescan's small ones, ascending */
	uint32_t *streak;	/* rescans in a row each was read small */
	size_t n, cap;
	pid_t *npid;		/* this rescan's, being built */
	uint32_t *nstreak;
	size_t nn, ncap;
	size_t at;		/* merge position in pid[] */
	uint32_t found;		/* the streak of the pid last asked about */
};

/* Starts a rescan. */
void nm_smallmemo_begin(struct nm_smallmemo *m);
/* Asks about PID (ascending within a rescan): true when it is settled small
 * and not its turn (kept as it is: do not read it); false: read it, and call
 * nm_smallmemo_small when it is small. */
bool nm_smallmemo_skip(struct nm_smallmemo *m, pid_t pid);
/* PID, the last one asked about, was read and is small. 0 or -ENOMEM (it
 * is then simply read again next time). */
int nm_smallmemo_small(struct nm_smallmemo *m, pid_t pid);
/* PID, the last one asked about, was read and has no address space: it is
 * settled at once and read again on its turn every NOMM_PERIOD rescans. */
int nm_smallmemo_nomm(struct nm_smallmemo *m, pid_t pid);
/* Ends the rescan: what it found is what the next one starts from (the
 * processes not seen are forgotten). */
void nm_smallmemo_end(struct nm_smallmemo *m);
void nm_smallmemo_free(struct nm_smallmemo *m);

/* Shares BUDGET bytes between N processes that want NEED[i] bytes, max-min
 * fairly: nobody gets more than it wants, and what one does not need goes
 * to the others in equal parts (so a process with a small need is served in
 * full, and the big ones split the rest evenly). OUT[i] gets the shares;
 * their sum is min(BUDGET, sum of NEED) up to rounding down. ORDER is
 * scratch for N indexes. O(N log N). */
void nm_share_budget(const uint64_t *need, size_t n, uint64_t budget, uint64_t *out,
		     size_t *order);

#endif

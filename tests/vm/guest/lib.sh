# tests/vm/guest/lib.sh - the guest's test runner and assertion helpers (busybox ash).
#
# A scenario is /nmtest/scenarios/NAME.sh defining a function t_NAME. Header
# lines (comments, read with grep, never executed) tune how it is selected:
#   # nodes: 4          run only on guests with these node counts (default: all)
#   # optional: 2 4     a SKIP on these node counts is tolerated ("all" = any);
#                       anywhere else a SKIP counts against the run
#   # timeout: 180      seconds before the scenario is killed (default 150)
#   # kernels: 6.12     run only on these kernel versions (major.minor of
#                       uname -r; default: all). Keeps slow, kernel-independent
#                       scenarios to one leg of the matrix.
# NEEDS_NODES=4 at the start of a line is read like "# nodes: 4".
#
# Each scenario runs in its own session (setsid) with its output in
# $NMT_LOGDIR/NAME.log; the runner prints PASS NAME / FAIL NAME / SKIP NAME
# (reason) and, for anything but PASS, the log. Inside a scenario:
#   fail MSG / skip REASON / info MSG
#   assert_eq EXPECTED ACTUAL [WHAT]     assert_ne UNWANTED ACTUAL [WHAT]
#   assert_ge ACTUAL MIN [WHAT]          assert_le ACTUAL MAX [WHAT]
#   assert_gt ACTUAL MIN [WHAT]          assert_near A B TOLERANCE [WHAT]
#   assert_match REGEX TEXT [WHAT]       assert_nomatch REGEX TEXT [WHAT]
#   assert_exit CODES CMD...   (CODES: 0 or 1,3) runs CMD; sets OUT ERR ALL RC
#   run CMD...                 runs CMD, sets OUT (stdout) ERR (stderr) ALL RC
#   jget PATH [TEXT]           value at a dotted JSON path (a.b.0), from TEXT or $OUT
#   jnum / jfind / jlen / jtype / assert_json / text_num  (tests/lib/assert.sh)
#   helper_start ARGS... / helper_verify / helper_stop   (numa-migrate helper)
#   numa_maps_pages PID START LEN [NODE]  kernel page counts of a range's VMAs
#   as_tester CMD...           run CMD as uid/gid 1000 without supplementary groups
#   at_exit CMD                run CMD (eval) when the scenario ends, last first
#   save_file NAME FILE / save_out NAME   hand a file (or $OUT) back to the host

NMT_DIR=${NMT_DIR:-/nmtest}
NMT_SCENARIOS=${NMT_SCENARIOS:-$NMT_DIR/scenarios}
NMT_LOGDIR=${NMT_LOGDIR:-/tmp/nmtest}
NMT_DEFAULT_TIMEOUT=${NMT_DEFAULT_TIMEOUT:-150}
NM=${NM:-numa-migrate}

# ---------------------------------------------------------------- boot

# nmt_keepalive NAME EVENT...: keeps the tracepoints EVENT (globs under
# events/, e.g. exceptions/page_fault_user) on with two probes each, from
# two tracefs instances NAME and NAME2 that record nothing (tracing_on 0), so
# attaching or detaching our programs later patches no kernel text. Each
# patch is a chance for QEMU TCG to run a stale translation of the code on
# the other vCPU ("Oops: int3", tests/vm/README.md). One probe is not enough:
# the first turns the static key on (exc_page_fault+0x3d), but the kernel's
# tracepoint_add_func also rewrites the static call at the call site
# (exc_page_fault+0x124) when a tracepoint goes from one probe to two (a
# direct call to the probe becomes the iterator) and back from two to one;
# from two to three and back it only swaps the probe array. Each instance's
# trace_event_file is its own probe data, so two instances are two probes.
# Both guests' /init call it for page_fault_user at boot (not with
# nmkeepalive=0, VM_KEEPALIVE=0: the benchmarks measure a tracer's cost
# against no probe at all); bench-large for the migration tracepoints.
nmt_keepalive() {
	local name=$1 t=/sys/kernel/tracing i e f n=0
	shift
	for i in "$t/instances/$name" "$t/instances/${name}2"; do
		if ! { mkdir -p "$i" && echo 0 >"$i/tracing_on"; }; then
			echo "NMTEST-KEEPALIVE failed: cannot set up the tracefs instance $i"
			continue
		fi
		for e in "$@"; do
			for f in "$i"/events/$e/enable; do
				[ -w "$f" ] && echo 1 >"$f" && n=$((n + 1))
			done
		done
	done
	echo "NMTEST-KEEPALIVE $name: $n probes on for $* (instances $name and ${name}2, tracing_on 0: record nothing)"
}

# nmt_keepalive_func NAME FUNC: keeps FUNC's ftrace call site calling the
# shared ftrace_regs_caller for the whole session, so attaching and detaching
# our fentry program on FUNC (hintfault.bpf.c on task_numa_fault and on
# numa_migrate_check or numa_migrate_prep) patches no
# kernel text (the "Oops: int3" at task_numa_fault+0x5, tests/vm/README.md).
# With one ftrace user a site calls that user directly (a BPF trampoline, or
# the user's own ftrace trampoline), so adding or removing a second user
# rewrites the call; with two, one of them saving registers, the site calls
# ftrace_regs_caller and a third user (our trampoline, which saves registers
# too) only joins its list. The two: a kprobe event on FUNC (ftrace-based at
# a function's entry, with registers) enabled in instance NAME, and the
# function tracer filtered to FUNC in instance NAME2, both with tracing_on 0
# (record nothing). The kprobe event is a global definition; it is left in
# place, as the instances are.
nmt_keepalive_func() {
	local name=$1 func=$2 t=/sys/kernel/tracing n=0 ev=nmka_$2
	mkdir -p "$t/instances/$name" "$t/instances/${name}2" 2>/dev/null
	echo 0 >"$t/instances/$name/tracing_on" 2>/dev/null
	echo 0 >"$t/instances/${name}2/tracing_on" 2>/dev/null
	if echo "p:$ev $func" >>"$t/kprobe_events" 2>/dev/null &&
	   echo 1 >"$t/instances/$name/events/kprobes/$ev/enable" 2>/dev/null; then
		n=$((n + 1))
	fi
	if echo "$func" >"$t/instances/${name}2/set_ftrace_filter" 2>/dev/null &&
	   echo function >"$t/instances/${name}2/current_tracer" 2>/dev/null; then
		n=$((n + 1))
	fi
	echo "NMTEST-KEEPALIVE $name: $n ftrace users on for $func ($(grep "^$func " \
		"$t/enabled_functions" 2>/dev/null | tr -s '\t ' ' ' | cut -c1-80))"
}

# ---------------------------------------------------------------- messages

nmt_now() {
	local up _
	read -r up _ </proc/uptime
	echo "$up"
}

# Messages go to stderr (the scenario log), so that functions whose stdout is
# captured with $(...) can still log.
info() { echo "[$(nmt_now)] $*" >&2; }

# fail/skip leave a marker file so that a call inside $(...) still counts.
fail() {
	echo "[$(nmt_now)] FAIL: $*" >&2
	[ -n "$NMT_STATE" ] && echo "$*" >>"$NMT_STATE/failed"
	exit 1
}

skip() {
	echo "[$(nmt_now)] SKIP: $*" >&2
	[ -n "$NMT_STATE" ] && echo "$*" >"$NMT_STATE/skipped"
	exit 77
}

# ---------------------------------------------------------------- assertions

# The assertions, run/assert_exit and the JSON reader (jget, jnum, jfind,
# jlen, jtype, assert_json over the nmt-json tool) are tests/lib/assert.sh,
# shared with the host tests.
. "$NMT_DIR/assert.sh"


# ---------------------------------------------------------------- environment

# nodes_in LIST: expand a sysfs node list (0-1,3) into words.
nodes_in() {
	echo "$1" | tr ',' '\n' | while IFS=- read -r a b; do
		[ -n "$a" ] || continue
		seq "$a" "${b:-$a}"
	done | tr '\n' ' '
}

mem_nodes() { nodes_in "$(cat /sys/devices/system/node/has_memory)"; }
cpu_nodes() { nodes_in "$(cat /sys/devices/system/node/has_cpu)"; }
count_words() { echo $#; }

need_nm() {
	command -v "$NM" >/dev/null 2>&1 ||
		fail "$NM is not in the guest's /bin: build it static (make STATIC=1) into build/, or pass --bin DIR to vm.sh"
}

need_nodes() {
	local have
	have=$(count_words $(mem_nodes))
	[ "$have" -ge "$1" ] || fail "scenario needs $1 memory nodes, guest has $have (selected on the wrong topology?)"
}

# at_exit CMD: eval CMD when the scenario ends (even on fail/skip/timeout).
NMT_AT_EXIT=
at_exit() { NMT_AT_EXIT="$1
$NMT_AT_EXIT"; }

# numab_set KNOB VALUE: sets /sys/kernel/debug/sched/numa_balancing/KNOB
# (scan_size_mb, scan_period_max_ms ...) until the scenario ends.
numab_set() {
	local f=/sys/kernel/debug/sched/numa_balancing/$1 old
	[ -w "$f" ] || fail "$f is not writable (debugfs not mounted?)"
	old=$(cat "$f")
	echo "$2" >"$f" || fail "cannot write $2 to $f"
	at_exit "echo $old >$f"
	info "numa balancing $1: $2 (was $old)"
}

# numab_scan_size MB: the kernel's NUMA balancing scans MB per scan period
# (default 256). A footprint many times the scan size is the regime of real
# processes: the kernel samples (and migrates) it a slice at a time.
numab_scan_size() { numab_set scan_size_mb "$1"; }

# auto_decisions LOG: one line per decision of an 'auto --log' file:
# "interval scope start end node reason action moved samples share" (start, end
# as 0x.. hex: compare them with $((...))). Fails the scenario when a line
# is not JSON.
auto_decisions() {
	local line n=0
	while IFS= read -r line; do
		n=$((n + 1))
		printf '%s\n' "$line" | "$NMT_JSON" flat >"$NMT_WORK/adec.flat" || fail "line $n of $1 is not JSON: $line"
		grep -q '^type=decision$' "$NMT_WORK/adec.flat" || continue
		awk -F= '{ v[$1] = substr($0, length($1) + 2) } END {
			printf "%s %s %s %s %s %s %s %s %s %s\n", v["interval"], v["scope"],
				v["start"], v["end"], v["node"], v["reason"],
				v["result.action"], (v["result.moved"] == "" ? 0 : v["result.moved"]),
				v["evidence.samples"], v["share"] }' "$NMT_WORK/adec.flat"
	done <"$1"
}

# access_start MB: starts tools/nmt-access with four MB MiB regions (n0, n1,
# both, none); sets A_LINE (its ACCESS line), A_PID, A_LEN.
access_start() {
	nmt-access "$1" >"$NMT_WORK/access.out" 2>&1 &
	nmt_track_pid $!
	wait_until 30 grep -q '^ACCESS ' "$NMT_WORK/access.out" ||
		fail "nmt-access did not start: $(cat "$NMT_WORK/access.out")"
	A_LINE=$(grep '^ACCESS ' "$NMT_WORK/access.out")
	A_PID=$(nmt_field pid "$A_LINE")
	A_LEN=$(nmt_field len "$A_LINE")
	info "$A_LINE"
}

NMT_PIDS=
nmt_track_pid() { NMT_PIDS="$NMT_PIDS $1"; }

nmt_cleanup() {
	local p cmd
	trap - EXIT TERM INT
	for p in $NMT_PIDS; do kill -KILL "$p" 2>/dev/null; done
	# let them die, so at_exit can remove cgroups they were in
	wait_until 10 nmt_pids_gone
	printf '%s\n' "$NMT_AT_EXIT" | while IFS= read -r cmd; do
		[ -n "$cmd" ] && eval "$cmd"
	done
}

nmt_pids_gone() {
	local p
	for p in $NMT_PIDS; do proc_alive "$p" && return 1; done
	return 0
}

# as_tester CMD...: CMD as uid 1000, gid 1000, no supplementary groups.
# (busybox's setpriv has no --reuid; nmt-runas is built from tests/vm/tools.)
as_tester() {
	if command -v nmt-runas >/dev/null 2>&1; then
		nmt-runas 1000 1000 "$@"
	elif setpriv --reuid=1000 --regid=1000 --clear-groups true 2>/dev/null; then
		setpriv --reuid=1000 --regid=1000 --clear-groups "$@"
	else
		echo "as_tester: no way to drop privileges (nmt-runas missing)" >&2
		return 126
	fi
}

# proc_alive PID: the process exists and is not a zombie.
proc_alive() {
	local _p _c st
	[ -r "/proc/$1/stat" ] || return 1
	read -r _p _c st _ <"/proc/$1/stat" 2>/dev/null || return 1
	[ "$st" != Z ] && [ "$st" != X ]
}

# wait_until SECONDS CMD...: poll CMD every 0.2 s; 1 on time-out.
wait_until() {
	local n=$(($1 * 5))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}

# move_sleeping: the background move $NMT_MPID's main thread waits out its
# --verify=S: inside ppoll (271: the session's sleep, nm_session_wait_fd),
# clock_nanosleep (230) or nanosleep (35), the x86_64 numbers (the guests
# are x86_64).
move_sleeping() {
	local nr _
	read -r nr _ <"/proc/$NMT_MPID/syscall" 2>/dev/null || return 1
	[ "$nr" = 271 ] || [ "$nr" = 230 ] || [ "$nr" = 35 ]
}

# sigint_move READY WHAT ARGS...: starts `move ARGS` in the background
# (NMT_MPID), waits up to 120 s until the command READY succeeds (failing
# with "WHAT within 120 s" if not), sends SIGINT and waits for it.
# Sets RC, OUT and ERR.
sigint_move() {
	local ready=$1 what=$2
	shift 2
	"$NM" move "$@" >"$NMT_WORK/sigint.out" 2>"$NMT_WORK/sigint.err" &
	NMT_MPID=$!
	nmt_track_pid "$NMT_MPID"
	wait_until 120 "$ready" || fail "$what within 120 s"
	proc_alive "$NMT_MPID" || fail "the move ended before the signal"
	info "sending SIGINT to move $NMT_MPID"
	kill -INT "$NMT_MPID"
	wait "$NMT_MPID"
	RC=$?
	OUT=$(cat "$NMT_WORK/sigint.out")
	ERR=$(cat "$NMT_WORK/sigint.err")
	printf '%s\n' "$OUT" "$ERR" | sed 's/^/    move| /' >&2
}

# proc_gone PID: the process has exited.
proc_gone() { ! proc_alive "$1"; }

# tool_start WORD CMD ARGS...: starts the guest tool CMD ARGS in the background
# (its output in word.out, in lower case) and waits up to 30 s for its line
# that starts with WORD. Sets T_BGPID (the background job) and T_LINE (that
# line, also logged).
tool_start() {
	local word=$1 out
	shift
	out=$(printf '%s' "$word" | tr 'A-Z' 'a-z').out
	"$@" >"$out" 2>&1 &
	T_BGPID=$!
	nmt_track_pid "$T_BGPID"
	wait_until 30 grep -q "^$word " "$out" || fail "$1 did not start: $(cat "$out")"
	T_LINE=$(grep -m1 "^$word " "$out")
	info "$T_LINE"
}

# trace_signalled SIG: with kernel.numa_balancing 0, starts `trace --pid $H_PID
# --duration 120 --enable-balancing`, sees it turn balancing on, and sends it
# SIG: the session ends within 30 s with exit 0, balancing back at 0 and the
# report printed (its output is in trace.SIG.out and trace.SIG.err).
trace_signalled() {
	local sig=$1 tpid rc
	echo 0 >/proc/sys/kernel/numa_balancing
	"$NM" trace --pid "$H_PID" --duration 120 --enable-balancing >trace.$sig.out 2>trace.$sig.err &
	tpid=$!
	nmt_track_pid "$tpid"
	wait_until 30 grep -q 'tracing pid' trace.$sig.err || fail "trace did not start: $(cat trace.$sig.err)"
	assert_eq 1 "$(cat /proc/sys/kernel/numa_balancing)" "numa_balancing during the session"
	kill -$sig "$tpid"
	wait_until 30 proc_gone "$tpid" || fail "trace still runs 30 s after SIG$sig"
	wait "$tpid"
	rc=$?
	cat trace.$sig.out trace.$sig.err | sed 's/^/    trace| /' >&2
	assert_eq 0 "$rc" "trace's exit status after SIG$sig"
	assert_eq 0 "$(cat /proc/sys/kernel/numa_balancing)" "numa_balancing restored after SIG$sig"
	assert_match 'samples' "$(cat trace.$sig.out)" "the report printed after SIG$sig"
}

# ---------------------------------------------------------------- the helper

NMT_HELPER_N=0

# helper_start ARGS...: start `numa-migrate helper ARGS` in the background and
# wait for its HELPER line. Sets H_PID H_START H_LEN H_LINE H_OUT H_ERR.
# HELPER_AS=as_tester runs it as uid 1000.
helper_start() {
	need_nm
	NMT_HELPER_N=$((NMT_HELPER_N + 1))
	H_OUT=$NMT_WORK/helper.$NMT_HELPER_N.out
	H_ERR=$NMT_WORK/helper.$NMT_HELPER_N.err
	H_PID=
	info "starting:${HELPER_AS:+ $HELPER_AS} $NM helper $*"
	${HELPER_AS:-} "$NM" helper "$@" >"$H_OUT" 2>"$H_ERR" &
	H_BGPID=$!
	nmt_track_pid "$H_BGPID"
	if ! wait_until "${HELPER_WAIT:-120}" nmt_helper_ready; then
		fail "helper printed no HELPER line within ${HELPER_WAIT:-120} s; stdout: $(cat "$H_OUT"); stderr: $(cat "$H_ERR")"
	fi
	H_LINE=$(grep -m1 '^HELPER ' "$H_OUT")
	if [ -z "$H_LINE" ]; then
		wait "$H_BGPID"
		fail "helper exited (status $?) before printing its HELPER line; stdout: $(cat "$H_OUT"); stderr: $(cat "$H_ERR")"
	fi
	H_PID=$(nmt_field pid "$H_LINE")
	H_START=$(nmt_field start "$H_LINE")
	H_LEN=$(nmt_field len "$H_LINE")
	info "helper ready: $H_LINE"
	is_num "$H_PID" || fail "HELPER line has no pid=: '$H_LINE'"
	nmt_track_pid "$H_PID"
	is_num "$H_LEN" || fail "HELPER line has no len=: '$H_LINE'"
	case $H_START in 0x*) ;; *) fail "HELPER line has no start=0x...: '$H_LINE'" ;; esac
}

nmt_helper_ready() { grep -q '^HELPER ' "$H_OUT" || ! proc_alive "$H_BGPID"; }

# ---------------------------------------------------------------- cgroups

# cpuset_confine PID MEMS: a cgroup v2 child ($CG if the scenario names
# it, else NMT_CG, else /sys/fs/cgroup/nmt_cpuset) with cpuset.mems=MEMS
# holding PID; removed at exit.
cpuset_confine() {
	CG=${CG:-${NMT_CG:-/sys/fs/cgroup/nmt_cpuset}}
	grep -qw cpuset /sys/fs/cgroup/cgroup.controllers ||
		skip "no cpuset controller in /sys/fs/cgroup/cgroup.controllers ($(cat /sys/fs/cgroup/cgroup.controllers))"
	echo +cpuset >/sys/fs/cgroup/cgroup.subtree_control ||
		skip "cannot enable +cpuset in /sys/fs/cgroup/cgroup.subtree_control"
	mkdir -p "$CG" || skip "cannot create $CG"
	at_exit "cpuset_release"
	echo "$2" >"$CG/cpuset.mems" || skip "cannot write $2 to $CG/cpuset.mems"
	echo "$1" >"$CG/cgroup.procs" || skip "cannot move pid $1 into $CG"
	assert_eq "$2" "$(cat "$CG/cpuset.mems.effective")" "cpuset.mems.effective of $CG"
	info "pid $1 confined to mems $2 in $CG"
}

cpuset_release() { cgroup_release "$CG"; }

# cgroup_release DIR: moves DIR's processes back to the root cgroup, removes DIR.
cgroup_release() {
	local p
	for p in $(cat "$1/cgroup.procs" 2>/dev/null); do
		echo "$p" >/sys/fs/cgroup/cgroup.procs
	done
	rmdir "$1" 2>/dev/null
}

# finding ID FIELD: FIELD (severity, what, fix, blocks) of diagnose's finding ID
# in $OUT (PREFIX=explain.diagnosis. for move --explain).
finding() { jfind "${PREFIX:-}findings" id "$1" "$2"; }

# cause_pages CAUSE: pages of that cause in move --explain's JSON ($OUT), 0 if absent.
cause_pages() { jfind explain.causes cause "$1" pages || echo 0; }

# hex ADDR_EXPR: an address as 0x... (shell arithmetic is 64-bit in ash).
hex() { printf '0x%x\n' "$(($1))"; }

# move_json_sane: the counters of a `move --json` report in $OUT add up (pages on
# nodes outside --from-node are counted apart, in skipped_filter, 0 without it).
# Sets M_PAGES M_MOVED M_SKIPPED M_ALREADY M_NOTPRESENT M_BUSY M_FAILED.
move_json_sane() {
	M_PAGES=$(jnum pages)
	M_MOVED=$(jnum moved)
	M_SKIPPED=$(jnum skipped_filter)
	M_ALREADY=$(jnum already_on_target)
	M_NOTPRESENT=$(jnum not_present)
	M_BUSY=$(jnum busy)
	M_FAILED=$(jnum failed)
	assert_eq "$M_PAGES" "$((M_MOVED + M_SKIPPED + M_ALREADY + M_NOTPRESENT + M_BUSY + M_FAILED))" \
		"pages vs moved+skipped_filter+already_on_target+not_present+busy+failed ($M_MOVED+$M_SKIPPED+$M_ALREADY+$M_NOTPRESENT+$M_BUSY+$M_FAILED)"
}

# nmt_field KEY LINE: value of KEY=value in a line of words.
nmt_field() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1; }

nmt_verify_count() { grep -c '^VERIFY' "$H_OUT"; }

# helper_verify: SIGUSR1 the helper, wait for its next VERIFY line -> H_VERIFY.
helper_verify() {
	local before
	before=$(nmt_verify_count)
	kill -USR1 "$H_PID" || fail "cannot signal helper $H_PID (did it die?)"
	NMT_VBEFORE=$before
	wait_until "${VERIFY_WAIT:-120}" nmt_verify_more ||
		fail "helper printed no VERIFY line within ${VERIFY_WAIT:-120} s of SIGUSR1"
	H_VERIFY=$(grep '^VERIFY' "$H_OUT" | sed -n "$((before + 1))p")
	info "helper: $H_VERIFY"
}

nmt_verify_more() { [ "$(nmt_verify_count)" -gt "$NMT_VBEFORE" ] || ! proc_alive "$H_PID"; }

# helper_stop: SIGTERM the helper, wait for it. Sets H_RC and H_VERIFY (last
# VERIFY line) and fails the scenario unless it is "VERIFY ok" with status 0.
# helper_stop --any-status only collects them.
helper_stop() {
	kill -TERM "$H_PID" 2>/dev/null
	wait_until "${VERIFY_WAIT:-120}" nmt_helper_gone ||
		fail "helper $H_PID still running ${VERIFY_WAIT:-120} s after SIGTERM"
	wait "$H_BGPID"
	H_RC=$?
	H_VERIFY=$(grep '^VERIFY' "$H_OUT" | tail -n 1)
	info "helper exited with status $H_RC: $H_VERIFY"
	[ "$1" = --any-status ] && return 0
	assert_match '^VERIFY ok ' "$H_VERIFY" "helper's final pattern check (memory changed by the moves?)"
	assert_eq 0 "$H_RC" "helper's exit status after SIGTERM (stderr: $(cat "$H_ERR"))"
}

nmt_helper_gone() { ! proc_alive "$H_PID" && ! proc_alive "$H_BGPID"; }

# ---------------------------------------------------------------- numa_maps

# numa_maps_pages PID START LEN [NODE]: with NODE, the N<NODE>= pages summed
# over the VMAs overlapping [START, START+LEN); without, all nodes' pages.
numa_maps_pages() {
	local pid=$1 s=$(($2)) e=$(($2 + $3)) node=$4 range vs ve _
	while read -r range _; do
		vs=$((0x${range%-*}))
		ve=$((0x${range#*-}))
		[ "$ve" -gt "$s" ] && [ "$vs" -lt "$e" ] && echo "${range%-*}"
	done <"/proc/$pid/maps" >"$NMT_WORK/vmas"
	awk -v node="$node" 'NR == FNR { want[$1] = 1; next }
		($1 in want) {
			for (i = 2; i <= NF; i++) if ($i ~ /^N[0-9]+=/) {
				split(substr($i, 2), kv, "=")
				if (node == "" || kv[1] == node) sum += kv[2]
			}
		}
		END { print sum + 0 }' "$NMT_WORK/vmas" "/proc/$pid/numa_maps"
}

# numa_maps_percent PID START LEN NODE: share (0-100) of the range's VMA pages on NODE.
numa_maps_percent() {
	local on all
	on=$(numa_maps_pages "$1" "$2" "$3" "$4")
	all=$(numa_maps_pages "$1" "$2" "$3")
	awk -v a="$on" -v b="$all" 'BEGIN { if (b == 0) print 0; else printf "%.2f\n", 100 * a / b }'
}

# Spread checks (move_spread, auto_spread) on $W, an nmt-where line:
# rollup_huge PID: AnonHugePages (kB) of the whole process (smaps_rollup)
rollup_huge() { sed -n 's/^AnonHugePages: *\([0-9]*\) kB/\1/p' "/proc/$1/smaps_rollup"; }

# where_share NODE: percent (two decimals) of the present pages on NODE in $W
where_share() {
	awk -v a="$(nmt_field "n$1" "$W")" -v b="$(nmt_field present "$W")" \
		'BEGIN { if (b == 0) print -1; else printf "%.2f\n", 100 * a / b }'
}

# within SHARE WANT: SHARE is within 1 point of WANT
within() { awk -v s="$1" -v w="$2" 'BEGIN { d = s - w; exit !(d <= 1 && d >= -1) }'; }

# spread_plan: the spread these guests test, by memory nodes (sets spec,
# nodes, w0, w1: 4 nodes 0:3,2:1, DRAM and the CPU-less node 2; 2 nodes
# 0:1,1:1), after checking that THPs can be had (the spreads keep them whole).
spread_plan() {
	case $(count_words $(mem_nodes)) in
	4) spec=0:3,2:1 nodes="0 2" w0=75 w1=25 ;;
	2) spec=0:1,1:1 nodes="0 1" w0=50 w1=50 ;;
	*) fail "no spread planned for nodes $(mem_nodes)" ;;
	esac
	case $(cat /sys/kernel/mm/transparent_hugepage/enabled) in
	*'[never]'*) fail "THP disabled in the guest" ;;
	esac
}

# ---------------------------------------------------------------- runner

# nmt_header FILE KEY: words after "# KEY:" (or NEEDS_NODES= for nodes).
nmt_header() {
	local v
	v=$(sed -n "s/^#[[:space:]]*$2:[[:space:]]*//p" "$1" | head -n 1)
	if [ -z "$v" ] && [ "$2" = nodes ]; then
		v=$(sed -n 's/^NEEDS_NODES=["]*\([0-9 ]*\).*/\1/p' "$1" | head -n 1)
	fi
	echo "$v" | tr ',' ' '
}

# nmt_in WORD LIST...
nmt_in() {
	local w=$1 x
	shift
	for x in "$@"; do [ "$x" = "$w" ] && return 0; done
	return 1
}

# Reset what scenarios may change, so one cannot break the next.
nmt_reset_env() {
	local cg p
	[ -w /proc/sys/kernel/numa_balancing ] && echo 0 >/proc/sys/kernel/numa_balancing 2>/dev/null
	for cg in /sys/fs/cgroup/nmt*; do
		[ -d "$cg" ] || continue
		for p in $(cat "$cg/cgroup.procs" 2>/dev/null); do
			echo "$p" >/sys/fs/cgroup/cgroup.procs 2>/dev/null
		done
		rmdir "$cg" 2>/dev/null
	done
}

# Body of one scenario, inside its own session: nmt__body NAME
nmt__body() {
	NMT_NAME=$1
	NMT_STATE=$NMT_LOGDIR/$1.state
	NMT_WORK=$NMT_LOGDIR/$1.work
	export NMT_NAME NMT_STATE NMT_WORK
	mkdir -p "$NMT_WORK"
	chmod 777 "$NMT_WORK"
	cd "$NMT_WORK" || exit 1
	trap 'nmt_cleanup' EXIT
	trap 'echo "[$(nmt_now)] terminated (time-out)"; exit 143' TERM INT
	. "$NMT_SCENARIOS/$1.sh" || fail "cannot source $NMT_SCENARIOS/$1.sh"
	command -v "t_$1" >/dev/null 2>&1 || fail "$NMT_SCENARIOS/$1.sh defines no function t_$1"
	info "begin $1 on $(uname -r), memory nodes: $(mem_nodes)"
	"t_$1"
	local rc=$?
	[ -s "$NMT_STATE/failed" ] && exit 1
	[ "$rc" -eq 0 ] || fail "t_$1 returned $rc"
	info "end $1: pass"
	exit 0
}

# save_file NAME FILE: hands FILE back to the host. When the scenario ends
# (pass or fail) the runner prints it on the console between
# "NMTEST-FILE-BEGIN SCENARIO/NAME SIZE MD5" and "NMTEST-FILE-END SCENARIO/NAME"
# gzipped, as base64, and vm.sh writes it to build/vm/files/LEG/SCENARIO/NAME (LEG as
# 6.12-2n) and fails the leg if it came back damaged. NAME: letters, digits,
# . _ -. A NAME <schema>.<label>.json (one document) or .jsonl (one per line)
# is validated against docs/schema/<schema>.schema.json after the leg.
save_file() {
	case $1 in '' | .* | *[!A-Za-z0-9._-]*) fail "save_file: bad name '$1' (letters, digits, . _ -)" ;; esac
	[ -f "$2" ] || fail "save_file: $2 is not a file"
	mkdir -p "$NMT_STATE/files"
	cp "$2" "$NMT_STATE/files/$1" || fail "save_file: cannot copy $2 to $NMT_STATE/files"
}

# save_out NAME: save_file of $OUT (the stdout of the last run/assert_exit).
save_out() {
	printf '%s\n' "$OUT" >"$NMT_WORK/.save_out" || fail "save_out: cannot write $NMT_WORK"
	save_file "$1" "$NMT_WORK/.save_out"
}

# nmt_return_files NAME: prints the files scenario NAME saved (save_file).
nmt_return_files() {
	local f n
	for f in "$NMT_LOGDIR/$1.state/files"/*; do
		[ -f "$f" ] || continue
		n=$(basename "$f")
		echo "NMTEST-FILE-BEGIN $1/$n $(wc -c <"$f") $(md5sum <"$f" | cut -d' ' -f1)"
		gzip -c "$f" | base64	# JSON shrinks about tenfold: less console time
		echo "NMTEST-FILE-END $1/$n"
	done
}

nmt_print_log() {
	echo "----- log of $1 -----"
	sed 's/^/| /' "$NMT_LOGDIR/$1.log"
	echo "----- end of log of $1 -----"
}

# nmt_run_one NAME OPTIONAL(0/1): prints PASS/FAIL/SKIP, bumps the counters.
nmt_run_one() {
	local name=$1 optional=$2 file="$NMT_SCENARIOS/$1.sh" tmo pid ticks t0 t1 dt rc state reason
	tmo=$(nmt_header "$file" timeout)
	tmo=${NMT_TIMEOUT_OVERRIDE:-${tmo:-$NMT_DEFAULT_TIMEOUT}}
	state=$NMT_LOGDIR/$name.state
	rm -rf "$state" "$NMT_LOGDIR/$name.work"
	mkdir -p "$state"
	nmt_reset_env
	echo "RUN  $name"
	t0=$(nmt_now)
	setsid /bin/sh -c '. /nmtest/lib.sh && nmt__body "$0"' "$name" >"$NMT_LOGDIR/$name.log" 2>&1 </dev/null &
	pid=$!
	ticks=$((tmo * 5))
	while proc_alive "$pid" && [ "$ticks" -gt 0 ]; do
		sleep 0.2
		ticks=$((ticks - 1))
	done
	if proc_alive "$pid"; then
		echo "time-out after $tmo s" >"$state/timeout"
		kill -TERM "-$pid" 2>/dev/null
		ticks=25
		while proc_alive "$pid" && [ "$ticks" -gt 0 ]; do
			sleep 0.2
			ticks=$((ticks - 1))
		done
	fi
	kill -KILL "-$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	t1=$(nmt_now)
	dt=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }')
	nmt_return_files "$name"

	if [ -e "$state/timeout" ]; then
		NMT_FAILED=$((NMT_FAILED + 1))
		echo "FAIL $name (time-out after $tmo s; raise '# timeout:' in the scenario if it is just slow)"
		nmt_print_log "$name"
	elif [ -s "$state/failed" ] || { [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; }; then
		NMT_FAILED=$((NMT_FAILED + 1))
		reason=$(head -n 1 "$state/failed" 2>/dev/null)
		echo "FAIL $name (${reason:-exit status $rc}) in $dt s"
		nmt_print_log "$name"
	elif [ -e "$state/skipped" ] || [ "$rc" -eq 77 ]; then
		NMT_SKIPPED=$((NMT_SKIPPED + 1))
		reason=$(head -n 1 "$state/skipped" 2>/dev/null)
		if [ "$optional" = 1 ]; then
			echo "SKIP $name (${reason:-no reason given}) [optional]"
			[ "${NMT_VERBOSE:-0}" = 1 ] && nmt_print_log "$name"
		else
			NMT_SKIPPED_REQUIRED=$((NMT_SKIPPED_REQUIRED + 1))
			echo "SKIP $name (${reason:-no reason given})"
			nmt_print_log "$name"
		fi
	else
		NMT_PASSED=$((NMT_PASSED + 1))
		echo "PASS $name in $dt s"
		[ "${NMT_VERBOSE:-0}" = 1 ] && nmt_print_log "$name"
	fi
}

# nmt_main FILTER NODES: FILTER is "all" or a comma list; NODES the node count
# the guest was booted with (the topology the scenarios are selected for).
nmt_main() {
	local filter=${1:-all} nodes=$2 f name want opt names selected= asked kver
	[ -n "$nodes" ] || nodes=$(count_words $(mem_nodes))
	kver=$(uname -r | sed 's/^\([0-9]*\.[0-9]*\).*/\1/')
	NMT_PASSED=0 NMT_FAILED=0 NMT_SKIPPED=0 NMT_SKIPPED_REQUIRED=0
	mkdir -p "$NMT_LOGDIR"
	chmod 755 "$NMT_LOGDIR"
	names=$(echo "$filter" | tr ',' ' ')

	# Names asked for that do not exist are failures, not silent no-ops.
	if [ "$filter" != all ]; then
		for name in $names; do
			if [ ! -f "$NMT_SCENARIOS/$name.sh" ]; then
				echo "FAIL $name (no scenario tests/vm/scenarios/$name.sh)"
				NMT_FAILED=$((NMT_FAILED + 1))
			fi
		done
	fi

	# topology first: when the rig itself is wrong, say so before anything else.
	for f in "$NMT_SCENARIOS/topology.sh" "$NMT_SCENARIOS"/*.sh; do
		[ -f "$f" ] || continue
		name=$(basename "$f" .sh)
		nmt_in "$name" $selected && continue
		if [ "$filter" != all ] && ! nmt_in "$name" $names; then continue; fi
		want=$(nmt_header "$f" nodes)
		if [ -n "$want" ] && ! nmt_in "$nodes" $want; then
			asked=
			[ "$filter" != all ] && asked=1
			[ -n "$asked" ] && echo "NOTE $name not selected: it needs nodes: $want, this guest has $nodes"
			continue
		fi
		want=$(nmt_header "$f" kernels)
		if [ -n "$want" ] && ! nmt_in "$kver" $want; then
			[ "$filter" != all ] && echo "NOTE $name not selected: it runs on kernels: $want, this guest runs $kver"
			continue
		fi
		selected="$selected $name"
	done

	echo "NMTEST-PLAN nodes=$nodes scenarios:$selected"
	for name in $selected; do
		opt=0
		want=$(nmt_header "$NMT_SCENARIOS/$name.sh" optional)
		if nmt_in all $want || nmt_in "$nodes" $want; then opt=1; fi
		nmt_run_one "$name" "$opt"
	done
	nmt_reset_env

	echo "$NMT_PASSED passed, $NMT_FAILED failed, $NMT_SKIPPED skipped"
	NMT_RC=0
	[ "$NMT_FAILED" -eq 0 ] || NMT_RC=1
	[ "$NMT_SKIPPED_REQUIRED" -eq 0 ] || NMT_RC=1
	[ -n "$selected" ] || NMT_RC=1
	return "$NMT_RC"
}

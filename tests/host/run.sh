#!/usr/bin/env bash
# Host integration tests: run the real binary against the helper on this
# machine. Multi-node behaviour (pages that really move) is tested in the
# QEMU guests (tests/vm). Tests whose result depends on what the kernel
# allows (hooks, cgroups, node count) are pinned to the build machine's
# profile (build_machine below): on another machine they fail and say which
# fact differs, rather than accepting whichever outcome they see.
#
#   tests/host/run.sh build/numa-migrate
#
# Prints PASS/FAIL per test and a closing line "N passed, N failed".
# Environment: NMT_HOST_TESTS=a,b (only these tests), NMT_HOST_EXTRA=FILE
# (source FILE for more t_* tests: the runner's own self-test uses it),
# NMT_JSON (the nmt-json tool; built from tests/lib/nmt-json.c if unset).
#
# Each test runs in a subshell with errexit on (not as an `if` condition,
# where bash ignores errexit, nor inside command substitutions, which
# inherit it): any command that fails fails the test, and the log names it.
# Assertions and the JSON reader are tests/lib/assert.sh, shared with the
# guest scenarios.
set -uo pipefail

BIN=$(realpath "${1:-build/numa-migrate}")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/nm-host.XXXXXX)
TOP=$WORK
pass=0 fail=0 failed_names=()
helper_pid=

cleanup() {
	local p
	for p in $(cat "$TOP"/*/helper.pids 2>/dev/null); do
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$TOP"
}
trap cleanup EXIT

# The one JSON reader of the shell tests (the guest uses the same source).
if [ -z "${NMT_JSON:-}" ]; then
	NMT_JSON=$TOP/nmt-json
	cc -O2 -Wall -Wextra -Werror -o "$NMT_JSON" "$ROOT/tests/lib/nmt-json.c" -ljson-c ||
		{ echo "host: cannot build tests/lib/nmt-json.c (needs gcc and libjson-c-dev: tests/deps.sh)"; exit 2; }
fi
export NMT_JSON
# shellcheck source=tests/lib/assert.sh
. "$ROOT/tests/lib/assert.sh"

fail() { echo "assertion failed: $*" >&2; exit 1; }
die() { fail "$@"; }
info() { echo "$*" >&2; }

# run_test NAME: runs test function t_NAME in its own folder ($WORK and
# $NMT_WORK inside the test), output to a log shown on failure. Helpers a
# test leaves running (it failed before stop_helper) are killed after it,
# so they cannot touch the next test.
run_test() {
	local name=$1 log="$TOP/$1.log" dir="$TOP/$1" p rc
	mkdir -p "$dir"
	(
		WORK=$dir NMT_WORK=$dir
		set -eE
		shopt -s inherit_errexit
		trap 'echo "test stopped: command failed with status $? at line $LINENO: $BASH_COMMAND"' ERR
		"t_$name"
	) >"$log" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ]; then
		echo "PASS $name"; pass=$((pass + 1))
	else
		echo "FAIL $name (exit $rc)"; sed 's/^/    | /' "$log"
		fail=$((fail + 1)); failed_names+=("$name")
	fi
	for p in $(cat "$dir/helper.pids" 2>/dev/null); do
		kill -9 "$p" 2>/dev/null
	done
}

BAL=/proc/sys/kernel/numa_balancing
# hold_balancing V: kernel.numa_balancing is V for the rest of the test (its
# subshell); the value it had is written back when the test ends, whichever
# way. Fails the test when the sysctl is not writable here.
hold_balancing() {
	[ -w "$BAL" ] || die "$BAL is not writable on this host: the test needs it"
	bal_orig=$(cat "$BAL")	# not local: the EXIT trap reads it after the test
	trap 'echo "$bal_orig" >"$BAL"' EXIT
	echo "$1" >"$BAL"
}

# expect_exit CODE cmd...: runs cmd (assert_exit), sets $out and $err
expect_exit() {
	assert_exit "$@"
	out=$OUT err=$ERR
}
has() { assert_match "$2" "$1"; }
hasnt() { assert_nomatch "$2" "$1"; }

# build_machine: the facts of the machine these tests are pinned to (the
# build machine: kernel with BTF, no kprobes, fentry refused, cgroup v1,
# one NUMA node), read from the kernel, not from numa-migrate. A test whose
# outcome depends on them calls this first, so on another machine it fails
# naming the fact instead of passing on a different outcome.
build_machine() {
	local why=()
	[ -e /sys/kernel/btf/vmlinux ] || why+=("no /sys/kernel/btf/vmlinux (BTF expected)")
	! grep -qw register_kprobe /proc/kallsyms || why+=("the kernel has kprobes (register_kprobe in /proc/kallsyms; expected CONFIG_KPROBES unset)")
	[ "$(cat /sys/devices/system/node/has_memory)" = 0 ] ||
		why+=("memory nodes $(cat /sys/devices/system/node/has_memory) (expected node 0 only)")
	[ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ] ||
		why+=("/sys/fs/cgroup is cgroup v2 (expected the v1 layout)")
	[ ${#why[@]} -eq 0 ] ||
		fail "this test is pinned to the build machine's profile, and this machine differs: ${why[*]}; run it there, or pin a new profile"
}

start_helper() {
	# a fresh file: the wait below must not read the previous helper's line
	rm -f "$WORK/helper.out" "$WORK/helper.err"
	"$BIN" helper "$@" >"$WORK/helper.out" 2>"$WORK/helper.err" &
	helper_pid=$!
	echo "$helper_pid" >>"$WORK/helper.pids"
	for _ in $(seq 1 200); do
		grep -q '^HELPER ' "$WORK/helper.out" 2>/dev/null && break
		sleep 0.05
	done
	grep -q '^HELPER ' "$WORK/helper.out" || die "helper did not start: $(cat "$WORK/helper.err")"
	helper_line=$(grep '^HELPER ' "$WORK/helper.out")
	[ "$(field pid)" = "$helper_pid" ] && [ -n "$(field start)" ] ||
		die "helper $helper_pid printed an unexpected line: $helper_line"
}
stop_helper() {
	kill -TERM "$helper_pid"
	local rc=0
	wait "$helper_pid" || rc=$?
	[ "$rc" -eq 0 ] || echo "helper $helper_pid exited with status $rc: $(cat "$WORK/helper.err")"
	helper_pid=
	return $rc
}
field() { sed -n "s/.*[ ]$1=\\([^ ]*\\).*/\\1/p" <<<"$helper_line"; }


# ---- tests ------------------------------------------------------------------

t_helper_line() {
	start_helper --size 16M --node 0 --seed 7 --no-thp
	has "$helper_line" '^HELPER pid=[0-9]+ start=0x[0-9a-f]+ len=16777216 node=0 seed=7 thp=0$'
	[ "$(field pid)" = "$helper_pid" ] || die "pid field $(field pid) != $helper_pid"
	kill -USR1 "$helper_pid"; sleep 0.5
	has "$(cat "$WORK/helper.out")" '^VERIFY ok bytes=16777216 changed=0'
	stop_helper || die "helper exited non-zero"
	has "$(cat "$WORK/helper.out")" 'VERIFY ok .*final=1'
}

t_check_text() {
	start_helper --size 32M --node 0 --no-thp
	expect_exit 0 "$BIN" check --pid "$helper_pid" --range 32M --no-progress
	has "$out" '^Node 0: 100\.0% pages$'
	has "$out" "^pid $helper_pid \\(numa-migrate\\): 8192 pages examined"
	has "$out" 'numa_maps agrees with move_pages over 1 mapping\(s\) \(8192 pages\)'
	stop_helper
}

t_check_json_by_mapping() {
	start_helper --size 8M --node 0 --no-thp
	expect_exit 0 "$BIN" check --pid "$helper_pid" --json --by-mapping --exact
	assert_json "$out" "check --json"
	assert_eq "$helper_pid" "$(jget pid)" pid
	assert_eq 100 "$(jget nodes.0.percent)" "node 0 percent"
	start=$(field start)
	# the helper's region is one mapping with all 2048 pages present on node 0
	assert_eq 2048 "$(jfind mappings start "$start" nodes.0.pages)" "helper mapping (start $start) pages on node 0"
	assert_eq true "$(jget numa_maps_agrees)" "numa_maps_agrees (diff pages $(jget numa_maps_diff_pages))"
	stop_helper
}

# check's default reads numa_maps only (as numastat -p) and says so; its
# counts are the page-exact query's on an idle process, whole or by mapping;
# --batch without --exact is refused (it would be ignored).
t_check_default_numa_maps() {
	local present node0 start
	start_helper --size 32M --node 0 --no-thp
	expect_exit 0 "$BIN" check --pid "$helper_pid" --exact --json
	assert_eq page_exact "$(jget source)" "--exact's source"
	present=$(jget present); node0=$(jget nodes.0.pages)
	assert_ge "$present" 8192 "present pages with --exact (32M touched)"
	expect_exit 0 "$BIN" check --pid "$helper_pid" --json
	assert_json "$out" "check --json from numa_maps"
	assert_eq numa_maps "$(jget source)" "the default's source"
	assert_eq "$present" "$(jget present)" "present: numa_maps vs the page-exact query"
	assert_eq "$node0" "$(jget nodes.0.pages)" "node 0: numa_maps vs the page-exact query"
	assert_eq null "$(jget numa_maps_agrees)" "no cross-check from numa_maps"
	expect_exit 0 "$BIN" check --pid "$helper_pid" --no-progress
	has "$out" "^source: numa_maps \\(one read of /proc/$helper_pid/numa_maps, as numastat -p;"
	has "$out" "^pid $helper_pid \\(numa-migrate\\): [0-9]+ pages mapped"
	start=$(field start)
	expect_exit 0 "$BIN" check --pid "$helper_pid" --json --by-mapping
	assert_eq numa_maps "$(jget source)" "--by-mapping's source"
	assert_eq 8192 "$(jfind mappings start "$start" nodes.0.pages)" "helper mapping (start $start) on node 0, from numa_maps"
	assert_eq 8192 "$(jfind mappings start "$start" pages)" "helper mapping (start $start) pages"
	expect_exit 0 "$BIN" check --pid "$helper_pid" --range 32M --json
	assert_eq page_exact "$(jget source)" "--range implies --exact"
	expect_exit 1 "$BIN" check --pid "$helper_pid" --batch 8
	has "$err" '^ERROR: --batch needs --exact'
	# another user's process: numa_maps is refused as the maps are, exit 2
	expect_exit 2 setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN" check --pid "$helper_pid"
	has "$err" '^ERROR: permission denied: '
	stop_helper
}

t_check_csv() {
	start_helper --size 4M --node 0 --no-thp
	expect_exit 0 "$BIN" check --pid "$helper_pid" --range 4M --csv
	has "$out" '^pid,node,pages,bytes,percent,numa_maps_pages$'
	has "$out" "^$helper_pid,0,1024,4194304,100\\.0,1024$"
	stop_helper
}

t_seed_check() {
	start_helper --size 4M --node 0 --no-thp
	expect_exit 0 "$BIN" --pid "$helper_pid" --check
	has "$out" '^Node 0: [0-9]+\.[0-9]% pages$'
	stop_helper
}

t_move_to_same_node_is_noop() {
	start_helper --size 16M --node 0 --no-thp
	expect_exit 0 "$BIN" move --pid "$helper_pid" --range 16M --to-node 0 --verify --no-progress
	has "$out" '^Pages examined: 4096$'
	has "$out" '^Moved: 0$'
	has "$out" '^Already on target: 4096$'
	has "$out" '^Busy: 0$'
	has "$out" '^Failed: 0$'
	has "$out" '^Verification: 100\.0% on node 0$'
	stop_helper || die "pattern changed"
}

t_seed_move() {
	start_helper --size 16M --node 0 --no-thp
	# 1G is larger than the helper's region: clamped to the whole mapping
	expect_exit 0 "$BIN" --pid "$helper_pid" --range 1G --to-node 0 --verify
	has "$out" '^Pages examined: 4096$'
	has "$out" '^Moved: 0$'
	has "$out" '^Busy: 0$'
	has "$out" '^Failed: 0$'
	has "$out" '^Verification: 100\.0% on node 0$'
	has "$out" 'clamped'
	stop_helper
}

t_move_json() {
	start_helper --size 8M --node 0 --no-thp
	expect_exit 0 "$BIN" move --pid "$helper_pid" --range 8M --to-node 0 --verify --json
	assert_json "$out" "move --json"
	for k in pid pages moved busy failed target_node verification; do
		jget "$k" >/dev/null || die "missing key $k"
	done
	assert_eq 2048 "$(jget pages)" pages
	assert_eq 2048 "$(jget already_on_target)" already_on_target
	assert_eq 100 "$(jget verification.percent)" "verification percent"
	assert_eq 0 "$(jget exit_code)" exit_code
	# one job takes batches four times larger (each moving call has a
	# fixed cost); --batch given is kept; several jobs keep the default
	expect_exit 0 "$BIN" move --pid "$helper_pid" --range 8M --to-node 0 --json --jobs 1
	assert_eq "1 65536" "$(jget jobs) $(jget batch_pages)" "one job's batch"
	expect_exit 0 "$BIN" move --pid "$helper_pid" --range 8M --to-node 0 --json --jobs 1 --batch 512
	assert_eq "1 512" "$(jget jobs) $(jget batch_pages)" "one job with --batch 512"
	expect_exit 0 "$BIN" move --pid "$helper_pid" --range 8M --to-node 0 --json --jobs 2
	assert_eq "2 16384" "$(jget jobs) $(jget batch_pages)" "two jobs' batch"
	stop_helper
}

t_move_dry_run() {
	start_helper --size 8M --node 0 --no-thp
	expect_exit 0 "$BIN" move --pid "$helper_pid" --range 8M --to-node 0 --dry-run
	has "$out" '^Dry run: would move'
	has "$out" '^Would move: 0$'
	has "$out" '^Already on target: 2048$'
	stop_helper
}

t_seed_process_not_found() {
	pid=99999
	while kill -0 "$pid" 2>/dev/null; do pid=$((pid + 1)); done
	expect_exit 1 "$BIN" --pid "$pid" --range 1G --to-node 1
	has "$err" '^ERROR: process not found'
	expect_exit 1 "$BIN" check --pid "$pid"
	has "$err" '^ERROR: process not found'
}

t_bad_node() {
	start_helper --size 4M --node 0 --no-thp
	expect_exit 1 "$BIN" move --pid "$helper_pid" --to-node 63
	has "$err" 'node 63 does not exist or has no memory \(nodes with memory: '
	expect_exit 1 "$BIN" move --pid "$helper_pid" --to-node 64
	has "$err" "invalid --to-node '64'"
	stop_helper
}

t_move_spread_refusals() {
	# a spread names every node it uses: each must exist; one node named
	# twice or without a weight is a usage error; what needs one target
	# node (--explain, --pin-threads, diagnose) refuses a spread
	build_machine
	start_helper --size 4M --node 0 --no-thp
	expect_exit 1 "$BIN" move --pid "$helper_pid" --to-node 0:3,2:1
	has "$err" '^ERROR: invalid --to-node 2: node 2 does not exist or has no memory \(nodes with memory: 0\)'
	expect_exit 1 "$BIN" move --pid "$helper_pid" --to-node 0:3,0:1
	has "$err" "^ERROR: invalid --to-node '0:3,0:1': node 0 is named twice"
	expect_exit 1 "$BIN" move --pid "$helper_pid" --to-node 0:3,1 --json
	assert_json "$out" "move --json with a bad spread"
	has "$(jget error)" 'node 1 has no weight'
	expect_exit 1 "$BIN" diagnose --pid "$helper_pid" --to-node 0:1,1:1
	has "$err" '^ERROR: diagnose judges a move to one node, and --to-node names 2 \(a spread\)'
	# one pair is one node: moves as --to-node 0 does
	expect_exit 0 "$BIN" move --pid "$helper_pid" --to-node 0:5 --json
	assert_eq 0 "$(jnum target_node)" "target_node of --to-node 0:5"
	assert_eq null "$(jget spread || echo null)" "no spread member for one node"
	stop_helper
}

t_bad_range() {
	start_helper --size 4M --node 0 --no-thp
	expect_exit 1 "$BIN" move --pid "$helper_pid" --to-node 0 --range 0x2000-0x1000
	has "$err" "^ERROR: invalid range '0x2000-0x1000': END must be above START \\(--range\\)"
	expect_exit 1 "$BIN" move --pid "$helper_pid" --to-node 0 --range 0x1000-0x2000
	has "$err" 'no migratable mapping'
	expect_exit 1 "$BIN" move --pid "$helper_pid" --to-node 0 --range /no/such/file
	has "$err" '^ERROR: --range /no/such/file'
	stop_helper
}

t_range_rounding_reported() {
	start_helper --size 4M --node 0 --no-thp
	s=$(field start)
	expect_exit 0 "$BIN" move --pid "$helper_pid" --to-node 0 --range "$(printf '0x%x+100' $((s + 10)))"
	has "$out" 'Range rounded to pages'
	has "$out" '^Pages examined: 1$'
	stop_helper
}

t_malformed_arguments() {
	# each gets a one-line error naming the argument, and exit 1
	while read -r args; do
		# shellcheck disable=SC2086
		expect_exit 1 "$BIN" $args
		[ "$(wc -l <<<"$err")" -eq 1 ] || die "'$args': expected one error line, got: $err"
		has "$err" '^ERROR: '
	done <<'EOF'
move --pid 12x --to-node 0
move --pid -5 --to-node 0
move --pid 99999999999999999999 --to-node 0
move --pid 1 --to-node 1x
move --pid 1 --to-node -1
move --pid 1 --to-node 0 --from-node 3-1
move --pid 1 --to-node 0 --from-node 0,,1
move --pid 1 --to-node 0 --min-verified 101
move --pid 1 --to-node 0 --verify=abc
move --pid 1 --to-node 0 --range 12Q
move --pid 1 --to-node 0 --batch 0
move --pid 1
move --to-node 0
move --pid 1 --to-node 0 --json --csv
move --pid 1 --to-node 0 extra
move --bogus
helper --size 0
helper --size 99999999999T
helper --size 4M --node 99
frobnicate
EOF
}

t_helper_pattern_detects_change() {
	# the check must be able to fail: corrupt one byte through /proc/PID/mem
	start_helper --size 4M --node 0 --no-thp
	s=$(field start)
	printf '\xff' | dd of="/proc/$helper_pid/mem" bs=1 seek=$((s + 4096 + 3)) conv=notrunc status=none
	kill -USR1 "$helper_pid"; sleep 0.5
	has "$(cat "$WORK/helper.out")" "^VERIFY FAILED bytes=4194304 changed=1 first=$(printf '0x%x' $((s + 4099)))"
	if stop_helper; then die "helper exited 0 with a changed byte"; fi
}

t_help_man_completion_agree() {
	expect_exit 0 "$BIN" help --man
	man=$out
	expect_exit 0 "$BIN" help --bash-completion
	comp=$out
	bash -n <<<"$comp" || die "completion script is not valid bash"
	for cmd in check move helper; do
		expect_exit 0 "$BIN" "$cmd" --help
		for opt in $(grep -oE -- '--[a-z][a-z-]+' <<<"$out" | sort -u); do
			[ "$opt" = --help ] && continue
			grep -qF -- "${opt//-/\\-}" <<<"$man" || die "man page lacks $opt of $cmd"
			grep -qF -- "$opt" <<<"$comp" || die "completion lacks $opt of $cmd"
		done
	done
	has "$man" '^\.SH EXIT STATUS'
}

t_conflicting_options_refused() {
	# issue #11 point 9: options that would do nothing together are refused,
	# before anything runs, with exit 1 and one line naming both
	expect_exit 1 "$BIN" help --man --bash-completion
	has "$err" '^ERROR: .*--man.*--bash-completion'
	[ -z "$out" ] || die "help --man --bash-completion printed: $out"
	expect_exit 1 "$BIN" --pid $$ --check --verify
	has "$err" '^ERROR: .*--check.*--verify'
	expect_exit 1 "$BIN" features --json=1
	has "$err" '^ERROR: .*--json takes no argument'
	hasnt "$err" 'needs an argument'
}

t_other_user_needs_privilege() {
	# an unprivileged user may not query root's process
	command -v setpriv >/dev/null || die "setpriv missing (util-linux)"
	[ "$(id -u)" -eq 0 ] || { echo "not root: the test needs to start a root helper"; exit 1; }
	start_helper --size 4M --node 0 --no-thp
	expect_exit 2 setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN" move --pid "$helper_pid" --to-node 0
	has "$err" 'permission denied'
	has "$err" 'ptrace'
	has "$err" 'CAP_SYS_NICE'
	stop_helper
}

t_make_install() {
	# installs the binary, numa-migrate(8) and the completion under DESTDIR
	local top dest
	top=$(cd "$(dirname "$0")/../.." && pwd)
	dest=$WORK/inst
	make -s -C "$top" install DESTDIR="$dest" PREFIX=/usr >/dev/null 2>"$WORK/install.err" ||
		die "make install failed: $(cat "$WORK/install.err")"
	[ -x "$dest/usr/sbin/numa-migrate" ] || die "binary not installed"
	has "$(head -1 "$dest/usr/share/man/man8/numa-migrate.8")" '^\.TH NUMA-MIGRATE 8'
	bash -n "$dest/usr/share/bash-completion/completions/numa-migrate" || die "completion is not valid bash"
	has "$(bash -c ". $dest/usr/share/bash-completion/completions/numa-migrate; complete -p numa-migrate")" '_numa_migrate'
	expect_exit 0 "$dest/usr/sbin/numa-migrate" --help
	# the auto unit template, naming the installed binary
	unit="$dest/usr/lib/systemd/system/numa-migrate-auto@.service"
	[ -f "$unit" ] || die "numa-migrate-auto@.service not installed"
	has "$(cat "$unit")" '^ExecStart=/usr/sbin/numa-migrate auto --pid %i '
	# tests/deps.sh installs systemd, so the unit is always checked
	command -v systemd-analyze >/dev/null ||
		die "systemd-analyze not found: run tests/deps.sh (it installs systemd)"
	# an instance, as systemctl would start it; the binary and the man
	# page are under DESTDIR, not where the unit points
	cp "$unit" "$WORK/numa-migrate-auto@42.service"
	v=$(systemd-analyze verify "$WORK/numa-migrate-auto@42.service" 2>&1 |
		grep -v 'Command /usr/sbin/numa-migrate is not executable' | grep -v "man numa-migrate(8)" || true)
	[ -z "$v" ] || die "systemd-analyze verify: $v"
	hasnt "$(cat "$unit")" '@SBINDIR@'
	# the server-wide unit: auto --all with the same settings file
	unit="$dest/usr/lib/systemd/system/numa-migrate-auto.service"
	[ -f "$unit" ] || die "numa-migrate-auto.service not installed"
	has "$(cat "$unit")" '^ExecStart=/usr/sbin/numa-migrate auto --all .*\$NM_AUTO_ALL_OPTS$'
	has "$(cat "$unit")" '^EnvironmentFile=-/etc/default/numa-migrate-auto$'
	v=$(systemd-analyze verify "$unit" 2>&1 |
		grep -v 'Command /usr/sbin/numa-migrate is not executable' | grep -v "man numa-migrate(8)" || true)
	[ -z "$v" ] || die "systemd-analyze verify numa-migrate-auto.service: $v"
	has "$(cat "$top/dist/numa-migrate-auto.default")" '^NM_AUTO_ALL_OPTS=""$'
}

t_progress_bar_on_tty() {
	# a progress bar on stderr when it is a terminal, none otherwise
	command -v script >/dev/null || die "script(1) missing (bsdutils)"
	start_helper --size 64M --node 0 --no-thp
	script -qec "$BIN move --pid $helper_pid --range 64M --to-node 0 --batch 512 --jobs 1" \
		"$WORK/tty.log" >/dev/null
	has "$(cat "$WORK/tty.log")" '\[#+ *\] +[0-9.]+% '
	expect_exit 0 "$BIN" move --pid "$helper_pid" --range 64M --to-node 0 --batch 512
	hasnt "$err" '\[#'
	stop_helper
}

t_features() {
	# every hook has a known state, a missing one says why and what is
	# lost, the text names the same states as the JSON; and on the build
	# machine each hook is in the state its kernel gives it
	build_machine
	expect_exit 0 "$BIN" features --json
	assert_json "$out" "features --json"
	local json=$out n i name state detail lost
	n=$(jlen hooks)
	assert_ge "$n" 10 "number of hooks"
	for i in $(seq 0 $((n - 1))); do
		name=$(jget "hooks.$i.name" "$json")
		state=$(jget "hooks.$i.state" "$json")
		detail=$(jget "hooks.$i.detail" "$json" || echo null)
		lost=$(jget "hooks.$i.lost" "$json" || echo null)
		assert_match '^(attached|fallback|missing|available|absent)$' "$state" "state of $name"
		if [ "$state" = missing ]; then
			assert_ne null "$detail" "missing hook $name: its reason"
			assert_ne null "$lost" "missing hook $name: what is lost"
		else
			assert_eq null "$lost" "working hook $name: no loss"
		fi
		[ "$state" != fallback ] || assert_ne null "$detail" "fallback $name: what was refused"
	done
	# the build machine: tp_btf and tracepoints attach; no kprobes and
	# fentry refused, so the hinting-fault hook is missing, and so is the
	# fentry address hook: 6.18 has numa_migrate_check (refused with
	# EPERM, the addresses come from page_fault_user), not 6.1's
	# numa_migrate_prep (not tried: listed as absent from BTF)
	for name in migrate:mm_migrate_pages migrate:mm_migrate_pages_start \
		migrate:set_migration_pte migrate:remove_migration_pte \
		migrate:set_migration_pmd migrate:remove_migration_pmd page_fault_user \
		sched:sched_move_numa sched:sched_swap_numa sched:sched_stick_numa; do
		assert_eq attached "$(jfind hooks name "$name" state "$json")" "state of $name"
	done
	assert_eq raw_tp "$(jfind hooks name migrate:mm_migrate_pages via "$json")" "mm_migrate_pages attached via"
	assert_eq tp_btf "$(jfind hooks name page_fault_user via "$json")" "page_fault_user attached via"
	assert_eq missing "$(jfind hooks name task_numa_fault state "$json")" "state of task_numa_fault"
	assert_match 'fentry: .*EPERM.*kprobe: .*ENOENT' "$(jfind hooks name task_numa_fault detail "$json")" "task_numa_fault's reason"
	assert_eq absent "$(jfind hooks name numa_migrate_prep state "$json")" "state of numa_migrate_prep"
	assert_eq missing "$(jfind hooks name numa_migrate_check state "$json")" "state of numa_migrate_check"
	assert_match '^fentry: .*EPERM' "$(jfind hooks name numa_migrate_check detail "$json")" "numa_migrate_check's reason"
	assert_match 'page_fault_user' "$(jfind hooks name numa_migrate_check lost "$json")" "what numa_migrate_check's loss costs"
	assert_eq true "$(jget btf "$json")" "btf flag"
	expect_exit 0 "$BIN" features
	for name in migrate:mm_migrate_pages task_numa_fault page_fault_user; do
		has "$out" "^$name +$(jfind hooks name "$name" state "$json") "
	done
}


t_features_damon() {
	# features lists DAMON as /sys says it is, read here independently; on
	# the build machine one kdamond is configured and running (someone
	# else's): features says numa-migrate cannot use it, and leaves it alone
	build_machine
	local adm=/sys/kernel/mm/damon/admin/kdamonds kpid state
	[ -r "$adm/nr_kdamonds" ] || fail "build machine profile: $adm/nr_kdamonds expected (DAMON sysfs)"
	assert_eq 1 "$(cat "$adm/nr_kdamonds")" "build machine profile: kdamonds configured"
	state=$(cat "$adm/0/state")
	assert_eq on "$state" "build machine profile: kdamond 0 state"
	kpid=$(cat "$adm/0/pid")
	expect_exit 0 "$BIN" features --json
	assert_json "$out" "features --json"
	assert_eq true "$(jget damon.present)" "damon.present"
	assert_eq true "$(jget damon.sysfs)" "damon.sysfs"
	assert_eq 1 "$(jnum damon.nr_kdamonds)" "damon.nr_kdamonds"
	assert_eq 1 "$(jnum damon.running)" "damon.running"
	assert_eq "$kpid" "$(jnum damon.running_pid)" "damon.running_pid"
	assert_eq false "$(jget damon.usable)" "damon.usable"
	assert_match 'someone else' "$(jget damon.why)" "damon.why"
	expect_exit 0 "$BIN" features
	has "$out" "^DAMON: yes; sysfs interface yes; kdamonds configured 1, running 1 \(kdamond pid $kpid\)"
	has "$out" '^  usable: no: 1 kdamond\(s\) already configured by someone else'
	# not disturbed: the same kdamond, still on
	assert_eq on "$(cat "$adm/0/state")" "kdamond 0 state after features"
	assert_eq "$kpid" "$(cat "$adm/0/pid")" "kdamond 0 pid after features"
	assert_eq 1 "$(cat "$adm/nr_kdamonds")" "kdamonds after features"
	# so auto --demote-cold's cold sensor here is hinting faults, and says why
	expect_exit 0 "$BIN" features --json
	assert_eq faults "$(jget cold_sensor.name)" "cold_sensor.name"
	assert_match 'DAMON is not usable here \(1 kdamond\(s\) already configured by someone else' \
		"$(jget cold_sensor.why)" "cold_sensor.why"
	assert_match 'when NUMA balancing scans' "$(jget cold_sensor.trust)" "cold_sensor.trust"
	expect_exit 0 "$BIN" features
	has "$out" "^auto --demote-cold's cold sensor here: faults: DAMON is not usable here"
	expect_exit 1 "$BIN" auto --pid 1 --demote-cold 3 --cold-sensor idle
	has "$err" 'expected auto, damon or faults'
	expect_exit 1 "$BIN" auto --pid 1 --cold-sensor damon
	has "$err" 'demote-cold'
}
t_trace_samples_without_hinting_faults() {
	# the build machine cannot hook hinting faults (no kprobes, fentry
	# refused): trace still samples placement and says which hook failed
	build_machine
	start_helper --size 16M --node 0 --no-thp
	expect_exit 0 "$BIN" trace --pid "$helper_pid" --duration 1 --json --svg "$WORK/heat.svg"
	assert_json "$out" "trace --json"
	for k in pid duration_s hint_faults dropped samples regions kernel_migrations; do
		jget "$k" >/dev/null || die "trace JSON lacks $k"
	done
	assert_eq "$helper_pid" "$(jget pid)" pid
	s=$(printf '0x%x' "$(field start)")
	assert_eq 512 "$(jfind regions start "$s" pages_by_node.0)" "pages on node 0 of the helper's first 2 MiB region ($s)"
	has "$err" 'hinting faults unavailable \(fentry: .*; kprobe: .*\)'
	head -c 200 "$WORK/heat.svg" | grep -q '<svg' || die "no SVG written"
	xmllint --noout "$WORK/heat.svg" || die "SVG is not well-formed XML"
	stop_helper
}

t_diagnose_one_node_host() {
	# the one-node build machine: findings, a verdict, never a crash; it
	# says there is nowhere to move, and a node that does not exist blocks
	# (exit 3)
	build_machine
	start_helper --size 16M --node 0 --no-thp
	expect_exit 0 "$BIN" diagnose --pid "$helper_pid"
	has "$out" "^Diagnosis of pid $helper_pid "
	has "$out" '^Verdict: '
	has "$out" 'numa_balancing: kernel.numa_balancing='
	expect_exit 0 "$BIN" diagnose --pid "$helper_pid" --to-node 0 --json
	assert_json "$out" "diagnose --json"
	assert_eq ok "$(jget verdict)" verdict
	assert_eq ok "$(jfind findings id cpuset severity)" "cpuset finding"
	assert_ge "$(jget facts.pages.present)" 4096 "pages present"
	assert_eq info "$(jfind findings id nodes severity)" "nodes finding"
	has "$(jfind findings id nodes what)" 'only one NUMA node'
	expect_exit 3 "$BIN" diagnose --pid "$helper_pid" --to-node 1 --json
	assert_eq true "$(jfind findings id nodes blocks)" "node 1 blocks"
	assert_eq 3 "$(jget exit_code)" exit_code
	stop_helper
}

t_diagnose_counts_shared_pages_after_fork() {
	# pagemap's exclusive bit: a forked child shares the buffer copy-on-write,
	# which move_pages refuses without --all; without the child it is private
	start_helper --size 16M --node 0 --no-thp
	expect_exit 0 "$BIN" diagnose --pid "$helper_pid" --range 16M --json
	assert_eq 0 "$(jget facts.pages.shared)" "shared pages of a private buffer"
	stop_helper
	start_helper --size 16M --node 0 --no-thp --fork-child
	expect_exit 0 "$BIN" diagnose --pid "$helper_pid" --range 16M --json
	assert_eq 4096 "$(jget facts.pages.shared)" "shared pages after fork"
	assert_eq warn "$(jfind findings id shared severity)" "shared finding"
	has "$(jfind findings id shared fix)" '--all'
	stop_helper
}

t_move_explain_and_pin_threads() {
	start_helper --size 16M --node 0 --no-thp --threads 2 --access-node 0
	local before; before=$(taskset -p "$helper_pid" | sed 's/.*: //')
	expect_exit 0 "$BIN" move --pid "$helper_pid" --to-node 0 --explain --pin-threads --json
	assert_json "$out" "move --explain --pin-threads --json"
	assert_ge "$(jget pin_threads.threads)" 3 "threads"
	assert_eq "$(jget pin_threads.threads)" "$(jget pin_threads.pinned)" "pinned threads"
	has "$(jget pin_threads.undo)" "^taskset -a -p -c [0-9,-]+ $helper_pid\$"
	assert_eq 0 "$(jget explain.diagnosis.target_node)" "diagnosis target node"
	assert_eq array "$(jtype explain.causes)" "explain.causes"
	# the undo command restores what was there
	eval "$(jget pin_threads.undo)" >/dev/null
	[ "$(taskset -p "$helper_pid" | sed 's/.*: //')" = "$before" ] || die "undo did not restore $before"
	expect_exit 0 "$BIN" move --pid "$helper_pid" --to-node 0 --explain
	has "$out" '^Diagnosis of pid '
	expect_exit 1 "$BIN" move --pid "$helper_pid" --to-node 0 --dry-run --pin-threads
	has "$err" 'dry-run'
	stop_helper
}

# A paced move runs on the CPUs none of the process's running threads may
# run on, without pauses (docs/move.md): beside an unconfined busy thread it
# stays where it runs; with the thread confined to the last CPU it takes the
# others; --mover-any-cpu keeps it where it runs.
t_move_paced_off_process_cpus() {
	local n
	n=$(nproc)
	[ "$n" -ge 2 ] || fail "this test needs 2 CPUs or more (nproc: $n): confining the process must leave one free"
	start_helper --size 16M --node 0 --no-thp --threads 1 --access-node 0
	expect_exit 0 "$BIN" move --pid "$helper_pid" --to-node 0 --max-stall 5 --json
	assert_json "$out" "move --max-stall --json"
	! jget mover_cpus "$out" >/dev/null || die "mover_cpus beside an unconfined thread: $(jget mover_cpus "$out")"
	taskset -a -p -c $((n - 1)) "$helper_pid" >/dev/null
	sleep 0.2	# the busy thread is on its CPU
	# 4 batches for 2 jobs: one job a CPU of its own
	expect_exit 0 "$BIN" move --pid "$helper_pid" --to-node 0 --max-stall 5 --batch 1024 --jobs 2 --json
	assert_eq "$( [ "$n" -eq 2 ] && echo 0 || echo "0-$((n - 2))")" "$(jget mover_cpus "$out")" \
		"the CPUs of a paced move beside a thread confined to CPU $((n - 1))"
	assert_eq 0 "$(jget paused_seconds "$out")" "paused_seconds"
	assert_eq $((n - 1 < 2 ? n - 1 : 2)) "$(jget jobs "$out")" "jobs on $((n - 1)) CPUs of its own"
	expect_exit 0 "$BIN" move --pid "$helper_pid" --to-node 0 --max-stall 5
	has "$out" "paced calls on CPUs [0-9,-]+, where the process's running threads may not run, without pauses"
	expect_exit 0 "$BIN" move --pid "$helper_pid" --to-node 0 --max-stall 5 --mover-any-cpu --json
	! jget mover_cpus "$out" >/dev/null || die "mover_cpus under --mover-any-cpu: $(jget mover_cpus "$out")"
	stop_helper
}

t_diagnose_watch_traces() {
	# --watch attaches the migration events (the build machine's 6.18: tp_btf
	# works) and reports what moved
	build_machine
	start_helper --size 16M --node 0 --no-thp
	expect_exit 0 "$BIN" diagnose --pid "$helper_pid" --watch 1 --json
	assert_json "$out" "diagnose --watch --json"
	assert_eq int "$(jtype watch.attribution.events)" "type of watch.attribution.events"
	assert_eq null "$(jget watch.why)" "watch.why (a reason for not tracing)"
	assert_eq 1 "$(jget watch.seconds)" watch.seconds
	expect_exit 0 "$BIN" move --pid "$helper_pid" --to-node 0 --verify=1 --explain
	has "$out" '^Drift: 0 pages left node 0 after 1 s'
	has "$out" '^Drift causes \(kernel migrations traced: [0-9]+ events, 0 pages left node 0'
	stop_helper
}

t_move_policy_bind_refused_on_cgroup_v1() {
	# the build machine mounts the v1 hierarchy at /sys/fs/cgroup: exit 3
	# with the reason and the numactl alternative, nothing changed. (The
	# cgroup v2 path, where the helper lands in a cpuset child and the undo
	# command puts it back, is the guest scenario policy_sticks.)
	build_machine
	start_helper --size 8M --node 0 --no-thp
	local before; before=$(grep '^0::' "/proc/$helper_pid/cgroup")
	expect_exit 3 "$BIN" move --pid "$helper_pid" --to-node 0 --policy bind --json
	has "$err" '^ERROR: --policy bind: .*cgroup v2.*numactl --membind=0'
	assert_json "$out" "move --policy bind --json"
	has "$(jget error)" 'numactl --membind=0'
	[ "$(grep '^0::' "/proc/$helper_pid/cgroup")" = "$before" ] || die "cgroup changed on failure"
	expect_exit 1 "$BIN" move --pid "$helper_pid" --to-node 0 --policy preferred
	has "$err" 'numactl --preferred'
	expect_exit 1 "$BIN" move --pid "$helper_pid" --to-node 0 --policy bind --dry-run
	stop_helper
}

t_diagnose_errors() {
	expect_exit 1 "$BIN" diagnose
	has "$err" 'needs --pid'
	expect_exit 1 "$BIN" diagnose --pid 4194303
	has "$err" 'process not found'
	[ "$(id -u)" -eq 0 ] || { echo "not root: the test needs to start a root helper"; exit 1; }
	start_helper --size 4M --node 0 --no-thp
	expect_exit 2 setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN" diagnose --pid "$helper_pid"
	has "$err" 'permission denied'
	stop_helper
}

# The heat map as a reader sees it, in headless Chromium (tests/host/
# svgcheck.sh: parses as SVG; title, a legend per colour scale, node and
# region labels with real boxes inside the viewBox; text >= 10 px and dark
# enough; no text over another or over a panel). Checked: the SVG of a real
# session here (one node), the synthetic two-node sample (misplaced regions,
# hostile and long names, time windows: test_heatsvg --sample) and the guest
# example in docs/. Broken copies of the sample must fail, each for its
# reason, so the check can fail.
t_trace_svg_readable_in_chromium() {
	local sample out rc s
	sample=$(dirname "$BIN")/tests/test_heatsvg
	[ -x "$sample" ] || die "$sample missing (make builds it before host-test)"
	start_helper --size 32M --node 0 --no-thp
	expect_exit 0 "$BIN" trace --pid "$helper_pid" --duration 1 --svg "$WORK/host.svg"
	stop_helper
	"$sample" --sample "$WORK/sample.svg" || die "test_heatsvg --sample failed"
	s=$WORK/sample.svg
	head -c 20000 "$s" >"$WORK/truncated.svg"
	sed 's/<text id="title"[^>]*>[^<]*<\/text>//' "$s" >"$WORK/untitled.svg"
	sed 's/<g class="legend" id="legend-placement">/<g class="legend">/' "$s" >"$WORK/nolegend.svg"
	sed 's/font-size="11"/font-size="7"/' "$s" >"$WORK/tiny.svg"
	# the second region's label drawn on the first's line
	sed "$(grep -o 'class="region-label" x="10" y="[0-9]*"' "$s" | sed -n '1{s/.*y="\([0-9]*\)"/\1/;h};2{s/.*y="\([0-9]*\)"/s|class="region-label" x="10" y="\1"|/;G;s/\n\(.*\)/class="region-label" x="10" y="\1"|/;p}')" \
		"$s" >"$WORK/overlap.svg"
	cmp -s "$s" "$WORK/overlap.svg" && die "the overlap variant changed nothing"
	rc=0
	out=$("$ROOT/tests/host/svgcheck.sh" "$WORK/host.svg" "$s" "$ROOT/docs/heatmap-example.svg" \
		"$WORK"/{truncated,untitled,nolegend,tiny,overlap}.svg) || rc=$?
	echo "$out"
	[ "$rc" = 1 ] || die "svgcheck.sh exited $rc, want 1 (the broken copies fail)"
	has "$out" '^SVGCHECK host\.svg OK texts=[0-9]+ regions=[1-9][0-9]* marks=0 legends=4$'
	has "$out" '^SVGCHECK sample\.svg OK texts=[0-9]+ regions=34 marks=20 legends=4$'
	has "$out" '^SVGCHECK heatmap-example\.svg OK texts=[0-9]+ regions=[1-9][0-9]* marks=[1-9][0-9]* legends=4$'
	has "$out" '^SVGCHECK truncated\.svg FAIL not well-formed SVG'
	has "$out" '^SVGCHECK untitled\.svg FAIL no title'
	has "$out" '^SVGCHECK nolegend\.svg FAIL no legend of the placement scale'
	has "$out" '^SVGCHECK tiny\.svg FAIL .*is 7px \(< 10px\)'
	has "$out" '^SVGCHECK overlap\.svg FAIL texts overlap: "0x7effffc00000 '
}

t_auto_degrades() {
	# auto on the one-node build machine explains that there is nothing to
	# do and exits 4 (two nodes: the guest scenarios auto_*)
	start_helper --size 16M --node 0 --no-thp
	build_machine
	expect_exit 4 "$BIN" auto --pid "$helper_pid" --duration 1
	has "$err" 'single NUMA node'
	has "$err" "pid $helper_pid"
	[ -z "$out" ] || die "no report expected on stdout, saw: $out"
	expect_exit 4 "$BIN" auto --pid "$helper_pid" --duration 1 --json
	has "$(jget error)" 'single NUMA node'
	# argument errors come first and exit 1, whatever the host
	expect_exit 1 "$BIN" auto --pid "$helper_pid" --share 50
	has "$err" "invalid --share '50'"
	expect_exit 1 "$BIN" auto --pid "$helper_pid" --csv
	has "$err" "unknown option '--csv'"
	expect_exit 1 "$BIN" auto --pid 4194304
	has "$err" 'not found|does not exist'
	# the option table drives --help and the man page
	expect_exit 0 "$BIN" auto --help
	for o in interval share min-samples stable cooldown reserve max-rate mapping-quorum demote-cold log metrics daemon pid-file; do
		has "$out" "--$o"
	done
	has "$out" '^4 '
	stop_helper
}

# auto --spread on the one-node build machine (issue #16 point 2): the
# errors (a node without memory, a weight, overlapping spreads, a range or
# an address outside the process, --all), each naming the spread, the cause
# and the fix; and a spread over node 0 only, which is valid here: auto runs
# (no hinting faults needed: nothing can be remote), finds the split reached,
# moves nothing, re-applies nothing, and restores kernel.numa_balancing.
t_auto_spread_one_node() {
	build_machine
	local s bal pages
	start_helper --size 16M --node 0 --no-thp
	s=$(field start)
	pages=$(($(field len) / 4096))
	bal=$(cat /proc/sys/kernel/numa_balancing)
	expect_exit 1 "$BIN" auto --pid "$helper_pid" --spread "$s+16M=0:1,1:1"
	has "$err" "^ERROR: --spread $s\\+16M=0:1,1:1: node 1 has no memory on this host \\(pid $helper_pid may use nodes 0 with memory\\); name only those nodes"
	expect_exit 1 "$BIN" auto --pid "$helper_pid" --spread "$s+16M=0:0" --json
	assert_json "$out" "a refused --spread in JSON mode"
	has "$(jget error)" "^invalid --spread '$s\\+16M=0:0': spread '0:0': weight '0' of node 0: expected 1-1000; write WHERE=SPREAD"
	expect_exit 1 "$BIN" auto --pid "$helper_pid" --spread "$s+8M=0" --spread "$s=0"
	has "$err" "^ERROR: --spread $s\\+8M=0 and --spread $s=0 overlap at $s: a page can follow one spread only; make the ranges disjoint"
	expect_exit 1 "$BIN" auto --pid "$helper_pid" --spread "0x1000+4K=0"
	has "$err" "^ERROR: --spread 0x1000\\+4K=0: range 0x1000-0x2000 covers no migratable mapping .* of pid $helper_pid; pick a range or an address inside its mappings \\('numa-migrate check --pid $helper_pid --by-mapping'"
	expect_exit 1 "$BIN" auto --pid "$helper_pid" --spread "0x1000=0"
	has "$err" "^ERROR: --spread 0x1000=0: address 0x1000 is inside no mapping of the process of pid $helper_pid"
	expect_exit 1 "$BIN" auto --all --spread "$s=0"
	has "$err" "^ERROR: --spread and --all exclude each other \\(a spread names addresses, which belong to one process"
	# refused before anything changed
	assert_eq "$bal" "$(cat /proc/sys/kernel/numa_balancing)" "kernel.numa_balancing after the refusals"
	# a spread over node 0 only: a no-op, reported
	expect_exit 0 "$BIN" auto --pid "$helper_pid" --spread "$s+16M=0" --interval 1 --duration 2 \
		--enable-balancing --json --log "$WORK/spread.log"
	assert_json "$out" "auto --spread --json"
	assert_eq 1 "$(jlen spreads)" "spreads"
	assert_eq "$s+16M" "$(jget spreads.0.where)" "spreads.0.where"
	assert_eq 0:1 "$(jget spreads.0.split.spec)" "spreads.0.split.spec (a bare node has weight 1)"
	assert_eq 100.00 "$(jget spreads.0.split.achieved.0)" "achieved share of node 0"
	assert_eq "$pages" "$(jget spreads.0.split.present)" "present pages of the spread"
	assert_eq true "$(jget spreads.0.split.within_tolerance)" "within_tolerance"
	assert_eq 0 "$(jget spreads.0.reapplied)" "re-applications"
	assert_eq 0 "$(jget spreads.0.pages_moved)" "pages moved for the spread"
	assert_eq duration "$(jget ended_by)" "ended_by"
	assert_eq 1 "$(grep -c '"type":"spread"' "$WORK/spread.log")" "spread lines in the log (the first application only)"
	has "$(grep '"type":"spread"' "$WORK/spread.log")" '"interval":-1,.*"event":"apply","seen":null,"moved":0,"failed":0,'
	assert_eq "$bal" "$(cat /proc/sys/kernel/numa_balancing)" "kernel.numa_balancing restored"
	# text: the spread's lines in the report
	expect_exit 0 "$BIN" auto --pid "$helper_pid" --spread "$s=0" --duration 1 --enable-balancing
	has "$out" "^  Spread $s=0:1: 0 re-applications, 0 pages moved, 0 failed$"
	has "$out" "^  achieved \\(of $pages present pages\\): node 0 100.00% \\($pages pages\\)$"
	stop_helper
}
# auto --all on the one-node build machine (issue #13 points 2 and 3): it
# lists and locks the eligible processes, drops one that exits with its line,
# leaves --exclude alone, exits 4 (nothing can move), changes nothing; while
# it runs, a second auto on one of its processes refuses, naming it.
t_auto_all_one_node() {
	build_machine
	local bal a b c bg lock n
	bal=$(cat /proc/sys/kernel/numa_balancing)
	start_helper --size 80M --node 0 --no-thp; a=$helper_pid
	start_helper --size 80M --node 0 --no-thp; b=$helper_pid
	start_helper --size 80M --node 0 --no-thp; c=$helper_pid
	"$BIN" auto --all --min-size 70M --exclude "$b" --interval 1 --duration 6 \
		--log "$WORK/all.log" >"$WORK/all.out" 2>"$WORK/all.err" &
	bg=$!
	echo "$bg" >>"$WORK/helper.pids"
	lock=/run/numa-migrate/pid-$a.lock
	for _ in $(seq 1 100); do
		[ -e "$lock" ] && [ -e "/run/numa-migrate/pid-$c.lock" ] && break
		sleep 0.05
	done
	[ -e "$lock" ] || die "no lock $lock after 5 s: $(cat "$WORK/all.err")"
	[ ! -e "/run/numa-migrate/pid-$b.lock" ] || die "--exclude $b was locked"
	# diagnose names the lock holder as an agent, with the fix
	expect_exit 0 "$BIN" diagnose --pid "$a" --json
	has "$out" "\"id\": \"agents\","
	has "$out" "\"what\": \"another numa-migrate auto \\(pid $bg\\) manages pid $a \\(it holds /run/numa-migrate/pid-$a.lock\\)"
	has "$out" "\"fix\": \"leave the process to it, or stop it first \\(kill $bg\\)\""
	expect_exit 0 "$BIN" diagnose --pid "$b"
	hasnt "$out" "pid $bg"
	# a second auto on a managed process refuses, naming the holder
	expect_exit 1 "$BIN" auto --pid "$a" --duration 1
	has "$err" "pid $a is managed by another numa-migrate auto already: pid $bg \\([^)]*auto --all"
	has "$err" "kill $bg"
	# a second auto --all skips it and says why
	expect_exit 4 "$BIN" auto --all --min-size 70M --exclude "$b,$c" --duration 1 --json
	assert_json "$out" "second auto --all"
	mkdir -p "$WORK/all-schema"
	printf '%s\n' "$out" >"$WORK/all-schema/auto-all.second.json"
	# ... and warns of the first as an agent, in text and JSON
	has "$err" "other placement agent: another numa-migrate auto --all \\(pid $bg\\)"
	assert_eq auto "$(jfind agents pid "$bg" kind)" "agents: the first auto --all"
	has "$(jfind skipped pid "$a" why)" "another numa-migrate auto: pid $bg "
	# C exits mid-run: dropped with its report line
	helper_pid=$c; stop_helper
	wait "$bg" || rc=$?
	assert_eq 4 "${rc:-0}" "auto --all exit status (one node: nothing can move)"
	out=$(cat "$WORK/all.out")
	has "$out" "^ +$a numa-migrate +managed +0 "
	has "$out" "^ +$c numa-migrate +exited +0 "
	hasnt "$out" "^ +$b "
	has "$out" 'one node with memory: nothing can move'
	has "$out" '^  Bound: at most [0-9]+ processes at once'
	has "$(cat "$WORK/all.log")" "\"type\":\"summary\".*\"pid\":$c|\"pid\":$c.*\"type\":\"summary\""
	has "$(head -n 1 "$WORK/all.log")" '^\{"type":"agents","target":null,"agents":\['
	cp "$WORK/all.log" "$WORK/all-schema/auto-log.all.jsonl"
	# nothing left changed
	[ ! -e "$lock" ] || die "lock $lock left behind"
	assert_eq "$bal" "$(cat /proc/sys/kernel/numa_balancing)" "kernel.numa_balancing"
	# JSON: one document, the processes and the totals
	start_helper --size 80M --node 0 --no-thp; c=$helper_pid
	expect_exit 4 "$BIN" auto --all --min-size 70M --exclude "$b" --duration 2 --json \
		--metrics "$WORK/all.prom" --top 1
	assert_json "$out" "auto --all --json"
	printf '%s\n' "$out" >"$WORK/all-schema/auto-all.one-node.json"
	schema_expect_valid "$WORK/all-schema" "$((2 + $(grep -c . "$WORK/all.log")))"
	# metrics: totals (A, C and whatever else of 70M runs here), and
	# per-process series for --top 1 only
	n=$(jnum totals.processes_managed)
	assert_ge "$n" 2 "processes managed (A and C at least)"
	has "$(cat "$WORK/all.prom")" "^numa_migrate_auto_all_processes $n\$"
	assert_eq 1 "$(grep -c '^numa_migrate_auto_all_process_pages_moved_total{pid=' "$WORK/all.prom")" "labelled series with --top 1"
	assert_eq managed "$(jfind processes pid "$c" state)" "state of $c"
	assert_eq managed "$(jfind processes pid "$a" state)" "state of $a"
	assert_eq 0 "$(jfind processes pid "$a" pages_moved)" "pages_moved of $a"
	assert_eq numa-migrate "$(jfind processes pid "$a" comm)" "comm of $a"
	assert_eq true "$(jget totals.single_node)" "totals.single_node"
	assert_eq 4 "$(jget totals.exit_code)" "totals.exit_code"
	assert_eq 0 "$(jget totals.pages_moved)" "totals.pages_moved"
	hasnt "$out" "\"pid\": $b,"
	helper_pid=$a; stop_helper
	helper_pid=$b; stop_helper
	helper_pid=$c; stop_helper
}

t_auto_all_bad_arguments() {
	expect_exit 1 "$BIN" auto --all --pid 1
	has "$err" '--all and --pid exclude each other'
	expect_exit 1 "$BIN" auto --pid 1 --exclude 2
	has "$err" '--exclude needs --all'
	expect_exit 1 "$BIN" auto --all --exclude 12,x
	has "$err" "invalid --exclude '12,x'"
	expect_exit 1 "$BIN" auto --all --range heap
	has "$err" '--all and --range exclude each other'
}

# The runner itself (issue #11.12): a command failing in the middle of a
# test fails that test, wherever it is: a plain command, a command
# substitution, a function's non-zero return (stop_helper's pattern check).
t_runner_fails_mid_test_failures() {
	cat >"$WORK/extra.sh" <<'EOF'
t_selftest_plain() { false; echo reached >"$SELFTEST_DIR/plain.reached"; }
t_selftest_subst() { local x; x=$(false; echo late); echo reached >"$SELFTEST_DIR/subst.reached"; }
t_selftest_func() { check() { return 3; }; check; echo reached >"$SELFTEST_DIR/func.reached"; }
t_selftest_assert() { v=$(jnum nodes.0 '{"nodes":["x"]}'); echo reached >"$SELFTEST_DIR/assert.reached"; }
t_selftest_pass() { assert_eq 2 "$(jget a.1 '{"a":[1,2]}')"; }
EOF
	run env SELFTEST_DIR="$WORK" NMT_HOST_EXTRA="$WORK/extra.sh" \
		NMT_HOST_TESTS=selftest_plain,selftest_subst,selftest_func,selftest_assert,selftest_pass \
		bash "$ROOT/tests/host/run.sh" "$BIN"
	assert_eq 1 "$RC" "the runner's exit status with failing tests"
	for t in plain subst func assert; do
		has "$OUT" "^FAIL selftest_$t "
		[ ! -e "$WORK/$t.reached" ] || die "selftest_$t ran on after its failing command"
	done
	has "$OUT" '^PASS selftest_pass$'
	has "$OUT" 'test stopped: command failed with status 1 at line 1: false'
	has "$OUT" "assertion failed: JSON 'nodes.0' is 'x', not a number"
	has "$OUT" '^1 passed, 4 failed$'
}

# The guest's lib.sh under busybox ash (as in the initramfs, with the shared
# tests/lib/assert.sh beside it): its JSON helpers and assertions work, and
# a failing assertion ends the scenario.
t_guest_lib_in_busybox() {
	command -v busybox >/dev/null || die "busybox missing (tests/deps.sh installs busybox-static)"
	mkdir -p "$WORK/nmtest"
	cp "$ROOT/tests/vm/guest/lib.sh" "$ROOT/tests/vm/guest/nmt-jflat" "$ROOT/tests/lib/assert.sh" "$WORK/nmtest/"
	cat >"$WORK/ok.sh" <<'EOF'
. "$NMT_DIR/lib.sh"
OUT='numa-migrate: warning: a line before the report
{"pages":10,"moved":4,"already_on_target":6,"not_present":0,"busy":0,"failed":0,
 "nodes":{"1":{"percent":95.8}},"list":["a","b"],"s":"x y",
 "explain":{"causes":[{"cause":"unmovable","pages":7}],
  "diagnosis":{"findings":[{"id":"cpuset","severity":"ok"}]}}}'
move_json_sane
echo "moved=$M_MOVED"
echo "pct=$(jget nodes.1.percent) list1=$(jget list.1) s=$(jget s) n=$(jnum pages)"
echo "unmovable=$(cause_pages unmovable) wrong_node=$(cause_pages wrong_node)"
echo "cpuset=$(PREFIX=explain.diagnosis. finding cpuset severity)"
jget no.such.path && echo "absent path found"
assert_eq 95.80 "$(jget nodes.1.percent)"
echo '{"a":{"b":1}}' | nmt-jflat
echo '{"type":"decision","interval":3,"scope":"mapping","start":"0x1000","end":"0x2000","node":1,"reason":"r","share":0.9,"result":{"action":"move","moved":5},"evidence":{"samples":40}}' >"$NMT_WORK/a.log"
auto_decisions "$NMT_WORK/a.log"
assert_gt 1 2 "one over two"
echo "not reached"
EOF
	mkdir -p "$WORK/w"
	run env PATH="$(dirname "$NMT_JSON"):$WORK/nmtest:$PATH" NMT_DIR="$WORK/nmtest" NMT_WORK="$WORK/w" NMT_STATE= \
		busybox sh "$WORK/ok.sh"
	assert_eq 1 "$RC" "exit status after a failing assertion"
	has "$OUT" '^moved=4$'
	has "$OUT" '^pct=95.8 list1=b s=x y n=10$'
	has "$OUT" '^unmovable=7 wrong_node=0$'
	has "$OUT" '^cpuset=ok$'
	hasnt "$OUT" 'absent path found'
	has "$OUT" '^a\.b=1$'
	has "$OUT" '^3 mapping 0x1000 0x2000 1 r move 5 40 0\.9$'
	hasnt "$OUT" 'not reached'
	has "$ERR" 'FAIL: one over two: expected > 2, saw 1'
}

# The guest rig's rules (tests/vm/vm.sh) on recorded consoles: only the
# emulator's exact stray-int3 signature is retried, once; kernel warnings in
# the guest's dmesg fail a leg.
t_vm_rig_retries_only_emulator_int3() {
	"$ROOT/tests/vm/test-run-leg.sh" || die "tests/vm/test-run-leg.sh failed"
}

# The overhead benchmark's figures (ratios, quantiles, verdicts) on known runs.
t_bench_overhead_stats() {
	"$ROOT/tests/bench/test-overhead-stats.sh" || die "tests/bench/test-overhead-stats.sh failed"
}

# The disruption benchmark's split of a stall (blocked / waiting for a CPU)
# on a known scheduler trace.
t_bench_offcpu_split() {
	"$ROOT/tests/bench/test-offcpu.sh" || die "tests/bench/test-offcpu.sh failed"
}

# The README's and docs' links resolve; every command has its docs page and
# every option of its --help is in that page's table; the man page covers them.
t_docs_links_and_coverage() {
	"$ROOT/tests/host/docs.sh" "$BIN" || die "tests/host/docs.sh failed (above)"
}

# scan on this one-node host: the helper is listed with its bytes on node 0,
# nothing is remote (every CPU is on node 0), and each output form parses.
t_scan_one_node() {
	# balancing on, so that the locality below is refused for the hooks
	# (scan checks the sysctl before it loads anything)
	hold_balancing 1
	start_helper --size 80M --node 0 --threads 1 --access-node 0 --no-thp
	expect_exit 0 "$BIN" scan --min-size 70M --json
	assert_json "$out" "scan --json"
	b=$(jfind processes pid "$helper_pid" bytes_by_node.0) || die "helper $helper_pid not in scan's processes: $out"
	assert_ge "$b" $((80 << 20)) "helper bytes on node 0"
	assert_le "$b" $((90 << 20)) "helper bytes on node 0"
	assert_eq 0 "$(jfind processes pid "$helper_pid" remote_bytes)" "remote bytes on a one-node host"
	assert_eq null "$(jfind processes pid "$helper_pid" fix)" "the fix on a one-node host"
	assert_eq numa-migrate "$(jfind processes pid "$helper_pid" comm)" "comm"
	# its access thread ran on node 0 in the 1 s window
	assert_gt "$(jfind processes pid "$helper_pid" cpu_seconds_by_node.0)" 0.2 "CPU seconds on node 0"
	# one node: no node 1 anywhere
	hasnt "$out" '"1": '
	# locality: this machine refuses fentry and has no kprobes, so the
	# hinting-fault hook cannot attach: null, with the reason
	assert_eq null "$(jfind processes pid "$helper_pid" locality)" "locality"
	has "$(jget locality_why)" "^the hinting-fault hooks cannot attach on this kernel \\(task_numa_fault by fentry: Operation not permitted, by kprobe: No such file or directory; "
	expect_exit 0 "$BIN" scan --min-size 70M --csv
	has "$out" '^pid,comm,cgroup,bytes,bytes_node0,cpu_seconds_node0,remote_bytes,locality,fix$'
	has "$out" "^$helper_pid,\"numa-migrate\",\"[^\"]*\",[0-9]+,[0-9]+,[0-9.]+,0,,\"\"$"
	expect_exit 0 "$BIN" scan --min-size 70M --metrics "$WORK/m.prom" --top 1
	has "$(cat "$WORK/m.prom")" '^numa_migrate_scan_node_bytes\{node="0"\} [0-9]+$'
	has "$(cat "$WORK/m.prom")" '^numa_migrate_scan_labelled_processes 1$'
	has "$out" "^ *$helper_pid numa-migrate "
	stop_helper
}

# Another placement agent (a process named numad) is named with its fix.
t_scan_names_agents() {
	cp /bin/sleep "$WORK/numad"
	"$WORK/numad" 30 &
	np=$!
	echo "$np" >>"$WORK/helper.pids"
	expect_exit 0 "$BIN" scan --min-size 1G --json
	assert_eq numad "$(jfind agents pid "$np" kind)" "agent kind of pid $np"
	has "$(jfind agents pid "$np" fix)" 'systemctl stop numad'
	expect_exit 0 "$BIN" scan --min-size 1G
	has "$out" "^other placement agent: numad \\(pid $np\\) is running"
	kill "$np"
}

t_scan_bad_arguments() {
	expect_exit 1 "$BIN" scan --cgroup /no-such-nm-cgroup
	has "$err" 'no-such-nm-cgroup.*is not a cgroup v2 directory'
	expect_exit 1 "$BIN" scan --sort size
	has "$err" "invalid --sort 'size': expected remote, rss, cpu, locality or pid"
	expect_exit 1 "$BIN" scan --min-size 12Q
	has "$err" "--min-size"
	expect_exit 1 "$BIN" scan --json --csv
	has "$err" 'exclude each other'
	expect_exit 1 "$BIN" scan --metrics /nonexistent-nm-dir/m.prom --min-size 1G
	has "$err" 'cannot write --metrics /nonexistent-nm-dir/m.prom'
}

# --cgroup keeps only the processes of that cgroup and below.
t_scan_cgroup() {
	mnt=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	[ -n "$mnt" ] || die "no cgroup2 mount on this host (expected /sys/fs/cgroup/unified here)"
	cg=$mnt/nm-host-scan.$$
	mkdir "$cg" || die "cannot create $cg"
	# whatever happens, the cgroup goes (its process first)
	trap '[ -z "$helper_pid" ] || kill -9 "$helper_pid" 2>/dev/null; sleep 0.2; rmdir "$cg" 2>/dev/null || true' EXIT
	start_helper --size 80M --node 0 --no-thp
	echo "$helper_pid" >"$cg/cgroup.procs"
	hp=$helper_pid
	expect_exit 0 "$BIN" scan --min-size 70M --cgroup "$cg" --json
	stop_helper
	rmdir "$cg"
	assert_eq 1 "$(jlen processes)" "processes in $cg"
	assert_eq "$hp" "$(jget processes.0.pid)" "the helper"
	assert_eq "/${cg#"$mnt"/}" "$(jget processes.0.cgroup)" "its cgroup"
}

# ---- move/check hardening (issue #11 points 2-5) ------------------------------

# A copy of sleep named NAME in $WORK, running: its comm is NAME (the kernel
# takes it from the file name; /proc/PID/comm is writable only from inside)
# and its mapped executable is $WORK/NAME. Sets ctl_pid.
start_named_sleeper() {
	cp "$(command -v sleep)" "$WORK/$1"
	"$WORK/$1" 300 &
	ctl_pid=$!
	echo "$ctl_pid" >>"$WORK/helper.pids"
	for _ in $(seq 1 100); do
		[ "$(cat "/proc/$ctl_pid/comm" 2>/dev/null)" = "$1" ] && return 0
		sleep 0.05
	done
	die "sleeper $ctl_pid has comm '$(cat "/proc/$ctl_pid/comm")', expected '$1'"
}

# Text and CSV of check and move carry no raw control byte from a comm or a
# mapped file name a user chose; they show it as \xNN.
t_check_move_escape_control_bytes() {
	local esc=$'\x1b' bel=$'\x07' cr=$'\r' shown='s\\x1b\[31m\\x07\\x0dleep'
	start_named_sleeper "s${esc}[31m${bel}${cr}leep"
	expect_exit 0 "$BIN" check --pid "$ctl_pid" --by-mapping --no-progress
	LC_ALL=C grep -q "[$esc$bel$cr]" "$WORK/out" && die "raw control byte in check's text: $(od -c "$WORK/out" | head)"
	has "$out" "^pid $ctl_pid \\($shown\\):"
	has "$out" "/$shown\$"
	expect_exit 0 "$BIN" check --pid "$ctl_pid" --by-mapping --csv
	LC_ALL=C grep -q "[$esc$bel$cr]" "$WORK/out" && die "raw control byte in check's CSV: $(od -c "$WORK/out" | head)"
	has "$out" "/$shown\",0,[0-9]+\$"
	expect_exit 0 "$BIN" move --pid "$ctl_pid" --to-node 0 --no-progress
	LC_ALL=C grep -q "[$esc$bel$cr]" "$WORK/out" && die "raw control byte in move's text: $(od -c "$WORK/out" | head)"
	has "$out" "^Moving pid $ctl_pid \\($shown\\) to node 0\$"
	kill "$ctl_pid"
}

# A mapped file and a comm with byte 0xff: check's and move's JSON parse with
# a strict parser (nmt-json valid) and show the byte as the text \xff.
t_check_move_json_invalid_utf8() {
	start_named_sleeper "sl"$'\xff'"eep"
	expect_exit 0 "$BIN" check --pid "$ctl_pid" --by-mapping --json
	assert_json "$out" "check's JSON (strict: valid UTF-8)"
	assert_eq 'sl\xffeep' "$(jget comm)" "comm"
	has "$(printf '%s\n' "$out" | "$NMT_JSON" flat)" 'mappings\.[0-9]+\.path=.*/sl\\xffeep$'
	expect_exit 0 "$BIN" move --pid "$ctl_pid" --to-node 0 --json
	assert_json "$out" "move's JSON (strict: valid UTF-8)"
	assert_eq 'sl\xffeep' "$(jget comm)" "comm"
	kill "$ctl_pid"
}

# wait_mid_query PID: until PID has read 1 MiB (rchar in /proc/PID/io). A
# query of a 1 GiB helper reads 2 MiB of pagemap (8 bytes a page) and more
# of kpageflags, and little else, so PID is then inside the query, far
# from its end.
wait_mid_query() {
	local rchar
	for _ in $(seq 1 4000); do
		rchar=$(sed -n 's/^rchar: //p' "/proc/$1/io" 2>/dev/null) ||
			die "pid $1 ended before its query was half-way: $(cat "$WORK/err" 2>/dev/null)"
		[ -n "$rchar" ] || die "pid $1 ended before its query was half-way: $(cat "$WORK/err" 2>/dev/null)"
		[ "$rchar" -ge 1048576 ] && return 0
		sleep 0.005
	done
	die "pid $1 read less than 1 MiB in 20 s"
}

# signal_when READY SIG ARGS...: runs numa-migrate ARGS in the background,
# sends it SIG once `READY PID` returns and waits for it; sets rc, out, err
# and OUT (declare rc local in the caller).
signal_when() {
	local ready=$1 sig=$2 pid
	shift 2
	"$BIN" "$@" >"$WORK/out" 2>"$WORK/err" &
	pid=$!
	"$ready" "$pid"
	kill -"$sig" "$pid"
	rc=0
	wait "$pid" || rc=$?
	out=$(cat "$WORK/out"); err=$(cat "$WORK/err"); OUT=$out
}

# check --json on a target that exits mid-query prints ONE document: the
# partial report with an "error" member. The query is frozen (SIGSTOP)
# half-way, the target killed and reaped, then the query resumed.
t_check_json_target_exits_one_document() {
	start_helper --size 1G --node 0 --no-thp
	"$BIN" check --pid "$helper_pid" --exact --json --batch 1 --jobs 1 >"$WORK/out" 2>"$WORK/err" &
	local cpid=$! rc=0
	wait_mid_query "$cpid"
	kill -STOP "$cpid"
	kill -KILL "$helper_pid"
	wait "$helper_pid" 2>/dev/null || true
	kill -CONT "$cpid"
	wait "$cpid" || rc=$?
	out=$(cat "$WORK/out"); OUT=$out
	[ "$rc" -eq 1 ] || die "check exited $rc, expected 1; stderr: $(cat "$WORK/err")"
	assert_json "$out" "exactly one JSON document on stdout"
	assert_eq true "$(jget partial)" "partial"
	has "$(jget error)" 'exited during the query'
	assert_lt "$(jget pages)" 262144 "pages examined (partial)"
}

# SIGINT mid-query: check prints the partial report saying so, exit 3; in
# JSON one document with partial and the error.
t_check_interrupted_is_partial() {
	start_helper --size 1G --node 0 --no-thp
	local rc
	signal_when wait_mid_query INT check --pid "$helper_pid" --exact --batch 1 --jobs 1
	[ "$rc" -eq 3 ] || die "check exited $rc, expected 3; stdout: $out; stderr: $err"
	has "$out" '^PARTIAL: interrupted by SIGINT during the query; counts cover only the pages examined before$'
	has "$err" "^ERROR: interrupted by SIGINT during the query of pid $helper_pid; the report above is partial\$"
	signal_when wait_mid_query INT check --pid "$helper_pid" --exact --batch 1 --jobs 1 --json
	[ "$rc" -eq 3 ] || die "check --json exited $rc, expected 3"
	assert_json "$out" "exactly one JSON document"
	assert_eq true "$(jget partial)" "partial"
	has "$(jget error)" 'interrupted by SIGINT during the query'
	stop_helper
}

# SIGINT mid-move: a partial report that says it was interrupted, exit 3.
t_move_interrupted_is_partial_exit_3() {
	start_helper --size 1G --node 0 --no-thp
	local rc
	signal_when wait_mid_query INT move --pid "$helper_pid" --to-node 0 --batch 1 --jobs 1
	[ "$rc" -eq 3 ] || die "move exited $rc, expected 3; stdout: $out; stderr: $err"
	has "$out" '^Pages examined: [0-9]+$'
	has "$out" '^PARTIAL: interrupted by SIGINT after [0-9]+ of [0-9]+ pages were examined; the counts are partial$'
	has "$err" '^ERROR: interrupted by SIGINT'
	signal_when wait_mid_query TERM move --pid "$helper_pid" --to-node 0 --batch 1 --jobs 1 --json
	[ "$rc" -eq 3 ] || die "move --json exited $rc, expected 3"
	assert_json "$out" "exactly one JSON document"
	assert_eq true "$(jget interrupted)" "interrupted"
	assert_eq true "$(jget partial)" "partial"
	assert_eq 3 "$(jget exit_code)" "exit_code"
	has "$(jget error)" 'interrupted by SIGTERM after'
	stop_helper
}

# wait_pinned PID: until the helper runs on CPU 0 (the move pinned it), at
# most 10 s, and half a second more for the move to reach its --verify wait.
wait_pinned() {
	for _ in $(seq 1 200); do
		grep -q 'Cpus_allowed_list:.*0' "/proc/$helper_pid/status" && break
		sleep 0.05
	done
	sleep 0.5
}

# SIGINT/SIGHUP during move --pin-threads --verify=20 restores each thread's
# affinity and says so (text and JSON); the pin is kept when the move completes.
t_move_pin_threads_interrupted_restores() {
	start_helper --size 16M --node 0 --no-thp --threads 2 --access-node 0
	taskset -a -p -c 1 "$helper_pid" >/dev/null
	local before rc
	before=$(grep -h Cpus_allowed_list /proc/"$helper_pid"/task/*/status | sort | uniq -c)
	signal_when wait_pinned INT move --pid "$helper_pid" --to-node 0 --pin-threads --verify=20
	[ "$rc" -eq 3 ] || die "move exited $rc, expected 3; $out $err"
	[ "$(grep -h Cpus_allowed_list /proc/"$helper_pid"/task/*/status | sort | uniq -c)" = "$before" ] ||
		die "affinity not restored: $(grep -h Cpus_allowed_list /proc/"$helper_pid"/task/*/status)"
	has "$out" "^Restored: the CPU affinity of pid $helper_pid's 3 pinned threads \\(set to node 0's CPUs"
	has "$out" '^PARTIAL: interrupted by SIGINT'
	signal_when wait_pinned HUP move --pid "$helper_pid" --to-node 0 --pin-threads --verify=20 --json
	[ "$rc" -eq 3 ] || die "move --json exited $rc, expected 3"
	[ "$(grep -h Cpus_allowed_list /proc/"$helper_pid"/task/*/status | sort | uniq -c)" = "$before" ] ||
		die "affinity not restored (JSON run)"
	assert_json "$out" "one JSON document"
	assert_eq true "$(jget interrupted)" "interrupted"
	assert_eq true "$(jget pin_threads.restored)" "pin_threads.restored"
	assert_eq pin_threads "$(jget changes_undone.0.kind)" "changes_undone.0.kind"
	assert_eq true "$(jget changes_undone.0.restored)" "changes_undone.0.restored"
	has "$(jget changes_undone.0.undo)" 'taskset -a -p -c 1 '
	# a completed move keeps the pin and reports the undo command
	expect_exit 0 "$BIN" move --pid "$helper_pid" --to-node 0 --pin-threads
	has "$out" "^  undo: taskset -a -p -c 1 $helper_pid\$"
	hasnt "$out" '^Restored'
	[ "$(grep -h Cpus_allowed_list /proc/"$helper_pid"/task/*/status | sort -u | wc -l)" = 1 ] &&
		! grep -q 'Cpus_allowed_list:[[:space:]]*1$' "/proc/$helper_pid/status" || die "pin not kept"
	stop_helper
}

# ---- trace and features: exit paths, one document, clean CSV, no mounts left

# wait_for SECONDS CMD...: polls CMD every 0.1 s until it succeeds
wait_for() {
	local n=$(($1 * 10)); shift
	while [ "$n" -gt 0 ]; do "$@" && return 0; sleep 0.1; n=$((n - 1)); done
	return 1
}

t_trace_balancing_restored_on_every_exit() {
	# trace --enable-balancing turns kernel.numa_balancing on and puts 0
	# back on every way out, promptly: a stop signal ends it within 5 s
	local sig tpid rc t0
	hold_balancing 0
	start_helper --size 16M --node 0 --no-thp
	for sig in INT TERM HUP QUIT; do
		echo 0 >"$BAL"
		"$BIN" trace --pid "$helper_pid" --duration 60 --enable-balancing \
			>"$WORK/t.$sig.out" 2>"$WORK/t.$sig.err" &
		tpid=$!
		wait_for 20 grep -q 'tracing pid' "$WORK/t.$sig.err" ||
			die "trace did not start: $(cat "$WORK/t.$sig.err")"
		[ "$(cat "$BAL")" = 1 ] || die "balancing not on during the session"
		t0=$(date +%s)
		kill -"$sig" "$tpid"
		rc=0; wait "$tpid" || rc=$?
		[ $(($(date +%s) - t0)) -le 5 ] || die "trace took more than 5 s to end after SIG$sig"
		[ "$rc" = 0 ] || die "trace exited $rc after SIG$sig: $(cat "$WORK/t.$sig.err")"
		[ "$(cat "$BAL")" = 0 ] || die "kernel.numa_balancing left at $(cat "$BAL") after SIG$sig"
		grep -q 'samples placed' "$WORK/t.$sig.out" || die "no report after SIG$sig"
	done
	# a reader that goes away (SIGPIPE): the shell sees 141, balancing is 0;
	# 4 KiB regions make the report far larger than a pipe's buffer, so the
	# write fails whenever head has gone
	echo 0 >"$BAL"
	set +e
	"$BIN" trace --pid "$helper_pid" --duration 1 --granularity 4096 --enable-balancing --json \
		2>"$WORK/pipe.err" | head -c 1 >/dev/null
	rc=${PIPESTATUS[0]}; set -e
	[ "$(cat "$BAL")" = 0 ] || die "kernel.numa_balancing left at $(cat "$BAL") after | head (trace exit $rc)"
	[ "$rc" = 141 ] || die "trace exited $rc when its reader went away, expected 141 (SIGPIPE)"
	# an error after balancing went on (--svg to a full device): exit 3, 0 back
	echo 0 >"$BAL"
	expect_exit 3 "$BIN" trace --pid "$helper_pid" --duration 1 --enable-balancing --svg /dev/full
	[ "$(cat "$BAL")" = 0 ] || die "kernel.numa_balancing left at $(cat "$BAL") after an error exit"
	# the target exits during the session
	stop_helper
	start_helper --size 16M --node 0 --no-thp
	echo 0 >"$BAL"
	"$BIN" trace --pid "$helper_pid" --duration 60 --enable-balancing >"$WORK/x.out" 2>"$WORK/x.err" &
	tpid=$!
	wait_for 20 grep -q 'tracing pid' "$WORK/x.err" || die "trace did not start: $(cat "$WORK/x.err")"
	kill -9 "$helper_pid"
	rc=0; wait "$tpid" || rc=$?
	[ "$rc" = 0 ] || die "trace exited $rc when its target exited: $(cat "$WORK/x.err")"
	grep -q "pid $helper_pid exited" "$WORK/x.err" || die "no word of the target's exit: $(cat "$WORK/x.err")"
	[ "$(cat "$BAL")" = 0 ] || die "kernel.numa_balancing left at $(cat "$BAL") after the target exited"
}

t_trace_json_one_document_with_error() {
	# --svg to a full device in JSON mode: one document, carrying the error
	start_helper --size 16M --node 0 --no-thp
	expect_exit 3 "$BIN" trace --pid "$helper_pid" --duration 1 --json --svg /dev/full
	assert_json "$out" "exactly one JSON document"
	has "$(jget error)" '--svg /dev/full'
	assert_eq "$helper_pid" "$(jget pid)" "the report's pid"
	assert_gt "$(jlen regions)" 0 "the report's regions"
	stop_helper
}

# csv_strict FILE: every record has the header's field count under RFC 4180
# quoting (fields quoted with "", quotes doubled), and the header comes first
csv_strict() {
	awk '
	function nfields(line,   n, i, c, q) {
		n = 1; q = 0
		for (i = 1; i <= length(line); i++) {
			c = substr(line, i, 1)
			if (q) {
				if (c == "\"") {
					if (substr(line, i + 1, 1) == "\"") i++
					else q = 0
				}
			} else if (c == "\"") {
				if (i > 1 && substr(line, i - 1, 1) != ",") return -1
				q = 1
			} else if (c == ",") n++
		}
		return q ? -1 : n
	}
	NR == 1 { if ($0 !~ /^start,end,mapping,/) { print "line 1 is not the header: " $0; bad = 1 }
		  want = nfields($0); next }
	{ if (nfields($0) != want) { print "line " NR " has " nfields($0) " fields, not " want ": " $0; bad = 1 } }
	END { if (NR < 2) { print "no rows"; bad = 1 } exit bad }' "$1"
}

t_trace_csv_is_pure_csv() {
	# stdout of --csv is CSV only; the summary goes to stderr
	start_helper --size 16M --node 0 --no-thp
	expect_exit 0 "$BIN" trace --pid "$helper_pid" --duration 1 --csv
	printf '%s\n' "$out" >"$WORK/t.csv"
	csv_strict "$WORK/t.csv" || die "not strict CSV: $(head -3 "$WORK/t.csv")"
	has "$err" "numa-migrate: pid $helper_pid: [0-9.]+ s traced"
	# the checker itself rejects what --csv used to print
	printf '# pid 1: comment\nstart,end,mapping\n0x1,0x2,a\n' >"$WORK/bad.csv"
	! csv_strict "$WORK/bad.csv" >/dev/null || die "csv_strict accepts a comment line"
	stop_helper
}

t_trace_text_escapes_comm_and_mapping() {
	# a process named (and mapped from a file named) with ESC, BEL and CR:
	# trace's text output shows them as \xNN, never raw
	local name
	name=$(printf 'nm\033]0;x\007\r')
	cp "$BIN" "$WORK/$name"
	BIN="$WORK/$name" start_helper --size 4M --node 0 --no-thp
	expect_exit 0 "$BIN" trace --pid "$helper_pid" --duration 1
	! grep -q "$(printf '[\033\007\r]')" <<<"$out$err" || die "raw control bytes in trace's output"
	has "$err" 'tracing pid [0-9]+ \(nm\\x1b\]0;x\\x07\\x0d\)'
	has "$out" 'nm\\x1b\]0;x\\x07\\x0d$'
	stop_helper
}

t_features_needs_no_tracefs() {
	# without tracefs (as on a fresh boot of this host) the migration
	# counter attaches as a raw tracepoint, and neither features nor trace
	# mounts tracefs (a classic tracepoint read its id from there, and its
	# perf link's close waited for a grace period)
	tracefs_was=0
	mountpoint -q /sys/kernel/tracing && tracefs_was=1
	trap '[ "$tracefs_was" = 1 ] && ! mountpoint -q /sys/kernel/tracing && mount -t tracefs nodev /sys/kernel/tracing' EXIT
	[ "$tracefs_was" = 0 ] || umount /sys/kernel/tracing
	expect_exit 0 "$BIN" features
	has "$out" '^migrate:mm_migrate_pages +attached +raw_tp'
	! mountpoint -q /sys/kernel/tracing || die "features mounted tracefs"
	start_helper --size 4M --node 0 --no-thp
	expect_exit 0 "$BIN" trace --pid "$helper_pid" --duration 1
	! mountpoint -q /sys/kernel/tracing || die "trace mounted tracefs"
	stop_helper
	# a tracefs that was mounted stays mounted
	mount -t tracefs nodev /sys/kernel/tracing
	expect_exit 0 "$BIN" features
	mountpoint -q /sys/kernel/tracing || die "features unmounted a tracefs it did not mount"
}

# #11.9: no arguments is a usage error, so usage goes to stderr (stdout stays
# empty for a script); an unknown command lists every command of the table.
t_usage_and_unknown_command() {
	expect_exit 1 "$BIN"
	assert_eq "" "$out" "stdout with no arguments"
	has "$err" '^Usage: numa-migrate COMMAND'
	expect_exit 0 "$BIN" --help
	has "$out" '^Usage: numa-migrate COMMAND'
	expect_exit 1 "$BIN" frobnicate
	has "$err" "^ERROR: unknown command 'frobnicate'; commands: check, move, diagnose, helper, trace, auto, features, scan, help "
	# every command of the usage text is in that list
	for c in $("$BIN" --help | sed -n 's/^  \([a-z]*\) .*/\1/p'); do
		has "$err" "[ ,]$c[,( ]"
	done
}

# the JSON contracts (docs/schema): tests/schema/host.sh
. "$ROOT/tests/schema/host.sh"
[ -z "${NMT_HOST_EXTRA:-}" ] || . "$NMT_HOST_EXTRA"
for t in $(declare -F | awk '{print $3}' | grep '^t_' | sed 's/^t_//'); do
	if [ -n "${NMT_HOST_TESTS:-}" ] && ! grep -qxF "$t" <<<"${NMT_HOST_TESTS//,/$'\n'}"; then
		continue
	fi
	run_test "$t"
done
echo "host: ${failed_names[*]:+failed: ${failed_names[*]}}"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

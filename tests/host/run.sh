#!/usr/bin/env bash
# Host integration tests: run the real binary against the helper on this
# machine, whatever its node count. Multi-node behaviour (pages that really
# move) is tested in the QEMU guests (tests/vm).
#
#   tests/host/run.sh build/numa-migrate
#
# Prints PASS/FAIL per test and a closing line "N passed, N failed".
set -uo pipefail

BIN=$(realpath "${1:-build/numa-migrate}")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/nm-host.XXXXXX)
pass=0 fail=0 failed_names=()
helper_pid=

cleanup() {
	local p
	for p in $(cat "$WORK"/*/helper.pids 2>/dev/null); do
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$WORK"
}
trap cleanup EXIT

# run NAME: runs test function t_NAME in its own folder ($WORK inside the
# test), output to a log shown on failure. Helpers a test leaves running
# (it failed before stop_helper) are killed after it, so they cannot touch
# the next test.
run() {
	local name=$1 log="$WORK/$1.log" dir="$WORK/$1" p
	mkdir -p "$dir"
	if ( WORK=$dir; set -e; "t_$name" ) >"$log" 2>&1; then
		echo "PASS $name"; pass=$((pass + 1))
	else
		echo "FAIL $name"; sed 's/^/    | /' "$log"
		fail=$((fail + 1)); failed_names+=("$name")
	fi
	for p in $(cat "$dir/helper.pids" 2>/dev/null); do
		kill -9 "$p" 2>/dev/null
	done
}

die() { echo "assertion failed: $*"; exit 1; }
# expect_exit CODE cmd...: runs cmd, stdout+stderr to $out, checks the exit code
expect_exit() {
	local want=$1; shift
	set +e; "$@" >"$WORK/out" 2>"$WORK/err"; local got=$?; set -e
	out=$(cat "$WORK/out"); err=$(cat "$WORK/err")
	[ "$got" -eq "$want" ] || die "'$*' exited $got, expected $want; stdout: $out; stderr: $err"
}
has() { grep -qE -- "$2" <<<"$1" || die "expected /$2/ in: $1"; }
hasnt() { ! grep -qE -- "$2" <<<"$1" || die "did not expect /$2/ in: $1"; }

start_helper() {
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

nodes_with_memory() { cat /sys/devices/system/node/has_memory 2>/dev/null || echo 0; }

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
	expect_exit 0 "$BIN" check --pid "$helper_pid" --json --by-mapping
	jq -e . >/dev/null <<<"$out" || die "JSON does not parse: $out"
	[ "$(jq .pid <<<"$out")" = "$helper_pid" ] || die "pid"
	[ "$(jq '.nodes["0"].percent' <<<"$out")" = "100" ] || die "node 0 percent: $(jq '.nodes["0"]' <<<"$out")"
	start=$(field start)
	# the helper's region is one mapping with all 2048 pages present on node 0
	n=$(jq --arg s "$start" '[.mappings[] | select(.start == $s)][0].nodes["0"].pages' <<<"$out")
	[ "$n" = 2048 ] || die "helper mapping pages on node 0: $n (start $start)"
	[ "$(jq .numa_maps_agrees <<<"$out")" = true ] || die "numa_maps disagrees: $(jq '{numa_maps_diff_pages,numa_maps_compared_mappings}' <<<"$out")"
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
	jq -e . >/dev/null <<<"$out" || die "JSON does not parse: $out"
	for k in pid pages moved busy failed target_node verification; do
		jq -e "has(\"$k\")" >/dev/null <<<"$out" || die "missing key $k"
	done
	[ "$(jq .pages <<<"$out")" = 2048 ] || die "pages"
	[ "$(jq .already_on_target <<<"$out")" = 2048 ] || die "already"
	[ "$(jq .verification.percent <<<"$out")" = 100 ] || die "verification percent"
	[ "$(jq .exit_code <<<"$out")" = 0 ] || die "exit_code"
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
	# any kernel: every hook has a known state, a missing one says why and
	# what is lost, and the text names the same states as the JSON
	expect_exit 0 "$BIN" features --json
	jq -e . >/dev/null <<<"$out" || die "features JSON does not parse"
	[ "$(jq '.hooks | length' <<<"$out")" -ge 10 ] || die "too few hooks: $(jq '.hooks | length' <<<"$out")"
	jq -e '.hooks | all(.state | IN("attached","fallback","missing","available","absent"))' <<<"$out" >/dev/null ||
		die "unknown state in $(jq -c '[.hooks[].state]' <<<"$out")"
	jq -e '.hooks | all(if .state == "missing" then (.detail != null and .lost != null) else .lost == null end)' <<<"$out" >/dev/null ||
		die "a missing hook without reason or loss, or a loss on a working hook"
	jq -e '.hooks | all(if .state == "fallback" then .detail != null else true end)' <<<"$out" >/dev/null ||
		die "a fallback that does not say what was refused"
	for name in migrate:mm_migrate_pages task_numa_fault page_fault_user; do
		state=$(jq -r --arg n "$name" '.hooks[] | select(.name == $n) | .state' <<<"$out")
		[ -n "$state" ] || die "hook $name not reported"
		expect_exit 0 "$BIN" features
		has "$out" "^$name +$state "
		expect_exit 0 "$BIN" features --json
	done
	[ "$(jq .btf <<<"$out")" = "$([ -e /sys/kernel/btf/vmlinux ] && echo true || echo false)" ] || die "btf flag"
}

t_trace_degrades_or_samples() {
	# on any kernel trace runs and reports; where hinting faults cannot be
	# hooked (this build machine) it says which hook failed and why
	start_helper --size 16M --node 0 --no-thp
	expect_exit 0 "$BIN" trace --pid "$helper_pid" --duration 1 --json --svg "$WORK/heat.svg"
	jq -e . >/dev/null <<<"$out" || die "trace JSON does not parse"
	for k in pid duration_s hint_faults dropped samples regions kernel_migrations; do
		jq -e "has(\"$k\")" >/dev/null <<<"$out" || die "trace JSON lacks $k"
	done
	[ "$(jq .pid <<<"$out")" = "$helper_pid" ] || die "pid"
	s=$(field start)
	n=$(jq --arg s "$(printf '0x%x' "$s")" '[.regions[] | select(.start == $s)][0].pages_by_node["0"]' <<<"$out")
	[ "$n" = 512 ] || die "the helper's first 2 MiB region should hold 512 pages on node 0, got $n"
	state=$("$BIN" features --json | jq -r '.hooks[] | select(.name == "task_numa_fault") | .state')
	if [ "$state" = missing ]; then
		has "$err" 'hinting faults unavailable \(fentry: .*; kprobe: .*\)'
	fi
	head -c 200 "$WORK/heat.svg" | grep -q '<svg' || die "no SVG written"
	xmllint --noout "$WORK/heat.svg" || die "SVG is not well-formed XML"
	stop_helper
}

# jpy EXPR: a Python expression over the JSON in $out (as j)
jpy() { python3 -c "import json,sys; j=json.loads(sys.stdin.read()); print($1)" <<<"$out"; }

t_diagnose_one_node_host() {
	# on any host: findings, a verdict, never a crash; with one node it says
	# there is nowhere to move, and a node that does not exist blocks (exit 3)
	start_helper --size 16M --node 0 --no-thp
	expect_exit 0 "$BIN" diagnose --pid "$helper_pid"
	has "$out" "^Diagnosis of pid $helper_pid "
	has "$out" '^Verdict: '
	has "$out" 'numa_balancing: kernel.numa_balancing='
	expect_exit 0 "$BIN" diagnose --pid "$helper_pid" --to-node 0 --json
	[ "$(jpy 'j["verdict"] in ("ok","warnings")')" = True ] || die "verdict: $out"
	[ "$(jpy '[f["severity"] for f in j["findings"] if f["id"]=="cpuset"][0]')" = ok ] || die "cpuset: $out"
	[ "$(jpy 'j["facts"]["pages"]["present"] >= 4096')" = True ] || die "pages: $out"
	local nodes; nodes=$(nodes_with_memory)
	if [ "$nodes" = 0 ]; then
		has "$(jpy '[f["what"] for f in j["findings"] if f["id"]=="nodes"][0]')" 'only one NUMA node'
	fi
	local bad=$(( $(tr ',-' '\n\n' <<<"$nodes" | sort -n | tail -1) + 1 ))
	expect_exit 3 "$BIN" diagnose --pid "$helper_pid" --to-node "$bad" --json
	[ "$(jpy '[f["blocks"] for f in j["findings"] if f["id"]=="nodes"][0]')" = True ] || die "node $bad: $out"
	[ "$(jpy 'j["exit_code"]')" = 3 ] || die "exit_code: $out"
	stop_helper
}

t_diagnose_counts_shared_pages_after_fork() {
	# pagemap's exclusive bit: a forked child shares the buffer copy-on-write,
	# which move_pages refuses without --all; without the child it is private
	start_helper --size 16M --node 0 --no-thp
	expect_exit 0 "$BIN" diagnose --pid "$helper_pid" --range 16M --json
	[ "$(jpy 'j["facts"]["pages"]["shared"]')" = 0 ] || die "private buffer counted shared: $out"
	stop_helper
	start_helper --size 16M --node 0 --no-thp --fork-child
	expect_exit 0 "$BIN" diagnose --pid "$helper_pid" --range 16M --json
	[ "$(jpy 'j["facts"]["pages"]["shared"]')" = 4096 ] || die "expected 4096 shared pages: $out"
	[ "$(jpy '[f["severity"] for f in j["findings"] if f["id"]=="shared"][0]')" = warn ] || die "no shared warning: $out"
	has "$(jpy '[f["fix"] for f in j["findings"] if f["id"]=="shared"][0]')" '--all'
	stop_helper
}

t_move_explain_and_pin_threads() {
	start_helper --size 16M --node 0 --no-thp --threads 2 --access-node 0
	local before; before=$(taskset -p "$helper_pid" | sed 's/.*: //')
	expect_exit 0 "$BIN" move --pid "$helper_pid" --to-node 0 --explain --pin-threads --json
	[ "$(jpy 'j["pin_threads"]["pinned"] == j["pin_threads"]["threads"] >= 3')" = True ] || die "pin: $out"
	has "$(jpy 'j["pin_threads"]["undo"]')" "^taskset -a -p -c [0-9,-]+ $helper_pid\$"
	[ "$(jpy 'j["explain"]["diagnosis"]["target_node"]')" = 0 ] || die "diagnosis: $out"
	[ "$(jpy 'type(j["explain"]["causes"]).__name__')" = list ] || die "causes: $out"
	# the undo command restores what was there
	eval "$(jpy 'j["pin_threads"]["undo"]')" >/dev/null
	[ "$(taskset -p "$helper_pid" | sed 's/.*: //')" = "$before" ] || die "undo did not restore $before"
	expect_exit 0 "$BIN" move --pid "$helper_pid" --to-node 0 --explain
	has "$out" '^Diagnosis of pid '
	expect_exit 1 "$BIN" move --pid "$helper_pid" --to-node 0 --dry-run --pin-threads
	has "$err" 'dry-run'
	stop_helper
}

t_diagnose_watch_traces_or_says_why() {
	# --watch either attaches the migration events (this 6.18 host: tp_btf
	# works) and reports what moved, or says which hook failed and exits 3
	start_helper --size 16M --node 0 --no-thp
	set +e; "$BIN" diagnose --pid "$helper_pid" --watch 1 --json >"$WORK/out" 2>"$WORK/err"; local rc=$?; set -e
	out=$(cat "$WORK/out"); err=$(cat "$WORK/err")
	if [ "$rc" -eq 0 ]; then
		# attached: an event count (an int) and no reason for not tracing
		[ "$(jpy 'isinstance(j["watch"]["attribution"]["events"], int) and j["watch"]["why"] is None')" = True ] ||
			die "no attribution: $out"
		[ "$(jpy 'j["watch"]["seconds"]')" = 1 ] || die "seconds: $out"
	else
		[ "$rc" -eq 3 ] || die "exit $rc: $err"
		has "$(jpy 'j["watch"]["why"]')" 'failed|need'
		has "$err" 'cannot trace'
	fi
	expect_exit 0 "$BIN" move --pid "$helper_pid" --to-node 0 --verify=1 --explain
	has "$out" '^Drift: 0 pages left node 0 after 1 s'
	has "$out" '^(Drift causes \(kernel migrations traced: [0-9]+ events, 0 pages left node 0|Drift causes not traced: )'
	stop_helper
}

t_move_policy_bind_or_says_why() {
	# a cgroup v2 host: the helper lands in a cpuset child and the undo
	# command puts it back; otherwise (this build machine mounts cgroup v1)
	# exit 3 with the reason and the numactl alternative, nothing changed
	start_helper --size 8M --node 0 --no-thp
	local before; before=$(grep '^0::' "/proc/$helper_pid/cgroup")
	set +e; "$BIN" move --pid "$helper_pid" --to-node 0 --policy bind --json >"$WORK/out" 2>"$WORK/err"; local rc=$?; set -e
	out=$(cat "$WORK/out"); err=$(cat "$WORK/err")
	if [ "$rc" -eq 0 ]; then
		has "$(grep '^0::' "/proc/$helper_pid/cgroup")" "/numa-migrate-$helper_pid\$"
		[ "$(jpy 'j["policy"]["mechanism"]')" = "cgroup cpuset.mems" ] || die "policy: $out"
		eval "$(jpy 'j["policy"]["undo"]')"
		[ "$(grep '^0::' "/proc/$helper_pid/cgroup")" = "$before" ] || die "undo did not restore $before"
	else
		[ "$rc" -eq 3 ] || die "exit $rc: $err"
		has "$err" '^ERROR: --policy bind: .*(cgroup|cpuset).*numactl --membind=0'
		[ "$(grep '^0::' "/proc/$helper_pid/cgroup")" = "$before" ] || die "cgroup changed on failure"
	fi
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

# chromium_png SVG PNG: headless Chromium's screenshot of SVG (1000x600)
chromium_png() {
	command -v chromium >/dev/null || die "chromium missing (tests/deps.sh installs it)"
	rm -rf "$WORK/chr"
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$WORK/chr" --hide-scrollbars --window-size=1000,600 \
		--screenshot="$2" "file://$1" >"$WORK/chr.log" 2>&1 ||
		die "chromium failed on $1: $(tail -3 "$WORK/chr.log")"
	[ -s "$2" ] || die "chromium wrote no screenshot of $1"
}

t_trace_svg_renders_in_chromium() {
	# the heat map is drawn: its screenshot carries far more detail than
	# that of an empty SVG of the same window size (PNG compresses blank
	# pixels to almost nothing)
	start_helper --size 32M --node 0 --no-thp
	expect_exit 0 "$BIN" trace --pid "$helper_pid" --duration 1 --svg "$WORK/heat.svg"
	stop_helper
	printf '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>' >"$WORK/blank.svg"
	chromium_png "$WORK/heat.svg" "$WORK/heat.png"
	chromium_png "$WORK/blank.svg" "$WORK/blank.png"
	heat=$(stat -c %s "$WORK/heat.png") blank=$(stat -c %s "$WORK/blank.png")
	echo "screenshot bytes: heat map $heat, empty page $blank"
	[ "$heat" -gt $((blank * 4)) ] || die "the heat map screenshot ($heat bytes) is not much richer than an empty page's ($blank bytes)"
	grep -q 'node 0' "$WORK/heat.svg" || die "no node axis label"
	grep -q 'accesses' "$WORK/heat.svg" || die "no legend"
}

t_auto_degrades() {
	# auto on a host with fewer than two memory nodes explains that there is
	# nothing to do and exits 4; with two or more it must get past that check
	start_helper --size 16M --node 0 --no-thp
	nodes=$(tr ',' '\n' </sys/devices/system/node/has_memory | awk -F- '{ n += ($2 == "" ? 1 : $2 - $1 + 1) } END { print n }')
	if [ "$nodes" -lt 2 ]; then
		expect_exit 4 "$BIN" auto --pid "$helper_pid" --duration 1
		has "$err" 'single NUMA node'
		has "$err" "pid $helper_pid"
		[ -z "$out" ] || die "no report expected on stdout, saw: $out"
		expect_exit 4 "$BIN" auto --pid "$helper_pid" --duration 1 --json
		jq -e '.error | test("single NUMA node")' >/dev/null <<<"$out" || die "JSON error object expected, saw: $out"
	else
		set +e; "$BIN" auto --pid "$helper_pid" --duration 1 >"$WORK/out" 2>"$WORK/err"; rc=$?; set -e
		[ "$rc" -ne 4 ] || ! grep -q 'single NUMA node' "$WORK/err" || die "a $nodes-node host called single-node"
	fi
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

# The guest rig's retry rule (tests/vm/vm.sh run_leg) on recorded consoles:
# only the emulator's stray int3 is retried, once.
t_vm_rig_retries_only_emulator_int3() {
	"$ROOT/tests/vm/test-run-leg.sh" || die "tests/vm/test-run-leg.sh failed"
}

# ---- trace and features: exit paths, one document, clean CSV, no mounts left

BAL=/proc/sys/kernel/numa_balancing
# wait_for SECONDS CMD...: polls CMD every 0.1 s until it succeeds
wait_for() {
	local n=$(($1 * 10)); shift
	while [ "$n" -gt 0 ]; do "$@" && return 0; sleep 0.1; n=$((n - 1)); done
	return 1
}

t_trace_balancing_restored_on_every_exit() {
	# trace --enable-balancing turns kernel.numa_balancing on and puts 0
	# back on every way out, promptly: a stop signal ends it within 5 s
	[ -w "$BAL" ] || die "$BAL is not writable on this host: the test needs it"
	local sig tpid rc t0
	bal_orig=$(cat "$BAL")
	trap 'echo "$bal_orig" >"$BAL"' EXIT
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
	[ "$(jq -s length <<<"$out")" = 1 ] || die "expected one JSON document, got: $out"
	jq -e '.error | test("--svg /dev/full")' >/dev/null <<<"$out" || die "no error member: $out"
	jq -e ".pid == $helper_pid and (.regions | length) > 0" >/dev/null <<<"$out" || die "the report is missing: $out"
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
	! printf '%s%s' "$out" "$err" | grep -q "$(printf '[\033\007\r]')" || die "raw control bytes in trace's output"
	has "$err" 'tracing pid [0-9]+ \(nm\\x1b\]0;x\\x07\\x0d\)'
	has "$out" 'nm\\x1b\]0;x\\x07\\x0d$'
	stop_helper
}

t_features_unmounts_tracefs() {
	# features mounts tracefs to attach tracepoints and unmounts it after,
	# when it was not mounted before (as on a fresh boot of this host)
	tracefs_was=0
	mountpoint -q /sys/kernel/tracing && tracefs_was=1
	trap '[ "$tracefs_was" = 1 ] && ! mountpoint -q /sys/kernel/tracing && mount -t tracefs nodev /sys/kernel/tracing' EXIT
	[ "$tracefs_was" = 0 ] || umount /sys/kernel/tracing
	expect_exit 0 "$BIN" features
	has "$out" '^migrate:mm_migrate_pages +attached +tracepoint'
	! mountpoint -q /sys/kernel/tracing || die "features left tracefs mounted"
	start_helper --size 4M --node 0 --no-thp
	expect_exit 0 "$BIN" trace --pid "$helper_pid" --duration 1
	! mountpoint -q /sys/kernel/tracing || die "trace left tracefs mounted"
	stop_helper
	# a tracefs that was mounted stays mounted
	mount -t tracefs nodev /sys/kernel/tracing
	expect_exit 0 "$BIN" features
	mountpoint -q /sys/kernel/tracing || die "features unmounted a tracefs it did not mount"
}

t_asan_features_and_trace() {
	# features and a short trace under ASan+UBSan: no leak (the links
	# bpf_program__attach returned used to be dropped: 32 bytes), no
	# undefined behaviour (qsort(NULL, 0) on an empty heat map). About 45 s
	# for the first build into build/asan, a few seconds after.
	local asan="$ROOT/build/asan/numa-migrate"
	make -C "$ROOT" -j2 OUTPUT=build/asan \
		CFLAGS='-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all' \
		LDFLAGS=-fsanitize=address,undefined >"$WORK/build.log" 2>&1 ||
		die "ASan build failed: $(tail -5 "$WORK/build.log")"
	export ASAN_OPTIONS=detect_leaks=1:exitcode=99 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
	expect_exit 0 "$asan" features
	hasnt "$err" 'ERROR: (Address|Leak)Sanitizer|runtime error'
	expect_exit 0 "$asan" features --json
	start_helper --size 8M --node 0 --no-thp
	for f in "" --json --csv; do
		expect_exit 0 "$asan" trace --pid "$helper_pid" --duration 1 $f
		hasnt "$err" 'ERROR: (Address|Leak)Sanitizer|runtime error'
	done
	stop_helper
}

for t in $(declare -F | awk '{print $3}' | grep '^t_' | sed 's/^t_//'); do
	run "$t"
done
echo "host: ${failed_names[*]:+failed: ${failed_names[*]}}"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

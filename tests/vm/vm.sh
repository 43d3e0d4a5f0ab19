#!/usr/bin/env bash
# tests/vm/vm.sh - boot Debian kernels in multi-node QEMU guests (TCG) and run
# the numa-migrate scenarios in them. See tests/vm/README.md.
#
#   vm.sh test   --kernel 6.1|6.12|PATH --nodes 2|4 [--tests a,b] [--bin DIR]
#   vm.sh matrix [--tests a,b] [--bin DIR]   (6.1/2n, 6.12/2n, 6.12/4n)
#   vm.sh shell  --kernel K --nodes N [--bin DIR]   (interactive console)
#
# Env: VM_TIMEOUT  wall-clock seconds per guest (default 720)
#      VM_OUT      build dir for logs and the initramfs (default build/vm)
#      VM_TCG_THREAD  multi (default) or single: QEMU TCG threading (single
#                  measured 1.8x slower on 4 scenarios, 196 s against 110 s)
#      VM_VERBOSE=1  stream the guest console while it runs, and print the
#                    logs of passing scenarios too
#      VM_SCENARIO_TIMEOUT  override every scenario's own time-out (s)
#      VM_MATRIX   legs of `matrix` (default "6.1:2 6.12:2 6.12:4")
#      VM_ICOUNT=N  deterministic clock: the guest's time advances 2^N ns per
#                  instruction executed (QEMU -icount shift=N,sleep=off), not
#                  with the host's; one host thread runs every vCPU in turn, so
#                  a guest CPU's instructions delay the others (benchmarks of
#                  CPU cost: no host noise, see tests/bench/README.md)
#      VM_CPUS=1   the 2-node guest with one vCPU (node 0's) and node 1 as
#                  memory only (default 2, one per node); with VM_ICOUNT a
#                  migration then waits on no other vCPU
#      VM_KEEPALIVE=0  do not hold the page_fault_user tracepoint on in the
#                    guest (guest/init; the benchmarks set it)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)	# also when sourced from elsewhere
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${VM_OUT:-$ROOT/build/vm}
TIMEOUT=${VM_TIMEOUT:-1200}
MATRIX=${VM_MATRIX:-"6.1:2 6.12:2 6.12:4"}

KERNEL=
NODES=
TESTS=all
BIN_DIR=$ROOT/build/static
EXTRA_DIR=
INITRD=

log() { printf 'vm.sh: %s\n' "$*" >&2; }
die() { printf 'vm.sh: error: %s\n' "$*" >&2; exit 2; }

usage() {
	cat >&2 <<-'EOF'
	usage: tests/vm/vm.sh test   --kernel 6.1|6.12|PATH --nodes 2|4 [--tests a,b] [--bin DIR]
	       tests/vm/vm.sh matrix [--tests a,b] [--bin DIR]
	       tests/vm/vm.sh shell  --kernel 6.1|6.12|PATH --nodes 2|4 [--bin DIR]
	env:   VM_TIMEOUT=1200 (s per guest)  VM_OUT=build/vm  VM_VERBOSE=1  VM_MATRIX="6.1:2 6.12:2 6.12:4"
	EOF
	exit 2
}

rel() { case $1 in "$ROOT"/*) echo "${1#"$ROOT"/}" ;; *) echo "$1" ;; esac; }

# ------------------------------------------------------------------ host setup

# shellcheck source=tests/vm/apt.sh
. "$HERE/apt.sh"
# shellcheck source=tests/vm/files.sh
. "$HERE/files.sh"
# shellcheck source=tests/vm/guestdebs.sh
. "$HERE/guestdebs.sh"

ensure_host_tools() {
	local missing=()
	command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
	command -v cpio >/dev/null || missing+=(cpio)
	command -v flock >/dev/null || missing+=(util-linux)
	if compgen -G "$HERE/tools/*.c" >/dev/null; then
		command -v gcc >/dev/null || missing+=(gcc)
		[ -e /usr/lib/x86_64-linux-gnu/libc.a ] || missing+=(libc6-dev)
		[ -e /usr/lib/x86_64-linux-gnu/libnuma.a ] || missing+=(libnuma-dev)
		[ -e /usr/lib/x86_64-linux-gnu/libjson-c.a ] || missing+=(libjson-c-dev)
	fi
	[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

# Static test programs from tests/vm/tools/*.c, tests/lib/*.c (the JSON
# reader shared with the host tests) and EXTRA_DIR/tools/*.c into $OUT/tools/.
# Sets TOOL_BINS (no process substitution: a failed build must stop the run).
build_tools() {
	local src bin
	TOOL_BINS=()
	mkdir -p "$OUT/tools"
	for src in "$HERE"/tools/*.c "$ROOT"/tests/lib/*.c ${EXTRA_DIR:+"$EXTRA_DIR"/tools/*.c}; do
		[ -f "$src" ] || continue
		bin=$OUT/tools/$(basename "$src" .c)
		if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ]; then
			# libnuma.a's unused getaddrinfo draws a linker warning: hide
			# only that (grep finding nothing must not end the script)
			gcc -static -O2 -Wall -Wextra -Werror -o "$bin" "$src" -lnuma -ljson-c 2>&1 |
				{ grep -v -e getaddrinfo -e 'in function .affinity_ip' >&2 || true; }
			[ -x "$bin" ] && [ "$bin" -nt "$src" ] ||
				die "cannot build $(rel "$src") (gcc -static needs libc6-dev and libnuma-dev)"
		fi
		TOOL_BINS+=("$bin")
	done
}

# Builds $OUT/initramfs.cpio.gz with the tool, the test programs and the scenarios.
build_initramfs() {
	local bins=() nm=$BIN_DIR/numa-migrate t numad
	if [ -e "$nm" ]; then
		if readelf -lW "$nm" 2>/dev/null | grep -q 'Requesting program interpreter'; then
			die "$(rel "$nm") is dynamically linked; the guest has no libc: rebuild it with 'make STATIC=1'"
		fi
		bins+=("$nm")
	else
		log "warning: $(rel "$nm") not found: scenarios that run numa-migrate will fail (build it with 'make STATIC=1', or pass --bin DIR)"
	fi
	build_tools
	bins+=("${TOOL_BINS[@]}")
	INITRD=$OUT/initramfs.cpio.gz
	# numad, the peer agent the scenarios run (agents.sh), from its Debian package
	numad=$(guest_deb_bin numad usr/bin/numad)
	NMT_EXTRA_SCENARIOS=${EXTRA_DIR:+$EXTRA_DIR/scenarios} NMT_HOST_BINS="${VM_HOST_BINS:-} $numad" \
		"$HERE/initramfs.sh" "$INITRD" "${bins[@]}"
}

kernel_image() {
	case $1 in
	6.1 | 6.12) "$HERE/kernels.sh" "$1" ;;
	*)
		[ -f "$1" ] || die "--kernel '$1' is neither 6.1, 6.12 nor a vmlinuz file"
		echo "$1"
		;;
	esac
}

# ------------------------------------------------------------------ QEMU

# numa_args NODES: CPU, memory and NUMA options (printed one per line). One
# socket per CPU: two cores of one socket on different nodes make the kernel
# warn at boot (topology_sane: llc-sibling not on the same node).
numa_args() {
	case $1 in
	2)
		# VM_NODE_MEM (MiB, default 1536): per-node memory, for make bench-large
		local mb=${VM_NODE_MEM:-1536}
		mb=${mb%[Mm]}
		case $mb in "" | *[!0-9]*) die "VM_NODE_MEM must be MiB, like 5632M, not '${VM_NODE_MEM}'" ;; esac
		# VM_CPUS=1: one vCPU, on node 0; node 1 is memory only. Nothing
		# then waits on another vCPU (IPIs, the LRU drain, grace periods),
		# so on the instruction clock a migration's time is its instructions
		local smp node1
		case ${VM_CPUS:-2} in
		2) smp=2,sockets=2,cores=1,threads=1 node1=node,nodeid=1,cpus=1,memdev=m1 ;;
		1) smp=1,sockets=1,cores=1,threads=1 node1=node,nodeid=1,memdev=m1 ;;
		*) die "VM_CPUS must be 1 or 2 (vCPUs of the 2-node guest), not '${VM_CPUS}'" ;;
		esac
		printf '%s\n' -smp "$smp" -m $((mb * 2))M \
			-object memory-backend-ram,id=m0,size=${mb}M \
			-object memory-backend-ram,id=m1,size=${mb}M \
			-numa node,nodeid=0,cpus=0,memdev=m0 \
			-numa "$node1" \
			-numa dist,src=0,dst=1,val=21
		;;
	4)
		[ "${VM_CPUS:-2}" = 2 ] || die "VM_CPUS is for the 2-node guest (1 or 2); the 4-node one has 2 vCPUs, not '${VM_CPUS}'"
		# Nodes 0 and 1 have a CPU each; 2 and 3 are CPU-less memory (CXL-like):
		# 2 is near 0 and small (a test fills it), 3 is near 1. HMAT says 2 and 3
		# are slower (latency, bandwidth), so the kernel (6.10+) puts them in a
		# lower memory tier and can demote to them; without HMAT every node is
		# plain DRAM in one tier.
		printf '%s\n' -machine hmat=on \
			-smp 2,sockets=2,cores=1,threads=1 -m 4352M \
			-object memory-backend-ram,id=m0,size=1536M \
			-object memory-backend-ram,id=m1,size=1536M \
			-object memory-backend-ram,id=m2,size=256M \
			-object memory-backend-ram,id=m3,size=1024M \
			-numa node,nodeid=0,cpus=0,memdev=m0 \
			-numa node,nodeid=1,cpus=1,memdev=m1 \
			-numa node,nodeid=2,memdev=m2,initiator=0 \
			-numa node,nodeid=3,memdev=m3,initiator=1
		local src dst d lat bw
		# latency (ns) and bandwidth from each CPU node: local DRAM 10 ns
		# 10G, remote DRAM 21 ns 5G, near slow memory 40 ns 2G, far 60 ns 1G
		for src in 0 1; do
			for dst in 0 1 2 3; do
				case $src$dst in
				00 | 11) lat=10 bw=10G ;; 01 | 10) lat=21 bw=5G ;;
				02 | 13) lat=40 bw=2G ;; 03 | 12) lat=60 bw=1G ;;
				esac
				printf '%s\n' -numa "hmat-lb,initiator=$src,target=$dst,hierarchy=memory,data-type=access-latency,latency=$lat" \
					-numa "hmat-lb,initiator=$src,target=$dst,hierarchy=memory,data-type=access-bandwidth,bandwidth=$bw"
			done
		done
		# Symmetric: 10 local, 21 between the CPU nodes, 14 CPU node to its near
		# memory node, 24 to the far one, 26 between the memory nodes.
		for src in 0 1 2 3; do
			for dst in 0 1 2 3; do
				[ "$src" -lt "$dst" ] || continue
				case $src$dst in
				01) d=21 ;; 02 | 13) d=14 ;; 03 | 12) d=24 ;; 23) d=26 ;;
				esac
				printf '%s\n' -numa "dist,src=$src,dst=$dst,val=$d"
			done
		done
		;;
	*) die "--nodes must be 2 or 4, not '$1'" ;;
	esac
}

qemu_cmd() {
	local vmlinuz=$1 nodes=$2 append=$3 a thread=${VM_TCG_THREAD:-multi}
	# icount runs the vCPUs in turn on one thread (QEMU refuses it with
	# thread=multi); sleep=off: an idle guest's clock jumps to its next timer
	# instead of following the host's
	if [ -n "${VM_ICOUNT:-}" ]; then
		case $VM_ICOUNT in [0-9] | 10) ;; *) die "VM_ICOUNT must be a shift of 0-10 (2^N ns per instruction), not '$VM_ICOUNT'" ;; esac
		thread=single
	fi
	# shellcheck disable=SC2054 # commas inside QEMU option values
	QEMU=(qemu-system-x86_64 -accel "tcg,thread=$thread" -cpu max -nographic -no-reboot -nic none
		-kernel "$vmlinuz" -initrd "$INITRD" -append "$append")
	[ -z "${VM_ICOUNT:-}" ] || QEMU+=(-icount "shift=$VM_ICOUNT,sleep=off,align=off")
	# not read from a process substitution: numa_args's die must stop here
	local numa
	numa=$(numa_args "$nodes") || exit 2
	while read -r a; do QEMU+=("$a"); done <<<"$numa"
}

# ------------------------------------------------------------------ one guest

QPID=
kill_qemu() {
	[ -n "$QPID" ] || return 0
	if kill -0 "$QPID" 2>/dev/null; then
		kill -TERM "$QPID" 2>/dev/null || true
		local _
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$QPID" 2>/dev/null || break
			sleep 0.5
		done
		kill -KILL "$QPID" 2>/dev/null || true
	fi
	wait "$QPID" 2>/dev/null || true
	QPID=
}
trap 'kill_qemu' EXIT
trap 'kill_qemu; exit 130' INT TERM

# Guest console text without carriage returns and terminal escapes.
clean_log() { tr -d '\r' <"$1" | sed -E 's/\x1b(\[[0-9;?]*[A-Za-z]|c)//g'; }

# print_scenario_logs FILE: each FAIL/SKIP line and the scenario log the guest
# printed after it (optional skips are left out).
print_scenario_logs() {
	awk '/^(FAIL|SKIP) / && !/\[optional\]$/ { print "  " $0; want = 1; next }
		want && /^----- log of / { show = 1 }
		show { print "  " $0; if (/^----- end of log of /) { show = 0; want = 0 }; next }
		{ want = 0 }' "$1"
}

# kernel_warnings CONSOLE: the kernel's warning lines in the guest's full
# dmesg (printed by /init between NMTEST-DMESG-BEGIN and -END as "dmesg: "
# lines; `quiet` keeps most of them off the console): WARNING splats, hung
# tasks, RCU stalls, lockups, BUG (KASAN included), UBSAN, Oops, and any
# line naming a JIT-compiled BPF program or the BPF verifier's bugs.
# Prints them (nothing when clean).
KERNEL_WARNING_RE='WARNING:|INFO: task .* blocked for more than|hung_task|rcu: INFO:|rcu_(sched|preempt|bh)? ?(self-)?detected stall|detected stalls on CPUs|soft lockup|hard LOCKUP|BUG: |kernel BUG at|UBSAN:|Oops|general protection fault|Kernel panic|bpf_prog_[0-9a-f]{16}|[Vv]erifier (backtracking )?bug'
kernel_warnings() {
	sed -n '/^NMTEST-DMESG-BEGIN/,/^NMTEST-DMESG-END/p' "$1" | grep -a '^dmesg: ' |
		grep -aE -- "$KERNEL_WARNING_RE" || true
}

# judge_console CONSOLE TIMED_OUT: the verdict on a guest's cleaned console.
# Sets J_PASSED J_FAILED J_SKIPPED J_REQ_SKIPS J_SUMMARY and J_REASONS (why
# the leg fails; empty when it passes).
judge_console() {
	local clean=$1 timed_out=$2 rc_line warns
	J_REASONS=()
	J_PASSED=0 J_FAILED=0 J_SKIPPED=0
	J_SUMMARY=$(grep -aE '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$clean" | tail -n 1 || true)
	if [ -n "$J_SUMMARY" ]; then
		read -r J_PASSED _ J_FAILED _ J_SKIPPED _ <<<"${J_SUMMARY//,/}"
	else
		J_PASSED=$(grep -ac '^PASS ' "$clean" || true)
		J_FAILED=$(grep -ac '^FAIL ' "$clean" || true)
		J_SKIPPED=$(grep -ac '^SKIP ' "$clean" || true)
	fi
	J_REQ_SKIPS=$(grep -aE '^SKIP ' "$clean" | grep -avc '\[optional\]$' || true)
	rc_line=$(grep -a '^NMTEST-DONE' "$clean" | tail -n 1 || true)

	[ "$timed_out" = 0 ] || J_REASONS+=("time-out: the guest ran longer than ${TIMEOUT} s (VM_TIMEOUT); last scenario started: $(grep -a '^RUN ' "$clean" | tail -n 1 | cut -c6- || true)")
	if grep -aqE 'Kernel panic|Oops[: ]|BUG: |kernel BUG at|general protection fault' "$clean"; then
		J_REASONS+=("kernel panic/Oops/BUG in the guest's console (see the log)")
	fi
	[ -n "$J_SUMMARY" ] || J_REASONS+=("the guest printed no 'N passed, N failed, N skipped' line (crashed, hung or powered off early)")
	[ -n "$rc_line" ] || [ -z "$J_SUMMARY" ] || J_REASONS+=("the guest printed no NMTEST-DONE line")
	if [ -n "$J_SUMMARY" ] && ! grep -aq '^NMTEST-DMESG-END' "$clean"; then
		J_REASONS+=("the guest printed no full dmesg (NMTEST-DMESG-BEGIN ... NMTEST-DMESG-END): kernel warnings cannot be checked")
	fi
	warns=$(kernel_warnings "$clean")
	if [ -n "$warns" ]; then
		J_REASONS+=("kernel warnings in the guest's dmesg ($(grep -c . <<<"$warns") line(s)); a warning is a failure even when every scenario passed:
$(head -n 10 <<<"$warns" | sed 's/^/    /')")
	fi
	[ "$J_FAILED" -eq 0 ] || J_REASONS+=("$J_FAILED scenario(s) failed")
	[ "$J_REQ_SKIPS" -eq 0 ] || J_REASONS+=("$J_REQ_SKIPS scenario(s) skipped: in the VM matrix a skip is a failure (declare '# optional: N' only where skipping is expected)")
	if [ -n "$J_SUMMARY" ] && [ $((J_PASSED + J_FAILED + J_SKIPPED)) -eq 0 ]; then
		J_REASONS+=("no scenario ran (check --tests and the scenarios' '# nodes:' lines)")
	fi
	if [ -n "$rc_line" ] && [ "$rc_line" != "NMTEST-DONE rc=0" ] && [ ${#J_REASONS[@]} -eq 0 ]; then
		J_REASONS+=("the guest reported $rc_line")
	fi
	return 0
}

LEG_PASSED=0
LEG_FAILED=0

# run_guest KVER NODES TESTS: boots one guest, prints the leg line, returns 0/1.
run_guest() {
	local kver=$1 nodes=$2 tests=$3 vmlinuz label log clean t0 t_boot='' now elapsed
	local timed_out=0 done_at='' reasons=() summary
	case $kver in 6.1 | 6.12) label=$kver ;; *) label=$(basename "$kver") ;; esac
	label="$label/${nodes}n"
	LEG_PASSED=0
	LEG_FAILED=1
	if ! vmlinuz=$(kernel_image "$kver") || [ -z "$vmlinuz" ]; then
		echo "vm[$label]: FAILED: no kernel image for '$kver' (see the error above)"
		return 1
	fi
	log=$OUT/$(echo "$label" | tr '/' '-').log
	clean=${log%.log}.txt
	LEG_CLEAN=$clean
	local extra=
	[ "${VM_VERBOSE:-0}" = 1 ] && extra=" nmverbose=1"
	[ -z "${VM_SCENARIO_TIMEOUT:-}" ] || extra="$extra nmtimeout=$VM_SCENARIO_TIMEOUT"
	[ "${VM_KEEPALIVE:-1}" != 0 ] || extra="$extra nmkeepalive=0"
	# VM_GUEST_ARGS: KEY=VALUE words a benchmark's steps read from /proc/cmdline
	[ -z "${VM_GUEST_ARGS:-}" ] || extra="$extra $VM_GUEST_ARGS"
	qemu_cmd "$vmlinuz" "$nodes" "console=ttyS0 quiet panic=-1 nmtest=$tests nmnodes=$nodes$extra"
	echo "${QEMU[*]}" >"${log%.log}.cmd"

	# One guest at a time on this machine: two TCG guests on 2 cores would
	# halve each other's speed and break the timing-sensitive scenarios.
	exec 8>"${TMPDIR:-/tmp}/numa-migrate-vm.lock"
	if ! flock -n 8; then
		log "another guest is running on this machine; waiting for it"
		flock 8
	fi
	t0=$(date +%s.%N)
	: >"$log"	# now: the streaming tail below must not show the last guest's log
	"${QEMU[@]}" </dev/null >"$log" 2>&1 &
	QPID=$!
	local tailpid=
	if [ "${VM_VERBOSE:-0}" = 1 ]; then
		tail -n +1 -f --pid="$QPID" "$log" | sed -u "s|^|[$label] |" &
		tailpid=$!
	fi
	while kill -0 "$QPID" 2>/dev/null; do
		sleep 0.5
		now=$(date +%s.%N)
		elapsed=$(awk -v a="$t0" -v b="$now" 'BEGIN { printf "%.1f", b - a }')
		if [ -z "$t_boot" ] && grep -aq '^NMTEST-BOOT' "$log"; then t_boot=$elapsed; fi
		if [ -z "$done_at" ] && grep -aq '^NMTEST-DONE' "$log"; then done_at=$elapsed; fi
		if [ -n "$done_at" ] && awk -v a="$elapsed" -v b="$done_at" 'BEGIN { exit !(a - b > 30) }'; then
			log "warning: guest $label printed NMTEST-DONE but did not power off; killing QEMU"
			break
		fi
		if awk -v a="$elapsed" -v t="$TIMEOUT" 'BEGIN { exit !(a >= t) }'; then
			timed_out=1
			break
		fi
	done
	kill_qemu
	flock -u 8
	[ -z "$tailpid" ] || { sleep 0.3; kill "$tailpid" 2>/dev/null || true; wait "$tailpid" 2>/dev/null || true; }
	elapsed=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')

	clean_log "$log" >"$clean"
	judge_console "$clean" "$timed_out"
	vm_files "$clean" "$OUT/files/${label//\//-}"	# save_file's files, validated
	local passed=$J_PASSED failed=$J_FAILED skipped=$J_SKIPPED req_skips=$J_REQ_SKIPS
	summary=$J_SUMMARY
	reasons=("${J_REASONS[@]}" "${FILES_REASONS[@]}")

	LEG_PASSED=$passed
	# The closing line must not read as a pass when the leg failed.
	LEG_FAILED=$((failed + req_skips))
	[ ${#reasons[@]} -eq 0 ] || [ "$LEG_FAILED" -gt 0 ] || LEG_FAILED=1

	local kernel_rel boot_up
	kernel_rel=$(sed -n 's/^NMTEST-BOOT kernel=\([^ ]*\).*/\1/p' "$clean" | head -n 1)
	boot_up=$(sed -n 's/^NMTEST-BOOT .*uptime=\([^ ]*\).*/\1/p' "$clean" | head -n 1)
	echo "vm[$label]: kernel ${kernel_rel:-?}, /init after ${t_boot:-?} s (guest uptime ${boot_up:-?} s), serial log $(rel "$log")"
	echo "vm[$label]: $passed passed, $failed failed, $skipped skipped in $elapsed s"
	echo "vm[$label]: $FILES_LINE"

	if [ ${#reasons[@]} -eq 0 ]; then
		return 0
	fi
	local r
	for r in "${reasons[@]}"; do echo "vm[$label]: FAILED: $r"; done
	if grep -aqE '^(FAIL|SKIP) ' "$clean"; then
		echo "vm[$label]: failing scenarios and their logs:"
		print_scenario_logs "$clean"
	fi
	if [ -z "$summary" ] || [ "$timed_out" = 1 ] || grep -aqE 'Kernel panic|Oops[: ]|BUG: ' "$clean"; then
		echo "vm[$label]: last 60 lines of the guest console:"
		sed '/^NMTEST-DMESG-BEGIN/,/^NMTEST-DMESG-END/d' "$clean" | tail -n 60 | sed 's/^/  | /'
	fi
	echo "vm[$label]: whole serial log: $(rel "$log")  (QEMU command: $(rel "${log%.log}.cmd"))"
	return 1
}

# emulator_int3 CONSOLE: true when the guest kernel died of a stray int3 that
# is no longer in its text, and of nothing else. That is QEMU TCG running a
# stale translation of kernel code the kernel was patching on the other vCPU
# (text_poke_bp puts a temporary int3 on the first byte of an instruction it
# rewrites: a static branch flipped, an ftrace nop turned into a call). The
# kernel had already put the instruction back when the Oops printed, so the
# byte before the trapping RIP in the Code: dump is the instruction's real
# first byte, not the int3 (cc). Sites seen (2026-11 and 12, 6.12):
# exc_page_fault+0x3d (the page_fault_user tracepoint's key), task_tick_fair
# +0x8f (sched_numa_balancing, flipped with the sysctl), task_numa_fault+0x5
# (its ftrace nop, as the hinting-fault tracer attaches), exc_page_fault
# +0x125 and __alloc_pages_noprof+0xe2: five sites in five fresh-clone runs,
# so a list of exact sites is not a rule; the mechanism is. An int3 that is
# really there (cc before RIP), which is what a breakpoint in our code would
# show, is never retried. All of this is required:
#  - "Oops: int3", or the kernel BUG at kernel/entry/common.c:378 with
#    asm_exc_int3 frames (the int3 recurring while the Oops was printed);
#  - every kernel "RIP: 0010:" in kernel text (not a bpf_prog_ JIT image, a
#    BPF trampoline or an ftrace trampoline, all possibly ours) and, at one
#    of them, a Code: dump whose byte before <..> is not cc;
#  - no call-trace frame in a bpf_prog_, a BPF or ftrace trampoline or a
#    kprobe, unless the unwinder marks it "? " (a stale return address on the
#    stack, not in the chain: an fentry trampoline that ran at the entry of
#    the function that then trapped leaves one, 2026-12-06, task_numa_fault
#    +0x4e); no other Oops/BUG/WARNING/panic line, on the console or in the
#    dmesg dump;
#  - the guest's own summary of the run up to the fault: its NMTEST-BOOT
#    and NMTEST-PLAN lines and the RUN line of the scenario it died in.
# Prints why not, when the console has an int3 that does not match.
emulator_int3() {
	[ -f "$1" ] || return 1
	grep -aq 'int3' "$1" || { echo "vm: not the emulator int3 (not retried): no int3 on the console"; return 1; }
	awk '
	function bad(why) { if (reason == "") reason = why }
	function ours(sym) { return sym ~ /^(bpf_prog_|bpf_trampoline_|ftrace_trampoline|kprobe|__kprobes|optimized_callback)/ }
	/^NMTEST-BOOT / { boot = 1 }
	/^NMTEST-PLAN / { plan = 1 }
	/^RUN / { run = 1 }
	{
		line = $0
		sub(/^dmesg: /, "", line)
		if (!match(line, /^\[ *[0-9]+\.[0-9]+\] /)) { want_code = 0; next }
		body = substr(line, RLENGTH + 1)
		if (want_code) {
			want_code = 0
			if (body ~ /^Code: /) {
				if (match(body, / [0-9a-f][0-9a-f] </)) {
					if (substr(body, RSTART + 1, 2) == "cc")
						bad("the int3 is still in the text at " rip " (cc before the trapping byte): a real breakpoint, not a stale translation")
					else
						restored = 1
				}
			}
		}
		if (body ~ /kprobe/) bad("a kprobe in the kernel report: " body)
		if (body ~ /^RIP: 0010:/) {
			rip = substr(body, 11)
			if (ours(rip)) bad("the kernel trapped at " rip ", in code numa-migrate may have put there")
			else if (rip != "irqentry_nmi_enter+0x2e/0x30" && rip != "rep_movs_alternative+0x4a/0x90") { kernel_rip = 1; want_code = 1 }
		}
		if (body ~ /^Oops: int3: /) oops_int3 = 1
		else if (body ~ /^Oops: invalid opcode: /) oops_ud = 1
		else if (body == "kernel BUG at kernel/entry/common.c:378!") bug_nmi = 1
		else if (body ~ /^(---\[ end )?Kernel panic - not syncing: Fatal exception( in interrupt)?( \]---)?$/) ;
		else if (body ~ /Oops|BUG|WARNING|[Pp]anic|general protection|Unable to handle|double fault|LOCKUP|lockup|stall|blocked for more than|KASAN|UBSAN|[Vv]erifier/)
			bad("another kernel report: " body)
		if (body ~ /^ +(\? )?[A-Za-z0-9_.]+\+0x[0-9a-f]+\/0x[0-9a-f]+/) {
			fr = body; stale = fr ~ /^ +\? /; sub(/^ +(\? )?/, "", fr); sub(/\+.*/, "", fr)
			if (fr == "asm_exc_int3") int3_frame = 1
			if (ours(fr) && !stale) bad("call-trace frame " fr " is code numa-migrate may have put there (a bpf_prog_ JIT image, a trampoline or a probe)")
		}
	}
	END {
		if (!kernel_rip) bad("no kernel RIP in the report")
		else if (!restored) bad("no Code: dump showing the patched instruction restored at the trapping RIP")
		if (!oops_int3 && !(bug_nmi && int3_frame)) bad("neither \"Oops: int3\" nor the kernel BUG in irqentry_nmi_enter under exc_int3")
		if (oops_ud && !bug_nmi) bad("an invalid-opcode Oops other than the known kernel BUG")
		if (!boot || !plan || !run) bad("the guest summary of the run (NMTEST-BOOT, NMTEST-PLAN, a RUN line) is missing")
		if (reason != "") { print "vm: not the emulator int3 (not retried): " reason; exit 1 }
	}' "$1"
}

# run_leg KVER NODES TESTS: run_guest, and run it once more when the only
# thing wrong was emulator_int3 (no scenario failed before it). The first
# console log is kept; a second such fault, a failing scenario or any
# other kernel fault fails the leg.
run_leg() {
	local clean try failed
	for try in 1 2; do
		LEG_CLEAN=
		run_guest "$@" && return 0
		clean=$LEG_CLEAN
		if ! grep -aq 'int3' "$clean" 2>/dev/null; then
			! grep -aqE 'Kernel panic|Oops[: ]' "$clean" 2>/dev/null ||
				echo "vm: not retried: the guest kernel died, and not of an int3 (no int3 in its report)"
			return 1
		fi
		emulator_int3 "$clean" || return 1
		failed=$(sed -n 's/^FAIL \([^ ]*\).*/\1/p' "$clean" | tr '\n' ' ')
		if [ -n "$failed" ]; then
			echo "vm: not retried: the guest died of the emulator's stray int3, but scenarios had failed before it: $failed"
			return 1
		fi
		cp "$clean" "${clean%.txt}.int3.$try.txt"
		echo "vm: the guest kernel trapped on a stray int3 in its own text (QEMU TCG ran kernel code" \
		     "it was patching; not numa-migrate): running this leg again (retry $try of 2);" \
		     "the console is kept in $(rel "${clean%.txt}.int3.$try.txt")"
	done
	run_guest "$@" && return 0
	echo "vm: failed on its third run; the first two died of the emulator's stray int3" \
	     "(consoles: $(rel "${clean%.txt}.int3.1.txt") and .int3.2.txt)"
	return 1
}

# ------------------------------------------------------------------ commands

cmd_test() {
	[ -n "$KERNEL" ] || { KERNEL=6.12; log "no --kernel given: using 6.12"; }
	[ -n "$NODES" ] || { NODES=2; log "no --nodes given: using 2"; }
	numa_args "$NODES" >/dev/null
	ensure_host_tools
	mkdir -p "$OUT"
	build_initramfs
	local rc=0
	run_leg "$KERNEL" "$NODES" "$TESTS" || rc=1
	echo "$LEG_PASSED passed, $LEG_FAILED failed"
	return $rc
}

cmd_matrix() {
	ensure_host_tools
	mkdir -p "$OUT"
	build_initramfs
	local leg k n rc=0 p=0 f=0 t0 failed_legs=()
	t0=$(date +%s)
	for leg in $MATRIX; do
		k=${leg%%:*}
		n=${leg#*:}
		if ! run_leg "$k" "$n" "$TESTS"; then
			rc=1
			failed_legs+=("$k/${n}n")
		fi
		p=$((p + LEG_PASSED))
		f=$((f + LEG_FAILED))
	done
	echo "vm matrix: $(($(date +%s) - t0)) s for $MATRIX${failed_legs[*]:+; failed legs: ${failed_legs[*]}}"
	echo "$p passed, $f failed"
	return $rc
}

cmd_shell() {
	KERNEL=${KERNEL:-6.12}
	NODES=${NODES:-4}
	numa_args "$NODES" >/dev/null
	ensure_host_tools
	mkdir -p "$OUT"
	build_initramfs
	local vmlinuz
	vmlinuz=$(kernel_image "$KERNEL")
	qemu_cmd "$vmlinuz" "$NODES" "console=ttyS0 quiet panic=-1 nmshell=1 nmnodes=$NODES"
	[ -t 0 ] || log "warning: stdin is not a terminal; the guest shell will not be usable"
	log "booting $KERNEL with $NODES nodes; leave with 'poweroff -f' in the guest or Ctrl-A x"
	trap - EXIT INT TERM
	exec "${QEMU[@]}"
}

set_opt() {
	case $1 in
	--kernel) KERNEL=$2 ;;
	--nodes) NODES=$2 ;;
	--tests) TESTS=$2 ;;
	--bin)
		[ -z "$2" ] || BIN_DIR=$(cd "$2" 2>/dev/null && pwd) || die "--bin $2: no such directory"
		;;
	--extra)
		EXTRA_DIR=$(cd "$2" 2>/dev/null && pwd) || die "--extra $2: no such directory"
		[ -d "$EXTRA_DIR/scenarios" ] || die "--extra $2: no scenarios/ folder in it"
		;;
	esac
}

main() {
	[ $# -ge 1 ] || usage
	local cmd=$1
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		# An empty value (make passes KERNEL= NODES= T= unset) means the default.
		--kernel | --nodes | --tests | --bin | --extra)
			[ $# -ge 2 ] || die "$1 needs a value"
			set_opt "$1" "$2"
			shift 2
			;;
		--kernel=* | --nodes=* | --tests=* | --bin=* | --extra=*)
			set_opt "${1%%=*}" "${1#*=}"
			shift
			;;
		-h | --help) usage ;;
		*) log "unknown argument '$1'"; usage ;;
		esac
	done
	[ -n "$TESTS" ] || TESTS=all
	case $TESTS in *[!a-z0-9_,-]*) die "--tests '$TESTS': use scenario names separated by commas" ;; esac
	case $cmd in
	test) cmd_test ;;
	matrix) cmd_matrix ;;
	shell) cmd_shell ;;
	-h | --help | help) usage ;;
	*) log "unknown command '$cmd'"; usage ;;
	esac
}

# Sourced (tests/vm/test-run-leg.sh) only for its functions.
[ "${BASH_SOURCE[0]}" != "$0" ] || main "$@"

#!/usr/bin/env bash
# Checks vm.sh's rules on recorded guest consoles (fixtures/):
#  - the retry rule, with run_guest stubbed: a leg whose only fault is the
#    emulator's stray int3 (its exact signature, emulator_int3) is run once
#    more; a second such fault, a failing scenario, an int3 in a BPF JIT
#    frame, a trampoline or a kprobe (in the chain: frames marked "? " are
#    stale and do not count), other Code: bytes, a missing guest
#    summary, or any other kernel report fails it;
#  - the verdict on a console (judge_console): kernel warnings in the
#    guest's dmesg dump (WARNING, hung task, RCU stall, BUG/KASAN, UBSAN,
#    bpf_prog splat, verifier bug) fail a leg in which every scenario passed;
#  - VM_ICOUNT's and VM_CPUS's QEMU options (qemu_cmd), and bad values refused.
# Prints PASS/FAIL per case and exits non-zero on any failure. Run by the
# host tests (tests/host/run.sh).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/vm/vm.sh
. "$HERE/vm.sh"
set +e
T=$(mktemp -d /tmp/nm-runleg.XXXXXX)
trap 'rm -rf "$T"' EXIT
OUT=$T
rel() { echo "$1"; }
FX=$HERE/fixtures
bad=0 calls=0 first= pass_at=1

# stub: the first run's console is $first; the run numbered $pass_at and
# later ones pass
run_guest() {
	calls=$((calls + 1))
	LEG_CLEAN=$T/leg.txt
	[ "$calls" -gt 1 ] || cp "$first" "$LEG_CLEAN"
	[ "$calls" -ge "$pass_at" ]
}

# case NAME CONSOLE PASS_AT WANT_RC WANT_CALLS [WANT_OUTPUT_REGEX]
# (a leg that is not retried must say why: the CI shows only the end of it)
case_() {
	local name=$1 rc
	first=$2 pass_at=$3 calls=0
	rm -f "$T"/leg*.txt
	run_leg 6.12 2 all >"$T/out" 2>&1
	rc=$?
	if [ "$rc" -eq "$4" ] && [ "$calls" -eq "$5" ] && { [ -z "${6:-}" ] || grep -qE -- "$6" "$T/out"; }; then
		echo "PASS $name (rc=$rc, guest runs: $calls)"
	else
		echo "FAIL $name: rc=$rc guest runs=$calls, expected rc=$4 runs=$5${6:+ and output /$6/}; output: $(cat "$T/out")"
		bad=$((bad + 1))
	fi
}

cat "$FX/console-bug-in-int3.txt" >"$T/with-fail.txt"
echo 'FAIL auto_cooldown (a real failure) in 30 s' >>"$T/with-fail.txt"
cat "$FX/console-bug-in-int3.txt" >"$T/with-kprobe.txt"
echo '[  118.682344]  kprobe_int3_handler+0x12/0x150' >>"$T/with-kprobe.txt"
printf 'RUN  topology\nPASS topology in 1 s\n1 passed, 0 failed, 0 skipped\n' >"$T/clean.txt"
printf 'RUN  topology\nFAIL topology in 1 s\n0 passed, 1 failed, 0 skipped\n' >"$T/plain-fail.txt"

case_ "clean leg: one run" "$T/clean.txt" 1 0 1
case_ "Oops: int3, then a clean run: retried, passes" "$FX/console-oops-int3.txt" 2 0 2
case_ "BUG under exc_int3, then a clean run: retried, passes" "$FX/console-bug-in-int3.txt" 2 0 2
case_ "Oops: int3 in task_tick_fair, then a clean run: retried, passes" "$FX/console-oops-int3-task-tick.txt" 2 0 2
case_ "Oops: int3 in task_numa_fault's patch site, then a clean run: retried, passes" "$FX/console-oops-int3-task-numa-fault.txt" 2 0 2
case_ "Oops: int3 at task_numa_fault+0x4e with stale (?) trampoline frames, then a clean run: retried, passes" "$FX/console-oops-int3-task-numa-fault-4e.txt" 2 0 2
case_ "int3 three times: fails after two retries, says so" "$FX/console-oops-int3.txt" 9 1 3 'failed on its third run; the first two died'
case_ "int3 at exc_page_fault+0x125 three times: fails after two retries" "$FX/console-oops-int3-exc-page-fault-125.txt" 9 1 3 'retry 2 of 2'
case_ "a failing scenario, no kernel fault: fails, no retry" "$T/plain-fail.txt" 9 1 1
case_ "a kernel panic without an int3: fails, no retry, says so" "$FX/console-gpf.txt" 9 1 1 'not retried: the guest kernel died, and not of an int3'
case_ "int3 after a failing scenario: fails, no retry, names the scenario" "$T/with-fail.txt" 9 1 1 'scenarios had failed before it: auto_cooldown'
case_ "int3 twice, then a clean run: passes on the second retry" "$FX/console-oops-int3.txt" 3 0 3
case_ "int3 under a kprobe: fails, no retry" "$T/with-kprobe.txt" 9 1 1
case_ "general protection fault: fails, no retry" "$FX/console-gpf.txt" 9 1 1
# ---- the int3 signature: variants of the real consoles that must not be
# retried (an int3 in our own code, or anything beyond the known case)
variant() {	# variant NAME SOURCE SED-SCRIPT [LINE-TO-APPEND]
	sed -E "$3" "$2" >"$T/$1.txt"
	[ -z "${4:-}" ] || printf '%s\n' "$4" >>"$T/$1.txt"
}
variant jit-frame "$FX/console-bug-in-int3.txt" '' '[  118.682344]  bpf_prog_6deef7357e7b4530_nm_fault+0x2a/0x5c'
variant trampoline "$FX/console-bug-in-int3.txt" '' '[  118.682344]  bpf_trampoline_6442505730+0x4f/0x1000'
variant jit-rip "$FX/console-oops-int3.txt" 's|RIP: 0010:exc_page_fault\+0x3d/0x190|RIP: 0010:bpf_prog_6deef7357e7b4530_nm_fault+0x1d/0x5c|'
variant tramp-rip "$FX/console-oops-int3.txt" 's|RIP: 0010:exc_page_fault\+0x3d/0x190|RIP: 0010:bpf_trampoline_6442505730+0x4f/0x1000|'
variant other-code "$FX/console-oops-int3.txt" 's|66 <90> 8b 05|cc <90> 8b 05|'
variant no-plan "$FX/console-oops-int3.txt" '/^NMTEST-PLAN /d'
variant no-boot "$FX/console-bug-in-int3.txt" '/^NMTEST-BOOT /d'
variant warning "$FX/console-oops-int3.txt" '' '[  110.245650] WARNING: CPU: 0 PID: 3457 at kernel/bpf/trampoline.c:611 bpf_trampoline_link_prog+0x1b2/0x200'
variant second-oops "$FX/console-oops-int3.txt" '' '[  110.245700] Oops: general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#2] PREEMPT SMP NOPTI'
variant dmesg-warning "$FX/console-oops-int3.txt" '' 'NMTEST-DMESG-BEGIN
dmesg: [   90.100000] WARNING: CPU: 1 PID: 3400 at mm/migrate.c:1234 migrate_pages_batch+0x50/0x900
NMTEST-DMESG-END'
variant no-int3 "$FX/console-oops-int3.txt" 's|Oops: int3: |Oops: general protection fault: |'
variant tick-code "$FX/console-oops-int3-task-tick.txt" 's|eb <3b> 0f 1f|cc <3b> 0f 1f|'
variant tick-frame "$FX/console-oops-int3-task-tick.txt" 's|^(\[ *[0-9.]+\]  )sched_tick\+|\1bpf_prog_6deef7357e7b4530_nm_fault+|'
variant tnf-tramp "$FX/console-oops-int3-task-numa-fault.txt" 's|^(\[ *[0-9.]+\]  )handle_mm_fault\+|\1bpf_trampoline_6442505730+|'
variant tnf4e-live "$FX/console-oops-int3-task-numa-fault-4e.txt" 's|^(\[ *[0-9.]+\]  )\? bpf_trampoline_|\1bpf_trampoline_|'
variant tnf-code "$FX/console-oops-int3-task-numa-fault.txt" 's|0f <1f> 44 00 00 41 57|cc <1f> 44 00 00 41 57|'
case_ "int3 in a bpf_prog_ JIT frame: fails, no retry" "$T/jit-frame.txt" 9 1 1
case_ "int3 under a BPF trampoline frame: fails, no retry" "$T/trampoline.txt" 9 1 1
case_ "int3 with RIP in a bpf_prog_: fails, no retry" "$T/jit-rip.txt" 9 1 1
case_ "int3 with RIP in a trampoline: fails, no retry" "$T/tramp-rip.txt" 9 1 1
case_ "int3 still in the text (cc before RIP): fails, no retry" "$T/other-code.txt" 9 1 1
case_ "int3 without the guest's NMTEST-PLAN summary: fails, no retry" "$T/no-plan.txt" 9 1 1
case_ "BUG under exc_int3 without NMTEST-BOOT: fails, no retry" "$T/no-boot.txt" 9 1 1
case_ "int3 and a WARNING: fails, no retry" "$T/warning.txt" 9 1 1
case_ "int3 and a second Oops: fails, no retry" "$T/second-oops.txt" 9 1 1
case_ "int3 and a WARNING in the dmesg dump: fails, no retry" "$T/dmesg-warning.txt" 9 1 1
case_ "the known RIP and Code without an int3 Oops: fails, no retry" "$T/no-int3.txt" 9 1 1
case_ "int3 in task_numa_fault under a BPF trampoline frame: fails, no retry" "$T/tnf-tramp.txt" 9 1 1
case_ "int3 at task_numa_fault+0x4e under a trampoline frame in the chain (no ?): fails, no retry" "$T/tnf4e-live.txt" 9 1 1
case_ "int3 still in task_numa_fault's text: fails, no retry" "$T/tnf-code.txt" 9 1 1
case_ "int3 still in task_tick_fair's text: fails, no retry" "$T/tick-code.txt" 9 1 1
case_ "int3 in task_tick_fair under a bpf_prog_ frame: fails, no retry" "$T/tick-frame.txt" 9 1 1
# the signature itself matches both real consoles (not only through run_leg)
for fx in console-oops-int3 console-bug-in-int3 console-oops-int3-task-tick console-oops-int3-task-numa-fault \
	  console-oops-int3-alloc-pages console-oops-int3-exc-page-fault-125 \
	  console-oops-int3-task-numa-fault-4e; do
	if emulator_int3 "$FX/$fx.txt" >"$T/why" 2>&1; then
		echo "PASS emulator_int3 matches the real $fx"
	else
		echo "FAIL emulator_int3 rejects the real $fx: $(cat "$T/why")"
		bad=$((bad + 1))
	fi
done

# ---- kernel warnings fail a leg (judge_console on the guest's console with
# its dmesg dump); a clean console passes
clean_console() {	# clean_console [DMESG-LINE...]
	printf '%s\n' 'NMTEST-BOOT kernel=6.12.117+deb12-amd64 uptime=3.91 cpus=2 online=0-1 has_memory=0-1 has_cpu=0-1' \
		'NMTEST-PLAN nodes=2 scenarios: topology golden' 'RUN  topology' 'PASS topology in 1 s' \
		'RUN  golden' 'PASS golden in 9 s' '2 passed, 0 failed, 0 skipped' 'NMTEST-DMESG-BEGIN' \
		'dmesg: [    0.000000] Linux version 6.12.117+deb12-amd64' \
		'dmesg: [    0.412000] NUMA: Node 0 [mem 0x00000000-0x5fffffff]' \
		'dmesg: [    3.800000] Freeing unused kernel image (initmem) memory: 3812K'
	printf 'dmesg: %s\n' "$@"
	printf '%s\n' 'NMTEST-DMESG-END' 'NMTEST-DONE rc=0'
}
# judge NAME WANT(pass|fail) CONSOLE-FILE [REASON-REGEX]
judge() {
	judge_console "$3" 0
	local got=pass all
	[ ${#J_REASONS[@]} -eq 0 ] || got=fail
	all=$(printf '%s\n' "${J_REASONS[@]}")
	if [ "$got" = "$2" ] && { [ -z "${4:-}" ] || grep -qE -- "$4" <<<"$all"; }; then
		echo "PASS $1 ($got)"
	else
		echo "FAIL $1: expected $2${4:+ (/$4/)}, got $got: $all"
		bad=$((bad + 1))
	fi
}
clean_console >"$T/c-clean.txt"
judge "clean console with its dmesg: passes" pass "$T/c-clean.txt"
n=0
while IFS= read -r line; do
	n=$((n + 1))
	clean_console "$line" >"$T/c-warn$n.txt"
	judge "dmesg line fails the leg: $line" fail "$T/c-warn$n.txt" 'kernel warnings in the guest.s dmesg'
done <<'EOF'
[  212.114233] WARNING: CPU: 1 PID: 812 at mm/migrate.c:1876 migrate_pages_batch+0x9c4/0xb10
[  250.000001] INFO: task kworker/u4:2:57 blocked for more than 122 seconds.
[  300.000002] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:
[  300.000003] rcu: INFO: rcu_sched self-detected stall on CPU
[  301.000004] watchdog: BUG: soft lockup - CPU#1 stuck for 26s! [numa-migrate:812]
[  310.000005] BUG: KASAN: slab-out-of-bounds in bpf_ringbuf_submit+0x1c/0x80
[  311.000006] UBSAN: array-index-out-of-bounds in kernel/bpf/verifier.c:4321:12
[  312.000007]  bpf_prog_6deef7357e7b4530_nm_migrate+0x2a/0x5c
[  313.000008] verifier backtracking bug (last_idx 12 first_idx 3)
[  314.000009] BUG: unable to handle page fault for address: ffffffffc0a1b2c3
EOF
# no dmesg dump although the guest finished: the warnings cannot be checked
grep -v '^NMTEST-DMESG-\|^dmesg: ' "$T/c-clean.txt" >"$T/c-nodmesg.txt"
judge "no dmesg dump: fails the leg" fail "$T/c-nodmesg.txt" 'no full dmesg'
# a real console of a clean leg (fixture), as the guest prints it
judge "real clean 6.12/2n console: passes" pass "$FX/console-clean-6.12-2n.txt"
sed -E '0,/^NMTEST-DMESG-END/s//dmesg: [  500.000000] WARNING: CPU: 0 PID: 1 at kernel\/bpf\/core.c:1 x+0x1\/0x2\nNMTEST-DMESG-END/' \
	"$FX/console-clean-6.12-2n.txt" >"$T/c-real-warn.txt"
judge "real clean console plus a WARNING in its dmesg: fails" fail "$T/c-real-warn.txt" 'kernel warnings'

# VM_ICOUNT: the instruction clock's QEMU options; without it the host's
# clock and multi-threaded TCG; a shift that is not 0-10 refused
INITRD=$T/initrd
# qemu_case NAME VAR VALUE NODES WANT_RC WANT_REGEX UNWANTED_REGEX: qemu_cmd's
# command (or its error) with VAR=VALUE (VAR unset when VALUE is empty)
qemu_case() {
	local rc cmd
	cmd=$(if [ -n "$3" ]; then export "$2=$3"; else unset "$2"; fi
		qemu_cmd /k "$4" quiet 2>&1 && printf '%s\n' "${QEMU[@]}")
	rc=$?
	if [ "$rc" -eq "$5" ] && grep -qE -- "$6" <<<"$cmd" && ! grep -qE -- "$7" <<<"$cmd"; then
		echo "PASS $1"
	else
		echo "FAIL $1: rc=$rc (expected $5), command or error: $cmd"
		bad=$((bad + 1))
	fi
}
icount_case() { qemu_case "$1" VM_ICOUNT "$2" 2 "$3" "$4" "$5"; }	# NAME VALUE WANT_RC WANT UNWANTED
icount_case "VM_ICOUNT=0: one TCG thread" 0 0 '^tcg,thread=single$' '^tcg,thread=multi$'
icount_case "VM_ICOUNT=0: instruction clock, no sleep" 0 0 '^shift=0,sleep=off,align=off$' '^shift=[1-9]'
icount_case "VM_ICOUNT=3: the shift passed" 3 0 '^shift=3,sleep=off,align=off$' '^shift=0'
icount_case "no VM_ICOUNT: host clock, multi-threaded TCG" "" 0 '^tcg,thread=multi$' '^-icount$'
icount_case "VM_ICOUNT=10: the largest shift passed" 10 0 '^shift=10,sleep=off,align=off$' '^tcg,thread=multi$'
VM_TCG_THREAD=multi icount_case "VM_ICOUNT=0 over VM_TCG_THREAD=multi: one thread" 0 0 '^tcg,thread=single$' '^tcg,thread=multi$'
icount_case "VM_ICOUNT=x refused, naming it" x 2 'VM_ICOUNT must be a shift of 0-10' '^-icount$'
icount_case "VM_ICOUNT=11 refused" 11 2 "VM_ICOUNT must be a shift of 0-10.*not '11'" '^-icount$'

# VM_CPUS: the 2-node guest's vCPUs (1: node 1 memory only); bad values and
# VM_NODE_MEM's refusal stop the command
topo_case() { qemu_case "$1" VM_CPUS "$2" "$3" "$4" "$5" "$6"; }	# NAME VALUE NODES WANT_RC WANT UNWANTED
topo_case "2 nodes: a vCPU on each" "" 2 0 '^node,nodeid=1,cpus=1,memdev=m1$' '^-icount$'
topo_case "VM_CPUS=1: one vCPU" 1 2 0 '^1,sockets=1,cores=1,threads=1$' '^2,sockets=2'
topo_case "VM_CPUS=1: node 1 memory only" 1 2 0 '^node,nodeid=1,memdev=m1$' 'nodeid=1,cpus='
topo_case "VM_CPUS=3 refused, naming it" 3 2 2 "VM_CPUS must be 1 or 2.*not '3'" '^-smp$'
topo_case "VM_CPUS=1 refused for 4 nodes" 1 4 2 "VM_CPUS is for the 2-node guest.*not '1'" '^-smp$'
VM_NODE_MEM=x topo_case "a bad VM_NODE_MEM stops the command" "" 2 2 'VM_NODE_MEM must be MiB' '^-smp$'

# the retry keeps the first console
first=$FX/console-oops-int3.txt pass_at=2 calls=0
run_leg 6.12 2 all >"$T/out" 2>&1
if cmp -s "$T/leg.int3.1.txt" "$FX/console-oops-int3.txt" && grep -q 'running this leg again (retry 1 of 2)' "$T/out"; then
	echo "PASS the retry says so and keeps the first console"
else
	echo "FAIL the retry did not keep the first console or say so: $(cat "$T/out")"
	bad=$((bad + 1))
fi
echo "run_leg: $bad failed"
[ "$bad" -eq 0 ]

# auto_all: one auto --all for the whole guest (issue #13 point 2). Helpers
# of 64 MiB: A and B first-touched on node 0 with their thread on node 1
# (misplaced), W on node 1 with its thread there (well placed), X misplaced
# and stopped mid-run, C misplaced and started after auto, G small (below
# --min-size) for 9 s of auto's rescans, then grown past it. The kernel scans 4
# MiB per period (16 times less than a footprint, as real processes see it).
# auto --all must bring A, B and C to >= 95% on node 1 (numa_maps), move
# nothing of W, report X as exited with its line, take and release each
# pid's lock, log a pid on every line (after the agents line: none here),
# restore numa_balancing, and every helper's pattern must be intact. Its
# report and log are returned for the schemas (auto-all, auto-log).
# nodes: 2
# kernels: 6.12
# timeout: 300

# save_helper NAME: keeps the H_* of the helper just started under NAME_*.
save_helper() {
	eval "$1_PID=\$H_PID $1_BG=\$H_BGPID $1_OUT=\$H_OUT $1_ERR=\$H_ERR $1_START=\$H_START $1_LEN=\$H_LEN"
}
# use_helper NAME: makes NAME the helper helper_stop and friends act on.
use_helper() {
	eval "H_PID=\$$1_PID H_BGPID=\$$1_BG H_OUT=\$$1_OUT H_ERR=\$$1_ERR H_START=\$$1_START H_LEN=\$$1_LEN"
}
locked() { [ -e "/run/numa-migrate/pid-$1.lock" ]; }
# prog_types PID: the prog_type of each BPF program PID holds, one per line
prog_types() {
	local f
	for f in /proc/"$1"/fd/*; do
		[ "$(readlink "$f" 2>/dev/null)" = anon_inode:bpf-prog ] &&
			sed -n 's/^prog_type:[[:space:]]*//p' /proc/"$1"/fdinfo/"${f##*/}"
	done
}
all_locked() { locked "$A_PID" && locked "$B_PID" && locked "$W_PID" && locked "$X_PID"; }

t_auto_all() {
	local bg rc=0 h pct moved n pidlines t0 t1 up
	echo 0 >/proc/sys/kernel/numa_balancing
	numab_scan_size 4
	helper_start --size 64M --node 0 --access-node 1 --threads 1 --no-thp; save_helper A
	helper_start --size 64M --node 0 --access-node 1 --threads 1 --no-thp; save_helper B
	helper_start --size 64M --node 1 --access-node 1 --threads 1 --no-thp; save_helper W
	helper_start --size 64M --node 0 --access-node 1 --threads 1 --no-thp; save_helper X
	# G: small (about 7 MiB) until told to map 64 MiB more
	nmt-layout "$NMT_WORK" 2 64 >layout.out 2>&1 &
	nmt_track_pid $!
	wait_until 30 grep -q '^LAYOUT ' layout.out || fail "nmt-layout did not start: $(cat layout.out)"
	G_PID=$(nmt_field pid "$(grep -m1 '^LAYOUT ' layout.out)")
	nmt_track_pid "$G_PID"
	t0=$(nmt_now); t0=${t0%.*}
	"$NM" auto --all --min-size 48M --interval 1 --duration 30 --enable-balancing --json \
		--log all.log >all.json 2>all.err &
	bg=$!
	nmt_track_pid "$bg"
	wait_until 20 all_locked || fail "auto --all took no lock of the four helpers in 20 s: $(ls /run/numa-migrate 2>&1); $(cat all.err)"
	# its programs are the hinting-fault ones (fentry, type 26): no counter on
	# migrate:mm_migrate_pages (raw tracepoint, type 17), which would run on
	# every migration of every process while --all counts none of them
	h=$(prog_types "$bg" | sort | uniq -c | tr -s ' \n' ' ')
	info "auto --all's BPF programs (count type): $h"
	assert_match ' 26 ' " $h" "auto --all holds its fentry programs"
	assert_eq 0 "$(prog_types "$bg" | grep -c '^17$')" "raw tracepoint programs held by auto --all"
	# a process that starts later joins at the next rescan
	helper_start --size 64M --node 0 --access-node 1 --threads 1 --no-thp; save_helper C
	wait_until 10 locked "$C_PID" || fail "C (pid $C_PID) was not picked up within 10 s"
	# a process read small for 5 s of rescans is read once per 5 only (on its
	# turn): when it grows past --min-size it still joins within those 5
	up=$(nmt_now)
	while [ $((${up%.*} - t0)) -lt 9 ]; do sleep 0.5; up=$(nmt_now); done
	locked "$G_PID" && fail "G (pid $G_PID, $(($(awk '{ print $2 }' /proc/$G_PID/statm) * 4)) KiB resident) managed while below --min-size"
	kill -USR1 "$G_PID"
	wait_until 20 grep -q '^GREW ' layout.out || fail "G did not grow: $(cat layout.out)"
	t1=$(nmt_now); t1=${t1%.*}
	wait_until 15 locked "$G_PID" || fail "G (pid $G_PID) grew past --min-size and was not picked up within 15 s"
	up=$(nmt_now)
	info "G grew past --min-size and joined $((${up%.*} - t1)) s later (whole seconds of uptime)"
	# a second auto on a managed process refuses, naming the holder
	assert_exit 1 "$NM" auto --pid "$A_PID" --duration 1
	assert_match "managed by another numa-migrate auto already: pid $bg " "$ERR" "second auto on A"
	sleep 4
	use_helper X; helper_stop
	wait_until 10 eval '! locked "$X_PID"' || fail "X's lock was not released after it exited"
	wait "$bg" || rc=$?
	info "auto --all exit $rc; stderr: $(cat all.err)"
	# a failure names its process: the report's lines for it
	[ "$rc" = 0 ] || info "the report: $(tr -d ' \n' <all.json | head -c 4000)"
	assert_eq 0 "$rc" "auto --all exit status"
	OUT=$(cat all.json)
	assert_json "$OUT" "auto --all --json"
	assert_eq 0 "$(cat /proc/sys/kernel/numa_balancing)" "kernel.numa_balancing restored"
	for h in A B C; do
		use_helper "$h"
		moved=$(jfind processes pid "$H_PID" pages_moved) || fail "$h (pid $H_PID) not in the report"
		assert_eq managed "$(jfind processes pid "$H_PID" state)" "state of $h"
		pct=$(numa_maps_percent "$H_PID" "$H_START" "$H_LEN" 1)
		info "$h (pid $H_PID): auto moved $moved pages; $pct% of its buffer on node 1"
		assert_gt "$moved" 0 "pages auto moved of $h"
		assert_ge "$pct" 95 "share of $h's buffer on node 1 (numa_maps)"
	done
	assert_eq 0 "$(jfind processes pid "$W_PID" pages_moved)" "pages moved of the well-placed W"
	assert_ge "$(numa_maps_percent "$W_PID" "$W_START" "$W_LEN" 1)" 99 "W's buffer still on node 1"
	assert_eq exited "$(jfind processes pid "$X_PID" state)" "state of X (exited mid-run)"
	assert_eq target_exit "$(jfind processes pid "$X_PID" ended_by)" "X ended_by"
	assert_ge "$(jnum totals.processes_exited)" 1 "totals.processes_exited"
	assert_ge "$(jnum totals.processes_joined)" 6 "totals.processes_joined"
	assert_eq managed "$(jfind processes pid "$G_PID" state)" "state of G (grew past --min-size)"
	n=0
	for h in A B C W X G; do
		n=$((n + $(jfind processes pid "$(eval echo \$${h}_PID)" pages_moved)))
	done
	assert_eq "$n" "$(jnum totals.pages_moved)" "totals.pages_moved vs the helpers' sum"
	# the log: JSON lines, the agents found first, then every one naming its
	# process; X's summary is there
	assert_match '^\{"type":"agents","target":null,"agents":\[\]\}$' "$(head -n 1 all.log)" "the log's first line"
	pidlines=$(grep -c '"pid":' all.log)
	assert_eq "$(($(wc -l <all.log) - 1))" "$pidlines" "log lines with a pid"
	save_file auto-all.guest.json all.json
	save_file auto-log.all-guest.jsonl all.log
	grep '"type":"summary"' all.log | grep -q "\"pid\":$X_PID" || fail "no summary line of X in the log"
	locked "$G_PID" && fail "lock of G left after auto --all ended"
	kill "$G_PID"
	for h in A B C W; do
		locked "$(eval echo \$${h}_PID)" && fail "lock of $h left after auto --all ended"
		use_helper "$h"; helper_stop
	done
}

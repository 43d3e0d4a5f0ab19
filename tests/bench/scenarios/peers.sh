# auto --all against its peers, and scan against numastat, in one 2-node guest
# run (issue #13 point 4; see ../README.md, "auto --all against the peers").
#
# Four tenants of PEERS_MB (384) MiB, 4 KiB pages, one access thread each
# (numa-migrate helper: it checks its pattern when it ends):
#   M1  memory on node 0, thread on node 1   fully misplaced
#   M2  memory on node 1, thread on node 0   fully misplaced
#   W   memory on node 0, thread on node 0   well placed
#   S   half on node 0, half on node 1, thread on node 1   split
# Why 384 MiB, why M2 the other way: numad considers only processes above 300
# MB resident, and 1.5 GiB per node holds the layout both ways. numad also
# wants more than 50% of a CPU per process (numad.c, manage_loads:
# CPUs_used > CPU_THRESHOLD, 50, compiled in), which two busy tenants per
# vCPU never reach: cpu_max_pct in each PEERS-RUN line shows it (see README).
#
# Methods, interleaved kernel, auto, numad in each round, fresh tenants each run:
#   kernel  kernel.numa_balancing=1 alone
#   auto    numa-migrate auto --all --enable-balancing (as its service runs it:
#           --interval 2, --min-size 64M), so the kernel balances too
#   numad   Debian's numad, defaults but the scan interval matched: -i 2:2;
#           numa_balancing=0 (numad predates it and moves whole processes)
# The kernel scans PEERS_SCAN_MB (16) per period for every method: a footprint
# 24 times the scan size, as a 6 GiB process sees the default 256 (see the auto
# benchmark). Per run: seconds from the method's start until every misplaced
# tenant (M1, M2, S) has >= 95% of its buffer on the node its thread runs on
# (numa_maps, polled every 0.5 s; the node from the thread's last CPU, so a
# peer that moves the thread instead of the memory counts too); pages migrated
# until then and until PEERS_SETTLE_S (6) s later (vmstat pgmigrate_success:
# every migration in the guest); W's pages per node before and after (and for
# auto its report's pages_moved for W); every tenant's pattern check.
#
# Before the first run, on the same four tenants: scan against numastat -p of
# the same pids (best of 3 each, wall and CPU time), and scan's remote bytes
# against an independent move_pages query (numa-migrate check) per tenant.
# nodes: 2
# timeout: 1700

PEERS_MB=${PEERS_MB:-384}
PEERS_SCAN_MB=${PEERS_SCAN_MB:-16}
PEERS_REPS=${PEERS_REPS:-3}
PEERS_LIMIT_S=${PEERS_LIMIT_S:-90}
PEERS_SETTLE_S=${PEERS_SETTLE_S:-6}
# extra numad options (a diagnostic run may add -l 7; the benchmark runs none)
PEERS_NUMAD_OPTS=${PEERS_NUMAD_OPTS:-}
PEERS_TENANTS="M1 M2 W S"
PEERS_MISPLACED="M1 M2 S"
PEERS_BAL=/proc/sys/kernel/numa_balancing

say() { echo "PEERS $*" >&2; }
# pv NAME FIELD: a tenant's PID, START, LEN, BG (its background job)
pv() { eval echo "\$P_$1_$2"; }
uptime_s() { read -r up _ </proc/uptime; echo "$up"; }
since() { awk -v a="$1" -v b="$(uptime_s)" 'BEGIN { printf "%.2f\n", b - a }'; }
# /proc/vmstat folds per-CPU counts in every vm.stat_interval: fold them now
vmstat_now() { echo 1 >/proc/sys/vm/stat_refresh 2>/dev/null; sed -n "s/^$1 //p" /proc/vmstat; }

# layout NAME: "MEMNODE THREADNODE" of a tenant (S's first half moves to 1)
layout() {
	case $1 in
	M1 | S) echo "0 1" ;;
	M2) echo "1 0" ;;
	W) echo "0 0" ;;
	esac
}

start_tenants() {
	local n mem thr line s l i
	for n in $PEERS_TENANTS; do
		read -r mem thr <<-EOF
		$(layout "$n")
		EOF
		"$NM" helper --size "${PEERS_MB}M" --node "$mem" --access-node "$thr" --threads 1 \
			--no-thp >"$n.out" 2>"$n.err" &
		eval "P_${n}_BG=$!"
		nmt_track_pid "$!"
	done
	for n in $PEERS_TENANTS; do
		i=0
		until grep -q '^HELPER ' "$n.out"; do
			i=$((i + 1))
			[ $i -gt 900 ] && fail "tenant $n printed no HELPER line in 180 s: $(cat "$n.err")"
			sleep 0.2
		done
		line=$(grep -m1 '^HELPER ' "$n.out")
		eval "P_${n}_PID=$(nmt_field pid "$line") P_${n}_START=$(nmt_field start "$line") P_${n}_LEN=$(nmt_field len "$line")"
	done
	s=$(pv S START)
	l=$(pv S LEN)
	"$NM" move --pid "$(pv S PID)" --range "$s-$(hex "$s + $l / 2")" --to-node 1 >split.out 2>&1 ||
		fail "moving S's first half to node 1: $(cat split.out)"
}

# stop_tenants: SIGTERM each; each checks its pattern (VERIFY ok) and exits 0,
# or the benchmark fails (not in $(...): wait needs the shell that started them)
stop_tenants() {
	local n rc
	for n in $PEERS_TENANTS; do kill -TERM "$(pv "$n" PID)" 2>/dev/null; done
	for n in $PEERS_TENANTS; do
		rc=0
		wait "$(pv "$n" BG)" || rc=$?
		grep -q '^VERIFY ok ' "$n.out" && [ $rc -eq 0 ] ||
			fail "tenant $n's pattern check: exit $rc, $(grep '^VERIFY' "$n.out" | tail -n 1)"
	done
}

# thread_node PID: the node of the CPU the tenant's access thread last ran on
thread_node() {
	local t c d
	for t in /proc/"$1"/task/*; do
		[ "${t##*/}" = "$1" ] && continue
		c=$(awk '{ print $39 }' "$t/stat" 2>/dev/null)
		[ -n "$c" ] || continue
		for d in /sys/devices/system/cpu/cpu"$c"/node[0-9]*; do echo "${d##*node}"; return; done
	done
	echo -1
}

# local_pct NAME: share (0-100) of the tenant's whole buffer on its thread's
# node (of every page of the buffer: a page in flight counts nowhere)
local_pct() {
	local on
	on=$(numa_maps_pages "$(pv "$1" PID)" "$(pv "$1" START)" "$(pv "$1" LEN)" "$(thread_node "$(pv "$1" PID)")")
	awk -v on="$on" -v all="$(($(pv "$1" LEN) / 4096))" 'BEGIN { printf "%.1f\n", 100 * on / all }'
}

# cpu_ticks PID: the process's utime + stime (clock ticks), as numad reads them
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# cpu_sample: each tenant's CPU share (% of one CPU) since the last sample;
# keeps the largest (numad keeps the largest of its last 8 samples, one per
# interval, and manages only a process whose share is above 50)
cpu_sample() {
	local n t now pct
	now=$(uptime_s)
	for n in $PEERS_TENANTS; do
		t=$(cpu_ticks "$(pv "$n" PID)")
		if [ -n "$CPU_T0" ]; then
			pct=$(awk -v a="$(eval echo "\$CT_$n")" -v b="$t" -v s="$CPU_T0" -v e="$now" \
				'BEGIN { printf "%d\n", (e > s ? int((b - a) / (e - s)) : 0) }')
			[ "$pct" -gt "$(eval echo "\$CM_$n")" ] && eval "CM_$n=$pct"
		fi
		eval "CT_$n=$t"
	done
	CPU_T0=$now
}

numad_stop() {
	local p
	[ -f /var/run/numad.pid ] || return 0
	p=$(cat /var/run/numad.pid)
	numad -i 0 >/dev/null 2>&1
	wait_until 10 eval '! proc_alive "$p"' || kill -TERM "$p" 2>/dev/null
	wait_until 10 eval '! proc_alive "$p"' || fail "numad (pid $p) did not stop"
	rm -f /var/run/numad.pid
}

# best_of3 OUTFILE CMD...: runs CMD 3 times under nmb-time; prints the best
# "elapsed cpu" (each the minimum over the three)
best_of3() {
	local f=$1 i e c be=999 bc=999
	shift
	for i in 1 2 3; do
		nmb-time "$@" >"$f" 2>"$f.t" || fail "$*: $(cat "$f.t")"
		e=$(sed -n 's/^elapsed_s=\([0-9.]*\).*/\1/p' "$f.t")
		c=$(sed -n 's/.*cpu_s=\([0-9.]*\).*/\1/p' "$f.t")
		be=$(awk -v a="$be" -v b="$e" 'BEGIN { print (b < a ? b : a) }')
		bc=$(awk -v a="$bc" -v b="$c" 'BEGIN { print (b < a ? b : a) }')
	done
	echo "$be $bc"
}

# scan against numastat -p on the four tenants (balancing off, threads running)
scan_vs_numastat() {
	local pids="" n se sc ne nc i pid got want thr order=""
	for n in $PEERS_TENANTS; do pids="$pids $(pv "$n" PID)"; done
	read -r se sc <<-EOF
	$(best_of3 scan.json "$NM" scan --min-size 256M --json)
	EOF
	# shellcheck disable=SC2086
	read -r ne nc <<-EOF
	$(best_of3 numastat.txt numastat -p $pids)
	EOF
	cat numastat.txt >&2
	say "scan_vs_numastat: scan --min-size 256M (--duration 1, the CPU-time window) best of 3: wall ${se} s, CPU ${sc} s; numastat -p of the same 4 pids: wall ${ne} s, CPU ${nc} s"
	awk -v se="$se" -v sc="$sc" -v ne="$ne" -v nc="$nc" 'BEGIN {
		printf "PEERS scan_cpu_over_numastat_cpu=%.2f scan_wall_minus_window_over_numastat_wall=%.2f (scan waits its 1 s window by design)\n", sc / nc, (se - 1) / ne }' >&2
	OUT=$(cat scan.json)
	for i in 0 1 2 3; do
		pid=$(jget "processes.$i.pid") || break
		for n in $PEERS_TENANTS; do [ "$(pv "$n" PID)" = "$pid" ] && order="$order $n"; done
	done
	say "scan order (worst placed first):$order"
	for n in $PEERS_TENANTS; do
		pid=$(pv "$n" PID)
		got=$(jfind processes pid "$pid" remote_bytes) || fail "scan did not list tenant $n (pid $pid)"
		read -r _ thr <<-EOF
		$(layout "$n")
		EOF
		# independent: move_pages' count of the process's pages on the other node
		"$NM" check --pid "$pid" --exact --json >check.json 2>check.err || fail "check --pid $pid: $(cat check.err)"
		want=$(( $(jget "nodes.$((1 - thr)).pages" "$(cat check.json)" 2>/dev/null || echo 0) * 4096 ))
		awk -v n="$n" -v g="$got" -v w="$want" 'BEGIN { d = g - w; if (d < 0) d = -d
			pct = w ? 100 * d / w : (g ? 100 : 0)
			printf "PEERS remote %s: scan %d bytes, move_pages %d bytes, difference %.2f%% (%s)\n", n, g, w, pct, pct <= 2 ? "within 2%" : "OVER 2%" }' >&2
	done
}

# run METHOD ROUND: one measurement; prints a PEERS-RUN line
run() {
	local method=$1 n t0 m0 m1 m2 conv=timeout allin pct firsts="" w0b w1b w0a w1a apages=- awpages=- arc=- nodes="" pcts="" before="" polls=0 cpus="" aself=-
	echo 0 >$PEERS_BAL
	start_tenants
	sleep 2	# the threads are sweeping
	[ "$2" = 1 ] && [ "$method" = kernel ] && scan_vs_numastat
	for n in $PEERS_MISPLACED; do before="$before$n:$(local_pct "$n")% "; done
	w0b=$(numa_maps_pages "$(pv W PID)" "$(pv W START)" "$(pv W LEN)" 0)
	w1b=$(numa_maps_pages "$(pv W PID)" "$(pv W START)" "$(pv W LEN)" 1)
	rm -f auto.log numad.log /var/log/numad.log
	m0=$(vmstat_now pgmigrate_success)
	t0=$(uptime_s)
	case $method in
	kernel) echo 1 >$PEERS_BAL ;;
	auto)
		"$NM" auto --all --enable-balancing --log auto.log --json >auto.json 2>auto.err &
		P_auto_BG=$!
		nmt_track_pid "$P_auto_BG"
		;;
	numad)
		numad -i 2:2 $PEERS_NUMAD_OPTS || fail "numad did not start"
		wait_until 10 test -s /var/run/numad.pid || fail "numad wrote no /var/run/numad.pid"
		proc_alive "$(cat /var/run/numad.pid)" || fail "numad exited right after its start"
		;;
	esac
	for n in $PEERS_MISPLACED; do eval "C_$n=-"; done
	CPU_T0=
	for n in $PEERS_TENANTS; do eval "CM_$n=0"; done
	cpu_sample
	while :; do
		allin=1
		for n in $PEERS_MISPLACED; do
			pct=$(local_pct "$n")
			if awk -v p="$pct" 'BEGIN { exit !(p >= 95) }'; then
				[ "$(eval echo "\$C_$n")" = - ] && eval "C_$n=$(since "$t0")"
			else
				allin=0
			fi
		done
		[ $allin = 1 ] && { conv=$(since "$t0"); break; }
		awk -v s="$(since "$t0")" -v l="$PEERS_LIMIT_S" 'BEGIN { exit !(s > l) }' && break
		sleep 0.5
		polls=$((polls + 1))
		[ $((polls % 4)) = 0 ] && cpu_sample
	done
	m1=$(vmstat_now pgmigrate_success)
	sleep "$PEERS_SETTLE_S"
	m2=$(vmstat_now pgmigrate_success)
	for n in $PEERS_TENANTS; do
		nodes="$nodes$n:$(thread_node "$(pv "$n" PID)") "
		pcts="$pcts$n:$(local_pct "$n")% "
		cpus="$cpus$n:$(eval echo "\$CM_$n") "
	done
	for n in $PEERS_MISPLACED; do firsts="$firsts$n:$(eval echo "\$C_$n")s "; done
	case $method in
	kernel) echo 0 >$PEERS_BAL ;;
	auto)
		# pages the kernel migrated on auto's own hinting faults (its live threads)
		aself=$(cat /proc/"$P_auto_BG"/task/*/sched 2>/dev/null |
			awk '/^numa_pages_migrated/ { s += $NF } END { print s + 0 }')
		kill -TERM "$P_auto_BG"
		arc=0
		wait "$P_auto_BG" || arc=$?
		[ $arc -eq 0 ] || [ $arc -eq 3 ] || fail "auto --all exited $arc: $(cat auto.err)"
		OUT=$(cat auto.json)
		apages=$(jnum totals.pages_moved)
		awpages=$(jfind processes pid "$(pv W PID)" pages_moved || echo absent)
		;;
	numad)
		cp /var/log/numad.log numad.log 2>/dev/null
		numad_stop
		echo 0 >$PEERS_BAL
		# its whole log: at the default level it names each process it moves
		tail -n 40 numad.log 2>/dev/null | sed 's/^/PEERS numad-log: /' >&2
		;;
	esac
	w0a=$(numa_maps_pages "$(pv W PID)" "$(pv W START)" "$(pv W LEN)" 0)
	w1a=$(numa_maps_pages "$(pv W PID)" "$(pv W START)" "$(pv W LEN)" 1)
	stop_tenants
	echo "PEERS-RUN $method round=$2 conv_s=$conv pages_to_conv=$((m1 - m0)) pages_run=$((m2 - m0)) W_node0=$w0b->$w0a W_node1=$w1b->$w1a auto_pages=$apages auto_W_pages=$awpages auto_rc=$arc auto_self_migrated=$aself first95=[ ${firsts}] before=[ ${before}] after=[ ${pcts}] thread_nodes=[ ${nodes}] cpu_max_pct=[ ${cpus}] pattern=ok" >&2
}


t_peers() {
	local r m
	command -v numad >/dev/null || fail "numad is not in the guest (tests/bench/peers.sh copies it in)"
	command -v numastat >/dev/null || fail "numastat is not in the guest (tests/bench/peers.sh copies it in)"
	mkdir -p /var/log /var/run
	at_exit numad_stop
	numab_scan_size "$PEERS_SCAN_MB"
	say "== auto --all vs kernel balancing vs numad: 4 tenants of $PEERS_MB MiB (M1 0->1, M2 1->0, W well placed, S split), scan_size_mb=$PEERS_SCAN_MB, $PEERS_REPS rounds, interleaved =="
	for n in 0 1; do say "node$n $(grep -E 'MemTotal|MemFree' /sys/devices/system/node/node$n/meminfo | awk '{ printf "%s %d MiB ", $3, $4 / 1024 }')"; done
	r=1
	while [ $r -le "$PEERS_REPS" ]; do
		for m in kernel auto numad; do
			run "$m" "$r" 2>&1 | tee -a runs >&2
			[ -s "$NMT_STATE/failed" ] && return 1
		done
		r=$((r + 1))
	done
	peers_summary runs
	say "DONE"
}

# stat_of FIELD METHOD RUNS: "median (min-max)" of FIELD=NUMBER over METHOD's
# PEERS-RUN lines (a time-out counts as the limit)
stat_of() {
	grep "^PEERS-RUN $2 " "$3" | sed -nE "s/.* $1=([0-9.]+|timeout) .*/\\1/p" | sed "s/timeout/$PEERS_LIMIT_S/" |
		sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else printf "%s (%s-%s)\n", v[int((NR + 1) / 2)], v[1], v[NR] }'
}

# peers_summary RUNS: the table of medians (ranges in brackets) and the ratios
peers_summary() {
	local m
	grep -q 'conv_s=timeout' "$1" &&
		say "NOTE: a time-out (a method that did not bring every misplaced tenant to 95% within $PEERS_LIMIT_S s) counts as $PEERS_LIMIT_S s"
	say "| method | s to every misplaced tenant >= 95% local | pages migrated until then | pages migrated until 6 s later | auto's own pages |"
	for m in kernel auto numad; do
		say "| $m | $(stat_of conv_s $m "$1") | $(stat_of pages_to_conv $m "$1") | $(stat_of pages_run $m "$1") | $(stat_of auto_pages $m "$1") |"
	done
	# W: pages of its buffer that left node 0, per run
	say "W (well placed) pages that left node 0, per run: $(grep '^PEERS-RUN ' "$1" |
		sed -nE 's/^PEERS-RUN ([a-z]+) .* W_node0=([0-9]+)->([0-9]+) .*/\1:\2 \3/p' |
		awk '{ split($1, a, ":"); printf "%s=%d ", a[1], a[2] - $2 }')"
	say "ratios of medians: $(for m in kernel numad; do
		printf '%s/auto time %s, ' $m "$(awk -v a="$(stat_of conv_s $m "$1" | cut -d' ' -f1)" -v b="$(stat_of conv_s auto "$1" | cut -d' ' -f1)" 'BEGIN { printf "%.2f", a / b }')"
	done)auto/kernel pages $(awk -v a="$(stat_of pages_run auto "$1" | cut -d' ' -f1)" -v b="$(stat_of pages_run kernel "$1" | cut -d' ' -f1)" 'BEGIN { printf "%.4f", a / b }')"
}

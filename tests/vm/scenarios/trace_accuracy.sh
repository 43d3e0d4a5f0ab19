# trace_accuracy: regions touched only from node 0, only from node 1, from
# both, and not at all; the heat report must give >= 90% of each one-node
# region's samples to its node, samples from both nodes to the shared one,
# and no accesses to the untouched one. --enable-balancing turns balancing
# on for the session and must put it back to 0 afterwards. Nearly every
# hinting fault has its address.
# timeout: 240

t_trace_accuracy() {
	local line pid len r n0 n1 both none
	echo 0 >/proc/sys/kernel/numa_balancing
	tool_start ACCESS nmt-access 32
	pid=$T_BGPID
	line=$T_LINE
	len=$(printf '%s\n' "$line" | sed -n 's/.* len=\([0-9]*\).*/\1/p')

	assert_exit 0 "$NM" trace --pid "$pid" --duration 25 --granularity 2M --json --enable-balancing
	save_out trace.accuracy.json
	assert_eq 0 "$(cat /proc/sys/kernel/numa_balancing)" "kernel.numa_balancing restored after the session"
	printf '%s\n' "$OUT" | nmt-jflat >flat || fail "trace --json does not parse"
	assert_gt "$(flat_get hint_faults)" 100 "hint_faults (samples the report rests on)"
	info "hint_faults=$(flat_get hint_faults) no_address=$(flat_get no_address) dropped=$(flat_get dropped)"
	# the address hook (numa_migrate_prep on 6.1, numa_migrate_check on
	# 6.12) runs before every task_numa_fault: at most 1% without one
	assert_le $((1000 * $(flat_get no_address) / $(flat_get hint_faults))) 10 \
		"hinting faults without an address (per mille)"

	for r in n0 n1 both none; do
		set -- $(region_accesses "$(printf '%s\n' "$line" | sed -n "s/.* $r=\(0x[0-9a-f]*\).*/\1/p")" "$len")
		info "$r: $1 accesses from node 0, $2 from node 1"
		eval "acc_$r=\"$1 $2\""
	done
	set -- $acc_n0
	assert_gt $(($1 + $2)) 20 "samples in the node-0 region"
	assert_ge $((100 * $1 / ($1 + $2))) 90 "share of the node-0 region's samples from node 0 (%)"
	set -- $acc_n1
	assert_gt $(($1 + $2)) 20 "samples in the node-1 region"
	assert_ge $((100 * $2 / ($1 + $2))) 90 "share of the node-1 region's samples from node 1 (%)"
	set -- $acc_both
	assert_gt "$1" 0 "samples from node 0 in the shared region"
	assert_gt "$2" 0 "samples from node 1 in the shared region"
	set -- $acc_none
	assert_eq 0 $(($1 + $2)) "samples in the untouched region"

	# kernel migrations per region: balancing pulls the node-1 region (first
	# touched on node 0) over; the node-0 and untouched regions stay
	for r in n0 n1 none; do
		eval "kmig_$r=$(region_kmig "$(printf '%s\n' "$line" | sed -n "s/.* $r=\(0x[0-9a-f]*\).*/\1/p")" "$len")"
	done
	info "pages the kernel migrated: n0 $kmig_n0, n1 $kmig_n1, none $kmig_none"
	assert_gt "$kmig_n1" 0 "numa_misplaced migrations in the node-1 region"
	assert_eq 0 "$kmig_n0" "kernel migrations in the node-0 region"
	assert_eq 0 "$kmig_none" "kernel migrations in the untouched region"

	# ... and by node: what left node 0 arrived on node 1, nothing went the
	# other way, every page's source and destination node was known
	set -- $(region_flows "$(printf '%s\n' "$line" | sed -n 's/.* n1=\(0x[0-9a-f]*\).*/\1/p')" "$len")
	info "n1 region: out of node 0 $1, into node 1 $2, into node 0 $3, failed $4, unknown node $5, all reasons $6"
	assert_gt "$1" 0 "pages migrated out of node 0 in the node-1 region"
	assert_eq "$1" "$2" "pages out of node 0 = pages into node 1 (n1 region)"
	assert_eq 0 "$3" "pages migrated into node 0 in the node-1 region"
	assert_eq 0 "$5" "migrations whose node was unknown (n1 region)"
	assert_eq "$6" $(($2 + $4)) "all migrated pages = into node 1 + failed (n1 region)"

	# the page's node at each fault: the node-0 region never leaves node 0
	set -- $(region_page_nodes "$(printf '%s\n' "$line" | sed -n 's/.* n0=\(0x[0-9a-f]*\).*/\1/p')" "$len")
	info "n0 faults by page node: $1 on node 0, $2 on node 1"
	assert_gt "$1" 0 "n0 hinting faults on pages of node 0"
	assert_eq 0 "$2" "n0 hinting faults on pages of node 1"

	# time windows: one per second, and they account for the region's samples
	assert_ge "$(flat_get 'windows\.count')" 20 "time windows of a 25 s session"
	set -- $(region_windows "$(printf '%s\n' "$line" | sed -n 's/.* n0=\(0x[0-9a-f]*\).*/\1/p')" "$len")
	info "n0: $1 samples in time windows, $2 in total"
	assert_le "$1" "$2" "samples in windows vs in total (n0)"
	assert_ge $((100 * $1 / $2)) 90 "share of n0's samples placed in time windows (%)"
}

flat_get() { sed -n "s/^$1=//p" flat | head -n 1; }

# region_sum START LEN KEY...: for each KEY (an awk pattern for what follows
# "regions.I." in flat, e.g. 'accesses_by_node[.]0'), its sum over the
# report's regions whose start lies in [START, START+LEN). One pass over the
# report: a sed per key and region is minutes under TCG.
region_sum() {
	local start=$(($1)) end=$(($1 + $2)) nk s rest
	shift 2
	nk=$#
	awk -v keys="$*" '
	BEGIN { nk = split(keys, K, " ") }
	/^regions[.][0-9]+[.]/ {
		i = $0; sub(/^regions[.]/, "", i); sub(/[.].*/, "", i)
		kv = $0; sub(/^regions[.][0-9]+[.]/, "", kv)
		eq = index(kv, "="); k = substr(kv, 1, eq - 1); v = substr(kv, eq + 1)
		if (!(i in seen)) { seen[i] = 1; order[n++] = i }
		if (k == "start") { st[i] = v; next }
		for (j = 1; j <= nk; j++) if (k ~ ("^" K[j] "$")) sum[i, j] += v
	}
	END {
		for (m = 0; m < n; m++) {
			i = order[m]; line = st[i]
			for (j = 1; j <= nk; j++) line = line " " (sum[i, j] + 0)
			print line
		}
	}' flat | while read -r s rest; do
		[ -n "$s" ] && [ $((s)) -ge "$start" ] && [ $((s)) -lt "$end" ] && echo "$rest"
	done | awk -v nk="$nk" '
	{ for (j = 1; j <= NF; j++) t[j] += $j }
	END { for (j = 1; j <= nk; j++) printf "%s%d", (j > 1 ? " " : ""), t[j] + 0; print "" }'
}

# region_windows START LEN: "in-windows total" summed over regions in range
region_windows() { region_sum "$1" "$2" 'accesses_by_window[.][0-9]+' accesses; }

# region_page_nodes START LEN: "node0 node1" hinting faults by the page's node
region_page_nodes() {
	region_sum "$1" "$2" 'hint_faults_by_page_node[.]0' 'hint_faults_by_page_node[.]1'
}

# region_kmig START LEN: pages migrated for NUMA balancing in the range
region_kmig() { region_sum "$1" "$2" 'kernel_migrations[.]numa_misplaced'; }

# region_flows START LEN: "out0 in1 in0 failed unknown all" summed over the range
region_flows() {
	region_sum "$1" "$2" 'migrated_out_by_node[.]0' 'migrated_in_by_node[.]1' \
		'migrated_in_by_node[.]0' kernel_migrations_failed kernel_migrations_unknown_node \
		'kernel_migrations[.][a-z_0-9]+'
}

# region_accesses START LEN: "from-node-0 from-node-1" summed over the range
region_accesses() { region_sum "$1" "$2" 'accesses_by_node[.]0' 'accesses_by_node[.]1'; }

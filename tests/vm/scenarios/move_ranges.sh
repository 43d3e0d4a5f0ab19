# move_ranges: on a live process (tools/nmt-layout: a heap, a stack, an
# anonymous buffer and a tmpfs file, all on node 0), --range heap, stack, anon
# and FILE each move what they name to node 1 and leave the rest on node 0
# (numa_maps); check --by-mapping, with the anonymous buffer split over both
# nodes, gives every mapping the counts numa_maps gives it; and each move's
# kernel migration counts (the BPF counters in its JSON) equal the
# /proc/vmstat deltas (pgmigrate_success, pgmigrate_fail, thp_migration_*).
# nodes: 2
# timeout: 200

# vmstat_get NAME: a /proc/vmstat counter (0 when this kernel has none).
vmstat_get() { awk -v k="$1" '$1 == k { v = $2 } END { print v + 0 }' /proc/vmstat; }

# bpf_sum FIELD: FIELD (succeeded, failed, thp_succeeded ...) summed over the
# reasons of kernel_migrations in $OUT.
bpf_sum() {
	printf '%s\n' "$OUT" | nmt-jflat | awk -F= -v f="$1" '
		$1 ~ "^kernel_migrations\\.reasons\\.[^.]*\\." f "$" { s += $2 } END { print s + 0 }'
}

VM_KEYS="pgmigrate_success pgmigrate_fail thp_migration_success thp_migration_fail"

vm_snap() { for k in $VM_KEYS; do printf '%s ' "$(vmstat_get "$k")"; done; }

# move_counted WHAT ARGS...: `move ARGS --json` (exit 0), then its BPF
# migration counters against the /proc/vmstat deltas over the call.
move_counted() {
	local what=$1 before after i k b a
	shift
	before=$(vm_snap)
	assert_exit 0 "$NM" move --pid "$L_PID" "$@" --json
	after=$(vm_snap)
	move_json_sane
	assert_eq true "$(jget kernel_migrations.available)" "$what: kernel_migrations.available"
	i=0
	for k in succeeded failed thp_succeeded thp_failed; do
		i=$((i + 1))
		b=$(echo "$before" | cut -d' ' -f$i)
		a=$(echo "$after" | cut -d' ' -f$i)
		info "$what: BPF $k $(bpf_sum $k), vmstat $(echo "$VM_KEYS" | cut -d' ' -f$i) +$((a - b))"
		assert_eq $((a - b)) "$(bpf_sum $k)" \
			"$what: kernel_migrations $k vs /proc/vmstat $(echo "$VM_KEYS" | cut -d' ' -f$i) delta"
	done
	# and the migrations the kernel counted are the pages the engine moved
	assert_eq "$M_MOVED" "$(bpf_sum succeeded)" "$what: moved vs kernel_migrations succeeded"
	# under the reason move_pages(2) gives them, MR_SYSCALL, by its name in
	# this kernel (the counter alone names reasons from the BTF)
	if [ "$M_MOVED" -gt 0 ]; then
		assert_eq syscall "$(printf '%s\n' "$OUT" | nmt-jflat | awk -F= '
			$1 ~ /^kernel_migrations\.reasons\.[^.]*\.events$/ {
				split($1, p, "."); printf "%s%s", sep, p[3]; sep = " " }')" \
			"$what: the reasons of kernel_migrations"
	fi
}

# on_node ADDR LEN NODE: pages of the VMAs at [ADDR, ADDR+LEN) on NODE.
on_node() { numa_maps_pages "$L_PID" "$1" "$2" "$3"; }

# stays NAME: mapping NAME (heap, anon, file) has every page on node 0.
stays() {
	local a l
	eval "a=\$L_$1 l=\$L_$1_len"
	assert_eq 0 "$(on_node "$a" "$l" 1)" "$2: pages of '$1' on node 1 (it was not named)"
	assert_ge "$(on_node "$a" "$l" 0)" $((l / 4096)) "$2: pages of '$1' on node 0"
}

# moved_all NAME: mapping NAME has every page on node 1.
moved_all() {
	local a l
	eval "a=\$L_$1 l=\$L_$1_len"
	assert_eq 0 "$(on_node "$a" "$l" 0)" "$2: pages of '$1' left on node 0"
	assert_ge "$(on_node "$a" "$l" 1)" $((l / 4096)) "$2: pages of '$1' on node 1"
}

t_move_ranges() {
	local line half
	need_nm
	[ "$(cat /proc/sys/kernel/numa_balancing)" = 0 ] || fail "kernel.numa_balancing is on: the vmstat deltas would count its migrations"
	tool_start LAYOUT nmt-layout "$NMT_WORK" 16
	line=$T_LINE
	L_PID=$(nmt_field pid "$line")
	nmt_track_pid "$L_PID"
	L_heap=$(nmt_field heap "$line") L_heap_len=$(nmt_field heap_len "$line")
	L_stack=$(nmt_field stack "$line") L_stack_len=$(nmt_field stack_len "$line")
	L_anon=$(nmt_field anon "$line") L_anon_len=$(nmt_field anon_len "$line")
	L_file=$(nmt_field file_addr "$line") L_file_len=$(nmt_field file_len "$line")
	L_path=$(nmt_field file "$line")
	grep -E ' heap | stack |layout.dat' "/proc/$L_PID/numa_maps" | sed 's/^/    numa_maps| /' >&2

	stays heap start; stays anon start; stays file start
	assert_ge "$(on_node "$L_stack" "$L_stack_len" 0)" $((L_stack_len / 4096)) "start: stack pages on node 0"

	# half of the anonymous buffer to node 1 by address: check --by-mapping
	# sees that mapping on both nodes, as numa_maps does
	half=$((L_anon_len / 2))
	move_counted "first half of anon" --range "$L_anon+$half" --to-node 1
	assert_eq $((half / 4096)) "$M_MOVED" "moved from the first half of anon"
	by_mapping_agrees

	move_counted "--range heap" --range heap --to-node 1
	assert_ge "$M_MOVED" $((L_heap_len / 4096)) "--range heap: moved"
	moved_all heap "--range heap"
	stays file "--range heap"
	assert_eq $((half / 4096)) "$(on_node "$L_anon" "$L_anon_len" 0)" "--range heap: anon's second half on node 0"

	move_counted "--range stack" --range stack --to-node 1
	assert_ge "$M_MOVED" $((L_stack_len / 4096)) "--range stack: moved"
	assert_eq 0 "$(on_node "$L_stack" "$L_stack_len" 0)" "--range stack: stack pages left on node 0"
	stays file "--range stack"
	assert_eq $((half / 4096)) "$(on_node "$L_anon" "$L_anon_len" 0)" "--range stack: anon's second half on node 0"

	move_counted "--range anon" --range anon --to-node 1
	assert_ge "$M_MOVED" $((half / 4096)) "--range anon: moved (anon's second half)"
	moved_all anon "--range anon"
	stays file "--range anon"

	move_counted "--range FILE" --range "$L_path" --to-node 1
	assert_eq $((L_file_len / 4096)) "$M_MOVED" "--range $L_path: moved"
	moved_all file "--range FILE"
	grep -E ' heap | stack |layout.dat' "/proc/$L_PID/numa_maps" | sed 's/^/    numa_maps| /' >&2
}

# by_mapping_agrees: check --by-mapping --json on the layout process: every
# mapping's per-node pages equal numa_maps' N<node>= counts for that mapping,
# and the anonymous buffer is half on each node.
by_mapping_agrees() {
	local bad
	assert_exit 0 "$NM" check --pid "$L_PID" --by-mapping --exact --json
	printf '%s\n' "$OUT" | nmt-jflat >bymap.flat || fail "check --by-mapping --json is not JSON"
	cp "/proc/$L_PID/numa_maps" bymap.numa_maps
	# "START NODE PAGES" from each side, for the four mappings we made
	awk -F= '$1 ~ /^mappings\.[0-9]+\.start$/ { split($1, p, "."); st[p[2]] = $2 }
		$1 ~ /^mappings\.[0-9]+\.nodes\.[0-9]+\.pages$/ { split($1, p, "."); n[p[2] " " p[4]] = $2 }
		END { for (k in n) if (n[k] > 0) { split(k, q, " "); print st[q[1]], q[2], n[k] } }' bymap.flat |
		sed 's/^0x//' | sort >bymap.check
	awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^N[0-9]+=/) {
			split(substr($i, 2), kv, "="); print $1, kv[1], kv[2] } }' bymap.numa_maps |
		sed 's/^0*//' | sort >bymap.kernel
	sed 's/^/    check| /' bymap.check >&2
	for a in "$L_heap" "$L_stack" "$L_anon" "$L_file"; do
		a=$(vma_start "$a")
		bad=$(awk -v a="$a" '$1 == a' bymap.check)
		assert_eq "$(awk -v a="$a" '$1 == a' bymap.kernel)" "$bad" \
			"check --by-mapping vs numa_maps for the mapping at 0x$a (START NODE PAGES lines)"
	done
	a=$(vma_start "$L_anon")
	assert_eq "$a 0 $((L_anon_len / 8192))" "$(awk -v a="$a" '$1 == a && $2 == 0' bymap.check)" \
		"check --by-mapping: anon buffer's pages on node 0"
	assert_eq "$a 1 $((L_anon_len / 8192))" "$(awk -v a="$a" '$1 == a && $2 == 1' bymap.check)" \
		"check --by-mapping: anon buffer's pages on node 1"
}

# vma_start ADDR: start (hex, no 0x, no leading zeros) of the VMA holding ADDR.
vma_start() {
	local a=$(($1)) range vs ve _
	while read -r range _; do
		vs=$((0x${range%-*}))
		ve=$((0x${range#*-}))
		if [ "$a" -ge "$vs" ] && [ "$a" -lt "$ve" ]; then
			printf '%x\n' "$vs"
			return 0
		fi
	done <"/proc/$L_PID/maps"
	fail "no VMA of pid $L_PID holds $1"
}

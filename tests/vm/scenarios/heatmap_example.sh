# heatmap_example: the heat map of a misplaced workload, for people. Three
# regions of tools/nmt-misplaced, all first-touched on node 0: 'local' used
# from node 0, 'moving' used from node 1 (the kernel moves it over while
# traced), 'stuck' used from node 1 by a thread bound to node 0 with
# MPOL_F_NUMA_BALANCING (hinting faults, but the kernel never moves it).
# trace --svg must draw a title naming the process, a legend per colour
# scale, the mappings' names on the region axis, and mark at least half of
# the 'stuck' regions misplaced (accessed from 1, pages on 0) and no 'local'
# region. The SVG goes back to the host (save_file) as
# build/vm/files/<leg>/heatmap_example/heatmap.svg: docs/heatmap-example.svg
# is one.
# nodes: 2
# timeout: 240

# marked_rows SVG: the start address of every region row with a misplaced
# mark, one a line (the row's label comes before its mark).
marked_rows() {
	grep -oE 'class="region-label" x="[0-9]+" y="[0-9]+">0x[0-9a-f]+|<text class="mark"' "$1" |
		sed -n 's/.*>\(0x[0-9a-f]*\)$/\1/; s/^<text class="mark"$/MARK/; p' |
		awk '/^0x/ { last = $0; next } /^MARK$/ { print last }'
}

# rows_in SVG START LEN: labels of the rows whose start lies in [START, START+LEN).
rows_in() {
	local a n=0
	for a in $(grep -o 'class="region-label" x="[0-9]*" y="[0-9]*">0x[0-9a-f]*' "$1" | sed 's/.*>//'); do
		[ $((a >= $2 && a < $2 + $3)) = 1 ] && n=$((n + 1))
	done
	echo "$n"
}

t_heatmap_example() {
	local line pid len local_a moving stuck a marks=0 in_stuck=0 in_local=0 in_moving=0 n
	need_nm
	need_nodes 2
	echo 0 >/proc/sys/kernel/numa_balancing
	# files on a ramfs back the regions, so the maps name them: 6.1 does not scan
	# private maps of shmem files (tmpfs, memfd), ramfs files are scanned
	mkdir -p /mnt/heat && mount -t ramfs nmt-heat /mnt/heat || fail "cannot mount a ramfs on /mnt/heat"
	at_exit "umount /mnt/heat"
	nmt-misplaced 16 /mnt/heat >misplaced.out 2>&1 &
	nmt_track_pid $!
	wait_until 30 grep -q '^MISPLACED ' misplaced.out || fail "workload did not start: $(cat misplaced.out)"
	line=$(grep '^MISPLACED ' misplaced.out)
	info "$line"
	pid=$(nmt_field pid "$line")
	len=$(nmt_field len "$line")
	local_a=$(nmt_field local "$line")
	moving=$(nmt_field moving "$line")
	stuck=$(nmt_field stuck "$line")

	assert_exit 0 "$NM" trace --pid "$pid" --duration 15 --granularity 2M --enable-balancing --svg heat.svg
	info "trace: $(printf '%s\n' "$OUT" | head -n 1)"
	save_file heatmap.svg heat.svg

	assert_match "^<svg xmlns=\"http://www.w3.org/2000/svg\"" "$(grep '^<svg ' heat.svg)" "the SVG root"
	assert_match "numa-migrate trace: pid $pid \(nmt-misplaced\), [0-9.]+ s, [0-9]+ samples<" \
		"$(grep 'id="title"' heat.svg)" "the title"
	for a in access placement time misplaced; do
		grep -q "<g class=\"legend\" id=\"legend-$a\">" heat.svg || fail "no $a legend in the SVG"
	done
	# the region axis names the mappings (private maps of files in /mnt/heat)
	for a in local moving stuck; do
		grep -q ">0x[0-9a-f]* /mnt/heat/$a</text>" heat.svg || fail "no row labelled /mnt/heat/$a"
	done
	info "rows: local $(rows_in heat.svg "$local_a" "$len"), moving $(rows_in heat.svg "$moving" "$len"), stuck $(rows_in heat.svg "$stuck" "$len")"

	for a in $(marked_rows heat.svg); do
		marks=$((marks + 1))
		[ $((a >= stuck && a < stuck + len)) = 1 ] && in_stuck=$((in_stuck + 1))
		[ $((a >= local_a && a < local_a + len)) = 1 ] && in_local=$((in_local + 1))
		[ $((a >= moving && a < moving + len)) = 1 ] && in_moving=$((in_moving + 1))
	done
	info "misplaced marks: $marks ($in_stuck in stuck, $in_moving in moving, $in_local in local)"
	# every stuck region the kernel sampled is marked; 16 MiB = 8 regions
	n=$(grep -c '<title>0x[0-9a-f]* from node 1: [1-9][0-9]* accesses</title>' heat.svg)
	info "cells with accesses from node 1: $n"
	assert_ge "$in_stuck" 4 "stuck regions marked misplaced (of 8)"
	assert_eq 0 "$in_local" "local regions marked misplaced"
	grep -q '>accessed from 1, pages on 0<' heat.svg || fail "no 'accessed from 1, pages on 0' mark"
}

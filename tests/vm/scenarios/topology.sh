# topology: the guest has the NUMA layout vm.sh asked QEMU for.
# Checks the rig itself, so a wrong -numa line fails here first.

t_topology() {
	local want have n cpus
	want=$(sed -n 's/.*nmnodes=\([0-9]*\).*/\1/p' /proc/cmdline)
	[ -n "$want" ] || fail "no nmnodes= on the kernel command line (not booted by vm.sh?)"

	have=$(count_words $(mem_nodes))
	assert_eq "$want" "$have" "nodes with memory (has_memory=$(cat /sys/devices/system/node/has_memory))"
	assert_eq "$want" "$(count_words $(nodes_in "$(cat /sys/devices/system/node/online)"))" "online nodes"
	assert_eq 2 "$(count_words $(cpu_nodes))" "nodes with CPUs"
	assert_eq "0 1 " "$(cpu_nodes)" "CPU nodes"

	[ -e /proc/sys/kernel/numa_balancing ] || fail "/proc/sys/kernel/numa_balancing is missing (kernel without NUMA balancing?)"
	[ -e /proc/self/numa_maps ] || fail "/proc/self/numa_maps is missing"

	for n in $(mem_nodes); do
		info "node$n: cpus=[$(cat /sys/devices/system/node/node$n/cpulist)]" \
			"$(awk '/MemTotal/ { print $4, $5 }' /sys/devices/system/node/node$n/meminfo)" \
			"distance=$(cat /sys/devices/system/node/node$n/distance)"
	done

	if [ "$want" = 4 ]; then
		# nodes 2 and 3 are CPU-less memory nodes (CXL-like), 256M and 1024M
		for n in 2 3; do
			cpus=$(cat /sys/devices/system/node/node$n/cpulist)
			assert_eq "" "$cpus" "cpulist of memory-only node $n"
		done
		assert_le "$(node_mem_mb 2)" 256 "node 2 MemTotal (MiB)"
		assert_ge "$(node_mem_mb 2)" 200 "node 2 MemTotal (MiB)"
		assert_ge "$(node_mem_mb 3)" 900 "node 3 MemTotal (MiB)"
		assert_eq "10 21 14 24" "$(cat /sys/devices/system/node/node0/distance)" "node 0 distances"
		assert_eq "24 14 26 10" "$(cat /sys/devices/system/node/node3/distance)" "node 3 distances"
	else
		assert_eq "10 21" "$(cat /sys/devices/system/node/node0/distance)" "node 0 distances"
	fi
	for n in 0 1; do
		assert_ge "$(node_mem_mb $n)" 1200 "node $n MemTotal (MiB)"
	done
}

node_mem_mb() {
	awk '/MemTotal/ { printf "%d\n", $4 / 1024 }' "/sys/devices/system/node/node$1/meminfo"
}

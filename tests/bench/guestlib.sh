#!/bin/sh
# Sourced by the guest benchmarks' steps (as /nmtest/scenarios/guestlib).

# guest_arg KEY: the value of KEY= on the guest's command line (empty when
# absent): the host passes a benchmark's options there (VM_GUEST_ARGS).
guest_arg() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p"; }

# irq_counts ROW: the per-CPU counts of /proc/interrupts' row ROW (CAL:
# function-call IPIs, TLB: TLB shootdowns), in CPU order, space-separated.
irq_counts() {
	awk -v r="$1:" '$1 == r { for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) printf "%s%s", (i > 2 ? " " : ""), $i; print "" }' /proc/interrupts
}

# col_median FILE COL N: the median of column COL over FILE's N lines (the
# ((N+1)/2)-th smallest), the benchmarks' per-method runs.
col_median() { sort -g -k$2 "$1" | awk -v c=$2 -v m=$((($3 + 1) / 2)) 'NR == m { print $c }'; }

# warm_guest_memory touches the free memory of every node once, then frees
# it. The guest's RAM is host memory
# that QEMU faults in the first time the guest writes a page of it, so a
# method whose copies land on never-touched frames paid the host's page
# faults: the same one-job THP move took 1.2 s or 2.9-3.2 s within a run, all
# 128 THPs migrated whole each time (vmstat), in no order of method. After
# the warm-up the same runs took 1.17-1.58 s.
warm_guest_memory() {
	for d in /sys/devices/system/node/node[0-9]*; do
		n=${d##*node}
		free=$(awk '/MemFree/ { print int($4 / 1024) }' $d/meminfo)
		sz=$((free - 160))	# leave the kernel room
		[ $sz -gt 64 ] || continue
		if [ -z "$(cat $d/cpulist)" ]; then
			# memory only (VM_CPUS=1): the helper refuses a node without
			# CPUs; nmb-memcpy allocates two halves there and writes both
			nmb-memcpy $((sz / 2)) $n $n > /tmp/warm.out 2>&1 ||
				{ echo "warm-up of node $n failed: $(cat /tmp/warm.out)" >&2; return 1; }
			echo "warm-up: node $n, $((sz / 2 * 2)) MiB touched and freed (memory only)"
			continue
		fi
		numa-migrate helper --size ${sz}M --node $n --no-thp > /tmp/warm.out 2>&1 &
		w=$!
		i=0
		while ! grep -q '^HELPER ' /tmp/warm.out 2>/dev/null; do
			i=$((i + 1))
			if [ $i -gt 900 ] || ! kill -0 $w 2>/dev/null; then
				echo "warm-up of node $n failed: $(cat /tmp/warm.out)" >&2
				kill -TERM $w 2>/dev/null
				wait $w 2>/dev/null
				return 1
			fi
			sleep 0.2
		done
		kill -TERM $w
		wait $w 2>/dev/null
		echo "warm-up: node $n, ${sz} MiB touched and freed"
	done
}

# boot: the guest is Debian 12 with systemd as PID 1, the boot finished with
# no failed unit, in the 2-node topology, and Debian's node exporter runs.
# timeout: 60

t_boot() {
	assert_eq systemd "$(cat /proc/1/comm)" "PID 1's name"
	assert_match '^VERSION_ID="12"$' "$(cat /etc/os-release)" "/etc/os-release"
	run systemctl is-system-running
	assert_eq running "$OUT" "systemctl is-system-running (failed units: $(systemctl list-units --failed --plain --no-legend))"
	assert_eq 0-1 "$(cat /sys/devices/system/node/has_cpu)" "nodes with CPUs"
	assert_eq 0-1 "$(cat /sys/devices/system/node/has_memory)" "nodes with memory"
	assert_eq active "$(systemctl is-active prometheus-node-exporter.service)" "prometheus-node-exporter.service"
}

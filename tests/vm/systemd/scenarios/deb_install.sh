# deb_install: 'dpkg -i' of the .deb that 'make deb' built, on Debian 12 with
# systemd running: the binary is the package's version, its postinst made
# systemd reload (PID 1 logs it), systemd knows the template unit, and the
# metrics directory exists (tmpfiles.d) so node exporter, pointed at it,
# reports no scrape error before any unit ran.
# timeout: 90

. /nmtest/unit.sh

t_deb_install() {
	local deb since
	deb=$(ls /nmtest/numa-migrate_*.deb)
	[ -f "$deb" ] || fail "no /nmtest/numa-migrate_*.deb in the guest (tests/vm/systemd/run.sh copies it)"
	since=$(date '+%Y-%m-%d %H:%M:%S')
	sleep 1	# journalctl --since has whole seconds
	assert_exit 0 dpkg -i "$deb"
	assert_eq /usr/sbin/numa-migrate "$(command -v numa-migrate)" "installed binary"
	assert_eq "numa-migrate $(dpkg-deb -f "$deb" Version)" "$(numa-migrate --version)" "--version"
	run journalctl -q --no-pager -o cat _PID=1 --since "$since"
	assert_match '^Reloading' "$OUT" "PID 1's journal after dpkg -i: the postinst's daemon-reload"
	run systemctl show -p LoadState -p FragmentPath numa-migrate-auto@1.service
	assert_match '^LoadState=loaded$' "$OUT" "numa-migrate-auto@1.service"
	assert_match '^FragmentPath=/lib/systemd/system/numa-migrate-auto@.service$' "$OUT" "numa-migrate-auto@1.service"
	# the exporter reads what auto --metrics writes: the operator's one
	# line in /etc/default/prometheus-node-exporter (dist/numa-migrate-auto.default)
	echo 'ARGS="--collector.textfile.directory=/run/numa-migrate"' >/etc/default/prometheus-node-exporter
	assert_exit 0 systemctl restart prometheus-node-exporter.service
	wait_until 30 curl -sf -o /dev/null http://127.0.0.1:9100/metrics ||
		fail "node exporter does not answer on 127.0.0.1:9100 after its restart"
	# the package's tmpfiles.d made the directory, so no unit has to have
	# run for the collector to read it without an error
	assert_eq "755 root" "$(stat -c '%a %U' /run/numa-migrate)" "/run/numa-migrate after dpkg -i"
	scrape "$NMT_WORK/first.prom"
	assert_eq 0 "$(sed -n 's/^node_textfile_scrape_error //p' "$NMT_WORK/first.prom")" \
		"node_textfile_scrape_error before any numa-migrate-auto unit ran"
}

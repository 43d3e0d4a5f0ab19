#!/usr/bin/env bash
# tests/vm/systemd/run.sh [DEB]: the systemd leg (make vm-systemd-test).
#
# Boots Debian's 6.12 kernel in the 2-node guest (QEMU TCG, as tests/vm/vm.sh
# does) with a Debian 12 root file system as its initramfs and systemd as
# /init, and runs the scenarios in tests/vm/systemd/scenarios there: dpkg -i
# of the .deb 'make deb' built (DEB, default build/numa-migrate_VERSION_ARCH.deb),
# numa-migrate-auto@PID under systemd, prometheus-node-exporter serving its
# metrics, promtool checking them. Results come back over the serial console
# and vm.sh's judge reads them (kernel warnings, time-out, int3 retry alike).
#
# Cached under ${XDG_CACHE_HOME:-~/.cache}/numa-migrate/ (made when missing):
#   bookworm-systemd/       debootstrap --variant=minbase --include=$PACKAGES
#   bookworm-systemd.cpio   that tree (without apt's lists and caches, docs,
#                           man pages, locales) plus /usr/bin/promtool
#   prometheus_*.deb        Debian's prometheus package, for its promtool
# Env: T=a,b   only these scenarios (default all)
#      VM_OUT  logs and the initramfs (default build/vm-systemd)
# Ends with "N passed, N failed".
set -euo pipefail
SD=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$SD/../../.." && pwd)
export VM_OUT=${VM_OUT:-$TOP/build/vm-systemd}
# shellcheck source=tests/vm/vm.sh
. "$TOP/tests/vm/vm.sh"	# functions only: run_leg, build_tools, kernel_image ...
# shellcheck source=tests/pkg/lib.sh
. "$ROOT/tests/pkg/lib.sh"	# ensure_debootstrap

# systemd as init, the exporter, curl to scrape it, procps for sysctl
PACKAGES=systemd,systemd-sysv,prometheus-node-exporter,curl,procps
NAME=bookworm-systemd

# ensure_promtool: sets PROMTOOL_DEB, Debian's prometheus package (cached).
# Only its promtool goes into the guest: the server would add 50 MB and a
# service that starts at every boot.
ensure_promtool() {
	PROMTOOL_DEB=$(ls "$cache"/prometheus_*_amd64.deb 2>/dev/null | sort -V | tail -n 1 || true)
	[ -z "$PROMTOOL_DEB" ] || return 0
	log "downloading Debian's prometheus package (for promtool; once)"
	# a fresh machine may have no package lists yet: refresh them once
	(cd "$cache" && apt-get -o APT::Sandbox::User=root download prometheus >&2) ||
		{ apt-get update >&2 && (cd "$cache" && apt-get -o APT::Sandbox::User=root download prometheus >&2); } ||
		die "apt-get download prometheus failed: check the network to the Debian mirror (apt-get update must work)"
	PROMTOOL_DEB=$(ls "$cache"/prometheus_*_amd64.deb | sort -V | tail -n 1)
}

# cpio_of DIR: DIR's tree as a newc archive on stdout, owned by root, minus
# what a test boot never reads (apt's lists and caches, docs, man pages,
# locales): the guest holds all of it in RAM.
cpio_of() {
	(cd "$1" && find . -mindepth 1 ! -name .nm-complete |
		grep -vE '^\./(var/lib/apt/lists|var/cache/apt|usr/share/(doc|man|locale|info))/' |
		LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet)
}

# ensure_base_cpio: sets BASE_CPIO, the root file system and promtool as one
# uncompressed archive (the guest unpacks it faster than it could gunzip).
ensure_base_cpio() {
	local p tmp s
	ensure_debootstrap "$NAME" "$PACKAGES" >&2 || die "cannot make $cache/$NAME (see above)"
	for p in ${PACKAGES//,/ }; do
		dpkg --root="$base" -s "$p" >/dev/null 2>&1 ||
			die "$base lacks $p (made with another package list): remove it (rm -rf $base) and run again"
	done
	BASE_CPIO=$cache/$NAME.cpio
	ensure_promtool
	exec 7>"$cache/$NAME.cpio.lock"
	flock 7
	if [ ! -s "$BASE_CPIO" ] || [ "$base/.nm-complete" -nt "$BASE_CPIO" ] || [ "$PROMTOOL_DEB" -nt "$BASE_CPIO" ]; then
		s=$(date +%s)
		tmp=$(mktemp -d "$cache/promtool.XXXXXX")
		dpkg-deb --fsys-tarfile "$PROMTOOL_DEB" | tar -x -C "$tmp" ./usr/bin/promtool ||
			die "$PROMTOOL_DEB has no ./usr/bin/promtool"
		{ cpio_of "$base"; cpio_of "$tmp"; } >"$BASE_CPIO.part"
		rm -rf "$tmp"
		mv "$BASE_CPIO.part" "$BASE_CPIO"
		log "made $BASE_CPIO ($(($(stat -c %s "$BASE_CPIO") >> 20)) MiB) in $(($(date +%s) - s)) s"
	fi
	flock -u 7
	exec 7>&-
}

# overlay DEB: the leg's own files as a second archive (the kernel unpacks
# concatenated archives in order): /init -> systemd, the runner service, the
# scenarios and the guest runner's library, nmt-json, the .deb; the console
# gettys masked (the console carries the results).
overlay() {
	local deb=$1 o
	o=$(mktemp -d "${TMPDIR:-/tmp}/nm-sysd.XXXXXX")
	mkdir -p "$o"/etc/systemd/system/multi-user.target.wants "$o"/nmtest/scenarios "$o"/usr/local/bin
	ln -s /lib/systemd/systemd "$o/init"
	cp "$SD/guest/nmtest.service" "$o/etc/systemd/system/"
	ln -s ../nmtest.service "$o/etc/systemd/system/multi-user.target.wants/nmtest.service"
	ln -s /dev/null "$o/etc/systemd/system/serial-getty@ttyS0.service"
	ln -s /dev/null "$o/etc/systemd/system/getty@tty1.service"
	echo nmtest-systemd >"$o/etc/hostname"
	cp "$SD/guest/run" "$SD/guest/unit.sh" "$ROOT/tests/vm/guest/lib.sh" "$o/nmtest/"
	cp "$ROOT/tests/lib/assert.sh" "$o/nmtest/assert.sh"
	cp "$SD"/scenarios/*.sh "$o/nmtest/scenarios/"
	cp "$deb" "$o/nmtest/"
	cp "$OUT/tools/nmt-json" "$o/usr/local/bin/"
	chmod -R go-w "$o"
	cpio_of "$o"
	rm -rf "$o"
}

main() {
	local deb=${1:-} t0 t1 rc=0
	if [ -z "$deb" ]; then
		deb=$ROOT/build/numa-migrate_$(dpkg-parsechangelog -l "$ROOT/debian/changelog" -SVersion)_$(dpkg-architecture -qDEB_HOST_ARCH).deb
	fi
	[ -f "$deb" ] || die "no $deb: build it with 'make deb'"
	TESTS=${T:-all}
	ensure_host_tools
	mkdir -p "$OUT"
	t0=$(date +%s)
	ensure_base_cpio
	t1=$(date +%s)
	echo "vm-systemd: root file system ready in $((t1 - t0)) s ($(rel "$BASE_CPIO"), $(($(stat -c %s "$BASE_CPIO") >> 20)) MiB)"
	build_tools
	INITRD=$OUT/initrd.cpio
	{ cat "$BASE_CPIO"; overlay "$deb"; } >"$INITRD"
	run_leg 6.12 2 "$TESTS" || rc=1
	echo "vm-systemd: $(($(date +%s) - t0)) s in all: root file system $((t1 - t0)) s, then the test programs, the wait for the guest lock and the leg"
	echo "$LEG_PASSED passed, $LEG_FAILED failed"
	return $rc
}

main "$@"

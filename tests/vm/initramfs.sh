#!/usr/bin/env bash
# tests/vm/initramfs.sh OUT.cpio.gz [BIN...]
#
# Builds the guest's initramfs (cpio newc, gzip):
#   /init                  tests/vm/guest/init
#   /nmtest/               tests/vm/guest/* (init, lib.sh, ...), tests/lib/assert.sh
#   /nmtest/scenarios/     tests/vm/scenarios/*.sh
#   /bin/busybox + one symlink per applet (from busybox-static)
#   /bin/<name>            each BIN given (must be statically linked)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
BUSYBOX=/bin/busybox

log() { printf 'initramfs.sh: %s\n' "$*" >&2; }
die() { printf 'initramfs.sh: error: %s\n' "$*" >&2; exit 1; }

usage() {
	echo "usage: tests/vm/initramfs.sh OUT.cpio.gz [STATIC_BINARY...]" >&2
	exit 1
}

# shellcheck source=tests/vm/apt.sh
. "$HERE/apt.sh"

is_static() {
	# A dynamically linked ELF has a PT_INTERP program header.
	command -v readelf >/dev/null || return 0 # cannot tell; the guest would say "not found"
	if readelf -lW "$1" 2>/dev/null | grep -q 'Requesting program interpreter'; then
		return 1
	fi
	return 0
}

ensure_tools() {
	local missing=()
	command -v cpio >/dev/null || missing+=(cpio)
	command -v gzip >/dev/null || missing+=(gzip)
	if [ ! -x "$BUSYBOX" ] || ! is_static "$BUSYBOX"; then
		missing+=(busybox-static)
	fi
	[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
	is_static "$BUSYBOX" || die "$BUSYBOX is dynamically linked: install busybox-static (apt-get install busybox-static)"
}

main() {
	[ $# -ge 1 ] || usage
	local out=$1 root bin name applet
	shift
	ensure_tools

	[ -f "$HERE/guest/init" ] || die "$HERE/guest/init is missing"
	root=$(mktemp -d "${TMPDIR:-/tmp}/nm-initramfs.XXXXXX")
	# shellcheck disable=SC2064
	trap "rm -rf '$root'" EXIT

	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,run,nmtest/scenarios}
	chmod 1777 "$root/tmp"

	cp "$BUSYBOX" "$root/bin/busybox"
	# One symlink per applet at the path busybox itself would use.
	while read -r applet; do
		[ -n "$applet" ] || continue
		[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
	done < <("$BUSYBOX" --list-full)

	for bin in "$@"; do
		[ -f "$bin" ] || die "binary $bin does not exist"
		is_static "$bin" || die "$bin is dynamically linked; the guest has no libc: build it static (for the tool: make STATIC=1)"
		name=$(basename "$bin")
		cp "$bin" "$root/bin/$name"
		chmod 755 "$root/bin/$name"
	done

	cp "$HERE"/guest/* "$root/nmtest/"
	# the assertions shared with the host tests (lib.sh sources it)
	cp "$HERE/../lib/assert.sh" "$root/nmtest/assert.sh"
	cp "$HERE/guest/init" "$root/init"
	chmod 755 "$root/init" "$root/nmtest/init"
	if compgen -G "$HERE/scenarios/*.sh" >/dev/null; then
		cp "$HERE"/scenarios/*.sh "$root/nmtest/scenarios/"
	fi

	# Extra scenarios (the demo, the benchmark) that the matrix does not run.
	# Files there without .sh (scripts the scenarios call) come along too.
	if [ -n "${NMT_EXTRA_SCENARIOS:-}" ] && compgen -G "$NMT_EXTRA_SCENARIOS/*" >/dev/null; then
		cp "$NMT_EXTRA_SCENARIOS"/* "$root/nmtest/scenarios/"
	fi
	# Host programs that are only dynamic (numactl's migratepages): copy them
	# with the shared libraries ldd names, at the same paths. A name with a
	# slash is a file (numad unpacked from its .deb, vm.sh): into /usr/bin.
	for name in ${NMT_HOST_BINS:-}; do
		case $name in
		*/*) bin=$name; [ -x "$bin" ] || die "program $bin not found"; name=$(basename "$bin") ;;
		*) bin=$(command -v "$name") || die "host program '$name' not found (install the package that has it)" ;;
		esac
		cp "$bin" "$root/usr/bin/$name"
		ldd "$bin" | grep -o '/[^ ]*' | while read -r lib; do
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$lib" "$root$lib"
		done
	done

	# The kernel's built-in initramfs normally has /dev/console; add it when we can.
	if [ "$(id -u)" -eq 0 ]; then
		mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null || true
	fi

	mkdir -p "$(dirname "$out")"
	(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
		gzip -1 >"$out.part"
	mv "$out.part" "$out"
}

main "$@"

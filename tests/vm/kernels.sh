#!/usr/bin/env bash
# tests/vm/kernels.sh KVER
#
# Prints the path of a cached Debian vmlinuz for KVER (6.1 or 6.12), fetching it
# the first time: the newest linux-image-6.1.0-N-amd64 (bookworm, bookworm-security)
# or linux-image-6.12.N+deb12-amd64 (bookworm-backports, bookworm-security) that
# apt knows, fetched with `apt-get download`, unpacked with `dpkg -x`. Only the
# vmlinuz (and its config, for reference) is kept; the guest boots from an
# initramfs and needs no modules.
#
# Cache: ${XDG_CACHE_HOME:-$HOME/.cache}/numa-migrate/kernels/vmlinuz-<release>
# Env:   VM_KERNEL_OFFLINE=1  use the newest cached vmlinuz for KVER, never run apt.
#
# stdout carries the path only; every diagnostic goes to stderr.
set -euo pipefail

BACKPORTS_FILE=/etc/apt/sources.list.d/bookworm-backports.sources
APT_UPDATED=0

log() { printf 'kernels.sh: %s\n' "$*" >&2; }
die() { printf 'kernels.sh: error: %s\n' "$*" >&2; exit 1; }

usage() {
	cat >&2 <<-EOF
	usage: tests/vm/kernels.sh KVER
	  KVER: 6.1 or 6.12. Prints the path of a cached vmlinuz (downloads it once).
	EOF
	exit 1
}

# Regex for the package names of one kernel line (no -cloud, -rt, -dbg, -unsigned).
pkg_regex() {
	case $1 in
	6.1) echo '^linux-image-6\.1\.0-[0-9]+-amd64$' ;;
	6.12) echo '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' ;;
	*) return 1 ;;
	esac
}

# The newest package for KVER that apt can install (has a candidate), or nothing.
newest_pkg() {
	local kver=$1 re pkg cand
	re=$(pkg_regex "$kver")
	# pkgnames can list names no source provides any more: check the candidate,
	# newest first.
	for pkg in $(apt-cache pkgnames linux-image-"$kver" 2>/dev/null | grep -E "$re" | sort -rV); do
		cand=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ { print $2; exit }')
		if [ -n "$cand" ] && [ "$cand" != "(none)" ]; then
			echo "$pkg"
			return 0
		fi
	done
	return 0
}

need_root_for_apt() {
	if [ "$(id -u)" -ne 0 ]; then
		die "apt needs root to $1; run as root (or with sudo), or fetch once as root and set XDG_CACHE_HOME to share the cache"
	fi
}

# bookworm-backports carries the 6.12 kernels; add it (deb822) when missing.
ensure_backports() {
	if grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
		return 0
	fi
	need_root_for_apt "add bookworm-backports"
	log "adding $BACKPORTS_FILE (6.12 kernels live in bookworm-backports)"
	cat >"$BACKPORTS_FILE" <<-'EOF'
	Types: deb
	URIs: http://deb.debian.org/debian
	Suites: bookworm-backports
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOF
	APT_UPDATED=0
	apt_update
}

apt_update() {
	[ "$APT_UPDATED" = 1 ] && return 0
	need_root_for_apt "refresh its package lists"
	log "running apt-get update"
	if ! apt-get update >&2; then
		die "apt-get update failed: check the network to the Debian mirror and /etc/apt/sources.list.d/, then retry"
	fi
	APT_UPDATED=1
}

# Newest vmlinuz already in the cache for KVER, or nothing.
newest_cached() {
	local kver=$1 cache=$2
	case $kver in
	6.1) ls "$cache"/vmlinuz-6.1.0-*-amd64 2>/dev/null | sort -V | tail -n 1 || true ;;
	6.12) ls "$cache"/vmlinuz-6.12.*+deb12-amd64 2>/dev/null | sort -V | tail -n 1 || true ;;
	esac
}

# apt-get download into the current directory. The cache usually sits under a
# home directory apt's _apt user cannot enter: download as root, quietly.
apt_download() {
	apt-get -o APT::Sandbox::User=root download "$1" >&2
}

# Download PKG and keep its vmlinuz as $cache/vmlinuz-$rel.
fetch_pkg() {
	local pkg=$1 cache=$2 rel=$3 tmp deb img pkg_now
	need_root_for_apt "download $pkg"
	tmp=$(mktemp -d "$cache/fetch.XXXXXX")
	# shellcheck disable=SC2064
	trap "rm -rf '$tmp'" RETURN
	log "downloading $pkg (once; cached in $cache)"
	if ! (cd "$tmp" && apt_download "$pkg"); then
		log "apt-get download $pkg failed; refreshing the package lists and retrying"
		APT_UPDATED=0
		apt_update
		pkg_now=$(newest_pkg "$KVER")
		[ -n "$pkg_now" ] || die "no $KVER kernel package after apt-get update"
		if [ "$pkg_now" != "$pkg" ]; then
			log "newest package is now $pkg_now"
			pkg=$pkg_now
			rel=${pkg#linux-image-}
		fi
		if ! (cd "$tmp" && apt_download "$pkg"); then
			die "apt-get download $pkg failed: check the network to the Debian mirror (apt-get update must work), then retry"
		fi
	fi
	deb=$(ls "$tmp"/*.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || die "apt-get download $pkg produced no .deb in $tmp"
	log "extracting $(basename "$deb")"
	dpkg -x "$deb" "$tmp/root" || die "dpkg -x $deb failed (disk full?)"
	img=$tmp/root/boot/vmlinuz-$rel
	[ -f "$img" ] || die "$deb has no boot/vmlinuz-$rel: is $pkg a real kernel image?"
	cp "$img" "$cache/vmlinuz-$rel.part"
	if [ -f "$tmp/root/boot/config-$rel" ]; then
		cp "$tmp/root/boot/config-$rel" "$cache/config-$rel"
	fi
	mv "$cache/vmlinuz-$rel.part" "$cache/vmlinuz-$rel"
	FETCHED=$cache/vmlinuz-$rel
}

main() {
	[ $# -eq 1 ] || usage
	KVER=$1
	pkg_regex "$KVER" >/dev/null || { log "unknown kernel '$KVER'"; usage; }

	local cache pkg rel cached
	cache=${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/numa-migrate/kernels
	mkdir -p "$cache" || die "cannot create the cache directory $cache (set XDG_CACHE_HOME to a writable place)"

	# One fetch at a time per cache (parallel CI jobs share it).
	exec 9>"$cache/.lock"
	flock 9

	if [ "${VM_KERNEL_OFFLINE:-0}" = 1 ]; then
		cached=$(newest_cached "$KVER" "$cache")
		[ -n "$cached" ] || die "VM_KERNEL_OFFLINE=1 but no $KVER kernel in $cache: run once without it to download one"
		echo "$cached"
		return 0
	fi

	command -v apt-cache >/dev/null || die "apt-cache not found: this script needs Debian/Ubuntu apt (or set VM_KERNEL_OFFLINE=1 with a filled cache)"
	[ "$KVER" = 6.12 ] && ensure_backports

	pkg=$(newest_pkg "$KVER")
	if [ -z "$pkg" ]; then
		log "apt knows no $KVER kernel package yet"
		apt_update
		pkg=$(newest_pkg "$KVER")
	fi
	if [ -z "$pkg" ]; then
		cached=$(newest_cached "$KVER" "$cache")
		if [ -n "$cached" ]; then
			log "warning: apt has no $KVER kernel; using cached $cached"
			echo "$cached"
			return 0
		fi
		case $KVER in
		6.1) die "no linux-image-6.1.0-N-amd64 in apt: enable bookworm and bookworm-security in /etc/apt/sources.list.d/debian.sources, then apt-get update" ;;
		6.12) die "no linux-image-6.12.N+deb12-amd64 in apt: check $BACKPORTS_FILE (bookworm-backports, main), then apt-get update" ;;
		esac
	fi

	rel=${pkg#linux-image-}
	if [ -s "$cache/vmlinuz-$rel" ]; then
		echo "$cache/vmlinuz-$rel"
		return 0
	fi
	FETCHED=
	fetch_pkg "$pkg" "$cache" "$rel"
	log "cached $FETCHED"
	echo "$FETCHED"
}

main "$@"

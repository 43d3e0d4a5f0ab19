#!/usr/bin/env bash
# Installs what building and testing numa-migrate needs, on Debian 12, as root.
# Only missing packages are installed; a machine that has them all is not
# touched (no apt-get update).
set -euo pipefail

build_pkgs=(make gcc libc6-dev clang llvm pkg-config libbpf-dev bpftool libelf-dev zlib1g-dev
	    libnuma-dev libjson-c-dev libcmocka-dev)
test_pkgs=(libxml2-utils chromium numactl qemu-system-x86 busybox-static cpio systemd)
# make deb, make pkg-test (Debian package) and make bare-debian-test (debootstrap chroot)
test_pkgs+=(debhelper lintian dpkg-dev fakeroot debootstrap)
# JSON Schema validation of every JSON output (tests/schema/validate.sh)
test_pkgs+=(python3-jsonschema)

missing=()
for p in "${build_pkgs[@]}" "${test_pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run as root (or: sudo apt-get install ${missing[*]})" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2 || { echo "deps: apt-get update failed: check the network and /etc/apt/sources.list.d" >&2; exit 1; }
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 || {
	echo "deps: apt-get install failed for: ${missing[*]}" >&2; exit 1; }

# Sourced by vm.sh and initramfs.sh (which define log and die).
# apt_install PKG...: installs missing Debian packages (CI machines may be
# fresh); tries without 'apt-get update' first, since lists are usually there.
apt_install() {
	[ "$(id -u)" -eq 0 ] || die "missing package(s) $*: install them with: sudo apt-get install $*"
	log "installing $*"
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >&2; then
		apt-get update >&2 || true
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >&2 ||
			die "apt-get install $* failed: check the apt sources and the network to the Debian mirror"
	fi
}

# apt_unpack PKG DIR: downloads PKG's .deb and unpacks it under DIR without
# installing it (a daemon's package, numad, must not configure or start on
# this machine; the benchmark copies its binary into the guest).
apt_unpack() {
	local tmp deb
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/nm-apt.XXXXXX")
	log "downloading $1 (unpacked into $2, not installed)"
	if ! (cd "$tmp" && apt-get -o APT::Sandbox::User=root download "$1" >&2); then
		apt-get update >&2 || true
		(cd "$tmp" && apt-get -o APT::Sandbox::User=root download "$1" >&2) ||
			die "apt-get download $1 failed: check the apt sources and the network to the Debian mirror"
	fi
	deb=$(ls "$tmp"/*.deb)
	mkdir -p "$2"
	dpkg -x "$deb" "$2" || die "dpkg -x $deb failed (disk full?)"
	rm -rf "$tmp"
}

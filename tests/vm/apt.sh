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

#!/usr/bin/env bash
# make bench-all: 'numa-migrate auto --all' against the kernel's balancing
# alone and against numad, and 'scan' against numastat, in one 2-node guest
# (see README.md here). KERNEL=6.1|6.12 (default 6.12). Sizes, rounds and the
# scan size are set at the top of scenarios/peers.sh (the guest sees no host
# environment). numad comes from Debian's package, unpacked (not installed)
# under build/numad-pkg; numastat from numactl on this machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
log() { printf 'peers.sh: %s\n' "$*" >&2; }
die() { printf 'peers.sh: error: %s\n' "$*" >&2; exit 2; }
# shellcheck source=tests/vm/apt.sh
. tests/vm/apt.sh
command -v numastat >/dev/null || apt_install numactl
pkg=build/numad-pkg
[ -x "$pkg/usr/bin/numad" ] || apt_unpack numad "$pkg"
PATH=$PWD/$pkg/usr/bin:$PATH
# the keep-alive tracepoint stays on (every method runs with it): auto attaches
# its tracer three times here, and that is what the keep-alive makes safe
export PATH VM_HOST_BINS="numastat numad" VM_VERBOSE=1 VM_TIMEOUT=${VM_TIMEOUT:-1800}
log=build/bench-peers-"${KERNEL:-6.12}".log
tests/vm/vm.sh test --kernel "${KERNEL:-6.12}" --nodes 2 --tests peers --extra tests/bench \
	--bin build/static 2>&1 | tee "$log"
grep -E '^ *\| *(PEERS)' "$log" | sed 's/^ *| *//' || true

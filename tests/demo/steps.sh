#!/bin/sh
# The golden path, shown to a newcomer: helper -> check -> move -> verify.
# Runs under bash on a multi-node host and under busybox sh in the guest.
# Usage: steps.sh [NUMA_MIGRATE]   (exit 0 only if every step did what it says)
set -u
NM=${1:-numa-migrate}
SIZE=${DEMO_SIZE:-512M}
tmp=$(mktemp -d /tmp/nm-demo.XXXXXX)

say() { printf '\n$ %s\n' "$*"; }
die() { echo "demo: $*" >&2; [ -n "${hp:-}" ] && kill -9 "$hp" 2>/dev/null; exit 1; }

say "$NM helper --size $SIZE --node 0 --seed 42 &"
$NM helper --size "$SIZE" --node 0 --seed 42 --no-thp > "$tmp/helper" 2>&1 &
hp=$!
i=0
until grep -q '^HELPER ' "$tmp/helper"; do
	i=$((i + 1)); [ $i -gt 600 ] && die "helper did not start: $(cat "$tmp/helper")"
	sleep 0.1
done
cat "$tmp/helper"

say "$NM check --pid $hp --range $SIZE"
$NM check --pid "$hp" --range "$SIZE" || die "check failed"

say "$NM move --pid $hp --range $SIZE --to-node 1 --verify"
$NM move --pid "$hp" --range "$SIZE" --to-node 1 --verify --no-progress | tee "$tmp/move" ||
	die "move failed (exit code above)"
grep -q '^Verification: \(9[5-9]\|100\)\.[0-9]% on node 1$' "$tmp/move" ||
	die "less than 95% of the pages are on node 1"

say "$NM check --pid $hp --range $SIZE"
$NM check --pid "$hp" --range "$SIZE" || die "check failed"

say "kill -USR1 $hp    # the helper re-checks every byte of its pattern"
kill -USR1 "$hp"
sleep 2
grep '^VERIFY' "$tmp/helper" | tail -1
grep -q '^VERIFY ok' "$tmp/helper" || die "the pattern changed: migration lost data"

say "$NM move --pid $hp --to-node 0 --range $SIZE --verify --json   # and back, for scripts"
$NM move --pid "$hp" --range "$SIZE" --to-node 0 --verify --json --no-progress | tee "$tmp/back.json" |
	grep -E '"(pages|moved|busy|failed|target_node|percent)"' || die "move back failed"
kill -TERM "$hp"
wait "$hp" 2>/dev/null
grep -q 'VERIFY ok .*final=1' "$tmp/helper" || die "final pattern check failed"
rm -rf "$tmp"
echo
echo "demo: moved $SIZE to node 1 and back; every byte intact."

# shellcheck shell=bash disable=SC2154 # helper_pid, out, err: tests/host/run.sh's
# tests/schema/host.sh - host tests of the JSON contracts (docs/schema),
# sourced by tests/host/run.sh (its helpers: start_helper, expect_exit, has).
#
# schema_host_outputs: every command's JSON on this one-node machine is valid.
# schema_breaks: a document with a renamed field, a changed type or an unknown
#   value fails, naming the JSON pointer and the rule.
# schema_file_return: a guest's save_file comes back intact through the
#   console (guest/lib.sh -> tests/vm/files.sh); a damaged or invalid one fails.

SCHEMA_VALIDATE=$ROOT/tests/schema/validate.sh
SCHEMA_FIXTURES=$ROOT/tests/schema/fixtures

# schema_expect_valid DIR N: validate.sh passes on DIR and counted N documents.
schema_expect_valid() {
	local v
	v=$("$SCHEMA_VALIDATE" "$1") || fail "validation of $1 failed:
$v"
	has "$v" "^schema: $2 documents in [0-9]+ files valid"
}

t_schema_host_outputs() {
	local d=$WORK/out n=0
	mkdir -p "$d"
	save() { printf '%s\n' "$out" >"$d/$1"; n=$((n + 1)); }
	start_helper --size 8M --node 0 --no-thp
	expect_exit 0 "$BIN" check --pid "$helper_pid" --json --by-mapping; save check.by-mapping.json
	expect_exit 0 "$BIN" check --pid "$helper_pid" --range 4M --json; save check.range.json
	expect_exit 0 "$BIN" check --pid "$helper_pid" --json; save check.numa-maps.json
	expect_exit 0 "$BIN" check --pid "$helper_pid" --json --by-mapping --exact
	save check.by-mapping-exact.json
	expect_exit 0 "$BIN" move --pid "$helper_pid" --to-node 0 --verify --json; save move.verify.json
	expect_exit 0 "$BIN" move --pid "$helper_pid" --to-node 0 --dry-run --json; save move.dry-run.json
	expect_exit 0 "$BIN" move --pid "$helper_pid" --to-node 0 --explain --pin-threads --json
	save move.explain-pin.json
	expect_exit 0 "$BIN" diagnose --pid "$helper_pid" --to-node 0 --json; save diagnose.to-node.json
	expect_exit 0 "$BIN" diagnose --pid "$helper_pid" --watch 1 --json; save diagnose.watch.json
	expect_exit 0 "$BIN" trace --pid "$helper_pid" --duration 1 --json; save trace.host.json
	expect_exit 0 "$BIN" features --json; save features.host.json
	expect_exit 0 "$BIN" scan --json; save scan.host.json
	# scan --watch: one document per line until SIGINT (timeout's status 124)
	assert_exit 124 timeout -s INT 3 "$BIN" scan --watch 1 --min-size 1G --json
	[ "$(grep -c . <<<"$OUT")" -ge 2 ] || fail "scan --watch --json printed fewer than 2 lines: $OUT"
	printf '%s\n' "$OUT" >"$d/scan.watch.jsonl"
	n=$((n + $(grep -c . "$d/scan.watch.jsonl")))
	# the error-only document: no such process, and auto on one node
	expect_exit 1 "$BIN" check --pid 4194304 --json; save error.no-process.json
	expect_exit 4 "$BIN" auto --pid "$helper_pid" --duration 1 --json; save error.auto-one-node.json
	# auto --spread runs on one node (it keeps the spread): its report and log
	expect_exit 0 "$BIN" auto --pid "$helper_pid" --spread "$(field start)=0" --interval 1 \
		--duration 1 --enable-balancing --json --log "$d/auto-log.spread-one-node.jsonl"
	save auto.spread-one-node.json
	n=$((n + $(grep -c . "$d/auto-log.spread-one-node.jsonl")))
	stop_helper
	schema_expect_valid "$d" "$n"
	# auto's report and log need two nodes: real ones from a 6.12/2n guest
	set -- "$SCHEMA_FIXTURES"/*.json
	schema_expect_valid "$SCHEMA_FIXTURES" "$(($# + $(cat "$SCHEMA_FIXTURES"/*.jsonl | grep -c .)))"
}

# schema_break SCHEMA FILE SED POINTER RULE: FILE edited with SED (as
# SCHEMA.broken.json/.jsonl) must fail at POINTER on RULE.
schema_break() {
	local ext=${2##*.} b v rc=0
	b=$WORK/brk/$1.broken.$ext
	mkdir -p "$WORK/brk"
	rm -f "$WORK"/brk/*
	sed -E "$3" "$2" >"$b"
	! cmp -s "$2" "$b" || fail "the edit '$3' changed nothing in $2: the test is stale"
	v=$("$SCHEMA_VALIDATE" "$b") || rc=$?
	assert_eq 1 "$rc" "validate.sh status for $1 after '$3' (output: $v)"
	has "$v" "^$b(:[0-9]+)?: at $4: rule '$5' failed"
	has "$v" '^schema: 1 of [0-9]+ documents invalid'
}

t_schema_breaks() {
	local d=$WORK/ok f
	mkdir -p "$d"
	start_helper --size 4M --node 0 --no-thp
	expect_exit 0 "$BIN" check --pid "$helper_pid" --json --by-mapping
	printf '%s\n' "$out" >"$d/check.json"
	expect_exit 0 "$BIN" move --pid "$helper_pid" --to-node 0 --verify --json
	printf '%s\n' "$out" >"$d/move.json"
	expect_exit 0 "$BIN" diagnose --pid "$helper_pid" --to-node 0 --json
	printf '%s\n' "$out" >"$d/diagnose.json"
	expect_exit 0 "$BIN" trace --pid "$helper_pid" --duration 1 --json
	printf '%s\n' "$out" >"$d/trace.json"
	stop_helper
	expect_exit 0 "$BIN" features --json
	printf '%s\n' "$out" >"$d/features.json"
	expect_exit 0 "$BIN" scan --json
	printf '%s\n' "$out" >"$d/scan.json"
	expect_exit 1 "$BIN" check --pid 4194304 --json
	printf '%s\n' "$out" >"$d/error.json"
	schema_expect_valid "$d" 7	# the originals pass
	# a required field renamed: missing, and the new name is unknown
	schema_break check "$d/check.json" 's/^  "present":/  "present_pages":/' / required
	schema_break check "$d/check.json" 's/^  "present":/  "present_pages":/' / additionalProperties
	# a type changed: a count as a string, a boolean as a string
	schema_break check "$d/check.json" 's/^  "pages": ([0-9]+)/  "pages": "\1"/' /pages type
	schema_break move "$d/move.json" 's/"passed": true/"passed": "yes"/' /verification/passed type
	# a nested required field renamed, a value outside its set
	schema_break diagnose "$d/diagnose.json" '0,/"severity"/s/"severity"/"level"/' /findings/0 required
	schema_break diagnose "$d/diagnose.json" 's/"verdict": "ok"/"verdict": "fine"/' /verdict enum
	schema_break trace "$d/trace.json" '0,/"accesses":/s/"accesses":/"access_count":/' /regions/0 required
	schema_break features "$d/features.json" '0,/"state": "attached"/s/"state": "attached"/"state": "on"/' /hooks/0/state enum
	schema_break scan "$d/scan.json" 's/"examined": [0-9]+/"examined": -1/' /examined minimum
	schema_break error "$d/error.json" 's/^\{"error"/{"exit_code":1,"error"/' / additionalProperties
	# auto's report and log lines (fixtures from a guest): a renamed field in
	# the report, a decision line without its reason, an unknown line type
	set -- "$SCHEMA_FIXTURES"/auto.*.json
	f=$1
	schema_break auto "$f" 's/"ended_by":/"end_reason":/' / required
	set -- "$SCHEMA_FIXTURES"/auto-log.*.jsonl
	f=$1
	grep -q '"type":"decision"' "$f" || fail "$f has no decision line to break"
	schema_break auto-log "$f" '0,/"type":"decision"/s/"reason":/"why":/' / required
	schema_break auto-log "$f" '1s/"type":"[a-z]+"/"type":"note"/' /type enum
	# not JSON, and a file no schema is named for
	printf '{"pid": 1,\n' >"$WORK/brk/check.cut.json"
	v=$("$SCHEMA_VALIDATE" "$WORK/brk/check.cut.json") && fail "a cut document passed: $v"
	has "$v" 'check.cut.json: not a JSON document'
	printf '{}\n' >"$WORK/brk/nosuch.x.json"
	v=$("$SCHEMA_VALIDATE" "$WORK/brk/nosuch.x.json") && fail "a file without a schema passed: $v"
	has "$v" 'nosuch.x.json: no schema .*/nosuch.schema.json'
}

t_schema_file_return() {
	local st=$WORK/guest/scen.state/files c=$WORK/console.txt
	mkdir -p "$st"
	command -v busybox >/dev/null || fail "busybox is missing (tests/deps.sh installs busybox-static)"
	expect_exit 0 "$BIN" features --json
	printf '%s\n' "$out" >"$st/features.t.json"
	head -c 3000 /dev/urandom >"$st/blob.bin"	# any bytes come back as they were
	# the guest side: the runner's nmt_return_files, in busybox sh as in the guest
	busybox sh -c 'NMT_LOGDIR=$1; eval "$(sed -n "/^nmt_return_files()/,/^}/p" "$2")"
		echo "RUN  scen"; nmt_return_files scen; echo "PASS scen in 1 s"' sh "$WORK/guest" \
		"$ROOT/tests/vm/guest/lib.sh" >"$c"
	has "$(cat "$c")" '^NMTEST-FILE-BEGIN scen/features.t.json [0-9]+ [0-9a-f]{32}$'
	(
		rel() { echo "$1"; }
		# shellcheck source=tests/vm/files.sh
		. "$ROOT/tests/vm/files.sh"
		vm_files "$c" "$WORK/files"
		assert_eq 0 "${#FILES_REASONS[@]}" "reasons on an intact return: ${FILES_REASONS[*]}"
		cmp "$st/blob.bin" "$WORK/files/scen/blob.bin" || fail "blob.bin came back different"
		cmp "$st/features.t.json" "$WORK/files/scen/features.t.json" || fail "features.t.json came back different"
		has "$FILES_LINE" '^2 file\(s\) returned to .*; schema: 1 documents in 1 files valid'
		# a console line lost in the middle of a file: damaged, the leg fails
		sed '/^NMTEST-FILE-BEGIN scen\/blob.bin/{n;d}' "$c" >"$c.cut"
		vm_files "$c.cut" "$WORK/files"
		assert_eq 1 "${#FILES_REASONS[@]}" "reasons for a damaged file"
		has "${FILES_REASONS[0]}" '^file scen/blob.bin came back damaged'
		# a valid transfer of an invalid document: the leg fails on the schema
		sed 's/"state": "attached"/"state": "on"/' "$st/features.t.json" >"$st/features.t.json.new"
		mv "$st/features.t.json.new" "$st/features.t.json"
		busybox sh -c 'NMT_LOGDIR=$1; eval "$(sed -n "/^nmt_return_files()/,/^}/p" "$2")"
			nmt_return_files scen' sh "$WORK/guest" "$ROOT/tests/vm/guest/lib.sh" >"$c"
		vm_files "$c" "$WORK/files"
		assert_eq 1 "${#FILES_REASONS[@]}" "reasons for an invalid document"
		has "${FILES_REASONS[0]}" "features.t.json: at /hooks/[0-9]+/state: rule 'enum' failed"
	) || exit 1
}

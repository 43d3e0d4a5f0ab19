# tests/lib/assert.sh - the assertions and JSON reader shared by the host
# tests (tests/host/run.sh, bash) and the guest scenarios (tests/vm/guest/
# lib.sh, busybox ash; the initramfs carries this file as /nmtest/assert.sh).
# POSIX sh plus `local`; safe under `set -e` (a failing command inside run
# or assert_exit is a result, not an exit).
#
# The runner that sources it defines:
#   fail MSG    record the failure and end the test (exit non-zero)
#   info MSG    a line for the test's log (stderr)
# and sets NMT_WORK (a writable folder for the test's files) and, unless
# nmt-json is in PATH, NMT_JSON (the path of the tests/lib/nmt-json tool).
#
#   assert_eq EXPECTED ACTUAL [WHAT]     assert_ne UNWANTED ACTUAL [WHAT]
#   assert_ge ACTUAL MIN [WHAT]          assert_le ACTUAL MAX [WHAT]
#   assert_gt ACTUAL MIN [WHAT]          assert_lt ACTUAL MAX [WHAT]
#   assert_near A B TOLERANCE [WHAT]
#   assert_match REGEX TEXT [WHAT]       assert_nomatch REGEX TEXT [WHAT]
#   assert_exit CODES CMD...   (CODES: 0 or 1,3) runs CMD; sets OUT ERR ALL RC
#   run CMD...                 runs CMD, sets OUT (stdout) ERR (stderr) ALL RC
#   assert_json [TEXT] [WHAT]  TEXT ($OUT) is one valid JSON document
#   jget PATH [TEXT]           value at a dotted JSON path (a.b.0), from TEXT or $OUT
#   jnum PATH [TEXT]           the same, failing unless it is a number
#   jlen PATH [TEXT] / jtype PATH [TEXT]
#   jfind LIST KEY VALUE FIELD [TEXT]   FIELD of LIST's element whose KEY is VALUE
#   text_num LABEL [TEXT]      the first number after "LABEL:" in TEXT

NMT_JSON=${NMT_JSON:-nmt-json}

# ---------------------------------------------------------------- numbers

# is_num X: X is a decimal number (integer or with a fraction, maybe negative).
is_num() {
	case $1 in
	'' | *[!0-9.-]* | *.*.* | -*-* | ?*-*) return 1 ;;
	esac
	case $1 in
	. | - | -. | *-) return 1 ;;
	esac
	return 0
}

# num_cmp A OP B with OP one of -eq -ne -ge -gt -le -lt; works for fractions.
num_cmp() {
	awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN {
		a += 0; b += 0
		if (op == "-eq") r = (a == b); else if (op == "-ne") r = (a != b)
		else if (op == "-ge") r = (a >= b); else if (op == "-gt") r = (a > b)
		else if (op == "-le") r = (a <= b); else if (op == "-lt") r = (a < b)
		exit !r }'
}

# ---------------------------------------------------------------- assertions

nmt_what() { [ -n "$1" ] && echo "$1: " || echo ""; }

assert_eq() {
	[ "$2" = "$1" ] && return 0
	# 12 and 12.0 are the same number
	is_num "$1" && is_num "$2" && num_cmp "$2" -eq "$1" && return 0
	fail "$(nmt_what "$3")expected '$1', saw '$2'"
}

assert_ne() {
	[ "$2" != "$1" ] && return 0
	fail "$(nmt_what "$3")expected anything but '$1', saw '$2'"
}

nmt_assert_num() {
	local op=$1 words=$2 actual=$3 bound=$4 what=$5
	is_num "$actual" || fail "$(nmt_what "$what")expected a number $words $bound, saw '$actual'"
	is_num "$bound" || fail "$(nmt_what "$what")bad bound '$bound' (not a number)"
	num_cmp "$actual" "$op" "$bound" && return 0
	fail "$(nmt_what "$what")expected $words $bound, saw $actual"
}

assert_ge() { nmt_assert_num -ge '>=' "$1" "$2" "$3"; }
assert_gt() { nmt_assert_num -gt '>' "$1" "$2" "$3"; }
assert_le() { nmt_assert_num -le '<=' "$1" "$2" "$3"; }
assert_lt() { nmt_assert_num -lt '<' "$1" "$2" "$3"; }

# assert_near A B TOL [WHAT]: |A - B| <= TOL
assert_near() {
	is_num "$1" && is_num "$2" || fail "$(nmt_what "$4")expected two numbers within $3, saw '$1' and '$2'"
	awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }' && return 0
	fail "$(nmt_what "$4")expected '$1' and '$2' to differ by at most $3"
}

# assert_match REGEX TEXT [WHAT]: some line of TEXT matches the extended REGEX.
# (a here-document, not a pipe: grep -q stops reading at the first match, and
# under pipefail the writer's SIGPIPE would fail an assertion that matched)
assert_match() {
	grep -Eq -- "$1" <<EOF_NMT && return 0
$2
EOF_NMT
	fail "$(nmt_what "${3:-}")expected text matching /$1/, saw:
$(printf '%s\n' "$2" | sed 's/^/    | /')"
}

assert_nomatch() {
	grep -Eq -- "$1" <<EOF_NMT || return 0
$2
EOF_NMT
	fail "$(nmt_what "${3:-}")expected no text matching /$1/, saw:
$(printf '%s\n' "$2" | sed 's/^/    | /')"
}

# run CMD...: OUT=stdout ERR=stderr ALL=both RC=exit status. Echoes the command
# and its output into the scenario log.
NMT_RUN_N=0
run() {
	NMT_RUN_N=$((NMT_RUN_N + 1))
	local o="$NMT_WORK/run.$NMT_RUN_N.out" e="$NMT_WORK/run.$NMT_RUN_N.err"
	info "\$ $*"
	RC=0
	"$@" >"$o" 2>"$e" || RC=$?
	OUT=$(cat "$o")
	ERR=$(cat "$e")
	ALL=$(cat "$o" "$e")
	{
		[ -n "$OUT" ] && printf '%s\n' "$OUT" | sed 's/^/    out| /'
		[ -n "$ERR" ] && printf '%s\n' "$ERR" | sed 's/^/    err| /'
		echo "    rc=$RC"
	} >&2
	return 0
}

# assert_exit CODES CMD...: CODES is one exit status or a comma list (1,3).
assert_exit() {
	local codes=$1 c
	shift
	run "$@"
	for c in $(echo "$codes" | tr ',' ' '); do
		[ "$RC" = "$c" ] && return 0
	done
	fail "expected exit status $codes from '$*', saw $RC (output above)"
}

# ---------------------------------------------------------------- JSON

# nmt_json VERB TEXT ARGS...: the JSON reader's VERB with ARGS on TEXT.
nmt_json() {
	local verb=$1 text=$2
	shift 2
	printf '%s\n' "$text" | "$NMT_JSON" "$verb" "$@"
}

# jget PATH [TEXT]: print the value at a dotted path (nodes.1.percent,
# failed_by_errno.EACCES, list.0) of the first JSON object in TEXT (default
# $OUT). Strings print without quotes, objects and arrays as compact JSON,
# null as null. Returns 1 when the path is absent (2: no JSON object).
jget() { nmt_json get "${2-$OUT}" "$1"; }

# jlen PATH [TEXT]: number of elements (array) or keys (object) at PATH.
jlen() { nmt_json len "${2-$OUT}" "$1"; }

# jtype PATH [TEXT]: null, boolean, int, double, string, object or array.
jtype() { nmt_json type "${2-$OUT}" "$1"; }

# jfind LIST KEY VALUE FIELD [TEXT]: FIELD of the element of the JSON array
# at LIST whose KEY is VALUE (default text $OUT). 1 when there is none.
jfind() { nmt_json find "${5-$OUT}" "$1" "$2" "$3" "$4"; }

# assert_json [TEXT] [WHAT]: TEXT (default $OUT) is exactly one JSON
# document in valid UTF-8, nothing before or after it.
assert_json() {
	local text why
	if [ $# -ge 1 ]; then text=$1; else text=$OUT; fi
	why=$(printf '%s\n' "$text" | "$NMT_JSON" valid 2>&1) && return 0
	fail "$(nmt_what "$2")$why; text:
$(printf '%s\n' "$text" | head -n 20 | sed 's/^/    | /')"
}

# jnum PATH [TEXT]: like jget, but fails the scenario unless it is a number.
jnum() {
	local v
	v=$(jget "$@") || fail "JSON has no '$1'"
	is_num "$v" || fail "JSON '$1' is '$v', not a number"
	echo "$v"
}

# text_num LABEL [TEXT]: the first number after "LABEL:" in TEXT (default $OUT),
# e.g. text_num Moved -> 131072, text_num Verification -> 95.8
text_num() {
	local text
	if [ $# -ge 2 ]; then text=$2; else text=$OUT; fi
	printf '%s\n' "$text" | sed -n "s/^[[:space:]]*$1:[^0-9-]*\(-\{0,1\}[0-9][0-9.]*\).*/\1/p" | head -n 1
}

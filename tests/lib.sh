# SPDX-License-Identifier: ISC
# lib.sh - shared helpers for the shell tests: TAP-style results and a
# closing "N passed, M failed" line.  Sourced by bash scripts.

: "${SMTPPROBE:?SMTPPROBE must point at the smtpprobe binary}"
: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
PYTHON=${PYTHON:-/usr/bin/python3}
[ -x "$PYTHON" ] || PYTHON=python3

T_PASS=0
T_FAIL=0
T_N=0

ok() {
	T_N=$((T_N + 1)); T_PASS=$((T_PASS + 1))
	echo "ok $T_N - $*"
}

not_ok() {
	T_N=$((T_N + 1)); T_FAIL=$((T_FAIL + 1))
	echo "not ok $T_N - $*"
}

# check DESCRIPTION COMMAND...: passes when the command succeeds
check() {
	local desc=$1; shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# expect_status WANT DESCRIPTION: compare $status with WANT
expect_status() {
	if [ "$status" -eq "$1" ]; then ok "$2 (exit $status)"
	else not_ok "$2: got exit $status, want $1"; fi
}

# contains FILE STRING DESCRIPTION
contains() {
	if grep -qF -- "$2" "$1"; then ok "$3"
	else not_ok "$3: \"$2\" not in output"; sed 's/^/#   /' "$1" | head -20; fi
}

lacks() {
	if grep -qF -- "$2" "$1"; then not_ok "$3: \"$2\" in output"
	else ok "$3"; fi
}

# jcheck DESCRIPTION PYTHON: run PYTHON with t = the JSON report in $W/out
# (one document: --format jsonl of one target)
jcheck() {
	check "$1" "$PYTHON" -c "
import json, sys
t = json.load(open(sys.argv[1]))
$2" "$W/out"
}

# header FILE KEY DEFAULT: the value of a "# KEY: value" line of a
# scenario file, or DEFAULT
header() {
	local v
	v=$(sed -n "s/^# $2: *//p" "$1" | head -n 1)
	echo "${v:-$3}"
}

finish() {
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
}

# scratch: $W, a temporary directory, and $SRV, the pid of a server
# started by the caller; at exit the server is killed and $W removed
scratch() {
	W=$(mktemp -d)
	SRV=
	trap '[ -n "$SRV" ] && kill "$SRV" 2>/dev/null; rm -rf "$W"' EXIT
}

# fake_serve SCENARIO [FAKESMTPD-ARGS...]: start tests/fakesmtpd with SMTP
# and the fake zone $W/zone on 127.0.0.1; sets SRV, PORT and DNSPORT
fake_serve() {
	local scn=$1; shift
	rm -f "$W/port" "$W/dnsport"
	"$FAKESMTPD" -a 127.0.0.1 --port-file "$W/port" --dns "$W/zone" \
		--dns-port-file "$W/dnsport" "$@" "$scn" >/dev/null 2>"$W/srv.err" &
	SRV=$!
	for _ in $(seq 1 100); do
		[ -s "$W/port" ] && [ -s "$W/dnsport" ] && break
		sleep 0.05
	done
	PORT=$(head -n 1 "$W/port")
	DNSPORT=$(head -n 1 "$W/dnsport")
}

# fake_serve_named NAME ADDR SCENARIO-TEXT [FAKESMTPD-ARGS...]: one more
# tests/fakesmtpd, SMTP only, on ADDR; its port in PORT_<NAME>, its pid
# added to PIDS (the caller kills them), its stderr in $W/NAME.err
fake_serve_named() {
	local name=$1 addr=$2 text=$3
	shift 3
	printf '%s\n' "$text" >"$W/$name.scn"
	rm -f "$W/$name.port"
	"$FAKESMTPD" -a "$addr" --port-file "$W/$name.port" "$@" "$W/$name.scn" \
		>/dev/null 2>"$W/$name.err" &
	PIDS="$PIDS $!"
	for _ in $(seq 1 100); do [ -s "$W/$name.port" ] && break; sleep 0.05; done
	eval "PORT_$name=$(head -n 1 "$W/$name.port")"
}

# fake_stop: stop it (if running); CONNS is how many SMTP connections it
# saw, MAXC the most at once
fake_stop() {
	[ -n "$SRV" ] || return 0
	kill -TERM "$SRV" 2>/dev/null
	wait "$SRV"
	SRV=
	CONNS=$(sed -n 's/.* connections \([0-9]*\) .*/\1/p' "$W/srv.err" | head -n 1)
	MAXC=$(sed -n 's/.* max_concurrent \([0-9]*\) .*/\1/p' "$W/srv.err" | head -n 1)
}

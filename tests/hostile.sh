#!/bin/sh
# SPDX-License-Identifier: ISC
#
# hostile.sh - the hostile-server corpus: replay every tests/hostile/*.scn
# (tarpits, endless and oversized replies, control bytes, broken codes,
# resets, TLS abuse) on a loopback port, probe it with smtpprobe --format
# json, and check that smtpprobe ends in bounded time and memory with the
# right verdict:
#   - the exit status and the report (tests/hostile/NAME.json, volatile
#     fields normalised by tests/jsoncmp.py, as in tests/scenarios.sh);
#   - the wall time (seconds) and peak RSS (kB) of smtpprobe, measured
#     with /usr/bin/time -f '%e %M' (GNU time; else tests/hostile/util.py
#     measure), against the scenario's bounds;
#   - for scenarios that ask for it, the text report (with -v, the
#     transcript) and stderr carry no byte a terminal would act on: no
#     ESC, no CSI (0x9b), no other C0 or C1 control, no DEL; LF only.
# UPDATE_GOLDEN=1 rewrites the golden files: review every change by eye.
# HOSTILE_VERBOSE=1 prints the measured time and RSS of each scenario.
#
# Header comments of a scenario:
#   # args: OPTIONS       extra smtpprobe options (default timeouts: 2 s)
#   # exit: N             smtpprobe's expected exit status (default 0)
#   # server-exit: N      the server's expected exit status (default 0)
#   # max-seconds: S      wall-time bound of smtpprobe (required)
#   # max-rss-kb: K       peak-RSS bound of smtpprobe (required)
#   # max-rss-growth-kb: G  peak RSS at most G kB over that of a plain,
#                         well-behaved session measured at the start of
#                         the run (for the scenarios that send megabytes:
#                         catches buffering them whatever the platform's
#                         baseline)
#   # text-check: yes     also run text mode with -v; no control bytes
#   # server: py          served by tests/hostile/pyserver.py (trickle,
#                         RST, close at accept), not tests/fakesmtpd
#   # known-bug: TEXT     smtpprobe gets this one wrong today; the golden
#                         and headers say what is right.  Failed checks
#                         print "not ok ... # TODO known bug" and do not
#                         count as failures; when every check passes the
#                         scenario fails, to have the header removed.
#
# Macros, expanded into a copy before serving (tests/hostile/util.py):
#   @CERTDIR@             the test certificates of tests/tls/mkcerts.sh,
#                         plus tests/hostile/mkbigchain.sh's
#   @REPEAT(N,TEXT)@      TEXT N times; {i} in TEXT counts 1..N
#
# Under AddressSanitizer (a --enable-sanitizers build) the RSS bounds
# mean nothing and are skipped, and the time bounds are tripled.
[ -z "${BASH_VERSION:-}" ] && exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
: "${FAKESMTPD:?FAKESMTPD must point at tests/fakesmtpd}"

H=$top_srcdir/tests/hostile
UTIL=$H/util.py
W=$(mktemp -d)
SRV=
cleanup() {
	[ -n "$SRV" ] && kill "$SRV" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT


# run OUT_TIME CMD...: run CMD measured; "SECONDS RSS_KB" in OUT_TIME
if [ -x /usr/bin/time ] && /usr/bin/time -f '%e %M' -o "$W/t" true 2>/dev/null; then
	measure() { local o=$1; shift; /usr/bin/time -f '%e %M' -o "$o" "$@"; }
else
	echo "# /usr/bin/time (GNU time) missing: measuring with util.py"
	measure() { local o=$1; shift; "$PYTHON" "$UTIL" measure "$o" "$@"; }
fi

ASAN=0
if grep -qa __asan_init "$SMTPPROBE" 2>/dev/null; then
	ASAN=1
	echo "# AddressSanitizer build: RSS bounds skipped, time bounds x3"
fi

CERTS=
if grep -qF '@CERTDIR@' "$H"/*.scn; then
	if sh "$top_srcdir/tests/tls/mkcerts.sh" "$W/certs" 2>"$W/mkcerts.err" &&
	    sh "$H/mkbigchain.sh" "$W/certs" 2>>"$W/mkcerts.err"; then
		CERTS=$W/certs
	else
		sed 's/^/#   /' "$W/mkcerts.err"
	fi
fi

# start_server KIND SCENARIO: sets SRV and port, or returns 1
start_server() {
	rm -f "$W/port"
	if [ "$1" = py ]; then
		"$PYTHON" "$H/pyserver.py" --port-file "$W/port" "$2" \
			>"$W/srv.out" 2>"$W/srv.err" &
	else
		"$FAKESMTPD" -a 127.0.0.1 --port-file "$W/port" "$2" \
			>"$W/srv.out" 2>"$W/srv.err" &
	fi
	SRV=$!
	for _ in $(seq 1 200); do
		[ -s "$W/port" ] && break
		sleep 0.05
	done
	if [ ! -s "$W/port" ]; then
		kill "$SRV" 2>/dev/null; wait "$SRV" 2>/dev/null; SRV=
		return 1
	fi
	port=$(head -n 1 "$W/port")
}

# bad DESCRIPTION: a failed check of the current scenario (see known-bug)
bad() {
	if [ -n "$known_bug" ]; then
		T_N=$((T_N + 1)); T_PASS=$((T_PASS + 1)); kb_hits=$((kb_hits + 1))
		echo "not ok $T_N - $* # TODO known bug: $known_bug"
	else
		not_ok "$@"
	fi
}

stop_server() {	# sets server_status
	kill -TERM "$SRV" 2>/dev/null
	wait "$SRV"
	server_status=$?
	SRV=
}

# text_mode: the scenario again, in text with the transcript (-v); no
# byte of stdout or stderr may be a control a terminal would act on
text_mode() {
	if ! start_server "$kind" "$served"; then
		bad "$name: the server did not start (text mode)"
		return
	fi
	# shellcheck disable=SC2086
	timeout 60 "$SMTPPROBE" --format text --color=never -v --helo probe.invalid --no-ptr \
		--connect-timeout 2 --timeout 2 --deadline 20 $args \
		"127.0.0.1:$port" >"$W/report.txt" 2>"$W/probe.err"
	status=$?
	stop_server
	if [ "$status" -eq "$want_exit" ]; then ok "$name: text mode exit status (exit $status)"
	else bad "$name: text mode exit status: got exit $status, want $want_exit"; fi
	if [ ! -s "$W/report.txt" ]; then
		bad "$name: text mode printed nothing"
	elif "$PYTHON" "$UTIL" ctlcheck "$W/report.txt" "$W/probe.err" >"$W/ctl"; then
		ok "$name: no control bytes on the terminal (stdout, stderr)"
	else
		bad "$name: control bytes would reach the terminal"
		sed 's/^/#   /' "$W/ctl"
	fi
}

# the peak RSS of a plain session, for max-rss-growth-kb
base_kb=
printf 'welcome 220 baseline.fake.test ESMTP\n' >"$W/baseline.scn"
if start_server fakesmtpd "$W/baseline.scn"; then
	measure "$W/time" timeout 60 "$SMTPPROBE" --format jsonl --helo probe.invalid --no-ptr \
		--timeout 2 "127.0.0.1:$port" >/dev/null 2>&1
	stop_server
	read -r _ base_kb < <(tail -n 1 "$W/time")
	echo "# baseline: a plain session peaks at $base_kb kB"
fi

for scn in "$H"/*.scn; do
	name=$(basename "$scn" .scn)
	golden="${scn%.scn}.json"
	args=$(header "$scn" args "")
	want_exit=$(header "$scn" exit 0)
	want_server=$(header "$scn" server-exit 0)
	max_s=$(header "$scn" max-seconds "")
	max_kb=$(header "$scn" max-rss-kb "")
	max_grow=$(header "$scn" max-rss-growth-kb "")
	text_check=$(header "$scn" text-check no)
	kind=$(header "$scn" server fakesmtpd)
	known_bug=$(header "$scn" known-bug "")
	kb_hits=0

	if [ -z "$max_s" ] || [ -z "$max_kb" ]; then
		not_ok "$name: no max-seconds or max-rss-kb header"
		continue
	fi
	if grep -qF '@CERTDIR@' "$scn" && [ -z "$CERTS" ]; then
		not_ok "$name: no test certificates (mkcerts.sh or mkbigchain.sh failed)"
		continue
	fi
	served=$W/$name.scn
	"$PYTHON" "$UTIL" expand "$scn" "$served" "${CERTS:-/nonexistent}"
	args=${args//@CERTDIR@/$CERTS}

	if ! start_server "$kind" "$served"; then
		not_ok "$name: the server did not start"
		sed 's/^/#   /' "$W/srv.err"
		continue
	fi
	# shellcheck disable=SC2086
	measure "$W/time" timeout 60 "$SMTPPROBE" --format jsonl --helo probe.invalid --no-ptr \
		--connect-timeout 2 --timeout 2 --deadline 20 $args \
		"127.0.0.1:$port" >"$W/report.json" 2>"$W/probe.err"
	status=$?
	stop_server
	read -r secs kb < <(tail -n 1 "$W/time")
	[ "${HOSTILE_VERBOSE:-}" = 1 ] &&
		echo "# $name: ${secs} s, ${kb} kB (bounds ${max_s} s, ${max_kb} kB)"

	if [ "$status" -eq "$want_exit" ]; then ok "$name: smtpprobe exit status (exit $status)"
	else bad "$name: smtpprobe exit status: got exit $status, want $want_exit"; fi
	[ "$status" -ge 124 ] && sed 's/^/#   /' "$W/probe.err" | head -20
	if [ "$server_status" -eq "$want_server" ]; then
		ok "$name: server saw the expected dialogue"
	else
		bad "$name: server exit $server_status, want $want_server"
		sed 's/^/#   /' "$W/srv.err" | head -20
	fi
	lim_s=$max_s
	[ "$ASAN" = 1 ] && lim_s=$(awk -v s="$max_s" 'BEGIN { print s * 3 }')
	if awk -v a="$secs" -v b="$lim_s" 'BEGIN { exit !(a <= b) }'; then
		ok "$name: ended in $secs s (bound $lim_s s)"
	else
		bad "$name: took $secs s, bound $lim_s s"
	fi
	if [ "$ASAN" = 1 ]; then
		ok "$name: RSS bound skipped under AddressSanitizer # SKIP"
	elif [ "$kb" -le "$max_kb" ]; then
		ok "$name: peak RSS $kb kB (bound $max_kb kB)"
	else
		bad "$name: peak RSS $kb kB, bound $max_kb kB"
	fi
	if [ -n "$max_grow" ] && [ "$ASAN" = 0 ]; then
		if [ -z "$base_kb" ]; then
			bad "$name: no baseline RSS to compare with"
		elif [ $((kb - base_kb)) -le "$max_grow" ]; then
			ok "$name: RSS grew $((kb - base_kb)) kB over a plain session (bound $max_grow kB)"
		else
			bad "$name: RSS grew $((kb - base_kb)) kB over a plain session, bound $max_grow kB"
		fi
	fi

	if [ "${UPDATE_GOLDEN:-}" = 1 ] && [ -n "$known_bug" ]; then
		ok "$name: golden kept (hand-written: known bug)"
	elif [ "${UPDATE_GOLDEN:-}" = 1 ]; then
		"$PYTHON" "$top_srcdir/tests/jsoncmp.py" --update "$W/report.json" "$golden"
		ok "$name: golden updated"
	elif [ ! -f "$golden" ]; then
		not_ok "$name: no golden file $(basename "$golden")"
	elif "$PYTHON" "$top_srcdir/tests/jsoncmp.py" "$W/report.json" "$golden" >"$W/diff" 2>&1; then
		ok "$name: report matches the golden file"
	else
		bad "$name: report differs from the golden file"
		sed 's/^/#   /' "$W/diff"
	fi

	if [ "$text_check" = yes ]; then
		text_mode
	fi
	if [ -n "$known_bug" ] && [ "$kb_hits" -eq 0 ] && [ "${UPDATE_GOLDEN:-}" != 1 ]; then
		not_ok "$name: the known bug is gone: remove its known-bug header ($known_bug)"
	fi
done

finish

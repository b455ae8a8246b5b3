#!/bin/sh
# SPDX-License-Identifier: ISC
#
# scenarios.sh - replay every tests/scenarios/*.scn with tests/fakesmtpd
# on a loopback port, probe it with smtpprobe --format jsonl (one target: one object), and compare
# the report with tests/scenarios/NAME.json (volatile fields normalised
# by tests/jsoncmp.py).  UPDATE_GOLDEN=1 rewrites the golden files:
# review every change by eye before committing it.
#
# A scenario file may carry, in comments:
#   # args: OPTIONS      extra smtpprobe options (default timeouts: 2 s)
#   # exit: N           smtpprobe's expected exit status (default 0)
#   # server-exit: N    fakesmtpd's expected exit status (default 0:
#                       the client sent exactly the `expect' lines)
#
# @CERTDIR@ in a scenario (tls-cert) or in its args (--cafile) stands
# for the test certificates, made once per run by tests/tls/mkcerts.sh
# (only if some scenario needs them); such a scenario is served from a
# substituted copy.
[ -z "${BASH_VERSION:-}" ] && exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
: "${FAKESMTPD:?FAKESMTPD must point at tests/fakesmtpd}"

W=$(mktemp -d)
SRV=
cleanup() {
	[ -n "$SRV" ] && kill "$SRV" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT


CERTS=
if grep -qF '@CERTDIR@' "$top_srcdir"/tests/scenarios/*.scn; then
	if sh "$top_srcdir/tests/tls/mkcerts.sh" "$W/certs" 2>"$W/mkcerts.err"; then
		CERTS=$W/certs
	else
		sed 's/^/#   /' "$W/mkcerts.err"
	fi
fi

for scn in "$top_srcdir"/tests/scenarios/*.scn; do
	name=$(basename "$scn" .scn)
	golden="${scn%.scn}.json"
	args=$(header "$scn" args "")
	want_exit=$(header "$scn" exit 0)
	want_server=$(header "$scn" server-exit 0)

	if grep -qF '@CERTDIR@' "$scn"; then
		if [ -z "$CERTS" ]; then
			not_ok "$name: no test certificates (tests/tls/mkcerts.sh failed)"
			continue
		fi
		sed "s|@CERTDIR@|$CERTS|g" "$scn" >"$W/$name.scn"
		args=${args//@CERTDIR@/$CERTS}
		served=$W/$name.scn
	else
		served=$scn
	fi

	rm -f "$W/port"
	"$FAKESMTPD" -a 127.0.0.1 --port-file "$W/port" "$served" \
		>"$W/srv.out" 2>"$W/srv.err" &
	SRV=$!
	for _ in $(seq 1 100); do
		[ -s "$W/port" ] && break
		sleep 0.05
	done
	if [ ! -s "$W/port" ]; then
		not_ok "$name: fakesmtpd did not start"
		sed 's/^/#   /' "$W/srv.err"
		kill "$SRV" 2>/dev/null; SRV=
		continue
	fi
	port=$(head -n 1 "$W/port")

	# shellcheck disable=SC2086
	timeout 60 "$SMTPPROBE" --format jsonl --helo probe.invalid --no-ptr \
		--connect-timeout 2 --timeout 2 --deadline 20 $args \
		"127.0.0.1:$port" >"$W/report.json" 2>"$W/probe.err"
	status=$?
	kill -TERM "$SRV" 2>/dev/null
	wait "$SRV"
	server_status=$?
	SRV=

	expect_status "$want_exit" "$name: smtpprobe exit status"
	if [ "$server_status" -eq "$want_server" ]; then
		ok "$name: server saw the expected dialogue"
	else
		not_ok "$name: fakesmtpd exit $server_status, want $want_server"
		sed 's/^/#   /' "$W/srv.err" | head -20
	fi
	if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
		"$PYTHON" "$top_srcdir/tests/jsoncmp.py" --update "$W/report.json" "$golden"
		ok "$name: golden updated"
	elif [ ! -f "$golden" ]; then
		not_ok "$name: no golden file $(basename "$golden")"
	elif "$PYTHON" "$top_srcdir/tests/jsoncmp.py" "$W/report.json" "$golden" >"$W/diff"; then
		ok "$name: report matches the golden file"
	else
		not_ok "$name: report differs from the golden file"
		sed 's/^/#   /' "$W/diff"
	fi
done

finish

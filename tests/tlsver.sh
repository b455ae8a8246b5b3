#!/bin/sh
# SPDX-License-Identifier: ISC
#
# tlsver.sh - --tls-versions end to end: tests/fakesmtpd serves STARTTLS
# on loopback once at its library default (TLS 1.2 and up on OpenSSL 3)
# and once allowing TLS 1.0 (tls-min-version 1.0, security level 0);
# smtpprobe tries each version on its own connection.  Checks the JSON
# tls.versions, the tls-legacy-accepted finding (RFC 8996), the text
# line, --expect TLS>=1.2 and that the extra connections keep --per-ip 1.
[ -z "${BASH_VERSION:-}" ] && exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
: "${FAKESMTPD:?FAKESMTPD must point at tests/fakesmtpd}"

scratch
PIDS=
trap '[ -n "$PIDS" ] && kill $PIDS 2>/dev/null; rm -rf "$W"' EXIT

if ! sh "$top_srcdir/tests/tls/mkcerts.sh" "$W/certs" 2>"$W/mkcerts.err"; then
	sed 's/^/#   /' "$W/mkcerts.err"
	not_ok "tests/tls/mkcerts.sh failed"
	finish
	exit 1
fi
C=$W/certs

SCN="tls-cert $C/good.pem $C/good.key
starttls
reply EHLO 250-mx.tls.test|250 STARTTLS
reply-tls EHLO 250 mx.tls.test"
fake_serve_named strict 127.0.0.1 "$SCN"
fake_serve_named legacy 127.0.0.1 "$SCN
tls-min-version 1.0"

# probe NAME PORT [ARGS...]: the JSON report in $W/NAME.json, exit in status
probe() {
	local name=$1 port=$2
	shift 2
	timeout 60 "$SMTPPROBE" --helo probe.invalid --no-color --no-dane \
		--no-ptr --no-mta-sts -p "$port" --connect-timeout 2 --timeout 2 \
		--deadline 20 "$@" 127.0.0.1 >"$W/$name.out" 2>"$W/$name.err"
	status=$?
}

# jtrue FILE PYEXPR DESC: the expression on the JSON report d is true
jtrue() {
	if "$PYTHON" -c 'import json,sys
d = json.load(open(sys.argv[1]))
v = d["targets"][0]["hosts"][0]["tls"]["versions"]
sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2" 2>"$W/py.err"; then
		ok "$3"
	else
		not_ok "$3"; sed 's/^/#   /' "$W/py.err" "$1" | head -30
	fi
}

probe strict-json "$PORT_strict" --tls-versions --format json
jtrue "$W/strict-json.out" 'v["TLSv1"]["accepted"] is False and v["TLSv1.1"]["accepted"] is False and v["TLSv1"]["error"]' \
	"strict: TLS 1.0 and 1.1 refused, with the reason"
jtrue "$W/strict-json.out" 'v["TLSv1.2"]["accepted"] is True and v["TLSv1.2"]["cipher"] and v["TLSv1.3"]["accepted"] is True and v["TLSv1.3"]["cipher"].startswith("TLS_")' \
	"strict: TLS 1.2 and 1.3 accepted, ciphers recorded"
lacks "$W/strict-json.out" "tls-legacy-accepted" "strict: no tls-legacy-accepted"

probe legacy-json "$PORT_legacy" --tls-versions --format json
jtrue "$W/legacy-json.out" 'all(v[k]["accepted"] is True for k in ("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"))' \
	"legacy: all four versions accepted"
contains "$W/legacy-json.out" '"tls-legacy-accepted"' "legacy: tls-legacy-accepted"

probe plain-json "$PORT_legacy" --format json
jtrue "$W/plain-json.out" 'v is None' "without --tls-versions: tls.versions is null"

probe legacy-text "$PORT_legacy" --tls-versions
contains "$W/legacy-text.out" "TLS versions: 1.0 yes (" "text: the TLS versions line"
probe strict-text "$PORT_strict" --tls-versions
contains "$W/strict-text.out" "TLS versions: 1.0 no, 1.1 no, 1.2 yes (" "text: 1.0 and 1.1 refused"

probe legacy-expect "$PORT_legacy" --tls-versions --expect 'TLS>=1.2'
expect_status 1 "legacy: --expect TLS>=1.2 with --tls-versions is breached"
probe legacy-expect2 "$PORT_legacy" --expect 'TLS>=1.2'
expect_status 0 "legacy: --expect TLS>=1.2 without --tls-versions (TLS 1.3 negotiated)"
probe strict-expect "$PORT_strict" --tls-versions --expect 'TLS>=1.2'
expect_status 0 "strict: --expect TLS>=1.2 with --tls-versions is met"

# --per-ip 1 (the default) holds for the extra connections too: each
# server saw 1 + 4 connections a probe, never two at once
probe legacy-rate "$PORT_legacy" --tls-versions --rate 50 --per-ip 1 -q
expect_status 0 "legacy: --rate with --tls-versions"
kill -TERM $PIDS 2>/dev/null
wait $PIDS 2>/dev/null
PIDS=
# strict: 3 probes with --tls-versions; legacy: 4 with, 2 without
for s in strict:15 legacy:22; do
	name=${s%:*} want=${s#*:}
	max=$(sed -n 's/.*max_concurrent \([0-9]*\).*/\1/p' "$W/$name.err")
	conns=$(sed -n 's/.* connections \([0-9]*\) .*/\1/p' "$W/$name.err")
	check "$name: one connection at a time (saw ${max:-?} at most)" \
		[ "${max:-9}" -eq 1 ]
	check "$name: 1 + 4 connections a --tls-versions probe (saw ${conns:-?}, want $want)" \
		[ "${conns:-0}" -eq "$want" ]
done

finish

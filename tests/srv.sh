#!/bin/sh
# SPDX-License-Identifier: ISC
#
# srv.sh - --submission on a domain finds its hosts by SRV (RFC 6186 3.1),
# against tests/fakesmtpd serving a fake zone (--dns) and two scripted
# SMTP servers on loopback ports the SRV records name:
#   - _submissions._tcp and _submission._tcp published: the sessions go to
#     the SRV ports, _submissions (implicit TLS, RFC 8314 5.1) first, and
#     the JSON says source "srv" with every record;
#   - one service with target "." (RFC 6186 3.4): listed as not offered,
#     the other still probed; every service ".": the target says so;
#   - no SRV records, or only unusable ones (port 0): the MX hosts,
#     source "mx"; an SRV lookup that fails (SERVFAIL): the MX hosts too,
#     submission.srv_error says why.
[ -z "${BASH_VERSION:-}" ] && exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
: "${FAKESMTPD:?FAKESMTPD must point at tests/fakesmtpd}"

W=$(mktemp -d)
SRV=
PIDS=
trap 'fake_stop; for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$W"' EXIT

GREET='welcome 220 sub.srv.test ESMTP'
fake_serve_named sub 127.0.0.1 "$GREET"
fake_serve_named subs 127.0.0.1 "$GREET"

cat >"$W/zone" <<EOF
# both services (RFC 6186 3.1)
_submission._tcp.both.srv.test SRV 10 0 $PORT_sub mail.both.srv.test
_submissions._tcp.both.srv.test SRV 5 0 $PORT_subs mail.both.srv.test.
mail.both.srv.test A 127.0.0.1
both.srv.test MX 10 mx.both.srv.test
mx.both.srv.test A 127.0.0.2
# _submissions not offered (RFC 6186 3.4), _submission offered
_submissions._tcp.half.srv.test SRV 0 0 0 .
_submission._tcp.half.srv.test SRV 0 0 $PORT_sub mail.half.srv.test
mail.half.srv.test A 127.0.0.1
# neither offered
_submissions._tcp.none.srv.test SRV 0 0 0 .
_submission._tcp.none.srv.test SRV 0 0 0 .
# the SRV lookup fails
_submissions._tcp.srvfail.srv.test SERVFAIL
_submission._tcp.srvfail.srv.test SERVFAIL
srvfail.srv.test MX 10 mx.mxonly.srv.test
# a port-0 record for a real host: ignored (hostile DNS)
_submission._tcp.mxonly.srv.test SRV 0 0 0 mail.mxonly.srv.test
# no SRV: the MX hosts
mxonly.srv.test MX 10 mx.mxonly.srv.test
mx.mxonly.srv.test A 127.0.0.1
EOF
fake_serve "$W/sub.scn"

# probe FORMAT ARGS...: smtpprobe --submission against the fake zone
probe() {
	local fmt=$1; shift
	"$SMTPPROBE" --format "$fmt" --dns-server "127.0.0.1:$DNSPORT" --submission \
		--helo probe.invalid --no-ptr --no-color \
		--connect-timeout 2 --timeout 2 --dns-timeout 2 "$@" \
		>"$W/out" 2>"$W/err"
	status=$?
}

# ---- both services ---------------------------------------------------------
probe jsonl both.srv.test
jcheck "both: source srv" 'assert t["submission"]["source"] == "srv", t["submission"]'
jcheck "both: the records, _submissions first" "
s = t['submission']['srv']
assert [(r['service'], r['priority'], r['weight'], r['port'], r['target'], r['offered']) for r in s] == [
    ('_submissions._tcp', 5, 0, $PORT_subs, 'mail.both.srv.test', True),
    ('_submission._tcp', 10, 0, $PORT_sub, 'mail.both.srv.test', True)], s"
jcheck "both: sessions on the SRV ports, not 587/465, not the MX" "
h = sorted((x['address'], x['port'], x['tls']['implicit']) for x in t['hosts'])
assert h == sorted([('127.0.0.1', $PORT_subs, True), ('127.0.0.1', $PORT_sub, False)]), h"
jcheck "both: the _submission server on its SRV port answered" "
h = [x for x in t['hosts'] if x['port'] == $PORT_sub]
assert h[0]['banner']['code'] == 220, h"
jcheck "both: no MX lookup" 'assert t["dns"]["mx"] == [] and t["dns"]["rcode"] is None, t["dns"]'
probe json both.srv.test half.srv.test
check "both, half: the run document matches contrib/schema.json" "$PYTHON" -c '
import json, sys
from jsonschema import Draft202012Validator
Draft202012Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))
' "$top_srcdir/contrib/schema.json" "$W/out"
probe text both.srv.test
contains "$W/out" "submission SRV (RFC 6186): 2 records" "both: text lists the SRV records"

# ---- one service not offered -------------------------------------------------
probe jsonl half.srv.test
jcheck "half: source srv, _submissions not offered" '
s = t["submission"]["srv"]
assert t["submission"]["source"] == "srv"
assert [(r["service"], r["target"], r["offered"]) for r in s] == [
    ("_submissions._tcp", ".", False), ("_submission._tcp", "mail.half.srv.test", True)], s'
jcheck "half: only _submission probed" "
assert [x['port'] for x in t['hosts']] == [$PORT_sub], t['hosts']"
probe text half.srv.test
contains "$W/out" '_submissions._tcp: not offered (target ".", RFC 6186 3.4)' "half: text says not offered"

# ---- neither offered -----------------------------------------------------------
probe jsonl none.srv.test
jcheck "none: no session, the error cites RFC 6186 3.4" '
assert t["hosts"] == [], t["hosts"]
assert "not offered" in t["error"] and "RFC 6186 3.4" in t["error"], t["error"]'

# ---- the SRV lookup fails: the MX hosts, and why --------------------------------
probe jsonl srvfail.srv.test
jcheck "srvfail: source mx, srv_error says SERVFAIL" '
s = t["submission"]
assert s["source"] == "mx" and "srv" not in s, s
assert s["srv_error"].startswith("_submissions._tcp.srvfail.srv.test: "), s'
probe text srvfail.srv.test
contains "$W/out" "submission SRV lookup failed (_submissions._tcp.srvfail.srv.test" "srvfail: text says so"

# ---- no SRV: the MX hosts ------------------------------------------------------
probe jsonl mxonly.srv.test
jcheck "mxonly: source mx, no srv list" '
assert t["submission"] == {"source": "mx"}, t["submission"]
assert sorted(x["port"] for x in t["hosts"]) == [465, 587], t["hosts"]'

finish

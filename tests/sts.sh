#!/bin/sh
# SPDX-License-Identifier: ISC
#
# sts.sh - MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) discovery without
# an HTTPS server: tests/fakesmtpd serves one SMTP scenario and a fake
# DNS zone whose _mta-sts and _smtp._tls records change from case to
# case.  The policy host either has no address, or an address where
# nothing listens (SMTPPROBE_MTA_STS_PORT points the fetch at a closed
# port of 127.0.0.20).  tests/live/mta-sts.sh does the HTTPS side with
# a real nginx.  Each case checks the JSON (mta_sts, tls_rpt, delivery),
# the findings, the text lines, --expect DELIVERY=... and --no-mta-sts.
[ -z "${BASH_VERSION:-}" ] && exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
: "${FAKESMTPD:?FAKESMTPD must point at tests/fakesmtpd}"

scratch
printf '%s\n' 'welcome 220 mx.sts.test ESMTP' >"$W/scn"

# a port on 127.0.0.20 where nothing listens (bound and closed just now)
CLOSED=$("$PYTHON" -c '
import socket
s = socket.socket(); s.bind(("127.0.0.20", 0)); print(s.getsockname()[1]); s.close()')

# zone EXTRA-LINES: the base zone plus the case's records
zone() {
	{
		echo "sts.test MX 10 mx.sts.test"
		echo "mx.sts.test A 127.0.0.1"
		printf '%s\n' "$@"
	} >"$W/zone"
}

# probe FORMAT ARGS...: smtpprobe sts.test through the fake zone
probe() {
	local fmt=$1; shift
	SMTPPROBE_MTA_STS_PORT=$CLOSED "$SMTPPROBE" --format "$fmt" \
		--dns-server "127.0.0.1:$DNSPORT" -p "$PORT" --helo probe.invalid \
		--no-ptr --no-color --connect-timeout 2 --timeout 2 --dns-timeout 2 \
		"$@" >"$W/out" 2>"$W/err"
	status=$?
}

# jcheck DESCRIPTION PYTHON: PYTHON with t = the (jsonl) target object
jcheck() {
	check "$1" "$PYTHON" -c "
import json, sys
t = json.loads(open(sys.argv[1]).readline())
ids = [f['id'] for f in t['findings']]
m, r, d = t['mta_sts'], t['tls_rpt'], t['delivery']
$2" "$W/out"
}

# case LABEL ZONE-LINES...: serve the zone, probe in jsonl
run_case() {
	local label=$1; shift
	zone "$@"
	fake_serve "$W/scn"
	probe jsonl sts.test
	fake_stop
	expect_status 0 "$label: exit status"
}

# 1. no MTA-STS at all: nothing reported, every sender delivers in clear text
run_case "none"
jcheck "none: no TXT, the fetch was still tried (no address)" "
assert m['txt'] is None and m['id'] is None and m['mode'] == 'none', m
assert m['fetch']['class'] == 'dns' and m['fetch']['status'] is None, m
assert r == {'txt': None, 'error': None, 'rua': []}, r"
jcheck "none: no mta-sts or tls-rpt finding" "
assert not [i for i in ids if i.startswith('mta-sts') or i.startswith('tls-rpt')], ids"
jcheck "none: each sender delivers, in clear text (no STARTTLS)" "
for k in ('opportunistic', 'dane', 'mta_sts'):
    assert d[k]['delivers'] is True, d
    assert 'clear text' in d[k]['reason'], d
assert 'no usable MTA-STS policy' in d['mta_sts']['reason'], d
h = t['hosts'][0]
assert h['mx_match'] is None and h['delivery']['mta_sts']['delivers'] is True, h"

# 2. a TXT record, no policy host: txt-without-policy, TLS-RPT missing
run_case "txt without policy" 'sts.test TXT unrelated' \
	'_mta-sts.sts.test TXT "v=STSv1; " "id=20260101T1;"'
jcheck "txt without policy: record joined, id read" "
assert m['txt'] == 'v=STSv1; id=20260101T1;' and m['id'] == '20260101T1', m
assert m['mode'] == 'none' and m['policy'] is None, m"
jcheck "txt without policy: mta-sts-txt-without-policy and tls-rpt-missing" "
assert 'mta-sts-txt-without-policy' in ids and 'tls-rpt-missing' in ids, ids
f = [f for f in t['findings'] if f['id'] == 'mta-sts-txt-without-policy'][0]
assert f['severity'] == 'medium' and f['rfc'] == 'RFC 8461 3.3' and f['advice'], f"

# 3. the policy host has an address, nothing listens: connect, same finding
run_case "policy host down" '_mta-sts.sts.test TXT "v=STSv1; id=abc;"' \
	'mta-sts.sts.test A 127.0.0.20' \
	'_smtp._tls.sts.test TXT "v=TLSRPTv1; rua=mailto:tlsrpt@sts.test"'
jcheck "policy host down: fetched at the address our resolver found" "
assert m['fetch']['address'] == '127.0.0.20' and m['fetch']['class'] == 'connect', m
assert m['fetch']['url'] == 'https://mta-sts.sts.test/.well-known/mta-sts.txt', m"
jcheck "policy host down: finding, and TLS-RPT read" "
assert 'mta-sts-txt-without-policy' in ids and 'tls-rpt-missing' not in ids, ids
assert r['rua'] == ['mailto:tlsrpt@sts.test'] and r['error'] is None, r"

# 4. two STSv1 records: invalid (RFC 8461 3.1), senders use none
run_case "two records" '_mta-sts.sts.test TXT "v=STSv1; id=a;"' \
	'_mta-sts.sts.test TXT "v=STSv1; id=b;"'
jcheck "two records: mta-sts-txt-invalid, mode none" "
assert 'mta-sts-txt-invalid' in ids, ids
assert 'exactly one' in m['txt_error'] and m['mode'] == 'none', m"

# 5. a broken TLS-RPT record next to an MTA-STS record
run_case "bad tls-rpt" '_mta-sts.sts.test TXT "v=STSv1; id=abc;"' \
	'_smtp._tls.sts.test TXT "v=TLSRPTv1; rua=ftp://nowhere"'
jcheck "bad tls-rpt: tls-rpt-invalid, not tls-rpt-missing" "
assert 'tls-rpt-invalid' in ids and 'tls-rpt-missing' not in ids, ids
assert r['txt'] == 'v=TLSRPTv1; rua=ftp://nowhere' and r['error'] and r['rua'] == [], r"

# 6. the DNS fails for _mta-sts: reported as an error, not as "no record"
run_case "servfail" '_mta-sts.sts.test SERVFAIL'
jcheck "servfail: txt_error, no txt-without-policy" "
assert m['txt_rcode'] == 'SERVFAIL' and m['txt_error'], m
assert 'mta-sts-txt-without-policy' not in ids, ids"

# 7. text output, --expect DELIVERY, Nagios and Prometheus
zone '_mta-sts.sts.test TXT "v=STSv1; id=abc;"'
fake_serve "$W/scn"
probe text sts.test
contains "$W/out" "MTA-STS: none; id abc; no policy: mta-sts.sts.test:" "text: the MTA-STS line"
contains "$W/out" "TLS-RPT: none" "text: the TLS-RPT line"
contains "$W/out" "Delivery:" "text: the delivery block"
contains "$W/out" "MTA-STS        delivers  mx.sts.test" "text: the MTA-STS sender's verdict"
probe jsonl --expect DELIVERY=mta-sts sts.test
expect_status 0 "--expect DELIVERY=mta-sts met without a policy"
probe jsonl --expect DELIVERY=dane,STARTTLS=on sts.test
expect_status 1 "--expect STARTTLS=on next to DELIVERY=dane: the breach is STARTTLS's"
jcheck "--expect: DELIVERY=dane met, STARTTLS=on violated" "
rules = [v['rule'] for v in t['policy']['violations']]
assert rules == ['STARTTLS=on'], rules"
probe jsonl --expect DELIVERY=smoke sts.test
expect_status 64 "--expect DELIVERY=smoke is a usage error"
probe nagios sts.test
contains "$W/out" "'sts.test_delivery_mta_sts'=1;;;-1;1" "nagios: delivery perfdata"
probe prometheus sts.test
contains "$W/out" 'smtpprobe_delivery{target="sts.test",sender="dane"} 1' "prometheus: smtpprobe_delivery"
probe jsonl --no-mta-sts sts.test
jcheck "--no-mta-sts: nothing looked up, delivery still judged" "
assert m is None and r is None, (m, r)
assert d['mta_sts']['delivers'] is True, d"
probe jsonl --host mx.sts.test
jcheck "a host target: no MTA-STS lookup" "
assert m is None and r is None, (m, r)"
fake_stop

finish

#!/bin/sh
# SPDX-License-Identifier: ISC
#
# dane.sh - DANE for SMTP (RFC 7672) end to end: tests/fakesmtpd serves a
# STARTTLS scenario with certificates made now by tests/tls/mkcerts.sh,
# and a fake DNS zone (MX, A, TLSA, PTR; the SECURE pseudo-type sets the
# AD bit as a validating resolver would) with TLSA records computed from
# those certificates; smtpprobe looks the domain up through it and
# probes.  Each case checks the one DANE verdict (src/dane.c) in the
# JSON, the findings, --format nagios and --expect.
[ -z "${BASH_VERSION:-}" ] && exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
: "${FAKESMTPD:?FAKESMTPD must point at tests/fakesmtpd}"

scratch

if ! sh "$top_srcdir/tests/tls/mkcerts.sh" "$W/certs" 2>"$W/mkcerts.err"; then
	sed 's/^/#   /' "$W/mkcerts.err"
	not_ok "tests/tls/mkcerts.sh failed"
	finish
	exit 1
fi
C=$W/certs

hex() { od -An -tx1 -v | tr -d ' \n'; }
spki() { openssl x509 -in "$1" -pubkey -noout | openssl pkey -pubin -outform DER; }
certder() { openssl x509 -in "$1" -outform DER; }
sha256() { openssl dgst -sha256 -binary | hex; }

EE_EXPIRED="3 1 1 $(spki "$C/expired.pem" | sha256)"
TA_CA="2 0 1 $(certder "$C/ca.pem" | sha256)"
EE_GOOD="3 1 1 $(spki "$C/good.pem" | sha256)"
SPKI_RAW="3 1 0 $(spki "$C/good.pem" | hex)"		# RSA-2048: 294 octets
CERT_RAW="3 0 0 $(certder "$C/good.pem" | hex)"		# the whole certificate

# scenario CERTFILE KEYFILE: STARTTLS, then the commands inside TLS
scenario() {
	cat >"$W/scn" <<EOF
tls-cert $1 $2
starttls
reply EHLO 250-mx.tls.test|250 STARTTLS
reply-tls EHLO 250 mx.tls.test
EOF
}

# start: fakesmtpd with $W/scn and the zone $W/zone; sets PORT, DNSPORT
start() {
	rm -f "$W/port" "$W/dnsport"
	"$FAKESMTPD" -a 127.0.0.1 --port-file "$W/port" --dns "$W/zone" \
		--dns-port-file "$W/dnsport" "$W/scn" >"$W/srv.out" 2>"$W/srv.err" &
	SRV=$!
	for _ in $(seq 1 100); do
		[ -s "$W/port" ] && [ -s "$W/dnsport" ] && break
		sleep 0.05
	done
	PORT=$(head -n 1 "$W/port" 2>/dev/null)
	DNSPORT=$(head -n 1 "$W/dnsport" 2>/dev/null)
	[ -n "$PORT" ] && [ -n "$DNSPORT" ]
}

# begin LABEL: start, or count a failure for LABEL
begin() {
	start && return 0
	not_ok "$1: fakesmtpd did not start"
	sed 's/^/#   /' "$W/srv.err" | head -5
	stop
	return 1
}

stop() {
	kill -TERM "$SRV" 2>/dev/null
	wait "$SRV" 2>/dev/null
	SRV=
}

# probe OUT [OPTIONS...]: smtpprobe dane.test through the fake DNS
probe() {
	local out=$1; shift
	# shellcheck disable=SC2086
	timeout 60 "$SMTPPROBE" --helo probe.invalid --no-color \
		--dns-server "127.0.0.1:$DNSPORT" -p "$PORT" \
		--connect-timeout 2 --timeout 2 --dns-timeout 2 --deadline 20 \
		"$@" dane.test >"$W/$out" 2>"$W/$out.err"
	status=$?
}

# jtrue FILE PYEXPR DESC: the expression on the JSON report d is true
jtrue() {
	if "$PYTHON" -c 'import json,sys
d = json.load(open(sys.argv[1]))
h = d["hosts"][0] if d["hosts"] else {}
f = [x["id"] for x in d["findings"]]
sev = {x["id"]: x["severity"] for x in d["findings"]}
try:
    r = eval(sys.argv[2])
except (KeyError, IndexError, TypeError):
    r = False
sys.exit(0 if r else 1)' "$1" "$2"; then
		ok "$3"
	else
		not_ok "$3: false: $2"
		sed 's/^/#   /' "$1" | grep -E '"(dane|state|error|id|ad|mx_ad|matched)"' | head -20
	fi
}

# zone TLSA-LINES...: dane.test MX mx.tls.test (127.0.0.1), TLSA lines
# for _PORT._tcp.mx.tls.test; MXSECURE=0 leaves the MX answer unsigned
zone() {
	{
		echo "dane.test MX 10 mx.tls.test"
		[ "${MXSECURE:-1}" = 1 ] && echo "dane.test SECURE"
		echo "mx.tls.test A 127.0.0.1"
		echo "1.0.0.127.in-addr.arpa PTR mx.tls.test"
		for l in "$@"; do
			echo "_@PORT@._tcp.mx.tls.test $l"
		done
	} >"$W/zone"
}

# serve LABEL CERT KEY ZONE-LINES...: the STARTTLS scenario with
# $C/CERT and $C/KEY, the zone, and the server
serve() {
	local label=$1
	scenario "$C/$2" "$C/$3"
	shift 3
	zone "$@"
	begin "$label"
}

# matches FILE ERE DESC: a line of FILE matches the extended regex
matches() {
	if grep -qE -- "$2" "$1"; then ok "$3"
	else not_ok "$3: /$2/ not in output"; sed 's/^/#   /' "$1" | head -20; fi
}

# authenticates LABEL FILE STATE: the probe with --expect
# CERT=valid,DANE=valid passed, DANE authenticated the server in STATE,
# and no PKIX finding speaks against it
authenticates() {
	expect_status 0 "$1: CERT=valid and DANE=valid pass"
	jtrue "$2" "h['tls']['dane']['state'] == '$3' and h['tls']['dane']['authenticated'] is True and d['policy']['violations'] == []" "$1: $3, authenticated"
	jtrue "$2" '"cert-expired" not in f and "cert-untrusted" not in f' "$1: no cert-expired, no cert-untrusted"
}

# ---- DANE-EE match with an expired certificate (RFC 7672 3.1.1) --------
if serve "EE" expired.pem expired.key "TLSA $EE_EXPIRED" SECURE; then
	probe ee.json --no-ptr --format jsonl --expect CERT=valid,DANE=valid
	authenticates "EE + expired" "$W/ee.json" dane-ee
	jtrue "$W/ee.json" 'd["dns"]["mx_ad"] is True and h["tls"]["peer_certificate"]["days_left"] < 0' "EE: dns.mx_ad true, the certificate is expired"
	probe ee.nagios --no-ptr --format nagios
	if [ "$status" -ne 2 ] && ! grep -q "cert expired" "$W/ee.nagios"; then
		ok "EE: nagios not CRITICAL for the expired certificate (exit $status)"
	else
		not_ok "EE: nagios exit $status"; sed 's/^/#   /' "$W/ee.nagios"
	fi
	probe ee.prom --no-ptr --format prometheus
	matches "$W/ee.prom" '^smtpprobe_cert_valid\{.*\} 1$' "EE: prometheus smtpprobe_cert_valid 1"
	probe ee.txt --no-ptr
	contains "$W/ee.txt" "chain, name and dates: DANE-EE" "EE: text says DANE-EE decides"
	contains "$W/ee.txt" "MX: 1 host, DNSSEC-validated" "EE: text says the MX is validated"
	lacks "$W/ee.txt" "cert-expired" "EE: no cert-expired in the text"
	stop
fi

# the same certificate without DANE: PKIX says expired (the old verdict)
if serve "no TLSA" expired.pem expired.key; then
	probe pkix.json --no-ptr --format jsonl --expect CERT=valid
	expect_status 1 "no TLSA + expired: CERT=valid violated"
	jtrue "$W/pkix.json" '"cert-expired" in f' "no TLSA: cert-expired"
	jtrue "$W/pkix.json" 'h["tls"]["dane"] is None' "no TLSA: tls.dane null"
	probe pkix.prom --no-ptr --format prometheus
	matches "$W/pkix.prom" '^smtpprobe_cert_valid\{.*\} 0$' "no TLSA: prometheus smtpprobe_cert_valid 0"
	stop
fi

# ---- DANE-TA: the chain ends at the TLSA-matched CA (RFC 7672 3.1.2) ---
if serve "TA" chain.pem good.key "TLSA $TA_CA" SECURE; then
	probe ta.json --no-ptr --format jsonl --expect CERT=valid,DANE=valid
	authenticates "TA" "$W/ta.json" dane-ta
	jtrue "$W/ta.json" 'h["tls"]["verify"]["chain_ok"] is False' "TA: PKIX alone would not trust the chain"
	stop
fi

# DANE-TA still checks the dates of the intermediates below the anchor
if serve "TA + expired intermediate" ichain.pem leafi.key "TLSA $TA_CA" SECURE; then
	probe tai.json --no-ptr --format jsonl --expect DANE=valid
	expect_status 1 "TA + expired intermediate: DANE=valid violated"
	jtrue "$W/tai.json" 'h["tls"]["dane"]["state"] == "dane-ta" and h["tls"]["dane"]["authenticated"] is False' "TA + expired intermediate: dane-ta, not authenticated"
	jtrue "$W/tai.json" '[x for x in d["findings"] if x["id"] == "cert-untrusted" and "DANE-TA" in x["message"]]' "TA + expired intermediate: cert-untrusted names the intermediate"
	stop
fi

# ---- TLSA lookup fails: DANE senders defer (RFC 7672 2.2) --------------
if serve "SERVFAIL" good.pem good.key SERVFAIL; then
	probe sf.json --no-ptr --format jsonl --cafile "$C/ca.pem"
	jtrue "$W/sf.json" 'h["tls"]["dane"]["error"] == "SERVFAIL"' "SERVFAIL: tls.dane.error"
	jtrue "$W/sf.json" 'h["tls"]["dane"]["state"] == "lookup-failed"' "SERVFAIL: state lookup-failed"
	jtrue "$W/sf.json" 'sev.get("dane-lookup-failed") == "high"' "SERVFAIL: [high] dane-lookup-failed"
	probe sf.nagios --no-ptr --format nagios --cafile "$C/ca.pem"
	if [ "$status" -ne 0 ] && grep -q "dane-lookup-failed" "$W/sf.nagios"; then
		ok "SERVFAIL: nagios state $status"
	else
		not_ok "SERVFAIL: nagios exit $status"; sed 's/^/#   /' "$W/sf.nagios"
	fi
	probe sf.expect --no-ptr --expect DANE=valid
	expect_status 1 "SERVFAIL: DANE=valid violated"
	stop
fi

# ---- records longer than 256 octets: 3 1 0 (294) and 3 0 0 (TCP) ------
for rec in "$SPKI_RAW" "$CERT_RAW"; do
	what=${rec:0:5}
	if serve "$what" good.pem good.key "TLSA $rec" SECURE; then
		probe long.json --no-ptr --format jsonl
		jtrue "$W/long.json" 'h["tls"]["dane"]["records"][0]["matching_type"] == 0 and h["tls"]["dane"]["records"][0]["matched"] is True' "$what: the whole record is kept and matches"
		jtrue "$W/long.json" 'h["tls"]["dane"]["state"] == "dane-ee" and "dane-unusable" not in f' "$what: state dane-ee"
		stop
	fi
done
jtrue "$W/long.json" 'len(h["tls"]["dane"]["records"][0]["data"]) > 1024' "3 0 0: longer than a UDP answer (TC, then TCP)"

# ---- unvalidated records: DANE=valid must not pass ---------------------
if serve "not validated" good.pem good.key "TLSA $EE_GOOD"; then
	probe nv.json --no-ptr --format jsonl --expect DANE=valid
	expect_status 1 "not validated: DANE=valid violated"
	jtrue "$W/nv.json" 'h["tls"]["dane"]["state"] == "not-validated" and "dane-not-validated" in f' "not validated: state and finding"
	stop
fi

# ---- MX answer without AD: DANE does not apply (RFC 7672 2.2.1) --------
if MXSECURE=0 serve "MX not validated" good.pem good.key "TLSA $EE_GOOD" SECURE; then
	probe mx.json --no-ptr --format jsonl --expect DANE=valid
	expect_status 1 "MX not validated: DANE=valid violated"
	jtrue "$W/mx.json" 'd["dns"]["mx_ad"] is False' "MX not validated: dns.mx_ad false"
	jtrue "$W/mx.json" 'h["tls"]["dane"]["state"] == "mx-insecure" and h["tls"]["dane"]["applies"] is False' "MX not validated: state mx-insecure"
	jtrue "$W/mx.json" '"dane-mx-insecure" in f' "MX not validated: dane-mx-insecure finding"
	probe mx.txt --no-ptr
	contains "$W/mx.txt" "MX not DNSSEC-validated: DANE does not apply" "MX not validated: text"
	stop
fi

# ---- FCrDNS (PTR -> name -> A) sends no TLSA query ---------------------
if serve "PTR" good.pem good.key "TLSA $EE_GOOD" SECURE; then
	probe ptr.json --format jsonl
	jtrue "$W/ptr.json" 'h["ptr"]["fcrdns"] is True' "PTR: forward-confirmed"
	stop
	if grep -q "dns: queries .* tlsa 1$" "$W/srv.err"; then
		ok "PTR: one TLSA query (the MX's), none for the PTR name"
	else
		not_ok "PTR: TLSA queries: $(grep 'dns: queries' "$W/srv.err")"
	fi
fi

# every report above against contrib/schema.json (strict: new fields too)
if "$PYTHON" - "$top_srcdir/contrib/schema.json" "$W"/*.json >"$W/schema.out" 2>&1 <<'EOF'
import json, sys
from jsonschema import Draft202012Validator
v = Draft202012Validator(json.load(open(sys.argv[1])))
bad = 0
for path in sys.argv[2:]:
    for e in v.iter_errors(json.load(open(path))):
        print(path, "/".join(map(str, e.absolute_path)), e.message[:200])
        bad = 1
sys.exit(bad)
EOF
then
	ok "the JSON reports validate against contrib/schema.json"
else
	not_ok "the JSON reports do not validate"; sed 's/^/#   /' "$W/schema.out" | head -20
fi

finish

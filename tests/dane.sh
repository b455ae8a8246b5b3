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

W=$(mktemp -d)
SRV=
cleanup() {
	[ -n "$SRV" ] && kill "$SRV" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT

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

# ---- DANE-EE match with an expired certificate (RFC 7672 3.1.1) --------
scenario "$C/expired.pem" "$C/expired.key"
zone "TLSA $EE_EXPIRED" "SECURE"
if start; then
	probe ee.json --no-ptr --format json --expect CERT=valid,DANE=valid
	expect_status 0 "EE + expired: CERT=valid and DANE=valid pass"
	jtrue "$W/ee.json" 'h["tls"]["dane"]["state"] == "dane-ee"' "EE: state dane-ee"
	jtrue "$W/ee.json" 'h["tls"]["dane"]["authenticated"] is True' "EE: authenticated"
	jtrue "$W/ee.json" 'd["dns"]["mx_ad"] is True' "EE: dns.mx_ad true"
	jtrue "$W/ee.json" 'h["tls"]["peer_certificate"]["days_left"] < 0' "EE: the certificate is expired"
	jtrue "$W/ee.json" '"cert-expired" not in f and "cert-untrusted" not in f' "EE: no cert-expired, no cert-untrusted"
	jtrue "$W/ee.json" 'd["policy"]["violations"] == []' "EE: no policy violation"
	probe ee.nagios --no-ptr --format nagios
	if [ "$status" -ne 2 ] && ! grep -q "cert expired" "$W/ee.nagios"; then
		ok "EE: nagios not CRITICAL for the expired certificate (exit $status)"
	else
		not_ok "EE: nagios exit $status"; sed 's/^/#   /' "$W/ee.nagios"
	fi
	probe ee.prom --no-ptr --format prometheus
	if grep -q '^smtpprobe_cert_valid{.*} 1$' "$W/ee.prom"; then
		ok "EE: prometheus smtpprobe_cert_valid 1"
	else
		not_ok "EE: prometheus"; grep cert_ "$W/ee.prom" | sed 's/^/#   /'
	fi
	probe ee.txt --no-ptr
	contains "$W/ee.txt" "chain, name and dates: DANE-EE" "EE: text says DANE-EE decides"
	contains "$W/ee.txt" "MX: 1 host, DNSSEC-validated" "EE: text says the MX is validated"
	lacks "$W/ee.txt" "cert-expired" "EE: no cert-expired in the text"
	stop
else
	not_ok "EE: fakesmtpd did not start"; stop
fi

# the same certificate without DANE: PKIX says expired (the old verdict)
zone
if start; then
	probe pkix.json --no-ptr --format json --expect CERT=valid
	expect_status 1 "no TLSA + expired: CERT=valid violated"
	jtrue "$W/pkix.json" '"cert-expired" in f' "no TLSA: cert-expired"
	jtrue "$W/pkix.json" 'h["tls"]["dane"] is None' "no TLSA: tls.dane null"
	probe pkix.prom --no-ptr --format prometheus
	if grep -q '^smtpprobe_cert_valid{.*} 0$' "$W/pkix.prom"; then
		ok "no TLSA: prometheus smtpprobe_cert_valid 0"
	else
		not_ok "no TLSA: prometheus"; grep cert_ "$W/pkix.prom" | sed 's/^/#   /'
	fi
	stop
else
	not_ok "no TLSA: fakesmtpd did not start"; stop
fi

# ---- DANE-TA: the chain ends at the TLSA-matched CA (RFC 7672 3.1.2) ---
scenario "$C/chain.pem" "$C/good.key"
zone "TLSA $TA_CA" "SECURE"
if start; then
	probe ta.json --no-ptr --format json --expect CERT=valid,DANE=valid
	expect_status 0 "TA: CERT=valid and DANE=valid pass"
	jtrue "$W/ta.json" 'h["tls"]["dane"]["state"] == "dane-ta"' "TA: state dane-ta"
	jtrue "$W/ta.json" 'h["tls"]["verify"]["chain_ok"] is False' "TA: PKIX alone would not trust the chain"
	jtrue "$W/ta.json" '"cert-untrusted" not in f' "TA: no cert-untrusted"
	stop
else
	not_ok "TA: fakesmtpd did not start"; stop
fi

# DANE-TA still checks the dates of the intermediates below the anchor
scenario "$C/ichain.pem" "$C/leafi.key"
zone "TLSA $TA_CA" "SECURE"
if start; then
	probe tai.json --no-ptr --format json --expect DANE=valid
	expect_status 1 "TA + expired intermediate: DANE=valid violated"
	jtrue "$W/tai.json" 'h["tls"]["dane"]["state"] == "dane-ta" and h["tls"]["dane"]["authenticated"] is False' "TA + expired intermediate: dane-ta, not authenticated"
	jtrue "$W/tai.json" '[x for x in d["findings"] if x["id"] == "cert-untrusted" and "DANE-TA" in x["message"]]' "TA + expired intermediate: cert-untrusted names the intermediate"
	stop
else
	not_ok "TA + expired intermediate: fakesmtpd did not start"; stop
fi

# ---- TLSA lookup fails: DANE senders defer (RFC 7672 2.2) --------------
scenario "$C/good.pem" "$C/good.key"
zone "SERVFAIL"
if start; then
	probe sf.json --no-ptr --format json --cafile "$C/ca.pem"
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
else
	not_ok "SERVFAIL: fakesmtpd did not start"; stop
fi

# ---- records longer than 256 octets: 3 1 0 (294) and 3 0 0 (TCP) ------
for rec in "$SPKI_RAW" "$CERT_RAW"; do
	what=${rec:0:5}
	zone "TLSA $rec" "SECURE"
	if start; then
		probe long.json --no-ptr --format json
		jtrue "$W/long.json" 'h["tls"]["dane"]["records"][0]["matching_type"] == 0 and h["tls"]["dane"]["records"][0]["matched"] is True' "$what: the whole record is kept and matches"
		jtrue "$W/long.json" 'h["tls"]["dane"]["state"] == "dane-ee" and "dane-unusable" not in f' "$what: state dane-ee"
		stop
	else
		not_ok "$what: fakesmtpd did not start"; stop
	fi
done
jtrue "$W/long.json" 'len(h["tls"]["dane"]["records"][0]["data"]) > 1024' "3 0 0: longer than a UDP answer (TC, then TCP)"

# ---- unvalidated records: DANE=valid must not pass ---------------------
zone "TLSA $EE_GOOD"
if start; then
	probe nv.json --no-ptr --format json --expect DANE=valid
	expect_status 1 "not validated: DANE=valid violated"
	jtrue "$W/nv.json" 'h["tls"]["dane"]["state"] == "not-validated" and "dane-not-validated" in f' "not validated: state and finding"
	stop
else
	not_ok "not validated: fakesmtpd did not start"; stop
fi

# ---- MX answer without AD: DANE does not apply (RFC 7672 2.2.1) --------
MXSECURE=0 zone "TLSA $EE_GOOD" "SECURE"
if start; then
	probe mx.json --no-ptr --format json --expect DANE=valid
	expect_status 1 "MX not validated: DANE=valid violated"
	jtrue "$W/mx.json" 'd["dns"]["mx_ad"] is False' "MX not validated: dns.mx_ad false"
	jtrue "$W/mx.json" 'h["tls"]["dane"]["state"] == "mx-insecure" and h["tls"]["dane"]["applies"] is False' "MX not validated: state mx-insecure"
	jtrue "$W/mx.json" '"dane-mx-insecure" in f' "MX not validated: dane-mx-insecure finding"
	probe mx.txt --no-ptr
	contains "$W/mx.txt" "MX not DNSSEC-validated: DANE does not apply" "MX not validated: text"
	stop
else
	not_ok "MX not validated: fakesmtpd did not start"; stop
fi

# ---- FCrDNS (PTR -> name -> A) sends no TLSA query ---------------------
zone "TLSA $EE_GOOD" "SECURE"
if start; then
	probe ptr.json --format json
	jtrue "$W/ptr.json" 'h["ptr"]["fcrdns"] is True' "PTR: forward-confirmed"
	stop
	if grep -q "dns: queries .* tlsa 1$" "$W/srv.err"; then
		ok "PTR: one TLSA query (the MX's), none for the PTR name"
	else
		not_ok "PTR: TLSA queries: $(grep 'dns: queries' "$W/srv.err")"
	fi
else
	not_ok "PTR: fakesmtpd did not start"; stop
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

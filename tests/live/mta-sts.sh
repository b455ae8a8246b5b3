#!/bin/sh
# SPDX-License-Identifier: ISC
#
# tests/live/mta-sts.sh - MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) end to
# end, with real servers from Debian, all on loopback addresses
# 127.0.0.20-23 (tests/live/e2e.sh owns 127.0.0.1-19), all under one
# `mktemp -d` directory, all stopped by the EXIT trap:
#
#   nsd     (Debian nsd) authoritative for mtasts.test. on 127.0.0.20:DNSPORT;
#           smtpprobe asks it everything (--dns-server), the policy hosts'
#           addresses included.
#   nginx   (Debian nginx-light) its own configuration in the temp dir, run
#           in the foreground (`nginx -p DIR -c nginx.conf -g 'daemon off;'`),
#           HTTPS on 127.0.0.21:HTTPSPORT (a free high port; smtpprobe is
#           pointed at it with the test-only SMTPPROBE_MTA_STS_PORT), one
#           server block per mta-sts.DOMAIN (SNI), certificates from a test
#           CA made here with openssl(1); mta-sts.badcert has its own
#           self-signed one.
#   fakesmtpd (tests/fakesmtpd) MX hosts: STARTTLS with a certificate from
#           the test CA on 127.0.0.22, no STARTTLS on 127.0.0.23.
#
# Cases, one domain each (what smtpprobe must say):
#   enforce    valid enforce policy, the MX matches and has a valid
#              certificate: mode enforce, MTA-STS sender delivers, no finding
#   testing    testing policy, MX without STARTTLS: mta-sts-testing, delivers
#   nomatch    enforce, the MX matches no mx line: mta-sts-mx-not-matched,
#              the MTA-STS sender does not deliver
#   notls      enforce, the MX offers no STARTTLS: mta-sts-mx-no-tls
#   redirect   the policy URL answers 301: mta-sts-fetch-redirect
#   mediatype  the policy is served as text/html: mta-sts-fetch-media-type
#   badcert    the policy host's certificate is self-signed: mta-sts-fetch-tls
#   missing    404: mta-sts-fetch-http-status
#   notxt      a policy, no TXT record: mta-sts-policy-without-txt, mode none
#   txtonly    a TXT record, no policy host: mta-sts-txt-without-policy
#   syntax     a policy without max_age: mta-sts-policy-syntax
#   toolarge   a 70,000-byte policy: mta-sts-fetch-too-large
#   shortage   enforce with max_age 3600: mta-sts-max-age-short, delivers
#   badmx      enforce, the MX certificate does not cover the MX name:
#              mta-sts-mx-cert-invalid, the MTA-STS sender does not deliver
#
# Needs root only for nsd's and nginx's defaults (run as the test user
# otherwise works: nothing binds below 1024).
[ -z "${BASH_VERSION:-}" ] && exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
: "${FAKESMTPD:?FAKESMTPD must point at tests/fakesmtpd}"

missing=
for c in nsd nginx openssl setsid; do
	command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
done
if [ -n "$missing" ]; then
	echo "not ok 1 - missing:$missing (Debian packages nsd nginx-light openssl util-linux)"
	exit 1
fi

W=$(mktemp -d)
NSD_PID= NGINX_PID= SMTP_PIDS=
cleanup() {
	for p in $SMTP_PIDS $NGINX_PID $NSD_PID; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $SMTP_PIDS $NGINX_PID $NSD_PID; do
		wait "$p" 2>/dev/null
	done
	# nginx's worker, nsd's children: their sessions (setsid) go too
	for p in $NGINX_PID $NSD_PID; do
		kill -KILL -- "-$p" 2>/dev/null
	done
	rm -rf "$W"
}
trap cleanup EXIT
# nginx's workers may drop privileges: let them read the policies
chmod 755 "$W"

# a free port on ADDR (bound and closed now)
freeport() {
	"$PYTHON" -c "
import socket, sys
s = socket.socket(); s.bind((sys.argv[1], 0)); print(s.getsockname()[1]); s.close()" "$1"
}
DNSPORT=$(freeport 127.0.0.20)
HTTPSPORT=$(freeport 127.0.0.21)
SMTPPORT=$(freeport 127.0.0.22)
D=mtasts.test
CASES="enforce testing nomatch notls redirect mediatype badcert missing notxt txtonly
syntax toolarge shortage badmx"

# ---- certificates: a test CA, one certificate for every mta-sts and mx name
mkdir -p "$W/tls"
(
	cd "$W/tls" || exit 1
	export OPENSSL_CONF=/dev/null
	openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=mta-sts test CA" \
		-keyout ca.key -out ca.pem -addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null || exit 1
	san="DNS:mx.$D"
	for c in $CASES; do
		san="$san,DNS:mta-sts.$c.$D"
		[ "$c" = badmx ] || san="$san,DNS:mx.$c.$D"
	done
	openssl req -newkey rsa:2048 -nodes -subj "/CN=mta-sts.enforce.$D" \
		-keyout srv.key -out srv.csr 2>/dev/null || exit 1
	printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
		"$san" >ext.cnf
	openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
		-days 30 -extfile ext.cnf -out srv.pem 2>/dev/null || exit 1
	# badcert: self-signed, right name, no CA behind it
	openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=mta-sts.badcert.$D" \
		-addext "subjectAltName=DNS:mta-sts.badcert.$D" \
		-keyout bad.key -out bad.pem 2>/dev/null || exit 1
	chmod 644 ./*
) || { echo "not ok 1 - openssl could not make the test certificates"; exit 1; }

# ---- policies and nginx ---------------------------------------------------
policy() {	# DIR MODE MAX_AGE MX...
	local dir=$W/www/$1 mode=$2 age=$3; shift 3
	mkdir -p "$dir/.well-known"
	{
		printf 'version: STSv1\r\nmode: %s\r\n' "$mode"
		for mx in "$@"; do printf 'mx: %s\r\n' "$mx"; done
		[ -z "$age" ] || printf 'max_age: %s\r\n' "$age"
	} >"$dir/.well-known/mta-sts.txt"
}
policy enforce enforce 604800 "mx.enforce.$D"
policy testing testing 604800 "*.testing.$D"
policy nomatch enforce 604800 "mx.elsewhere.example"
policy notls enforce 604800 "mx.notls.$D"
policy mediatype enforce 604800 "mx.mediatype.$D"
policy badcert enforce 604800 "mx.badcert.$D"
policy notxt enforce 604800 "mx.notxt.$D"
policy syntax enforce "" "mx.syntax.$D"
policy shortage enforce 3600 "mx.shortage.$D"
policy badmx enforce 604800 "mx.badmx.$D"
policy toolarge enforce 604800 "mx.toolarge.$D"
# 70,000 bytes: a valid start, then comment-free padding past the 64 KiB cap
"$PYTHON" -c "import sys; sys.stdout.write('x' * 70000)" \
	>>"$W/www/toolarge/.well-known/mta-sts.txt"
mkdir -p "$W/www/missing" "$W/www/redirect"
chmod -R a+rX "$W/www"

mkdir -p "$W/nginx/logs"
{
	cat <<EOF
worker_processes 1;
error_log $W/nginx/logs/error.log;
pid $W/nginx/nginx.pid;
events { worker_connections 64; }
http {
	access_log $W/nginx/logs/access.log;
	client_body_temp_path $W/nginx/body;
	proxy_temp_path $W/nginx/proxy;
	fastcgi_temp_path $W/nginx/fastcgi;
	uwsgi_temp_path $W/nginx/uwsgi;
	scgi_temp_path $W/nginx/scgi;
	default_type application/octet-stream;
	types { text/plain txt; text/html html; }
	ssl_certificate $W/tls/srv.pem;
	ssl_certificate_key $W/tls/srv.key;
EOF
	for c in $CASES; do
		case $c in txtonly) continue ;; esac
		echo "	server {"
		echo "		listen 127.0.0.21:$HTTPSPORT ssl;"
		echo "		server_name mta-sts.$c.$D;"
		echo "		root $W/www/$c;"
		case $c in
		badcert)
			echo "		ssl_certificate $W/tls/bad.pem;"
			echo "		ssl_certificate_key $W/tls/bad.key;" ;;
		redirect)
			echo "		location / { return 301 https://mta-sts.enforce.$D/.well-known/mta-sts.txt; }" ;;
		mediatype)
			echo "		location / { default_type text/html; types { } }" ;;
		esac
		echo "	}"
	done
	echo "}"
} >"$W/nginx/nginx.conf"
setsid nginx -p "$W/nginx" -c "$W/nginx/nginx.conf" -g 'daemon off;' \
	>"$W/nginx/out" 2>&1 </dev/null &
NGINX_PID=$!

# ---- the zone and nsd -----------------------------------------------------
mkdir -p "$W/dns"
{
	printf '$ORIGIN %s.\n$TTL 60\n' "$D"
	echo "@ IN SOA ns.$D. hostmaster.$D. 1 3600 600 86400 60"
	echo "@ IN NS ns.$D."
	echo "ns IN A 127.0.0.20"
	for c in $CASES; do
		case $c in
		testing|notls) echo "$c IN MX 10 mx.$c"; echo "mx.$c IN A 127.0.0.23" ;;
		*) echo "$c IN MX 10 mx.$c"; echo "mx.$c IN A 127.0.0.22" ;;
		esac
		[ "$c" = txtonly ] || echo "mta-sts.$c IN A 127.0.0.21"
		[ "$c" = notxt ] || echo "_mta-sts.$c IN TXT \"v=STSv1; id=20261205T1;\""
		echo "_smtp._tls.$c IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@$c.$D\""
	done
} >"$W/dns/$D.zone"
cat >"$W/dns/nsd.conf" <<EOF
server:
	ip-address: 127.0.0.20@$DNSPORT
	port: $DNSPORT
	do-ip4: yes
	do-ip6: no
	reuseport: no
	server-count: 1
	database: ""
	username: ""
	chroot: ""
	zonesdir: "$W/dns"
	zonelistfile: "$W/dns/zone.list"
	xfrdfile: "$W/dns/xfrd.state"
	xfrdir: "$W/dns"
	pidfile: "$W/dns/nsd.pid"
	logfile: "$W/dns/nsd.log"
	verbosity: 1
remote-control:
	control-enable: no
zone:
	name: "$D"
	zonefile: "$W/dns/$D.zone"
EOF
setsid nsd -d -c "$W/dns/nsd.conf" >"$W/dns/out" 2>&1 </dev/null &
NSD_PID=$!

# ---- the MX hosts -----------------------------------------------------------
printf '%s\n' "tls-cert $W/tls/srv.pem $W/tls/srv.key" starttls \
	'reply EHLO 250-mx.test|250 STARTTLS' 'reply-tls EHLO 250 mx.test' >"$W/tls.scn"
printf '%s\n' 'reply EHLO 250 mx.test' >"$W/plain.scn"
"$FAKESMTPD" -a 127.0.0.22 -p "$SMTPPORT" "$W/tls.scn" >/dev/null 2>"$W/smtp22.err" &
SMTP_PIDS="$!"
"$FAKESMTPD" -a 127.0.0.23 -p "$SMTPPORT" "$W/plain.scn" >/dev/null 2>"$W/smtp23.err" &
SMTP_PIDS="$SMTP_PIDS $!"

# wait until each server answers (no sleep-and-hope: poll, bounded)
ready() {
	"$PYTHON" - "$DNSPORT" "$HTTPSPORT" "$SMTPPORT" <<'EOF'
import socket, sys, time
dns, https, smtp = (int(a) for a in sys.argv[1:])
deadline = time.time() + 15
# a DNS query for the SOA of mtasts.test over TCP
q = bytes.fromhex("12340000000100000000000006") + b"mtasts" + bytes([4]) + b"test" + bytes.fromhex("0000060001")
want = [("127.0.0.20", dns), ("127.0.0.21", https), ("127.0.0.22", smtp), ("127.0.0.23", smtp)]
while want and time.time() < deadline:
    a, p = want[0]
    try:
        s = socket.create_connection((a, p), timeout=1)
        if a == "127.0.0.20":
            s.sendall(len(q).to_bytes(2, "big") + q)
            if len(s.recv(512)) < 12:
                raise OSError
        s.close()
        want.pop(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1 if want else 0)
EOF
}
if ! ready; then
	not_ok "infra: nsd, nginx and the fake MX hosts answer"
	sed 's/^/#   /' "$W/nginx/out" "$W/nginx/logs/error.log" "$W/dns/out" "$W/dns/nsd.log" 2>/dev/null | head -20
	finish
	exit 1
fi
ok "infra: nsd on 127.0.0.20, nginx on 127.0.0.21, MX hosts on 127.0.0.22-23"

# probe OUT FORMAT ARGS...: smtpprobe against these servers, status in $status
probe() {
	local out=$1 fmt=$2; shift 2
	SMTPPROBE_MTA_STS_PORT=$HTTPSPORT "$SMTPPROBE" --format "$fmt" \
		--dns-server "127.0.0.20:$DNSPORT" -p "$SMTPPORT" \
		--cafile "$W/tls/ca.pem" --no-ptr --no-dane --helo probe.invalid \
		--timeout 5 --connect-timeout 5 "$@" >"$out" 2>"$W/err"
	status=$?
}

# ---- probe every domain in one run -----------------------------------------
for c in $CASES; do echo "$c.$D"; done >"$W/targets"
probe "$W/out" jsonl -f "$W/targets"
expect_status 0 "one run over the fourteen domains"

# jcheck DOMAIN DESCRIPTION PYTHON: t = the target object, ids its findings
jcheck() {
	check "$1: $2" "$PYTHON" -c "
import json, sys
t = [json.loads(l) for l in open(sys.argv[1]) if json.loads(l)['target'] == sys.argv[2]][0]
ids = [f['id'] for f in t['findings']]
sts = [i for i in ids if i.startswith('mta-sts')]
m, d = t['mta_sts'], t['delivery']
$3" "$W/out" "$1.$D"
}

jcheck enforce "policy read, mode enforce, no MTA-STS finding" "
assert m['fetch']['status'] == 200 and m['fetch']['class'] is None, m['fetch']
assert m['fetch']['address'] == '127.0.0.21', m['fetch']
assert m['policy'] == {'mode': 'enforce', 'mx': ['mx.enforce.$D'], 'max_age': 604800}, m
assert m['id'] == '20261205T1' and m['mode'] == 'enforce', m
assert sts == [] and 'tls-rpt-missing' not in ids, ids
assert t['tls_rpt']['rua'] == ['mailto:tlsrpt@enforce.$D'], t['tls_rpt']"
jcheck enforce "the MTA-STS sender delivers, authenticated" "
assert d['mta_sts']['delivers'] is True, d
assert 'certificate valid' in d['mta_sts']['reason'], d
assert t['hosts'][0]['mx_match'] == 'mx.enforce.$D', t['hosts'][0]['mx_match']"
jcheck testing "mode testing: informational, still delivers in clear text" "
assert m['mode'] == 'testing' and 'mta-sts-testing' in ids, (m['mode'], ids)
assert 'mta-sts-mx-no-tls' not in ids, ids
assert d['mta_sts']['delivers'] is True and 'clear text' in d['mta_sts']['reason'], d
assert t['hosts'][0]['mx_match'] == '*.testing.$D', t['hosts'][0]"
jcheck nomatch "the MX matches no pattern: finding, no delivery" "
assert 'mta-sts-mx-not-matched' in ids, ids
f = [f for f in t['findings'] if f['id'] == 'mta-sts-mx-not-matched'][0]
assert f['severity'] == 'high' and f['host'] == 'mx.nomatch.$D', f
assert d['mta_sts']['delivers'] is False and d['opportunistic']['delivers'] is True, d
assert t['hosts'][0]['mx_match'] is None"
jcheck notls "enforce, no STARTTLS: finding, no delivery" "
assert 'mta-sts-mx-no-tls' in ids, ids
assert d['mta_sts']['delivers'] is False and 'TLS is required' in d['mta_sts']['reason'], d"
jcheck redirect "a 301 is not followed" "
assert m['fetch']['status'] == 301 and m['fetch']['class'] == 'redirect', m['fetch']
assert 'mta-sts.enforce.$D' in m['fetch']['error'], m['fetch']
assert sts == ['mta-sts-fetch-redirect'] and m['mode'] == 'none', (sts, m['mode'])"
jcheck mediatype "text/html is refused" "
assert m['fetch']['class'] == 'media-type' and 'text/html' in m['fetch']['error'], m['fetch']
assert sts == ['mta-sts-fetch-media-type'] and m['policy'] is None, sts"
jcheck badcert "a self-signed policy host is refused" "
assert m['fetch']['class'] == 'tls' and m['fetch']['status'] is None, m['fetch']
assert sts == ['mta-sts-fetch-tls'], sts
assert d['mta_sts']['delivers'] is True and 'no usable MTA-STS policy' in d['mta_sts']['reason'], d"
jcheck missing "404" "
assert m['fetch']['status'] == 404 and m['fetch']['class'] == 'http-status', m['fetch']
assert sts == ['mta-sts-fetch-http-status'], sts"
jcheck notxt "a policy without TXT record is never used" "
assert m['txt'] is None and m['policy']['mode'] == 'enforce' and m['mode'] == 'none', m
assert sts == ['mta-sts-policy-without-txt'], sts"
jcheck txtonly "a TXT record without policy host" "
assert m['fetch']['class'] == 'dns', m['fetch']
assert sts == ['mta-sts-txt-without-policy'], sts"
jcheck syntax "a policy without max_age does not parse" "
assert m['fetch']['status'] == 200 and m['policy'] is None, m
assert 'max_age' in m['policy_error'] and sts == ['mta-sts-policy-syntax'], (m, sts)"
jcheck toolarge "a policy over 64 KiB is cut" "
assert m['fetch']['class'] == 'too-large' and sts == ['mta-sts-fetch-too-large'], (m['fetch'], sts)"
jcheck shortage "max_age 3600: low finding, still enforced and delivered" "
assert sts == ['mta-sts-max-age-short'] and m['policy']['max_age'] == 3600, (sts, m)
assert d['mta_sts']['delivers'] is True, d"
jcheck badmx "the MX certificate does not cover the MX name" "
assert sts == ['mta-sts-mx-cert-invalid'], sts
assert d['mta_sts']['delivers'] is False and d['opportunistic']['delivers'] is True, d
assert 'not valid for mx.badmx.$D' in d['mta_sts']['reason'], d"

# the schema holds for all of it
if "$PYTHON" -c 'import jsonschema' 2>/dev/null; then
	check "every record matches contrib/schema.json" "$PYTHON" -c "
import json, sys, jsonschema
s = json.load(open(sys.argv[1]))
v = jsonschema.Draft202012Validator({**s, '\$ref': '#/\$defs/target'})
for l in open(sys.argv[2]):
    v.validate(json.loads(l))" "$top_srcdir/contrib/schema.json" "$W/out"
fi

# --expect DELIVERY=mta-sts over the same servers: met, and violated
probe "$W/nag" nagios --expect DELIVERY=mta-sts "enforce.$D"
expect_status 0 "--expect DELIVERY=mta-sts met by enforce.$D (nagios OK)"
contains "$W/nag" "'enforce.mtasts.test_delivery_mta_sts'=1" "nagios perfdata: the MTA-STS sender delivers"
probe "$W/exp" jsonl --expect DELIVERY=mta-sts "nomatch.$D"
expect_status 1 "--expect DELIVERY=mta-sts violated by nomatch.$D"

# nginx saw the fetches: real HTTPS, not a shortcut
contains "$W/nginx/logs/access.log" "GET /.well-known/mta-sts.txt" "nginx served the policy fetches"

finish

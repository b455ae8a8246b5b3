#!/bin/sh
# SPDX-License-Identifier: ISC
#
# mkcerts.sh DIR - generate the TLS test fixtures for check_tls into DIR.
#
#   ca.pem/ca.key             test CA (self-signed, CA:TRUE)
#   good.pem/good.key         CA-signed, CN and SAN mx.tls.test + IP 127.0.0.1, 30 days
#   expired.pem/expired.key   CA-signed, expired last year
#   wrongname.pem/.key        CA-signed for other.test
#   selfsigned.pem/.key       self-signed for mx.tls.test
#   ec.pem/ec.key             EC P-256, CA-signed for mx.tls.test
#   soon.pem/soon.key         CA-signed, valid 7 more days
#                             (soon.key = expired.key = wrongname.key)
#   chain.pem                 good.pem + ca.pem
#   badchain.pem              selfsigned.pem + ca.pem (the CA did not sign
#                             the leaf: a DANE-TA match must not count)
#   interexp.pem/.key         EC intermediate CA under ca.pem, expired
#                             last year
#   leafi.pem/leafi.key       EC leaf for mx.tls.test under interexp, 30 days
#   ichain.pem                leafi.pem + interexp.pem + ca.pem (a DANE-TA
#                             record for ca.pem matches, but the
#                             intermediate's dates fail: RFC 7672 3.1.2)
#
# Uses only the openssl(1) command of OpenSSL 3.0 and a private config
# (the system openssl.cnf is never read).  Idempotent: DIR is emptied of
# earlier output first.  Quiet unless something fails.
set -eu

die() { echo "mkcerts.sh: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: mkcerts.sh DIR"
command -v openssl >/dev/null 2>&1 || die "the openssl command is missing (apt-get install openssl)"
command -v date >/dev/null 2>&1 || die "date(1) is missing"

D=$1
mkdir -p "$D" || die "cannot create $D"
cd "$D"
rm -rf -- *.pem *.key *.csr openssl.cnf ext.cnf index.txt* serial* newcerts err.log

OPENSSL_CONF=$PWD/openssl.cnf
export OPENSSL_CONF
log=$PWD/err.log

# a minimal config: req needs a section, ca needs a database
cat >openssl.cnf <<'EOF'
[ req ]
distinguished_name	= req_dn
prompt			= no
[ req_dn ]
CN			= unused
[ ca ]
default_ca		= testca
[ testca ]
dir			= .
database		= ./index.txt
new_certs_dir		= ./newcerts
serial			= ./serial
certificate		= ./ca.pem
private_key		= ./ca.key
default_md		= sha256
policy			= policy_any
unique_subject		= no
copy_extensions		= none
email_in_dn		= no
[ policy_any ]
commonName		= supplied
[ v3_ca ]
basicConstraints	= critical, CA:TRUE
keyUsage		= critical, keyCertSign, cRLSign
subjectKeyIdentifier	= hash
[ v3_self ]
basicConstraints	= critical, CA:FALSE
subjectAltName		= DNS:mx.tls.test
subjectKeyIdentifier	= hash
EOF

cat >ext.cnf <<'EOF'
[ good ]
basicConstraints	= critical, CA:FALSE
keyUsage		= critical, digitalSignature, keyEncipherment
extendedKeyUsage	= serverAuth
subjectAltName		= DNS:mx.tls.test, IP:127.0.0.1
subjectKeyIdentifier	= hash
authorityKeyIdentifier	= keyid
[ other ]
basicConstraints	= critical, CA:FALSE
keyUsage		= critical, digitalSignature, keyEncipherment
extendedKeyUsage	= serverAuth
subjectAltName		= DNS:other.test
subjectKeyIdentifier	= hash
authorityKeyIdentifier	= keyid
EOF

run() {
	"$@" >>"$log" 2>&1 || { cat "$log" >&2; die "failed: $*"; }
}

rsakey() { run openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1"; }

# leaf NAME CN EXT DAYS [KEYFILE]: a CA-signed certificate
leaf() {
	run openssl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr"
	run openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key \
	    -set_serial "$5" -days "$4" -sha256 \
	    -extfile ext.cnf -extensions "$3" -out "$1.pem"
	rm -f "$1.csr"
}

# RSA key generation dominates the run time (and varies a lot): make
# four keys at once, and let soon and expired share one (no test tells
# them apart by key).
pids=
for k in ca good wrongname selfsigned; do
	rsakey $k.key &
	pids="$pids $!"
done
run openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key
for p in $pids; do
	wait "$p" || die "RSA key generation failed"
done
cp wrongname.key soon.key
cp wrongname.key expired.key

run openssl req -x509 -new -key ca.key -subj "/CN=smtpprobe test CA" \
    -days 3650 -sha256 -extensions v3_ca -out ca.pem
leaf good mx.tls.test good 30 1001
leaf wrongname other.test other 30 1002
leaf soon mx.tls.test good 7 1003
leaf ec mx.tls.test good 30 1004
run openssl req -x509 -new -key selfsigned.key -subj "/CN=mx.tls.test" \
    -days 30 -sha256 -extensions v3_self -out selfsigned.pem

# x509 -days refuses negative values: openssl ca with explicit dates
# (-400 days to -370 days: expired "last year").
now=$(date -u +%s)
start=$(date -u -d "@$((now - 400 * 86400))" +%Y%m%d%H%M%SZ) ||
    die "date(1) does not understand -d @SECONDS"
end=$(date -u -d "@$((now - 370 * 86400))" +%Y%m%d%H%M%SZ)
mkdir newcerts
: >index.txt
echo 2001 >serial
run openssl req -new -key expired.key -subj "/CN=mx.tls.test" -out expired.csr
run openssl ca -batch -notext -in expired.csr -out expired.pem \
    -startdate "$start" -enddate "$end" -extfile ext.cnf -extensions good
run openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out interexp.key
run openssl req -new -key interexp.key -subj "/CN=smtpprobe expired intermediate" \
    -out interexp.csr
run openssl ca -batch -notext -in interexp.csr -out interexp.pem \
    -startdate "$start" -enddate "$end" -extfile openssl.cnf -extensions v3_ca
rm -rf expired.csr interexp.csr newcerts index.txt* serial*

# a leaf under the expired intermediate (x509 -req does not check the
# issuer's dates)
run openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out leafi.key
run openssl req -new -key leafi.key -subj "/CN=mx.tls.test" -out leafi.csr
run openssl x509 -req -in leafi.csr -CA interexp.pem -CAkey interexp.key \
    -set_serial 3001 -days 30 -sha256 -extfile ext.cnf -extensions good \
    -out leafi.pem
rm -f leafi.csr

cat good.pem ca.pem >chain.pem
cat selfsigned.pem ca.pem >badchain.pem
cat leafi.pem interexp.pem ca.pem >ichain.pem
rm -f err.log

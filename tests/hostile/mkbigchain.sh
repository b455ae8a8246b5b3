#!/bin/sh
# SPDX-License-Identifier: ISC
#
# mkbigchain.sh DIR - hostile certificates for tests/hostile, made in DIR
# after tests/tls/mkcerts.sh DIR (it reuses good.pem/good.key, ca.pem):
#
#   chain60.pem     good.pem then ca.pem 59 times: a 60-certificate
#                   chain (about 65 kB, under OpenSSL's default 100 kB
#                   max_cert_list: the client must parse and bound it)
#   chain300.pem    good.pem then ca.pem 299 times (about 330 kB: more
#                   than a client should accept in one Certificate)
#   bigsan.pem/.key self-signed for mx.tls.test with 1500 DNS names in
#                   its subjectAltName (about 65 kB DER in a single cert)
#
# Repeating the CA certificate costs nothing to generate, and a chain
# of duplicates is what a hostile server can send as well as any other.
set -eu

die() { echo "mkbigchain.sh: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: mkbigchain.sh DIR"
D=$1
cd "$D" || die "no directory $D"
if [ ! -f good.pem ] || [ ! -f ca.pem ]; then
	die "run tests/tls/mkcerts.sh $D first"
fi

chain() {	# chain N OUT
	i=1
	cp good.pem "$2"
	while [ "$i" -lt "$1" ]; do
		cat ca.pem >>"$2"
		i=$((i + 1))
	done
}
chain 60 chain60.pem
chain 300 chain300.pem

OPENSSL_CONF=$PWD/bigsan.cnf
export OPENSSL_CONF
{
	printf '[ req ]\ndistinguished_name = dn\nprompt = no\n[ dn ]\nCN = mx.tls.test\n'
	printf '[ ext ]\nbasicConstraints = critical, CA:FALSE\nsubjectAltName = @alt\n[ alt ]\n'
	i=1
	while [ "$i" -le 1500 ]; do
		printf 'DNS.%d = host%d.a-rather-long-subdomain.tls.test\n' "$i" "$i"
		i=$((i + 1))
	done
} >bigsan.cnf
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout bigsan.key -days 30 -sha256 -extensions ext \
    -out bigsan.pem >bigsan.log 2>&1 || { cat bigsan.log >&2; die "openssl req failed"; }
rm -f bigsan.cnf bigsan.log

#!/bin/sh
# SPDX-License-Identifier: ISC
#
# tests/live/e2e.sh - end-to-end test of smtpprobe against real servers.
#
# What it starts, all on loopback, all under one fresh `mktemp -d` directory,
# all stopped again by the EXIT trap (also on failure, ^C or the watchdog):
#
#   nsd      (Debian package nsd) authoritative for the zone e2e.test. on
#            127.0.0.1:DNSPORT, UDP and TCP.  Config nsd.conf.in, zone
#            e2e.test.zone.  Run as `setsid nsd -d -c DIR/nsd.conf` (foreground,
#            no database, no privilege drop, no remote control), stopped with
#            SIGTERM.  smtpprobe is pointed at it with --dns-server, so every
#            MX/A lookup of the test is answered by this zone: a normal MX, a
#            null MX (RFC 7505), an implicit MX (RFC 5321 5.1), NXDOMAIN, an MX
#            that is a CNAME, a dead first MX, an MX host without addresses,
#            and DANE: TLSA records (RFC 7672) for the Postfix, one matching
#            its key (mx-postfix), one not (mx-danebad, same address); these
#            are appended to the zone at test time (they depend on the port
#            and the certificate).  Unsigned zone: answers never carry AD.
#   Postfix  (Debian package postfix) a private instance: own config directory
#            (main.cf.in, master.cf.in), queue_directory and data_directory in
#            the temp dir, one smtpd listener on 127.0.0.2:SMTPPORT, and one
#            with implicit TLS (smtpd_tls_wrappermode) on 127.0.0.5:SMTPPORT,
#            disable_vrfy_command = yes, log to DIR/postfix/maillog, and
#            opportunistic STARTTLS (smtpd_tls_security_level = may, no SASL)
#            with an RSA certificate for mx-postfix.e2e.test and
#            mx-smtps.e2e.test, signed by a CA that this script makes with
#            openssl(1) in DIR/tls at test time.
#            Prepared with `postfix -c DIR check` (creates the queue
#            subdirectories), started with `postfix -c DIR start` (returns
#            once the master daemon is up; the master is a session leader),
#            stopped like `postfix -c DIR stop` does it: SIGTERM to the pid in
#            queue/pid/master.pid, then SIGKILL to the master's process group
#            if it is still there after 5 s.  Needs root.
#   Dovecot  (Debian package dovecot-core) an auth-only instance (no mail
#            protocols) with its own configuration in DIR/dovecot: a static
#            passdb that nothing ever asks (smtpprobe never sends AUTH), PLAIN
#            and LOGIN, and the auth socket DIR/dovecot/run/auth-postfix for
#            Postfix's smtpd_sasl_type = dovecot.  Run as `setsid dovecot -F
#            -c DIR/dovecot/dovecot.conf` (as root, as Postfix), stopped with
#            SIGTERM.  Three more listeners of the Postfix use it:
#            127.0.0.10:587 (AUTH only inside TLS, smtpd_tls_auth_only = yes),
#            127.0.0.11:587 (AUTH before TLS too) and 127.0.0.12:25 (an MX
#            with AUTH on): real ports, because the AUTH findings depend on
#            them (587: submission, RFC 6409; 25: MX).  And submission done
#            wrong and right (RFC 8314): 127.0.0.13:587 without STARTTLS,
#            127.0.0.14:465 in clear text, 127.0.0.15:465 implicit TLS.
#            For --tls-versions: 127.0.0.16 still takes TLS 1.0 and 1.1
#            (security level 0), 127.0.0.17 only TLS 1.2 and newer.
#   aiosmtpd (Debian package python3-aiosmtpd) aiosmtpd_server.py: a stock
#            aiosmtpd 1.4 SMTP server on 127.0.0.3:SMTPPORT, stopped with
#            SIGTERM (it also exits by itself after 120 s).  A second one on
#            127.0.0.4:SMTPPORT (mx-tlsbroken) offers STARTTLS, answers it
#            with 220 and then sends a plaintext line instead of a TLS
#            handshake (aiosmtpd_server.py --broken-starttls).  A third on
#            127.0.0.6:SMTPPORT (mx-inject) sends an extra "250 2.0.0
#            injected" in the same write as its 220 to STARTTLS, then does
#            real TLS (--inject-after-starttls).
#
# Why real servers: the unit and scenario tests use scripted fakes; this test
# checks that smtpprobe's DNS handling (c-ares against a real authoritative
# server) and its reading of real SMTP implementations agree with what those
# implementations actually say.  Before smtpprobe runs, the servers are
# checked with Python (a raw DNS query, an smtplib session), so a broken
# environment is told apart from a broken smtpprobe.
#
# What real servers answer (Postfix 3.7.11 with disable_vrfy_command = yes,
# aiosmtpd 1.4.3), checked by hand and re-checked by the "infra" assertions:
#
#                 Postfix                                  aiosmtpd
#   VRFY x        502 5.5.1 VRFY command is disabled       252 Cannot VRFY user, but will
#                                                              accept message and attempt delivery
#   VRFY          502 5.5.1 VRFY command is disabled       501 Syntax: VRFY <address>
#   EXPN x        500 5.5.2 Error: command not recognized  502 EXPN not implemented
#   TURN          500 5.5.2 Error: command not recognized  500 Error: command "TURN" not recognized
#   ETRN e2e.test 459 <e2e.test>: service unavailable      500 Error: command "ETRN" not recognized
#   ATRN          500 5.5.2 Error: command not recognized  500 Error: command "ATRN" not recognized
#   HELP          500 5.5.2 Error: command not recognized  250 Supported commands: AUTH DATA ...
#   NOOP          250 2.0.0 Ok                             250 OK
#   STARTTLS      220 2.0.0 Ready to start TLS             454 TLS not available
#   EHLO          PIPELINING SIZE 10240000 ETRN            SIZE 33554432 8BITMIME HELP
#                 STARTTLS ENHANCEDSTATUSCODES
#                 8BITMIME DSN SMTPUTF8 CHUNKING
#   EHLO in TLS   the same without STARTTLS
#   TLS           TLSv1.3 TLS_AES_256_GCM_SHA384 x25519
#                 (OpenSSL 3.0 on both ends; the same on the implicit-TLS
#                 listener 127.0.0.5, whose banner and EHLO, inside TLS, are
#                 the EHLO-in-TLS ones above)
# The broken-STARTTLS aiosmtpd (127.0.0.4) answers STARTTLS "220 Ready to
# start TLS" and then the ClientHello with "421 4.3.0 this is not a TLS
# handshake": OpenSSL reports "wrong version number".
# Note: Postfix does not implement EXPN or TURN at all, so it answers 500
# (not recognized), not 502.  aiosmtpd drops the connection after 5
# unrecognised commands ("502 5.5.1 Too many unrecognized commands, goodbye.").
#
# Usage (normally run by `make check`, which sets SMTPPROBE, top_srcdir and
# top_builddir):
#   tests/live/e2e.sh                  servers + all smtpprobe assertions
#   tests/live/e2e.sh --servers-only   servers + their checks, no smtpprobe
#   tests/live/e2e.sh --hold           start the servers, print how to run
#                                      smtpprobe against them, wait for ^C
# Environment:
#   SMTPPROBE                    the binary under test (required unless
#                                --servers-only / --hold)
#   SMTPPROBE_E2E_ALLOW_SKIP=1   exit 77 (skip) instead of failing when a
#                                required program is missing or not root
#   SMTPPROBE_E2E_KEEP=1         keep the temp dir (servers are still stopped)
#   SMTPPROBE_E2E_TIMEOUTS       smtpprobe timeout options, default
#                                "--timeout 5 --connect-timeout 2"
#   SMTPPROBE_E2E_WATCHDOG       seconds before the whole run is aborted (75)
#
# Exit status: 0 all assertions passed, 1 some failed (or a requirement is
# missing), 77 skipped (only with SMTPPROBE_E2E_ALLOW_SKIP=1).  Output: one
# "ok N - ..." / "not ok N - ..." line per assertion, then "N passed, M failed".
# The whole run takes about 12 seconds; a watchdog ends it after 75 s.

# make check runs this with $(SHELL), i.e. dash: continue in bash.
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
	echo "e2e.sh: bash is needed" >&2
	exit 1
fi

set -u
export LC_ALL=C
PATH=$PATH:/usr/sbin:/sbin
export PATH

PY=/usr/bin/python3
HERE=$(cd "$(dirname "$0")" && pwd)
if [ -n "${top_srcdir:-}" ] && [ -f "$top_srcdir/tests/live/e2e_util.py" ]; then
	LIVE=$top_srcdir/tests/live
else
	LIVE=$HERE
	top_srcdir=$(cd "$HERE/../.." && pwd)
fi
UTIL=$LIVE/e2e_util.py
CHECK=$LIVE/check_json.py
TIMEOUT_OPTS=${SMTPPROBE_E2E_TIMEOUTS:---timeout 5 --connect-timeout 2}
PROBE_LIMIT=20		# seconds, hard limit for one smtpprobe run
WATCHDOG=${SMTPPROBE_E2E_WATCHDOG:-75}	# seconds, hard limit for the whole script

MODE=full
case ${1:-} in
"") ;;
--servers-only) MODE=servers ;;
--hold) MODE=hold ;;
*) echo "usage: $0 [--servers-only | --hold]" >&2; exit 1 ;;
esac

# ---- TAP-like bookkeeping --------------------------------------------------
N=0
PASS=0
FAIL=0
ok()	{ N=$((N + 1)); PASS=$((PASS + 1)); echo "ok $N - $*"; }
notok()	{ N=$((N + 1)); FAIL=$((FAIL + 1)); echo "not ok $N - $*"; }
diag()	{ echo "# $*"; }
# show a file as diagnostics, at most 60 lines
diag_file() {
	[ -s "$2" ] || { diag "$1: (empty)"; return; }
	diag "$1:"
	head -n 60 "$2" | cut -c1-300 | sed 's/^/#   /'
}
summary() {
	echo "1..$N"
	echo "$PASS passed, $FAIL failed"
}

# ---- requirements ------------------------------------------------------------
missing=
need() {	# need DESCRIPTION TEST...
	local what=$1
	shift
	"$@" >/dev/null 2>&1 || missing="$missing
  - $what"
}
need "/usr/bin/python3 (Debian package python3)" test -x "$PY"
need "Python module aiosmtpd for /usr/bin/python3 (Debian package python3-aiosmtpd)" \
	"$PY" -c 'import aiosmtpd.smtp'
need "nsd (Debian package nsd)" command -v nsd
need "postfix (Debian package postfix)" command -v postfix
need "postconf (Debian package postfix)" command -v postconf
need "dovecot (Debian package dovecot-core)" command -v dovecot
need "setsid (Debian package util-linux)" command -v setsid
need "timeout (Debian package coreutils)" command -v timeout
need "openssl (Debian package openssl)" command -v openssl
need "user 'postfix' and group 'postdrop' (created by the Debian package postfix)" \
	sh -c 'id postfix && getent group postdrop'
# Postfix's master must start as root.  A developer running "make check"
# as an ordinary user gets a clear skip; CI (CI set, as root) never skips.
if [ "$(id -u)" != 0 ] && [ -z "${CI:-}" ] && [ "$MODE" = full ]; then
	echo "SKIP: tests/live/e2e.sh needs root to start its own Postfix:"
	echo "      run 'sudo -E make check' (or 'sudo -E make check TESTS=tests/live/e2e.sh')"
	exit 77
fi
need "root privileges (the Postfix master daemon must start as root: run 'sudo -E make check')" \
	test "$(id -u)" = 0
if [ "$MODE" = full ]; then
	need "the smtpprobe binary: SMTPPROBE=${SMTPPROBE:-(unset)} is not an executable file" \
		test -x "${SMTPPROBE:-/nonexistent}"
fi
SCHEMA=$top_srcdir/contrib/schema.json
if [ "$MODE" = full ] && [ -f "$SCHEMA" ]; then
	need "Python module jsonschema for /usr/bin/python3, to check $SCHEMA (Debian package python3-jsonschema)" \
		"$PY" -c 'import jsonschema'
fi
if [ -n "$missing" ]; then
	if [ "${SMTPPROBE_E2E_ALLOW_SKIP:-0}" = 1 ]; then
		echo "SKIP: tests/live/e2e.sh: missing:$missing"
		exit 77
	fi
	echo "FAIL: tests/live/e2e.sh cannot run, missing:$missing"
	case $missing in
	*"Debian package"*)
		echo "Debian packages used: nsd postfix dovecot-core python3 python3-aiosmtpd python3-jsonschema util-linux coreutils openssl" ;;
	esac
	echo "(set SMTPPROBE_E2E_ALLOW_SKIP=1 to skip this test instead of failing)"
	echo "0 passed, 1 failed"
	exit 1
fi

# ---- work dir, teardown ------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/smtpprobe-e2e.XXXXXX") || { echo "FAIL: mktemp -d"; exit 1; }
# the Postfix daemons run as user postfix and must reach their directories
chmod 755 "$WORK"
NSD_PID=
AIO_PID=
AIO2_PID=
AIO3_PID=
PF_PID=
PF_CONF=
DOVE_PID=
WD_PID=
CHILD_PID=

# alive PID: the process exists and is not a zombie (an exited child of ours
# stays a zombie until the shell reaps it)
alive() {
	local st
	[ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 1
	st=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	st=${st##*) }
	[ "${st%% *}" != Z ]
}
# wait_gone PID SECS: wait until PID is gone or a zombie; false on timeout
wait_gone() {
	local i=0
	while alive "$1" && [ "$i" -lt $(($2 * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	! alive "$1"
}

stop_all() {
	local mpid=
	if alive "$CHILD_PID"; then
		kill -TERM "$CHILD_PID" 2>/dev/null
		wait_gone "$CHILD_PID" 2 || kill -KILL "$CHILD_PID" 2>/dev/null
	fi
	if [ -n "$PF_CONF" ]; then
		[ -r "$WORK/postfix/queue/pid/master.pid" ] &&
			read -r mpid < "$WORK/postfix/queue/pid/master.pid"
		mpid=${mpid// /}
		if alive "$mpid"; then
			# what `postfix stop` does, without its 1 s polling
			kill -TERM "$mpid" 2>/dev/null
			wait_gone "$mpid" 5 || kill -KILL -- "-$mpid" "$mpid" 2>/dev/null
		fi
	fi
	if alive "$DOVE_PID"; then
		kill -TERM "$DOVE_PID" 2>/dev/null
		wait_gone "$DOVE_PID" 3 || kill -KILL -- "-$DOVE_PID" "$DOVE_PID" 2>/dev/null
	fi
	[ -n "$DOVE_PID" ] && kill -KILL -- "-$DOVE_PID" 2>/dev/null
	if alive "$AIO_PID"; then
		kill -TERM "$AIO_PID" 2>/dev/null
		wait_gone "$AIO_PID" 3 || kill -KILL -- "-$AIO_PID" "$AIO_PID" 2>/dev/null
	fi
	if alive "$AIO2_PID"; then
		kill -TERM "$AIO2_PID" 2>/dev/null
		wait_gone "$AIO2_PID" 3 || kill -KILL -- "-$AIO2_PID" "$AIO2_PID" 2>/dev/null
	fi
	if alive "$AIO3_PID"; then
		kill -TERM "$AIO3_PID" 2>/dev/null
		wait_gone "$AIO3_PID" 3 || kill -KILL -- "-$AIO3_PID" "$AIO3_PID" 2>/dev/null
	fi
	if alive "$NSD_PID"; then
		kill -TERM "$NSD_PID" 2>/dev/null
		wait_gone "$NSD_PID" 3 || kill -KILL -- "-$NSD_PID" "$NSD_PID" 2>/dev/null
	fi
	# nsd's and aiosmtpd's sessions (setsid): anything left in them goes too
	[ -n "$NSD_PID" ] && kill -KILL -- "-$NSD_PID" 2>/dev/null
	[ -n "$AIO_PID" ] && kill -KILL -- "-$AIO_PID" 2>/dev/null
	[ -n "$AIO2_PID" ] && kill -KILL -- "-$AIO2_PID" 2>/dev/null
	[ -n "$AIO3_PID" ] && kill -KILL -- "-$AIO3_PID" 2>/dev/null
	if alive "$WD_PID"; then
		kill -TERM "$WD_PID" 2>/dev/null
		wait "$WD_PID" 2>/dev/null
	fi
	NSD_PID='' AIO_PID='' AIO2_PID='' AIO3_PID='' PF_PID='' PF_CONF='' DOVE_PID='' WD_PID='' CHILD_PID=''
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	exec >&3 2>&4
	stop_all
	if [ "${SMTPPROBE_E2E_KEEP:-0}" = 1 ]; then
		echo "# kept $WORK"
	else
		rm -rf "$WORK"
	fi
	exit "$rc"
}
# A trap runs with the redirections of the command it interrupts (such as
# run_bounded ... > file): traps and cleanup write to fds 3 and 4, the
# script's own stdout and stderr.
exec 3>&1 4>&2
trap cleanup EXIT
trap '{ echo "# interrupted"; summary; } >&3 2>&4; exit 1' INT HUP
trap '{ echo "# SIGTERM (from the watchdog after $WATCHDOG s, unless --hold)"; FAIL=$((FAIL + 1)); summary; } >&3 2>&4; exit 1' TERM

if [ "$MODE" != hold ]; then
	# one process, killable by its pid; sends SIGTERM to this script
	"$PY" -c 'import os, signal, sys, time
time.sleep(float(sys.argv[2])); os.kill(int(sys.argv[1]), signal.SIGTERM)' $$ "$WATCHDOG" &
	WD_PID=$!
fi

# run_bounded SECS CMD...: run in the background and wait, so that a signal
# (watchdog, ^C) is handled at once; returns CMD's exit status
run_bounded() {
	local secs=$1 rc
	shift
	timeout "$secs" "$@" &
	CHILD_PID=$!
	wait "$CHILD_PID"
	rc=$?
	CHILD_PID=
	return $rc
}

subst() {	# subst TEMPLATE OUTPUT
	sed -e "s#@WORKDIR@#$WORK/dns#g" -e "s#@PFDIR@#$WORK/postfix#g" -e "s#@TLSDIR@#$TLS#g" \
	    -e "s#@DOVECOTDIR@#$WORK/dovecot#g" \
	    -e "s#@DNSPORT@#$DNSPORT#g" -e "s#@SMTPPORT@#$SMTPPORT#g" "$1" > "$2"
}

# ---- ports -------------------------------------------------------------------
read -r DNSPORT SMTPPORT < <("$PY" "$UTIL" ports) || true
if [ -z "${DNSPORT:-}" ] || [ -z "${SMTPPORT:-}" ]; then
	notok "infra: find free ports on 127.0.0.1-3"
	summary
	exit 1
fi
diag "work dir $WORK; DNS 127.0.0.1:$DNSPORT; SMTP 127.0.0.2:$SMTPPORT (Postfix), 127.0.0.3:$SMTPPORT (aiosmtpd), 127.0.0.4:$SMTPPORT (aiosmtpd, broken STARTTLS), 127.0.0.5:$SMTPPORT (Postfix, implicit TLS), 127.0.0.6:$SMTPPORT (aiosmtpd, injection after STARTTLS)"

# ---- test certificates -------------------------------------------------------------
# DIR/tls: ca.pem/ca.key (CA "smtpprobe e2e test CA") and mx-postfix.pem/.key
# (RSA 2048, CN mx-postfix.e2e.test, SAN DNS:mx-postfix.e2e.test and
# DNS:mx-smtps.e2e.test, 30 days, leaf only), made with a private openssl
# config; tests/tls/mkcerts.sh makes certificates for other names
# (mx.tls.test), so it does not fit here.
TLS=$WORK/tls
mkdir -p "$TLS"
# SHA-256 of a certificate's SubjectPublicKeyInfo (TLSA 3 1 1 data)
spki_sha256() {
	openssl x509 -in "$1" -pubkey -noout | openssl pkey -pubin -outform DER |
		openssl dgst -sha256 -r | cut -d' ' -f1
}
mkcerts() {
	local log=$TLS/openssl.log p1 p2
	cat > "$TLS/openssl.cnf" <<'CNF'
[ req ]
distinguished_name	= req_dn
prompt			= no
[ req_dn ]
CN			= unused
[ v3_ca ]
basicConstraints	= critical, CA:TRUE
keyUsage		= critical, keyCertSign, cRLSign
subjectKeyIdentifier	= hash
[ leaf ]
basicConstraints	= critical, CA:FALSE
keyUsage		= critical, digitalSignature, keyEncipherment
extendedKeyUsage	= serverAuth
subjectAltName		= DNS:mx-postfix.e2e.test, DNS:mx-smtps.e2e.test
subjectKeyIdentifier	= hash
authorityKeyIdentifier	= keyid
CNF
	# RSA key generation dominates: both keys at once
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$TLS/ca.key" 2>> "$log" &
	p1=$!
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$TLS/mx-postfix.key" 2>> "$log" &
	p2=$!
	wait "$p1" && wait "$p2" &&
	openssl req -x509 -new -key "$TLS/ca.key" -subj "/CN=smtpprobe e2e test CA" \
		-days 30 -sha256 -extensions v3_ca -out "$TLS/ca.pem" >> "$log" 2>&1 &&
	openssl req -new -key "$TLS/mx-postfix.key" -subj "/CN=mx-postfix.e2e.test" \
		-out "$TLS/mx-postfix.csr" >> "$log" 2>&1 &&
	openssl x509 -req -in "$TLS/mx-postfix.csr" -CA "$TLS/ca.pem" -CAkey "$TLS/ca.key" \
		-set_serial 4242 -days 30 -sha256 -extfile "$TLS/openssl.cnf" -extensions leaf \
		-out "$TLS/mx-postfix.pem" >> "$log" 2>&1 || return 1
	SPKI_GOOD=$(spki_sha256 "$TLS/mx-postfix.pem") &&
	SPKI_BAD=$(spki_sha256 "$TLS/ca.pem") &&
	CERT_SHA256=$(openssl x509 -in "$TLS/mx-postfix.pem" -outform DER |
		openssl dgst -sha256 -r | cut -d' ' -f1) || return 1
	[ "${#SPKI_GOOD}" = 64 ] && [ "${#SPKI_BAD}" = 64 ] && [ "${#CERT_SHA256}" = 64 ]
}
SPKI_GOOD='' SPKI_BAD='' CERT_SHA256=''
# the system openssl.cnf is never read
if OPENSSL_CONF=$TLS/openssl.cnf mkcerts; then
	ok "infra: test CA and certificate for mx-postfix.e2e.test made with openssl"
else
	notok "infra: test CA and certificate for mx-postfix.e2e.test made with openssl"
	diag_file "openssl" "$TLS/openssl.log"
fi

# ---- start nsd ------------------------------------------------------------------
mkdir -p "$WORK/dns"
cp "$LIVE/e2e.test.zone" "$WORK/dns/e2e.test.zone"
cat >> "$WORK/dns/e2e.test.zone" <<EOF

; appended by e2e.sh: DANE-EE(3) SPKI(1) SHA-256(1) of the Postfix's key
_$SMTPPORT._tcp.mx-postfix	IN TLSA	3 1 1 ${SPKI_GOOD:-00}
; the test CA's key, not the server's: does not match
_$SMTPPORT._tcp.mx-danebad	IN TLSA	3 1 1 ${SPKI_BAD:-00}
EOF
subst "$LIVE/nsd.conf.in" "$WORK/dns/nsd.conf"
setsid nsd -d -c "$WORK/dns/nsd.conf" > "$WORK/dns/nsd.out" 2>&1 < /dev/null &
NSD_PID=$!

# ---- start aiosmtpd ---------------------------------------------------------------
mkdir -p "$WORK/aiosmtpd" "$WORK/infra"
setsid "$PY" "$LIVE/aiosmtpd_server.py" --host 127.0.0.3 --port "$SMTPPORT" \
	--hostname mx-aio.e2e.test --lifetime "$([ "$MODE" = hold ] && echo 86400 || echo 120)" \
	> "$WORK/aiosmtpd/server.out" 2>&1 < /dev/null &
AIO_PID=$!
setsid "$PY" "$LIVE/aiosmtpd_server.py" --host 127.0.0.4 --port "$SMTPPORT" \
	--hostname mx-tlsbroken.e2e.test --lifetime "$([ "$MODE" = hold ] && echo 86400 || echo 120)" \
	--tls-cert "$TLS/mx-postfix.pem" --tls-key "$TLS/mx-postfix.key" --broken-starttls \
	> "$WORK/aiosmtpd/broken.out" 2>&1 < /dev/null &
AIO2_PID=$!
setsid "$PY" "$LIVE/aiosmtpd_server.py" --host 127.0.0.6 --port "$SMTPPORT" \
	--hostname mx-inject.e2e.test --lifetime "$([ "$MODE" = hold ] && echo 86400 || echo 120)" \
	--tls-cert "$TLS/mx-postfix.pem" --tls-key "$TLS/mx-postfix.key" --inject-after-starttls \
	> "$WORK/aiosmtpd/inject.out" 2>&1 < /dev/null &
AIO3_PID=$!

# ---- start Dovecot (auth only: the SASL backend of the AUTH listeners) ---------------
DOVEDIR=$WORK/dovecot
mkdir -p "$DOVEDIR"
cat > "$DOVEDIR/dovecot.conf" <<EOF
# written by tests/live/e2e.sh: no mail protocols, only the auth service
base_dir = $DOVEDIR/run
state_dir = $DOVEDIR/state
log_path = $DOVEDIR/dovecot.log
protocols =
ssl = no
# the listener decides when AUTH is offered (smtpd_tls_auth_only), not Dovecot
disable_plaintext_auth = no
auth_mechanisms = plain login
# never asked: smtpprobe only reads what EHLO advertises
passdb {
  driver = static
  args = password=e2e-never-used
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=/nonexistent
}
service auth {
  unix_listener auth-postfix {
    mode = 0666
  }
}
EOF
setsid dovecot -F -c "$DOVEDIR/dovecot.conf" > "$DOVEDIR/dovecot.out" 2>&1 < /dev/null &
DOVE_PID=$!

# ---- start Postfix ----------------------------------------------------------------
PFDIR=$WORK/postfix
mkdir -p "$PFDIR/etc" "$PFDIR/queue" "$PFDIR/data"
chown postfix:postfix "$PFDIR/data"
subst "$LIVE/main.cf.in" "$PFDIR/etc/main.cf"
subst "$LIVE/master.cf.in" "$PFDIR/etc/master.cf"
PF_CONF=$PFDIR/etc
pf_started=0
# `postfix check` creates the queue subdirectories with the right owners
# `postfix start` returns once the master daemon has initialised (master -w)
if run_bounded 15 postfix -c "$PF_CONF" check > "$PFDIR/check.out" 2>&1 &&
   run_bounded 15 postfix -c "$PF_CONF" start > "$PFDIR/start.out" 2>&1; then
	read -r PF_PID < "$PFDIR/queue/pid/master.pid"
	PF_PID=${PF_PID// /}
	pf_started=1
fi

# ---- wait for the servers -----------------------------------------------------------
run_bounded 12 "$PY" "$UTIL" dns "$DNSPORT" postfix.e2e.test MX 10 "$NSD_PID" \
	> "$WORK/dns/first.out" 2> "$WORK/dns/first.err"
if grep -q '^NOERROR aa ' "$WORK/dns/first.out"; then
	ok "infra: nsd answers authoritatively on 127.0.0.1:$DNSPORT"
else
	notok "infra: nsd answers authoritatively on 127.0.0.1:$DNSPORT"
	diag_file "query" "$WORK/dns/first.out"
	diag_file "query errors" "$WORK/dns/first.err"
	diag_file "nsd log" "$WORK/dns/nsd.log"
	diag_file "nsd stdout/stderr" "$WORK/dns/nsd.out"
	nsd-checkconf "$WORK/dns/nsd.conf" > "$WORK/dns/check.out" 2>&1
	nsd-checkzone e2e.test "$WORK/dns/e2e.test.zone" >> "$WORK/dns/check.out" 2>&1
	diag_file "nsd-checkconf, nsd-checkzone" "$WORK/dns/check.out"
fi

if run_bounded 12 "$PY" "$UTIL" wait-tcp 127.0.0.3 "$SMTPPORT" 10 "$AIO_PID" \
	2> "$WORK/aiosmtpd/wait.out"; then
	ok "infra: aiosmtpd listens on 127.0.0.3:$SMTPPORT"
else
	notok "infra: aiosmtpd listens on 127.0.0.3:$SMTPPORT"
	diag_file "aiosmtpd output" "$WORK/aiosmtpd/server.out"
	diag_file "wait" "$WORK/aiosmtpd/wait.out"
fi

if run_bounded 12 "$PY" "$UTIL" wait-tcp 127.0.0.4 "$SMTPPORT" 10 "$AIO2_PID" \
	2> "$WORK/aiosmtpd/wait-broken.out"; then
	ok "infra: aiosmtpd (broken STARTTLS) listens on 127.0.0.4:$SMTPPORT"
else
	notok "infra: aiosmtpd (broken STARTTLS) listens on 127.0.0.4:$SMTPPORT"
	diag_file "aiosmtpd output" "$WORK/aiosmtpd/broken.out"
	diag_file "wait" "$WORK/aiosmtpd/wait-broken.out"
fi

if run_bounded 12 "$PY" "$UTIL" wait-tcp 127.0.0.6 "$SMTPPORT" 10 "$AIO3_PID" \
	2> "$WORK/aiosmtpd/wait-inject.out"; then
	ok "infra: aiosmtpd (injection after STARTTLS) listens on 127.0.0.6:$SMTPPORT"
else
	notok "infra: aiosmtpd (injection after STARTTLS) listens on 127.0.0.6:$SMTPPORT"
	diag_file "aiosmtpd output" "$WORK/aiosmtpd/inject.out"
	diag_file "wait" "$WORK/aiosmtpd/wait-inject.out"
fi

if [ "$pf_started" = 1 ] && run_bounded 17 "$PY" "$UTIL" wait-tcp 127.0.0.2 "$SMTPPORT" 15 "$PF_PID" \
	2> "$PFDIR/wait.out"; then
	ok "infra: Postfix listens on 127.0.0.2:$SMTPPORT"
else
	notok "infra: Postfix listens on 127.0.0.2:$SMTPPORT"
	diag_file "postfix check" "$PFDIR/check.out"
	diag_file "postfix start" "$PFDIR/start.out"
	diag_file "wait" "$PFDIR/wait.out"
	pf_started=0
	diag_file "Postfix maillog" "$PFDIR/maillog"
	# Postfix writes fatal start-up errors to stderr only when it is a tty
	if command -v script > /dev/null; then
		script -qec "postfix -c '$PF_CONF' check" /dev/null > "$PFDIR/check.tty" 2>&1 < /dev/null
		diag_file "postfix check (on a tty)" "$PFDIR/check.tty"
	fi
fi

# pf_listener_is LABEL IP TAG [PORT]: another smtpd listener of the running
# Postfix, on SMTPPORT unless PORT is given
pf_listener_is() {
	local port=${4:-$SMTPPORT}
	if [ "$pf_started" = 1 ] && run_bounded 12 "$PY" "$UTIL" wait-tcp "$2" "$port" 10 "$PF_PID" \
		2> "$PFDIR/wait-$3.out"; then
		ok "infra: Postfix ($1) listens on $2:$port"
	else
		notok "infra: Postfix ($1) listens on $2:$port"
		diag_file "wait" "$PFDIR/wait-$3.out"
	fi
}
pf_listener_is "implicit TLS" 127.0.0.5 smtps
pf_listener_is "VRFY enabled" 127.0.0.7 vrfy

# the AUTH listeners on their real ports, and Dovecot's auth socket
for _ in 1 2 3 4 5 6 7 8 9 10; do
	[ -S "$DOVEDIR/run/auth-postfix" ] && break
	sleep 0.2
done
if [ -S "$DOVEDIR/run/auth-postfix" ]; then
	ok "infra: Dovecot's auth socket is there"
else
	notok "infra: Dovecot's auth socket is there"
	diag_file "dovecot output" "$DOVEDIR/dovecot.out"
	diag_file "dovecot log" "$DOVEDIR/dovecot.log"
fi
pf_listener_is "AUTH after TLS only" 127.0.0.10 auth-tls 587
pf_listener_is "AUTH before TLS" 127.0.0.11 auth-plain 587
pf_listener_is "MX with AUTH" 127.0.0.12 auth-mx 25
pf_listener_is "587 without TLS" 127.0.0.13 sub-notls 587
pf_listener_is "465 in clear text" 127.0.0.14 sub-465plain 465
pf_listener_is "465 implicit TLS" 127.0.0.15 sub-465 465
pf_listener_is "587 of the 465 host" 127.0.0.15 sub-587 587
pf_listener_is "TLS 1.0 accepted" 127.0.0.16 legacytls
pf_listener_is "TLS 1.2 and newer" 127.0.0.17 stricttls

# ---- check the servers with Python, independently of smtpprobe --------------------------
dns_is() {	# dns_is NAME TYPE EXPECTED-ANSWER-LINE
	local got
	got=$("$PY" "$UTIL" dns "$DNSPORT" "$1" "$2" 2>&1)
	if [ "$got" = "$3" ]; then
		ok "infra: DNS $1 $2 -> $3"
	else
		notok "infra: DNS $1 $2 -> $3"
		diag "  got: $got"
	fi
}
dns_is postfix.e2e.test	MX	"NOERROR aa 10 mx-postfix.e2e.test."
dns_is mx-postfix.e2e.test A	"NOERROR aa 127.0.0.2"
dns_is aiosmtpd.e2e.test MX	"NOERROR aa 10 mx-aio.e2e.test."
dns_is mx-aio.e2e.test	A	"NOERROR aa 127.0.0.3"
dns_is nullmx.e2e.test	MX	"NOERROR aa 0 ."
dns_is implicit.e2e.test MX	"NOERROR aa"
dns_is implicit.e2e.test A	"NOERROR aa 127.0.0.2"
dns_is nxdomain.e2e.test MX	"NXDOMAIN aa"
dns_is cname.e2e.test	MX	"NOERROR aa 10 alias.e2e.test."
dns_is alias.e2e.test	A	"NOERROR aa mx-postfix.e2e.test. 127.0.0.2"
dns_is multi.e2e.test	MX	"NOERROR aa 10 dead.e2e.test. 20 mx-postfix.e2e.test."
dns_is dead.e2e.test	A	"NOERROR aa 127.0.0.9"
dns_is noaddr.e2e.test	MX	"NOERROR aa 10 nowhere.e2e.test."
dns_is nowhere.e2e.test	A	"NXDOMAIN aa"
dns_is "_$SMTPPORT._tcp.mx-postfix.e2e.test" TLSA "NOERROR aa 3 1 1 $SPKI_GOOD"
dns_is dane-bad.e2e.test MX	"NOERROR aa 10 mx-danebad.e2e.test."
dns_is mx-danebad.e2e.test A	"NOERROR aa 127.0.0.2"
dns_is "_$SMTPPORT._tcp.mx-danebad.e2e.test" TLSA "NOERROR aa 3 1 1 $SPKI_BAD"
dns_is tlsbroken.e2e.test MX	"NOERROR aa 10 mx-tlsbroken.e2e.test."
dns_is mx-tlsbroken.e2e.test A	"NOERROR aa 127.0.0.4"
dns_is smtps.e2e.test	MX	"NOERROR aa 10 mx-smtps.e2e.test."
dns_is mx-smtps.e2e.test A	"NOERROR aa 127.0.0.5"
dns_is inject.e2e.test	MX	"NOERROR aa 10 mx-inject.e2e.test."
dns_is mx-inject.e2e.test A	"NOERROR aa 127.0.0.6"
dns_is vrfy.e2e.test	MX	"NOERROR aa 10 mx-vrfy.e2e.test."
dns_is mx-vrfy.e2e.test	A	"NOERROR aa 127.0.0.7"
dns_is sub-authonly.e2e.test A	"NOERROR aa 127.0.0.10"
dns_is sub-authplain.e2e.test A	"NOERROR aa 127.0.0.11"
dns_is mx-auth.e2e.test	MX	"NOERROR aa 10 mx-mxauth.e2e.test."
dns_is mx-mxauth.e2e.test A	"NOERROR aa 127.0.0.12"
dns_is sub-notls.e2e.test A	"NOERROR aa 127.0.0.13"
dns_is sub-465plain.e2e.test A	"NOERROR aa 127.0.0.14"
dns_is sub-465.e2e.test	A	"NOERROR aa 127.0.0.15"
dns_is mx-legacytls.e2e.test A	"NOERROR aa 127.0.0.16"
dns_is mx-stricttls.e2e.test A	"NOERROR aa 127.0.0.17"
dns_is submission.e2e.test MX	"NOERROR aa 10 sub-465.e2e.test."

smtp_is() {	# smtp_is LABEL IP EXPECTED-LINE-PREFIX...
	local label=$1 ip=$2 out=$WORK/infra/smtp-$1.out want line
	shift 2
	run_bounded 15 "$PY" "$UTIL" smtp "$ip" "${PORT:-$SMTPPORT}" > "$out" 2>&1
	for want in "$@"; do
		line=$(grep -m1 "^${want%% *} " "$out")
		case $line in
		"$want"*) ok "infra: $label says: $want" ;;
		*) notok "infra: $label says: $want"; diag "  got: ${line:-$(head -c 300 "$out")}" ;;
		esac
	done
}
# Postfix 3.7, disable_vrfy_command = yes
smtp_is Postfix 127.0.0.2 \
	"BANNER 220 mx-postfix.e2e.test ESMTP smtpprobe-e2e" \
	"EHLO 250 mx-postfix.e2e.test | PIPELINING | SIZE 10240000 | ETRN | STARTTLS |" \
	"VRFY 502 5.5.1 VRFY command is disabled" \
	"EXPN 500 5.5.2 Error: command not recognized" \
	"TURN 500 5.5.2 Error: command not recognized" \
	"ETRN 459 <e2e.test>: service unavailable" \
	"HELP 500 5.5.2 Error: command not recognized" \
	"NOOP 250 2.0.0 Ok" \
	"QUIT 221 2.0.0 Bye"
# the same Postfix's 127.0.0.7 listener: VRFY enabled (disable_vrfy_command
# = no, the default) with a local recipient table that knows postmaster:
# 252 to a known name, 550 5.1.1 to an unknown one (smtpd.c vrfy_cmd)
smtp_is "Postfix (VRFY enabled)" 127.0.0.7 \
	"BANNER 220 mx-postfix.e2e.test ESMTP smtpprobe-e2e" \
	"VRFY 252 2.0.0 postmaster" \
	"VRFY-UNKNOWN 550 5.1.1 <nosuchuser@vrfy.e2e.test>: Recipient address rejected: User unknown in local recipient table"
# aiosmtpd 1.4.3 as shipped
smtp_is aiosmtpd 127.0.0.3 \
	"BANNER 220 mx-aio.e2e.test smtpprobe-e2e aiosmtpd" \
	"EHLO 250 mx-aio.e2e.test | SIZE 33554432 | 8BITMIME | HELP" \
	"VRFY 252 Cannot VRFY user, but will accept message and attempt delivery" \
	"EXPN 502 EXPN not implemented" \
	"TURN 500 Error: command \"TURN\" not recognized" \
	"ETRN 500 Error: command \"ETRN\" not recognized" \
	"HELP 250 Supported commands:" \
	"NOOP 250 OK" \
	"QUIT 221 Bye"

# starttls_is LABEL IP NAME EXPECTED-LINE-PREFIX...: STARTTLS with Python's
# ssl, the chain checked against the test CA, NAME as SNI and checked name
# (smtps_is: the same with implicit TLS)
starttls_is() {
	local how=${HOW:-starttls} label=$1 ip=$2 name=$3 out want line
	shift 3
	out=$WORK/infra/$how-${label// /_}.out
	run_bounded 15 "$PY" "$UTIL" "$how" "$ip" "${PORT:-$SMTPPORT}" "$TLS/ca.pem" "$name" > "$out" 2>&1
	for want in "$@"; do
		line=$(grep -m1 "^${want%% *} " "$out")
		case $line in
		"$want"*) ok "infra: $label $how: $want" ;;
		*) notok "infra: $label $how: $want"; diag "  got: ${line:-$(head -c 300 "$out")}" ;;
		esac
	done
}
smtps_is() { HOW=smtps starttls_is "$@"; }
starttls_is Postfix 127.0.0.2 mx-postfix.e2e.test \
	"STARTTLS 220 2.0.0 Ready to start TLS" \
	"TLS TLSv1." \
	"EHLO 250 mx-postfix.e2e.test | PIPELINING | SIZE 10240000 | ETRN | ENHANCEDSTATUSCODES |"
starttls_is "Postfix (as mx-danebad)" 127.0.0.2 mx-danebad.e2e.test \
	"STARTTLS 220 2.0.0 Ready to start TLS" \
	"TLS-ERROR [SSL: CERTIFICATE_VERIFY_FAILED]"
starttls_is "aiosmtpd (broken STARTTLS)" 127.0.0.4 mx-postfix.e2e.test \
	"STARTTLS 220 Ready to start TLS" \
	"TLS-ERROR [SSL:"
smtps_is "Postfix (implicit TLS)" 127.0.0.5 mx-smtps.e2e.test \
	"TLS TLSv1." \
	"BANNER 220 mx-postfix.e2e.test ESMTP smtpprobe-e2e" \
	"EHLO 250 mx-postfix.e2e.test | PIPELINING | SIZE 10240000 | ETRN | ENHANCEDSTATUSCODES |"
# Python's smtplib reads the 220 with a buffered file and discards the rest
# when it wraps the socket, so the handshake works for it as well.  Inside
# TLS aiosmtpd 1.4 advertises AUTH (with no authenticator configured).
starttls_is "aiosmtpd (injection after STARTTLS)" 127.0.0.6 mx-postfix.e2e.test \
	"STARTTLS 220 Ready to start TLS" \
	"TLS TLSv1." \
	"EHLO 250 mx-inject.e2e.test | SIZE 33554432 | 8BITMIME | AUTH LOGIN PLAIN | HELP"
smtp_is "aiosmtpd (broken STARTTLS)" 127.0.0.4 \
	"BANNER 220 mx-tlsbroken.e2e.test smtpprobe-e2e aiosmtpd" \
	"EHLO 250 mx-tlsbroken.e2e.test | SIZE 33554432 | 8BITMIME | STARTTLS | HELP" \
	"VRFY 252 Cannot VRFY user"

# Postfix 3.7 with Dovecot SASL: AUTH PLAIN LOGIN (Dovecot's mechanisms),
# before TLS only where smtpd_tls_auth_only = no, and inside TLS everywhere
PORT=587 smtp_is "Postfix (AUTH after TLS only)" 127.0.0.10 \
	"EHLO 250 mx-postfix.e2e.test | PIPELINING | SIZE 10240000 | ETRN | STARTTLS | ENHANCEDSTATUSCODES |"
PORT=587 starttls_is "Postfix (AUTH after TLS only)" 127.0.0.10 mx-postfix.e2e.test \
	"EHLO 250 mx-postfix.e2e.test | PIPELINING | SIZE 10240000 | ETRN | AUTH PLAIN LOGIN | ENHANCEDSTATUSCODES |"
PORT=587 smtp_is "Postfix (AUTH before TLS)" 127.0.0.11 \
	"EHLO 250 mx-postfix.e2e.test | PIPELINING | SIZE 10240000 | ETRN | STARTTLS | AUTH PLAIN LOGIN | ENHANCEDSTATUSCODES |"
PORT=25 smtp_is "Postfix (MX with AUTH)" 127.0.0.12 \
	"EHLO 250 mx-postfix.e2e.test | PIPELINING | SIZE 10240000 | ETRN | STARTTLS | AUTH PLAIN LOGIN | ENHANCEDSTATUSCODES |"

if [ "$MODE" = hold ]; then
	echo "# servers are up; for example:"
	echo "#   ${SMTPPROBE:-smtpprobe} --dns-server 127.0.0.1:$DNSPORT -p $SMTPPORT $TIMEOUT_OPTS --format json postfix.e2e.test"
	echo "# domains: postfix aiosmtpd nullmx implicit nxdomain cname multi noaddr dane-bad tlsbroken smtps inject (.e2e.test, smtps with --smtps)"
	echo "# AUTH: sub-authonly.e2e.test:587 sub-authplain.e2e.test:587; mx-auth.e2e.test with -p 25"
	echo "# submission: sub-notls.e2e.test:587 sub-465plain.e2e.test:465 sub-465.e2e.test:465"
	echo "# test CA: $TLS/ca.pem (--cafile)"
	echo "# Postfix log: $PFDIR/maillog; ^C to stop everything"
	while :; do sleep 1; done
fi

if [ "$MODE" = servers ]; then
	summary
	[ "$FAIL" -eq 0 ]
	exit $?
fi

# ---- smtpprobe --------------------------------------------------------------------
# probe NAME FORMAT TARGET...: run smtpprobe, output in $PROBE_DIR/NAME.{out,err},
# exit status in $RC
PROBE_DIR=$WORK/probe
mkdir -p "$PROBE_DIR"
RC=
probe() {
	local name=$1 fmt=$2
	shift 2
	# shellcheck disable=SC2086  # TIMEOUT_OPTS is a list of options
	run_bounded "$PROBE_LIMIT" "$SMTPPROBE" --dns-server "127.0.0.1:$DNSPORT" \
		-p "$SMTPPORT" --helo probe.e2e.test $TIMEOUT_OPTS --format "$fmt" "$@" \
		> "$PROBE_DIR/$name.out" 2> "$PROBE_DIR/$name.err" < /dev/null
	RC=$?
	if [ "$RC" = 124 ]; then
		diag "$name: smtpprobe killed after $PROBE_LIMIT s"
	fi
}

# json NAME [check_json.py options] < SPECS: run the assertions on $PROBE_DIR/NAME.out
json() {
	local name=$1 out line got=0
	shift
	out=$PROBE_DIR/$name.check
	"$PY" "$CHECK" --name "$name" "$@" "$PROBE_DIR/$name.out" > "$out" 2>&1
	while IFS= read -r line; do
		case $line in
		"ok - "*) ok "${line#ok - }"; got=1 ;;
		"not ok - "*) notok "${line#not ok - }"; got=1 ;;
		*) echo "$line" ;;
		esac
	done < "$out"
	[ "$got" = 1 ] || notok "$name: check_json.py produced no result"
}

exit_is() {	# exit_is NAME WANT
	if [ "$RC" = "$2" ]; then
		ok "$1: exit status $2"
	else
		notok "$1: exit status $2"
		diag "  got: $RC"
	fi
}

# show_on_failure NAME FAILS-BEFORE: dump smtpprobe's output if the case failed
show_on_failure() {
	if [ "$FAIL" -gt "$2" ]; then
		diag "$1: smtpprobe exit status $RC"
		diag_file "$1: stdout" "$PROBE_DIR/$1.out"
		diag_file "$1: stderr" "$PROBE_DIR/$1.err"
	fi
}

schema_opt=()
[ -f "$SCHEMA" ] && schema_opt=(--schema "$SCHEMA")

# -- a real Postfix: VRFY disabled (502), EXPN and TURN unknown to it (500);
# STARTTLS with the system trust store (no --cafile): the test CA is unknown,
# so the chain does not verify, and the probe goes on inside TLS all the same
f0=$FAIL
probe postfix json postfix.e2e.test
exit_is postfix 0
json postfix --doc <<'EOF'
. len 1
EOF
json postfix --target postfix.e2e.test "${schema_opt[@]}" <<EOF
schema == "smtpprobe/2"
target == "postfix.e2e.test"
started is string
duration_ms >= 0
dns.rcode == "NOERROR"
dns.error empty
dns.null_mx falsy
dns.implicit_mx falsy
dns.mx len 1
dns.mx[0].preference == 10
dns.mx[0].host == "mx-postfix.e2e.test"
dns.mx[0].addresses == ["127.0.0.2"]
dns.mx[0].cname falsy
findings[*].id !contains "mx-is-cname"
hosts len 1
hosts[0].mx == "mx-postfix.e2e.test"
hosts[0].preference == 10
hosts[0].address == "127.0.0.2"
hosts[0].port == $SMTPPORT
hosts[0].connect.ok == true
hosts[0].connect.ms >= 0
hosts[0].connect.error empty
hosts[0].banner.code == 220
hosts[0].banner.text contains "mx-postfix.e2e.test ESMTP smtpprobe-e2e"
hosts[0].ehlo.code == 250
hosts[0].ehlo.extensions contains "PIPELINING"
hosts[0].ehlo.extensions contains "ENHANCEDSTATUSCODES"
hosts[0].ehlo.extensions contains "ETRN"
hosts[0].ehlo.extensions.SIZE == ["10240000"]
hosts[0].ehlo.extensions contains "STARTTLS"
hosts[0].tls.offered == true
hosts[0].tls.attempted == true
hosts[0].tls.ok == true
hosts[0].tls.fallback falsy
hosts[0].tls.version startswith "TLSv1."
hosts[0].tls.peer_certificate.subject contains "mx-postfix.e2e.test"
hosts[0].tls.verify.chain_ok == false
hosts[0].tls.verify.chain_error contains "unable to get local issuer certificate"
hosts[0].tls.verify.name_ok == true
hosts[0].tls.dane.matched_count == 1
findings[*].id contains "cert-untrusted"
findings[*].id !contains "cert-name-mismatch"
findings[*].id !contains "dane-mismatch"
findings[*].id !contains "starttls-missing"
findings[*].id !contains "starttls-unusable"
hosts[0].commands.VRFY.tls == true
hosts[0].commands.VRFY.code == 502
hosts[0].commands.VRFY.enhanced == "5.5.1"
hosts[0].commands.VRFY.text contains "VRFY command is disabled"
hosts[0].commands.VRFY.status == "not_implemented"
hosts[0].commands.VRFY.advice contains "RCPT TO"
hosts[0].commands.VRFY.ms >= 0
hosts[0].commands.EXPN.code == 500
hosts[0].commands.EXPN.enhanced == "5.5.2"
hosts[0].commands.EXPN.text contains "command not recognized"
hosts[0].commands.EXPN.status == "not_recognized"
hosts[0].commands.EXPN.advice nonempty
hosts[0].commands.TURN.code == 500
hosts[0].commands.TURN.enhanced == "5.5.2"
hosts[0].commands.TURN.status == "not_recognized"
hosts[0].commands.TURN.advice contains "ETRN"
hosts[0].commands.TURN.tls == true
hosts[0].error empty
EOF
show_on_failure postfix "$f0"

# -- the same Postfix's second listener (127.0.0.7, master.cf.in), VRFY
# enabled with a local recipient table: 252 to postmaster, and the control
# VRFY smtpprobe-<random>@vrfy.e2e.test gets 550 5.1.1, so the answer tells
# which mailboxes exist (issue 9): status enumerable, finding vrfy-enabled.
# -v: the transcript shows both VRFY lines.
f0=$FAIL
probe postfix-vrfy json -v postfix.e2e.test vrfy.e2e.test
exit_is postfix-vrfy 0
json postfix-vrfy --target vrfy.e2e.test "${schema_opt[@]}" <<EOF
hosts len 1
hosts[0].address == "127.0.0.7"
hosts[0].commands.VRFY.arg == "postmaster"
hosts[0].commands.VRFY.code == 252
hosts[0].commands.VRFY.enhanced == "2.0.0"
hosts[0].commands.VRFY.text == "2.0.0 postmaster"
hosts[0].commands.VRFY.status == "enumerable"
hosts[0].commands.VRFY.advice contains "disable_vrfy_command = yes"
hosts[0].commands.VRFY.control.arg startswith "smtpprobe-"
hosts[0].commands.VRFY.control.arg contains "@vrfy.e2e.test"
hosts[0].commands.VRFY.control.code == 550
hosts[0].commands.VRFY.control.enhanced == "5.1.1"
hosts[0].commands.VRFY.control.text contains "User unknown in local recipient table"
hosts[0].commands.VRFY.control.status == "unknown_mailbox"
hosts[0].transcript contains "-> VRFY postmaster"
hosts[0].transcript contains "<- 252 2.0.0 postmaster"
findings[id=vrfy-enabled].severity == "medium"
findings[id=vrfy-enabled].message contains "VRFY answered 252 2.0.0 to postmaster and 550 5.1.1 to the made-up smtpprobe-"
findings[id=vrfy-enabled].advice contains "disable_vrfy_command = yes"
findings[*].id !contains "vrfy-noncompliant"
EOF
# ... and in the same run the listener with VRFY disabled: no control
# (502 decides alone), no vrfy-enabled
json postfix-vrfy --target postfix.e2e.test <<EOF
hosts[0].commands.VRFY.code == 502
hosts[0].commands.VRFY.status == "not_implemented"
hosts[0].commands.VRFY.control == null
findings[*].id !contains "vrfy-enabled"
EOF
# the text report: the --wide matrix names the verdict, -v shows both VRFY lines
probe postfix-vrfy-text text -v --wide --color=never vrfy.e2e.test
exit_is postfix-vrfy-text 0
for want in ' 252 enumerable ' '-> VRFY postmaster' '<- 252 2.0.0 postmaster' \
	'-> VRFY smtpprobe-' '<- 550 5.1.1 <smtpprobe-'; do
	if grep -qF -- "$want" "$PROBE_DIR/postfix-vrfy-text.out"; then
		ok "postfix-vrfy-text: output contains '$want'"
	else
		notok "postfix-vrfy-text: output contains '$want'"
	fi
done
# --no-vrfy-control: only VRFY postmaster, whose 252 alone is cannot_verify
probe postfix-vrfy-nocontrol json --no-vrfy-control vrfy.e2e.test
exit_is postfix-vrfy-nocontrol 0
json postfix-vrfy-nocontrol --target vrfy.e2e.test <<EOF
hosts[0].commands.VRFY.code == 252
hosts[0].commands.VRFY.status == "cannot_verify"
hosts[0].commands.VRFY.control == null
findings[*].id !contains "vrfy-enabled"
EOF
# --expect VRFY=off is broken by the enumerable server (exit 1)
probe postfix-vrfy-expect json --expect VRFY=off vrfy.e2e.test
exit_is postfix-vrfy-expect 1
show_on_failure postfix-vrfy "$f0"

# -- the same Postfix, its CA given with --cafile: everything verifies, the
# TLSA record (DANE-EE, SPKI, SHA-256) matches, and every command runs in TLS
f0=$FAIL
probe postfix-tls json --cafile "$TLS/ca.pem" postfix.e2e.test
exit_is postfix-tls 0
json postfix-tls --target postfix.e2e.test "${schema_opt[@]}" <<EOF
hosts len 1
hosts[0].address == "127.0.0.2"
hosts[0].ehlo.extensions contains "STARTTLS"
hosts[0].tls.offered == true
hosts[0].tls.implicit falsy
hosts[0].tls.attempted == true
hosts[0].tls.starttls.code == 220
hosts[0].tls.starttls.text contains "Ready to start TLS"
hosts[0].tls.ok == true
hosts[0].tls.handshake_ms >= 0
hosts[0].tls.version startswith "TLSv1."
hosts[0].tls.cipher nonempty
hosts[0].tls.group nonempty
hosts[0].tls.error empty
hosts[0].tls.injection falsy
hosts[0].tls.fallback falsy
hosts[0].tls.peer_certificate.subject contains "mx-postfix.e2e.test"
hosts[0].tls.peer_certificate.issuer contains "smtpprobe e2e test CA"
hosts[0].tls.peer_certificate.sans == ["DNS:mx-postfix.e2e.test", "DNS:mx-smtps.e2e.test"]
hosts[0].tls.peer_certificate.not_before is string
hosts[0].tls.peer_certificate.not_after is string
hosts[0].tls.peer_certificate.days_left >= 29
hosts[0].tls.peer_certificate.days_left <= 30
hosts[0].tls.peer_certificate.key_type == "RSA"
hosts[0].tls.peer_certificate.key_bits == 2048
hosts[0].tls.peer_certificate.signature_algorithm == "sha256WithRSAEncryption"
hosts[0].tls.peer_certificate.sha256 == "$CERT_SHA256"
hosts[0].tls.peer_certificate.self_signed == false
hosts[0].tls.chain_length == 1
hosts[0].tls.verify.chain_ok == true
hosts[0].tls.verify.chain_error empty
hosts[0].tls.verify.name == "mx-postfix.e2e.test"
hosts[0].tls.verify.name_ok == true
hosts[0].tls.ehlo_after.code == 250
hosts[0].tls.ehlo_after.extensions contains "PIPELINING"
hosts[0].tls.ehlo_after.extensions contains "ETRN"
hosts[0].tls.ehlo_after.extensions !contains "STARTTLS"
hosts[0].tls.ehlo_diff.removed contains "STARTTLS"
hosts[0].tls.ehlo_diff.added empty
hosts[0].tls.ehlo_diff.changed empty
hosts[0].tls.dane.records len 1
hosts[0].tls.dane.records[0].usage == 3
hosts[0].tls.dane.records[0].selector == 1
hosts[0].tls.dane.records[0].matching_type == 1
hosts[0].tls.dane.records[0].data == "$SPKI_GOOD"
hosts[0].tls.dane.records[0].matched truthy
hosts[0].tls.dane.ad falsy
hosts[0].tls.dane.matched_count == 1
findings[*].id !contains "cert-untrusted"
findings[*].id !contains "cert-name-mismatch"
findings[*].id !contains "cert-expired"
findings[*].id !contains "cert-expiring"
findings[*].id !contains "tls-version-old"
findings[*].id !contains "dane-mismatch"
findings[*].id !contains "starttls-injection"
findings[*].id contains "dane-not-validated"
hosts[0].commands.VRFY.code == 502
hosts[0].commands.VRFY.tls == true
hosts[0].commands.EXPN.code == 500
hosts[0].commands.EXPN.tls == true
hosts[0].commands.TURN.tls == true
hosts[0].error empty
EOF
show_on_failure postfix-tls "$f0"

# -- the same Postfix under a name whose TLSA record does not match its key
# (and which its certificate does not cover)
f0=$FAIL
probe dane-bad json --cafile "$TLS/ca.pem" dane-bad.e2e.test
exit_is dane-bad 0
json dane-bad --target dane-bad.e2e.test "${schema_opt[@]}" <<EOF
dns.mx[0].host == "mx-danebad.e2e.test"
hosts len 1
hosts[0].address == "127.0.0.2"
hosts[0].tls.ok == true
hosts[0].tls.verify.chain_ok == true
hosts[0].tls.verify.name == "mx-danebad.e2e.test"
hosts[0].tls.verify.name_ok == false
hosts[0].tls.dane.records len 1
hosts[0].tls.dane.records[0].usage == 3
hosts[0].tls.dane.records[0].data == "$SPKI_BAD"
hosts[0].tls.dane.records[0].matched falsy
hosts[0].tls.dane.matched_count == 0
findings[*].id contains "dane-mismatch"
findings[*].id contains "cert-name-mismatch"
findings[*].id !contains "cert-untrusted"
hosts[0].commands.VRFY.code == 502
hosts[0].commands.VRFY.tls == true
EOF
show_on_failure dane-bad "$f0"

# -- --no-starttls: offered, not used; the commands run in plaintext
f0=$FAIL
probe no-starttls json --no-starttls postfix.e2e.test
exit_is no-starttls 0
json no-starttls --target postfix.e2e.test "${schema_opt[@]}" <<'EOF'
hosts[0].ehlo.extensions contains "STARTTLS"
hosts[0].tls.offered == true
hosts[0].tls.attempted == false
hosts[0].tls.ok falsy
hosts[0].tls.version empty
hosts[0].tls.peer_certificate empty
hosts[0].tls.fallback falsy
findings[*].id !contains "starttls-missing"
findings[*].id !contains "starttls-unusable"
hosts[0].commands.VRFY.code == 502
hosts[0].commands.VRFY.tls == false
hosts[0].commands.EXPN.tls == false
hosts[0].commands.TURN.tls == false
EOF
show_on_failure no-starttls "$f0"

# -- STARTTLS offered and answered 220, then plaintext instead of a TLS
# handshake: the probe reconnects and runs the commands in plaintext
f0=$FAIL
probe tlsbroken json -v tlsbroken.e2e.test
exit_is tlsbroken 0
json tlsbroken --target tlsbroken.e2e.test "${schema_opt[@]}" <<'EOF'
hosts len 1
hosts[0].address == "127.0.0.4"
hosts[0].connect.ok == true
hosts[0].banner.code == 220
hosts[0].banner.text contains "mx-tlsbroken.e2e.test"
hosts[0].ehlo.extensions contains "STARTTLS"
hosts[0].tls.offered == true
hosts[0].tls.attempted == true
hosts[0].tls.starttls.code == 220
hosts[0].tls.ok == false
hosts[0].tls.error nonempty
hosts[0].tls.fallback == true
hosts[0].tls.version empty
hosts[0].tls.peer_certificate empty
hosts[0].transcript contains "-> STARTTLS"
findings[*].id contains "starttls-unusable"
findings[*].id !contains "starttls-missing"
hosts[0].commands.VRFY.code == 252
hosts[0].commands.VRFY.status == "cannot_verify"
hosts[0].commands.VRFY.tls == false
hosts[0].commands.EXPN.code == 502
hosts[0].commands.EXPN.tls == false
hosts[0].commands.TURN.code == 500
hosts[0].commands.TURN.tls == false
hosts[0].quit.code == 221
hosts[0].error empty
EOF
# two sessions: the banner twice, EHLO twice, STARTTLS once
tr=$("$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))["targets"][0]
t = d["hosts"][0].get("transcript") or []
t = t if isinstance(t, list) else t.split("\n")
print(sum(1 for l in t if l.startswith("<- 220 mx-tlsbroken")),
      sum(1 for l in t if l.startswith("-> EHLO")),
      sum(1 for l in t if l == "-> STARTTLS"))' "$PROBE_DIR/tlsbroken.out" 2>&1)
if [ "$tr" = "2 2 1" ]; then
	ok "tlsbroken: transcript has 2 banners, 2 EHLO, 1 STARTTLS (a plaintext reconnect)"
else
	notok "tlsbroken: transcript has 2 banners, 2 EHLO, 1 STARTTLS (a plaintext reconnect)"
	diag "  got: $tr"
fi
show_on_failure tlsbroken "$f0"

# -- stock aiosmtpd: VRFY 252, EXPN 502, TURN 500
f0=$FAIL
probe aiosmtpd json aiosmtpd.e2e.test
exit_is aiosmtpd 0
json aiosmtpd --target aiosmtpd.e2e.test "${schema_opt[@]}" <<EOF
schema == "smtpprobe/2"
dns.mx len 1
dns.mx[0].preference == 10
dns.mx[0].host == "mx-aio.e2e.test"
hosts len 1
hosts[0].address == "127.0.0.3"
hosts[0].port == $SMTPPORT
hosts[0].connect.ok == true
hosts[0].banner.code == 220
hosts[0].banner.text contains "mx-aio.e2e.test"
hosts[0].ehlo.code == 250
hosts[0].ehlo.extensions contains "8BITMIME"
hosts[0].ehlo.extensions contains "HELP"
hosts[0].ehlo.extensions.SIZE == ["33554432"]
hosts[0].ehlo.extensions !contains "PIPELINING"
hosts[0].ehlo.extensions !contains "STARTTLS"
hosts[0].tls.offered == false
hosts[0].tls.attempted == false
hosts[0].tls.ok falsy
findings[*].id contains "starttls-missing"
hosts[0].commands.VRFY.tls == false
hosts[0].commands.VRFY.code == 252
hosts[0].commands.VRFY.enhanced falsy
hosts[0].commands.VRFY.text contains "Cannot VRFY user"
hosts[0].commands.VRFY.status == "cannot_verify"
hosts[0].commands.VRFY.advice nonempty
hosts[0].commands.EXPN.code == 502
hosts[0].commands.EXPN.text contains "EXPN not implemented"
hosts[0].commands.EXPN.status == "not_implemented"
hosts[0].commands.TURN.code == 500
hosts[0].commands.TURN.text contains "not recognized"
hosts[0].commands.TURN.status == "not_recognized"
hosts[0].error empty
EOF
show_on_failure aiosmtpd "$f0"

# -- null MX (RFC 7505): reported, never probed
f0=$FAIL
probe nullmx json nullmx.e2e.test
exit_is nullmx 0
json nullmx --target nullmx.e2e.test "${schema_opt[@]}" <<'EOF'
dns.rcode == "NOERROR"
dns.null_mx == true
dns.implicit_mx falsy
hosts empty
EOF
show_on_failure nullmx "$f0"

# -- no MX: implicit MX (RFC 5321 5.1), the domain's A record is the host
f0=$FAIL
probe implicit json implicit.e2e.test
exit_is implicit 0
json implicit --target implicit.e2e.test "${schema_opt[@]}" <<'EOF'
dns.implicit_mx == true
dns.null_mx falsy
hosts len 1
hosts[0].mx == "implicit.e2e.test"
hosts[0].address == "127.0.0.2"
hosts[0].connect.ok == true
hosts[0].banner.code == 220
hosts[0].tls.ok == true
hosts[0].tls.verify.name == "implicit.e2e.test"
hosts[0].tls.verify.name_ok == false
hosts[0].tls.dane.records empty
findings[*].id contains "cert-name-mismatch"
findings[*].id contains "cert-untrusted"
hosts[0].commands.VRFY.code == 502
hosts[0].commands.VRFY.status == "not_implemented"
EOF
show_on_failure implicit "$f0"

# -- NXDOMAIN: permanent DNS failure, exit 2
f0=$FAIL
probe nxdomain json nxdomain.e2e.test
exit_is nxdomain 2
json nxdomain --target nxdomain.e2e.test "${schema_opt[@]}" <<'EOF'
dns.rcode == "NXDOMAIN"
dns.error nonempty
dns.null_mx falsy
dns.implicit_mx falsy
hosts empty
EOF
show_on_failure nxdomain "$f0"

# -- the MX target is a CNAME: flagged, still probed
f0=$FAIL
probe cname json cname.e2e.test
exit_is cname 0
json cname --target cname.e2e.test "${schema_opt[@]}" <<'EOF'
dns.mx[0].host == "alias.e2e.test"
dns.mx[0].cname == true
findings[*].id contains "mx-is-cname"
hosts len 1
hosts[0].address == "127.0.0.2"
hosts[0].connect.ok == true
hosts[0].commands.VRFY.code == 502
hosts[0].commands.VRFY.status == "not_implemented"
EOF
show_on_failure cname "$f0"

# -- first MX dead (connection refused on 127.0.0.9), second MX is the Postfix
f0=$FAIL
probe multi json multi.e2e.test
exit_is multi 0
json multi --target multi.e2e.test "${schema_opt[@]}" <<'EOF'
dns.mx len 2
dns.mx[0].preference == 10
dns.mx[0].host == "dead.e2e.test"
dns.mx[1].preference == 20
dns.mx[1].host == "mx-postfix.e2e.test"
hosts len 2
hosts[*].address sameset ["127.0.0.9", "127.0.0.2"]
hosts[address=127.0.0.9].mx == "dead.e2e.test"
hosts[address=127.0.0.9].connect.ok == false
hosts[address=127.0.0.9].connect.error nonempty
hosts[address=127.0.0.2].mx == "mx-postfix.e2e.test"
hosts[address=127.0.0.2].preference == 20
hosts[address=127.0.0.2].connect.ok == true
hosts[address=127.0.0.2].commands.VRFY.code == 502
hosts[address=127.0.0.2].commands.VRFY.status == "not_implemented"
EOF
show_on_failure multi "$f0"

# -- the only MX host has no address records: nothing to probe, exit 2
f0=$FAIL
probe noaddr json noaddr.e2e.test
exit_is noaddr 2
json noaddr --target noaddr.e2e.test "${schema_opt[@]}" <<'EOF'
dns.mx len 1
dns.mx[0].host == "nowhere.e2e.test"
dns.mx[0].addresses empty
dns.mx[0].error|dns.error|hosts[*].error|findings nonempty
hosts[*].connect.ok !contains true
EOF
show_on_failure noaddr "$f0"

# -- a reply injected after STARTTLS's 220 (same packet): recorded,
# discarded, and the handshake and the session in TLS go on
f0=$FAIL
probe inject json -v inject.e2e.test
exit_is inject 0
json inject --target inject.e2e.test "${schema_opt[@]}" <<'EOF'
hosts len 1
hosts[0].address == "127.0.0.6"
hosts[0].tls.offered == true
hosts[0].tls.attempted == true
hosts[0].tls.starttls.code == 220
hosts[0].tls.injection == true
hosts[0].tls.ok == true
hosts[0].tls.fallback falsy
hosts[0].tls.version startswith "TLSv1."
hosts[0].tls.ehlo_after.code == 250
hosts[0].tls.ehlo_after.extensions !contains "STARTTLS"
hosts[0].tls.ehlo_diff.removed contains "STARTTLS"
hosts[0].tls.ehlo_after.extensions.AUTH == ["LOGIN", "PLAIN"]
hosts[0].tls.ehlo_diff.added contains "AUTH"
findings[*].id contains "starttls-injection"
findings[*].id !contains "starttls-unusable"
hosts[0].commands.VRFY.code == 252
hosts[0].commands.VRFY.tls == true
hosts[0].commands.EXPN.code == 502
hosts[0].commands.EXPN.tls == true
hosts[0].error empty
EOF
show_on_failure inject "$f0"

# -- implicit TLS (--smtps, RFC 8314) against the Postfix's wrappermode
# listener: the banner comes inside TLS, nothing says STARTTLS
f0=$FAIL
probe smtps json --smtps --cafile "$TLS/ca.pem" smtps.e2e.test
exit_is smtps 0
json smtps --target smtps.e2e.test "${schema_opt[@]}" <<'EOF'
dns.mx[0].host == "mx-smtps.e2e.test"
hosts len 1
hosts[0].address == "127.0.0.5"
hosts[0].banner.code == 220
hosts[0].banner.text contains "mx-postfix.e2e.test ESMTP smtpprobe-e2e"
hosts[0].ehlo.code == 250
hosts[0].ehlo.extensions contains "PIPELINING"
hosts[0].ehlo.extensions !contains "STARTTLS"
hosts[0].tls.implicit == true
hosts[0].tls.offered == false
hosts[0].tls.attempted == true
hosts[0].tls.starttls empty
hosts[0].tls.ok == true
hosts[0].tls.version startswith "TLSv1."
hosts[0].tls.fallback falsy
hosts[0].tls.verify.chain_ok == true
hosts[0].tls.verify.name == "mx-smtps.e2e.test"
hosts[0].tls.verify.name_ok == true
hosts[0].tls.dane empty
findings[*].id !contains "starttls-missing"
findings[*].id !contains "starttls-unusable"
findings[*].id !contains "cert-name-mismatch"
findings[*].id !contains "cert-untrusted"
hosts[0].commands.VRFY.code == 502
hosts[0].commands.VRFY.tls == true
hosts[0].commands.TURN.tls == true
hosts[0].error empty
EOF
show_on_failure smtps "$f0"

# -- implicit TLS against the plaintext port: the handshake fails on the
# banner, there is no plaintext to fall back to, nothing is probed; exit 2
f0=$FAIL
probe smtps-plain json --smtps postfix.e2e.test
exit_is smtps-plain 2
json smtps-plain --target postfix.e2e.test "${schema_opt[@]}" <<'EOF'
hosts len 1
hosts[0].connect.ok == true
hosts[0].tls.implicit == true
hosts[0].tls.attempted == true
hosts[0].tls.ok == false
hosts[0].tls.error nonempty
hosts[0].tls.fallback falsy
hosts[0].error nonempty
hosts[0].commands.VRFY.status == "not_tried"
findings[*].id contains "starttls-unusable"
EOF
show_on_failure smtps-plain "$f0"

ALL="postfix.e2e.test aiosmtpd.e2e.test nullmx.e2e.test implicit.e2e.test nxdomain.e2e.test cname.e2e.test multi.e2e.test noaddr.e2e.test"
ALL_JSON='["postfix.e2e.test", "aiosmtpd.e2e.test", "nullmx.e2e.test", "implicit.e2e.test", "nxdomain.e2e.test", "cname.e2e.test", "multi.e2e.test", "noaddr.e2e.test"]'

# -- all targets in one run: one object per target, in input order; exit 2
# because of nxdomain (and noaddr)
f0=$FAIL
# shellcheck disable=SC2086
probe all json $ALL
exit_is all 2
json all --doc "${schema_opt[@]}" <<EOF
. len 8
[*].target == $ALL_JSON
[*].schema == ["smtpprobe/2", "smtpprobe/2", "smtpprobe/2", "smtpprobe/2", "smtpprobe/2", "smtpprobe/2", "smtpprobe/2", "smtpprobe/2"]
[target=postfix.e2e.test].hosts[0].commands.VRFY.code == 502
[target=aiosmtpd.e2e.test].hosts[0].commands.VRFY.code == 252
[target=nullmx.e2e.test].dns.null_mx == true
[target=implicit.e2e.test].dns.implicit_mx == true
[target=nxdomain.e2e.test].dns.rcode == "NXDOMAIN"
[target=cname.e2e.test].findings[*].id contains "mx-is-cname"
[target=multi.e2e.test].hosts[address=127.0.0.9].connect.ok == false
[target=multi.e2e.test].hosts[address=127.0.0.2].commands.VRFY.code == 502
[target=noaddr.e2e.test].hosts[*].connect.ok !contains true
EOF
show_on_failure all "$f0"

# -- JSON Lines: one line per target (in completion order), each one object
f0=$FAIL
# shellcheck disable=SC2086
probe jsonl jsonl $ALL
exit_is jsonl 2
json jsonl --jsonl --doc "${schema_opt[@]}" <<EOF
. len 8
[*].target sameset $ALL_JSON
[target=postfix.e2e.test].hosts[0].commands.VRFY.code == 502
[target=nxdomain.e2e.test].dns.rcode == "NXDOMAIN"
EOF
lines=$(grep -c . "$PROBE_DIR/jsonl.out")
if [ "$lines" = 8 ]; then ok "jsonl: 8 non-empty lines"; else notok "jsonl: 8 non-empty lines"; diag "  got: $lines"; fi
show_on_failure jsonl "$f0"

# -- text output: a smoke test
f0=$FAIL
probe text text postfix.e2e.test
exit_is text 0
for want in VRFY EXPN TURN 502 500 mx-postfix.e2e.test 127.0.0.2 TLSv1. STARTTLS; do
	if grep -q -- "$want" "$PROBE_DIR/text.out"; then
		ok "text: output mentions $want"
	else
		notok "text: output mentions $want"
	fi
done
if grep -q "$(printf '\033')" "$PROBE_DIR/text.out"; then
	notok "text: no colour escapes when stdout is not a terminal"
else
	ok "text: no colour escapes when stdout is not a terminal"
fi
show_on_failure text "$f0"

# -- the certificate as ready TLSA records (issue 13): the digests that
# openssl(1) computed above, in the text report and in JSON; --show-certs
# adds the PEM of the chain as sent (Postfix sends the leaf only)
f0=$FAIL
for want in "DANE-EE records for _$SMTPPORT._tcp.mx-postfix.e2e.test." \
    "TLSA 3 1 1 $SPKI_GOOD" "TLSA 3 0 1 $CERT_SHA256"; do
	if grep -qF -- "$want" "$PROBE_DIR/text.out"; then
		ok "text: the TLSA line $want"
	else
		notok "text: the TLSA line $want"
	fi
done
probe certs json --show-certs postfix.e2e.test
exit_is certs 0
json certs --target postfix.e2e.test "${schema_opt[@]}" <<EOF
hosts[0].tls.peer_certificate.spki_sha256 == "$SPKI_GOOD"
hosts[0].tls.peer_certificate.sha256 == "$CERT_SHA256"
hosts[0].tls.chain len 1
hosts[0].tls.chain[0].spki_sha256 == "$SPKI_GOOD"
hosts[0].tls.chain[0].issuer == "CN=smtpprobe e2e test CA"
hosts[0].tls.chain[0].pem startswith "-----BEGIN CERTIFICATE-----"
hosts[0].tls.pem_kept == true
EOF
if "$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))["targets"][0]
sys.stdout.write(d["hosts"][0]["tls"]["chain"][0]["pem"])' "$PROBE_DIR/certs.out" > "$PROBE_DIR/certs.pem" 2>&1 &&
   cmp -s "$PROBE_DIR/certs.pem" "$TLS/mx-postfix.pem"; then
	ok "certs: tls.chain[0].pem is the Postfix's certificate file, byte for byte"
else
	notok "certs: tls.chain[0].pem is the Postfix's certificate file, byte for byte"
	diag_file "certs.pem" "$PROBE_DIR/certs.pem"
fi
show_on_failure certs "$f0"

# -- SMTP AUTH before and after TLS (issue 13), Postfix with Dovecot SASL.
# Submission that offers AUTH only inside TLS: no finding
f0=$FAIL
probe auth-tls-only json sub-authonly.e2e.test:587
exit_is auth-tls-only 0
json auth-tls-only --target sub-authonly.e2e.test:587 "${schema_opt[@]}" <<'EOF'
hosts len 1
hosts[0].address == "127.0.0.10"
hosts[0].port == 587
hosts[0].tls.ok == true
hosts[0].auth.before_tls == []
hosts[0].auth.after_tls == ["PLAIN", "LOGIN"]
hosts[0].auth.cleartext_before_tls == false
findings[*].id !contains "auth-plaintext-before-tls"
findings[*].id !contains "auth-on-mx"
EOF
show_on_failure auth-tls-only "$f0"

# Submission that offers AUTH PLAIN LOGIN before TLS: high on 587
f0=$FAIL
probe auth-before-tls json sub-authplain.e2e.test:587
exit_is auth-before-tls 0
json auth-before-tls --target sub-authplain.e2e.test:587 "${schema_opt[@]}" <<'EOF'
hosts[0].address == "127.0.0.11"
hosts[0].auth.before_tls == ["PLAIN", "LOGIN"]
hosts[0].auth.after_tls == ["PLAIN", "LOGIN"]
hosts[0].auth.cleartext_before_tls == true
findings[id=auth-plaintext-before-tls].severity == "high"
findings[id=auth-plaintext-before-tls].message contains "AUTH PLAIN LOGIN is offered before TLS"
findings[id=auth-plaintext-before-tls].rfc == "RFC 8314 3"
findings[id=auth-plaintext-before-tls].advice contains "smtpd_tls_auth_only = yes"
findings[*].id !contains "auth-on-mx"
EOF
show_on_failure auth-before-tls "$f0"

# an MX whose port 25 offers AUTH: auth-on-mx, and auth-plaintext-before-tls
# at medium (not a submission port)
f0=$FAIL
probe auth-mx json -p 25 mx-auth.e2e.test
exit_is auth-mx 0
json auth-mx --target mx-auth.e2e.test "${schema_opt[@]}" <<'EOF'
hosts[0].mx == "mx-mxauth.e2e.test"
hosts[0].address == "127.0.0.12"
hosts[0].port == 25
hosts[0].auth.before_tls == ["PLAIN", "LOGIN"]
findings[id=auth-on-mx].severity == "low"
findings[id=auth-on-mx].message contains "port 25 of an MX host"
findings[id=auth-plaintext-before-tls].severity == "medium"
EOF
show_on_failure auth-mx "$f0"

# -- submission ports (RFC 8314): 587 without STARTTLS, 465 in clear text,
# and 465 done right (implicit TLS, AUTH only inside it): one run
f0=$FAIL
probe submission json sub-notls.e2e.test:587 sub-465plain.e2e.test:465 sub-465.e2e.test:465
exit_is submission 2
json submission --target sub-notls.e2e.test:587 "${schema_opt[@]}" <<'EOF'
hosts[0].port == 587
hosts[0].tls.offered == false
findings[id=submission-no-starttls].severity == "high"
findings[id=submission-no-starttls].rfc == "RFC 8314 3"
findings[*].id !contains "starttls-missing"
EOF
json submission --target sub-465plain.e2e.test:465 <<'EOF'
hosts[0].port == 465
hosts[0].tls.implicit == true
hosts[0].tls.ok == false
findings[id=submission-465-not-tls].severity == "high"
findings[id=submission-465-not-tls].message contains "port 465 does not speak TLS"
findings[*].id !contains "starttls-unusable"
EOF
json submission --target sub-465.e2e.test:465 <<'EOF'
hosts[0].tls.implicit == true
hosts[0].tls.ok == true
hosts[0].auth.before_tls == []
hosts[0].auth.after_tls == ["PLAIN", "LOGIN"]
findings[*].id !contains "submission-465-not-tls"
findings[*].id !contains "auth-plaintext-before-tls"
EOF
show_on_failure submission "$f0"

# -- --submission: each host on 587 and 465, a host name (source host) and a
# domain's MX host (source mx); a target with a port keeps its port
f0=$FAIL
probe submission-opt json --submission submission.e2e.test sub-465.e2e.test:465 --host sub-465.e2e.test
exit_is submission-opt 0
json submission-opt --target submission.e2e.test "${schema_opt[@]}" <<'EOF'
submission.source == "mx"
hosts len 2
hosts[*].port == [587, 465]
hosts[*].mx == ["sub-465.e2e.test", "sub-465.e2e.test"]
hosts[port=587].tls.implicit == false
hosts[port=587].tls.offered == true
hosts[port=587].auth.before_tls == []
hosts[port=587].auth.after_tls == ["PLAIN", "LOGIN"]
hosts[port=465].tls.implicit == true
hosts[port=465].tls.ok == true
hosts[port=465].auth.after_tls == ["PLAIN", "LOGIN"]
hosts[*].tls.dane == [null, null]
findings[*].id !contains "submission-no-starttls"
findings[*].id !contains "submission-465-not-tls"
EOF
json submission-opt --target sub-465.e2e.test <<'EOF'
submission.source == "host"
hosts[*].port == [587, 465]
EOF
json submission-opt --target sub-465.e2e.test:465 <<'EOF'
submission empty
hosts[*].port == [465]
EOF
show_on_failure submission-opt "$f0"

# -- --tls-versions against real Postfix: 127.0.0.16 still takes TLS 1.0
# and 1.1 (tls-legacy-accepted, RFC 8996), 127.0.0.17 only 1.2 and 1.3;
# with the option, --expect TLS>=1.2 means "accepts nothing below 1.2"
versions_are() {	# versions_are PROBE TARGET WANT ("TLSv1=true TLSv1.1=true ...")
	local got
	got=$("$PY" - "$PROBE_DIR/$1.out" "$2" <<'PYEOF'
import json, sys
docs = json.load(open(sys.argv[1]))
docs = docs.get("targets", [docs]) if isinstance(docs, dict) else docs
t = [d for d in docs if d.get("target") == sys.argv[2]][0]
v = t["hosts"][0]["tls"]["versions"] or {}
print(" ".join("%s=%s" % (k, json.dumps((v.get(k) or {}).get("accepted")))
               for k in ("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3")))
PYEOF
	)
	if [ "$got" = "$3" ]; then
		ok "$1: $2 accepts $3"
	else
		notok "$1: $2 accepts $3"
		diag "  got: $got"
	fi
}
f0=$FAIL
probe tls-versions json --tls-versions legacytls.e2e.test stricttls.e2e.test
exit_is tls-versions 0
versions_are tls-versions legacytls.e2e.test "TLSv1=true TLSv1.1=true TLSv1.2=true TLSv1.3=true"
versions_are tls-versions stricttls.e2e.test "TLSv1=false TLSv1.1=false TLSv1.2=true TLSv1.3=true"
json tls-versions --target legacytls.e2e.test "${schema_opt[@]}" <<'EOF'
hosts[0].address == "127.0.0.16"
findings[id=tls-legacy-accepted].severity == "medium"
EOF
json tls-versions --target stricttls.e2e.test <<'EOF'
hosts[0].address == "127.0.0.17"
findings[*].id !contains "tls-legacy-accepted"
EOF
show_on_failure tls-versions "$f0"
f0=$FAIL
probe tls-expect-legacy json --tls-versions --expect 'TLS>=1.2' legacytls.e2e.test
exit_is tls-expect-legacy 1
probe tls-expect-strict json --tls-versions --expect 'TLS>=1.2' stricttls.e2e.test
exit_is tls-expect-strict 0
show_on_failure tls-expect-legacy "$f0"

summary
[ "$FAIL" -eq 0 ]

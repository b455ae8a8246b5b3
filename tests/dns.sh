#!/bin/sh
# SPDX-License-Identifier: ISC
#
# dns.sh - from DNS to sessions, against tests/fakesmtpd serving a fake
# zone (--dns) and one scripted SMTP server that counts its connections:
#   - more than 16 MX records in scrambled order: the 16 most preferred
#     hosts are kept and the others named (dns.mx_dropped, mx-limit, text);
#   - one MX host at two preferences, and two MX names on one address:
#     one session each (the server counts), every record listed on the
#     host entry (preferences, mx_names), no finding twice;
#   - -4 on an IPv6-only name, -6 on an IPv4-only one: the error says the
#     other family was excluded, not that there are no addresses;
#   - a greeting whose host name holds the MTA's name still leaks the
#     version (banner-version-leak names Exim 4.96).
[ -z "${BASH_VERSION:-}" ] && exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
: "${FAKESMTPD:?FAKESMTPD must point at tests/fakesmtpd}"

W=$(mktemp -d)
SRV=
trap 'stop; rm -rf "$W"' EXIT

cat >"$W/zone" <<'EOF'
# one host at two preferences
twice.dns.test MX 20 mx.twice.dns.test
twice.dns.test MX 10 mx.twice.dns.test
mx.twice.dns.test A 127.0.0.1
# two MX names, one address
shared.dns.test MX 10 mx1.shared.dns.test
shared.dns.test MX 20 mx2.shared.dns.test
mx1.shared.dns.test A 127.0.0.1
mx2.shared.dns.test A 127.0.0.1
# one address family only
v6only.dns.test MX 10 mx.v6only.dns.test
mx.v6only.dns.test AAAA 2001:db8::25
v4only.dns.test MX 10 mx.v4only.dns.test
mx.v4only.dns.test A 192.0.2.25
EOF
# 20 MX records at mixed preferences, in scrambled order
for p in 90 5 70 30 95 15 60 99 10 45 33 80 20 85 50 40 65 25 55 35; do
	echo "many.dns.test MX $p mx$p.many.dns.test"
	echo "mx$p.many.dns.test A 127.0.0.1"
done >>"$W/zone"
printf '%s\n' 'welcome 220 mx.exim.example ESMTP Exim 4.96' >"$W/exim.scn"

# serve / stop: tests/fakesmtpd with the zone (lib.sh); CONNS after stop
serve() { fake_serve "$W/exim.scn"; }
stop() { fake_stop; }

# probe FORMAT ARGS...: smtpprobe against the fake zone, output in $W/out
probe() {
	local fmt=$1; shift
	"$SMTPPROBE" --format "$fmt" --dns-server "127.0.0.1:$DNSPORT" -p "$PORT" \
		--helo probe.invalid --no-ptr --no-dane --no-color \
		--connect-timeout 2 --timeout 2 --dns-timeout 2 "$@" \
		>"$W/out" 2>"$W/err"
	status=$?
}

# no finding may appear twice: the same id and message about one address
# (a second MX name on the address would only change "host")
NODOUBLE='
keys = [(f["id"], f["address"] or f["host"], f["message"]) for f in t["findings"]]
assert len(keys) == len(set(keys)), keys'

# ---- one host at two preferences: one session ------------------------------
serve
probe jsonl twice.dns.test
stop
expect_status 0 "same host at 10 and 20"
check "same host at 10 and 20: one connection (saw ${CONNS:-?})" [ "${CONNS:-0}" -eq 1 ]
jcheck "same host at 10 and 20: one host entry with both preferences" '
assert [(m["preference"], m["host"]) for m in t["dns"]["mx"]] == \
    [(10, "mx.twice.dns.test"), (20, "mx.twice.dns.test")], t["dns"]["mx"]
assert len(t["hosts"]) == 1, len(t["hosts"])
h = t["hosts"][0]
assert (h["mx"], h["preference"]) == ("mx.twice.dns.test", 10), h
assert h["preferences"] == [10, 20], h["preferences"]
assert h["mx_names"] == ["mx.twice.dns.test"], h["mx_names"]'
jcheck "same host at 10 and 20: no finding twice" "$NODOUBLE"
jcheck "banner-version-leak names Exim 4.96 (the host name holds exim too)" '
f = [f for f in t["findings"] if f["id"] == "banner-version-leak"]
assert len(f) == 1 and "Exim 4.96" in f[0]["message"], f'

serve
probe text twice.dns.test
stop
contains "$W/out" "twice.dns.test: MX: 1 host" "text: one host, not two"
contains "$W/out" ": one session for MX 10,20 mx.twice.dns.test" \
	"text: the header notes both preferences"
check "text: one row, the most preferred record and +1" \
	[ "$(grep -c '^  10 mx.twice.dns.test +1  *127.0.0.1[: ]' "$W/out")" -eq 1 ]
lacks "$W/out" "20 mx.twice.dns.test " "text: no row for preference 20"

# ---- two MX names on one address: one session ------------------------------
serve
probe jsonl shared.dns.test
stop
expect_status 0 "two MX names, one address"
check "two MX names, one address: one connection (saw ${CONNS:-?})" [ "${CONNS:-0}" -eq 1 ]
jcheck "two MX names, one address: one host entry naming both" '
assert len(t["hosts"]) == 1, len(t["hosts"])
h = t["hosts"][0]
assert (h["mx"], h["preference"]) == ("mx1.shared.dns.test", 10), h
assert h["preferences"] == [10, 20], h["preferences"]
assert h["mx_names"] == ["mx1.shared.dns.test", "mx2.shared.dns.test"], h["mx_names"]'
jcheck "two MX names, one address: no finding twice" "$NODOUBLE"
cp "$W/out" "$W/shared.json"
serve
probe text shared.dns.test
stop
contains "$W/out" ": one session for MX 10 mx1.shared.dns.test, 20 mx2.shared.dns.test" \
	"text: the header names both MX records"

# ---- 20 MX records: the 16 most preferred kept, 4 named --------------------
serve
probe jsonl many.dns.test
stop
expect_status 0 "20 MX records"
jcheck "20 MX records: the 16 lowest preferences kept, the 4 highest named" '
prefs = [m["preference"] for m in t["dns"]["mx"]]
assert prefs == [5, 10, 15, 20, 25, 30, 33, 35, 40, 45, 50, 55, 60, 65, 70, 80], prefs
assert t["dns"]["mx_dropped"] == [{"preference": p, "host": "mx%d.many.dns.test" % p}
    for p in (85, 90, 95, 99)], t["dns"]["mx_dropped"]
f = [f for f in t["findings"] if f["id"] == "mx-limit"]
assert len(f) == 1, f
for p in (85, 90, 95, 99):
    assert "%d mx%d.many.dns.test" % (p, p) in f[0]["message"], f[0]["message"]
assert len(t["hosts"]) == 1 and t["hosts"][0]["preferences"] == prefs'
jcheck "20 MX records: no finding twice" "$NODOUBLE"
cp "$W/out" "$W/many.json"
serve
probe text many.dns.test
stop
contains "$W/out" "MX: 16 hosts, 4 more MX records not probed (mx-limit)" \
	"text: the header says 4 were left out"
contains "$W/out" "85 mx85.many.dns.test, 90 mx90.many.dns.test" \
	"text: the mx-limit finding names them"

# ---- -4 / -6 with only the other family ------------------------------------
serve
probe text -4 v6only.dns.test
cp "$W/out" "$W/text4"
probe jsonl -4 v6only.dns.test
stop
expect_status 2 "-4 on an IPv6-only MX: nothing to probe"
jcheck "-4 on an IPv6-only MX: IPv6 excluded by -4, not missing" '
e = t["dns"]["mx"][0]["error"]
assert e == "no IPv4 address; 1 IPv6 address excluded by -4", e
assert "excluded by -4" in t["error"], t["error"]
assert "no address records" not in json.dumps(t)'
contains "$W/text4" "IPv6 address excluded by -4" "text: -4 named as the reason"
lacks "$W/text4" "no address records" "text: not \"no address records\""
check "-4: the IPv6-only host was not probed (saw ${CONNS:-?} connections)" [ "${CONNS:-1}" -eq 0 ]

serve
probe jsonl -6 v4only.dns.test
stop
expect_status 2 "-6 on an IPv4-only MX: nothing to probe"
jcheck "-6 on an IPv4-only MX: IPv4 excluded by -6" '
assert t["dns"]["mx"][0]["error"] == "no IPv6 address; 1 IPv4 address excluded by -6", t["dns"]
assert "IPv4 addresses were excluded by -6" in t["error"], t["error"]'

# ---- the new fields as contrib/schema.json describes them -------------------
for f in shared many; do
	check "$f.dns.test: valid against contrib/schema.json" "$PYTHON" -c '
import json, sys
from jsonschema import Draft202012Validator
v = Draft202012Validator(json.load(open(sys.argv[1])))
errs = [e.message for e in v.iter_errors(json.load(open(sys.argv[2])))]
assert not errs, errs' "$top_srcdir/contrib/schema.json" "$W/$f.json"
done

# ---- -4 and -6 together ------------------------------------------------------
"$SMTPPROBE" -4 -6 example.com >"$W/out" 2>"$W/err"
status=$?
expect_status 64 "-4 -6 is a usage error"
contains "$W/err" "-4 and -6 exclude each other" "-4 -6: the message says why"

finish

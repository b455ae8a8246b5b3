#!/bin/sh
# SPDX-License-Identifier: ISC
#
# baseline.sh - --baseline FILE end to end: two runs against the fake DNS
# and the scripted SMTP servers of tests/fakesmtpd, whose answers change
# between the runs:
#   bl.test  MX mx2 -> mx3, mx1 gains an address (127.0.0.2, nothing
#            listens), VRFY 502 -> 250 (a regression), EXPN 250 -> 252 (an
#            improvement), TLS 1.3 -> 1.2, another certificate that expires
#            sooner, ETRN added to EHLO (keywords reordered: not a change),
#            TLSA records appear;
#   127.0.0.1:PORT2  a server that answers in the first run only
#            (reachable -> unreachable);
#   gone.test only in the first run, new.test only in the second.
# Checked: the text block (regressions first), JSON changes and the
# run-level baseline object, Nagios state and status line with
# --baseline-regression, Prometheus smtpprobe_changes, the exit status
# (1 on a regression, 0 without change, 2 still outranks 1), and input
# that is not a whole baseline: truncated, garbage, another schema, a
# missing file (the run's own results are written all the same).
[ -z "${BASH_VERSION:-}" ] && exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
: "${FAKESMTPD:?FAKESMTPD must point at tests/fakesmtpd}"

W=$(mktemp -d)
SRV=
PIDS=
trap 'fake_stop; [ -n "$PIDS" ] && kill $PIDS 2>/dev/null; rm -rf "$W"' EXIT

if ! sh "$top_srcdir/tests/tls/mkcerts.sh" "$W/certs" 2>"$W/mkcerts.err"; then
	sed 's/^/#   /' "$W/mkcerts.err"
	not_ok "tests/tls/mkcerts.sh failed"
	finish
	exit
fi
C=$W/certs

# run 1 and run 2 of the SMTP server behind every MX
cat >"$W/before.scn" <<EOF
tls-cert $C/good.pem $C/good.key
starttls
welcome 220 mx.bl.test ESMTP
reply EHLO 250-mx.bl.test|250-PIPELINING|250-SIZE 10240000|250 STARTTLS
reply-tls EHLO 250-mx.bl.test|250-PIPELINING|250 SIZE 10240000
reply-tls VRFY 502 5.5.1 VRFY disabled
reply-tls EXPN 250 2.1.5 <list@bl.test>
reply-tls TURN 502 5.5.1 TURN not implemented
EOF
cat >"$W/after.scn" <<EOF
tls-cert $C/soon.pem $C/soon.key
tls-max-version 1.2
starttls
welcome 220 mx.bl.test ESMTP
reply EHLO 250-mx.bl.test|250-SIZE 10240000|250-ETRN|250-PIPELINING|250 STARTTLS
reply-tls EHLO 250-mx.bl.test|250-PIPELINING|250 SIZE 10240000
reply-tls VRFY 250 2.1.5 <postmaster@bl.test>
reply-tls EXPN 252 2.1.5 cannot expand
reply-tls TURN 502 5.5.1 TURN not implemented
EOF
cat >"$W/zone.before" <<'EOF'
bl.test MX 10 mx1.bl.test
bl.test MX 20 mx2.bl.test
mx1.bl.test A 127.0.0.1
mx2.bl.test A 127.0.0.1
gone.test MX 10 mx1.bl.test
EOF
cat >"$W/zone.after" <<'EOF'
bl.test MX 20 mx3.bl.test
bl.test MX 10 mx1.bl.test
mx1.bl.test A 127.0.0.1
mx1.bl.test A 127.0.0.2
mx3.bl.test A 127.0.0.1
_@PORT@._tcp.mx1.bl.test TLSA 3 1 1 0000000000000000000000000000000000000000000000000000000000000000
new.test MX 10 mx1.bl.test
EOF

# probe FORMAT OUT ARGS...: smtpprobe against the fake zone and server
probe() {
	local fmt=$1 out=$2
	shift 2
	"$SMTPPROBE" --format "$fmt" --dns-server "127.0.0.1:$DNSPORT" -p "$PORT" \
		--helo probe.invalid --no-ptr --no-color --cafile "$C/ca.pem" \
		--connect-timeout 2 --timeout 2 --dns-timeout 2 "$@" \
		>"$W/$out" 2>"$W/$out.err"
	status=$?
}

# jtrue FILE EXPR DESC: a Python expression over d (the JSON document)
jtrue() {
	if "$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
t = {x["target"]: x for x in d.get("targets", [])}
ch = lambda n: [(c["kind"], c["severity"], c["command"], c["before"], c["after"])
                for c in (t[n]["changes"] or [])]
sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2"; then ok "$3"
	else not_ok "$3: false: $2"; fi
}

# ---- run 1 ------------------------------------------------------------
cp "$W/zone.before" "$W/zone"
fake_serve "$W/before.scn"
fake_serve_named down 127.0.0.1 "welcome 220 down.test ESMTP"
DOWN=127.0.0.1:$PORT_down
probe jsonl run1.jsonl bl.test "$DOWN" gone.test
expect_status 0 "run 1 probes every target"
check "run 1 writes three records" [ "$(wc -l <"$W/run1.jsonl")" -eq 3 ]
fake_stop
kill $PIDS 2>/dev/null
wait $PIDS 2>/dev/null
PIDS=

# ---- run 2: the same SMTP port, other answers --------------------------
cp "$W/zone.after" "$W/zone"
fake_serve "$W/after.scn" -p "$PORT"
check "run 2's server is on run 1's port" [ "$(head -n 1 "$W/port")" = "$PORT" ]

probe text text --baseline "$W/run1.jsonl" bl.test "$DOWN" new.test
expect_status 2 "a target that cannot be probed still outranks a regression"
T=$W/text
contains "$T" "Changes since " "text: a Changes block"
for want in \
    "[regression] command VRFY (mx1.bl.test 127.0.0.1): not_implemented -> supported" \
    "[improvement] command EXPN (mx1.bl.test 127.0.0.1): supported -> cannot_verify" \
    "[regression] tls-version (mx1.bl.test 127.0.0.1): TLSv1.3 -> TLSv1.2" \
    "[regression] certificate-expiry (mx1.bl.test 127.0.0.1): " \
    "[info] certificate (mx1.bl.test 127.0.0.1): " \
    "[info] mx: removed mx2.bl.test" \
    "[info] mx: added mx3.bl.test" \
    "[info] address (mx1.bl.test 127.0.0.2): added 127.0.0.2" \
    "[info] extension (mx1.bl.test 127.0.0.1): added ETRN" \
    "[info] tlsa (mx1.bl.test 127.0.0.1): added 3 1 1 0000" \
    "[regression] finding (mx1.bl.test 127.0.0.1): added vrfy-enabled" \
    "[improvement] finding (mx1.bl.test 127.0.0.1): removed expn-enabled" \
    "[regression] reachable (127.0.0.1): reachable -> unreachable (Connection refused)" \
    "Changes: not in the baseline, nothing to compare"; do
	contains "$T" "$want" "text: $want"
done
lacks "$T" "extension (mx1.bl.test 127.0.0.1): added PIPELINING" \
	"text: EHLO keywords in another order are not a change"
lacks "$T" "removed PIPELINING" "text: nor a removal"
# regressions first: no [regression] after the first non-regression of bl.test
check "text: regressions come first" "$PYTHON" -c '
import sys
lines = open(sys.argv[1]).read().split("\n")
i = next(n for n, l in enumerate(lines) if l.startswith("Changes since"))
sev = []
for l in lines[i + 1:]:
    if not l.startswith("  ["):
        break
    sev.append(l.split("]")[0].strip(" ["))
rank = {"regression": 0, "improvement": 1, "info": 2}
sys.exit(0 if sev and sev == sorted(sev, key=rank.get) else 1)' "$T"
contains "$T.err" "gone.test is not in this run" "stderr: a target of the baseline missing from this run"
contains "$T.err" "new.test is not in it" "stderr: a target not in the baseline"

probe json run2.json --baseline "$W/run1.jsonl" bl.test "$DOWN" new.test
J=$W/run2.json
jtrue "$J" '("command", "regression", "VRFY", "not_implemented", "supported") in ch("bl.test")' \
	"json: VRFY 502 -> 250 is a regression"
jtrue "$J" '("command", "improvement", "EXPN", "supported", "cannot_verify") in ch("bl.test")' \
	"json: EXPN 250 -> 252 is an improvement"
jtrue "$J" '("tls-version", "regression", None, "TLSv1.3", "TLSv1.2") in ch("bl.test")' \
	"json: TLS 1.3 -> 1.2 is a regression"
jtrue "$J" '("mx", "info", None, "mx2.bl.test", None) in ch("bl.test") and ("mx", "info", None, None, "mx3.bl.test") in ch("bl.test")' \
	"json: MX host removed and added"
jtrue "$J" '("address", "info", None, None, "127.0.0.2") in ch("bl.test")' \
	"json: an address added"
jtrue "$J" '{"certificate", "certificate-expiry", "tlsa", "dane", "extension", "finding"} <= {c[0] for c in ch("bl.test")}' \
	"json: certificate, expiry, TLSA, DANE, extension and finding changes"
jtrue "$J" '[c[0] for c in ch("bl.test")].count("mx") == 2' \
	"json: MX records in another order are not a change"
jtrue "$J" '[c[1] for c in ch("bl.test")] == sorted([c[1] for c in ch("bl.test")], key=["regression", "improvement", "info"].index)' \
	"json: regressions first"
jtrue "$J" '("reachable", "regression", None, "reachable", "unreachable (Connection refused)") in ch("'"$DOWN"'")' \
	"json: a host that became unreachable"
jtrue "$J" 't["new.test"]["changes"] is None' "json: a target not in the baseline has changes null"
jtrue "$J" 'd["baseline"]["missing"] == ["gone.test"] and d["baseline"]["targets_compared"] == 2 and d["baseline"]["targets_new"] == 1 and d["baseline"]["targets_read"] == 3' \
	"json: the run's baseline object counts and names the missing target"
jtrue "$J" 'd["baseline"]["time"] == json.loads(open("'"$W/run1.jsonl"'").readline())["started"] or d["baseline"]["time"] < t["bl.test"]["started"]' \
	"json: the baseline's time is the first run's"

# only bl.test: nothing failed, so the regression decides
probe jsonl run2.jsonl --baseline "$W/run1.jsonl" bl.test
expect_status 1 "exit status 1 on a regression"
probe text same.txt --baseline "$W/run2.jsonl" bl.test
expect_status 0 "exit status 0 when nothing changed"
contains "$W/same.txt" "Changes since " "text: the block is there when nothing changed"
contains "$W/same.txt" ": none" "text: and says none"
lacks "$W/same.txt" "[regression]" "text: no regression against itself"

# Nagios: WARNING by default, the change in the status line; the state is configurable
nopt="--cert-warn 0 --cert-crit 0 --nagios-high ok"
probe nagios nagios.out --baseline "$W/run1.jsonl" $nopt bl.test
expect_status 1 "nagios: a regression is WARNING"
check "nagios: the status line names the change" \
	grep -q '^SMTPPROBE WARNING - .*bl.test: .*->' "$W/nagios.out"
contains "$W/nagios.out" "change regression bl.test: command VRFY (mx1.bl.test 127.0.0.1): not_implemented -> supported" \
	"nagios: the long output lists the changes"
probe nagios nagios.out --baseline "$W/run1.jsonl" --baseline-regression critical $nopt bl.test
expect_status 2 "nagios: --baseline-regression critical"
check "nagios: CRITICAL in the status line" grep -q '^SMTPPROBE CRITICAL - ' "$W/nagios.out"
probe nagios nagios.out --baseline "$W/run1.jsonl" --baseline-regression ok $nopt bl.test
expect_status 0 "nagios: --baseline-regression ok"
probe nagios nagios.out --baseline-regression bogus bl.test
expect_status 3 "nagios: a bad --baseline-regression is UNKNOWN"

probe prometheus prom.out --baseline "$W/run1.jsonl" bl.test
contains "$W/prom.out" 'smtpprobe_changes{target="bl.test",kind="command"} 2' \
	"prometheus: smtpprobe_changes by kind"
check "prometheus: smtpprobe_regressions counts the regressions" \
	grep -qE '^smtpprobe_regressions\{target="bl.test"\} [1-9]' "$W/prom.out"

# ---- a baseline that is not whole --------------------------------------
# cut in the middle of the first line; a second whole line follows
head -c 100 "$W/run1.jsonl" >"$W/cut.jsonl"
probe jsonl cut.out --baseline "$W/cut.jsonl" bl.test
check "truncated baseline: the run's record is written" [ "$(wc -l <"$W/cut.out")" -eq 1 ]
contains "$W/cut.out.err" "cut short" "truncated baseline: said on stderr"
check "truncated baseline: not a usage error (exit $status)" [ "$status" -ne 64 ]
{ sed -n 1p "$W/run1.jsonl"; printf 'garbage\001\n'; } >"$W/garbage.jsonl"
probe jsonl garbage.out --baseline "$W/garbage.jsonl" bl.test
contains "$W/garbage.out.err" "line 2 is not JSON" "garbage line: said, with its number"
check "garbage line: the other records are compared" grep -q '"changes":\[{' "$W/garbage.out"
sed 's#"smtpprobe/2"#"smtpprobe/1"#' "$W/run1.jsonl" >"$W/v1.jsonl"
probe text v1.out --baseline "$W/v1.jsonl" bl.test
contains "$W/v1.out.err" "another schema (smtpprobe/1, this version writes smtpprobe/2)" \
	"another schema: said on stderr"
contains "$W/v1.out" "Changes: not in the baseline" "another schema: nothing compared"
contains "$W/v1.out" "bl.test: MX" "another schema: the run's report is written"
probe json missing.json --baseline "$W/no-such-file" bl.test
contains "$W/missing.json.err" "no-such-file: No such file or directory" "missing file: said on stderr"
jtrue "$W/missing.json" 'd["baseline"]["error"] and t["bl.test"]["changes"] is None and len(t["bl.test"]["hosts"]) > 0' \
	"missing file: the report is written, nothing compared"
head -c 2000 "$W/run2.json" >"$W/cut.json"
probe jsonl cutdoc.out --baseline "$W/cut.json" bl.test
contains "$W/cutdoc.out.err" "not compared" "truncated run document: said on stderr"
check "truncated run document: the run's record is written" [ "$(wc -l <"$W/cutdoc.out")" -eq 1 ]

# the run document of --format json is a baseline too
probe text doc.out --baseline "$W/run2.json" bl.test
contains "$W/doc.out" "Changes since " "a --format json document as the baseline"
lacks "$W/doc.out" "[regression]" "and the same servers show no regression"

# the service's way: the baseline is the file this run replaces
cp "$W/run1.jsonl" "$W/last.jsonl"
probe text svc.out --baseline "$W/last.jsonl" -o "jsonl:$W/last.jsonl" bl.test
contains "$W/svc.out" "[regression] command VRFY" "--baseline and -o on one file: compared with the old one"
check "and the file holds this run afterwards" grep -q '"changes":\[' "$W/last.jsonl"

fake_stop
finish

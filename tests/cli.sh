#!/bin/sh
# SPDX-License-Identifier: ISC
#
# cli.sh - the command line as a user meets it: usage errors and exit
# status, --help, explain, and the offline --demo lab in each format.
[ -z "${BASH_VERSION:-}" ] && exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
run() { "$SMTPPROBE" "$@" >"$W/out" 2>"$W/err"; status=$?; }

run --help
expect_status 0 "--help"
contains "$W/out" "usage: smtpprobe" "--help prints usage"
contains "$W/out" "--commands" "--help lists --commands"

run --version
expect_status 0 "--version"
contains "$W/out" "smtpprobe " "--version prints the name"

run
expect_status 64 "no target is a usage error"
contains "$W/err" "no target given" "usage error names the problem"
contains "$W/err" "--help" "usage error points at --help"
check "usage error is two lines at most" [ "$(wc -l <"$W/err")" -le 2 ]

run --no-such-option example.com
expect_status 64 "unknown option"
run -p 99999 example.com
expect_status 64 "bad port"
run -c VRFY,DATA example.com
expect_status 64 "DATA is never a probe command"
run "bad name.example"
expect_status 64 "invalid target"
run --helo $'x\r\nDATA' example.com
expect_status 64 "CR/LF in --helo refused"
run --dns-server "not-an-ip" example.com
expect_status 64 "bad --dns-server"

run explain 251 502
expect_status 0 "explain 251 502"
contains "$W/out" "251" "comparison shows 251"
contains "$W/out" "502" "comparison shows 502"
contains "$W/out" "Key difference" "comparison has the key difference"
run explain 252
expect_status 0 "explain 252"
contains "$W/out" "7.3" "252 cites RFC 5321 7.3"
run explain 5.1.1
expect_status 0 "explain an enhanced code"
run explain VRFY
expect_status 0 "explain VRFY"
contains "$W/out" "cannot_verify" "explain VRFY: 252 is cannot_verify"
contains "$W/out" "RCPT TO" "explain VRFY: what to use instead"
run --format json explain 251 502
expect_status 0 "explain --format json"
check "explain JSON: a comparison of two codes" "$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "smtpprobe-explain/1" and d["kind"] == "comparison"
assert [i["code"] for i in d["items"]] == [251, 502]
' "$W/out"
run explain NOSUCHVERB
expect_status 64 "explain an unknown command"
run explain 299
expect_status 64 "explain unknown code"
contains "$W/err" "299" "unknown code named in the error"
run explain 250 251 252
expect_status 64 "explain takes at most two codes"
run explain
expect_status 64 "explain needs a code"

# the demo lab: real resolver, real probe, scripted servers on loopback
run --demo --no-color
expect_status 2 "--demo: exit 2, reject.demo.test cannot be probed (554)"
# the default matrix fits 80 columns (issue 14); --wide is the old layout
check "demo: every matrix row fits 80 columns" sh -c '! grep -E "^  (MX|10) " "$1" | grep -q ".\{81\}"' sh "$W/out"
contains "$W/out" "  10 mx.legacy.demo.test  127.0.0.13  220     250   none  250!  250!  250!" "demo: narrow row, '!' marks open commands"
contains "$W/out" "  every address on port " "demo: the shared port under the matrix"
check "demo: a failed session below the matrix, full name and port" sh -c 'grep -A1 "^Errors:$" "$1" | grep -q "^  mx.reject.demo.test 127.0.0.15:[0-9]*: greeting refused the session: 554$"' sh "$W/out"
# VRFY open: vrfy and legacy (enumerable, said once), forward (251 supported)
check "demo: advice said once a run, then \"as above\"" sh -c '[ "$(grep -c "^  VRFY: VRFY tells which mailboxes exist" "$1")" -eq 2 ] && grep -q "^  as above: VRFY$" "$1"' sh "$W/out"
run --demo --no-color --no-advice
expect_status 2 "--demo --no-advice"
lacks "$W/out" "Advice:" "--no-advice: no Advice block"
contains "$W/out" "Findings:" "--no-advice: the findings stay"
run --demo --no-color --wide
expect_status 2 "--demo --wide"
check "demo --wide: today's rows, over 100 columns" grep -q "^  10 mx.postfix.demo.test  127.0.0.11:[0-9]*  220     250   refused  502 not impl  500 unrecognized  500 unrecognized$" "$W/out"
contains "$W/out" "502 not impl" "demo: Postfix-like VRFY 502"
contains "$W/out" "252 cannot verify" "demo: Exim-like VRFY 252"
contains "$W/out" "252 enumerable" "demo: Postfix with VRFY on: 252, then 550 5.1.1"
contains "$W/out" "550 refused" "demo: Exim-like EXPN 550"
contains "$W/out" "251 SUPPORTED" "demo: VRFY answered 251"
contains "$W/out" "554" "demo: 554 greeting"
contains "$W/out" "451 temporary" "demo: greylisting is temporary"
contains "$W/out" "null MX (RFC 7505)" "demo: null MX"
contains "$W/out" "RCPT TO" "demo: VRFY advice names RCPT TO"
check "demo: every finding of a host names it as (HOST ADDRESS)" "$PYTHON" -c '
import re, sys
lines = [l for l in open(sys.argv[1]) if re.match(r"\s+\[(info|low|medium|high)\] ", l)]
legacy = [l for l in lines if "legacy.demo.test" in l.split(":")[0] or "127.0.0.13" in l.split(":")[0]]
assert len(legacy) >= 5, legacy
for l in legacy:
    assert "(mx.legacy.demo.test 127.0.0.13): " in l, l
' "$W/out"
contains "$W/out" "use ETRN" "demo: TURN advice uses what EHLO advertised"
check "demo text has no escape byte with --no-color" \
	sh -c "! grep -q \$(printf '\\033') '$W/out'"

NO_COLOR=1 "$SMTPPROBE" --demo --color=always >"$W/nc" 2>&1
check "NO_COLOR wins over --color=always" sh -c "! grep -q \$(printf '\\033') '$W/nc'"
"$SMTPPROBE" --demo --color=always >"$W/c" 2>&1
check "--color=always colours" grep -q "$(printf '\033')\[" "$W/c"

# the summary of a batch (issue 14): after the targets, and alone
check "demo text: a summary after several targets" grep -q "^Summary: 8 targets, 7 hosts (6 probed)$" "$W/out"
contains "$W/out" "  targets: 6 probed, 1 null MX (nullmx.demo.test)," "summary: targets by class, named"
contains "$W/out" "  TURN: 1 open (mx.legacy.demo.test), 4 closed, 1 inconclusive" "summary: TURN by status class"
run --demo --no-color --summary-only
expect_status 2 "--summary-only keeps the exit status"
check "--summary-only: the summary alone" sh -c 'head -1 "$1" | grep -q "^Summary: 8 targets" && ! grep -q "^postfix.demo.test:" "$1"' sh "$W/out"
run --demo --format jsonl --summary-only
expect_status 64 "--summary-only with jsonl is a usage error"
contains "$W/err" "--summary-only applies to --format text and json" "--summary-only: the error names the formats"
run --demo --format json --summary-only
expect_status 2 "--summary-only --format json"
check "--summary-only JSON: the run document, summary, no target" "$PYTHON" - "$W/out" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
assert run["targets"] == [] and run["counts"]["targets"] == 8, run["counts"]
s = run["summary"]
assert s["targets"]["total"] == 8 and s["targets"]["unreachable"]["first"] == ["reject.demo.test"]
assert s["commands"]["VRFY"]["open"]["count"] == 3, s["commands"]["VRFY"]
assert s["tls"]["refused"]["count"] == 3 and s["tls"]["not_offered"]["count"] == 3
assert s["findings"]["by_id"][0]["id"] == "starttls-unusable", s["findings"]["by_id"][0]
assert s["worst"]["first"][0]["target"] == "legacy.demo.test"
PY

run --demo --format json
expect_status 2 "--demo --format json"
check "demo JSON: statuses as RFC 5321 7.3 reads them" "$PYTHON" - "$W/out" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
assert run["schema"] == "smtpprobe/2" and run["kind"] == "run", run.keys()
doc = run["targets"]
assert isinstance(doc, list) and len(doc) == 8, len(doc)
assert run["counts"] == {"ok": 6, "null_mx": 1, "temporary": 0, "failed": 1,
                         "interrupted": 0, "targets": 8}, run["counts"]
assert isinstance(run["duration_ms"], int) and isinstance(run["started"], str)
by = {t["target"]: t for t in doc}
def cmd(t, verb):
    return by[t]["hosts"][0]["commands"][verb]
assert all(t["schema"] == "smtpprobe/2" for t in doc)
assert cmd("postfix.demo.test", "VRFY")["code"] == 502
assert cmd("postfix.demo.test", "VRFY")["status"] == "not_implemented"
assert "RCPT TO" in cmd("postfix.demo.test", "VRFY")["advice"]
assert cmd("exim.demo.test", "VRFY")["status"] == "cannot_verify"
assert cmd("exim.demo.test", "VRFY")["control"]["code"] == 252
assert cmd("vrfy.demo.test", "VRFY")["status"] == "enumerable"
assert cmd("vrfy.demo.test", "VRFY")["control"]["status"] == "unknown_mailbox"
assert cmd("vrfy.demo.test", "VRFY")["control"]["arg"].endswith("@vrfy.demo.test")
assert cmd("postfix.demo.test", "VRFY")["control"] is None
assert cmd("exim.demo.test", "EXPN")["status"] == "refused"
assert cmd("exim.demo.test", "EXPN")["enhanced"] == "5.7.1"
assert cmd("forward.demo.test", "VRFY")["code"] == 251
assert cmd("forward.demo.test", "VRFY")["status"] == "supported"
assert cmd("greylist.demo.test", "VRFY")["status"] == "temporary"
rej = by["reject.demo.test"]["hosts"][0]
assert rej["banner"]["code"] == 554 and rej["commands"]["VRFY"]["status"] == "not_tried"
assert by["nullmx.demo.test"]["dns"]["null_mx"] is True
assert by["nullmx.demo.test"]["hosts"] == []
ids = {f["id"] for f in by["legacy.demo.test"]["findings"]}
assert {"vrfy-enabled", "expn-enabled", "turn-accepted"} <= ids, ids
PY

check "demo JSON: reverse DNS and hygiene findings" "$PYTHON" - "$W/out" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))["targets"]
by = {t["target"]: t for t in doc}
ids = lambda t: {f["id"] for f in by[t]["findings"]}
assert by["postfix.demo.test"]["hosts"][0]["ptr"] == \
    {"name": "mx.postfix.demo.test", "fcrdns": True, "error": None}, by["postfix.demo.test"]["hosts"][0]["ptr"]
assert by["legacy.demo.test"]["hosts"][0]["ptr"]["fcrdns"] is False
assert "fcrdns-mismatch" in ids("legacy.demo.test")
assert "banner-version-leak" in ids("legacy.demo.test")
assert "ptr-missing" in ids("reject.demo.test")
assert "greylisted" in ids("greylist.demo.test")
assert "ptr-missing" not in ids("postfix.demo.test")
assert "banner-version-leak" not in ids("postfix.demo.test")   # no version in its greeting
PY

# audit policy: exit 1 when a host breaks it, the violations listed
run --demo --format json --expect VRFY=off,EXPN=off,TURN=off
expect_status 2 "--expect: a target not probed (2) outranks a violation (1)"
check "--expect: violations where VRFY/EXPN/TURN answer, none where closed" "$PYTHON" - "$W/out" <<'PY'
import json, sys
by = {t["target"]: t for t in json.load(open(sys.argv[1]))["targets"]}
assert by["postfix.demo.test"]["policy"]["ok"] is True
assert by["legacy.demo.test"]["policy"]["ok"] is False
rules = {v["rule"] for v in by["legacy.demo.test"]["policy"]["violations"] if not v["unverified"]}
assert rules == {"VRFY=off", "EXPN=off", "TURN=off"}, rules
grey = by["greylist.demo.test"]["policy"]
assert grey["ok"] is True and all(v["unverified"] for v in grey["violations"]), grey
PY
run --demo --expect VRFY=off --no-color
contains "$W/out" "Policy VRFY=off: VIOLATED" "--expect: text says VIOLATED"
run --demo --expect 'VRFY=maybe'
expect_status 64 "--expect with a bad rule is a usage error"
run --demo --expect ETRN=off
expect_status 64 "--expect naming a command -c does not try"
printf '# audit\nVRFY=off\nEXPN=off  # comment\n' >"$W/policy"
run --demo --format json --policy "$W/policy"
check "--policy FILE works like --expect" "$PYTHON" -c '
import json, sys
by = {t["target"]: t for t in json.load(open(sys.argv[1]))["targets"]}
assert by["legacy.demo.test"]["policy"]["ok"] is False
assert by["postfix.demo.test"]["policy"]["ok"] is True
' "$W/out"

# monitoring formats
run --demo --format nagios --cert-warn 20 --cert-crit 10
check "nagios: one status line with perfdata" grep -qE '^SMTPPROBE (OK|WARNING|CRITICAL|UNKNOWN) - [^|]* \| ' "$W/out"
check "nagios: exit status is the plugin state (0..3)" [ "$status" -le 3 ]
run --demo --format prometheus
expect_status 2 "prometheus: exit 2 (reject.demo.test not probed)"
check "prometheus: VRFY 502 of the Postfix-like lab host" \
	grep -qE '^smtpprobe_command_reply_code\{target="postfix.demo.test",.*command="VRFY"\} 502$' "$W/out"
check "prometheus: promtool check metrics is clean" sh -c 'promtool check metrics <"$1"' _ "$W/out"
check "prometheus: one status series, the status as a label" \
	grep -qE '^smtpprobe_command_status\{target="postfix.demo.test",.*command="VRFY",status="not_implemented"\} 1$' "$W/out"
check "prometheus: a series per finding id" \
	grep -qE '^smtpprobe_finding\{target="legacy.demo.test",id="turn-accepted",severity="high"\} 1$' "$W/out"

run --demo --format jsonl
expect_status 2 "--demo --format jsonl"
check "jsonl: one valid object a line, 8 lines" "$PYTHON" -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 8, len(lines)
for l in lines: json.loads(l)
' "$W/out"

# a port where nothing listens: one record, exit 2
port=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
run --format json --connect-timeout 2 "127.0.0.1:$port"
expect_status 2 "nothing listening: exit 2"
check "refused connection reported" "$PYTHON" -c '
import json, sys
run = json.load(open(sys.argv[1]))
assert run["kind"] == "run" and len(run["targets"]) == 1, run
assert run["counts"]["failed"] == 1, run["counts"]
t = run["targets"][0]
h = t["hosts"][0]
assert t["kind"] == "address" and h["connect"]["ok"] is False, t
assert h["connect"]["error"], h
assert h["commands"]["VRFY"]["status"] == "not_tried"
assert t["error"]
' "$W/out"

# a target list with comments, blank lines and a bad line: one record each
printf '# list\n\n127.0.0.1:%s\nbad name\n  127.0.0.1:%s  \n' "$port" "$port" >"$W/list"
run --format jsonl --connect-timeout 2 -f "$W/list"
expect_status 2 "-f list with failures: exit 2"
check "-f: every target line yields one record" "$PYTHON" -c '
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 3, len(recs)
assert sum(1 for r in recs if "invalid target" in (r["error"] or "")) == 1
' "$W/out"
run --format jsonl --connect-timeout 2 -f - <"$W/list"
check "-f - reads stdin" [ "$(wc -l <"$W/out")" -eq 3 ]
run -f "$W/does-not-exist"
expect_status 64 "-f missing file"


# ---- never falsely green (outcome, exit status, Nagios) --------------------
: "${FAKESMTPD:?FAKESMTPD must point at tests/fakesmtpd}"
PIDS=
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$W"' EXIT
# serve NAME SCENARIO-TEXT [ARGS...]: a fakesmtpd on 127.0.0.1, its port in PORT_NAME
serve() { local name=$1 text=$2; shift 2; fake_serve_named "$name" 127.0.0.1 "$text" "$@"; }
serve open 'reply VRFY 250 2.1.5 <postmaster@open.test>'
serve reject 'welcome 554 5.7.1 no SMTP service here'
serve busy 'welcome 421 4.3.2 too busy, try later'
outcome() {	# FILE WANT: the JSON report's outcome
	"$PYTHON" -c 'import json, sys; o = json.load(open(sys.argv[1]))["targets"][0]["outcome"]
assert o == sys.argv[2], o' "$1" "$2"
}

run --format json --expect VRFY=off "127.0.0.1:$PORT_open"
expect_status 1 "--expect violated on a probed server: exit 1"
check "probed server: outcome ok" outcome "$W/out" ok
printf 'VRFY=off\n' >"$W/policy1"
run --policy "$W/policy1" "127.0.0.1:$PORT_open"
expect_status 1 "--policy FILE violated: exit 1"

run --format json "127.0.0.1:$PORT_reject"
expect_status 2 "554 greeting: nothing verified, exit 2"
check "554 greeting: outcome failed" outcome "$W/out" failed
run --format json --expect VRFY=off "127.0.0.1:$PORT_reject"
expect_status 2 "554 greeting under --expect: exit 2, never a pass"
run --format nagios "127.0.0.1:$PORT_reject"
expect_status 2 "nagios: 554 everywhere is CRITICAL"
check "nagios: 554 status line says not probed" grep -q '^SMTPPROBE CRITICAL - .*not probed (every address refused the session' "$W/out"
check "nagios: 0 hosts probed in perfdata" grep -q "'hosts_probed'=0;" "$W/out"

serve grey 'reply VRFY 451 4.7.1 greylisted'
run --expect VRFY=off "127.0.0.1:$PORT_grey"
expect_status 2 "--expect with VRFY answered 451: unverified is not a pass, exit 2"
run --expect VRFY=off "127.0.0.1:$PORT_grey" "127.0.0.1:$PORT_open"
expect_status 2 "--expect: an unverified rule (2) outranks a violation (1)"
run --format json "127.0.0.1:$PORT_busy"
expect_status 2 "421 greeting: exit 2"
check "421 greeting: outcome temporary" outcome "$W/out" temporary
run --format nagios "127.0.0.1:$PORT_busy"
expect_status 1 "nagios: only 421 answers is WARNING"
check "nagios: 421 status line says try again" grep -q '^SMTPPROBE WARNING - .*temporary answers' "$W/out"
run --format nagios "127.0.0.1:$PORT_busy" "127.0.0.1:$PORT_reject" "127.0.0.1:$PORT_open"
expect_status 2 "nagios: the worst state across targets decides"

# response-time thresholds (check_smtp -w/-c) and the state of a high finding
serve slow $'welcome-delay 300\nreply TURN 250 2.0.0 OK, turning'
run --format nagios --banner-warn 100ms "127.0.0.1:$PORT_slow" --nagios-high ok
expect_status 1 "nagios: a greeting slower than --banner-warn is WARNING"
check "nagios: the status line says how long the greeting took" grep -q '^SMTPPROBE WARNING - .*greeting after [0-9]* ms' "$W/out"
check "nagios: banner perfdata carries the thresholds" grep -q "_banner'=[0-9]*ms;100;;0" "$W/out"
run --format nagios --banner-warn 100ms --banner-crit 200ms --nagios-high ok "127.0.0.1:$PORT_slow"
expect_status 2 "nagios: slower than --banner-crit is CRITICAL"
run --format nagios --session-crit 250ms --nagios-high ok "127.0.0.1:$PORT_slow"
expect_status 2 "nagios: a session slower than --session-crit is CRITICAL"
check "nagios: session perfdata" grep -q "_session'=[0-9]*ms;;250;0" "$W/out"
run --format nagios "127.0.0.1:$PORT_slow"
expect_status 1 "nagios: a high finding (turn-accepted) is WARNING by default"
run --format nagios --nagios-high critical "127.0.0.1:$PORT_slow"
expect_status 2 "nagios: --nagios-high critical"
check "nagios: names the finding" grep -q '^SMTPPROBE CRITICAL - .*turn-accepted' "$W/out"
run --format nagios --nagios-high ok "127.0.0.1:$PORT_slow"
expect_status 0 "nagios: --nagios-high ok"
run --format nagios --nagios-high maybe "127.0.0.1:$PORT_slow"
expect_status 3 "nagios: a bad --nagios-high is UNKNOWN"
run --banner-warn 2s --banner-crit 1s "127.0.0.1:$PORT_slow"
expect_status 64 "--banner-warn above --banner-crit"

# ---- input and usage errors -------------------------------------------------
run -f "$W"
expect_status 64 "-f DIRECTORY: exit 64"
contains "$W/err" "Is a directory" "-f DIRECTORY: says why"
run --format json -f "$W"
check "-f DIRECTORY: no empty JSON document" [ ! -s "$W/out" ]
run --format jsonl -f - <"$W"
expect_status 64 "-f - with a directory on stdin: exit 64"
run --format nagios -f "$W"
expect_status 3 "nagios: -f DIRECTORY is UNKNOWN"
check "nagios: -f DIRECTORY status line" grep -q '^SMTPPROBE UNKNOWN - .*Is a directory' "$W/out"
printf 'bad\000name.test\n127.0.0.1:%s\n' "$PORT_open" >"$W/nul"
run --format jsonl -f "$W/nul"
check "a NUL byte in a line: an error record for it, the next line probed" "$PYTHON" -c '
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 2, recs
assert recs[0]["target"] == "bad\\0name.test" and "NUL" in recs[0]["error"], recs[0]
assert recs[0]["outcome"] == "failed" and recs[0]["hosts"] == []
assert recs[1]["outcome"] == "ok", recs[1]
' "$W/out"
expect_status 2 "a NUL byte in a line: exit 2"
run --dns-server 127.0.0.1:99999 example.test
expect_status 64 "--dns-server port over 65535"
contains "$W/err" "127.0.0.1:99999" "--dns-server names the bad entry"
run --dns-server '127.0.0.1:53,[::1]:x' example.test
expect_status 64 "--dns-server bad IPv6 port"
run --format nagios --no-such-option example.test
expect_status 3 "nagios: a usage error is UNKNOWN"
check "nagios: usage error is one status line on stdout" grep -q '^SMTPPROBE UNKNOWN - unknown option' "$W/out"
run --format=nagios
expect_status 3 "nagios: no target is UNKNOWN"
check "nagios: says no targets" grep -qx 'SMTPPROBE UNKNOWN - no targets' "$W/out"

run help
expect_status 64 "a bare 'help' is not looked up in DNS"
contains "$W/err" "did you mean --help" "a bare 'help' says what was meant"
run --color always example.test
expect_status 64 "--color always (with a space) is not a target 'always'"
contains "$W/err" "--color=always" "--color always: says to write --color=always"
run --help
check "--help: no line wider than 80 columns" [ "$(awk 'length > 80' "$W/out" | wc -l)" -eq 0 ]

# ---- one run, every output (-o FORMAT:FILE) ---------------------------------
serve count 'reply VRFY 250 2.1.5 <postmaster@count.test>' -v
mkdir "$W/o"
echo "old metrics" >"$W/o/m.prom"
run -q --format json -o jsonl:"$W/o/a.jsonl" -o prometheus:"$W/o/m.prom" \
	-o nagios:"$W/o/n.txt" -o text:"$W/o/t.txt" "127.0.0.1:$PORT_count"
expect_status 0 "-o: a probed target, exit 0"
check "-o: one session for every format" [ "$(grep -c ' open 127.0.0.1' "$W/count.err")" -eq 1 ]
check "-o: stdout keeps --format json" "$PYTHON" -c 'import json, sys; assert json.load(open(sys.argv[1]))["kind"] == "run"' "$W/out"
check "-o jsonl: one record" [ "$(wc -l <"$W/o/a.jsonl")" -eq 1 ]
check "-o prometheus: replaced the old file, promtool clean" sh -c \
	'! grep -q "old metrics" "$1" && promtool check metrics <"$1"' _ "$W/o/m.prom"
check "-o nagios: the status line" grep -q '^SMTPPROBE OK - 1 host probed' "$W/o/n.txt"
check "-o text: the matrix" grep -q 'VRFY' "$W/o/t.txt"
check "-o: no temporary file left" [ "$(ls "$W/o" | wc -l)" -eq 4 ]
check "-o: files readable like any fopen() result (not 0600)" [ -n "$(find "$W/o/m.prom" -perm -0044)" ]
run -o json:"$W/o/x.json" -f "$W/o"
expect_status 64 "-o with an unreadable list: usage error"
check "-o: a run that fails leaves no file behind" [ ! -e "$W/o/x.json" ]
run -o json:"$W/nodir/x.json" "127.0.0.1:$PORT_count"
expect_status 64 "-o into a missing directory: usage error"
contains "$W/err" "nodir" "-o: names the file it cannot create"
run -o xml:"$W/o/x" "127.0.0.1:$PORT_count"
expect_status 64 "-o with an unknown format"
run -o json:"$W/o/same" -o jsonl:"$W/o/same" "127.0.0.1:$PORT_count"
expect_status 64 "-o naming one file twice"

# ---- --rate paces the plaintext reconnect after a failed handshake too -----
serve tlsfail $'reply EHLO 250-tlsfail.test|250 STARTTLS\ntls-fail alert'
t0=$(date +%s%N)
run --format jsonl --rate 2 --no-ptr --no-share "127.0.0.1:$PORT_tlsfail" "127.0.0.1:$PORT_tlsfail"
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
expect_status 0 "--rate with TLS fallback: both targets probed"
check "--rate with TLS fallback: each target reconnected in plaintext" \
	[ "$(grep -c '"fallback":true' "$W/out")" -eq 2 ]
# 4 connections at 2 a second: the 4th no sooner than 1.5 s after the 1st
check "--rate 2 paces all 4 connections, reconnects included (${ms} ms >= 1400)" \
	[ "$ms" -ge 1400 ]

finish

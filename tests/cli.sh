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
expect_status 0 "--demo"
contains "$W/out" "502 not impl" "demo: Postfix-like VRFY 502"
contains "$W/out" "252 cannot verify" "demo: Exim-like VRFY 252"
contains "$W/out" "252 enumerable" "demo: Postfix with VRFY on: 252, then 550 5.1.1"
contains "$W/out" "550 refused" "demo: Exim-like EXPN 550"
contains "$W/out" "251 SUPPORTED" "demo: VRFY answered 251"
contains "$W/out" "554" "demo: 554 greeting"
contains "$W/out" "451 temporary" "demo: greylisting is temporary"
contains "$W/out" "null MX (RFC 7505)" "demo: null MX"
contains "$W/out" "RCPT TO" "demo: VRFY advice names RCPT TO"
contains "$W/out" "use ETRN" "demo: TURN advice uses what EHLO advertised"
check "demo text has no escape byte with --no-color" \
	sh -c "! grep -q \$(printf '\\033') '$W/out'"

NO_COLOR=1 "$SMTPPROBE" --demo --color=always >"$W/nc" 2>&1
check "NO_COLOR wins over --color=always" sh -c "! grep -q \$(printf '\\033') '$W/nc'"
"$SMTPPROBE" --demo --color=always >"$W/c" 2>&1
check "--color=always colours" grep -q "$(printf '\033')\[" "$W/c"

run --demo --format json
expect_status 0 "--demo --format json"
check "demo JSON: statuses as RFC 5321 7.3 reads them" "$PYTHON" - "$W/out" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert isinstance(doc, list) and len(doc) == 8, len(doc)
by = {t["target"]: t for t in doc}
def cmd(t, verb):
    return by[t]["hosts"][0]["commands"][verb]
assert all(t["schema"] == "smtpprobe/1" for t in doc)
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
doc = json.load(open(sys.argv[1]))
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
expect_status 1 "--expect violated: exit 1"
check "--expect: violations where VRFY/EXPN/TURN answer, none where closed" "$PYTHON" - "$W/out" <<'PY'
import json, sys
by = {t["target"]: t for t in json.load(open(sys.argv[1]))}
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
expect_status 1 "--policy FILE works like --expect"

# monitoring formats
run --demo --format nagios --cert-warn 20 --cert-crit 10
check "nagios: one status line with perfdata" grep -qE '^SMTPPROBE (OK|WARNING|CRITICAL|UNKNOWN) - [^|]* \| ' "$W/out"
check "nagios: exit status is the plugin state (0..3)" [ "$status" -le 3 ]
run --demo --format prometheus
expect_status 0 "prometheus: exit 0"
check "prometheus: VRFY 502 of the Postfix-like lab host" \
	grep -qE '^smtpprobe_command_reply_code\{target="postfix.demo.test",.*command="VRFY"\} 502$' "$W/out"

run --demo --format jsonl
expect_status 0 "--demo --format jsonl"
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
t = json.load(open(sys.argv[1]))
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

finish

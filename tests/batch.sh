#!/bin/sh
# SPDX-License-Identifier: ISC
#
# batch.sh - many targets on one event loop: every input line yields
# exactly one record (10,000 of them, from a file and from stdin), shards
# are disjoint and cover the whole list, --per-ip is never exceeded, a 421
# starts the per-address back-off, and SIGINT cuts a batch promptly (also
# targets parked behind a back-off) while every admitted target still
# gets its record; records are written out as they finish, not at exit.
# Servers: tests/fakesmtpd on loopback addresses.
[ -z "${BASH_VERSION:-}" ] && exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
: "${FAKESMTPD:?FAKESMTPD must point at tests/fakesmtpd}"

W=$(mktemp -d)
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT

# serve NAME ADDR SCENARIO-TEXT: start a fakesmtpd, set PORT_<NAME>
serve() { fake_serve_named "$@"; }

serve ok 127.0.1.1 'reply VRFY 502 5.5.1 VRFY command is disabled'
serve reject 127.0.1.2 'welcome 554 5.7.1 no service here'
serve grey 127.0.1.3 'reply VRFY 451 4.7.1 greylisted|reply EXPN 451 4.7.1 greylisted'
serve slow 127.0.1.4 'delay VRFY 100'
# 127.0.1.5: nothing listens there (connection refused)
port_refused=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.1.5",0)); print(s.getsockname()[1])')

# ---- 10,000 targets, one record each, the right mix -----------------------
for i in $(seq 1 2500); do
	echo "127.0.1.1:$PORT_ok"
	echo "127.0.1.2:$PORT_reject"
	echo "127.0.1.3:$PORT_grey"
	echo "127.0.1.5:$port_refused"
done >"$W/10k"
echo "# a comment line, and a blank one, yield no record" >>"$W/10k"
echo >>"$W/10k"

count_mix() {	# FILE: prints "records ok reject grey refused"
	"$PYTHON" - "$1" <<'PY'
import json, sys
n = ok = rej = grey = refused = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    n += 1
    h = r["hosts"][0]
    if h["banner"] and h["banner"]["code"] == 554:
        rej += 1
    elif not h["connect"]["ok"]:
        refused += 1
    elif h["commands"]["VRFY"].get("code") == 502:
        ok += 1
    elif h["commands"]["VRFY"].get("status") == "temporary":
        grey += 1
print(n, ok, rej, grey, refused)
PY
}

start=$(date +%s)
"$SMTPPROBE" -q --format jsonl --connect-timeout 5 --timeout 5 --no-dane --no-ptr \
	-f "$W/10k" >"$W/out10k" 2>"$W/err10k"
status=$?
expect_status 2 "10,000 targets: exit 2 (some refused)"
check "10,000 targets: exactly 10,000 records with the right mix" \
	[ "$(count_mix "$W/out10k")" = "10000 2500 2500 2500 2500" ]
echo "# 10,000 targets took $(( $(date +%s) - start )) s"

"$SMTPPROBE" -q --format jsonl --connect-timeout 5 --timeout 5 --no-dane --no-ptr \
	-f - <"$W/10k" >"$W/outstdin" 2>/dev/null
check "stdin: the same 10,000 records" \
	[ "$(count_mix "$W/outstdin")" = "10000 2500 2500 2500 2500" ]

# ---- shards: disjoint, and together the whole list --------------------------
for i in $(seq 1 3000); do echo "bad name $i"; done >"$W/names"
for k in 0 1 2; do
	"$SMTPPROBE" -q --format jsonl --shard "$k/3" -f "$W/names" >"$W/shard$k" 2>/dev/null
done
check "shards: disjoint and their union is the whole list" "$PYTHON" - "$W" <<'PY'
import json, sys
w = sys.argv[1]
seen = []
for k in range(3):
    got = [json.loads(l)["target"] for l in open(f"{w}/shard{k}")]
    assert 500 < len(got) < 1500, (k, len(got))   # a fair hash
    seen.append(set(got))
assert not (seen[0] & seen[1]) and not (seen[0] & seen[2]) and not (seen[1] & seen[2])
assert set.union(*seen) == {f"bad name {i}" for i in range(1, 3001)}
PY
"$SMTPPROBE" -q --format jsonl --shard 1/3 -f "$W/names" >"$W/shard1b" 2>/dev/null
targets_of() { "$PYTHON" -c 'import json,sys; print("\n".join(sorted(json.loads(l)["target"] for l in open(sys.argv[1]))))' "$1"; }
check "shards: the same split on every run" \
	[ "$(targets_of "$W/shard1")" = "$(targets_of "$W/shard1b")" ]
run_status() { "$@" >/dev/null 2>&1; status=$?; }
run_status "$SMTPPROBE" --shard 3/3 x.example
expect_status 64 "--shard 3/3 is a usage error"

# ---- --per-ip: a server counting concurrent connections -----------------------
# (--no-share: one session per target, so that 30 of them meet one address)
kill $PIDS 2>/dev/null; wait 2>/dev/null; PIDS=
serve slow 127.0.1.4 'delay VRFY 100'
for i in $(seq 1 30); do echo "127.0.1.4:$PORT_slow"; done >"$W/slow"
"$SMTPPROBE" -q --format jsonl --per-ip 2 -P 50 --no-share --no-dane --no-ptr -f "$W/slow" >"$W/outslow" 2>/dev/null
kill $PIDS 2>/dev/null; wait 2>/dev/null; PIDS=
max=$(sed -n 's/.*max_concurrent \([0-9]*\).*/\1/p' "$W/slow.err")
check "--per-ip 2: the server never saw more than 2 at once (saw ${max:-?})" [ "${max:-99}" -le 2 ]
check "--per-ip 2: and did see 2 (the limit is used)" [ "${max:-0}" -eq 2 ]
check "--per-ip: all 30 records" [ "$(wc -l <"$W/outslow")" -eq 30 ]

# interrupt SIG SECS OUT ARGS...: smtpprobe ARGS > OUT in the background,
# SIG after SECS; sets status, and ms from the signal to the exit
interrupt() {
	local sig=$1 secs=$2 out=$3 pid t0
	shift 3
	"$SMTPPROBE" "$@" >"$out" 2>/dev/null &
	pid=$!
	sleep "$secs"
	t0=$(date +%s%N)
	kill -"$sig" "$pid"
	wait "$pid"
	status=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}

# ---- SIGINT: prompt, and a record for every admitted target -------------------
# (--no-share: 40 sessions to one address, each cut)
serve tarpit 127.0.1.6 'silent'
for i in $(seq 1 300); do echo "127.0.1.6:$PORT_tarpit"; done >"$W/tarpit"
interrupt INT 1 "$W/outint" -q --format jsonl --per-ip 1000 -P 40 --no-share --timeout 60 \
	--no-dane --no-ptr -f "$W/tarpit"
expect_status 130 "SIGINT: exit 130"
check "SIGINT: stopped within a second ($ms ms)" [ "$ms" -lt 1000 ]
check "SIGINT: every admitted target has a record, marked interrupted" "$PYTHON" - "$W/outint" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
# 40 sessions in flight and the rest of a 2 x 40 window admitted
assert len(recs) == 80, len(recs)
assert all(r["error"] == "interrupted" for r in recs), recs[0]
assert sum(1 for r in recs if r["hosts"][0]["connect"]["ok"]) == 40
PY
interrupt TERM 0.5 /dev/null -q --format jsonl --per-ip 1000 -P 40 --no-share --timeout 60 \
	--no-dane --no-ptr -f "$W/tarpit"
expect_status 143 "SIGTERM: exit 143"

# ---- a 421 in the same write as a reply backs off; SIGINT cuts the wait -----
# The server answers VRFY with 252 and, in the same write, 421 (RFC 5321
# 3.8), then closes: a shutdown, so the address is left alone for 10 s
# and the other two targets park behind the back-off.  SIGINT must not
# wait for it: every admitted target gets its record at once.
serve shut 127.0.1.7 $'raw VRFY 252 2.1.5 Cannot VRFY\\r\\n421 4.3.2 Service shutting down\\r\\n\nclose-after VRFY'
for i in 1 2 3; do echo "127.0.1.7:$PORT_shut"; done >"$W/shut"
interrupt INT 1 "$W/outshut" -q --format jsonl --per-ip 1 --no-share --timeout 5 --no-dane \
	--no-ptr -f "$W/shut"
expect_status 130 "421 back-off, SIGINT: exit 130 (still parked after 1 s)"
check "421 back-off, SIGINT: stopped at once ($ms ms)" [ "$ms" -lt 500 ]
check "421 back-off: one shutdown session, two parked ones interrupted" "$PYTHON" - "$W/outshut" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 3, len(recs)
hosts = [r["hosts"][0] for r in recs]
shut = [h for h in hosts if (h["failure"] or {}).get("class") == "shutdown"]
assert len(shut) == 1 and shut[0]["commands"]["VRFY"]["code"] == 252, hosts
parked = [r for r in recs if r["hosts"][0]["failure"]["state"] == "queued"]
assert len(parked) == 2, recs
assert all(r["error"] == "interrupted" and not r["hosts"][0]["connect"]["ok"]
           for r in parked), parked
PY

# ---- records leave as they finish, not at exit -----------------------------
# stdout is buffered (one write a loop turn, report_flush()), and reading a
# list from a pipe blocks the loop: what is done must be written out first.
# Four targets in, the list left open: -P 1 runs them one by one, and the
# three finished before the read that waits for a fifth are in the output.
serve stream 127.0.1.8 'reply VRFY 502 5.5.1 VRFY command is disabled'
mkfifo "$W/fifo"
"$SMTPPROBE" -q --format jsonl -P 1 --no-share --no-dane --no-ptr -f - <"$W/fifo" \
	>"$W/outstream" 2>/dev/null &
spid=$!
exec 7>"$W/fifo"
for i in 1 2 3 4; do echo "127.0.1.8:$PORT_stream" >&7; done
for _ in $(seq 100); do
	[ "$(wc -l <"$W/outstream")" -ge 3 ] && break
	sleep 0.1
done
check "streaming: records are out while the list is still open" \
	[ "$(wc -l <"$W/outstream")" -eq 3 ]
check "streaming: smtpprobe is still reading its list" kill -0 "$spid"
exec 7>&-
wait "$spid"
check "streaming: all four records at the end" [ "$(wc -l <"$W/outstream")" -eq 4 ]

finish

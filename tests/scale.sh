#!/bin/sh
# SPDX-License-Identifier: ISC
#
# scale.sh - a run probes each (address, port, MX name) once: many
# domains whose MX records lead to a few servers open one session per
# (address, port, MX name), counted by the server, and every domain still
# gets a complete record of its own, marked shared (hosts[].shared,
# shared_from); --no-share opens one session per domain again.  DNS runs
# ahead of the sessions: with DNS slower than SMTP (DELAY in the zone),
# sessions in flight reach -P while lookups for later targets go on.
# Server: tests/fakesmtpd with a fake zone (--dns).
[ -z "${BASH_VERSION:-}" ] && exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
: "${FAKESMTPD:?FAKESMTPD must point at tests/fakesmtpd}"
scratch

# 300 domains over 3 MX names, all three on one address (127.0.0.1)
N=300
for i in $(seq 1 $N); do
	echo "d$i.share.test MX 10 mx$((i % 3)).share.test"
	echo "d$i.share.test" >>"$W/list"
done >"$W/zone"
for k in 0 1 2; do echo "mx$k.share.test A 127.0.0.1"; done >>"$W/zone"
printf '%s\n' 'welcome 220 mx.share.test ESMTP Postfix (Debian)' \
	'reply VRFY 502 5.5.1 VRFY command is disabled' >"$W/srv.scn"

# serve / stop: tests/fakesmtpd with $W/zone and $W/srv.scn (lib.sh);
# after stop, CONNS is how many SMTP connections it saw, MAXC at once
serve() { fake_serve "$W/srv.scn"; }
stop() { fake_stop; }

# batch OUT ARGS...: the list against the fake zone, jsonl in $W/OUT
batch() {
	local out=$1; shift
	"$SMTPPROBE" -q --format jsonl --dns-server "127.0.0.1:$DNSPORT" -p "$PORT" \
		--helo probe.invalid --no-dane --connect-timeout 5 --timeout 5 \
		--dns-timeout 5 "$@" -f "$W/list" >"$W/$out" 2>"$W/$out.err"
	status=$?
}

# complete FILE SHARED: every domain has one complete record of its own;
# SHARED is how many hosts must say shared (the rest ran their session)
complete() {
	"$PYTHON" - "$1" "$N" "$2" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
n, want_shared = int(sys.argv[2]), int(sys.argv[3])
assert len(recs) == n, len(recs)
assert sorted(r["target"] for r in recs) == sorted("d%d.share.test" % i for i in range(1, n + 1))
ran = {}
shared = 0
for r in recs:
    assert r["error"] is None, r["error"]
    i = int(r["target"][1:].split(".")[0])
    assert len(r["hosts"]) == 1, r["hosts"]
    h = r["hosts"][0]
    # the record's own DNS and MX name
    assert r["dns"]["mx"][0]["host"] == "mx%d.share.test" % (i % 3), r["dns"]
    assert h["mx"] == "mx%d.share.test" % (i % 3) and h["mx_names"] == [h["mx"]], h
    # the whole session, whether run or copied
    assert h["connect"]["ok"] and h["banner"]["code"] == 220, h
    assert h["ehlo"]["code"] == 250 and h["quit"]["code"] == 221, h
    assert h["commands"]["VRFY"]["code"] == 502, h["commands"]
    assert all(c["status"] != "not_tried" for c in h["commands"].values()), h["commands"]
    # its own reverse DNS check, and its own findings about its own host
    assert h["ptr"] is not None, h
    ids = sorted(f["id"] for f in r["findings"])
    assert "vrfy-noncompliant" in ids, ids
    assert all(f["host"] in (None, h["mx"]) for f in r["findings"]), r["findings"]
    if h["shared"]:
        shared += 1
        assert h["shared_from"] is not None and h["shared_from"] != r["target"], h
        assert int(h["shared_from"][1:].split(".")[0]) % 3 == i % 3, h["shared_from"]
    else:
        assert h["shared_from"] is None, h
        assert want_shared == 0 or h["mx"] not in ran, ("ran twice", h["mx"])
        ran[h["mx"]] = r["target"]
assert shared == want_shared, (shared, want_shared)
PY
}

serve
batch out -P 100
stop
expect_status 0 "shared: exit 0"
check "shared: one session per (address, port, MX name): 3 for $N domains (server saw ${CONNS:-?})" \
	[ "${CONNS:-0}" -eq 3 ]
check "shared: every domain has a complete record, $((N - 3)) marked shared" \
	complete "$W/out" $((N - 3))
check "shared: --per-ip 1 holds across domains (server saw ${MAXC:-?} at once)" \
	[ "${MAXC:-99}" -le 1 ]

# -P 1: the first sessions end before later domains are admitted, which
# then take the kept result
serve
batch outp1 -P 1
stop
check "shared, -P 1: still 3 sessions (server saw ${CONNS:-?})" [ "${CONNS:-0}" -eq 3 ]
check "shared, -P 1: every record complete" complete "$W/outp1" $((N - 3))

serve
batch outno -P 100 --no-share
stop
expect_status 0 "--no-share: exit 0"
check "--no-share: one session per domain ($N, server saw ${CONNS:-?})" \
	[ "${CONNS:-0}" -eq "$N" ]
check "--no-share: every record complete, none shared" complete "$W/outno" 0

# ---- DNS ahead of sessions -------------------------------------------------
# every answer 400 ms late (MX, then A/AAAA: 800 ms a domain), every
# session at least 500 ms (VRFY delayed); 120 domains, each its own MX
N=120
rm -f "$W/list"
{
	echo "* DELAY 400"
	for i in $(seq 1 $N); do
		echo "a$i.ahead.test MX 10 mx$i.ahead.test"
		echo "mx$i.ahead.test A 127.0.0.1"
		echo "a$i.ahead.test" >>"$W/list"
	done
} >"$W/zone"
printf '%s\n' 'welcome 220 mx.ahead.test ESMTP' 'delay VRFY 500' >"$W/srv.scn"
serve
batch outahead -P 10 --per-ip 1000 --dns-timeout 5
stop
expect_status 0 "DNS ahead: exit 0"
check "DNS ahead: sessions in flight reach -P 10 (server saw ${MAXC:-?} at once)" \
	[ "${MAXC:-0}" -eq 10 ]
check "DNS ahead: one session per domain ($N, server saw ${CONNS:-?})" \
	[ "${CONNS:-0}" -eq "$N" ]
# a window of 2 x P targets (lookups and sessions together) admits 20
# before the first record is done; DNS with its own budget admits more
check "DNS ahead: lookups went on while the first sessions ran" "$PYTHON" - "$W/outahead" <<'PY'
import json, sys
from datetime import datetime
def t(s): return datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").timestamp()
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 120, len(recs)
assert all(r["hosts"] and r["hosts"][0]["quit"]["code"] == 221 for r in recs)
first_done = min(t(r["started"]) + r["duration_ms"] / 1000 for r in recs)
# (100 ms of margin: the next target is admitted as the first is reported)
early = sum(1 for r in recs if t(r["started"]) < first_done - 0.1)
assert early > 20, early
print("# admitted before the first record was done:", early)
PY

finish

#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""bench/check_jsonl.py FILE: count smtpprobe's jsonl records for bench/run.

Prints "RECORDS VRFY502 FULL": the number of records (lines that parse as
a JSON object), how many had a host whose VRFY got 502, and how many were
probed fully like the fleet's Postfix-like scenario says: one host,
connected, banner 220, EHLO 250, VRFY 502, EXPN 500, TURN 500, QUIT 221.
"""
import json
import sys

records = vrfy = full = 0
with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
    for line in f:
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if not isinstance(rec, dict):
            continue
        records += 1
        hosts = rec.get("hosts") or []
        cmds = [(h.get("commands") or {}) for h in hosts]
        if any((c.get("VRFY") or {}).get("code") == 502 for c in cmds):
            vrfy += 1
        if len(hosts) == 1:
            h, c = hosts[0], cmds[0]
            code = lambda v: (c.get(v) or {}).get("code")
            if ((h.get("connect") or {}).get("ok") and
                    (h.get("banner") or {}).get("code") == 220 and
                    (h.get("ehlo") or {}).get("code") == 250 and
                    code("VRFY") == 502 and code("EXPN") == 500 and
                    code("TURN") == 500 and
                    (h.get("quit") or {}).get("code") == 221):
                full += 1
print(records, vrfy, full)

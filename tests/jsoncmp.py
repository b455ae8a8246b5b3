#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""jsoncmp - compare an smtpprobe JSON report with a golden file.

Fields that change from run to run (timestamps, durations, ephemeral
ports) are replaced by placeholders before comparing, so a golden file
states everything else exactly.  With --update the normalised report
is written as the new golden.

The TLS scenarios use certificates that tests/tls/mkcerts.sh makes anew
on every run (fresh keys, validity counted from now): their fingerprints
(sha256, spki_sha256, a kept PEM), validity dates (not_before, not_after) and days_left change
with each generation, and the handshake time (handshake_ms) with each
run; so do the dates and day counts quoted in messages ("expired 371
days ago (2025-11-24T08:42:19Z)" becomes "expired <n> days ago
(<time>)").  Subject, issuer, SANs, chain and name results, version,
cipher and group stay exact: both ends are the same OpenSSL build, so
the negotiation is deterministic.

The made-up name of VRFY's control probe ("smtpprobe-" and 12 random
letters and digits) becomes "smtpprobe-<random>" wherever it appears:
commands.VRFY.control.arg, a finding's message, the transcript.

usage: jsoncmp.py [--update] REPORT GOLDEN
"""
import json
import re
import sys

VOLATILE_NUMBERS = {"duration_ms", "ms", "port", "handshake_ms", "days_left"}
VOLATILE_STRINGS = {"started", "sha256", "spki_sha256", "pem", "not_before",
                    "not_after"}


def normalise(node):
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k in VOLATILE_NUMBERS and isinstance(v, (int, float)):
                out[k] = "<number>"
            elif k in VOLATILE_STRINGS and isinstance(v, str):
                out[k] = "<string>"
            else:
                out[k] = normalise(v)
        return out
    if isinstance(node, list):
        return [normalise(v) for v in node]
    if isinstance(node, str):
        # an ephemeral port inside a message ("127.0.0.1:43381")
        node = re.sub(r"(127\.0\.0\.\d+):\d+", r"\1:<port>", node)
        # the random part of the control VRFY's name
        node = re.sub(r"\bsmtpprobe-[a-z0-9]{12}\b", "smtpprobe-<random>", node)
        # a certificate date and day count inside a message
        node = re.sub(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\b", "<time>", node)
        return re.sub(r"(?<![\w.-])-?\d+ (days?)\b", r"<n> \1", node)
    return node


def diff(a, b, path="$"):
    if type(a) is not type(b):
        return [f"{path}: got {json.dumps(a)[:200]}, want {json.dumps(b)[:200]}"]
    if isinstance(a, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            if k not in a:
                out.append(f"{path}.{k}: missing, want {json.dumps(b[k])[:200]}")
            elif k not in b:
                out.append(f"{path}.{k}: unexpected {json.dumps(a[k])[:200]}")
            else:
                out += diff(a[k], b[k], f"{path}.{k}")
        return out
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{path}: got {len(a)} items, want {len(b)}"]
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += diff(x, y, f"{path}[{i}]")
        return out
    return [] if a == b else [f"{path}: got {json.dumps(a)[:200]}, want {json.dumps(b)[:200]}"]


def main(argv):
    update = False
    if argv and argv[0] == "--update":
        update = True
        argv = argv[1:]
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as f:
        got = normalise(json.load(f))
    if update:
        with open(argv[1], "w", encoding="utf-8") as f:
            json.dump(got, f, indent=2, ensure_ascii=False)
            f.write("\n")
        return 0
    with open(argv[1], encoding="utf-8") as f:
        want = json.load(f)
    problems = diff(got, want)
    for p in problems[:20]:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

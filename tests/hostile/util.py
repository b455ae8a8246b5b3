#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""util - helpers of tests/hostile.sh.

  util.py expand IN OUT CERTDIR
      copy scenario IN to OUT, replacing @CERTDIR@ by CERTDIR and every
      @REPEAT(N,TEXT)@ by TEXT repeated N times, "{i}" in TEXT counting
      1..N (TEXT may hold neither ')' nor '@': write \\x29, \\x40;
      a REPEAT nested in TEXT is expanded first).
      Keeps the hostile scenarios small while they send megabytes.

  util.py measure OUTFILE CMD...
      run CMD, write "SECONDS MAXRSS_KB" (like /usr/bin/time -f '%e %M')
      as the last line of OUTFILE, exit with CMD's status (128+N when
      killed by signal N).  For hosts without GNU time.

  util.py ctlcheck FILE...
      fail, listing offsets, if a file holds a byte a terminal acts on:
      ESC (0x1b), CSI (0x9b), any other C0 control but LF, DEL, or a C1
      control (U+0080..U+009F, raw or UTF-8 encoded).
"""
import os
import re
import resource
import subprocess
import sys
import time

REPEAT = re.compile(r"@REPEAT\((\d+),([^)@]*)\)@")


def expand(src, dst, certdir):
    with open(src, encoding="utf-8") as f:
        text = f.read()
    text = text.replace("@CERTDIR@", certdir)

    def rep(m):
        n, t = int(m.group(1)), m.group(2)
        if "{i}" not in t:
            return t * n
        return "".join(t.replace("{i}", str(i)) for i in range(1, n + 1))

    while REPEAT.search(text):	# inner ones first
        text = REPEAT.sub(rep, text)
    with open(dst, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


def measure(out, cmd):
    t0 = time.monotonic()
    rc = subprocess.call(cmd)
    dt = time.monotonic() - t0
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(out, "w", encoding="utf-8") as f:
        f.write(f"{dt:.2f} {rss}\n")
    return rc if rc >= 0 else 128 - rc


def ctlcheck(paths):
    bad = 0
    for p in paths:
        with open(p, "rb") as f:
            text = f.read().decode("utf-8", errors="surrogateescape")
        hits = []
        for i, ch in enumerate(text):
            c = ord(ch)
            if 0xdc80 <= c <= 0xdcff:	# a byte that is not UTF-8
                c -= 0xdc00
            if (c < 0x20 and c != 0x0a) or 0x7f <= c <= 0x9f:
                hits.append(i)
        if hits:
            bad = 1
            print(f"{os.path.basename(p)}: {len(hits)} control character(s): "
                  + ", ".join(f"at {i}: {text[max(0, i - 12):i + 8]!r}"
                              for i in hits[:3]))
    return bad


def main(argv):
    if len(argv) == 4 and argv[0] == "expand":
        return expand(argv[1], argv[2], argv[3])
    if len(argv) >= 3 and argv[0] == "measure":
        return measure(argv[1], argv[2:])
    if len(argv) >= 2 and argv[0] == "ctlcheck":
        return ctlcheck(argv[1:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

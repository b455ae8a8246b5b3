#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""pyserver - a one-connection scripted server for the hostile scenarios
that tests/fakesmtpd cannot play: a reply trickled byte by byte, a TCP
reset (RST), a close right after accept, a 221 after which the server
keeps the connection open.  (Stop-gaps: see tests/hostile/README.)

usage: pyserver.py --port-file FILE SCENARIO

The scenario is read one step a line ('#' comment lines and blank lines
are skipped); BYTES take the escapes \\r \\n \\t \\\\ \\xHH and are sent
exactly:

    send BYTES          write BYTES at once
    trickle MS BYTES    write BYTES one byte every MS milliseconds
    recv                wait for one client line (ends at LF)
    sleep MS            wait
    rst                 abort the connection (SO_LINGER 0: an RST)
    close               close the connection (FIN)
    absent MS BYTES     read what the client sends for MS milliseconds
                        (or until it closes), log it to stderr, and exit 1
                        at once if BYTES is in it (e.g. a plaintext QUIT
                        written into a TLS handshake)

After the last step the server waits for the client to close (at most
60 s), then for SIGTERM (at most 60 s), and exits 0.  A client that goes away early (EPIPE, ECONNRESET,
EOF in recv) ends the script; that is not an error.  SIGTERM exits 0.
"""
import os
import re
import signal
import socket
import struct
import sys
import time


def unescape(s):
    out = bytearray()
    i = 0
    while i < len(s):
        c = s[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        n = s[i + 1:i + 2]
        if n == "r":
            out += b"\r"
        elif n == "n":
            out += b"\n"
        elif n == "t":
            out += b"\t"
        elif n == "\\":
            out += b"\\"
        elif n == "x" and re.fullmatch(r"[0-9a-fA-F]{2}", s[i + 2:i + 4]):
            out.append(int(s[i + 2:i + 4], 16))
            i += 2
        else:
            raise ValueError(f"bad escape at {i}: {s[i:i + 4]!r}")
        i += 2
    return bytes(out)


def parse(text):
    steps = []
    for no, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        if word == "send":
            steps.append(("send", unescape(rest)))
        elif word == "trickle":
            ms, _, data = rest.partition(" ")
            steps.append(("trickle", int(ms), unescape(data)))
        elif word == "sleep":
            steps.append(("sleep", int(rest)))
        elif word == "absent":
            ms, _, data = rest.partition(" ")
            steps.append(("absent", int(ms), unescape(data)))
        elif word in ("recv", "rst", "close"):
            steps.append((word,))
        else:
            raise ValueError(f"line {no}: unknown step {word!r}")
    return steps


def run(conn, steps):
    pending = b""
    for st in steps:
        if st[0] == "send":
            conn.sendall(st[1])
        elif st[0] == "trickle":
            for b in st[2]:
                conn.sendall(bytes([b]))
                time.sleep(st[1] / 1000)
        elif st[0] == "sleep":
            time.sleep(st[1] / 1000)
        elif st[0] == "absent":
            got = pending
            end = time.monotonic() + st[1] / 1000
            while time.monotonic() < end:
                conn.settimeout(max(end - time.monotonic(), 0.001))
                try:
                    chunk = conn.recv(4096)
                except socket.timeout:
                    break
                if not chunk:
                    break
                got += chunk
            conn.settimeout(None)
            print(f"absent: received {got!r}", file=sys.stderr, flush=True)
            if st[2] in got:
                print(f"absent: {st[2]!r} came", file=sys.stderr, flush=True)
                os._exit(1)
            pending = b""
        elif st[0] == "recv":
            while b"\n" not in pending:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                pending += chunk
            pending = pending.split(b"\n", 1)[1]
        elif st[0] == "rst":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                            struct.pack("ii", 1, 0))
            conn.close()
            return
        elif st[0] == "close":
            conn.close()
            return
    # the script is over: keep the connection until the client leaves
    conn.settimeout(60)
    while conn.recv(4096):
        pass


def main(argv):
    if len(argv) != 3 or argv[0] != "--port-file":
        print(__doc__, file=sys.stderr)
        return 2
    # os._exit: a TERM that comes while Python finalises must not kill
    # the process with 143 (the handlers are reset then)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    with open(argv[2], encoding="utf-8") as f:
        steps = parse(f.read())
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(1)
    with open(argv[1] + ".tmp", "w", encoding="utf-8") as f:
        f.write(f"{ls.getsockname()[1]}\n")
    os.rename(argv[1] + ".tmp", argv[1])
    conn, _ = ls.accept()
    try:
        run(conn, steps)
    except (BrokenPipeError, ConnectionResetError, socket.timeout, OSError):
        pass
    conn.close()
    # stay until the runner's SIGTERM, so that the exit status is ours
    time.sleep(60)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

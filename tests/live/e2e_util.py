#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Small stdlib-only helpers for tests/live/e2e.sh.

  e2e_util.py ports                   print "DNSPORT SMTPPORT": DNSPORT free
                                      on 127.0.0.1 (UDP and TCP), SMTPPORT
                                      free on 127.0.0.2 to 127.0.0.6 (TCP)
  e2e_util.py wait-tcp HOST PORT SECS [PID]
                                      wait until HOST:PORT accepts a TCP
                                      connection; exit 1 on timeout or as soon
                                      as process PID is gone
  e2e_util.py dns PORT NAME TYPE [SECS [PID]]
                                      one UDP query to 127.0.0.1:PORT (retried
                                      until SECS, given up when PID is gone);
                                      prints "RCODE AA ANSWERS...", e.g.
                                      "NOERROR aa 10 mx-postfix.e2e.test.";
                                      a TLSA answer is "3 1 1 HEX" (lower case)
  e2e_util.py smtp HOST PORT          a short smtplib session: prints one
                                      "VERB CODE TEXT" line per command
  e2e_util.py starttls HOST PORT CAFILE NAME
                                      EHLO, STARTTLS, a handshake that checks
                                      the chain against CAFILE and the name
                                      NAME (also sent as SNI), EHLO again;
                                      prints "STARTTLS CODE TEXT", then
                                      "TLS VERSION CIPHER SUBJECT-CN" and
                                      "EHLO CODE TEXT", or "TLS-ERROR REASON"
  e2e_util.py smtps HOST PORT CAFILE NAME
                                      the same with implicit TLS (RFC 8314):
                                      "TLS ...", "BANNER ...", "EHLO ..."

Only the Python standard library is used.
"""
import os
import random
import socket
import smtplib
import struct
import sys
import time

RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN",
          4: "NOTIMP", 5: "REFUSED"}
TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "MX": 15, "TXT": 16,
         "AAAA": 28, "TLSA": 52}


def can_bind(family, kind, host, port):
    s = socket.socket(family, kind)
    try:
        s.bind((host, port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def free_port(host, kind):
    s = socket.socket(socket.AF_INET, kind)
    try:
        s.bind((host, 0))
        return s.getsockname()[1]
    finally:
        s.close()


def quiet_port():
    """A random port below the kernel's ephemeral range.

    Ports handed out by bind(0) come from the ephemeral range, which every
    outgoing connection of the other tests running in parallel (make -j2
    check: tens of thousands of them in tests/batch.sh) draws from too; a
    port picked there can be taken again before nsd or Postfix binds it.
    """
    low = 32768
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        pass
    top = max(min(low, 32768) - 1, 11000)
    return random.randint(10000, top)


def cmd_ports():
    dns = smtp = None
    for _ in range(200):
        p = quiet_port()
        if can_bind(socket.AF_INET, socket.SOCK_DGRAM, "127.0.0.1", p) and \
                can_bind(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1", p):
            dns = p
            break
    for _ in range(200):
        p = quiet_port()
        if p != dns and can_bind(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.2", p) and \
                all(can_bind(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.%d" % i, p)
                    for i in (3, 4, 5, 6)):
            smtp = p
            break
    if dns is None or smtp is None:
        sys.stderr.write("e2e_util: no free ports found\n")
        return 1
    print(dns, smtp)
    return 0


def alive(pid):
    if pid is None:
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie still answers kill(0): look at its state
    try:
        with open("/proc/%d/stat" % int(pid)) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def cmd_wait_tcp(host, port, secs, pid=None):
    end = time.monotonic() + float(secs)
    last = None
    while time.monotonic() < end:
        if not alive(pid):
            sys.stderr.write("e2e_util: process %s exited before %s:%s was ready\n"
                             % (pid, host, port))
            return 1
        try:
            with socket.create_connection((host, int(port)), timeout=1):
                return 0
        except OSError as e:
            last = e
            time.sleep(0.1)
    sys.stderr.write("e2e_util: %s:%s not accepting connections after %ss: %s\n"
                     % (host, port, secs, last))
    return 1


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode("ascii")
    return out + b"\0"


def read_name(msg, off):
    labels = []
    jumped = False
    end = off
    for _ in range(128):
        n = msg[off]
        if n & 0xC0 == 0xC0:
            if not jumped:
                end = off + 2
            off = ((n & 0x3F) << 8) | msg[off + 1]
            jumped = True
            continue
        off += 1
        if n == 0:
            break
        labels.append(msg[off:off + n].decode("ascii", "replace"))
        off += n
    if not jumped:
        end = off
    return ".".join(labels) + ".", end


def dns_query(port, name, qtype, timeout=1.0):
    qid = 0x5eed
    q = struct.pack(">HHHHHH", qid, 0x0000, 1, 0, 0, 0)  # RD=0: authoritative only
    q += encode_name(name) + struct.pack(">HH", TYPES[qtype], 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    try:
        s.sendto(q, ("127.0.0.1", int(port)))
        msg, _ = s.recvfrom(65535)
    finally:
        s.close()
    rid, flags, qd, an, _ns, _ar = struct.unpack(">HHHHHH", msg[:12])
    if rid != qid:
        raise OSError("DNS reply id mismatch")
    off = 12
    for _ in range(qd):
        _, off = read_name(msg, off)
        off += 4
    answers = []
    for _ in range(an):
        _, off = read_name(msg, off)
        rtype, _rclass, _ttl, rdlen = struct.unpack(">HHIH", msg[off:off + 10])
        off += 10
        rd = msg[off:off + rdlen]
        if rtype == 1:
            answers.append(socket.inet_ntoa(rd))
        elif rtype == 15:
            pref = struct.unpack(">H", rd[:2])[0]
            answers.append("%d %s" % (pref, read_name(msg, off + 2)[0]))
        elif rtype in (2, 5):
            answers.append(read_name(msg, off)[0])
        elif rtype == 52 and rdlen >= 3:
            answers.append("%d %d %d %s" % (rd[0], rd[1], rd[2], rd[3:].hex()))
        else:
            answers.append("type%d" % rtype)
        off += rdlen
    rcode = RCODES.get(flags & 0xF, str(flags & 0xF))
    aa = "aa" if flags & 0x0400 else "-"
    return rcode, aa, answers


def cmd_dns(port, name, qtype, secs="1", pid=None):
    end = time.monotonic() + float(secs)
    last = None
    while True:
        if not alive(pid):
            sys.stderr.write("e2e_util: process %s exited before DNS was ready\n" % pid)
            return 1
        try:
            rcode, aa, answers = dns_query(port, name, qtype)
            # a server that is still loading may answer SERVFAIL: retry
            if rcode not in ("SERVFAIL", "REFUSED") or time.monotonic() >= end:
                print(" ".join([rcode, aa] + answers))
                return 0
            last = rcode
        except OSError as e:
            last = e
        if time.monotonic() >= end:
            break
        time.sleep(0.1)
    sys.stderr.write("e2e_util: no DNS answer from 127.0.0.1:%s for %s %s: %s\n"
                     % (port, name, qtype, last))
    return 1


# (label, command): VRFY-UNKNOWN is the check smtpprobe's control VRFY
# makes, a local name that does not exist
SMTP_COMMANDS = [("VRFY", "VRFY postmaster"),
                 ("VRFY-UNKNOWN", "VRFY nosuchuser@vrfy.e2e.test"),
                 ("EXPN", "EXPN postmaster"), ("TURN", "TURN"),
                 ("ETRN", "ETRN e2e.test"), ("HELP", "HELP"), ("NOOP", "NOOP")]


def oneline(b):
    return b.decode("utf-8", "replace").replace("\n", " | ")


def cmd_smtp(host, port):
    s = smtplib.SMTP(timeout=5)
    code, msg = s.connect(host, int(port))
    print("BANNER %d %s" % (code, oneline(msg)))
    code, msg = s.ehlo("probe.e2e.test")
    print("EHLO %d %s" % (code, oneline(msg)))
    for label, cmd in SMTP_COMMANDS:
        verb, _, arg = cmd.partition(" ")
        s.putcmd(verb, arg)
        code, msg = s.getreply()
        print("%s %d %s" % (label, code, oneline(msg)))
    code, msg = s.quit()
    print("QUIT %d %s" % (code, oneline(msg)))
    return 0


def cmd_starttls(host, port, cafile, name):
    import ssl
    s = smtplib.SMTP(timeout=5)
    s.connect(host, int(port))
    s.ehlo("probe.e2e.test")
    code, msg = s.docmd("STARTTLS")
    print("STARTTLS %d %s" % (code, oneline(msg)))
    if code != 220:
        s.quit()
        return 0
    ctx = ssl.create_default_context(cafile=cafile)
    try:
        s.sock = ctx.wrap_socket(s.sock, server_hostname=name)
    except (OSError, ssl.SSLError) as e:
        print("TLS-ERROR %s" % e)
        s.close()
        return 0
    s.file = None
    cert = s.sock.getpeercert()
    cn = [v for rdn in cert.get("subject", ()) for k, v in rdn if k == "commonName"]
    print("TLS %s %s %s" % (s.sock.version(), s.sock.cipher()[0], ",".join(cn)))
    code, msg = s.ehlo("probe.e2e.test")
    print("EHLO %d %s" % (code, oneline(msg)))
    s.quit()
    return 0


def cmd_smtps(host, port, cafile, name):
    import ssl
    ctx = ssl.create_default_context(cafile=cafile)
    try:
        s = smtplib.SMTP_SSL(context=ctx, timeout=5)
        s._host = name          # the name checked and sent as SNI
        code, msg = s.connect(host, int(port))
    except (OSError, ssl.SSLError) as e:
        print("TLS-ERROR %s" % e)
        return 0
    cert = s.sock.getpeercert()
    cn = [v for rdn in cert.get("subject", ()) for k, v in rdn if k == "commonName"]
    print("TLS %s %s %s" % (s.sock.version(), s.sock.cipher()[0], ",".join(cn)))
    print("BANNER %d %s" % (code, oneline(msg)))
    code, msg = s.ehlo("probe.e2e.test")
    print("EHLO %d %s" % (code, oneline(msg)))
    s.quit()
    return 0


def main(argv):
    if len(argv) >= 2 and argv[1] == "ports" and len(argv) == 2:
        return cmd_ports()
    if len(argv) in (5, 6) and argv[1] == "wait-tcp":
        return cmd_wait_tcp(*argv[2:])
    if len(argv) in (5, 6, 7) and argv[1] == "dns":
        return cmd_dns(*argv[2:])
    if len(argv) == 4 and argv[1] == "smtp":
        try:
            return cmd_smtp(*argv[2:])
        except (OSError, smtplib.SMTPException) as e:
            sys.stderr.write("e2e_util: SMTP session with %s:%s failed: %s\n"
                             % (argv[2], argv[3], e))
            return 1
    if len(argv) == 6 and argv[1] in ("starttls", "smtps"):
        try:
            return (cmd_starttls if argv[1] == "starttls" else cmd_smtps)(*argv[2:])
        except (OSError, smtplib.SMTPException) as e:
            sys.stderr.write("e2e_util: %s session with %s:%s failed: %s\n"
                             % (argv[1], argv[2], argv[3], e))
            return 1
    sys.stderr.write(__doc__)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv))

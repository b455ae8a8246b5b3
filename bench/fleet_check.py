#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""fleet_check - helpers for bench/fleet-run.

fleet_check.py TOOL OUTPUT   prints "records full shared" for one run:
  smtpprobe (jsonl): records; full = greeting 220, EHLO 250, a reply to
    VRFY, EXPN and TURN, and QUIT 221; shared = hosts marked shared
  nmap (normal output): hosts with 25/tcp open; full = hosts with
    smtp-enum-users output
  floor (its JSON line): attempted; full = ok
fleet_check.py --table RESULTS   the table and the ratios
"""
import json
import sys


def smtpprobe(path):
    n = full = shared = 0
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            n += 1
            hosts = r.get("hosts") or []
            if hosts and all(
                    (h["banner"] or {}).get("code") == 220
                    and (h["ehlo"] or {}).get("code") == 250
                    and all((h["commands"].get(v) or {}).get("code")
                            for v in ("VRFY", "EXPN", "TURN"))
                    and (h["quit"] or {}).get("code") == 221
                    for h in hosts):
                full += 1
            shared += sum(1 for h in hosts if h.get("shared"))
    return n, full, shared


def nmap(path):
    n = full = 0
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("25/tcp open"):
                n += 1
            elif line.startswith(("| smtp-enum-users:", "|_smtp-enum-users:")):
                full += 1
    return n, full, 0


def floor(path):
    try:
        with open(path) as f:
            j = json.loads(f.read().strip().splitlines()[-1])
        return j["attempted"], j["ok"], 0
    except (IndexError, ValueError, KeyError):
        return 0, 0, 0


def table(path):
    rows = []
    with open(path) as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            rows.append(dict(zip(head, line.rstrip("\n").split("\t"))))
    print("%-4s %-9s %-10s %7s %8s %9s %8s %7s %7s %7s %7s %6s" % (
        "lat", "tool", "config", "wall_s", "hosts/s", "CPU_s/1k", "RSS_MiB",
        "records", "full", "shared", "conns", "drops"))
    rate = {}
    for r in rows:
        try:
            wall = float(r["wall_s"])
            cpu = float(r["user_s"]) + float(r["sys_s"])
            full = int(r["full"])
            hps = full / wall if wall > 0 else 0
            cpuk = cpu / full * 1000 if full else float("nan")
            rss = int(r["maxrss_kb"]) / 1024
        except ValueError:
            continue
        rate[(r["lat"], r["tool"], r["config"])] = (hps, cpuk)
        print("%-4s %-9s %-10s %7.2f %8.0f %9.3f %8.1f %7s %7s %7s %7s %6s" % (
            r["lat"], r["tool"], r["config"], wall, hps, cpuk, rss, r["records"],
            r["full"], r["shared"], r["conns"], r["rcvbuf_errors"]))
    print()
    for lat in sorted({k[0] for k in rate}, key=int):
        sp = rate.get((lat, "smtpprobe", "P1000"))
        for other in (("nmap", "maxpar1000"), ("floor", "c1000")):
            o = rate.get((lat,) + other)
            if sp and o and o[0] > 0:
                print("%s ms: smtpprobe -P 1000 / %s %s: %.2fx the hosts/s, "
                      "%.2fx the CPU per host" % (lat, other[0], other[1],
                                                 sp[0] / o[0], sp[1] / o[1]))


if __name__ == "__main__":
    if sys.argv[1] == "--table":
        table(sys.argv[2])
    else:
        print(*{"smtpprobe": smtpprobe, "nmap": nmap,
                "floor": floor}[sys.argv[1]](sys.argv[2]))

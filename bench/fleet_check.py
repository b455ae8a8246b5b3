#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""fleet_check - helpers for bench/fleet-run.

fleet_check.py TOOL OUTPUT   prints "records full shared" for one run:
  smtpprobe (jsonl): records; full = greeting 220, EHLO 250, a reply to
    VRFY, EXPN and TURN, and QUIT 221; shared = hosts marked shared
  nmap (normal output): hosts with 25/tcp open; full = hosts with
    smtp-enum-users output
  floor (probe_floor's or floor_full's JSON line, the last): attempted;
    full = ok
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


def median(v):
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def table(path):
    """One line a cell (latency, tool, config): the median of its rounds,
    the range of hosts/s, the largest RSS; then the ratios of smtpprobe
    -P 1000 to nmap and to the floor, each taken within one round (the
    same minutes of the same machine) and given as the median of the
    rounds with their range."""
    rows = []
    with open(path) as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            rows.append(dict(zip(head, line.rstrip("\n").split("\t"))))
    cells = {}
    per_round = {}
    for r in rows:
        try:
            wall = float(r["wall_s"])
            cpu = float(r["user_s"]) + float(r["sys_s"])
            full = int(r["full"])
            rss = int(r["maxrss_kb"]) / 1024
        except ValueError:
            continue
        hps = full / wall if wall > 0 else 0
        cpuk = cpu / full * 1000 if full else float("nan")
        key = (r["lat"], r["tool"], r["config"])
        cells.setdefault(key, []).append((wall, hps, cpuk, rss, r))
        per_round[key + (r.get("round", "1"),)] = (hps, cpuk)
    print("%-4s %-9s %-12s %6s %7s %8s %13s %9s %8s %7s %7s %7s %7s %6s" % (
        "lat", "tool", "config", "rounds", "wall_s", "hosts/s", "(range)",
        "CPU_s/1k", "RSS_MiB", "records", "full", "shared", "conns", "drops"))
    for key, runs in cells.items():
        last = runs[-1][4]
        hps = [x[1] for x in runs]
        print("%-4s %-9s %-12s %6d %7.2f %8.0f %13s %9.3f %8.1f %7s %7s %7s %7s %6s" % (
            key[0], key[1], key[2], len(runs), median([x[0] for x in runs]),
            median(hps), "%.0f-%.0f" % (min(hps), max(hps)),
            median([x[2] for x in runs]), max(x[3] for x in runs),
            last["records"], last["full"], last["shared"], last["conns"],
            max(int(x[4]["rcvbuf_errors"]) for x in runs)))
    print()
    rounds = sorted({k[3] for k in per_round}, key=int)
    # (smtpprobe config, its name here, what it is compared with)
    pairs = [("P1000", "smtpprobe -P 1000", other) for other in (
        ("nmap", "maxpar1000"), ("floor", "c1000"), ("floor", "full-c1000"))]
    # -b: two processes side by side, the most two cores give
    pairs.append(("shards2-P500", "smtpprobe 2 shards", ("nmap", "maxpar1000")))
    for lat in sorted({k[0] for k in cells}, key=int):
        for config, name, other in pairs:
            hr, cr = [], []
            for rd in rounds:
                sp = per_round.get((lat, "smtpprobe", config, rd))
                o = per_round.get((lat,) + other + (rd,))
                if sp and o and o[0] > 0 and o[1] > 0:
                    hr.append(sp[0] / o[0])
                    cr.append(sp[1] / o[1])
            if hr:
                print("%s ms: %s / %s %s: %.2fx the hosts/s "
                      "(rounds %.2f-%.2f), %.2fx the CPU per host" % (
                          lat, name, other[0], other[1], median(hr), min(hr),
                          max(hr), median(cr)))


if __name__ == "__main__":
    if sys.argv[1] == "--table":
        table(sys.argv[2])
    else:
        print(*{"smtpprobe": smtpprobe, "nmap": nmap,
                "floor": floor}[sys.argv[1]](sys.argv[2]))

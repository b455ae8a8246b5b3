#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""bench/table.py RESULTS.tsv N: the table, the smtpprobe/nmap ratios and
the project's targets, from bench/run's results.tsv."""
import csv
import sys

path, n = sys.argv[1], int(sys.argv[2])
rows = list(csv.DictReader(open(path), delimiter="\t"))


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


for r in rows:
    wall, user, sys_ = num(r["wall_s"]), num(r["user_s"]), num(r["sys_s"])
    r["hps"] = n / wall if wall else None
    r["cpu1k"] = (user + sys_) * 1000 / n if user is not None and sys_ is not None else None
    rss = num(r["maxrss_kb"])
    r["rss_mib"] = rss / 1024 if rss is not None else None
    full = num(r["full"])
    r["ok"] = full is not None and int(full) == n


def f(v, fmt):
    return "-" if v is None else fmt % v


hdr = ("delay", "tool", "config", "rc", "wall s", "hosts/s", "CPU s/1k",
       "RSS MiB", "records", "VRFY502", "full", "conns", "max conc")
print()
print("%-5s %-9s %-15s %3s %8s %8s %8s %7s %7s %7s %5s %6s %8s" % hdr)
for r in rows:
    print("%-5s %-9s %-15s %3s %8s %8s %8s %7s %7s %7s %5s %6s %8s" % (
        r["delay"], r["tool"], r["config"], r["rc"], r["wall_s"],
        f(r["hps"], "%.0f"), f(r["cpu1k"], "%.3f"), f(r["rss_mib"], "%.1f"),
        r["records"], r["vrfy502"], r["full"], r["conns"], r["max_conc"]))

print()
print("ratios smtpprobe/nmap (hosts/s: >1 = smtpprobe faster; CPU, RSS: <1 = smtpprobe leaner)")
pairs = (("P1000", "maxpar1000"), ("P1000-nodane", "maxpar1000"),
         ("default", "default"), ("default-nodane", "default"))
for d in sorted({r["delay"] for r in rows}, key=int):
    by = {(r["tool"], r["config"]): r for r in rows if r["delay"] == d}
    for sp, nm in pairs:
        a, b = by.get(("smtpprobe", sp)), by.get(("nmap", nm))
        if a is None or b is None:
            continue
        out = []
        for key, name in (("hps", "hosts/s"), ("cpu1k", "CPU"), ("rss_mib", "RSS")):
            if a[key] and b[key]:
                out.append("%s %.2f" % (name, a[key] / b[key]))
        print("  %3s ms  smtpprobe %-15s / nmap %-11s %s" % (d, sp, nm, "  ".join(out)))

print()
print("targets (smtpprobe, %d domains, no TLS; a run counts only if every host was probed fully)" % n)


def target(d, config, key, op, want, label):
    r = next((r for r in rows if r["delay"] == d and r["tool"] == "smtpprobe"
              and r["config"] == config), None)
    if r is None or r[key] is None:
        return
    v = r[key]
    met = (v >= want if op == ">=" else v <= want) and r["ok"]
    print("  %-48s %-16s %10.3f %s %-8g %s%s" % (label, config, v, op, want,
          "MET" if met else "MISSED", "" if r["ok"] else " (not every host probed fully)"))


for cfg in ("P1000", "P1000-nodane"):
    target("0", cfg, "hps", ">=", 8000, "0 ms: hosts/s")
    target("0", cfg, "cpu1k", "<=", 0.15, "0 ms: CPU s per 1000 hosts")
    target("50", cfg, "hps", ">=", 2500, "50 ms, -P 1000: hosts/s")
    target("50", cfg, "rss_mib", "<=", 32, "50 ms, -P 1000: peak RSS MiB")
for cfg in ("default", "default-nodane"):
    target("50", cfg, "hps", ">=", 1000, "50 ms, default settings: hosts/s")

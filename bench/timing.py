#!/usr/bin/python3
"""Time the cases of bench/cases/*.sql and print a Markdown table.

A case file holds cases separated by header comments:

    -- case: <name>
    -- floor: <name of the case that is the floor>        (optional)
    -- compare: <name of the plain-SQL case it replaces>  (optional)
    -- set: <setting = value>                             (optional, repeatable)
    -- runs: <N>            (optional: fewer runs for a case of minutes)
    <one SQL statement>;

Every case runs 3 times (or its "runs") in the same session (after one untimed warm-up run
when the file says "-- warmup: on"); the best time counts.  Ratios: "plain SQL /
socroi" for cases with "compare", "socroi / floor" for cases with "floor".
Connection parameters come from PGHOST/PGPORT/PGUSER/PGDATABASE.
"""
import glob
import os
import sys
import time

import psycopg2

RUNS = 3


def parse(path):
    cases, cur = [], None
    for line in open(path, encoding="utf-8"):
        s = line.strip()
        if s.startswith("-- case:"):
            cur = {"name": s[8:].strip(), "sql": [], "floor": None, "compare": None,
                   "file": os.path.basename(path)}
            cases.append(cur)
        elif cur is not None and s.startswith("-- floor:"):
            cur["floor"] = s[9:].strip()
        elif cur is not None and s.startswith("-- compare:"):
            cur["compare"] = s[11:].strip()
        elif cur is not None and s.startswith("-- runs:"):
            cur["runs"] = int(s[8:].strip())
        elif cur is not None and s.startswith("-- set:"):
            cur.setdefault("set", []).append(s[7:].strip())
        elif cur is not None and not s.startswith("--"):
            cur["sql"].append(line)
    for c in cases:
        c["sql"] = "".join(c["sql"]).strip().rstrip(";")
    return cases


def main():
    patterns = sys.argv[1:] or [""]
    files = sorted(f for f in glob.glob("bench/cases/*.sql")
                   if any(p in os.path.basename(f) for p in patterns))
    conn = psycopg2.connect("")
    conn.autocommit = True
    cur = conn.cursor()
    best = {}
    rows = []
    for f in files:
        for c in parse(f):
            cur.execute("RESET ALL")
            for s in c.get("set", []):
                cur.execute("SET " + s)
            times = []
            for _ in range(c.get("runs", RUNS)):
                t0 = time.perf_counter()
                cur.execute(c["sql"])
                cur.fetchall()
                times.append((time.perf_counter() - t0) * 1000.0)
            best[c["name"]] = min(times)
            if c.get("runs", RUNS) != RUNS:
                c["name"] += f" ({c['runs']} run{'s' if c['runs'] > 1 else ''})"
            best[c["name"]] = min(times)
            rows.append(c)
            print(f"  {c['name']:<48} {min(times):10.1f} ms", file=sys.stderr)
    print()
    print("| case | ms (best of 3) | plain SQL / socroi | socroi / floor |")
    print("|---|---:|---:|---:|")
    for c in rows:
        ms = best[c["name"]]
        vs_sql = f"{best[c['compare']] / ms:.1f}x" if c["compare"] in best else ""
        vs_floor = f"{ms / best[c['floor']]:.2f}x" if c["floor"] in best else ""
        print(f"| {c['name']} | {ms:.1f} | {vs_sql} | {vs_floor} |")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""The dashboard's checker (dashboard/check/check.py) without a browser:

- compare() against a made-up rendered page: a number passes when it is
  within half a unit of the last digit shown, and fails when further off, when
  its label is missing or repeated, when the SQL fails or gives more than one
  value;
- every key number of dashboard/checks.sql, and every deliberately wrong one
  of dashboard/check/wrong_checks.sql, runs on the demo warehouse and gives
  one value, and the two disagree for every wrong one;
- every page of dashboard/pages/ has a key number.

scripts/dashboard.sh runs the real thing, on the pages in Chromium.
PGDATABASE holds socroi and the demo warehouse.
"""
import glob
import os
import sys
from decimal import Decimal

import psycopg2

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "dashboard", "check"))
import check  # noqa: E402

failures = []


def expect(cond, msg):
    if not cond:
        failures.append(msg)
        print("  FAIL " + msg, file=sys.stderr)


def main():
    conn = psycopg2.connect("")
    conn.autocommit = True
    cur = conn.cursor()

    # shown_number: the value and the unit of its last digit
    for text, num, unit in [("226,842", "226842", "1"), ("30.1%", "30.1", "0.1"), ("-1.28", "-1.28", "0.01"),
                            ("\u22125", "-5", "1"), ("5.4E-52", "5.4E-52", "1E-53"), ("€1,234.50", "1234.50", "0.01")]:
        got = check.shown_number(text)
        expect(got == (Decimal(num), Decimal(unit)), f"shown_number({text!r}) = {got}, expected ({num}, {unit})")

    page = [{"page": "p", "values": [{"label": "ROI", "value": "30.1%"}, {"label": "Cost (EUR)", "value": "226,842"},
                                     {"label": "p", "value": "5.4E-52"}, {"label": "twice", "value": "1"},
                                     {"label": "twice", "value": "1"}, {"label": "none", "value": "-"}]}]
    cases = [
        ("ROI", "SELECT 30.1", True), ("ROI", "SELECT 30.0500001::float8", True),
        ("ROI", "SELECT 30.1499999", True), ("ROI", "SELECT 30.16", False), ("ROI", "SELECT 30.04", False),
        ("Cost (EUR)", "SELECT 226842.34::numeric", True), ("Cost (EUR)", "SELECT 226843.6", False),
        ("p", "SELECT 5.36e-52::float8", True), ("p", "SELECT 5.5e-52::float8", False),
        ("none", "SELECT NULL::float8", True), ("none", "SELECT 0", False),
        ("twice", "SELECT 1", False), ("missing", "SELECT 1", False),
        ("ROI", "SELECT no_such_column FROM channels", False), ("ROI", "SELECT 30.1, 1", False),
        ("ROI", "SELECT 30.1 FROM generate_series(1, 2)", False),
    ]
    results = check.compare(page, [("p", label, sql) for label, sql, _ in cases], cur)
    for (label, sql, want), (ok, msg) in zip(cases, results):
        expect(ok == want, f"compare {label!r} with {sql!r}: {'passed' if ok else 'failed'} ({msg})")

    # the declared checks run on the warehouse; the wrong ones give other values
    checks = check.read_checks(os.path.join(ROOT, "dashboard", "checks.sql"))
    wrong = check.read_checks(os.path.join(ROOT, "dashboard", "check", "wrong_checks.sql"))
    values = {}
    for name, lst in (("checks.sql", checks), ("wrong_checks.sql", wrong)):
        for pg, label, sql in lst:
            try:
                cur.execute(sql)
                rows = cur.fetchall()
                expect(len(rows) == 1 and len(rows[0]) == 1 and rows[0][0] is not None,
                       f"{name} {pg or '(home)'} | {label}: gives {rows!r:.200}, not one value")
                values.setdefault((pg, label), []).append(rows[0][0])
            except psycopg2.Error as e:
                expect(False, f"{name} {pg or '(home)'} | {label}: {str(e).strip()}")
    for pg, label, _ in wrong:
        expect((pg, label) in {(p, lab) for p, lab, _ in checks},
               f"wrong_checks.sql {pg} | {label}: no such key number in checks.sql")
        v = values.get((pg, label), [])
        expect(len(v) == 2 and abs(float(v[0]) - float(v[1])) > 1e-6 * max(1, abs(float(v[0]))),
               f"wrong_checks.sql {pg} | {label}: not different from the right value ({v})")
    pages = {("" if os.path.basename(p) == "index.md" else os.path.basename(p)[:-3])
             for p in glob.glob(os.path.join(ROOT, "dashboard", "pages", "*.md"))}
    declared = {pg for pg, _, _ in checks}
    expect(pages == declared, f"pages {sorted(pages)} and the pages of checks.sql {sorted(declared)} differ")

    print(f"dashboard_checker: {len(cases)} comparisons, {len(checks)} key numbers and {len(wrong)} "
          f"wrong ones run on the warehouse, {len(pages)} pages each with a key number")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

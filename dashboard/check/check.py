#!/usr/bin/python3
"""Checks a rendered dashboard (the JSON of check/render.mjs) against the
warehouse.

  check.py RENDERED.json CHECKS.sql [--expect-mismatch]

For every page: it rendered, shows no Evidence error block, no "No Records",
no component still loading, no browser error; every chart painted pixels;
its screenshot is a PNG that is not blank.  For every check of CHECKS.sql
(page, label, SQL): the page shows a big number with that label, and it
equals the SQL's value run directly on PostgreSQL (PG* environment) to the
precision shown: a page showing 30.1% passes for 30.05 <= x <= 30.15.

With --expect-mismatch (the checker's self-test) the run passes only if
EVERY check of CHECKS.sql fails: give it deliberately wrong SQL and it must
catch each one.
"""
import json
import re
import sys
from decimal import Decimal

import psycopg2

BLOCK = re.compile(r"^-- page:[ \t]*(?P<page>[^\n]*)\n-- label:[ \t]*(?P<label>[^\n]+)\n(?P<sql>.*?)(?=^-- page:|\Z)",
                   re.S | re.M)


def read_checks(path):
    text = open(path, encoding="utf-8").read()
    checks = [(m.group("page").strip(), m.group("label").strip(), m.group("sql").strip().rstrip(";"))
              for m in BLOCK.finditer(text)]
    if not checks:
        sys.exit(f"{path}: no checks found")
    return checks


def shown_number(text):
    """The number a formatted value shows, and the size of its last digit:
    '226,842' -> (226842, 1), '30.1%' -> (30.1, 0.1), '-1.28' -> (-1.28, 0.01)."""
    t = text.replace("\u2212", "-").replace(",", "")
    m = re.search(r"-?\d+(\.\d+)?(E[+-]?\d+)?", t, re.I)
    if not m:
        return None, None
    num = Decimal(m.group(0))
    if m.group(2):     # scientific: the unit of the mantissa's last digit
        mant = m.group(0)[:m.group(0).upper().index("E")]
        decimals = len(mant.split(".")[1]) if "." in mant else 0
        exp = int(m.group(2)[1:])
        return num, Decimal(1).scaleb(exp - decimals)
    decimals = len(m.group(1)) - 1 if m.group(1) else 0
    return num, Decimal(1).scaleb(-decimals)


def png_is_blank(path):
    """A screenshot is blank when it is (almost) one colour."""
    from PIL import Image
    with Image.open(path) as im:
        im = im.convert("RGB")
        small = im.resize((max(1, im.width // 4), max(1, im.height // 4)))
        colours = small.getcolors(maxcolors=1 << 20) or []
        non_white = sum(n for n, c in colours if sum(c) < 3 * 245)
        return len(colours) < 16 or non_white < 0.01 * small.width * small.height


def check_pages(pages):
    bad = []
    for p in pages:
        name = p["page"] or "(home)"
        for problem in p.get("problems", []):
            bad.append(f"{name}: {problem}")
        if "charts" not in p:
            continue
        for e in p["errors"]:
            bad.append(f"{name}: Evidence error block: {e[:300]}")
        if p["empty"]:
            bad.append(f"{name}: {p['empty']} component(s) show 'No Records'")
        if p.get("loading"):
            bad.append(f"{name}: {p['loading']} component(s) still loading after 30 s")
        if not p["charts"]:
            bad.append(f"{name}: no chart on the page")
        for i, c in enumerate(p["charts"]):
            if c["painted"] < 500:
                bad.append(f"{name}: chart {i + 1} painted {c['painted']} pixels (blank)")
        try:
            if png_is_blank(p["screenshot"]):
                bad.append(f"{name}: the screenshot {p['screenshot']} is blank")
        except OSError as e:
            bad.append(f"{name}: screenshot unreadable: {e}")
    return bad


def compare(pages, checks, cur):
    """One line per check: (ok, message)."""
    by_page = {p["page"]: p for p in pages}
    results = []
    for page, label, sql in checks:
        where = f"{page or '(home)'} | {label}"
        p = by_page.get(page)
        if p is None or "values" not in p:
            results.append((False, f"{where}: the page was not rendered"))
            continue
        shown = [v["value"] for v in p["values"] if v["label"] == label]
        if len(shown) != 1:
            results.append((False, f"{where}: {len(shown)} big numbers with this label on the page"))
            continue
        num, unit = shown_number(shown[0])
        try:
            cur.execute(sql)
            rows = cur.fetchall()
        except psycopg2.Error as e:
            results.append((False, f"{where}: the SQL failed: {str(e).strip()}"))
            continue
        if len(rows) != 1 or len(rows[0]) != 1:
            results.append((False, f"{where}: the SQL must give one value, gave {rows!r:.200}"))
            continue
        value = rows[0][0]
        if value is None or num is None:
            ok = value is None and num is None
        else:
            # within half a unit of the last digit shown (and a hair more
            # for the binary rounding of a value exactly on the half)
            ok = abs(Decimal(repr(float(value))) - num) <= unit / 2 * (1 + Decimal("1e-9"))
        results.append((ok, f"{where}: page shows {shown[0]!r}, SQL gives {value!r}"))
    return results


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    expect_mismatch = "--expect-mismatch" in sys.argv
    if len(args) != 2:
        sys.exit(__doc__)
    pages = json.load(open(args[0], encoding="utf-8"))
    checks = read_checks(args[1])
    conn = psycopg2.connect("")
    conn.autocommit = True
    cur = conn.cursor()
    results = compare(pages, checks, cur)

    if expect_mismatch:
        caught = [m for ok, m in results if not ok]
        missed = [m for ok, m in results if ok]
        for m in caught:
            print(f"  caught (as it should): {m}")
        for m in missed:
            print(f"  FAIL not caught: {m}", file=sys.stderr)
        print(f"checker self-test: {len(caught)} of {len(results)} deliberately wrong numbers caught")
        sys.exit(1 if missed else 0)

    failures = check_pages(pages)
    checked_pages = {page for page, _, _ in checks}
    for p in pages:
        if p["page"] not in checked_pages:
            failures.append(f"{p['page'] or '(home)'}: no key number declared in {args[1]}")
    for ok, m in results:
        if ok:
            print("  ok   " + m)
        else:
            failures.append(m)
    sys.stdout.flush()
    for f in failures:
        print(f"  FAIL {f}", file=sys.stderr)
    print(f"dashboard: {len(pages)} pages, {sum(len(p.get('charts', [])) for p in pages)} charts, "
          f"{sum(ok for ok, _ in results)} of {len(results)} key numbers equal to the SQL")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

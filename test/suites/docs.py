#!/usr/bin/python3
"""Documentation is tested: README.md and doc/*.md examples run here.

Two kinds of fenced blocks are recognised:

  ```sql            a reference example, when the very next fenced block is
  ...               ```text: the SQL runs through psql (-X, aligned output)
  ```               and its output must equal the text block (trailing
  ```text           spaces ignored).
  ...
  ```

  ```sql cookbook   a cookbook report: it runs against the demo warehouse
  ...               through psycopg2 -- a standard client library, as BI tools
  ```               use -- and must return at least one row; every column
                    must be readable by the client: composite types of the
                    extension (and arrays of them) are registered and parsed
                    with psycopg2.extras.register_composite, floats finite or
                    NULL.

The database (PGDATABASE) holds socroi and the demo warehouse.

With SOCROI_DOCS_OUT=<file>, every example's psql output and every cookbook
query's columns and rows (floats by repr, bit-exact) are written there:
scripts/test-matrix.sh compares these files across PostgreSQL versions.
"""
import glob
import math
import os
import re
import subprocess
import sys

import psycopg2
import psycopg2.extras

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```\s*$", re.S | re.M)

failures = []
counts = {"examples": 0, "cookbook": 0, "columns": 0}
record = []


def fail(msg):
    failures.append(msg)
    print("  FAIL " + msg, file=sys.stderr)


def run_psql(sql):
    p = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-P", "pager=off"],
                       input=sql, capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def normalise(text):
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def extension_composites(cur):
    cur.execute("""
        SELECT t.typname FROM pg_type t
        JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid
                        AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
        JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'socroi'
        WHERE t.typtype = 'c'""")
    return [r[0] for r in cur.fetchall()]


def check_value(where, value):
    """Walk a fetched value: every float finite (or NULL), composites parsed."""
    counts["columns"] += 1
    if isinstance(value, float) and not math.isfinite(value):
        fail(f"{where}: non-finite float {value!r}")
    elif isinstance(value, (list, tuple)):
        for v in value:
            check_value(where, v)
    elif isinstance(value, str) and value.startswith("(") and value.endswith(")") \
            and value.count(",") >= 2:
        fail(f"{where}: a composite came back as an unparsed string: {value[:80]}")


def doc_files():
    return [os.path.join(ROOT, "README.md")] + sorted(glob.glob(os.path.join(ROOT, "doc", "*.md")))


def fenced_blocks(path):
    """(info string, body, line number) of every fenced block of a file."""
    text = open(path, encoding="utf-8").read()
    return [(m.group(1).strip(), m.group(2), text.count("\n", 0, m.start()) + 1)
            for m in FENCE.finditer(text)]


def cookbook_queries():
    """(where, sql) of every ```sql cookbook block of README.md and doc/*.md;
    also read by bi_clients.py, which runs them through JDBC and ODBC."""
    for path in doc_files():
        rel = os.path.relpath(path, ROOT)
        for info, body, line in fenced_blocks(path):
            if info == "sql cookbook":
                yield f"{rel}:{line}", body


def main():
    conn = psycopg2.connect("")
    conn.autocommit = True
    cur = conn.cursor()
    for name in extension_composites(cur):
        psycopg2.extras.register_composite(name, conn, globally=True)
    for path in doc_files():
        blocks = fenced_blocks(path)
        rel = os.path.relpath(path, ROOT)
        for i, (info, body, line) in enumerate(blocks):
            if info == "sql" and i + 1 < len(blocks) and blocks[i + 1][0] == "text":
                counts["examples"] += 1
                rc, out = run_psql(body)
                record.append(f"== {rel}:{line} example (exit {rc})\n{normalise(out)}")
                if rc != 0 or normalise(out) != normalise(blocks[i + 1][1]):
                    fail(f"{rel}:{line}: example output differs\n--- documented\n{normalise(blocks[i + 1][1])}"
                         f"\n--- actual\n{normalise(out)}")
    for where, body in cookbook_queries():
        counts["cookbook"] += 1
        try:
            cur.execute(body)
            rows = cur.fetchall()
        except psycopg2.Error as e:
            record.append(f"== {where} cookbook: error {e.pgcode}")
            fail(f"{where}: cookbook query failed: {e}")
            continue
        record.append(f"== {where} cookbook: {len(rows)} rows\n"
                      + " | ".join(col.name for col in cur.description) + "\n"
                      + "\n".join(repr(row) for row in rows))
        if not rows:
            fail(f"{where}: cookbook query returned no rows")
        for row in rows:
            for col, value in zip(cur.description, row):
                check_value(f"{where} column {col.name}", value)
    if os.environ.get("SOCROI_DOCS_OUT"):
        with open(os.environ["SOCROI_DOCS_OUT"], "w", encoding="utf-8") as f:
            f.write("\n".join(record) + "\n")
    print(f"docs: {counts['examples']} reference examples compared, {counts['cookbook']} cookbook "
          f"queries run through psycopg2 ({counts['columns']} values read)")
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()

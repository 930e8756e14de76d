#!/usr/bin/python3
"""The drivers BI tools use, on every report a BI tool would run.

Queries: every ```sql cookbook block of README.md and doc/*.md (extracted by
docs.py), every source query of the dashboard (dashboard/sources/socroi/*.sql),
every bi_* view of the demo warehouse, and one probe per type of the
extension.  Each runs through three clients and every value is compared:

  psycopg2   the reference (arrays, composites and the extension's own types
             read as PostgreSQL's text output)
  JDBC       PostgreSQL's JDBC driver (pgjdbc): Metabase, Tableau, DBeaver,
             Looker.  BiClients.java, run by the JRE.
  ODBC       psqlODBC through unixODBC and pyodbc: Power BI, Excel.

Values must be equal: integers, numeric (as decimals), float8 (bit for bit),
text, dates, timestamptz (as instants), arrays and composites as text.  The
row shapes are checked too: no composite column in any of these results, and
arrays only where a cookbook query builds the paths attribution() reads
(columns path, touch_times).  At the end the suite prints how each driver
reports each PostgreSQL type it met (README: "Using socroi from a BI tool").

Environment: PGHOST (127.0.0.1), PGPORT, PGDATABASE with socroi and the demo
warehouse; the JDBC driver jar in SOCROI_JDBC_JAR.
"""
import base64
import datetime
import decimal
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import psycopg2
import psycopg2.extensions
import pyodbc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from docs import ROOT, cookbook_queries  # noqa: E402  (one extraction of the cookbook)

UTC = datetime.timezone.utc
# the columns in which a cookbook query may return arrays: the paths that
# attribution() reads, built from touchpoint rows
PATH_COLUMNS = {"path", "touch_times"}

# one query per type of the extension that a result can hold; the states of
# the aggregates (*_state) are internal and never meant for a client
WEEKLY_RFM = ("(SELECT customer_id, customer_summary(ordered_at, amount::float8, '2026-10-31', '7 days'::interval) AS s "
              "FROM orders GROUP BY customer_id) AS r")

TYPE_PROBES = [
    ("attribution_model", "SELECT 'time_decay(half_life=7 days)'::attribution_model AS v"),
    ("channel_credit[]", "SELECT attribution(ARRAY['email', 'social ads', 'email'], 1, 99.5::float8, 'linear') AS v"),
    ("channel_credit", "SELECT (attribution(ARRAY['email', 'social ads'], 1, 99.5::float8, 'linear'))[1] AS v"),
    ("markov_transition[]", "SELECT markov_transitions(path, converted::int, (NOT converted)::int) AS v "
                            "FROM journey_paths"),
    ("markov_transition", "SELECT (markov_transitions(path, converted::int, (NOT converted)::int))[1] AS v "
                          "FROM journey_paths"),
    ("utm_params", "SELECT utm('https://shop.example/?utm_source=facebook&utm_medium=paid_social"
                   "&utm_campaign=summer, \"sale\"') AS v"),
    ("traffic_source", "SELECT traffic_source('https://shop.example/?gclid=x', 'https://www.google.com/') AS v"),
    ("clv_comparison", "SELECT clv_compare(c.follows_brand, o.amount::float8) AS v "
                       "FROM customers AS c JOIN orders AS o USING (customer_id)"),
    ("customer_rfm", "SELECT customer_summary(ordered_at, amount::float8, '2026-10-31') AS v "
                     "FROM orders WHERE customer_id = (SELECT min(customer_id) FROM orders)"),
    ("bgnbd_model", "SELECT bgnbd_fit((s).frequency, (s).recency, (s).t) AS v FROM "
                    "(SELECT customer_summary(ordered_at, amount::float8, '2026-10-31') AS s "
                    " FROM orders GROUP BY customer_id) AS r"),
    ("gamma_gamma_model", "SELECT gamma_gamma_fit((s).frequency, (s).monetary_value) AS v FROM "
                          "(SELECT customer_summary(ordered_at, amount::float8, '2026-10-31') AS s "
                          " FROM orders GROUP BY customer_id) AS r"),
    ("rate_comparison", "SELECT compare_rates(c.follows_brand, d.won) AS v "
                        "FROM deals AS d JOIN customers AS c USING (customer_id) WHERE d.closed_at IS NOT NULL"),
    ("conversion_time_summary", "SELECT time_to_convert(floor(extract(epoch FROM coalesce(closed_at, "
                                "timestamptz '2026-10-31') - opened_at) / 86400), closed_at IS NOT NULL) AS v "
                                "FROM deals"),
    ("time_comparison", "SELECT compare_time_to_convert(c.follows_brand, floor(extract(epoch FROM "
                        "coalesce(d.closed_at, timestamptz '2026-10-31') - d.opened_at) / 86400), "
                        "d.closed_at IS NOT NULL) AS v FROM deals AS d JOIN customers AS c USING (customer_id)"),
    ("journey", "SELECT (journeys(t, c, v))[1] AS v FROM (VALUES (timestamptz '2026-01-01 10:00+00', 'email', NULL::float8), "
                "(timestamptz '2026-01-02 11:00+00', 'social ads', 49.5::float8)) AS e(t, c, v)"),
    ("timed_path", "SELECT path_transform(ARRAY['email', 'email', 'social'], ARRAY[timestamptz '2026-01-01 10:00+00', "
                   "'2026-01-02 10:00+00', '2026-01-03 10:00+00'], 'exposure') AS v"),
    ("markov_order_fit", "SELECT (markov_order_selection(path, converted::int, (NOT converted)::int))[1] AS v "
                         "FROM journey_paths"),
    ("text[]", "SELECT path_transform(ARRAY['email', 'email', 'social'], 'exposure') AS v"),
    ("journey[]", "SELECT journeys(activity_at, activity_type, NULL::float8) AS v FROM crm_activities "
                  "WHERE customer_id = (SELECT min(customer_id) FROM crm_activities)"),
    ("journey", "SELECT (journeys(activity_at, activity_type, NULL::float8))[1] AS v FROM crm_activities "
                "WHERE customer_id = (SELECT min(customer_id) FROM crm_activities)"),
    ("timed_path", "SELECT path_transform(ARRAY['email', 'email', 'social'], ARRAY[timestamptz '2026-01-01 10:00+00', "
                   "'2026-01-02 10:00+00', '2026-01-03 10:00+00'], 'exposure') AS v"),
    ("markov_order_fit[]", "SELECT markov_order_selection(path, converted::int, (NOT converted)::int) AS v "
                           "FROM journey_paths"),
    ("mmm_model", "SELECT model AS v FROM mmm_models WHERE scope = 'brand'"),
    ("mmm_statistics", "SELECT mmm_fit_stats(model) AS v FROM mmm_models WHERE scope = 'brand'"),
    ("markov_order_fit", "SELECT (markov_order_selection(path, converted::int, (NOT converted)::int))[1] AS v "
                         "FROM journey_paths"),
    # the CLV models of 0.3.0 (weekly summaries of the demo orders)
    ("pareto_nbd_model", "SELECT pareto_nbd_fit((s).frequency, (s).recency, (s).t) AS v FROM " + WEEKLY_RFM),
    ("mbgnbd_model", "SELECT mbgnbd_fit((s).frequency, (s).recency, (s).t) AS v FROM " + WEEKLY_RFM),
    ("bgbb_model", "WITH o AS (SELECT customer_id, (extract(year FROM ordered_at) * 12 + extract(month FROM ordered_at))::int AS m "
                   "FROM orders), f AS (SELECT customer_id, min(m) AS m0 FROM o GROUP BY 1), "
                   "r AS (SELECT f.customer_id, count(DISTINCT o.m) FILTER (WHERE o.m > f.m0 AND o.m <= f.m0 + 6)::float8 AS x, "
                   "coalesce(max(o.m - f.m0) FILTER (WHERE o.m > f.m0 AND o.m <= f.m0 + 6), 0)::float8 AS tx "
                   "FROM f JOIN o USING (customer_id) WHERE f.m0 <= 2026 * 12 + 4 GROUP BY 1) "
                   "SELECT bgbb_fit(x, tx, 6) AS v FROM r"),
    ("sbg_model", "SELECT sbg_fit(renewals, cancelled_at IS NOT NULL) AS v FROM subscriptions"),
    ("bgnbd_comparison", "SELECT bgnbd_compare(customer_id % 2 = 0, (s).frequency, (s).recency, (s).t, 52) AS v FROM "
                         + WEEKLY_RFM),
    ("pareto_nbd_comparison", "SELECT pareto_nbd_compare(c.follows_brand, (s).frequency, (s).recency, (s).t, 52) AS v FROM "
                              + WEEKLY_RFM + " JOIN customers AS c USING (customer_id)"),
    ("sbg_comparison", "SELECT sbg_compare(c.follows_brand, s.renewals, s.cancelled_at IS NOT NULL, 12) AS v "
                       "FROM subscriptions AS s JOIN customers AS c USING (customer_id)"),
    ("customer_rfm_holdout", "SELECT customer_summary_holdout(ordered_at, amount::float8, '2026-06-30', '2026-10-31', 'week') AS v "
                             "FROM orders WHERE customer_id = (SELECT min(customer_id) FROM orders WHERE ordered_at < '2026-03-01')"),
    ("boolean", "SELECT is_social('l.facebook.com') AS v"),
]

failures = []


def fail(msg):
    failures.append(msg)
    print("  FAIL " + msg, file=sys.stderr)


def all_queries(cur):
    """(where, sql, kind): kind is cookbook, dashboard, view or probe."""
    out = [(where, sql, "cookbook") for where, sql in cookbook_queries()]
    for path in sorted(glob.glob(os.path.join(ROOT, "dashboard", "sources", "*", "*.sql"))):
        out.append((os.path.relpath(path, ROOT), open(path, encoding="utf-8").read(), "dashboard"))
    cur.execute("SELECT c.relname FROM pg_class c WHERE c.relkind = 'v' AND c.relname LIKE 'bi\\_%' "
                "AND pg_table_is_visible(c.oid) ORDER BY 1")
    for (view,) in cur.fetchall():
        out.append((f"view {view}", f"SELECT * FROM {view}", "view"))
    for name, sql in TYPE_PROBES:
        out.append((f"type {name}", sql, "probe"))
    return out


def raw_text_for_nested_types(conn, cur):
    """Arrays, composites and the extension's base types come back as
    PostgreSQL's text output, the form the other drivers give."""
    cur.execute("""
        SELECT t.oid FROM pg_type t
        WHERE t.typcategory = 'A' OR t.typtype = 'c'
           OR t.oid IN (SELECT d.objid FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
                        WHERE e.extname = 'socroi' AND d.classid = 'pg_type'::regclass AND d.deptype = 'e')""")
    oids = tuple(r[0] for r in cur.fetchall())
    raw = psycopg2.extensions.new_type(oids, "SOCROI_RAW", lambda value, cursor: value)
    psycopg2.extensions.register_type(raw, conn)


def type_info(cur, oid, cache={}):
    if oid not in cache:
        cur.execute("SELECT format_type(%s, NULL), typtype, typcategory FROM pg_type WHERE oid = %s", (oid, oid))
        cache[oid] = cur.fetchone()
    return cache[oid]


def start_jdbc(queries):
    """Start the JDBC runner on every query; it works while psycopg2 and ODBC
    run theirs (finish_jdbc collects its answers)."""
    work = tempfile.mkdtemp(prefix="socroi-jdbc.")
    with open(os.path.join(work, "queries.tsv"), "w") as f:
        for i, (_, sql, _) in enumerate(queries):
            f.write(f"{i}\t{base64.b64encode(sql.encode()).decode()}\n")
    url = (f"jdbc:postgresql://{os.environ['PGHOST']}:{os.environ['PGPORT']}/{os.environ['PGDATABASE']}"
           f"?user={os.environ.get('PGUSER', 'postgres')}")
    with open(os.path.join(work, "queries.tsv")) as stdin, \
            open(os.path.join(work, "out.json"), "w") as stdout, open(os.path.join(work, "err.txt"), "w") as stderr:
        p = subprocess.Popen(["java", "-Duser.timezone=UTC", "-cp", os.environ["SOCROI_JDBC_JAR"],
                              os.path.join(ROOT, "test", "suites", "BiClients.java"), url],
                             stdin=stdin, stdout=stdout, stderr=stderr)
    return p, work, time.monotonic()


def finish_jdbc(started, seconds):
    p, work, t0 = started
    rc = p.wait()
    seconds["JDBC"] = time.monotonic() - t0
    out = open(os.path.join(work, "out.json")).read()
    err = open(os.path.join(work, "err.txt")).read()
    shutil.rmtree(work)
    if rc != 0:
        fail(f"JDBC runner failed ({rc}): {err[-2000:]}")
        return None, {}
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    return lines[0]["driver"], {int(r["id"]): r for r in lines[1:]}


def odbc_connect(extra=""):
    """psqlODBC's Unicode driver, as registered by Debian's odbc-postgresql."""
    return pyodbc.connect(
        f"Driver={{PostgreSQL Unicode}};Servername={os.environ['PGHOST']};Port={os.environ['PGPORT']};"
        f"Database={os.environ['PGDATABASE']};Username={os.environ.get('PGUSER', 'postgres')};Password=;"
        + extra, autocommit=True)


def jdbc_value(v):
    """A JDBC [class, text] pair as a Python value to compare."""
    if v is None:
        return None
    cls, text = v
    if cls == "java.lang.Boolean":
        return text == "true"
    if cls in ("java.lang.Integer", "java.lang.Long", "java.lang.Short"):
        return int(text)
    if cls == "java.math.BigDecimal":
        return decimal.Decimal(text)
    if cls in ("java.lang.Double", "java.lang.Float"):
        return float(text)
    if cls == "java.sql.Timestamp":
        return datetime.datetime.fromisoformat(text)
    if cls == "java.sql.Date":
        return datetime.date.fromisoformat(text)
    return text        # String, arrays and PGobject as PostgreSQL's text


def odbc_value(v, ref):
    """psqlODBC gives booleans as '1'/'0' (its BoolsAsChar default) and
    timestamptz as a naive timestamp in the session time zone (UTC here)."""
    if isinstance(ref, bool) and v in ("1", "0"):
        return v == "1"
    if isinstance(v, datetime.datetime) and v.tzinfo is None and isinstance(ref, datetime.datetime):
        return v.replace(tzinfo=UTC)
    return v


def same(ref, got):
    if ref is None or got is None:
        return ref is None and got is None
    if isinstance(ref, bool) or isinstance(got, bool):
        return type(ref) is type(got) and ref == got
    if isinstance(ref, float):
        return isinstance(got, float) and (ref == got or (ref != ref and got != got))
    if isinstance(ref, (int, decimal.Decimal)):
        return isinstance(got, (int, decimal.Decimal)) and not isinstance(got, float) and ref == got
    return type(ref) is type(got) and ref == got


def main():
    ref = psycopg2.connect("")
    ref.autocommit = True
    cur = ref.cursor()
    meta = ref.cursor()
    raw_text_for_nested_types(ref, cur)
    queries = all_queries(cur)

    # every type of the extension that a result can hold has its probe
    cur.execute("""
        SELECT t.typname FROM pg_type t
        JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
        JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'socroi'
        WHERE t.typname NOT LIKE '%\\_state' AND t.typname NOT LIKE '\\_%'""")
    probed = {name for name, _ in TYPE_PROBES}
    for (typname,) in cur.fetchall():
        if typname not in probed:
            fail(f"type {typname} of the extension has no probe in TYPE_PROBES")

    seconds = {}
    jdbc_started = start_jdbc(queries)
    odbc = odbc_connect()
    odbc_driver = f"psqlODBC {odbc.getinfo(pyodbc.SQL_DRIVER_VER)}"
    ocur = odbc.cursor()
    # psqlODBC gives booleans as the characters '1'/'0' (BoolsAsChar=1 is its
    # default); with BoolsAsChar=0 in the DSN they are booleans (README)
    with odbc_connect("BoolsAsChar=0") as bools:
        got = bools.cursor().execute("SELECT is_social('l.facebook.com'), is_social('example.org')").fetchone()
        if tuple(got) != (True, False) or not all(type(v) is bool for v in got):
            fail(f"ODBC with BoolsAsChar=0: booleans came as {tuple(got)!r}")

    # psycopg2 and ODBC run every query while the JDBC runner works
    seconds["psycopg2"] = seconds["ODBC"] = 0.0
    answers = {}
    for qi, (where, sql, kind) in enumerate(queries):
        try:
            t0 = time.monotonic()
            cur.execute(sql)
            rows = cur.fetchall()
            seconds["psycopg2"] += time.monotonic() - t0
        except psycopg2.Error as e:
            fail(f"{where}: psycopg2: {str(e).strip()}")
            continue
        cols = [(d.name, type_info(meta, d.type_code)) for d in cur.description]
        try:
            t0 = time.monotonic()
            ocur.execute(sql)
            orows = [tuple(r) for r in ocur.fetchall()]
            odesc = ocur.description
            seconds["ODBC"] += time.monotonic() - t0
        except pyodbc.Error as e:
            fail(f"{where}: ODBC: {e}")
            orows = odesc = None
        answers[qi] = (rows, cols, orows, odesc)
    jdbc_driver, jdbc = finish_jdbc(jdbc_started, seconds)

    notes = {}      # PostgreSQL type -> (JDBC description, ODBC description)
    values = 0
    for qi, (rows, cols, orows, odesc) in answers.items():
        where, _, kind = queries[qi]
        if not rows:
            fail(f"{where}: no rows")
        for name, (typ, typtype, category) in cols:
            if kind == "probe":
                continue
            if typtype == "c":
                fail(f"{where}: column {name} is a composite ({typ}): expand it with (...).* for a BI tool")
            elif category == "A" and not (kind == "cookbook" and name in PATH_COLUMNS):
                fail(f"{where}: column {name} is an array ({typ}): unnest it for a BI tool")

        j = jdbc.get(qi)
        if j is None or "error" in j:
            fail(f"{where}: JDBC: {j and j.get('error')}")
            j = None
        for driver, names, got_rows in (
                ("JDBC", j and [c["name"] for c in j["columns"]], j and j["rows"]),
                ("ODBC", odesc and [d[0] for d in odesc], orows)):
            if got_rows is None:
                continue
            if names != [c[0] for c in cols]:
                fail(f"{where}: {driver} column names {names} differ from {[c[0] for c in cols]}")
                continue
            if len(got_rows) != len(rows):
                fail(f"{where}: {driver} gave {len(got_rows)} rows, psycopg2 {len(rows)}")
                continue
            bad = 0
            for r, (row, got) in enumerate(zip(rows, got_rows)):
                for c, (want, g) in enumerate(zip(row, got)):
                    values += 1
                    have = jdbc_value(g) if driver == "JDBC" else odbc_value(g, want)
                    if not same(want, have):
                        bad += 1
                        if bad <= 3:
                            fail(f"{where}: {driver} row {r + 1} column {cols[c][0]}: "
                                 f"{have!r:.200} (from {g!r:.200}), psycopg2 {want!r:.200}")
            if bad > 3:
                fail(f"{where}: {driver}: {bad} values differ in all")

        # how each driver reports each type (the first value seen)
        for c, (name, (typ, typtype, category)) in enumerate(cols):
            if typ in notes:
                continue
            first = next((row[c] for row in (j["rows"] if j else []) if row[c] is not None), None)
            jd = (f"{j['columns'][c]['type']} / {j['columns'][c]['sqlType']} / "
                  f"{first[0] if first else j['columns'][c]['class']}") if j else "?"
            ofirst = next((row[c] for row in (orows or []) if row[c] is not None), None)
            od = (f"{type(ofirst).__name__ if ofirst is not None else odesc[c][1].__name__}"
                  f" ({odesc[c][3]})") if odesc else "?"
            notes[typ] = (jd, od)

    print(f"bi_clients: {len(queries)} queries ({sum(k == 'cookbook' for _, _, k in queries)} cookbook, "
          f"{sum(k == 'dashboard' for _, _, k in queries)} dashboard sources, "
          f"{sum(k == 'view' for _, _, k in queries)} BI views, {sum(k == 'probe' for _, _, k in queries)} "
          f"type probes), {values} values through {jdbc_driver} and {odbc_driver} equal to psycopg2's "
          f"({', '.join(f'{k} {v:.0f} s' for k, v in seconds.items())})")
    print("  how the drivers report each type (JDBC: getColumnTypeName / java.sql.Types / getObject class;"
          " ODBC via pyodbc: Python type (column size)):")
    for typ in sorted(notes):
        print(f"    {typ:26} JDBC {notes[typ][0]:70} ODBC {notes[typ][1]}")
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()

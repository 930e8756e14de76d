#!/usr/bin/python3
"""Adversarial inputs for EVERY function and aggregate of the extension.

Functions and aggregates are found in the catalog; each argument type has a
pool of hostile values (NULL elements, empty and multi-dimensional arrays,
non-1-based arrays, 100,000-element paths, 10 kB strings, NaN, +-Infinity,
1e308, denormals, negative counts, infinite timestamps, unsorted touch times,
zero and negative intervals, malformed model strings ...).  For every
argument position, every value of its pool is tried while the other
arguments keep a valid baseline; aggregates get the value in one of three
rows, and run over no rows.  Every statement must give a result or an ERROR
with a SQLSTATE; a lost connection is a crash and fails the suite at once.
The suite ends by checking that the postmaster never restarted.
"""
import collections
import sys
import time

import psycopg2

TIMEOUT_S = 20
TIMEOUT = f"{TIMEOUT_S}s"

BIG_PATH = "(SELECT array_agg('ch' || (i % 23)) FROM generate_series(1, 100000) i)"
BIG_TIMES = ("(SELECT array_agg(timestamptz '2026-01-01' + i * interval '1 second') "
             "FROM generate_series(1, 100000) i)")
LONG_TEXT = "repeat('x', 10240)"

# type -> (baseline, [hostile values]) as SQL expressions
POOLS = {
    "text": ("'email'", ["NULL", "''", LONG_TEXT, "'(direct)'", "E'tab\\tnew\\nline'",
                         "'ünïcödé ✓'", "'DIRECT'", "'%zz%'", "'?utm_source=&utm_medium=%'",
                         "'https://www.google.nl/'", "'https://m.facebook.com/x?fbclid=1#a'",
                         "'http://[::1'", "'" + "?" * 300 + "'"]),
    "text[]": ("'{social,email,search}'", [
        "NULL", "'{}'", "'{NULL}'", "'{email,NULL}'", "'{{a,b},{c,d}}'", "'[5:7]={a,b,c}'",
        "'[-3:-1]={a,b,c}'", BIG_PATH, f"ARRAY[{LONG_TEXT}, 'a']", "'{direct,direct,direct}'",
        "'{a,b,a,b,a}'", "'{\"\"}'", "(SELECT array_agg('c' || i) FROM generate_series(1, 25) i)",
        "'{slow,medium,fast,faster}'"]),
    "double precision": ("1", ["NULL", "0", "-1", "'NaN'", "'Infinity'", "'-Infinity'", "1e308",
                               "-1e308", "5e-324", "2.2250738585072014e-308", "1e-300", "0.5",
                               "2147483648", "-0.0"]),
    "double precision[]": ("'{50,75}'", ["NULL", "'{}'", "'{NULL}'", "'{NaN}'", "'{1,Infinity}'",
                                         "'{{1,2},{3,4}}'", "'[0:1]={50,75}'", "'{75,50}'",
                                         "'{1e308,-1e308}'", "'{5e-324,1}'"]),
    "numeric": ("100", ["NULL", "0", "-1", "'NaN'", "'Infinity'", "'-Infinity'",
                        "('1e' || 1000)::numeric", "('1e-' || 1000)::numeric",
                        "123456789012345678901234567890.123456789", "-0.000001"]),
    "integer": ("3", ["NULL", "0", "-1", "1", "2147483647", "-2147483648", "5", "1000000"]),
    "bigint": ("3", ["NULL", "0", "-1", "9223372036854775807", "-9223372036854775808"]),
    "boolean": ("true", ["NULL", "false"]),
    "timestamp with time zone": ("'2026-03-01 00:00+00'", [
        "NULL", "'infinity'", "'-infinity'", "'4713-01-01 00:00+00 BC'", "'294276-12-31 00:00+00'",
        "'2026-01-01 00:00+00'", "'1970-01-01 00:00+00'"]),
    "timestamp with time zone[]": ("'{2026-02-01 00:00+00,2026-02-10 00:00+00,2026-02-20 00:00+00}'", [
        "NULL", "'{}'", "'{NULL,2026-01-01}'", "'{infinity,-infinity,2026-01-01}'",
        "'{2026-02-20,2026-02-01,2026-02-10}'", "'{{2026-01-01,2026-01-02},{2026-01-03,2026-01-04}}'",
        "'[5:7]={2026-01-01,2026-01-02,2026-01-03}'", BIG_TIMES, "'{2026-01-01}'",
        "'{2027-01-01,2027-01-02,2027-01-03}'"]),
    "date": ("'2024-01-01'", ["NULL", "'infinity'", "'-infinity'", "'4713-01-01 BC'", "'5874897-12-31'",
                              "'2024-02-29'", "'1970-01-01'"]),
    # fitted in adversarial.sh: adv_mmm (geometric, hill), adv_mmm_weibull
    # (weibull_pdf, logistic, holdout, cost rows, a control)
    "mmm_model": ("(SELECT m FROM adv_mmm)", [
        "NULL", "(SELECT m FROM adv_mmm_weibull)", "'mmm_model:1'", "''",
        "(SELECT left(m::text, 300) FROM adv_mmm)",
        "(SELECT regexp_replace(m::text, ' 1e', ' 9e', 'g') FROM adv_mmm)",
        "(SELECT regexp_replace(m::text, ' 0 ', ' 1e308 ', 'g') FROM adv_mmm)"]),
    "interval": ("'7 days'", ["NULL", "'0'", "'-1 day'", "'1 month'", "'1000000 years'",
                              "'1 microsecond'", "'-178000000 years'"]),
    "attribution_model": ("'linear'", [
        "NULL", "'first_touch'", "'last_touch'", "'last_non_direct'", "'last_non_direct(direct=)'",
        "'position_based'", "'position_based(first=0.9,last=0.9)'", "'position_based(first=NaN)'",
        "'position_based(first=-0.1,last=0.5)'", "'position_based(first=1e308)'",
        "'time_decay'", "'time_decay(half_life=0 days)'", "'time_decay(half_life=-1 day)'",
        "'time_decay(half_life=1e300 days)'", "'time_decay(half_life=1 microsecond)'",
        "'linear(lookback=30 days)'", "'linear(lookback=0)'", "'markov'", "'markov(order=4)'",
        "'markov(order=0)'", "'markov(order=99)'", "'markov(order=2'", "'markov(order=auto)'",
        "'markov(order=auto,value=removal)'", "'markov(value=removal)'", "'markov(value=)'", "'markov(order=Auto2)'", "'shapley'", "'shapley(x=1)'",
        "'linear('", "'linear)'", "'foo'", "''", "' linear '", "'LINEAR'", "'linear(lookback=30 days,lookback=1 day)'",
        "'" + "linear(" * 200 + "'"]),
    # stored states (the rollup functions take them): other models, other
    # units, states that merge nothing
    "attribution_state": ("(SELECT attribution_partial('{social,email}'::text[], 1, 10, 'linear'))", [
        "NULL", "(SELECT attribution_partial('{social,email}'::text[], 1, 10, 0, 'markov'))",
        "(SELECT attribution_partial('{social,email}'::text[], 1, 10, 2, 'shapley'))",
        "(SELECT attribution_partial('{a}'::text[], 0, 0, 'linear'))",
        "(SELECT attribution_partial('{}'::text[], 1, 10, 'linear'))",
        "(SELECT markov_transitions_accum(NULL, '{a,b}', 1, 1, 4))",
        "(SELECT attribution_partial(ARRAY[" + LONG_TEXT + "], 1, 1e308, 'first_touch'))"]),
    "customer_summary_state": ("(SELECT customer_summary_partial(timestamptz '2026-01-02', 10, timestamptz '2026-02-01'))", [
        "NULL", "(SELECT customer_summary_partial(timestamptz '2026-01-02', 10, timestamptz '2026-02-01', '7 days'))",
        "(SELECT customer_summary_partial(timestamptz '2026-01-02', 10, timestamptz '2026-02-01', '1 hour'))",
        "(SELECT customer_summary_partial(timestamptz '4713-01-01 00:00+00 BC', 1e308, timestamptz '294276-12-30'))",
        "(SELECT customer_summary_partial(timestamptz '2026-03-01', 0, timestamptz '2026-03-01'))"]),
}

# rows of valid-looking values for composite model arguments, by type name
COMPOSITES = {
    "traffic_source": ("ROW('google', 'cpc', 'brand')::{t}", [
        "NULL", "ROW(NULL, NULL, NULL)::{t}", "ROW('', '', '')::{t}",
        "ROW(" + LONG_TEXT + ", 'cpc', NULL)::{t}", "ROW('(direct)', '(none)', 'cross-network')::{t}"]),
    "bgnbd_model": ("ROW(0.243, 4.414, 0.793, 2.426, -9582.4, 2357, 0.013, 0.38, 0.19, 0.71)::{t}", [
        "NULL", "ROW('NaN', 4.414, 0.793, 2.426, 0, 1, NULL, NULL, NULL, NULL)::{t}",
        "ROW(-1, 4.414, 0.793, 2.426, 0, 1, NULL, NULL, NULL, NULL)::{t}",
        "ROW(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)::{t}",
        "ROW(1e308, 1e308, 1e308, 1e308, 0, 1, NULL, NULL, NULL, NULL)::{t}",
        "ROW(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::{t}",
        "ROW(5e-324, 5e-324, 5e-324, 5e-324, 0, 1, NULL, NULL, NULL, NULL)::{t}",
        "ROW(0.243, 4.414, 1, 2.426, 0, 1, 'NaN', -1, 'Infinity', NULL)::{t}"]),
    "gamma_gamma_model": ("ROW(6.25, 3.74, 15.44, 0, 946, 0.5, 0.2, 1.1)::{t}", [
        "NULL", "ROW(6.25, 1, 15.44, 0, 946, NULL, NULL, NULL)::{t}",
        "ROW(6.25, 0.5, 15.44, 0, 946, NULL, NULL, NULL)::{t}",
        "ROW('NaN', 3.74, 15.44, 0, 946, NULL, NULL, NULL)::{t}",
        "ROW(-6.25, 3.74, 15.44, 0, 946, NULL, NULL, NULL)::{t}",
        "ROW(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::{t}",
        "ROW(1e308, 1.0000000001, 1e308, 0, 1, NULL, NULL, NULL)::{t}"]),
    "pareto_nbd_model": ("ROW(0.553, 10.578, 0.606, 11.668, -9594.97, 2357, 0.05, 0.8, 0.2, 6.2)::{t}", [
        "NULL", "ROW('NaN', 10.578, 0.606, 11.668, 0, 1, NULL, NULL, NULL, NULL)::{t}",
        "ROW(0.553, -1, 0.606, 11.668, 0, 1, NULL, NULL, NULL, NULL)::{t}",
        "ROW(0.553, 10.578, 1, 11.668, 0, 1, NULL, NULL, NULL, NULL)::{t}",
        "ROW(0.553, 1e-300, 0.606, 1e300, 0, 1, NULL, NULL, NULL, NULL)::{t}",
        "ROW(0.553, 1e300, 0.606, 1e-300, 0, 1, NULL, NULL, NULL, NULL)::{t}",
        "ROW(1e308, 1e308, 1e308, 1e308, 0, 1, NULL, NULL, NULL, NULL)::{t}",
        "ROW(5e-324, 5e-324, 5e-324, 5e-324, 0, 1, NULL, NULL, NULL, NULL)::{t}",
        "ROW(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::{t}"]),
    "mbgnbd_model": ("ROW(0.525, 6.183, 0.891, 1.614, -9582.13, 2357, 0.08, 0.7, 0.15, 0.54)::{t}", [
        "NULL", "ROW('NaN', 6.183, 0.891, 1.614, 0, 1, NULL, NULL, NULL, NULL)::{t}",
        "ROW(0.525, 6.183, 1, 1.614, 0, 1, NULL, NULL, NULL, NULL)::{t}",
        "ROW(1e308, 1e308, 1e308, 1e308, 0, 1, NULL, NULL, NULL, NULL)::{t}",
        "ROW(5e-324, 5e-324, 5e-324, 5e-324, 0, 1, NULL, NULL, NULL, NULL)::{t}",
        "ROW(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::{t}"]),
    "bgbb_model": ("ROW(1.204, 0.750, 0.657, 2.783, -33225.58, 11104, 0.07, 0.03, 0.05, 0.32)::{t}", [
        "NULL", "ROW('NaN', 0.75, 0.657, 2.783, 0, 1, NULL, NULL, NULL, NULL)::{t}",
        "ROW(1.204, 0.75, 1, 2.783, 0, 1, NULL, NULL, NULL, NULL)::{t}",
        "ROW(1e308, 1e308, 1e308, 1e308, 0, 1, NULL, NULL, NULL, NULL)::{t}",
        "ROW(5e-324, 5e-324, 5e-324, 5e-324, 0, 1, NULL, NULL, NULL, NULL)::{t}",
        "ROW(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::{t}"]),
    "sbg_model": ("ROW(0.668, 3.806, -1611.16, 1000, 0.1, 0.8)::{t}", [
        "NULL", "ROW('NaN', 3.806, 0, 1, NULL, NULL)::{t}", "ROW(1, 3.806, 0, 1, NULL, NULL)::{t}",
        "ROW(1e-300, 1e300, 0, 1, NULL, NULL)::{t}", "ROW(1e300, 1e-300, 0, 1, NULL, NULL)::{t}",
        "ROW(1e308, 1e308, 0, 1, NULL, NULL)::{t}", "ROW(5e-324, 5e-324, 0, 1, NULL, NULL)::{t}",
        "ROW(-1, 2, 0, 1, NULL, NULL)::{t}", "ROW(NULL, NULL, NULL, NULL, NULL, NULL)::{t}"]),
}


def main():
    conn = psycopg2.connect("")
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("SELECT pg_postmaster_start_time()")
    started = cur.fetchone()[0]
    cur.execute(f"SET statement_timeout = '{TIMEOUT}'")
    cur.execute("""
        SELECT p.oid, p.proname, p.prokind,
               array(SELECT format_type(t, NULL) FROM unnest(p.proargtypes) t),
               p.oid::regprocedure::text
        FROM pg_proc p
        JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                        AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
        JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'socroi'
        WHERE p.prokind IN ('f', 'a') AND NOT EXISTS (
            -- type I/O and aggregate support functions are exercised by the
            -- crafted-state suite (aggregates.py)
            SELECT 1 FROM pg_type t WHERE p.oid IN (t.typinput, t.typoutput, t.typreceive, t.typsend))
          AND NOT EXISTS (SELECT 1 FROM pg_aggregate a
                          WHERE p.oid IN (a.aggtransfn, a.aggcombinefn, a.aggfinalfn))
        ORDER BY p.proname, p.oid""")
    routines = cur.fetchall()
    tried = 0
    ok = 0
    errors = collections.Counter()
    untyped = set()
    slow = []
    t0 = time.time()
    for oid, name, kind, argtypes, sig in routines:
        pools = []
        for t in argtypes:
            if t in POOLS:
                pools.append(POOLS[t])
            elif t in COMPOSITES:
                base, vals = COMPOSITES[t]
                pools.append((base.format(t=t), [v.format(t=t) for v in vals]))
            else:
                untyped.add(t)
                pools.append(("NULL", []))
        casts = [f"::{t}" for t in argtypes]
        baseline = [pools[i][0] + casts[i] for i in range(len(argtypes))]
        variants = [list(baseline), ["NULL" + c for c in casts]]
        for i, (_, vals) in enumerate(pools):
            for v in vals:
                args = list(baseline)
                args[i] = f"({v}){casts[i]}"
                variants.append(args)
        for args in variants:
            if kind == "f":
                sqls = [f"SELECT {name}({', '.join(args)})"]
                if name in ("attribute",):
                    sqls = [f"SELECT * FROM {name}({', '.join(args)})"]
            else:
                cols = ", ".join(f"c{i}" for i in range(len(args)))
                row_ok = ", ".join(baseline)
                row_bad = ", ".join(args)
                sqls = [f"SELECT {name}({cols}) FROM (VALUES ({row_ok}), ({row_bad}), ({row_ok})) v({cols})",
                        f"SELECT {name}({cols}) FROM (VALUES ({row_bad})) v({cols}) WHERE false"]
            for sql in sqls:
                tried += 1
                started_at = time.time()
                try:
                    cur.execute(sql)
                    cur.fetchall()
                    ok += 1
                except psycopg2.Error as e:
                    if e.pgcode is None or conn.closed:
                        # no SQLSTATE: the connection was lost -- a crash
                        print(f"CRASH: {sig}\n  {sql[:400]}\n  {e}", file=sys.stderr)
                        sys.exit(1)
                    errors[e.pgcode or "?"] += 1
                    if e.pgcode == "57014":
                        slow.append(f"{sig}: {sql[:200]}")
                    if time.time() - started_at > 3 * TIMEOUT_S:
                        print(f"  {sig} ignored statement_timeout ({time.time() - started_at:.0f} s): "
                              f"{sql[:300]}", file=sys.stderr)
                        errors["internal"] += 1
                    if e.pgcode in (None, "XX000", "XX001", "58P01"):
                        print(f"  internal error ({e.pgcode}) in {sig}: {str(e).strip()[:200]}\n"
                              f"    {sql[:300]}", file=sys.stderr)
                        errors["internal"] += 1
    cur.execute("SELECT pg_postmaster_start_time()")
    same = cur.fetchone()[0] == started
    summary = ", ".join(f"{k} x{v}" for k, v in sorted(errors.items()))
    print(f"adversarial: {len(routines)} routines, {tried} statements tried in {time.time() - t0:.0f} s, "
          f"{ok} results, {sum(v for k, v in errors.items() if k != 'internal')} errors ({summary}), "
          f"crashes 0, postmaster {'unchanged' if same else 'RESTARTED'}")
    for s in slow:
        print(f"  cancelled by statement_timeout ({TIMEOUT}): {s}", file=sys.stderr)
    if untyped:
        print(f"  (types without a hostile pool, tried with NULL only: {', '.join(sorted(untyped))})",
              file=sys.stderr)
    # an input that outlasts statement_timeout is a hang in the making
    if not same or errors.get("internal") or slow:
        sys.exit(1)


if __name__ == "__main__":
    main()

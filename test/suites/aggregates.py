#!/usr/bin/python3
"""Scale-out checks for EVERY aggregate of the extension.

For each aggregate found in the catalog (pg_depend on the extension), with the
rows of its fixture in test/suites/aggregate_fixtures.sql:

  serial       the single-pass answer (parallel plans disabled);
  parallel     forced parallel plan: EXPLAIN must show "Partial Aggregate",
               the answer must equal the serial one (1e-9 relative);
  partitions   the same rows in a hash-partitioned table with
               enable_partitionwise_aggregate: EXPLAIN shows a Partial
               Aggregate per partition, answers per group equal the serial ones;
  citus        Citus's generic path simulated without Citus: partial states on
               4 disjoint slices (transition function only), each shipped
               through its text output and input, merged with the combine
               function, finalised -- equal to the single pass;
  crafted      hostile states: every valid partial state is truncated, has
               bytes flipped, numbers inflated and sections duplicated; each
               mutant goes through the input function and, when accepted,
               through the combine and final functions.  Only results or
               ERRORs are allowed; a lost connection is a crash.

Fails (exit 1) on any difference, on a missing fixture, or on a crash.
"""
import os
import random
import re
import sys
import time

import psycopg2
import psycopg2.extensions

from pgcopy import copy_in_binary, copy_out_binary

HERE = os.path.dirname(os.path.abspath(__file__))
REL_TOL = 1e-9
NUM = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|-?Infinity|NaN")

failures = []
stats = {"aggregates": 0, "comparisons": 0, "mutants": 0, "mutants_rejected": 0,
         "mutants_accepted": 0, "errors_in_combine_or_final": 0}


def fail(msg):
    failures.append(msg)
    print("  FAIL " + msg, file=sys.stderr)


def numbers_equal(a, b):
    """Compare two result texts: equal tokens, numbers within REL_TOL."""
    if a is None or b is None:
        return a is None and b is None
    ta, tb = NUM.split(a), NUM.split(b)
    na, nb = NUM.findall(a), NUM.findall(b)
    if ta != tb or len(na) != len(nb):
        return False
    for x, y in zip(na, nb):
        if x == y:
            continue
        try:
            fx, fy = float(x), float(y)
        except ValueError:
            return False
        if abs(fx - fy) > REL_TOL * max(1.0, abs(fx), abs(fy)):
            return False
    return True


def lost(e, conn):
    """An error without SQLSTATE, or a closed connection, means the backend died."""
    return e.pgcode is None or conn.closed != 0


def load_fixtures(path):
    """Fixtures: '-- aggregate: <regprocedure text>' then one SELECT giving the
    argument columns in order (a column named g, if present, is a group key).
    An aggregate that returns its state (no final function: the rollup
    aggregates *_partial and *_merge) names the function that finishes it on
    a '-- finalise: <function>' line; answers are compared finished."""
    fixtures, finalisers, cur = {}, {}, None
    for line in open(path, encoding="utf-8"):
        s = line.strip()
        if s.startswith("-- aggregate:"):
            cur = s[len("-- aggregate:"):].strip()
            fixtures[cur] = []
        elif cur is not None and s.startswith("-- finalise:"):
            finalisers[cur] = s[len("-- finalise:"):].strip()
        elif cur is not None and not s.startswith("--"):
            fixtures[cur].append(line)
    return ({k: "".join(v).strip().rstrip(";") for k, v in fixtures.items() if "".join(v).strip()},
            finalisers)


def main():
    conn = psycopg2.connect("")
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("""
        SELECT a.aggfnoid::regprocedure::text, a.aggfnoid::oid, p.proname,
               a.aggtransfn::regproc::text, a.aggcombinefn::regproc::text,
               a.aggfinalfn::oid, a.aggfinalfn::regproc::text, a.aggfinalextra,
               format_type(a.aggtranstype, NULL), p.pronargs,
               (SELECT array_agg(format_type(t, NULL) ORDER BY o)
                  FROM unnest(p.proargtypes) WITH ORDINALITY u(t, o))
        FROM pg_aggregate a
        JOIN pg_proc p ON p.oid = a.aggfnoid
        JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                        AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
        JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'socroi'
        ORDER BY 1""")
    aggs = cur.fetchall()
    fixtures, finalisers = load_fixtures(os.path.join(HERE, "aggregate_fixtures.sql"))
    rng = random.Random(20261127)
    started = None
    for (sig, oid, name, transfn, combinefn, finaloid, finalfn, finalextra,
         stype, nargs, argtypes) in aggs:
        stats["aggregates"] += 1
        if started is not None:
            print(f"    ({time.time() - started:.1f} s)", file=sys.stderr)
        started = time.time()
        print(f"  {sig}", file=sys.stderr)
        if sig not in fixtures:
            fail(f"{sig}: no fixture in aggregate_fixtures.sql")
            continue
        cols = [f"a{i}" for i in range(1, nargs + 1)]
        call = f"{name}({', '.join(cols)})"
        finish = finalisers.get(sig)
        if not finaloid:
            if not finish:
                fail(f"{sig}: returns its state; name the function that finishes it "
                     "('-- finalise: <function>' in aggregate_fixtures.sql)")
                continue
            # compared finished: states of different plans may list their
            # entries in another order
            call = f"{finish}({call})"
        cur.execute("RESET ALL")
        cur.execute("DROP TABLE IF EXISTS agg_rows, agg_parts CASCADE")
        cur.execute(f"SELECT setseed(0.5); CREATE TABLE agg_rows AS "
                    f"SELECT row_number() OVER () AS id, f.* FROM ({fixtures[sig]}) f")
        cur.execute("SELECT column_name FROM information_schema.columns "
                    "WHERE table_name = 'agg_rows' ORDER BY ordinal_position")
        names = [r[0] for r in cur.fetchall()]
        has_group = "g" in names
        argnames = [n for n in names if n not in ("id", "g")]
        if len(argnames) != nargs:
            fail(f"{sig}: fixture gives {len(argnames)} argument columns, expected {nargs}")
            continue
        for i, n in enumerate(argnames, 1):
            cur.execute(f'ALTER TABLE agg_rows RENAME COLUMN "{n}" TO a{i}')
        cur.execute("ANALYZE agg_rows")

        # serial
        cur.execute("SET max_parallel_workers_per_gather = 0")
        cur.execute(f"SELECT {call}::text FROM agg_rows")
        serial = cur.fetchone()[0]
        if serial is None:
            fail(f"{sig}: fixture gives a NULL result; make it non-trivial")
            continue

        # parallel
        cur.execute("SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; "
                    "SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; "
                    "SET parallel_leader_participation = off")
        cur.execute(f"EXPLAIN (COSTS OFF) SELECT {call}::text FROM agg_rows")
        plan = "\n".join(r[0] for r in cur.fetchall())
        if "Partial Aggregate" not in plan:
            fail(f"{sig}: no Partial Aggregate in the forced parallel plan:\n{plan}")
        cur.execute(f"SELECT {call}::text FROM agg_rows")
        stats["comparisons"] += 1
        if not numbers_equal(serial, cur.fetchone()[0]):
            fail(f"{sig}: parallel answer differs from serial")

        # partitionwise, grouped
        cur.execute("RESET ALL")
        group_expr = "g" if has_group else "(id % 3)"
        cur.execute("CREATE TABLE agg_parts (LIKE agg_rows) PARTITION BY HASH (id)")
        for r in range(4):
            cur.execute(f"CREATE TABLE agg_parts_{r} PARTITION OF agg_parts "
                        f"FOR VALUES WITH (MODULUS 4, REMAINDER {r})")
        cur.execute("INSERT INTO agg_parts SELECT * FROM agg_rows; ANALYZE agg_parts")
        cur.execute("SET max_parallel_workers_per_gather = 0")
        cur.execute(f"SELECT {group_expr} AS k, {call}::text FROM agg_rows GROUP BY 1 ORDER BY 1")
        per_group = cur.fetchall()
        cur.execute("SET enable_partitionwise_aggregate = on")
        cur.execute(f"EXPLAIN (COSTS OFF) SELECT {group_expr} AS k, {call}::text "
                    f"FROM agg_parts GROUP BY 1 ORDER BY 1")
        plan = "\n".join(r[0] for r in cur.fetchall())
        if plan.count("Partial") < 2:
            fail(f"{sig}: no partial aggregation per partition:\n{plan}")
        cur.execute(f"SELECT {group_expr} AS k, {call}::text FROM agg_parts GROUP BY 1 ORDER BY 1")
        got = cur.fetchall()
        stats["comparisons"] += 1
        if len(got) != len(per_group) or any(
                a[0] != b[0] or not numbers_equal(a[1], b[1]) for a, b in zip(per_group, got)):
            fail(f"{sig}: partitionwise answers differ from serial")

        # Citus simulation: partial states through text, combine, final
        cur.execute("RESET ALL; SET max_parallel_workers_per_gather = 0")
        cur.execute(f"DROP AGGREGATE IF EXISTS pg_temp.partial_state({', '.join(argtypes)})")
        cur.execute(f"CREATE AGGREGATE pg_temp.partial_state({', '.join(argtypes)}) "
                    f"(SFUNC = {transfn}, STYPE = {stype})")
        cur.execute(f"SELECT id % 4, pg_temp.partial_state({', '.join(cols)})::text "
                    f"FROM agg_rows GROUP BY 1 ORDER BY 1")
        states = [r[1] for r in cur.fetchall()]
        merged = None
        for s in states:
            cur.execute(f"SELECT %s::{stype}::text", (s,))
            shipped = cur.fetchone()[0]
            if shipped != s:
                fail(f"{sig}: state text does not round-trip exactly")
            if merged is None:
                merged = shipped
            else:
                cur.execute(f"SELECT {combinefn}(%s::{stype}, %s::{stype})::text", (merged, shipped))
                merged = cur.fetchone()[0]
        extra = ""
        if finalextra:
            extra = ", " + ", ".join(f"NULL::{t}" for t in argtypes)
        if finaloid:
            cur.execute(f"SELECT {finalfn}(%s::{stype}{extra})::text", (merged,))
            final = cur.fetchone()[0]
        else:
            cur.execute(f"SELECT {finish}(%s::{stype})::text", (merged,))
            final = cur.fetchone()[0]
        stats["comparisons"] += 1
        if not numbers_equal(serial, final):
            fail(f"{sig}: text round-trip merge differs from the single pass\n"
                 f"  single: {serial[:300]}\n  merged: {final[:300]}")

        # binary round trip (send/recv) through COPY BINARY
        cur.execute(f"DROP TABLE IF EXISTS bin_states; CREATE TEMP TABLE bin_states (s {stype})")
        cur.execute(f"INSERT INTO bin_states SELECT unnest(%s::{stype}[])", (states,))
        blobs = copy_out_binary(cur, "SELECT s FROM bin_states")
        cur.execute("TRUNCATE bin_states")
        copy_in_binary(cur, "bin_states", blobs)
        cur.execute("SELECT s::text FROM bin_states")
        back = [r[0] for r in cur.fetchall()]
        if sorted(back) != sorted(states):
            fail(f"{sig}: state does not round-trip through send/recv")
        binary_mutants = []
        b0 = blobs[0]
        for cut in sorted(set([0, 1, 4, 8, len(b0) // 2, len(b0) - 1])):
            if cut < len(b0):
                binary_mutants.append(b0[:cut])
        for _ in range(60):
            pos = rng.randrange(len(b0))
            bit = 1 << rng.randrange(8)
            binary_mutants.append(b0[:pos] + bytes([b0[pos] ^ bit]) + b0[pos + 1:])
        for _ in range(20):
            pos = rng.randrange(max(1, len(b0) - 4))
            binary_mutants.append(b0[:pos] + b"\x7f\xff\xff\xff" + b0[pos + 4:])
            i = rng.randrange(len(b0))
            j = min(len(b0), i + rng.randrange(1, 24))
            binary_mutants.append(b0[:j] + b0[i:j] + b0[j:])
        for m in binary_mutants:
            stats["mutants"] += 1
            cur.execute("TRUNCATE bin_states")
            try:
                copy_in_binary(cur, "bin_states", [m])
            except psycopg2.Error as e:
                if lost(e, conn):
                    fail(f"{sig}: CRASH in the receive function: {e}")
                    sys.exit(1)  # a crash: stop here, the server is restarting
                stats["mutants_rejected"] += 1
                continue
            stats["mutants_accepted"] += 1
            try:
                cur.execute("SELECT s::text FROM bin_states")
                cur.fetchall()
                if finaloid:
                    cur.execute(f"SELECT {finalfn}(s{extra})::text FROM bin_states")
                    cur.fetchall()
                else:
                    cur.execute(f"SELECT {finish}(s)::text FROM bin_states")
                    cur.fetchall()
            except psycopg2.Error as e:
                if lost(e, conn):
                    fail(f"{sig}: CRASH after receiving a mutant: {e}")
                    sys.exit(1)  # a crash: stop here, the server is restarting
                stats["errors_in_combine_or_final"] += 1
        cur.execute("DROP TABLE bin_states")

        # crafted states
        valid = states[0]
        mutants = set()
        for cut in sorted(set([1, 2, 5, len(valid) // 3, len(valid) // 2, len(valid) - 1])):
            if 0 < cut < len(valid):
                mutants.add(valid[:cut])
        for _ in range(40):
            pos = rng.randrange(len(valid))
            mutants.add(valid[:pos] + chr(rng.choice([0x20, 0x22, 0x2d, 0x30, 0x39, 0x5c, 0x7c, 0xe9]))
                        + valid[pos + 1:])
        nums = list(NUM.finditer(valid))
        for m in rng.sample(nums, min(len(nums), 30)):
            for repl in ("999999999", "-1", "2147483648", "1e308", "NaN", "0", "-0", "Infinity"):
                mutants.add(valid[:m.start()] + repl + valid[m.end():])
        parts = valid.split(" ")
        for _ in range(10):
            i = rng.randrange(1, len(parts)) if len(parts) > 1 else 0
            j = min(len(parts), i + rng.randrange(1, 6))
            mutants.add(" ".join(parts[:j] + parts[i:j] + parts[j:]))
            mutants.add(" ".join(parts[:i] + parts[j:]))
        mutants.discard(valid)
        for m in sorted(mutants):
            stats["mutants"] += 1
            try:
                cur.execute(f"SELECT %s::{stype}::text", (m,))
                accepted = cur.fetchone()[0]
            except psycopg2.Error as e:
                if lost(e, conn):
                    fail(f"{sig}: CRASH in the input function: {e}")
                    sys.exit(1)  # a crash: stop here, the server is restarting
                stats["mutants_rejected"] += 1
                continue
            stats["mutants_accepted"] += 1
            for q, args in ((f"SELECT {combinefn}(%s::{stype}, %s::{stype})::text", (valid, accepted)),
                            (f"SELECT {combinefn}(%s::{stype}, %s::{stype})::text", (accepted, accepted)),
                            (f"SELECT {finalfn}(%s::{stype}{extra})::text", (accepted,)) if finaloid else
                            (f"SELECT {finish}(%s::{stype})::text", (accepted,))):
                if q is None:
                    continue
                try:
                    cur.execute(q, args)
                    cur.fetchall()
                except psycopg2.Error as e:
                    if lost(e, conn):
                        fail(f"{sig}: CRASH in combine/final on an accepted mutant: {e}\n  {m[:200]}")
                        sys.exit(1)  # a crash: stop here, the server is restarting
                    stats["errors_in_combine_or_final"] += 1
        cur.execute("DROP TABLE IF EXISTS agg_rows, agg_parts CASCADE")

    print("aggregates: {aggregates} checked, {comparisons} plan comparisons; crafted states: "
          "{mutants} mutants, {mutants_rejected} rejected by input, {mutants_accepted} accepted "
          "(then {errors_in_combine_or_final} ERRORs in combine/final), crashes 0".format(**stats))
    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Stored socroi values across dumps, pg_upgrade and socroi's own updates.

The database side of test/suites/upgrades.sh (which runs the clusters).
Every command works on the database of PGHOST/PGPORT/PGDATABASE:

  load [--frozen FILE]   create schema upg and fill one table per type of the
                         extension with the sample values of
                         upgrades_fixtures.sql (the blocks for the installed
                         extension version; arrays get automatic blocks) --
                         or, with --frozen, with the values an older socroi
                         library wrote (see "freeze"): its stored bytes for
                         the base types, its text for the others.  FAILS
                         naming every type of the extension without sample
                         values, and every state type without a final step.
  snapshot FILE          every stored value: its text, its final step
                         (states), its binary send form, a digest of its
                         stored bytes; written as JSON.
  compare BASE NEW ...   the values of snapshot NEW equal those of BASE
                         (text exactly; final steps to 1e-12 relative;
                         binary forms and stored bytes when asked); prints
                         the count per type.
  recv BASE              the binary forms of BASE through this server's
                         receive functions (COPY ... FORMAT binary): the
                         same values.
  newer                  states carrying a format version above the
                         library's (text, binary, stored bytes) raise
                         0A000 in input, receive, final and merge steps;
                         format version 0 raises too.  Never a number.
  freeze SNAPSHOT OUT    the frozen values of an old release (a snapshot
                         taken with --raw under that release's library).
"""
import argparse
import base64
import json
import re
import struct
import sys
import zlib

import psycopg2

from pgcopy import copy_in_binary, copy_out_binary

HERE = __file__.rsplit("/", 1)[0]
FIXTURES = HERE + "/upgrades_fixtures.sql"
REL_TOL = 1e-12
NUM = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|-?Infinity|NaN")
STATE_HEADER = re.compile(r"^([a-z_]+):(\d+)")

failures = []


def fail(msg):
    failures.append(msg)
    print("  FAIL " + msg, file=sys.stderr)


def vkey(v):
    return tuple(int(x) for x in v.split("."))


def connect():
    conn = psycopg2.connect("")
    conn.autocommit = True
    return conn


# ---------------------------------------------------------------- catalog

def extension_types(cur):
    """{name: info} for every type of the extension and its array type (on
    PostgreSQL 17+ the array types are extension members themselves)."""
    cur.execute("""
        WITH members AS (
            SELECT t.oid FROM pg_type t
            JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid
                            AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
            JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'socroi'
        ), all_types AS (
            SELECT oid FROM members
            UNION SELECT t.typarray FROM pg_type t JOIN members m ON m.oid = t.oid WHERE t.typarray <> 0
        ), states AS (
            SELECT DISTINCT a.aggtranstype AS oid FROM pg_aggregate a
            JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = a.aggfnoid
                            AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
            JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'socroi'
        )
        SELECT format_type(t.oid, NULL), t.typtype::text, t.typcategory::text,
               CASE WHEN t.typelem <> 0 AND t.typcategory = 'A' THEN format_type(t.typelem, NULL) END,
               t.oid IN (SELECT oid FROM states),
               CASE WHEN t.typelem <> 0 AND t.typcategory = 'A'
                    THEN (SELECT e.typtype::text FROM pg_type e WHERE e.oid = t.typelem) END
        FROM pg_type t WHERE t.oid IN (SELECT oid FROM all_types)
        ORDER BY 1""")
    out = {}
    for name, typtype, cat, elem, is_state, elemtype in cur.fetchall():
        out[name] = {"typtype": typtype, "array_of": elem, "state": is_state,
                     "composite": typtype == "c" or elemtype == "c",
                     # the binary form of composites and arrays names type OIDs,
                     # which a restore renumbers (pg_upgrade keeps them)
                     "send_has_oids": typtype == "c" or elem is not None}
    return out


def ext_version(cur):
    cur.execute("SELECT extversion FROM pg_extension WHERE extname = 'socroi'")
    return cur.fetchone()[0]


def table_of(typ):
    return "upg.v_" + re.sub(r"[^a-z0-9_]", "_", typ.replace("[]", "_array"))


# ---------------------------------------------------------------- fixtures

def parse_fixtures(path=FIXTURES):
    """[{kind: setup|type, type, since, final, sql}] in file order."""
    blocks, cur = [], None
    for line in open(path, encoding="utf-8"):
        s = line.strip()
        m = re.match(r"^-- (setup|type:\s*(.+))$", s)
        if m:
            cur = {"kind": "setup" if m.group(1) == "setup" else "type",
                   "type": (m.group(2) or "").strip() or None, "since": None,
                   "final": None, "sql": []}
            blocks.append(cur)
            continue
        if cur is not None and not cur["sql"]:
            m = re.match(r"^-- (since|final):\s*(.+)$", s)
            if m:
                cur[m.group(1)] = m.group(2).strip()
                continue
        if cur is not None:
            cur["sql"].append(line)
    for b in blocks:
        b["sql"] = "".join(b["sql"]).strip()
        # a trailing comment block belongs to the next fixture, not to the SQL
        b["sql"] = re.sub(r"(\n\s*--[^\n]*)+\s*$", "", b["sql"]).strip().rstrip(";")
        if b["since"] is None:
            fail(f"fixture block {b['kind']} {b['type'] or ''}: no '-- since:' line")
            b["since"] = "999.0.0"
    return blocks


def cmd_load(args):
    conn = connect()
    cur = conn.cursor()
    version = ext_version(cur)
    types = extension_types(cur)
    if args.frozen:
        return load_frozen(cur, types, version, args.frozen)
    blocks = parse_fixtures()
    cur.execute("SET search_path = public, pg_catalog")
    for b in blocks:
        if b["kind"] == "setup" and vkey(b["since"]) <= vkey(version):
            cur.execute("SELECT setseed(0.5)")
            cur.execute(b["sql"])
    cur.execute("CREATE TABLE upg.registry (typ text, tbl text, block int, since text, "
                "final text, PRIMARY KEY (typ, block))")
    covered = set()
    nblock = {}
    for b in blocks:
        if b["kind"] != "type" or vkey(b["since"]) > vkey(version):
            continue
        t = b["type"]
        if t not in types:
            fail(f"fixture for type {t} (since {b['since']}), which socroi {version} does not have")
            continue
        info = types[t]
        if info["state"] and not b["final"]:
            fail(f"fixture for state type {t} has no '-- final:' expression")
        tbl = table_of(t)
        if t not in nblock:
            cur.execute(f"CREATE TABLE {tbl} (id serial PRIMARY KEY, block int NOT NULL, v {t})")
            nblock[t] = 0
        nblock[t] += 1
        cur.execute("SELECT setseed(0.5)")
        cur.execute(f"INSERT INTO {tbl} (block, v) SELECT {nblock[t]}, f.v FROM ({b['sql']}) f")
        if cur.rowcount < 1:
            fail(f"fixture for {t} (since {b['since']}) gives no rows")
        cur.execute("INSERT INTO upg.registry VALUES (%s, %s, %s, %s, %s)",
                    (t, tbl, nblock[t], b["since"], b["final"]))
        covered.add(t)
    # arrays without a block of their own: from their element's values
    for t, info in sorted(types.items()):
        if t in covered or not info["array_of"] or info["array_of"] not in covered:
            continue
        tbl, etbl = table_of(t), table_of(info["array_of"])
        cur.execute(f"CREATE TABLE {tbl} (id serial PRIMARY KEY, block int NOT NULL, v {t})")
        cur.execute(f"INSERT INTO {tbl} (block, v) SELECT 1, array_agg(v ORDER BY id) FROM {etbl} "
                    f"UNION ALL SELECT 1, '{{}}' "
                    f"UNION ALL SELECT 1, ARRAY[NULL, (SELECT v FROM {etbl} ORDER BY id LIMIT 1)]")
        cur.execute("INSERT INTO upg.registry VALUES (%s, %s, 1, %s, NULL)", (t, tbl, "auto"))
        covered.add(t)
    missing = sorted(set(types) - covered)
    for t in missing:
        fail(f"type {t} of the extension has no sample values in upgrades_fixtures.sql "
             f"(add a '-- type: {t}' block)")
    n = 0
    for t in covered:
        cur.execute(f"SELECT count(*) FROM {table_of(t)}")
        n += cur.fetchone()[0]
    print(f"  loaded {n} values of {len(covered)} types (socroi {version}; "
          f"{len(types)} types in the catalog)")
    return 0 if not failures else 1


# ---------------------------------------------------------------- snapshots

def raw_functions(cur, types):
    """pg_temp.upg_raw_N(type) -> its stored bytes (the varlena's data, detoasted)
    and pg_temp.upg_unraw_N(bytea) -> a value of the type made of such bytes:
    PostgreSQL's own substring of bytea, declared over the extension's types."""
    names = {}
    for i, t in enumerate(sorted(types)):
        cur.execute(f"CREATE FUNCTION pg_temp.upg_raw_{i}({t}, int4) RETURNS bytea "
                    "LANGUAGE internal IMMUTABLE STRICT AS 'bytea_substr_no_len'")
        cur.execute(f"CREATE FUNCTION pg_temp.upg_unraw_{i}(bytea, int4) RETURNS {t} "
                    "LANGUAGE internal IMMUTABLE STRICT AS 'bytea_substr_no_len'")
        names[t] = i
    return names


def pack_raw(b):
    return base64.b64encode(zlib.compress(b, 9)).decode()


def unpack_raw(s):
    return zlib.decompress(base64.b64decode(s))


def snapshot(cur, raw_full=False):
    types = extension_types(cur)
    version = ext_version(cur)
    raw = raw_functions(cur, types)
    cur.execute("SELECT typ, tbl, block, final FROM upg.registry ORDER BY typ, block")
    reg = cur.fetchall()
    out = {"extversion": version, "types": {}}
    cur.execute("SHOW server_version_num")
    out["server_version_num"] = int(cur.fetchone()[0])
    for typ, tbl, block, final in reg:
        if typ not in types:
            fail(f"snapshot: type {typ} of the stored values is no longer in the extension")
            continue
        info = types[typ]
        entry = out["types"].setdefault(typ, {"table": tbl, "info": info, "rows": []})
        fin = f"({final})::text" if final else "NULL::text"
        js = "to_jsonb(v)::text" if info["composite"] else "NULL::text"
        cur.execute(f"SELECT id, v::text, {fin}, {js}, md5(pg_temp.upg_raw_{raw[typ]}(v, 1)), "
                    f"CASE WHEN %s THEN pg_temp.upg_raw_{raw[typ]}(v, 1) END "
                    f"FROM {tbl} WHERE block = %s ORDER BY id", (raw_full, block))
        rows = cur.fetchall()
        sends = copy_out_binary(cur, f"SELECT v FROM {tbl} WHERE block = {block} ORDER BY id")
        for (i, text, fval, jval, rawmd5, rawb), send in zip(rows, sends):
            r = {"id": i, "block": block, "final_expr": final, "text": text, "final": fval,
                 "json": jval, "send": send.hex() if send is not None else None, "raw_md5": rawmd5}
            if raw_full and rawb is not None:
                r["raw"] = pack_raw(bytes(rawb))
            entry["rows"].append(r)
    return out


def cmd_snapshot(args):
    conn = connect()
    cur = conn.cursor()
    snap = snapshot(cur, raw_full=args.raw)
    with open(args.out, "w") as f:
        json.dump(snap, f, indent=0, sort_keys=True)
    n = sum(len(t["rows"]) for t in snap["types"].values())
    print(f"  snapshot: {n} values of {len(snap['types'])} types (socroi {snap['extversion']}, "
          f"server {snap['server_version_num']})")
    return 0 if not failures else 1


# ---------------------------------------------------------------- comparing

def numbers_close(a, b, tol):
    """Same text but for numbers within tol (relative); returns (ok, max rel diff)."""
    if a is None or b is None:
        return (a is None and b is None), 0.0
    ta, tb = NUM.split(a), NUM.split(b)
    na, nb = NUM.findall(a), NUM.findall(b)
    if ta != tb or len(na) != len(nb):
        return False, float("inf")
    worst = 0.0
    for x, y in zip(na, nb):
        if x == y:
            continue
        try:
            fx, fy = float(x), float(y)
        except ValueError:
            return False, float("inf")
        d = abs(fx - fy) / max(abs(fx), abs(fy), 1e-300)
        worst = max(worst, d)
    return worst <= tol, worst


def json_extends(old, new):
    """new has every attribute of old with the same value; attributes it adds
    are NULL (ALTER TYPE ... ADD ATTRIBUTE in an update keeps stored rows)."""
    if isinstance(old, dict) and isinstance(new, dict):
        return all(k in new and json_extends(v, new[k]) for k, v in old.items()) and \
            all(new[k] is None for k in new if k not in old)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(json_extends(a, b) for a, b in zip(old, new))
    return old == new


def trailing_nulls(text):
    """A composite's text (or an array of them) without trailing NULL
    attributes: '(1,2,,)' -> '(1,2)' (frozen values carry no JSON form)."""
    return re.sub(r",+\)", ")", text or "")


def state_version(text):
    m = STATE_HEADER.match(text or "")
    return int(m.group(2)) if m else None


ARRAY_STATE_HEADER = re.compile(r'(?:^\{|,)"?([a-z_]+):(\d+)[ "]')


def array_states_converted(old, new):
    """The texts of two arrays of states whose every element went from an
    older format version to a newer one (NULL elements staying NULL)."""
    o, n = ARRAY_STATE_HEADER.findall(old or ""), ARRAY_STATE_HEADER.findall(new or "")
    return bool(o) and len(o) == len(n) and \
        all(a[0] == b[0] and int(a[1]) < int(b[1]) for a, b in zip(o, n)) and \
        (old or "").count("NULL") == (new or "").count("NULL")


def composite_extends(old, new, tol):
    """The final step's row after the update: the row before, then the
    attributes the update added (bgnbd_model's se_* in 0.3.0)."""
    if not (old and new and old.startswith("(") and new.startswith("(")):
        return False
    fo, fn = old[1:-1].split(","), new[1:-1].split(",")
    if len(fn) <= len(fo):
        return False
    return numbers_close("(" + ",".join(fo) + ")", "(" + ",".join(fn[:len(fo)]) + ")", tol)[0]


def compare(base, new, label, binary="none", raw=False, tol=REL_TOL):
    """binary: none | base (types whose send form has no type OIDs) | all."""
    total = 0
    worst = 0.0
    lines = []
    for typ, b in sorted(base["types"].items()):
        n = new["types"].get(typ)
        if n is None:
            fail(f"{label}: type {typ}: values missing after the step")
            continue
        info = b.get("info") or n["info"]     # frozen values carry none
        brows = {(r["block"], r["id"]): r for r in b["rows"]}
        nrows = {(r["block"], r["id"]): r for r in n["rows"]}
        if len(brows) != len(nrows) or set(brows) != set(nrows):
            fail(f"{label}: type {typ}: {len(brows)} values before, {len(nrows)} after")
            continue
        notes = set()
        for k, br in sorted(brows.items()):
            nr = nrows[k]
            where = f"{label}: {typ} value {k[1]}"
            converted = False
            if br["text"] != nr["text"]:
                vo, vn = state_version(br["text"]), state_version(nr["text"])
                if info["state"] and vo is not None and vn is not None and vo < vn:
                    converted = True       # the text of the newer format: finals compared below
                    notes.add(f"format version {vo} -> {vn}")
                elif info["array_of"] and ((base["types"].get(info["array_of"]) or {}).get("info")
                                           or (new["types"].get(info["array_of"]) or {}).get("info")
                                           or {}).get("state") \
                        and array_states_converted(br["text"], nr["text"]):
                    converted = True       # elements in the newer format: their finals compared as states
                    notes.add("elements in the newer format version")
                elif info["composite"] and (
                        json_extends(json.loads(br["json"]), json.loads(nr["json"]))
                        if br.get("json") and nr.get("json") else
                        trailing_nulls(br["text"]) == trailing_nulls(nr["text"])):
                    notes.add("attributes added (NULL in stored values)")
                    converted = True       # the binary form counts the attributes
                else:
                    fail(f"{where}: text differs\n    before: {br['text'][:300]}\n    after:  {nr['text'][:300]}")
                    continue
            if br["final"] is not None or nr["final"] is not None:
                ok, d = numbers_close(br["final"], nr["final"], tol)
                if not ok and composite_extends(br["final"], nr["final"], tol):
                    ok, d = True, 0.0
                    notes.add("result type gained attributes")
                worst = max(worst, d)
                if not ok:
                    fail(f"{where}: final step differs ({br['final_expr']}, max rel diff {d:.3g})\n"
                         f"    before: {(br['final'] or 'NULL')[:300]}\n    after:  {(nr['final'] or 'NULL')[:300]}")
                    continue
            if binary != "none" and not converted and \
                    (binary == "all" or not info["send_has_oids"]) and br["send"] != nr["send"]:
                fail(f"{where}: binary (send) form differs")
                continue
            if raw and br.get("raw_md5") != nr["raw_md5"]:
                fail(f"{where}: stored bytes differ")
                continue
            total += 1
        what = "text" + (", final" if info["state"] else "") + \
            (", binary" if binary == "all" or (binary == "base" and not info["send_has_oids"]) else "") + \
            (", stored bytes" if raw else "")
        lines.append(f"    {typ}: {len(brows)} values ({what})" + (f" [{'; '.join(sorted(notes))}]" if notes else ""))
    print(f"  {label}: {total} values of {len(base['types'])} types equal"
          + (f" (final steps within {worst:.2g} relative)" if worst else ""))
    for l in lines:
        print(l)
    return total


def read_values(path):
    """A snapshot, or frozen values (binary forms unpacked)."""
    snap = json.load(open(path))
    for t in snap["types"].values():
        for r in t["rows"]:
            if "send_z" in r:
                r["send"] = unpack_raw(r.pop("send_z")).hex()
            r.setdefault("send", None)
    return snap


def cmd_compare(args):
    base = read_values(args.base)
    new = read_values(args.new)
    compare(base, new, args.label, binary=args.binary, raw=args.raw)
    return 0 if not failures else 1


def cmd_recv(args):
    """Binary forms written by another server, read back here."""
    base = json.load(open(args.base))
    conn = connect()
    cur = conn.cursor()
    types = extension_types(cur)
    n = 0
    for typ, b in sorted(base["types"].items()):
        if typ not in types or (args.binary == "base" and b["info"]["send_has_oids"]):
            continue
        cur.execute(f"CREATE TEMP TABLE upg_recv (id serial, v {typ})")
        rows = [r for r in b["rows"]]
        copy_in_binary(cur, "upg_recv (v)", [bytes.fromhex(r["send"]) if r["send"] else None for r in rows])
        cur.execute("SELECT v::text FROM upg_recv ORDER BY id")
        got = [r[0] for r in cur.fetchall()]
        for r, g in zip(rows, got):
            if g != r["text"] and not (b["info"]["state"] and state_version(g) != state_version(r["text"])) \
                    and not array_states_converted(r["text"], g):
                fail(f"{args.label}: {typ} value {r['id']}: received binary form reads back differently\n"
                     f"    sent: {r['text'][:200]}\n    read: {(g or 'NULL')[:200]}")
            else:
                n += 1
        cur.execute("DROP TABLE upg_recv")
    print(f"  {args.label}: {n} binary forms received and read back equal")
    return 0 if not failures else 1


# ---------------------------------------------------------------- newer formats

def cmd_newer(args):
    conn = connect()
    cur = conn.cursor()
    types = extension_types(cur)
    raw = raw_functions(cur, types)
    cur.execute("""
        SELECT format_type(a.aggtranstype, NULL), a.aggcombinefn::regproc::text
        FROM pg_aggregate a
        JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = a.aggfnoid
                        AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
        JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'socroi'""")
    combine = {}
    for st, cf in cur.fetchall():
        combine.setdefault(st, set()).add(cf)
    cur.execute("SELECT typ, tbl, block, final FROM upg.registry ORDER BY typ, block")
    reg = [r for r in cur.fetchall() if types.get(r[0], {}).get("state")]
    checked = {}
    calls = 0

    def expect_error(sql, params, want, what):
        try:
            cur.execute(sql, params)
            got = cur.fetchall()
        except psycopg2.Error as e:
            if e.pgcode is None or conn.closed:
                fail(f"newer: CRASH: {what}: {e}")
                sys.exit(1)
            if want == "0A000" and (e.pgcode != "0A000" or "written by a later version of socroi" not in str(e)):
                fail(f"newer: {what}: expected 0A000 naming the newer version, got {e.pgcode}: {str(e).strip()[:200]}")
            elif want != "0A000" and e.pgcode == "0A000":
                fail(f"newer: {what}: format version 0 taken for a newer one")
            return 1
        fail(f"newer: {what}: accepted, returned {str(got)[:200]}")
        return 0

    for typ, tbl, block, final in reg:
        if checked.get(typ, 0) >= 3:
            continue
        i = raw[typ]
        cur.execute(f"SELECT v::text, pg_temp.upg_raw_{i}(v, 1) FROM {tbl} WHERE block = %s ORDER BY id LIMIT 1",
                    (block,))
        row = cur.fetchone()
        if row is None:
            continue
        text, rawb = row[0], bytes(row[1])
        (send,) = copy_out_binary(cur, f"SELECT v FROM {tbl} WHERE block = {block} ORDER BY id LIMIT 1")
        v = state_version(text)
        if v is None:
            fail(f"newer: {typ}: text form does not start with tag:version: {text[:60]}")
            continue
        n = 0
        for bump, want in ((v + 1, "0A000"), (v + 1000, "0A000"), (0, "error")):
            what = f"{typ} with format version {bump}"
            # text input
            t2 = STATE_HEADER.sub(lambda m: f"{m.group(1)}:{bump}", text, count=1)
            n += expect_error(f"SELECT %s::{typ}::text", (t2,), want, what + " (text input)")
            # binary input: int32 tag length, tag, int32 version
            taglen = struct.unpack(">i", send[:4])[0]
            b2 = send[:4 + taglen] + struct.pack(">i", bump) + send[8 + taglen:]
            cur.execute(f"CREATE TEMP TABLE upg_newer (v {typ})")
            try:
                copy_in_binary(cur, "upg_newer", [b2])
                fail(f"newer: {what} (binary input): accepted")
            except psycopg2.Error as e:
                if e.pgcode is None or conn.closed:
                    fail(f"newer: CRASH: {what} (binary input): {e}")
                    sys.exit(1)
                if want == "0A000" and e.pgcode != "0A000":
                    fail(f"newer: {what} (binary input): expected 0A000, got {e.pgcode}: {str(e).strip()[:200]}")
                n += 1
            cur.execute("DROP TABLE upg_newer")
            # stored bytes: the version int32 follows the varlena header, or
            # the magic number in attribution_state
            off = next((o for o in (0, 4) if len(rawb) >= o + 4 and
                        struct.unpack("<i", rawb[o:o + 4])[0] == v), None)
            if off is None:
                fail(f"newer: {typ}: no format version {v} at the start of the stored bytes")
                continue
            r2 = rawb[:off] + struct.pack("<i", bump) + rawb[off + 4:]
            forged = f"pg_temp.upg_unraw_{i}(%s::bytea, 1)"
            if final:
                n += expect_error(f"SELECT ({final})::text FROM (SELECT {forged} AS v) s",
                                  (r2,), want, what + f" (stored bytes, {final})")
            for cf in sorted(combine.get(typ, ())):
                n += expect_error(f"SELECT {cf}((SELECT v FROM {tbl} WHERE block = %s ORDER BY id LIMIT 1), {forged})::text",
                                  (block, r2), want, what + f" (stored bytes, {cf} second)")
                n += expect_error(f"SELECT {cf}({forged}, (SELECT v FROM {tbl} WHERE block = %s ORDER BY id LIMIT 1))::text",
                                  (r2, block), want, what + f" (stored bytes, {cf} first)")
        checked[typ] = checked.get(typ, 0) + 1
        calls += n
    # attribution_model: a kind added by a later release, or a later layout
    # (its format field, zero so far), is refused the same way
    if "attribution_model" in types:
        i = raw["attribution_model"]
        cur.execute(f"SELECT pg_temp.upg_raw_{i}('linear'::attribution_model, 1)")
        rawb = bytes(cur.fetchone()[0])
        for what, forged in (("a kind above the library's", bytes([rawb[0] + 32]) + rawb[1:]),
                             ("layout format 1", rawb[:8] + struct.pack("<i", 1) + rawb[12:])):
            f = f"pg_temp.upg_unraw_{i}(%s::bytea, 1)"
            calls += expect_error(f"SELECT {f}::text", (forged,), "0A000",
                                  f"attribution_model with {what} (output)")
            calls += expect_error(f"SELECT attribution(ARRAY['a'], 1, 1, {f})", (forged,), "0A000",
                                  f"attribution_model with {what} (attribution())")
            calls += expect_error(f"SELECT * FROM attribute(ARRAY['a'], 1, {f})", (forged,), "0A000",
                                  f"attribution_model with {what} (attribute())")
        checked["attribution_model"] = 1
    missing = sorted(t for t, i in types.items() if i["state"] and t not in checked)
    for t in missing:
        fail(f"newer: state type {t} has no stored sample values")
    print(f"  newer formats: {calls} calls with forged values of {len(checked) - 1} state types "
          f"(format version +1, +1000 and 0; text, binary, stored bytes through final and merge steps) "
          f"and of attribution_model (a later kind or layout): all ERROR, newer ones 0A000")
    return 0 if not failures else 1


# ---------------------------------------------------------------- frozen values

def cmd_freeze(args):
    snap = json.load(open(args.snapshot))
    out = {"comment": "Values written by socroi " + snap["extversion"] + " with its own library "
                      "(test/suites/upgrades.sh --freeze): text, final step, and for the base types "
                      "the binary form (send_z) and the stored bytes (raw, x86-64), zlib + base64",
           "extversion": snap["extversion"], "server_version_num": snap["server_version_num"],
           "types": {}}
    for typ, t in sorted(snap["types"].items()):
        keep_raw = t["info"]["typtype"] == "b" and not t["info"]["array_of"]
        rows = []
        for r in t["rows"]:
            fr = {"block": r["block"], "id": r["id"], "text": r["text"], "final": r["final"],
                  "final_expr": r["final_expr"]}
            if keep_raw:
                # the base types' binary forms and stored bytes; those of
                # composites and arrays name type OIDs of their database
                fr["send_z"] = pack_raw(bytes.fromhex(r["send"]))
                fr["raw"] = r["raw"]
            rows.append(fr)
        out["types"][typ] = {"rows": rows}
    with open(args.out, "w") as f:
        f.write("{\n")
        items = [f'"comment": {json.dumps(out["comment"])}',
                 f'"extversion": {json.dumps(out["extversion"])}',
                 f'"server_version_num": {out["server_version_num"]}']
        tparts = []
        for typ, t in out["types"].items():
            rows = ",\n".join("    " + json.dumps(r, sort_keys=True) for r in t["rows"])
            tparts.append(f'  {json.dumps(typ)}: {{"rows": [\n{rows}\n  ]}}')
        items.append('"types": {\n' + ",\n".join(tparts) + "\n}")
        f.write(",\n".join(items) + "\n}\n")
    print(f"  froze {sum(len(t['rows']) for t in out['types'].values())} values of "
          f"{len(out['types'])} types of socroi {out['extversion']} into {args.out}")
    return 0


def load_frozen(cur, types, version, path):
    """The values an older library wrote: stored bytes for base types (so the
    current library reads exactly what the old one left on disk), text for
    the rest (composites and arrays hold type OIDs of their own database)."""
    frozen = json.load(open(path))
    raw = raw_functions(cur, types)
    cur.execute("CREATE SCHEMA upg")
    cur.execute("CREATE TABLE upg.registry (typ text, tbl text, block int, since text, "
                "final text, PRIMARY KEY (typ, block))")
    n = 0
    for typ, t in sorted(frozen["types"].items()):
        if typ not in types:
            fail(f"frozen {frozen['extversion']}: type {typ} is not in socroi {version}")
            continue
        tbl = table_of(typ)
        cur.execute(f"CREATE TABLE {tbl} (id int PRIMARY KEY, block int NOT NULL, v {typ})")
        finals = {}
        for r in t["rows"]:
            finals[r["block"]] = r["final_expr"]
            if "raw" in r:
                cur.execute(f"INSERT INTO {tbl} VALUES (%s, %s, pg_temp.upg_unraw_{raw[typ]}(%s::bytea, 1))",
                            (r["id"], r["block"], unpack_raw(r["raw"])))
            else:
                cur.execute(f"INSERT INTO {tbl} VALUES (%s, %s, %s::{typ})", (r["id"], r["block"], r["text"]))
            n += 1
        for blk, fe in sorted(finals.items()):
            cur.execute("INSERT INTO upg.registry VALUES (%s, %s, %s, %s, %s)",
                        (typ, tbl, blk, frozen["extversion"], fe))
    print(f"  loaded {n} values written by socroi {frozen['extversion']}'s library "
          f"(stored bytes of its base types) into socroi {version}")
    return 0 if not failures else 1


def cmd_frozen_inputs(args):
    """The old text and binary forms through this library's input and receive
    functions: the same values (same final steps)."""
    frozen = read_values(args.frozen)
    conn = connect()
    cur = conn.cursor()
    types = extension_types(cur)
    n = 0
    for typ, t in sorted(frozen["types"].items()):
        info = types.get(typ)
        if info is None or info["typtype"] != "b" or info["array_of"]:
            continue
        for r in t["rows"]:
            fe = r["final_expr"] or "v"
            cur.execute(f"SELECT ({fe})::text, v::text FROM (SELECT %s::{typ} AS v) s", (r["text"],))
            fin, txt = cur.fetchone()
            cur.execute(f"CREATE TEMP TABLE upg_in (v {typ})")
            copy_in_binary(cur, "upg_in", [bytes.fromhex(r["send"])])
            cur.execute(f"SELECT ({fe})::text, v::text FROM upg_in")
            bfin, btxt = cur.fetchone()
            cur.execute("DROP TABLE upg_in")
            for how, f, x in (("text input", fin, txt), ("binary input", bfin, btxt)):
                ok, d = numbers_close(r["final"] if r["final"] is not None else r["text"],
                                      f if r["final"] is not None else x, REL_TOL)
                if not ok and r["final"] is not None and composite_extends(r["final"], f, REL_TOL):
                    ok = True          # the final step's result type gained attributes
                if not ok:
                    fail(f"frozen {frozen['extversion']} {typ} value {r['id']} through the {how}: differs "
                         f"(max rel diff {d:.3g})\n    old: {(r['final'] or r['text'])[:200]}\n"
                         f"    new: {(f if r['final'] is not None else x) or 'NULL'}"[:600])
                else:
                    n += 1
    print(f"  {frozen['extversion']} text and binary forms: {n} read by the current input and "
          f"receive functions, equal")
    return 0 if not failures else 1


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("load")
    p.add_argument("--frozen")
    p = sub.add_parser("snapshot")
    p.add_argument("out")
    p.add_argument("--raw", action="store_true")
    p = sub.add_parser("compare")
    p.add_argument("base")
    p.add_argument("new")
    p.add_argument("--label", required=True)
    p.add_argument("--binary", choices=["none", "base", "all"], default="none")
    p.add_argument("--raw", action="store_true")
    p = sub.add_parser("recv")
    p.add_argument("base")
    p.add_argument("--label", required=True)
    p.add_argument("--binary", choices=["base", "all"], default="all")
    sub.add_parser("newer")
    p = sub.add_parser("freeze")
    p.add_argument("snapshot")
    p.add_argument("out")
    p = sub.add_parser("frozen-inputs")
    p.add_argument("frozen")
    args = ap.parse_args()
    rc = {"load": cmd_load, "snapshot": cmd_snapshot, "compare": cmd_compare, "recv": cmd_recv,
          "newer": cmd_newer, "freeze": cmd_freeze, "frozen-inputs": cmd_frozen_inputs}[args.cmd](args)
    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        sys.exit(1)
    sys.exit(rc)


if __name__ == "__main__":
    main()

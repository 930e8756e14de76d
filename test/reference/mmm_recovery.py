#!/usr/bin/python3
"""How often mmm_fit recovers the truth: a study over many seeded synthetic
datasets, for doc/mmm.md ("How well does it recover the truth?").

Not part of the test run (test/pgtap/mmm.sql checks four datasets); run it
by hand against a database with socroi installed (libpq environment):

    PGDATABASE=... /usr/bin/python3 test/reference/mmm_recovery.py [noise ...]

For each noise level (default 0.01 0.03 0.05) it generates datasets with
test/reference/mmm_reference.py's generator -- 104 and 156 weeks, 3-5
channels, seeds 1000.. -- fits them all in one GROUP BY, and prints the
share of channels whose ROAS is within 20 % of the truth and whose decay is
within 0.1, and the share of datasets where every channel is.  With
--bootstrap N it fits with bootstrap=N instead and also prints how often
the true ROAS lies inside [roi_low + 1, roi_high + 1].
"""
import argparse
import datetime
import io
import os
import sys
import time

import psycopg2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mmm_reference import START, generate  # noqa: E402

CONFIGS = [(104, 3), (104, 5), (156, 4), (156, 5)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("noise", nargs="*", type=float, default=[0.01, 0.03, 0.05])
    ap.add_argument("--seeds", type=int, default=48, help="seeds per configuration")
    ap.add_argument("--bootstrap", type=int, default=0)
    ap.add_argument("--options", default="")
    args = ap.parse_args()
    conn = psycopg2.connect("")
    conn.autocommit = True
    cur = conn.cursor()
    for noise in args.noise:
        cur.execute("DROP TABLE IF EXISTS mmm_recovery; CREATE UNLOGGED TABLE mmm_recovery "
                    "(ds int, week date, variable text, value float8, role text)")
        truth, meta, buf, ds = {}, {}, io.StringIO(), 0
        for seed in range(1000, 1000 + args.seeds):
            for weeks, channels in CONFIGS:
                y, spend, tr = generate(seed, weeks, channels, noise)
                for t in range(weeks):
                    day = START + datetime.timedelta(weeks=t)
                    buf.write(f"{ds}\t{day}\trevenue\t{y[t]!r}\tkpi\n")
                    for j in range(channels):
                        buf.write(f"{ds}\t{day}\t{tr[j]['channel']}\t{spend[j][t]:.2f}\tmedia\n")
                for x in tr:
                    truth[(ds, x["channel"])] = x
                meta[ds] = (weeks, channels)
                ds += 1
        buf.seek(0)
        cur.copy_from(buf, "mmm_recovery")
        options = args.options
        if args.bootstrap:
            options = ", ".join(o for o in (options, f"bootstrap={args.bootstrap}") if o)
        started = time.time()
        cur.execute("SELECT ds, c.channel, c.roas, c.decay, c.roi_low, c.roi_high "
                    "FROM (SELECT ds, mmm_fit(week, variable, value, role, %s) AS m "
                    "      FROM mmm_recovery GROUP BY ds) s, mmm_channels(s.m) c", (options,))
        rows = cur.fetchall()
        elapsed = time.time() - started
        n = roas_ok = decay_ok = covered = 0
        all_ok = {}
        for d, channel, roas, decay, low, high in rows:
            tr = truth[(d, channel)]
            r = abs(roas / tr["roas"] - 1) < 0.2
            k = abs(decay - tr["decay"]) < 0.1
            n += 1
            roas_ok += r
            decay_ok += k
            all_ok[d] = all_ok.get(d, True) and r and k
            if low is not None and low + 1 <= tr["roas"] <= high + 1:
                covered += 1
        print(f"noise {noise:.0%}: {len(all_ok)} datasets, {n} channels; ROAS within 20 %: "
              f"{roas_ok / n:.1%}; decay within 0.1: {decay_ok / n:.1%}; every channel of a dataset: "
              f"{sum(all_ok.values()) / len(all_ok):.1%}; {elapsed:.0f} s ({elapsed / len(all_ok):.2f} s a model)")
        if args.bootstrap:
            print(f"  true ROAS inside the {args.bootstrap}-replicate bootstrap interval: {covered / n:.1%}")
        cur.execute("DROP TABLE mmm_recovery")


if __name__ == "__main__":
    main()

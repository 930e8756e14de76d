#!/usr/bin/python3
"""Independent reference for the fractribution model (test/pgtap/fractribution.sql).

Not part of the test run: run it by hand from the repository top to
regenerate test/data/fractribution_paths.csv (seeded random paths with
conversions, non-conversions and value, some of them 40-90 touches long)
and test/data/fractribution_expected.csv (credits per channel for the
variants below), sharing no code with the extension:

    /usr/bin/python3 test/reference/fractribution_reference.py

fractribution, as Google's fractribution describes it: per distinct path P
with conversions, rate r(P) = conversions / (conversions + non-conversions);
a single-touch path contributes r(P); otherwise touch i contributes
max(0, r(P) - r(P without touch i)), r of a path never seen being 0;
contributions are normalised per path; all 0 -> the last touch
(fallback=last_touch) or an equal split (fallback=linear).  P's
conversions and value are split by the shares and summed per channel.
Variants: the paths as they are, both fallbacks; and the paths through
the frequency transform (first occurrences suffixed with their counts),
totalled per channel with the suffix dropped (frequency_suffix=drop).
"""
import csv
import os
import random
from collections import defaultdict

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SEED = 20261206
CHANNELS = ["A", "B", "C", "D", "E", "F", "G"]


def make_paths(rng):
    rows = []
    for _ in range(700):
        r = rng.random()
        if r < 0.08:
            # long repeats, as in real unique-transform paths
            n = rng.randrange(40, 91)
            c = rng.choice(CHANNELS)
            p = [c] * n
            if rng.random() < 0.5:
                p[rng.randrange(n)] = rng.choice(CHANNELS)
        else:
            n = 1 + min(int(rng.expovariate(0.45)), 11)
            p = [rng.choice(CHANNELS[:4] if rng.random() < 0.7 else CHANNELS) for _ in range(n)]
        conv = rng.choice([0, 0, 0, 1, 1, 2, 5])
        nonconv = rng.choice([0, 1, 3, 10, 40])
        if conv + nonconv == 0:
            nonconv = 1
        value = round(conv * rng.uniform(10, 200), 2)
        rows.append((p, conv, nonconv, value))
    return rows


def frequency(p):
    counts, order = {}, []
    for c in p:
        if c not in counts:
            order.append(c)
            counts[c] = 0
        counts[c] += 1
    return [f"{c}({counts[c]})" for c in order]


def fractribution(rows, linear=False, strip=False):
    agg = defaultdict(lambda: [0.0, 0.0, 0.0])
    for p, c, n, v in rows:
        if not p:
            continue
        a = agg[tuple(p)]
        a[0] += c
        a[1] += n
        a[2] += v

    def rate(t):
        if t not in agg:
            return 0.0
        c, n, _ = agg[t]
        return c / (c + n) if c + n > 0 else 0.0

    conv, val = defaultdict(float), defaultdict(float)
    for t, (c, n, v) in agg.items():
        if c <= 0:
            continue
        r = rate(t)
        if len(t) == 1:
            mc = [r]
        else:
            mc = [max(0.0, r - rate(t[:i] + t[i + 1:])) for i in range(len(t))]
        s = sum(mc)
        if s > 0:
            w = [x / s for x in mc]
        elif linear:
            w = [1.0 / len(t)] * len(t)
        else:
            w = [0.0] * (len(t) - 1) + [1.0]
        for ch, x in zip(t, w):
            if strip and ch.endswith(")") and "(" in ch:
                ch = ch[:ch.rindex("(")]
            conv[ch] += c * x
            val[ch] += v * x
    return conv, val


def main():
    rng = random.Random(SEED)
    rows = make_paths(rng)
    with open(os.path.join(ROOT, "test/data/fractribution_paths.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["path", "conversions", "non_conversions", "value"])
        for p, c, n, v in rows:
            w.writerow(["{" + ",".join(p) + "}", c, n, repr(float(v))])
    variants = [
        ("fractribution", rows, False, False),
        ("fractribution(fallback=linear)", rows, True, False),
        ("fractribution(frequency_suffix=drop) over frequency paths",
         [(frequency(p), c, n, v) for p, c, n, v in rows], False, True),
    ]
    with open(os.path.join(ROOT, "test/data/fractribution_expected.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["variant", "channel", "conversions", "value"])
        for name, rs, linear, strip in variants:
            conv, val = fractribution(rs, linear, strip)
            for ch in sorted(conv):
                w.writerow([name, ch, repr(conv[ch]), repr(val[ch])])
            print(name, {ch: round(conv[ch], 4) for ch in sorted(conv)})
    print(len(rows), "rows,", len({tuple(p) for p, *_ in rows}), "distinct paths, longest",
          max(len(p) for p, *_ in rows))


if __name__ == "__main__":
    main()

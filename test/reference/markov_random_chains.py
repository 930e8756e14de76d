#!/usr/bin/python3
"""Random journeys and their Markov removal effects, computed independently
(scipy's sparse direct solver, one solve per removed channel, nothing
shared with the extension), for test/pgtap/attribution_markov_random.sql.

    /usr/bin/python3 test/reference/markov_random_chains.py

writes test/data/markov_random_paths.csv (set, path, conversions,
non_conversions, value) and test/data/markov_random_want.csv (set, order,
channel, removal_effect, value_removal_effect).  Sets: skewed popularity with
rare names, loops (paths that revisit a name), long paths, order 1 to 3.
The value removal effect is that of value=removal: the same chain with the
value converted at each state as its reward."""
import csv, os
import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from collections import defaultdict

def chain(paths, order):
    T = defaultdict(lambda: defaultdict(float))
    V = defaultdict(float)
    for p, c, n, v in paths:
        prev = 'start'
        for i in range(len(p)):
            st = tuple(p[max(0, i + 1 - order):i + 1])
            T[prev][st] += c + n
            prev = st
        if c: T[prev]['conv'] += c; V[prev] += v
        if n: T[prev]['null'] += n
    return T, V

def solve(T, reward, removed=None):
    states = sorted({s for s in T} | {t for s in T for t in T[s] if t not in ('conv', 'null')}, key=str)
    idx = {s: i for i, s in enumerate(states)}
    m = len(states)
    rows, cols, vals = list(range(m)), list(range(m)), [1.0] * m
    r = np.zeros(m)
    for s in T:
        tot = sum(w for t, w in T[s].items() if t != s)
        i = idx[s]
        if removed is not None and s != 'start' and removed in s:
            continue   # never entered: its row stays the identity, value 0
        r[i] = reward(s) / tot
        for t, w in T[s].items():
            if t in ('conv', 'null') or t == s:
                continue
            if removed is not None and removed in t:
                continue
            rows.append(i); cols.append(idx[t]); vals.append(-w / tot)
    A = sp.csc_matrix((vals, (rows, cols)), shape=(m, m))
    return spla.spsolve(A, r)[idx['start']]

def removal_effects(paths, order):
    T, V = chain(paths, order)
    chans = sorted({c for p, *_ in paths for c in p})
    conv = lambda s: T[s].get('conv', 0.0)
    val = lambda s: V.get(s, 0.0)
    P = solve(T, conv); PV = solve(T, val)
    return {c: (1 - solve(T, conv, c) / P, 1 - solve(T, val, c) / PV) for c in chans}

def journeys(rng, nnames, njourneys, maxlen, revisit):
    names = ['n%03d' % i for i in range(nnames)]
    rows = defaultdict(lambda: [0, 0, 0.0])
    for _ in range(njourneys):
        L = int(rng.integers(1, maxlen + 1))
        p = []
        for _ in range(L):
            if p and rng.random() < revisit:
                p.append(p[int(rng.integers(0, len(p)))])   # loop back to a name seen
            else:
                p.append(names[int(nnames * rng.random() ** 2.5)])   # skewed: rare names
        conv = rng.random() < 0.15 + 0.1 * ('n000' in p) + 0.2 * (p[-1] == 'n001')
        r = rows[tuple(p)]
        if conv:
            r[0] += 1; r[2] += float(rng.integers(10, 500))
        else:
            r[1] += 1
    return [(list(p), c, n, v) for p, (c, n, v) in sorted(rows.items())]

if __name__ == '__main__':
    rng = np.random.default_rng(20260522)
    sets = [
        ('skewed', journeys(rng, 40, 3000, 6, 0.0), (1, 2, 3)),
        ('loops', journeys(rng, 12, 2000, 9, 0.35), (1, 2, 3)),
        ('rare', journeys(rng, 120, 1500, 4, 0.1), (1, 2)),
    ]
    here = os.path.join(os.path.dirname(__file__), '..', 'data')
    with open(os.path.join(here, 'markov_random_paths.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        for name, rows, _ in sets:
            for p, c, n, v in rows:
                w.writerow([name, '{' + ','.join(p) + '}', c, n, repr(v)])
    with open(os.path.join(here, 'markov_random_want.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        for name, rows, orders in sets:
            for k in orders:
                for ch, (re, rev) in sorted(removal_effects(rows, k).items()):
                    w.writerow([name, k, ch, repr(float(re)), repr(float(rev))])

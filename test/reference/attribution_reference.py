#!/usr/bin/python3
"""Independent reference values for the data-driven attribution tests
(test/pgtap/attribution_markov.sql, test/sql/attribution_markov.sql).

Not part of the test run (the tests are self-contained SQL): run it by hand
from the repository top to recompute the numbers the tests compare with,
using code that shares nothing with the extension:

    /usr/bin/python3 test/reference/attribution_reference.py

Needs Debian's python3-numpy.  Markov: the absorbing chain of doc/attribution.md
("markov") built from the paths, solved densely, x = (I - Q)^-1 r, once
per removed channel (transitions into a state containing it go to (null)).
Shapley: brute force over every subset of every converting channel set,
with the conversion-rate worth, negatives clipped, then normalised."""
import itertools, math
import numpy as np
from collections import defaultdict

def chain(paths, order=1):
    """paths: list of (list_of_channels, conv, null). returns transitions dict
    from_state(tuple or 'start') -> to_state(tuple or 'conv'/'null') -> weight"""
    T = defaultdict(lambda: defaultdict(float))
    for p, c, n in paths:
        if not p or c + n == 0:
            continue
        prev = 'start'
        for i, ch in enumerate(p):
            st = tuple(p[max(0, i + 1 - order):i + 1])
            T[prev][st] += c + n
            prev = st
        if c: T[prev]['conv'] += c
        if n: T[prev]['null'] += n
    return T

def absorb(T, removed=None):
    states = sorted({s for s in T} | {t for s in T for t in T[s] if t not in ('conv', 'null')}, key=str)
    idx = {s: i for i, s in enumerate(states)}
    m = len(states)
    Q = np.zeros((m, m)); r = np.zeros(m)
    for s in T:
        tot = sum(T[s].values())
        for t, w in T[s].items():
            if t == 'conv':
                r[idx[s]] += w / tot
            elif t == 'null':
                pass
            else:
                if removed is not None and removed in t:
                    continue  # -> null
                Q[idx[s], idx[t]] += w / tot
    x = np.linalg.solve(np.eye(m) - Q, r)
    return x[idx['start']]

def markov(paths, order=1, values=None):
    T = chain(paths, order)
    P = absorb(T)
    chans = sorted({c for p, _, _ in paths for c in p})
    re = {c: 1 - absorb(T, c) / P for c in chans}
    tot = sum(re.values())
    conv = sum(c for p, c, n in paths if p)
    val = sum(values) if values else conv
    return P, re, {c: re[c] / tot * conv for c in chans}, {c: re[c] / tot * val for c in chans}

def shapley(rows):
    """rows: (path, conv, null, value)"""
    agg = defaultdict(lambda: [0.0, 0.0, 0.0])
    for p, c, n, v in rows:
        if not p: continue
        S = frozenset(p)
        agg[S][0] += c; agg[S][1] += n; agg[S][2] += v
    def worth(T):
        if T in agg and agg[T][0] + agg[T][1] > 0:
            return agg[T][0] / (agg[T][0] + agg[T][1])
        return 0.0
    cc = defaultdict(float); vv = defaultdict(float)
    for S, (c, n, v) in agg.items():
        if c == 0 and v == 0: continue
        s = len(S); mem = sorted(S)
        phi = {}
        for i in mem:
            others = [j for j in mem if j != i]
            tot = 0.0
            for k in range(len(others) + 1):
                for T in itertools.combinations(others, k):
                    T = frozenset(T)
                    wgt = math.factorial(k) * math.factorial(s - k - 1) / math.factorial(s)
                    tot += wgt * (worth(T | {i}) - worth(T))
            phi[i] = max(tot, 0.0)
        z = sum(phi.values())
        for i in mem:
            f = phi[i] / z if z > 0 else 1.0 / s
            cc[i] += c * f; vv[i] += v * f
    return dict(cc), dict(vv)

if __name__ == '__main__':
    print('published toy (P 0.8, RE 0.75 / 0.5, credits 2.4 / 1.6):')
    toy = [(['google ads'], 2, 1), (['mailing'], 1, 0), (['google ads', 'mailing'], 1, 0)]
    print(markov(toy))
    print('Shapley worked example (A 14.75, B 8.25):')
    print(shapley([(['A'], 10, 90, 10), (['B'], 5, 95, 5), (['A', 'B'], 6, 14, 6), (['B', 'A'], 2, 8, 2)]))
    print('medium example, orders 1 to 4 and shapley:')
    rows = [
     (['email','social','search'], 3, 5, 360),
     (['social','search'], 2, 10, 150),
     (['search'], 4, 6, 400),
     (['social'], 0, 12, 0),
     (['email','email','search'], 2, 1, 210),
     (['display','social','social','email'], 1, 6, 90),
     (['search','email','search'], 2, 2, 220),
     (['display'], 0, 9, 0),
     (['social','display','search','social'], 1, 3, 80),
     (['email'], 1, 2, 100),
    ]
    for k in (1,2,3,4):
        P, re, cc, vv = markov([(p,c,n) for p,c,n,v in rows], k, [v for *_, v in rows])
        print('order', k, 'P', repr(P))
        for ch in sorted(re): print('  ', ch, repr(re[ch]), repr(cc[ch]), repr(vv[ch]))
    cc, vv = shapley(rows)
    print('shapley')
    for ch in sorted(cc): print('  ', ch, repr(cc[ch]), repr(vv[ch]))
    # hand examples
    print(markov([(['a','b'],1,1),(['c','b'],0,2)],1))
    print(markov([(['a','b'],1,1),(['c','b'],0,2)],2))
    print(markov([(['a','b','a','b'],1,0),(['b'],0,1)],1))
    print(shapley([(['A'],1,1,1),(['B'],1,3,1),(['A','B','C'],3,1,3)]))
    print(shapley([(['A'],1,1,1),(['B'],0,2,0),(['A','B'],1,3,1)]))

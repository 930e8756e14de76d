#!/usr/bin/python3
"""Independent reference values for the follower comparisons
(test/pgtap/compare_rates.sql, test/pgtap/compare_survival.sql,
test/sql/compare.sql, doc/compare.md).

Not part of the test run (the tests are self-contained SQL): run it by hand
from the repository top to recompute every number the tests compare with,
using code that shares nothing with the extension:

    /usr/bin/python3 test/reference/compare_reference.py

Needs Debian's python3-scipy and python3-mpmath.
  1. Newcombe (1998) method 10 at 40 digits (mpmath), in his published form
     delta = sqrt((p1 - l1)^2 + (u2 - p2)^2), Wilson limits from the
     quadratic formula; z = scipy.stats.norm.isf((1 - confidence) / 2).
     Pooled z-test with scipy.stats.norm.sf, cross-checked against
     scipy.stats.chi2_contingency(correction=False) (chi^2 = z^2).
  2. Kaplan-Meier and log-rank in exact rational arithmetic (fractions):
     at-risk sets are "duration >= t" (events before censorings), the
     p-th time is the first event time with S(t) <= 1 - p (lifelines'
     qth_survival_time), the hypergeometric variance of R's survdiff;
     p = erfc(sqrt(chi^2 / 2)) in mpmath.
"""
from fractions import Fraction as F

import mpmath as mp
from scipy import stats

mp.mp.dps = 40


# ---------------------------------------------------------------- rates
def wilson(x, n, z):
    x, n = mp.mpf(x), mp.mpf(n)
    c = (2 * x + z * z) / (2 * (n + z * z))
    h = z * mp.sqrt(z * z + 4 * x * (1 - x / n)) / (2 * (n + z * z))
    return max(c - h, mp.mpf(0)), min(c + h, mp.mpf(1))


def newcombe(x1, n1, x2, n2, conf=0.95):
    z = mp.mpf(stats.norm.isf((1 - conf) / 2))
    l1, u1 = wilson(x1, n1, z)
    l2, u2 = wilson(x2, n2, z)
    p1, p2 = mp.mpf(x1) / n1, mp.mpf(x2) / n2
    d = p1 - p2
    return (d, d - mp.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
            d + mp.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))


def frac(q):
    return mp.mpf(q.numerator) / q.denominator


def pooled_z(x1, n1, x2, n2):
    p = F(x1 + x2, n1 + n2)
    if p in (0, 1):
        return None, None
    z = (mp.mpf(x1) / n1 - mp.mpf(x2) / n2) / mp.sqrt(frac(p * (1 - p) * (F(1, n1) + F(1, n2))))
    pv = mp.erfc(abs(z) / mp.sqrt(2))
    chk = stats.chi2_contingency([[x1, n1 - x1], [x2, n2 - x2]], correction=False)[1]
    assert abs(float(pv) - chk) <= 1e-12 * chk
    return z, pv


def show_rates(label, x1, n1, x2, n2, conf=0.95):
    d, lo, hi = newcombe(x1, n1, x2, n2, conf)
    z, pv = pooled_z(x1, n1, x2, n2)
    print(f"{label}: {x1}/{n1} vs {x2}/{n2} conf {conf}: d {mp.nstr(d, 17)} "
          f"ci ({mp.nstr(lo, 17)}, {mp.nstr(hi, 17)}) z {mp.nstr(z, 17) if z is not None else None} "
          f"p {mp.nstr(pv, 17) if pv is not None else None}")


print("== Newcombe 1998, Table II examples (a)-(h), method 10 ==")
for label, args in zip("abcdefgh", [(56, 70, 48, 80), (9, 10, 3, 10), (6, 7, 2, 7), (5, 56, 0, 29),
                                    (0, 10, 0, 20), (0, 10, 0, 10), (10, 10, 0, 20), (10, 10, 0, 10)]):
    show_rates(label, *args)
show_rates("a at 90 %", 56, 70, 48, 80, 0.9)
show_rates("pooled rate 1", 5, 5, 3, 3)


def big_rates():
    """the deterministic 20,000-row set of test/pgtap/compare_rates.sql"""
    c = {True: [0, 0], False: [0, 0]}
    for i in range(1, 20001):
        f = i % 5 < 2
        s = (i * 7919) % 1000 < (430 if f else 370)
        c[f][0] += 1
        c[f][1] += s
    return c[True][1], c[True][0], c[False][1], c[False][0]


show_rates("big", *big_rates())
show_rates("big at 99 %", *big_rates(), conf=0.99)


# ---------------------------------------------------------------- survival
def km_quantiles(data):
    """data: list of (duration, converted); returns p25, median, p75"""
    out, s, at = [], F(1), len(data)
    targets = [F(3, 4), F(1, 2), F(1, 4)]
    for t in sorted(set(d for d, _ in data)):
        d = sum(1 for x, e in data if x == t and e)
        c = sum(1 for x, e in data if x == t and not e)
        if d:
            s *= F(at - d, at)
            while targets and s <= targets[0]:
                out.append(t)
                targets.pop(0)
        at -= d + c
    return out + [None] * (3 - len(out))


def logrank(fol, oth):
    times = sorted(set(t for t, e in fol + oth if e))
    e1 = e0 = v = F(0)
    for t in times:
        n1 = sum(1 for x, _ in fol if x >= t)
        n0 = sum(1 for x, _ in oth if x >= t)
        d = sum(1 for x, e in fol + oth if x == t and e)
        n = n1 + n0
        e1 += F(d * n1, n)
        e0 += F(d * n0, n)
        if n > 1:
            v += F(d * n1 * n0 * (n - d), n * n * (n - 1))
    o1 = sum(e for _, e in fol)
    o0 = sum(e for _, e in oth)
    chi = (o1 - e1) ** 2 / v if v else None
    hr = (o1 / e1) / (o0 / e0) if e1 and e0 and o0 else None
    p = mp.erfc(mp.sqrt(frac(chi) / 2)) if chi is not None else None
    return o1, o0, e1, e0, hr, chi, p


def show_survival(label, fol, oth):
    o1, o0, e1, e0, hr, chi, p = logrank(fol, oth)
    f = lambda q: None if q is None else repr(float(q))
    print(f"{label}: followers n {len(fol)} O {o1} KM {km_quantiles(fol)}; others n {len(oth)} O {o0} "
          f"KM {km_quantiles(oth)}\n    E1 {e1 if len(str(e1)) < 40 else '(long fraction)'} = {f(e1)}  E0 {f(e0)}  HR {f(hr)}  chi2 {f(chi)}  "
          f"p {mp.nstr(p, 17) if p is not None else None}")


def parse(s):
    return [(float(x.rstrip('+')), not x.endswith('+')) for x in s.split(',')]


print("\n== Kaplan-Meier and log-rank ==")
aml_maintained = parse("9,13,13+,18,23,28+,31,34,45+,48,161+")
aml_others = parse("5,5,8,8,12,16+,23,27,30,33,43,45")
show_survival("AML (followers = maintained)", aml_maintained, aml_others)
show_survival("ties of events and censorings", parse("2,2,2+,4,5+,6,6+"), parse("1,2,2+,3,3,4+,6,6"))
print("tie order 5,5+,9:", km_quantiles(parse("5,5+,9")))
print("1,2,3,4 all converted:", km_quantiles(parse("1,2,3,4")))


def big_survival():
    """the deterministic 12,000-row set of test/pgtap/compare_survival.sql"""
    fol, oth = [], []
    for i in range(1, 12001):
        f = i % 3 == 0
        dur = float((i * 37) % (150 if f else 170))
        conv = (i * 53) % 100 < (65 if f else 60)
        (fol if f else oth).append((dur, conv))
    return fol, oth


show_survival("big", *big_survival())
print("pooled big (time_to_convert over all 12,000):", km_quantiles(sum(big_survival(), [])))
show_survival("all converted 1,3,5 vs 2,4,6", parse("1,3,5"), parse("2,4,6"))
print("  V by hand = 1091/900 =", float(F(1091, 900)), " chi2 =", float((3 - F(67, 30)) ** 2 / F(1091, 900)))
show_survival("followers never convert (AML)", [(t, False) for t, _ in aml_maintained], aml_others)

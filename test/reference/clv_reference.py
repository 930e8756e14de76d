#!/usr/bin/python3
"""Independent reference values for the CLV tests (test/sql/clv.sql,
test/pgtap/clv.sql, test/pgtap/clv_stats.sql).

Not part of the test run (the tests are self-contained SQL): run it by hand
from the repository top to recompute every number the tests compare with,
using code that shares nothing with the extension:

    /usr/bin/python3 test/reference/clv_reference.py

Needs Debian's python3-numpy, python3-scipy and python3-mpmath.
  1. BG/NBD on cdnow_customers_summary.csv and Gamma-Gamma on the repeat
     buyers of CDNOW_sample.txt: scipy.optimize (Nelder-Mead, then BFGS) on
     the log-likelihoods of Fader, Hardie & Lee (2005), eq. 6 and "RFM and
     CLV" eq. 3, written with scipy.special.gammaln / betaln.
  2. Predictions: FHL 2005 eq. 9 and 10 with mpmath's exact 2F1 at 40 digits
     (the a = 1 limit by symmetric differences), the Gamma-Gamma mean and
     the discounted monthly CLV sum.
  3. Welch's t-test: scipy.stats.ttest_ind(equal_var=False) on the
     deterministic sample of test/pgtap/clv.sql.
  4. Student t and normal distributions: see the header of
     test/pgtap/clv_stats.sql (mpmath, 40-260 digits).
"""
import csv, math, datetime, collections
import numpy as np
from scipy import optimize, special, stats
# --- BG/NBD on cdnow_customers_summary.csv (FHL 2005 eq. 6), Nelder-Mead then BFGS
rows = list(csv.DictReader(open('test/data/cdnow_customers_summary.csv')))
x = np.array([float(r['frequency']) for r in rows]); tx = np.array([float(r['recency']) for r in rows]); T = np.array([float(r['T']) for r in rows])
def bg_ll(p, x, tx, T):
    r, al, a, b = np.exp(p)
    A1 = special.gammaln(r+x) - special.gammaln(r) + r*np.log(al)
    A2 = special.betaln(a, b+x) - special.betaln(a, b)
    A3 = -(r+x)*np.log(al+T)
    A4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b+x-1, 1e-300)) - (r+x)*np.log(al+tx), -np.inf)
    return np.sum(A1 + A2 + np.logaddexp(A3, A4))
res = optimize.minimize(lambda p: -bg_ll(p, x, tx, T), np.zeros(4), method='Nelder-Mead', options={'xatol':1e-12,'fatol':1e-12,'maxiter':20000,'maxfev':40000})
res = optimize.minimize(lambda p: -bg_ll(p, x, tx, T), res.x, method='BFGS', options={'gtol':1e-10})
r, al, a, b = np.exp(res.x); print('bgnbd csv', r, al, a, b, -res.fun)
def cond(t, xx, txx, TT):
    z = t/(al+TT+t)
    num = (a+b+xx-1)/(a-1)*(1 - ((al+TT)/(al+TT+t))**(r+xx)*special.hyp2f1(r+xx, b+xx, a+b+xx-1, z))
    return num/(1 + (xx>0)*(a/(b+xx-1))*((al+TT)/(al+txx))**(r+xx))
print('E[X(1)]', cond(1,0,0,0), 'E[X(78)]', cond(78,0,0,0), 'cust1', cond(39,2,30.43,38.86))
print('p_alive cust1', 1/(1+(a/(b+2-1))*((al+38.86)/(al+30.43))**(r+2)))
# --- summaries from CDNOW_sample.txt by the README rules, then Gamma-Gamma on the 946 repeaters
days = collections.defaultdict(lambda: collections.defaultdict(float))
end = datetime.date(1997,9,30)
for line in open('test/data/CDNOW_sample.txt'):
    f = line.split(); cid = int(f[1]); d = datetime.datetime.strptime(f[2], '%Y%m%d').date()
    if d <= end: days[cid][d] += float(f[4])
xs, ms = [], []
for cid, dd in days.items():
    ks = sorted(dd)
    if len(ks) > 1:
        xs.append(len(ks)-1); ms.append(sum(dd[k] for k in ks[1:])/(len(ks)-1))
xs = np.array(xs, float); ms = np.array(ms)
print('repeaters', len(xs))
def gg_ll(pp):
    p, q, v = np.exp(pp)
    return np.sum(special.gammaln(p*xs+q) - special.gammaln(p*xs) - special.gammaln(q) + q*np.log(v) + (p*xs-1)*np.log(ms) + p*xs*np.log(xs) - (p*xs+q)*np.log(v+ms*xs))
res = optimize.minimize(lambda p: -gg_ll(p), np.zeros(3), method='Nelder-Mead', options={'xatol':1e-12,'fatol':1e-12,'maxiter':20000})
res = optimize.minimize(lambda p: -gg_ll(p), res.x, method='BFGS', options={'gtol':1e-10})
print('gamma-gamma exact', np.exp(res.x), -res.fun)

# ---------- 2. predictions (mpmath) ----------
import mpmath as mp
mp.mp.dps = 40
def cond(m, t, x, tx, T):
    r, al, a, b = map(mp.mpf, m); t, x, tx, T = map(mp.mpf, (t, x, tx, T))
    if a == 1:   # eq. 10 is 0/0 at a = 1: the limit, by symmetric differences
        return (cond((r, al, 1 + mp.mpf('1e-15'), b), t, x, tx, T) + cond((r, al, 1 - mp.mpf('1e-15'), b), t, x, tx, T)) / 2
    z = t/(al+T+t)
    num = (a+b+x-1)/(a-1)*(1 - ((al+T)/(al+T+t))**(r+x)*mp.hyp2f1(r+x, b+x, a+b+x-1, z))
    den = 1 + (1 if x > 0 else 0)*(a/(b+x-1))*((al+T)/(al+tx))**(r+x)
    return num/den
def palive(m, x, tx, T):
    r, al, a, b = map(mp.mpf, m); x, tx, T = map(mp.mpf, (x, tx, T))
    return 1 if x == 0 else 1/(1 + (a/(b+x-1))*((al+T)/(al+tx))**(r+x))
def spend(g, x, mbar):
    p, q, v = map(mp.mpf, g); x = mp.mpf(x); mbar = mp.mpf(mbar)
    return p*(v + x*mbar)/(p*x + q - 1)
def pclv(m, g, x, tx, T, mbar, months, d, u):
    s = spend(g, x, mbar); tot = 0; prev = 0; u = mp.mpf(u)
    for k in range(1, months+1):
        e = cond(m, k*u, x, tx, T); tot += s*(e - prev)/(1+mp.mpf(d))**k; prev = e
    return tot
cd = ('0.243', '4.414', '0.793', '2.426')
gg = ('6.25', '3.74', '15.44')
cases = [
  ('cd', cd, 1, 0, 0, 0), ('cd', cd, 78, 0, 0, 0), ('cd', cd, 39, 2, '30.43', '38.86'),
  ('cd', cd, 39, 0, 0, '38.86'), ('cd', cd, 10, 15, 20, 30), ('cd', cd, 52, 1, 5, 38),
  ('cd', cd, 50, 200, 90, 100), ('cd', cd, 2000, 0, 0, 0),
  ('m2', ('1.5', '2', '0.3', '0.4'), 5, 0, 0, 0), ('m2', ('1.5', '2', '0.3', '0.4'), 5, 3, 4, 6),
  ('m3', ('0.8', '10', '1', '3'), 20, 0, 0, 0), ('m3', ('0.8', '10', '1', '3'), 20, 4, 30, 35),
]
for name, m, t, x, tx, T in cases:
    print(name, t, x, tx, T, mp.nstr(cond(m, t, x, tx, T), 20))
print('palive cd 2 30.43 38.86', mp.nstr(palive(cd, 2, '30.43', '38.86'), 20))
print('palive cd 15 20 30', mp.nstr(palive(cd, 15, 20, 30), 20))
print('spend 2 22.35', mp.nstr(spend(gg, 2, '22.35'), 20), 'spend 0', mp.nstr(spend(gg, 0, 0), 20))
print('pclv cust1 12m 0.01 4.345', mp.nstr(pclv(cd, gg, 2, '30.43', '38.86', '22.35', 12, '0.01', '4.345'), 20))
print('pclv new 12m 0 4.345', mp.nstr(pclv(cd, gg, 0, 0, '38.86', 0, 12, 0, '4.345'), 20))

# ---------- 3. Welch ----------
f = np.array([100 + 50*math.sin(i) + (i % 17) for i in range(1, 3001)])
n = np.array([90 + 40*math.cos(j) + (j % 13) for j in range(1, 2001)])
res = stats.ttest_ind(f, n, equal_var=False)
v1 = f.var(ddof=1)/len(f); v0 = n.var(ddof=1)/len(n)
df = (v1+v0)**2/(v1**2/(len(f)-1) + v0**2/(len(n)-1))
d = f.mean()-n.mean(); q = stats.t.ppf(0.95, df)   # 90 % interval
print(repr(f.mean()), repr(n.mean()), repr(f.std(ddof=1)), repr(n.std(ddof=1)))
print('t', repr(res.statistic), 'p', repr(res.pvalue), 'df', repr(df))
print('ci90', repr(d - q*math.sqrt(v1+v0)), repr(d + q*math.sqrt(v1+v0)))
# the documented check vector, for the record
a = [20.3, 22.1, 21.9]; b = [18.9, 20.3, 19]
r = stats.ttest_ind(a, b, equal_var=False); print(repr(r.statistic), repr(r.pvalue))

# ---------- 4. distributions (the values in test/pgtap/clv_stats.sql) ----------
def I(a, b, x):
    lf = a*mp.log(x) + b*mp.log1p(-x) - (mp.loggamma(a)+mp.loggamma(b)-mp.loggamma(a+b)) - mp.log(a)
    return mp.exp(lf) * mp.hyper([a+b, 1], [a+1], x, maxterms=10**7)
def cdf(t, df, digits_hint=0):
    with mp.workdps(40 + digits_hint):
        t = mp.mpf(t); df = mp.mpf(df); h = mp.mpf(1)/2; a = abs(t)
        x = df/(df+a*a)
        if x <= 0.9:
            tail = I(df/2, h, x)/2; cen = h - tail
        else:
            cen = I(h, df/2, 1-x)/2; tail = h - cen
        return +(tail if t < 0 else h + cen)
dfs = ['1', '2.5', '3.7999040024252055', '10', '30', '1000', '100000', '10000000']
ts = ['-30', '-5', '-2', '-0.5', '0.1', '1', '2.5', '8']
out = []
for df in dfs:
    for t in ts:
        v = cdf(t, df)
        hint = int(max(0, -mp.log10(v))) if v > 0 else 0
        v = cdf(t, df, hint)
        out.append(f"({t}, {df}, {mp.nstr(v, 22, min_fixed=-1, max_fixed=-1)})")
print("-- t cdf")
print(",\n".join(out))

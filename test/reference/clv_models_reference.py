#!/usr/bin/python3
"""Independent reference values for test/pgtap/clv_models.sql (Pareto/NBD,
MBG/NBD, BG/BB, shifted-beta-geometric, standard errors, likelihood-ratio
comparisons, chi-square and 2F1).

Shares no code with the extension: the likelihoods are written from the
papers with scipy.special (the Pareto/NBD one with scipy's hyp2f1 in the two
regimes of Fader & Hardie's 2005 note, not with the Euler-transformed series
of the C code), fitted with scipy.optimize (Nelder-Mead, then BFGS); the
predictions are evaluated with mpmath at 40 digits, by direct summation
where the C code uses a closed form (BG/BB, sBG).  Standard errors: the
inverse of a finite-difference Hessian (central differences, Richardson
extrapolation) of the reference log-likelihood in the natural parameters.

    /usr/bin/python3 test/reference/clv_models_reference.py

prints every number the tests compare with.
"""
import csv
import math

import mpmath as mp
import numpy as np
from scipy import optimize, special, stats

mp.mp.dps = 40


def fit(nll, start):
    r = optimize.minimize(nll, start, method='Nelder-Mead',
                          options={'xatol': 1e-12, 'fatol': 1e-12, 'maxiter': 40000, 'maxfev': 80000})
    r = optimize.minimize(nll, r.x, method='BFGS', options={'gtol': 1e-10})
    return np.exp(r.x), -r.fun


def hessian_se(ll, params):
    """SEs from the inverse of minus the Hessian of ll (natural parameters):
    central differences with steps h and h/2, Richardson-extrapolated."""
    p = np.array(params, float)
    n = len(p)

    def H(step):
        h = step * p
        out = np.zeros((n, n))
        for i in range(n):
            for j in range(n):
                def f(di, dj):
                    q = p.copy(); q[i] += di * h[i]; q[j] += dj * h[j]
                    return ll(q)
                out[i, j] = (f(1, 1) - f(1, -1) - f(-1, 1) + f(-1, -1)) / (4 * h[i] * h[j])
        return out
    h1, h2 = H(2e-4), H(1e-4)
    hess = (4 * h2 - h1) / 3
    return np.sqrt(np.diag(np.linalg.inv(-hess)))


def show(name, values):
    print(name, ' '.join(repr(float(v)) for v in values))


# ---------------------------------------------------------------- data
rows = list(csv.DictReader(open('test/data/cdnow_customers_summary.csv')))
X = np.array([float(r['frequency']) for r in rows])
TX = np.array([float(r['recency']) for r in rows])
TT = np.array([float(r['T']) for r in rows])
IDS = np.array([int(r['ID']) for r in rows])

# ---------------------------------------------------------------- Pareto/NBD
def pnbd_ll_vec(params, x, tx, T):
    """Fader & Hardie (2005) note, eq. 22, with the 2F1 in both regimes."""
    r, al, s, be = params
    a0 = np.empty_like(x)
    for k in range(len(x)):
        if al >= be:
            f1 = special.hyp2f1(r + s + x[k], s + 1, r + s + x[k] + 1, (al - be) / (al + tx[k]))
            f2 = special.hyp2f1(r + s + x[k], s + 1, r + s + x[k] + 1, (al - be) / (al + T[k]))
            a0[k] = f1 / (al + tx[k]) ** (r + s + x[k]) - f2 / (al + T[k]) ** (r + s + x[k])
        else:
            f1 = special.hyp2f1(r + s + x[k], r + x[k], r + s + x[k] + 1, (be - al) / (be + tx[k]))
            f2 = special.hyp2f1(r + s + x[k], r + x[k], r + s + x[k] + 1, (be - al) / (be + T[k]))
            a0[k] = f1 / (be + tx[k]) ** (r + s + x[k]) - f2 / (be + T[k]) ** (r + s + x[k])
    return (special.gammaln(r + x) - special.gammaln(r) + r * np.log(al) + s * np.log(be)
            + np.log((al + T) ** (-(r + x)) * (be + T) ** (-s) + s / (r + s + x) * a0))


def pnbd_ll(params, x=X, tx=TX, T=TT, w=None):
    v = pnbd_ll_vec(params, x, tx, T)
    return float(np.sum(v if w is None else v * w))


pn, pn_ll = fit(lambda q: -pnbd_ll(np.exp(q)), np.zeros(4))
show('pareto cdnow params ll', list(pn) + [pn_ll])
show('pareto cdnow se', hessian_se(pnbd_ll, pn))

# ---------------------------------------------------------------- MBG/NBD
def mbg_ll(params, x=X, tx=TX, T=TT):
    r, al, a, b = params
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(al)
    a2 = special.betaln(a, b + x + 1) - special.betaln(a, b)
    a3 = -(r + x) * np.log(al + T)
    a4 = np.log(a) - np.log(b + x) + (r + x) * (np.log(al + T) - np.log(al + tx))
    return float(np.sum(a1 + a2 + a3 + np.logaddexp(a4, 0)))


mb, mb_ll = fit(lambda q: -mbg_ll(np.exp(q)), np.zeros(4))
show('mbgnbd cdnow params ll', list(mb) + [mb_ll])
show('mbgnbd cdnow se', hessian_se(mbg_ll, mb))

# ---------------------------------------------------------------- BG/NBD (SEs, penalizer)
def bg_ll_vec(params, x, tx, T):
    r, al, a, b = params
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(al)
    a2 = special.betaln(a, b + x) - special.betaln(a, b)
    a3 = -(r + x) * np.log(al + T)
    a4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(al + tx), -np.inf)
    return a1 + a2 + np.logaddexp(a3, a4)


def bg_ll(params, x=X, tx=TX, T=TT):
    return float(np.sum(bg_ll_vec(params, x, tx, T)))


bg, bg_llv = fit(lambda q: -bg_ll(np.exp(q)), np.zeros(4))
show('bgnbd cdnow params ll', list(bg) + [bg_llv])
show('bgnbd cdnow se', hessian_se(bg_ll, bg))
# lifetimes' penalizer: minus the mean log-likelihood + c * sum(params^2)
c = 0.01
bgp, _ = fit(lambda q: -bg_ll(np.exp(q)) / len(X) + c * np.sum(np.exp(2 * q)), np.zeros(4))
show('bgnbd cdnow penalizer 0.01 params ll', list(bgp) + [bg_ll(bgp)])

# ---------------------------------------------------------------- BG/BB
don = list(csv.DictReader(open('test/data/donations_bgbb.csv')))
dx = np.array([float(r['frequency']) for r in don]); dtx = np.array([float(r['recency']) for r in don])
dn = np.array([float(r['n']) for r in don]); dw = np.array([float(r['n_custs']) for r in don])


def bgbb_ll_one(params, x, tx, n):
    a, b, g, d = params
    terms = [special.betaln(a + x, b + n - x) + special.betaln(g, d + n)]
    for i in range(int(n - tx)):
        terms.append(special.betaln(a + x, b + tx - x + i) + special.betaln(g + 1, d + tx + i))
    return special.logsumexp(terms) - special.betaln(a, b) - special.betaln(g, d)


def bgbb_ll(params):
    return float(sum(w * bgbb_ll_one(params, x, tx, n) for x, tx, n, w in zip(dx, dtx, dn, dw)))


bb, bb_ll = fit(lambda q: -bgbb_ll(np.exp(q)), np.zeros(4))
show('bgbb donations params ll', list(bb) + [bb_ll])
show('bgbb donations se', hessian_se(bgbb_ll, bb))

# ---------------------------------------------------------------- sBG
high = [1000, 869, 743, 653, 593, 551, 517, 491]
regular = [1000, 631, 468, 382, 326, 289, 262, 241]


def cohort_rows(alive):
    out = [(k, True, alive[k] - alive[k + 1]) for k in range(len(alive) - 1)]
    out.append((len(alive) - 1, False, alive[-1]))
    return out


def sbg_ll(params, data):
    a, b = params
    tot = 0.0
    for k, churned, w in data:
        if churned:
            tot += w * (special.betaln(a + 1, b + k) - special.betaln(a, b))
        else:
            tot += w * (special.betaln(a, b + k) - special.betaln(a, b))
    return tot


fits = {}
for name, alive in (('high', high), ('regular', regular)):
    data = cohort_rows(alive)
    p, ll = fit(lambda q: -sbg_ll(np.exp(q), data), np.zeros(2))
    fits[name] = (p, ll)
    show(f'sbg {name} params ll', list(p) + [ll])
    show(f'sbg {name} se', hessian_se(lambda q: sbg_ll(q, data), p))
pooled = cohort_rows(high) + cohort_rows(regular)
pp, pll = fit(lambda q: -sbg_ll(np.exp(q), pooled), np.zeros(2))
lr = 2 * (fits['high'][1] + fits['regular'][1] - pll)
show('sbg pooled params ll', list(pp) + [pll])
show('sbg compare lr p', [lr, stats.chi2.sf(lr, 2)])

# bgnbd_compare and pareto_nbd_compare on CDNOW, followers = even ids
even = IDS % 2 == 0
for name, llf in (('bgnbd', bg_ll), ('pareto', pnbd_ll)):
    res = []
    for mask in (even, ~even):
        p, ll = fit(lambda q: -llf(np.exp(q), X[mask], TX[mask], TT[mask]), np.zeros(4))
        res.append((p, ll))
    full = bg_llv if name == 'bgnbd' else pn_ll
    lr = 2 * (res[0][1] + res[1][1] - full)
    show(f'{name} compare even ids params', list(res[0][0]) + [res[0][1]])
    show(f'{name} compare odd ids params', list(res[1][0]) + [res[1][1]])
    show(f'{name} compare lr p', [lr, stats.chi2.sf(lr, 4)])

# ---------------------------------------------------------------- predictions (mpmath)
M = mp.mpf


def pnbd_parts(m, x, tx, T):
    r, al, s, be = map(M, m); x, tx, T = M(x), M(tx), M(T)
    if al >= be:
        f = lambda t: mp.hyp2f1(r + s + x, s + 1, r + s + x + 1, (al - be) / (al + t)) / (al + t) ** (r + s + x)
    else:
        f = lambda t: mp.hyp2f1(r + s + x, r + x, r + s + x + 1, (be - al) / (be + t)) / (be + t) ** (r + s + x)
    a0 = f(tx) - f(T)
    k = (al + T) ** (-(r + x)) * (be + T) ** (-s)
    return k, s / (r + s + x) * a0


def pnbd_alive(m, x, tx, T):
    k, rest = pnbd_parts(m, x, tx, T)
    return k / (k + rest)


def pnbd_cond(m, t, x, tx, T):
    r, al, s, be = map(M, m); t, x, T = M(t), M(x), M(T)
    return (r + x) * (be + T) / ((al + T) * (s - 1)) * (1 - ((be + T) / (be + T + t)) ** (s - 1)) * pnbd_alive(m, x, tx, T)


def pnbd_new(m, t):
    r, al, s, be = map(M, m); t = M(t)
    return r * be / (al * (s - 1)) * (1 - (be / (be + t)) ** (s - 1))


pm1 = ('0.5533', '10.578', '0.6062', '11.668')     # alpha < beta
pm2 = ('0.8', '12', '1.7', '3.5')                 # alpha >= beta
for m in (pm1, pm2):
    print('pareto model', m)
    print('  new t=39', mp.nstr(pnbd_new(m, 39), 20), 't=78', mp.nstr(pnbd_new(m, 78), 20))
    for h in ((2, '30.43', '38.86'), (0, 0, '38.86'), (7, 35, 38), (1, 2, 30)):
        print('  hist', h, 'alive', mp.nstr(pnbd_alive(m, *h), 20), 'cond39', mp.nstr(pnbd_cond(m, 39, *h), 20))


def mbg_new(m, t):
    r, al, a, b = map(M, m); t = M(t)
    return b / (a - 1) * (1 - mp.hyp2f1(r, b + 1, a + b, t / (al + t)) * (al / (al + t)) ** r)


def mbg_cond(m, t, x, tx, T):
    r, al, a, b = map(M, m); t, x, tx, T = map(M, (t, x, tx, T))
    num = (a + b + x) / (a - 1) * (1 - mp.hyp2f1(r + x, b + x + 1, a + b + x, t / (al + T + t)) * ((al + T) / (al + t + T)) ** (r + x))
    return num / (1 + (a / (b + x)) * ((al + T) / (al + tx)) ** (r + x))


def mbg_alive(m, x, tx, T):
    r, al, a, b = map(M, m); x, tx, T = map(M, (x, tx, T))
    return 1 / (1 + (a / (b + x)) * ((al + T) / (al + tx)) ** (r + x))


mm = ('0.5248', '6.1830', '0.8914', '1.6140')
print('mbg new 39', mp.nstr(mbg_new(mm, 39), 20), 'cond 39 (2,30.43,38.86)', mp.nstr(mbg_cond(mm, 39, 2, '30.43', '38.86'), 20),
      'cond 39 (0,0,38.86)', mp.nstr(mbg_cond(mm, 39, 0, 0, '38.86'), 20),
      'alive (2,30.43,38.86)', mp.nstr(mbg_alive(mm, 2, '30.43', '38.86'), 20), 'alive (0,0,38.86)', mp.nstr(mbg_alive(mm, 0, 0, '38.86'), 20))


# BG/NBD P(X(t) = n): eq. 8 with the negative binomial summed term by term
def bg_pmf(m, n, t):
    r, al, a, b = map(M, m); t = M(t)
    nb = lambda j: mp.gamma(r + j) / (mp.gamma(r) * mp.factorial(j)) * (al / (al + t)) ** r * (t / (al + t)) ** j
    B = mp.beta
    out = B(a, b + n) / B(a, b) * nb(n)
    if n > 0:
        out += B(a + 1, b + n - 1) / B(a, b) * (1 - mp.fsum(nb(j) for j in range(n)))
    return out


cd = ('0.243', '4.414', '0.793', '2.426')
print('bg pmf', [(n, t, mp.nstr(bg_pmf(cd, n, t), 20)) for n, t in ((0, 39), (1, 39), (2, 39), (5, 78), (0, 1), (10, 52))])
print('bg pmf sum 0..200 at 39', mp.nstr(mp.fsum(bg_pmf(cd, n, 39) for n in range(201)), 20))


# BG/BB by direct summation over the posterior (not eq. 13's Gamma ratios)
def bgbb_L(m, x, tx, n):
    a, b, g, d = map(M, m); B = mp.beta
    out = B(a + x, b + n - x) / B(a, b) * B(g, d + n) / B(g, d)
    for i in range(int(n - tx)):
        out += B(a + x, b + tx - x + i) / B(a, b) * B(g + 1, d + tx + i) / B(g, d)
    return out


def bgbb_cond(m, nstar, x, tx, n):
    a, b, g, d = map(M, m); B = mp.beta
    s = mp.fsum(B(g, d + n + i) / B(g, d) for i in range(1, nstar + 1))
    return B(a + x + 1, b + n - x) / B(a, b) * s / bgbb_L(m, x, tx, n)


def bgbb_alive(m, x, tx, n):
    a, b, g, d = map(M, m); B = mp.beta
    return B(a + x, b + n - x) / B(a, b) * B(g, d + n + 1) / B(g, d) / bgbb_L(m, x, tx, n)


def bgbb_new(m, nn):
    a, b, g, d = map(M, m); B = mp.beta
    return a / (a + b) * mp.fsum(B(g, d + i) / B(g, d) for i in range(1, nn + 1))


bbm = ('1.204', '0.750', '0.657', '2.783')
bbm1 = ('2', '3', '1', '4')   # gamma = 1
for m in (bbm, bbm1):
    print('bgbb model', m, 'new 5', mp.nstr(bgbb_new(m, 5), 20), 'new 30', mp.nstr(bgbb_new(m, 30), 20))
    for h in ((3, 5, 6), (0, 0, 6), (6, 6, 6), (1, 1, 6), (2, 4, 10)):
        print('  hist', h, 'cond5', mp.nstr(bgbb_cond(m, 5, *h), 20), 'alive', mp.nstr(bgbb_alive(m, *h), 20))


# sBG: survival, retention, expected lifetime and DERL by direct sums
def sbg_S(m, t):
    a, b = map(M, m)
    return mp.beta(a, b + t) / mp.beta(a, b)


def sbg_life(m, h):
    return mp.fsum(sbg_S(m, t) for t in range(h))


def sbg_derl(m, k, d):
    a, b = map(M, m); d = M(d)
    return mp.nsum(lambda j: sbg_S(m, k + 1 + j) / sbg_S(m, k) / (1 + d) ** j, [0, mp.inf])


sm = ('0.668', '3.806')
sm1 = ('1', '2.5')   # alpha = 1
for m in (sm, sm1):
    print('sbg model', m, 'S(7)', mp.nstr(sbg_S(m, 7), 20), 'r_5', mp.nstr((M(m[1]) + 4) / (M(m[0]) + M(m[1]) + 4), 20),
          'life 10', mp.nstr(sbg_life(m, 10), 20), 'life 1', mp.nstr(sbg_life(m, 1), 20),
          'derl 0 0.1', mp.nstr(sbg_derl(m, 0, '0.1'), 20), 'derl 4 0.1', mp.nstr(sbg_derl(m, 4, '0.1'), 20))
sm2 = ('1.7', '3.2')
print('sbg model', sm2, 'life inf', mp.nstr(1 + M('3.2') / M('0.7'), 20), 'derl 3 0', mp.nstr((M('3.2') + 3) / M('0.7'), 20),
      'derl 3 0.05', mp.nstr(sbg_derl(sm2, 3, '0.05'), 20))

# ---------------------------------------------------------------- special functions
print('chi2 sf', [(x, df, mp.nstr(mp.gammainc(M(df) / 2, M(x) / 2, mp.inf, regularized=True), 20))
                  for x, df in ((3.84, 1), (10, 4), (1, 2), (0.5, 3), (30, 4), (200, 2), (1000, 1000), (900, 1000), (0.001, 4), (50, 7.5))])
print('2F1', [(a, b, c, z, mp.nstr(mp.hyp2f1(M(a), M(b), M(c), M(z)), 20)) for a, b, c, z in (
    (1, 1.5, 2.1, 0.3), (1, 1.5, 2.1, 0.9), (1, 1.5, 2.1, 0.99), (1, 200.5, 201.1, 0.99), (1, 0.6, 101, 0.999),
    (1, 50, 60, 0.9), (1, 3.2, 3.5, 0.7), (1, 2.5, 1.2, 0.4), (2.5, 3, 1.5, -3), (0.5, 0.25, 1.75, 0.8),
    (1.3, 2.7, 1.9, 0.95), (-3, 2, 1.5, 0.6), (0.553, 1.1, 2.8, 0.5))])

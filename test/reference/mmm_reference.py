#!/usr/bin/python3
"""Independent reference data and values for the marketing mix modeling tests
(test/sql/mmm.sql, test/pgtap/mmm.sql), sharing no code with the extension.

Run by hand from the repository top; it rewrites the data files and prints
the numbers the tests compare with:

    /usr/bin/python3 test/reference/mmm_reference.py

Needs Debian's python3-numpy and python3-scipy.

  1. Ground truth (test/data/mmm_ground_truth.csv, test/data/mmm_truth.csv):
     weekly revenue generated from known geometric decays, Hill saturations
     and ROAS per channel, plus trend, yearly seasonality and Gaussian noise
     (a percentage of the mean revenue), with flighted spend (blocks of 2-7
     weeks switched off).  Seeded: numpy.random.default_rng(seed).
  2. Transforms: Robyn's and PyMC-Marketing's documented definitions
     re-implemented with numpy and scipy.stats.weibull_min.
  3. The linear part of the fit for fixed nonlinear parameters: the ridge
     non-negative least squares problem of doc/mmm.md ("Method") solved by
     scipy.optimize.lsq_linear (bounded-variable least squares) on the
     augmented system [Z / sqrt(n); sqrt(ridge) I] -- the reference for
     src/common/linalg.c's NNLS and QR as the fit uses them.
"""
import csv
import datetime
import math

import numpy as np
from scipy import optimize, stats

START = datetime.date(2022, 1, 3)          # a Monday
WEEKS_PER_YEAR = 365.25 / 7
CHANNELS = ["paid_social", "organic_social", "search", "tv", "display", "influencers"]


# ---------------------------------------------------------------- transforms
def geometric(x, theta):
    out, a = [], 0.0
    for v in x:
        a = v + theta * a
        out.append(a)
    return np.array(out)


def hill(x, k, s):
    x = np.asarray(x, float)
    out = np.zeros_like(x)
    pos = x > 0
    out[pos] = x[pos] ** s / (x[pos] ** s + k ** s)
    return out


def weibull_weights(shape, scale, kind, max_lag):
    """Robyn's adstock_weibull weights with windlen = max_lag and the scale in
    periods (PyMC-Marketing's weibull_adstock with lam = scale)."""
    t = np.arange(1, max_lag + 1)
    if kind == "cdf":
        surv = 1 - stats.weibull_min.cdf(t[:-1], c=shape, scale=scale)
        return np.cumprod(np.concatenate([[1.0], surv]))
    d = stats.weibull_min.pdf(t, c=shape, scale=scale)
    if d.max() == d.min():
        return np.concatenate([[1.0], np.zeros(max_lag - 1)])
    return (d - d.min()) / (d.max() - d.min())


def convolve(x, w):
    x = np.asarray(x, float)
    return np.array([sum(w[l] * x[t - l] for l in range(min(len(w), t + 1))) for t in range(len(x))])


def transforms():
    print("-- transforms")
    print("robyn geometric rep(100,5) 0.5:", geometric([100] * 5, 0.5))
    # Robyn's example adstock_weibull(rep(100, 5), shape = 0.5, scale = 0.5):
    # scaleTrans = round(quantile(1:5, 0.5)) = 3 periods
    for kind in ("cdf", "pdf"):
        w = weibull_weights(0.5, 3, kind, 5)
        print(f"robyn weibull {kind} weights:", repr(list(w)))
        print(f"robyn weibull {kind} rep(100,5):", repr(list(convolve([100] * 5, w))))
    print("robyn saturation_hill(c(100,150,170,190,200), alpha=3, gamma=0.5):",
          repr(list(hill([100, 150, 170, 190, 200], 150.0, 3))))
    print("robyn mic_men(5:10, Vmax=5, Km=0.5):", [5 * x / (0.5 + x) for x in range(5, 11)])
    print("pymc logistic_saturation(1, lam=1):", (1 - math.exp(-1)) / (1 + math.exp(-1)))
    print("pymc logistic_saturation(0.5, lam=4):", (1 - math.exp(-2)) / (1 + math.exp(-2)))
    # PyMC-Marketing test cases: geometric_adstock(x, alpha, l_max) with
    # normalize=True divides by sum(alpha^l, l < l_max)
    x = np.linspace(0, 1, 50)
    w = 0.8 ** np.arange(3)
    print("pymc geometric linspace(0,1,50) alpha=0.8 l_max=3 normalize, t=49:",
          repr(convolve(x, w / w.sum())[49]))
    # PyMC-Marketing's CDF kernel has l_max + 1 weights: max_lag = l_max + 1
    for kind, lmax in (("pdf", 7), ("cdf", 7)):
        ml = lmax if kind == "pdf" else lmax + 1
        w = weibull_weights(0.8, 0.5, kind, ml)
        print(f"pymc weibull {kind} lam=0.5 k=0.8 l_max={lmax} on ones(10):",
              repr(list(convolve(np.ones(10), w))))
    w = weibull_weights(2.0, 3.0, "pdf", 8)
    print("weibull pdf shape 2 scale 3 max_lag 8 impulse:", repr(list(w)))


# -------------------------------------------------------------- ground truth
def generate(seed, weeks, channels, noise):
    """Revenue from known channel effects.  Each channel's mean contribution
    is 5-12 % of the base revenue (smaller ones cannot be told from 1 % noise),
    decay in [0.1, 0.7], Hill slope in [1, 2.5], half-saturation 0.6-1.4 times
    the mean adstocked spend of the weeks it runs, ROAS in [0.8, 3]."""
    rng = np.random.default_rng(seed)
    t = np.arange(weeks)
    base = 100000.0
    y0 = (base + 10000.0 * t / (weeks - 1) + 8000 * np.sin(2 * np.pi * t / WEEKS_PER_YEAR)
          + 3000 * np.cos(2 * np.pi * t / WEEKS_PER_YEAR))
    truth, spend = [], []
    for j in range(channels):
        level = rng.uniform(2000, 12000)
        share = rng.uniform(0.05, 0.12)
        on = np.ones(weeks, bool)
        w = 0
        while w < weeks:
            block = int(rng.integers(2, 8))
            if rng.random() < 0.35:
                on[w:w + block] = False
            w += block
        x = np.where(on, level * rng.uniform(0.4, 1.6, weeks), 0.0)
        decay = rng.uniform(0.1, 0.7)
        slope = rng.uniform(1.0, 2.5)
        krel = rng.uniform(0.6, 1.4)
        roas = rng.uniform(0.8, 3.0)
        x = np.round(x * share * base / (roas * x.mean()), 2)
        a = geometric(x, decay)
        k = krel * a[x > 0].mean()
        h = hill(a, k, slope)
        beta = roas * x.sum() / h.sum()
        contribution = beta * h
        y0 = y0 + contribution
        spend.append(x)
        truth.append(dict(channel=CHANNELS[j], decay=decay, half_saturation=k, slope=slope,
                          coefficient=beta, roas=contribution.sum() / x.sum(),
                          contribution=contribution.sum(), spend=x.sum()))
    y = y0 + rng.normal(0, noise * y0.mean(), weeks)
    return y, spend, truth


DATASETS = [
    # name, seed, weeks, channels, noise
    ("w104_c3", 1, 104, 3, 0.01),
    ("w104_c5", 2, 104, 5, 0.01),
    ("w156_c4", 3, 156, 4, 0.01),
    ("w156_c5", 4, 156, 5, 0.01),
]


def ground_truth():
    with open("test/data/mmm_ground_truth.csv", "w", newline="") as f, \
            open("test/data/mmm_truth.csv", "w", newline="") as g:
        data = csv.writer(f)
        tw = csv.writer(g)
        data.writerow(["dataset", "week", "variable", "value", "role"])
        tw.writerow(["dataset", "noise", "channel", "decay", "half_saturation", "slope",
                     "coefficient", "roas", "contribution", "spend"])
        for name, seed, weeks, channels, noise in DATASETS:
            y, spend, truth = generate(seed, weeks, channels, noise)
            for t in range(weeks):
                day = START + datetime.timedelta(weeks=t)
                data.writerow([name, day, "revenue", repr(float(y[t])), "kpi"])
                for j in range(channels):
                    data.writerow([name, day, truth[j]["channel"], f"{spend[j][t]:.2f}", "media"])
            for tr in truth:
                tw.writerow([name, noise, tr["channel"]] + [repr(float(tr[k])) for k in (
                    "decay", "half_saturation", "slope", "coefficient", "roas", "contribution",
                    "spend")])
    print("-- ground truth written: test/data/mmm_ground_truth.csv, test/data/mmm_truth.csv")


# ------------------------------------------------ the linear part, by scipy
def linear_reference(name, fixed, ridge, order, negative=None):
    """Fit of dataset `name` with every nonlinear parameter fixed (decay,
    half_saturation, slope per channel): standardised columns (population
    standard deviation), intercept unpenalised, penalty ridge * ||b||^2 on
    the mean squared error, media coefficients >= 0."""
    rows = [r for r in csv.DictReader(open("test/data/mmm_ground_truth.csv")) if r["dataset"] == name]
    weeks = sorted({r["week"] for r in rows})
    n = len(weeks)
    idx = {w: i for i, w in enumerate(weeks)}
    y = np.zeros(n)
    media = {}
    for r in rows:
        if r["role"] == "kpi":
            y[idx[r["week"]]] = float(r["value"])
        else:
            media.setdefault(r["variable"], np.zeros(n))[idx[r["week"]]] = float(r["value"])
    names = sorted(media)
    if negative:
        # a channel that lowers revenue: NNLS must hold it at 0
        ch, effect = negative
        y = y - effect * media[ch]
    t = np.arange(n, dtype=float)
    cols = [t]
    for o in range(1, order + 1):
        cols += [np.sin(2 * np.pi * o * t / WEEKS_PER_YEAR), np.cos(2 * np.pi * o * t / WEEKS_PER_YEAR)]
    hs = []
    for c in names:
        decay, k, s = fixed[c]
        hs.append(hill(geometric(media[c], decay), k, s))
    X = np.column_stack(cols + hs)
    mu, sd = X.mean(0), X.std(0)
    Z = (X - mu) / sd
    ys = (y - y.mean()) / y.std()
    p = Z.shape[1]
    A = np.vstack([np.column_stack([np.ones(n), Z]) / math.sqrt(n),
                   np.column_stack([np.zeros(p), math.sqrt(ridge) * np.eye(p)])])
    b = np.concatenate([ys / math.sqrt(n), np.zeros(p)])
    lb = np.array([-np.inf] * (1 + len(cols)) + [0.0] * len(names))
    sol = optimize.lsq_linear(A, b, bounds=(lb, np.inf), method="bvls", tol=1e-14).x
    coef = sol[1:] * y.std() / sd
    intercept = y.mean() + y.std() * sol[0] - coef @ mu
    print(f"-- linear reference {name} ridge={ridge} order={order} negative={negative}")
    print("  intercept", repr(intercept), "trend", repr(coef[0]))
    betas = {}
    for j, c in enumerate(names):
        beta = coef[len(cols) + j]
        betas[c] = beta
        contribution = beta * hs[j].sum()
        print(f"  {c}: coefficient {beta!r} contribution {contribution!r} roas {contribution / media[c].sum()!r}")
    return betas


def optimize_reference(fixed, betas, budget, bounds=None, starts=12):
    """mmm_optimize's problem on the same curves with scipy's SLSQP from
    several starts (equal split, then Dirichlet draws): maximise
    sum_j beta_j hill(s_j / (1 - decay_j), k_j, slope_j) subject to
    sum_j s_j = budget and the bounds."""
    names = sorted(fixed)
    J = len(names)
    lo = np.array([bounds[c][0] if bounds else 0.0 for c in names])
    hi = np.array([bounds[c][1] if bounds else budget for c in names])

    def total(s):
        return sum(betas[c] * hill([s[j] / (1 - fixed[c][0])], fixed[c][1], fixed[c][2])[0]
                   for j, c in enumerate(names))

    rng = np.random.default_rng(11)
    best = None
    for i in range(starts):
        w = np.full(J, 1.0 / J) if i == 0 else rng.dirichlet(np.ones(J))
        x0 = np.clip(lo + w * (budget - lo.sum()), lo, hi)
        r = optimize.minimize(lambda s: -total(s), x0, method="SLSQP",
                              bounds=list(zip(lo, hi)),
                              constraints=[{"type": "eq", "fun": lambda s: s.sum() - budget}],
                              options={"ftol": 1e-12, "maxiter": 500})
        if r.success and abs(r.x.sum() - budget) < 1e-6 * max(budget, 1) and (best is None or -r.fun > -best.fun):
            best = r
    print(f"-- SLSQP budget {budget} bounds {bounds}: total {-best.fun!r}",
          {c: round(v, 4) for c, v in zip(names, best.x)})
    return -best.fun


if __name__ == "__main__":
    transforms()
    ground_truth()
    fixed = {"organic_social": (0.2, 6000.0, 1.5), "paid_social": (0.4, 5000.0, 1.2),
             "search": (0.3, 7000.0, 2.0)}
    linear_reference("w104_c3", fixed, 0.01, 2)
    linear_reference("w104_c3", fixed, 0.0001, 1, negative=("search", 2.0))
    # S-shaped curves (slopes above 1): the allocation has local optima
    sshape = {"organic_social": (0.2, 6000.0, 2.5), "paid_social": (0.4, 5000.0, 1.2),
              "search": (0.3, 7000.0, 3.0)}
    betas = linear_reference("w104_c3", sshape, 0.01, 2)
    for budget in (2000.0, 6000.0, 12000.0):
        optimize_reference(sshape, betas, budget)
    optimize_reference(sshape, betas, 9000.0,
                       bounds={"organic_social": (1000.0, 3000.0), "paid_social": (0.0, 9000.0),
                               "search": (2500.0, 9000.0)})

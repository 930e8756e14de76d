#!/usr/bin/python3
"""The same marketing mix model fitted the way an analyst would without socroi:
pull the rows out of the database, pivot them with numpy, and fit every
parameter at once with scipy.optimize.least_squares (bounded trust region,
numerical Jacobian) from several random starts, keeping the best.

Model (as mmm_fit's defaults on bench_mmm): intercept + trend + yearly Fourier
terms of order 2 + sum_j beta_j hill(adstock_j, k_j, s_j), geometric adstock
(scipy.signal.lfilter), beta >= 0, decay in [0, 0.9], slope in [1, 3],
half-saturation within 0.2..5 times the mean spend / (1 - decay).

Run by bench/run.sh after the SQL cases (connection from PGHOST / PGPORT /
PGDATABASE); prints the time of each and the ROAS both find.
"""
import time

import numpy as np
import psycopg2
from scipy import optimize, signal

STARTS = 8


def load(cur):
    cur.execute("SELECT week, variable, value, role FROM bench_mmm ORDER BY week, variable")
    rows = cur.fetchall()
    weeks = sorted({r[0] for r in rows})
    index = {w: i for i, w in enumerate(weeks)}
    channels = sorted({r[1] for r in rows if r[3] == "media"})
    y = np.zeros(len(weeks))
    x = np.zeros((len(channels), len(weeks)))
    for week, variable, value, role in rows:
        if role == "kpi":
            y[index[week]] = value
        else:
            x[channels.index(variable), index[week]] = value
    return channels, y, x


def fit(y, x, seed):
    n = len(y)
    J = x.shape[0]
    t = np.arange(n)
    P = 365.25 / 7
    fixed = np.column_stack([np.ones(n), t / n] + [f(2 * np.pi * o * t / P)
                                                   for o in (1, 2) for f in (np.sin, np.cos)])
    scale_y = y.std()
    mean_x = x.mean(axis=1)

    def unpack(p):
        decay, krel, slope, beta = p[:J], p[J:2 * J], p[2 * J:3 * J], p[3 * J:4 * J]
        return decay, krel, slope, beta, p[4 * J:]

    def media(p):
        decay, krel, slope, beta, _ = unpack(p)
        out = np.empty((J, n))
        for j in range(J):
            a = signal.lfilter([1.0], [1.0, -decay[j]], x[j])
            k = krel[j] * mean_x[j] / (1 - decay[j])
            out[j] = a ** slope[j] / (a ** slope[j] + k ** slope[j])
        return out, beta

    def residuals(p):
        h, beta = media(p)
        gamma = unpack(p)[4]
        return (fixed @ gamma + (beta * scale_y) @ h - y) / scale_y

    lo = np.concatenate([np.zeros(J), np.full(J, 0.2), np.ones(J), np.zeros(J), np.full(fixed.shape[1], -np.inf)])
    hi = np.concatenate([np.full(J, 0.9), np.full(J, 5.0), np.full(J, 3.0), np.full(J, np.inf),
                         np.full(fixed.shape[1], np.inf)])
    rng = np.random.default_rng(seed)
    best = None
    for _ in range(STARTS):
        p0 = np.concatenate([rng.uniform(0, 0.9, J), rng.uniform(0.2, 5, J), rng.uniform(1, 3, J),
                             rng.uniform(0, 1, J), [y.mean() / 1, 0, 0, 0, 0, 0]])
        r = optimize.least_squares(residuals, p0, bounds=(lo, hi), method="trf")
        if best is None or r.cost < best.cost:
            best = r
    h, beta = media(best.x)
    contribution = (beta * scale_y)[:, None] * h
    return contribution.sum(axis=1) / x.sum(axis=1), unpack(best.x)[0]


def main():
    conn = psycopg2.connect("")
    cur = conn.cursor()
    t0 = time.perf_counter()
    channels, y, x = load(cur)
    roas_scipy, decay_scipy = fit(y, x, 7)
    scipy_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    cur.execute("SELECT c.channel, c.roas, c.decay FROM mmm_channels((SELECT mmm_fit(week, variable, value, role) "
                "FROM bench_mmm)) c ORDER BY c.channel")
    socroi = cur.fetchall()
    socroi_ms = (time.perf_counter() - t0) * 1000
    print()
    print(f"| mmm: scipy least_squares, {STARTS} starts, 156 weeks x 6 channels | {scipy_ms:.1f} | "
          f"{scipy_ms / socroi_ms:.1f}x |  |")
    print(f"| mmm: mmm_fit, same data and session | {socroi_ms:.1f} |  |  |")
    print()
    print("channel    ROAS scipy  ROAS socroi  decay scipy  decay socroi")
    for (ch, roas, decay), rs, ds in zip(socroi, roas_scipy, decay_scipy):
        print(f"{ch:<10} {rs:10.3f} {roas:12.3f} {ds:12.3f} {decay:13.3f}")


if __name__ == "__main__":
    main()

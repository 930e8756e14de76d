#!/usr/bin/env bash
# Hostile inputs for every function and aggregate; see adversarial.py.
set -euo pipefail
cd "$(dirname "$0")"
psql -XAtq -d postgres -c 'DROP DATABASE IF EXISTS socroi_adv' -c 'CREATE DATABASE socroi_adv' >/dev/null
psql -XAtq -d socroi_adv -c 'CREATE EXTENSION socroi' >/dev/null
# fitted marketing mix models for the functions that read one
psql -XAtq -d socroi_adv -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
SELECT setseed(0.3);
CREATE TABLE adv_mmm_rows AS
SELECT date '2024-01-01' + 7 * i AS week, v.variable, v.value, v.role
FROM (SELECT i, CASE WHEN random() < 0.7 THEN 1000 + 1000 * random() ELSE 0 END AS a,
             CASE WHEN random() < 0.6 THEN 500 + 1500 * random() ELSE 0 END AS b, random() AS e
      FROM generate_series(0, 59) i) w
CROSS JOIN LATERAL (VALUES ('revenue', 20000 + 50 * i + 1.5 * a + 0.8 * b + 300 * e, 'kpi'),
                           ('tv', a, 'media'), ('social', b * 100, 'media'), ('social', b, 'cost'),
                           ('promo', (i % 7 = 0)::int, 'control')) v(variable, value, role);
CREATE TABLE adv_mmm AS SELECT mmm_fit(week, variable, value, role, 'seasonality=none') AS m FROM adv_mmm_rows;
CREATE TABLE adv_mmm_weibull AS
SELECT mmm_fit(week, variable, value, role, 'adstock=weibull_pdf, saturation=logistic, max_lag=4, holdout=4, seasonality=none') AS m
FROM adv_mmm_rows;
SQL
PGDATABASE=socroi_adv /usr/bin/python3 adversarial.py

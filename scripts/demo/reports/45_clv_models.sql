-- Followers vs others inside the customer-base models: retention of paid
-- community seats (shifted-beta-geometric), the purchase process
-- (Pareto/NBD), and a calibration / holdout check of the purchase models.
\echo
\echo '== Do followers renew longer? Paid community seats, monthly (sBG) ======='
\echo 'sbg_compare fits the shifted-beta-geometric model to followers, to the others'
\echo 'and to both; the likelihood-ratio test asks whether one churn process serves'
\echo 'both groups.  S(12): share of new subscribers still paying after 12 months;'
\echo 'months of 12: expected paid months out of the first 12; value: the discounted'
\echo 'residual value (EUR 9 a month, 1 % a month) of a subscriber after 3 renewals.'
\echo
WITH cmp AS (
    SELECT (sbg_compare(c.follows_brand, s.renewals, s.cancelled_at IS NOT NULL, 12)).*
    FROM subscriptions AS s JOIN customers AS c USING (customer_id)
)
SELECT g.segment, g.subscribers,
       round(g.alpha::numeric, 3) AS alpha, round(g.beta::numeric, 3) AS beta,
       format('%s .. %s', round((g.alpha - 1.96 * g.se_alpha)::numeric, 3),
              round((g.alpha + 1.96 * g.se_alpha)::numeric, 3)) AS alpha_95,
       round(g.s12::numeric, 3) AS s_12, round(g.months::numeric, 2) AS months_of_12,
       round(g.value::numeric, 2) AS value_eur,
       round(cmp.lr_statistic::numeric, 2) AS lr, round(cmp.p_value::numeric, 4) AS p_value
FROM cmp, LATERAL (VALUES
    ('followers', (cmp.follower_model).customers, (cmp.follower_model).alpha, (cmp.follower_model).beta,
     (cmp.follower_model).se_alpha, cmp.follower_survival, cmp.follower_expected_lifetime,
     9 * sbg_derl(cmp.follower_model, 3, 0.01)),
    ('others', (cmp.non_follower_model).customers, (cmp.non_follower_model).alpha, (cmp.non_follower_model).beta,
     (cmp.non_follower_model).se_alpha, cmp.non_follower_survival, cmp.non_follower_expected_lifetime,
     9 * sbg_derl(cmp.non_follower_model, 3, 0.01))
) AS g(segment, subscribers, alpha, beta, se_alpha, s12, months, value);

\echo
\echo '== Do followers buy by a different process? (Pareto/NBD, weeks) =========='
\echo 'pareto_nbd_compare: one model per group and the pooled one, likelihood-ratio'
\echo 'test on 4 df, and each group''s mean expected purchases in the next 52 weeks.'
\echo
CREATE TEMP TABLE rfm_weeks AS
SELECT c.customer_id, c.follows_brand,
       (customer_summary(o.ordered_at, o.amount::float8, timestamptz '2026-10-31 23:59+00', '7 days')).*
FROM customers AS c JOIN orders AS o USING (customer_id)
GROUP BY c.customer_id, c.follows_brand;
WITH cmp AS (
    SELECT (pareto_nbd_compare(follows_brand, frequency, recency, t, 52)).* FROM rfm_weeks
)
SELECT g.segment, g.customers, round(g.r::numeric, 3) AS r, round(g.alpha::numeric, 2) AS alpha,
       round(g.s::numeric, 3) AS s, round(g.beta::numeric, 2) AS beta,
       round(g.next52::numeric, 2) AS expected_next_52_weeks,
       round(cmp.lr_statistic::numeric, 1) AS lr, to_char(cmp.p_value, '0.0EEEE') AS p_value
FROM cmp, LATERAL (VALUES
    ('followers', (cmp.follower_model).customers, (cmp.follower_model).r, (cmp.follower_model).alpha,
     (cmp.follower_model).s, (cmp.follower_model).beta, cmp.follower_expected_purchases),
    ('others', (cmp.non_follower_model).customers, (cmp.non_follower_model).r, (cmp.non_follower_model).alpha,
     (cmp.non_follower_model).s, (cmp.non_follower_model).beta, cmp.non_follower_expected_purchases)
) AS g(segment, customers, r, alpha, s, beta, next52);

\echo
\echo '== Calibration vs holdout: predicted and actual purchases, May-Oct 2026 =='
\echo 'Models fitted on orders up to 2026-04-30 (days); each customer''s predicted'
\echo 'purchase days in the holdout, averaged by calibration frequency (6 = 6 or more),'
\echo 'against what happened, with the mean absolute error per customer.'
\echo
WITH s AS (
    SELECT customer_id,
           (customer_summary_holdout(ordered_at, amount::float8, '2026-04-30', '2026-10-31')).*
    FROM orders GROUP BY customer_id),
cal AS (SELECT * FROM s WHERE frequency IS NOT NULL),
m AS (SELECT bgnbd_fit(frequency, recency, t) AS bg, pareto_nbd_fit(frequency, recency, t) AS pn,
             mbgnbd_fit(frequency, recency, t) AS mb FROM cal),
per_customer AS (
    SELECT least(c.frequency, 6) AS calibration_frequency, c.holdout_frequency AS actual,
           bgnbd_conditional_purchases(m.bg, c.holdout_duration, c.frequency, c.recency, c.t) AS bgnbd,
           pareto_nbd_conditional_purchases(m.pn, c.holdout_duration, c.frequency, c.recency, c.t) AS pareto,
           mbgnbd_conditional_purchases(m.mb, c.holdout_duration, c.frequency, c.recency, c.t) AS mbgnbd
    FROM cal AS c CROSS JOIN m)
SELECT coalesce(calibration_frequency::text, 'all') AS calibration_frequency, count(*) AS customers,
       round(avg(actual)::numeric, 3) AS actual,
       round(avg(bgnbd)::numeric, 3) AS bgnbd, round(avg(abs(bgnbd - actual))::numeric, 3) AS bgnbd_mae,
       round(avg(pareto)::numeric, 3) AS pareto, round(avg(abs(pareto - actual))::numeric, 3) AS pareto_mae,
       round(avg(mbgnbd)::numeric, 3) AS mbgnbd, round(avg(abs(mbgnbd - actual))::numeric, 3) AS mbgnbd_mae
FROM per_customer
GROUP BY ROLLUP (calibration_frequency)
ORDER BY calibration_frequency NULLS LAST;

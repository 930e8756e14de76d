-- pgTAP: Pareto/NBD, MBG/NBD, BG/BB and shifted-beta-geometric models,
-- standard errors, penalizer, likelihood-ratio comparisons, calibration /
-- holdout and calendar summaries, and the special functions behind them.
--
-- Published values: Pareto/NBD and MBG/NBD on CDNOW (lifetimes' documented
-- fits; Schmittlein et al. / Batislam et al.), BG/BB on the 1995 donor cohort
-- (Fader, Hardie & Shang 2010), sBG on both cohorts of Fader & Hardie 2007.
-- Every other number comes from test/reference/clv_models_reference.py
-- (scipy fits of the likelihoods written from the papers, finite-difference
-- Hessians, mpmath at 40 digits with direct sums), sharing no code with the
-- extension.
BEGIN;
SELECT plan(68);

CREATE FUNCTION pg_temp.rel(got float8, want float8) RETURNS float8 LANGUAGE sql AS
$$ SELECT abs(got - want) / greatest(abs(want), 1e-300) $$;

CREATE TABLE cdnow (id int, frequency float8, recency float8, t float8);
\copy cdnow FROM 'test/data/cdnow_customers_summary.csv' CSV HEADER
CREATE TABLE donors (frequency float8, recency float8, n_periods float8, donors float8);
\copy donors FROM 'test/data/donations_bgbb.csv' CSV HEADER
-- Fader & Hardie 2007: customers alive at the start of years 0..7, per 1,000
CREATE TABLE cohorts AS
SELECT segment, k AS periods_survived, (k < 7) AS churned,
       CASE WHEN k < 7 THEN alive[k + 1] - alive[k + 2] ELSE alive[8] END::float8 AS subscribers
FROM (VALUES ('high end', ARRAY[1000, 869, 743, 653, 593, 551, 517, 491]),
             ('regular', ARRAY[1000, 631, 468, 382, 326, 289, 262, 241])) AS c(segment, alive),
     generate_series(0, 7) AS k;
CREATE TABLE subscribers AS
SELECT segment = 'high end' AS follower, periods_survived, churned
FROM cohorts, generate_series(1, subscribers::int);

-- ======================= published values =============================
CREATE TEMP TABLE pn AS SELECT (pareto_nbd_fit(frequency, recency, t)).* FROM cdnow;
SELECT ok(abs(log_likelihood - (-9594.97)) < 0.01, 'Pareto/NBD CDNOW log-likelihood -9594.97 (to 0.01)') FROM pn;
SELECT ok(pg_temp.rel(r, 0.5533) < 0.005 AND pg_temp.rel(alpha, 10.578) < 0.005
          AND pg_temp.rel(s, 0.6062) < 0.005 AND pg_temp.rel(beta, 11.668) < 0.005,
          'Pareto/NBD CDNOW r 0.5533, alpha 10.578, s 0.6062, beta 11.668 (each to 0.5 %)') FROM pn;
SELECT ok(pg_temp.rel(r, 0.5532755120624973) < 1e-5 AND pg_temp.rel(alpha, 10.577611925387627) < 1e-5
          AND pg_temp.rel(s, 0.6062137374880279) < 1e-5 AND pg_temp.rel(beta, 11.66791594218273) < 1e-5
          AND abs(log_likelihood - (-9594.973929826861)) < 1e-6,
          'Pareto/NBD CDNOW = an independent scipy fit of the note''s likelihood (1e-5)') FROM pn;
CREATE TEMP TABLE mb AS SELECT (mbgnbd_fit(frequency, recency, t)).* FROM cdnow;
SELECT ok(round(r::numeric, 4) = 0.5248 AND round(alpha::numeric, 4) = 6.1830 AND round(a::numeric, 4) = 0.8914
          AND round(b::numeric, 4) = 1.6140 AND round(log_likelihood::numeric, 2) = -9582.13,
          'MBG/NBD CDNOW r 0.5248, alpha 6.1830, a 0.8914, b 1.6140, LL -9582.13') FROM mb;
SELECT ok(pg_temp.rel(r, 0.5248379034881309) < 1e-5 AND pg_temp.rel(b, 1.6139994193213583) < 1e-5
          AND abs(log_likelihood - (-9582.132684899903)) < 1e-6, 'MBG/NBD = scipy (1e-5)') FROM mb;
CREATE TEMP TABLE bb AS SELECT (bgbb_fit(frequency, recency, n_periods, donors)).* FROM donors;
SELECT ok(round(alpha::numeric, 4) = 1.2035 AND round(beta::numeric, 4) = 0.7497 AND round(gamma::numeric, 4) = 0.6567
          AND round(delta::numeric, 4) = 2.7834 AND round(log_likelihood::numeric, 2) = -33225.58 AND customers = 11104,
          'BG/BB donors alpha 1.2035, beta 0.7497, gamma 0.6567, delta 2.7834, LL -33225.58') FROM bb;
SELECT ok(pg_temp.rel(alpha, 1.2035224356916319) < 1e-5 AND pg_temp.rel(delta, 2.783442101099636) < 1e-5
          AND abs(log_likelihood - (-33225.58127434698)) < 1e-6, 'BG/BB = scipy (1e-5)') FROM bb;
CREATE TEMP TABLE sb AS
SELECT segment, (sbg_fit(periods_survived::int, churned, subscribers)).* FROM cohorts GROUP BY segment;
SELECT ok(round(alpha::numeric, 3) = 0.668 AND round(beta::numeric, 3) = 3.806
          AND round(log_likelihood::numeric, 2) = -1611.16, 'sBG high end: alpha 0.668, beta 3.806, LL -1611.16')
FROM sb WHERE segment = 'high end';
SELECT ok(round(alpha::numeric, 3) = 0.704 AND round(beta::numeric, 3) = 1.182
          AND round(log_likelihood::numeric, 2) = -1680.27, 'sBG regular: alpha 0.704, beta 1.182, LL -1680.27')
FROM sb WHERE segment = 'regular';
SELECT ok(pg_temp.rel(alpha, 0.6680884587425977) < 1e-5 AND pg_temp.rel(beta, 3.8060957208381745) < 1e-5,
          'sBG high end = scipy (1e-5)') FROM sb WHERE segment = 'high end';
SELECT ok((SELECT row(a.*)::text = row(b.*)::text
           FROM (SELECT (sbg_fit(periods_survived::int, churned, subscribers)).* FROM cohorts WHERE segment = 'regular') AS a,
                (SELECT (sbg_fit(periods_survived::int, churned)).* FROM subscribers WHERE NOT follower) AS b),
          'sBG: one row per subscriber = the weighted cohort table, bit for bit');

-- ======================= standard errors ==============================
-- inverse of a finite-difference Hessian of the reference likelihood, 1e-4 relative
SELECT ok(pg_temp.rel(se_r, 0.012557312264840297) < 1e-4 AND pg_temp.rel(se_alpha, 0.3782211892411409) < 1e-4
          AND pg_temp.rel(se_a, 0.18571726313746864) < 1e-4 AND pg_temp.rel(se_b, 0.7053391209632182) < 1e-4,
          'BG/NBD standard errors (CDNOW)') FROM (SELECT (bgnbd_fit(frequency, recency, t)).* FROM cdnow) AS s;
SELECT ok(pg_temp.rel(se_r, 0.047628507810598714) < 1e-4 AND pg_temp.rel(se_alpha, 0.8427227179698334) < 1e-4
          AND pg_temp.rel(se_s, 0.18727403972616585) < 1e-4 AND pg_temp.rel(se_beta, 6.210844765339083) < 1e-4,
          'Pareto/NBD standard errors (CDNOW)') FROM pn;
SELECT ok(pg_temp.rel(se_r, 0.08326326763221696) < 1e-4 AND pg_temp.rel(se_alpha, 0.6955928572140504) < 1e-4
          AND pg_temp.rel(se_a, 0.15478345080671563) < 1e-4 AND pg_temp.rel(se_b, 0.537465374354585) < 1e-4,
          'MBG/NBD standard errors (CDNOW)') FROM mb;
SELECT ok(pg_temp.rel(se_alpha, 0.0693911749158225) < 1e-4 AND pg_temp.rel(se_beta, 0.02944765240692272) < 1e-4
          AND pg_temp.rel(se_gamma, 0.051009575094854424) < 1e-4 AND pg_temp.rel(se_delta, 0.3208172665742199) < 1e-4,
          'BG/BB standard errors (donors)') FROM bb;
SELECT ok(pg_temp.rel(se_alpha, 0.10373442908895501) < 1e-4 AND pg_temp.rel(se_beta, 0.7855277674617558) < 1e-4,
          'sBG standard errors (high end)') FROM sb WHERE segment = 'high end';
SELECT ok(pg_temp.rel(se_alpha, 0.06559892909957361) < 1e-4 AND pg_temp.rel(se_beta, 0.15247555258642437) < 1e-4,
          'sBG standard errors (regular)') FROM sb WHERE segment = 'regular';
SELECT ok(se_p > 0 AND se_q > 0 AND se_v > 0 AND se_p < p AND se_q < q AND se_v < v,
          'Gamma-Gamma carries standard errors too')
FROM (SELECT (gamma_gamma_fit(frequency, recency + 1)).* FROM cdnow WHERE frequency > 0) AS s;
SELECT ok(pg_temp.rel(w.se_r, 2 ^ -0.5 * s.se_r) < 1e-6 AND pg_temp.rel(w.se_b, 2 ^ -0.5 * s.se_b) < 1e-6,
          'doubling every weight divides the standard errors by sqrt(2)')
FROM (SELECT (bgnbd_fit(frequency, recency, t)).* FROM cdnow) AS s,
     (SELECT (bgnbd_fit(frequency, recency, t, 2)).* FROM cdnow) AS w;

-- ======================= penalizer ====================================
-- lifetimes' penalizer_coef: minus the mean log-likelihood + 0.01 sum(params^2) (scipy)
SELECT ok(pg_temp.rel(r, 0.15750825689222353) < 1e-5 AND pg_temp.rel(alpha, 1.5294351678234597) < 1e-5
          AND pg_temp.rel(a, 0.3352041416403735) < 1e-5 AND pg_temp.rel(b, 0.6783607904716977) < 1e-5
          AND abs(log_likelihood - (-9660.878574765567)) < 1e-5,
          'BG/NBD with penalizer 0.01 = scipy on lifetimes'' penalized objective; LL without the penalty')
FROM (SELECT (bgnbd_fit(frequency, recency, t, 1, 0.01)).* FROM cdnow) AS s;
SELECT ok((SELECT row(a.*)::text = row(b.*)::text
           FROM (SELECT (bgnbd_fit(frequency, recency, t, 1, 0)).* FROM cdnow) AS a,
                (SELECT (bgnbd_fit(frequency, recency, t)).* FROM cdnow) AS b),
          'penalizer 0 = plain maximum likelihood, bit for bit');
SELECT throws_ok($$SELECT bgnbd_fit(frequency, recency, t, 1, CASE WHEN id = 5 THEN 0.1 ELSE 0.2 END) FROM cdnow$$,
                 '22023', NULL, 'the penalizer must be the same on every row');
SELECT throws_ok($$SELECT pareto_nbd_fit(1, 2, 3, 1, -0.1)$$, '22023', NULL, 'negative penalizer');

-- ======================= comparisons (likelihood-ratio) ===============
CREATE TEMP TABLE sc AS SELECT (sbg_compare(follower, periods_survived, churned, 12)).* FROM subscribers;
SELECT ok(pg_temp.rel(lr_statistic, 203.95677792878178) < 1e-6 AND degrees_of_freedom = 2
          AND pg_temp.rel(p_value, 5.14456192732973e-45) < 1e-5,
          'sbg_compare high end vs regular: LR 203.957, 2 df, p 5.1e-45 (scipy: two fits and the pooled fit)') FROM sc;
SELECT ok(pg_temp.rel((pooled_model).alpha, 0.5807397684646644) < 1e-5 AND pg_temp.rel((pooled_model).beta, 1.6785541342033794) < 1e-5
          AND (pooled_model).customers = 2000 AND pg_temp.rel((follower_model).alpha, 0.6680884587425977) < 1e-5,
          'sbg_compare: pooled and per-group models') FROM sc;
SELECT ok(pg_temp.rel(follower_survival, sbg_survival(follower_model, 12)) < 1e-15
          AND pg_temp.rel(non_follower_expected_lifetime, sbg_expected_lifetime(non_follower_model, 12)) < 1e-15,
          'sbg_compare: per-group survival and expected lifetime over the horizon') FROM sc;
CREATE TEMP TABLE bc AS SELECT (bgnbd_compare(id % 2 = 0, frequency, recency, t, 39)).* FROM cdnow;
SELECT ok(pg_temp.rel(lr_statistic, 3.0398437898693373) < 1e-4 AND degrees_of_freedom = 4
          AND pg_temp.rel(p_value, 0.5511799208759258) < 1e-4
          AND pg_temp.rel((follower_model).a, 1.008743680893326) < 1e-5
          AND pg_temp.rel((non_follower_model).b, 2.264957466343314) < 1e-5,
          'bgnbd_compare CDNOW even vs odd ids: LR 3.04, p 0.551 (scipy)') FROM bc;
SELECT ok(pg_temp.rel(follower_expected_purchases,
                      (SELECT avg(bgnbd_conditional_purchases(bc.follower_model, 39, frequency, recency, t))
                       FROM cdnow WHERE id % 2 = 0)) < 1e-12
          AND pg_temp.rel(non_follower_new_customer_purchases, bgnbd_expected_purchases(non_follower_model, 39)) < 1e-15,
          'bgnbd_compare: per-group expected purchases = the prediction functions') FROM bc;
SELECT ok(pg_temp.rel(lr_statistic, 6.932621251307864) < 1e-4 AND pg_temp.rel(p_value, 0.13949201476085935) < 1e-4,
          'pareto_nbd_compare CDNOW even vs odd ids: LR 6.93, p 0.139 (scipy)')
FROM (SELECT (pareto_nbd_compare(id % 2 = 0, frequency, recency, t)).* FROM cdnow) AS s;
SELECT ok(follower_model IS NULL AND lr_statistic IS NULL AND (pooled_model).customers = 1000,
          'a comparison without followers: no follower model, no test, the pooled fit')
FROM (SELECT (sbg_compare(false, periods_survived, churned)).* FROM subscribers WHERE NOT follower) AS s;

-- ======================= predictions (mpmath, 1e-9) ===================
CREATE TEMP TABLE models AS
SELECT ROW(0.5533, 10.578, 0.6062, 11.668, NULL, NULL, NULL, NULL, NULL, NULL)::pareto_nbd_model AS p1,
       ROW(0.8, 12, 1.7, 3.5, NULL, NULL, NULL, NULL, NULL, NULL)::pareto_nbd_model AS p2,
       ROW(0.5248, 6.1830, 0.8914, 1.6140, NULL, NULL, NULL, NULL, NULL, NULL)::mbgnbd_model AS mg,
       ROW(0.243, 4.414, 0.793, 2.426, NULL, NULL, NULL, NULL, NULL, NULL)::bgnbd_model AS cd,
       ROW(1.204, 0.750, 0.657, 2.783, NULL, NULL, NULL, NULL, NULL, NULL)::bgbb_model AS b1,
       ROW(2, 3, 1, 4, NULL, NULL, NULL, NULL, NULL, NULL)::bgbb_model AS b2,
       ROW(0.668, 3.806, NULL, NULL, NULL, NULL)::sbg_model AS s1,
       ROW(1, 2.5, NULL, NULL, NULL, NULL)::sbg_model AS s2,
       ROW(1.7, 3.2, NULL, NULL, NULL, NULL)::sbg_model AS s3;
SELECT ok(pg_temp.rel(pareto_nbd_expected_purchases(p1, 39), 1.2134334017686974657) < 1e-9
          AND pg_temp.rel(pareto_nbd_expected_purchases(p1, 78), 1.9099307314461721816) < 1e-9
          AND pg_temp.rel(pareto_nbd_expected_purchases(p2, 39), 0.27527639553942973061) < 1e-9
          AND pg_temp.rel(pareto_nbd_expected_purchases(p2, 78), 0.29652755127113536999) < 1e-9,
          'Pareto/NBD E[X(t)]') FROM models;
SELECT ok(pg_temp.rel(pareto_nbd_p_alive(p1, 2, 30.43, 38.86), 0.86912161686387562161) < 1e-9
          AND pg_temp.rel(pareto_nbd_p_alive(p1, 0, 0, 38.86), 0.29510255987623806443) < 1e-9
          AND pg_temp.rel(pareto_nbd_p_alive(p1, 7, 35, 38), 0.95282306928123911152) < 1e-9
          AND pg_temp.rel(pareto_nbd_p_alive(p1, 1, 2, 30), 0.25074148575062581765) < 1e-9,
          'Pareto/NBD P(alive), alpha < beta (mpmath 2F1)') FROM models;
SELECT ok(pg_temp.rel(pareto_nbd_p_alive(p2, 2, 30.43, 38.86), 0.62209482677498342687) < 1e-9
          AND pg_temp.rel(pareto_nbd_p_alive(p2, 0, 0, 38.86), 0.0053903472176627355015) < 1e-9
          AND pg_temp.rel(pareto_nbd_p_alive(p2, 7, 35, 38), 0.85044350400019955827) < 1e-9
          AND pg_temp.rel(pareto_nbd_p_alive(p2, 1, 2, 30), 0.0096488368516765184192) < 1e-9,
          'Pareto/NBD P(alive), alpha >= beta') FROM models;
SELECT ok(pg_temp.rel(pareto_nbd_conditional_purchases(p1, 39, 2, 30.43, 38.86), 1.4551265935823540431) < 1e-9
          AND pg_temp.rel(pareto_nbd_conditional_purchases(p1, 39, 0, 0, 38.86), 0.10706611096541874456) < 1e-9
          AND pg_temp.rel(pareto_nbd_conditional_purchases(p2, 39, 7, 35, 38), 2.9189027404213879849) < 1e-9
          AND pg_temp.rel(pareto_nbd_conditional_purchases(p2, 39, 1, 2, 30), 0.0082623398809092223317) < 1e-9,
          'Pareto/NBD E[Y(t) | x, t_x, T]') FROM models;
SELECT ok(pg_temp.rel(mbgnbd_expected_purchases(mg, 39), 1.1821661637307505356) < 1e-9
          AND pg_temp.rel(mbgnbd_conditional_purchases(mg, 39, 2, 30.43, 38.86), 1.262628562834878092) < 1e-9
          AND pg_temp.rel(mbgnbd_conditional_purchases(mg, 39, 0, 0, 38.86), 0.15394477343153341908) < 1e-9
          AND pg_temp.rel(mbgnbd_p_alive(mg, 2, 30.43, 38.86), 0.70611773244535051547) < 1e-9
          AND pg_temp.rel(mbgnbd_p_alive(mg, 0, 0, 38.86), 0.38972279165330513809) < 1e-9,
          'MBG/NBD predictions (lifetimes'' formulas, mpmath)') FROM models;
SELECT ok(pg_temp.rel(bgnbd_probability_of_purchases(cd, 0, 39), 0.57378635209600940507) < 1e-9
          AND pg_temp.rel(bgnbd_probability_of_purchases(cd, 1, 39), 0.19939528083591145644) < 1e-9
          AND pg_temp.rel(bgnbd_probability_of_purchases(cd, 2, 39), 0.085429759539060758646) < 1e-9
          AND pg_temp.rel(bgnbd_probability_of_purchases(cd, 5, 78), 0.023940236634437679283) < 1e-9
          AND pg_temp.rel(bgnbd_probability_of_purchases(cd, 0, 1), 0.9515887977331470492) < 1e-9
          AND pg_temp.rel(bgnbd_probability_of_purchases(cd, 10, 52), 0.0046492309868397787014) < 1e-9,
          'BG/NBD P(X(t) = n) (eq. 8, the negative binomial summed term by term)') FROM models;
SELECT ok(abs((SELECT sum(bgnbd_probability_of_purchases(cd, n, 39)) FROM generate_series(0, 200) AS n)
              - 0.99999999999966528367) < 1e-12, 'P(X(39) = n) over n = 0..200 adds up to 1') FROM models;
SELECT ok(pg_temp.rel(bgbb_expected_purchases(b1, 5), 1.9377072082850393268) < 1e-9
          AND pg_temp.rel(bgbb_expected_purchases(b1, 30), 6.2371317171021074942) < 1e-9
          AND pg_temp.rel(bgbb_expected_purchases(b2, 5), 1.1930158730158730159) < 1e-9
          AND pg_temp.rel(bgbb_expected_purchases(b2, 30), 3.2558026513793590806) < 1e-9,
          'BG/BB E[X(n)] (direct sums; gamma = 1 included)') FROM models;
SELECT ok(pg_temp.rel(bgbb_conditional_purchases(b1, 5, 3, 5, 6), 1.8044259997945683048) < 1e-9
          AND pg_temp.rel(bgbb_conditional_purchases(b1, 5, 0, 0, 6), 0.072802877475043012434) < 1e-9
          AND pg_temp.rel(bgbb_conditional_purchases(b1, 5, 6, 6, 6), 3.7521156075998147524) < 1e-9
          AND pg_temp.rel(bgbb_conditional_purchases(b1, 5, 1, 1, 6), 0.085635398337870302167) < 1e-9
          AND pg_temp.rel(bgbb_conditional_purchases(b1, 5, 2, 4, 10), 0.1956499749907751875) < 1e-9
          AND pg_temp.rel(bgbb_conditional_purchases(b2, 5, 3, 5, 6), 1.447663906341592292) < 1e-9
          AND pg_temp.rel(bgbb_conditional_purchases(b2, 5, 2, 4, 10), 0.17737306093292271503) < 1e-9,
          'BG/BB E[X(n, n+5) | x, t_x, n] (direct summation over the posterior)') FROM models;
SELECT ok(pg_temp.rel(bgbb_p_alive(b1, 3, 5, 6), 0.7667340499957251271) < 1e-9
          AND pg_temp.rel(bgbb_p_alive(b1, 0, 0, 6), 0.10801658416867419518) < 1e-9
          AND pg_temp.rel(bgbb_p_alive(b1, 6, 6, 6), 0.93040254237288135593) < 1e-9
          AND pg_temp.rel(bgbb_p_alive(b2, 1, 1, 6), 0.12125794810104829008) < 1e-9
          AND pg_temp.rel(bgbb_p_alive(b2, 2, 4, 10), 0.14971863358411310634) < 1e-9,
          'BG/BB P(alive at n+1)') FROM models;
SELECT ok(pg_temp.rel(sbg_survival(s1, 7), 0.48894462089372573091) < 1e-9
          AND pg_temp.rel(sbg_survival(s2, 7), 0.26315789473684210526) < 1e-9
          AND pg_temp.rel(sbg_retention_rate(s1, 5), 0.92117063960349303753) < 1e-12
          AND pg_temp.rel(sbg_retention_rate(s2, 5), 0.86666666666666666667) < 1e-12
          AND sbg_survival(s1, 0) = 1, 'sBG survival and retention rate') FROM models;
SELECT ok(pg_temp.rel(sbg_expected_lifetime(s1, 10), 6.3467069842900664888) < 1e-9
          AND pg_temp.rel(sbg_expected_lifetime(s2, 10), 4.4550975265741721523) < 1e-9
          AND sbg_expected_lifetime(s1, 1) = 1 AND sbg_expected_lifetime(s1, 0) = 0
          AND pg_temp.rel(sbg_expected_lifetime(s3, 'Infinity'), 5.5714285714285714286) < 1e-12
          AND sbg_expected_lifetime(s1, 'Infinity') = 'Infinity',
          'sBG expected lifetime within a horizon (direct sums; alpha = 1 included)') FROM models;
SELECT ok(pg_temp.rel(sbg_derl(s1, 0, 0.1), 5.4148560483740405746) < 1e-9
          AND pg_temp.rel(sbg_derl(s1, 4, 0.1), 6.8970573977460908511) < 1e-9
          AND pg_temp.rel(sbg_derl(s2, 0, 0.1), 3.2704892093766942968) < 1e-9
          AND pg_temp.rel(sbg_derl(s2, 4, 0.1), 5.2780420410674744134) < 1e-9
          AND pg_temp.rel(sbg_derl(s3, 3, 0.05), 4.5454293565166743235) < 1e-9
          AND pg_temp.rel(sbg_derl(s3, 3, 0), 8.8571428571428571429) < 1e-12,
          'sBG DERL (Fader & Hardie 2010 eq. 6 = the discounted direct sum)') FROM models;

-- ======================= special functions ============================
SELECT ok(bool_and(pg_temp.rel(chi_square_sf(x, df), want) < 1e-12),
          'chi_square_sf against mpmath (df 1 to 1000, down to 4e-44)')
FROM (VALUES (3.84, 1, 0.050043521248705103189), (10, 4, 0.04042768199451280258), (1, 2, 0.6065306597126334236),
             (0.5, 3, 0.91889141165467585936), (30, 4, 4.8944371280292126139e-6), (200, 2, 3.720075976020835963e-44),
             (1000, 1000, 0.49405285382923964195), (900, 1000, 0.98928276190871025844),
             (0.001, 4, 0.99999987504165885521), (50, 7.5, 2.4528518498539498265e-8)) AS v(x, df, want);
SELECT ok(bool_and(pg_temp.rel(hyp2f1(a, b, c, z), want) < tol),
          'hyp2f1 against mpmath (series, continued fraction near z = 1, Pfaff for z < 0, Euler)')
FROM (VALUES (1, 1.5, 2.1, 0.3, 1.2842330573875870479, 1e-14), (1, 1.5, 2.1, 0.9, 4.3089341869589257863, 1e-14),
             (1, 1.5, 2.1, 0.99, 13.930457791403551325, 1e-13), (1, 200.5, 201.1, 0.99, 81.786792124248532344, 1e-13),
             (1, 0.6, 101, 0.999, 1.0060300830374114298, 1e-14), (1, 50, 60, 0.9, 4.1189109853888430981, 1e-14),
             (1, 3.2, 3.5, 0.7, 2.906875250066213981, 1e-14), (1, 2.5, 1.2, 0.4, 2.9670711601974526881, 1e-14),
             (2.5, 3, 1.5, -3, -0.0078125, 1e-12), (0.5, 0.25, 1.75, 0.8, 1.0859846682450044755, 1e-13),
             (1.3, 2.7, 1.9, 0.95, 400.21209217212988159, 1e-12), (-3, 2, 1.5, 0.6, -0.066971428571428566658, 1e-13),
             (0.553, 1.1, 2.8, 0.5, 1.1414374689851080338, 1e-14)) AS v(a, b, c, z, want, tol);
-- closed forms (Abramowitz & Stegun 15.1.3, 15.1.4, 15.1.8)
SELECT ok(pg_temp.rel(hyp2f1(1, 1, 2, 0.5), 2 * ln(2)) < 1e-15
          AND pg_temp.rel(hyp2f1(0.5, 1, 1.5, 0.25), ln(3)) < 1e-15
          AND pg_temp.rel(hyp2f1(0.7, 2.5, 2.5, 0.6), power(0.4, -0.7)) < 1e-14,
          'hyp2f1 closed forms: -ln(1-z)/z, ln((1+x)/(1-x))/(2x), (1-z)^-a');

-- ======================= holdout and calendar summaries ===============
CREATE TEMP TABLE cdnow_raw (line text);
\copy cdnow_raw FROM 'test/data/CDNOW_sample.txt'
CREATE TABLE orders AS
SELECT split_part(l, ' ', 2)::int AS id, to_date(split_part(l, ' ', 3), 'YYYYMMDD')::timestamptz AS day,
       split_part(l, ' ', 5)::float8 AS dollars
FROM (SELECT btrim(regexp_replace(line, '\s+', ' ', 'g')) AS l FROM cdnow_raw) AS s;
CREATE TEMP TABLE ho AS
SELECT id, (customer_summary_holdout(day, dollars, '1997-09-30', '1998-06-30', '7 days')).* FROM orders GROUP BY id;
-- plain SQL on the same definitions
CREATE TEMP TABLE ho_sql AS
SELECT id, count(DISTINCT day) FILTER (WHERE day > '1997-09-30')::float8 AS holdout_frequency,
       coalesce(sum(dollars) FILTER (WHERE day > '1997-09-30'), 0) AS holdout_total
FROM orders GROUP BY id HAVING min(day) <= '1997-09-30';
SELECT is((SELECT count(*) FROM ho JOIN ho_sql USING (id)
           WHERE ho.holdout_frequency = ho_sql.holdout_frequency
             AND abs(ho.holdout_total - ho_sql.holdout_total) < 1e-9
             AND ho.holdout_duration = (date '1998-06-30' - date '1997-09-30') / 7.0),
          2357::int8, 'holdout frequency, spend and duration of all 2357 customers = plain SQL');
SELECT is((SELECT count(*) FROM ho JOIN cdnow AS c USING (id)
           WHERE abs(ho.frequency - c.frequency) < 1e-9 AND abs(ho.recency - c.recency) < 0.006
             AND abs(ho.t - c.t) < 0.006),
          2357::int8, 'the calibration part = the published 39-week summary (2 decimals)');
SELECT is((SELECT count(*) FROM ho WHERE frequency IS NULL), 0::int8, 'every CDNOW customer bought in the calibration period');
SELECT ok((SELECT (customer_summary_holdout(o, 1, '2024-03-01', '2024-06-01')).frequency IS NULL
           FROM (VALUES ('2024-04-01'::timestamptz)) AS v(o)),
          'a customer whose first order is in the holdout period gets NULL');
-- calendar weeks (Monday-Sunday, pandas freq W) = date_trunc('week') in plain SQL
SELECT is((SELECT count(*) FROM (
               SELECT id, (customer_summary(day, dollars, '1997-09-30', 'week')).* FROM orders
               WHERE day <= '1997-09-30' GROUP BY id) AS s
           JOIN (SELECT id, count(DISTINCT date_trunc('week', day)) - 1 AS f,
                        (max(date_trunc('week', day))::date - min(date_trunc('week', day))::date) / 7 AS r,
                        (date_trunc('week', timestamptz '1997-09-30')::date - min(date_trunc('week', day))::date) / 7 AS t
                 FROM orders WHERE day <= '1997-09-30' GROUP BY id) AS q USING (id)
           WHERE s.frequency = q.f AND s.recency = q.r AND s.t = q.t),
          2357::int8, 'calendar weeks: frequency, recency, t of every customer = date_trunc(''week'')');
SELECT ok((SELECT frequency = 2 AND recency = 2 AND t = 11
           FROM (SELECT (customer_summary(o, 10, '2024-12-31', 'month')).*
                 FROM (VALUES ('2024-01-31 23:00'::timestamptz), ('2024-02-01 01:00'), ('2024-03-15')) AS v(o)) AS s),
          'calendar months: Jan 31 and Feb 1 are two periods; t counts whole months');
SELECT ok((SELECT row(a.*)::text = row(b.*)::text
           FROM (SELECT (customer_summary(o, 10, '2024-12-31', '7 days')).* FROM (VALUES ('2024-01-31'::timestamptz), ('2024-03-15')) AS v(o)) AS a,
                (SELECT (customer_summary(o, 10, '2024-12-31', interval '7 days')).* FROM (VALUES ('2024-01-31'::timestamptz), ('2024-03-15')) AS v(o)) AS b),
          'a quoted unit that is not a calendar name is read as an interval, as before');

-- ======================= degenerate data: 22023 with a hint ===========
SELECT throws_ok($$SELECT pareto_nbd_fit(0, 0, t) FROM generate_series(1, 50) AS t$$, '22023', NULL,
                 'Pareto/NBD without repeat buyers');
SELECT throws_ok($$SELECT mbgnbd_fit(0, 0, t) FROM generate_series(1, 50) AS t$$, '22023', NULL,
                 'MBG/NBD without repeat buyers');
SELECT throws_ok($$SELECT pareto_nbd_fit(2, 10, 20)$$, '22023', NULL, 'Pareto/NBD on one customer');
SELECT throws_ok($$SELECT bgbb_fit(0, 0, 6, 100)$$, '22023', NULL, 'BG/BB without transactions');
SELECT throws_ok($$SELECT bgbb_fit(3, 5, 6)$$, '22023', NULL, 'BG/BB on one customer');
SELECT throws_ok($$SELECT sbg_fit(k, true) FROM generate_series(0, 5) AS k$$, '22023', NULL,
                 'sBG where everyone churned (no survivor: a boundary optimum)');
SELECT throws_ok($$SELECT sbg_fit(3, false, 10)$$, '22023', NULL, 'sBG where nobody churned');
SELECT throws_ok($$SELECT sbg_fit(0, true, 10)$$, '22023', NULL, 'sBG where nobody renewed');
SELECT throws_ok($$SELECT sbg_compare(f, 1, true) FROM (VALUES (true), (false)) AS v(f)$$, '22023', NULL,
                 'sbg_compare on degenerate groups');

-- ======================= crafted literals =============================
SELECT throws_ok($$SELECT sbg_survival(ROW(-1, 2, NULL, NULL, NULL, NULL)::sbg_model, 3)$$, '22023', NULL,
                 'negative sBG alpha');
SELECT throws_ok($$SELECT bgbb_p_alive(ROW(1, 'NaN', 1, 1, NULL, NULL, NULL, NULL, NULL, NULL)::bgbb_model, 1, 1, 2)$$,
                 '22023', NULL, 'NaN BG/BB beta');
SELECT throws_ok($$SELECT 'sbg_fit:2 0 -1 1 [ 3 2 5 ]'::sbg_fit_state$$, '22P02', NULL, 'churned flag 2 in a crafted sBG state');
SELECT throws_ok($$SELECT 'bgbb_fit:2 0 -1 1 [ 3 2 6 1 ]'::bgbb_fit_state$$, '22P02', NULL, 'x > t_x in a crafted BG/BB state');
SELECT throws_ok($$SELECT 'bgnbd_compare:2 0 -1 1 [ 2 1 2 3 1 ]'::bgnbd_compare_state$$, '22P02', NULL,
                 'group 2 in a crafted comparison state');
SELECT throws_ok($$SELECT 'pareto_nbd_fit:2 -0.5 -1 1 [ 1 2 3 1 ]'::pareto_nbd_fit_state$$, '22P02', NULL,
                 'negative penalizer in a crafted state');

SELECT * FROM finish();
ROLLBACK;

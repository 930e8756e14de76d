-- pgTAP: the distribution functions of src/stats.c through their SQL
-- wrappers, against reference values computed independently with mpmath at
-- 40-60 significant digits (scripts in the comments below).
--
-- Student t: P(T > t) = I_x(df/2, 1/2) / 2 with x = df / (df + t^2)
-- (A&S 26.7.1); I_x(a, b) = x^a (1-x)^b / (a B(a,b)) 2F1(a+b, 1; a+1; x)
-- (A&S 26.5.23), summed by mpmath.hyper with the precision raised by the
-- number of leading zeros of the result; the tail series is used for
-- x <= 0.9, the centre series I_(1-x)(1/2, df/2) otherwise (t = -30 at
-- df 1e5 and 1e7 at 230 extra digits, as the centre series cancels there).
-- Quantiles: Newton steps in 60-digit arithmetic from scipy's double
-- estimate, against the exact binary value of p, until converged.
-- Normal: mpmath.ncdf; quantiles by mpmath.findroot on log ncdf(z) - log p.
-- Required accuracy (issue 5): 1e-10 relative for df in [1, 1e7]; checked
-- here at 1e-11 (the implementation reaches about 3e-12 at worst).
BEGIN;
\ir lib/helpers.psql
SELECT plan(12);

CREATE TEMP TABLE t_cdf_ref (t float8, df float8, ref float8);
INSERT INTO t_cdf_ref VALUES
    (-30, 1, 1.060640240553542341536e-2),
    (-5, 1, 6.283295818900118381375e-2),
    (-2, 1, 1.475836176504332741754e-1),
    (-0.5, 1, 3.524163823495667258246e-1),
    (0.1, 1, 5.31725517430553569515e-1),
    (1, 1, 7.5e-1),
    (2.5, 1, 8.788810584091566012764e-1),
    (8, 1, 9.604165758394344579891e-1),
    (-30, 2.5, 1.455323545786977131533e-4),
    (-5, 2.5, 1.172559498543092353235e-2),
    (-2, 2.5, 7.86957478789829933124e-2),
    (-0.5, 2.5, 3.288489599348573446659e-1),
    (0.1, 2.5, 5.360967279687552100297e-1),
    (1, 2.5, 7.97969486360863266819e-1),
    (2.5, 2.5, 9.477150184609223063731e-1),
    (8, 2.5, 9.961716779344782767102e-1),
    (-30, 3.7999040024252055, 5.868154622225441189118e-6),
    (-5, 3.7999040024252055, 4.27909010152741170203e-3),
    (-2, 3.7999040024252055, 5.99112082391093952904e-2),
    (-0.5, 3.7999040024252055, 3.223174002520331965789e-1),
    (0.1, 3.7999040024252055, 5.373019219148099648347e-1),
    (1, 3.7999040024252055, 8.11669571682863886091e-1),
    (2.5, 3.7999040024252055, 9.649770465743394791003e-1),
    (8, 3.7999040024252055, 9.991811471557771293626e-1),
    (-30, 10, 1.980896171015662135235e-11),
    (-5, 10, 2.686668013782263085438e-4),
    (-2, 10, 3.669401738537018280893e-2),
    (-0.5, 10, 3.139468028714864713531e-1),
    (0.1, 10, 5.388396407177958402609e-1),
    (1, 10, 8.295534338489700636626e-1),
    (2.5, 10, 9.842765778816955978753e-1),
    (8, 10, 9.999941125286051669201e-1),
    (-30, 30, 3.125895815304443976475e-24),
    (-5, 30, 1.164834273350389756644e-5),
    (-2, 30, 2.731252248149155196026e-2),
    (-0.5, 30, 3.103615024425636429802e-1),
    (0.1, 30, 5.394951941048644219601e-1),
    (1, 30, 8.373456922869850543831e-1),
    (2.5, 30, 9.909421754659666529491e-1),
    (8, 30, 9.999999968670887621496e-1),
    (-30, 1000, 7.687343722021741105616e-142),
    (-5, 1000, 3.383628182324315190928e-7),
    (-2, 1000, 2.28851732466258200244e-2),
    (-0.5, 1000, 3.085925404169374073212e-1),
    (0.1, 1000, 5.3981781548819793444e-1),
    (1, 1000, 8.412237909576638464588e-1),
    (2.5, 1000, 9.937107160994546015951e-1),
    (8, 1000, 9.999999999999982866693e-1),
    (-30, 100000, 3.689268436111116843551e-197),
    (-5, 100000, 2.871350839320836426643e-7),
    (-2, 100000, 2.275148172875323162465e-2),
    (-0.5, 100000, 3.085380888272090194688e-1),
    (0.1, 100000, 5.398277370466368890262e-1),
    (1, 100000, 8.41343536217944991966e-1),
    (2.5, 100000, 9.93789540403720477309e-1),
    (8, 100000, 9.99999999999999371304e-1),
    (-30, 10000000, 5.007306845408900110904e-198),
    (-5, 10000000, 2.866564037504269496036e-7),
    (-2, 10000000, 2.275014544592147663979e-2),
    (-0.5, 10000000, 3.085375442270075419606e-1),
    (0.1, 10000000, 5.398278362747238117003e-1),
    (1, 10000000, 8.413447339700070250915e-1),
    (2.5, 10000000, 9.937903267317107649165e-1),
    (8, 10000000, 9.999999999999993778383e-1);

CREATE TEMP TABLE t_quantile_ref (p float8, df float8, ref float8);
INSERT INTO t_quantile_ref VALUES
    (1e-100, 1, -3.183098861837906651741e+99),
    (1e-10, 1, -3.183098861837906599306e+9),
    (0.025, 1, -1.270620473617470393778e+1),
    (0.3, 1, -7.265425280053609391854e-1),
    (0.75, 1, 1.0),
    (0.975, 1, 1.27062047361746933141e+1),
    (0.9999, 1, 3.183098757118501474506e+3),
    (1e-100, 2.5, -8.765437882279991879476e+39),
    (1e-10, 2.5, -8.765437771364571622992e+3),
    (0.025, 2.5, -3.574654842003683127341),
    (0.3, 2.5, -5.973077382523174948341e-1),
    (0.75, 2.5, 7.850136829923011049105e-1),
    (0.975, 2.5, 3.574654842003681760677),
    (0.9999, 2.5, 3.486796932111631129141e+1),
    (1e-100, 3.7999040024252055, -2.615699614609233062307e+26),
    (1e-10, 3.7999040024252055, -5.404763145112055117262e+2),
    (0.025, 3.7999040024252055, -2.83506597425105268099),
    (0.3, 3.7999040024252055, -5.711049395551098894929e-1),
    (0.75, 3.7999040024252055, 7.44449043107303711888e-1),
    (0.975, 3.7999040024252055, 2.835065974251051829629),
    (0.9999, 3.7999040024252055, 1.41385976298030733719e+1),
    (1e-100, 30, -1.08106450011439758643e+4),
    (1e-10, 30, -9.377489780407143180985),
    (0.025, 30, -2.042272456301238283575),
    (0.3, 30, -5.30019003906504509765e-1),
    (0.75, 30, 6.827556933212925530051e-1),
    (0.975, 30, 2.042272456301237887835),
    (0.9999, 30, 4.233985957272060761268),
    (1e-100, 1000, -2.393061708782644305658e+1),
    (1e-10, 1000, -6.427876283134213627531),
    (0.025, 1000, -1.962339080826408461179),
    (0.3, 1000, -5.245677073092269324875e-1),
    (0.75, 1000, 6.747351646070094373842e-1),
    (0.975, 1000, 1.962339080826408103887),
    (0.9999, 1000, 3.732851604575396233284),
    (1e-100, 10000000, -2.127369478284828259311e+1),
    (1e-10, 10000000, -6.361347496998615474042),
    (0.025, 10000000, -1.959964221767205466625),
    (0.3, 10000000, -5.24400529423253802582e-1),
    (0.75, 10000000, 6.744897747295751526313e-1),
    (0.975, 10000000, 1.959964221767205110449),
    (0.9999, 10000000, 3.719017864382277736972);

CREATE TEMP TABLE normal_cdf_ref (z float8, ref float8);
INSERT INTO normal_cdf_ref VALUES
    (-37, 5.725571222524576822683e-300),
    (-20, 2.753624118606233695076e-89),
    (-5, 2.866515718791939116738e-7),
    (-1.96, 2.499789514822043413658e-2),
    (-0.5, 3.085375387259868963623e-1),
    (0, 5.0e-1),
    (0.3, 6.179114221889526373065e-1),
    (3, 9.986501019683699054733e-1),
    (8, 9.999999999999993779039e-1);

CREATE TEMP TABLE normal_quantile_ref (p float8, ref float8);
INSERT INTO normal_quantile_ref VALUES
    (1e-300, -3.704709629936119923655e+1),
    (1e-50, -1.493333753478848898066e+1),
    (1e-10, -6.3613409024040561991),
    (0.025, -1.95996398454005421178),
    (0.3, -5.244005127080408159695e-1),
    (0.5, 0.0),
    (0.8, 8.416212335729143638036e-1),
    (0.975, 1.959963984540053855604),
    (0.999999999999, 7.034486910047835205692);

SELECT is((SELECT count(*) FROM t_cdf_ref), 64::int8, '64 Student t CDF reference points');
SELECT is((SELECT string_agg(format('t=%s df=%s got %s want %s', t, df, student_t_cdf(t, df), ref), '; ')
           FROM t_cdf_ref
           WHERE abs(student_t_cdf(t, df) - ref) > 1e-11 * abs(ref)),
          NULL, 'Student t CDF within 1e-11 relative, df 1 .. 1e7, probabilities down to 1e-300');
SELECT is((SELECT string_agg(format('p=%s df=%s got %s want %s', p, df, student_t_quantile(p, df), ref), '; ')
           FROM t_quantile_ref
           WHERE abs(student_t_quantile(p, df) - ref) > 1e-11 * abs(ref)),
          NULL, 'Student t quantile within 1e-11 relative (42 points, p from 1e-100)');
SELECT is((SELECT string_agg(format('z=%s got %s want %s', z, normal_cdf(z), ref), '; ')
           FROM normal_cdf_ref
           WHERE abs(normal_cdf(z) - ref) > 1e-12 * abs(ref)),
          NULL, 'normal CDF within 1e-12 relative, down to z = -37');
SELECT is((SELECT string_agg(format('p=%s got %s want %s', p, normal_quantile(p), ref), '; ')
           FROM normal_quantile_ref
           WHERE abs(normal_quantile(p) - ref) > 1e-12 * abs(ref)),
          NULL, 'normal quantile within 1e-12 relative, p from 1e-300');

-- round trips and symmetry over a dense grid: cdf(quantile(p)) = p
SELECT is((SELECT count(*) FROM generate_series(1, 199) AS i, unnest(ARRAY[1, 1.7, 4, 25, 300, 5e4, 3e6]::float8[]) AS df
           WHERE abs(student_t_cdf(student_t_quantile(i / 200.0, df), df) - i / 200.0) > 1e-12 * (i / 200.0)),
          0::int8, 'student_t_cdf(student_t_quantile(p)) = p on a grid of p and df');
SELECT is((SELECT count(*) FROM generate_series(-60, 60) AS i, unnest(ARRAY[1, 2.2, 9, 1e3, 1e7]::float8[]) AS df
           WHERE student_t_cdf(i / 4.0, df) + student_t_cdf(-i / 4.0, df) <> 1
             AND abs(student_t_cdf(i / 4.0, df) + student_t_cdf(-i / 4.0, df) - 1) > 2e-16),
          0::int8, 'student_t_cdf(t) + student_t_cdf(-t) = 1');
-- df -> infinity is the normal distribution
SELECT ok(student_t_cdf(1.5, 'Infinity') = normal_cdf(1.5)
          AND student_t_quantile(0.9, 'Infinity') = normal_quantile(0.9),
          'infinite df gives the normal distribution');
SELECT ok(student_t_quantile(0, 5) = '-Infinity' AND student_t_quantile(1, 5) = 'Infinity'
          AND student_t_quantile(0.5, 5) = 0 AND normal_quantile(0.5) = 0,
          'quantile end points');

SELECT throws_ok('SELECT student_t_cdf(1, 0)', '22023', NULL, 'df must be positive');
SELECT throws_ok('SELECT student_t_quantile(1.5, 3)', '22023', NULL, 'p outside [0, 1]');
SELECT throws_ok('SELECT normal_quantile(''NaN'')', '22023', NULL, 'NaN probability');

SELECT * FROM finish();
ROLLBACK;

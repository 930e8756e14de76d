-- Marketing mix modeling.  Targets: 156 weeks x 6 channels with yearly
-- seasonality fitted in under 2 s; 100 geos x 104 weeks x 5 channels in one
-- GROUP BY in under 60 s; with bootstrap=200 the cost per model.
-- bench/mmm_scipy.py fits the same 156-week model
-- with scipy (what an analyst would write) for the ratio.

-- case: mmm_fit 156 weeks x 6 channels, yearly seasonality
SELECT length(mmm_fit(week, variable, value, role)::text) FROM bench_mmm;

-- case: mmm_fit 100 geos x 104 weeks x 5 channels, GROUP BY geo
SELECT sum(length(m::text)) FROM (SELECT geo, mmm_fit(week, variable, value, role) AS m
                                  FROM bench_mmm_geo GROUP BY geo) AS s;

-- case: mmm_fit 100 geos, GROUP BY geo over 8 partitions (parallel workers)
-- set: enable_partitionwise_aggregate = on
SELECT sum(length(m::text)) FROM (SELECT geo, mmm_fit(week, variable, value, role) AS m
                                  FROM bench_mmm_geo_parts GROUP BY geo) AS s;

-- case: mmm_fit 156 weeks x 6 channels, bootstrap=200 (intervals; cost per model)
SELECT length(mmm_fit(week, variable, value, role, 'bootstrap=200, seed=1')::text) FROM bench_mmm;

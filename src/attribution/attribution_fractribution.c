/*
 * attribution_fractribution.c
 *		The fractribution model (doc/attribution.md, "fractribution"): Google's
 *		fractribution "fractional" attribution, which Google and Snowplow
 *		call "shapley" (a simplified, counterfactual one: it is not the
 *		Shapley value of the shapley model).
 *
 * The state keeps one record per distinct path -- the channel ids in
 * order, after whatever transform the caller applied -- with its
 * conversions, non-conversions and value.  For every path P with
 * conversions, of conversion rate r(P) = conversions / (conversions +
 * non-conversions):
 *     one touch:  contribution r(P);
 *     else touch i contributes max(0, r(P) - r(P without touch i)), where
 *                 r of a path never seen is 0 (the shorter path is taken
 *                 literally, not transformed again);
 * contributions are normalised to 1 per path.  When all are 0,
 * fractribution gives the path to its last touch (fallback=last_touch, the
 * default, as Google's and Snowplow's code do); fallback=linear splits it
 * equally.  P's conversions and value are split by these shares; a channel
 * that appears several times gets the sum of its touches' shares.
 * (google/fractribution, py/fractribution.py, run_shapley_attribution and
 * _get_counterfactual_marginal_contributions.)
 *
 * Credits are Neumaier sums per channel, so the order of the records -- it
 * differs between plans -- changes them only by rounding.
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"

#include "attribution/attribution_fractribution.h"
#include "common/common.h"

/* add one path of n >= 1 channel ids, in order, to its record */
static AttrState *
fractribution_add_path(AttrState *s, const int32 *ids, int n,
							double conversions, double non_conversions,
							double value)
{
	double		amounts[3] = {conversions, non_conversions, value};

	if (n > ATTR_FRACTRIBUTION_MAX_TOUCHES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("fractribution attribution takes paths of at most %d touches, got one of %d",
						ATTR_FRACTRIBUTION_MAX_TOUCHES, n),
				 errhint("Keep the last touches: journeys(..., 'max_touches=%d') or "
						 "path[greatest(1, cardinality(path) - %d):], or collapse repeats "
						 "with path_transform(path, 'exposure').",
						 ATTR_FRACTRIBUTION_MAX_TOUCHES, ATTR_FRACTRIBUTION_MAX_TOUCHES - 1)));
	return attr_records_add(s, ids, n, attr_records_hash(ids, n), amounts, 3);
}

/* the record of a path, or NULL (lookup only: the state is not modified) */
static const AttrRecord *
find_path(const AttrRecords *r, const int32 *key, int len)
{
	const int32 *slots = (const int32 *) ((const char *) r + r->slots_off);
	uint32		hash = attr_records_hash(key, len);
	uint32		i = hash & r->slot_mask;

	while (slots[i] != 0)
	{
		const AttrRecord *rec = attr_record(r, slots[i] - 1);

		if (rec->hash == hash && rec->key_len == (uint32) len &&
			memcmp(rec->key, key, sizeof(int32) * len) == 0)
			return rec;
		i = (i + 1) & r->slot_mask;
	}
	return NULL;
}

/* conversion rate of a record: conversions / journeys (0 without journeys) */
static double
record_rate(const AttrRecords *r, const AttrRecord *rec)
{
	const SocroiSum *sums = attr_record_sums(r, rec);
	double		c = socroi_sum_value(&sums[0]);
	double		n = c + socroi_sum_value(&sums[1]);

	return n > 0.0 ? c / n : 0.0;
}

static void
fractribution_credits(const AttrState *s, double *conversions, double *value)
{
	const AttrRecords *r = attr_state_records(s);
	bool		linear = (ATTR_STATE_MODEL(s)->flags & ATTR_MODEL_FRACTRIBUTION_LINEAR) != 0;
	int32		nchannels = s->nchannels;
	SocroiSum  *conv_sums = palloc0(sizeof(SocroiSum) * Max(nchannels, 1));
	SocroiSum  *value_sums = palloc0(sizeof(SocroiSum) * Max(nchannels, 1));
	double	   *mc;
	int32	   *shorter;
	uint32		i;
	int32		c;

	mc = palloc(sizeof(double) * ATTR_FRACTRIBUTION_MAX_TOUCHES);
	shorter = palloc(sizeof(int32) * ATTR_FRACTRIBUTION_MAX_TOUCHES);
	for (i = 0; r != NULL && i < r->nrecords; i++)
	{
		const AttrRecord *rec = attr_record(r, i);
		const SocroiSum *sums = attr_record_sums(r, rec);
		double		conv = socroi_sum_value(&sums[0]);
		double		val = socroi_sum_value(&sums[2]);
		double		rate;
		double		total = 0.0;
		int			len = rec->key_len;
		int			k;

		CHECK_FOR_INTERRUPTS();
		if (!(conv > 0.0) || len < 1 || len > ATTR_FRACTRIBUTION_MAX_TOUCHES)
			continue;
		rate = record_rate(r, rec);
		if (len == 1)
			mc[0] = rate;
		else
		{
			for (k = 0; k < len; k++)
			{
				const AttrRecord *other;

				/* the path without touch k */
				memcpy(shorter, rec->key, sizeof(int32) * k);
				memcpy(shorter + k, rec->key + k + 1, sizeof(int32) * (len - k - 1));
				other = find_path(r, shorter, len - 1);
				mc[k] = Max(0.0, rate - (other ? record_rate(r, other) : 0.0));
			}
		}
		for (k = 0; k < len; k++)
			total += mc[k];
		for (k = 0; k < len; k++)
		{
			double		w;

			if (total > 0.0)
				w = mc[k] / total;
			else if (linear)
				w = 1.0 / len;
			else
				w = (k == len - 1) ? 1.0 : 0.0;
			if (w == 0.0)
				continue;
			if (rec->key[k] < 0 || rec->key[k] >= nchannels)
				elog(ERROR, "fractribution record with channel id %d of %d",
					 rec->key[k], nchannels);
			socroi_sum_add(&conv_sums[rec->key[k]], conv * w);
			socroi_sum_add(&value_sums[rec->key[k]], val * w);
		}
	}
	for (c = 0; c < nchannels; c++)
	{
		conversions[c] = socroi_sum_value(&conv_sums[c]);
		value[c] = socroi_sum_value(&value_sums[c]);
	}
}

const AttrRecordModel attr_fractribution = {fractribution_add_path, fractribution_credits};

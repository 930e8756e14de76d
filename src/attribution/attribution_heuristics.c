/*
 * attribution_heuristics.c
 *		Weights of the heuristic models for the kept touches of one path
 *		(doc/attribution.md, "Models"): first_touch, last_touch,
 *		last_non_direct, linear, position_based and time_decay.  They sum to
 *		1; a channel met several times earns the sum of its touches' weights.
 */
#include "postgres.h"

#include <math.h>

#include "attribution/attribution_heuristics.h"

void
attr_heuristic_weights(const AttrModel *m, int n, const bool *direct,
					   const int64 *age_us, double *w)
{
	int			i;

	Assert(n >= 1);
	switch ((AttrModelKind) m->kind)
	{
		case ATTR_FIRST_TOUCH:
			memset(w, 0, sizeof(double) * n);
			w[0] = 1.0;
			break;
		case ATTR_LAST_TOUCH:
			memset(w, 0, sizeof(double) * n);
			w[n - 1] = 1.0;
			break;
		case ATTR_LAST_NON_DIRECT:
			{
				/* the last non-direct touch; the last touch when all are direct */
				int			k = n - 1;

				for (i = n - 1; i >= 0; i--)
					if (!direct[i])
					{
						k = i;
						break;
					}
				memset(w, 0, sizeof(double) * n);
				w[k] = 1.0;
				break;
			}
		case ATTR_LINEAR:
			for (i = 0; i < n; i++)
				w[i] = 1.0 / n;
			break;
		case ATTR_POSITION_BASED:
			{
				/*
				 * doc/attribution.md: n = 1 -> 1; n = 2 -> f/(f+l), l/(f+l) (an
				 * even split when f = l = 0, the limit of equal weights);
				 * n >= 3 -> f, l and (1 - f - l)/(n - 2) to each middle touch.
				 */
				double		f = m->first_weight;
				double		l = m->last_weight;

				if (n == 1)
					w[0] = 1.0;
				else if (n == 2)
				{
					if (f + l > 0.0)
					{
						w[0] = f / (f + l);
						w[1] = l / (f + l);
					}
					else
						w[0] = w[1] = 0.5;
				}
				else
				{
					double		middle = Max(0.0, 1.0 - f - l) / (n - 2);

					w[0] = f;
					for (i = 1; i < n - 1; i++)
						w[i] = middle;
					w[n - 1] = l;
				}
				break;
			}
		case ATTR_TIME_DECAY:
			{
				/*
				 * weight_i = 2^(-age_i / h) / sum_j 2^(-age_j / h) (doc/attribution.md,
				 * the exponential decay of Google's and Adobe's time-decay
				 * models).  Shifting every age by the smallest one leaves the
				 * normalised weights unchanged and keeps the newest touch at 1,
				 * so old paths never underflow to 0/0.
				 */
				int64		min_age = age_us[0];
				double		h = (double) m->half_life_us;
				double		total = 0.0;

				for (i = 1; i < n; i++)
					min_age = Min(min_age, age_us[i]);
				for (i = 0; i < n; i++)
				{
					w[i] = exp2(-((double) (age_us[i] - min_age)) / h);
					total += w[i];
				}
				for (i = 0; i < n; i++)
					w[i] /= total;
				break;
			}
		case ATTR_MARKOV:
		case ATTR_SHAPLEY:
		case ATTR_FRACTRIBUTION:
			elog(ERROR, "attribution model %s has no per-path weights",
				 attr_kind_name(m->kind));
	}
}

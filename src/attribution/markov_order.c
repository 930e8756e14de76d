/*
 * markov_order.c
 *		Choosing the order of the markov attribution model, exactly and
 *		deterministically: for every order k up to the records' order (4 for
 *		markov(order=auto)), the multinomial log-likelihood of the observed
 *		transitions, its BIC, and the out-of-sample AUC of predicting
 *		conversion from the path; and the final function of
 *		markov_order_selection().
 *
 * The records of order K determine the transitions of every order k <= K: a
 * from-state of order k is the suffix of length min(len, k) of the record's.
 *
 * Log-likelihood of order k: sum over observed (state u, next symbol t) of
 * n(u,t) ln(n(u,t) / n(u)), next symbols being channels, (conversion) and
 * (null).  Parameters: sum over states of (distinct next symbols - 1).  BIC
 * = -2 LL + parameters ln N, N the total transition weight (the same for
 * every order).  The order with the lowest BIC is chosen (the lower on a
 * tie): BIC is a consistent estimator of a Markov chain's order (Csiszar &
 * Shields 2000, "The consistency of the BIC Markov order estimator", Ann.
 * Statist. 28(6)); the parameters are counted over the observed transitions
 * only, as sparse data needs.
 *
 * AUC: the journeys are split into ATTR_MARKOV_FOLDS folds by a hash of the
 * path (markov_chain.c).  A journey of fold f ending in state u (its last k
 * channels) is scored with P(conversion | the chain ends at u) estimated
 * from the other folds, C(u) / (C(u) + N(u)); a state those folds never
 * ended in backs off to its suffix one channel shorter, then to the other
 * folds' overall rate.  AUC = P(score of a converting journey > score of a
 * non-converting one) + P(equal) / 2, over every journey, weighted by the
 * counts (Hanley & McNeil 1982).  ChannelAttribution's choose_order reports
 * the same kind of AUC from simulated paths; here nothing is random.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/float.h"

#include "attribution/markov_order.h"
#include "common/common.h"

PG_FUNCTION_INFO_V1(socroi_markov_order_selection_final);

/* a state of order k (as ranks), with what one record adds to it */
typedef struct OrderItem
{
	int32		len;
	int32		ids[ATTR_MAX_ORDER];	/* channel ranks */
	int32		next;			/* channel rank, or -1 (conversion), -2 (null) */
	int32		fold;
	double		w;
} OrderItem;

static inline int
compare_state(const OrderItem *a, const OrderItem *b)
{
	return attr_tuple_cmp(a->ids, a->len, b->ids, b->len, NULL);
}

/* by state, next, fold, weight: sums run in one order on every plan */
static int
compare_items(const void *pa, const void *pb)
{
	const OrderItem *a = (const OrderItem *) pa;
	const OrderItem *b = (const OrderItem *) pb;
	int			c = compare_state(a, b);

	if (c == 0)
		c = socroi_cmp_int64(a->next, b->next);
	if (c == 0)
		c = socroi_cmp_int64(a->fold, b->fold);
	if (c == 0)
		c = socroi_cmp_double(a->w, b->w);
	return c;
}

/* the items of order k: one per record, its from-state cut to the last k */
static OrderItem *
order_items(const AttrState *s, const int32 *rank, int k, uint32 *nitems)
{
	const AttrRecords *r = attr_state_records(s);
	uint32		n = r ? r->nrecords : 0;
	OrderItem  *items = palloc(sizeof(OrderItem) * Max(n, 1));
	uint32		i;

	for (i = 0; i < n; i++)
	{
		const AttrRecord *rec = attr_record(r, i);
		int			rlen = (int) rec->key_len - 1;
		int			len = Min(rlen, k);
		int32		sym = rec->key[rlen];
		int			j;

		memset(&items[i], 0, sizeof(OrderItem));
		items[i].len = len;
		for (j = 0; j < len; j++)
			items[i].ids[j] = rank[rec->key[rlen - len + j]];
		if (sym >= 0)
			items[i].next = rank[sym];
		else
		{
			items[i].next = ATTR_SYM_IS_CONVERSION(sym) ? -1 : -2;
			items[i].fold = ATTR_SYM_FOLD(sym);
		}
		items[i].w = socroi_sum_value(&attr_record_sums(r, rec)[0]);
	}
	qsort(items, n, sizeof(OrderItem), compare_items);
	*nitems = n;
	return items;
}

/* per end state of order k: conversions and non-conversions per fold */
typedef struct EndState
{
	OrderItem	key;			/* len, ids */
	double		conv[ATTR_MARKOV_FOLDS];
	double		null[ATTR_MARKOV_FOLDS];
} EndState;

typedef struct EndTable
{
	EndState   *ends;
	int32		n;
} EndTable;

static void
end_table(const OrderItem *items, uint32 n, EndTable *t)
{
	uint32		i;

	t->ends = palloc0(sizeof(EndState) * Max(n, 1));
	t->n = 0;
	for (i = 0; i < n; i++)
	{
		EndState   *e;

		if (items[i].next >= 0)
			continue;
		if (t->n == 0 || compare_state(&t->ends[t->n - 1].key, &items[i]) != 0)
		{
			e = &t->ends[t->n++];
			e->key = items[i];
		}
		e = &t->ends[t->n - 1];
		if (items[i].next == -1)
			e->conv[items[i].fold] += items[i].w;
		else
			e->null[items[i].fold] += items[i].w;
	}
}

static const EndState *
end_find(const EndTable *t, const OrderItem *key)
{
	int32		lo = 0;
	int32		hi = t->n - 1;

	while (lo <= hi)
	{
		int32		mid = lo + (hi - lo) / 2;
		int			c = compare_state(&t->ends[mid].key, key);

		if (c == 0)
			return &t->ends[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

typedef struct Scored
{
	double		score;
	double		pos;
	double		neg;
} Scored;

static int
compare_scored(const void *pa, const void *pb)
{
	const Scored *a = (const Scored *) pa;
	const Scored *b = (const Scored *) pb;
	int			c = socroi_cmp_double(a->score, b->score);

	if (c == 0)
		c = socroi_cmp_double(a->pos, b->pos);
	if (c == 0)
		c = socroi_cmp_double(a->neg, b->neg);
	return c;
}

/* out-of-sample AUC of order k (tables[j] holds order j + 1) */
static double
order_auc(const EndTable *tables, int k)
{
	const EndTable *t = &tables[k - 1];
	double		all_conv[ATTR_MARKOV_FOLDS] = {0};
	double		all_null[ATTR_MARKOV_FOLDS] = {0};
	Scored	   *sc = palloc(sizeof(Scored) * Max(t->n, 1) * ATTR_MARKOV_FOLDS);
	int32		ns = 0;
	SocroiSum	auc = {0, 0};
	SocroiSum	pos_total = {0, 0};
	SocroiSum	neg_total = {0, 0};
	double		neg_below = 0.0;
	int32		i;
	int			f;
	int			g;

	for (i = 0; i < t->n; i++)
		for (f = 0; f < ATTR_MARKOV_FOLDS; f++)
		{
			all_conv[f] += t->ends[i].conv[f];
			all_null[f] += t->ends[i].null[f];
		}
	for (i = 0; i < t->n; i++)
		for (f = 0; f < ATTR_MARKOV_FOLDS; f++)
		{
			const EndState *e = &t->ends[i];
			OrderItem	key = e->key;
			double		score = 0.0;
			bool		scored = false;

			if (e->conv[f] == 0.0 && e->null[f] == 0.0)
				continue;
			/* the other folds' rate at the state, else at a shorter suffix */
			while (key.len >= 1 && !scored)
			{
				const EndState *at = end_find(&tables[key.len - 1], &key);
				double		c = 0.0;
				double		nn = 0.0;

				if (at != NULL)
					for (g = 0; g < ATTR_MARKOV_FOLDS; g++)
						if (g != f)
						{
							c += at->conv[g];
							nn += at->null[g];
						}
				if (c + nn > 0.0)
				{
					score = c / (c + nn);
					scored = true;
				}
				/* drop the oldest channel */
				memmove(key.ids, key.ids + 1, sizeof(int32) * (ATTR_MAX_ORDER - 1));
				key.len--;
			}
			if (!scored)
			{
				double		c = 0.0;
				double		nn = 0.0;

				for (g = 0; g < ATTR_MARKOV_FOLDS; g++)
					if (g != f)
					{
						c += all_conv[g];
						nn += all_null[g];
					}
				score = (c + nn > 0.0) ? c / (c + nn) : 0.0;
			}
			sc[ns].score = score;
			sc[ns].pos = e->conv[f];
			sc[ns].neg = e->null[f];
			ns++;
		}
	qsort(sc, ns, sizeof(Scored), compare_scored);
	for (i = 0; i < ns;)
	{
		int32		j;
		double		pos = 0.0;
		double		neg = 0.0;

		for (j = i; j < ns && sc[j].score == sc[i].score; j++)
		{
			pos += sc[j].pos;
			neg += sc[j].neg;
		}
		socroi_sum_add(&auc, pos * (neg_below + 0.5 * neg));
		neg_below += neg;
		socroi_sum_add(&pos_total, pos);
		socroi_sum_add(&neg_total, neg);
		i = j;
	}
	pfree(sc);
	if (!(socroi_sum_value(&pos_total) > 0.0 && socroi_sum_value(&neg_total) > 0.0))
		return get_float8_nan();
	return socroi_sum_value(&auc) /
		(socroi_sum_value(&pos_total) * socroi_sum_value(&neg_total));
}

int
markov_order_fits(const AttrState *s, MarkovOrderFit *fits)
{
	const AttrModel *m = ATTR_STATE_MODEL(s);
	int			K = m->markov_order;
	bool		folds = (m->flags & ATTR_MODEL_MARKOV_AUTO) != 0;
	int32	   *rank = attr_state_channel_ranks(s);
	EndTable	tables[ATTR_MAX_ORDER];
	int			k;

	for (k = 1; k <= K; k++)
	{
		uint32		n;
		OrderItem  *items = order_items(s, rank, k, &n);
		MarkovOrderFit *fit = &fits[k - 1];
		SocroiSum	ll = {0, 0};
		SocroiSum	total = {0, 0};
		uint32		i;

		memset(fit, 0, sizeof(MarkovOrderFit));
		fit->order = k;
		for (i = 0; i < n;)
		{
			uint32		j;
			SocroiSum	nu = {0, 0};
			int			nnext = 0;

			/* one state: its next symbols (folds merged) */
			for (j = i; j < n && compare_state(&items[j], &items[i]) == 0; j++)
				socroi_sum_add(&nu, items[j].w);
			fit->states++;
			for (; i < j;)
			{
				uint32		l;
				SocroiSum	nt = {0, 0};

				for (l = i; l < j && items[l].next == items[i].next; l++)
					socroi_sum_add(&nt, items[l].w);
				if (socroi_sum_value(&nt) > 0.0)
				{
					socroi_sum_add(&ll, socroi_sum_value(&nt) *
								   log(socroi_sum_value(&nt) / socroi_sum_value(&nu)));
					nnext++;
				}
				i = l;
			}
			socroi_sum_add(&total, socroi_sum_value(&nu));
			fit->parameters += Max(nnext - 1, 0);
		}
		fit->log_likelihood = socroi_sum_value(&ll);
		fit->bic = -2.0 * fit->log_likelihood +
			(double) fit->parameters * log(Max(socroi_sum_value(&total), 1.0));
		end_table(items, n, &tables[k - 1]);
		pfree(items);
	}
	for (k = 1; k <= K; k++)
		fits[k - 1].auc = folds ? order_auc(tables, k) : get_float8_nan();
	pfree(rank);
	return K;
}

int
markov_order_select(const AttrState *s)
{
	MarkovOrderFit fits[ATTR_MAX_ORDER];
	int			n = markov_order_fits(s, fits);
	int			best = 1;
	int			k;

	for (k = 2; k <= n; k++)
		if (fits[k - 1].bic < fits[best - 1].bic)
			best = k;
	return best;
}

/* ---------- markov_order_selection(): markov_order_fit[] ---------- */

#define ORDER_FIT_NATTS 7

static const Oid order_fit_types[ORDER_FIT_NATTS] = {
	INT4OID, INT8OID, FLOAT8OID, INT8OID, FLOAT8OID, FLOAT8OID, BOOLOID
};

Datum
socroi_markov_order_selection_final(PG_FUNCTION_ARGS)
{
	AttrState  *s = attr_state_arg(fcinfo, 0);
	const SocroiArrayRowType *fc;
	MarkovOrderFit fits[ATTR_MAX_ORDER];
	Datum		elems[ATTR_MAX_ORDER];
	int			n;
	int			best;
	int			k;

	fc = socroi_result_array_row_type(fcinfo, "markov_order_fit",
									  ORDER_FIT_NATTS, order_fit_types);
	if (ATTR_STATE_MODEL(s)->kind != ATTR_MARKOV)
		elog(ERROR, "markov_order_selection over a state of model %s",
			 attr_kind_name(ATTR_STATE_MODEL(s)->kind));
	n = markov_order_fits(s, fits);
	best = markov_order_select(s);
	for (k = 0; k < n; k++)
	{
		Datum		values[ORDER_FIT_NATTS];
		bool		nulls[ORDER_FIT_NATTS] = {false};

		values[0] = Int32GetDatum(fits[k].order);
		values[1] = Int64GetDatum(fits[k].states);
		values[2] = Float8GetDatum(fits[k].log_likelihood);
		values[3] = Int64GetDatum(fits[k].parameters);
		values[4] = Float8GetDatum(fits[k].bic);
		values[5] = Float8GetDatum(fits[k].auc);
		nulls[5] = isnan(fits[k].auc);
		values[6] = BoolGetDatum(fits[k].order == best);
		elems[k] = HeapTupleGetDatum(heap_form_tuple(fc->desc, values, nulls));
	}
	return socroi_result_array(fc, elems, n);
}

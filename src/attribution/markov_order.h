/*
 * markov_order.h
 *		Choosing the order of the markov attribution model (markov_order.c):
 *		BIC of the transitions and out-of-sample AUC of the conversions for
 *		every order up to the records' order.
 */
#ifndef SOCROI_MARKOV_ORDER_H
#define SOCROI_MARKOV_ORDER_H

#include "postgres.h"

#include "attribution/attribution_state.h"

typedef struct MarkovOrderFit
{
	int			order;
	int64		states;			/* transient states, (start) included */
	double		log_likelihood; /* multinomial, natural log */
	int64		parameters;		/* sum over states of (observed successors - 1) */
	double		bic;			/* -2 log_likelihood + parameters ln(transitions) */
	double		auc;			/* out-of-sample; NaN when undefined */
} MarkovOrderFit;

/* the fits of orders 1 .. the records' order; returns how many */
extern int	markov_order_fits(const AttrState *state, MarkovOrderFit *fits);

/* the order markov(order=auto) uses: the lowest BIC (the lower order on a tie) */
extern int	markov_order_select(const AttrState *state);

#endif							/* SOCROI_MARKOV_ORDER_H */

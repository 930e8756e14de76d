/*
 * markov_chain.h
 *		The absorbing Markov chain of the markov attribution model
 *		(markov_chain.c): its states, transitions and weights as read from
 *		the transition records of an attribution_state.
 */
#ifndef SOCROI_MARKOV_CHAIN_H
#define SOCROI_MARKOV_CHAIN_H

#include "postgres.h"

#include "lib/stringinfo.h"

#include "attribution/attribution_state.h"

typedef struct ChainNode
{
	int32		len;
	int32		ids[ATTR_MAX_ORDER];
	uint32		hash;
} ChainNode;

typedef struct ChainEdge
{
	int32		from;
	int32		to;				/* a node, or CHAIN_TO_CONVERSION / CHAIN_TO_NULL while building */
	double		w;
	double		v;				/* value converted (value=removal), else 0 */
} ChainEdge;

#define CHAIN_TO_CONVERSION	(-1)
#define CHAIN_TO_NULL		(-2)

typedef struct MarkovChain
{
	int32		nnodes;
	ChainNode  *nodes;			/* canonical order; node 0 is (start) ... */
	int32		start;			/* ... until markov_components_build() renumbers them */
	int32		nedges;
	ChainEdge  *edges;			/* every channel transition, by (from, to) */
	double	   *conv;			/* weight node -> (conversion) */
	double	   *null;			/* weight node -> (null) */
	double	   *value;			/* value converted at node (value=removal), else NULL */

	/*
	 * Filled by markov_components_build() (markov_components.c), which may
	 * also rescale every weight above by the same power of two and
	 * renumbers the nodes in the order the solver sweeps them (nodes, conv,
	 * null, value and start follow; edges keep the old numbers and are not
	 * used any more); the pass-through states by markov_eliminate_build()
	 * (markov_eliminate.c), which renumbers once more and rewrites rows;
	 * and the Perron part by markov_perron_prepare() (markov_perron.c).
	 */
	double	   *self;			/* self-loop weight */
	double	   *denom;			/* weight leaving the node, self-loop excluded */
	double	   *inv_denom;		/* 1 / denom (0 for a node with none) */
	/* solver rows: successors with weight > 0 other than the node itself */
	int32	   *row;			/* nnodes + 1 */
	int32	   *int_end;		/* end of the successors in the same component */
	int32	   *col;
	double	   *w;
	/* components of the live nodes, in reverse topological order */
	bool	   *dead;			/* cannot reach (conversion) or (null) */
	int32		nscc;
	int32	   *scc_begin;		/* nscc + 1 */
	int32	   *scc_nodes;
	int32	   *scc_of;
	/* for gauss_seidel(): set when some component is large, else NULL */
	double	   *perron_v;		/* right: J v = lambda v, J = D^-1 W */
	double	   *perron_w;		/* left, divided by D: u^T J = lambda u^T, w = u / D */
	double	   *scc_bound;		/* per component: (I - J)^-1 1 <= scc_bound */
	double	   *scc_bound_later;	/* (I - J)^-1 L, L the later successors */
	double	   *perron_z;		/* A^T w, nothing removed */
	double	   *perron_za;		/* the sum of the magnitudes of its terms */
	double	   *perron_ls;		/* w_ij v_j over the successors swept later */
	/*
	 * Pass-through states of the large components (markov_eliminate.c),
	 * NULL when none: the rows of their predecessors read their successor
	 * instead, and fold from (swept) reads via (eliminated) with weight w.
	 */
	bool	   *eliminated;
	int32	   *fold_begin;		/* nscc + 1 */
	int32	   *fold_from;
	int32	   *fold_via;
	double	   *fold_w;
} MarkovChain;

/*
 * Add the transitions of one path (n >= 1 channel ids) to the records of a
 * markov state; returns the state, which may have moved.
 */
extern AttrState *attr_markov_add_path(AttrState *state, const int32 *ids,
									   int n, double conversions,
									   double non_conversions, double value);

/*
 * The chain of order k (1 .. the records' order) of a markov state,
 * canonical order (palloc'd arrays).  The records of order K determine the
 * chain of every order k <= K: a from-state of order k is the suffix of
 * length min(len, k) of the record's from-state.
 */
extern void markov_chain_build(const AttrState *state, int order, MarkovChain *mc);

/* append the readable name of a state: "(start)" or "a > b" */
extern void markov_chain_state_name(StringInfo buf, const AttrState *state,
									const ChainNode *node);

#endif							/* SOCROI_MARKOV_CHAIN_H */

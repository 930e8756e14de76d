/*
 * sobol.h
 *		Sobol' low-discrepancy sequence in up to SOBOL_MAX_DIMS dimensions,
 *		for deterministic quasi-random starting points of global searches
 *		(no clock, no random seed: the same points on every run and node).
 */
#ifndef SOCROI_SOBOL_H
#define SOCROI_SOBOL_H

#define SOBOL_MAX_DIMS 161
#define SOBOL_BITS 30

typedef struct SobolState
{
	int			dims;
	unsigned long long index;	/* points drawn so far */
	unsigned int x[SOBOL_MAX_DIMS];
	unsigned int v[SOBOL_MAX_DIMS][SOBOL_BITS];
} SobolState;

/* prepare the sequence in dims dimensions (1..SOBOL_MAX_DIMS) */
extern void sobol_init_state(SobolState *state, int dims);

/* the next point, in [0, 1)^dims; the first is the origin */
extern void sobol_next(SobolState *state, double *point);

#endif							/* SOCROI_SOBOL_H */

/*
 * attribution_model.h
 *		The attribution_model type (attribution_model.c): a model literal such
 *		as 'position_based(first=0.3,last=0.3)' parsed once into a small,
 *		canonical varlena.
 */
#ifndef SOCROI_ATTRIBUTION_MODEL_H
#define SOCROI_ATTRIBUTION_MODEL_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "fmgr.h"

typedef enum AttrModelKind
{
	ATTR_FIRST_TOUCH = 1,
	ATTR_LAST_TOUCH,
	ATTR_LAST_NON_DIRECT,
	ATTR_LINEAR,
	ATTR_POSITION_BASED,
	ATTR_TIME_DECAY,
	ATTR_MARKOV,
	ATTR_SHAPLEY,
	ATTR_FRACTRIBUTION
} AttrModelKind;

#define ATTR_KIND_MAX ATTR_FRACTRIBUTION
#define ATTR_KIND_IS_HEURISTIC(k) ((k) >= ATTR_FIRST_TOUCH && (k) <= ATTR_TIME_DECAY)

/* the hint for a NULL touch in a path, wherever a path is read */
#define ATTR_PATH_NULL_HINT "Remove NULL touches with array_remove(path, NULL)."

/* AttrModel.flags */
#define ATTR_MODEL_HAS_LOOKBACK 0x0001
/* every model: total channels with the "(n)" suffix of path_transform(path, 'frequency') dropped */
#define ATTR_MODEL_DROP_FREQUENCY_SUFFIX 0x0002
/* fractribution: an equal split instead of fractribution's last touch when every contribution is 0 */
#define ATTR_MODEL_FRACTRIBUTION_LINEAR 0x0004
#define ATTR_MODEL_MARKOV_AUTO	0x0008	/* markov(order=auto): records of order 4 */
#define ATTR_MODEL_VALUE_REMOVAL 0x0010 /* markov(value=removal) */

/* defaults of doc/attribution.md */
#define ATTR_DEFAULT_FIRST		0.4
#define ATTR_DEFAULT_LAST		0.4
#define ATTR_DEFAULT_HALF_LIFE	(INT64CONST(7) * USECS_PER_DAY)
#define ATTR_DEFAULT_ORDER		1
#define ATTR_MAX_ORDER			4
#define ATTR_DEFAULT_DIRECT		"direct"

/*
 * attribution_model: a small varlena (ALIGNMENT double, STORAGE plain) that
 * is fully canonical -- every field not used by the kind is zero, padding is
 * zero, -0 is stored as 0 -- so two models are the same exactly when their
 * bytes are the same.  Intervals are fixed lengths in microseconds (a day
 * counts 24 hours; months are refused as ambiguous).
 */
typedef struct AttrModel
{
	int32		vl_len_;
	uint8		kind;			/* AttrModelKind */
	uint8		markov_order;	/* markov: 1..4 (4 for order=auto: the records' order) */
	uint16		flags;			/* ATTR_MODEL_* */
	int32		direct_len;		/* last_non_direct: bytes of direct[] */
	int32		pad;			/* zero: the format of this layout (a later
								 * layout sets it, and kinds added later
								 * are above ATTR_KIND_MAX; the library
								 * refuses both: attr_model_check_known) */
	double		first_weight;	/* position_based */
	double		last_weight;	/* position_based */
	int64		half_life_us;	/* time_decay, > 0 */
	int64		lookback_us;	/* > 0 when ATTR_MODEL_HAS_LOOKBACK */
	char		direct[FLEXIBLE_ARRAY_MEMBER];	/* not NUL-terminated */
} AttrModel;

#define ATTR_MODEL_SIZE(direct_len) \
	MAXALIGN(offsetof(AttrModel, direct) + (direct_len))

#define DatumGetAttrModelP(X)	((AttrModel *) PG_DETOAST_DATUM(X))
#define PG_GETARG_ATTR_MODEL_P(n) DatumGetAttrModelP(PG_GETARG_DATUM(n))

/*
 * Parse a model literal.  On failure returns NULL and sets *error (and
 * *hint when there is one); the caller raises with its own SQLSTATE.
 */
extern AttrModel *attr_model_parse(const char *input, const char **error,
								   const char **hint);

/* canonical text with every option spelled out (palloc'd) */
extern char *attr_model_canonical(const AttrModel *model);

/* the name of a kind ("linear", ...) */
extern const char *attr_kind_name(int kind);

/* valid forms, for hints */
extern const char *attr_model_forms_hint(void);

/*
 * A stored model of a kind or layout format this library does not know
 * (written by a later socroi) -> 0A000, never computed with.
 */
extern void attr_model_check_known(const AttrModel *model);

/*
 * Check the model on one row of a computation (attr_model_check_known
 * first): data-driven models in a per-path function, time_decay or lookback
 * without touch times -> 22023.
 */
extern void attr_model_check_usage(const AttrModel *model, bool have_times,
								   bool per_path);

#endif							/* SOCROI_ATTRIBUTION_MODEL_H */

/*
 * attribution_model.c
 *		The attribution_model type: a model written as a literal, parsed once
 *		into a small canonical varlena (doc/attribution.md, "Models").
 *
 * Grammar (names and option keys case-insensitive, blanks allowed between
 * tokens):
 *     model  := name [ '(' [ option { ',' option } ] ')' ]
 *     option := key '=' value
 *     value  := '"' { char | '""' } '"'  |  bare text up to ',' or ')'
 * Options: position_based first, last; time_decay half_life;
 * last_non_direct direct; markov order; every heuristic model lookback.
 *
 * Intervals are read with PostgreSQL's own interval input (the routines of
 * interval_in) and stored as fixed microseconds: a day counts 24 hours,
 * and months or years are refused because their length varies -- "30 days"
 * says what is meant.
 */
#include "postgres.h"

#include <ctype.h>
#include <math.h>

#include "common/hashfn.h"
#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "attribution/attribution_model.h"
#include "common/common.h"
#include "common/option_list.h"

PG_FUNCTION_INFO_V1(socroi_attribution_model_in);
PG_FUNCTION_INFO_V1(socroi_attribution_model_out);
PG_FUNCTION_INFO_V1(socroi_attribution_model_recv);
PG_FUNCTION_INFO_V1(socroi_attribution_model_send);

static const char *const kind_names[] = {
	[ATTR_FIRST_TOUCH] = "first_touch",
	[ATTR_LAST_TOUCH] = "last_touch",
	[ATTR_LAST_NON_DIRECT] = "last_non_direct",
	[ATTR_LINEAR] = "linear",
	[ATTR_POSITION_BASED] = "position_based",
	[ATTR_TIME_DECAY] = "time_decay",
	[ATTR_MARKOV] = "markov",
	[ATTR_SHAPLEY] = "shapley",
	[ATTR_FRACTRIBUTION] = "fractribution",
};

const char *
attr_kind_name(int kind)
{
	if (kind < ATTR_FIRST_TOUCH || kind > ATTR_KIND_MAX)
		elog(ERROR, "invalid attribution model kind %d", kind);
	return kind_names[kind];
}

const char *
attr_model_forms_hint(void)
{
	return "Valid models: first_touch, last_touch, last_non_direct(direct=direct), "
		"linear, position_based(first=0.4,last=0.4), time_decay(half_life=7 days), "
		"markov(order=1,value=conversions) with order 1 to 4 or auto and value conversions or removal, shapley, "
		"fractribution(fallback=last_touch).  Every heuristic model "
		"(all but markov, shapley and fractribution) also takes lookback=<interval>, "
		"e.g. linear(lookback=30 days); every model frequency_suffix=drop.";
}

/* ---------- parsing ---------- */

typedef struct ModelOptions
{
	AttrModelKind kind;
	bool		seen_first,
				seen_last,
				seen_half_life,
				seen_lookback,
				seen_direct,
				seen_order,
				seen_value;
	double		first_weight;
	double		last_weight;
	int64		half_life_us;
	int64		lookback_us;
	int			order;			/* 0: auto */
	bool		value_removal;
	char	   *direct;
	int			direct_len;
	/* peer parity: frequency_suffix (every model), fallback (fractribution) */
	bool		seen_frequency_suffix,
				seen_fallback,
				drop_frequency_suffix,
				fallback_linear;
} ModelOptions;

/* the problems of an option value (common/option_list) in a model's words */
static const SocroiValueWords model_value_words = {
	"unterminated quoted value in attribution model",
	"missing option value in attribution model",
	"attribution model option value", "must be double-quoted"
};

static const char *
read_value(const char *p, char **value, int *len, const char **error)
{
	SocroiValueProblem problem;

	p = socroi_scan_option_value(p, value, len, &problem);
	if (p == NULL)
		*error = socroi_value_problem_message(problem, *value, *len,
											  &model_value_words);
	return p;
}

static bool
parse_weight(const char *key, const char *value, double *out,
			 const char **error)
{
	char	   *end;
	double		d;

	errno = 0;
	d = strtod(value, &end);
	if (end == value || *end != '\0' || errno == ERANGE)
	{
		*error = psprintf("attribution model option %s must be a number, got \"%s\"",
						  key, value);
		return false;
	}
	if (isnan(d) || !(d >= 0.0 && d <= 1.0))
	{
		*error = psprintf("attribution model option %s must be between 0 and 1, got %s",
						  key, value);
		return false;
	}
	*out = (d == 0.0) ? 0.0 : d;	/* no -0 */
	return true;
}

/* an interval as fixed microseconds (common/option_list.c) */
static bool
parse_interval_us(const char *key, const char *value, int64 *out,
				  const char **error, const char **hint)
{
	return socroi_parse_interval_us("attribution model option", key, value,
									out, error, hint);
}

/* does the kind take this option? */
static bool
option_allowed(AttrModelKind kind, const char *key)
{
	if (strcmp(key, "lookback") == 0)
		return ATTR_KIND_IS_HEURISTIC(kind);
	if (strcmp(key, "first") == 0 || strcmp(key, "last") == 0)
		return kind == ATTR_POSITION_BASED;
	if (strcmp(key, "half_life") == 0)
		return kind == ATTR_TIME_DECAY;
	if (strcmp(key, "direct") == 0)
		return kind == ATTR_LAST_NON_DIRECT;
	if (strcmp(key, "order") == 0 || strcmp(key, "value") == 0)
		return kind == ATTR_MARKOV;
	return false;
}

static const char *
options_of(AttrModelKind kind)
{
	switch (kind)
	{
		case ATTR_FIRST_TOUCH:
		case ATTR_LAST_TOUCH:
		case ATTR_LINEAR:
			return "lookback";
		case ATTR_LAST_NON_DIRECT:
			return "direct, lookback";
		case ATTR_POSITION_BASED:
			return "first, last, lookback";
		case ATTR_TIME_DECAY:
			return "half_life, lookback";
		case ATTR_MARKOV:
			return "order, value";
		case ATTR_SHAPLEY:
			return "none";
		case ATTR_FRACTRIBUTION:
			return "fallback";
	}
	return "none";
}

/*
 * The options of peer parity: frequency_suffix=keep|drop (every model) and
 * fractribution's fallback=last_touch|linear.
 */
static bool
apply_peer_option(ModelOptions *o, const char *key, const char *value,
				  int len, const char **error, const char **hint)
{
	bool		frequency = (strcmp(key, "frequency_suffix") == 0);
	bool	   *seen = frequency ? &o->seen_frequency_suffix : &o->seen_fallback;

	if (!frequency && o->kind != ATTR_FRACTRIBUTION)
	{
		*error = psprintf("attribution model %s has no option \"%s\"",
						  attr_kind_name(o->kind), key);
		*hint = psprintf("Options of %s: %s.  %s", attr_kind_name(o->kind),
						 options_of(o->kind), attr_model_forms_hint());
		return false;
	}
	if (*seen)
	{
		*error = psprintf("attribution model option %s is given twice", key);
		return false;
	}
	*seen = true;
	if (strlen(value) != (size_t) len)
	{
		*error = psprintf("attribution model option %s contains a zero byte", key);
		return false;
	}
	if (frequency && pg_strcasecmp(value, "drop") == 0)
		o->drop_frequency_suffix = true;
	else if (!frequency && pg_strcasecmp(value, "linear") == 0)
		o->fallback_linear = true;
	else if (!(frequency ? pg_strcasecmp(value, "keep") == 0 :
			   pg_strcasecmp(value, "last_touch") == 0))
	{
		*error = frequency ?
			psprintf("attribution model option frequency_suffix must be keep or drop, got \"%s\"", value) :
			psprintf("attribution model option fallback must be last_touch or linear, got \"%s\"", value);
		return false;
	}
	return true;
}

static bool
apply_option(ModelOptions *o, const char *key, char *value, int len,
			 const char **error, const char **hint)
{
	bool	   *seen;

	if (strcmp(key, "frequency_suffix") == 0 || strcmp(key, "fallback") == 0)
		return apply_peer_option(o, key, value, len, error, hint);
	if (!option_allowed(o->kind, key))
	{
		*error = psprintf("attribution model %s has no option \"%s\"",
						  attr_kind_name(o->kind), key);
		*hint = psprintf("Options of %s: %s.  %s", attr_kind_name(o->kind),
						 options_of(o->kind), attr_model_forms_hint());
		return false;
	}
	if (strcmp(key, "lookback") == 0)
		seen = &o->seen_lookback;
	else if (strcmp(key, "first") == 0)
		seen = &o->seen_first;
	else if (strcmp(key, "last") == 0)
		seen = &o->seen_last;
	else if (strcmp(key, "half_life") == 0)
		seen = &o->seen_half_life;
	else if (strcmp(key, "direct") == 0)
		seen = &o->seen_direct;
	else if (strcmp(key, "value") == 0)
		seen = &o->seen_value;
	else
		seen = &o->seen_order;
	if (*seen)
	{
		*error = psprintf("attribution model option %s is given twice", key);
		return false;
	}
	*seen = true;

	if (strlen(value) != (size_t) len)
	{
		*error = psprintf("attribution model option %s contains a zero byte", key);
		return false;
	}
	if (strcmp(key, "lookback") == 0)
		return parse_interval_us(key, value, &o->lookback_us, error, hint);
	if (strcmp(key, "half_life") == 0)
		return parse_interval_us(key, value, &o->half_life_us, error, hint);
	if (strcmp(key, "first") == 0)
		return parse_weight(key, value, &o->first_weight, error);
	if (strcmp(key, "last") == 0)
		return parse_weight(key, value, &o->last_weight, error);
	if (strcmp(key, "direct") == 0)
	{
		if (len == 0)
		{
			*error = "attribution model option direct must name a channel";
			return false;
		}
		o->direct = value;
		o->direct_len = len;
		return true;
	}
	if (strcmp(key, "value") == 0)
	{
		if (pg_strcasecmp(value, "removal") == 0)
			o->value_removal = true;
		else if (pg_strcasecmp(value, "conversions") == 0)
			o->value_removal = false;
		else
		{
			*error = psprintf("attribution model option value must be conversions or removal, got \"%s\"",
							  value);
			*hint = "value=conversions (the default) splits value like conversions; "
				"value=removal splits it by value-weighted removal effects.";
			return false;
		}
		return true;
	}
	/* order */
	if (pg_strcasecmp(value, "auto") == 0)
	{
		o->order = 0;
		return true;
	}
	{
		char	   *end;
		long		k;

		errno = 0;
		k = strtol(value, &end, 10);
		if (end == value || *end != '\0' || errno != 0 ||
			k < 1 || k > ATTR_MAX_ORDER)
		{
			*error = psprintf("attribution model option order must be auto or an integer from 1 to %d, got \"%s\"",
							  ATTR_MAX_ORDER, value);
			return false;
		}
		o->order = (int) k;
		return true;
	}
}

AttrModel *
attr_model_parse(const char *input, const char **error, const char **hint)
{
	ModelOptions o;
	const char *p = input;
	char		name[32];
	int			kind;
	AttrModel  *m;

	*error = NULL;
	*hint = NULL;
	memset(&o, 0, sizeof(o));

	p = socroi_skip_blanks(p);
	p = socroi_read_word(p, name, sizeof(name));
	if (p == NULL)
	{
		*error = psprintf("invalid attribution model \"%s\"", input);
		*hint = attr_model_forms_hint();
		return NULL;
	}
	for (kind = ATTR_FIRST_TOUCH; kind <= ATTR_KIND_MAX; kind++)
		if (strcmp(name, kind_names[kind]) == 0)
			break;
	if (kind > ATTR_KIND_MAX)
	{
		*error = psprintf("unknown attribution model \"%s\"", input);
		*hint = attr_model_forms_hint();
		return NULL;
	}
	o.kind = (AttrModelKind) kind;
	o.first_weight = ATTR_DEFAULT_FIRST;
	o.last_weight = ATTR_DEFAULT_LAST;
	o.half_life_us = ATTR_DEFAULT_HALF_LIFE;
	o.order = ATTR_DEFAULT_ORDER;
	o.direct = ATTR_DEFAULT_DIRECT;
	o.direct_len = strlen(ATTR_DEFAULT_DIRECT);

	p = socroi_skip_blanks(p);
	if (*p == '(')
	{
		p = socroi_skip_blanks(p + 1);
		if (*p == ')')
			p++;
		else
		{
			for (;;)
			{
				char		key[32];
				char	   *value;
				int			len;

				p = socroi_read_word(p, key, sizeof(key));
				if (p == NULL)
				{
					*error = psprintf("invalid attribution model \"%s\": expected an option name",
									  input);
					*hint = attr_model_forms_hint();
					return NULL;
				}
				p = socroi_skip_blanks(p);
				if (*p != '=')
				{
					*error = psprintf("invalid attribution model \"%s\": expected \"=\" after option %s",
									  input, key);
					*hint = attr_model_forms_hint();
					return NULL;
				}
				p = socroi_skip_blanks(p + 1);
				p = read_value(p, &value, &len, error);
				if (p == NULL)
				{
					*hint = "Quote values that contain parentheses, commas or quotes, "
						"e.g. last_non_direct(direct=\"(direct)\"); a quote inside is written twice.";
					return NULL;
				}
				if (!apply_option(&o, key, value, len, error, hint))
					return NULL;
				p = socroi_skip_blanks(p);
				if (*p == ',')
				{
					p = socroi_skip_blanks(p + 1);
					continue;
				}
				if (*p == ')')
				{
					p++;
					break;
				}
				*error = psprintf("invalid attribution model \"%s\": expected \",\" or \")\"",
								  input);
				*hint = attr_model_forms_hint();
				return NULL;
			}
		}
		p = socroi_skip_blanks(p);
	}
	if (*p != '\0')
	{
		*error = psprintf("invalid attribution model \"%s\": unexpected text after the model",
						  input);
		*hint = attr_model_forms_hint();
		return NULL;
	}

	if (o.kind == ATTR_POSITION_BASED &&
		o.first_weight + o.last_weight > 1.0)
	{
		*error = psprintf("position_based weights first + last must not exceed 1, got %g + %g",
						  o.first_weight, o.last_weight);
		*hint = "The middle touches share 1 - first - last; the default is first=0.4,last=0.4.";
		return NULL;
	}

	/* canonical: only the fields of the kind are set, everything else 0 */
	if (o.kind != ATTR_LAST_NON_DIRECT)
		o.direct_len = 0;
	m = (AttrModel *) palloc0(ATTR_MODEL_SIZE(o.direct_len));
	SET_VARSIZE(m, ATTR_MODEL_SIZE(o.direct_len));
	m->kind = (uint8) o.kind;
	if (o.kind == ATTR_MARKOV)
	{
		m->markov_order = (uint8) (o.order == 0 ? ATTR_MAX_ORDER : o.order);
		if (o.order == 0)
			m->flags |= ATTR_MODEL_MARKOV_AUTO;
		if (o.value_removal)
			m->flags |= ATTR_MODEL_VALUE_REMOVAL;
	}
	if (o.kind == ATTR_POSITION_BASED)
	{
		m->first_weight = o.first_weight;
		m->last_weight = o.last_weight;
	}
	if (o.kind == ATTR_TIME_DECAY)
		m->half_life_us = o.half_life_us;
	if (o.seen_lookback)
	{
		m->flags |= ATTR_MODEL_HAS_LOOKBACK;
		m->lookback_us = o.lookback_us;
	}
	if (o.kind == ATTR_LAST_NON_DIRECT)
	{
		m->direct_len = o.direct_len;
		memcpy(m->direct, o.direct, o.direct_len);
	}
	if (o.drop_frequency_suffix)
		m->flags |= ATTR_MODEL_DROP_FREQUENCY_SUFFIX;
	if (o.fallback_linear)
		m->flags |= ATTR_MODEL_FRACTRIBUTION_LINEAR;
	return m;
}

/* ---------- canonical output ---------- */

/* an exact interval in the largest whole unit: "7 days", "36 hours", "1.5 seconds" */
static void
append_interval(StringInfo buf, int64 us)
{
	socroi_append_interval(buf, us);
}

static void
append_weight(StringInfo buf, double w)
{
	char		tmp[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(w, tmp);
	appendStringInfoString(buf, tmp);
}

char *
attr_model_canonical(const AttrModel *m)
{
	StringInfoData opts;
	StringInfoData buf;

	attr_model_check_known(m);
	initStringInfo(&opts);
	switch ((AttrModelKind) m->kind)
	{
		case ATTR_LAST_NON_DIRECT:
			appendStringInfoString(&opts, "direct=");
			socroi_append_option_value(&opts, m->direct, m->direct_len);
			break;
		case ATTR_POSITION_BASED:
			appendStringInfoString(&opts, "first=");
			append_weight(&opts, m->first_weight);
			appendStringInfoString(&opts, ",last=");
			append_weight(&opts, m->last_weight);
			break;
		case ATTR_TIME_DECAY:
			appendStringInfoString(&opts, "half_life=");
			append_interval(&opts, m->half_life_us);
			break;
		case ATTR_MARKOV:
			if (m->flags & ATTR_MODEL_MARKOV_AUTO)
				appendStringInfoString(&opts, "order=auto");
			else
				appendStringInfo(&opts, "order=%d", m->markov_order);
			if (m->flags & ATTR_MODEL_VALUE_REMOVAL)
				appendStringInfoString(&opts, ",value=removal");
			break;
		case ATTR_FIRST_TOUCH:
		case ATTR_LAST_TOUCH:
		case ATTR_LINEAR:
		case ATTR_SHAPLEY:
			break;
		case ATTR_FRACTRIBUTION:
			appendStringInfoString(&opts, (m->flags & ATTR_MODEL_FRACTRIBUTION_LINEAR) ?
								   "fallback=linear" : "fallback=last_touch");
			break;
	}
	if (m->flags & ATTR_MODEL_HAS_LOOKBACK)
	{
		if (opts.len > 0)
			appendStringInfoChar(&opts, ',');
		appendStringInfoString(&opts, "lookback=");
		append_interval(&opts, m->lookback_us);
	}
	if (m->flags & ATTR_MODEL_DROP_FREQUENCY_SUFFIX)
	{
		if (opts.len > 0)
			appendStringInfoChar(&opts, ',');
		appendStringInfoString(&opts, "frequency_suffix=drop");
	}
	initStringInfo(&buf);
	appendStringInfoString(&buf, attr_kind_name(m->kind));
	if (opts.len > 0)
		appendStringInfo(&buf, "(%s)", opts.data);
	pfree(opts.data);
	return buf.data;
}

/* ---------- usage checks ---------- */

void
attr_model_check_known(const AttrModel *m)
{
	if (m->kind < ATTR_FIRST_TOUCH || m->kind > ATTR_KIND_MAX || m->pad != 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("attribution_model value of kind %d, format %d, is not one this socroi library knows",
						m->kind, m->pad),
				 errdetail("It was written by a later version of socroi."),
				 errhint("Install that socroi version or a later one (then ALTER EXTENSION socroi UPDATE), "
						 "or write the model again as a literal.")));
}

void
attr_model_check_usage(const AttrModel *m, bool have_times, bool per_path)
{
	attr_model_check_known(m);
	if (!ATTR_KIND_IS_HEURISTIC(m->kind))
	{
		if (per_path)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("attribution model %s cannot attribute a single path",
							attr_kind_name(m->kind)),
					 errhint("Data-driven models learn from every journey, converting or not: "
							 "use the aggregate attribution(path, conversions, value, non_conversions, '%s').",
							 attr_kind_name(m->kind))));
		return;
	}
	if (have_times)
		return;
	if (m->kind == ATTR_TIME_DECAY)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("attribution model time_decay needs touch times"),
				 errhint("Pass the touch times and the conversion time: "
						 "attribute(path, touch_times, conversion_time, value, model) or "
						 "attribution(path, touch_times, conversion_time, value, model).")));
	if (m->flags & ATTR_MODEL_HAS_LOOKBACK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("attribution model option lookback needs touch times"),
				 errhint("Pass the touch times and the conversion time: "
						 "attribute(path, touch_times, conversion_time, value, model) or "
						 "attribution(path, touch_times, conversion_time, value, model).")));
}

/* ---------- type I/O ---------- */

Datum
socroi_attribution_model_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *error;
	const char *hint;
	AttrModel  *m = attr_model_parse(input, &error, &hint);

	if (m == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s", error),
				 hint ? errhint("%s", hint) : 0));
	PG_RETURN_POINTER(m);
}

Datum
socroi_attribution_model_out(PG_FUNCTION_ARGS)
{
	AttrModel  *m = PG_GETARG_ATTR_MODEL_P(0);

	PG_RETURN_CSTRING(attr_model_canonical(m));
}

/* binary form: the canonical text, so receive validates like input */
Datum
socroi_attribution_model_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			nbytes;
	char	   *text = pq_getmsgtext(buf, buf->len - buf->cursor, &nbytes);
	const char *error;
	const char *hint;
	AttrModel  *m;

	if (strlen(text) != (size_t) nbytes)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external binary attribution_model: zero byte")));
	m = attr_model_parse(text, &error, &hint);
	if (m == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external binary attribution_model: %s", error)));
	PG_RETURN_POINTER(m);
}

Datum
socroi_attribution_model_send(PG_FUNCTION_ARGS)
{
	AttrModel  *m = PG_GETARG_ATTR_MODEL_P(0);
	char	   *text = attr_model_canonical(m);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendtext(&buf, text, strlen(text));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------- comparison: GROUP BY, DISTINCT and ORDER BY a model ---------- */

PG_FUNCTION_INFO_V1(socroi_attribution_model_eq);
PG_FUNCTION_INFO_V1(socroi_attribution_model_ne);
PG_FUNCTION_INFO_V1(socroi_attribution_model_lt);
PG_FUNCTION_INFO_V1(socroi_attribution_model_le);
PG_FUNCTION_INFO_V1(socroi_attribution_model_gt);
PG_FUNCTION_INFO_V1(socroi_attribution_model_ge);
PG_FUNCTION_INFO_V1(socroi_attribution_model_cmp);
PG_FUNCTION_INFO_V1(socroi_attribution_model_hash);

/* models are canonical: equal exactly when their bytes are equal */
static bool
model_equal(const AttrModel *a, const AttrModel *b)
{
	return VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0;
}

/*
 * Order: by kind in the order of doc/attribution.md (as an enum sorts), then by
 * the canonical text.  Consistent with equality, because the canonical
 * text determines the bytes.
 */
static int
model_compare(const AttrModel *a, const AttrModel *b)
{
	char	   *ta;
	char	   *tb;
	int			c;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (model_equal(a, b))
		return 0;
	ta = attr_model_canonical(a);
	tb = attr_model_canonical(b);
	c = strcmp(ta, tb);
	pfree(ta);
	pfree(tb);
	return (c > 0) - (c < 0);
}

Datum
socroi_attribution_model_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(model_equal(PG_GETARG_ATTR_MODEL_P(0), PG_GETARG_ATTR_MODEL_P(1)));
}

Datum
socroi_attribution_model_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!model_equal(PG_GETARG_ATTR_MODEL_P(0), PG_GETARG_ATTR_MODEL_P(1)));
}

Datum
socroi_attribution_model_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(model_compare(PG_GETARG_ATTR_MODEL_P(0), PG_GETARG_ATTR_MODEL_P(1)) < 0);
}

Datum
socroi_attribution_model_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(model_compare(PG_GETARG_ATTR_MODEL_P(0), PG_GETARG_ATTR_MODEL_P(1)) <= 0);
}

Datum
socroi_attribution_model_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(model_compare(PG_GETARG_ATTR_MODEL_P(0), PG_GETARG_ATTR_MODEL_P(1)) > 0);
}

Datum
socroi_attribution_model_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(model_compare(PG_GETARG_ATTR_MODEL_P(0), PG_GETARG_ATTR_MODEL_P(1)) >= 0);
}

Datum
socroi_attribution_model_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(model_compare(PG_GETARG_ATTR_MODEL_P(0), PG_GETARG_ATTR_MODEL_P(1)));
}

Datum
socroi_attribution_model_hash(PG_FUNCTION_ARGS)
{
	AttrModel  *m = PG_GETARG_ATTR_MODEL_P(0);

	PG_RETURN_UINT32(hash_bytes((const unsigned char *) m, VARSIZE(m)));
}

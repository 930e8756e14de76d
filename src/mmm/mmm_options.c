/*
 * mmm_options.c
 *		The options of mmm_fit (see doc/mmm.md for the reference):
 *
 *   options := [ item { ',' item } ]
 *   item    := key '=' value | key '(' channel ')' '=' value
 *   channel := name | '"' name-with-"" '"'
 *   range   := number '..' number | number       (a single number fixes it)
 *
 * Whitespace around items is ignored; keys are case-insensitive.  Anything
 * else is ERROR 22023 naming the item, unknown keys listing the valid ones.
 */
#include "postgres.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>

#include "common/shortest_dec.h"
#include "utils/builtins.h"

#include "common/common.h"
#include "mmm/mmm_options.h"

const char *const mmm_param_names[MMM_NPARAMS] = {
	"decay", "shape", "scale", "slope", "half_saturation"
};

#define VALID_KEYS "adstock, saturation, max_lag, trend, seasonality, holdout, bootstrap, seed, " \
	"confidence, ridge, decay, shape, scale, slope, saturation_range, and per channel " \
	"decay(c), shape(c), scale(c), slope(c), half_saturation(c)"

/* the admissible interval of each parameter's bounds */
static const double param_min[MMM_NPARAMS] = {0.0, 1e-6, 1e-6, 1e-6, 1e-300};
static const double param_max[MMM_NPARAMS] = {0.99, 20.0, 1e4, 10.0, 1e300};

static void
set_defaults(MmmOptions *o)
{
	memset(o, 0, sizeof(*o));
	o->adstock = MMM_ADSTOCK_GEOMETRIC;
	o->saturation = MMM_SATURATION_HILL;
	o->max_lag = 13;
	o->trend = true;
	o->season_auto = true;
	o->confidence = 0.9;
	o->ridge = -1.0;
	o->range[MMM_PARAM_DECAY] = (MmmRange) {0.0, 0.9};
	o->range[MMM_PARAM_SHAPE] = (MmmRange) {0.1, 10.0};
	o->range[MMM_PARAM_SCALE] = (MmmRange) {0.5, -1.0};	/* hi: max_lag */
	o->range[MMM_PARAM_SLOPE] = (MmmRange) {1.0, 3.0};
	o->range[MMM_PARAM_HALF_SATURATION] = (MmmRange) {0.0, 0.0};
	o->saturation_range = (MmmRange) {0.2, 5.0};
}

pg_noreturn static void
bad_option(const char *item, const char *fmt,...) pg_attribute_printf(2, 3);

static void
bad_option(const char *item, const char *fmt,...)
{
	char		msg[512];
	va_list		args;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid mmm_fit option \"%s\": %s", item, msg),
			 errhint("Options are comma-separated key=value pairs, e.g. 'holdout=8, seasonality=yearly(order=2), decay(tv)=0.3..0.7'.")));
}

/* the values of adstock=, saturation= and trend=, in the order of their enums */
static const char *const adstock_names[] = {"geometric", "weibull_cdf", "weibull_pdf"};
static const char *const saturation_names[] = {"hill", "logistic"};
static const char *const trend_names[] = {"none", "linear"};

/* the position of value among n names (case-insensitive), else bad_option */
static int
parse_choice(const char *item, const char *value, const char *const *names,
			 int n, const char *message)
{
	int			i;

	for (i = 0; i < n; i++)
		if (pg_strcasecmp(value, names[i]) == 0)
			return i;
	bad_option(item, "%s", message);
}

static double
parse_number(const char *item, const char *s)
{
	char	   *end;
	double		v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || errno != 0 || isnan(v) || isinf(v))
		bad_option(item, "\"%s\" is not a finite number", s);
	return v;
}

static int64
parse_integer(const char *item, const char *s, int64 min, int64 max)
{
	char	   *end;
	int64		v;

	errno = 0;
	v = strtoi64(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0)
		bad_option(item, "\"%s\" is not an integer", s);
	if (v < min || v > max)
		bad_option(item, "must be between " INT64_FORMAT " and " INT64_FORMAT, min, max);
	return v;
}

static MmmRange
parse_range(const char *item, char *s, MmmParam param)
{
	MmmRange	r;
	char	   *dots = strstr(s, "..");

	if (dots != NULL)
	{
		*dots = '\0';
		r.lo = parse_number(item, s);
		r.hi = parse_number(item, dots + 2);
	}
	else
		r.lo = r.hi = parse_number(item, s);
	if (r.lo > r.hi)
		bad_option(item, "the lower bound is above the upper bound");
	if (r.lo < param_min[param] || r.hi > param_max[param] ||
		(param != MMM_PARAM_DECAY && !(r.lo > 0.0)))
	{
		if (param == MMM_PARAM_DECAY)
			bad_option(item, "decay bounds must lie in [0, 0.99]");
		bad_option(item, "%s bounds must be positive and at most %g",
				   mmm_param_names[param], param_max[param]);
	}
	return r;
}

/* "yearly", "yearly(order=N)", "weekly(order=N)", joined by '+' */
static void
parse_seasonality(const char *item, char *value, MmmOptions *o)
{
	char	   *part = value;

	o->season_auto = false;
	o->yearly_order = o->weekly_order = 0;
	if (pg_strcasecmp(value, "none") == 0)
		return;
	if (pg_strcasecmp(value, "auto") == 0)
	{
		o->season_auto = true;
		return;
	}
	while (part != NULL)
	{
		char	   *plus = strchr(part, '+');
		char	   *paren;
		int		   *order;
		int			n = 2;

		if (plus)
			*plus = '\0';
		paren = strchr(part, '(');
		if (paren)
		{
			char	   *close = strrchr(paren, ')');
			char	   *arg = paren + 1;

			if (close == NULL || close[1] != '\0')
				bad_option(item, "expected yearly(order=N)");
			*close = '\0';
			*paren = '\0';
			while (isspace((unsigned char) *arg))
				arg++;
			if (pg_strncasecmp(arg, "order", 5) != 0)
				bad_option(item, "expected yearly(order=N)");
			arg += 5;
			while (isspace((unsigned char) *arg))
				arg++;
			if (*arg != '=')
				bad_option(item, "expected yearly(order=N)");
			arg++;
			while (isspace((unsigned char) *arg))
				arg++;
			n = (int) parse_integer(item, arg, 1, MMM_MAX_ORDER);
		}
		while (*part && isspace((unsigned char) *part))
			part++;
		{
			char	   *e = part + strlen(part);

			while (e > part && isspace((unsigned char) e[-1]))
				*--e = '\0';
		}
		if (pg_strcasecmp(part, "yearly") == 0)
			order = &o->yearly_order;
		else if (pg_strcasecmp(part, "weekly") == 0)
			order = &o->weekly_order;
		else
			bad_option(item, "seasonality must be none, auto, yearly(order=N), weekly(order=N) or yearly(order=N)+weekly(order=M)");
		if (*order != 0)
			bad_option(item, "%s given twice", part);
		*order = n;
		part = plus ? plus + 1 : NULL;
	}
}

/* split "key(channel)" into key and channel (channel NULL when absent) */
static void
split_key(const char *item, char *key, char **channel)
{
	char	   *paren = strchr(key, '(');
	char	   *e;

	*channel = NULL;
	if (paren == NULL)
		return;
	e = key + strlen(key);
	if (e[-1] != ')')
		bad_option(item, "expected key(channel)=value");
	e[-1] = '\0';
	*paren = '\0';
	{
		char	   *c = paren + 1;

		while (isspace((unsigned char) *c))
			c++;
		e = c + strlen(c);
		while (e > c && isspace((unsigned char) e[-1]))
			*--e = '\0';
		if (*c == '"')
		{
			/* quoted: "" stands for " */
			char	   *out = c,
					   *in = c + 1;

			for (;;)
			{
				if (*in == '\0')
					bad_option(item, "unterminated quoted channel name");
				if (*in == '"')
				{
					if (in[1] == '"')
					{
						*out++ = '"';
						in += 2;
						continue;
					}
					if (in[1] != '\0')
						bad_option(item, "unexpected text after the quoted channel name");
					break;
				}
				*out++ = *in++;
			}
			*out = '\0';
		}
		if (*c == '\0')
			bad_option(item, "empty channel name");
		*channel = c;
	}
	e = key + strlen(key);
	while (e > key && isspace((unsigned char) e[-1]))
		*--e = '\0';
}

static void
trim(char **s)
{
	char	   *p = *s,
			   *e;

	while (isspace((unsigned char) *p))
		p++;
	e = p + strlen(p);
	while (e > p && isspace((unsigned char) e[-1]))
		*--e = '\0';
	*s = p;
}

/*
 * The first c in s outside double quotes and parentheses, or the string's
 * terminating NUL: where an item's '=' or a list's ',' is.
 */
static char *
find_top_level(char *s, char c)
{
	bool		quoted = false;
	int			depth = 0;

	for (; *s; s++)
	{
		if (*s == '"')
			quoted = !quoted;
		else if (!quoted && *s == '(')
			depth++;
		else if (!quoted && *s == ')')
			depth--;
		else if (!quoted && depth == 0 && *s == c)
			break;
	}
	return s;
}

static void
parse_item(char *item, MmmOptions *o, uint32 *seen)
{
	char	   *whole = pstrdup(item);
	char	   *eq;
	char	   *key,
			   *value,
			   *channel;
	int			bit;
	MmmParam	param = MMM_NPARAMS;

	trim(&whole);
	/* the '=' after the key: skip a quoted channel name */
	eq = find_top_level(item, '=');
	if (*eq == '\0')
		bad_option(whole, "expected key=value");
	*eq = '\0';
	key = item;
	value = eq + 1;
	trim(&key);
	trim(&value);
	split_key(whole, key, &channel);
	if (*value == '\0')
		bad_option(whole, "missing value");

	for (param = 0; param < MMM_NPARAMS; param++)
		if (pg_strcasecmp(key, mmm_param_names[param]) == 0)
			break;
	if (param < MMM_NPARAMS)
	{
		MmmRange	r = parse_range(whole, value, param);

		if (channel == NULL)
		{
			if (param == MMM_PARAM_HALF_SATURATION)
				bad_option(whole, "half_saturation takes a channel: half_saturation(channel)=lo..hi in cost units; for all channels use saturation_range");
			if (*seen & (1u << (16 + param)))
				bad_option(whole, "given twice");
			*seen |= 1u << (16 + param);
			o->range[param] = r;
		}
		else
		{
			int			i;

			for (i = 0; i < o->nchannel; i++)
				if (o->channel[i].param == param &&
					strcmp(o->channel[i].channel, channel) == 0)
					bad_option(whole, "given twice");
			o->channel = o->channel
				? repalloc(o->channel, sizeof(MmmChannelOption) * (o->nchannel + 1))
				: palloc(sizeof(MmmChannelOption));
			o->channel[o->nchannel].channel = pstrdup(channel);
			o->channel[o->nchannel].param = param;
			o->channel[o->nchannel].range = r;
			o->nchannel++;
		}
		return;
	}
	if (channel != NULL)
		bad_option(whole, "only decay, shape, scale, slope and half_saturation take a channel");

	if (pg_strcasecmp(key, "adstock") == 0)
	{
		bit = 0;
		o->adstock = (MmmAdstockKind)
			parse_choice(whole, value, adstock_names, lengthof(adstock_names),
						 "adstock must be geometric, weibull_cdf or weibull_pdf");
	}
	else if (pg_strcasecmp(key, "saturation") == 0)
	{
		bit = 1;
		o->saturation = (MmmSaturationKind)
			parse_choice(whole, value, saturation_names, lengthof(saturation_names),
						 "saturation must be hill or logistic");
	}
	else if (pg_strcasecmp(key, "max_lag") == 0)
	{
		bit = 2;
		o->max_lag = (int) parse_integer(whole, value, 1, 1000);
	}
	else if (pg_strcasecmp(key, "trend") == 0)
	{
		bit = 3;
		o->trend = parse_choice(whole, value, trend_names, lengthof(trend_names),
								"trend must be linear or none") == 1;
	}
	else if (pg_strcasecmp(key, "seasonality") == 0)
	{
		bit = 4;
		parse_seasonality(whole, value, o);
	}
	else if (pg_strcasecmp(key, "holdout") == 0)
	{
		bit = 5;
		o->holdout = (int) parse_integer(whole, value, 0, 100000);
	}
	else if (pg_strcasecmp(key, "bootstrap") == 0)
	{
		bit = 6;
		o->bootstrap = (int) parse_integer(whole, value, 0, MMM_MAX_BOOTSTRAP);
	}
	else if (pg_strcasecmp(key, "seed") == 0)
	{
		bit = 7;
		o->seed = parse_integer(whole, value, PG_INT64_MIN, PG_INT64_MAX);
	}
	else if (pg_strcasecmp(key, "confidence") == 0)
	{
		bit = 8;
		o->confidence = parse_number(whole, value);
		if (!(o->confidence > 0.0 && o->confidence < 1.0))
			bad_option(whole, "confidence must be strictly between 0 and 1");
	}
	else if (pg_strcasecmp(key, "ridge") == 0)
	{
		bit = 9;
		if (pg_strcasecmp(value, "auto") == 0)
			o->ridge = -1.0;
		else
		{
			o->ridge = parse_number(whole, value);
			if (o->ridge < 0.0 || o->ridge > 1e6)
				bad_option(whole, "ridge must be auto or a penalty in [0, 1e6]");
		}
	}
	else if (pg_strcasecmp(key, "saturation_range") == 0)
	{
		char	   *dots = strstr(value, "..");

		bit = 10;
		if (dots == NULL)
			bad_option(whole, "expected saturation_range=lo..hi");
		*dots = '\0';
		o->saturation_range.lo = parse_number(whole, value);
		o->saturation_range.hi = parse_number(whole, dots + 2);
		if (!(o->saturation_range.lo > 0.0) ||
			!(o->saturation_range.lo <= o->saturation_range.hi) ||
			o->saturation_range.hi > 1e6)
			bad_option(whole, "saturation_range must be 0 < lo <= hi <= 1e6");
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown mmm_fit option \"%s\"", key),
				 errhint("Valid options: " VALID_KEYS ".")));
	if (*seen & (1u << bit))
		bad_option(whole, "given twice");
	*seen |= 1u << bit;
}

static void
check_applicable(const MmmOptions *o, MmmParam param, const char *item)
{
	const char *what = NULL;

	if (param == MMM_PARAM_DECAY && o->adstock != MMM_ADSTOCK_GEOMETRIC)
		what = "decay applies to adstock=geometric";
	else if ((param == MMM_PARAM_SHAPE || param == MMM_PARAM_SCALE) &&
			 o->adstock == MMM_ADSTOCK_GEOMETRIC)
		what = "shape and scale apply to adstock=weibull_cdf or weibull_pdf";
	else if (param == MMM_PARAM_SLOPE && o->saturation != MMM_SATURATION_HILL)
		what = "slope applies to saturation=hill";
	if (what)
		bad_option(item, "%s", what);
}

void
mmm_options_parse(const char *text, MmmOptions *o)
{
	char	   *copy;
	char	   *p;
	uint32		seen = 0;
	int			i;

	set_defaults(o);
	if (text == NULL)
		return;
	copy = pstrdup(text);
	p = copy;
	while (*p)
	{
		char	   *start = p;

		/* the item runs to the next top-level comma outside quotes */
		p = find_top_level(p, ',');
		if (*p == ',')
			*p++ = '\0';
		{
			char	   *item = start;

			trim(&item);
			if (*item == '\0')
			{
				if (*p == '\0' && start == copy)
					break;		/* the empty string: defaults */
				bad_option(text, "empty item");
			}
			parse_item(item, o, &seen);
		}
	}
	if (o->range[MMM_PARAM_SCALE].hi < 0.0)
		o->range[MMM_PARAM_SCALE].hi = Max(o->max_lag, o->range[MMM_PARAM_SCALE].lo);

	/* parameters that the chosen transforms do not have */
	for (i = 0; i < MMM_NPARAMS; i++)
		if ((seen & (1u << (16 + i))) != 0)
			check_applicable(o, (MmmParam) i, mmm_param_names[i]);
	for (i = 0; i < o->nchannel; i++)
		check_applicable(o, o->channel[i].param,
						 psprintf("%s(%s)", mmm_param_names[o->channel[i].param],
								  o->channel[i].channel));
}

void
mmm_options_parse_stored(StateReader *r, const char *text, MmmOptions *o)
{
	MemoryContext cxt = CurrentMemoryContext;

	/*
	 * Options a user typed get 22023 from mmm_options_parse; options inside
	 * a state or model literal that do not parse make the literal malformed.
	 * The error is replaced, not swallowed: the transaction still aborts.
	 */
	PG_TRY();
	{
		mmm_options_parse(text, o);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		FlushErrorState();
		state_invalid(r, "the options do not parse");
	}
	PG_END_TRY();
}

void
mmm_append_double(StringInfo out, double value)
{
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(value, buf);
	appendStringInfoString(out, buf);
}

static void
append_range(StringInfo out, MmmRange r)
{
	mmm_append_double(out, r.lo);
	if (r.hi != r.lo)
	{
		appendStringInfoString(out, "..");
		mmm_append_double(out, r.hi);
	}
}

static void
append_channel(StringInfo out, const char *channel)
{
	const char *c;
	bool		plain = *channel != '\0';

	for (c = channel; *c; c++)
		if (!(isalnum((unsigned char) *c) || *c == '_' || *c == '-' ||
			  *c == '.' || *c == ' ' || (unsigned char) *c >= 0x80))
			plain = false;
	if (plain && channel[0] != ' ' && channel[strlen(channel) - 1] != ' ')
	{
		appendStringInfoString(out, channel);
		return;
	}
	appendStringInfoChar(out, '"');
	for (c = channel; *c; c++)
	{
		if (*c == '"')
			appendStringInfoChar(out, '"');
		appendStringInfoChar(out, *c);
	}
	appendStringInfoChar(out, '"');
}

void
mmm_options_canonical(const MmmOptions *o, StringInfo out)
{
	int			i;

	appendStringInfo(out, "adstock=%s, saturation=%s",
					 adstock_names[o->adstock], saturation_names[o->saturation]);
	if (o->adstock != MMM_ADSTOCK_GEOMETRIC)
		appendStringInfo(out, ", max_lag=%d", o->max_lag);
	appendStringInfo(out, ", trend=%s, seasonality=", trend_names[o->trend ? 1 : 0]);
	if (o->season_auto)
		appendStringInfoString(out, "auto");
	else if (o->yearly_order == 0 && o->weekly_order == 0)
		appendStringInfoString(out, "none");
	else
	{
		if (o->yearly_order > 0)
			appendStringInfo(out, "yearly(order=%d)", o->yearly_order);
		if (o->yearly_order > 0 && o->weekly_order > 0)
			appendStringInfoChar(out, '+');
		if (o->weekly_order > 0)
			appendStringInfo(out, "weekly(order=%d)", o->weekly_order);
	}
	appendStringInfo(out, ", holdout=%d, bootstrap=%d, seed=" INT64_FORMAT ", confidence=",
					 o->holdout, o->bootstrap, o->seed);
	mmm_append_double(out, o->confidence);
	appendStringInfoString(out, ", ridge=");
	if (o->ridge < 0.0)
		appendStringInfoString(out, "auto");
	else
		mmm_append_double(out, o->ridge);
	if (o->adstock == MMM_ADSTOCK_GEOMETRIC)
	{
		appendStringInfoString(out, ", decay=");
		append_range(out, o->range[MMM_PARAM_DECAY]);
	}
	else
	{
		appendStringInfoString(out, ", shape=");
		append_range(out, o->range[MMM_PARAM_SHAPE]);
		appendStringInfoString(out, ", scale=");
		append_range(out, o->range[MMM_PARAM_SCALE]);
	}
	if (o->saturation == MMM_SATURATION_HILL)
	{
		appendStringInfoString(out, ", slope=");
		append_range(out, o->range[MMM_PARAM_SLOPE]);
	}
	appendStringInfoString(out, ", saturation_range=");
	mmm_append_double(out, o->saturation_range.lo);
	appendStringInfoString(out, "..");
	mmm_append_double(out, o->saturation_range.hi);
	for (i = 0; i < o->nchannel; i++)
	{
		appendStringInfo(out, ", %s(", mmm_param_names[o->channel[i].param]);
		append_channel(out, o->channel[i].channel);
		appendStringInfoString(out, ")=");
		append_range(out, o->channel[i].range);
	}
}

MmmRange
mmm_options_range(const MmmOptions *o, const char *channel, MmmParam param,
				  bool *channel_specific)
{
	int			i;

	for (i = 0; i < o->nchannel; i++)
		if (o->channel[i].param == param && strcmp(o->channel[i].channel, channel) == 0)
		{
			if (channel_specific)
				*channel_specific = true;
			return o->channel[i].range;
		}
	if (channel_specific)
		*channel_specific = false;
	return o->range[param];
}

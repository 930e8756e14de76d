/*
 * mmm_options.h
 *		The options text of mmm_fit: parsing, validation and the canonical
 *		form stored in a model.
 */
#ifndef SOCROI_MMM_OPTIONS_H
#define SOCROI_MMM_OPTIONS_H

#include "postgres.h"

#include "lib/stringinfo.h"

#include "common/state_io.h"

#include "mmm/mmm_transforms.h"

/* a search range; lo == hi fixes the parameter */
typedef struct MmmRange
{
	double		lo;
	double		hi;
} MmmRange;

/* nonlinear parameters that take bounds, globally or per channel */
typedef enum MmmParam
{
	MMM_PARAM_DECAY = 0,		/* geometric adstock */
	MMM_PARAM_SHAPE,			/* Weibull adstock */
	MMM_PARAM_SCALE,			/* Weibull adstock, periods */
	MMM_PARAM_SLOPE,			/* Hill */
	MMM_PARAM_HALF_SATURATION,	/* per channel only: cost units */
	MMM_NPARAMS
} MmmParam;

extern const char *const mmm_param_names[MMM_NPARAMS];

typedef struct MmmChannelOption
{
	char	   *channel;
	MmmParam	param;
	MmmRange	range;
} MmmChannelOption;

typedef struct MmmOptions
{
	MmmAdstockKind adstock;
	MmmSaturationKind saturation;
	int			max_lag;		/* Weibull window, periods */
	bool		trend;
	bool		season_auto;	/* seasonality=auto: decided from the data */
	int			yearly_order;	/* Fourier pairs, 0 = none */
	int			weekly_order;
	int			holdout;
	int			bootstrap;
	int64		seed;
	double		confidence;
	double		ridge;			/* < 0: chosen by cross-validation */
	MmmRange	range[MMM_NPARAMS]; /* global bounds (half_saturation unused) */
	MmmRange	saturation_range;	/* half-saturation / mean adstocked spend */
	int			nchannel;
	MmmChannelOption *channel;
} MmmOptions;

#define MMM_MAX_ORDER 26
#define MMM_MAX_BOOTSTRAP 10000

/* parse (ERROR 22023 on anything malformed); NULL or "" gives the defaults */
extern void mmm_options_parse(const char *text, MmmOptions *options);

/* parse options stored in a state or model: malformed -> the reader's error */
extern void mmm_options_parse_stored(StateReader *r, const char *text,
									 MmmOptions *options);

/* the canonical text, every option spelled out */
extern void mmm_options_canonical(const MmmOptions *options, StringInfo out);

/* the bounds of a parameter for a channel (its own, else the global ones) */
extern MmmRange mmm_options_range(const MmmOptions *options,
								  const char *channel, MmmParam param,
								  bool *channel_specific);

/* append a double in shortest round-trip form */
extern void mmm_append_double(StringInfo out, double value);

#endif							/* SOCROI_MMM_OPTIONS_H */

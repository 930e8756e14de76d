/*
 * mmm_fit_final.c
 *		The final function of the mmm_fit aggregate: the state's data, the
 *		options, the fit (mmm_fit.c), the bootstrap when asked for
 *		(mmm_bootstrap.c), and the model value that keeps them
 *		(mmm_model.c).
 */
#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"

#include "mmm/mmm_bootstrap.h"
#include "mmm/mmm_data.h"
#include "mmm/mmm_fit.h"
#include "mmm/mmm_model.h"
#include "mmm/mmm_options.h"

PG_FUNCTION_INFO_V1(socroi_mmm_fit_final);

Datum
socroi_mmm_fit_final(PG_FUNCTION_ARGS)
{
	MmmModel   *m;
	MmmData    *d;
	char	   *options;
	StringInfoData canonical;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	m = palloc0(sizeof(MmmModel));
	d = mmm_state_data(fcinfo, 0, &options);
	mmm_options_parse(options, &m->options);
	mmm_prepare(d, &m->options);
	m->data = *d;
	m->fit = *mmm_fit_model(d, &m->options);
	initStringInfo(&canonical);
	mmm_options_canonical(&m->options, &canonical);
	m->options_text = canonical.data;
	if (m->options.bootstrap > 0)
		mmm_bootstrap(m);
	PG_RETURN_DATUM(mmm_model_datum(m));
}

/*
 * clv_periods.c
 *		Time units of customer_summary (see clv_summary.c for the
 *		definitions of recency and t): a fixed interval -- periods are days,
 *		or the unit itself below a day; a month counts 365.25/12 days, as
 *		PostgreSQL counts an interval's epoch -- or calendar periods (day,
 *		week Monday to Sunday, month, quarter, year), like pandas'
 *		to_period(freq) in lifetimes.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "clv/clv_periods.h"

static const char *const calendar_names[] = {"", "day", "week", "month", "quarter", "year"};

/*
 * A time unit is valid when no part of it is negative and it is not zero:
 * mixed signs ('1 mon -30 days') have no fixed length.  A unit shorter than
 * a day then has no month or day part, so periods divide by its time alone.
 */
bool
clv_unit_is_valid(const Interval *unit)
{
	return unit->month >= 0 && unit->day >= 0 && unit->time >= 0 &&
		(unit->month > 0 || unit->day > 0 || unit->time > 0);
}

/* the unit's length in microseconds; ERROR unless valid */
double
clv_unit_usecs(const Interval *unit)
{
	if (!clv_unit_is_valid(unit))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time_unit must be a positive interval without negative parts, got %s",
						DatumGetCString(DirectFunctionCall1(interval_out,
															IntervalPGetDatum(unconstify(Interval *, unit))))),
				 errhint("Use e.g. '1 day' or '7 days'.")));
	return (double) unit->time + (double) unit->day * USECS_PER_DAY +
		(double) unit->month * DAYS_PER_AVERAGE_MONTH * USECS_PER_DAY;
}

/* the period of a timestamp, on the local clock of the session time zone */
int64
clv_period_of(TimestampTz ts, const Interval *unit, int32 calendar)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;
	int64		local,
				day;

	if (timestamp2tm(ts, &tz, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	local = ts - (int64) tz * USECS_PER_SEC;	/* tz is seconds west of UTC */
	switch (calendar)
	{
		case CALENDAR_NONE:
			break;
		case CALENDAR_DAY:
			return clv_floor_div(local, USECS_PER_DAY);
		case CALENDAR_WEEK:
			/* Monday to Sunday (pandas 'W' = 'W-SUN'); 2000-01-03 was a Monday */
			day = clv_floor_div(local, USECS_PER_DAY);
			return clv_floor_div(day - 2, 7);
		case CALENDAR_MONTH:
			return (int64) tm.tm_year * 12 + tm.tm_mon - 1;
		case CALENDAR_QUARTER:
			return (int64) tm.tm_year * 4 + (tm.tm_mon - 1) / 3;
		case CALENDAR_YEAR:
			return (int64) tm.tm_year;
	}
	if (clv_unit_is_subday(unit))
		return clv_floor_div(local, unit->time);	/* 0 < time < 1 day */
	return clv_floor_div(local, USECS_PER_DAY);
}

/* length of one period, in units */
double
clv_period_length(const Interval *unit, int32 calendar)
{
	if (calendar != CALENDAR_NONE || clv_unit_is_subday(unit))
		return 1.0;
	return (double) USECS_PER_DAY / clv_unit_usecs(unit);
}

Interval
clv_one_day(void)
{
	Interval	unit = {0};

	unit.day = 1;
	return unit;
}

/*
 * A time_unit given as text: a calendar period name (day, week, month,
 * quarter, year, also plural and in any case), else an interval literal.
 */
void
clv_unit_from_text(text *unit_text, Interval *unit, int32 *calendar)
{
	char	   *str = text_to_cstring(unit_text);
	char	   *name = str;
	int			len,
				i;

	while (*name == ' ')
		name++;
	len = strlen(name);
	while (len > 0 && name[len - 1] == ' ')
		len--;
	if (len > 1 && (name[len - 1] == 's' || name[len - 1] == 'S'))
		len--;					/* plural */
	for (i = CALENDAR_DAY; i <= CALENDAR_YEAR; i++)
		if ((int) strlen(calendar_names[i]) == len &&
			pg_strncasecmp(name, calendar_names[i], len) == 0)
		{
			*calendar = i;
			*unit = clv_one_day();
			return;
		}
	*calendar = CALENDAR_NONE;
	*unit = *DatumGetIntervalP(DirectFunctionCall3(interval_in, CStringGetDatum(str),
												   ObjectIdGetDatum(InvalidOid),
												   Int32GetDatum(-1)));
}


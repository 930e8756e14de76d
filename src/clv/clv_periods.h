/*
 * clv_periods.h
 *		Time units of customer_summary: intervals and calendar periods, and
 *		the period a timestamp falls in (clv_periods.c).
 */
#ifndef SOCROI_CLV_PERIODS_H
#define SOCROI_CLV_PERIODS_H

#include "datatype/timestamp.h"

#define DAYS_PER_AVERAGE_MONTH (365.25 / 12.0)

/* calendar units; CALENDAR_NONE: the interval unit */
typedef enum Calendar
{
	CALENDAR_NONE = 0,
	CALENDAR_DAY,
	CALENDAR_WEEK,
	CALENDAR_MONTH,
	CALENDAR_QUARTER,
	CALENDAR_YEAR
} Calendar;

/* an interval with no negative part that is not zero */
extern bool clv_unit_is_valid(const Interval *unit);

/* the unit's length in microseconds; ERROR unless valid */
extern double clv_unit_usecs(const Interval *unit);

/* periods are days for units of a day or more, else the unit itself */
static inline bool
clv_unit_is_subday(const Interval *unit)
{
	return unit->month == 0 && unit->day == 0 && unit->time < USECS_PER_DAY;
}

/* floor(a / b), b > 0 */
static inline int64
clv_floor_div(int64 a, int64 b)
{
	int64		q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* the period of a timestamp, on the local clock of the session time zone */
extern int64 clv_period_of(TimestampTz ts, const Interval *unit, int32 calendar);

/* length of one period, in units */
extern double clv_period_length(const Interval *unit, int32 calendar);

/* the interval '1 day' */
extern Interval clv_one_day(void);

/*
 * A time_unit given as text: a calendar period name (day, week, month,
 * quarter, year, also plural and in any case), else an interval literal.
 */
extern void clv_unit_from_text(text *unit_text, Interval *unit, int32 *calendar);

#endif							/* SOCROI_CLV_PERIODS_H */

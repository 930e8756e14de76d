/*
 * option_list.h
 *		Option lists written as text, read once (option_list.c): the
 *		"key=value, key=value" options of journeys() and the transforms of
 *		path_transform(), and fixed-length intervals in them.
 *
 * Grammar (keys case-insensitive, blanks allowed between tokens):
 *     list   := [ option { ',' option } ]
 *     option := key '=' value
 *     key    := [A-Za-z_][A-Za-z0-9_]*
 *     value  := '"' { char | '""' } '"'  |  bare text up to ',' or ')'
 * Readers never raise: they return false with *error (and *hint when there
 * is one) set, and the caller raises with its own SQLSTATE.
 */
#ifndef SOCROI_OPTION_LIST_H
#define SOCROI_OPTION_LIST_H

#include "postgres.h"

#include "lib/stringinfo.h"

#define SOCROI_OPTION_KEY_LEN 32

typedef struct SocroiOption
{
	char		key[SOCROI_OPTION_KEY_LEN];	/* lower case */
	char	   *value;			/* palloc'd, NUL-terminated */
	int			len;			/* bytes of value (a NUL inside is an error) */
} SocroiOption;

/* skip blanks */
extern const char *socroi_skip_blanks(const char *p);

/*
 * An identifier, lower-cased into buf (an empty string when longer than
 * bufsize - 1, so it matches no known key); NULL when p starts none.
 */
extern const char *socroi_read_word(const char *p, char *buf, int bufsize);

/* what is wrong with an option value, if anything */
typedef enum SocroiValueProblem
{
	SOCROI_VALUE_OK,
	SOCROI_VALUE_UNTERMINATED,	/* '"' without its closing quote */
	SOCROI_VALUE_MISSING,		/* nothing before ',' or ')' */
	SOCROI_VALUE_NEEDS_QUOTES	/* bare text with '(' or '"' in it */
} SocroiValueProblem;

/*
 * One value at p (grammar above): the position after it, with the value
 * (palloc'd, NUL-terminated) in *value and *len; or NULL with *problem set
 * and what was read in *value and *len (for SOCROI_VALUE_NEEDS_QUOTES, the
 * bare text, for the caller's message).  Callers word the messages
 * (socroi_value_problem_message).
 */
extern const char *socroi_scan_option_value(const char *p, char **value,
											int *len,
											SocroiValueProblem *problem);

/*
 * A value's problem in a caller's words: unterminated and missing are whole
 * messages; a value that needs quotes reads
 * <quote_before> "<value>" <quote_after>.
 */
typedef struct SocroiValueWords
{
	const char *unterminated;
	const char *missing;
	const char *quote_before;
	const char *quote_after;
} SocroiValueWords;

/* the message of problem (not SOCROI_VALUE_OK) about value[0..len) */
extern const char *socroi_value_problem_message(SocroiValueProblem problem,
												const char *value, int len,
												const SocroiValueWords *words);

/*
 * Read an option list starting at *pp; stops at the end of the string or,
 * when in_parens, at the closing ')' (which is consumed).  what names the
 * list in messages ("journeys option").  On success *opts (palloc'd) holds
 * *nopts options in the order written and *pp points after the list.
 */
extern bool socroi_read_options(const char **pp, bool in_parens,
								const char *what, SocroiOption **opts,
								int *nopts, const char **error,
								const char **hint);

/*
 * An interval, read by PostgreSQL's interval input, as fixed microseconds:
 * a day counts 24 hours, months and years are refused (their length
 * varies), and it must be positive.  Messages name "<what> <key>".
 */
extern bool socroi_parse_interval_us(const char *what, const char *key,
									 const char *value, int64 *out,
									 const char **error, const char **hint);

/* an interval in its largest whole unit: "7 days", "36 hours", "1.5 seconds" */
extern void socroi_append_interval(StringInfo buf, int64 us);

/* an integer in [min, max] */
extern bool socroi_parse_int_option(const char *what, const char *key,
									const char *value, int64 min, int64 max,
									int64 *out, const char **error);

/* append a value, double-quoted when it needs to be (',', '(', ')', '"', blanks) */
extern void socroi_append_option_value(StringInfo buf, const char *s, int len);

#endif							/* SOCROI_OPTION_LIST_H */

#include "date.h"

#include <string.h>
#include <time.h>

/*
 * Dates are parsed by hand, never with strptime: month and day names are
 * English whatever the user's locale, and a reader that guesses wrong is
 * worse than one that says "no date".  The scanner walks the string once
 * and tries each pattern at the start of every word; the first (leftmost)
 * pattern that yields a real calendar date wins.
 */

/* What one match found; off is the zone's offset east of UTC in seconds. */
struct when {
	int year, mon, day;     /* mon 1..12 */
	int hour, min, sec;
	long off;
	bool month_only;
	const char *end;        /* just past the month and year */
};

static const char *const months[12] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december",
};

/* Zone names RFC 822 and feeds use, with their offsets in hours. */
static const struct zone {
	const char *name;
	int hours;
} zones[] = {
	{ "UT", 0 }, { "UTC", 0 }, { "GMT", 0 }, { "Z", 0 }, { "BST", 1 },
	{ "IST", 1 }, { "CET", 1 }, { "CEST", 2 }, { "EST", -5 },
	{ "EDT", -4 }, { "CST", -6 }, { "CDT", -5 }, { "MST", -7 },
	{ "MDT", -6 }, { "PST", -8 }, { "PDT", -7 },
};

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c | 0x20) : c;
}

static const char *
skip_blank(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	/* NBSP (C2 A0), common in council pages between day and month. */
	while ((unsigned char)p[0] == 0xc2 && (unsigned char)p[1] == 0xa0) {
		p += 2;
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
	}
	return p;
}

/* Reads a run of digits of length lo..hi not followed by another digit;
 * returns the position after it, or NULL. */
static const char *
read_num(const char *p, int lo, int hi, int *val)
{
	int n = 0, v = 0;

	while (is_digit(p[n]) && n <= hi) {
		v = v * 10 + (p[n] - '0');
		n++;
	}
	if (n < lo || n > hi)
		return NULL;
	*val = v;
	return p + n;
}

/* Length of the letter word at p. */
static size_t
word_len(const char *p)
{
	size_t n = 0;

	while (is_letter(p[n]))
		n++;
	return n;
}

static bool
word_is(const char *p, size_t n, const char *w)
{
	size_t i;

	if (strlen(w) != n)
		return false;
	for (i = 0; i < n; i++)
		if (lower(p[i]) != w[i])
			return false;
	return true;
}

/* Reads a month name (full, three-letter, or "Sept", with an optional
 * '.') at p.  In strict mode it must start with a capital, so the verb
 * "may" is not taken for a month.  Returns the position after it. */
static const char *
read_month(const char *p, bool strict, int *mon)
{
	size_t n = word_len(p), i;

	if (n < 3 || (strict && !(p[0] >= 'A' && p[0] <= 'Z')))
		return NULL;
	for (i = 0; i < 12; i++) {
		if (word_is(p, n, months[i]) || (n == 3 &&
		    lower(p[0]) == months[i][0] && lower(p[1]) == months[i][1] &&
		    lower(p[2]) == months[i][2]) ||
		    (i == 8 && word_is(p, n, "sept"))) {
			*mon = (int)i + 1;
			p += n;
			if (*p == '.')
				p++;
			return p;
		}
	}
	return NULL;
}

/* Reads a day of the month with an optional ordinal suffix ("15th"). */
static const char *
read_day(const char *p, int *day)
{
	/* Out-of-range days are read, so "32 January 2020" is rejected as a
	 * whole by valid() rather than misread as "January 2020". */
	if (!(p = read_num(p, 1, 2, day)))
		return NULL;
	if ((word_is(p, 2, "st") || word_is(p, 2, "nd") ||
	    word_is(p, 2, "rd") || word_is(p, 2, "th")) && !is_letter(p[2]))
		p += 2;
	if (is_letter(*p))
		return NULL;
	return p;
}

/* Reads a year: four digits, or in lenient mode two (RFC 822's "25" is
 * 2025; 70 and later are the 1900s). */
static const char *
read_year(const char *p, bool strict, int *year)
{
	const char *q = read_num(p, 4, 4, year);

	if (q)
		return is_letter(*q) ? NULL : q;
	if (strict || !(q = read_num(p, 2, 2, year)) || is_letter(*q))
		return NULL;
	/* "10 Oct 25:00" is not a year; a two-digit year ends the date. */
	if (*q == ':' || *q == '-' || *q == '/' || *q == '.')
		return NULL;
	*year += *year < 70 ? 2000 : 1900;
	return q;
}

/* Reads a zone after a time: +hhmm, +hh:mm, +hh, a name, or a military
 * letter (taken as UTC, as RFC 2822 advises). */
static const char *
read_zone(const char *p, long *off)
{
	const char *q = skip_blank(p);
	int hh, mm = 0, sign;
	size_t n, i;

	if (*q == '+' || *q == '-') {
		sign = *q == '-' ? -1 : 1;
		if (!(p = read_num(q + 1, 2, 4, &hh)))
			return NULL;
		if (p - q == 5) {
			mm = hh % 100;
			hh /= 100;
		} else if (p - q != 3) {
			return NULL;
		} else if (*p == ':' && (q = read_num(p + 1, 2, 2, &mm))) {
			p = q;
		}
		if (hh > 14 || mm > 59)
			return NULL;
		*off = sign * (hh * 3600L + mm * 60L);
		return p;
	}
	n = word_len(q);
	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		if (n == strlen(zones[i].name) &&
		    !memcmp(q, zones[i].name, n)) {
			*off = zones[i].hours * 3600L;
			return q + n;
		}
	}
	if (n == 1 && q[0] >= 'A' && q[0] <= 'Z' && q[0] != 'J') {
		*off = 0;
		return q + 1;
	}
	return NULL;
}

/* Reads an optional time after a date: [T|,|at] hh:mm[:ss[.frac]]
 * [am|pm] [zone].  Leaves w's time at midnight UTC when there is none. */
static void
read_time(const char *p, struct when *w)
{
	int h, m, s = 0;
	const char *q;
	size_t n;

	if (*p == 'T' || *p == 't') {
		p++;
	} else {
		p = skip_blank(p);
		if (*p == ',')
			p = skip_blank(p + 1);
		if (word_is(p, word_len(p), "at"))
			p = skip_blank(p + 2);
	}
	if (!(p = read_num(p, 1, 2, &h)) || *p != ':' ||
	    !(p = read_num(p + 1, 2, 2, &m)))
		return;
	if (*p == ':' && (q = read_num(p + 1, 2, 2, &s)))
		p = q;
	if (*p == '.' || *p == ',')
		for (p++; is_digit(*p); p++)
			;
	q = skip_blank(p);
	n = word_len(q);
	if (h >= 1 && h <= 12 && (word_is(q, n, "am") || word_is(q, n, "pm"))) {
		h = h % 12 + (lower(q[0]) == 'p' ? 12 : 0);
		p = q + 2;
	}
	if (h > 23 || m > 59 || s > 60)
		return;
	w->hour = h;
	w->min = m;
	w->sec = s > 59 ? 59 : s;
	if (*p == 'Z' || *p == 'z') {
		w->off = 0;
		return;
	}
	read_zone(p, &w->off);
}

/* ISO 8601 / RFC 3339: YYYY-MM-DD, then an optional time and zone. */
static bool
try_iso(const char *p, struct when *w)
{
	if (!(p = read_num(p, 4, 4, &w->year)) || *p != '-' ||
	    !(p = read_num(p + 1, 2, 2, &w->mon)) || *p != '-' ||
	    !(p = read_num(p + 1, 2, 2, &w->day)) ||
	    (is_letter(*p) && *p != 'T' && *p != 't'))
		return false;
	w->end = p;
	read_time(p, w);
	return true;
}

/* Skips what may stand between a day and a month: spaces, "of", '-'. */
static const char *
skip_day_month(const char *p)
{
	if (*p == '-' || *p == '/' || *p == '.') {
		if (is_letter(p[1]))
			return p + 1;
	}
	p = skip_blank(p);
	if (word_is(p, word_len(p), "of"))
		p = skip_blank(p + 2);
	return p;
}

/* Skips a range joiner between two days: "to", "and", "-", "–", "—", "&". */
static const char *
skip_range(const char *p)
{
	p = skip_blank(p);
	if (word_is(p, word_len(p), "to") || word_is(p, word_len(p), "and"))
		return skip_blank(p + word_len(p));
	if (*p == '-' || *p == '&')
		return skip_blank(p + 1);
	if (!strncmp(p, "\xe2\x80\x93", 3) || !strncmp(p, "\xe2\x80\x94", 3))
		return skip_blank(p + 3);
	return NULL;
}

/* "10 Oct 2025", "15th November 2019", "2nd of May 2019",
 * "10-Oct-2025", and the ranges "4 to 7 December 2017" and "5 and 9 March
 * 2018", which give their first day. */
static bool
try_dmy(const char *p, bool strict, struct when *w)
{
	const char *q;
	int last;

	if (!(p = read_day(p, &w->day)))
		return false;
	if ((q = skip_range(p)) && (q = read_day(q, &last)) && last > w->day)
		p = q;
	p = skip_day_month(p);
	if (!(p = read_month(p, strict, &w->mon)))
		return false;
	if (*p == '-' || *p == '/')
		p++;
	else
		p = skip_blank(*p == ',' ? p + 1 : p);
	if (!(q = read_year(p, strict, &w->year))) {
		struct when next;

		/* "30 November to 2 December 2019": the year comes later. */
		memset(&next, 0, sizeof(next));
		if (!(q = skip_range(p)) || !try_dmy(q, strict, &next))
			return false;
		w->year = next.year;
		w->end = next.end;
		return true;
	}
	w->end = q;
	read_time(q, w);
	return true;
}

/* "November 15, 2019", "April 28 2023", "Nov 15th, 2019", and "November
 * 2023" (month only). */
static bool
try_mdy(const char *p, bool strict, struct when *w)
{
	const char *q;

	if (!(p = read_month(p, strict, &w->mon)))
		return false;
	p = skip_blank(p);
	if ((q = read_day(p, &w->day))) {
		q = skip_blank(*q == ',' ? q + 1 : q);
		q = skip_blank(*q == ',' ? q + 1 : q);
		if ((q = read_num(q, 4, 4, &w->year)) && !is_letter(*q)) {
			w->end = q;
			read_time(q, w);
			return true;
		}
	}
	if (*p == ',')
		p = skip_blank(p + 1);
	if (!(p = read_num(p, 4, 4, &w->year)) || is_letter(*p))
		return false;
	w->day = 1;
	w->month_only = true;
	w->end = p;
	return true;
}

static bool
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Rejects 31 February, month 13 and years outside lo..hi. */
static bool
valid(const struct when *w, int lo, int hi)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};

	if (w->year < lo || w->year > hi || w->mon < 1 || w->mon > 12)
		return false;
	return w->day >= 1 && w->day <= mdays[w->mon - 1] +
	    (w->mon == 2 && leap(w->year));
}

static long long
to_epoch(const struct when *w)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = w->year - 1900;
	tm.tm_mon = w->mon - 1;
	tm.tm_mday = w->day;
	tm.tm_hour = w->hour;
	tm.tm_min = w->min;
	tm.tm_sec = w->sec;
	return (long long)timegm(&tm) - w->off;
}

/* Finds the first date in s; strict is date_find's mode (capitalised
 * month names, four-digit years from 1990 to 2100). */
static long long
date_scan(const char *s, bool strict, bool *month_only)
{
	int lo = strict ? 1990 : 1900, hi = strict ? 2100 : 9999;
	const char *p;
	struct when w;
	bool ok;

	if (month_only)
		*month_only = false;
	if (!s)
		return 0;
	for (p = s; *p; p++) {
		/* Patterns start only at the start of a word or number. */
		if (p > s && (is_letter(p[-1]) || is_digit(p[-1])))
			continue;
		if (!is_letter(*p) && !is_digit(*p))
			continue;
		memset(&w, 0, sizeof(w));
		if (is_digit(*p))
			ok = try_iso(p, &w) || (memset(&w, 0, sizeof(w)),
			    try_dmy(p, strict, &w));
		else
			ok = try_mdy(p, strict, &w);
		if (ok && valid(&w, lo, hi)) {
			if (month_only)
				*month_only = w.month_only;
			return to_epoch(&w);
		}
		/* "31 Feb 2020" is wrong, not "February 2020": skip it all. */
		if (ok && w.end > p)
			p = w.end - 1;
	}
	return 0;
}

long long
date_parse(const char *s, bool *month_only)
{
	return date_scan(s, false, month_only);
}

long long
date_find(const char *s, bool *month_only)
{
	return date_scan(s, true, month_only);
}

char *
date_format(long long t, char *out)
{
	struct tm tm;
	time_t tt = (time_t)t;
	int y;

	out[0] = '\0';
	if (t == 0 || !gmtime_r(&tt, &tm))
		return out;
	y = tm.tm_year + 1900;
	if (y < 0 || y > 9999)
		return out;
	/* By hand: the bounds are known, and snprintf cannot prove them. */
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + (tm.tm_mon + 1) / 10);
	out[6] = (char)('0' + (tm.tm_mon + 1) % 10);
	out[7] = '-';
	out[8] = (char)('0' + tm.tm_mday / 10);
	out[9] = (char)('0' + tm.tm_mday % 10);
	out[10] = '\0';
	return out;
}

#ifndef DATE_H
#define DATE_H

#include <stdbool.h>

/* Parses the dates feeds and council pages carry, and returns seconds since
 * the epoch (UTC), or 0 when s holds no date.  Understood: RFC 822/1123
 * ("Thu, 10 Oct 2025 09:00:00 +0100", obsolete zones like GMT, BST, EST),
 * RFC 3339/ISO 8601 ("2025-10-10T09:00:00Z", "2025-10-10"), "10 Oct 2025",
 * "15th November 2019", "Friday, 15th November 2019", "November 15, 2019",
 * "November 2023" (the 1st of the month), and these anywhere inside a longer
 * string ("Published October 2024", "Roadshows - November 2018").  When
 * month_only is not NULL it is set to true when only month and year were
 * found. */
long long date_parse(const char *s, bool *month_only);

/* Finds a date in a heading or a "Published ..." line: as date_parse, but
 * only accepts text where a date plausibly is (a year between 1990 and
 * 2100). */
long long date_find(const char *s, bool *month_only);

/* Formats t as YYYY-MM-DD into out (at least 11 bytes); "" when t is 0. */
char *date_format(long long t, char *out);

#endif

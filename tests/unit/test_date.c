#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "date.h"

/* The expected instant, from the calendar (timegm is the oracle). */
static long long
at(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = {0};

	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (long long)timegm(&tm);
}

/* date_parse as YYYY-MM-DD ("" for no date), for readable assertions. */
static const char *
parsed(const char *s, char *out)
{
	return date_format(date_parse(s, NULL), out);
}

static const char *
found(const char *s, char *out)
{
	return date_format(date_find(s, NULL), out);
}

static void
date_rfc822_with_numeric_offset(void **state)
{
	assert_int_equal(date_parse("Thu, 10 Oct 2025 09:00:00 +0100", NULL),
	    1760083200LL);
}

static void
date_rfc822_with_negative_offset(void **state)
{
	assert_int_equal(date_parse("Fri, 10 Oct 2025 09:30:00 -0430", NULL),
	    at(2025, 10, 10, 14, 0, 0));
}

static void
date_rfc822_with_gmt(void **state)
{
	assert_int_equal(date_parse("Thu, 10 Oct 2025 09:00:00 GMT", NULL),
	    at(2025, 10, 10, 9, 0, 0));
}

static void
date_rfc822_with_bst(void **state)
{
	assert_int_equal(date_parse("Thu, 10 Oct 2025 09:00:00 BST", NULL),
	    at(2025, 10, 10, 8, 0, 0));
}

static void
date_rfc822_with_ut(void **state)
{
	assert_int_equal(date_parse("Thu, 10 Oct 2025 09:00 UT", NULL),
	    at(2025, 10, 10, 9, 0, 0));
}

static void
date_rfc822_with_est_and_pdt(void **state)
{
	assert_int_equal(date_parse("Thu, 10 Oct 2025 09:00:00 EST", NULL),
	    at(2025, 10, 10, 14, 0, 0));
	assert_int_equal(date_parse("Thu, 10 Oct 2025 09:00:00 PDT", NULL),
	    at(2025, 10, 10, 16, 0, 0));
}

static void
date_rfc822_with_cdt_mst(void **state)
{
	assert_int_equal(date_parse("10 Oct 2025 09:00:00 CDT", NULL),
	    at(2025, 10, 10, 14, 0, 0));
	assert_int_equal(date_parse("10 Oct 2025 09:00:00 MST", NULL),
	    at(2025, 10, 10, 16, 0, 0));
}

static void
date_rfc822_military_zone_is_utc(void **state)
{
	assert_int_equal(date_parse("10 Oct 2025 09:00:00 Z", NULL),
	    at(2025, 10, 10, 9, 0, 0));
	assert_int_equal(date_parse("10 Oct 2025 09:00:00 A", NULL),
	    at(2025, 10, 10, 9, 0, 0));
}

static void
date_rfc822_without_zone_is_utc(void **state)
{
	assert_int_equal(date_parse("Thu, 10 Oct 2025 09:00:00", NULL),
	    at(2025, 10, 10, 9, 0, 0));
}

static void
date_rfc822_two_digit_year_is_2000s(void **state)
{
	char b[16];

	assert_string_equal(parsed("10 Oct 25", b), "2025-10-10");
	assert_int_equal(date_parse("Thu, 10 Oct 25 09:00:00 GMT", NULL),
	    at(2025, 10, 10, 9, 0, 0));
}

static void
date_rfc822_two_digit_year_70_is_1900s(void **state)
{
	char b[16];

	assert_string_equal(parsed("1 Jan 99", b), "1999-01-01");
}

static void
date_rfc822_without_weekday_or_seconds(void **state)
{
	assert_int_equal(date_parse("10 Oct 2025 17:45 +0000", NULL),
	    at(2025, 10, 10, 17, 45, 0));
}

static void
date_rfc822_offset_with_colon(void **state)
{
	assert_int_equal(date_parse("10 Oct 2025 09:00:00 +01:00", NULL),
	    at(2025, 10, 10, 8, 0, 0));
}

static void
date_rfc822_single_digit_day(void **state)
{
	char b[16];

	assert_string_equal(parsed("Wed, 1 Oct 2025 00:00:00 GMT", b),
	    "2025-10-01");
}

static void
date_iso_utc(void **state)
{
	assert_int_equal(date_parse("2025-10-10T09:00:00Z", NULL),
	    at(2025, 10, 10, 9, 0, 0));
}

static void
date_iso_with_offset_and_fraction(void **state)
{
	assert_int_equal(date_parse("2025-10-10T09:00:00.123+01:00", NULL),
	    at(2025, 10, 10, 8, 0, 0));
	assert_int_equal(date_parse("2025-10-10T09:00:00-0500", NULL),
	    at(2025, 10, 10, 14, 0, 0));
}

static void
date_iso_date_only_is_midnight_utc(void **state)
{
	bool mo = true;

	assert_int_equal(date_parse("2025-10-10", &mo),
	    at(2025, 10, 10, 0, 0, 0));
	assert_false(mo);
}

static void
date_iso_with_space_separator(void **state)
{
	assert_int_equal(date_parse("2025-10-10 09:15:00", NULL),
	    at(2025, 10, 10, 9, 15, 0));
}

static void
date_iso_rejects_month_13(void **state)
{
	assert_int_equal(date_parse("2025-13-01", NULL), 0);
}

static void
date_iso_rejects_31_april(void **state)
{
	assert_int_equal(date_parse("2025-04-31T00:00:00Z", NULL), 0);
}

static void
date_day_month_year(void **state)
{
	char b[16];

	assert_string_equal(parsed("10 Oct 2025", b), "2025-10-10");
	assert_string_equal(parsed("10 October 2025", b), "2025-10-10");
}

static void
date_ordinal_day(void **state)
{
	char b[16];

	assert_string_equal(parsed("15th November 2019", b), "2019-11-15");
	assert_string_equal(parsed("1st May 2020", b), "2020-05-01");
	assert_string_equal(parsed("22nd June 2021", b), "2021-06-22");
	assert_string_equal(parsed("3rd March 2022", b), "2022-03-03");
}

static void
date_weekday_and_ordinal(void **state)
{
	char b[16];

	assert_string_equal(parsed("Friday, 15th November 2019", b),
	    "2019-11-15");
}

static void
date_month_day_comma_year(void **state)
{
	char b[16];

	assert_string_equal(parsed("November 15, 2019", b), "2019-11-15");
	assert_string_equal(parsed("Nov 15th, 2019", b), "2019-11-15");
}

static void
date_month_day_year_without_comma(void **state)
{
	char b[16];

	assert_string_equal(found("the surveys close at midnight on April 28 2023",
	    b), "2023-04-28");
}

static void
date_month_year_sets_month_only(void **state)
{
	bool mo = false;

	assert_int_equal(date_parse("November 2023", &mo),
	    at(2023, 11, 1, 0, 0, 0));
	assert_true(mo);
}

static void
date_full_date_clears_month_only(void **state)
{
	bool mo = true;

	assert_int_not_equal(date_parse("15 November 2023", &mo), 0);
	assert_false(mo);
}

static void
date_sept_abbreviation(void **state)
{
	char b[16];

	assert_string_equal(parsed("4 Sept 2019", b), "2019-09-04");
	assert_string_equal(parsed("4 Sep. 2019", b), "2019-09-04");
}

static void
date_dashed_day_month_year(void **state)
{
	char b[16];

	assert_string_equal(parsed("10-Oct-2025", b), "2025-10-10");
}

static void
date_day_of_month(void **state)
{
	char b[16];

	assert_string_equal(parsed("the 2nd of May 2019", b), "2019-05-02");
}

static void
date_rejects_31_february(void **state)
{
	bool mo = true;

	assert_int_equal(date_parse("31 Feb 2020", &mo), 0);
	assert_false(mo);
}

static void
date_accepts_29_february_in_leap_year(void **state)
{
	char b[16];

	assert_string_equal(parsed("29 February 2024", b), "2024-02-29");
	assert_int_equal(date_parse("29 February 2023", NULL), 0);
	assert_string_equal(parsed("29 Feb 2000", b), "2000-02-29");
	assert_int_equal(date_parse("29 Feb 1900", NULL), 0);
}

static void
date_rejects_day_32(void **state)
{
	assert_int_equal(date_parse("32 January 2020", NULL), 0);
}

static void
date_rejects_bad_time_keeps_date(void **state)
{
	assert_int_equal(date_parse("10 Oct 2025 25:61:00 GMT", NULL),
	    at(2025, 10, 10, 0, 0, 0));
}

static void
date_ignores_locale_independent_case(void **state)
{
	char b[16];

	assert_string_equal(parsed("10 OCT 2025", b), "2025-10-10");
	assert_string_equal(parsed("thu, 10 oct 2025", b), "2025-10-10");
}

static void
date_time_with_pm(void **state)
{
	assert_int_equal(date_parse("Friday 15 November 2019 at 2:30pm", NULL),
	    at(2019, 11, 15, 14, 30, 0));
}

static void
date_empty_and_null_are_no_date(void **state)
{
	bool mo = true;

	assert_int_equal(date_parse("", &mo), 0);
	assert_false(mo);
	assert_int_equal(date_parse(NULL, NULL), 0);
	assert_int_equal(date_find("no date here", NULL), 0);
}

static void
date_find_published_month(void **state)
{
	bool mo = false;

	assert_int_equal(date_find("Published October 2024", &mo),
	    at(2024, 10, 1, 0, 0, 0));
	assert_true(mo);
}

static void
date_find_heading_with_dash(void **state)
{
	char b[16];

	assert_string_equal(found("SEND Information Roadshows - November 2018",
	    b), "2018-11-01");
}

static void
date_find_heading_with_en_dash(void **state)
{
	char b[16];

	assert_string_equal(found("High Needs Commissioning Review (HNCR) "
	    "\xe2\x80\x93 September 2018", b), "2018-09-01");
}

static void
date_find_range_takes_first_day(void **state)
{
	char b[16];
	bool mo = true;

	assert_string_equal(found("Peer Review \xe2\x80\x93 4 to 7 December 2017",
	    b), "2017-12-04");
	date_find("Peer Review \xe2\x80\x93 4 to 7 December 2017", &mo);
	assert_false(mo);
}

static void
date_find_range_with_and(void **state)
{
	char b[16];

	assert_string_equal(found("the local area of Worcestershire between 5 "
	    "and 9 March 2018", b), "2018-03-05");
}

static void
date_find_range_across_months(void **state)
{
	char b[16];

	assert_string_equal(found("30 November to 2 December 2019", b),
	    "2019-11-30");
}

static void
date_find_published_weekday_ordinal(void **state)
{
	char b[16];

	assert_string_equal(found("Published Friday, 15th November 2019", b),
	    "2019-11-15");
}

static void
date_find_weekday_without_comma(void **state)
{
	char b[16];

	assert_string_equal(found("The survey will close on Sunday 14 May 2023",
	    b), "2023-05-14");
}

static void
date_find_nbsp_between_parts(void **state)
{
	char b[16];

	assert_string_equal(found("Published 4\xc2\xa0March\xc2\xa0" "2020", b),
	    "2020-03-04");
}

static void
date_find_ignores_bare_year(void **state)
{
	assert_int_equal(date_find("SEND Inspection Report 2018", NULL), 0);
}

static void
date_find_ignores_year_range(void **state)
{
	assert_int_equal(date_find("between 2018 \xe2\x80\x93 2021 to help", NULL),
	    0);
}

static void
date_find_ignores_money(void **state)
{
	assert_int_equal(date_find("The Government has committed \xc2\xa3"
	    "1,085,665 of capital funding", NULL), 0);
}

static void
date_find_ignores_ages_and_counts(void **state)
{
	assert_int_equal(date_find("120 full time places for pupils aged 5-19",
	    NULL), 0);
}

static void
date_find_ignores_lowercase_may(void **state)
{
	assert_int_equal(date_find("you may 2019 be asked", NULL), 0);
}

static void
date_find_ignores_month_word_prefixes(void **state)
{
	assert_int_equal(date_find("Mayor 2019 and Augusta 2020", NULL), 0);
}

static void
date_find_requires_four_digit_year(void **state)
{
	assert_int_equal(date_find("10 Oct 25", NULL), 0);
}

static void
date_find_rejects_year_outside_1990_2100(void **state)
{
	assert_int_equal(date_find("Founded in March 1905", NULL), 0);
	assert_int_equal(date_find("1 January 2101", NULL), 0);
	assert_int_not_equal(date_parse("March 1905", NULL), 0);
}

static void
date_find_first_of_two_dates(void **state)
{
	char b[16];

	assert_string_equal(found("September 2024 \xe2\x80\x93 August 2025 "
	    "payment schedule", b), "2024-09-01");
}

static void
date_find_skips_impossible_then_finds_next(void **state)
{
	char b[16];

	assert_string_equal(found("31 February 2020, moved to 3 March 2020", b),
	    "2020-03-03");
}

static void
date_find_does_not_match_inside_numbers(void **state)
{
	assert_int_equal(date_find("ref 123 March2019x", NULL), 0);
}

static void
date_find_iso_inside_text(void **state)
{
	char b[16];

	assert_string_equal(found("Updated: 2024-07-01 by the SEND team", b),
	    "2024-07-01");
}

static void
date_format_gives_iso_day(void **state)
{
	char b[16];

	assert_string_equal(date_format(at(2019, 11, 15, 23, 59, 59), b),
	    "2019-11-15");
	assert_string_equal(date_format(1, b), "1970-01-01");
}

static void
date_format_zero_is_empty(void **state)
{
	char b[16] = "junk";

	assert_string_equal(date_format(0, b), "");
}

static void
date_format_returns_out(void **state)
{
	char b[16];

	assert_ptr_equal(date_format(at(2020, 1, 2, 0, 0, 0), b), b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(date_rfc822_with_numeric_offset),
		cmocka_unit_test(date_rfc822_with_negative_offset),
		cmocka_unit_test(date_rfc822_with_gmt),
		cmocka_unit_test(date_rfc822_with_bst),
		cmocka_unit_test(date_rfc822_with_ut),
		cmocka_unit_test(date_rfc822_with_est_and_pdt),
		cmocka_unit_test(date_rfc822_with_cdt_mst),
		cmocka_unit_test(date_rfc822_military_zone_is_utc),
		cmocka_unit_test(date_rfc822_without_zone_is_utc),
		cmocka_unit_test(date_rfc822_two_digit_year_is_2000s),
		cmocka_unit_test(date_rfc822_two_digit_year_70_is_1900s),
		cmocka_unit_test(date_rfc822_without_weekday_or_seconds),
		cmocka_unit_test(date_rfc822_offset_with_colon),
		cmocka_unit_test(date_rfc822_single_digit_day),
		cmocka_unit_test(date_iso_utc),
		cmocka_unit_test(date_iso_with_offset_and_fraction),
		cmocka_unit_test(date_iso_date_only_is_midnight_utc),
		cmocka_unit_test(date_iso_with_space_separator),
		cmocka_unit_test(date_iso_rejects_month_13),
		cmocka_unit_test(date_iso_rejects_31_april),
		cmocka_unit_test(date_day_month_year),
		cmocka_unit_test(date_ordinal_day),
		cmocka_unit_test(date_weekday_and_ordinal),
		cmocka_unit_test(date_month_day_comma_year),
		cmocka_unit_test(date_month_day_year_without_comma),
		cmocka_unit_test(date_month_year_sets_month_only),
		cmocka_unit_test(date_full_date_clears_month_only),
		cmocka_unit_test(date_sept_abbreviation),
		cmocka_unit_test(date_dashed_day_month_year),
		cmocka_unit_test(date_day_of_month),
		cmocka_unit_test(date_rejects_31_february),
		cmocka_unit_test(date_accepts_29_february_in_leap_year),
		cmocka_unit_test(date_rejects_day_32),
		cmocka_unit_test(date_rejects_bad_time_keeps_date),
		cmocka_unit_test(date_ignores_locale_independent_case),
		cmocka_unit_test(date_time_with_pm),
		cmocka_unit_test(date_empty_and_null_are_no_date),
		cmocka_unit_test(date_find_published_month),
		cmocka_unit_test(date_find_heading_with_dash),
		cmocka_unit_test(date_find_heading_with_en_dash),
		cmocka_unit_test(date_find_range_takes_first_day),
		cmocka_unit_test(date_find_range_with_and),
		cmocka_unit_test(date_find_range_across_months),
		cmocka_unit_test(date_find_published_weekday_ordinal),
		cmocka_unit_test(date_find_weekday_without_comma),
		cmocka_unit_test(date_find_nbsp_between_parts),
		cmocka_unit_test(date_find_ignores_bare_year),
		cmocka_unit_test(date_find_ignores_year_range),
		cmocka_unit_test(date_find_ignores_money),
		cmocka_unit_test(date_find_ignores_ages_and_counts),
		cmocka_unit_test(date_find_ignores_lowercase_may),
		cmocka_unit_test(date_find_ignores_month_word_prefixes),
		cmocka_unit_test(date_find_requires_four_digit_year),
		cmocka_unit_test(date_find_rejects_year_outside_1990_2100),
		cmocka_unit_test(date_find_first_of_two_dates),
		cmocka_unit_test(date_find_skips_impossible_then_finds_next),
		cmocka_unit_test(date_find_does_not_match_inside_numbers),
		cmocka_unit_test(date_find_iso_inside_text),
		cmocka_unit_test(date_format_gives_iso_day),
		cmocka_unit_test(date_format_zero_is_empty),
		cmocka_unit_test(date_format_returns_out),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests of deadline.c: closing dates found in post texts, the days left
 * and the "Closing soon" order.  Each phrasing of the table is a test of
 * its own, named after what it proves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "deadline.h"
#include "post.h"
#include "util.h"

struct phrasing {
	const char *name;
	const char *text;
	const char *posted;   /* the post's date, YYYY-MM-DD or "" */
	const char *want;     /* the deadline's day, or "" for none */
};

static const struct phrasing cases[] = {
	/* Real sentences from the council's pages. */
	{ "seed_surveys_close_at_midnight_on_month_day_year",
	  "The surveys close at midnight on April 28 2023.", "2023-03-01", "2023-04-28" },
	{ "seed_survey_will_close_on_weekday_day_month_year",
	  "The survey will close on Sunday 14 May 2023.", "2023-03-01", "2023-05-14" },
	/* Closing words. */
	{ "closes_on_day_month_takes_the_posts_year",
	  "The consultation closes on 3 March.", "2024-01-10", "2024-03-03" },
	{ "closes_on_day_month_already_past_takes_next_year",
	  "The consultation closes on 3 March.", "2024-04-01", "2025-03-03" },
	{ "closes_on_the_posts_own_day_is_that_day",
	  "Nominations close on 3 March.", "2024-03-03", "2024-03-03" },
	{ "closes_on_29_february_finds_the_leap_year",
	  "Applications close on 29 February.", "2023-03-01", "2024-02-29" },
	{ "deadline_colon_uk_numeric_date_is_day_first",
	  "deadline: 12/05/2024", "2024-04-01", "2024-05-12" },
	{ "deadline_two_digit_year",
	  "Deadline: 12/05/24.", "2024-04-01", "2024-05-12" },
	{ "deadline_dotted_date",
	  "Deadline 12.05.2024", "2024-04-01", "2024-05-12" },
	{ "deadline_iso_date",
	  "Deadline for responses: 2024-05-12.", "2024-04-01", "2024-05-12" },
	{ "open_until_weekday_day_month",
	  "The survey is open until Friday 7 June.", "2024-05-20", "2024-06-07" },
	{ "open_until_on_its_own",
	  "open until Friday 7 June", "2024-05-20", "2024-06-07" },
	{ "closing_date_for_applications_is_ordinal",
	  "The closing date for applications is 31st January 2024.", "2023-12-01", "2024-01-31" },
	{ "deadline_with_several_words_between",
	  "Deadline for EHCP annual review paperwork: 1 December 2023", "2023-10-01", "2023-12-01" },
	{ "closes_month_day_ordinal_comma_year",
	  "The survey closes on March 3rd, 2024.", "2024-01-01", "2024-03-03" },
	{ "closes_day_of_month",
	  "The survey closes on the 3rd of March 2024.", "2024-01-01", "2024-03-03" },
	{ "closes_at_time_on_date",
	  "The survey closes at 23:59 on 14 May 2023.", "2023-04-01", "2023-05-14" },
	{ "closes_at_dotted_time_pm",
	  "Bookings close at 5.30pm on Tuesday 9 July 2024.", "2024-06-01", "2024-07-09" },
	{ "closes_at_twelve_noon",
	  "The survey closes at 12 noon on 14 May 2023.", "2023-04-01", "2023-05-14" },
	{ "capitals_do_not_matter",
	  "SURVEY CLOSES 14 MAY 2023", "2023-04-01", "2023-05-14" },
	{ "deadline_extended_takes_the_later_date",
	  "The survey was due to close on 3 May 2024. The deadline has been extended to 20 May 2024.",
	  "2024-04-01", "2024-05-20" },
	{ "two_surveys_the_latest_closing_wins",
	  "The parents' survey closes 3 March 2024; the schools' survey closes 10 March 2024.",
	  "2024-02-01", "2024-03-10" },
	{ "closing_date_end_of_month",
	  "Closing date: end of May 2024", "2024-04-01", "2024-05-31" },
	{ "table_row_closes_cell",
	  "Survey: Parent carers; Closes: 28/04/2023", "2023-03-01", "2023-04-28" },
	{ "cut_off_date",
	  "The cut-off date for claims is 30 September 2024.", "2024-08-01", "2024-09-30" },
	/* "by", "before", "until": only about taking part. */
	{ "complete_the_survey_by_weekday_day_month",
	  "Please complete the survey by Friday 7 June.", "2024-05-20", "2024-06-07" },
	{ "have_your_say_before_date",
	  "Have your say before 30 September 2024.", "2024-09-01", "2024-09-30" },
	{ "responses_no_later_than_time_on_date",
	  "Responses must be received no later than 5pm on 12 May 2024.", "2024-04-01", "2024-05-12" },
	{ "have_your_say_until_time_on_date",
	  "You can have your say until 5pm on 28 April.", "2023-04-01", "2023-04-28" },
	{ "by_the_end_of_month_without_year",
	  "Please send us your feedback by the end of June.", "2024-05-10", "2024-06-30" },
	{ "tell_us_by_numeric_date",
	  "Tell us what you think by 12/05/2024.", "2024-04-01", "2024-05-12" },
	{ "registration_open_from_range_gives_its_end",
	  "Registration is open from 1 May to 14 June 2023.", "2023-04-01", "2023-06-14" },
	{ "survey_open_day_range",
	  "The survey runs from 1 to 14 May 2023, have your say.", "2023-04-01", "2023-05-14" },
	{ "event_then_booking_deadline_gives_the_booking",
	  "The event is on 14 May 2023; book by 7 May 2023.", "2023-04-01", "2023-05-07" },
	/* Every closing word, also in capitals: a quick first pass over the
	 * text must not turn any of them away. */
	{ "cutoff_one_word",
	  "The cutoff is 12 May 2024.", "2024-04-01", "2024-05-12" },
	{ "deadlines_plural",
	  "Deadlines for applications: 12 May 2024.", "2024-04-01", "2024-05-12" },
	{ "survey_ends_on",
	  "The survey ends on 12 May 2024.", "2024-04-01", "2024-05-12" },
	{ "open_till",
	  "The survey is open till 12 May 2024.", "2024-04-01", "2024-05-12" },
	{ "extended_to",
	  "The consultation has been extended to 12 May 2024.", "2024-04-01", "2024-05-12" },
	{ "no_later_than",
	  "Send your comments no later than 12 May 2024.", "2024-04-01", "2024-05-12" },
	{ "before_a_date",
	  "Please complete the survey before 12 May 2024.", "2024-04-01", "2024-05-12" },
	{ "capitals_closes",
	  "THE SURVEY CLOSES ON 12 MAY 2024.", "2024-04-01", "2024-05-12" },
	{ "capitals_deadline",
	  "APPLICATION DEADLINE: 12 MAY 2024", "2024-04-01", "2024-05-12" },
	{ "a_closing_word_after_accented_text",
	  "Caf\xc3\xa9 survey closes on 12 May 2024.", "2024-04-01", "2024-05-12" },
	{ "end_of_a_month_without_a_number",
	  "The survey is open until the end of March.", "2024-01-10", "2024-03-31" },
	{ "link_numbers_beside_the_date",
	  "Complete the survey [1] by 12 May 2024 [2].", "2024-04-01", "2024-05-12" },
	{ "a_date_in_brackets",
	  "The survey closes [12/05/2024].", "2024-04-01", "2024-05-12" },
	/* Not deadlines. */
	{ "not_closed_last_year",
	  "The survey closed last year.", "2024-01-01", "" },
	{ "not_the_nursery_closes_at_3pm",
	  "The nursery closes at 3pm.", "2024-01-01", "" },
	{ "not_the_nursery_closes_on_a_day",
	  "The nursery closes at 3pm on 14 July 2023 for the summer.", "2023-06-01", "" },
	{ "not_schools_close_for_the_holidays",
	  "Schools close on 21 July 2023 for the summer holidays.", "2023-06-01", "" },
	{ "not_an_event_date",
	  "The event takes place on 14 May 2023.", "2023-04-01", "" },
	{ "not_a_published_date",
	  "published 3 March 2023", "2023-03-03", "" },
	{ "not_a_past_closed_on",
	  "The consultation closed on 3 March 2023.", "2023-04-01", "" },
	{ "not_results_published_by",
	  "The survey results will be published by 30 June 2023.", "2023-04-01", "" },
	{ "not_until_without_taking_part",
	  "Roadworks will last until 5 May 2023.", "2023-04-01", "" },
	{ "not_open_on_a_day",
	  "Applications open on 5 May 2023.", "2023-04-01", "" },
	{ "not_closes_in_two_weeks",
	  "The survey closes in two weeks.", "2023-04-01", "" },
	{ "not_a_date_before_the_closing_word",
	  "On 14 May 2023 the survey closes.", "2023-04-01", "" },
	{ "not_an_impossible_date",
	  "Deadline: 31/02/2024", "2024-01-01", "" },
	{ "not_a_yearless_date_with_no_post_date",
	  "The consultation closes on 3 March.", "", "" },
	{ "not_an_event_after_and",
	  "The survey closes soon and the meeting is on 14 May 2023.", "2023-04-01", "" },
	{ "not_a_time_alone",
	  "Please respond by 5pm.", "2023-04-01", "" },
	{ "not_by_a_number_of_people",
	  "The survey was completed by 5 parents.", "2023-04-01", "" },
	{ "not_empty_text",
	  "", "2023-04-01", "" },
};

static long long
day(const char *s)
{
	return *s ? date_parse(s, NULL) : 0;
}

static void
phrasing_test(void **state)
{
	const struct phrasing *c = *state;
	char got[16];

	date_format(deadline_find(c->text, day(c->posted)), got);
	if (strcmp(got, c->want))
		fail_msg("\"%s\" (posted %s): got \"%s\", want \"%s\"", c->text,
		    *c->posted ? c->posted : "-", got, c->want);
}

/* Every month, by name, by its first three letters and in capitals,
 * with no other number: a quick first pass over the text must see them. */
static void
every_month_form_is_read(void **state)
{
	static const char *const names[12] = {
		"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December",
	};
	char text[80], want[32], got[16], up[16];
	int m, form;
	size_t k;

	for (m = 0; m < 12; m++)
		for (form = 0; form < 3; form++) {
			snprintf(up, sizeof(up), "%s", names[m]);
			if (form > 0)
				up[3] = '\0';
			for (k = 0; form == 2 && up[k]; k++)
				up[k] = (char)(up[k] & ~0x20);
			snprintf(text, sizeof(text),
			    "The survey is open until the end of %s.", up);
			snprintf(want, sizeof(want), "2024-%02d-%02d", m + 1,
			    (int)(m == 1 ? 29 : m == 3 || m == 5 || m == 8 ||
			    m == 10 ? 30 : 31));
			date_format(deadline_find(text, day("2024-01-01")), got);
			if (strcmp(got, want))
				fail_msg("\"%s\": got \"%s\", want \"%s\"", text,
				    got, want);
		}
	date_format(deadline_find("The survey closes on 5 Sept.",
	    day("2024-01-01")), got);
	assert_string_equal(got, "2024-09-05");
}

static void
deadline_is_the_last_second_of_the_day(void **state)
{
	long long d = deadline_find("closes on 14 May 2023", 0);

	assert_int_equal(d, day("2023-05-14") + 86399);
}

static void
deadline_find_null_is_none(void **state)
{
	assert_int_equal(deadline_find(NULL, 0), 0);
}

static void
deadline_find_survives_long_hostile_text(void **state)
{
	struct buf b = {0};
	size_t i;

	for (i = 0; i < 20000; i++)
		buf_puts(&b, i % 7 ? "closes \xe2\x80 by 12/ 3 of " : "\x1b[2J 99/99/9999 ;");
	assert_int_equal(deadline_find(b.data, day("2023-01-01")), 0);
	buf_free(&b);
}

static void
describe_says_how_long_is_left(void **state)
{
	long long now = day("2023-04-20") + 12 * 3600;
	char buf[32];

	assert_string_equal(deadline_describe(day("2023-04-20") + 86399, now, buf, sizeof(buf)),
	    "closes today");
	assert_string_equal(deadline_describe(day("2023-04-21") + 86399, now, buf, sizeof(buf)),
	    "closes tomorrow");
	assert_string_equal(deadline_describe(day("2023-04-28") + 86399, now, buf, sizeof(buf)),
	    "closes in 8 days");
	assert_string_equal(deadline_describe(day("2023-04-19") + 86399, now, buf, sizeof(buf)),
	    "closed");
	assert_string_equal(deadline_describe(0, now, buf, sizeof(buf)), "");
}

static void
open_until_the_end_of_its_day(void **state)
{
	long long d = day("2023-04-20") + 86399;

	assert_true(deadline_open(d, day("2023-04-20") + 86000));
	assert_false(deadline_open(d, day("2023-04-21") + 10));
	assert_false(deadline_open(0, day("2023-04-20")));
	assert_int_equal(deadline_days_left(d, day("2023-04-10")), 10);
}

static void
sort_puts_the_soonest_first(void **state)
{
	struct post a = {0}, b = {0}, c = {0};
	struct post *v[3] = {&a, &b, &c};

	a.id = "aaaaaaaaaaaa";
	b.id = "bbbbbbbbbbbb";
	c.id = "cccccccccccc";
	a.deadline = day("2023-05-14") + 86399;
	b.deadline = day("2023-04-28") + 86399;
	c.deadline = a.deadline;
	a.date = day("2023-03-01");
	c.date = day("2023-04-01");
	deadline_sort(v, 3);
	assert_ptr_equal(v[0], &b);
	assert_ptr_equal(v[1], &c);	/* same day: the newer post first */
	assert_ptr_equal(v[2], &a);
}

int
main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(deadline_is_the_last_second_of_the_day),
		cmocka_unit_test(every_month_form_is_read),
		cmocka_unit_test(deadline_find_null_is_none),
		cmocka_unit_test(deadline_find_survives_long_hostile_text),
		cmocka_unit_test(describe_says_how_long_is_left),
		cmocka_unit_test(open_until_the_end_of_its_day),
		cmocka_unit_test(sort_puts_the_soonest_first),
	};
	size_t nc = sizeof(cases) / sizeof(cases[0]), nf = sizeof(fixed) / sizeof(fixed[0]), i;
	struct CMUnitTest *t = xcalloc(nc + nf, sizeof(*t));
	int r;

	/* Days left are counted on the local calendar: pin it to UTC. */
	setenv("TZ", "UTC", 1);
	tzset();
	for (i = 0; i < nc; i++) {
		t[i].name = cases[i].name;
		t[i].test_func = phrasing_test;
		t[i].initial_state = (void *)&cases[i];
	}
	for (i = 0; i < nf; i++)
		t[nc + i] = fixed[i];
	r = _cmocka_run_group_tests("deadline", t, nc + nf, NULL, NULL);
	free(t);
	return r;
}

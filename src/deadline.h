#ifndef DEADLINE_H
#define DEADLINE_H

#include <stdbool.h>
#include <stddef.h>

struct post;

/* Closing dates of surveys, consultations and "have your say" posts, found
 * in a post's plain text ("The survey will close on Sunday 14 May 2023",
 * "deadline: 12/05/2024", "open until Friday 7 June").
 *
 * Convention: a deadline is a calendar day.  It is returned as the last
 * second of that day in UTC (23:59:59), so date_format() gives the day and
 * a deadline is open for the whole of its day; 0 means none.  Whether it
 * is still open is decided on the user's local calendar day
 * (deadline_days_left), never on the hour. */

/* Finds the deadline in text: a date that follows a closing word ("close",
 * "closes", "closing date", "deadline", "open until", "extended to") in the
 * same sentence, or follows "by", "before", "until", "no later than" or a
 * "from ... to ..." range in a sentence about taking part (a survey, a
 * consultation, applications, "have your say", feedback, bookings...).
 * Dates are UK style: "14 May 2023", "Sunday 14th May", "May 14, 2023",
 * "12/05/2024" (12 May), "12.05.24", "2024-05-12", "the end of May".  A date
 * without a year takes the first such day on or after post_date (no
 * year and post_date 0: not a deadline).  Not deadlines: dates before the
 * closing word, "closed on ..." (past), an event's date, a nursery or
 * office that "closes on" a day, results "published by" a date.  When
 * several deadlines are given, the latest wins (an extension, or the last
 * of several surveys).  Returns 0 when there is none. */
long long deadline_find(const char *text, long long post_date);

/* Days from the user's local today (at now) to the deadline's day:
 * 0 today, 1 tomorrow, negative once closed. */
long deadline_days_left(long long deadline, long long now);

/* True when deadline is set and its day is today or later. */
bool deadline_open(long long deadline, long long now);

/* "closes today", "closes tomorrow", "closes in N days" or "closed",
 * written into buf (32 bytes hold any); returns buf, "" when deadline
 * is 0. */
const char *deadline_describe(long long deadline, long long now, char *buf,
    size_t len);

/* Sorts posts by deadline, soonest first (then newest post first, then
 * id): the order of the "Closing soon" list. */
void deadline_sort(struct post **v, size_t n);

#endif

#ifndef OUTPUT_H
#define OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "app.h"
#include "store.h"

/* The non-interactive views: list, show and topics as text for people,
 * TSV and JSON for scripts.  They print to fp and never touch the network;
 * the caller checks ferror(fp). */

enum out_format {
	OUT_TEXT,
	OUT_TSV,
	OUT_JSON,
};

/* Parses "text", "tsv" or "json"; -1 when it is none of them. */
int output_format(const char *name);

/* Posts grouped by topic (a post under each of its topics), newest first.
 * TSV: topic, date, feed, title, link, id, deadline per (topic, post) pair;
 * JSON: an array of posts, each with its topics and deadline (or null). */
void output_list(FILE *fp, struct app *app, const struct filter *fl,
    enum out_format fmt);

/* list --closing: posts of the selection whose deadline is still open at
 * now, soonest first; text says how long is left ("closes in 3 days"),
 * TSV and JSON are the list's (with the deadline column and field). */
void output_closing(FILE *fp, struct app *app, const struct filter *fl,
    enum out_format fmt, long long now);

/* One post in full, text wrapped to width columns (text format).  Of an
 * updated post whose read text is kept, the lines added since it was read
 * (diff.h) follow the text under "Added since you read it:", and are the
 * JSON's "added" (null otherwise). */
void output_show(FILE *fp, struct app *app, struct post *p,
    enum out_format fmt, size_t width);

/* Every topic with its post and unread counts ("Other" last). */
void output_topics(FILE *fp, struct app *app, enum out_format fmt);

/* For a run without a refresh (--offline, read-only): says on fp (stderr)
 * how old the cached data is of every feed last fetched more than a day
 * before now, or never; one line per feed, or one summary line when there
 * are more than OUTPUT_AGE_LINES.  Prints nothing when every feed is
 * fresh, or when no feed was ever fetched (the cache is plainly empty). */
#define OUTPUT_AGE_LINES 5
void output_cache_age(FILE *fp, struct app *app, long long now);

/* The name a feed is shown by (sanitised). */
const char *output_feed_name(const struct app *app, size_t feed, char *tmp,
    size_t tmplen);

#endif

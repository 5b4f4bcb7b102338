#ifndef ADD_H
#define ADD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "feed.h"
#include "fetch.h"
#include "post.h"

/* Adding a council's page or feed to the feeds file (`sendnews add URL`).
 * One transfer tells what the URL is: a feed (RSS, RDF, Atom) is added as
 * it is; an HTML page that advertises feeds (<link rel="alternate"
 * type="application/rss+xml" or "application/atom+xml">) offers them; any
 * other HTML page is shown as the page splitter reads it and added with
 * @type=page once the user agrees.  Nothing here prints or touches the
 * terminal: the flow talks through struct add_io, so the command line and
 * the reader each bring their own prompt.
 *
 * Order: add_run does it all.  A caller with its own loop may instead
 * fetch the body itself, then add_inspect, add_feeds_line and
 * add_append (add_listed first, to refuse a known URL before fetching). */

/* A feed a page advertises. */
struct add_link {
	char *url;           /* absolute */
	char *title;         /* the link's title attribute (sanitised) or NULL */
	const char *kind;    /* "RSS", "Atom" or "RDF" (static) */
};

/* What a URL turned out to be; add_probe_free empties it. */
struct add_probe {
	enum feed_format format; /* FEED_RSS/RDF/ATOM: a feed; FEED_HTML: a page */
	char *title;         /* the feed's or page's title (sanitised) or NULL */
	struct add_link *links; /* pages: the feeds it advertises, in order */
	size_t nlinks;
	struct postlist posts; /* what the parser (a page: the splitter) finds */
};

/* How the flow talks to the user.  say shows one line (no newline, already
 * sanitised); ask shows a question and fills answer with one line typed
 * (no newline), returning 0, or -1 at the end of input (taken as "no").
 * With yes set, no question is asked: the first advertised feed is chosen
 * and "y" is answered, and the question is said with its answer. */
struct add_io {
	void (*say)(void *ctx, const char *line);
	int (*ask)(void *ctx, const char *question, char *answer, size_t len);
	void *ctx;
	bool yes;
};

enum add_result {
	ADD_ERROR = -1,      /* err says why; the feeds file is untouched */
	ADD_ADDED = 0,       /* one line appended */
	ADD_DECLINED,        /* the user said no, or the input ended */
	ADD_LISTED,          /* the URL is already in the feeds file */
};

/* The whole flow for url (http, https, file, or an absolute path) into the
 * feeds file at feeds_path (created with its directory when missing; its
 * comments, order and every other byte are kept).  fo may be NULL.  On
 * ADD_ADDED, when line is not NULL, *line is the line appended (the
 * caller frees it).  Blocks for the transfers (at most two: the URL, then
 * the advertised feed chosen, to check it and read its title). */
enum add_result add_run(const char *url, const char *feeds_path,
    const struct fetch_opts *fo, const struct add_io *io, char **line,
    char *err, size_t errlen);

/* One blocking GET of url into res (the caller calls fetch_result_free,
 * also after an error).  file URLs are allowed (the user wrote them).
 * Returns 0 for a 2xx with a body, else -1 with err. */
int add_fetch(const char *url, const struct fetch_opts *fo,
    struct fetch_result *res, char *err, size_t errlen);

/* Says what body (fetched from url, the base for links) is, without any
 * network: fills ap (the caller frees it with add_probe_free, also after
 * an error).  Returns 0, or -1 with err when it is neither a feed nor an
 * HTML page. */
int add_inspect(struct add_probe *ap, const char *url, const char *body,
    size_t len, char *err, size_t errlen);
void add_probe_free(struct add_probe *ap);

/* The feeds-file line for url: `URL "~Title"`, plus " @type=page" for a
 * page; the title sanitised, cut to 200 bytes, quotes and backslashes
 * escaped; no title part when title is NULL or empty.  Returns a string
 * the caller frees, or NULL when url cannot be written on a line (white
 * space, quotes, control characters). */
char *add_feeds_line(const char *url, const char *title, bool page);

/* True when the feeds file at path lists url (scheme and host compared
 * without case); *lineno is then its line.  A missing file lists none. */
bool add_listed(const char *path, const char *url, int *lineno);

/* Appends line to the feeds file at path, durably (util_write_file),
 * creating it and its directory when missing.  Returns ADD_ADDED,
 * ADD_LISTED (url already there: nothing written, err says on which
 * line) or ADD_ERROR with err. */
enum add_result add_append(const char *path, const char *url,
    const char *line, char *err, size_t errlen);

/* A user's first own feeds file replaces the bundled one, so it starts as
 * a copy of it: when path does not exist and seed (the bundled feeds
 * file) is not NULL, writes path, and its directory, with seed's bytes.
 * Returns 1 when it did, 0 when there was nothing to do, -1 with err. */
int add_seed(const char *path, const char *seed, char *err, size_t errlen);

/* An add_io over stdio: questions on out, answers read a line at a time
 * from in; when in is not a terminal the answer is echoed, so a scripted
 * run reads as a transcript.  ascii folds non-ASCII text for a locale
 * that is not UTF-8. */
struct add_stdio {
	FILE *in;
	FILE *out;
	bool ascii;
};
void add_stdio_io(struct add_io *io, struct add_stdio *ctx, bool yes);

#endif

#ifndef OPML_H
#define OPML_H

#include <stddef.h>

#include "urls.h"
#include "util.h"

/* OPML, the outline format feed readers exchange their subscriptions in.
 * Export writes OPML 2.0 from a feeds list; import reads any OPML 1.0 or
 * 2.0 file (newsboat's, Thunderbird's, Feedly's ...) and appends the feeds
 * it does not know yet to a feeds file.  Neither prints. */

/* The namespace of sendnews's own outline attributes (sendnews:type,
 * sendnews:heading, sendnews:xpath), so the options of a feeds line
 * survive a round trip; other readers ignore them. */
#define OPML_NS "https://github.com/sendnews"

/* Appends to out an OPML 2.0 document with one outline per feed of l, in
 * order: text and title are the ~Name (the URL when there is none),
 * xmlUrl the URL, category the tags joined by commas.  The output depends
 * on l alone (no dates), so exporting the same feeds twice gives the same
 * bytes.  Feeds that are not http or https (file URLs, paths) are left
 * out with one line each appended to warn. */
void opml_export(const struct feedlist *l, struct buf *out, struct buf *warn);

/* One feed found in an OPML file; strings owned by it. */
struct opml_feed {
	char *url;
	char *name;     /* or NULL */
	char **tags;    /* folder names and categories, no duplicates */
	size_t ntags;
	char *options;  /* "@type=page @heading=3", or NULL */
};

struct opml_feeds {
	struct opml_feed *v;
	size_t len;
};

/* Parses an OPML document held in memory: libxml2 with no network, no
 * DTD loading, no entity substitution, and the deny-all entity loader of
 * feed_init(); a document that declares entities is refused.  Nested
 * outlines are walked: an outline without xmlUrl is a folder, and its
 * text becomes a tag of every feed inside it.  Only http and https
 * xmlUrl values are kept; others (newsboat's "|command", exec:, filter:,
 * file: ...) are skipped with a line appended to warn.  A URL listed
 * twice is kept once, with the tags of both.  Returns 0, or -1 with err
 * when the document is not OPML; out is then empty. */
int opml_parse(const char *data, size_t len, struct opml_feeds *out,
    struct buf *warn, char *err, size_t errlen);
void opml_feeds_free(struct opml_feeds *l);

/* What opml_import did. */
struct opml_stats {
	size_t found;    /* feeds in the OPML file that could be used */
	size_t added;    /* lines appended */
	size_t present;  /* already in the feeds file */
};

/* Reads the OPML file at opml_path and appends one line per new feed to
 * the feeds file at feeds_path (created, with its directory, when
 * missing), in newsboat's urls format:  URL tags "~Name" @options.
 * Every existing byte of the feeds file is kept; URLs it already lists
 * (scheme and host compared without case) are skipped.  The file is
 * written durably (util_write_file) and only when something is added.
 * Returns 0, or -1 with err (the feeds file is then untouched). */
int opml_import(const char *opml_path, const char *feeds_path,
    struct buf *warn, struct opml_stats *st, char *err, size_t errlen);

#endif

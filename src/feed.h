#ifndef FEED_H
#define FEED_H

#include <stddef.h>

#include "post.h"

/* What a body turned out to be, by sniffing its content (never the URL). */
enum feed_format {
	FEED_UNKNOWN,
	FEED_RSS,       /* RSS 0.9x / 2.0 */
	FEED_RDF,       /* RSS 1.0 */
	FEED_ATOM,      /* Atom 1.0 */
	FEED_HTML,      /* an HTML news page */
};

/* Options from the feed's line in the feeds file that steer parsing. */
struct feed_opts {
	int heading;        /* page feeds: split at <hN>; 0 = find it */
	const char *xpath;  /* page feeds: XPath of the main content, or NULL */
	/* When not NULL, called on each post once it is finished (text,
	 * date, id), often on a worker thread and for several posts at
	 * once: it may read finish_ctx and write only the post it is given.
	 * A fetch classifies posts here, beside the parse. */
	void (*finish)(const void *finish_ctx, struct post *p);
	const void *finish_ctx;
};

/* Largest body accepted from the network, and what parsers will read. */
#define FEED_MAX_BODY (8u * 1024 * 1024)

/* Caps on what one parse keeps: items past FEED_MAX_ITEMS are ignored (the
 * parse still succeeds), titles are cut to FEED_MAX_TITLE bytes at a UTF-8
 * character boundary. */
#define FEED_MAX_ITEMS 100000
#define FEED_MAX_TITLE 1000

/* What a parse learnt about the feed as a whole.  Strings are sanitised,
 * owned by the struct, NULL when absent; feed_info_free() empties it. */
struct feed_info {
	enum feed_format format;
	char *title;        /* channel/feed title, or the page's <title>/h1 */
	char *link;         /* channel/feed home page, absolute */
};

/* Looks at the first bytes of body (after a BOM, white space, XML
 * declaration, comments and doctype) and says what it is. */
enum feed_format feed_sniff(const char *body, size_t len);
const char *feed_format_name(enum feed_format f);

/* Parses body, fetched from url (the base for relative links), appending
 * one post per item to out with post->feed set to feed_index, titles and
 * text sanitised, links absolute, and post_finish() called.  libxml2 runs
 * from memory with no network, no entity substitution, no DTD loading and
 * recovery on; text is collected without expanding entity references.
 * Returns the number of posts added, or -1 with a message in err (not a
 * feed, or nothing readable); a recovered document that yields posts is
 * not an error.  Never prints. */
int feed_parse(const char *body, size_t len, const char *url,
    size_t feed_index, const struct feed_opts *opts, struct postlist *out,
    char *err, size_t errlen);

/* As feed_parse, and when info is not NULL also fills it (the caller
 * frees it with feed_info_free, also after an error). */
int feed_parse_info(const char *body, size_t len, const char *url,
    size_t feed_index, const struct feed_opts *opts, struct postlist *out,
    struct feed_info *info, char *err, size_t errlen);
void feed_info_free(struct feed_info *info);

/* Installs the deny-all external entity loader and silences libxml2's
 * generic error output; call once before any parsing (feed_parse calls it
 * itself the first time). */
void feed_init(void);

#endif

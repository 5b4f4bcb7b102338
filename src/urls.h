#ifndef URLS_H
#define URLS_H

#include <stdbool.h>
#include <stddef.h>

#include "feed.h"
#include "util.h"

/* One line of a feeds file: newsboat's urls format,
 *   URL [tag ...] ["~Display name"] [@option=value ...]
 * with # comments.  Options are sendnews's own (sendnews(5)). */
struct feedsrc {
	char *url;
	char *name;          /* from "~Name", or NULL */
	char **tags;
	size_t ntags;
	struct feed_opts opts; /* opts.xpath is owned here */
	char *type;          /* @type=page|feed, or NULL to sniff */
	int line;            /* line number in the file */
};

struct feedlist {
	struct feedsrc *v;
	size_t len;
};

/* Parses a feeds file; lines it cannot use (exec:, filter:, query:,
 * unknown schemes) are skipped with a warning appended to warn (one line
 * each, may be NULL).  Returns 0, or -1 with a message in err. */
int urls_parse(struct feedlist *l, const char *text, size_t len,
    const char *dir, struct buf *warn, char *err, size_t errlen);
int urls_load(struct feedlist *l, const char *path, struct buf *warn,
    char *err, size_t errlen);
void urls_free(struct feedlist *l);

/* The name to show: the ~Name, else the host and path of the URL. */
const char *urls_display_name(const struct feedsrc *f, char *tmp, size_t tmplen);

#endif

#ifndef STORE_H
#define STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fetch.h"
#include "post.h"
#include "topics.h"
#include "urls.h"

/* What sendnews knows: the feeds, their cached posts, the topic rules and
 * the read state, kept on disk in a cache directory:
 *   DIR/index        every post's metadata and title (read at start-up)
 *   DIR/history      each feed's last try, success and error (a refresh
 *                    where nothing changed writes only this)
 *   DIR/bodies/KEY-N post texts of one feed (read when a post is opened)
 *   DIR/lock         held with flock while a process may write
 * and the read state in a state directory (STATEDIR/read).  Every file is
 * written to a temporary name, fsync'd and renamed.  Format: sendnews(5). */

/* Runtime and cached state of one feed. */
struct sfeed {
	const struct feedsrc *src; /* borrowed from the feedlist */
	char *key;           /* file name key: hash of the URL */
	char *etag;          /* validators of the last good answer, or NULL */
	char *last_modified;
	long long tried;     /* last fetch attempt, 0 never */
	long long ok;        /* last successful fetch (200 or 304), 0 never */
	long http;           /* HTTP status of the last attempt */
	char *error;         /* why the last attempt failed, or NULL */
	unsigned gen;        /* generation of its body file */
	uint64_t bodyhash;   /* hash of the last parsed body: same body, no parse */
	bool damaged;        /* its body file could not be read: the next
	                      * refresh fetches and parses it in full */
	/* Of the last fetch in this process (check, fetch -v). */
	bool fetched;        /* an attempt finished in this run */
	bool changed;        /* its posts were re-parsed in this run */
	double seconds;
	size_t size;
	size_t nposts;       /* posts currently in the feed (not archived) */
	size_t nnew;         /* posts new in this run */
};

struct store {
	struct sfeed *feeds;  /* parallel to the feedlist */
	size_t nfeeds;
	struct postlist posts; /* all posts, any order; post->feed indexes feeds */
	const struct topics *topics; /* borrowed */
	char *dir;            /* cache directory */
	char *statedir;       /* directory of the read state */
	bool readonly;        /* nothing is saved: another instance holds the
	                       * lock (busy), or the cache cannot be written or
	                       * its files are of a newer sendnews (warning
	                       * says so) */
	bool busy;            /* another instance holds the lock */
	int lockfd;
	long retention_days;  /* archived posts kept this long (default 180) */
	char *warning;        /* set when the cache was damaged and rebuilt */
	char *ibuf;           /* the index as read: the ids, titles and links of
	                       * the posts read from it point into it */
	size_t ibuflen;
	void *readmap;        /* id -> hash of the version read */
	bool dirty;           /* something needs saving (the fetch history at
	                       * least) */
	bool index_dirty;     /* the index needs saving too */
	bool read_dirty;      /* read state needs saving */
	bool write_failed;    /* a body file could not be written: the index
	                       * is not saved, so the files on disk stay as
	                       * they were */
};

/* Opens the cache in dir (created as needed) and reads the index; feeds
 * are matched to cached data by URL.  A damaged index is set aside as
 * index.bad and st->warning says so; the store is then empty.  Returns 0,
 * or -1 with a message in err (a directory that cannot be created). */
int store_open(struct store *st, const struct feedlist *fl,
    const struct topics *t, const char *dir, const char *statedir,
    char *err, size_t errlen);
/* Saves what changed (when not read-only) and frees everything. */
void store_close(struct store *st);

/* Starts a fetch of every feed (conditional where validators are cached). */
void store_fetch_all(struct store *st, struct fetcher *f);
/* Takes one finished transfer: a 304 (or a body identical to the last one
 * parsed) costs nothing more; a body is parsed, matched to topics and
 * merged (new posts, changed posts, archived posts); a failure is recorded
 * and keeps the cached posts.  Writes the feed's new body file.  Returns
 * the number of new posts.  Post pointers taken before are invalid after:
 * select again. */
size_t store_apply(struct store *st, struct fetch_result *res);
/* Writes the index and read state if they changed.  0 or -1 with err. */
int store_save(struct store *st, char *err, size_t errlen);

/* Loads p's text and links from its body file (no-op when loaded);
 * returns 0 or -1 with err. */
int store_load_body(struct store *st, struct post *p, char *err, size_t errlen);

/* Marks p read (its current version) or unread. */
void store_set_read(struct store *st, struct post *p, bool read);

/* Finds a post by id or unique id prefix; NULL when none or ambiguous. */
struct post *store_find(struct store *st, const char *id);

/* A selection of posts, newest first. */
struct filter {
	long topic;           /* topic index; -1 for all; t->len for Other */
	long feed;            /* feed index or -1 */
	bool unread;          /* unread or updated only */
	long long since;      /* date at least this, or 0 */
	const char *search;   /* words that must all appear (title or text) */
	bool archived;        /* include archived posts */
};
void filter_init(struct filter *fl);

/* Fills *out with pointers to the matching posts, newest first; the caller
 * frees *out (the posts stay the store's).  Search loads bodies. */
size_t store_select(struct store *st, const struct filter *fl,
    struct post ***out);

/* Posts whose deadline (post->deadline, deadline.h) is still open at now,
 * soonest first, archived posts left out: the "Closing soon" list.  The
 * caller frees *out (the posts stay the store's); no body is read. */
size_t store_closing(struct store *st, long long now, struct post ***out);

/* Counts per topic (index t->len is Other) of posts that are not
 * archived: total and unread (unread or updated).  Arrays of t->len + 1. */
void store_count(struct store *st, size_t *total, size_t *unread);

/* The default directories: $XDG_CACHE_HOME/sendnews (or ~/.cache/...),
 * $XDG_STATE_HOME/sendnews, $XDG_CONFIG_HOME/sendnews.  Caller frees. */
char *store_default_dir(const char *xdg_var, const char *fallback);

#endif

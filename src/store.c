#include "store.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "classify.h"
#include "deadline.h"
#include "feed.h"
#include "page.h"
#include "text.h"
#include "util.h"

/* Bump on any change of the files' layout, and teach store_open to read
 * the old one (or to set it aside and refetch). */
#define STORE_VERSION 2 /* 2: P lines end with the deadline; 1 is still read */
#define STORE_MAX_INDEX (1024u * 1024 * 1024)
/* Mixed into the body hash, so a new parser re-parses unchanged bodies. */
#define STORE_PARSER_GEN 1

/* id -> hash of the version the user read: open addressing on the 48-bit
 * numeric value of the id (+1, so 0 marks an empty slot). */
struct readmap {
	uint64_t *keys;
	uint64_t *vals;
	size_t cap;
	size_t len;
};

static uint64_t parse_hex(const char *s);

static uint64_t
id_key(const char *id)
{
	return parse_hex(id) + 1;
}

static uint64_t *
readmap_slot(struct readmap *m, uint64_t key)
{
	size_t i = (size_t)(key * 0x9e3779b97f4a7c15ULL) & (m->cap - 1);

	while (m->keys[i] && m->keys[i] != key)
		i = (i + 1) & (m->cap - 1);
	return &m->keys[i];
}

static void
readmap_put(struct readmap *m, uint64_t key, uint64_t val)
{
	uint64_t *k;

	if ((m->len + 1) * 2 > m->cap) {
		struct readmap n = {0};
		size_t i;

		n.cap = m->cap ? m->cap * 2 : 1024;
		n.keys = xcalloc(n.cap, sizeof(*n.keys));
		n.vals = xcalloc(n.cap, sizeof(*n.vals));
		for (i = 0; i < m->cap; i++)
			if (m->keys[i])
				readmap_put(&n, m->keys[i], m->vals[i]);
		free(m->keys);
		free(m->vals);
		*m = n;
	}
	k = readmap_slot(m, key);
	if (!*k) {
		*k = key;
		m->len++;
	}
	m->vals[k - m->keys] = val;
}

/* Returns true and the stored hash when key is present. */
static bool
readmap_get(struct readmap *m, uint64_t key, uint64_t *val)
{
	uint64_t *k;

	if (!m->cap)
		return false;
	k = readmap_slot(m, key);
	if (!*k)
		return false;
	*val = m->vals[k - m->keys];
	return true;
}

/* Deleting from linear probing: take the key out and re-insert the rest of
 * its cluster. */
static void
readmap_del(struct readmap *m, uint64_t key)
{
	uint64_t *k;
	size_t i;

	if (!m->cap || !*(k = readmap_slot(m, key)))
		return;
	i = (size_t)(k - m->keys);
	m->keys[i] = 0;
	m->len--;
	for (i = (i + 1) & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1)) {
		uint64_t rk = m->keys[i], rv = m->vals[i];

		m->keys[i] = 0;
		m->len--;
		readmap_put(m, rk, rv);
	}
}

/* Sets the read and updated flags of p from the read map. */
static void
store_flag(struct store *st, struct post *p)
{
	uint64_t h;

	p->flags &= ~(POST_READ | POST_UPDATED);
	if (readmap_get(st->readmap, id_key(p->id), &h)) {
		p->flags |= POST_READ;
		if (h != p->hash)
			p->flags |= POST_UPDATED;
	}
}

/* Writes s with tab, newline and backslash escaped, so it fits a field. */
static void
put_field(struct buf *b, const char *s)
{
	size_t n;

	if (!s)
		return;
	/* Copies runs between the characters to escape in one go: bodies of
	 * every post pass through here on each changed refresh. */
	for (;;) {
		n = strcspn(s, "\t\n\\");
		buf_append(b, s, n);
		s += n;
		if (!*s)
			break;
		buf_append(b, *s == '\t' ? "\\t" : *s == '\n' ? "\\n" : "\\\\", 2);
		s++;
	}
}

/* Undoes put_field in place; returns s. */
static char *
unescape(char *s)
{
	char *r = s, *w = s;

	for (; *r; r++) {
		if (*r == '\\' && r[1]) {
			r++;
			*w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return s;
}

/* Splits line at tabs into at most max fields; returns the count. */
static size_t
split_tabs(char *line, char **f, size_t max)
{
	size_t n = 0;

	while (n < max) {
		f[n++] = line;
		if (!(line = strchr(line, '\t')))
			break;
		*line++ = '\0';
	}
	return n;
}

static char *
path_join(const char *a, const char *b)
{
	return xasprintf("%s/%s", a, b);
}

static char *
body_path(const struct store *st, const struct sfeed *f, unsigned gen)
{
	return xasprintf("%s/bodies/%s-%u", st->dir, f->key, gen);
}

static long
feed_by_key(const struct store *st, const char *key)
{
	size_t i;

	for (i = 0; i < st->nfeeds; i++)
		if (!strcmp(st->feeds[i].key, key))
			return (long)i;
	return -1;
}

static char *
nonempty(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

/* Hex and decimal fields of the index, parsed without strtoull's locale
 * and error machinery: an index of 100,000 posts holds a million. */
static uint64_t
parse_hex(const char *s)
{
	uint64_t v = 0;

	for (;; s++) {
		unsigned c = (unsigned char)*s, l = c | 0x20;

		if (c - '0' < 10)
			v = v << 4 | (c - '0');
		else if (l - 'a' < 6)
			v = v << 4 | (l - 'a' + 10);
		else
			return v;
	}
}

static long long
parse_dec(const char *s)
{
	unsigned long long v = 0;
	bool neg = *s == '-';

	for (s += neg; (unsigned)(*s - '0') < 10; s++)
		v = v * 10 + (unsigned)(*s - '0');
	return (long long)(neg ? 0 - v : v);
}

/* True when s points into the index buffer (a string the post borrows). */
static bool
borrowed(const struct store *st, const char *s)
{
	uintptr_t a = (uintptr_t)s, b = (uintptr_t)st->ibuf;

	return s && st->ibuf && a >= b && a < b + st->ibuflen;
}

/* Frees s unless it is borrowed from the index buffer. */
static void
store_free_str(const struct store *st, char *s)
{
	if (!borrowed(st, s))
		free(s);
}

/* post_free for the store's posts: borrowed strings are left alone. */
static void
store_post_free(const struct store *st, struct post *p)
{
	/* Most posts own nothing (never opened): nothing to do. */
	if (!p->guid && !p->text && !p->read_text && !p->links &&
	    borrowed(st, p->id) && borrowed(st, p->title) && borrowed(st, p->link))
		return;
	if (borrowed(st, p->id))
		p->id = NULL;
	if (borrowed(st, p->title))
		p->title = NULL;
	if (borrowed(st, p->link))
		p->link = NULL;
	post_free(p);
}

/* Frees every post, then the index buffer they may borrow from. */
static void
store_free_posts(struct store *st)
{
	size_t i;

	/* Not postlist_free: it would free the borrowed strings. */
	for (i = 0; i < st->posts.len; i++)
		store_post_free(st, &st->posts.v[i]);
	free(st->posts.v);
	memset(&st->posts, 0, sizeof(st->posts));
	free(st->ibuf);
	st->ibuf = NULL;
	st->ibuflen = 0;
}

/* Reads the file at path whole, NUL-terminated, into one allocation of its
 * size (no doubling: the index is the largest thing start-up reads). */
static int
read_whole(const char *path, size_t max, char **data, size_t *len,
    char *err, size_t errlen)
{
	struct stat sb;
	size_t got = 0, size;
	ssize_t n;
	char *d;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &sb) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if ((unsigned long long)sb.st_size > max) {
		snprintf(err, errlen, "%s: larger than %zu bytes", path, max);
		close(fd);
		return -1;
	}
	size = (size_t)sb.st_size;
	d = xmalloc(size + 1);
	while (got < size) {
		n = read(fd, d + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			close(fd);
			free(d);
			return -1;
		}
		if (n == 0)
			break;	/* cut while we read: the checks below catch it */
		got += (size_t)n;
	}
	close(fd);
	d[got] = '\0';
	*data = d;
	*len = got;
	return 0;
}

/* What store_read_index found. */
enum {
	INDEX_OK = 0,
	INDEX_BAD = -1,    /* damaged: set it aside and rebuild */
	INDEX_NEWER = -2,  /* written by a newer sendnews: leave it alone */
};

/* Reads the index into st (feeds' history, posts); a missing index is an
 * empty store.  The posts' ids, titles and links point into st->ibuf,
 * which the index is read into and unescaped in place: no allocation per
 * post.  On failure the store is left empty and err says why. */
static int
store_read_index(struct store *st, uint64_t *rules, char *err, size_t errlen)
{
	char *path = path_join(st->dir, "index"), *data, *line, *next, *s;
	size_t len, nlines = 0, count = 0, lineno = 0, k;
	bool ended = false;
	char *f[13];
	int version = STORE_VERSION, r = INDEX_BAD;
	long last = -1;

	if (access(path, F_OK) < 0) {
		free(path);
		return INDEX_OK;
	}
	if (read_whole(path, STORE_MAX_INDEX, &data, &len, err, errlen) < 0) {
		free(path);
		return INDEX_BAD;
	}
	free(path);
	st->ibuf = data;
	st->ibuflen = len + 1;
	if (strlen(data) != len) {
		snprintf(err, errlen, "the index holds a NUL byte");
		goto bad;
	}
	/* One allocation for the posts, sized by the number of lines. */
	for (s = data; (s = memchr(s, '\n', len - (size_t)(s - data))); s++)
		nlines++;
	st->posts.v = xreallocarray(NULL, nlines + 1, sizeof(*st->posts.v));
	st->posts.cap = nlines + 1;
	for (line = data; line && *line; line = next) {
		size_t n;

		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		else {
			snprintf(err, errlen, "the index ends in the middle of a line");
			goto bad;
		}
		lineno++;
		if (ended) {
			snprintf(err, errlen, "line %zu: data after the end", lineno);
			goto bad;
		}
		if (lineno == 1) {
			int v;

			if (sscanf(line, "sendnews-index %d", &v) != 1) {
				snprintf(err, errlen, "not a sendnews index");
				goto bad;
			}
			if (v > STORE_VERSION) {
				snprintf(err, errlen, "the cache was written by a newer sendnews (index version %d, this one reads %d)",
				    v, STORE_VERSION);
				r = INDEX_NEWER;
				goto bad;
			}
			if (v != STORE_VERSION && v != 1) {
				snprintf(err, errlen, "index version %d, this sendnews reads %d", v, STORE_VERSION);
				goto bad;
			}
			version = v;
			continue;
		}
		n = split_tabs(line, f, 13);
		if (!strcmp(f[0], "P") && n == (size_t)(version == 1 ? 12 : 13)) {
			struct post *p;
			long i = last;

			count++;
			/* A feed's posts sit together: try the last feed first. */
			if (i < 0 || strcmp(st->feeds[i].key, f[1]))
				i = last = feed_by_key(st, f[1]);
			if (i < 0)
				continue;	/* no longer in the feeds file */
			if (strlen(f[2]) != 12 || strspn(f[2], "0123456789abcdef") != 12) {
				snprintf(err, errlen, "line %zu: bad post id", lineno);
				goto bad;
			}
			p = postlist_push(&st->posts);
			p->feed = (size_t)i;
			p->id = f[2];
			p->date = parse_dec(f[3]);
			p->topics = parse_hex(f[4]);
			p->hash = parse_hex(f[5]);
			p->first_seen = parse_dec(f[6]);
			p->gone = parse_dec(f[7]);
			p->body_off = (unsigned long long)parse_dec(f[8]);
			p->body_len = (unsigned long)parse_dec(f[9]);
			p->title = unescape(f[10]);
			p->link = unescape(f[11]);
			if (n == 13)
				p->deadline = parse_dec(f[12]);
			/* Flags and counts now, while the line is in the cache. */
			store_flag(st, p);
			if (!p->gone)
				st->feeds[i].nposts++;
		} else if (!strcmp(f[0], "F") && n == 11) {
			long i = feed_by_key(st, f[1]);
			struct sfeed *sf;

			if (i < 0)
				continue;	/* no longer in the feeds file */
			sf = &st->feeds[i];
			sf->gen = (unsigned)strtoul(f[2], NULL, 10);
			sf->tried = strtoll(f[3], NULL, 10);
			sf->ok = strtoll(f[4], NULL, 10);
			sf->http = strtol(f[5], NULL, 10);
			sf->bodyhash = strtoull(f[6], NULL, 16);
			/* A damaged index may name a feed twice: the last line wins. */
			free(sf->etag);
			free(sf->last_modified);
			free(sf->error);
			sf->etag = nonempty(unescape(f[7]));
			sf->last_modified = nonempty(unescape(f[8]));
			sf->error = nonempty(unescape(f[9]));
		} else if (!strcmp(f[0], "rules") && n == 2) {
			*rules = strtoull(f[1], NULL, 16);
		} else if (!strcmp(f[0], "end") && n == 2) {
			ended = true;
			/* The count catches lines lost from the middle. */
			if (strtoull(f[1], NULL, 10) != count) {
				snprintf(err, errlen, "the index lists %zu posts, its end line says %s",
				    count, f[1]);
				goto bad;
			}
		} else {
			snprintf(err, errlen, "line %zu: not understood", lineno);
			goto bad;
		}
	}
	/* Version 1 has no deadlines: store_open finds them as it does
	 * after a change of the rules. */
	if (version == 1)
		*rules = ~st->topics->hash;
	if (!ended) {
		snprintf(err, errlen, "the index is cut short");
		goto bad;
	}
	return INDEX_OK;
bad:
	store_free_posts(st);
	for (k = 0; k < st->nfeeds; k++)
		st->feeds[k].nposts = 0;
	return r;
}

/* Adds a sentence to st->warning (shown once, on stderr or the status
 * line). */
static void
store_warn(struct store *st, const char *msg)
{
	char *w = st->warning ? xasprintf("%s; %s", st->warning, msg) : xstrdup(msg);

	free(st->warning);
	st->warning = w;
}

static const char hexdigits[] = "0123456789abcdef";

/* Reads STATEDIR/read: "sendnews-read 1", then "ID HASH" lines.  Each line
 * stands alone, so damage loses only the lines it hit: the file is then
 * set aside as read.bad and written anew from the lines understood.  A
 * file from a newer sendnews makes the store read-only, so it is never
 * overwritten by a format this one does not know. */
static void
store_read_state(struct store *st)
{
	char *path = path_join(st->statedir, "read"), *data, *line, *next;
	char err[256], *msg;
	size_t len, bad = 0, lineno = 0;
	int v;

	if (access(path, F_OK) < 0 ||
	    read_whole(path, STORE_MAX_INDEX, &data, &len, err, sizeof(err)) < 0) {
		free(path);
		return;
	}
	if (sscanf(data, "sendnews-read %d", &v) == 1 && v > 1) {
		msg = xasprintf("%s was written by a newer sendnews (version %d); nothing is saved", path, v);
		store_warn(st, msg);
		free(msg);
		st->readonly = true;
		goto done;
	}
	for (line = data; line && *line; line = next) {
		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		if (++lineno == 1 && !strncmp(line, "sendnews-read ", 14))
			continue;
		if (next && strlen(line) == 29 && line[12] == ' ' &&
		    strspn(line, hexdigits) == 12 && strspn(line + 13, hexdigits) == 16)
			readmap_put(st->readmap, id_key(line), parse_hex(line + 13));
		else if (*line || !next)
			bad++;
	}
	if (bad) {
		char *aside = path_join(st->statedir, "read.bad");

		if (!st->readonly && rename(path, aside) == 0)
			st->read_dirty = true;
		msg = xasprintf("the read state %s was damaged (%zu line%s not understood); "
		    "the rest is kept%s%s", path, bad, bad == 1 ? "" : "s",
		    st->read_dirty ? " and the damaged file set aside as " : "",
		    st->read_dirty ? aside : "");
		store_warn(st, msg);
		free(msg);
		free(aside);
	}
done:
	free(path);
	free(data);
}

/* Reads DIR/history, the fetch history (last try, last success, HTTP
 * status, last error) of each feed: "sendnews-history 1", then one
 * "KEY TRIED OK HTTP ERROR" line (tab-separated) per feed.  A refresh
 * where every answer is a 304 writes only this small file, not the
 * index.  The index's F lines hold the history as of the index's last
 * save; a line here wins when it is as recent.  A damaged line is
 * reported and the file written anew. */
static void
store_read_history(struct store *st)
{
	char *path = path_join(st->dir, "history"), *data, *line, *next, *f[5], *msg;
	char err[256];
	size_t len, bad = 0, lineno = 0;

	if (access(path, F_OK) < 0) {
		/* An index from before this file: write it at the next save. */
		st->dirty = true;
		free(path);
		return;
	}
	if (read_whole(path, STORE_MAX_INDEX, &data, &len, err, sizeof(err)) < 0) {
		free(path);
		return;
	}
	for (line = data; line && *line; line = next) {
		long fi;

		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		if (++lineno == 1 && !strcmp(line, "sendnews-history 1"))
			continue;
		if (!next || split_tabs(line, f, 5) != 5 || strlen(f[0]) != 16) {
			bad++;
			continue;
		}
		if ((fi = feed_by_key(st, f[0])) < 0 || parse_dec(f[1]) < st->feeds[fi].tried)
			continue;
		st->feeds[fi].tried = parse_dec(f[1]);
		st->feeds[fi].ok = parse_dec(f[2]);
		st->feeds[fi].http = (long)parse_dec(f[3]);
		free(st->feeds[fi].error);
		st->feeds[fi].error = nonempty(unescape(f[4]));
	}
	if (bad || lineno == 0) {
		msg = xasprintf("the fetch history %s was damaged; it is written anew", path);
		store_warn(st, msg);
		free(msg);
		st->dirty = true;
	}
	free(path);
	free(data);
}

static int
store_save_history(struct store *st, char *err, size_t errlen)
{
	struct buf b = {0};
	char *path;
	size_t i;
	int r;

	buf_puts(&b, "sendnews-history 1\n");
	for (i = 0; i < st->nfeeds; i++) {
		const struct sfeed *f = &st->feeds[i];

		buf_printf(&b, "%s\t%lld\t%lld\t%ld\t", f->key, f->tried, f->ok, f->http);
		put_field(&b, f->error);
		buf_putc(&b, '\n');
	}
	path = path_join(st->dir, "history");
	r = util_write_file(path, b.data, b.len, err, errlen);
	free(path);
	buf_free(&b);
	return r;
}

/* A feed whose body file cannot be read: forget what makes a refresh
 * cheap (validators, the body's hash), so the next refresh fetches and
 * parses it in full and writes the file anew. */
static void
store_feed_damaged(struct store *st, size_t fi)
{
	struct sfeed *f = &st->feeds[fi];

	free(f->etag);
	free(f->last_modified);
	f->etag = f->last_modified = NULL;
	f->bodyhash = 0;
	f->damaged = true;
	st->dirty = st->index_dirty = true;
}

/* Checks each feed's body file is as long as the index says; one that is
 * cut short or missing is reported and rebuilt by the next refresh.  A
 * stat per feed, no read. */
static void
store_check_bodies(struct store *st)
{
	unsigned long long *need = xcalloc(st->nfeeds + 1, sizeof(*need));
	struct stat sb;
	size_t i;

	for (i = 0; i < st->posts.len; i++) {
		const struct post *p = &st->posts.v[i];
		unsigned long long end = p->body_off + p->body_len;

		if (p->body_len && end > need[p->feed])
			need[p->feed] = end;
	}
	for (i = 0; i < st->nfeeds; i++) {
		char *path, *msg;
		bool missing;

		if (!need[i])
			continue;
		path = body_path(st, &st->feeds[i], st->feeds[i].gen);
		missing = stat(path, &sb) < 0;
		if (missing || (unsigned long long)sb.st_size < need[i]) {
			msg = xasprintf("the cache file %s is %s; it is rebuilt at the next refresh",
			    path, missing ? "missing" : "cut short");
			store_warn(st, msg);
			free(msg);
			store_feed_damaged(st, i);
		}
		free(path);
	}
	free(need);
}

int
store_open(struct store *st, const struct feedlist *fl, const struct topics *t,
    const char *dir, const char *statedir, char *err, size_t errlen)
{
	char why[512] = "", *path;
	uint64_t rules = 0;
	size_t i;
	int r;

	memset(st, 0, sizeof(*st));
	st->lockfd = -1;
	st->retention_days = 180;
	st->topics = t;
	st->dir = xstrdup(dir);
	st->statedir = xstrdup(statedir);
	st->readmap = xcalloc(1, sizeof(struct readmap));
	path = path_join(dir, "bodies");
	if (util_mkdirs(path, err, errlen) < 0 ||
	    util_mkdirs(statedir, err, errlen) < 0) {
		free(path);
		return -1;
	}
	free(path);
	path = path_join(dir, "lock");
	st->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (st->lockfd < 0) {
		/* Not another sendnews: a cache this user cannot write. */
		char *msg = xasprintf("cannot write the cache in %s (%s): showing it read-only, "
		    "nothing is fetched or saved", dir, strerror(errno));

		store_warn(st, msg);
		free(msg);
		st->readonly = true;
	} else if (flock(st->lockfd, LOCK_EX | LOCK_NB) < 0) {
		st->readonly = st->busy = true;
	}
	free(path);

	st->nfeeds = fl->len;
	st->feeds = xcalloc(fl->len, sizeof(*st->feeds));
	for (i = 0; i < fl->len; i++) {
		uint64_t h = util_hash(fl->v[i].url, strlen(fl->v[i].url), UTIL_HASH_SEED);

		st->feeds[i].src = &fl->v[i];
		st->feeds[i].key = xasprintf("%016llx", (unsigned long long)h);
	}
	/* The read state first: the index's posts take their flags from it
	 * as they are read. */
	store_read_state(st);
	r = store_read_index(st, &rules, why, sizeof(why));
	if (r == INDEX_NEWER) {
		/* Kept for the newer sendnews; this one works in memory. */
		char *msg = xasprintf("%s; it is left as it is and nothing is saved", why);

		store_warn(st, msg);
		free(msg);
		st->readonly = true;
	} else if (r < 0) {
		char *bad = path_join(dir, "index.bad"), *idx = path_join(dir, "index");
		char *msg;
		bool aside;

		for (i = 0; i < st->nfeeds; i++) {
			struct sfeed *f = &st->feeds[i];

			free(f->etag);
			free(f->last_modified);
			free(f->error);
			f->etag = f->last_modified = f->error = NULL;
			f->gen = 0;
			f->bodyhash = 0;
			f->tried = f->ok = 0;
			f->http = 0;
		}
		/* The read state is a file of its own: it survives this. */
		aside = !st->readonly && rename(idx, bad) == 0;
		msg = xasprintf("the cache index was damaged (%s); %s%s%s", why,
		    aside ? "it was set aside as " : "", aside ? bad : "",
		    aside ? " and the cache is rebuilt" : "the cache is rebuilt when it is not in use");
		store_warn(st, msg);
		free(msg);
		free(bad);
		free(idx);
		st->dirty = st->index_dirty = true;
	} else {
		store_read_history(st);
	}
	store_check_bodies(st);
	/* Topics follow the rules: when the rules changed, match again. */
	if (rules != t->hash && st->posts.len) {
		for (i = 0; i < st->posts.len; i++) {
			struct post *p = &st->posts.v[i];

			if (store_load_body(st, p, why, sizeof(why)) == 0)
				classify_post(t, p);
		}
		st->dirty = st->index_dirty = true;
	}
	return 0;
}

int
store_load_body(struct store *st, struct post *p, char *err, size_t errlen)
{
	struct sfeed *f = &st->feeds[p->feed];
	char *path, *data, *l[4], *s, *refs;
	struct stat sb;
	ssize_t n;
	size_t i;
	int fd;

	if (p->flags & POST_BODY)
		return 0;
	if (!p->body_len) {
		snprintf(err, errlen, "the text of this post is not in the cache; refresh to rebuild it");
		store_feed_damaged(st, p->feed);
		return -1;
	}
	path = body_path(st, f, f->gen);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s; refresh to rebuild it", path, strerror(errno));
		free(path);
		store_feed_damaged(st, p->feed);
		return -1;
	}
	/* Offset and length come from the index: check them against the
	 * file before they size an allocation or a read. */
	if (fstat(fd, &sb) < 0 || p->body_off > (unsigned long long)sb.st_size ||
	    p->body_len > (unsigned long long)sb.st_size - p->body_off) {
		close(fd);
		snprintf(err, errlen, "%s: cut short; refresh to rebuild it", path);
		free(path);
		store_feed_damaged(st, p->feed);
		return -1;
	}
	data = xmalloc(p->body_len + 1);
	n = pread(fd, data, p->body_len, (off_t)p->body_off);
	close(fd);
	if (n < 0 || (size_t)n != p->body_len) {
		snprintf(err, errlen, "%s: cut short; refresh to rebuild it", path);
		goto fail;
	}
	data[n] = '\0';
	for (i = 0, s = data; i < 4; i++) {
		l[i] = s;
		if (!(s = strchr(s, '\n'))) {
			snprintf(err, errlen, "%s: damaged record; refresh to rebuild it", path);
			goto fail;
		}
		*s++ = '\0';
	}
	free(p->guid);
	free(p->text);
	free(p->read_text);
	p->guid = xstrdup(unescape(l[0]));
	p->text = xstrdup(unescape(l[1]));
	p->read_text = *l[3] ? xstrdup(unescape(l[3])) : NULL;
	for (refs = l[2]; refs && *refs; ) {
		char *tab = strchr(refs, '\t');

		if (tab)
			*tab++ = '\0';
		post_add_link(p, unescape(refs));
		refs = tab;
	}
	{
		uint64_t h = util_hash(p->title, strlen(p->title), UTIL_HASH_SEED);

		h = util_hash(p->text, strlen(p->text), h);
		if (h != p->hash) {
			snprintf(err, errlen, "%s: the text does not match the index; refresh to rebuild it", path);
			goto fail;
		}
	}
	p->flags |= POST_BODY;
	free(path);
	free(data);
	return 0;
fail:
	free(path);
	free(data);
	/* What a failed load may have filled in is not this post's. */
	free(p->guid);
	free(p->text);
	free(p->read_text);
	p->guid = p->text = p->read_text = NULL;
	for (i = 0; i < p->nlinks; i++)
		free(p->links[i]);
	free(p->links);
	p->links = NULL;
	p->nlinks = 0;
	store_feed_damaged(st, p->feed);
	return -1;
}

/* Appends p's body record to b and notes where it sits. */
static void
put_body(struct buf *b, struct post *p)
{
	size_t start = b->len, i;

	put_field(b, p->guid);
	buf_putc(b, '\n');
	put_field(b, p->text);
	buf_putc(b, '\n');
	for (i = 0; i < p->nlinks; i++) {
		if (i)
			buf_putc(b, '\t');
		put_field(b, p->links[i]);
	}
	buf_putc(b, '\n');
	put_field(b, p->read_text);
	buf_putc(b, '\n');
	p->body_off = start;
	p->body_len = b->len - start;
}

/* Moves the parsed fields of n into p, leaving n empty. */
static void
post_take(const struct store *st, struct post *p, struct post *n)
{
	size_t i;

	free(p->guid);
	store_free_str(st, p->title);
	store_free_str(st, p->link);
	free(p->text);
	for (i = 0; i < p->nlinks; i++)
		free(p->links[i]);
	free(p->links);
	p->guid = n->guid;
	p->title = n->title;
	p->link = n->link;
	p->text = n->text;
	p->links = n->links;
	p->nlinks = n->nlinks;
	p->date = n->date;
	p->hash = n->hash;
	p->topics = n->topics;
	p->deadline = n->deadline;
	free(n->id);
	free(n->read_text);
	memset(n, 0, sizeof(*n));
}

static void
feed_set_error(struct sfeed *f, const char *msg)
{
	free(f->error);
	f->error = msg ? text_sanitize_line(xstrdup(msg)) : NULL;
}

/* An archived post whose text was lost with a damaged body file: it
 * keeps its title and link, says so in its text, and stays read if it
 * was. */
static void
store_lost_text(struct store *st, struct post *p)
{
	uint64_t h, was;
	bool read_this = readmap_get(st->readmap, id_key(p->id), &was) && was == p->hash;

	free(p->text);
	p->text = xstrdup("(The text of this post was lost when its cache file was damaged, "
	    "after it had left its feed.)");
	h = util_hash(p->title, strlen(p->title), UTIL_HASH_SEED);
	p->hash = util_hash(p->text, strlen(p->text), h);
	if (read_this) {
		readmap_put(st->readmap, id_key(p->id), p->hash);
		st->read_dirty = true;
	}
}

/* Drops feed fi's archived posts older than the retention period: after
 * a merge, and on a 304 or the same body, which get no merge, so an
 * archived post never outstays its time.  Without a merge its text stays
 * in the body file until the feed next changes. */
static void
store_expire(struct store *st, size_t fi, long long now)
{
	size_t i;

	for (i = 0; i < st->posts.len; ) {
		struct post *p = &st->posts.v[i];

		if (p->feed == fi && p->gone &&
		    now - p->gone > st->retention_days * 86400LL) {
			store_post_free(st, p);
			st->posts.v[i] = st->posts.v[--st->posts.len];
			st->index_dirty = true;
			continue;
		}
		i++;
	}
}

/* Merges freshly parsed posts np (their topics and deadlines found by the
 * parse) into feed fi; returns the number new. */
static size_t
store_merge(struct store *st, size_t fi, struct postlist *np, long long now)
{
	struct sfeed *f = &st->feeds[fi];
	struct readmap seen = {0}, old = {0}, lost = {0};
	char err[512];
	size_t i, nnew = 0;
	uint64_t v;

	/* Every old post of the feed needs its body: the feed's body file is
	 * written anew.  Posts whose text was lost (a damaged body file) take
	 * the new one whatever it is. */
	for (i = 0; i < st->posts.len; i++) {
		struct post *p = &st->posts.v[i];

		if (p->feed != fi)
			continue;
		if (store_load_body(st, p, err, sizeof(err)) < 0) {
			p->text = xstrdup("");
			p->flags |= POST_BODY;
			readmap_put(&lost, id_key(p->id), 1);
		}
		readmap_put(&old, id_key(p->id), i);
	}
	for (i = 0; i < np->len; i++) {
		struct post *n = &np->v[i], *p;
		uint64_t key = id_key(n->id);
		bool was_lost;

		if (readmap_get(&seen, key, &v))
			continue;	/* the same item twice in one feed */
		readmap_put(&seen, key, 1);
		if (readmap_get(&old, key, &v)) {
			p = &st->posts.v[v];
			p->gone = 0;
			was_lost = readmap_get(&lost, key, &v);
			if (!was_lost && p->hash == n->hash && !strcmp(p->link, n->link) &&
			    p->date == n->date)
				continue;
			/* Keep the text the user read, to show what was added. */
			if (!was_lost && p->hash != n->hash && (p->flags & POST_READ) &&
			    !(p->flags & POST_UPDATED)) {
				free(p->read_text);
				p->read_text = p->text;
				p->text = NULL;
			}
			post_take(st, p, n);
			p->flags |= POST_BODY;
			store_flag(st, p);
		} else {
			p = postlist_push(&st->posts);
			*p = *n;
			memset(n, 0, sizeof(*n));
			p->feed = fi;
			p->first_seen = now;
			p->flags = POST_BODY;
			store_flag(st, p);
			nnew++;
		}
	}
	/* Posts that left the feed are archived, then dropped after the
	 * retention period (store_expire). */
	f->nposts = 0;
	for (i = 0; i < st->posts.len; i++) {
		struct post *p = &st->posts.v[i];

		if (p->feed != fi)
			continue;
		if (readmap_get(&seen, id_key(p->id), &v)) {
			f->nposts++;
			continue;
		}
		if (!p->gone)
			p->gone = now;
		if (readmap_get(&lost, id_key(p->id), &v))
			store_lost_text(st, p);
	}
	store_expire(st, fi, now);
	free(seen.keys);
	free(seen.vals);
	free(old.keys);
	free(old.vals);
	free(lost.keys);
	free(lost.vals);
	return nnew;
}

/* Writes the feed's posts to a new body file generation. */
static int
store_write_bodies(struct store *st, size_t fi, char *err, size_t errlen)
{
	struct sfeed *f = &st->feeds[fi];
	struct buf b = {0};
	char *path;
	size_t i;
	int r;

	for (i = 0; i < st->posts.len; i++)
		if (st->posts.v[i].feed == fi)
			put_body(&b, &st->posts.v[i]);
	path = body_path(st, f, f->gen + 1);
	r = util_write_file(path, b.data ? b.data : "", b.len, err, errlen);
	free(path);
	buf_free(&b);
	/* The old generation stays until the index that names the new one
	 * is safely written (store_tidy). */
	if (r == 0)
		f->gen++;
	return r;
}

void
store_fetch_all(struct store *st, struct fetcher *f)
{
	size_t i;

	for (i = 0; i < st->nfeeds; i++) {
		const char *url = st->feeds[i].src->url;
		bool file = !util_strncasecmp(url, "file:", 5);

		fetch_add(f, i, url, st->feeds[i].etag, st->feeds[i].last_modified, file);
	}
}

size_t
store_apply(struct store *st, struct fetch_result *res)
{
	struct sfeed *f;
	struct postlist np = {0};
	char err[512];
	long long now = util_now();
	uint64_t bh;
	size_t nnew, i;
	int n;

	if (res->id >= st->nfeeds)
		return 0;
	f = &st->feeds[res->id];
	f->tried = now;
	f->http = res->http_code;
	f->fetched = true;
	f->seconds = res->seconds;
	f->size = res->len;
	f->nnew = 0;
	st->dirty = true;
	if (res->status == FETCH_NOT_MODIFIED) {
		f->ok = now;
		feed_set_error(f, NULL);
		store_expire(st, res->id, now);
		return 0;
	}
	if (res->status != FETCH_OK) {
		feed_set_error(f, res->error);
		return 0;
	}
	bh = util_hash(res->body, res->len, UTIL_HASH_SEED + STORE_PARSER_GEN);
	if (bh == f->bodyhash && f->gen) {
		f->ok = now;
		feed_set_error(f, NULL);
		store_expire(st, res->id, now);
		/* The same body under new validators: keep the new ones. */
		if (strcmp(f->etag ? f->etag : "", res->etag ? res->etag : "") ||
		    strcmp(f->last_modified ? f->last_modified : "",
		    res->last_modified ? res->last_modified : "")) {
			f->etag = (free(f->etag), nonempty(res->etag));
			f->last_modified = (free(f->last_modified), nonempty(res->last_modified));
			st->index_dirty = true;
		}
		return 0;
	}
	{
		struct feed_opts opts = f->src->opts;
		const char *base = res->effective_url ? res->effective_url : f->src->url;

		/* Topics and deadlines are found beside the parse. */
		opts.finish = classify_post;
		opts.finish_ctx = st->topics;

		if (f->src->type && !strcmp(f->src->type, "page"))
			n = page_parse(res->body, res->len, base, res->id, &opts, &np, err, sizeof(err));
		else
			n = feed_parse(res->body, res->len, base, res->id, &opts, &np, err, sizeof(err));
	}
	if (n < 0) {
		postlist_free(&np);
		feed_set_error(f, err);
		return 0;
	}
	for (i = 0; i < np.len; i++)
		np.v[i].feed = res->id;
	nnew = store_merge(st, res->id, &np, now);
	postlist_free(&np);
	st->index_dirty = true;
	f->changed = true;
	f->nnew = nnew;
	if (!st->readonly && store_write_bodies(st, res->id, err, sizeof(err)) < 0) {
		feed_set_error(f, err);
		st->write_failed = true;
		return nnew;
	}
	f->damaged = false;
	f->bodyhash = bh;
	f->ok = now;
	f->etag = (free(f->etag), nonempty(res->etag));
	f->last_modified = (free(f->last_modified), nonempty(res->last_modified));
	feed_set_error(f, NULL);
	return nnew;
}

static int
store_save_index(struct store *st, char *err, size_t errlen)
{
	struct buf b = {0};
	char *path;
	size_t i;
	int r;

	buf_printf(&b, "sendnews-index %d\nrules\t%016llx\n", STORE_VERSION,
	    (unsigned long long)st->topics->hash);
	for (i = 0; i < st->nfeeds; i++) {
		struct sfeed *f = &st->feeds[i];

		buf_printf(&b, "F\t%s\t%u\t%lld\t%lld\t%ld\t%016llx\t", f->key, f->gen,
		    f->tried, f->ok, f->http, (unsigned long long)f->bodyhash);
		put_field(&b, f->etag);
		buf_putc(&b, '\t');
		put_field(&b, f->last_modified);
		buf_putc(&b, '\t');
		put_field(&b, f->error);
		buf_putc(&b, '\t');
		put_field(&b, f->src->url);
		buf_putc(&b, '\n');
	}
	for (i = 0; i < st->posts.len; i++) {
		struct post *p = &st->posts.v[i];

		buf_printf(&b, "P\t%s\t%s\t%lld\t%llx\t%016llx\t%lld\t%lld\t%llu\t%lu\t",
		    st->feeds[p->feed].key, p->id, p->date, (unsigned long long)p->topics,
		    (unsigned long long)p->hash, p->first_seen, p->gone,
		    p->body_off, p->body_len);
		put_field(&b, p->title);
		buf_putc(&b, '\t');
		put_field(&b, p->link);
		buf_printf(&b, "\t%lld\n", p->deadline);
	}
	buf_printf(&b, "end\t%zu\n", st->posts.len);
	path = path_join(st->dir, "index");
	r = util_write_file(path, b.data, b.len, err, errlen);
	free(path);
	buf_free(&b);
	return r;
}

static int
store_save_read(struct store *st, char *err, size_t errlen)
{
	struct readmap *m = st->readmap;
	struct buf b = {0};
	char *path;
	size_t i;
	int r;

	buf_puts(&b, "sendnews-read 1\n");
	for (i = 0; i < m->cap; i++)
		if (m->keys[i])
			buf_printf(&b, "%012llx %016llx\n",
			    (unsigned long long)(m->keys[i] - 1), (unsigned long long)m->vals[i]);
	path = path_join(st->statedir, "read");
	r = util_write_file(path, b.data, b.len, err, errlen);
	free(path);
	buf_free(&b);
	return r;
}

/* True when name is a body file (KEY-GEN) or a temporary file of one
 * (KEY-GEN.tmpPID) that the index on disk does not name: the old
 * generations, what a killed refresh left, feeds no longer followed. */
static bool
store_stale_body(const struct store *st, const char *name)
{
	const char *dash = strchr(name, '-');
	char *end;
	unsigned long gen;
	long fi;
	char key[17];

	if (!dash || dash - name != 16 || strspn(name, hexdigits) != 16 ||
	    (unsigned)(dash[1] - '0') >= 10)
		return false;
	gen = strtoul(dash + 1, &end, 10);
	if (*end && strncmp(end, ".tmp", 4))
		return false;
	if (*end)
		return true;
	memcpy(key, name, 16);
	key[16] = '\0';
	fi = feed_by_key(st, key);
	return fi < 0 || st->feeds[fi].gen != gen;
}

/* Removes the files in dir whose names start with prefix. */
static void
store_tidy_tmp(const char *dir, const char *prefix)
{
	struct dirent *e;
	DIR *d;

	if (!(d = opendir(dir)))
		return;
	while ((e = readdir(d))) {
		if (!strncmp(e->d_name, prefix, strlen(prefix))) {
			char *f = path_join(dir, e->d_name);

			unlink(f);
			free(f);
		}
	}
	closedir(d);
}

/* Removes the files no index names any more: stale body files and the
 * temporary files of a process that was killed while writing.  Only
 * called by the lock holder, after a save, when the index on disk names
 * the generations in memory. */
static void
store_tidy(struct store *st)
{
	char *path = path_join(st->dir, "bodies");
	struct dirent *e;
	DIR *d;

	if ((d = opendir(path))) {
		while ((e = readdir(d))) {
			if (store_stale_body(st, e->d_name)) {
				char *f = path_join(path, e->d_name);

				unlink(f);
				free(f);
			}
		}
		closedir(d);
	}
	free(path);
	store_tidy_tmp(st->dir, "index.tmp");
	store_tidy_tmp(st->dir, "history.tmp");
	store_tidy_tmp(st->statedir, "read.tmp");
}

int
store_save(struct store *st, char *err, size_t errlen)
{
	char why[512];
	int r = 0;

	if (st->readonly)
		return 0;
	/* The read state first: it is the user's own, and a file of its own. */
	if (st->read_dirty) {
		if (store_save_read(st, err, errlen) < 0)
			r = -1;
		else
			st->read_dirty = false;
	}
	if (!st->dirty)
		return r;
	if (st->index_dirty && st->write_failed) {
		/* A body file could not be written (a full disk): the index and
		 * body files on disk stay as they were, consistent. */
		if (!r)
			snprintf(err, errlen, "a cache file could not be written; "
			    "the cache on disk is kept as it was");
		return -1;
	}
	if (st->index_dirty) {
		if (store_save_index(st, why, sizeof(why)) < 0) {
			if (!r)
				snprintf(err, errlen, "%s", why);
			return -1;
		}
		st->index_dirty = false;
	}
	/* After the index, so the history is never older than it. */
	if (store_save_history(st, why, sizeof(why)) < 0) {
		if (!r)
			snprintf(err, errlen, "%s", why);
		return -1;
	}
	st->dirty = false;
	store_tidy(st);
	return r;
}

void
store_close(struct store *st)
{
	char err[512];
	size_t i;

	if (st->dir)
		store_save(st, err, sizeof(err));
	store_free_posts(st);
	for (i = 0; i < st->nfeeds; i++) {
		free(st->feeds[i].key);
		free(st->feeds[i].etag);
		free(st->feeds[i].last_modified);
		free(st->feeds[i].error);
	}
	free(st->feeds);
	if (st->readmap) {
		free(((struct readmap *)st->readmap)->keys);
		free(((struct readmap *)st->readmap)->vals);
		free(st->readmap);
	}
	if (st->lockfd >= 0)
		close(st->lockfd);
	free(st->dir);
	free(st->statedir);
	free(st->warning);
	memset(st, 0, sizeof(*st));
	st->lockfd = -1;
}

void
store_set_read(struct store *st, struct post *p, bool read)
{
	uint64_t key = id_key(p->id);

	if (read)
		readmap_put(st->readmap, key, p->hash);
	else
		readmap_del(st->readmap, key);
	store_flag(st, p);
	st->read_dirty = true;
}

struct post *
store_find(struct store *st, const char *id)
{
	struct post *found = NULL;
	size_t i, n = strlen(id);

	if (!n)
		return NULL;
	for (i = 0; i < st->posts.len; i++) {
		if (!strncmp(st->posts.v[i].id, id, n)) {
			if (found && strcmp(found->id, st->posts.v[i].id))
				return NULL;
			found = &st->posts.v[i];
		}
	}
	return found;
}

void
filter_init(struct filter *fl)
{
	memset(fl, 0, sizeof(*fl));
	fl->topic = -1;
	fl->feed = -1;
}

/* True when every word of search occurs in the title or text. */
static bool
store_matches(const struct post *p, const char *search)
{
	char word[256];
	const char *s = search;
	int n;

	while (sscanf(s, " %255s%n", word, &n) == 1) {
		s += n;
		if (!util_strcasestr(p->title, word) &&
		    !(p->text && util_strcasestr(p->text, word)))
			return false;
	}
	return true;
}

static int
post_ptr_cmp(const void *a, const void *b)
{
	const struct post *x = *(struct post *const *)a, *y = *(struct post *const *)b;

	if (x->date != y->date) {
		if (!x->date || !y->date)
			return x->date ? -1 : 1;
		return x->date > y->date ? -1 : 1;
	}
	if (x->first_seen != y->first_seen)
		return x->first_seen > y->first_seen ? -1 : 1;
	return strcmp(x->id, y->id);
}

size_t
store_select(struct store *st, const struct filter *fl, struct post ***out)
{
	struct post **v = xreallocarray(NULL, st->posts.len + 1, sizeof(*v));
	size_t i, n = 0, other = st->topics->len;
	char err[512];

	for (i = 0; i < st->posts.len; i++) {
		struct post *p = &st->posts.v[i];

		if (p->gone && !fl->archived)
			continue;
		if (fl->topic >= 0) {
			if ((size_t)fl->topic == other ? p->topics != 0 :
			    !(p->topics & (1ULL << fl->topic)))
				continue;
		}
		if (fl->feed >= 0 && p->feed != (size_t)fl->feed)
			continue;
		if (fl->unread && (p->flags & POST_READ) && !(p->flags & POST_UPDATED))
			continue;
		if (fl->since && p->date < fl->since)
			continue;
		if (fl->search && *fl->search) {
			store_load_body(st, p, err, sizeof(err));
			if (!store_matches(p, fl->search))
				continue;
		}
		v[n++] = p;
	}
	qsort(v, n, sizeof(*v), post_ptr_cmp);
	*out = v;
	return n;
}

void
store_count(struct store *st, size_t *total, size_t *unread)
{
	size_t i, k, nt = st->topics->len;

	memset(total, 0, (nt + 1) * sizeof(*total));
	memset(unread, 0, (nt + 1) * sizeof(*unread));
	for (i = 0; i < st->posts.len; i++) {
		const struct post *p = &st->posts.v[i];
		bool un = !(p->flags & POST_READ) || (p->flags & POST_UPDATED);

		if (p->gone)
			continue;
		if (!p->topics) {
			total[nt]++;
			unread[nt] += un;
			continue;
		}
		for (k = 0; k < nt; k++) {
			if (p->topics & (1ULL << k)) {
				total[k]++;
				unread[k] += un;
			}
		}
	}
}

char *
store_default_dir(const char *xdg_var, const char *fallback)
{
	const char *x = getenv(xdg_var), *home = getenv("HOME");

	if (x && *x == '/')
		return xasprintf("%s/sendnews", x);
	return xasprintf("%s/%s/sendnews", home && *home ? home : ".", fallback);
}

size_t
store_closing(struct store *st, long long now, struct post ***out)
{
	struct post **v = xreallocarray(NULL, st->posts.len + 1, sizeof(*v));
	size_t i, k = 0;

	/* The few open ones first, then sorted: the reader counts these at
	 * every start, over every cached post. */
	for (i = 0; i < st->posts.len; i++) {
		struct post *p = &st->posts.v[i];

		if (p->deadline && !p->gone && deadline_open(p->deadline, now))
			v[k++] = p;
	}
	deadline_sort(v, k);
	*out = v;
	return k;
}

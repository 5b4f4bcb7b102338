#ifndef UTIL_H
#define UTIL_H

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A growing byte buffer; data is always NUL-terminated once anything was
 * appended.  buf_free() leaves it empty and reusable. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

/* Called by die() before it prints, so the UI can restore the terminal. */
void util_set_die_hook(void (*hook)(void));

/* For the impossible (allocation failure, broken invariants): prints
 * "sendnews: message" to stderr and exits with status 2. */
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array of nmemb elements of size bytes, checking for overflow. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a formatted string the caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void buf_grow(struct buf *b, size_t extra);
void buf_append(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
/* Inline: it is called once per character on the parsing hot path. */
static inline void
buf_putc(struct buf *b, char c)
{
	if (b->len + 1 >= b->cap)
		buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the string over to the caller (never NULL) and empties b. */
char *buf_steal(struct buf *b);
void buf_free(struct buf *b);

/* A fast 64-bit hash, for ids and content hashes (not for security). */
uint64_t util_hash(const void *data, size_t len, uint64_t seed);
#define UTIL_HASH_SEED 0xcbf29ce484222325ULL

/* Reads a whole file into memory (NUL-terminated); returns 0, or -1 with a
 * message in err.  At most max bytes: larger files are an error. */
int util_read_file(const char *path, size_t max, char **data, size_t *len,
    char *err, size_t errlen);

/* Writes data durably: a temporary file in the same directory, fsync,
 * rename over path, fsync of the directory.  On failure the old file is
 * untouched, the temporary file removed, and err says why. */
int util_write_file(const char *path, const void *data, size_t len,
    char *err, size_t errlen);

/* mkdir -p with mode 0700 for directories it creates. */
int util_mkdirs(const char *path, char *err, size_t errlen);

/* Case-insensitive ASCII comparisons. */
int util_strncasecmp(const char *a, const char *b, size_t n);
/* Finds needle in haystack ignoring ASCII case; NULL when absent. */
const char *util_strcasestr(const char *haystack, const char *needle);

/* Work shared between threads: fn(ctx, i) for every i in [0, n).  Each
 * thread takes the next item not yet taken, so a thread that gets less of
 * the processors simply does fewer items.  fn must touch only what item i
 * owns and read shared data; the result never depends on the number of
 * threads, and where a thread cannot be started the others do its part. */
#define UTIL_THREADS 8
struct util_work {
	void (*fn)(void *ctx, size_t i);
	void *ctx;
	size_t n;
	atomic_size_t next;
	pthread_t tid[UTIL_THREADS];
	size_t nthreads;
};

/* The number of online processors, from 1 to UTIL_THREADS. */
size_t util_cpus(void);
/* Starts the work on up to helpers threads of its own, fewer when n is
 * under min_share items per thread (the caller counts as one), and
 * returns; util_work_finish must follow. */
void util_work_start(struct util_work *w, size_t n, size_t min_share,
    size_t helpers, void (*fn)(void *ctx, size_t i), void *ctx);
/* The caller's thread takes items too until none is left, then waits for
 * the helpers. */
void util_work_finish(struct util_work *w);

/* Seconds since the epoch: SENDNEWS_NOW (a number, or YYYY-MM-DD) when
 * set, so tests control the clock, else time(). */
long long util_now(void);

#endif

#ifndef FETCH_H
#define FETCH_H

#include <stdbool.h>
#include <stddef.h>

/* Many transfers at once in one curl multi handle, driven by fetch_poll()
 * from the caller's loop (which may add its own file descriptors, so the
 * reader keeps taking keys during a refresh).  No threads, no blocking. */

enum fetch_status {
	FETCH_OK,          /* 2xx with a body */
	FETCH_NOT_MODIFIED,/* 304: the cached copy stands */
	FETCH_HTTP_ERROR,  /* another HTTP status */
	FETCH_DNS,         /* name not resolved */
	FETCH_REFUSED,     /* could not connect */
	FETCH_TIMEOUT,     /* too slow (total, connect, or stalled) */
	FETCH_TOO_LARGE,   /* body over the size cap */
	FETCH_TLS,         /* certificate or TLS failure */
	FETCH_REFUSED_URL, /* scheme not allowed, or redirect to one */
	FETCH_FAILED,      /* anything else curl reports */
};

/* Defaults for struct fetch_opts; a field left 0 takes its default
 * (max_redirects below 0 follows no redirect at all). */
#define FETCH_DEFAULT_PARALLEL 256
#define FETCH_DEFAULT_PER_HOST 8
#define FETCH_DEFAULT_TIMEOUT 30
#define FETCH_DEFAULT_CONNECT_TIMEOUT 10
#define FETCH_DEFAULT_REDIRECTS 5
/* A transfer that receives nothing at all for this many seconds (or for
 * its whole timeout, when that is shorter) is stopped as stalled. */
#define FETCH_STALL_SECONDS 20

struct fetch_opts {
	long max_parallel;      /* transfers at once (default 256) */
	long max_per_host;      /* per host (default 8) */
	long timeout;           /* seconds for a whole transfer (default 30) */
	long connect_timeout;   /* seconds (default 10) */
	size_t max_size;        /* bytes (default FEED_MAX_BODY) */
	long max_redirects;     /* default 5 */
	const char *user_agent; /* NULL: "sendnews/VERSION (+URL) libcurl/x" */
};

/* One finished transfer; strings owned by the result. */
struct fetch_result {
	size_t id;              /* the caller's id from fetch_add */
	enum fetch_status status;
	long http_code;         /* 0 when no HTTP answer */
	char *body;             /* NUL-terminated, decoded (gzip etc.);
	                         * never NULL, "" unless status is FETCH_OK */
	size_t len;
	char *etag;             /* from the answer, or NULL */
	char *last_modified;    /* from the answer, or NULL */
	char *content_type;     /* or NULL */
	char *effective_url;    /* after redirects: the base for links */
	double seconds;         /* total time */
	char error[256];        /* why, for a person, when status is not OK/304 */
};

struct fetcher;

/* opts may be NULL for the defaults.  Returns a fetcher the caller frees
 * with fetch_free.  Calls curl_global_init (balanced by fetch_free), which
 * is not thread-safe: create fetchers from one thread. */
struct fetcher *fetch_new(const struct fetch_opts *opts);
void fetch_free(struct fetcher *f);

/* Queues a GET of url.  etag and last_modified (may be NULL) make it
 * conditional.  allow_file permits a file:// URL (only for URLs the user
 * wrote); redirects never go to file. */
void fetch_add(struct fetcher *f, size_t id, const char *url,
    const char *etag, const char *last_modified, bool allow_file);

/* Number of transfers queued or running, plus finished ones not yet taken
 * by fetch_next, so `while (fetch_pending(f)) { fetch_poll(...); while
 * (fetch_next(...)) ...; }` sees every result.  A URL refused before any
 * transfer (bad scheme) is finished at once. */
size_t fetch_pending(const struct fetcher *f);

/* Runs transfers for up to timeout_ms, also waking when one of the extra
 * file descriptors (may be NULL/0) is readable; extra_ready, when not NULL,
 * is set to whether any was.  Returns the number still pending.  Returns
 * without waiting while finished results wait for fetch_next; waits on the
 * extra descriptors even when nothing is being fetched. */
size_t fetch_poll(struct fetcher *f, const int *extra_fds, size_t nextra,
    int timeout_ms, bool *extra_ready);

/* Takes the next finished transfer into res (the caller then calls
 * fetch_result_free); returns false when none is waiting. */
bool fetch_next(struct fetcher *f, struct fetch_result *res);
void fetch_result_free(struct fetch_result *res);

const char *fetch_status_name(enum fetch_status s);
/* "libcurl/7.88.1 OpenSSL/3.0 ...": static string. */
const char *fetch_version(void);

#endif

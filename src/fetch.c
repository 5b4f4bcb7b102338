#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "feed.h"
#include "fetch.h"
#include "util.h"

#ifndef VERSION
#define VERSION "dev"
#endif

#define PROJECT_URL "https://github.com/sendnews"
#define MAX_VALIDATOR 1024 /* longer ETag/Last-Modified values are ignored */
#define MAX_REASON 100     /* bytes of a reason phrase kept */

/* One GET, from fetch_add until its result is queued. */
struct transfer {
	size_t id;
	char *url;
	char *host;            /* lowercased, for the per-host cap; NULL: file */
	bool is_file;
	char *send_etag;       /* validators for a conditional GET, or NULL */
	char *send_modified;
	CURL *easy;            /* NULL until started */
	struct curl_slist *headers;
	struct buf body;
	size_t max_size;
	bool too_large;        /* the write callback stopped the transfer */
	char *etag;            /* from the latest response only */
	char *last_modified;
	char *content_type;
	char *location;
	char reason[MAX_REASON + 1];
	char errbuf[CURL_ERROR_SIZE];
};

struct fetcher {
	CURLM *multi;
	struct fetch_opts opts;     /* with the defaults filled in */
	char *user_agent;
	struct transfer **waiting;  /* queued, not yet in the multi handle */
	size_t nwaiting, capwaiting;
	struct transfer **running;  /* in the multi handle */
	size_t nrunning, caprunning;
	struct fetch_result *done;  /* finished, from donehead to ndone */
	size_t donehead, ndone, capdone;
	struct curl_waitfd *waitfds;/* scratch for fetch_poll's extra fds */
	size_t capwaitfds;
};

/* Reason phrases for status lines that carry none (HTTP/2 and later). */
static const struct {
	long code;
	const char *text;
} reasons[] = {
	{ 400, "Bad Request" }, { 401, "Unauthorized" }, { 403, "Forbidden" },
	{ 404, "Not Found" }, { 405, "Method Not Allowed" }, { 406, "Not Acceptable" },
	{ 408, "Request Timeout" }, { 410, "Gone" }, { 429, "Too Many Requests" },
	{ 451, "Unavailable For Legal Reasons" }, { 500, "Internal Server Error" },
	{ 501, "Not Implemented" }, { 502, "Bad Gateway" },
	{ 503, "Service Unavailable" }, { 504, "Gateway Timeout" },
};

/* Keeps printable ASCII only: messages and header values come from the
 * network and may end up on a terminal. */
static void
sanitize(char *s)
{
	char *out = s;

	for (; *s; s++)
		if (*s >= 0x20 && *s < 0x7f)
			*out++ = *s;
	*out = '\0';
}

/* Messages are cut at the caller's buffer on purpose: a wrapper, so the
 * compiler does not warn about every possible truncation. */
static void __attribute__((format(printf, 3, 4)))
set_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static char *
copy_trimmed(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return xstrndup(s, n);
}

/* A validator is sent back in a request header later, so anything that
 * could break a header line is refused rather than cleaned. */
static bool
header_value_safe(const char *s)
{
	size_t n = 0;

	if (!s || !*s)
		return false;
	for (; *s; s++, n++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f || n >= MAX_VALIDATOR)
			return false;
	return true;
}

static void
format_size(char *out, size_t outlen, size_t bytes)
{
	const size_t mb = 1024 * 1024;

	if (bytes >= mb && bytes % mb == 0)
		snprintf(out, outlen, "%zu MB", bytes / mb);
	else if (bytes >= mb)
		snprintf(out, outlen, "%.1f MB", (double)bytes / mb);
	else if (bytes >= 1024 && bytes % 1024 == 0)
		snprintf(out, outlen, "%zu KB", bytes / 1024);
	else
		snprintf(out, outlen, "%zu bytes", bytes);
}

/* Splits url with curl's own parser, so we judge the scheme exactly as
 * curl will.  *host is lowercased, NULL when the URL has none. */
static int
url_parts(const char *url, char **scheme, char **host)
{
	CURLU *u = curl_url();
	char *s = NULL, *h = NULL;
	CURLUcode rc;

	if (!u)
		die("out of memory");
	*scheme = *host = NULL;
	rc = curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME);
	if (rc == CURLUE_OK)
		rc = curl_url_get(u, CURLUPART_SCHEME, &s, 0);
	if (rc == CURLUE_OK) {
		*scheme = xstrdup(s);
		if (curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK && *h) {
			*host = xstrdup(h);
			for (char *p = *host; *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p += 'a' - 'A';
		}
	}
	curl_free(s);
	curl_free(h);
	curl_url_cleanup(u);
	return rc == CURLUE_OK ? 0 : -1;
}

static void
transfer_free(struct transfer *t)
{
	free(t->url);
	free(t->host);
	free(t->send_etag);
	free(t->send_modified);
	if (t->easy)
		curl_easy_cleanup(t->easy);
	curl_slist_free_all(t->headers);
	buf_free(&t->body);
	free(t->etag);
	free(t->last_modified);
	free(t->content_type);
	free(t->location);
	free(t);
}

static void
push_done(struct fetcher *f, struct fetch_result *r)
{
	sanitize(r->error);
	if (f->ndone == f->capdone && f->donehead > 0) {
		/* Reuse the slots already handed out before growing. */
		memmove(f->done, f->done + f->donehead,
		    (f->ndone - f->donehead) * sizeof *f->done);
		f->ndone -= f->donehead;
		f->donehead = 0;
	}
	if (f->ndone == f->capdone) {
		f->capdone = f->capdone ? f->capdone * 2 : 16;
		f->done = xreallocarray(f->done, f->capdone, sizeof *f->done);
	}
	f->done[f->ndone++] = *r;
}

/* Finishes a transfer that never reached curl. */
static void
refuse(struct fetcher *f, struct transfer *t, enum fetch_status status,
    const char *why)
{
	struct fetch_result r = {0};

	r.id = t->id;
	r.status = status;
	r.body = xstrdup("");
	r.effective_url = xstrdup(t->url);
	snprintf(r.error, sizeof r.error, "%s", why);
	push_done(f, &r);
	transfer_free(t);
}

/* Header callback.  curl hands us the headers of every response on the
 * way (redirects, 100 Continue, proxy CONNECT), so each status line starts
 * afresh and only the final response's values survive. */
static size_t
on_header(char *data, size_t size, size_t n, void *p)
{
	struct transfer *t = p;
	const char *colon, *v;
	size_t len = size * n, namelen;
	char **slot = NULL;

	if (len >= 5 && !memcmp(data, "HTTP/", 5)) {
		free(t->etag);
		free(t->last_modified);
		free(t->content_type);
		free(t->location);
		t->etag = t->last_modified = t->content_type = t->location = NULL;
		/* "HTTP/1.1 404 Not Found": the reason follows the code. */
		v = memchr(data, ' ', len);
		if (v)
			v = memchr(v + 1, ' ', len - (size_t)(v + 1 - data));
		t->reason[0] = '\0';
		if (v) {
			size_t rl = len - (size_t)(v + 1 - data);

			if (rl > MAX_REASON)
				rl = MAX_REASON;
			memcpy(t->reason, v + 1, rl);
			t->reason[rl] = '\0';
			sanitize(t->reason);
		}
		return len;
	}
	colon = memchr(data, ':', len);
	if (!colon)
		return len;
	namelen = (size_t)(colon - data);
	if (namelen == 4 && !util_strncasecmp(data, "etag", 4))
		slot = &t->etag;
	else if (namelen == 13 && !util_strncasecmp(data, "last-modified", 13))
		slot = &t->last_modified;
	else if (namelen == 12 && !util_strncasecmp(data, "content-type", 12))
		slot = &t->content_type;
	else if (namelen == 8 && !util_strncasecmp(data, "location", 8))
		slot = &t->location;
	if (!slot)
		return len;
	free(*slot);
	*slot = copy_trimmed(colon + 1, len - namelen - 1);
	if (slot == &t->etag || slot == &t->last_modified) {
		if (!header_value_safe(*slot)) {
			free(*slot);
			*slot = NULL;
		}
	} else {
		sanitize(*slot);
	}
	return len;
}

/* Write callback: the size cap is on decoded bytes, which is what stops
 * chunked bodies and compression bombs (CURLOPT_MAXFILESIZE only sees a
 * Content-Length).  Bodies of error answers are not kept. */
static size_t
on_body(char *data, size_t size, size_t n, void *p)
{
	struct transfer *t = p;
	size_t len = size * n;
	long code = 0;

	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code);
	if (code != 0 && (code < 200 || code > 299))
		return len;
	if (len > t->max_size - t->body.len) {
		t->too_large = true;
		return 0;
	}
	buf_append(&t->body, data, len);
	return len;
}

static void
host_of(const char *url, char *out, size_t outlen)
{
	char *scheme, *host;

	url_parts(url, &scheme, &host);
	snprintf(out, outlen, "%s", host ? host : url);
	free(scheme);
	free(host);
}

/* Turns curl's verdict into a status and a sentence for a person. */
static enum fetch_status
transfer_status(const struct fetcher *f, const struct transfer *t,
    CURLcode rc, long code, const char *eff, char *err, size_t errlen)
{
	const char *why = t->errbuf[0] ? t->errbuf : curl_easy_strerror(rc);
	char host[256], size[32];
	curl_off_t connect = 0;
	long redirects = 0, oserr = 0;
	size_t i;

	curl_easy_getinfo(t->easy, CURLINFO_CONNECT_TIME_T, &connect);
	curl_easy_getinfo(t->easy, CURLINFO_REDIRECT_COUNT, &redirects);
	curl_easy_getinfo(t->easy, CURLINFO_OS_ERRNO, &oserr);
	switch (rc) {
	case CURLE_OK:
		if (t->is_file || (code >= 200 && code <= 299))
			return FETCH_OK;
		if (code == 304)
			return FETCH_NOT_MODIFIED;
		why = t->reason;
		for (i = 0; !*why && i < sizeof reasons / sizeof reasons[0]; i++)
			if (reasons[i].code == code)
				why = reasons[i].text;
		set_error(err, errlen, "HTTP %ld%s%s", code, *why ? " " : "", why);
		return FETCH_HTTP_ERROR;
	case CURLE_COULDNT_RESOLVE_HOST:
		host_of(eff, host, sizeof host);
		set_error(err, errlen, "could not resolve host %s", host);
		return FETCH_DNS;
	case CURLE_COULDNT_RESOLVE_PROXY:
		set_error(err, errlen, "could not resolve the proxy: %s", why);
		return FETCH_DNS;
	case CURLE_COULDNT_CONNECT:
		/* The socket's errno tells a refusal from a dead route. */
		host_of(eff, host, sizeof host);
		if (oserr == ECONNREFUSED)
			set_error(err, errlen, "connection refused by %s", host);
		else if (oserr == ENETUNREACH || oserr == EHOSTUNREACH)
			set_error(err, errlen, "%s is unreachable", host);
		else
			set_error(err, errlen, "could not connect to %s: %s", host, why);
		return FETCH_REFUSED;
	case CURLE_OPERATION_TIMEDOUT:
		/* Only curl's text says which limit struck: the low-speed
		 * check calls it "too slow"; no connect time means connecting. */
		if (strstr(why, "too slow"))
			set_error(err, errlen, "stalled: nothing received for %ld s",
			    f->opts.timeout < FETCH_STALL_SECONDS ?
			    f->opts.timeout : FETCH_STALL_SECONDS);
		else if (connect == 0)
			set_error(err, errlen, "timed out after %ld s while connecting",
			    f->opts.connect_timeout < f->opts.timeout ?
			    f->opts.connect_timeout : f->opts.timeout);
		else
			set_error(err, errlen, "timed out after %ld s", f->opts.timeout);
		return FETCH_TIMEOUT;
	case CURLE_WRITE_ERROR:
	case CURLE_FILESIZE_EXCEEDED:
		/* A write error we did not cause is not about size. */
		if (rc == CURLE_WRITE_ERROR && !t->too_large)
			break;
		format_size(size, sizeof size, t->max_size);
		set_error(err, errlen, "larger than %s", size);
		return FETCH_TOO_LARGE;
	case CURLE_TOO_MANY_REDIRECTS:
		set_error(err, errlen, "too many redirects (more than %ld)",
		    f->opts.max_redirects);
		return FETCH_FAILED;
	case CURLE_UNSUPPORTED_PROTOCOL:
		/* After a redirect this is REDIR_PROTOCOLS_STR at work: name
		 * the target as the server gave it. */
		if (redirects > 0 || t->location)
			set_error(err, errlen, "refused: redirect to %s (only http "
			    "and https are followed)", t->location ? t->location : eff);
		else
			set_error(err, errlen, "refused: %s (only http and https URLs "
			    "are fetched)", t->url);
		return FETCH_REFUSED_URL;
	case CURLE_URL_MALFORMAT:
		if (t->location)
			set_error(err, errlen, "refused: redirect to a malformed URL "
			    "%s", t->location);
		else
			set_error(err, errlen, "not a valid URL: %s", eff);
		return FETCH_REFUSED_URL;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_USE_SSL_FAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CLIENTCERT:
		set_error(err, errlen, "TLS: %s", why);
		return FETCH_TLS;
	case CURLE_PARTIAL_FILE:
		set_error(err, errlen, "connection closed before the end: %s", why);
		return FETCH_FAILED;
	case CURLE_GOT_NOTHING:
		set_error(err, errlen, "the server closed the connection without "
		    "answering");
		return FETCH_FAILED;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		set_error(err, errlen, "connection lost: %s", why);
		return FETCH_FAILED;
	case CURLE_BAD_CONTENT_ENCODING:
		set_error(err, errlen, "could not decode the body: %s", why);
		return FETCH_FAILED;
	default:
		break;
	}
	set_error(err, errlen, "%s", why);
	return FETCH_FAILED;
}

/* Moves a transfer that curl finished into the done queue. */
static void
transfer_finish(struct fetcher *f, struct transfer *t, CURLcode rc)
{
	struct fetch_result r = {0};
	curl_off_t total = 0;
	char *eff = NULL;

	r.id = t->id;
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &r.http_code);
	curl_easy_getinfo(t->easy, CURLINFO_EFFECTIVE_URL, &eff);
	curl_easy_getinfo(t->easy, CURLINFO_TOTAL_TIME_T, &total);
	r.seconds = total / 1e6;
	r.effective_url = xstrdup(eff ? eff : t->url);
	r.status = transfer_status(f, t, rc, r.http_code, r.effective_url,
	    r.error, sizeof r.error);
	/* curl reports a refused redirect's target as the effective URL;
	 * that must never become a base for anything. */
	if (r.status == FETCH_REFUSED_URL) {
		free(r.effective_url);
		r.effective_url = xstrdup(t->url);
	}
	if (r.status == FETCH_OK) {
		r.len = t->body.len;
		r.body = buf_steal(&t->body);
	} else {
		r.body = xstrdup("");
	}
	r.etag = t->etag;
	r.last_modified = t->last_modified;
	r.content_type = t->content_type;
	t->etag = t->last_modified = t->content_type = NULL;
	push_done(f, &r);
}

/* Sets up the easy handle and hands it to the multi handle; a failure
 * here finishes the transfer at once. */
static void
transfer_start(struct fetcher *f, struct transfer *t)
{
	const struct fetch_opts *o = &f->opts;
	long stall = o->timeout < FETCH_STALL_SECONDS ? o->timeout :
	    FETCH_STALL_SECONDS;
	CURL *e = curl_easy_init();
	bool bad = false;
	char *h;

	if (!e)
		die("out of memory");
	t->easy = e;
	t->max_size = o->max_size;
	if (t->send_etag) {
		h = xasprintf("If-None-Match: %s", t->send_etag);
		t->headers = curl_slist_append(t->headers, h);
		free(h);
	}
	if (t->send_modified) {
		h = xasprintf("If-Modified-Since: %s", t->send_modified);
		t->headers = curl_slist_append(t->headers, h);
		free(h);
	}
	curl_easy_setopt(e, CURLOPT_PRIVATE, (void *)t);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, (void *)t);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, (void *)t);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, f->user_agent);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_TIMEOUT, o->timeout);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, o->connect_timeout);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, stall);
	if (t->headers)
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
	/* The safety options must take, or the transfer does not run. */
	bad |= curl_easy_setopt(e, CURLOPT_URL, t->url) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR,
	    t->is_file ? "http,https,file" : "http,https") != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR,
	    "http,https") != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION,
	    o->max_redirects >= 0 ? 1L : 0L) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_MAXREDIRS,
	    o->max_redirects >= 0 ? o->max_redirects : 0L) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)o->max_size) != CURLE_OK;
	if (bad) {
		snprintf(t->errbuf, sizeof t->errbuf, "libcurl refused a safety "
		    "option (libcurl 7.85 or later is needed)");
		transfer_finish(f, t, CURLE_FAILED_INIT);
		transfer_free(t);
		return;
	}
	if (curl_multi_add_handle(f->multi, e) != CURLM_OK) {
		snprintf(t->errbuf, sizeof t->errbuf, "could not start the "
		    "transfer");
		transfer_finish(f, t, CURLE_FAILED_INIT);
		transfer_free(t);
		return;
	}
	if (f->nrunning == f->caprunning) {
		f->caprunning = f->caprunning ? f->caprunning * 2 : 16;
		f->running = xreallocarray(f->running, f->caprunning,
		    sizeof *f->running);
	}
	f->running[f->nrunning++] = t;
}

static size_t
running_on_host(const struct fetcher *f, const char *host)
{
	size_t i, n = 0;

	for (i = 0; i < f->nrunning; i++)
		if (f->running[i]->host && !strcmp(f->running[i]->host, host))
			n++;
	return n;
}

/* Starts waiting transfers, oldest first, while there are free slots.  We
 * keep this queue ourselves rather than leave transfers in curl's pending
 * state, where their timeouts would already be running. */
static void
fetch_schedule(struct fetcher *f)
{
	size_t i, kept = 0;
	struct transfer *t;

	for (i = 0; i < f->nwaiting; i++) {
		t = f->waiting[i];
		if (f->nrunning < (size_t)f->opts.max_parallel && (!t->host ||
		    running_on_host(f, t->host) < (size_t)f->opts.max_per_host))
			transfer_start(f, t);
		else
			f->waiting[kept++] = t;
	}
	f->nwaiting = kept;
}

/* Takes every finished transfer out of the multi handle. */
static void
fetch_collect(struct fetcher *f)
{
	struct transfer *t;
	CURLMsg *m;
	CURLcode rc;
	CURL *e;
	char *priv;
	size_t i;
	int left;

	while ((m = curl_multi_info_read(f->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		e = m->easy_handle;
		rc = m->data.result;
		priv = NULL;
		curl_easy_getinfo(e, CURLINFO_PRIVATE, &priv);
		t = (struct transfer *)(void *)priv;
		transfer_finish(f, t, rc);
		curl_multi_remove_handle(f->multi, e);
		for (i = 0; i < f->nrunning; i++)
			if (f->running[i] == t) {
				f->running[i] = f->running[--f->nrunning];
				break;
			}
		transfer_free(t);
	}
}

struct fetcher *
fetch_new(const struct fetch_opts *opts)
{
	struct fetcher *f = xcalloc(1, sizeof *f);
	struct fetch_opts *o = &f->opts;

	/* A field left 0 takes its default, so callers set only what they
	 * change. */
	if (opts)
		*o = *opts;
	if (o->max_parallel <= 0)
		o->max_parallel = FETCH_DEFAULT_PARALLEL;
	if (o->max_per_host <= 0)
		o->max_per_host = FETCH_DEFAULT_PER_HOST;
	if (o->timeout <= 0)
		o->timeout = FETCH_DEFAULT_TIMEOUT;
	if (o->connect_timeout <= 0)
		o->connect_timeout = FETCH_DEFAULT_CONNECT_TIMEOUT;
	if (o->max_size == 0)
		o->max_size = FEED_MAX_BODY;
	if (o->max_redirects == 0)
		o->max_redirects = FETCH_DEFAULT_REDIRECTS;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		die("libcurl failed to initialise");
	f->multi = curl_multi_init();
	if (!f->multi)
		die("out of memory");
	if (o->user_agent)
		f->user_agent = xstrdup(o->user_agent);
	else
		f->user_agent = xasprintf("sendnews/%s (+%s) libcurl/%s", VERSION,
		    PROJECT_URL, curl_version_info(CURLVERSION_NOW)->version);
	o->user_agent = f->user_agent;
	/* Our own queue enforces these; curl's limits also cover hosts that
	 * redirects lead to. */
	curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    o->max_parallel);
	curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    o->max_per_host);
	return f;
}

void
fetch_free(struct fetcher *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->nrunning; i++) {
		curl_multi_remove_handle(f->multi, f->running[i]->easy);
		transfer_free(f->running[i]);
	}
	for (i = 0; i < f->nwaiting; i++)
		transfer_free(f->waiting[i]);
	for (i = f->donehead; i < f->ndone; i++)
		fetch_result_free(&f->done[i]);
	curl_multi_cleanup(f->multi);
	curl_global_cleanup();
	free(f->running);
	free(f->waiting);
	free(f->done);
	free(f->waitfds);
	free(f->user_agent);
	free(f);
}

void
fetch_add(struct fetcher *f, size_t id, const char *url, const char *etag,
    const char *last_modified, bool allow_file)
{
	struct transfer *t = xcalloc(1, sizeof *t);
	char *scheme = NULL, why[256];

	t->id = id;
	t->url = xstrdup(url ? url : "");
	if (url_parts(t->url, &scheme, &t->host) < 0) {
		snprintf(why, sizeof why, "not a valid URL: %s", t->url);
		refuse(f, t, FETCH_REFUSED_URL, why);
		return;
	}
	t->is_file = !util_strncasecmp(scheme, "file", 5);
	if (util_strncasecmp(scheme, "http", 5) &&
	    util_strncasecmp(scheme, "https", 6) && !(t->is_file && allow_file)) {
		free(scheme);
		snprintf(why, sizeof why, "refused: %s (only http and https URLs "
		    "are fetched)", t->url);
		refuse(f, t, FETCH_REFUSED_URL, why);
		return;
	}
	free(scheme);
	if (t->is_file) {
		/* Files are read at once in curl_multi_perform: no host cap. */
		free(t->host);
		t->host = NULL;
	}
	if (header_value_safe(etag))
		t->send_etag = xstrdup(etag);
	if (header_value_safe(last_modified))
		t->send_modified = xstrdup(last_modified);
	if (f->nwaiting == f->capwaiting) {
		f->capwaiting = f->capwaiting ? f->capwaiting * 2 : 16;
		f->waiting = xreallocarray(f->waiting, f->capwaiting,
		    sizeof *f->waiting);
	}
	f->waiting[f->nwaiting++] = t;
}

size_t
fetch_pending(const struct fetcher *f)
{
	return f->nwaiting + f->nrunning + (f->ndone - f->donehead);
}

size_t
fetch_poll(struct fetcher *f, const int *extra_fds, size_t nextra,
    int timeout_ms, bool *extra_ready)
{
	bool ready = false;
	size_t i;
	int still;

	if (extra_ready)
		*extra_ready = false;
	if (nextra == 0 && fetch_pending(f) == 0)
		return 0;
	/* Perform before the wait starts new transfers and reaps finished
	 * ones; perform after it handles whatever the wait woke for. */
	fetch_schedule(f);
	curl_multi_perform(f->multi, &still);
	fetch_collect(f);
	fetch_schedule(f);
	/* Results already waiting must reach the caller without delay. */
	if (f->ndone > f->donehead || timeout_ms < 0)
		timeout_ms = 0;
	if (nextra > f->capwaitfds) {
		f->waitfds = xreallocarray(f->waitfds, nextra, sizeof *f->waitfds);
		f->capwaitfds = nextra;
	}
	for (i = 0; i < nextra; i++) {
		f->waitfds[i].fd = extra_fds[i];
		f->waitfds[i].events = CURL_WAIT_POLLIN;
		f->waitfds[i].revents = 0;
	}
	curl_multi_poll(f->multi, nextra ? f->waitfds : NULL, (unsigned)nextra,
	    timeout_ms, NULL);
	for (i = 0; i < nextra; i++)
		if (f->waitfds[i].revents)
			ready = true;
	curl_multi_perform(f->multi, &still);
	fetch_collect(f);
	fetch_schedule(f);
	if (extra_ready)
		*extra_ready = ready;
	return fetch_pending(f);
}

bool
fetch_next(struct fetcher *f, struct fetch_result *res)
{
	if (f->donehead == f->ndone)
		return false;
	*res = f->done[f->donehead++];
	if (f->donehead == f->ndone)
		f->donehead = f->ndone = 0;
	return true;
}

void
fetch_result_free(struct fetch_result *res)
{
	free(res->body);
	free(res->etag);
	free(res->last_modified);
	free(res->content_type);
	free(res->effective_url);
	memset(res, 0, sizeof *res);
}

const char *
fetch_status_name(enum fetch_status s)
{
	switch (s) {
	case FETCH_OK: return "ok";
	case FETCH_NOT_MODIFIED: return "not-modified";
	case FETCH_HTTP_ERROR: return "http-error";
	case FETCH_DNS: return "dns";
	case FETCH_REFUSED: return "refused";
	case FETCH_TIMEOUT: return "timeout";
	case FETCH_TOO_LARGE: return "too-large";
	case FETCH_TLS: return "tls";
	case FETCH_REFUSED_URL: return "refused-url";
	case FETCH_FAILED: return "failed";
	}
	return "unknown";
}

const char *
fetch_version(void)
{
	return curl_version();
}

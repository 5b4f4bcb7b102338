#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "fetch.h"
#include "util.h"

/* These tests drive the real fetcher against tests/server.py, started
 * once for the whole group on a free port of 127.0.0.1. */

#define FEED "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>" \
	"<title>SEND news</title><item><title>Local Offer</title></item>" \
	"</channel></rss>\n"
#define PAGE "<!doctype html><html><body><h2>News</h2></body></html>\n"
/* A hang must fail, not block: alarm() ends the whole run after this
 * many seconds (valgrind included), without any test reading the clock. */
#define WATCHDOG_SECONDS 900

struct server {
	pid_t pid;
	char dir[64];        /* temporary root with the served files */
	char base[64];       /* "http://127.0.0.1:PORT" */
	char log[128];       /* the server's JSON request log */
	char portfile[128];
};

static void
write_text(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(path, "w");

	if (!fp || fputs(text, fp) == EOF || fclose(fp) != 0)
		die("cannot write %s", path);
	free(path);
}

static int
server_start(void **state)
{
	struct server *s = xcalloc(1, sizeof *s);
	const char *script = getenv("SENDNEWS_TEST_SERVER");
	char port[16] = "";
	int tries;
	FILE *fp;

	if (!script || !*script)
		script = "tests/server.py";
	snprintf(s->dir, sizeof s->dir, "/tmp/sendnews-fetch-XXXXXX");
	if (!mkdtemp(s->dir))
		die("mkdtemp failed");
	write_text(s->dir, "feed.xml", FEED);
	write_text(s->dir, "page.html", PAGE);
	snprintf(s->portfile, sizeof s->portfile, "%s/port", s->dir);
	snprintf(s->log, sizeof s->log, "%s/requests.log", s->dir);
	s->pid = fork();
	if (s->pid < 0)
		die("fork failed");
	if (s->pid == 0) {
		execlp("python3", "python3", script, "--root", s->dir,
		    "--port-file", s->portfile, "--log", s->log, (char *)NULL);
		_exit(127);
	}
	/* The server writes the port file atomically once it listens. */
	for (tries = 0; tries < 500; tries++, usleep(20000)) {	/* 10 s */
		if (waitpid(s->pid, NULL, WNOHANG) == s->pid) {
			fprintf(stderr, "test server %s did not start\n", script);
			return -1;
		}
		fp = fopen(s->portfile, "r");
		if (fp) {
			if (!fgets(port, sizeof port, fp))
				port[0] = '\0';
			fclose(fp);
		}
		if (atoi(port) > 0)
			break;
	}
	if (atoi(port) <= 0)
		return -1;
	snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", atoi(port));
	*state = s;
	return 0;
}

static int
server_stop(void **state)
{
	struct server *s = *state;
	const char *names[] = { "feed.xml", "page.html", "port", "requests.log" };
	size_t i;
	char *path;

	kill(s->pid, SIGTERM);
	waitpid(s->pid, NULL, 0);
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		path = xasprintf("%s/%s", s->dir, names[i]);
		unlink(path);
		free(path);
	}
	rmdir(s->dir);
	free(s);
	return 0;
}

static char *
url_for(const struct server *s, const char *path)
{
	return xasprintf("%s%s", s->base, path);
}

/* Runs one transfer to the end and returns its result in res. */
static void
fetch_one(const struct fetch_opts *opts, const char *url, const char *etag,
    const char *last_modified, bool allow_file, struct fetch_result *res)
{
	struct fetcher *f = fetch_new(opts);

	fetch_add(f, 7, url, etag, last_modified, allow_file);
	while (!fetch_next(f, res)) {
		assert_true(fetch_pending(f) > 0);
		fetch_poll(f, NULL, 0, 1000, NULL);
	}
	assert_int_equal(res->id, 7);
	assert_int_equal(fetch_pending(f), 0);
	fetch_free(f);
}

static void
fetch_path(const struct server *s, const struct fetch_opts *opts,
    const char *path, struct fetch_result *res)
{
	char *url = url_for(s, path);

	fetch_one(opts, url, NULL, NULL, false, res);
	free(url);
}

/* Whether the server logged a request for path whose line holds needle. */
static bool
log_has(const struct server *s, const char *path, const char *needle)
{
	char *data, err[256], *line, *save = NULL, *key;
	size_t len;
	bool found = false;

	if (util_read_file(s->log, 1 << 20, &data, &len, err, sizeof err) < 0)
		return false;
	key = xasprintf("\"path\": \"%s\"", path);
	for (line = strtok_r(data, "\n", &save); line && !found;
	    line = strtok_r(NULL, "\n", &save))
		found = strstr(line, key) && strstr(line, needle);
	free(key);
	free(data);
	return found;
}

/* How many requests the server has logged whose line holds needle. */
static size_t
log_count(const struct server *s, const char *needle)
{
	char *data, err[256], *line, *save = NULL;
	size_t len, n = 0;

	if (util_read_file(s->log, 1 << 20, &data, &len, err, sizeof err) < 0)
		return 0;
	for (line = strtok_r(data, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save))
		n += strstr(line, needle) != NULL;
	free(data);
	return n;
}

static void
fetch_ok_returns_body_and_validators(void **state)
{
	struct server *s = *state;
	struct fetch_result r;
	char *url = url_for(s, "/feed.xml");

	fetch_one(NULL, url, NULL, NULL, false, &r);
	assert_int_equal(r.status, FETCH_OK);
	assert_int_equal(r.http_code, 200);
	assert_string_equal(r.body, FEED);
	assert_int_equal(r.len, strlen(FEED));
	assert_non_null(r.etag);
	assert_int_equal(r.etag[0], '"');
	assert_non_null(r.last_modified);
	assert_non_null(strstr(r.last_modified, "GMT"));
	assert_string_equal(r.content_type, "application/xml");
	assert_string_equal(r.effective_url, url);
	assert_string_equal(r.error, "");
	assert_true(r.seconds >= 0);
	fetch_result_free(&r);
	assert_null(r.body);
	free(url);
}

static void
fetch_sends_default_user_agent(void **state)
{
	struct server *s = *state;
	struct fetch_result r;
	struct fetch_opts o = { .user_agent = "sendnews-test/9" };

	fetch_path(s, NULL, "/feed.xml?ua=default", &r);
	fetch_result_free(&r);
	assert_true(log_has(s, "/feed.xml?ua=default",
	    "\"user_agent\": \"sendnews/"));
	assert_true(log_has(s, "/feed.xml?ua=default", "libcurl/"));
	fetch_path(s, &o, "/feed.xml?ua=custom", &r);
	fetch_result_free(&r);
	assert_true(log_has(s, "/feed.xml?ua=custom",
	    "\"user_agent\": \"sendnews-test/9\""));
}

static void
fetch_with_etag_gives_not_modified(void **state)
{
	struct server *s = *state;
	struct fetch_result first, second;
	char *url = url_for(s, "/feed.xml?cond=etag");
	char *logged;

	fetch_one(NULL, url, NULL, NULL, false, &first);
	assert_int_equal(first.status, FETCH_OK);
	fetch_one(NULL, url, first.etag, NULL, false, &second);
	assert_int_equal(second.status, FETCH_NOT_MODIFIED);
	assert_int_equal(second.http_code, 304);
	assert_string_equal(second.body, "");
	assert_int_equal(second.len, 0);
	assert_string_equal(second.error, "");
	/* The second request really was conditional. */
	logged = xasprintf("\"if_none_match\": \"\\\"%.*s\\\"\"",
	    (int)strlen(first.etag) - 2, first.etag + 1);
	assert_true(log_has(s, "/feed.xml?cond=etag", logged));
	free(logged);
	fetch_result_free(&first);
	fetch_result_free(&second);
	free(url);
}

static void
fetch_with_last_modified_gives_not_modified(void **state)
{
	struct server *s = *state;
	struct fetch_result first, second;
	char *url = url_for(s, "/feed.xml?cond=date");

	fetch_one(NULL, url, NULL, NULL, false, &first);
	assert_int_equal(first.status, FETCH_OK);
	fetch_one(NULL, url, NULL, first.last_modified, false, &second);
	assert_int_equal(second.status, FETCH_NOT_MODIFIED);
	assert_true(log_has(s, "/feed.xml?cond=date", "\"if_modified_since\": \""));
	fetch_result_free(&first);
	fetch_result_free(&second);
	free(url);
}

static void
fetch_stale_etag_gets_full_body(void **state)
{
	struct server *s = *state;
	struct fetch_result r;
	char *url = url_for(s, "/feed.xml");

	fetch_one(NULL, url, "\"not-the-current-one\"", NULL, false, &r);
	assert_int_equal(r.status, FETCH_OK);
	assert_string_equal(r.body, FEED);
	fetch_result_free(&r);
	free(url);
}

static void
fetch_404_is_http_error_with_reason(void **state)
{
	struct fetch_result r;

	fetch_path(*state, NULL, "/status/404", &r);
	assert_int_equal(r.status, FETCH_HTTP_ERROR);
	assert_int_equal(r.http_code, 404);
	assert_string_equal(r.error, "HTTP 404 Not Found");
	assert_string_equal(r.body, "");
	fetch_result_free(&r);
	fetch_path(*state, NULL, "/no-such-feed.xml", &r);
	assert_int_equal(r.status, FETCH_HTTP_ERROR);
	assert_non_null(strstr(r.error, "404"));
	fetch_result_free(&r);
}

static void
fetch_reason_phrase_loses_control_characters(void **state)
{
	struct fetch_result r;
	const char *p;

	fetch_path(*state, NULL, "/status/503?reason=Down%1b%5b31m%07now", &r);
	assert_int_equal(r.status, FETCH_HTTP_ERROR);
	assert_string_equal(r.error, "HTTP 503 Down[31mnow");
	for (p = r.error; *p; p++)
		assert_true(*p >= 0x20 && *p < 0x7f);
	fetch_result_free(&r);
}

static void
fetch_closed_port_is_refused(void **state)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t salen = sizeof sa;
	struct fetch_result r;
	char *url;
	int fd;

	/* A socket bound but not listening: connecting to it is refused,
	 * and no other process can take the port meanwhile. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &salen), 0);
	url = xasprintf("http://127.0.0.1:%d/feed.xml", ntohs(sa.sin_port));
	fetch_one(NULL, url, NULL, NULL, false, &r);
	close(fd);
	assert_int_equal(r.status, FETCH_REFUSED);
	assert_int_equal(r.http_code, 0);
	assert_non_null(strstr(r.error, "connection refused"));
	fetch_result_free(&r);
	free(url);
}

static void
fetch_unknown_host_is_dns_error(void **state)
{
	struct fetch_result r;
	struct fetch_opts o = { .connect_timeout = 5, .timeout = 10 };

	/* .invalid never resolves (RFC 6761). */
	fetch_one(&o, "http://example.invalid/feed.xml", NULL, NULL, false, &r);
	assert_int_equal(r.status, FETCH_DNS);
	assert_string_equal(r.error, "could not resolve host example.invalid");
	fetch_result_free(&r);
}

static void
fetch_follows_redirects_within_limit(void **state)
{
	struct server *s = *state;
	struct fetch_result r;
	char *final = url_for(s, "/feed.xml");

	fetch_path(s, NULL, "/redirect/5/feed.xml", &r);
	assert_int_equal(r.status, FETCH_OK);
	assert_string_equal(r.body, FEED);
	assert_string_equal(r.effective_url, final);
	/* The hops carry ETag "redirect-hop": only the final one counts. */
	assert_non_null(r.etag);
	assert_string_not_equal(r.etag, "\"redirect-hop\"");
	fetch_result_free(&r);
	free(final);
}

static void
fetch_keeps_validators_of_final_response_only(void **state)
{
	struct fetch_result r;

	fetch_path(*state, NULL, "/redirect/1/status/200", &r);
	assert_int_equal(r.status, FETCH_OK);
	assert_null(r.etag);
	assert_null(r.last_modified);
	assert_string_equal(r.content_type, "text/plain; charset=utf-8");
	fetch_result_free(&r);
}

static void
fetch_too_many_redirects_fails(void **state)
{
	struct fetch_result r;
	struct fetch_opts o = { .max_redirects = 2 };

	fetch_path(*state, NULL, "/redirect/6/feed.xml", &r);
	assert_int_not_equal(r.status, FETCH_OK);
	assert_string_equal(r.error, "too many redirects (more than 5)");
	fetch_result_free(&r);
	fetch_path(*state, &o, "/redirect/3/feed.xml", &r);
	assert_string_equal(r.error, "too many redirects (more than 2)");
	fetch_result_free(&r);
}

static void
fetch_redirect_loop_fails_mentioning_redirects(void **state)
{
	struct fetch_result r;

	fetch_path(*state, NULL, "/loop", &r);
	assert_int_not_equal(r.status, FETCH_OK);
	assert_non_null(strstr(r.error, "redirects"));
	assert_string_equal(r.body, "");
	/* The first request and five redirects, no more. */
	assert_int_equal(log_count(*state, "\"path\": \"/loop\""), 6);
	fetch_result_free(&r);
}

static void
fetch_redirect_to_file_is_refused(void **state)
{
	struct server *s = *state;
	struct fetch_result r;
	char *url = url_for(s, "/redirect-to?url=file:///etc/passwd");

	/* Even with allow_file: that is for URLs the user wrote. */
	fetch_one(NULL, url, NULL, NULL, true, &r);
	assert_int_equal(r.status, FETCH_REFUSED_URL);
	assert_string_equal(r.error, "refused: redirect to file:///etc/passwd "
	    "(only http and https are followed)");
	assert_null(strstr(r.body, "root:"));
	assert_int_equal(r.len, 0);
	/* curl names the refused target as the effective URL: not kept. */
	assert_string_equal(r.effective_url, url);
	fetch_result_free(&r);
	free(url);
}

static void
fetch_redirect_to_ftp_is_refused(void **state)
{
	struct fetch_result r;

	fetch_path(*state, NULL, "/redirect-to?url=ftp://127.0.0.1/feed.xml", &r);
	assert_int_equal(r.status, FETCH_REFUSED_URL);
	assert_non_null(strstr(r.error, "redirect to ftp://127.0.0.1/feed.xml"));
	fetch_result_free(&r);
	fetch_path(*state, NULL, "/redirect-to?url=http://%5Bbad", &r);
	assert_int_equal(r.status, FETCH_REFUSED_URL);
	assert_string_equal(r.error, "refused: redirect to a malformed URL "
	    "http://[bad");
	fetch_result_free(&r);
}

static void
fetch_body_over_cap_with_length_is_too_large(void **state)
{
	struct fetch_result r;
	struct fetch_opts o = { .max_size = 1024 * 1024 };

	fetch_path(*state, &o, "/big/2000000", &r);
	assert_int_equal(r.status, FETCH_TOO_LARGE);
	assert_string_equal(r.error, "larger than 1 MB");
	assert_string_equal(r.body, "");
	fetch_result_free(&r);
}

static void
fetch_body_exactly_at_cap_is_ok(void **state)
{
	struct fetch_result r;
	struct fetch_opts o = { .max_size = 1024 * 1024 };

	fetch_path(*state, &o, "/chunked-big/1048576", &r);
	assert_int_equal(r.status, FETCH_OK);
	assert_int_equal(r.len, 1024 * 1024);
	fetch_result_free(&r);
}

static void
fetch_chunked_body_over_cap_is_too_large(void **state)
{
	struct fetch_result r;
	struct fetch_opts o = { .max_size = 1024 * 1024 };

	fetch_path(*state, &o, "/chunked-big/1048577", &r);
	assert_int_equal(r.status, FETCH_TOO_LARGE);
	assert_string_equal(r.error, "larger than 1 MB");
	fetch_result_free(&r);
}

static void
fetch_gzip_bomb_is_too_large_quickly_in_bounded_memory(void **state)
{
	struct fetch_result r;
	struct fetch_opts o = { .max_size = 1024 * 1024 };
	struct rusage before, after;

	/* 1 GB of spaces, about 1 MB on the wire; unbounded, the body alone
	 * would raise the peak resident size by a gigabyte. */
	getrusage(RUSAGE_SELF, &before);
	fetch_path(*state, &o, "/gzip-bomb/1073741824", &r);
	getrusage(RUSAGE_SELF, &after);
	assert_int_equal(r.status, FETCH_TOO_LARGE);
	assert_string_equal(r.error, "larger than 1 MB");
	assert_true(after.ru_maxrss - before.ru_maxrss < 64 * 1024);
	fetch_result_free(&r);
}

static void
fetch_gzip_body_is_decoded(void **state)
{
	struct fetch_result r;

	fetch_path(*state, NULL, "/gzip-bomb/100000", &r);
	assert_int_equal(r.status, FETCH_OK);
	assert_int_equal(r.len, 100000);
	assert_non_null(strstr(r.body, "<rss"));
	fetch_result_free(&r);
}

static void
fetch_hanging_server_times_out(void **state)
{
	struct fetch_result r;
	struct fetch_opts o = { .timeout = 1 };

	fetch_path(*state, &o, "/hang", &r);
	assert_int_equal(r.status, FETCH_TIMEOUT);
	assert_string_equal(r.error, "timed out after 1 s");
	fetch_result_free(&r);
}

static void
fetch_truncated_body_fails(void **state)
{
	struct fetch_result r;

	fetch_path(*state, NULL, "/truncated/feed.xml", &r);
	assert_int_equal(r.status, FETCH_FAILED);
	assert_non_null(strstr(r.error, "closed before the end"));
	assert_string_equal(r.body, "");
	fetch_result_free(&r);
}

static void
fetch_reset_or_silent_close_fails(void **state)
{
	struct fetch_result r;

	fetch_path(*state, NULL, "/reset", &r);
	assert_int_equal(r.status, FETCH_FAILED);
	assert_non_null(strstr(r.error, "connection"));
	fetch_result_free(&r);
	fetch_path(*state, NULL, "/close", &r);
	assert_int_equal(r.status, FETCH_FAILED);
	assert_string_equal(r.error, "the server closed the connection without "
	    "answering");
	fetch_result_free(&r);
}

static void
fetch_captures_content_type(void **state)
{
	struct fetch_result r;

	fetch_path(*state, NULL, "/type/text%2Fhtml%3B%20charset%3Dutf-8/page.html",
	    &r);
	assert_int_equal(r.status, FETCH_OK);
	assert_string_equal(r.content_type, "text/html; charset=utf-8");
	assert_string_equal(r.body, PAGE);
	fetch_result_free(&r);
}

static void
fetch_file_url_only_with_allow_file(void **state)
{
	struct server *s = *state;
	struct fetch_result r;
	char *url = xasprintf("file://%s/feed.xml", s->dir);
	char *missing = xasprintf("file://%s/missing.xml", s->dir);

	fetch_one(NULL, url, NULL, NULL, false, &r);
	assert_int_equal(r.status, FETCH_REFUSED_URL);
	assert_non_null(strstr(r.error, "refused: file://"));
	assert_string_equal(r.body, "");
	fetch_result_free(&r);
	fetch_one(NULL, url, NULL, NULL, true, &r);
	assert_int_equal(r.status, FETCH_OK);
	assert_int_equal(r.http_code, 0);
	assert_string_equal(r.body, FEED);
	fetch_result_free(&r);
	fetch_one(NULL, missing, NULL, NULL, true, &r);
	assert_int_equal(r.status, FETCH_FAILED);
	fetch_result_free(&r);
	free(url);
	free(missing);
}

static void
fetch_unsupported_scheme_is_refused(void **state)
{
	struct fetch_result r;

	fetch_one(NULL, "ftp://127.0.0.1/feed.xml", NULL, NULL, true, &r);
	assert_int_equal(r.status, FETCH_REFUSED_URL);
	assert_string_equal(r.error, "refused: ftp://127.0.0.1/feed.xml (only "
	    "http and https URLs are fetched)");
	fetch_result_free(&r);
	fetch_one(NULL, "gopher://127.0.0.1/", NULL, NULL, false, &r);
	assert_int_equal(r.status, FETCH_REFUSED_URL);
	fetch_result_free(&r);
	fetch_one(NULL, "not a url", NULL, NULL, false, &r);
	assert_int_equal(r.status, FETCH_REFUSED_URL);
	fetch_result_free(&r);
}

/* Fetches n copies of path at once and checks every one arrives. */
static void
fetch_many(const struct server *s, const struct fetch_opts *opts,
    const char *path, size_t n)
{
	struct fetcher *f = fetch_new(opts);
	struct fetch_result r;
	bool *seen = xcalloc(n, sizeof *seen);
	size_t i, got = 0;
	char *url;

	for (i = 0; i < n; i++) {
		url = xasprintf("%s%s?n=%zu", s->base, path, i);
		fetch_add(f, i, url, NULL, NULL, false);
		free(url);
	}
	assert_int_equal(fetch_pending(f), n);
	while (fetch_pending(f) > 0) {
		fetch_poll(f, NULL, 0, 1000, NULL);
		while (fetch_next(f, &r)) {
			assert_true(r.id < n);
			assert_false(seen[r.id]);
			seen[r.id] = true;
			assert_int_equal(r.status, FETCH_OK);
			assert_string_equal(r.body, FEED);
			fetch_result_free(&r);
			got++;
		}
	}
	assert_int_equal(got, n);
	fetch_free(f);
	free(seen);
}

/* Polls f until the server has logged want requests holding needle and
 * no transfer has finished yet: they were all on the wire at once. */
static void
wait_for_requests(const struct server *s, struct fetcher *f,
    const char *needle, size_t want)
{

	while (log_count(s, needle) < want) {
		fetch_poll(f, NULL, 0, 50, NULL);
	}
	fetch_poll(f, NULL, 0, 100, NULL);
	assert_int_equal(log_count(s, needle), want);
}

static void
drain(struct fetcher *f, size_t n)
{
	struct fetch_result r;
	size_t got = 0;

	while (got < n) {
		fetch_poll(f, NULL, 0, 1000, NULL);
		while (fetch_next(f, &r)) {
			assert_int_equal(r.status, FETCH_OK);
			fetch_result_free(&r);
			got++;
		}
	}
	fetch_free(f);
}

static void
fetch_twenty_feeds_at_once_all_complete(void **state)
{
	struct server *s = *state;
	struct fetch_opts o = { .max_per_host = 20 };
	struct fetcher *f = fetch_new(&o);
	size_t i;
	char *url;

	/* Twenty answers that each take 2 s: every request reaches the
	 * server before the first answer comes back. */
	for (i = 0; i < 20; i++) {
		url = xasprintf("%s/delay/2000/feed.xml?twenty=%zu", s->base, i);
		fetch_add(f, i, url, NULL, NULL, false);
		free(url);
	}
	wait_for_requests(s, f, "twenty=", 20);
	assert_int_equal(fetch_pending(f), 20);
	drain(f, 20);
	/* And the plain fetch_many path completes them all too. */
	fetch_many(s, NULL, "/delay/100/feed.xml", 20);
}

static void
fetch_respects_max_per_host(void **state)
{
	struct server *s = *state;
	struct fetch_opts o = { .max_per_host = 2 };
	struct fetcher *f = fetch_new(&o);
	size_t i;
	char *url;

	/* Six 1 s answers, two at a time: while the first two are under way
	 * the server sees no third request. */
	for (i = 0; i < 6; i++) {
		url = xasprintf("%s/delay/1000/feed.xml?six=%zu", s->base, i);
		fetch_add(f, i, url, NULL, NULL, false);
		free(url);
	}
	wait_for_requests(s, f, "six=", 2);
	drain(f, 6);
	assert_int_equal(log_count(s, "six="), 6);
}

static void
fetch_poll_wakes_on_extra_fd(void **state)
{
	struct server *s = *state;
	struct fetcher *f = fetch_new(NULL);
	char *url = url_for(s, "/delay/5000/feed.xml");
	bool ready = true;
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	fetch_add(f, 1, url, NULL, NULL, false);
	assert_int_equal(fetch_poll(f, &fds[0], 1, 100, &ready), 1);
	assert_false(ready);
	assert_int_equal(write(fds[1], "k", 1), 1);
	assert_int_equal(fetch_poll(f, &fds[0], 1, 4000, &ready), 1);
	assert_true(ready);
	/* Freeing with a transfer in flight abandons it cleanly. */
	fetch_free(f);
	close(fds[0]);
	close(fds[1]);
	free(url);
}

static void
fetch_poll_waits_on_extra_fd_with_nothing_to_fetch(void **state)
{
	struct fetcher *f = fetch_new(NULL);
	bool ready = false;
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(fetch_poll(f, &fds[0], 1, 200, &ready), 0);
	assert_false(ready);
	assert_int_equal(write(fds[1], "k", 1), 1);
	assert_int_equal(fetch_poll(f, &fds[0], 1, 4000, &ready), 0);
	assert_true(ready);
	/* Without extra fds and nothing queued it returns at once (an alarm
	 * ends the test if it waits instead). */
	alarm(60);
	assert_int_equal(fetch_poll(f, NULL, 0, 600000, NULL), 0);
	alarm(0);
	fetch_free(f);
	close(fds[0]);
	close(fds[1]);
}

static void
fetch_names_statuses_and_version(void **state)
{
	assert_string_equal(fetch_status_name(FETCH_OK), "ok");
	assert_string_equal(fetch_status_name(FETCH_TOO_LARGE), "too-large");
	assert_string_equal(fetch_status_name(FETCH_REFUSED_URL), "refused-url");
	assert_non_null(strstr(fetch_version(), "libcurl/"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fetch_ok_returns_body_and_validators),
		cmocka_unit_test(fetch_sends_default_user_agent),
		cmocka_unit_test(fetch_with_etag_gives_not_modified),
		cmocka_unit_test(fetch_with_last_modified_gives_not_modified),
		cmocka_unit_test(fetch_stale_etag_gets_full_body),
		cmocka_unit_test(fetch_404_is_http_error_with_reason),
		cmocka_unit_test(fetch_reason_phrase_loses_control_characters),
		cmocka_unit_test(fetch_closed_port_is_refused),
		cmocka_unit_test(fetch_unknown_host_is_dns_error),
		cmocka_unit_test(fetch_follows_redirects_within_limit),
		cmocka_unit_test(fetch_keeps_validators_of_final_response_only),
		cmocka_unit_test(fetch_too_many_redirects_fails),
		cmocka_unit_test(fetch_redirect_loop_fails_mentioning_redirects),
		cmocka_unit_test(fetch_redirect_to_file_is_refused),
		cmocka_unit_test(fetch_redirect_to_ftp_is_refused),
		cmocka_unit_test(fetch_body_over_cap_with_length_is_too_large),
		cmocka_unit_test(fetch_body_exactly_at_cap_is_ok),
		cmocka_unit_test(fetch_chunked_body_over_cap_is_too_large),
		cmocka_unit_test(fetch_gzip_bomb_is_too_large_quickly_in_bounded_memory),
		cmocka_unit_test(fetch_gzip_body_is_decoded),
		cmocka_unit_test(fetch_hanging_server_times_out),
		cmocka_unit_test(fetch_truncated_body_fails),
		cmocka_unit_test(fetch_reset_or_silent_close_fails),
		cmocka_unit_test(fetch_captures_content_type),
		cmocka_unit_test(fetch_file_url_only_with_allow_file),
		cmocka_unit_test(fetch_unsupported_scheme_is_refused),
		cmocka_unit_test(fetch_twenty_feeds_at_once_all_complete),
		cmocka_unit_test(fetch_respects_max_per_host),
		cmocka_unit_test(fetch_poll_wakes_on_extra_fd),
		cmocka_unit_test(fetch_poll_waits_on_extra_fd_with_nothing_to_fetch),
		cmocka_unit_test(fetch_names_statuses_and_version),
	};

	/* A refused write to a closed connection must not kill the tests. */
	signal(SIGPIPE, SIG_IGN);
	alarm(WATCHDOG_SECONDS);
	return cmocka_run_group_tests(tests, server_start, server_stop);
}

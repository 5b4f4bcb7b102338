#include "add.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "date.h"
#include "page.h"
#include "text.h"
#include "urls.h"
#include "util.h"

#define ADD_MAX_LINKS 20     /* advertised feeds offered */
#define ADD_MAX_PREVIEW 15   /* posts of a page shown before asking */
#define ADD_MAX_TITLE 200    /* bytes of a title kept on the feeds line */
#define ADD_MAX_FEEDS_FILE (4u << 20)

static bool
has_scheme(const char *u, const char *scheme)
{
	size_t n = strlen(scheme);

	return !util_strncasecmp(u, scheme, n) && u[n] == ':';
}

/* The URL to fetch for what the user typed: http, https and file URLs as
 * they are, an absolute path as a file URL; NULL for anything else. */
static char *
add_normalise(const char *u)
{
	if (has_scheme(u, "http") || has_scheme(u, "https") || has_scheme(u, "file"))
		return xstrdup(u);
	if (*u == '/')
		return xasprintf("file://%s", u);
	return NULL;
}

/* True when u can stand on a feeds-file line as one word and reaches a
 * terminal unchanged: no white space, quotes or control characters. */
static bool
url_writable(const char *u)
{
	char *c;
	bool ok;

	if (!*u || strpbrk(u, " \"\t\n\r\v\f"))
		return false;
	c = text_sanitize(xstrdup(u));
	ok = !strcmp(c, u);
	free(c);
	return ok;
}

/* Scheme and host compare without case, the rest exactly; an empty path
 * is "/". */
static bool
same_url(const char *a, const char *b)
{
	const char *ha = strstr(a, "://"), *hb = strstr(b, "://");
	size_t na, nb;
	const char *ra, *rb;

	if (!ha || !hb)
		return !strcmp(a, b);
	na = (size_t)(ha - a) + 3;
	na += strcspn(a + na, "/?#");
	nb = (size_t)(hb - b) + 3;
	nb += strcspn(b + nb, "/?#");
	if (na != nb || util_strncasecmp(a, b, na))
		return false;
	ra = a[na] ? a + na : "/";
	rb = b[nb] ? b + nb : "/";
	return !strcmp(ra, rb);
}

static char *
dir_of(const char *path)
{
	char *d = xstrdup(path), *slash = strrchr(d, '/');

	if (!slash)
		strcpy(d, ".");
	else
		*(slash == d ? slash + 1 : slash) = '\0';
	return d;
}

bool
add_listed(const char *path, const char *url, int *lineno)
{
	struct feedlist l = {0};
	char err[256], *data, *dir;
	size_t len, i;
	bool found = false;

	if (util_read_file(path, ADD_MAX_FEEDS_FILE, &data, &len, err, sizeof(err)) < 0)
		return false;
	dir = dir_of(path);
	urls_parse(&l, data, len, dir, NULL, err, sizeof(err));
	for (i = 0; i < l.len && !found; i++) {
		if (same_url(l.v[i].url, url)) {
			found = true;
			if (lineno)
				*lineno = l.v[i].line;
		}
	}
	urls_free(&l);
	free(dir);
	free(data);
	return found;
}

int
add_seed(const char *path, const char *seed, char *err, size_t errlen)
{
	char *data = NULL, *dir;
	size_t len = 0;
	int r;

	if (!seed || access(path, F_OK) == 0 || errno != ENOENT)
		return 0;
	if (util_read_file(seed, ADD_MAX_FEEDS_FILE, &data, &len, err, errlen) < 0)
		return -1;
	dir = dir_of(path);
	r = util_mkdirs(dir, err, errlen);
	free(dir);
	if (r == 0)
		r = util_write_file(path, data, len, err, errlen);
	free(data);
	return r < 0 ? -1 : 1;
}

enum add_result
add_append(const char *path, const char *url, const char *line, char *err,
    size_t errlen)
{
	struct buf b = {0};
	char *data = NULL, *dir;
	size_t len = 0;
	int lineno = 0, r;

	if (add_listed(path, url, &lineno)) {
		snprintf(err, errlen, "%s is already listed on line %d of %s", url, lineno, path);
		return ADD_LISTED;
	}
	if (access(path, F_OK) == 0) {
		if (util_read_file(path, ADD_MAX_FEEDS_FILE, &data, &len, err, errlen) < 0)
			return ADD_ERROR;
	} else {
		dir = dir_of(path);
		r = util_mkdirs(dir, err, errlen);
		free(dir);
		if (r < 0)
			return ADD_ERROR;
	}
	/* Every byte that was there stays; the new line goes at the end. */
	if (len)
		buf_append(&b, data, len);
	if (len && data[len - 1] != '\n')
		buf_putc(&b, '\n');
	buf_puts(&b, line);
	buf_putc(&b, '\n');
	r = util_write_file(path, b.data, b.len, err, errlen);
	buf_free(&b);
	free(data);
	return r < 0 ? ADD_ERROR : ADD_ADDED;
}

char *
add_feeds_line(const char *url, const char *title, bool page)
{
	struct buf b = {0};
	char *t;
	size_t n;

	if (!url_writable(url))
		return NULL;
	buf_puts(&b, url);
	t = title ? text_sanitize_line(xstrdup(title)) : NULL;
	if (t && *t) {
		n = strlen(t);
		if (n > ADD_MAX_TITLE) {
			/* Cut at a character boundary. */
			n = ADD_MAX_TITLE;
			while (n && ((unsigned char)t[n] & 0xc0) == 0x80)
				n--;
			t[n] = '\0';
		}
		buf_puts(&b, " \"~");
		for (n = 0; t[n]; n++) {
			if (t[n] == '"' || t[n] == '\\')
				buf_putc(&b, '\\');
			buf_putc(&b, t[n]);
		}
		buf_putc(&b, '"');
	}
	free(t);
	if (page)
		buf_puts(&b, " @type=page");
	return buf_steal(&b);
}

int
add_fetch(const char *url, const struct fetch_opts *fo,
    struct fetch_result *res, char *err, size_t errlen)
{
	struct fetcher *f = fetch_new(fo);
	bool got = false;

	memset(res, 0, sizeof(*res));
	fetch_add(f, 0, url, NULL, NULL, has_scheme(url, "file"));
	while (!got) {
		fetch_poll(f, NULL, 0, 1000, NULL);
		if (fetch_next(f, res))
			got = true;
		else if (!fetch_pending(f))
			break;
	}
	fetch_free(f);
	if (!got) {
		snprintf(err, errlen, "no answer");
		return -1;
	}
	if (res->status != FETCH_OK) {
		snprintf(err, errlen, "%s", res->error[0] ? res->error :
		    fetch_status_name(res->status));
		text_sanitize_line(err);
		return -1;
	}
	return 0;
}

/* Is the space-separated list v holding the word w (without case)? */
static bool
has_token(const char *v, const char *w)
{
	size_t n = strlen(w);

	while (*v) {
		size_t k;

		v += strspn(v, " \t\n\r\f");
		k = strcspn(v, " \t\n\r\f");
		if (k == n && !util_strncasecmp(v, w, n))
			return true;
		v += k;
	}
	return false;
}

/* The kind of feed a <link type=...> names, or NULL. */
static const char *
link_kind(const char *type)
{
	size_t n = strcspn(type, "; \t");

	if (n == 19 && !util_strncasecmp(type, "application/rss+xml", n))
		return "RSS";
	if (n == 20 && !util_strncasecmp(type, "application/atom+xml", n))
		return "Atom";
	if (n == 19 && !util_strncasecmp(type, "application/rdf+xml", n))
		return "RDF";
	return NULL;
}

static char *
attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s;

	if (!v)
		return NULL;
	s = xstrdup((const char *)v);
	xmlFree(v);
	return s;
}

/* Collects <base href> and the advertised feeds of the tree under n. */
static void
walk_links(xmlNodePtr n, char **base, struct add_link **raw, size_t *nraw)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!xmlStrcasecmp(n->name, (const xmlChar *)"base") && !*base) {
			*base = attr(n, "href");
		} else if (!xmlStrcasecmp(n->name, (const xmlChar *)"link") &&
		    *nraw < ADD_MAX_LINKS) {
			char *rel = attr(n, "rel"), *type = attr(n, "type"), *href = attr(n, "href");
			const char *kind = type ? link_kind(type) : NULL;

			if (rel && kind && href && *href && has_token(rel, "alternate")) {
				*raw = xreallocarray(*raw, *nraw + 1, sizeof(**raw));
				(*raw)[*nraw].url = href;
				(*raw)[*nraw].title = attr(n, "title");
				(*raw)[*nraw].kind = kind;
				(*nraw)++;
				href = NULL;
			}
			free(rel);
			free(type);
			free(href);
		}
		walk_links(n->children, base, raw, nraw);
	}
}

/* Fills ap->links from the page's <link rel="alternate"> elements: hrefs
 * made absolute (against <base href> when there is one), sanitised, kept
 * once, http and https only (file too when the page itself is a file). */
static void
find_links(struct add_probe *ap, const char *url, const char *body, size_t len)
{
	htmlDocPtr doc;
	struct add_link *raw = NULL;
	char *base = NULL, *b;
	size_t nraw = 0, i, j;

	if (len > INT_MAX)
		return;
	doc = htmlReadMemory(body, (int)len, url, NULL, HTML_PARSE_NONET |
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER |
	    HTML_PARSE_COMPACT);
	if (!doc)
		return;
	walk_links(xmlDocGetRootElement(doc), &base, &raw, &nraw);
	xmlFreeDoc(doc);
	b = base ? text_resolve_url(url, base) : xstrdup(url);
	for (i = 0; i < nraw; i++) {
		char *u = text_resolve_url(b, raw[i].url);
		bool keep = url_writable(u) && (has_scheme(u, "http") || has_scheme(u, "https") ||
		    (has_scheme(u, "file") && has_scheme(url, "file")));

		for (j = 0; keep && j < ap->nlinks; j++)
			if (same_url(ap->links[j].url, u))
				keep = false;
		if (keep) {
			ap->links = xreallocarray(ap->links, ap->nlinks + 1, sizeof(*ap->links));
			ap->links[ap->nlinks].url = u;
			ap->links[ap->nlinks].title = raw[i].title ?
			    text_sanitize_line(raw[i].title) : NULL;
			ap->links[ap->nlinks].kind = raw[i].kind;
			ap->nlinks++;
		} else {
			free(u);
			free(raw[i].title);
		}
		free(raw[i].url);
	}
	free(raw);
	free(base);
	free(b);
}

int
add_inspect(struct add_probe *ap, const char *url, const char *body,
    size_t len, char *err, size_t errlen)
{
	struct feed_info info;
	struct feed_opts opts;
	char perr[256];
	int n;

	memset(ap, 0, sizeof(*ap));
	memset(&opts, 0, sizeof(opts));
	memset(&info, 0, sizeof(info));
	ap->format = feed_sniff(body, len);
	switch (ap->format) {
	case FEED_RSS:
	case FEED_RDF:
	case FEED_ATOM:
		n = feed_parse_info(body, len, url, 0, &opts, &ap->posts, &info, err, errlen);
		break;
	case FEED_HTML:
		find_links(ap, url, body, len);
		/* A page with no posts is still a page: the user may help the
		 * splitter with @heading= or @xpath=. */
		(void)page_parse_info(body, len, url, 0, &opts, &ap->posts, &info, perr,
		    sizeof(perr));
		n = 0;
		break;
	default:
		snprintf(err, errlen, "it is neither a feed (RSS, RDF, Atom) nor an HTML page");
		return -1;
	}
	if (info.title && *info.title)
		ap->title = text_sanitize_line(xstrdup(info.title));
	feed_info_free(&info);
	return n < 0 ? -1 : 0;
}

void
add_probe_free(struct add_probe *ap)
{
	size_t i;

	for (i = 0; i < ap->nlinks; i++) {
		free(ap->links[i].url);
		free(ap->links[i].title);
	}
	free(ap->links);
	free(ap->title);
	postlist_free(&ap->posts);
	memset(ap, 0, sizeof(*ap));
}

/* Says a formatted line through io. */
static void say(const struct add_io *io, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void
say(const struct add_io *io, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	io->say(io->ctx, s);
	free(s);
}

/* Asks q; with io->yes says the question with auto_answer instead. */
static int
ask(const struct add_io *io, const char *q, const char *auto_answer,
    char *answer, size_t len)
{
	if (io->yes) {
		say(io, "%s %s", q, auto_answer);
		snprintf(answer, len, "%s", auto_answer);
		return 0;
	}
	answer[0] = '\0';
	return io->ask(io->ctx, q, answer, len);
}

static bool
is_yes(const char *a)
{
	a += strspn(a, " \t");
	return (a[0] == 'y' || a[0] == 'Y') && (!a[1] || !strcmp(a + 1, "es") ||
	    !strcmp(a + 1, "ES") || a[1] == ' ');
}

/* Appends the line for url and tells the user. */
static enum add_result
add_line(const struct add_io *io, const char *feeds_path, const char *url,
    const char *title, bool page, char **line, char *err, size_t errlen)
{
	char *l = add_feeds_line(url, title, page);
	enum add_result r;

	if (!l) {
		snprintf(err, errlen, "the URL holds spaces, quotes or control characters");
		return ADD_ERROR;
	}
	r = add_append(feeds_path, url, l, err, errlen);
	if (r == ADD_ADDED) {
		say(io, "Added to %s: %s", feeds_path, l);
		if (line)
			*line = l;
		else
			free(l);
	} else {
		free(l);
	}
	return r;
}

/* The page itself: shows what the splitter reads from it and asks. */
static enum add_result
add_page(const struct add_io *io, const struct add_probe *ap, const char *url,
    const char *feeds_path, char **line, char *err, size_t errlen)
{
	char d[16], answer[64];
	size_t i, n = ap->posts.len;

	if (n) {
		say(io, "Read as a news page, it gives %zu post%s:", n, n == 1 ? "" : "s");
		for (i = 0; i < n && i < ADD_MAX_PREVIEW; i++)
			say(io, "  %-10s  %s", *date_format(ap->posts.v[i].date, d) ? d : "no date",
			    ap->posts.v[i].title);
		if (n > ADD_MAX_PREVIEW)
			say(io, "  ... and %zu more", n - ADD_MAX_PREVIEW);
	} else {
		say(io, "Read as a news page, it gives no posts.");
		say(io, "If its news sits under other headings, add @heading=N (the heading level that starts each post: 2 for <h2>) or @xpath=EXPR (the part of the page that holds the news, such as @xpath=//main) to its line in the feeds file; see sendnews(5).");
	}
	if (ask(io, "Add this page as a feed? [y/N]", "y", answer, sizeof(answer)) < 0 ||
	    !is_yes(answer)) {
		say(io, "Nothing added.");
		return ADD_DECLINED;
	}
	return add_line(io, feeds_path, url, ap->title, true, line, err, errlen);
}

/* One of the feeds a page offers: fetched, to check it is a feed and to
 * read its title. */
static enum add_result
add_advertised(const struct add_io *io, const struct add_link *lk,
    const char *page_title, const char *feeds_path,
    const struct fetch_opts *fo, char **line, char *err, size_t errlen)
{
	struct fetch_result res;
	struct add_probe fp;
	enum add_result r;
	char why[512];
	int lineno;

	if (add_listed(feeds_path, lk->url, &lineno)) {
		snprintf(err, errlen, "%s is already listed on line %d of %s", lk->url,
		    lineno, feeds_path);
		return ADD_LISTED;
	}
	if (add_fetch(lk->url, fo, &res, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "cannot fetch %s: %s", lk->url, why);
		fetch_result_free(&res);
		return ADD_ERROR;
	}
	if (add_inspect(&fp, res.effective_url ? res.effective_url : lk->url, res.body,
	    res.len, why, sizeof(why)) < 0 || fp.format == FEED_HTML) {
		snprintf(err, errlen, "%s is not a feed%s%s", lk->url,
		    fp.format == FEED_HTML ? "" : ": ", fp.format == FEED_HTML ? "" : why);
		add_probe_free(&fp);
		fetch_result_free(&res);
		return ADD_ERROR;
	}
	say(io, "%s is an %s feed with %zu post%s.", lk->url, feed_format_name(fp.format),
	    fp.posts.len, fp.posts.len == 1 ? "" : "s");
	r = add_line(io, feeds_path, lk->url,
	    fp.title ? fp.title : lk->title ? lk->title : page_title, false, line,
	    err, errlen);
	add_probe_free(&fp);
	fetch_result_free(&res);
	return r;
}

enum add_result
add_run(const char *url0, const char *feeds_path, const struct fetch_opts *fo,
    const struct add_io *io, char **line, char *err, size_t errlen)
{
	struct fetch_result res;
	struct add_probe ap;
	enum add_result r = ADD_ERROR;
	char why[512], answer[64], *url = add_normalise(url0), *q;
	const char *base;
	int lineno;
	size_t i;

	if (line)
		*line = NULL;
	if (!url) {
		snprintf(err, errlen, "give a full URL (http://, https:// or file://) or an absolute path");
		return ADD_ERROR;
	}
	if (!url_writable(url)) {
		snprintf(err, errlen, "the URL holds spaces, quotes or control characters");
		free(url);
		return ADD_ERROR;
	}
	if (add_listed(feeds_path, url, &lineno)) {
		snprintf(err, errlen, "%s is already listed on line %d of %s", url, lineno, feeds_path);
		free(url);
		return ADD_LISTED;
	}
	if (add_fetch(url, fo, &res, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "cannot fetch %s: %s", url, why);
		fetch_result_free(&res);
		free(url);
		return ADD_ERROR;
	}
	base = res.effective_url ? res.effective_url : url;
	if (add_inspect(&ap, base, res.body, res.len, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s: %s", url, why);
		goto done;
	}
	if (ap.format != FEED_HTML) {
		say(io, "%s is an %s feed%s%s%s with %zu post%s.", url,
		    feed_format_name(ap.format), ap.title ? ", \"" : "",
		    ap.title ? ap.title : "", ap.title ? "\"," : "",
		    ap.posts.len, ap.posts.len == 1 ? "" : "s");
		r = add_line(io, feeds_path, url, ap.title, false, line, err, errlen);
		goto done;
	}
	say(io, "%s is a web page%s%s%s, not a feed.", url, ap.title ? ", \"" : "",
	    ap.title ? ap.title : "", ap.title ? "\"" : "");
	if (!ap.nlinks) {
		r = add_page(io, &ap, url, feeds_path, line, err, errlen);
		goto done;
	}
	say(io, "It offers %zu feed%s:", ap.nlinks, ap.nlinks == 1 ? "" : "s");
	for (i = 0; i < ap.nlinks; i++)
		say(io, "  %zu. %s (%s) %s", i + 1, ap.links[i].title ? ap.links[i].title : "untitled",
		    ap.links[i].kind, ap.links[i].url);
	q = xasprintf("Add which feed? [1-%zu, or 0 for the page itself]", ap.nlinks);
	if (ask(io, q, "1", answer, sizeof(answer)) < 0) {
		free(q);
		say(io, "Nothing added.");
		r = ADD_DECLINED;
		goto done;
	}
	free(q);
	{
		char *end;
		long k;

		errno = 0;
		k = strtol(answer, &end, 10);
		while (*end == ' ' || *end == '\t')
			end++;
		if (end == answer || *end || errno || k < 0 || (size_t)k > ap.nlinks) {
			say(io, "Nothing added.");
			r = ADD_DECLINED;
		} else if (k == 0) {
			r = add_page(io, &ap, url, feeds_path, line, err, errlen);
		} else {
			r = add_advertised(io, &ap.links[k - 1], ap.title, feeds_path, fo, line,
			    err, errlen);
		}
	}
done:
	add_probe_free(&ap);
	fetch_result_free(&res);
	free(url);
	return r;
}

static void
stdio_say(void *ctx, const char *line)
{
	struct add_stdio *s = ctx;

	if (s->ascii) {
		char *a = text_to_ascii(line);

		fprintf(s->out, "%s\n", a);
		free(a);
	} else {
		fprintf(s->out, "%s\n", line);
	}
}

static int
stdio_ask(void *ctx, const char *question, char *answer, size_t len)
{
	struct add_stdio *s = ctx;
	size_t n;
	int c;

	fprintf(s->out, "%s ", question);
	fflush(s->out);
	if (!fgets(answer, (int)(len > INT_MAX ? INT_MAX : len), s->in)) {
		answer[0] = '\0';
		fputc('\n', s->out);
		return -1;
	}
	n = strlen(answer);
	if (n && answer[n - 1] == '\n')
		answer[--n] = '\0';
	else
		while ((c = getc(s->in)) != EOF && c != '\n')
			;	/* the rest of a long line */
	if (n && answer[n - 1] == '\r')
		answer[--n] = '\0';
	text_sanitize_line(answer);
	/* From a pipe nothing echoed the answer: do it, for a transcript. */
	if (!isatty(fileno(s->in)))
		fprintf(s->out, "%s\n", answer);
	return 0;
}

void
add_stdio_io(struct add_io *io, struct add_stdio *ctx, bool yes)
{
	io->say = stdio_say;
	io->ask = stdio_ask;
	io->ctx = ctx;
	io->yes = yes;
}

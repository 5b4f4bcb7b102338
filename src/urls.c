#include "urls.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text.h"
#include "util.h"

/* Reads one word of a urls line: bare, or in double quotes with \" and \\
 * escapes.  Returns a string the caller frees and advances *sp, or NULL at
 * the end of the line; sets *unclosed when a quote runs to the end. */
static char *
urls_word(const char **sp, bool *unclosed)
{
	const char *s = *sp;
	struct buf b = {0};

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s || *s == '#') {
		*sp = s;
		return NULL;
	}
	if (*s == '"') {
		for (s++; *s && *s != '"'; s++) {
			if (*s == '\\' && s[1])
				s++;
			buf_putc(&b, *s);
		}
		if (*s == '"')
			s++;
		else
			*unclosed = true;
	} else {
		for (; *s && *s != ' ' && *s != '\t'; s++)
			buf_putc(&b, *s);
	}
	*sp = s;
	return buf_steal(&b);
}

static bool
urls_has_scheme(const char *u, const char *scheme)
{
	size_t n = strlen(scheme);

	return !util_strncasecmp(u, scheme, n) && u[n] == ':';
}

/* Applies one @key=value option; returns 0, or -1 with a reason. */
static int
urls_option(struct feedsrc *f, const char *opt, char *err, size_t errlen)
{
	const char *eq = strchr(opt, '=');
	const char *v = eq ? eq + 1 : "";
	size_t klen = eq ? (size_t)(eq - opt) : strlen(opt);

	if (klen == 7 && !strncmp(opt, "heading", 7)) {
		if (*v == 'h' || *v == 'H')
			v++;
		if (v[0] < '1' || v[0] > '6' || v[1]) {
			snprintf(err, errlen, "@heading takes 1 to 6 (or h1 to h6)");
			return -1;
		}
		f->opts.heading = v[0] - '0';
	} else if (klen == 5 && !strncmp(opt, "xpath", 5)) {
		if (!*v) {
			snprintf(err, errlen, "@xpath needs an expression");
			return -1;
		}
		free((char *)f->opts.xpath);
		f->opts.xpath = xstrdup(v);
	} else if (klen == 4 && !strncmp(opt, "type", 4)) {
		if (strcmp(v, "page") && strcmp(v, "feed")) {
			snprintf(err, errlen, "@type is page or feed");
			return -1;
		}
		free(f->type);
		f->type = xstrdup(v);
	} else {
		snprintf(err, errlen, "unknown option @%.*s", (int)klen, opt);
		return -1;
	}
	return 0;
}

static void
feedsrc_free(struct feedsrc *f)
{
	size_t i;

	free(f->url);
	free(f->name);
	for (i = 0; i < f->ntags; i++)
		free(f->tags[i]);
	free(f->tags);
	free((char *)f->opts.xpath);
	free(f->type);
	memset(f, 0, sizeof(*f));
}

/* Turns the URL word into the URL to fetch: http(s) as written, file URLs
 * and paths (relative ones against dir) into file:// URLs.  NULL with a
 * reason when the line is not something sendnews fetches. */
static char *
urls_normalise(const char *w, const char *dir, char *why, size_t whylen)
{
	if (urls_has_scheme(w, "http") || urls_has_scheme(w, "https"))
		return xstrdup(w);
	if (urls_has_scheme(w, "file"))
		return xstrdup(w);
	if (urls_has_scheme(w, "exec") || urls_has_scheme(w, "filter")) {
		snprintf(why, whylen, "%s: feeds that run commands are not supported", w);
		return NULL;
	}
	if (urls_has_scheme(w, "query")) {
		snprintf(why, whylen, "query feeds are not supported");
		return NULL;
	}
	if (*w == '/')
		return xasprintf("file://%s", w);
	if (strchr(w, ':')) {
		snprintf(why, whylen, "%.200s: only http, https and file URLs are read", w);
		return NULL;
	}
	if (!dir || !*dir)
		dir = ".";
	if (*dir == '/')
		return xasprintf("file://%s/%s", dir, w);
	{
		char cwd[4096];

		if (!getcwd(cwd, sizeof(cwd)))
			strcpy(cwd, "/");
		return xasprintf("file://%s/%s/%s", cwd, dir, w);
	}
}

int
urls_parse(struct feedlist *l, const char *text, size_t len, const char *dir,
    struct buf *warn, char *err, size_t errlen)
{
	const char *p = text, *end = text + len;
	int lineno = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = xstrndup(p, n), *w, *url;
		const char *s = line;
		struct feedsrc f = {0};
		char why[512] = "";
		bool unclosed = false;
		size_t i;

		lineno++;
		p += n + (nl ? 1 : 0);
		if (n && line[n - 1] == '\r')
			line[n - 1] = '\0';
		if (!(w = urls_word(&s, &unclosed))) {
			free(line);
			continue;
		}
		if (unclosed) {
			/* Half a line read as a whole would be a wrong URL. */
			if (warn)
				buf_printf(warn, "line %d: skipped: a quote is not closed\n", lineno);
			free(w);
			free(line);
			continue;
		}
		url = urls_normalise(w, dir, why, sizeof(why));
		free(w);
		if (!url) {
			if (warn)
				buf_printf(warn, "line %d: skipped: %s\n", lineno, why);
			free(line);
			continue;
		}
		f.url = url;
		f.line = lineno;
		while ((w = urls_word(&s, &unclosed))) {
			if (w[0] == '~') {
				free(f.name);
				f.name = text_sanitize_line(xstrdup(w + 1));
				free(w);
			} else if (w[0] == '@') {
				if (urls_option(&f, w + 1, why, sizeof(why)) < 0 && warn)
					buf_printf(warn, "line %d: %s\n", lineno, why);
				free(w);
			} else if (w[0] == '!') {
				free(w);	/* newsboat's hidden-feed marker */
			} else {
				f.tags = xreallocarray(f.tags, f.ntags + 1, sizeof(*f.tags));
				f.tags[f.ntags++] = text_sanitize_line(w);
			}
		}
		free(line);
		if (unclosed) {
			if (warn)
				buf_printf(warn, "line %d: skipped: a quote is not closed\n", lineno);
			feedsrc_free(&f);
			continue;
		}
		for (i = 0; i < l->len && strcmp(l->v[i].url, f.url); i++)
			;
		if (i < l->len) {
			if (warn)
				buf_printf(warn, "line %d: skipped: %s is already listed on line %d\n",
				    lineno, f.url, l->v[i].line);
			feedsrc_free(&f);
			continue;
		}
		l->v = xreallocarray(l->v, l->len + 1, sizeof(*l->v));
		l->v[l->len++] = f;
	}
	(void)err;
	(void)errlen;
	return 0;
}

int
urls_load(struct feedlist *l, const char *path, struct buf *warn, char *err,
    size_t errlen)
{
	char *data, *dir, *slash;
	size_t len;
	int r;

	if (util_read_file(path, 4u << 20, &data, &len, err, errlen) < 0)
		return -1;
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')))
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		strcpy(dir, ".");
	r = urls_parse(l, data, len, dir, warn, err, errlen);
	free(dir);
	free(data);
	return r;
}

void
urls_free(struct feedlist *l)
{
	size_t i;

	for (i = 0; i < l->len; i++)
		feedsrc_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->len = 0;
}

const char *
urls_display_name(const struct feedsrc *f, char *tmp, size_t tmplen)
{
	const char *u = f->url, *s;

	if (f->name && *f->name)
		return f->name;
	if ((s = strstr(u, "://")))
		u = s + 3;
	snprintf(tmp, tmplen, "%s", u);
	return tmp;
}

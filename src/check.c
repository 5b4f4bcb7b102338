#include "check.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "text.h"
#include "util.h"

static const char *const check_word[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

/* What check says of one feed after the fetch. */
struct check_row {
	enum check_status status;
	long long newest;     /* date of the newest post, 0 if none */
	size_t posts;
	char why[512];
};

static void
check_feed(struct app *app, size_t i, long long now, long warn_days,
    long crit_days, struct check_row *r)
{
	const struct sfeed *f = &app->store.feeds[i];
	size_t k;

	memset(r, 0, sizeof(*r));
	for (k = 0; k < app->store.posts.len; k++) {
		const struct post *p = &app->store.posts.v[k];

		if (p->feed != i || p->gone)
			continue;
		r->posts++;
		if (p->date > r->newest)
			r->newest = p->date;
	}
	if (f->error) {
		r->status = CHECK_CRITICAL;
		snprintf(r->why, sizeof(r->why), "%s", f->error);
	} else if (!r->posts) {
		r->status = CHECK_WARNING;
		snprintf(r->why, sizeof(r->why), "no posts found: the page or feed layout may have changed");
	} else if (r->newest && crit_days >= 0 && now - r->newest > crit_days * 86400LL) {
		r->status = CHECK_CRITICAL;
		snprintf(r->why, sizeof(r->why), "newest post is older than %ld days", crit_days);
	} else if (r->newest && warn_days >= 0 && now - r->newest > warn_days * 86400LL) {
		r->status = CHECK_WARNING;
		snprintf(r->why, sizeof(r->why), "newest post is older than %ld days", warn_days);
	}
}

/* A JSON string: controls escaped, and non-ASCII as \\u escapes when the
 * locale is not UTF-8 (the input is valid UTF-8: names and errors are
 * sanitised). */
static void
json_str(FILE *fp, bool ascii, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	fputc('"', fp);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\') {
			fprintf(fp, "\\%c", *p);
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(fp, "\\u%04x", *p);
		} else if (*p >= 0x80 && ascii) {
			unsigned cp, n = *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 : 1, i;

			cp = *p & (0x3f >> n);
			for (i = 0; i < n && (p[1] & 0xc0) == 0x80; i++)
				cp = (cp << 6) | (*++p & 0x3f);
			if (cp >= 0x10000) {
				cp -= 0x10000;
				fprintf(fp, "\\u%04x\\u%04x", 0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
			} else {
				fprintf(fp, "\\u%04x", cp);
			}
		} else {
			fputc(*p, fp);
		}
	}
	fputc('"', fp);
}

/* A field of the text or TSV line: folded to ASCII when the locale is
 * not UTF-8, and with no tab or other control left in it. */
static void
put_field(FILE *fp, const struct app *app, const char *s)
{
	char *c = app->ascii ? text_to_ascii(s) : xstrdup(s), *p;

	for (p = c; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	fputs(c, fp);
	free(c);
}

int
check_run(struct app *app, FILE *fp, int fmt, long warn_days, long crit_days)
{
	struct fetcher *f;
	struct fetch_result res;
	long long now = util_now();
	size_t i, counts[4] = {0};
	int worst = CHECK_OK;
	char tmp[256], err[512];

	/* --offline judges the cached state: the last attempt's status and
	 * error, with no time or size of this run. */
	if (!app->offline) {
		f = fetch_new(&app->fetch);
		store_fetch_all(&app->store, f);
		do {
			fetch_poll(f, NULL, 0, 1000, NULL);
			while (fetch_next(f, &res)) {
				store_apply(&app->store, &res);
				fetch_result_free(&res);
			}
		} while (fetch_pending(f));
		fetch_free(f);
		if (store_save(&app->store, err, sizeof(err)) < 0)
			fprintf(stderr, "sendnews: cannot save the cache: %s\n", err);
	}

	if (fmt == OUT_JSON)
		fputs("{\"feeds\":[", fp);
	for (i = 0; i < app->store.nfeeds; i++) {
		const struct sfeed *sf = &app->store.feeds[i];
		const char *name = output_feed_name(app, i, tmp, sizeof(tmp));
		struct check_row r;
		long age;

		check_feed(app, i, now, warn_days, crit_days, &r);
		counts[r.status]++;
		if ((int)r.status > worst)
			worst = r.status;
		age = r.newest ? (long)((now - r.newest) / 86400) : -1;
		if (fmt == OUT_JSON) {
			fputs(i ? ",\n{\"status\":" : "\n{\"status\":", fp);
			json_str(fp, app->ascii, check_word[r.status]);
			fputs(",\"name\":", fp);
			json_str(fp, app->ascii, name);
			fputs(",\"url\":", fp);
			json_str(fp, app->ascii, sf->src->url);
			fprintf(fp, ",\"http\":%ld,\"seconds\":%.3f,\"bytes\":%zu,\"posts\":%zu,\"newest_age_days\":",
			    sf->http, sf->seconds, sf->size, r.posts);
			if (age >= 0)
				fprintf(fp, "%ld", age);
			else
				fputs("null", fp);
			fputs(",\"error\":", fp);
			if (*r.why)
				json_str(fp, app->ascii, r.why);
			else
				fputs("null", fp);
			fputc('}', fp);
		} else if (fmt == OUT_TSV) {
			/* status, name, HTTP, seconds, bytes, posts, age in days
			 * (empty when unknown), error; columns only grow at the end. */
			fprintf(fp, "%s\t", check_word[r.status]);
			put_field(fp, app, name);
			fprintf(fp, "\t%ld\t%.3f\t%zu\t%zu\t", sf->http, sf->seconds, sf->size, r.posts);
			if (age >= 0)
				fprintf(fp, "%ld", age);
			fputc('\t', fp);
			put_field(fp, app, r.why);
			fputc('\n', fp);
		} else {
			fprintf(fp, "%-8s ", check_word[r.status]);
			put_field(fp, app, name);
			if (sf->http)
				fprintf(fp, ": HTTP %ld", sf->http);
			else if (!strncmp(sf->src->url, "file:", 5) || sf->src->url[0] == '/')
				fputs(": a local file", fp);
			else
				fputs(": no HTTP answer", fp);
			fprintf(fp, ", %.2f s, %zu bytes, %zu post%s", sf->seconds, sf->size, r.posts,
			    r.posts == 1 ? "" : "s");
			if (age >= 0)
				fprintf(fp, ", newest %ld day%s old", age, age == 1 ? "" : "s");
			if (*r.why) {
				fputs(" - ", fp);
				put_field(fp, app, r.why);
			}
			fputc('\n', fp);
		}
	}
	if (fmt == OUT_JSON)
		fprintf(fp, "\n],\"status\":\"%s\",\"ok\":%zu,\"warning\":%zu,\"critical\":%zu}\n",
		    check_word[worst], counts[0], counts[1], counts[2]);
	else if (fmt == OUT_TEXT)
		fprintf(fp, "SENDNEWS %s - %zu feeds: %zu OK, %zu warning, %zu critical\n",
		    check_word[worst], app->store.nfeeds, counts[0], counts[1], counts[2]);
	return worst;
}

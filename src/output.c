#include "output.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "deadline.h"
#include "diff.h"
#include "term.h"
#include "layout.h"
#include "text.h"
#include "util.h"

int
output_format(const char *name)
{
	if (!strcmp(name, "text"))
		return OUT_TEXT;
	if (!strcmp(name, "tsv"))
		return OUT_TSV;
	if (!strcmp(name, "json"))
		return OUT_JSON;
	return -1;
}

const char *
output_feed_name(const struct app *app, size_t feed, char *tmp, size_t tmplen)
{
	return urls_display_name(&app->feeds.v[feed], tmp, tmplen);
}

/* Prints s for a person: as it is, or folded to ASCII when the locale
 * cannot show UTF-8. */
static void
put_text(FILE *fp, const struct app *app, const char *s)
{
	if (app->ascii) {
		char *a = text_to_ascii(s);

		fputs(a, fp);
		free(a);
	} else {
		fputs(s, fp);
	}
}

/* A TSV field: tabs, newlines and other controls become spaces. */
static void
put_tsv(FILE *fp, const struct app *app, const char *s)
{
	char *c = app->ascii ? text_to_ascii(s) : xstrdup(s), *p;

	for (p = c; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	fputs(c, fp);
	free(c);
}

/* A JSON string with every control character escaped; non-ASCII as \u
 * escapes when the locale is not UTF-8. */
static void
put_json(FILE *fp, const struct app *app, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	fputc('"', fp);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", fp);
		else if (*p == '\t')
			fputs("\\t", fp);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(fp, "\\u%04x", *p);
		else if (*p >= 0x80 && app->ascii) {
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
		} else
			fputc(*p, fp);
	}
	fputc('"', fp);
}

static const char *
topic_name(const struct app *app, size_t k)
{
	return k < app->topics.len ? app->topics.v[k].name : "Other";
}

static bool
post_in_topic(const struct app *app, const struct post *p, size_t k)
{
	return k == app->topics.len ? p->topics == 0 : (p->topics >> k) & 1;
}

static bool
post_unread(const struct post *p)
{
	return !(p->flags & POST_READ) || (p->flags & POST_UPDATED);
}

/* The state word shown in text output; "" for a read post. */
static const char *
post_state(const struct post *p)
{
	if (p->gone)
		return "archived";
	if (p->flags & POST_UPDATED)
		return "updated";
	if (!(p->flags & POST_READ))
		return "new";
	return "";
}

static void
json_post(FILE *fp, struct app *app, const struct post *p)
{
	char d[16], tmp[256];
	size_t k;
	bool first = true;

	fputs("{\"id\":", fp);
	put_json(fp, app, p->id);
	fputs(",\"title\":", fp);
	put_json(fp, app, p->title);
	fputs(",\"date\":", fp);
	put_json(fp, app, date_format(p->date, d));
	fputs(",\"feed\":", fp);
	put_json(fp, app, output_feed_name(app, p->feed, tmp, sizeof(tmp)));
	fputs(",\"link\":", fp);
	put_json(fp, app, p->link);
	fputs(",\"topics\":[", fp);
	for (k = 0; k <= app->topics.len; k++) {
		if (!post_in_topic(app, p, k))
			continue;
		if (!first)
			fputc(',', fp);
		put_json(fp, app, topic_name(app, k));
		first = false;
	}
	fprintf(fp, "],\"read\":%s,\"updated\":%s,\"archived\":%s",
	    p->flags & POST_READ ? "true" : "false",
	    p->flags & POST_UPDATED ? "true" : "false",
	    p->gone ? "true" : "false");
	/* The closing day of a survey or consultation (deadline.h), or null. */
	if (p->deadline)
		fprintf(fp, ",\"deadline\":\"%s\"", date_format(p->deadline, d));
	else
		fputs(",\"deadline\":null", fp);
}

void
output_list(FILE *fp, struct app *app, const struct filter *fl,
    enum out_format fmt)
{
	struct post **v;
	size_t n = store_select(&app->store, fl, &v), i, k, nt = app->topics.len;
	char d[16], tmp[256];
	const char *name;

	if (fmt == OUT_JSON) {
		fputc('[', fp);
		for (i = 0; i < n; i++) {
			fputs(i ? ",\n" : "\n", fp);
			json_post(fp, app, v[i]);
			fputc('}', fp);
		}
		fputs(n ? "\n]\n" : "]\n", fp);
		free(v);
		return;
	}
	for (k = 0; k <= nt; k++) {
		size_t total = 0, unread = 0;

		if (fl->topic >= 0 && (size_t)fl->topic != k)
			continue;
		for (i = 0; i < n; i++) {
			if (post_in_topic(app, v[i], k)) {
				total++;
				unread += post_unread(v[i]);
			}
		}
		if (!total)
			continue;
		if (fmt == OUT_TEXT) {
			put_text(fp, app, topic_name(app, k));
			fprintf(fp, " (%zu post%s, %zu unread)\n", total, total == 1 ? "" : "s", unread);
		}
		for (i = 0; i < n; i++) {
			const struct post *p = v[i];

			if (!post_in_topic(app, p, k))
				continue;
			date_format(p->date, d);
			name = output_feed_name(app, p->feed, tmp, sizeof(tmp));
			if (fmt == OUT_TSV) {
				put_tsv(fp, app, topic_name(app, k));
				fprintf(fp, "\t%s\t", d);
				put_tsv(fp, app, name);
				fputc('\t', fp);
				put_tsv(fp, app, p->title);
				fputc('\t', fp);
				put_tsv(fp, app, p->link);
				/* Columns only grow at the end: 7th, the deadline. */
				fprintf(fp, "\t%s\t%s\n", p->id, date_format(p->deadline, d));
				continue;
			}
			fprintf(fp, "  %-10s  %-8s  ", *d ? d : "no date", post_state(p));
			put_text(fp, app, p->title);
			fputs(" (", fp);
			put_text(fp, app, name);
			fprintf(fp, ") %s\n", p->id);
		}
		if (fmt == OUT_TEXT)
			fputc('\n', fp);
	}
	free(v);
}

/* list --closing: the posts whose deadline is still open at now,
 * soonest first, each with how long is left. */
void
output_closing(FILE *fp, struct app *app, const struct filter *fl,
    enum out_format fmt, long long now)
{
	struct post **v;
	size_t n = store_select(&app->store, fl, &v), i, k, open = 0;
	char d[16], dl[16], how[48], tmp[256];

	for (i = 0; i < n; i++)
		if (deadline_open(v[i]->deadline, now))
			v[open++] = v[i];
	deadline_sort(v, open);
	if (fmt == OUT_JSON)
		fputc('[', fp);
	else if (fmt == OUT_TEXT)
		fprintf(fp, "Closing soon (%zu post%s)\n", open, open == 1 ? "" : "s");
	for (i = 0; i < open; i++) {
		const struct post *p = v[i];
		const char *name = output_feed_name(app, p->feed, tmp, sizeof(tmp));

		date_format(p->deadline, dl);
		deadline_describe(p->deadline, now, how, sizeof(how));
		if (fmt == OUT_JSON) {
			fputs(i ? ",\n" : "\n", fp);
			json_post(fp, app, p);
			fputc('}', fp);
		} else if (fmt == OUT_TSV) {
			/* The list's columns, one line per topic of the post. */
			date_format(p->date, d);
			for (k = 0; k <= app->topics.len; k++) {
				if (!post_in_topic(app, p, k) ||
				    (fl->topic >= 0 && (size_t)fl->topic != k))
					continue;
				put_tsv(fp, app, topic_name(app, k));
				fprintf(fp, "\t%s\t", d);
				put_tsv(fp, app, name);
				fputc('\t', fp);
				put_tsv(fp, app, p->title);
				fputc('\t', fp);
				put_tsv(fp, app, p->link);
				fprintf(fp, "\t%s\t%s\n", p->id, dl);
			}
		} else {
			fprintf(fp, "  %s  %-17s  ", dl, how);
			put_text(fp, app, p->title);
			fputs(" (", fp);
			put_text(fp, app, name);
			fprintf(fp, ") %s\n", p->id);
		}
	}
	if (fmt == OUT_JSON)
		fputs(open ? "\n]\n" : "]\n", fp);
	free(v);
}

void
output_show(FILE *fp, struct app *app, struct post *p, enum out_format fmt,
    size_t width)
{
	char d[16], tmp[256], err[512];
	const char *name;
	struct buf b = {0};
	size_t i, k;
	bool first = true;

	char *added = NULL;

	if (store_load_body(&app->store, p, err, sizeof(err)) < 0) {
		free(p->text);
		p->text = xasprintf("(%s)", err);
	} else if ((p->flags & POST_UPDATED) && p->read_text) {
		/* What changed since the user read it: the lines added. */
		added = diff_added(p->read_text, p->text);
	}
	date_format(p->date, d);
	name = output_feed_name(app, p->feed, tmp, sizeof(tmp));
	if (fmt == OUT_JSON) {
		json_post(fp, app, p);
		fputs(",\"text\":", fp);
		put_json(fp, app, p->text);
		/* Of an updated post, the text added since it was read, or null. */
		fputs(",\"added\":", fp);
		if (added)
			put_json(fp, app, added);
		else
			fputs("null", fp);
		fputs(",\"links\":[", fp);
		for (i = 0; i < p->nlinks; i++) {
			if (i)
				fputc(',', fp);
			put_json(fp, app, p->links[i]);
		}
		fputs("]}\n", fp);
		free(added);
		return;
	}
	if (fmt == OUT_TSV) {
		/* One line: the list's columns, then the text. */
		fprintf(fp, "%s\t", d);
		put_tsv(fp, app, name);
		fputc('\t', fp);
		put_tsv(fp, app, p->title);
		fputc('\t', fp);
		put_tsv(fp, app, p->link);
		fprintf(fp, "\t%s\t", p->id);
		put_tsv(fp, app, p->text);
		fputc('\n', fp);
		free(added);
		return;
	}
	put_text(fp, app, p->title);
	fprintf(fp, "\nDate:   %s\nFeed:   ", *d ? d : "unknown");
	put_text(fp, app, name);
	if (p->deadline) {
		char how[48];

		fprintf(fp, "\nCloses: %s (%s)", date_format(p->deadline, d),
		    deadline_describe(p->deadline, util_now(), how, sizeof(how)));
		date_format(p->date, d);
	}
	fputs("\nTopics: ", fp);
	for (k = 0; k <= app->topics.len; k++) {
		if (!post_in_topic(app, p, k))
			continue;
		fputs(first ? "" : ", ", fp);
		put_text(fp, app, topic_name(app, k));
		first = false;
	}
	fputs("\nLink:   ", fp);
	put_text(fp, app, *p->link ? p->link : "none");
	fprintf(fp, "\nId:     %s\n", p->id);
	if (*post_state(p))
		fprintf(fp, "State:  %s%s\n", post_state(p),
		    p->flags & POST_UPDATED ? " (the text changed since you read it; what was added follows it)" :
		    p->gone ? " (no longer on the feed)" : "");
	fputc('\n', fp);
	layout_wrap(&b, p->text, width);
	put_text(fp, app, b.data ? b.data : "");
	buf_free(&b);
	if (added) {
		fputs("\nAdded since you read it:\n\n", fp);
		layout_wrap(&b, added, width);
		put_text(fp, app, b.data ? b.data : "");
		buf_free(&b);
		free(added);
	}
	if (p->nlinks) {
		/* osc8 yes in the config, and a terminal: each link is an OSC 8
		 * hyperlink around its own text; one term.c refuses stays plain. */
		bool osc8 = app->osc8 && isatty(fileno(fp));

		fputs("\nLinks:\n", fp);
		for (i = 0; i < p->nlinks; i++) {
			char *shown = NULL, *seq = NULL;

			fprintf(fp, "[%zu] ", i + 1);
			if (osc8) {
				shown = app->ascii ? text_to_ascii(p->links[i]) :
				    xstrdup(p->links[i]);
				seq = term_osc8(p->links[i], shown);
			}
			if (seq)
				fputs(seq, fp);
			else
				put_text(fp, app, p->links[i]);
			free(seq);
			free(shown);
			fputc('\n', fp);
		}
	}
}

void
output_topics(FILE *fp, struct app *app, enum out_format fmt)
{
	size_t nt = app->topics.len, k;
	size_t *total = xcalloc(nt + 1, sizeof(*total));
	size_t *unread = xcalloc(nt + 1, sizeof(*unread));

	store_count(&app->store, total, unread);
	if (fmt == OUT_JSON)
		fputc('[', fp);
	for (k = 0; k <= nt; k++) {
		const char *name = topic_name(app, k);

		if (fmt == OUT_JSON) {
			fputs(k ? ",\n{\"name\":" : "\n{\"name\":", fp);
			put_json(fp, app, name);
			fprintf(fp, ",\"posts\":%zu,\"unread\":%zu}", total[k], unread[k]);
		} else if (fmt == OUT_TSV) {
			put_tsv(fp, app, name);
			fprintf(fp, "\t%zu\t%zu\n", total[k], unread[k]);
		} else {
			size_t w = layout_width(name);

			put_text(fp, app, name);
			fprintf(fp, "%*s%5zu post%s %5zu unread\n", (int)(w < 30 ? 30 - w : 1), "",
			    total[k], total[k] == 1 ? " " : "s", unread[k]);
		}
	}
	if (fmt == OUT_JSON)
		fputs("\n]\n", fp);
	free(total);
	free(unread);
}

/* "3 days", "5 hours", "20 minutes": how long secs is, roughly. */
static const char *
age_words(long long secs, char *buf, size_t len)
{
	long long n;
	const char *unit;

	if (secs >= 2 * 86400LL) {
		n = secs / 86400;
		unit = "day";
	} else if (secs >= 2 * 3600LL) {
		n = secs / 3600;
		unit = "hour";
	} else {
		n = secs > 60 ? secs / 60 : 1;
		unit = "minute";
	}
	snprintf(buf, len, "%lld %s%s", n, unit, n == 1 ? "" : "s");
	return buf;
}

void
output_cache_age(FILE *fp, struct app *app, long long now)
{
	size_t i, stale = 0, oldest = 0, fetched = 0;
	long long worst = -1;
	char tmp[256], age[48];

	/* A cache that never held anything is empty for all to see. */
	for (i = 0; i < app->store.nfeeds; i++)
		fetched += app->store.feeds[i].ok != 0;
	if (!fetched)
		return;
	for (i = 0; i < app->store.nfeeds; i++) {
		const struct sfeed *f = &app->store.feeds[i];
		long long a = f->ok ? now - f->ok : LLONG_MAX;

		if (a <= 86400)
			continue;
		stale++;
		if (a > worst) {
			worst = a;
			oldest = i;
		}
	}
	if (!stale)
		return;
	if (stale > OUTPUT_AGE_LINES) {
		const struct sfeed *f = &app->store.feeds[oldest];

		fprintf(fp, "sendnews: %zu of %zu feeds were last fetched more than a day ago; "
		    "the oldest, %s, %s%s%s; 'sendnews --offline check' lists each\n",
		    stale, app->store.nfeeds, output_feed_name(app, oldest, tmp, sizeof(tmp)),
		    f->ok ? "cached " : "never fetched", f->ok ? age_words(now - f->ok, age, sizeof(age)) : "",
		    f->ok ? " ago" : "");
		return;
	}
	for (i = 0; i < app->store.nfeeds; i++) {
		const struct sfeed *f = &app->store.feeds[i];

		if (f->ok && now - f->ok <= 86400)
			continue;
		fprintf(fp, "sendnews: %s: ", output_feed_name(app, i, tmp, sizeof(tmp)));
		if (f->ok)
			fprintf(fp, "cached %s ago\n", age_words(now - f->ok, age, sizeof(age)));
		else
			fputs("never fetched, nothing cached\n", fp);
	}
}

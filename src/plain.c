#include "plain.h"

#include <ctype.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "fetch.h"
#include "output.h"
#include "post.h"
#include "store.h"
#include "text.h"
#include "topics.h"
#include "util.h"

#define PLAIN_PAGE 20      /* rows of a post list printed at once */
#define PLAIN_WIDTH 78     /* wrap width when $COLUMNS says nothing */

enum plain_view {
	PLAIN_TOPICS,      /* the numbered topics menu */
	PLAIN_POSTS,       /* the numbered posts of one topic or search */
	PLAIN_POST,        /* one post in full */
};

/* The state of one session; everything printed is composed in buf and
 * passes through plain_flush, the one place that writes to out. */
struct plain {
	struct app *app;
	FILE *in, *out;
	bool echo;           /* input is not a terminal: repeat each command */
	size_t width;
	enum plain_view view;
	struct buf buf;      /* output not yet written */
	long *tmap;          /* menu number - 1 -> topic (-1 all, t->len Other) */
	size_t ntmap;
	struct post **list;  /* the current list; invalid after a refresh */
	size_t nlist;
	bool have_list;
	long topic;          /* what the list holds: a topic, or -1 ... */
	char *search;        /* ... or the posts matching these words */
	size_t shown;        /* rows of the list printed so far */
	char *cur;           /* id of the open (or last opened) post, or NULL */
	size_t curidx;       /* its index in list, when cur is set */
};

/* Set by the signal handler only; the session ends at the next prompt. */
static volatile sig_atomic_t plain_signal;

static void
plain_on_signal(int sig)
{
	plain_signal = sig;
}

static void say(struct plain *pl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends formatted text to what is waiting for plain_flush. */
static void
say(struct plain *pl, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		buf_append(&pl->buf, small, (size_t)n);
		return;
	}
	va_start(ap, fmt);
	buf_grow(&pl->buf, (size_t)n + 1);
	vsnprintf(pl->buf.data + pl->buf.len, (size_t)n + 1, fmt, ap);
	pl->buf.len += (size_t)n;
	va_end(ap);
}

/* Writes what was composed.  Whatever the core let through, no control
 * character, escape sequence or bidi override reaches out: the text is
 * sanitised once more here, then folded to ASCII for non-UTF-8 locales. */
static void
plain_flush(struct plain *pl)
{
	char *s;

	if (!pl->buf.len)
		return;
	text_sanitize(pl->buf.data);
	if (pl->app->ascii) {
		s = text_to_ascii(pl->buf.data);
		fputs(s, pl->out);
		free(s);
	} else {
		fputs(pl->buf.data, pl->out);
	}
	pl->buf.len = 0;
	pl->buf.data[0] = '\0';
	fflush(pl->out);
}

static size_t
plain_width(void)
{
	const char *c = getenv("COLUMNS");
	long w = c ? strtol(c, NULL, 10) : 0;

	if (w >= 20 && w <= 500)
		return (size_t)w;
	return PLAIN_WIDTH;
}

static bool
post_is_unread(const struct post *p)
{
	return !(p->flags & POST_READ) || (p->flags & POST_UPDATED);
}

/* The state as a word for a menu row; NULL for a read post. */
static const char *
post_state_word(const struct post *p)
{
	if (p->gone)
		return "archived";
	if (p->flags & POST_UPDATED)
		return "updated";
	if (!(p->flags & POST_READ))
		return "new";
	return NULL;
}

static void
list_free(struct plain *pl)
{
	free(pl->list);
	pl->list = NULL;
	pl->nlist = 0;
	pl->have_list = false;
}

/* Selects the posts of the current topic or search again, and finds the
 * open post in it (its pointer may have changed). */
static void
list_select(struct plain *pl)
{
	struct filter fl;
	size_t i;

	free(pl->list);
	filter_init(&fl);
	fl.topic = pl->search ? -1 : pl->topic;
	fl.search = pl->search;
	fl.archived = pl->search != NULL;  /* a search finds archived posts too */
	pl->nlist = store_select(&pl->app->store, &fl, &pl->list);
	pl->have_list = true;
	for (i = 0; pl->cur && i < pl->nlist; i++) {
		if (!strcmp(pl->list[i]->id, pl->cur)) {
			pl->curidx = i;
			return;
		}
	}
	free(pl->cur);
	pl->cur = NULL;
}

/* Makes the list hold topic (or the search words when not NULL). */
static void
list_set(struct plain *pl, long topic, const char *search)
{
	free(pl->search);
	pl->search = search ? xstrdup(search) : NULL;
	pl->topic = topic;
	free(pl->cur);
	pl->cur = NULL;
	pl->shown = 0;
	list_select(pl);
}

/* Forgets the list and what it held, back at the topics menu. */
static void
list_clear(struct plain *pl)
{
	list_free(pl);
	free(pl->search);
	pl->search = NULL;
	free(pl->cur);
	pl->cur = NULL;
	pl->topic = -1;
	pl->shown = 0;
}

static const char *
list_name(struct plain *pl)
{
	if (pl->topic < 0)
		return "All posts";
	return topics_name(&pl->app->topics, (size_t)pl->topic);
}

/* The topics menu: "All posts", each topic that has posts, "Other";
 * remembers which topic each number stands for. */
static void
show_topics(struct plain *pl)
{
	struct app *app = pl->app;
	size_t nt = app->topics.len, k, all = 0, allu = 0, i;
	size_t *total = xcalloc(nt + 1, sizeof(*total));
	size_t *unread = xcalloc(nt + 1, sizeof(*unread));

	store_count(&app->store, total, unread);
	for (i = 0; i < app->store.posts.len; i++) {
		const struct post *p = &app->store.posts.v[i];

		if (p->gone)
			continue;
		all++;
		allu += post_is_unread(p);
	}
	free(pl->tmap);
	pl->tmap = xreallocarray(NULL, nt + 2, sizeof(*pl->tmap));
	pl->ntmap = 0;
	say(pl, "Topics:\n");
	pl->tmap[pl->ntmap++] = -1;
	say(pl, "1. All posts (%zu, %zu unread)\n", all, allu);
	/* Empty topics are left out; "Other" (index nt) comes last. */
	for (k = 0; k <= nt; k++) {
		if (!total[k])
			continue;
		pl->tmap[pl->ntmap++] = (long)k;
		say(pl, "%zu. %s (%zu, %zu unread)\n", pl->ntmap,
		    topics_name(&app->topics, k), total[k], unread[k]);
	}
	if (!all)
		say(pl, "No posts yet: type r to fetch the feeds.\n");
	free(total);
	free(unread);
	pl->view = PLAIN_TOPICS;
}

/* One menu row: "3. [new] Title — 2024-10-01 — Feed". */
static void
show_row(struct plain *pl, size_t i)
{
	const struct post *p = pl->list[i];
	const char *state = post_state_word(p);
	char d[16], tmp[256];

	say(pl, "%zu. ", i + 1);
	if (state)
		say(pl, "[%s] ", state);
	say(pl, "%s", p->title);
	if (*date_format(p->date, d))
		say(pl, " \xe2\x80\x94 %s", d);
	say(pl, " \xe2\x80\x94 %s\n", output_feed_name(pl->app, p->feed, tmp, sizeof(tmp)));
}

/* Prints up to a page of the list from row first, with a heading when
 * first is where the list starts. */
static void
show_page(struct plain *pl, size_t first)
{
	size_t i, end, unread = 0;

	if (first == 0 || first >= pl->nlist) {
		first = 0;
		for (i = 0; i < pl->nlist; i++)
			unread += post_is_unread(pl->list[i]);
		if (pl->search)
			say(pl, "Search for \"%s\": %zu post%s, %zu unread\n", pl->search,
			    pl->nlist, pl->nlist == 1 ? "" : "s", unread);
		else
			say(pl, "%s: %zu post%s, %zu unread\n", list_name(pl), pl->nlist,
			    pl->nlist == 1 ? "" : "s", unread);
	}
	end = first + PLAIN_PAGE < pl->nlist ? first + PLAIN_PAGE : pl->nlist;
	for (i = first; i < end; i++)
		show_row(pl, i);
	if (!pl->nlist)
		say(pl, "No posts here. b goes back.\n");
	else if (end < pl->nlist)
		say(pl, "Showing %zu to %zu of %zu: m for more.\n", first + 1, end, pl->nlist);
	pl->shown = end;
	pl->view = PLAIN_POSTS;
}

/* Shows post i of the list in full; mark: and marks it read. */
static void
show_post(struct plain *pl, size_t i, bool mark)
{
	struct post *p = pl->list[i];
	char *text = NULL;
	size_t len = 0;
	FILE *ms;

	free(pl->cur);
	pl->cur = xstrdup(p->id);
	pl->curidx = i;
	say(pl, "Post %zu of %zu:\n", i + 1, pl->nlist);
	/* output_show is the one text rendering of a post; catch it in memory
	 * so it passes through plain_flush like everything else. */
	ms = open_memstream(&text, &len);
	if (!ms)
		die("out of memory");
	output_show(ms, pl->app, p, OUT_TEXT, pl->width);
	if (fclose(ms) == EOF)
		die("out of memory");
	buf_append(&pl->buf, text, len);
	if (len && text[len - 1] != '\n')
		buf_putc(&pl->buf, '\n');
	free(text);
	if (mark)
		store_set_read(&pl->app->store, p, true);
	pl->view = PLAIN_POST;
}

/* The open post, or NULL (with a message) when none is open. */
static struct post *
open_post(struct plain *pl)
{
	if (pl->view == PLAIN_POST && pl->cur && pl->curidx < pl->nlist)
		return pl->list[pl->curidx];
	say(pl, "No post is open: type a post's number first.\n");
	return NULL;
}

static void
show_help(struct plain *pl)
{
	say(pl, "Commands (type one, then press Enter):\n"
	    "NUMBER  open the topic or post with that number\n"
	    "m       more of a long list of posts\n"
	    "b       back to the previous menu\n"
	    "n       next unread post in the current list\n"
	    "/WORDS  search titles and text for posts with all the words\n"
	    "o N     print link N of the open post; o alone prints its own link\n"
	    "u       mark the open post unread, or read again; u N: post N of the list\n"
	    "l       print the current menu or post again\n"
	    "t       the topics menu\n"
	    "r       refresh: fetch every feed now\n"
	    "h       this help\n"
	    "q       quit (so does the end of input)\n");
}

/* Fetches every feed, saying so once before and once after, then selects
 * the current list again. */
static void
plain_refresh(struct plain *pl)
{
	struct app *app = pl->app;
	struct fetcher *f;
	struct fetch_result res;
	size_t i, nnew = 0, failed = 0, n = app->store.nfeeds;
	char err[512], tmp[256];

	/* store_apply invalidates post pointers: drop the list first. */
	list_free(pl);
	say(pl, "Refreshing %zu feed%s...\n", n, n == 1 ? "" : "s");
	plain_flush(pl);
	f = fetch_new(&app->fetch);
	store_fetch_all(&app->store, f);
	while (fetch_pending(f) && !plain_signal) {
		fetch_poll(f, NULL, 0, 1000, NULL);
		while (fetch_next(f, &res)) {
			nnew += store_apply(&app->store, &res);
			fetch_result_free(&res);
		}
	}
	fetch_free(f);
	for (i = 0; i < n; i++)
		failed += app->store.feeds[i].error != NULL;
	say(pl, "Refreshed %zu feed%s: %zu new post%s, %zu failed\n", n,
	    n == 1 ? "" : "s", nnew, nnew == 1 ? "" : "s", failed);
	for (i = 0; i < n; i++) {
		const struct sfeed *sf = &app->store.feeds[i];

		if (sf->error)
			say(pl, "Failed: %s: %s\n", output_feed_name(app, i, tmp, sizeof(tmp)),
			    sf->error);
	}
	if (store_save(&app->store, err, sizeof(err)) < 0)
		say(pl, "Could not save the cache: %s\n", err);
	if (pl->view == PLAIN_TOPICS)
		return;
	list_select(pl);
	if (pl->view == PLAIN_POST && !pl->cur) {
		say(pl, "The open post is no longer in this list.\n");
		show_page(pl, 0);
	}
}

/* Makes sure there is a list to work on: all posts when none was chosen. */
static void
need_list(struct plain *pl)
{
	if (!pl->have_list)
		list_set(pl, -1, NULL);
}

/* n: the next unread post after the open one, wrapping round once. */
static void
next_unread(struct plain *pl)
{
	size_t start, k, i;

	need_list(pl);
	start = pl->cur ? pl->curidx + 1 : 0;
	for (k = 0; k < pl->nlist; k++) {
		i = (start + k) % pl->nlist;
		if (post_is_unread(pl->list[i]) && !pl->list[i]->gone) {
			show_post(pl, i, true);
			return;
		}
	}
	say(pl, "No unread posts in %s.\n", pl->search ? "these search results" : list_name(pl));
}

/* b: from a post to the page of the list that holds it, from a list to
 * the topics. */
static void
go_back(struct plain *pl)
{
	switch (pl->view) {
	case PLAIN_POST:
		show_page(pl, pl->cur ? pl->curidx / PLAIN_PAGE * PLAIN_PAGE : 0);
		break;
	case PLAIN_POSTS:
		list_clear(pl);
		show_topics(pl);
		break;
	case PLAIN_TOPICS:
		say(pl, "This is the first menu: q quits.\n");
		break;
	}
}

/* Reads s as a whole number into *n; false when it is not one.  Numbers
 * too large for any list read as SIZE_MAX, which every range refuses. */
static bool
parse_number(const char *s, size_t *n)
{
	*n = 0;
	if (!*s)
		return false;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
		*n = *n > 100000000 ? SIZE_MAX : *n * 10 + (size_t)(*s - '0');
	}
	return true;
}

/* A number typed alone (arg, its text, for messages). */
static void
do_number(struct plain *pl, size_t n, const char *arg)
{
	if (pl->view == PLAIN_TOPICS) {
		if (!n || n > pl->ntmap) {
			say(pl, "No topic %s: choose 1 to %zu.\n", arg, pl->ntmap);
			return;
		}
		list_set(pl, pl->tmap[n - 1], NULL);
		show_page(pl, 0);
		return;
	}
	need_list(pl);
	if (!n || n > pl->nlist) {
		if (pl->nlist)
			say(pl, "No post %s: choose 1 to %zu.\n", arg, pl->nlist);
		else
			say(pl, "This list is empty.\n");
		return;
	}
	show_post(pl, n - 1, true);
}

static void
do_link(struct plain *pl, const char *arg)
{
	struct post *p = open_post(pl);
	size_t n;

	if (!p)
		return;
	if (!*arg) {
		say(pl, "%s\n", *p->link ? p->link : "This post has no link.");
		return;
	}
	if (!parse_number(arg, &n) || !n || n > p->nlinks) {
		if (p->nlinks)
			say(pl, "No link %s: this post has links 1 to %zu.\n", arg, p->nlinks);
		else
			say(pl, "This post has no numbered links; o alone prints its own link.\n");
		return;
	}
	say(pl, "%s\n", p->links[n - 1]);
}

static void
do_toggle(struct plain *pl, const char *arg)
{
	struct post *p;
	size_t n;

	if (*arg) {
		need_list(pl);
		if (!parse_number(arg, &n) || !n || n > pl->nlist) {
			say(pl, "No post %s in this list.\n", arg);
			return;
		}
		p = pl->list[n - 1];
	} else if (!(p = open_post(pl))) {
		return;
	}
	store_set_read(&pl->app->store, p, post_is_unread(p));
	say(pl, "Marked %s: %s\n", post_is_unread(p) ? "unread" : "read", p->title);
}

static void
do_more(struct plain *pl)
{
	if (pl->view != PLAIN_POSTS)
		say(pl, "m shows more of a list of posts.\n");
	else if (pl->shown >= pl->nlist)
		say(pl, "That was the end of the list.\n");
	else
		show_page(pl, pl->shown);
}

/* l: the current menu or post again (a post is not marked read again, so
 * u then l shows it as unread). */
static void
do_relist(struct plain *pl)
{
	if (pl->view == PLAIN_TOPICS)
		show_topics(pl);
	else if (pl->view == PLAIN_POSTS)
		show_page(pl, 0);
	else if (pl->cur)
		show_post(pl, pl->curidx, false);
}

/* Runs one command line (trimmed, not empty); false to quit. */
static bool
plain_command(struct plain *pl, const char *cmd)
{
	const char *arg;
	size_t n;

	if (cmd[0] == '/') {
		for (arg = cmd + 1; *arg == ' '; arg++)
			;
		if (!*arg) {
			say(pl, "Type / and the words to look for, as in /autism.\n");
			return true;
		}
		list_set(pl, -1, arg);
		show_page(pl, 0);
		return true;
	}
	if (parse_number(cmd, &n)) {
		do_number(pl, n, cmd);
		return true;
	}
	/* Whole words first, then a letter with an optional argument after
	 * spaces ("o 2"), or straight after it for o and u ("o2"). */
	if (!strcmp(cmd, "quit") || !strcmp(cmd, "exit"))
		return false;
	if (!strcmp(cmd, "help"))
		cmd = "h";
	else if (!strcmp(cmd, "back"))
		cmd = "b";
	for (arg = cmd + 1; *arg == ' '; arg++)
		;
	if (cmd[1] && cmd[1] != ' ' && !(strchr("oOuU", cmd[0]) && parse_number(arg, &n))) {
		say(pl, "Unknown command. Type h for help.\n");
		return true;
	}
	switch (tolower((unsigned char)cmd[0])) {
	case 'q':
		return false;
	case 'h': case '?': show_help(pl); break;
	case 'b': go_back(pl); break;
	case 'n': next_unread(pl); break;
	case 'm': do_more(pl); break;
	case 'l': do_relist(pl); break;
	case 't': list_clear(pl); show_topics(pl); break;
	case 'r':
		/* As the full-screen reader: never online with --offline, and
		 * the instance that holds the cache is the one that fetches. */
		if (pl->app->offline) {
			say(pl, "Offline (--offline): not refreshing.\n");
		} else if (pl->app->store.readonly) {
			say(pl, pl->app->store.busy ? "Read-only: another sendnews is running; "
			    "not refreshing.\n" : "Read-only cache: not refreshing.\n");
		} else {
			plain_refresh(pl);
			if (pl->view != PLAIN_POST)
				do_relist(pl);
		}
		break;
	case 'o': do_link(pl, arg); break;
	case 'u': do_toggle(pl, arg); break;
	default:
		say(pl, "Unknown command. Type h for help.\n");
		break;
	}
	return true;
}

/* The prompt names what a number means here and the likeliest keys. */
static const char *
plain_prompt(const struct plain *pl)
{
	switch (pl->view) {
	case PLAIN_TOPICS:
		return "Topic number, h for help, q to quit: ";
	case PLAIN_POSTS:
		return pl->shown < pl->nlist ? "Post number, m for more, b back, h help: " :
		    "Post number, b back, h help: ";
	case PLAIN_POST:
		break;
	}
	return "Command (b back, n next unread, o N link, h help): ";
}

/* Strips the line end and surrounding blanks in place. */
static char *
trim(char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/* Catches Ctrl-C and hang-ups so the read state is saved on the way out;
 * no SA_RESTART, so a read waiting for a command returns at once. */
static void
plain_signals(struct sigaction *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = plain_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old[0]);
	sigaction(SIGTERM, &sa, &old[1]);
	sigaction(SIGHUP, &sa, &old[2]);
}

int
plain_run(struct app *app, FILE *in, FILE *out)
{
	struct plain pl;
	struct sigaction old[3];
	char *line = NULL, *cmd, err[512];
	size_t cap = 0;
	ssize_t got;
	int status = 0;

	memset(&pl, 0, sizeof(pl));
	pl.app = app;
	pl.in = in;
	pl.out = out;
	pl.echo = !isatty(fileno(in));
	pl.width = plain_width();
	pl.topic = -1;
	plain_signal = 0;
	plain_signals(old);

	say(&pl, "sendnews, line mode. Type a number and press Enter; h lists the commands.\n");
	/* Other read-only causes were said by main, from the store's warning. */
	if (app->store.busy)
		say(&pl, "Another sendnews is running: nothing changed here will be saved.\n");
	if (!app->offline && app->refresh_on_start && !app->store.readonly)
		plain_refresh(&pl);
	show_topics(&pl);
	for (;;) {
		say(&pl, "%s", plain_prompt(&pl));
		plain_flush(&pl);
		if (ferror(out)) {
			status = 1;
			break;
		}
		got = plain_signal ? -1 : getline(&line, &cap, in);
		if (got < 0) {
			/* End of input, an error, or a signal: quit cleanly. */
			say(&pl, "\n");
			break;
		}
		cmd = trim(line);
		if (pl.echo)
			say(&pl, "%s\n", cmd);
		if (!*cmd)
			continue;
		if (!plain_command(&pl, cmd))
			break;
	}
	if (plain_signal)
		status = 128 + plain_signal;
	if (store_save(&app->store, err, sizeof(err)) < 0)
		say(&pl, "Could not save the read state: %s\n", err);
	plain_flush(&pl);
	if (ferror(out))
		status = 1;
	sigaction(SIGINT, &old[0], NULL);
	sigaction(SIGTERM, &old[1], NULL);
	sigaction(SIGHUP, &old[2], NULL);
	free(line);
	free(pl.tmap);
	free(pl.list);
	free(pl.search);
	free(pl.cur);
	buf_free(&pl.buf);
	return status;
}

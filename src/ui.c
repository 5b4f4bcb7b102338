#include "ui.h"

#include <curses.h>
#include <term.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wchar.h>

#include "app.h"
#include "fetch.h"
#include "store.h"
#include "layout.h"
#include "text.h"
#include "ui_int.h"
#include "urls.h"
#include "util.h"

/* The reader's terminal, signals and event loop.  One loop polls stdin,
 * the self-pipe the signal handlers write to and, during a refresh, curl's
 * sockets (through fetch_poll).  Nothing is drawn unless something changed,
 * and with no refresh running the loop sleeps in poll() without a timeout,
 * so an idle reader sends no bytes to the terminal. */

/* Set by the signal handlers, read by the loop: the only file-scope state
 * besides whether the terminal is in curses mode (for the die hook). */
static volatile sig_atomic_t ui_sig_quit;
static volatile sig_atomic_t ui_sig_winch;
static int ui_wake_fd = -1;
static bool ui_term_on;

/* Ctrl-C, kill, a dropped link, resizes, and children (browsers) ending.
 * SIGTSTP is left to curses, which restores the terminal around a stop. */
static const int ui_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGCHLD };
#define UI_NSIGNALS (sizeof(ui_signals) / sizeof(ui_signals[0]))

static void
ui_on_signal(int sig)
{
	int saved = errno;

	/* Only flags and one byte down the pipe: nothing else is safe here. */
	if (sig == SIGWINCH)
		ui_sig_winch = 1;
	else if (sig != SIGCHLD)
		ui_sig_quit = sig;
	if (ui_wake_fd >= 0 && write(ui_wake_fd, "", 1) < 0)
		(void)0; /* a full pipe already wakes the loop */
	errno = saved;
}

/* die() calls this before it prints, so the message lands on a sane
 * terminal. */
static void
ui_die_hook(void)
{
	if (ui_term_on) {
		ui_term_on = false;
		endwin();
	}
}

bool
ui_usable(void)
{
	const char *term = getenv("TERM");
	const char *cup;
	int err = 0;
	bool ok;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return false;
	if (!term || !*term || strcmp(term, "dumb") == 0)
		return false;
	/* An unknown TERM fails here; TERM=dumb passes but has no "cup". */
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK)
		return false;
	cup = tigetstr("cup");
	ok = cup != NULL && cup != (char *)-1;
	del_curterm(cur_term);
	return ok;
}

void
ui_status(struct ui *ui, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	/* A new message replaces the old one; nothing scrolls or blinks. */
	vsnprintf(ui->status, sizeof(ui->status), fmt, ap);
	va_end(ap);
	ui->status_error = error;
	ui->status_transient = false;
	ui->status_dirty = true;
}

void
ui_status_clear(struct ui *ui)
{
	/* Only an actual change makes the status line draw again. */
	if (ui->status[0] || ui->status_rows != 1) {
		ui->status[0] = '\0';
		ui->status_dirty = true;
	}
	ui->status_transient = false;
}

/* What the prompt says before the text typed. */
static const char *
ui_prompt_label(const struct ui *ui)
{
	switch (ui->prompt) {
	case UI_PROMPT_SEARCH:
		return "Search: ";
	case UI_PROMPT_LINK:
		return "Link number: ";
	case UI_PROMPT_URL:
		return "Add feed URL: ";
	case UI_PROMPT_ASK:
		return ui->plabel;
	default:
		return "";
	}
}

/* Rows the status needs: a long URL gets up to four rows to show whole. */
static int
ui_status_need(struct ui *ui)
{
	int w = ui->cols > 1 ? ui->cols - 1 : 1;
	int n = ((int)layout_width(ui->status) + w - 1) / w;
	int max = ui->rows > 6 ? 4 : 1;

	if (n < 1 || ui->prompt != UI_PROMPT_NONE)
		n = 1;
	return n > max ? max : n;
}

static void
ui_status_draw(struct ui *ui)
{
	struct ui_lines l = { 0 };
	int i, y, w = ui->cols - 1, attr;

	y = ui->rows - ui->status_rows;
	for (i = 0; i < ui->status_rows; i++) {
		move(y + i, 0);
		clrtoeol();
	}
	/* The prompt: label, then what was typed; the cursor goes after it. */
	if (ui->prompt != UI_PROMPT_NONE) {
		i = ui_put(ui, y, 0, w, ui_prompt_label(ui), A_BOLD);
		ui_put(ui, y, i, w - i, ui->pbuf, 0);
	/* A long URL: cut into rows, never shortened, so it can be copied. */
	} else if (ui->status_rows > 1) {
		ui_lines_add_hard(&l, ui->status, w);
		attr = ui->status_error ? ui_attr_error(ui) : 0;
		for (i = 0; i < ui->status_rows && (size_t)i < l.len; i++)
			ui_put(ui, y + i, 0, w, ui_lines_get(&l, (size_t)i), attr);
		ui_lines_free(&l);
	} else {
		ui_put(ui, y, 0, w, ui->status,
		    ui->status_error ? ui_attr_error(ui) : 0);
	}
	ui->status_dirty = false;
}

void
ui_set_screen(struct ui *ui, enum ui_screen s)
{
	ui->screen = s;
	ui->full = true;
}

bool
ui_post_unread(const struct post *p)
{
	return !(p->flags & POST_READ) || (p->flags & POST_UPDATED);
}

const char *
ui_feed_name(struct ui *ui, size_t feed, char *tmp, size_t len)
{
	if (feed >= ui->st->nfeeds || !ui->st->feeds[feed].src)
		return "?";
	return urls_display_name(ui->st->feeds[feed].src, tmp, len);
}

/* Writes the read state and the index when they changed. */
void
ui_save(struct ui *ui)
{
	char err[256];

	/* Another instance owns the files: never write behind its back. */
	if (ui->st->readonly)
		return;
	if (!ui->read_changed && !ui->st->dirty && !ui->st->read_dirty)
		return;
	if (store_save(ui->st, err, sizeof(err)) < 0)
		ui_status(ui, true, "Could not save: %s", err);
	else
		ui->read_changed = false;
}

/* Writes a sequence curses knows nothing of (OSC 52) straight to the
 * terminal, after refresh() so it lands between two complete frames.  It
 * moves no cursor and draws nothing, so curses's picture stays true. */
static void
ui_write_osc(struct ui *ui)
{
	size_t n = strlen(ui->osc), off = 0;
	ssize_t w;

	fflush(stdout);
	while (off < n) {
		w = write(STDOUT_FILENO, ui->osc + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	free(ui->osc);
	ui->osc = NULL;
}

/* Draws what changed and parks the hardware cursor: on the prompt, or
 * where the screen asked (the selected row, or the top of the text). */
void
ui_draw(struct ui *ui)
{
	int need = ui_status_need(ui);

	/* Screen-reader mode: feeds arriving during a refresh change nothing
	 * on the screen by themselves (a reader would speak every change);
	 * the next key, or the end of the refresh, shows them.  The status
	 * line still says that the refresh started. */
	if (ui->app->screen_reader && ui->fetcher && !ui->keyed && !ui->full &&
	    need == ui->status_rows) {
		if (ui->status_dirty && ui->rows >= 3 && ui->cols >= 10)
			ui_status_draw(ui);
		move(ui->cur_y, ui->cur_x);
		refresh();
		return;
	}
	ui->keyed = false;

	/* The status line grew or shrank: the body has a new height. */
	if (need != ui->status_rows) {
		ui->status_rows = need;
		ui->full = true;
	}
	/* erase(), not clear(): curses then sends only what differs. */
	if (ui->full) {
		erase();
		ui->full = false;
		ui->status_dirty = true;
		ui->topics.dirty = ui->posts.dirty = ui->text.dirty = true;
		ui->feeds.dirty = ui->help.dirty = ui->add.dirty = true;
	}
	ui->cur_y = 1;
	ui->cur_x = 0;
	/* Too small for anything useful; the next resize draws all again. */
	if (ui->rows < 3 || ui->cols < 10) {
		mvaddstr(0, 0, "Window too small");
		ui->cur_y = 0;
	} else {
		switch (ui->screen) {
		case UI_TOPICS:
			ui_topics_draw(ui);
			break;
		case UI_POSTS:
			ui_posts_draw(ui);
			break;
		case UI_POST:
			ui_post_draw(ui);
			break;
		case UI_FEEDS:
			ui_feeds_draw(ui);
			break;
		case UI_HELP:
			ui_help_draw(ui);
			break;
		case UI_ADD:
			ui_add_draw(ui);
			break;
		}
		if (ui->status_dirty)
			ui_status_draw(ui);
	}
	if (ui->prompt != UI_PROMPT_NONE && ui->rows >= 3) {
		int x = (int)layout_width(ui_prompt_label(ui)) +
		    (int)layout_width(ui->pbuf);

		ui->cur_y = ui->rows - 1;
		ui->cur_x = x < ui->cols - 1 ? x : ui->cols - 1;
	}
	/* Always last before refresh(): screen readers follow this cursor. */
	move(ui->cur_y, ui->cur_x);
	refresh();
	if (ui->osc)
		ui_write_osc(ui);
}

static void
ui_resize(struct ui *ui)
{
	struct winsize ws;

	/* Our own SIGWINCH handler replaces curses's, so ask the size here. */
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resize_term(ws.ws_row, ws.ws_col);
	ui->rows = LINES;
	ui->cols = COLS;
	clearok(curscr, TRUE);
	ui->full = true;
	ui->keyed = true;
}

void
ui_refresh_start(struct ui *ui)
{
	if (ui->app->offline) {
		ui_status(ui, false, "Offline (--offline): not refreshing.");
		return;
	}
	if (ui->st->readonly) {
		ui_status(ui, true, ui->st->busy ? "Read-only: another sendnews is "
		    "running; not refreshing." : "Read-only cache: not refreshing.");
		return;
	}
	if (ui->fetcher) {
		ui_status(ui, false, "Already refreshing %zu feeds.",
		    ui->fetch_feeds);
		return;
	}
	if (ui->st->nfeeds == 0) {
		ui_status(ui, true, "No feeds to refresh.");
		return;
	}
	/* Only queued here: transfers run from the loop, in fetch_poll(). */
	ui->fetcher = fetch_new(&ui->app->fetch);
	ui->fetch_feeds = ui->st->nfeeds;
	ui->fetch_new = ui->fetch_failed = 0;
	ui->fetch_fail[0] = '\0';
	store_fetch_all(ui->st, ui->fetcher);
	/* One message at the start, one at the end: no counters or spinners. */
	ui_status(ui, false, "Refreshing %zu feed%s%s", ui->fetch_feeds,
	    ui->fetch_feeds == 1 ? "" : "s", ui->app->ascii ? "..." : "…");
}

/* After the store changed (posts added, moved or freed), every post
 * pointer the screens hold is stale: find them again by id. */
static void
ui_store_changed(struct ui *ui, const char *sel_id)
{
	ui->counts_stale = true;
	ui->topics.dirty = ui->feeds.dirty = true;
	if (ui->posts_active)
		ui_posts_reload(ui, sel_id);
	if (ui->post_id) {
		ui->post = store_find(ui->st, ui->post_id);
		if (!ui->post && ui->screen == UI_POST)
			ui_set_screen(ui, UI_POSTS);
	}
	/* Topics recount lazily (counts_stale) unless they are on show. */
	if (ui->screen == UI_TOPICS)
		ui_topics_recount(ui);
}

/* Takes every finished transfer; at the end, saves and reports once. */
static void
ui_refresh_collect(struct ui *ui)
{
	struct fetch_result res;
	struct sfeed *sf;
	char *sel_id = NULL, tmp[128];
	bool any = false;
	size_t i;

	while (fetch_next(ui->fetcher, &res)) {
		/* store_apply may move every post: remember the selection by id while
		 * the pointers are still good. */
		if (!any && ui->posts_active && ui->posts.sel < ui->posts.len)
			sel_id = xstrdup(ui->pv[ui->posts.sel]->id);
		any = true;
		ui->fetch_new += store_apply(ui->st, &res);
		/* A 200 that does not parse is a failure too: the store says so. */
		sf = res.id < ui->st->nfeeds ? &ui->st->feeds[res.id] : NULL;
		if ((sf && sf->error) || (res.status != FETCH_OK &&
		    res.status != FETCH_NOT_MODIFIED)) {
			const char *why = sf && sf->error ? sf->error : res.error;
			bool net = res.status == FETCH_DNS || res.status == FETCH_REFUSED;

			if (ui->fetch_failed++ == 0) {
				snprintf(ui->fetch_fail, sizeof(ui->fetch_fail),
				    "%s: %s", sf ? ui_feed_name(ui, res.id, tmp,
				    sizeof(tmp)) : "?", why);
				snprintf(ui->fetch_why, sizeof(ui->fetch_why), "%s", why);
				ui->fetch_alike = true;
				ui->fetch_netdown = net;
			} else {
				ui->fetch_alike &= !strcmp(ui->fetch_why, why);
				ui->fetch_netdown &= net;
			}
		}
		fetch_result_free(&res);
	}
	if (any)
		ui_store_changed(ui, sel_id);
	free(sel_id);
	/* More to come: the loop calls again after the next poll. */
	if (fetch_pending(ui->fetcher) > 0)
		return;
	fetch_free(ui->fetcher);
	ui->fetcher = NULL;
	i = ui->fetch_new;
	/* Every feed failing alike is one cause, most often the network:
	 * say it once, short enough for the status line. */
	if (ui->fetch_failed > 1 && ui->fetch_failed == ui->fetch_feeds &&
	    (ui->fetch_alike || ui->fetch_netdown))
		ui_status(ui, true, "Refreshed %zu feeds: all failed, %s%s.%s f lists the feeds.",
		    ui->fetch_feeds, ui->fetch_why, ui->fetch_alike ? "" : ", ...",
		    ui->fetch_netdown ? " No network?" : "");
	else if (ui->fetch_failed)
		ui_status(ui, true, "Refreshed %zu feeds: %zu new post%s, "
		    "%zu failed (%s); f lists the feeds.", ui->fetch_feeds, i,
		    i == 1 ? "" : "s", ui->fetch_failed, ui->fetch_fail);
	else
		ui_status(ui, false, "Refreshed %zu feeds: %zu new post%s.",
		    ui->fetch_feeds, i, i == 1 ? "" : "s");
	ui_save(ui);
}

void
ui_prompt_start(struct ui *ui, enum ui_prompt_kind kind, const char *initial)
{
	ui->prompt = kind;
	snprintf(ui->pbuf, sizeof(ui->pbuf), "%s", initial ? initial : "");
	ui->plen = strlen(ui->pbuf);
	ui->status_dirty = true;
}

/* Runs the search typed at the prompt: in the current list when on its
 * posts, else in every post (ui_posts_search). */
static void
ui_search(struct ui *ui, const char *q)
{
	ui_posts_search(ui, q);
	if (ui->posts.len == 0)
		ui_status(ui, false, "Nothing found for \"%s\".", q);
	else
		ui_status(ui, false, "%zu post%s found.", ui->posts.len,
		    ui->posts.len == 1 ? "" : "s");
}

static void
ui_prompt_key(struct ui *ui, bool fn, int code)
{
	enum ui_prompt_kind kind = ui->prompt;
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n;

	ui->status_dirty = true;
	/* Enter: the prompt closes first, so what it runs may set the status. */
	if ((!fn && (code == '\n' || code == '\r')) || (fn && code == KEY_ENTER)) {
		ui->prompt = UI_PROMPT_NONE;
		ui_status_clear(ui);
		if (kind == UI_PROMPT_LINK && ui->plen)
			ui_post_open_link(ui, (size_t)strtoul(ui->pbuf, NULL, 10));
		else if (kind == UI_PROMPT_SEARCH && ui->plen)
			ui_search(ui, ui->pbuf);
		else if (kind == UI_PROMPT_URL && ui->plen)
			ui_add_run(ui, ui->pbuf);
		else if (kind == UI_PROMPT_ASK)
			ui->answered = 1;
		return;
	}
	/* Esc (or Ctrl-G) cancels. */
	if (!fn && (code == 27 || code == 'G' - 64 || code == 'C' - 64)) {
		ui->prompt = UI_PROMPT_NONE;
		ui_status_clear(ui);
		if (kind == UI_PROMPT_ASK)
			ui->answered = -1;
		return;
	}
	if ((fn && code == KEY_BACKSPACE) || (!fn && (code == 127 || code == 8))) {
		/* Remove one whole UTF-8 character. */
		while (ui->plen > 0 &&
		    ((unsigned char)ui->pbuf[--ui->plen] & 0xC0) == 0x80)
			;
		ui->pbuf[ui->plen] = '\0';
		return;
	}
	if (!fn && code == 'U' - 64) {
		ui->plen = 0;
		ui->pbuf[0] = '\0';
		return;
	}
	/* Printable characters only; a link number takes only digits. */
	if (fn || code < 0x20 || (kind == UI_PROMPT_LINK &&
	    (code < '0' || code > '9')))
		return;
	memset(&st, 0, sizeof(st));
	/* Keys arrive as wide characters; the buffer holds UTF-8. */
	n = wcrtomb(mb, (wchar_t)code, &st);
	if (n == (size_t)-1 || ui->plen + n >= sizeof(ui->pbuf))
		return;
	memcpy(ui->pbuf + ui->plen, mb, n);
	ui->plen += n;
	ui->pbuf[ui->plen] = '\0';
}

/* Actions that mean the same on every screen, then the screen's own. */
static void
ui_key(struct ui *ui, bool fn, int code)
{
	enum action a;
	bool done;

	/* KEY_RESIZE only comes if curses kept its own SIGWINCH handler. */
	if (fn && code == KEY_RESIZE) {
		ui_resize(ui);
		return;
	}
	if (ui->prompt != UI_PROMPT_NONE) {
		ui_prompt_key(ui, fn, code);
		return;
	}
	/* A shown URL or one-off notice goes away with the next key. */
	if (ui->status_transient)
		ui_status_clear(ui);
	a = ui_keys_action(fn, code);
	ui->key_code = code;
	/* Quit, redraw, refresh, help, feeds and search work everywhere. */
	switch (a) {
	case ACT_QUIT:
		ui->quit = true;
		return;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		ui->full = true;
		return;
	case ACT_REFRESH:
		ui_refresh_start(ui);
		return;
	case ACT_HELP:
		if (ui->screen != UI_HELP) {
			ui->help_back = ui->screen;
			ui_set_screen(ui, UI_HELP);
			return;
		}
		break;
	case ACT_FEEDS:
		if (ui->screen != UI_FEEDS) {
			ui->feeds_back = ui->screen == UI_HELP ?
			    ui->help_back : ui->screen;
			ui_set_screen(ui, UI_FEEDS);
			return;
		}
		break;
	case ACT_SEARCH:
		if (ui->screen != UI_HELP) {
			ui_prompt_start(ui, UI_PROMPT_SEARCH, NULL);
			return;
		}
		break;
	case ACT_WHERE:
		ui_where(ui);
		return;
	case ACT_ADD:
		if (ui->screen != UI_HELP) {
			ui_add_begin(ui);
			return;
		}
		break;
	default:
		break;
	}
	switch (ui->screen) {
	case UI_TOPICS:
		done = ui_topics_key(ui, a);
		break;
	case UI_POSTS:
		done = ui_posts_key(ui, a);
		break;
	case UI_POST:
		done = ui_post_key(ui, a);
		break;
	case UI_FEEDS:
		done = ui_feeds_key(ui, a);
		break;
	case UI_ADD:
		done = ui_add_key(ui, a);
		break;
	default:
		done = ui_help_key(ui, a);
		break;
	}
	/* Say so once rather than ignore a key silently. */
	if (!done && a == ACT_NONE)
		ui_status(ui, false, "That key does nothing here; ? lists the keys.");
}

/* Reads every key waiting; returns whether there was one. */
static bool
ui_read_keys(struct ui *ui)
{
	wint_t wc;
	int r;
	bool any = false;

	/* nodelay: ERR as soon as nothing is waiting; draw once after a burst. */
	while (!ui->quit && (r = get_wch(&wc)) != ERR) {
		any = true;
		ui->keyed = true;
		ui_key(ui, r == KEY_CODE_YES, (int)wc);
	}
	return any;
}

int
ui_prompt_wait(struct ui *ui, const char *question, char *answer, size_t len)
{
	struct pollfd p[2];
	char drain[64];
	wint_t wc;
	int r;

	snprintf(ui->plabel, sizeof(ui->plabel), "%s ", question);
	ui_prompt_start(ui, UI_PROMPT_ASK, NULL);
	ui->answered = 0;
	ui->keyed = true;
	/* The main loop, cut down: only the prompt takes keys, one at a
	 * time, so keys typed after Enter wait for the main loop. */
	while (ui->prompt == UI_PROMPT_ASK && !ui_sig_quit) {
		if (ui_sig_winch) {
			ui_sig_winch = 0;
			ui_resize(ui);
		}
		ui_draw(ui);
		p[0].fd = STDIN_FILENO;
		p[1].fd = ui->wake_fd;
		p[0].events = p[1].events = POLLIN;
		p[0].revents = p[1].revents = 0;
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		while (read(ui->wake_fd, drain, sizeof(drain)) > 0)
			;
		if ((p[0].revents & (POLLHUP | POLLERR | POLLNVAL)) &&
		    !(p[0].revents & POLLIN))
			break;
		while (ui->prompt == UI_PROMPT_ASK && (r = get_wch(&wc)) != ERR) {
			ui->keyed = true;
			ui_key(ui, r == KEY_CODE_YES, (int)wc);
		}
	}
	if (ui->prompt == UI_PROMPT_ASK) {
		ui->prompt = UI_PROMPT_NONE;
		ui_status_clear(ui);
		ui->answered = -1;
	}
	if (ui->answered != 1)
		return -1;
	snprintf(answer, len, "%s", ui->pbuf);
	return 0;
}

/* The screen's name for `=`. */
static const char *
ui_screen_name(enum ui_screen s)
{
	switch (s) {
	case UI_TOPICS:
		return "Topics";
	case UI_POSTS:
		return "Posts";
	case UI_POST:
		return "Post";
	case UI_FEEDS:
		return "Feeds";
	case UI_ADD:
		return "Add a feed";
	default:
		return "Help";
	}
}

void
ui_where(struct ui *ui)
{
	const char *name = ui_screen_name(ui->screen);
	const char *list = ui->posts_title ? ui->posts_title : "Posts";
	size_t top, len;
	char tmp[256];

	/* Screen, position "3 of 12", then the topic or item: words only. */
	switch (ui->screen) {
	case UI_TOPICS:
		if (ui->topics.len == 0)
			ui_status(ui, false, "Topics screen, no topics.");
		else
			ui_status(ui, false, "Topics screen, %zu of %zu: %s.",
			    ui->topics.sel + 1, ui->topics.len, ui_topics_name(ui,
			    ui->trow[ui->topics.sel]));
		break;
	case UI_POSTS:
		if (ui->posts.len == 0)
			ui_status(ui, false, "Posts screen, no posts, in %s.", list);
		else
			ui_status(ui, false, "Posts screen, %zu of %zu, in %s.",
			    ui->posts.sel + 1, ui->posts.len, list);
		break;
	case UI_POST:
		top = ui->text.top + 1;
		len = ui->text.len;
		if (ui->posts_active && ui->posts.sel < ui->posts.len)
			ui_status(ui, false, "Post screen, post %zu of %zu in %s, "
			    "line %zu of %zu.", ui->posts.sel + 1, ui->posts.len,
			    list, top, len);
		else
			ui_status(ui, false, "Post screen, line %zu of %zu.", top,
			    len);
		break;
	case UI_FEEDS:
		if (ui->feeds.len == 0)
			ui_status(ui, false, "Feeds screen, no feeds.");
		else
			ui_status(ui, false, "Feeds screen, %zu of %zu: %s.",
			    ui->feeds.sel + 1, ui->feeds.len, ui_feed_name(ui,
			    ui->feeds.sel, tmp, sizeof(tmp)));
		break;
	default:
		top = ui->screen == UI_ADD ? ui->add.top : ui->help.top;
		len = ui->screen == UI_ADD ? ui->add.len : ui->help.len;
		ui_status(ui, false, "%s screen, line %zu of %zu.", name, top + 1,
		    len);
		break;
	}
	ui->status_transient = true;
}

/* True when stdin has gone (the terminal hung up without a SIGHUP). */
static bool
ui_stdin_gone(void)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

static void
ui_loop(struct ui *ui, int wake_rd)
{
	int fds[2] = { STDIN_FILENO, wake_rd };
	struct pollfd p[2];
	bool ready;
	char drain[64];

	while (!ui->quit) {
		/* Signals only set flags; the loop acts on them here, between keys. */
		if (ui_sig_quit) {
			ui->exit_status = 128 + ui_sig_quit;
			break;
		}
		if (ui_sig_winch) {
			ui_sig_winch = 0;
			ui_resize(ui);
		}
		/* Reap browsers that have exited (SIGCHLD woke us). */
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		ui_draw(ui);
		ready = false;
		/* During a refresh curl's sockets join stdin and the pipe; the
		 * timeout only lets curl's own timers run, nothing is drawn for it. */
		if (ui->fetcher) {
			fetch_poll(ui->fetcher, fds, 2, 1000, &ready);
			ui_refresh_collect(ui);
		} else {
			p[0].fd = STDIN_FILENO;
			p[1].fd = wake_rd;
			p[0].events = p[1].events = POLLIN;
			p[0].revents = p[1].revents = 0;
			/* Idle: sleep until a key or a signal; no timeout, no bytes sent. */
			if (poll(p, 2, -1) > 0) {
				ready = true;
				if ((p[0].revents & (POLLHUP | POLLERR | POLLNVAL)) &&
				    !(p[0].revents & POLLIN)) {
					ui->quit = true;
					ui->exit_status = 1;
				}
			}
		}
		/* Empty the pipe: its bytes only meant "wake up". */
		while (read(wake_rd, drain, sizeof(drain)) > 0)
			;
		/* Readable but no key and a hang-up: the terminal is gone. */
		if (!ui_read_keys(ui) && ready && ui_stdin_gone()) {
			ui->quit = true;
			ui->exit_status = 1;
		}
	}
}

static void
ui_colors(struct ui *ui)
{
	const char *nc = getenv("NO_COLOR");
	short bg = COLOR_BLACK;

	ui->color = false;
	/* NO_COLOR counts when present and not empty (no-color.org). */
	if (ui->app->no_color || (nc && *nc) || !has_colors())
		return;
	if (start_color() != OK)
		return;
	/* Keep the user's background where the terminal allows it. */
	if (use_default_colors() == OK)
		bg = -1;
	/* Modest: a blue title bar and red errors, nothing else. */
	init_pair(1, COLOR_WHITE, COLOR_BLUE);
	init_pair(2, COLOR_RED, bg);
	ui->color = true;
}

static void
ui_free(struct ui *ui)
{
	ui_posts_free(ui);
	ui_posts_history_free(ui);
	ui_post_free(ui);
	free(ui->trow);
	free(ui->total);
	free(ui->unread);
	ui_lines_free(&ui->helpl);
	ui_add_free(ui);
	free(ui->osc);
	buf_free(&ui->tmp);
	if (ui->fetcher)
		fetch_free(ui->fetcher);
	memset(ui, 0, sizeof(*ui));
}

int
ui_run(struct app *app)
{
	struct sigaction sa, old[UI_NSIGNALS];
	struct ui ui;
	SCREEN *scr;
	int wake[2], i, status;

	memset(&ui, 0, sizeof(ui));
	ui.app = app;
	ui.st = &app->store;
	ui.status_rows = 1;
	ui.wake_fd = -1;
	ui.exit_status = 0;
	setlocale(LC_ALL, "");
	/* The self-pipe: a signal handler writes a byte so poll() wakes. */
	if (pipe(wake) < 0)
		die("pipe: %s", strerror(errno));
	for (i = 0; i < 2; i++) {
		fcntl(wake[i], F_SETFL, fcntl(wake[i], F_GETFL) | O_NONBLOCK);
		fcntl(wake[i], F_SETFD, FD_CLOEXEC);
	}
	ui_wake_fd = wake[1];
	ui.wake_fd = wake[0];
	/* Ours before newterm, so curses leaves these signals to us. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ui_on_signal;
	sa.sa_flags = SA_RESTART; /* poll() still returns, and the pipe wakes it */
	sigemptyset(&sa.sa_mask);
	ui_sig_quit = ui_sig_winch = 0;
	for (i = 0; i < (int)UI_NSIGNALS; i++)
		sigaction(ui_signals[i], &sa, &old[i]);

	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		fprintf(stderr, "sendnews: cannot use terminal \"%s\"\n",
		    getenv("TERM") ? getenv("TERM") : "");
		status = 1;
		goto out;
	}
	set_term(scr);
	ui_term_on = true;
	util_set_die_hook(ui_die_hook);
	/* cbreak keeps ISIG: Ctrl-C and Ctrl-Z stay signals the loop handles.
	 * nonl tells Enter (CR) from Ctrl-J; both open. */
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	ui_keys_define();
	nodelay(stdscr, TRUE);
	/* Esc alone cancels a prompt without a full second's wait. */
	set_escdelay(50);
	/* Never leaveok: screen readers follow the hardware cursor. */
	leaveok(stdscr, FALSE);
	curs_set(app->screen_reader ? 1 : 0);
	ui_colors(&ui);
	ui.rows = LINES;
	ui.cols = COLS;
	ui.screen = UI_TOPICS;
	ui.posts_back = ui.feeds_back = ui.help_back = UI_TOPICS;
	ui.full = true;
	/* What to say first: a damaged cache or read-only mode, once. */
	ui_topics_recount(&ui);
	if (ui.st->warning)
		ui_status(&ui, true, "%s", ui.st->warning);
	else if (ui.st->busy)
		ui_status(&ui, true, "Read-only: another sendnews is running; "
		    "read state will not be saved.");
	else
		ui_status(&ui, false, "? for help, q to go back, Q to quit.");
	/* The cache on the screen first, then the network. */
	ui_draw(&ui);
	if (app->refresh_on_start && !app->offline && !ui.st->readonly)
		ui_refresh_start(&ui);
	ui_loop(&ui, wake[0]);
	/* Save before the terminal goes back, so an error can be printed. */
	status = ui.exit_status;
	ui_save(&ui);
	ui_term_on = false;
	util_set_die_hook(NULL);
	endwin();
	delscreen(scr);
	if (ui.status_error && ui.status[0] && strncmp(ui.status, "Could not save", 14) == 0)
		fprintf(stderr, "sendnews: %s\n", ui.status);
out:
	ui_free(&ui);
	for (i = 0; i < (int)UI_NSIGNALS; i++)
		sigaction(ui_signals[i], &old[i], NULL);
	ui_wake_fd = -1;
	close(wake[0]);
	close(wake[1]);
	return status;
}

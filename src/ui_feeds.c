#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "store.h"
#include "layout.h"
#include "text.h"
#include "ui_int.h"
#include "urls.h"
#include "util.h"

/* The Feeds screen: one row per feed with its state in text ("ok", "ERR",
 * or "new" when never tried), name, last successful fetch ("never" when
 * none), post count and the last error, so a broken feed is visible at a
 * glance:
 *   > ERR Council news        2024-10-01 09:00    0 posts  timed out */

static void
ui_feeds_row(struct ui *ui, int y, size_t i, bool selected)
{
	const struct sfeed *sf = &ui->st->feeds[i];
	char when[32], count[32], tmp[256];
	const char *state;
	int w = ui->cols, namew, x, attr;
	bool wide = w >= 70;
	struct tm tm;
	time_t t;

	/* The state in words, so a failing feed shows without colour. */
	state = sf->error ? "ERR" : sf->tried ? "ok" : "new";
	attr = sf->error ? ui_attr_error(ui) : 0;
	/* The last fetch that worked, in local time: how old the posts are.
	 * A failed try's time would pass for a fetch; its error says enough. */
	if (sf->ok) {
		t = (time_t)sf->ok;
		localtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	} else {
		snprintf(when, sizeof(when), "never");
	}
	snprintf(count, sizeof(count), "%zu post%s", sf->nposts,
	    sf->nposts == 1 ? "" : "s");
	/* State, name, [time], count, error: the name gets what it needs,
	 * up to half of the room when some feed has an error to show. */
	namew = w - 6 - (wide ? 18 : 0) - 12 - 1;
	if (ui->feeds_bad && namew > 40)
		namew /= 2;
	if (namew > ui->feeds_namew)
		namew = ui->feeds_namew;
	if (namew < 8)
		namew = 8;
	ui_row_begin(ui, y, selected, 0);
	/* Screen readers: "Name, error, last fetch 2024-10-01 09:00, 0 posts,
	 * timed out"; "never fetched" when no try worked. */
	if (ui->app->screen_reader) {
		char *rest = xasprintf("%s%s%s, %s%s%s", sf->error ? "error, " :
		    sf->tried ? "ok, " : "", sf->ok ? "last fetch " :
		    "never fetched", sf->ok ? when : "", count,
		    sf->error ? ", " : "", sf->error ? sf->error : "");

		ui_row_sr(ui, y, ui_feed_name(ui, i, tmp, sizeof(tmp)), rest, 0);
		free(rest);
		ui_row_end(ui);
		return;
	}
	ui_put(ui, y, 2, 3, state, attr);
	ui_put(ui, y, 6, namew, ui_feed_name(ui, i, tmp, sizeof(tmp)), 0);
	x = 6 + namew + 2;
	if (wide) {
		ui_put(ui, y, x, 16, when, 0);
		x += 18;
	}
	ui_put_right(ui, y, x, 10, count, 0);
	x += 12;
	if (sf->error && x < w - 1)
		ui_put(ui, y, x, w - x - 1, sf->error, attr);
	ui_row_end(ui);
}

void
ui_feeds_draw(struct ui *ui)
{
	struct ui_list *l = &ui->feeds;
	int h = ui_body_rows(ui), r, w;
	size_t idx, i, bad = 0;
	char right[64], tmp[256];

	/* Feeds never change during a run, only their state. */
	l->len = ui->st->nfeeds;
	ui_list_show(l, h);
	ui->cur_y = 1 + (int)(l->sel - l->top);
	ui->cur_x = 0;
	if (!l->dirty)
		return;
	ui->feeds_namew = 0;
	ui->feeds_bad = false;
	for (i = 0; i < l->len; i++) {
		if (ui->st->feeds[i].error)
			bad++;
		ui->feeds_bad = ui->feeds_bad || ui->st->feeds[i].error;
		w = (int)layout_width(ui_feed_name(ui, i, tmp, sizeof(tmp)));
		if (w > ui->feeds_namew)
			ui->feeds_namew = w;
	}
	snprintf(right, sizeof(right), "%zu failing", bad);
	ui_title(ui, "sendnews: Feeds", right);
	for (r = 0; r < h; r++) {
		idx = l->top + (size_t)r;
		move(1 + r, 0);
		clrtoeol();
		if (idx < l->len)
			ui_feeds_row(ui, 1 + r, idx, idx == l->sel);
		else if (idx == 0)
			ui_put(ui, 1, 2, ui->cols - 2, "No feeds.", 0);
	}
	l->dirty = false;
}

bool
ui_feeds_key(struct ui *ui, enum action a)
{
	struct ui_list *l = &ui->feeds;
	struct filter fl;
	char tmp[256], *title;
	enum ui_screen back = ui->feeds_back;

	l->len = ui->st->nfeeds;
	if (ui_list_move(l, a, ui_body_rows(ui)))
		return true;
	switch (a) {
	case ACT_OPEN:
		if (l->sel >= l->len)
			return true;
		filter_init(&fl);
		fl.feed = (long)l->sel;
		fl.archived = true;
		title = xasprintf("Feed: %s", ui_feed_name(ui, l->sel, tmp,
		    sizeof(tmp)));
		/* The feed's posts replace any list behind this screen. */
		ui->posts_back = UI_FEEDS;
		ui->feeds_back = UI_TOPICS;
		ui_posts_show(ui, &fl, title);
		free(title);
		return true;
	case ACT_BACK:
	case ACT_FEEDS:
		if ((back == UI_POSTS || back == UI_POST) && !ui->posts_active)
			back = UI_TOPICS;
		ui_set_screen(ui, back);
		return true;
	/* The feed's own address, for a look at what it serves. */
	case ACT_BROWSER:
		if (l->sel < l->len && ui->st->feeds[l->sel].src)
			ui_open_url(ui, ui->st->feeds[l->sel].src->url);
		return true;
	default:
		return false;
	}
}

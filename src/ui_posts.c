#include <curses.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "date.h"
#include "deadline.h"
#include "store.h"
#include "ui_int.h"
#include "util.h"

/* The Posts screen: the posts of one topic, feed or search, newest first,
 * one row each:
 *   > NA Title of the post…            2024-10-01  Source
 * N new (unread), U updated since read, A archived: in text, so they show
 * without colour and a screen reader reads them.  The Closing soon list
 * is this screen too, soonest deadline first, its rows saying how long is
 * left.  In screen-reader mode a row is words, title first:
 *   > Title of the post, new, 2024-10-01, Source */

void
ui_posts_free(struct ui *ui)
{
	free(ui->pv);
	ui->pv = NULL;
	free(ui->search);
	ui->search = NULL;
	free(ui->posts_title);
	ui->posts_title = NULL;
	memset(&ui->posts, 0, sizeof(ui->posts));
	ui->posts_active = false;
	ui->posts_closing = false;
}

/* Orders post pointers by address, for bsearch. */
static int
ui_posts_ptr_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(struct post *const *)a;
	uintptr_t y = (uintptr_t)*(struct post *const *)b;

	return x < y ? -1 : x > y;
}

/* Fills pv from the filter.  Closing soon keeps its own order (soonest
 * first), so a search there keeps those of its posts that store_select
 * finds with the search words. */
static void
ui_posts_select(struct ui *ui)
{
	struct post **m;
	size_t n, i, k = 0;

	free(ui->pv);
	ui->pv = NULL;
	if (!ui->posts_closing) {
		ui->posts.len = store_select(ui->st, &ui->filter, &ui->pv);
		return;
	}
	ui->posts.len = store_closing(ui->st, util_now(), &ui->pv);
	if (!ui->search || !*ui->search)
		return;
	n = store_select(ui->st, &ui->filter, &m);
	qsort(m, n, sizeof(*m), ui_posts_ptr_cmp);
	for (i = 0; i < ui->posts.len; i++)
		if (bsearch(&ui->pv[i], m, n, sizeof(*m), ui_posts_ptr_cmp))
			ui->pv[k++] = ui->pv[i];
	ui->posts.len = k;
	free(m);
}

/* Replaces the list with the posts of fl (Closing soon's when closing). */
static void
ui_posts_set(struct ui *ui, const struct filter *fl, const char *title,
    bool closing)
{
	/* fl and title may point into ui (the prompt): copy first. */
	struct filter f = *fl;
	char *t = xstrdup(title);
	char *q = fl->search ? xstrdup(fl->search) : NULL;

	ui_posts_free(ui);
	ui->filter = f;
	/* The filter's search points at our own copy, which lives as long. */
	ui->search = q;
	ui->filter.search = q;
	ui->posts_title = t;
	ui->posts_closing = closing;
	ui_posts_select(ui);
	ui->posts_active = true;
	ui->posts.dirty = true;
	ui_set_screen(ui, UI_POSTS);
}

void
ui_posts_show(struct ui *ui, const struct filter *fl, const char *title)
{
	ui_posts_history_free(ui);
	ui_posts_set(ui, fl, title, false);
}

void
ui_posts_show_closing(struct ui *ui)
{
	struct filter fl;

	/* The filter only serves a search, which stays within the list. */
	filter_init(&fl);
	fl.archived = true;
	ui_posts_history_free(ui);
	ui_posts_set(ui, &fl, "Closing soon", true);
}

void
ui_posts_reload(struct ui *ui, const char *sel_id)
{
	size_t i;

	ui_posts_select(ui);
	/* Keep the selected post selected though new posts arrived above it. */
	if (sel_id)
		for (i = 0; i < ui->posts.len; i++)
			if (strcmp(ui->pv[i]->id, sel_id) == 0)
				ui->posts.sel = i;
	ui_list_show(&ui->posts, ui_body_rows(ui));
	ui->posts.dirty = true;
}

static void
ui_posts_origin_free(struct ui_origin *o)
{
	free(o->search);
	free(o->title);
	free(o->sel_id);
	free(o->post_id);
	memset(o, 0, sizeof(*o));
}

void
ui_posts_history_free(struct ui *ui)
{
	while (ui->norigin > 0)
		ui_posts_origin_free(&ui->origin[--ui->norigin]);
	free(ui->origin);
	ui->origin = NULL;
	ui->origin_cap = 0;
}

/* Remembers the screen and list a search starts from. */
static void
ui_posts_origin_push(struct ui *ui)
{
	struct ui_origin *o;

	if (ui->norigin == ui->origin_cap) {
		ui->origin_cap = ui->origin_cap ? ui->origin_cap * 2 : 4;
		ui->origin = xreallocarray(ui->origin, ui->origin_cap,
		    sizeof(*ui->origin));
	}
	o = &ui->origin[ui->norigin++];
	memset(o, 0, sizeof(*o));
	o->screen = ui->screen;
	o->posts_back = ui->posts_back;
	if (!ui->posts_active)
		return;
	o->list = true;
	o->closing = ui->posts_closing;
	o->filter = ui->filter;
	o->search = ui->search ? xstrdup(ui->search) : NULL;
	o->filter.search = o->search;
	o->title = xstrdup(ui->posts_title ? ui->posts_title : "Posts");
	if (ui->posts.sel < ui->posts.len)
		o->sel_id = xstrdup(ui->pv[ui->posts.sel]->id);
	o->top = ui->posts.top;
	if (ui->screen == UI_POST && ui->post_id) {
		o->post_id = xstrdup(ui->post_id);
		o->text_top = ui->text.top;
		o->post_updated = ui->post_updated;
	}
}

void
ui_posts_search(struct ui *ui, const char *q)
{
	struct filter fl;
	bool closing = false;
	char *title;
	const char *in;

	ui_posts_origin_push(ui);
	/* Searching from a list narrows that list; elsewhere, all posts. */
	if (ui->posts_active && (ui->screen == UI_POSTS ||
	    ui->screen == UI_POST)) {
		fl = ui->filter;
		closing = ui->posts_closing;
	} else {
		filter_init(&fl);
		fl.archived = true;
	}
	fl.search = q;
	in = closing ? "Closing soon" : fl.topic >= 0 ?
	    ui_topics_name(ui, fl.topic) : fl.feed >= 0 ? "one feed" :
	    "all posts";
	title = xasprintf("Search \"%s\" in %s", q, in);
	ui_posts_set(ui, &fl, title, closing);
	free(title);
}

bool
ui_posts_search_back(struct ui *ui)
{
	struct ui_origin *o;
	struct post *p = NULL;
	enum ui_screen s;
	size_t i;

	if (ui->norigin == 0)
		return false;
	o = &ui->origin[--ui->norigin];
	ui->counts_stale = true;
	if (o->list) {
		/* Selected again by id: a refresh may have moved the posts. */
		ui_posts_set(ui, &o->filter, o->title, o->closing);
		ui->posts.top = o->top;
		for (i = 0; o->sel_id && i < ui->posts.len; i++)
			if (strcmp(ui->pv[i]->id, o->sel_id) == 0)
				ui->posts.sel = i;
		ui_list_show(&ui->posts, ui_body_rows(ui));
	} else {
		ui_posts_free(ui);
	}
	ui->posts_back = o->posts_back;
	s = o->screen;
	if (o->post_id)
		p = store_find(ui->st, o->post_id);
	if (p)
		ui_post_show(ui, p, o->text_top, o->post_updated);
	else if ((s == UI_POSTS || s == UI_POST) && !ui->posts_active)
		ui_set_screen(ui, UI_TOPICS);
	else
		ui_set_screen(ui, s == UI_POST ? UI_POSTS : s);
	ui_posts_origin_free(o);
	return true;
}

/* A screen-reader row: "Title, new, 2024-10-01, Source" (the Closing
 * soon list: "Title, new, closes in 8 days, 2023-04-28, Source"). */
static void
ui_posts_row_sr(struct ui *ui, int y, const struct post *p, int attr)
{
	struct buf rest = { 0 };
	char date[16], how[48], tmp[256];

	if (p->flags & POST_UPDATED)
		buf_puts(&rest, "updated, ");
	else if (!(p->flags & POST_READ))
		buf_puts(&rest, "new, ");
	if (p->gone)
		buf_puts(&rest, "archived, ");
	if (ui->posts_closing)
		buf_printf(&rest, "%s, %s, ", deadline_describe(p->deadline,
		    util_now(), how, sizeof(how)), date_format(p->deadline, date));
	else if (*date_format(p->date, date))
		buf_printf(&rest, "%s, ", date);
	buf_puts(&rest, ui_feed_name(ui, p->feed, tmp, sizeof(tmp)));
	ui_row_sr(ui, y, p->title[0] ? p->title : "(no title)", rest.data,
	    attr);
	buf_free(&rest);
}

/* One row; the title gets whatever the date and source leave.  In the
 * Closing soon list the date is the closing day, and how long is left
 * comes before it. */
static void
ui_posts_row(struct ui *ui, int y, const struct post *p, bool selected)
{
	char mark[3], date[16], how[48], tmp[256];
	int w = ui->cols, srcw = 0, right, attr, howw = 0, datew = 12, x;
	const char *src;

	mark[0] = (p->flags & POST_UPDATED) ? 'U' :
	    !(p->flags & POST_READ) ? 'N' : ' ';
	mark[1] = p->gone ? 'A' : ' ';
	mark[2] = '\0';
	attr = ui_post_unread(p) ? ui_attr_unread(ui) : 0;
	ui_row_begin(ui, y, selected, attr);
	if (ui->app->screen_reader) {
		ui_posts_row_sr(ui, y, p, attr);
		ui_row_end(ui);
		return;
	}
	/* Narrow windows drop the source, then the title takes what is left. */
	if (w >= 60)
		srcw = w / 4 < 24 ? w / 4 : 24;
	/* Closing soon: how long is left matters more than the day. */
	if (ui->posts_closing) {
		howw = 18;  /* "closes in 365 days" */
		datew = w >= 60 ? 12 : 0;
	}
	right = datew + (howw ? howw + 2 : 0) + (srcw ? srcw + 2 : 0);
	ui_put(ui, y, 2, 2, mark, attr);
	ui_put(ui, y, 5, w - 5 - right - 1, p->title, attr);
	x = w - right + 1;
	if (howw) {
		deadline_describe(p->deadline, util_now(), how, sizeof(how));
		ui_put(ui, y, x, howw, how, attr);
		x += howw + 2;
	}
	date_format(ui->posts_closing ? p->deadline : p->date, date);
	if (datew)
		ui_put(ui, y, x, 10, date, 0);
	if (srcw) {
		src = ui_feed_name(ui, p->feed, tmp, sizeof(tmp));
		ui_put(ui, y, w - srcw - 1, srcw, src, 0);
	}
	ui_row_end(ui);
}

void
ui_posts_draw(struct ui *ui)
{
	struct ui_list *l = &ui->posts;
	int h = ui_body_rows(ui), r, y;
	size_t idx, i, unr = 0;
	char right[64];

	ui_list_show(l, h);
	ui->cur_y = 1 + (int)(l->sel - l->top);
	ui->cur_x = 0;
	if (!l->dirty)
		return;
	/* Unread count for the title bar, from the list itself. */
	for (i = 0; i < l->len; i++)
		if (ui_post_unread(ui->pv[i]))
			unr++;
	snprintf(right, sizeof(right), "%zu posts, %zu unread", l->len, unr);
	ui_title(ui, ui->posts_title ? ui->posts_title : "Posts", right);
	for (r = 0; r < h; r++) {
		y = 1 + r;
		idx = l->top + (size_t)r;
		move(y, 0);
		clrtoeol();
		if (idx < l->len)
			ui_posts_row(ui, y, ui->pv[idx], idx == l->sel);
		/* An empty list still says so in words. */
		else if (idx == 0)
			ui_put(ui, y, 2, ui->cols - 2, ui->search ?
			    "Nothing found." : ui->posts_closing ?
			    "Nothing closing soon." : "No posts.", 0);
	}
	l->dirty = false;
}

/* Selects the next (dir 1) or previous (-1) unread post after from;
 * returns false when there is none. */
bool
ui_posts_find_unread(struct ui *ui, size_t from, int dir, size_t *out)
{
	size_t i = from;

	while (dir > 0 ? i + 1 < ui->posts.len : i > 0) {
		i = dir > 0 ? i + 1 : i - 1;
		if (ui_post_unread(ui->pv[i])) {
			*out = i;
			return true;
		}
	}
	ui_status(ui, false, "No %s unread post.", dir > 0 ? "later" :
	    "earlier");
	return false;
}

/* Marks every post of the list read. */
void
ui_posts_mark_all(struct ui *ui)
{
	size_t i, marked = 0;

	for (i = 0; i < ui->posts.len; i++) {
		if (ui_post_unread(ui->pv[i])) {
			store_set_read(ui->st, ui->pv[i], true);
			marked++;
		}
	}
	if (marked) {
		ui->read_changed = true;
		ui->counts_stale = true;
	}
	ui->posts.dirty = true;
	ui_status(ui, false, "Marked %zu post%s read.", marked,
	    marked == 1 ? "" : "s");
}

bool
ui_posts_key(struct ui *ui, enum action a)
{
	struct ui_list *l = &ui->posts;
	struct post *p = l->sel < l->len ? ui->pv[l->sel] : NULL;
	size_t i;

	if (ui_list_move(l, a, ui_body_rows(ui)))
		return true;
	switch (a) {
	case ACT_OPEN:
		if (p)
			ui_post_open(ui, p);
		return true;
	/* Search results go back to where the search started.  Else the
	 * list is freed: it is made again when a topic is opened. */
	case ACT_BACK:
		if (ui_posts_search_back(ui))
			return true;
		ui_posts_free(ui);
		ui->counts_stale = true;
		ui_set_screen(ui, ui->posts_back);
		return true;
	case ACT_NEXT_UNREAD:
	case ACT_PREV_UNREAD:
		if (ui_posts_find_unread(ui, l->sel, a == ACT_NEXT_UNREAD ?
		    1 : -1, &i)) {
			l->sel = i;
			l->dirty = true;
		}
		return true;
	/* Read becomes unread and the other way round; counts follow. */
	case ACT_TOGGLE_READ:
		if (!p)
			return true;
		store_set_read(ui->st, p, ui_post_unread(p));
		ui->read_changed = ui->counts_stale = true;
		l->dirty = true;
		ui_status(ui, false, "Marked %s.", ui_post_unread(p) ?
		    "unread" : "read");
		return true;
	case ACT_MARK_ALL:
		ui_posts_mark_all(ui);
		return true;
	case ACT_BROWSER:
		if (p)
			ui_open_url(ui, p->link);
		return true;
	case ACT_LINK:
		ui_status(ui, false, "Open a post (Enter) to use its links.");
		return true;
	default:
		return false;
	}
}

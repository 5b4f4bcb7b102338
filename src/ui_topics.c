#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "store.h"
#include "topics.h"
#include "ui_int.h"
#include "util.h"

/* The Topics screen: "Closing soon" first while some post's closing date
 * is still to come, then "All posts", every topic of the rules in their
 * order, "Other" last, each with its unread and total counts.  Topics with
 * no posts are hidden unless all are empty or `e` shows them. */

const char *
ui_topics_name(struct ui *ui, long topic)
{
	if (topic == UI_TOPIC_CLOSING)
		return "Closing soon";
	if (topic < 0)
		return "All posts";
	return topics_name(ui->st->topics, (size_t)topic);
}

static size_t
ui_topics_total(const struct ui *ui, long topic)
{
	if (topic == UI_TOPIC_CLOSING)
		return ui->closing_total;
	return topic < 0 ? ui->all_total : ui->total[topic];
}

static size_t
ui_topics_unread(const struct ui *ui, long topic)
{
	if (topic == UI_TOPIC_CLOSING)
		return ui->closing_unread;
	return topic < 0 ? ui->all_unread : ui->unread[topic];
}

/* Counts the posts whose closing date is still to come (SENDNEWS_NOW
 * moves "now" in tests). */
static void
ui_topics_count_closing(struct ui *ui)
{
	struct post **v = NULL;
	size_t n, i;

	n = store_closing(ui->st, util_now(), &v);
	ui->closing_total = n;
	ui->closing_unread = 0;
	for (i = 0; i < n; i++)
		if (ui_post_unread(v[i]))
			ui->closing_unread++;
	free(v);
}

/* Counts again and rebuilds the rows, keeping the selected topic. */
void
ui_topics_recount(struct ui *ui)
{
	const struct topics *t = ui->st->topics;
	size_t n = t ? t->len : 0, i, rows = 0;
	long cur = ui->trow && ui->topics.sel < ui->topics.len ?
	    ui->trow[ui->topics.sel] : UI_TOPIC_ALL;
	bool all_empty;
	struct post *p;

	ui->total = xreallocarray(ui->total, n + 1, sizeof(*ui->total));
	ui->unread = xreallocarray(ui->unread, n + 1, sizeof(*ui->unread));
	ui->trow = xreallocarray(ui->trow, n + 3, sizeof(*ui->trow));
	for (i = 0; i <= n; i++)
		ui->total[i] = ui->unread[i] = 0;
	/* Per topic, Other at index n; archived posts are not counted. */
	store_count(ui->st, ui->total, ui->unread);
	/* A post may be in several topics, so All is counted on its own. */
	ui->all_total = ui->all_unread = 0;
	for (i = 0; i < ui->st->posts.len; i++) {
		p = &ui->st->posts.v[i];
		if (p->gone)
			continue;
		ui->all_total++;
		if (ui_post_unread(p))
			ui->all_unread++;
	}
	all_empty = ui->all_total == 0;
	ui_topics_count_closing(ui);
	/* Closing soon (while any), All posts, the topics in rules order,
	 * Other last (n). */
	if (ui->closing_total > 0)
		ui->trow[rows++] = UI_TOPIC_CLOSING;
	ui->trow[rows++] = UI_TOPIC_ALL;
	for (i = 0; i <= n; i++)
		if (ui->show_empty || all_empty || ui->total[i] > 0)
			ui->trow[rows++] = (long)i;
	ui->topics.len = rows;
	ui->topics.sel = ui->closing_total > 0 ? 1 : 0;
	/* The selection follows its topic, not its row number. */
	for (i = 0; i < rows; i++)
		if (ui->trow[i] == cur)
			ui->topics.sel = i;
	ui->counts_stale = false;
	ui->topics.dirty = true;
}

void
ui_topics_draw(struct ui *ui)
{
	struct ui_list *l = &ui->topics;
	int h = ui_body_rows(ui), r, y, cw, attr;
	char right[64], counts[64];
	size_t idx, unr;
	long topic;

	if (ui->counts_stale)
		ui_topics_recount(ui);
	/* The cursor position is set even when nothing is drawn. */
	ui_list_show(l, h);
	ui->cur_y = 1 + (int)(l->sel - l->top);
	ui->cur_x = 0;
	if (!l->dirty)
		return;
	snprintf(right, sizeof(right), "%zu unread", ui->all_unread);
	ui_title(ui, "sendnews: Topics", right);
	for (r = 0; r < h; r++) {
		y = 1 + r;
		idx = l->top + (size_t)r;
		if (idx >= l->len) {
			move(y, 0);
			clrtoeol();
			continue;
		}
		topic = ui->trow[idx];
		unr = ui_topics_unread(ui, topic);
		attr = unr ? ui_attr_unread(ui) : 0;
		ui_row_begin(ui, y, idx == l->sel, attr);
		/* Screen readers: the name, then the counts in words. */
		if (ui->app->screen_reader) {
			snprintf(counts, sizeof(counts), "%zu unread, %zu post%s",
			    unr, ui_topics_total(ui, topic),
			    ui_topics_total(ui, topic) == 1 ? "" : "s");
			ui_row_sr(ui, y, ui_topics_name(ui, topic), counts, attr);
			ui_row_end(ui);
			continue;
		}
		snprintf(counts, sizeof(counts), "%zu unread / %zu", unr,
		    ui_topics_total(ui, topic));
		/* Counts right-aligned; the name gets the rest, cut with an ellipsis. */
		cw = (int)strlen(counts);
		ui_put(ui, y, 2, ui->cols - 2 - cw - 3, ui_topics_name(ui, topic),
		    attr);
		ui_put(ui, y, ui->cols - cw - 1, cw, counts, attr);
		ui_row_end(ui);
	}
	l->dirty = false;
}

/* Moves to the next (dir 1) or previous (-1) topic with unread posts. */
static void
ui_topics_unread_move(struct ui *ui, int dir)
{
	struct ui_list *l = &ui->topics;
	size_t i = l->sel;

	while (dir > 0 ? i + 1 < l->len : i > 0) {
		i = dir > 0 ? i + 1 : i - 1;
		if (ui_topics_unread(ui, ui->trow[i]) > 0) {
			l->sel = i;
			l->dirty = true;
			return;
		}
	}
	ui_status(ui, false, "No %s topic with unread posts.",
	    dir > 0 ? "later" : "earlier");
}

/* Marks every post of the selected topic read. */
static void
ui_topics_mark_all(struct ui *ui, long topic)
{
	struct filter fl;
	struct post **v = NULL;
	size_t n, i, marked = 0;

	filter_init(&fl);
	fl.topic = topic;
	fl.archived = true;
	/* The same selection Enter would show. */
	if (topic == UI_TOPIC_CLOSING)
		n = store_closing(ui->st, util_now(), &v);
	else
		n = store_select(ui->st, &fl, &v);
	for (i = 0; i < n; i++) {
		if (ui_post_unread(v[i])) {
			store_set_read(ui->st, v[i], true);
			marked++;
		}
	}
	free(v);
	ui->read_changed = ui->read_changed || marked > 0;
	ui_topics_recount(ui);
	ui_status(ui, false, "Marked %zu post%s in %s read.", marked,
	    marked == 1 ? "" : "s", ui_topics_name(ui, topic));
}

bool
ui_topics_key(struct ui *ui, enum action a)
{
	struct ui_list *l = &ui->topics;
	struct filter fl;
	long topic = l->sel < l->len ? ui->trow[l->sel] : UI_TOPIC_ALL;

	if (ui_list_move(l, a, ui_body_rows(ui)))
		return true;
	switch (a) {
	case ACT_OPEN:
		ui->posts_back = UI_TOPICS;
		if (topic == UI_TOPIC_CLOSING) {
			ui_posts_show_closing(ui);
			return true;
		}
		filter_init(&fl);
		fl.topic = topic;
		fl.archived = true;
		ui->posts_back = UI_TOPICS;
		ui_posts_show(ui, &fl, ui_topics_name(ui, topic));
		return true;
	/* Topics is the first screen: back from it quits. */
	case ACT_BACK:
		ui->quit = true;
		return true;
	case ACT_NEXT_UNREAD:
		ui_topics_unread_move(ui, 1);
		return true;
	case ACT_PREV_UNREAD:
		ui_topics_unread_move(ui, -1);
		return true;
	case ACT_MARK_ALL:
		ui_topics_mark_all(ui, topic);
		return true;
	case ACT_EMPTY:
		ui->show_empty = !ui->show_empty;
		ui_topics_recount(ui);
		ui_status(ui, false, ui->show_empty ?
		    "Showing topics with no posts." :
		    "Hiding topics with no posts.");
		return true;
	default:
		return false;
	}
}

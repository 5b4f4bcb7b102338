#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "date.h"
#include "deadline.h"
#include "diff.h"
#include "store.h"
#include "layout.h"
#include "text.h"
#include "topics.h"
#include "ui_int.h"
#include "util.h"

/* The Post screen: title, date, source, topics and link, then the text
 * wrapped to the window, then its links as numbered references.  The
 * hardware cursor sits on the top line of the visible text. */

void
ui_post_free(struct ui *ui)
{
	ui_lines_free(&ui->body);
	free(ui->post_id);
	ui->post_id = NULL;
	ui->post = NULL;
}

void
ui_post_show(struct ui *ui, struct post *p, size_t top, bool updated)
{
	char err[256];

	/* Bodies are read only when a post is opened (the index has titles). */
	if (store_load_body(ui->st, p, err, sizeof(err)) < 0)
		ui_status(ui, true, "Could not read the post's text: %s", err);
	free(ui->post_id);
	/* The id outlives a refresh that moves the post (ui_store_changed). */
	ui->post_id = xstrdup(p->id);
	ui->post = p;
	ui->post_updated = updated;
	ui->text.top = top;
	ui->body_width = 0;
	ui->posts.dirty = true;
	ui_set_screen(ui, UI_POST);
}

void
ui_post_open(struct ui *ui, struct post *p)
{
	/* Marking read clears POST_UPDATED: remember it for the header. */
	bool updated = (p->flags & POST_UPDATED) != 0;

	if (ui_post_unread(p)) {
		store_set_read(ui->st, p, true);
		ui->read_changed = ui->counts_stale = true;
	}
	ui_post_show(ui, p, 0, updated);
}

/* Appends text wrapped to width, folded to ASCII first when needed. */
static void
ui_post_wrap(struct ui *ui, const char *text, int width)
{
	struct buf b = { 0 };
	char *a = ui->app->ascii ? text_to_ascii(text) : NULL;

	layout_wrap(&b, a ? a : text, (size_t)width);
	if (b.data)
		ui_lines_add(&ui->body, b.data);
	buf_free(&b);
	free(a);
}

/* Builds the lines for the window width. */
void
ui_post_layout(struct ui *ui)
{
	const struct post *p = ui->post;
	const struct topics *t = ui->st->topics;
	struct ui_lines *l = &ui->body;
	struct buf b = { 0 };
	char date[16], tmp[256];
	int w = ui->cols > 1 ? ui->cols - 1 : 1;
	size_t i;
	bool first = true;

	/* Title (bold, wrapped), then the header lines, then the text. */
	ui_lines_clear(l);
	ui_post_wrap(ui, p->title[0] ? p->title : "(no title)", w);
	ui->post_title_lines = l->len;
	date_format(p->date, date);
	buf_printf(&b, "Date: %s%s\n", date[0] ? date : "unknown",
	    ui->post_updated ? "  (updated since you read it)" : "");
	/* A survey's or consultation's closing day, and how long is left. */
	if (p->deadline) {
		char how[48];

		buf_printf(&b, "Closes: %s (%s)\n", date_format(p->deadline, date),
		    deadline_describe(p->deadline, util_now(), how, sizeof(how)));
	}
	buf_printf(&b, "Source: %s\n", ui_feed_name(ui, p->feed, tmp,
	    sizeof(tmp)));
	buf_puts(&b, "Topics: ");
	for (i = 0; t && i < t->len; i++) {
		if (!(p->topics & (1ULL << i)))
			continue;
		buf_printf(&b, "%s%s", first ? "" : ", ", topics_name(t, i));
		first = false;
	}
	if (first)
		buf_puts(&b, "Other");
	buf_putc(&b, '\n');
	if (p->gone)
		buf_puts(&b, "Archived: no longer in its feed\n");
	ui_post_wrap(ui, b.data, w);
	b.len = 0;
	/* URLs are cut by columns, not words, and never shortened. */
	buf_printf(&b, "Link: %s", p->link[0] ? p->link : "none");
	ui_lines_add_hard(l, b.data, w);
	ui_lines_add(l, "\n");
	/* An updated post starts with what is new since it was read, so the
	 * one who comes back to it (or hears it read) gets that first. */
	if (ui->post_updated && p->read_text && p->text) {
		char *added = diff_added(p->read_text, p->text);

		if (added && *added) {
			ui_lines_add(l, "Added since you read it:\n\n");
			ui_post_wrap(ui, added, w);
			ui_lines_add(l, "\nThe whole post:\n\n");
		}
		free(added);
	}
	ui_post_wrap(ui, p->text && p->text[0] ? p->text : "(no text)", w);
	if (p->nlinks)
		ui_lines_add(l, "\nLinks:\n");
	for (i = 0; i < p->nlinks; i++) {
		b.len = 0;
		buf_printf(&b, "[%zu] %s", i + 1, p->links[i]);
		ui_lines_add_hard(l, b.data, w);
	}
	buf_free(&b);
	ui->text.len = l->len;
	ui->body_width = ui->cols;
	ui->text.dirty = true;
}

void
ui_post_draw(struct ui *ui)
{
	struct ui_list *l = &ui->text;
	int h = ui_body_rows(ui), r;
	size_t idx, max;
	char left[512];

	if (!ui->post) {
		ui_set_screen(ui, ui->posts_active ? UI_POSTS : UI_TOPICS);
		return;
	}
	/* Wrapped again only when the width changed. */
	if (ui->body_width != ui->cols)
		ui_post_layout(ui);
	max = l->len > (size_t)h ? l->len - (size_t)h : 0;
	if (l->top > max)
		l->top = max;
	/* The cursor rests on the first visible line of the text. */
	ui->cur_y = 1;
	ui->cur_x = 0;
	if (!l->dirty)
		return;
	if (ui->posts_active && ui->posts.sel < ui->posts.len)
		snprintf(left, sizeof(left), "%s: post %zu of %zu",
		    ui->posts_title ? ui->posts_title : "Posts",
		    ui->posts.sel + 1, ui->posts.len);
	else
		snprintf(left, sizeof(left), "Post");
	ui_title(ui, left, max ? (l->top >= max ? "end" : "more below") :
	    NULL);
	for (r = 0; r < h; r++) {
		idx = l->top + (size_t)r;
		move(1 + r, 0);
		clrtoeol();
		if (idx < l->len)
			ui_put(ui, 1 + r, 0, ui->cols - 1, ui_lines_get(&ui->body,
			    idx), idx < ui->post_title_lines ? A_BOLD : 0);
	}
	l->dirty = false;
}

void
ui_post_open_link(struct ui *ui, size_t n)
{
	if (!ui->post || n < 1 || n > ui->post->nlinks) {
		ui_status(ui, false, "No link [%zu] in this post.", n);
		return;
	}
	ui_open_url(ui, ui->post->links[n - 1]);
}

/* Opens the next or previous unread post of the list. */
static void
ui_post_step(struct ui *ui, int dir)
{
	size_t cur = ui->posts.sel, i;

	if (!ui->posts_active)
		return;
	/* The list may have changed under us (refresh): find the post. */
	if (cur >= ui->posts.len || ui->pv[cur] != ui->post)
		for (i = 0; i < ui->posts.len; i++)
			if (ui->pv[i] == ui->post)
				cur = i;
	if (cur >= ui->posts.len)
		return;
	if (ui_posts_find_unread(ui, cur, dir, &i)) {
		ui->posts.sel = i;
		ui_post_open(ui, ui->pv[i]);
	}
}

bool
ui_post_key(struct ui *ui, enum action a)
{
	struct post *p = ui->post;

	if (!p)
		return false;
	if (ui_text_move(&ui->text, a, ui_body_rows(ui)))
		return true;
	switch (a) {
	/* Read state is saved when leaving a post, not on every key. */
	case ACT_BACK:
		ui_save(ui);
		ui->posts.dirty = true;
		ui_set_screen(ui, ui->posts_active ? UI_POSTS : UI_TOPICS);
		return true;
	case ACT_NEXT_UNREAD:
		ui_post_step(ui, 1);
		return true;
	case ACT_PREV_UNREAD:
		ui_post_step(ui, -1);
		return true;
	case ACT_TOGGLE_READ:
		store_set_read(ui->st, p, ui_post_unread(p));
		ui->read_changed = ui->counts_stale = true;
		ui->posts.dirty = true;
		ui_status(ui, false, "Marked %s.", ui_post_unread(p) ?
		    "unread" : "read");
		return true;
	case ACT_MARK_ALL:
		if (ui->posts_active)
			ui_posts_mark_all(ui);
		return true;
	case ACT_BROWSER:
		ui_open_url(ui, p->link);
		return true;
	case ACT_LINK:
		/* Ten or more links: the digit starts a number typed at a prompt. */
		if (p->nlinks >= 10) {
			char first[2] = { (char)ui->key_code, '\0' };

			ui_prompt_start(ui, UI_PROMPT_LINK, first);
		} else {
			ui_post_open_link(ui, (size_t)(ui->key_code - '0'));
		}
		return true;
	default:
		return false;
	}
}

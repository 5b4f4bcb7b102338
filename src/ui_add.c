#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "add.h"
#include "app.h"
#include "layout.h"
#include "text.h"
#include "ui_int.h"
#include "util.h"

/* `a`: adding a feed, or a council's news page, from the reader.  A prompt
 * asks for the address, then the add flow (add.h) runs with the reader as
 * its add_io: what it says goes to the Add screen, one line each, and its
 * questions become prompts on the status line with the cursor at their
 * end.  The flow blocks during its transfers (one or two), so the status
 * line says "Fetching ..." first.  The line goes to app->feeds_path, the
 * file `sendnews add` would write; the feeds are read at the next start. */

static void
ui_add_say(void *ctx, const char *line)
{
	struct ui *ui = ctx;

	buf_puts(&ui->addlog, line);
	buf_putc(&ui->addlog, '\n');
	/* Wrapped again, and scrolled to the new line, at the next draw. */
	ui->add_width = 0;
	ui->add.dirty = true;
}

static int
ui_add_ask(void *ctx, const char *question, char *answer, size_t len)
{
	struct ui *ui = ctx;
	char *said;
	int r;

	r = ui_prompt_wait(ui, question, answer, len);
	/* The transcript keeps the question with its answer. */
	said = xasprintf("%s %s", question, r == 0 ? answer : "(cancelled)");
	ui_add_say(ui, said);
	free(said);
	/* A feed chosen by number is fetched next, and that blocks. */
	if (r == 0 && answer[0] >= '1' && answer[0] <= '9') {
		ui_status(ui, false, "Fetching feed %s%s", answer,
		    ui->app->ascii ? "..." : "…");
		ui_draw(ui);
	}
	return r;
}

void
ui_add_begin(struct ui *ui)
{
	if (!ui->app->feeds_path) {
		ui_status(ui, true, "Adding a feed needs your own feeds file, "
		    "not the demo's (leave out --demo).");
		return;
	}
	if (ui->app->offline) {
		ui_status(ui, false, "Offline (--offline): not adding feeds.");
		return;
	}
	/* add_run blocks: curl's transfers would stall meanwhile. */
	if (ui->fetcher) {
		ui_status(ui, false, "Refreshing: add a feed when it has ended.");
		return;
	}
	ui_prompt_start(ui, UI_PROMPT_URL, NULL);
}

void
ui_add_run(struct ui *ui, const char *url0)
{
	struct add_io io = { ui_add_say, ui_add_ask, ui, false };
	const char *path = ui->app->feeds_path;
	char err[1024], *url = xstrdup(url0), *line = NULL;
	enum add_result r;
	struct stat sb;
	bool existed;
	int seeded;

	/* url0 is the prompt's buffer, which the flow's questions reuse. */
	if (ui->screen != UI_ADD)
		ui->add_back = ui->screen;
	ui->addlog.len = 0;
	ui->add.top = 0;
	line = xasprintf("Adding %s", url);
	ui_add_say(ui, line);
	free(line);
	line = NULL;
	ui_set_screen(ui, UI_ADD);
	ui_status(ui, false, "Fetching %s%s", url, ui->app->ascii ? "..." : "…");
	ui_draw(ui);
	existed = stat(path, &sb) == 0;
	/* A new file replaces the bundled feeds from the next start: it
	 * starts as their copy, so they stay; unless nothing is added. */
	seeded = existed ? 0 : add_seed(path, ui->app->feeds_seed, err, sizeof(err));
	if (seeded < 0) {
		ui_add_say(ui, err);
		ui_status(ui, true, "Could not create %s.", path);
		free(url);
		return;
	}
	r = add_run(url, path, &ui->app->fetch, &io, &line, err, sizeof(err));
	if (seeded > 0 && r != ADD_ADDED)
		unlink(path);
	switch (r) {
	case ADD_ADDED:
		if (!existed)
			ui_add_say(ui, ui->app->feeds_seed ? "That file is new: it starts with "
			    "the bundled council feeds and is your feeds file from the next start." :
			    "That file is new: from the next start it is your feeds file.");
		ui_status(ui, false, "Added. It will be read on the next start.");
		break;
	case ADD_DECLINED:
		ui_status(ui, false, "Nothing added.");
		break;
	default:
		ui_add_say(ui, err);
		ui_status(ui, true, "Not added: %s", err);
		break;
	}
	free(line);
	free(url);
}

void
ui_add_draw(struct ui *ui)
{
	struct ui_list *l = &ui->add;
	int h = ui_body_rows(ui), r;
	size_t idx, max;
	bool grew = ui->add_width == 0;
	struct buf w = { 0 };
	char *a;

	if (ui->add_width != ui->cols) {
		a = ui->app->ascii ? text_to_ascii(ui->addlog.data ?
		    ui->addlog.data : "") : NULL;
		ui_lines_clear(&ui->addl);
		layout_wrap(&w, a ? a : ui->addlog.data ? ui->addlog.data : "",
		    (size_t)(ui->cols > 2 ? ui->cols - 1 : 1));
		if (w.data)
			ui_lines_add(&ui->addl, w.data);
		buf_free(&w);
		free(a);
		ui->add_width = ui->cols;
		l->len = ui->addl.len;
		l->dirty = true;
	}
	max = l->len > (size_t)h ? l->len - (size_t)h : 0;
	/* New lines: show the end, where the question is. */
	if (grew || l->top > max)
		l->top = max;
	ui->cur_y = 1;
	ui->cur_x = 0;
	if (!l->dirty)
		return;
	ui_title(ui, "sendnews: Add a feed (q to go back)", max ?
	    (l->top >= max ? "end" : "more below") : NULL);
	for (r = 0; r < h; r++) {
		idx = l->top + (size_t)r;
		move(1 + r, 0);
		clrtoeol();
		if (idx < l->len)
			ui_put(ui, 1 + r, 0, ui->cols - 1,
			    ui_lines_get(&ui->addl, idx), 0);
	}
	l->dirty = false;
}

bool
ui_add_key(struct ui *ui, enum action a)
{
	enum ui_screen back = ui->add_back;

	if (ui_text_move(&ui->add, a, ui_body_rows(ui)))
		return true;
	switch (a) {
	case ACT_BACK:
		if ((back == UI_POSTS || back == UI_POST) && !ui->posts_active)
			back = UI_TOPICS;
		if (back == UI_POST && !ui->post)
			back = UI_POSTS;
		ui_set_screen(ui, back == UI_ADD ? UI_TOPICS : back);
		return true;
	default:
		return false;
	}
}

void
ui_add_free(struct ui *ui)
{
	buf_free(&ui->addlog);
	ui_lines_free(&ui->addl);
}

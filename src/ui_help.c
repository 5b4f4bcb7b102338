#include <curses.h>

#include "ui_int.h"

/* The Help screen: every key of the one key table with what it does, and
 * a line on each screen; built again when the width changes.  The cursor
 * sits on the top line of the visible text. */

void
ui_help_draw(struct ui *ui)
{
	struct ui_list *l = &ui->help;
	int h = ui_body_rows(ui), r;
	size_t idx, max;

	if (ui->help_width != ui->cols) {
		ui_keys_help_lines(&ui->helpl, ui->cols - 1);
		ui->help_width = ui->cols;
		l->len = ui->helpl.len;
		l->dirty = true;
	}
	max = l->len > (size_t)h ? l->len - (size_t)h : 0;
	if (l->top > max)
		l->top = max;
	ui->cur_y = 1;
	ui->cur_x = 0;
	if (!l->dirty)
		return;
	ui_title(ui, "sendnews: Help (q to go back)", max ? (l->top >= max ?
	    "end" : "more below") : NULL);
	for (r = 0; r < h; r++) {
		idx = l->top + (size_t)r;
		move(1 + r, 0);
		clrtoeol();
		if (idx < l->len)
			ui_put(ui, 1 + r, 0, ui->cols - 1,
			    ui_lines_get(&ui->helpl, idx), 0);
	}
	l->dirty = false;
}

bool
ui_help_key(struct ui *ui, enum action a)
{
	if (ui_text_move(&ui->help, a, ui_body_rows(ui)))
		return true;
	switch (a) {
	case ACT_BACK:
	case ACT_HELP:
		ui_set_screen(ui, ui->help_back);
		return true;
	default:
		return false;
	}
}

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "app.h"
#include "layout.h"
#include "text.h"
#include "ui_int.h"
#include "util.h"

/* Drawing helpers shared by the screens.  Everything that reaches the
 * terminal goes through ui_put, which folds to ASCII for non-UTF-8 locales,
 * turns stray controls into spaces and cuts to the width with an ellipsis,
 * so no string can wrap into the next row. */

int
ui_body_rows(const struct ui *ui)
{
	int h = ui->rows - 1 - ui->status_rows;

	return h > 0 ? h : 0;
}

/* Box drawing and block elements (U+2500 to U+259F, E2 94 80 to E2 96 9F
 * in UTF-8) become '-': screen readers speak each one by name ("box
 * drawing light horizontal"), and they only ever decorate. */
static void
ui_put_plain(char *s)
{
	unsigned char *r = (unsigned char *)s, *w = r;

	while (*r) {
		if (r[0] == 0xE2 && r[1] >= 0x94 && r[1] <= 0x96 && r[2] >= 0x80 &&
		    r[2] <= 0xBF && !(r[1] == 0x96 && r[2] > 0x9F)) {
			*w++ = '-';
			r += 3;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

int
ui_put(struct ui *ui, int y, int x, int width, const char *s, int attr)
{
	char *copy, *p;
	size_t used;

	if (width <= 0 || y < 0 || y >= ui->rows || x >= ui->cols)
		return 0;
	if (x + width > ui->cols)
		width = ui->cols - x;
	/* Tabs and newlines would move the cursor: make them spaces. */
	copy = ui->app->ascii ? text_to_ascii(s) : xstrdup(s);
	for (p = copy; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	ui_put_plain(copy);
	ui->tmp.len = 0;
	if (ui->tmp.data)
		ui->tmp.data[0] = '\0';
	/* Cut by display columns (wide, combining), with an ellipsis. */
	used = layout_fit(&ui->tmp, copy, (size_t)width, ui->app->ascii);
	free(copy);
	attr_set((attr_t)(attr | ui->row_attr), 0, NULL);
	mvaddstr(y, x, ui->tmp.data ? ui->tmp.data : "");
	attr_set((attr_t)ui->row_attr, 0, NULL);
	return (int)used;
}

/* Draws s right-aligned in the width columns starting at x. */
void
ui_put_right(struct ui *ui, int y, int x, int width, const char *s, int attr)
{
	int w = (int)layout_width(s);

	if (w > width)
		w = width;
	ui_put(ui, y, x + width - w, w, s, attr);
}

void
ui_row_begin(struct ui *ui, int y, bool selected, int attr)
{
	ui->row_attr = selected ? A_REVERSE : 0;
	attr_set((attr_t)ui->row_attr, 0, NULL);
	mvhline(y, 0, ' ', ui->cols);
	/* The text marker keeps the selection visible without any video
	 * attribute and puts something readable under the cursor. */
	ui_put(ui, y, 0, 2, selected ? "> " : "  ", attr);
}

void
ui_row_sr(struct ui *ui, int y, const char *title, const char *rest,
    int attr)
{
	int room = ui->cols - 3, rw, tw, used;
	char *r;

	/* "Title, new, 2024-07-01, Source": the title keeps up to two thirds
	 * of the row, the rest is cut at the end when it does not fit. */
	rw = rest && *rest ? (int)layout_width(rest) + 2 : 0;
	tw = (int)layout_width(title);
	if (tw + rw > room)
		tw = room - rw > room * 2 / 3 ? room - rw : room * 2 / 3;
	used = ui_put(ui, y, 2, tw, title, attr);
	if (rw && 2 + used < ui->cols - 1) {
		r = xasprintf(", %s", rest);
		ui_put(ui, y, 2 + used, ui->cols - 1 - 2 - used, r, attr);
		free(r);
	}
}

void
ui_row_end(struct ui *ui)
{
	ui->row_attr = 0;
	attr_set(A_NORMAL, 0, NULL);
}

void
ui_title(struct ui *ui, const char *left, const char *right)
{
	int attr = ui->color ? COLOR_PAIR(1) | A_BOLD : A_BOLD;
	int rw = right ? (int)layout_width(right) : 0;

	/* The right-hand part goes first when the window is narrow. */
	if (rw > ui->cols / 3)
		rw = 0;
	attr_set((attr_t)attr, 0, NULL);
	mvhline(0, 0, ' ', ui->cols);
	ui_put(ui, 0, 0, ui->cols - (rw ? rw + 2 : 0), left, attr);
	if (rw)
		ui_put(ui, 0, ui->cols - rw, rw, right, attr);
	attr_set(A_NORMAL, 0, NULL);
}

int
ui_attr_unread(const struct ui *ui)
{
	return A_BOLD;
}

int
ui_attr_error(const struct ui *ui)
{
	return ui->color ? COLOR_PAIR(2) | A_BOLD : A_BOLD;
}

void
ui_list_show(struct ui_list *l, int height)
{
	size_t h = height > 0 ? (size_t)height : 1;

	if (l->len == 0) {
		l->sel = l->top = 0;
		return;
	}
	if (l->sel >= l->len)
		l->sel = l->len - 1;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + h)
		l->top = l->sel - h + 1;
	/* After a resize or a shorter list, do not leave rows empty. */
	if (l->top + h > l->len)
		l->top = l->len > h ? l->len - h : 0;
}

bool
ui_list_move(struct ui_list *l, enum action a, int height)
{
	size_t h = height > 0 ? (size_t)height : 1;
	size_t last = l->len ? l->len - 1 : 0;

	switch (a) {
	case ACT_UP:
		if (l->sel > 0)
			l->sel--;
		break;
	case ACT_DOWN:
		if (l->sel < last)
			l->sel++;
		break;
	case ACT_PGUP:
		l->top = l->top > h ? l->top - h : 0;
		l->sel = l->sel > h ? l->sel - h : 0;
		break;
	/* A page moves the view and the selection together. */
	case ACT_PGDN:
		l->top += h;
		l->sel = l->sel + h < last ? l->sel + h : last;
		break;
	case ACT_HOME:
		l->sel = 0;
		break;
	case ACT_END:
		l->sel = last;
		break;
	default:
		return false;
	}
	ui_list_show(l, height);
	l->dirty = true;
	return true;
}

bool
ui_text_move(struct ui_list *l, enum action a, int height)
{
	size_t h = height > 0 ? (size_t)height : 1;
	size_t max = l->len > h ? l->len - h : 0;

	switch (a) {
	case ACT_UP:
		if (l->top > 0)
			l->top--;
		break;
	case ACT_DOWN:
		l->top++;
		break;
	case ACT_PGUP:
		l->top = l->top > h ? l->top - h : 0;
		break;
	case ACT_PGDN:
		l->top += h;
		break;
	case ACT_HOME:
		l->top = 0;
		break;
	case ACT_END:
		l->top = max;
		break;
	default:
		return false;
	}
	/* Never scroll past the last full page. */
	if (l->top > max)
		l->top = max;
	l->dirty = true;
	return true;
}

void
ui_lines_clear(struct ui_lines *l)
{
	l->text.len = 0;
	l->len = 0;
}

void
ui_lines_free(struct ui_lines *l)
{
	buf_free(&l->text);
	free(l->off);
	memset(l, 0, sizeof(*l));
}

/* Adds one line of n bytes; tabs become spaces. */
static void
ui_lines_push(struct ui_lines *l, const char *s, size_t n)
{
	size_t i, start;

	/* Lines are stored one after another, NUL-terminated, by offset. */
	if (l->len == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->off = xreallocarray(l->off, l->cap, sizeof(*l->off));
	}
	start = l->text.len;
	l->off[l->len++] = start;
	buf_append(&l->text, s, n);
	buf_putc(&l->text, '\0');
	for (i = start; i < start + n; i++)
		if (l->text.data[i] == '\t')
			l->text.data[i] = ' ';
}

void
ui_lines_add(struct ui_lines *l, const char *text)
{
	const char *nl;

	while (*text) {
		nl = strchr(text, '\n');
		if (!nl) {
			ui_lines_push(l, text, strlen(text));
			return;
		}
		ui_lines_push(l, text, (size_t)(nl - text));
		text = nl + 1;
	}
}

void
ui_lines_add_hard(struct ui_lines *l, const char *s, int width)
{
	mbstate_t mb;
	const char *start = s, *begin = s;
	int used = 0, w;
	size_t n;
	wchar_t wc;

	if (width < 1)
		width = 1;
	memset(&mb, 0, sizeof(mb));
	while (*s) {
		/* A broken byte counts as one column, as the terminal shows it. */
		n = mbrtowc(&wc, s, strlen(s), &mb);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&mb, 0, sizeof(mb));
			n = 1;
			w = 1;
		} else {
			w = wcwidth(wc);
			if (w < 0)
				w = 1;
		}
		/* Break before the character that would not fit. */
		if (used + w > width && s > start) {
			ui_lines_push(l, start, (size_t)(s - start));
			start = s;
			used = 0;
		}
		used += w;
		s += n;
	}
	if (s > start || s == begin)
		ui_lines_push(l, start, (size_t)(s - start));
}

const char *
ui_lines_get(const struct ui_lines *l, size_t i)
{
	if (i >= l->len)
		return "";
	return l->text.data + l->off[i];
}

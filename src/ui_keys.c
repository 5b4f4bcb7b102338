#include <curses.h>
#include <stddef.h>
#include <string.h>

#include "layout.h"
#include "text.h"
#include "ui_int.h"
#include "util.h"

/* The one key table.  The help screen is built from it and
 * tests/tui/keys-doc.sh checks every name against KEYS in man/sendnews.1,
 * so keep one entry per line with the name as the only string. */
static const struct ui_key ui_keys[] = {
	{ true, KEY_UP,	"Up",	ACT_UP },
	{ false, 'k',	"k",	ACT_UP },
	{ true, KEY_DOWN,	"Down",	ACT_DOWN },
	{ false, 'j',	"j",	ACT_DOWN },
	{ true, KEY_PPAGE,	"PgUp",	ACT_PGUP },
	{ false, 'b',	"b",	ACT_PGUP },
	{ true, KEY_NPAGE,	"PgDn",	ACT_PGDN },
	{ false, ' ',	"Space",	ACT_PGDN },
	{ true, KEY_HOME,	"Home",	ACT_HOME },
	{ false, 'g',	"g",	ACT_HOME },
	{ true, KEY_END,	"End",	ACT_END },
	{ false, 'G',	"G",	ACT_END },
	{ false, '\n',	"Enter",	ACT_OPEN },
	{ false, '\r',	NULL,	ACT_OPEN },
	{ true, KEY_ENTER,	NULL,	ACT_OPEN },
	{ true, KEY_RIGHT,	"Right",	ACT_OPEN },
	{ false, 'l',	"l",	ACT_OPEN },
	{ true, KEY_LEFT,	"Left",	ACT_BACK },
	{ false, 'h',	"h",	ACT_BACK },
	{ false, 'q',	"q",	ACT_BACK },
	{ true, KEY_BACKSPACE,	"Backspace",	ACT_BACK },
	{ false, 'Q',	"Q",	ACT_QUIT },
	{ false, 'r',	"r",	ACT_REFRESH },
	{ false, 'n',	"n",	ACT_NEXT_UNREAD },
	{ false, 'p',	"p",	ACT_PREV_UNREAD },
	{ false, '/',	"/",	ACT_SEARCH },
	{ false, 'u',	"u",	ACT_TOGGLE_READ },
	{ false, 'A',	"A",	ACT_MARK_ALL },
	{ false, 'o',	"o",	ACT_BROWSER },
	{ false, '1',	"1-9",	ACT_LINK },
	{ false, '2',	NULL,	ACT_LINK },
	{ false, '3',	NULL,	ACT_LINK },
	{ false, '4',	NULL,	ACT_LINK },
	{ false, '5',	NULL,	ACT_LINK },
	{ false, '6',	NULL,	ACT_LINK },
	{ false, '7',	NULL,	ACT_LINK },
	{ false, '8',	NULL,	ACT_LINK },
	{ false, '9',	NULL,	ACT_LINK },
	{ false, 'f',	"f",	ACT_FEEDS },
	{ false, 'F',	"F",	ACT_FEEDS },
	{ false, 'e',	"e",	ACT_EMPTY },
	{ false, 'a',	"a",	ACT_ADD },
	{ false, '=',	"=",	ACT_WHERE },
	{ false, '?',	"?",	ACT_HELP },
	{ true, KEY_F(1),	"F1",	ACT_HELP },
	{ false, 'L' - 64,	"Ctrl-L",	ACT_REDRAW },
};

/* What each action does, in the order the help screen lists them. */
static const char *const ui_help[ACT_COUNT] = {
	[ACT_UP] = "Move up one row (or scroll the text up one line)",
	[ACT_DOWN] = "Move down one row (or scroll the text down one line)",
	[ACT_PGUP] = "Page up",
	[ACT_PGDN] = "Page down",
	[ACT_HOME] = "Go to the first row, or the top of the text",
	[ACT_END] = "Go to the last row, or the end of the text",
	[ACT_OPEN] = "Open the selected topic, post or feed",
	[ACT_BACK] = "Go back one screen (on Topics: quit)",
	[ACT_QUIT] = "Quit from any screen",
	[ACT_REFRESH] = "Refresh every feed in the background",
	[ACT_NEXT_UNREAD] = "Next unread topic or post",
	[ACT_PREV_UNREAD] = "Previous unread topic or post",
	[ACT_SEARCH] = "Search titles and text (empty search: cancel)",
	[ACT_TOGGLE_READ] = "Toggle the post read or unread",
	[ACT_MARK_ALL] = "Mark every post in view (or in the topic) read",
	[ACT_BROWSER] = "Open the post's link in $BROWSER, or show it",
	[ACT_LINK] = "Post: open link [n]; from 10 links, type the number "
	    "and Enter",
	[ACT_FEEDS] = "Feeds: last fetch, posts and errors of every feed",
	[ACT_EMPTY] = "Topics: show or hide topics with no posts",
	[ACT_HELP] = "This help",
	[ACT_REDRAW] = "Redraw the screen",
	[ACT_WHERE] = "Say where you are: screen, position, topic",
	[ACT_ADD] = "Add a feed or a council's news page: asks for its URL",
};

/* Sequences terminals send for the same keys in their other modes, or
 * when TERM names a different terminal (xterm's TERM inside tmux, the
 * console's keypad modes).  Only those terminfo did not define are added. */
static const struct {
	const char *seq;
	int code;
} ui_keys_alt[] = {
	{ "\033[A", KEY_UP }, { "\033OA", KEY_UP },
	{ "\033[B", KEY_DOWN }, { "\033OB", KEY_DOWN },
	{ "\033[C", KEY_RIGHT }, { "\033OC", KEY_RIGHT },
	{ "\033[D", KEY_LEFT }, { "\033OD", KEY_LEFT },
	{ "\033[H", KEY_HOME }, { "\033OH", KEY_HOME },
	{ "\033[1~", KEY_HOME }, { "\033[7~", KEY_HOME },
	{ "\033[F", KEY_END }, { "\033OF", KEY_END },
	{ "\033[4~", KEY_END }, { "\033[8~", KEY_END },
	{ "\033[5~", KEY_PPAGE }, { "\033[6~", KEY_NPAGE },
	{ "\033OM", KEY_ENTER },
};

void
ui_keys_define(void)
{
	size_t i;

	for (i = 0; i < sizeof(ui_keys_alt) / sizeof(ui_keys_alt[0]); i++)
		if (key_defined(ui_keys_alt[i].seq) == 0)
			define_key(ui_keys_alt[i].seq, ui_keys_alt[i].code);
}

enum action
ui_keys_action(bool fn, int code)
{
	size_t i;

	/* A short table: a linear search costs nothing next to a keypress. */
	for (i = 0; i < sizeof(ui_keys) / sizeof(ui_keys[0]); i++)
		if (ui_keys[i].fn == fn && ui_keys[i].code == code)
			return ui_keys[i].action;
	return ACT_NONE;
}

void
ui_keys_names(enum action a, struct buf *out)
{
	size_t i;
	bool first = true;

	for (i = 0; i < sizeof(ui_keys) / sizeof(ui_keys[0]); i++) {
		if (ui_keys[i].action != a || !ui_keys[i].name)
			continue;
		if (!first)
			buf_puts(out, ", ");
		buf_puts(out, ui_keys[i].name);
		first = false;
	}
}

const char *
ui_keys_help(enum action a)
{
	if (a <= ACT_NONE || a >= ACT_COUNT || !ui_help[a])
		return "";
	return ui_help[a];
}

/* Appends text wrapped to width - indent columns, each line after the
 * first (or every line, when first is NULL) indented by indent spaces. */
static void
ui_keys_wrap(struct ui_lines *l, const char *first, const char *text,
    int indent, int width)
{
	struct buf w = { 0 }, line = { 0 };
	const char *s, *nl;
	int i;

	layout_wrap(&w, text, width - indent > 10 ? (size_t)(width - indent) : 10);
	for (s = w.data ? w.data : ""; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		if (!nl)
			nl = s + strlen(s);
		line.len = 0;
		if (first) {
			buf_puts(&line, first);
			while ((int)line.len < indent)
				buf_putc(&line, ' ');
			first = NULL;
		} else {
			for (i = 0; i < indent; i++)
				buf_putc(&line, ' ');
		}
		buf_append(&line, s, (size_t)(nl - s));
		buf_putc(&line, '\n');
		ui_lines_add(l, line.data);
		if (!*nl)
			break;
	}
	buf_free(&w);
	buf_free(&line);
}

/* The help screen for a width: every key of the table, then a line on
 * each screen.  Wide windows put keys and help side by side. */
void
ui_keys_help_lines(struct ui_lines *l, int width)
{
	static const char *const screens[] = {
		"Topics: every topic with unread and total counts; "
		    "\"All posts\" first, \"Other\" last; \"Closing soon\" "
		    "before them while a survey or consultation is open.",
		"Closing soon: posts with a closing date still to come, "
		    "soonest first, each saying how long is left.",
		"Posts: one topic's posts, newest first, one a line: title, "
		    "date, source. Marks: N new (unread), U updated since "
		    "read, A archived.",
		"Post: title, date, source, topics and link, the text, "
		    "then its links as numbered references.",
		"Feeds: each feed's last fetch, post count and last error; "
		    "ERR marks a failing feed.",
		"Add: what adding a feed found and did (a, then q to go back).",
		"Help: this screen.",
	};
	struct buf names = { 0 };
	size_t i;
	int a;

	ui_lines_clear(l);
	/* One entry per action, its keys joined, in the table's order. */
	ui_lines_add(l, "Keys:\n");
	for (a = ACT_NONE + 1; a < ACT_COUNT; a++) {
		names.len = 0;
		buf_puts(&names, "  ");
		ui_keys_names((enum action)a, &names);
		if (width >= 60 && names.len < 26) {
			ui_keys_wrap(l, names.data, ui_keys_help((enum action)a),
			    27, width);
		} else {
			buf_putc(&names, '\n');
			ui_lines_add(l, names.data);
			ui_keys_wrap(l, NULL, ui_keys_help((enum action)a), 6,
			    width);
		}
	}
	ui_lines_add(l, "\nScreens:\n");
	for (i = 0; i < sizeof(screens) / sizeof(screens[0]); i++)
		ui_keys_wrap(l, "  ", screens[i], 2, width);
	buf_free(&names);
}

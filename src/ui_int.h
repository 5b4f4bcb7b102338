#ifndef UI_INT_H
#define UI_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "store.h"
#include "util.h"

/* Private to the ui*.c files: the reader's state, the actions keys map to,
 * and the drawing helpers every screen uses.  The rest of sendnews only
 * sees ui.h.  Screen layout: row 0 is the title bar, the last status_rows
 * rows the status line, everything between is the screen's body. */

struct app;

/* What a key does; the one key table (ui_keys.c) maps keys to these. */
enum action {
	ACT_NONE,
	ACT_UP,
	ACT_DOWN,
	ACT_PGUP,
	ACT_PGDN,
	ACT_HOME,
	ACT_END,
	ACT_OPEN,
	ACT_BACK,
	ACT_QUIT,
	ACT_REFRESH,
	ACT_NEXT_UNREAD,
	ACT_PREV_UNREAD,
	ACT_SEARCH,
	ACT_TOGGLE_READ,
	ACT_MARK_ALL,
	ACT_BROWSER,
	ACT_LINK,
	ACT_FEEDS,
	ACT_EMPTY,
	ACT_HELP,
	ACT_REDRAW,
	ACT_WHERE,
	ACT_ADD,
	ACT_COUNT
};

enum ui_screen {
	UI_TOPICS,
	UI_POSTS,
	UI_POST,
	UI_FEEDS,
	UI_HELP,
	UI_ADD
};

/* One key: a curses function key (fn) or a character, its name as the
 * help screen and the man page spell it, and its action.  A NULL name
 * hides the entry from help (it is covered by a neighbour's name). */
struct ui_key {
	bool fn;
	int code;
	const char *name;
	enum action action;
};

/* A scrolling list or text: len rows, sel selected (lists only), top the
 * first row shown.  dirty means the body must be drawn again. */
struct ui_list {
	size_t len;
	size_t sel;
	size_t top;
	bool dirty;
};

/* Wrapped lines of text kept in one buffer: line i starts at off[i]. */
struct ui_lines {
	struct buf text;
	size_t *off;
	size_t len;
	size_t cap;
};

enum ui_prompt_kind {
	UI_PROMPT_NONE,
	UI_PROMPT_SEARCH,
	UI_PROMPT_LINK,
	UI_PROMPT_URL,              /* `a`: the address to add */
	UI_PROMPT_ASK               /* a question of the add flow (plabel) */
};

/* Where a search was started, so that back from its results goes there
 * again: a search replaces the Posts list it narrows, so that list is
 * kept here by its selection and ids, never by post pointers (a refresh
 * moves the posts).  Strings are owned. */
struct ui_origin {
	enum ui_screen screen;      /* the screen the search started from */
	enum ui_screen posts_back;  /* where the list below went back to */
	bool list;                  /* a Posts list was open: the rest is it */
	bool closing;               /* that list was Closing soon */
	struct filter filter;       /* its selection; search points at ours */
	char *search;
	char *title;
	char *sel_id;               /* its selected post */
	size_t top;
	char *post_id;              /* from the Post screen: the post shown */
	size_t text_top;
	bool post_updated;
};

/* Row ids of the Topics screen besides topic indexes (trow). */
#define UI_TOPIC_ALL (-1L)
#define UI_TOPIC_CLOSING (-2L)

struct ui {
	struct app *app;
	struct store *st;
	enum ui_screen screen;
	enum ui_screen help_back;   /* where help returns */
	enum ui_screen feeds_back;  /* where the feeds screen returns */
	enum ui_screen posts_back;  /* where the posts screen returns */
	int key_code;               /* the character of the key being handled */
	int rows, cols;
	int status_rows;            /* 1, more while a long URL is shown */
	bool color;
	bool full;                  /* erase and draw every part again */
	int cur_y, cur_x;           /* where the hardware cursor is parked */
	bool keyed;                 /* a key or resize came since the last draw */
	int wake_fd;                /* the self-pipe's read end, for nested waits */
	int row_attr;               /* added to every ui_put inside a row */
	struct buf tmp;             /* scratch for the drawing helpers */

	/* Status line: a message, replaced by the next one. */
	char status[1024];
	bool status_error;
	bool status_transient;      /* cleared by the next key */
	bool status_dirty;

	/* Prompt on the status line (search, link number). */
	enum ui_prompt_kind prompt;
	char pbuf[256];
	size_t plen;
	char plabel[256];           /* UI_PROMPT_ASK: the question and a space */
	int answered;               /* UI_PROMPT_ASK: 1 Enter, -1 cancelled */

	/* Topics screen. */
	struct ui_list topics;
	long *trow;                 /* per row: UI_TOPIC_*, t->len Other */
	size_t *total, *unread;     /* store_count, t->len + 1 each */
	size_t all_total, all_unread;
	size_t closing_total, closing_unread; /* posts still open to answer */
	bool show_empty;
	bool counts_stale;

	/* Posts screen: the selection of one topic, feed or search. */
	struct ui_list posts;
	struct post **pv;
	struct filter filter;
	char *search;               /* owned copy of filter.search */
	char *posts_title;
	bool posts_active;          /* pv is in use and follows the store */
	bool posts_closing;         /* pv is the Closing soon list */
	struct ui_origin *origin;   /* where each search of the list came
	                             * from, the last one last */
	size_t norigin, origin_cap;

	/* Post screen. */
	struct post *post;          /* refound by id after every store change */
	char *post_id;
	struct ui_lines body;
	struct ui_list text;
	int body_width;
	size_t post_title_lines;    /* the first lines hold the title */
	bool post_updated;          /* it was updated since last read */
	int help_width;

	struct ui_list feeds;
	int feeds_namew;            /* widest feed name */
	bool feeds_bad;             /* some feed has an error */
	struct ui_lines helpl;
	struct ui_list help;

	/* Add screen: what the add flow said, one line each in addlog. */
	struct buf addlog;
	struct ui_lines addl;       /* addlog wrapped to add_width */
	struct ui_list add;
	int add_width;
	enum ui_screen add_back;    /* where the add screen returns */
	char *osc;                  /* a sequence to write after the next draw */

	/* Background refresh. */
	struct fetcher *fetcher;
	size_t fetch_feeds, fetch_new, fetch_failed;
	char fetch_fail[512];       /* the first failure, for the end message */
	char fetch_why[256];        /* its error alone */
	bool fetch_alike;           /* every failure so far had that error */
	bool fetch_netdown;         /* every failure so far: DNS or connect */

	bool read_changed;          /* read state needs saving */
	bool quit;
	int exit_status;
};

/* ui_keys.c: the key table. */
enum action ui_keys_action(bool fn, int code);
/* Teaches curses the common alternative sequences for the keys above. */
void ui_keys_define(void);
/* Names of the keys bound to a, joined with ", ", into out. */
void ui_keys_names(enum action a, struct buf *out);
const char *ui_keys_help(enum action a);
/* Fills lines with the help screen's text. */
void ui_keys_help_lines(struct ui_lines *l, int width);

/* ui_draw.c: helpers; every string passes text_to_ascii when the locale
 * is not UTF-8 and is cut to width with an ellipsis, never wrapped. */
int ui_body_rows(const struct ui *ui);
int ui_put(struct ui *ui, int y, int x, int width, const char *s, int attr);
void ui_put_right(struct ui *ui, int y, int x, int width, const char *s,
    int attr);
/* Draws a list row: "> " marker and reverse video when selected. */
void ui_row_begin(struct ui *ui, int y, bool selected, int attr);
void ui_row_end(struct ui *ui);
/* Screen-reader rows: from column 2, title first, then ", " and rest
 * (state, date, source...); the title is cut before rest is, so the
 * words spoken first still name the item. */
void ui_row_sr(struct ui *ui, int y, const char *title, const char *rest,
    int attr);
void ui_title(struct ui *ui, const char *left, const char *right);
/* Keeps l->sel visible in height rows; applies a movement action.
 * Returns true when the action was a movement. */
bool ui_list_move(struct ui_list *l, enum action a, int height);
/* The same for text without selection: only top moves. */
bool ui_text_move(struct ui_list *l, enum action a, int height);
void ui_list_show(struct ui_list *l, int height);
void ui_lines_clear(struct ui_lines *l);
void ui_lines_free(struct ui_lines *l);
/* Appends the lines of text (each ending in '\n') to l. */
void ui_lines_add(struct ui_lines *l, const char *text);
/* Appends s cut into pieces of width columns: URLs are never cut short. */
void ui_lines_add_hard(struct ui_lines *l, const char *s, int width);
const char *ui_lines_get(const struct ui_lines *l, size_t i);
int ui_attr_unread(const struct ui *ui);
int ui_attr_error(const struct ui *ui);

/* ui.c: status line, shared actions. */
/* Draws what changed now (before a blocking step). */
void ui_draw(struct ui *ui);
/* Asks question at a prompt on the status line and waits for the answer
 * (a nested loop: keys go to the prompt only).  0 with answer filled, or
 * -1 when cancelled or a signal asks to quit. */
int ui_prompt_wait(struct ui *ui, const char *question, char *answer,
    size_t len);
/* Says where the user is: screen, position, topic. */
void ui_where(struct ui *ui);
void ui_status(struct ui *ui, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ui_status_clear(struct ui *ui);
void ui_set_screen(struct ui *ui, enum ui_screen s);
void ui_open_url(struct ui *ui, const char *url);
void ui_prompt_start(struct ui *ui, enum ui_prompt_kind kind,
    const char *initial);
void ui_refresh_start(struct ui *ui);
void ui_save(struct ui *ui);
const char *ui_feed_name(struct ui *ui, size_t feed, char *tmp, size_t len);
bool ui_post_unread(const struct post *p);

/* One file per screen: X_draw draws the body when dirty, sets the cursor
 * position; X_key handles one action and returns whether it did. */
void ui_topics_draw(struct ui *ui);
bool ui_topics_key(struct ui *ui, enum action a);
void ui_topics_recount(struct ui *ui);
const char *ui_topics_name(struct ui *ui, long topic);

void ui_posts_draw(struct ui *ui);
bool ui_posts_key(struct ui *ui, enum action a);
/* Selects the posts of fl (search copied) and shows them.  This and
 * ui_posts_show_closing forget the searches' origins: a list opened from
 * Topics or Feeds starts a new way back. */
void ui_posts_show(struct ui *ui, const struct filter *fl, const char *title);
/* Shows the Closing soon list: open deadlines, soonest first. */
void ui_posts_show_closing(struct ui *ui);
/* Remembers the current screen and list as an origin, then shows the
 * posts that match q: within the list on a Posts or Post screen (Closing
 * soon included), else in all posts.  q is copied. */
void ui_posts_search(struct ui *ui, const char *q);
/* Back from search results to the screen, list and selection the search
 * started from; false (nothing done) when the list is no search's. */
bool ui_posts_search_back(struct ui *ui);
/* Frees the origins (at exit, or when a new list starts). */
void ui_posts_history_free(struct ui *ui);
/* Runs the selection again, keeping the selected post when it is still
 * there.  sel_id is the selected post's id saved before the store changed. */
void ui_posts_reload(struct ui *ui, const char *sel_id);
void ui_posts_free(struct ui *ui);
/* Finds the next (dir 1) or previous (-1) unread post from row from;
 * false (and says so) when there is none. */
bool ui_posts_find_unread(struct ui *ui, size_t from, int dir, size_t *out);
void ui_posts_mark_all(struct ui *ui);

void ui_post_draw(struct ui *ui);
bool ui_post_key(struct ui *ui, enum action a);
/* Opens post p (marks it read, loads its body). */
void ui_post_open(struct ui *ui, struct post *p);
/* Shows p from text line top without marking it read (back to a post
 * as it was left); updated: it had changed since read, for the header. */
void ui_post_show(struct ui *ui, struct post *p, size_t top, bool updated);
void ui_post_layout(struct ui *ui);
void ui_post_open_link(struct ui *ui, size_t n);
void ui_post_free(struct ui *ui);

void ui_feeds_draw(struct ui *ui);
bool ui_feeds_key(struct ui *ui, enum action a);

void ui_help_draw(struct ui *ui);
bool ui_help_key(struct ui *ui, enum action a);

/* ui_add.c: `a`, adding a feed from a prompt (add.h) to app->feeds_path. */
void ui_add_begin(struct ui *ui);
/* Runs the add flow for url (blocks during its transfers). */
void ui_add_run(struct ui *ui, const char *url);
void ui_add_draw(struct ui *ui);
bool ui_add_key(struct ui *ui, enum action a);
void ui_add_free(struct ui *ui);

#endif

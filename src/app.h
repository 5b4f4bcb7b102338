#ifndef APP_H
#define APP_H

#include <stdbool.h>

#include "fetch.h"
#include "store.h"
#include "topics.h"
#include "urls.h"

/* Everything main.c sets up and hands to a view: the feeds, the rules, the
 * opened store and the user's choices.  Views borrow it. */
struct app {
	struct feedlist feeds;
	struct topics topics;
	struct store store;
	struct fetch_opts fetch;
	bool offline;        /* never touch the network */
	bool no_color;       /* --no-color or NO_COLOR */
	bool screen_reader;  /* --screen-reader */
	bool ascii;          /* the locale is not UTF-8 */
	bool refresh_on_start;
	const char *browser; /* from config or $BROWSER, or NULL */
	long retention_days; /* archived posts kept this long */
	char *own_browser;   /* strings the config file set */
	char *own_user_agent;
	bool osc52;          /* config osc52: copy links with OSC 52 (term.h) */
	bool osc8;           /* config osc8: show links as OSC 8 hyperlinks */
	const char *feeds_path; /* where the reader's `a` adds feeds (the file
	                         * `sendnews add` writes), NULL with --demo */
	const char *feeds_seed; /* what a new feeds_path starts as (add_seed):
	                         * the bundled feeds, or NULL with --feeds */
};

#endif

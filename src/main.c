/* sendnews: reads the arguments and connects the pieces. */
#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <libxml/xmlversion.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "add.h"
#include "app.h"
#include "check.h"
#include "config.h"
#include "date.h"
#include "feed.h"
#include "opml.h"
#include "output.h"
#include "plain.h"
#include "text.h"
#include "ui.h"
#include "util.h"

#ifndef VERSION
#define VERSION "dev"
#endif
#ifndef DATADIR
#define DATADIR "/usr/local/share/sendnews"
#endif

static const char usage[] =
"usage: sendnews [options] [list | show ID | topics | fetch | check | add URL]\n"
"       sendnews [options] import-opml FILE | export-opml\n"
"\n"
"With no command, opens the reader (line mode when not on a terminal).\n"
"  list              posts grouped by topic\n"
"  show ID           one post in full (marks it read)\n"
"  topics            topics with post and unread counts\n"
"  fetch             refresh every feed; quiet unless one fails\n"
"  check             one status line per feed, monitoring exit codes\n"
"  add URL           add a feed, or a council's news page, to your feeds file\n"
"  import-opml FILE  add an OPML file's feeds to your feeds file\n"
"  export-opml       print the feeds as OPML 2.0\n"
"\n"
"Options:\n"
"  --config FILE     settings file (default ~/.config/sendnews/config)\n"
"  --feeds FILE      feeds file (newsboat urls format)\n"
"  --topics FILE     topic rules\n"
"  --cache DIR       keep cache and read state in DIR\n"
"  --demo            the bundled demo feeds, with a cache of their own\n"
"  --offline         never touch the network; show what is cached\n"
"  --plain           line-mode reader, no terminal control sequences\n"
"  --screen-reader   cursor on the selection, no decoration or chatter\n"
"  --no-color        no colours (also when NO_COLOR is set)\n"
"  --format F        text, tsv or json (list, show, topics, check)\n"
"  --topic NAME  --feed NAME  --unread  --since YYYY-MM-DD  --search WORDS\n"
"  --archived        filters for list (archived posts are hidden otherwise)\n"
"  --closing         list only posts whose deadline is still open, soonest first\n"
"  --yes             add: take the first feed offered, or the page, without asking\n"
"  --warn-age DAYS  --crit-age DAYS   staleness thresholds for check\n"
"  --quiet  --verbose                 for fetch (--quiet: import-opml too)\n"
"  --browser CMD  --timeout S  --max-parallel N  --user-agent S\n"
"                    as the config file's settings (sendnews(5))\n"
"  --help  --version\n"
"\n"
"See sendnews(1) for keys and files, sendnews(5) for the file formats.\n";

enum {
	OPT_CONFIG = 256, OPT_FEEDS, OPT_TOPICS, OPT_CACHE, OPT_DEMO, OPT_OFFLINE, OPT_PLAIN,
	OPT_SR, OPT_NOCOLOR, OPT_FORMAT, OPT_TOPIC, OPT_FEED, OPT_UNREAD,
	OPT_SINCE, OPT_SEARCH, OPT_ARCHIVED, OPT_WARN, OPT_CRIT, OPT_QUIET,
	OPT_VERBOSE, OPT_HELP, OPT_VERSION,
	OPT_BROWSER, OPT_TIMEOUT, OPT_MAXPAR, OPT_UA,
	OPT_CLOSING, OPT_YES,
};

static const struct option longopts[] = {
	{"config", required_argument, NULL, OPT_CONFIG},
	{"feeds", required_argument, NULL, OPT_FEEDS},
	{"topics", required_argument, NULL, OPT_TOPICS},
	{"cache", required_argument, NULL, OPT_CACHE},
	{"demo", no_argument, NULL, OPT_DEMO},
	{"offline", no_argument, NULL, OPT_OFFLINE},
	{"plain", no_argument, NULL, OPT_PLAIN},
	{"screen-reader", no_argument, NULL, OPT_SR},
	{"no-color", no_argument, NULL, OPT_NOCOLOR},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"topic", required_argument, NULL, OPT_TOPIC},
	{"feed", required_argument, NULL, OPT_FEED},
	{"unread", no_argument, NULL, OPT_UNREAD},
	{"since", required_argument, NULL, OPT_SINCE},
	{"search", required_argument, NULL, OPT_SEARCH},
	{"archived", no_argument, NULL, OPT_ARCHIVED},
	{"warn-age", required_argument, NULL, OPT_WARN},
	{"crit-age", required_argument, NULL, OPT_CRIT},
	{"quiet", no_argument, NULL, OPT_QUIET},
	{"verbose", no_argument, NULL, OPT_VERBOSE},
	{"help", no_argument, NULL, OPT_HELP},
	{"version", no_argument, NULL, OPT_VERSION},
	{"browser", required_argument, NULL, OPT_BROWSER},
	{"timeout", required_argument, NULL, OPT_TIMEOUT},
	{"max-parallel", required_argument, NULL, OPT_MAXPAR},
	{"user-agent", required_argument, NULL, OPT_UA},
	{"closing", no_argument, NULL, OPT_CLOSING},
	{"yes", no_argument, NULL, OPT_YES},
	{NULL, 0, NULL, 0},
};

struct args {
	const char *config, *feeds, *topics, *cache, *format, *topic, *feed, *since, *search;
	const char *warn, *crit;
	bool demo, plain, unread, archived, quiet, verbose;
	bool closing, yes;   /* list --closing, add --yes */
	long warn_age, crit_age;
	/* Options that are also config settings, applied after the file. */
	struct { const char *name, *value; } set[8];
	size_t nset;
};

/* --warn-age and --crit-age: whole days, 0 or more; -1 when s is not. */
static long
days_arg(const char *s)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	return errno || end == s || *end || n < 0 ? -1 : n;
}

/* Finds one of sendnews's bundled files: beside the binary in a source
 * tree (feeds/), in a relocated install (../share/sendnews), or in
 * DATADIR.  Returns a path the caller frees, or NULL. */
static char *
find_data(const char *name)
{
	static const char *rel[] = {"feeds", "../feeds", "../../feeds", "../share/sendnews"};
	char exe[PATH_MAX], *slash, *p;
	ssize_t n;
	size_t i;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')))
			*slash = '\0';
		for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			char real[PATH_MAX];

			p = xasprintf("%s/%s/%s", exe, rel[i], name);
			/* A canonical path, so every build shares the demo's cache. */
			if (access(p, R_OK) == 0 && realpath(p, real)) {
				free(p);
				return xstrdup(real);
			}
			free(p);
		}
	}
	p = xasprintf("%s/%s", DATADIR, name);
	if (access(p, R_OK) == 0)
		return p;
	free(p);
	return NULL;
}

/* The user's file in the config directory when it exists, else the
 * bundled one. */
static char *
config_or_data(const char *user, const char *bundled)
{
	char *dir = store_default_dir("XDG_CONFIG_HOME", ".config");
	char *p = xasprintf("%s/%s", dir, user);

	free(dir);
	if (access(p, F_OK) == 0)
		return p;
	free(p);
	return find_data(bundled);
}

static size_t
term_width(void)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col > 100 ? 100 : ws.ws_col;
	if (c && atoi(c) >= 20)
		return (size_t)atoi(c);
	return 78;
}

/* Fetches every feed into the store; returns the number that failed.
 * Prints one line per failure to stderr unless quiet. */
static size_t
refresh(struct app *app, bool quiet, const char *note)
{
	struct fetcher *f = fetch_new(&app->fetch);
	struct fetch_result res;
	char err[512], tmp[256];
	size_t failed = 0, i;

	store_fetch_all(&app->store, f);
	do {
		fetch_poll(f, NULL, 0, 1000, NULL);
		while (fetch_next(f, &res)) {
			store_apply(&app->store, &res);
			fetch_result_free(&res);
		}
	} while (fetch_pending(f));
	fetch_free(f);
	for (i = 0; i < app->store.nfeeds; i++) {
		const struct sfeed *sf = &app->store.feeds[i];

		if (!sf->error)
			continue;
		failed++;
		if (!quiet)
			fprintf(stderr, "sendnews: %s: %s%s\n",
			    output_feed_name(app, i, tmp, sizeof(tmp)), sf->error, note);
	}
	if (store_save(&app->store, err, sizeof(err)) < 0)
		fprintf(stderr, "sendnews: cannot save the cache: %s\n", err);
	return failed;
}

/* Checks what was written to stdout reached it (a full disk).  A pipe
 * closed by its reader ("sendnews list | head") is no error: that reader
 * had what it wanted. */
static int
finish_stdout(int status)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		if (errno == EPIPE)
			return status;
		fprintf(stderr, "sendnews: cannot write the output: %s\n", strerror(errno));
		return 1;
	}
	return status;
}

/* Prints warnings gathered in w, one "sendnews: " line each. */
static void
print_warnings(const struct buf *w, const char *about)
{
	const char *p = w->data, *end = p ? p + w->len : NULL, *nl;

	for (; p && p < end; p = nl + 1) {
		if (!(nl = memchr(p, '\n', (size_t)(end - p))))
			nl = end;
		fprintf(stderr, "sendnews: %s%s%.*s\n", about ? about : "", about ? ": " : "",
		    (int)(nl - p), p);
	}
}

/* Before the first write to the user's own feeds file (no --feeds): it
 * starts as a copy of the bundled feeds, which it replaces from then on,
 * so the council's feeds are kept.  Returns 1 when it made the copy, 0
 * when there was none to make, -1 (said on stderr) on failure. */
static int
seed_user_feeds(const char *target, const char *feeds)
{
	char err[1024], *seed = feeds ? NULL : find_data("worcestershire.urls");
	int r = add_seed(target, seed, err, sizeof(err));

	if (r < 0)
		fprintf(stderr, "sendnews: cannot create %s: %s\n", target, err);
	free(seed);
	return r;
}

/* After the write the copy was made for: says so when something was
 * added, else removes the copy, so the bundled feeds stay in charge. */
static void
seed_done(int seeded, const char *target, bool added)
{
	if (seeded <= 0)
		return;
	if (added)
		printf("Created %s with the council feeds bundled with sendnews; "
		    "from now on it is your feeds file.\n", target);
	else
		unlink(target);
}

/* import-opml: into --feeds FILE, else the user's urls file (never the
 * bundled one). */
static int
import_opml(const char *opml, const char *feeds, bool quiet)
{
	struct opml_stats st;
	struct buf w = {0};
	char err[1024], *dir = store_default_dir("XDG_CONFIG_HOME", ".config");
	char *target = feeds ? xstrdup(feeds) : xasprintf("%s/urls", dir);
	int status = 0, seeded;

	free(dir);
	if ((seeded = seed_user_feeds(target, feeds)) < 0) {
		free(target);
		return 2;
	}
	if (opml_import(opml, target, &w, &st, err, sizeof(err)) < 0) {
		seed_done(seeded, target, false);
		print_warnings(&w, opml);
		fprintf(stderr, "sendnews: cannot import: %s\n", err);
		status = 2;
	} else {
		seed_done(seeded, target, st.added > 0);
		print_warnings(&w, opml);
		if (!st.found && !w.len) {
			fprintf(stderr, "sendnews: %s lists no feeds\n", opml);
			status = 1;
		} else if (!quiet) {
			printf("%zu feed%s added to %s, %zu already there\n", st.added,
			    st.added == 1 ? "" : "s", target, st.present);
		}
	}
	buf_free(&w);
	free(target);
	return finish_stdout(status);
}

/* Why show found no post: no id begins so, or several do (listed). */
static void
show_not_found(const struct store *st, const char *id)
{
	size_t i, k, n = strlen(id), hits = 0;

	for (i = 0; n && i < st->posts.len; i++)
		if (!strncmp(st->posts.v[i].id, id, n))
			hits++;
	if (hits < 2) {
		fprintf(stderr, "sendnews: no post with id '%s'\n", id);
		return;
	}
	fprintf(stderr, "sendnews: %zu posts have ids beginning '%s':", hits, id);
	for (i = 0, k = 0; i < st->posts.len && k < 5; i++)
		if (!strncmp(st->posts.v[i].id, id, n) && ++k)
			fprintf(stderr, " %s", st->posts.v[i].id);
	fputs(hits > 5 ? " ..." : "", stderr);
	fputs("; give more of the id\n", stderr);
}

/* export-opml: the feeds as OPML 2.0 on stdout. */
static int
export_opml(const struct feedlist *l)
{
	struct buf o = {0}, w = {0};

	opml_export(l, &o, &w);
	fwrite(o.data, 1, o.len, stdout);
	print_warnings(&w, NULL);
	buf_free(&o);
	buf_free(&w);
	return finish_stdout(0);
}

/* add URL: into --feeds FILE, else the user's urls file (never the
 * bundled one).  0 when a line was added, 1 when not, 2 for --demo. */
static int
add_command(const struct app *app, const char *url, const char *feeds, bool demo,
    bool yes)
{
	struct add_stdio ctx = {stdin, stdout, app->ascii};
	struct add_io io;
	enum add_result r;
	int seeded;
	char err[1024], *dir, *target;

	if (demo) {
		fputs("sendnews: add writes your own feeds file; leave out --demo\n", stderr);
		return 2;
	}
	dir = store_default_dir("XDG_CONFIG_HOME", ".config");
	target = feeds ? xstrdup(feeds) : xasprintf("%s/urls", dir);
	free(dir);
	if ((seeded = seed_user_feeds(target, feeds)) < 0) {
		free(target);
		return 2;
	}
	add_stdio_io(&io, &ctx, yes);
	r = add_run(url, target, &app->fetch, &io, NULL, err, sizeof(err));
	seed_done(seeded, target, r == ADD_ADDED);
	if (r == ADD_ERROR || r == ADD_LISTED)
		fprintf(stderr, "sendnews: %s\n", err);
	free(target);
	return finish_stdout(r == ADD_ADDED ? 0 : 1);
}

static void
version(void)
{
	printf("sendnews %s\n%s\nlibxml2 %s\n%s\n", VERSION, fetch_version(),
	    LIBXML_DOTTED_VERSION, ui_version());
}

int
main(int argc, char **argv)
{
	struct app app;
	struct args a;
	struct filter fl;
	struct buf warn = {0};
	char err[1024], *feeds = NULL, *topicsf = NULL, *cache = NULL, *state = NULL;
	char *add_path = NULL, *add_seed_path = NULL;
	const char *cmd, *cs;
	int c, fmt = OUT_TEXT, status = 0;
	bool bad = false;

	setlocale(LC_ALL, "");
	/* curl runs with NOSIGNAL: a peer closing its socket must not kill us. */
	signal(SIGPIPE, SIG_IGN);
	memset(&app, 0, sizeof(app));
	memset(&a, 0, sizeof(a));
	a.warn_age = -1;
	a.crit_age = -1;
	cs = nl_langinfo(CODESET);
	app.ascii = !cs || (strcmp(cs, "UTF-8") && strcmp(cs, "utf8"));
	app.no_color = getenv("NO_COLOR") && *getenv("NO_COLOR");
	app.screen_reader = getenv("SENDNEWS_SCREEN_READER") && !strcmp(getenv("SENDNEWS_SCREEN_READER"), "1");
	app.refresh_on_start = true;
	app.browser = getenv("BROWSER");
	app.retention_days = 180;

	while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_CONFIG: a.config = optarg; break;
		case OPT_FEEDS: a.feeds = optarg; break;
		case OPT_TOPICS: a.topics = optarg; break;
		case OPT_CACHE: a.cache = optarg; break;
		case OPT_DEMO: a.demo = true; break;
		case OPT_OFFLINE: app.offline = true; break;
		case OPT_PLAIN: a.plain = true; break;
		case OPT_SR: app.screen_reader = true; break;
		case OPT_NOCOLOR: app.no_color = true; break;
		case OPT_FORMAT: a.format = optarg; break;
		case OPT_TOPIC: a.topic = optarg; break;
		case OPT_FEED: a.feed = optarg; break;
		case OPT_UNREAD: a.unread = true; break;
		case OPT_SINCE: a.since = optarg; break;
		case OPT_SEARCH: a.search = optarg; break;
		case OPT_ARCHIVED: a.archived = true; break;
		case OPT_WARN: a.warn = optarg; break;
		case OPT_CRIT: a.crit = optarg; break;
		case OPT_QUIET: a.quiet = true; break;
		case OPT_VERBOSE: a.verbose = true; break;
		case OPT_CLOSING: a.closing = true; break;
		case OPT_YES: a.yes = true; break;
		case 'h': case OPT_HELP: fputs(usage, stdout); return finish_stdout(0);
		case 'V': case OPT_VERSION: version(); return finish_stdout(0);
		case OPT_BROWSER: case OPT_TIMEOUT: case OPT_MAXPAR: case OPT_UA:
			if (a.nset < sizeof(a.set) / sizeof(a.set[0])) {
				for (size_t k = 0; longopts[k].name; k++)
					if (longopts[k].val == c)
						a.set[a.nset].name = longopts[k].name;
				a.set[a.nset++].value = optarg;
			}
			break;
		default:
			bad = true;
			break;
		}
	}
	cmd = optind < argc ? argv[optind++] : NULL;
	if (bad) {
		fputs("Try 'sendnews --help'.\n", stderr);
		/* A monitoring system reads a usage error as UNKNOWN. */
		return cmd && !strcmp(cmd, "check") ? CHECK_UNKNOWN : 2;
	}
	if (cmd && strcmp(cmd, "list") && strcmp(cmd, "show") && strcmp(cmd, "topics") &&
	    strcmp(cmd, "fetch") && strcmp(cmd, "check") && strcmp(cmd, "import-opml") &&
	    strcmp(cmd, "export-opml") && strcmp(cmd, "add")) {
		fprintf(stderr, "sendnews: unknown command '%s'; try 'sendnews --help'\n", cmd);
		return 2;
	}
	if (cmd && !strcmp(cmd, "show") && optind >= argc) {
		fputs("sendnews: show needs a post id (see 'sendnews list')\n", stderr);
		return 2;
	}
	if (cmd && !strcmp(cmd, "import-opml") && optind >= argc) {
		fputs("sendnews: import-opml needs an OPML file\n", stderr);
		return 2;
	}
	if (cmd && !strcmp(cmd, "add") && optind >= argc) {
		fputs("sendnews: add needs the URL of a feed or a news page\n", stderr);
		return 2;
	}
	if (optind + (cmd && (!strcmp(cmd, "show") || !strcmp(cmd, "import-opml") ||
	    !strcmp(cmd, "add"))) < argc) {
		fprintf(stderr, "sendnews: unexpected argument '%s'\n", argv[argc - 1]);
		return 2;
	}
	if (a.closing && (!cmd || strcmp(cmd, "list"))) {
		fputs("sendnews: --closing goes with list (the reader shows Closing soon on its own)\n",
		    stderr);
		return 2;
	}
	if (a.format && (fmt = output_format(a.format)) < 0) {
		fprintf(stderr, "sendnews: unknown format '%s' (text, tsv or json)\n", a.format);
		status = 2;
		goto out;
	}
	if (app.offline && cmd && (!strcmp(cmd, "fetch") || !strcmp(cmd, "add"))) {
		fprintf(stderr, "sendnews: %s needs the network; drop --offline\n", cmd);
		status = 2;
		goto out;
	}
	if ((a.warn && (a.warn_age = days_arg(a.warn)) < 0) ||
	    (a.crit && (a.crit_age = days_arg(a.crit)) < 0)) {
		fputs("sendnews: --warn-age and --crit-age take a number of days\n", stderr);
		status = 2;
		goto out;
	}

	/* Settings: the config file, then the options given (which win). */
	{
		char *cdir = store_default_dir("XDG_CONFIG_HOME", ".config");
		char *cpath = a.config ? xstrdup(a.config) : xasprintf("%s/config", cdir);

		free(cdir);
		if (a.config && access(cpath, F_OK) < 0) {
			fprintf(stderr, "sendnews: config file %s: %s\n", cpath, strerror(errno));
			free(cpath);
			status = 2;
			goto out;
		}
		if (config_load(&app, cpath, &warn, err, sizeof(err)) < 0) {
			fprintf(stderr, "sendnews: config file %s\n", err);
			free(cpath);
			status = 2;
			goto out;
		}
		/* Its warnings already say "FILE:LINE:". */
		print_warnings(&warn, NULL);
		warn.len = 0;
		free(cpath);
	}
	for (size_t k = 0; k < a.nset; k++) {
		const char *why = config_set(&app, a.set[k].name, a.set[k].value);

		if (why) {
			fprintf(stderr, "sendnews: --%s: %s\n", a.set[k].name, why);
			status = 2;
			goto out;
		}
	}
	if (cmd && !strcmp(cmd, "import-opml")) {
		status = import_opml(argv[optind], a.feeds, a.quiet);
		goto done;
	}
	if (cmd && !strcmp(cmd, "add")) {
		status = add_command(&app, argv[optind], a.feeds, a.demo, a.yes);
		goto done;
	}

	/* Files: the options, else the user's own, else the bundled ones. */
	if (a.feeds)
		feeds = xstrdup(a.feeds);
	else if (a.demo)
		feeds = find_data("demo.urls");
	else
		feeds = config_or_data("urls", "worcestershire.urls");
	topicsf = a.topics ? xstrdup(a.topics) : config_or_data("topics", "topics");
	/* The reader's `a` adds where `sendnews add` would: --feeds FILE, else
	 * the user's urls file; never the bundled demo. */
	if (!a.demo) {
		char *cfg = store_default_dir("XDG_CONFIG_HOME", ".config");

		add_path = a.feeds ? xstrdup(a.feeds) : xasprintf("%s/urls", cfg);
		free(cfg);
		app.feeds_path = add_path;
		if (!a.feeds)
			app.feeds_seed = add_seed_path = find_data("worcestershire.urls");
	}
	if (!feeds || !topicsf) {
		fprintf(stderr, "sendnews: cannot find the bundled %s; use --feeds and --topics\n",
		    !feeds ? "feeds file" : "topic rules");
		status = 2;
		goto out;
	}
	if (urls_load(&app.feeds, feeds, &warn, err, sizeof(err)) < 0) {
		fprintf(stderr, "sendnews: feeds file %s\n", err);
		status = 2;
		goto out;
	}
	print_warnings(&warn, feeds);
	if (cmd && !strcmp(cmd, "export-opml")) {
		status = export_opml(&app.feeds);
		goto done;
	}
	if (!app.feeds.len) {
		fprintf(stderr, "sendnews: %s lists no feeds\n", feeds);
		status = 2;
		goto out;
	}
	if (topics_load(&app.topics, topicsf, err, sizeof(err)) < 0) {
		fprintf(stderr, "sendnews: topic rules: %s\n", err);
		status = 2;
		goto out;
	}
	if (a.cache) {
		cache = xstrdup(a.cache);
		state = xstrdup(a.cache);
	} else {
		char *c0 = store_default_dir("XDG_CACHE_HOME", ".cache");
		char *s0 = store_default_dir("XDG_STATE_HOME", ".local/state");

		cache = a.demo ? xasprintf("%s/demo", c0) : xstrdup(c0);
		state = a.demo ? xasprintf("%s/demo", s0) : xstrdup(s0);
		free(c0);
		free(s0);
	}
	if (store_open(&app.store, &app.feeds, &app.topics, cache, state, err, sizeof(err)) < 0) {
		fprintf(stderr, "sendnews: cache: %s\n", err);
		status = 2;
		goto out;
	}
	app.store.retention_days = app.retention_days;
	if (app.store.warning)
		fprintf(stderr, "sendnews: %s\n", app.store.warning);
	/* The demo's feeds are files that come with sendnews: reading them is
	 * no network, so --offline on a demo never read still has posts. */
	if (a.demo && app.offline && !app.store.readonly) {
		size_t k;

		for (k = 0; k < app.store.nfeeds && !app.store.feeds[k].tried; k++)
			;
		if (k == app.store.nfeeds)
			refresh(&app, false, "");
	}

	filter_init(&fl);
	fl.unread = a.unread;
	fl.search = a.search;
	fl.archived = a.archived;
	if (a.topic && (fl.topic = topics_find(&app.topics, a.topic)) < 0) {
		if (fl.topic == -2) {
			fprintf(stderr, "sendnews: '%s' begins several topics:", a.topic);
			for (size_t k = 0; k <= app.topics.len; k++) {
				const char *name = topics_name(&app.topics, k);

				if (!util_strncasecmp(name, a.topic, strlen(a.topic)))
					fprintf(stderr, " \"%s\"", name);
			}
			fputs("; give more of the name\n", stderr);
		} else {
			fprintf(stderr, "sendnews: no topic '%s'; see 'sendnews topics'\n", a.topic);
		}
		status = 2;
		goto out;
	}
	if (a.feed) {
		size_t i;
		char tmp[256];

		for (i = 0; i < app.feeds.len; i++)
			if (util_strcasestr(output_feed_name(&app, i, tmp, sizeof(tmp)), a.feed) ||
			    !strcmp(app.feeds.v[i].url, a.feed))
				break;
		if (i == app.feeds.len) {
			fprintf(stderr, "sendnews: no feed matches '%s'\n", a.feed);
			status = 2;
			goto out;
		}
		fl.feed = (long)i;
	}
	if (a.since && !(fl.since = date_parse(a.since, NULL))) {
		fprintf(stderr, "sendnews: --since wants a date like 2024-09-01\n");
		status = 2;
		goto out;
	}

	if (!cmd) {
		if (!a.plain && ui_usable())
			status = ui_run(&app);
		else
			status = plain_run(&app, stdin, stdout);
	} else if (!strcmp(cmd, "fetch")) {
		if (app.store.busy)
			fputs("sendnews: another sendnews is using the cache; waiting is not supported, fetch skipped\n", stderr);
		else if (app.store.readonly) {
			/* Nothing can be saved: a cron job must hear of it. */
			fputs("sendnews: the cache is read-only (see above); fetch skipped\n", stderr);
			status = 1;
		}
		else
			status = refresh(&app, a.quiet, "") ? 1 : 0;
		if (a.verbose && !a.quiet) {
			size_t i;
			char tmp[256];

			for (i = 0; i < app.store.nfeeds; i++) {
				const struct sfeed *sf = &app.store.feeds[i];

				fprintf(stderr, "%s: %s, %zu post%s, %zu new\n",
				    output_feed_name(&app, i, tmp, sizeof(tmp)),
				    sf->error ? "failed" : sf->changed ? "updated" : "unchanged",
				    sf->nposts, sf->nposts == 1 ? "" : "s", sf->nnew);
			}
		}
	} else if (!strcmp(cmd, "check")) {
		status = check_run(&app, stdout, fmt, a.warn_age, a.crit_age);
	} else {
		/* Cache (sendnews(1) FILES): a second instance shows the cache
		 * as it is and says so once; without a refresh, list and topics
		 * in text say how old each stale feed's data is, on stderr. */
		if (app.store.busy)
			fputs("sendnews: another sendnews is using the cache: showing it read-only; "
			    "nothing is fetched or saved\n", stderr);
		else if (!app.offline && !app.store.readonly) {
			size_t had = app.store.posts.len;
			size_t failed = refresh(&app, false, had ? "; showing the cached posts" : "");

			/* Nothing to show at all: say why once, and fail. */
			if (failed == app.store.nfeeds && !app.store.posts.len &&
			    strcmp(cmd, "show")) {
				fputs("sendnews: no posts: no feed could be fetched and nothing is "
				    "cached yet (no network? 'sendnews --demo' works offline)\n", stderr);
				status = 1;
			}
		} else if (app.offline && !app.store.posts.len && strcmp(cmd, "show") &&
		    fmt == OUT_TEXT) {
			/* Not an error: an empty cache is a state, and scripts
			 * reading JSON or TSV get an empty list. */
			fputs("sendnews: nothing is cached yet; run it without --offline to "
			    "fetch the feeds\n", stderr);
		}
		if ((app.offline || app.store.readonly) && fmt == OUT_TEXT && strcmp(cmd, "show"))
			output_cache_age(stderr, &app, util_now());
		if (!strcmp(cmd, "list") && a.closing) {
			output_closing(stdout, &app, &fl, fmt, util_now());
		} else if (!strcmp(cmd, "list")) {
			output_list(stdout, &app, &fl, fmt);
		} else if (!strcmp(cmd, "topics")) {
			output_topics(stdout, &app, fmt);
		} else {
			struct post *p = store_find(&app.store, argv[optind]);

			if (!p) {
				show_not_found(&app.store, argv[optind]);
				status = 1;
			} else {
				output_show(stdout, &app, p, fmt, term_width());
				store_set_read(&app.store, p, true);
			}
		}
	}
	/* A check whose report was lost is UNKNOWN, not a WARNING. */
	if (cmd && !strcmp(cmd, "check"))
		status = finish_stdout(0) ? CHECK_UNKNOWN : status;
	else
		status = finish_stdout(status);
	goto done;
out:
	/* A check that could not start is UNKNOWN to a monitoring system. */
	if (cmd && !strcmp(cmd, "check"))
		status = CHECK_UNKNOWN;
done:
	store_close(&app.store);
	topics_free(&app.topics);
	urls_free(&app.feeds);
	buf_free(&warn);
	free(feeds);
	free(add_path);
	free(add_seed_path);
	free(topicsf);
	free(cache);
	free(state);
	free(app.own_browser);
	free(app.own_user_agent);
	return status;
}

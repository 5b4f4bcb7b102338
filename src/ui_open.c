#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"
#include "term.h"
#include "ui_int.h"
#include "util.h"

/* Opening links: the browser is started without a shell, with the URL as
 * one argument, and only for http and https URLs.  Where no browser can
 * show anything (over SSH, no display, none installed) the URL is shown
 * on the status line instead, whole, so it can be copied; with the config
 * file's `osc52 yes` it is also copied to the clipboard with OSC 52,
 * which reaches the user's own terminal over SSH. */

extern char **environ;

/* Shows url instead of opening it: "Link: URL", or with osc52 asked for
 * and url clean enough to send (term_url_ok), "Copied to the clipboard:
 * URL" and the sequence written after the next draw (ui_draw).  why, when
 * not NULL, comes first (a browser that failed). */
static void
ui_show_url(struct ui *ui, const char *why, const char *url)
{
	char *seq = ui->app->osc52 ? term_osc52(url) : NULL;

	if (seq) {
		free(ui->osc);
		ui->osc = seq;
	}
	ui_status(ui, why != NULL, "%s%s%s: %s", why ? why : "", why ? " " : "",
	    seq ? "Copied to the clipboard" : "Link", url);
	ui->status_transient = true;
}

/* Is a browser one that runs in the terminal (and so needs it)? */
static bool
ui_browser_in_terminal(const char *prog)
{
	static const char *const names[] = {
		"lynx", "w3m", "links", "links2", "elinks", "browsh",
		"www-browser", "carbonyl",
	};
	const char *base = strrchr(prog, '/');
	size_t i;

	base = base ? base + 1 : prog;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(base, names[i]) == 0)
			return true;
	return false;
}

/* Starts argv without a shell; a terminal browser gets the terminal and
 * is waited for, anything else gets /dev/null and runs on its own. */
static int
ui_spawn(char **argv, bool terminal)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, all;
	short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
	pid_t pid;
	int rc, i, status;

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	if (!terminal) {
		for (i = 0; i < 3; i++)
			posix_spawn_file_actions_addopen(&fa, i, "/dev/null",
			    O_RDWR, 0);
#ifdef POSIX_SPAWN_SETSID
		flags |= POSIX_SPAWN_SETSID;
#endif
	}
	posix_spawnattr_setflags(&attr, flags);
	rc = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (rc == 0 && terminal)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	return rc;
}

void
ui_open_url(struct ui *ui, const char *url)
{
	const char *browser = ui->app->browser;
	const char *ssh = getenv("SSH_CONNECTION");
	const char *x11 = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
	char *spec = NULL, *word, *save = NULL, *argv[18];
	bool terminal, has_url = false;
	int argc = 0, rc;

	if (!url || !*url) {
		ui_status(ui, false, "No link here.");
		return;
	}
	if (util_strncasecmp(url, "http://", 7) != 0 &&
	    util_strncasecmp(url, "https://", 8) != 0) {
		ui_status(ui, false, "Not a web link, not opened: %s", url);
		ui->status_transient = true;
		return;
	}
	if (!browser || !*browser)
		browser = getenv("BROWSER");
	if (browser && *browser) {
		/* $BROWSER may list several, colon-separated: use the first;
		 * its words become arguments, "%s" the URL, never a shell. */
		spec = xstrndup(browser, strcspn(browser, ":"));
		for (word = strtok_r(spec, " \t", &save); word && argc < 16;
		    word = strtok_r(NULL, " \t", &save)) {
			if (strcmp(word, "%s") == 0) {
				argv[argc++] = (char *)url;
				has_url = true;
			} else {
				argv[argc++] = word;
			}
		}
	}
	if (argc == 0)
		argv[argc++] = "xdg-open";
	if (!has_url)
		argv[argc++] = (char *)url;
	argv[argc] = NULL;
	terminal = ui_browser_in_terminal(argv[0]);
	if (!terminal && ((ssh && *ssh) || (!(x11 && *x11) && !(wl && *wl)))) {
		ui_show_url(ui, NULL, url);
		free(spec);
		return;
	}
	if (terminal) {
		def_prog_mode();
		endwin();
	}
	rc = ui_spawn(argv, terminal);
	if (terminal) {
		reset_prog_mode();
		clearok(curscr, TRUE);
		ui->full = true;
	}
	if (rc != 0) {
		char *why = xasprintf("Could not start %s (%s).", argv[0],
		    strerror(rc));

		ui_show_url(ui, why, url);
		free(why);
	} else {
		ui_status(ui, false, "Opened in %s: %s", argv[0], url);
		ui->status_transient = true;
	}
	free(spec);
}


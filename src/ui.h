#ifndef UI_H
#define UI_H

#include <stdbool.h>

struct app;

/* Runs the interactive reader on the terminal; returns the exit status.
 * Borrows app; saves the read state before it returns.  The terminal is
 * restored on every way out (Q, Ctrl-C, SIGTERM, SIGHUP, die()). */
int ui_run(struct app *app);

/* True when stdin and stdout are terminals and TERM names a terminal that
 * terminfo knows and that has cursor addressing; otherwise main should use
 * the plain line mode.  Writes nothing to the terminal. */
bool ui_usable(void);

/* The curses library's version, for --version: static string. */
const char *ui_version(void);

#endif

#ifndef PLAIN_H
#define PLAIN_H

#include <stdio.h>

#include "app.h"

/* The line-mode reader: numbered menus and typed commands on in and out,
 * with no terminal control sequences at all, for screen readers, dumb
 * terminals and scripts (`printf '1\n2\nq\n' | sendnews --demo`).
 *
 * Borrows app, whose store must be open.  Refreshes first unless
 * app->offline or !app->refresh_on_start.  Everything goes to out (never
 * stderr), sanitised again on the way (no C0 but newline and tab, no C1,
 * no bidi controls) and folded to ASCII when app->ascii.  When in is not a
 * terminal, each command is echoed after its prompt, so a scripted session
 * reads as a transcript.  Opening a post marks it read; the store is saved
 * before returning.  SIGINT, SIGTERM and SIGHUP end the session at the
 * next prompt (the previous handlers are restored on return).
 *
 * Returns the exit status: 0 after q or end of input, 1 when out could not
 * be written, 128 + the signal number after a signal. */
int plain_run(struct app *app, FILE *in, FILE *out);

#endif

#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>

#include "app.h"
#include "util.h"

/* The user's config file: one setting per line, "name value", # comments
 * (format in sendnews(5)).  Settings the file does not name keep what app
 * holds; strings it sets are owned by app (own_browser, own_user_agent).
 * Unknown names and
 * bad values are appended to warn, one line each.  A missing file is not
 * an error.  Returns 0, or -1 with err when the file cannot be read. */
/* Applies one setting, as a line "name value" of the file would (main.c
 * passes the command-line options through here too).  Returns NULL, or
 * why the value was refused (a static string). */
const char *config_set(struct app *app, const char *name, const char *value);

int config_load(struct app *app, const char *path, struct buf *warn, char *err, size_t errlen);

#endif

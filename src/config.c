#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text.h"

/* Parses yes/no (and true/false, on/off, 1/0); -1 when it is neither. */
static int
config_bool(const char *v)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "on") || !strcmp(v, "1"))
		return 1;
	if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "off") || !strcmp(v, "0"))
		return 0;
	return -1;
}

/* A whole number from lo to hi; -1 when v is not one. */
static long
config_num(const char *v, long lo, long hi)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < lo || n > hi)
		return -1;
	return n;
}

const char *
config_set(struct app *app, const char *name, const char *v)
{
	long n;
	int b;

	if (!strcmp(name, "browser")) {
		free(app->own_browser);
		app->browser = app->own_browser = xstrdup(v);
		return NULL;
	}
	if (!strcmp(name, "user-agent")) {
		free(app->own_user_agent);
		app->fetch.user_agent = app->own_user_agent = text_sanitize_line(xstrdup(v));
		return NULL;
	}
	if (!strcmp(name, "color") || !strcmp(name, "screen-reader") ||
	    !strcmp(name, "refresh-on-start")) {
		if ((b = config_bool(v)) < 0)
			return "takes yes or no";
		if (*name == 'c')
			app->no_color = app->no_color || !b;
		else if (*name == 's')
			app->screen_reader = app->screen_reader || b;
		else
			app->refresh_on_start = b;
		return NULL;
	}
	if (!strcmp(name, "max-parallel") || !strcmp(name, "max-per-host")) {
		if ((n = config_num(v, 1, 1000)) < 0)
			return "takes a number from 1 to 1000";
		if (name[4] == 'p' && name[5] == 'a')
			app->fetch.max_parallel = n;
		else
			app->fetch.max_per_host = n;
		return NULL;
	}
	if (!strcmp(name, "timeout") || !strcmp(name, "connect-timeout")) {
		if ((n = config_num(v, 1, 3600)) < 0)
			return "takes seconds from 1 to 3600";
		if (*name == 't')
			app->fetch.timeout = n;
		else
			app->fetch.connect_timeout = n;
		return NULL;
	}
	if (!strcmp(name, "max-size")) {
		if ((n = config_num(v, 1, 1024)) < 0)
			return "takes megabytes from 1 to 1024";
		app->fetch.max_size = (size_t)n * 1024 * 1024;
		return NULL;
	}
	if (!strcmp(name, "retention")) {
		if ((n = config_num(v, 0, 100000)) < 0)
			return "takes days";
		app->retention_days = n;
		return NULL;
	}
	/* Links over SSH: the reader's clipboard (OSC 52) and hyperlinks
	 * (OSC 8) are off until the user says the terminal takes them. */
	if (!strcmp(name, "osc52") || !strcmp(name, "osc8")) {
		if ((b = config_bool(v)) < 0)
			return "takes yes or no";
		if (name[3] == '5')
			app->osc52 = b;
		else
			app->osc8 = b;
		return NULL;
	}
	return "unknown setting";
}

int
config_load(struct app *app, const char *path, struct buf *warn, char *err, size_t errlen)
{
	char *data, *line, *next;
	size_t len;
	int lineno = 0;

	if (access(path, F_OK) < 0)
		return 0;
	if (util_read_file(path, 1u << 20, &data, &len, err, errlen) < 0)
		return -1;
	for (line = data; line; line = next) {
		char *name, *v, *end;
		const char *why;

		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		lineno++;
		name = line + strspn(line, " \t");
		if (!*name || *name == '#')
			continue;
		v = name + strcspn(name, " \t");
		if (*v)
			*v++ = '\0';
		v += strspn(v, " \t");
		for (end = v + strlen(v); end > v && strchr(" \t\r", end[-1]); end--)
			;
		*end = '\0';
		if (*v == '"' && end - v >= 2 && end[-1] == '"') {
			end[-1] = '\0';
			v++;
		} else if (*v == '"') {
			/* Half a quoted value is a typo, not the value meant. */
			buf_printf(warn, "%s:%d: %s: %s; ignored\n", path, lineno, name,
			    strchr(v + 1, '"') ? "text after the closing quote" :
			    "a quote is not closed");
			continue;
		}
		if ((why = config_set(app, name, v)))
			buf_printf(warn, "%s:%d: %s: %s\n", path, lineno, name, why);
	}
	free(data);
	return 0;
}

#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>

#include "app.h"

/* Monitoring-plugin exit codes. */
enum check_status {
	CHECK_OK = 0,
	CHECK_WARNING = 1,
	CHECK_CRITICAL = 2,
	CHECK_UNKNOWN = 3,
};

/* Fetches every feed now (with app->offline, judges the cached state
 * instead: each feed's last attempt, without this run's time and size)
 * and prints one status line per feed and a summary (or JSON with fmt OUT_JSON, TSV with OUT_TSV).  A failed fetch is
 * CRITICAL; an answer with no posts is a WARNING; the newest post older
 * than warn_days or crit_days (negative: no limit) is a WARNING or
 * CRITICAL.  Returns the worst status. */
int check_run(struct app *app, FILE *fp, int fmt, long warn_days, long crit_days);

#endif

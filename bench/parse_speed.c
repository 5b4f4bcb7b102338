/* parse_speed FILE [URL] [-n RUNS] [-t RULES] [-v]: parses FILE with
 * feed_parse and prints the item count and throughput in MB/s (the median
 * of RUNS, default 3, and the best; the time includes HTML-to-text and post_finish, and with
 * -t RULES topics and deadlines too, beside the parse as a fetch finds them).  -v prints each post's
 * title, link and date, for a quick look at what a parse gives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "classify.h"
#include "date.h"
#include "feed.h"
#include "post.h"
#include "topics.h"
#include "util.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	const char *path = NULL, *url = "https://example.org/feed.rss", *rules = NULL;
	struct topics tp = {0};
	char err[256], *data, date[16];
	size_t len, i;
	int runs = 3, r, n = 0, a;
	double best = 0, t, *times;
	bool verbose = false;
	struct postlist l = {0};
	struct feed_opts opts = { .finish = classify_post, .finish_ctx = &tp };

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "-n") == 0 && a + 1 < argc)
			runs = atoi(argv[++a]);
		else if (strcmp(argv[a], "-t") == 0 && a + 1 < argc)
			rules = argv[++a];
		else if (strcmp(argv[a], "-v") == 0)
			verbose = true;
		else if (!path)
			path = argv[a];
		else
			url = argv[a];
	}
	if (!path || runs < 1) {
		fprintf(stderr, "usage: parse_speed FILE [URL] [-n RUNS] [-t RULES] [-v]\n");
		return 2;
	}
	if (util_read_file(path, (size_t)1 << 30, &data, &len, err,
	    sizeof(err)) < 0) {
		fprintf(stderr, "parse_speed: %s\n", err);
		return 1;
	}
	if (rules && topics_load(&tp, rules, err, sizeof(err)) < 0) {
		fprintf(stderr, "parse_speed: %s\n", err);
		return 1;
	}
	feed_init();
	times = xreallocarray(NULL, (size_t)runs, sizeof(*times));
	for (r = 0; r < runs; r++) {
		postlist_free(&l);
		t = now();
		n = feed_parse(data, len, url, 0, rules ? &opts : NULL, &l, err,
		    sizeof(err));
		t = now() - t;
		if (n < 0) {
			fprintf(stderr, "parse_speed: %s\n", err);
			free(times);
			free(data);
			return 1;
		}
		if (r == 0 || t < best)
			best = t;
		times[r] = t;
	}
	qsort(times, (size_t)runs, sizeof(*times), cmp_double);
	if (verbose)
		for (i = 0; i < l.len; i++)
			printf("%s\t%s\t%s\n", date_format(l.v[i].date, date),
			    l.v[i].title, l.v[i].link);
	t = runs % 2 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
	printf("%s: %d items, %.1f MB in %.3f s: %.0f MB/s (median of %d; best %.0f MB/s)\n",
	    path, n, (double)len / 1e6, t, (double)len / 1e6 / t, runs,
	    (double)len / 1e6 / best);
	free(times);
	postlist_free(&l);
	topics_free(&tp);
	free(data);
	return 0;
}

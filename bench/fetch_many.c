#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fetch.h"
#include "util.h"

/* Fetches one URL N times at once (each copy made distinct with ?n=I) and
 * prints the wall time, for example against
 *     python3 tests/server.py --root DIR --port-file P --latency-ms 100
 * usage: fetch_many URL N [MAX_PARALLEL [MAX_PER_HOST]] */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct fetch_opts o = {0};
	struct fetch_result r;
	struct fetcher *f;
	size_t i, n, ok = 0, failed = 0;
	double t0, t;
	char *url;

	if (argc < 3 || argc > 5) {
		fprintf(stderr, "usage: fetch_many URL N [MAX_PARALLEL "
		    "[MAX_PER_HOST]]\n");
		return 2;
	}
	n = strtoul(argv[2], NULL, 10);
	if (argc > 3)
		o.max_parallel = atol(argv[3]);
	if (argc > 4)
		o.max_per_host = atol(argv[4]);
	f = fetch_new(&o);
	t0 = now();
	for (i = 0; i < n; i++) {
		url = xasprintf("%s%cn=%zu", argv[1],
		    strchr(argv[1], '?') ? '&' : '?', i);
		fetch_add(f, i, url, NULL, NULL, false);
		free(url);
	}
	while (fetch_pending(f) > 0) {
		fetch_poll(f, NULL, 0, 1000, NULL);
		while (fetch_next(f, &r)) {
			if (r.status == FETCH_OK) {
				ok++;
			} else {
				failed++;
				if (failed <= 5)
					fprintf(stderr, "%zu: %s\n", r.id, r.error);
			}
			fetch_result_free(&r);
		}
	}
	t = now() - t0;
	fetch_free(f);
	printf("%zu transfers (%zu ok, %zu failed) in %.3f s\n", n, ok, failed,
	    t);
	return failed ? 1 : 0;
}

/* Throughput of text_from_html on news-shaped HTML (not a test).
 * cc -O2 -D_GNU_SOURCE -Isrc src/util.c src/post.c src/text.c \
 *     bench/text_speed.c -o /tmp/text_speed && /tmp/text_speed */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "post.h"
#include "text.h"
#include "util.h"

static const char item[] =
    "<h4>SEND Information Roadshows &ndash; November 2018</h4>\n"
    "<p>During November 2018 there were a series of information sessions "
    "for parent carers of children and young people with Special "
    "Educational Needs and/or Disabilities (SEND).</p>\n"
    "<p>These sessions were a joint venture between <a href=\"/news/"
    "families-in-partnership\">Families in Partnership</a> and the "
    "<strong>SENDIASS</strong> service, and covered the Graduated "
    "Approach &amp; what support schools should be providing.</p>\n"
    "<ul>\n  <li>Overview of the Local Offer</li>\n  <li>Who Families in "
    "Partnership are &ndash; and how to join</li>\n  <li>How SENDIASS "
    "can help</li>\n</ul>\n"
    "<table><thead><tr><th>Venue</th><th>Date</th></tr></thead><tbody>"
    "<tr><td>Worcester</td><td>5 November</td></tr><tr><td>Redditch</td>"
    "<td>12 November</td></tr></tbody></table>\n"
    "<p><img src=\"/img/roadshow.jpg\" alt=\"Roadshow poster\"> Download: "
    "<a href=\"https://www.worcestershire.gov.uk/sites/default/files/"
    "roadshow.pdf\">SEND Roadshow Presentation November 2018</a></p>\n"
    "<p>Chris, Michele and Sally would like to thank everyone who "
    "attended across the county &ndash; we hope you found the "
    "information useful.&nbsp;</p>\n";

int
main(void)
{
	struct buf b = {0};
	struct timespec t0, t1;
	size_t total = 0, i, rounds = 20000;
	double secs;
	char *s;

	while (b.len < 64 * 1024)
		buf_puts(&b, item);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < rounds / 40; i++) {
		struct post p = {0};

		s = text_from_html(b.data, b.len, "https://www.worcestershire.gov.uk/news/", &p);
		total += b.len;
		free(s);
		post_free(&p);
	}
	/* And item-sized calls, as the feed parser makes them. */
	for (i = 0; i < rounds * 10; i++) {
		struct post p = {0};

		s = text_from_html(item, sizeof(item) - 1, "https://www.worcestershire.gov.uk/news/", &p);
		total += sizeof(item) - 1;
		free(s);
		post_free(&p);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%zu MB in %.3f s: %.0f MB/s\n", total >> 20, secs,
	    (double)total / 1e6 / secs);
	buf_free(&b);
	return 0;
}

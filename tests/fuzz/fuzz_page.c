/* libFuzzer target: the HTML page splitter.  The first byte picks the
 * options (a forced heading level, a content XPath, or neither) so every
 * path of page_parse is reached. */
#include <stddef.h>
#include <stdint.h>

#include "feed.h"
#include "page.h"
#include "post.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct postlist out = {0};
	struct feed_info info = {0};
	struct feed_opts opts = {0};
	char err[256];

	if (size > 0) {
		opts.heading = data[0] % 8;	/* 0: find it, 1..6 forced, 7: junk */
		if (data[0] & 0x80)
			opts.xpath = "//div[@id='content']";
		data++;
		size--;
	}
	feed_init();
	page_parse_info((const char *)data, size, "https://example.org/send/latest-news",
	    3, &opts, &out, &info, err, sizeof(err));
	feed_info_free(&info);
	postlist_free(&out);
	return 0;
}

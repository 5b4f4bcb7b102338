/* libFuzzer target: feed_parse_info on any body (RSS, RDF, Atom, and HTML
 * pages, which feed_parse hands to the page splitter after sniffing). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "feed.h"
#include "post.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct postlist out = {0};
	struct feed_info info = {0};
	struct feed_opts opts = {0};
	char err[256];

	feed_sniff((const char *)data, size);
	feed_parse_info((const char *)data, size, "https://example.org/news/feed.rss",
	    0, &opts, &out, &info, err, sizeof(err));
	feed_info_free(&info);
	postlist_free(&out);
	return 0;
}

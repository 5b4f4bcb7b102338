/* libFuzzer target: the OPML reader (import side). */
#include <stdint.h>
#include <string.h>

#include "feed.h"
#include "opml.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct opml_feeds l;
	struct buf warn = {0};
	char err[256];

	memset(&l, 0, sizeof(l));
	feed_init();
	opml_parse((const char *)data, size, &l, &warn, err, sizeof(err));
	opml_feeds_free(&l);
	buf_free(&warn);
	return 0;
}

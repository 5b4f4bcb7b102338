/* libFuzzer target: the feeds (urls) file parser and display names. */
#include <stdint.h>
#include <string.h>

#include "urls.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feedlist l;
	struct buf warn = {0};
	char err[256], tmp[256];
	size_t i;

	memset(&l, 0, sizeof(l));
	if (urls_parse(&l, (const char *)data, size, "/home/user/.config/sendnews",
	    &warn, err, sizeof(err)) == 0)
		for (i = 0; i < l.len; i++)
			urls_display_name(&l.v[i], tmp, sizeof(tmp));
	urls_free(&l);
	buf_free(&warn);
	return 0;
}

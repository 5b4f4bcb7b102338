/* libFuzzer target: the date parser (date_parse, date_find, date_format). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "date.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size), out[32];
	bool month;
	long long t;

	t = date_parse(s, &month);
	date_format(t, out);
	t = date_find(s, NULL);
	date_format(t, out);
	free(s);
	return 0;
}

/* libFuzzer target: HTML to text, entity decoding, URL resolution,
 * sanitising, ASCII folding, fitting and wrapping: everything text.c
 * does to untrusted strings. */
#include <stdlib.h>
#include <string.h>

#include "post.h"
#include "layout.h"
#include "text.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct post p = {0};
	struct buf b = {0};
	char *s, *t, *u;

	s = text_from_html((const char *)data, size, "https://example.org/a/b?c=d", &p);
	layout_wrap(&b, s, 1 + size % 100);
	buf_free(&b);
	layout_fit(&b, s, size % 40, size & 1);
	buf_free(&b);
	layout_width(s);
	t = text_to_ascii(s);
	free(t);
	free(s);
	post_free(&p);

	s = text_decode_entities((const char *)data, size);
	free(s);

	/* As NUL-terminated strings: sanitisers and the URL resolver. */
	s = xstrndup((const char *)data, size);
	text_has_markup(s);
	u = text_resolve_url("https://example.org/a/b/../c?x#y", s);
	free(u);
	u = text_resolve_url(s, "../x/./y?z");
	free(u);
	t = xstrdup(s);
	text_sanitize(t);
	free(t);
	text_sanitize_line(s);
	free(s);
	return 0;
}

#include "term.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "util.h"

/* Any C0 control, DEL or C1 control (as UTF-8, C2 80 to C2 9F, or as a
 * stray byte), and malformed UTF-8 (which a terminal may read as C1). */
static bool
has_control(const char *s)
{
	char *c;
	bool bad;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return true;
	/* Whatever sanitising would change (invalid UTF-8 becomes U+FFFD,
	 * bidi and zero-width characters go) is refused too. */
	c = text_sanitize(xstrdup(s));
	bad = strcmp(c, s) != 0;
	free(c);
	return bad;
}

bool
term_url_ok(const char *url)
{
	size_t n;

	if (!url || !(n = strlen(url)) || n > TERM_MAX_URL)
		return false;
	return !strchr(url, ' ') && !has_control(url);
}

char *
term_osc52(const char *url)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)url;
	struct buf b = {0};
	size_t n, i;

	if (!term_url_ok(url))
		return NULL;
	n = strlen(url);
	buf_puts(&b, "\033]52;c;");
	for (i = 0; i + 2 < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];

		buf_putc(&b, b64[v >> 18 & 63]);
		buf_putc(&b, b64[v >> 12 & 63]);
		buf_putc(&b, b64[v >> 6 & 63]);
		buf_putc(&b, b64[v & 63]);
	}
	if (n - i == 1) {
		unsigned v = (unsigned)p[i] << 16;

		buf_putc(&b, b64[v >> 18 & 63]);
		buf_putc(&b, b64[v >> 12 & 63]);
		buf_puts(&b, "==");
	} else if (n - i == 2) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8;

		buf_putc(&b, b64[v >> 18 & 63]);
		buf_putc(&b, b64[v >> 12 & 63]);
		buf_putc(&b, b64[v >> 6 & 63]);
		buf_putc(&b, '=');
	}
	buf_putc(&b, '\a');
	return buf_steal(&b);
}

char *
term_osc8(const char *url, const char *text)
{
	struct buf b = {0};
	const unsigned char *p;

	if (!term_url_ok(url) || !text || has_control(text))
		return NULL;
	buf_puts(&b, "\033]8;;");
	for (p = (const unsigned char *)url; *p; p++) {
		if (*p > 0x20 && *p < 0x7f)
			buf_putc(&b, (char)*p);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	buf_puts(&b, "\033\\");
	buf_puts(&b, text);
	buf_puts(&b, "\033]8;;\033\\");
	return buf_steal(&b);
}

#include "layout.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "util.h"

/* Terminal layout of text that text.c has already made safe: widths in
 * columns, cutting to a width, wrapping paragraphs. */

/* True when the locale's multibyte encoding is UTF-8, so mbrtowc and
 * wcwidth can be trusted with our (always UTF-8) strings. */
static bool
locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return MB_CUR_MAX > 1 && cs && (!util_strncasecmp(cs, "UTF-8", 6) ||
	    !util_strncasecmp(cs, "UTF8", 5));
}

/* Width of the character at p and its length in *len.  Invalid bytes and
 * characters wcwidth does not know count as one column. */
static int
char_width(const char *p, size_t n, bool utf8, size_t *len)
{
	mbstate_t st;
	wchar_t wc;
	size_t r;
	int w;

	if ((unsigned char)*p < 0x80) {
		*len = 1;
		return 1;
	}
	if (!utf8) {
		/* Count code points: the lead byte and its continuations. */
		r = 1;
		while (r < n && ((unsigned char)p[r] & 0xc0) == 0x80 && r < 4)
			r++;
		*len = r;
		return 1;
	}
	memset(&st, 0, sizeof(st));
	r = mbrtowc(&wc, p, n, &st);
	if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
		*len = 1;
		return 1;
	}
	*len = r;
	w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

size_t
layout_width(const char *s)
{
	size_t n = strlen(s), w = 0, len;
	bool utf8 = locale_utf8();

	while (n) {
		w += (size_t)char_width(s, n, utf8, &len);
		s += len;
		n -= len;
	}
	return w;
}

/* layout_fit appends to out (it does not clear it first). */
size_t
layout_fit(struct buf *out, const char *s, size_t width, bool ascii)
{
	size_t n = strlen(s), used = 0, len, i, cut = 0, cutw = 0;
	bool utf8 = locale_utf8();
	int w;

	if (layout_width(s) <= width) {
		buf_append(out, s, n);
		return layout_width(s);
	}
	if (width == 0)
		return 0;
	/* Keep what fits in width - 1 columns, then the ellipsis. */
	for (i = 0; i < n; i += len) {
		w = char_width(s + i, n - i, utf8, &len);
		if (used + (size_t)w > width - 1)
			break;
		used += (size_t)w;
		cut = i + len;
		cutw = used;
	}
	buf_append(out, s, cut);
	if (ascii)
		buf_putc(out, '.');
	else
		buf_puts(out, "\xe2\x80\xa6");
	return cutw + 1;
}

/* Length of a list marker at the start of line ("- ", "12. "), or 0. */
static size_t
wrap_marker(const char *s, size_t n)
{
	size_t i = 0;

	if (n >= 2 && s[0] == '-' && s[1] == ' ')
		return 2;
	while (i < n && i < 4 && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i > 0 && i + 1 < n && s[i] == '.' && s[i + 1] == ' ')
		return i + 2;
	return 0;
}

/* Wraps one line (no '\n') into out. */
static void
wrap_line(struct buf *out, const char *s, size_t n, size_t width, bool utf8)
{
	size_t lead = 0, indent, col, i, j, ww, len, k;
	bool first_word = true;
	int w;

	while (lead < n && s[lead] == ' ')
		lead++;
	indent = lead + wrap_marker(s + lead, n - lead);
	if (indent >= width)
		indent = 0;
	/* The first line keeps its own leading spaces and marker. */
	col = 0;
	i = 0;
	if (indent) {
		buf_append(out, s, indent);
		col = indent;
		i = indent;
	} else {
		buf_append(out, s, lead);
		col = lead < width ? lead : 0;
		i = lead;
	}
	while (i < n) {
		while (i < n && s[i] == ' ')
			i++;
		if (i >= n)
			break;
		for (j = i, ww = 0; j < n && s[j] != ' '; j += len)
			ww += (size_t)char_width(s + j, n - j, utf8, &len);
		if (j > n)
			j = n;
		if (!first_word && col + 1 + ww <= width) {
			buf_putc(out, ' ');
			col++;
		} else if (!first_word) {
			buf_putc(out, '\n');
			buf_append(out, "                                ",
			    indent < 32 ? indent : 32);
			col = indent < 32 ? indent : 32;
		}
		first_word = false;
		/* A word longer than the line is broken where the line ends. */
		for (k = i; k < j; k += len) {
			w = char_width(s + k, n - k, utf8, &len);
			if (col + (size_t)w > width && col > indent) {
				buf_putc(out, '\n');
				buf_append(out, "                                ",
				    indent < 32 ? indent : 32);
				col = indent < 32 ? indent : 32;
			}
			buf_append(out, s + k, len);
			col += (size_t)w;
		}
		i = j;
	}
	buf_putc(out, '\n');
}

void
layout_wrap(struct buf *out, const char *text, size_t width)
{
	const char *nl;
	bool utf8 = locale_utf8();

	if (width == 0)
		width = 1;
	buf_grow(out, strlen(text) + 1);
	/* Terminated even when text is empty and nothing is appended. */
	out->data[out->len] = '\0';
	while (*text) {
		nl = strchr(text, '\n');
		if (!nl)
			nl = text + strlen(text);
		wrap_line(out, text, (size_t)(nl - text), width, utf8);
		text = *nl ? nl + 1 : nl;
	}
}

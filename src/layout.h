#ifndef LAYOUT_H
#define LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* Display width of the UTF-8 string s in terminal columns (wcwidth rules;
 * needs setlocale for non-ASCII, counts unknown characters as 1). */
size_t layout_width(const char *s);

/* Copies into out the longest prefix of s that fits in width columns; when
 * s is cut, the last column holds "…" (or "." when ascii is true).
 * Returns the number of columns used. */
size_t layout_fit(struct buf *out, const char *s, size_t width, bool ascii);

/* Wraps text to width columns: each input line is a paragraph, words are
 * kept whole where they fit, lines starting with "- " keep a hanging
 * indent.  Appends to out; each output line ends in '\n'. */
void layout_wrap(struct buf *out, const char *text, size_t width);

#endif

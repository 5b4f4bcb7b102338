#ifndef TEXT_H
#define TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct post;

/* Makes untrusted text safe for any terminal or stdout, in place:
 * invalid UTF-8 becomes U+FFFD; C0 controls except tab and newline, DEL,
 * C1 controls (U+0080-U+009F), bidi embeddings/overrides/isolates
 * (U+202A-U+202E, U+2066-U+2069), U+200E/U+200F, zero-width characters
 * (U+200B-U+200D, U+2060, U+FEFF) are removed; CR is removed.  The result is
 * never longer than the input.  Returns s. */
char *text_sanitize(char *s);

/* As text_sanitize, and also folds every run of white space (tab and
 * newline included) into one space and trims both ends: for titles, feed
 * names and other one-line fields.  Returns s. */
char *text_sanitize_line(char *s);

/* Turns an HTML fragment (already decoded from the feed: "&lt;p&gt;" in
 * XML arrives here as "<p>") into readable plain text in one pass:
 * block elements become paragraphs separated by a blank line, <br> a
 * newline, <li> "- " bullets (nested lists indented), headings their own
 * paragraph, table rows one line each as "Header: cell; Header: cell",
 * images their alt text or nothing; script, style, noscript, head and
 * template content dropped; entities decoded.  Each <a href> keeps its
 * text followed by " [n]" and the URL, made absolute against base (may be
 * NULL), is added to post p with post_add_link (p may be NULL: links are
 * then dropped).  Only http, https and mailto links are kept as references.
 * The result is sanitised; the caller frees it. */
char *text_from_html(const char *html, size_t len, const char *base,
    struct post *p);

/* Decodes HTML/XML character references and the HTML named entities that
 * feeds use, in one pass; returns a string the caller frees. */
char *text_decode_entities(const char *s, size_t len);

/* Resolves ref against base (RFC 3986); returns a string the caller frees.
 * Absolute refs are returned as they are; with no base, ref itself. */
char *text_resolve_url(const char *base, const char *ref);

/* True when s looks like it contains markup ("<" followed by a letter or
 * "/" or "!"). */
bool text_has_markup(const char *s);

/* Folds typographic punctuation to ASCII (’ to ', “ to ", – and — to -,
 * … to ..., non-breaking space to space) and anything else non-ASCII to
 * '?', for terminals whose locale is not UTF-8.  Returns a string the
 * caller frees. */
char *text_to_ascii(const char *s);

#endif

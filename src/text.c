#include "text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "post.h"
#include "util.h"

/*
 * Everything here runs on hostile input: a feed may hold any bytes.  The
 * rule for the whole file is that text leaving it has gone through the same
 * filter (cp_strip and text_sanitize), so no path can hand a terminal an
 * escape sequence, a C1 control or a bidi override.
 */

#define REPLACEMENT "\xef\xbf\xbd"

static bool
is_alpha(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Compares n bytes of s with the lower-case name, ignoring ASCII case. */
static bool
ascii_eq(const char *s, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 'A' && c <= 'Z')
			c |= 0x20;
		if (c != (unsigned char)name[i])
			return false;
	}
	return true;
}

/* True for code points that never reach a terminal: C0 controls other than
 * tab and newline, DEL, C1, bidi controls and zero-width characters. */
static bool
cp_strip(long c)
{
	if (c < 0x20)
		return c != '\t' && c != '\n';
	if (c < 0x7f)
		return false;
	if (c <= 0x9f)
		return true;
	if (c < 0x61c)
		return false;
	return c == 0x61c || (c >= 0x200b && c <= 0x200f) ||
	    (c >= 0x202a && c <= 0x202e) || c == 0x2060 ||
	    (c >= 0x2066 && c <= 0x2069) || c == 0xfeff;
}

/* Decodes one UTF-8 sequence at p (n > 0 bytes available).  Returns its
 * length and sets *cp; for invalid input returns 0 and sets *bad to the
 * length of the maximal ill-formed subpart (Unicode's "maximal subpart"
 * rule, at least 1), which rejects overlongs, surrogates and values past
 * U+10FFFF because their second byte is already out of range. */
static size_t
utf8_decode(const unsigned char *p, size_t n, long *cp, size_t *bad)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	size_t len, i;
	long v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		v = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		v = c & 0x07;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else {
		*bad = 1;
		return 0;
	}
	for (i = 1; i < len; i++) {
		if (i >= n || p[i] < lo || p[i] > hi) {
			*bad = i;
			return 0;
		}
		v = (v << 6) | (p[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = v;
	return len;
}

/* Writes c as UTF-8 into out (4 bytes room); returns the length. */
static size_t
utf8_encode(long c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/*
 * Invalid UTF-8 is replaced per maximal ill-formed subpart.  U+FFFD takes
 * three bytes, so it is written only when the bad subpart is at least three
 * bytes long; shorter subparts (a stray Latin-1 byte, a lone C0 80
 * overlong) become '?'.  That keeps the in-place rewrite from ever
 * overtaking the read position, and the result never longer than the
 * input.
 */
char *
text_sanitize(char *s)
{
	unsigned char *r = (unsigned char *)s, *w = r;
	size_t n = strlen(s), len, bad;
	const unsigned char *end = r + n;
	long c;

	/* Nothing moves until the first byte that needs work. */
	while (r < end && *r >= 0x20 && *r < 0x7f)
		r++;
	w = r;
	while (r < end) {
		if (*r >= 0x20 && *r < 0x7f) {
			unsigned char *q = r;

			while (q < end && *q >= 0x20 && *q < 0x7f)
				q++;
			if (w != r)
				memmove(w, r, (size_t)(q - r));
			w += q - r;
			r = q;
			continue;
		}
		len = utf8_decode(r, (size_t)(end - r), &c, &bad);
		if (len == 0) {
			if (bad >= 3) {
				memcpy(w, REPLACEMENT, 3);
				w += 3;
			} else {
				*w++ = '?';
			}
			r += bad;
			continue;
		}
		if (!cp_strip(c)) {
			memmove(w, r, len);
			w += len;
		}
		r += len;
	}
	*w = '\0';
	return s;
}

char *
text_sanitize_line(char *s)
{
	char *r, *w;
	bool space = false;

	text_sanitize(s);
	for (r = w = s; *r; r++) {
		if (*r == ' ' || *r == '\t' || *r == '\n') {
			space = w != s;
			continue;
		}
		if (space)
			*w++ = ' ';
		space = false;
		*w++ = *r;
	}
	*w = '\0';
	return s;
}

bool
text_has_markup(const char *s)
{
	for (s = strchr(s, '<'); s; s = strchr(s + 1, '<')) {
		unsigned char c = (unsigned char)s[1];

		if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
			return true;
		if (c == '/' || c == '!')
			return true;
	}
	return false;
}

/* Named entities, sorted by strcmp for the binary search below. */
static const struct entity {
	const char *name;
	long cp;
} entities[] = {
	{ "AElig", 0xc6 }, { "Aacute", 0xc1 }, { "Acirc", 0xc2 },
	{ "Agrave", 0xc0 }, { "Alpha", 0x391 }, { "Aring", 0xc5 },
	{ "Atilde", 0xc3 }, { "Auml", 0xc4 }, { "Ccedil", 0xc7 },
	{ "Dagger", 0x2021 }, { "ETH", 0xd0 }, { "Eacute", 0xc9 },
	{ "Ecirc", 0xca }, { "Egrave", 0xc8 }, { "Euml", 0xcb },
	{ "Iacute", 0xcd }, { "Icirc", 0xce }, { "Igrave", 0xcc },
	{ "Iuml", 0xcf }, { "NewLine", 0xa }, { "Ntilde", 0xd1 },
	{ "OElig", 0x152 }, { "Oacute", 0xd3 }, { "Ocirc", 0xd4 },
	{ "Ograve", 0xd2 }, { "Oslash", 0xd8 }, { "Otilde", 0xd5 },
	{ "Ouml", 0xd6 }, { "Prime", 0x2033 }, { "Scaron", 0x160 },
	{ "THORN", 0xde }, { "Tab", 0x9 }, { "Uacute", 0xda },
	{ "Ucirc", 0xdb }, { "Ugrave", 0xd9 }, { "Uuml", 0xdc },
	{ "Yacute", 0xdd }, { "Yuml", 0x178 }, { "aacute", 0xe1 },
	{ "acirc", 0xe2 }, { "acute", 0xb4 }, { "aelig", 0xe6 },
	{ "agrave", 0xe0 }, { "alpha", 0x3b1 }, { "amp", 0x26 },
	{ "apos", 0x27 }, { "aring", 0xe5 }, { "ast", 0x2a },
	{ "asymp", 0x2248 }, { "atilde", 0xe3 }, { "auml", 0xe4 },
	{ "bdquo", 0x201e }, { "beta", 0x3b2 }, { "brvbar", 0xa6 },
	{ "bsol", 0x5c }, { "bull", 0x2022 }, { "ccedil", 0xe7 },
	{ "cedil", 0xb8 }, { "cent", 0xa2 }, { "check", 0x2713 },
	{ "circ", 0x2c6 }, { "clubs", 0x2663 }, { "colon", 0x3a },
	{ "comma", 0x2c }, { "commat", 0x40 }, { "copy", 0xa9 },
	{ "curren", 0xa4 }, { "dagger", 0x2020 }, { "darr", 0x2193 },
	{ "dash", 0x2010 }, { "deg", 0xb0 }, { "delta", 0x3b4 },
	{ "diams", 0x2666 }, { "divide", 0xf7 }, { "dollar", 0x24 },
	{ "eacute", 0xe9 }, { "ecirc", 0xea }, { "egrave", 0xe8 },
	{ "ell", 0x2113 }, { "emsp", 0x2003 }, { "ensp", 0x2002 },
	{ "equals", 0x3d }, { "eth", 0xf0 }, { "euml", 0xeb },
	{ "euro", 0x20ac }, { "excl", 0x21 }, { "female", 0x2640 },
	{ "fnof", 0x192 }, { "frac12", 0xbd }, { "frac14", 0xbc },
	{ "frac34", 0xbe }, { "frasl", 0x2044 }, { "gamma", 0x3b3 },
	{ "ge", 0x2265 }, { "gt", 0x3e }, { "half", 0xbd },
	{ "harr", 0x2194 }, { "hearts", 0x2665 }, { "hellip", 0x2026 },
	{ "horbar", 0x2015 }, { "hyphen", 0x2010 }, { "iacute", 0xed },
	{ "icirc", 0xee }, { "iexcl", 0xa1 }, { "igrave", 0xec },
	{ "infin", 0x221e }, { "iquest", 0xbf }, { "iuml", 0xef },
	{ "laquo", 0xab }, { "larr", 0x2190 }, { "lcub", 0x7b },
	{ "ldquo", 0x201c }, { "le", 0x2264 }, { "lowbar", 0x5f },
	{ "loz", 0x25ca }, { "lpar", 0x28 }, { "lrm", 0x200e },
	{ "lsaquo", 0x2039 }, { "lsqb", 0x5b }, { "lsquo", 0x2018 },
	{ "lt", 0x3c }, { "macr", 0xaf }, { "male", 0x2642 },
	{ "mdash", 0x2014 }, { "micro", 0xb5 }, { "middot", 0xb7 },
	{ "minus", 0x2212 }, { "mu", 0x3bc }, { "nbhy", 0x2011 },
	{ "nbsp", 0xa0 }, { "ndash", 0x2013 }, { "ne", 0x2260 },
	{ "not", 0xac }, { "ntilde", 0xf1 }, { "num", 0x23 },
	{ "numero", 0x2116 }, { "oacute", 0xf3 }, { "ocirc", 0xf4 },
	{ "oelig", 0x153 }, { "ograve", 0xf2 }, { "oline", 0x203e },
	{ "omega", 0x3c9 }, { "ordf", 0xaa }, { "ordm", 0xba },
	{ "oslash", 0xf8 }, { "otilde", 0xf5 }, { "ouml", 0xf6 },
	{ "para", 0xb6 }, { "percnt", 0x25 }, { "period", 0x2e },
	{ "permil", 0x2030 }, { "pi", 0x3c0 }, { "plus", 0x2b },
	{ "plusmn", 0xb1 }, { "pound", 0xa3 }, { "prime", 0x2032 },
	{ "quest", 0x3f }, { "quot", 0x22 }, { "raquo", 0xbb },
	{ "rarr", 0x2192 }, { "rcub", 0x7d }, { "rdquo", 0x201d },
	{ "reg", 0xae }, { "rlm", 0x200f }, { "rpar", 0x29 },
	{ "rsaquo", 0x203a }, { "rsqb", 0x5d }, { "rsquo", 0x2019 },
	{ "sbquo", 0x201a }, { "scaron", 0x161 }, { "sdot", 0x22c5 },
	{ "sect", 0xa7 }, { "semi", 0x3b }, { "shy", 0xad },
	{ "sigma", 0x3c3 }, { "sol", 0x2f }, { "spades", 0x2660 },
	{ "star", 0x2606 }, { "starf", 0x2605 }, { "sup1", 0xb9 },
	{ "sup2", 0xb2 }, { "sup3", 0xb3 }, { "szlig", 0xdf },
	{ "thinsp", 0x2009 }, { "thorn", 0xfe }, { "tilde", 0x2dc },
	{ "times", 0xd7 }, { "trade", 0x2122 }, { "uacute", 0xfa },
	{ "uarr", 0x2191 }, { "ucirc", 0xfb }, { "ugrave", 0xf9 },
	{ "uml", 0xa8 }, { "uuml", 0xfc }, { "verbar", 0x7c },
	{ "yacute", 0xfd }, { "yen", 0xa5 }, { "yuml", 0xff },
	{ "zwj", 0x200d }, { "zwnj", 0x200c },
};

/* What the C1 range means in numeric references: browsers read &#150; as
 * Windows-1252, and feeds written on Windows rely on it.  0 marks the five
 * undefined slots, which decode to nothing. */
static const unsigned short cp1252[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
};

static int
entity_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct entity *)elem)->name);
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Reads the character reference at s (s[0] == '&', n bytes available).
 * Returns the bytes consumed, or 0 when s is a literal '&'.  *cp is the
 * code point, or -1 when the reference stands for something that must not
 * be shown (a control, a bidi or zero-width character): such references
 * decode to nothing.  NUL, surrogates and values past U+10FFFF give U+FFFD.
 * Named references need their ';'; numeric ones may omit it, as in HTML.
 */
static size_t
entity_at(const char *s, size_t n, long *cp)
{
	char name[33];
	const struct entity *e;
	size_t i = 1, start;
	long v = 0;
	int d, base = 10;

	if (n > 1 && s[1] == '#') {
		i = 2;
		if (i < n && (s[i] | 0x20) == 'x') {
			base = 16;
			i++;
		}
		start = i;
		for (; i < n; i++) {
			d = base == 16 ? hexval((unsigned char)s[i]) :
			    (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
			if (d < 0)
				break;
			if (v <= 0x10ffff)
				v = v * base + d;
		}
		if (i == start)
			return 0;
		if (i < n && s[i] == ';')
			i++;
		if (v == 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
			v = 0xfffd;
		else if (v >= 0x80 && v <= 0x9f)
			v = cp1252[v - 0x80] ? cp1252[v - 0x80] : -1;
		*cp = v >= 0 && cp_strip(v) ? -1 : v;
		return i;
	}
	while (i < n && i < sizeof(name) && (is_alpha((unsigned char)s[i]) ||
	    (s[i] >= '0' && s[i] <= '9'))) {
		name[i - 1] = s[i];
		i++;
	}
	if (i == 1 || i >= n || s[i] != ';' || i >= sizeof(name))
		return 0;
	name[i - 1] = '\0';
	e = bsearch(name, entities, sizeof(entities) / sizeof(entities[0]),
	    sizeof(entities[0]), entity_cmp);
	if (!e)
		return 0;
	*cp = cp_strip(e->cp) ? -1 : e->cp;
	return i + 1;
}

char *
text_decode_entities(const char *s, size_t len)
{
	struct buf b = {0};
	const char *end = s + len, *amp;
	char u[4];
	size_t used;
	long cp;

	buf_grow(&b, len);
	while (s < end) {
		amp = memchr(s, '&', (size_t)(end - s));
		if (!amp) {
			buf_append(&b, s, (size_t)(end - s));
			break;
		}
		buf_append(&b, s, (size_t)(amp - s));
		used = entity_at(amp, (size_t)(end - amp), &cp);
		if (used == 0) {
			buf_putc(&b, '&');
			s = amp + 1;
			continue;
		}
		if (cp >= 0)
			buf_append(&b, u, utf8_encode(cp, u));
		s = amp + used;
	}
	return buf_steal(&b);
}

/* Length of the scheme at the start of s ("http" in "http://x"), or 0 when
 * s has none: RFC 3986 ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":". */
static size_t
url_scheme_len(const char *s)
{
	size_t i;

	if (!((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z'))
		return 0;
	for (i = 1; s[i]; i++) {
		char c = s[i];

		if (c == ':')
			return i;
		if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') &&
		    !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.')
			return 0;
	}
	return 0;
}

/* Appends path (n bytes) to out with "." and ".." segments removed
 * (RFC 3986 5.2.4); ".." never climbs above the root. */
static void
url_remove_dots(struct buf *out, const char *p, size_t n)
{
	size_t root = out->len, seg;
	const char *end = p + n;

	while (p < end) {
		size_t left = (size_t)(end - p);

		if (left >= 3 && !memcmp(p, "../", 3)) {
			p += 3;
		} else if (left >= 2 && !memcmp(p, "./", 2)) {
			p += 2;
		} else if (left >= 3 && !memcmp(p, "/./", 3)) {
			p += 2;
		} else if (left == 2 && !memcmp(p, "/.", 2)) {
			buf_putc(out, '/');
			p += 2;
		} else if ((left >= 4 && !memcmp(p, "/../", 4)) ||
		    (left == 3 && !memcmp(p, "/..", 3))) {
			while (out->len > root && out->data[out->len - 1] != '/')
				out->len--;
			if (out->len > root)
				out->len--;
			out->data[out->len] = '\0';
			if (left == 3) {
				buf_putc(out, '/');
				p += 3;
			} else {
				p += 3;
			}
		} else if ((left == 1 && *p == '.') ||
		    (left == 2 && !memcmp(p, "..", 2))) {
			p += left;
		} else {
			seg = 1;
			while (seg < left && p[seg] != '/')
				seg++;
			if (*p != '/') {
				seg = 0;
				while (seg < left && p[seg] != '/')
					seg++;
			}
			buf_append(out, p, seg);
			p += seg;
		}
	}
}

char *
text_resolve_url(const char *base, const char *ref)
{
	struct buf b = {0};
	const char *r, *rend, *auth, *path, *pend, *q, *last;
	size_t slen, rlen;

	/* Feeds pad links with white space and line breaks; trim them. */
	while (*ref == ' ' || *ref == '\t' || *ref == '\n' || *ref == '\r' ||
	    *ref == '\f')
		ref++;
	rend = ref + strlen(ref);
	while (rend > ref && (rend[-1] == ' ' || rend[-1] == '\t' ||
	    rend[-1] == '\n' || rend[-1] == '\r' || rend[-1] == '\f'))
		rend--;
	rlen = (size_t)(rend - ref);
	r = ref;
	if (!base || !(slen = url_scheme_len(base)) || url_scheme_len(r))
		return xstrndup(ref, rlen);

	/* Split base: scheme ":" ["//" authority] path ["?" query] ["#" frag] */
	auth = base + slen + 1;
	path = auth;
	if (auth[0] == '/' && auth[1] == '/') {
		path = auth + 2;
		while (*path && *path != '/' && *path != '?' && *path != '#')
			path++;
	}
	pend = path + strcspn(path, "?#");
	q = pend + strcspn(pend, "#");

	if (rlen >= 2 && r[0] == '/' && r[1] == '/') {
		buf_append(&b, base, slen + 1);
		buf_append(&b, r, rlen);
		return buf_steal(&b);
	}
	buf_append(&b, base, (size_t)(path - base));
	if (rlen == 0 || r[0] == '#') {
		buf_append(&b, path, (size_t)(q - path));
		buf_append(&b, r, rlen);
		return buf_steal(&b);
	}
	if (r[0] == '?') {
		buf_append(&b, path, (size_t)(pend - path));
		buf_append(&b, r, rlen);
		return buf_steal(&b);
	}
	/* The ref's own path ends at its query or fragment. */
	{
		size_t rp = 0, mlen;
		char *merged;
		struct buf m = {0};

		while (rp < rlen && r[rp] != '?' && r[rp] != '#')
			rp++;
		if (r[0] == '/') {
			buf_append(&m, r, rp);
		} else {
			if (path == pend && path != auth)
				buf_putc(&m, '/');
			for (last = pend; last > path && last[-1] != '/'; last--)
				;
			buf_append(&m, path, (size_t)(last - path));
			buf_append(&m, r, rp);
		}
		mlen = m.len;
		merged = buf_steal(&m);
		url_remove_dots(&b, merged, mlen);
		free(merged);
		buf_append(&b, r + rp, rlen - rp);
	}
	return buf_steal(&b);
}

/* How each element shapes the text. */
enum tag_kind {
	TAG_OTHER,      /* inline or unknown: no effect */
	TAG_A,
	TAG_IMG,
	TAG_BR,
	TAG_LINE,       /* block on its own line: div, section, dt ... */
	TAG_PARA,       /* block with a blank line around it: p, h1 ... */
	TAG_UL,
	TAG_OL,
	TAG_LI,
	TAG_PRE,
	TAG_TABLE,
	TAG_THEAD,
	TAG_TBODY,      /* tbody and tfoot */
	TAG_TR,
	TAG_TD,
	TAG_TH,
	TAG_SKIP,       /* content dropped up to the matching end tag */
	TAG_HEAD,
};

static const struct tag {
	const char *name;
	unsigned char len;
	unsigned char kind;
} tags[] = {
	{ "a", 1, TAG_A }, { "address", 7, TAG_PARA },
	{ "article", 7, TAG_LINE }, { "aside", 5, TAG_LINE },
	{ "blockquote", 10, TAG_PARA }, { "br", 2, TAG_BR },
	{ "caption", 7, TAG_LINE }, { "center", 6, TAG_LINE },
	{ "dd", 2, TAG_LINE }, { "details", 7, TAG_LINE },
	{ "div", 3, TAG_LINE }, { "dl", 2, TAG_PARA }, { "dt", 2, TAG_LINE },
	{ "fieldset", 8, TAG_PARA }, { "figcaption", 10, TAG_LINE },
	{ "figure", 6, TAG_PARA }, { "footer", 6, TAG_LINE },
	{ "form", 4, TAG_PARA }, { "h1", 2, TAG_PARA }, { "h2", 2, TAG_PARA },
	{ "h3", 2, TAG_PARA }, { "h4", 2, TAG_PARA }, { "h5", 2, TAG_PARA },
	{ "h6", 2, TAG_PARA }, { "head", 4, TAG_HEAD },
	{ "header", 6, TAG_LINE }, { "hr", 2, TAG_PARA },
	{ "iframe", 6, TAG_SKIP }, { "img", 3, TAG_IMG }, { "li", 2, TAG_LI },
	{ "main", 4, TAG_LINE }, { "math", 4, TAG_SKIP }, { "nav", 3, TAG_LINE },
	{ "noscript", 8, TAG_SKIP }, { "object", 6, TAG_SKIP },
	{ "ol", 2, TAG_OL }, { "p", 1, TAG_PARA }, { "pre", 3, TAG_PRE },
	{ "script", 6, TAG_SKIP }, { "section", 7, TAG_LINE },
	{ "select", 6, TAG_SKIP }, { "style", 5, TAG_SKIP },
	{ "summary", 7, TAG_LINE }, { "svg", 3, TAG_SKIP },
	{ "table", 5, TAG_TABLE }, { "tbody", 5, TAG_TBODY },
	{ "td", 2, TAG_TD }, { "template", 8, TAG_SKIP },
	{ "textarea", 8, TAG_SKIP }, { "tfoot", 5, TAG_TBODY },
	{ "th", 2, TAG_TH }, { "thead", 5, TAG_THEAD },
	{ "title", 5, TAG_SKIP }, { "tr", 2, TAG_TR }, { "ul", 2, TAG_UL },
};

/* tag_first[c - 'a'] .. tag_first[c - 'a' + 1]: the tags starting with c. */
_Static_assert(sizeof(tags) / sizeof(tags[0]) == 55,
    "tag_first must be regenerated when tags change");
static const unsigned char tag_first[27] = {
	0, 4, 6, 8, 13, 13, 18, 18, 27, 29, 29, 29, 30, 32,
	34, 36, 38, 38, 38, 44, 54, 55, 55, 55, 55, 55, 55,
};

#define LIST_MAX 8      /* deeper lists keep the indent of this depth */
#define CELL_MAX 32     /* table columns that get header labels */

/* The one-pass converter's state; lives on text_from_html's stack. */
struct html {
	struct buf out;
	struct buf tmp;         /* attribute values */
	const char *base;
	struct post *post;
	int brk;                /* pending line breaks, 0..2 */
	bool space;             /* pending space between words */
	bool plain;             /* input has no markup: newlines are kept */
	int pre;                /* <pre> depth */
	int list;               /* list depth */
	int num[LIST_MAX];      /* item counter per level; -1 for <ul> */
	char marker[16];        /* "- " or "12. " waiting for the item's text */
	char *href;             /* open link's absolute URL, or NULL */
	int table;              /* table depth; only the outermost is laid out */
	bool thead, row, cell, cell_th, cell_used, row_all_th;
	int ncell;              /* cells in the current row */
	int row_used;           /* cells of this row that printed something */
	size_t row_start;       /* out.len where the row began */
	int row_brk;
	bool row_space;
	size_t cell_beg[CELL_MAX], cell_end[CELL_MAX];
	bool have_head;
	int nhead;
	size_t head_off[CELL_MAX];
	struct buf head;        /* header cells, NUL-separated */
	int body_rows;
};

static void
html_break(struct html *h, int n)
{
	if (h->table && h->cell) {
		h->space = true;
		return;
	}
	if (h->list > 0 && n > 1)
		n = 1;
	if (h->brk < n)
		h->brk = n;
}

/* Writes what is pending before the next visible text: line breaks and
 * indent, a list marker, a table cell's separator and label, or a space. */
static void
html_flush(struct html *h)
{
	struct buf *o = &h->out;
	int level;

	if (h->brk && o->len) {
		size_t have = 0;

		/* Trailing spaces (from <pre> or an indent) go; newlines
		 * already there count towards the break. */
		while (o->len && (o->data[o->len - 1] == ' ' ||
		    o->data[o->len - 1] == '\t'))
			o->len--;
		while (have < o->len && have < 2 &&
		    o->data[o->len - 1 - have] == '\n')
			have++;
		if (o->len && (size_t)h->brk > have)
			buf_append(o, "\n\n", (size_t)h->brk - have);
		h->space = false;
		level = h->list < LIST_MAX ? h->list : LIST_MAX;
		if (level > 0) {
			if (h->marker[0])
				level--;
			buf_append(o, "                ", (size_t)level * 2);
		}
	} else if (!o->len) {
		h->space = false;
		if (h->marker[0] && h->list > 1) {
			level = h->list < LIST_MAX ? h->list : LIST_MAX;
			buf_append(o, "                ", (size_t)(level - 1) * 2);
		}
	}
	h->brk = 0;
	if (h->marker[0]) {
		buf_puts(o, h->marker);
		h->marker[0] = '\0';
		h->space = false;
	}
	if (h->cell && !h->cell_used) {
		if (h->row_used)
			buf_puts(o, "; ");
		else if (h->space && o->len && o->data[o->len - 1] != '\n')
			buf_putc(o, ' ');
		if (!h->cell_th && h->have_head && h->ncell < h->nhead &&
		    h->head.data[h->head_off[h->ncell]]) {
			buf_puts(o, h->head.data + h->head_off[h->ncell]);
			buf_puts(o, ": ");
		}
		h->space = false;
		h->cell_used = true;
		h->row_used++;
		if (h->ncell < CELL_MAX)
			h->cell_beg[h->ncell] = o->len;
	}
	if (h->space) {
		buf_putc(o, ' ');
		h->space = false;
	}
}

static void
html_text(struct html *h, const char *s, size_t n)
{
	html_flush(h);
	buf_append(&h->out, s, n);
}

static void
html_space(struct html *h)
{
	if (h->out.len || h->marker[0])
		h->space = true;
}

/* Adds url to the post unless it is there already; returns its number. */
static size_t
html_link_number(struct post *p, const char *url)
{
	size_t i;

	for (i = 0; i < p->nlinks; i++)
		if (!strcmp(p->links[i], url))
			return i + 1;
	return post_add_link(p, url);
}

static void
html_link_close(struct html *h)
{
	char ref[32];
	int n;

	if (!h->href)
		return;
	n = snprintf(ref, sizeof(ref), "[%zu]",
	    html_link_number(h->post, h->href));
	free(h->href);
	h->href = NULL;
	html_space(h);
	html_text(h, ref, (size_t)n);
}

/* Takes the decoded href in h->tmp and keeps it as the open link when it is
 * an http, https or mailto URL; javascript:, data:, fragment-only and
 * other links get no reference. */
static void
html_link_open(struct html *h)
{
	char *url, *r, *w;
	size_t n;

	html_link_close(h);
	if (!h->post || !h->tmp.len)
		return;
	/* Browsers drop tabs, newlines and controls inside URLs. */
	for (r = w = h->tmp.data; *r; r++)
		if ((unsigned char)*r >= 0x20 && *r != 0x7f)
			*w++ = *r;
	*w = '\0';
	h->tmp.len = (size_t)(w - h->tmp.data);
	r = h->tmp.data;
	while (*r == ' ')
		r++;
	if (*r == '#' || !*r)
		return;
	url = text_resolve_url(h->base, r);
	text_sanitize(url);
	n = url_scheme_len(url);
	if ((n == 4 && !util_strncasecmp(url, "http", 4)) ||
	    (n == 5 && !util_strncasecmp(url, "https", 5)) ||
	    (n == 6 && !util_strncasecmp(url, "mailto", 6)))
		h->href = url;
	else
		free(url);
}

static void
html_img(struct html *h)
{
	char *r, *w;
	bool sp = false;

	/* Collapse the alt text's white space; empty alt means decoration. */
	for (r = w = h->tmp.data; r && *r; r++) {
		if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
			sp = w != h->tmp.data;
			continue;
		}
		if (sp)
			*w++ = ' ';
		sp = false;
		*w++ = *r;
	}
	if (!r || w == h->tmp.data)
		return;
	*w = '\0';
	html_text(h, "[Image: ", 8);
	buf_append(&h->out, h->tmp.data, (size_t)(w - h->tmp.data));
	buf_putc(&h->out, ']');
}

static void
html_cell_close(struct html *h)
{
	if (!h->cell)
		return;
	if (h->cell_used && h->ncell < CELL_MAX)
		h->cell_end[h->ncell] = h->out.len;
	else if (h->ncell < CELL_MAX)
		h->cell_beg[h->ncell] = h->cell_end[h->ncell] = 0;
	h->ncell++;
	h->cell = false;
}

/* Ends a row of the outermost table.  The first row that is all <th> (or
 * sits in <thead>) becomes the header: its text is taken back out of the
 * output and used to label the cells of later rows. */
static void
html_row_close(struct html *h)
{
	int i, n;
	size_t b, e;

	if (!h->row)
		return;
	html_cell_close(h);
	h->row = false;
	if (!h->have_head && h->ncell > 0 && (h->thead || h->row_all_th)) {
		h->have_head = true;
		h->head.len = 0;
		n = h->ncell < CELL_MAX ? h->ncell : CELL_MAX;
		for (i = 0; i < n; i++) {
			b = h->cell_beg[i];
			e = h->cell_end[i];
			while (e > b && (h->out.data[e - 1] == ' ' ||
			    h->out.data[e - 1] == ':'))
				e--;
			h->head_off[i] = h->head.len;
			buf_append(&h->head, h->out.data + b, e - b);
			buf_putc(&h->head, '\0');
		}
		h->nhead = n;
		/* Nothing printed but the header row: no body rows used it. */
		h->out.len = h->row_start;
		if (h->out.data)
			h->out.data[h->out.len] = '\0';
		h->brk = h->row_brk;
		h->space = h->row_space;
	} else if (h->row_used) {
		h->body_rows++;
	}
	html_break(h, 1);
}

static void
html_row_open(struct html *h)
{
	html_row_close(h);
	html_break(h, 1);
	h->row = true;
	h->row_all_th = true;
	h->ncell = 0;
	h->row_used = 0;
	h->row_start = h->out.len;
	h->row_brk = h->brk;
	h->row_space = h->space;
}

static void
html_cell_open(struct html *h, bool th)
{
	if (!h->row)
		html_row_open(h);
	html_cell_close(h);
	h->cell = true;
	h->cell_th = th;
	h->cell_used = false;
	if (!th)
		h->row_all_th = false;
}

static void
html_table_close(struct html *h)
{
	int i;

	html_row_close(h);
	/* A table with only a header row still shows its header. */
	if (h->have_head && !h->body_rows) {
		for (i = 0; i < h->nhead; i++) {
			if (!h->head.data[h->head_off[i]])
				continue;
			html_text(h, i ? "; " : "", i ? 2 : 0);
			buf_puts(&h->out, h->head.data + h->head_off[i]);
		}
	}
	h->have_head = false;
	h->body_rows = 0;
	h->thead = false;
}

/* Finds "</name" (any case) at or after p; returns its start or NULL. */
static const char *
html_find_end(const char *p, const char *end, const char *name, size_t len)
{
	while ((p = memchr(p, '<', (size_t)(end - p)))) {
		if ((size_t)(end - p) >= len + 2 && p[1] == '/' &&
		    ascii_eq(p + 2, name, len)) {
			unsigned char c = (unsigned char)(p + 2 + len < end ?
			    p[2 + len] : '>');

			if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') &&
			    !(c >= '0' && c <= '9'))
				return p;
		}
		p++;
	}
	return NULL;
}

/* Appends the attribute value v (n bytes, entities decoded) to h->tmp. */
static void
html_attr_value(struct html *h, const char *v, size_t n)
{
	const char *end = v + n, *amp;
	char u[4];
	size_t used;
	long cp;

	h->tmp.len = 0;
	buf_grow(&h->tmp, n);
	h->tmp.data[0] = '\0';
	while (v < end) {
		amp = memchr(v, '&', (size_t)(end - v));
		if (!amp) {
			buf_append(&h->tmp, v, (size_t)(end - v));
			break;
		}
		buf_append(&h->tmp, v, (size_t)(amp - v));
		used = entity_at(amp, (size_t)(end - amp), &cp);
		if (!used) {
			buf_putc(&h->tmp, '&');
			v = amp + 1;
			continue;
		}
		if (cp >= 0)
			buf_append(&h->tmp, u, utf8_encode(cp, u));
		v = amp + used;
	}
}

/*
 * Scans the tag at p (p[0] == '<', followed by a letter or '/').  Returns
 * the position after its '>'; NULL when the tag never ends (the rest of
 * the input is then not text, as in a browser); p itself when the name is
 * not a tag name, so the '<' is text.  For <a> and <img> the
 * wanted attribute (href, alt) is decoded into h->tmp; *found says whether
 * it was there.
 */
static const char *
html_tag(struct html *h, const char *p, const char *end, const struct tag **tp,
    bool *close, bool *found)
{
	const char *lt = p, *name, *an, *v;
	const struct tag *t = NULL;
	size_t nlen, alen, vlen, i;
	const char *want = NULL;
	char q;

	p++;
	*close = *p == '/';
	if (*close)
		p++;
	name = p;
	while (p < end && (is_alpha((unsigned char)*p) || (*p >= '0' &&
	    *p <= '9') || *p == '-' || *p == ':' || *p == '_'))
		p++;
	nlen = (size_t)(p - name);
	/* "a<b, c" is text, not a tag: a name ends at space, '/' or '>'. */
	*tp = NULL;
	if (p < end && !is_space((unsigned char)*p) && *p != '>' && *p != '/')
		return lt;
	if (nlen && is_alpha((unsigned char)name[0])) {
		size_t c = (size_t)((name[0] | 0x20) - 'a');

		for (i = tag_first[c]; i < tag_first[c + 1]; i++) {
			if (tags[i].len == nlen &&
			    ascii_eq(name, tags[i].name, nlen)) {
				t = &tags[i];
				break;
			}
		}
	}
	*tp = t;
	*found = false;
	if (t && !*close && t->kind == TAG_A)
		want = "href";
	else if (t && !*close && t->kind == TAG_IMG)
		want = "alt";
	for (;;) {
		while (p < end && (is_space((unsigned char)*p) || *p == '/'))
			p++;
		if (p >= end)
			return NULL;
		if (*p == '>')
			return p + 1;
		an = p;
		while (p < end && !is_space((unsigned char)*p) && *p != '>' &&
		    *p != '=' && *p != '/')
			p++;
		alen = (size_t)(p - an);
		if (alen == 0)
			p++;
		while (p < end && is_space((unsigned char)*p))
			p++;
		if (p >= end || *p != '=')
			continue;
		p++;
		while (p < end && is_space((unsigned char)*p))
			p++;
		if (p < end && (*p == '"' || *p == '\'')) {
			q = *p++;
			v = p;
			p = memchr(p, q, (size_t)(end - p));
			if (!p)
				return NULL;
			vlen = (size_t)(p - v);
			p++;
		} else {
			v = p;
			while (p < end && !is_space((unsigned char)*p) &&
			    *p != '>')
				p++;
			vlen = (size_t)(p - v);
		}
		if (want && !*found && alen == strlen(want) &&
		    ascii_eq(an, want, alen)) {
			html_attr_value(h, v, vlen);
			*found = true;
		}
	}
}

/* Acts on one start or end tag. */
static void
html_element(struct html *h, const struct tag *t, bool close, bool found)
{
	switch (t->kind) {
	case TAG_A:
		if (close)
			html_link_close(h);
		else if (found)
			html_link_open(h);
		else
			html_link_close(h);
		break;
	case TAG_IMG:
		if (!close && found)
			html_img(h);
		break;
	case TAG_BR:
		if (h->table && h->cell)
			h->space = true;
		else if (h->brk < 2 && h->out.len)
			h->brk++;
		break;
	case TAG_LINE:
		html_break(h, 1);
		break;
	case TAG_PARA:
		html_break(h, 2);
		break;
	case TAG_UL:
	case TAG_OL:
		if (!close) {
			html_break(h, 2);
			if (h->list < LIST_MAX)
				h->num[h->list] = t->kind == TAG_OL ? 0 : -1;
			h->list++;
		} else if (h->list > 0) {
			h->list--;
			h->marker[0] = '\0';
			html_break(h, 2);
		}
		break;
	case TAG_LI:
		html_break(h, 1);
		if (close)
			break;
		if (h->list > 0 && h->list <= LIST_MAX &&
		    h->num[h->list - 1] >= 0)
			snprintf(h->marker, sizeof(h->marker), "%d. ",
			    ++h->num[h->list - 1]);
		else
			memcpy(h->marker, "- ", 3);
		break;
	case TAG_PRE:
		html_break(h, 2);
		if (!close)
			h->pre++;
		else if (h->pre > 0)
			h->pre--;
		break;
	case TAG_TABLE:
		if (!close) {
			if (h->table++ == 0) {
				html_break(h, 2);
				h->row = h->cell = false;
			} else {
				h->space = true;
			}
		} else if (h->table > 0) {
			if (h->table == 1) {
				html_table_close(h);
				h->table = 0;
				html_break(h, 2);
			} else {
				h->table--;
				h->space = true;
			}
		}
		break;
	case TAG_THEAD:
	case TAG_TBODY:
		if (h->table == 1)
			h->thead = t->kind == TAG_THEAD && !close;
		break;
	case TAG_TR:
		if (h->table != 1)
			h->space = true;
		else if (!close)
			html_row_open(h);
		else
			html_row_close(h);
		break;
	case TAG_TD:
	case TAG_TH:
		if (h->table != 1)
			h->space = true;
		else if (!close)
			html_cell_open(h, t->kind == TAG_TH);
		else
			html_cell_close(h);
		break;
	default:
		break;
	}
}

/* Handles white space: collapsed to one pending space, except inside <pre>
 * (kept) and in plain-text input (newlines kept as line breaks, a blank
 * line as a paragraph break). */
static const char *
html_white(struct html *h, const char *p, const char *end)
{
	int nl = 0;

	if (h->pre) {
		for (; p < end && is_space((unsigned char)*p); p++) {
			if (*p == '\n') {
				if (h->brk < 2 && h->out.len)
					h->brk++;
			} else if (*p != '\r') {
				html_text(h, p, 1);
			}
		}
		return p;
	}
	for (; p < end && is_space((unsigned char)*p); p++)
		nl += *p == '\n';
	if (h->plain && nl)
		html_break(h, nl > 1 ? 2 : 1);
	else
		html_space(h);
	return p;
}

/* White space that came from a character reference or a raw NBSP: NBSP
 * collapses like a space (feeds pad empty paragraphs with it). */
static void
html_white_cp(struct html *h, long cp)
{
	if (h->pre && cp == '\n') {
		if (h->brk < 2 && h->out.len)
			h->brk++;
	} else if (h->pre) {
		html_text(h, cp == '\t' ? "\t" : " ", 1);
	} else if (h->plain && cp == '\n') {
		html_break(h, 1);
	} else {
		html_space(h);
	}
}

/* True when the n bytes at s hold markup (text_has_markup's rule). */
static bool
has_markup(const char *s, size_t n)
{
	const char *end = s + n;

	while ((s = memchr(s, '<', (size_t)(end - s))) && s + 1 < end) {
		if (is_alpha((unsigned char)s[1]) || s[1] == '/' || s[1] == '!')
			return true;
		s++;
	}
	return false;
}

/* Byte classes for the scanner: 0 plain text, copied in runs; 1 white
 * space; 2 '&'; 3 '<'; 4 other control; 5 lead byte of a sequence that may
 * be NBSP or an invisible character (C2, D8, E2, EF). */
enum { HC_PLAIN, HC_SPACE, HC_AMP, HC_LT, HC_CTRL, HC_LEAD };
static const unsigned char html_class[256] = {
	4, 4, 4, 4, 4, 4, 4, 4, 4, 1, 1, 4, 1, 1, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

char *
text_from_html(const char *html, size_t len, const char *base,
    struct post *p)
{
	struct html h;
	const char *s = html, *end = html + len, *run, *next;
	const struct tag *t;
	bool close, found;
	size_t used, n;
	long cp;
	char u[4];

	memset(&h, 0, sizeof(h));
	h.base = base;
	h.post = p;
	h.plain = !has_markup(html, len);
	buf_grow(&h.out, len / 2 + 16);
	while (s < end) {
		unsigned char c = (unsigned char)*s;

		if (!html_class[c]) {
			/* A lone space between words needs no collapsing, so
			 * it stays in the run: most text goes out in one
			 * append per line, not per word. */
			run = s;
			while (++s < end && (!html_class[(unsigned char)*s] ||
			    (*s == ' ' && !h.pre && s + 1 < end &&
			    !html_class[(unsigned char)s[1]])))
				;
			html_text(&h, run, (size_t)(s - run));
			continue;
		}
		if (is_space(c)) {
			s = html_white(&h, s, end);
			continue;
		}
		if (c == '&') {
			used = entity_at(s, (size_t)(end - s), &cp);
			if (!used) {
				html_text(&h, "&", 1);
				s++;
			} else {
				s += used;
				if (cp == ' ' || cp == '\t' || cp == '\n' ||
				    cp == 0xa0)
					html_white_cp(&h, cp);
				else if (cp >= 0)
					html_text(&h, u, utf8_encode(cp, u));
			}
			continue;
		}
		if (c == '<' && s + 1 < end && (is_alpha((unsigned char)s[1]) ||
		    (s[1] == '/' && s + 2 < end &&
		    is_alpha((unsigned char)s[2])))) {
			next = html_tag(&h, s, end, &t, &close, &found);
			if (next == s) {
				html_text(&h, "<", 1);
				s++;
				continue;
			}
			if (!next)
				break;
			s = next;
			if (!t)
				continue;
			if (t->kind == TAG_SKIP && !close) {
				next = html_find_end(s, end, t->name, t->len);
				s = next ? next : end;
			} else if (t->kind == TAG_HEAD && !close) {
				next = html_find_end(s, end, "head", 4);
				if (next)
					s = next;
			} else {
				html_element(&h, t, close, found);
			}
			continue;
		}
		if (c == '<' && s + 1 < end && (s[1] == '!' || s[1] == '?')) {
			/* Comments, doctype, CDATA leftovers, processing
			 * instructions: never text. */
			if (end - s >= 4 && !memcmp(s, "<!--", 4)) {
				next = memmem(s + 4, (size_t)(end - s - 4), "-->", 3);
				s = next ? next + 3 : end;
			} else {
				next = memchr(s, '>', (size_t)(end - s));
				s = next ? next + 1 : end;
			}
			continue;
		}
		if (c == '<') {
			html_text(&h, "<", 1);
			s++;
			continue;
		}
		/* Controls and the multi-byte sequences plain_byte flags:
		 * NBSP is white space; invisible and control characters go. */
		if (c < 0x80) {
			s++;
			continue;
		}
		n = utf8_decode((const unsigned char *)s, (size_t)(end - s),
		    &cp, &used);
		if (!n) {
			/* Replaced now, as text_sanitize would: left raw, a
			 * lone C2 could pair with a byte after a tag. */
			if (used >= 3)
				html_text(&h, REPLACEMENT, 3);
			else
				html_text(&h, "?", 1);
			s += used;
		} else if (cp == 0xa0) {
			html_white_cp(&h, cp);
			s += n;
		} else {
			if (!cp_strip(cp))
				html_text(&h, s, n);
			s += n;
		}
	}
	html_link_close(&h);
	if (h.table)
		html_table_close(&h);
	/* A <pre> line of spaces can leave breaks behind it: trim them. */
	while (h.out.len && (h.out.data[h.out.len - 1] == ' ' ||
	    h.out.data[h.out.len - 1] == '\t' ||
	    h.out.data[h.out.len - 1] == '\n'))
		h.out.len--;
	buf_free(&h.tmp);
	buf_free(&h.head);
	if (!h.out.data)
		return xstrdup("");
	h.out.data[h.out.len] = '\0';
	return text_sanitize(buf_steal(&h.out));
}

/* ASCII stand-ins for Latin-1 letters U+00C0-U+00FF, accents dropped. */
static const char latin1_ascii[] =
    "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTs"
    "aaaaaaaceeeeiiiidnooooo/ouuuuyty";

/* The ASCII spelling of code point c, or NULL for '?'. */
static const char *
ascii_fold(long c, char *one)
{
	switch (c) {
	case 0xa0: case 0x2002: case 0x2003: case 0x2009: return " ";
	case 0x2018: case 0x2019: case 0x201a: case 0x201b: case 0x2032:
	case 0xb4: return "'";
	case 0x201c: case 0x201d: case 0x201e: case 0x2033: case 0xab:
	case 0xbb: return "\"";
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
	case 0x2015: case 0x2212: case 0xad: return "-";
	case 0x2026: return "...";
	case 0x2022: case 0xb7: return "*";
	case 0xa3: return "GBP";
	case 0x20ac: return "EUR";
	case 0xa9: return "(c)";
	case 0xae: return "(R)";
	case 0x2122: return "(TM)";
	case 0xc6: return "AE";
	case 0xe6: return "ae";
	case 0xdf: return "ss";
	case 0x152: return "OE";
	case 0x153: return "oe";
	case 0xd7: return "x";
	case 0xbd: return "1/2";
	case 0xbc: return "1/4";
	case 0xbe: return "3/4";
	}
	if (c >= 0xc0 && c <= 0xff) {
		one[0] = latin1_ascii[c - 0xc0];
		one[1] = '\0';
		return one;
	}
	return NULL;
}

/* Beyond the header's list (typographic punctuation), £, €, © and accented
 * Latin-1 letters get readable ASCII too: "?1,085,665" helps nobody. */
char *
text_to_ascii(const char *s)
{
	struct buf b = {0};
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), len, bad;
	const unsigned char *end = p + n;
	const char *rep;
	char one[2];
	long c;

	buf_grow(&b, n);
	b.data[0] = '\0';
	while (p < end) {
		len = utf8_decode(p, (size_t)(end - p), &c, &bad);
		if (!len) {
			buf_putc(&b, '?');
			p += bad;
			continue;
		}
		p += len;
		if (cp_strip(c))
			continue;
		if (c < 0x80)
			buf_putc(&b, (char)c);
		else if ((rep = ascii_fold(c, one)))
			buf_puts(&b, rep);
		else
			buf_putc(&b, '?');
	}
	return buf_steal(&b);
}

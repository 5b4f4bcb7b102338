#include "feed.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

#include "date.h"
#include "page.h"
#include "post.h"
#include "text.h"
#include "util.h"

#define NS_RSS10 "http://purl.org/rss/1.0/"
#define NS_RSS090 "http://my.netscape.com/rdf/simple/0.9/"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_ATOM "http://www.w3.org/2005/Atom"
#define NS_ATOM03 "http://purl.org/atom/ns#"

/* Options for every XML parse: never NOENT, DTDLOAD, DTDATTR, DTDVALID,
 * XINCLUDE or HUGE (see notes/security.md). */
#define FEED_XML_OPTIONS (XML_PARSE_RECOVER | XML_PARSE_NONET | \
    XML_PARSE_NOWARNING | XML_PARSE_NOERROR | XML_PARSE_COMPACT)

/* How the text of a captured element is collected. */
enum capture {
	CAP_TEXT,       /* character data only; child tags are dropped */
	CAP_HTML,       /* escaped HTML: own text raw, child elements serialised */
	CAP_XHTML,      /* real XHTML children: everything serialised */
};

/* The item fields a parse collects. */
enum field {
	F_TITLE,
	F_LINK,
	F_GUID,
	F_PUBLISHED,    /* pubDate, published, issued */
	F_DCDATE,
	F_UPDATED,      /* updated, modified */
	F_SUMMARY,      /* description, summary */
	F_CONTENT,      /* content:encoded, atom:content */
	F_NFIELDS,
	F_NONE = -1,
};

/* Atom text constructs: type="text", "html" or "xhtml". */
enum atom_type {
	AT_TEXT,
	AT_HTML,
	AT_XHTML,
};

struct base_entry {
	int depth;      /* element that declared xml:base */
	char *uri;      /* absolute */
};

/* Turning an item's HTML into text, and finding its topics and deadline
 * (feed_opts.finish), is most of a parse's work, and each item's is its
 * own, so it runs beside the reader: items wait in a batch of up to
 * FEED_BATCH; a full batch goes to worker threads (util_work) while the
 * reader fills the next one, and the reader then helps finish it.  The
 * workers only touch their own copies of the posts (struct pending), which
 * go back into the list when the next batch is handed over, or at the
 * end: the list can grow and move meanwhile. */
#define FEED_BATCH 1024
#define FEED_BATCH_SHARE 64     /* fewest items worth a thread */

struct pending {
	size_t idx;     /* in out->v */
	char *html;
	size_t len;
	char *base;
	struct post post; /* the item, finished off to the side */
};

struct batch {
	struct pending *v;
	size_t len;
	const char *url;
	void (*finish)(const void *, struct post *);
	const void *finish_ctx;
	struct util_work work;
	bool running;
};

/* Everything one feed_parse call needs; nothing lives in file statics. */
struct parse {
	xmlTextReaderPtr reader;
	enum feed_format format;
	const char *url;
	size_t feed_index;
	struct postlist *out;
	int added;

	struct base_entry *bases;   /* xml:base stack */
	size_t nbases, capbases;

	int item_depth;             /* depth of the open item, or -1 */
	int field_depth;            /* where its fields are: item_depth + 1,
	                             * deeper after an unclosed <title> */
	int channel_depth;          /* depth of channel/feed, or -1 */
	struct buf f[F_NFIELDS];
	bool have[F_NFIELDS];
	enum atom_type type[F_NFIELDS];
	char *atom_link;            /* resolved rel=alternate href */
	char *content_base;         /* xml:base in effect at content */
	char *about;                /* RDF item rdf:about */
	bool guid_not_permalink;
	bool content_src;           /* atom:content points elsewhere */

	int cap_depth;              /* depth of the element being captured */
	enum field cap_field;
	enum capture cap_mode;
	struct buf *cap;            /* where captured text goes, or NULL */
	struct buf tmp;

	struct buf feed_title;
	enum atom_type feed_title_type;
	bool have_feed_title;
	struct buf feed_link;

	int fatal_code;             /* first fatal libxml2 error, or 0 */
	char fatal_msg[160];
	int fatal_line;

	struct pending *pend;       /* items waiting for their text */
	size_t npend;
	struct batch busy;          /* the batch a worker is finishing */
};

/* libxml2 must never print: the structured and generic handlers it falls
 * back on when a parse has none of its own both go nowhere. */
static void
feed_discard_error(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

static void
feed_discard_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* Every external load (DTDs, external entities, XInclude) goes through here
 * and is refused, whatever options a parse was given. */
static xmlParserInputPtr
feed_deny_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

void
feed_init(void)
{
	static bool done;   /* one-time set-up of libxml2's globals */

	if (done)
		return;
	done = true;
	xmlInitParser();
	xmlSetExternalEntityLoader(feed_deny_loader);
	xmlSetGenericErrorFunc(NULL, feed_discard_generic);
	xmlSetStructuredErrorFunc(NULL, feed_discard_error);
	/* Line numbers make the "broken at line N" message possible. */
	xmlLineNumbersDefault(1);
}

const char *
feed_format_name(enum feed_format f)
{
	switch (f) {
	case FEED_RSS:
		return "RSS";
	case FEED_RDF:
		return "RSS 1.0";
	case FEED_ATOM:
		return "Atom";
	case FEED_HTML:
		return "HTML page";
	case FEED_UNKNOWN:
		break;
	}
	return "unknown";
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == ':' || c == '-' ||
	    c == '.';
}

/* Skips white space, the XML declaration, processing instructions,
 * comments and a doctype; returns the offset of the first element (or of
 * whatever else comes first) and sets *doctype_html for <!doctype html>. */
static size_t
sniff_skip_prolog(const char *s, size_t len, bool *doctype_html)
{
	size_t i = 0;
	const char *e;

	*doctype_html = false;
	for (;;) {
		while (i < len && is_space(s[i]))
			i++;
		if (i + 1 >= len || s[i] != '<')
			return i;
		if (s[i + 1] == '?') {
			e = memmem(s + i, len - i, "?>", 2);
			if (!e)
				return len;
			i = (size_t)(e - s) + 2;
		} else if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			e = memmem(s + i + 4, len - i - 4, "-->", 3);
			if (!e)
				return len;
			i = (size_t)(e - s) + 3;
		} else if (len - i >= 9 &&
		    util_strncasecmp(s + i, "<!doctype", 9) == 0) {
			size_t j = i + 9;

			while (j < len && is_space(s[j]))
				j++;
			if (len - j >= 4 && util_strncasecmp(s + j, "html", 4) == 0 &&
			    (j + 4 == len || !is_name_char(s[j + 4])))
				*doctype_html = true;
			/* An internal subset may hold '>' inside its brackets. */
			while (j < len && s[j] != '>' && s[j] != '[')
				j++;
			if (j < len && s[j] == '[') {
				e = memmem(s + j, len - j, "]", 1);
				j = e ? (size_t)(e - s) : len;
				while (j < len && s[j] != '>')
					j++;
			}
			i = j < len ? j + 1 : len;
		} else
			return i;
	}
}

/* Copies the root element's name (after '<') into name. */
static void
sniff_root_name(const char *s, size_t len, char *name, size_t size)
{
	size_t n = 0;

	while (n < len && n + 1 < size && is_name_char(s[n])) {
		name[n] = s[n];
		n++;
	}
	name[n] = '\0';
}

static bool
sniff_is_html_tag(const char *name)
{
	static const char *const tags[] = {
		"html", "head", "body", "meta", "title", "link", "script",
		"style", "div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "main",
		"article", "section", "header", "nav", "table", "ul", "ol",
		"span", "a", "img", "form", "br", "center", "font", "b", "i",
	};
	size_t i;

	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (util_strncasecmp(name, tags[i], strlen(tags[i]) + 1) == 0)
			return true;
	return false;
}

/* The format of an ASCII-compatible body, from its root element: the
 * name alone for RSS and HTML, the name and namespace for RDF and Atom. */
static enum feed_format
sniff_ascii(const char *s, size_t len)
{
	char name[64];
	const char *local, *end;
	size_t i, window;
	bool doctype_html;

	i = sniff_skip_prolog(s, len, &doctype_html);
	if (doctype_html)
		return FEED_HTML;
	if (i >= len || s[i] != '<')
		return FEED_UNKNOWN;
	sniff_root_name(s + i + 1, len - i - 1, name, sizeof(name));
	local = strrchr(name, ':');
	local = local ? local + 1 : name;
	end = memchr(s + i, '>', len - i);
	window = end ? (size_t)(end - s) - i : len - i;
	if (util_strncasecmp(local, "rss", 4) == 0)
		return FEED_RSS;
	if (strcmp(local, "RDF") == 0) {
		/* The RSS 1.0 namespace is usually on the root, but may be
		 * declared further in: look a little way. */
		window = len - i < 65536 ? len - i : 65536;
		if (memmem(s + i, window, NS_RSS10, strlen(NS_RSS10)) ||
		    memmem(s + i, window, NS_RSS090, strlen(NS_RSS090)))
			return FEED_RDF;
		return FEED_UNKNOWN;
	}
	if (strcmp(local, "feed") == 0) {
		if (memmem(s + i, window, NS_ATOM, strlen(NS_ATOM)) ||
		    memmem(s + i, window, NS_ATOM03, strlen(NS_ATOM03)))
			return FEED_ATOM;
		return FEED_UNKNOWN;
	}
	if (local == name && sniff_is_html_tag(name))
		return FEED_HTML;
	return FEED_UNKNOWN;
}

/* A UTF-16 body is sniffed through an ASCII copy of its first bytes. */
static size_t
sniff_utf16_copy(const char *s, size_t len, char *out, size_t size)
{
	size_t i, n = 0;
	bool le = (unsigned char)s[0] == 0xff ||
	    (len > 1 && s[1] == '\0' && s[0] != '\0');

	for (i = 0; i + 1 < len && n + 1 < size; i += 2) {
		unsigned char lo = (unsigned char)(le ? s[i] : s[i + 1]);
		unsigned char hi = (unsigned char)(le ? s[i + 1] : s[i]);

		if ((lo == 0xff && hi == 0xfe) || (lo == 0xfe && hi == 0xff))
			continue;
		out[n++] = hi == 0 && lo < 0x80 ? (char)lo : '?';
	}
	out[n] = '\0';
	return n;
}

enum feed_format
feed_sniff(const char *body, size_t len)
{
	const unsigned char *u = (const unsigned char *)body;

	if (!body || len == 0)
		return FEED_UNKNOWN;
	if (len >= 2 && ((u[0] == 0xff && u[1] == 0xfe) ||
	    (u[0] == 0xfe && u[1] == 0xff) || (u[0] == '<' && u[1] == 0) ||
	    (u[0] == 0 && u[1] == '<'))) {
		char ascii[8192];
		size_t n = sniff_utf16_copy(body, len, ascii, sizeof(ascii));

		return sniff_ascii(ascii, n);
	}
	if (len >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf) {
		body += 3;
		len -= 3;
	}
	return sniff_ascii(body, len);
}

/* Says in words what a body that is not a feed looks like. */
static void
describe_not_feed(const char *body, size_t len, char *err, size_t errlen)
{
	char name[64];
	size_t i;
	bool doctype_html;

	if (len >= 3 && memcmp(body, "\xef\xbb\xbf", 3) == 0) {
		body += 3;
		len -= 3;
	}
	i = sniff_skip_prolog(body, len, &doctype_html);
	if (i >= len) {
		snprintf(err, errlen, "not a feed: the answer is empty");
		return;
	}
	if (body[i] == '{' || body[i] == '[') {
		snprintf(err, errlen, "not a feed: the answer is JSON");
		return;
	}
	if (body[i] != '<' || i + 1 >= len || !is_name_char(body[i + 1])) {
		snprintf(err, errlen, "not a feed: the answer is plain text");
		return;
	}
	sniff_root_name(body + i + 1, len - i - 1, name, sizeof(name));
	snprintf(err, errlen,
	    "not RSS, Atom or an HTML page (the document is <%s>)", name);
}

/* Keeps the first fatal error of a parse, to explain a parse that gave
 * nothing (a recovered error after some items is no failure). */
static void
feed_on_error(void *arg, xmlErrorPtr e)
{
	struct parse *ps = arg;

	if (!e || e->level != XML_ERR_FATAL || ps->fatal_code)
		return;
	ps->fatal_code = e->code;
	ps->fatal_line = e->line;
	snprintf(ps->fatal_msg, sizeof(ps->fatal_msg), "%s",
	    e->message ? e->message : "parse error");
	/* libxml2's messages end in a newline. */
	ps->fatal_msg[strcspn(ps->fatal_msg, "\n")] = '\0';
}

/* The base URI in effect: the innermost xml:base, else the document. */
static const char *
base_current(const struct parse *ps)
{
	return ps->nbases ? ps->bases[ps->nbases - 1].uri : ps->url;
}

/* Forgets the xml:base of elements at depth or deeper (closed, or
 * siblings of the element now starting). */
static void
base_pop(struct parse *ps, int depth)
{
	while (ps->nbases && ps->bases[ps->nbases - 1].depth >= depth)
		free(ps->bases[--ps->nbases].uri);
}

/* Appends the value of attribute a to out without expanding entity
 * references (xmlGetProp would, without bound): text children are copied,
 * references to HTML named entities decoded, other references dropped. */
static void
attr_value(xmlAttrPtr a, struct buf *out)
{
	xmlNodePtr c;

	for (c = a->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE && c->content) {
			buf_puts(out, (const char *)c->content);
		} else if (c->type == XML_ENTITY_REF_NODE && c->name) {
			char *ref = xasprintf("&%s;", (const char *)c->name);
			char *dec = text_decode_entities(ref, strlen(ref));

			if (strcmp(ref, dec) != 0)
				buf_puts(out, dec);
			free(ref);
			free(dec);
		}
	}
	if (!out->data)
		buf_puts(out, "");
}

/* Finds attribute name (in namespace ns, or in none when ns is NULL) on
 * the reader's current element and copies its value into out. */
static bool
attr_get(xmlNodePtr node, const char *name, const char *ns,
    struct buf *out)
{
	xmlAttrPtr a;

	if (!node || node->type != XML_ELEMENT_NODE)
		return false;
	for (a = node->properties; a; a = a->next) {
		if (strcmp((const char *)a->name, name) != 0)
			continue;
		if (ns ? !a->ns || strcmp((const char *)a->ns->href, ns) != 0
		    : a->ns != NULL)
			continue;
		out->len = 0;
		attr_value(a, out);
		return true;
	}
	return false;
}

/* Trims white space at both ends of b in place; returns b->data. */
static char *
buf_trim(struct buf *b)
{
	size_t s = 0;

	if (!b->data)
		buf_puts(b, "");
	while (b->len && is_space(b->data[b->len - 1]))
		b->len--;
	b->data[b->len] = '\0';
	while (s < b->len && is_space(b->data[s]))
		s++;
	if (s) {
		memmove(b->data, b->data + s, b->len - s + 1);
		b->len -= s;
	}
	return b->data;
}

static void
escape_into(struct buf *b, const char *s, bool quotes)
{
	const char *p = s;

	for (; *s; s++) {
		const char *rep = NULL;

		if (*s == '&')
			rep = "&amp;";
		else if (*s == '<')
			rep = "&lt;";
		else if (*s == '>')
			rep = "&gt;";
		else if (quotes && *s == '"')
			rep = "&quot;";
		if (rep) {
			buf_append(b, p, (size_t)(s - p));
			buf_puts(b, rep);
			p = s + 1;
		}
	}
	buf_append(b, p, (size_t)(s - p));
}

/* Serialises the start tag of a child element inside captured markup,
 * keeping only the attributes text_from_html reads. */
static void
capture_start_tag(struct parse *ps, xmlNodePtr node, bool empty)
{
	static const char *const keep[] = { "href", "alt", "src" };
	const char *name = (const char *)xmlTextReaderConstLocalName(ps->reader);
	size_t i;

	buf_putc(ps->cap, '<');
	buf_puts(ps->cap, name ? name : "span");
	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		if (!attr_get(node, keep[i], NULL, &ps->tmp))
			continue;
		buf_printf(ps->cap, " %s=\"", keep[i]);
		escape_into(ps->cap, ps->tmp.data, true);
		buf_putc(ps->cap, '"');
	}
	buf_puts(ps->cap, empty ? "/>" : ">");
}

/* Adds one node met inside a captured element to the capture. */
static void
capture_node(struct parse *ps, int type, int depth, xmlNodePtr node)
{
	const char *v;
	bool escape;

	switch (type) {
	case XML_READER_TYPE_ELEMENT:
		if (ps->cap_mode != CAP_TEXT)
			capture_start_tag(ps, node,
			    xmlTextReaderIsEmptyElement(ps->reader) == 1);
		break;
	case XML_READER_TYPE_END_ELEMENT:
		if (ps->cap_mode != CAP_TEXT) {
			v = (const char *)xmlTextReaderConstLocalName(ps->reader);
			buf_printf(ps->cap, "</%s>", v ? v : "span");
		}
		break;
	case XML_READER_TYPE_TEXT:
	case XML_READER_TYPE_CDATA:
	case XML_READER_TYPE_WHITESPACE:
	case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
		v = (const char *)xmlTextReaderConstValue(ps->reader);
		if (!v)
			break;
		/* Text directly inside an HTML field is escaped HTML already
		 * decoded once; text inside real child elements is text. */
		escape = ps->cap_mode == CAP_XHTML ||
		    (ps->cap_mode == CAP_HTML && depth > ps->cap_depth + 1);
		if (escape)
			escape_into(ps->cap, v, false);
		else
			buf_puts(ps->cap, v);
		break;
	case XML_READER_TYPE_ENTITY_REFERENCE:
		/* Never expanded: a known HTML entity (an undeclared &nbsp; in
		 * a feed with a doctype) stands for itself; others vanish. */
		v = (const char *)xmlTextReaderConstLocalName(ps->reader);
		if (v) {
			char *ref = xasprintf("&%s;", v);
			char *dec = text_decode_entities(ref, strlen(ref));

			if (strcmp(ref, dec) != 0)
				buf_puts(ps->cap, ps->cap_mode == CAP_TEXT ||
				    (ps->cap_mode == CAP_HTML &&
				    depth == ps->cap_depth + 1) ? dec : ref);
			free(ref);
			free(dec);
		}
		break;
	default:
		break;
	}
}

/* What an Atom text construct holds, from its type attribute. */
static enum atom_type
atom_type_of(struct parse *ps, xmlNodePtr node)
{
	const char *t;

	if (!attr_get(node, "type", NULL, &ps->tmp)) {
		/* Atom 0.3 said mode="escaped" for HTML. */
		if (attr_get(node, "mode", NULL, &ps->tmp) &&
		    strcmp(ps->tmp.data, "escaped") == 0)
			return AT_HTML;
		return AT_TEXT;
	}
	t = buf_trim(&ps->tmp);
	if (strcmp(t, "xhtml") == 0 || strstr(t, "xhtml") || strstr(t, "+xml"))
		return AT_XHTML;
	if (strcmp(t, "html") == 0 || strstr(t, "html"))
		return AT_HTML;
	return AT_TEXT;
}

/* Which item field an element is, given the feed's format. */
static enum field
field_of(enum feed_format fmt, const char *ns, const char *local)
{
	bool rss_ns = !ns || strcmp(ns, NS_RSS10) == 0 ||
	    strcmp(ns, NS_RSS090) == 0;
	bool atom_ns = ns && (strcmp(ns, NS_ATOM) == 0 ||
	    strcmp(ns, NS_ATOM03) == 0);

	if (ns && strcmp(ns, NS_CONTENT) == 0 && strcmp(local, "encoded") == 0)
		return F_CONTENT;
	if (ns && strcmp(ns, NS_DC) == 0 && strcmp(local, "date") == 0)
		return F_DCDATE;
	if (fmt == FEED_ATOM) {
		if (!atom_ns)
			return F_NONE;
		if (strcmp(local, "title") == 0)
			return F_TITLE;
		if (strcmp(local, "id") == 0)
			return F_GUID;
		if (strcmp(local, "published") == 0 ||
		    strcmp(local, "issued") == 0)
			return F_PUBLISHED;
		if (strcmp(local, "updated") == 0 ||
		    strcmp(local, "modified") == 0)
			return F_UPDATED;
		if (strcmp(local, "summary") == 0)
			return F_SUMMARY;
		if (strcmp(local, "content") == 0)
			return F_CONTENT;
		return F_NONE;
	}
	if (!rss_ns)
		return F_NONE;
	if (strcmp(local, "title") == 0)
		return F_TITLE;
	if (strcmp(local, "link") == 0)
		return F_LINK;
	if (strcmp(local, "guid") == 0)
		return F_GUID;
	if (strcmp(local, "pubDate") == 0)
		return F_PUBLISHED;
	if (strcmp(local, "description") == 0)
		return F_SUMMARY;
	return F_NONE;
}

/* Empties the item fields for the next item; buffers keep their memory,
 * which saves a malloc per field on big feeds. */
static void
item_reset(struct parse *ps)
{
	int i;

	for (i = 0; i < F_NFIELDS; i++) {
		ps->f[i].len = 0;
		if (ps->f[i].data)
			ps->f[i].data[0] = '\0';
		ps->have[i] = false;
		ps->type[i] = AT_TEXT;
	}
	free(ps->atom_link);
	free(ps->content_base);
	free(ps->about);
	ps->atom_link = ps->content_base = ps->about = NULL;
	ps->guid_not_permalink = false;
	ps->content_src = false;
}

/* Cuts s to at most max bytes without splitting a UTF-8 character. */
static void
cut_utf8(char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	s[n] = '\0';
}

/* Turns a captured title into one sanitised line: markup (escaped or real
 * child elements, like the council's "<h4>Title</h4>") becomes text. */
static char *
title_clean(const char *raw, size_t len, enum atom_type type, bool atom)
{
	char *t;

	if ((!atom || type != AT_TEXT) && text_has_markup(raw))
		t = text_from_html(raw, len, NULL, NULL);
	else if (!atom && strchr(raw, '&'))
		t = text_decode_entities(raw, len);   /* double-escaped */
	else
		t = xstrndup(raw, len);
	text_sanitize_line(t);
	cut_utf8(t, FEED_MAX_TITLE);
	return t;
}

/* A post with no title is named after the start of its text. */
static char *
title_from_text(const char *text)
{
	size_t n = strcspn(text, "\n");
	char *t;

	if (n > 80) {
		n = 80;
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
		t = xasprintf("%.*s...", (int)n, text);
	} else
		t = xstrndup(text, n);
	return text_sanitize_line(t);
}

/* Atom type="text": the characters as they are, trimmed and safe. */
static char *
plain_text(const char *s)
{
	struct buf b = {0};

	buf_puts(&b, s);
	buf_trim(&b);
	return text_sanitize(buf_steal(&b));
}

/* The last steps of an item, once its text is there. */
static void
item_done(struct post *p, const char *url)
{
	if (!p->title || !*p->title) {
		free(p->title);
		p->title = title_from_text(p->text);
	}
	post_finish(p, url);
}

static void
pending_one(void *ctx, size_t i)
{
	struct batch *b = ctx;
	struct pending *w = &b->v[i];

	w->post.text = text_from_html(w->html, w->len, w->base, &w->post);
	item_done(&w->post, b->url);
	if (b->finish)
		b->finish(b->finish_ctx, &w->post);
	free(w->html);
	free(w->base);
	w->html = w->base = NULL;
}

/* Finishes the batch with the workers and puts its posts in the list. */
static void
batch_join(struct parse *ps)
{
	struct batch *b = &ps->busy;
	size_t i;

	if (b->running)
		util_work_finish(&b->work);
	b->running = false;
	for (i = 0; i < b->len; i++)
		ps->out->v[b->v[i].idx] = b->v[i].post;
	b->len = 0;
}

/* Hands the waiting items to the workers, one thread fewer than there are
 * processors: the reader goes on to the next batch, and joins in on this
 * one when it has read that.  The last batch is finished here. */
static void
pending_flush(struct parse *ps, bool last)
{
	struct pending *v = ps->busy.v;

	batch_join(ps);
	if (!ps->npend)
		return;
	ps->busy.v = ps->pend;
	ps->busy.len = ps->npend;
	ps->busy.url = ps->url;
	ps->pend = v;
	ps->npend = 0;
	util_work_start(&ps->busy.work, ps->busy.len, FEED_BATCH_SHARE,
	    util_cpus() - 1, pending_one, &ps->busy);
	ps->busy.running = true;
	if (last)
		batch_join(ps);
}

/* Turns the fields of the item just closed into a post. */
static void
item_finish(struct parse *ps)
{
	bool atom = ps->format == FEED_ATOM;
	struct post *p;
	enum field body;
	const char *base, *raw;

	if ((size_t)ps->added >= FEED_MAX_ITEMS)
		return;
	/* An item with nothing in it (<item/>) is not worth a post. */
	if (!*buf_trim(&ps->f[F_TITLE]) && !*buf_trim(&ps->f[F_LINK]) &&
	    !*buf_trim(&ps->f[F_GUID]) && !*buf_trim(&ps->f[F_SUMMARY]) &&
	    !*buf_trim(&ps->f[F_CONTENT]) && !ps->atom_link && !ps->about)
		return;
	p = postlist_push(ps->out);
	ps->added++;
	p->feed = ps->feed_index;

	/* The link: Atom's alternate, RSS <link>, a permalink guid, or RDF's
	 * rdf:about, made absolute. */
	raw = buf_trim(&ps->f[F_LINK]);
	if (atom && ps->atom_link)
		p->link = xstrdup(ps->atom_link);
	else if (*raw)
		p->link = text_resolve_url(base_current(ps), raw);
	else if (ps->have[F_GUID] && !ps->guid_not_permalink &&
	    (strncmp(buf_trim(&ps->f[F_GUID]), "http://", 7) == 0 ||
	    strncmp(ps->f[F_GUID].data, "https://", 8) == 0))
		p->link = xstrdup(ps->f[F_GUID].data);
	else if (ps->about)
		p->link = text_resolve_url(base_current(ps), ps->about);
	else
		p->link = xstrdup("");
	text_sanitize_line(p->link);

	/* post_finish hashes the guid into the id: without one, the link. */
	raw = buf_trim(&ps->f[F_GUID]);
	if (*raw)
		p->guid = text_sanitize_line(xstrdup(raw));
	else if (*p->link)
		p->guid = xstrdup(p->link);

	/* First publication is what readers sort by; updated is a last
	 * resort. */
	if (ps->have[F_PUBLISHED])
		p->date = date_parse(buf_trim(&ps->f[F_PUBLISHED]), NULL);
	if (!p->date && ps->have[F_DCDATE])
		p->date = date_parse(buf_trim(&ps->f[F_DCDATE]), NULL);
	if (!p->date && ps->have[F_UPDATED])
		p->date = date_parse(buf_trim(&ps->f[F_UPDATED]), NULL);

	/* content:encoded or atom:content when it has something, else the
	 * description or summary. */
	body = F_SUMMARY;
	if (ps->have[F_CONTENT] && !ps->content_src &&
	    *buf_trim(&ps->f[F_CONTENT]))
		body = F_CONTENT;
	base = *p->link ? p->link : base_current(ps);
	if (atom && ps->content_base && body == F_CONTENT)
		base = ps->content_base;
	if (ps->have[F_TITLE])
		p->title = title_clean(ps->f[F_TITLE].data, ps->f[F_TITLE].len,
		    ps->type[F_TITLE], atom);
	if (ps->have[body] && !(atom && ps->type[body] == AT_TEXT)) {
		struct pending *w;

		if (!ps->pend)
			ps->pend = xreallocarray(NULL, FEED_BATCH, sizeof(*ps->pend));
		w = &ps->pend[ps->npend++];
		w->idx = (size_t)(p - ps->out->v);
		w->len = ps->f[body].len;
		w->html = buf_steal(&ps->f[body]);
		w->base = xstrdup(base);
		/* The worker's copy; the strings stay where they are. */
		w->post = *p;
		if (ps->npend == FEED_BATCH)
			pending_flush(ps, false);
		return;
	}
	p->text = ps->have[body] ? plain_text(ps->f[body].data) : xstrdup("");
	item_done(p, ps->url);
	if (ps->busy.finish)
		ps->busy.finish(ps->busy.finish_ctx, p);
}

/* Starts collecting the text of the element at depth into b. */
static void
capture_begin(struct parse *ps, struct buf *b, int depth, enum capture mode,
    enum field field)
{
	b->len = 0;
	buf_puts(b, "");
	ps->cap = b;
	ps->cap_depth = depth;
	ps->cap_mode = mode;
	ps->cap_field = field;
}

/* An element starts inside an item: decide whether to capture it. */
static void
item_element(struct parse *ps, const char *ns, const char *local, int depth,
    xmlNodePtr node)
{
	enum field f;
	enum capture mode = CAP_TEXT;

	f = field_of(ps->format, ns, local);
	if (ps->format == FEED_ATOM && ns && strcmp(local, "link") == 0 &&
	    (strcmp(ns, NS_ATOM) == 0 || strcmp(ns, NS_ATOM03) == 0)) {
		bool alt = !attr_get(node, "rel", NULL, &ps->tmp) ||
		    strcmp(buf_trim(&ps->tmp), "alternate") == 0;

		if (alt && !ps->atom_link &&
		    attr_get(node, "href", NULL, &ps->tmp) &&
		    *buf_trim(&ps->tmp))
			ps->atom_link = text_resolve_url(base_current(ps),
			    ps->tmp.data);
		return;
	}
	if (f == F_NONE || ps->have[f])
		return;
	ps->have[f] = true;
	if (f == F_GUID && ps->format != FEED_ATOM &&
	    attr_get(node, "isPermaLink", NULL, &ps->tmp) &&
	    strcmp(buf_trim(&ps->tmp), "false") == 0)
		ps->guid_not_permalink = true;
	if (ps->format == FEED_ATOM && (f == F_TITLE || f == F_SUMMARY ||
	    f == F_CONTENT)) {
		ps->type[f] = atom_type_of(ps, node);
		mode = ps->type[f] == AT_XHTML ? CAP_XHTML : ps->type[f] ==
		    AT_HTML ? CAP_HTML : CAP_TEXT;
		if (f == F_CONTENT) {
			ps->content_src = attr_get(node, "src", NULL, &ps->tmp);
			if (ps->nbases)
				ps->content_base = xstrdup(base_current(ps));
		}
	} else if (f == F_TITLE || f == F_SUMMARY || f == F_CONTENT) {
		mode = CAP_HTML;
	}
	if (xmlTextReaderIsEmptyElement(ps->reader) == 1) {
		ps->f[f].len = 0;
		buf_puts(&ps->f[f], "");
		return;
	}
	capture_begin(ps, &ps->f[f], depth, mode, f);
}

/* Whether an element is an RSS/RDF <item> or an Atom <entry>. */
static bool
is_item(const struct parse *ps, const char *ns, const char *local)
{
	if (ps->format == FEED_ATOM)
		return ns && strcmp(local, "entry") == 0 &&
		    (strcmp(ns, NS_ATOM) == 0 || strcmp(ns, NS_ATOM03) == 0);
	return strcmp(local, "item") == 0 && (!ns ||
	    strcmp(ns, NS_RSS10) == 0 || strcmp(ns, NS_RSS090) == 0);
}

/* An element starts outside any item. */
static void
outer_element(struct parse *ps, const char *ns, const char *local, int depth,
    xmlNodePtr node)
{
	bool atom_ns = ns && (strcmp(ns, NS_ATOM) == 0 ||
	    strcmp(ns, NS_ATOM03) == 0);
	bool rss_ns = !ns || strcmp(ns, NS_RSS10) == 0 ||
	    strcmp(ns, NS_RSS090) == 0;
	bool empty = xmlTextReaderIsEmptyElement(ps->reader) == 1;

	if (is_item(ps, ns, local)) {
		item_reset(ps);
		if (ps->format == FEED_RDF &&
		    attr_get(node, "about", "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
		    &ps->tmp) && *buf_trim(&ps->tmp))
			ps->about = xstrdup(ps->tmp.data);
		if (empty)
			item_finish(ps);
		else {
			ps->item_depth = depth;
			ps->field_depth = depth + 1;
		}
		return;
	}
	if (ps->channel_depth < 0) {
		if (ps->format == FEED_ATOM ? atom_ns && strcmp(local, "feed") == 0
		    : rss_ns && strcmp(local, "channel") == 0)
			ps->channel_depth = depth;
		return;
	}
	if (depth != ps->channel_depth + 1)
		return;
	if (strcmp(local, "title") == 0 && !ps->have_feed_title && !empty &&
	    (ps->format == FEED_ATOM ? atom_ns : rss_ns)) {
		ps->have_feed_title = true;
		ps->feed_title_type = ps->format == FEED_ATOM ?
		    atom_type_of(ps, node) : AT_HTML;
		capture_begin(ps, &ps->feed_title, depth,
		    ps->feed_title_type == AT_XHTML ? CAP_XHTML :
		    ps->feed_title_type == AT_HTML ? CAP_HTML : CAP_TEXT, F_NONE);
	} else if (ps->format == FEED_ATOM && atom_ns &&
	    strcmp(local, "link") == 0 && !ps->feed_link.len) {
		if ((!attr_get(node, "rel", NULL, &ps->tmp) ||
		    strcmp(buf_trim(&ps->tmp), "alternate") == 0) &&
		    attr_get(node, "href", NULL, &ps->tmp)) {
			char *u = text_resolve_url(base_current(ps),
			    buf_trim(&ps->tmp));

			buf_puts(&ps->feed_link, u);
			free(u);
		}
	} else if (ps->format != FEED_ATOM && rss_ns && !empty &&
	    strcmp(local, "link") == 0 && !ps->feed_link.len) {
		capture_begin(ps, &ps->feed_link, depth, CAP_TEXT, F_NONE);
	}
}

/* Handles one node from the reader. */
static void
parse_node(struct parse *ps)
{
	int type = xmlTextReaderNodeType(ps->reader);
	int depth = xmlTextReaderDepth(ps->reader);
	xmlNodePtr node;
	const char *ns, *local;
	bool swallowed = false;

	if (type == XML_READER_TYPE_ELEMENT) {
		/* The reader keeps the open element's node (and its
		 * attributes) until the next read. */
		node = xmlTextReaderCurrentNode(ps->reader);
		base_pop(ps, depth);
		if (node && node->properties &&
		    attr_get(node, "base", (const char *)XML_XML_NAMESPACE,
		    &ps->tmp)) {
			char *u = text_resolve_url(base_current(ps),
			    buf_trim(&ps->tmp));

			if (ps->nbases == ps->capbases) {
				ps->capbases = ps->capbases ? ps->capbases * 2 : 8;
				ps->bases = xreallocarray(ps->bases, ps->capbases,
				    sizeof(*ps->bases));
			}
			ps->bases[ps->nbases].depth = depth;
			ps->bases[ps->nbases++].uri = u;
		}
		ns = (const char *)xmlTextReaderConstNamespaceUri(ps->reader);
		local = (const char *)xmlTextReaderConstLocalName(ps->reader);
		if (ps->item_depth >= 0 && local && is_item(ps, ns, local)) {
			/* Recovery nests the item after an unclosed tag inside
			 * the one before: close that one first. */
			ps->cap = NULL;
			ps->item_depth = -1;
			item_finish(ps);
		} else if (ps->cap && local && ps->cap_field == F_TITLE &&
		    ps->item_depth >= 0 && ps->format != FEED_ATOM &&
		    field_of(ps->format, ns, local) != F_NONE) {
			/* An unclosed <title> swallowed the fields after it. */
			ps->cap = NULL;
			swallowed = true;
		} else if (ps->cap || !local) {
			if (ps->cap)
				capture_node(ps, type, depth, node);
			return;
		}
		if (ps->item_depth >= 0) {
			if (swallowed)
				ps->field_depth = depth;
			if (depth == ps->field_depth)
				item_element(ps, ns, local, depth, node);
		} else
			outer_element(ps, ns, local, depth, node);
		return;
	}
	if (type == XML_READER_TYPE_END_ELEMENT) {
		base_pop(ps, depth);
		if (ps->cap && depth == ps->cap_depth) {
			ps->cap = NULL;
			return;
		}
		if (ps->cap) {
			capture_node(ps, type, depth, NULL);
			return;
		}
		if (ps->item_depth >= 0 && depth == ps->item_depth) {
			ps->item_depth = -1;
			item_finish(ps);
		}
		return;
	}
	if (ps->cap && depth > ps->cap_depth)
		capture_node(ps, type, depth, NULL);
}

static void
parse_free(struct parse *ps)
{
	int i;

	base_pop(ps, -1);
	free(ps->bases);
	item_reset(ps);
	for (i = 0; i < F_NFIELDS; i++)
		buf_free(&ps->f[i]);
	buf_free(&ps->tmp);
	buf_free(&ps->feed_title);
	buf_free(&ps->feed_link);
	batch_join(ps);
	free(ps->pend);
	free(ps->busy.v);
	ps->pend = ps->busy.v = NULL;
}

/* Copies the channel title and link into info. */
static void
feed_fill_info(struct parse *ps, struct feed_info *info)
{
	if (ps->have_feed_title) {
		char *t = title_clean(ps->feed_title.data ? ps->feed_title.data :
		    "", ps->feed_title.len, ps->feed_title_type,
		    ps->format == FEED_ATOM);

		if (*t)
			info->title = t;
		else
			free(t);
	}
	if (ps->feed_link.len && *buf_trim(&ps->feed_link)) {
		info->link = ps->format == FEED_ATOM ?
		    xstrdup(ps->feed_link.data) :
		    text_resolve_url(ps->url, ps->feed_link.data);
		text_sanitize_line(info->link);
	}
}

static void
parse_init(struct parse *ps, enum feed_format fmt, const char *url,
    size_t feed_index, const struct feed_opts *opts, struct postlist *out)
{
	memset(ps, 0, sizeof(*ps));
	if (opts) {
		ps->busy.finish = opts->finish;
		ps->busy.finish_ctx = opts->finish_ctx;
	}
	ps->format = fmt;
	ps->url = url;
	ps->feed_index = feed_index;
	ps->out = out;
	ps->item_depth = -1;
	ps->channel_depth = -1;
}

/* Reads every node of reader (a streaming reader, or a walker over a
 * parsed document) into ps->out and frees the reader; returns
 * the reader's last status: 0 at the end, -1 when it stopped on an error. */
static int
feed_run(struct parse *ps, xmlTextReaderPtr reader, bool walker,
    struct feed_info *info)
{
	int r = 1;

	ps->reader = reader;
	/* A walker over a parsed document has no parser to report errors. */
	if (!walker)
		xmlTextReaderSetStructuredErrorHandler(reader, feed_on_error, ps);
	while ((size_t)ps->added < FEED_MAX_ITEMS &&
	    (r = xmlTextReaderRead(reader)) == 1)
		parse_node(ps);
	/* Reading stopped inside an item (a truncated or broken feed): keep
	 * it when it got far enough to be useful. */
	if (r != 1 && ps->item_depth >= 0 &&
	    (*buf_trim(&ps->f[F_TITLE]) || *buf_trim(&ps->f[F_LINK]) ||
	    ps->atom_link))
		item_finish(ps);
	pending_flush(ps, true);
	xmlFreeTextReader(reader);
	ps->reader = NULL;
	if (info)
		feed_fill_info(ps, info);
	parse_free(ps);
	return r < 0 ? -1 : 0;
}

/* The streaming reader gives up at the first well-formedness error (its
 * chunk included), where libxml2's recovering document parser goes on.
 * For a broken feed of a bounded size only, the document is parsed whole
 * and walked by the same code; its posts replace the streamed ones when
 * there are more of them. */
static void
feed_recover(const char *body, size_t len, const char *url,
    enum feed_format fmt, size_t feed_index, const struct feed_opts *opts,
    struct postlist *out, size_t first, struct feed_info *info)
{
	struct postlist alt = {0};
	struct feed_info alt_info;
	struct parse ps;
	xmlTextReaderPtr walker;
	xmlDocPtr doc;
	size_t i;

	doc = xmlReadMemory(body, (int)len, url, NULL, FEED_XML_OPTIONS);
	if (!doc)
		return;
	walker = xmlReaderWalker(doc);
	if (!walker) {
		xmlFreeDoc(doc);
		return;
	}
	memset(&alt_info, 0, sizeof(alt_info));
	parse_init(&ps, fmt, url, feed_index, opts, &alt);
	feed_run(&ps, walker, true, &alt_info);
	xmlFreeDoc(doc);
	if (alt.len > out->len - first) {
		for (i = first; i < out->len; i++)
			post_free(&out->v[i]);
		out->len = first;
		for (i = 0; i < alt.len; i++)
			*postlist_push(out) = alt.v[i];
		free(alt.v);
		if (info) {
			alt_info.format = info->format;
			feed_info_free(info);
			*info = alt_info;
		} else
			feed_info_free(&alt_info);
		return;
	}
	postlist_free(&alt);
	feed_info_free(&alt_info);
}

/* Streams an RSS, RDF or Atom document through the libxml2 reader. */
static int
feed_parse_xml(const char *body, size_t len, const char *url,
    enum feed_format fmt, size_t feed_index, const struct feed_opts *opts,
    struct postlist *out, struct feed_info *info, char *err, size_t errlen)
{
	struct parse ps;
	xmlTextReaderPtr reader;
	size_t first = out->len;
	int r;

	if (len > INT_MAX) {
		snprintf(err, errlen, "the feed is too large");
		return -1;
	}
	parse_init(&ps, fmt, url, feed_index, opts, out);
	/* No encoding given: the XML declaration (or UTF-8) decides, and
	 * libxml2 converts to UTF-8. */
	reader = xmlReaderForMemory(body, (int)len, url, NULL,
	    FEED_XML_OPTIONS);
	if (!reader) {
		snprintf(err, errlen, "the feed could not be read");
		return -1;
	}
	r = feed_run(&ps, reader, false, info);
	/* Entity loops and excessive depth stop libxml2 on purpose: no
	 * second try for those. */
	if (r < 0 && ps.fatal_code != XML_ERR_ENTITY_LOOP &&
	    ps.fatal_code != XML_ERR_INTERNAL_ERROR && len <= FEED_MAX_BODY)
		feed_recover(body, len, url, fmt, feed_index, opts, out, first,
		    info);
	if (r < 0 && out->len == first) {
		if (ps.fatal_code == XML_ERR_INTERNAL_ERROR &&
		    strstr(ps.fatal_msg, "depth"))
			snprintf(err, errlen, "the feed is nested too deeply "
			    "(more than %d levels)", 256);
		else if (ps.fatal_code == XML_ERR_ENTITY_LOOP)
			snprintf(err, errlen, "the feed was refused: its entities "
			    "expand without bound");
		else if (ps.fatal_code)
			snprintf(err, errlen, "the feed is broken at line %d: %s",
			    ps.fatal_line, ps.fatal_msg);
		else
			snprintf(err, errlen, "the feed could not be read");
		return -1;
	}
	return (int)(out->len - first);
}

/* Sniffs, then hands the body to the reader (feeds) or to page.c. */
int
feed_parse_info(const char *body, size_t len, const char *url,
    size_t feed_index, const struct feed_opts *opts, struct postlist *out,
    struct feed_info *info, char *err, size_t errlen)
{
	enum feed_format fmt;

	feed_init();
	if (errlen)
		err[0] = '\0';
	if (info)
		memset(info, 0, sizeof(*info));
	if (!url)
		url = "";
	fmt = feed_sniff(body, len);
	if (info)
		info->format = fmt;
	switch (fmt) {
	case FEED_HTML:
		return page_parse_info(body, len, url, feed_index, opts, out,
		    info, err, errlen);
	case FEED_RSS:
	case FEED_RDF:
	case FEED_ATOM:
		return feed_parse_xml(body, len, url, fmt, feed_index, opts, out,
		    info, err, errlen);
	case FEED_UNKNOWN:
		break;
	}
	describe_not_feed(body ? body : "", body ? len : 0, err, errlen);
	return -1;
}

int
feed_parse(const char *body, size_t len, const char *url,
    size_t feed_index, const struct feed_opts *opts, struct postlist *out,
    char *err, size_t errlen)
{
	return feed_parse_info(body, len, url, feed_index, opts, out, NULL,
	    err, errlen);
}

void
feed_info_free(struct feed_info *info)
{
	free(info->title);
	free(info->link);
	memset(info, 0, sizeof(*info));
}

#include "opml.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "feed.h"
#include "text.h"

/* No network, no DTD, no entity substitution; recover, since real OPML
 * files often carry a bare & in a URL. */
#define OPML_XML_OPTIONS (XML_PARSE_RECOVER | XML_PARSE_NONET | \
    XML_PARSE_NOWARNING | XML_PARSE_NOERROR | XML_PARSE_COMPACT)
#define OPML_MAX_FILE (4u << 20)
#define OPML_MAX_FEEDS 100000

static bool
opml_is_http(const char *u)
{
	return !util_strncasecmp(u, "http://", 7) || !util_strncasecmp(u, "https://", 8);
}

/* An attribute value as XML: the five specials escaped, and tab and
 * newline as references so a reader does not fold them. */
static void
opml_attr(struct buf *out, const char *name, const char *v)
{
	buf_printf(out, " %s=\"", name);
	for (; *v; v++) {
		switch (*v) {
		case '&': buf_puts(out, "&amp;"); break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		case '\t': buf_puts(out, "&#9;"); break;
		case '\n': buf_puts(out, "&#10;"); break;
		default:
			/* Other C0 controls may not appear in XML at all. */
			if ((unsigned char)*v >= 0x20)
				buf_putc(out, *v);
		}
	}
	buf_putc(out, '"');
}

void
opml_export(const struct feedlist *l, struct buf *out, struct buf *warn)
{
	size_t i, k;

	buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<opml version=\"2.0\" xmlns:sendnews=\"" OPML_NS "\">\n"
	    "  <head>\n    <title>sendnews feeds</title>\n  </head>\n  <body>\n");
	for (i = 0; i < l->len; i++) {
		const struct feedsrc *f = &l->v[i];
		/* The URL came from a file a person wrote: make it valid text. */
		char *url = text_sanitize_line(xstrdup(f->url));
		struct buf cat = {0};

		if (!opml_is_http(url)) {
			if (warn)
				buf_printf(warn, "not exported: %s: only http and https feeds go into OPML\n", url);
			free(url);
			continue;
		}
		buf_puts(out, "    <outline type=\"rss\"");
		opml_attr(out, "text", f->name && *f->name ? f->name : url);
		opml_attr(out, "title", f->name && *f->name ? f->name : url);
		opml_attr(out, "xmlUrl", url);
		/* OPML 2.0's category: comma-separated; a comma inside a tag
		 * cannot be told from a separator, so it becomes a space. */
		for (k = 0; k < f->ntags; k++) {
			const char *t;

			if (k)
				buf_putc(&cat, ',');
			for (t = f->tags[k]; *t; t++)
				buf_putc(&cat, *t == ',' ? ' ' : *t);
		}
		if (cat.len)
			opml_attr(out, "category", cat.data);
		if (f->type)
			opml_attr(out, "sendnews:type", f->type);
		if (f->opts.heading) {
			char h[8];

			snprintf(h, sizeof(h), "%d", f->opts.heading);
			opml_attr(out, "sendnews:heading", h);
		}
		if (f->opts.xpath)
			opml_attr(out, "sendnews:xpath", f->opts.xpath);
		buf_puts(out, "/>\n");
		buf_free(&cat);
		free(url);
	}
	buf_puts(out, "  </body>\n</opml>\n");
}

/* An attribute without namespace, its name compared without case
 * (xmlUrl is spelt xmlurl by some exporters).  Returns a sanitised
 * one-line string the caller frees, or NULL when absent. */
static char *
opml_get(xmlNodePtr node, const char *name)
{
	xmlAttrPtr a;

	for (a = node->properties; a; a = a->next) {
		if (a->ns || xmlStrcasecmp(a->name, (const xmlChar *)name))
			continue;
		{
			xmlChar *v = xmlNodeListGetString(node->doc, a->children, 1);
			char *s = text_sanitize_line(xstrdup(v ? (const char *)v : ""));

			xmlFree(v);
			return s;
		}
	}
	return NULL;
}

/* One of sendnews's own attributes (in OPML_NS), or NULL. */
static char *
opml_get_own(xmlNodePtr node, const char *name)
{
	xmlChar *v = xmlGetNsProp(node, (const xmlChar *)name, (const xmlChar *)OPML_NS);
	char *s;

	if (!v)
		return NULL;
	s = text_sanitize_line(xstrdup((const char *)v));
	xmlFree(v);
	return s;
}

static void
opml_add_tag(struct opml_feed *f, const char *tag)
{
	size_t i;

	/* ~, @ and ! open other kinds of words in a urls line. */
	tag += strspn(tag, "~@! \t");
	if (!*tag)
		return;
	for (i = 0; i < f->ntags; i++)
		if (!strcmp(f->tags[i], tag))
			return;
	f->tags = xreallocarray(f->tags, f->ntags + 1, sizeof(*f->tags));
	f->tags[f->ntags++] = xstrdup(tag);
}

/* Adds the comma-separated categories of an OPML 2.0 outline as tags;
 * "/a/b" paths keep their last part. */
static void
opml_add_categories(struct opml_feed *f, const char *cats)
{
	char *c = xstrdup(cats), *p, *next, *end, *slash;

	for (p = c; p; p = next) {
		if ((next = strchr(p, ',')))
			*next++ = '\0';
		if ((slash = strrchr(p, '/')))
			p = slash + 1;
		p += strspn(p, " ");
		for (end = p + strlen(p); end > p && end[-1] == ' '; end--)
			;
		*end = '\0';
		opml_add_tag(f, p);
	}
	free(c);
}

/* sendnews's own options from the outline, checked as the feeds file
 * would check them; returns "@type=page @heading=3" or NULL. */
static char *
opml_options(xmlNodePtr node)
{
	struct buf b = {0};
	char *type = opml_get_own(node, "type");
	char *heading = opml_get_own(node, "heading");
	char *xpath = opml_get_own(node, "xpath");

	if (type && (!strcmp(type, "page") || !strcmp(type, "feed")))
		buf_printf(&b, "@type=%s", type);
	if (heading && heading[0] >= '1' && heading[0] <= '6' && !heading[1])
		buf_printf(&b, "%s@heading=%s", b.len ? " " : "", heading);
	if (xpath && *xpath) {
		const char *s;

		/* A quoted word, as urls.c reads it. */
		buf_puts(&b, b.len ? " \"@xpath=" : "\"@xpath=");
		for (s = xpath; *s; s++) {
			if (*s == '"' || *s == '\\')
				buf_putc(&b, '\\');
			buf_putc(&b, *s);
		}
		buf_putc(&b, '"');
	}
	free(type);
	free(heading);
	free(xpath);
	return b.len ? buf_steal(&b) : NULL;
}

/* Whether two http(s) URLs are the same feed: scheme and host compared
 * without case, the rest exactly. */
static bool
opml_same_url(const char *a, const char *b)
{
	const char *ha = strstr(a, "://"), *hb = strstr(b, "://");
	size_t la, lb;

	if (!ha || !hb)
		return !strcmp(a, b);
	la = (size_t)(ha + 3 - a) + strcspn(ha + 3, "/?#");
	lb = (size_t)(hb + 3 - b) + strcspn(hb + 3, "/?#");
	return la == lb && !util_strncasecmp(a, b, la) && !strcmp(a + la, b + lb);
}

/* Walks the outlines below parent; folders holds the names of the
 * folders around them (nfolders of them, borrowed). */
static void
opml_walk(xmlNodePtr parent, const char **folders, size_t nfolders,
    struct opml_feeds *out, struct buf *warn)
{
	xmlNodePtr n;

	for (n = parent->children; n; n = n->next) {
		char *url, *text, *title, *cats;
		const char *name;
		struct opml_feed *f = NULL;
		size_t i;

		if (n->type != XML_ELEMENT_NODE || xmlStrcmp(n->name, (const xmlChar *)"outline"))
			continue;
		url = opml_get(n, "xmlUrl");
		text = opml_get(n, "text");
		title = opml_get(n, "title");
		/* text is what the user sees and edits; title is often the
		 * feed's own title (newsboat writes only title). */
		name = text && *text ? text : title && *title ? title : NULL;
		if (!url || !*url) {
			/* A folder: its name tags every feed inside. */
			const char **inner = xreallocarray(NULL, nfolders + 1, sizeof(*inner));

			if (nfolders)
				memcpy(inner, folders, nfolders * sizeof(*inner));
			if (name)
				inner[nfolders] = name;
			opml_walk(n, inner, nfolders + (name != NULL), out, warn);
			free(inner);
		} else if (!opml_is_http(url)) {
			if (warn)
				buf_printf(warn, "skipped: %.200s: only http and https feeds are imported\n", url);
		} else if (strpbrk(url, " \t\"")) {
			if (warn)
				buf_printf(warn, "skipped: %.200s: not a valid URL\n", url);
		} else {
			for (i = 0; i < out->len && !opml_same_url(out->v[i].url, url); i++)
				;
			if (i < out->len) {
				f = &out->v[i];
			} else if (out->len < OPML_MAX_FEEDS) {
				out->v = xreallocarray(out->v, out->len + 1, sizeof(*out->v));
				f = &out->v[out->len++];
				memset(f, 0, sizeof(*f));
				f->url = xstrdup(url);
				/* Export names an unnamed feed by its URL. */
				if (name && strcmp(name, url))
					f->name = xstrdup(name);
				f->options = opml_options(n);
			}
			if (f) {
				for (i = 0; i < nfolders; i++)
					opml_add_tag(f, folders[i]);
				if ((cats = opml_get(n, "category"))) {
					opml_add_categories(f, cats);
					free(cats);
				}
			}
		}
		free(url);
		free(text);
		free(title);
	}
}

int
opml_parse(const char *data, size_t len, struct opml_feeds *out,
    struct buf *warn, char *err, size_t errlen)
{
	xmlDocPtr doc;
	xmlNodePtr root, n;

	memset(out, 0, sizeof(*out));
	feed_init();
	if (len > OPML_MAX_FILE || len > INT_MAX) {
		snprintf(err, errlen, "too large for an OPML file");
		return -1;
	}
	doc = xmlReadMemory(data, (int)len, NULL, NULL, OPML_XML_OPTIONS);
	if (!doc || !(root = xmlDocGetRootElement(doc)) ||
	    xmlStrcmp(root->name, (const xmlChar *)"opml")) {
		snprintf(err, errlen, "not an OPML file");
		xmlFreeDoc(doc);
		return -1;
	}
	/* OPML has no use for entities; declaring them is an attack. */
	if (doc->intSubset && (doc->intSubset->entities || doc->intSubset->pentities)) {
		snprintf(err, errlen, "refused: the file declares XML entities");
		xmlFreeDoc(doc);
		return -1;
	}
	for (n = root->children; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && !xmlStrcmp(n->name, (const xmlChar *)"body"))
			opml_walk(n, NULL, 0, out, warn);
	xmlFreeDoc(doc);
	return 0;
}

void
opml_feeds_free(struct opml_feeds *l)
{
	size_t i, k;

	for (i = 0; i < l->len; i++) {
		struct opml_feed *f = &l->v[i];

		free(f->url);
		free(f->name);
		for (k = 0; k < f->ntags; k++)
			free(f->tags[k]);
		free(f->tags);
		free(f->options);
	}
	free(l->v);
	l->v = NULL;
	l->len = 0;
}

/* One word of a urls line: bare when it can be, else in double quotes
 * with \" and \\ escaped. */
static void
opml_word(struct buf *b, const char *prefix, const char *w)
{
	const char *s;

	if (!*prefix && !strpbrk(w, " \t\"\\") && *w != '#') {
		buf_puts(b, w);
		return;
	}
	buf_putc(b, '"');
	buf_puts(b, prefix);
	for (s = w; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

int
opml_import(const char *opml_path, const char *feeds_path,
    struct buf *warn, struct opml_stats *st, char *err, size_t errlen)
{
	struct opml_feeds in = {0};
	struct feedlist have = {0};
	struct buf text = {0};
	char *data = NULL, *old = NULL, real[PATH_MAX], why[512];
	const char *target = feeds_path;
	size_t len, oldlen = 0, i, k;
	int r = -1;

	memset(st, 0, sizeof(*st));
	if (util_read_file(opml_path, OPML_MAX_FILE, &data, &len, err, errlen) < 0)
		return -1;
	if (opml_parse(data, len, &in, warn, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s: %s", opml_path, why);
		goto out;
	}
	st->found = in.len;
	if (access(feeds_path, F_OK) == 0) {
		/* Write through a symlink to the file it names. */
		if (realpath(feeds_path, real))
			target = real;
		if (util_read_file(target, 4u << 20, &old, &oldlen, err, errlen) < 0)
			goto out;
		urls_parse(&have, old, oldlen, NULL, NULL, why, sizeof(why));
		buf_append(&text, old, oldlen);
		/* A last line without its newline gets one before ours. */
		if (oldlen && old[oldlen - 1] != '\n')
			buf_putc(&text, '\n');
	} else if (errno != ENOENT) {
		snprintf(err, errlen, "%s: %s", feeds_path, strerror(errno));
		goto out;
	}
	for (i = 0; i < in.len; i++) {
		const struct opml_feed *f = &in.v[i];

		for (k = 0; k < have.len && !opml_same_url(have.v[k].url, f->url); k++)
			;
		if (k < have.len) {
			st->present++;
			continue;
		}
		opml_word(&text, "", f->url);
		for (k = 0; k < f->ntags; k++) {
			buf_putc(&text, ' ');
			opml_word(&text, "", f->tags[k]);
		}
		if (f->name) {
			buf_putc(&text, ' ');
			opml_word(&text, "~", f->name);
		}
		if (f->options) {
			buf_putc(&text, ' ');
			buf_puts(&text, f->options);
		}
		buf_putc(&text, '\n');
		st->added++;
	}
	if (!st->added) {
		r = 0;
		goto out;
	}
	if (target == feeds_path && strchr(feeds_path, '/')) {
		char *dir = xstrdup(feeds_path);

		*strrchr(dir, '/') = '\0';
		if (*dir && util_mkdirs(dir, err, errlen) < 0) {
			free(dir);
			goto out;
		}
		free(dir);
	}
	r = util_write_file(target, text.data, text.len, err, errlen);
	if (r < 0)
		st->added = 0;
out:
	opml_feeds_free(&in);
	urls_free(&have);
	buf_free(&text);
	free(data);
	free(old);
	return r;
}

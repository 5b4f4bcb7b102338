#include "page.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "date.h"
#include "post.h"
#include "text.h"
#include "util.h"

#define PAGE_HTML_OPTIONS (HTML_PARSE_RECOVER | HTML_PARSE_NONET | \
    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING)

/* Cookie banners, breadcrumbs and the like are short; a class or id only
 * excludes an element whose text is shorter than this, so that a page
 * wrapper named "has-cookie-banner" does not hide the whole page. */
#define PAGE_NOISE_MAX_TEXT 3000

/* What a heading's words make it. */
enum hkind {
	HK_POST,        /* may start a post */
	HK_YEAR,        /* "2023", "News from 2023": archive grouping */
	HK_UPDATE,      /* "November update": part of the post above */
	HK_GENERIC,     /* "Supporting documents", "Was this page helpful?" */
};

struct heading {
	xmlNodePtr node;
	int level;              /* 1 to 6 */
	char *title;            /* sanitised, one line */
	enum hkind kind;
	size_t text_after;      /* bytes of text before the next heading */
};

/* State of one page_parse call. */
struct page {
	const char *url;
	xmlNodePtr root;        /* the main content */
	struct heading *h;
	size_t nh, caph;
	int split;              /* heading level that starts posts */
	char **guids;           /* hash set of the guids given so far (NULL: free) */
	size_t *gnext;          /* per guid: the last "-N" suffix tried on it */
	size_t nguids, capguids;
	char *time_attr;        /* first <time datetime> of the post */
};

static bool
name_is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->name &&
	    strcmp((const char *)n->name, name) == 0;
}

/* Returns 1 to 6 for h1 to h6, else 0. */
static int
heading_level(xmlNodePtr n)
{
	const char *s;

	if (n->type != XML_ELEMENT_NODE || !n->name)
		return 0;
	s = (const char *)n->name;
	if ((s[0] == 'h' || s[0] == 'H') && s[1] >= '1' && s[1] <= '6' &&
	    s[2] == '\0')
		return s[1] - '0';
	return 0;
}

/* Returns the attribute's value (a pointer into the tree) or NULL.  HTML
 * trees have no entity references, so the first text child is it. */
static const char *
attr(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a;

	if (n->type != XML_ELEMENT_NODE)
		return NULL;
	for (a = n->properties; a; a = a->next)
		if (a->name && strcmp((const char *)a->name, name) == 0)
			return a->children && a->children->content ?
			    (const char *)a->children->content : "";
	return NULL;
}

/* Bytes of text under n that are not white space. */
static size_t
text_size(xmlNodePtr n)
{
	size_t total = 0;
	const unsigned char *s;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		for (s = n->content; s && *s; s++)
			if (*s > ' ')
				total++;
		return total;
	}
	if (n->type != XML_ELEMENT_NODE || name_is(n, "script") ||
	    name_is(n, "style"))
		return 0;
	for (n = n->children; n; n = n->next)
		total += text_size(n);
	return total;
}

/* Whether n holds an element called name; counts h1-h4 on the way. */
static bool
has_descendant(xmlNodePtr n, const char *name, int *headings)
{
	bool found = false;

	for (n = n->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (heading_level(n) >= 1 && heading_level(n) <= 4)
			(*headings)++;
		if ((name && name_is(n, name)) || has_descendant(n, name, headings))
			found = true;
	}
	return found;
}

/* Class or id words of page furniture. */
static bool
noise_word(const char *v)
{
	return v && (util_strcasestr(v, "cookie") ||
	    util_strcasestr(v, "banner") || util_strcasestr(v, "breadcrumb") ||
	    util_strcasestr(v, "skip"));
}

/* Elements that are never part of a post: navigation, page furniture,
 * forms, scripts and the cookie banner. */
static bool
excluded(xmlNodePtr n)
{
	static const char *const never[] = {
		"nav", "aside", "script", "style", "noscript", "template", "svg",
		"iframe", "button", "select", "textarea", "input", "object",
		"head", "dialog",
	};
	const char *role;
	size_t i;
	xmlNodePtr a;
	int headings = 0;

	if (n->type != XML_ELEMENT_NODE || !n->name)
		return false;
	for (i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		if (name_is(n, never[i]))
			return true;
	if (attr(n, "hidden"))
		return true;
	role = attr(n, "role");
	if (role && (strcmp(role, "navigation") == 0 ||
	    strcmp(role, "banner") == 0 || strcmp(role, "contentinfo") == 0 ||
	    strcmp(role, "search") == 0 || strcmp(role, "complementary") == 0))
		return true;
	/* A header or footer is page furniture unless it belongs to an
	 * article or section (where it holds the item's own heading). */
	if (name_is(n, "header") || name_is(n, "footer")) {
		for (a = n->parent; a && a->type == XML_ELEMENT_NODE; a = a->parent)
			if (name_is(a, "article") || name_is(a, "section") ||
			    name_is(a, "main"))
				return false;
		return true;
	}
	/* Some CMSs wrap the whole page in a <form>. */
	if (name_is(n, "form"))
		return !has_descendant(n, "main", &headings) && headings < 3;
	if ((noise_word(attr(n, "class")) || noise_word(attr(n, "id"))) &&
	    text_size(n) < PAGE_NOISE_MAX_TEXT)
		return true;
	return false;
}

/* Appends the text under n (for headings and titles). */
static void
node_text(xmlNodePtr n, struct buf *b)
{
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content)
			buf_puts(b, (const char *)n->content);
		return;
	}
	if (n->type != XML_ELEMENT_NODE || excluded(n))
		return;
	if (name_is(n, "br"))
		buf_putc(b, ' ');
	for (n = n->children; n; n = n->next)
		node_text(n, b);
}

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

/* A heading's text as one sanitised line of at most FEED_MAX_TITLE. */
static char *
clean_title(xmlNodePtr n)
{
	struct buf b = {0};

	node_text(n, &b);
	buf_puts(&b, "");
	text_sanitize_line(b.data);
	cut_utf8(b.data, FEED_MAX_TITLE);
	return buf_steal(&b);
}

/* A year a council archive would group by. */
static bool
is_year(const char *w)
{
	int y;

	if (strlen(w) != 4 || strspn(w, "0123456789") != 4)
		return false;
	y = atoi(w);
	return y >= 1990 && y <= 2100;
}

static bool
is_month(const char *w)
{
	static const char *const months[] = {
		"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december",
		"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
		"oct", "nov", "dec",
	};
	size_t i;

	for (i = 0; i < sizeof(months) / sizeof(months[0]); i++)
		if (util_strncasecmp(w, months[i], strlen(months[i]) + 1) == 0)
			return true;
	return false;
}

static bool
word_in(const char *w, const char *const *list)
{
	for (; *list; list++)
		if (util_strncasecmp(w, *list, strlen(*list) + 1) == 0)
			return true;
	return false;
}

/* Sorts a heading by its words: only years (and filler such as "news
 * from") is an archive year; a month (and year) with "update" is an update
 * inside a post; a few stock section names are page furniture. */
static enum hkind
heading_kind(const char *title)
{
	static const char *const year_filler[] = {
		"news", "archive", "archived", "updates", "from", "in", "posts",
		"year", "the", "of", "stories", NULL,
	};
	static const char *const generic[] = {
		"supporting documents", "documents", "downloads", "download",
		"useful links", "useful link", "related links", "related pages",
		"related information", "related content", "related documents",
		"contact", "contact us", "contact details", "share this page",
		"share", "in this section", "on this page", "contents",
		"was this page helpful", "was this page helpful?", "feedback",
		"help us improve this website", "print this page", "cookies",
		"page contents", "tell us what you think", NULL,
	};
	char *copy = xstrdup(title), *w, *save = NULL;
	size_t years = 0, months = 0, updates = 0, filler = 0, other = 0;
	enum hkind kind = HK_POST;
	size_t n;

	n = strlen(copy);
	while (n && (copy[n - 1] == '.' || copy[n - 1] == ':' || copy[n - 1] == ' '))
		copy[--n] = '\0';
	if (word_in(copy, generic)) {
		free(copy);
		return HK_GENERIC;
	}
	for (w = strtok_r(copy, " \t,:;()-/", &save); w;
	    w = strtok_r(NULL, " \t,:;()-/", &save)) {
		if (is_year(w))
			years++;
		else if (is_month(w))
			months++;
		else if (util_strncasecmp(w, "update", 7) == 0 ||
		    util_strncasecmp(w, "updates", 8) == 0)
			updates++;
		else if (word_in(w, year_filler))
			filler++;
		else if (strcmp(w, "\xe2\x80\x93") && strcmp(w, "\xe2\x80\x94"))
			other++;    /* en and em dashes are not words */
	}
	if (!other && months && updates && !filler)
		kind = HK_UPDATE;
	else if (!other && (years || months))
		kind = HK_YEAR;     /* "2023", "News from 2023", "March 2023" */
	free(copy);
	return kind;
}

static void
headings_free(struct page *pg)
{
	size_t i;

	for (i = 0; i < pg->nh; i++)
		free(pg->h[i].title);
	free(pg->h);
	pg->h = NULL;
	pg->nh = pg->caph = 0;
}

/* Lists the headings under n in document order, and how much text
 * follows each before the next heading. */
static void
headings_collect(struct page *pg, xmlNodePtr n)
{
	struct heading *h;
	int level;

	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (pg->nh)
				pg->h[pg->nh - 1].text_after += text_size(n);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE || excluded(n))
			continue;
		level = heading_level(n);
		if (!level) {
			headings_collect(pg, n->children);
			continue;
		}
		if (pg->nh == pg->caph) {
			pg->caph = pg->caph ? pg->caph * 2 : 32;
			pg->h = xreallocarray(pg->h, pg->caph, sizeof(*pg->h));
		}
		h = &pg->h[pg->nh++];
		memset(h, 0, sizeof(*h));
		h->node = n;
		h->level = level;
		h->title = clean_title(n);
		h->kind = *h->title ? heading_kind(h->title) : HK_GENERIC;
	}
}

/* A heading qualifies to start a post when its words allow it and text of
 * its own follows (an update sub-heading's text counts as its own). */
static bool
heading_qualifies(const struct page *pg, size_t i)
{
	size_t text = pg->h[i].text_after, j;

	if (pg->h[i].kind != HK_POST)
		return false;
	for (j = i + 1; j < pg->nh && pg->h[j].kind == HK_UPDATE; j++)
		text += pg->h[j].text_after;
	return text > 0;
}

/* The highest of h2 to h4 with at least two qualifying headings, else
 * with one; 0 when none. */
static int
choose_level(const struct page *pg)
{
	size_t count[7] = {0}, i;
	int l;

	for (i = 0; i < pg->nh; i++)
		if (heading_qualifies(pg, i))
			count[pg->h[i].level]++;
	for (l = 2; l <= 4; l++)
		if (count[l] >= 2)
			return l;
	for (l = 2; l <= 4; l++)
		if (count[l] == 1)
			return l;
	return 0;
}

/* Whether a heading at this level ends the post before it. */
static bool
is_boundary(const struct page *pg, const struct heading *h)
{
	return h->level < pg->split ||
	    (h->level == pg->split && h->kind != HK_UPDATE);
}

/* Counts, in each element's _private, the boundary headings below it, so
 * that the split can walk into exactly the elements a boundary cuts. */
static void
mark_boundaries(struct page *pg)
{
	size_t i;
	xmlNodePtr a;

	for (i = 0; i < pg->nh; i++) {
		if (!is_boundary(pg, &pg->h[i]))
			continue;
		for (a = pg->h[i].node->parent; a && a != pg->root->parent;
		    a = a->parent)
			a->_private = (void *)((uintptr_t)a->_private + 1);
	}
}

static void
escape_into(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '&')
			buf_puts(b, "&amp;");
		else if (*s == '<')
			buf_puts(b, "&lt;");
		else if (*s == '>')
			buf_puts(b, "&gt;");
		else if (*s == '"')
			buf_puts(b, "&quot;");
		else
			buf_putc(b, *s);
	}
}

/* Elements with no end tag in HTML. */
static bool
is_void(xmlNodePtr n)
{
	static const char *const v[] = {
		"br", "img", "hr", "meta", "link", "wbr", "col", "area",
		"source", "track", "embed", "param", "base",
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (name_is(n, v[i]))
			return true;
	return false;
}

/* Writes n back out as HTML for text_from_html, without the page
 * furniture and keeping only the attributes it reads. */
static void
serialize(struct page *pg, xmlNodePtr n, struct buf *b)
{
	static const char *const keep[] = { "href", "alt", "src" };
	const char *v;
	xmlNodePtr c;
	size_t i;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content)
			escape_into(b, (const char *)n->content);
		return;
	}
	if (n->type != XML_ELEMENT_NODE || excluded(n))
		return;
	if (name_is(n, "time") && !pg->time_attr &&
	    (v = attr(n, "datetime")))
		pg->time_attr = xstrdup(v);
	buf_printf(b, "<%s", (const char *)n->name);
	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		if (!(v = attr(n, keep[i])))
			continue;
		buf_printf(b, " %s=\"", keep[i]);
		escape_into(b, v);
		buf_putc(b, '"');
	}
	buf_putc(b, '>');
	if (is_void(n))
		return;
	for (c = n->children; c; c = c->next)
		serialize(pg, c, b);
	buf_printf(b, "</%s>", (const char *)n->name);
}

/* Ids that can go into a URL fragment as they are. */
static bool
id_ok(const char *id)
{
	const unsigned char *s = (const unsigned char *)id;

	if (!id || !*id || strlen(id) > 200)
		return false;
	for (; *s; s++)
		if (*s <= ' ' || *s == '"' || *s == '#' || *s == '%' ||
		    *s == '<' || *s == '>' || *s == 0x7f)
			return false;
	return true;
}

/* The fragment that points at a post: the heading's id, an anchor in or
 * just before it, or the id of an element that holds this post only. */
static const char *
heading_anchor(const struct page *pg, xmlNodePtr h)
{
	xmlNodePtr c, a;
	const char *v;

	if (id_ok(v = attr(h, "id")))
		return v;
	for (c = h->children; c; c = c->next)
		if (name_is(c, "a") && (id_ok(v = attr(c, "id")) ||
		    id_ok(v = attr(c, "name"))))
			return v;
	for (c = h->prev; c && c->type == XML_TEXT_NODE; c = c->prev)
		;
	if (c && name_is(c, "a") && !c->children &&
	    (id_ok(v = attr(c, "id")) || id_ok(v = attr(c, "name"))))
		return v;
	for (a = h->parent; a && a != pg->root; a = a->parent) {
		if ((uintptr_t)a->_private != 1)
			break;
		if (id_ok(v = attr(a, "id")))
			return v;
	}
	return NULL;
}

/* A fragment made of the title's letters and digits, for a guid that does
 * not change when the post's text is edited. */
static char *
slug(const char *title)
{
	struct buf b = {0};
	const char *s;
	bool dash = false;

	for (s = title; *s && b.len < 80; s++) {
		char c = *s;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && b.len)
				buf_putc(&b, '-');
			buf_putc(&b, c);
			dash = false;
		} else
			dash = true;
	}
	if (!b.len)
		buf_printf(&b, "post-%012llx", (unsigned long long)
		    (util_hash(title, strlen(title), UTIL_HASH_SEED) &
		    0xffffffffffffULL));
	return buf_steal(&b);
}

/* The slot of guid s in the set, or the free slot where it would go. */
static size_t
guid_slot(const struct page *pg, const char *s)
{
	size_t mask = pg->capguids - 1;
	size_t i = (size_t)util_hash(s, strlen(s), UTIL_HASH_SEED) & mask;

	while (pg->guids[i] && strcmp(pg->guids[i], s) != 0)
		i = (i + 1) & mask;
	return i;
}

static void
guid_grow(struct page *pg)
{
	char **old = pg->guids;
	size_t *oldnext = pg->gnext, oldcap = pg->capguids, i, j;

	pg->capguids = oldcap ? oldcap * 2 : 64;
	pg->guids = xcalloc(pg->capguids, sizeof(*pg->guids));
	pg->gnext = xcalloc(pg->capguids, sizeof(*pg->gnext));
	for (i = 0; i < oldcap; i++)
		if (old[i]) {
			j = guid_slot(pg, old[i]);
			pg->guids[j] = old[i];
			pg->gnext[j] = oldnext[i];
		}
	free(old);
	free(oldnext);
}

/* Keeps guids unique on the page: a second "Update" becomes "update-2".
 * A hash set, and the next suffix kept per guid, so that a hostile page of
 * 50,000 headings all called "Update" costs linear time, not cubic. */
static char *
unique_guid(struct page *pg, char *guid)
{
	size_t base, slot, n;
	char *try;

	if ((pg->nguids + 1) * 2 >= pg->capguids)
		guid_grow(pg);
	base = guid_slot(pg, guid);
	if (!pg->guids[base]) {
		pg->guids[base] = xstrdup(guid);
		pg->nguids++;
		return guid;
	}
	n = pg->gnext[base] ? pg->gnext[base] : 1;
	for (;;) {
		try = xasprintf("%s-%zu", guid, ++n);
		slot = guid_slot(pg, try);
		if (!pg->guids[slot])
			break;
		free(try);
	}
	pg->gnext[base] = n;
	pg->guids[slot] = xstrdup(try);
	pg->nguids++;
	free(guid);
	return try;
}

/* The date from a "Published ..." line of the text. */
static long long
published_date(const char *text)
{
	const char *line = text, *end;
	char *copy;
	long long d;

	for (; *line; line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		while (*line == ' ' || *line == '-')
			line++;
		if (util_strncasecmp(line, "published", 9) != 0 &&
		    util_strncasecmp(line, "posted", 6) != 0 &&
		    util_strncasecmp(line, "date published", 14) != 0)
			continue;
		copy = xstrndup(line, (size_t)(end - line));
		d = date_find(copy, NULL);
		free(copy);
		if (d)
			return d;
	}
	return 0;
}

/* The page URL without its fragment. */
static char *
page_base(const char *url)
{
	return xstrndup(url, strcspn(url, "#"));
}

/* Turns a heading and the HTML gathered after it into a post.  The guid
 * never depends on the text: pages edit posts in place, and a changed
 * text must read as an update of the same post, not a new one. */
static void
post_make(struct page *pg, const struct heading *h, struct buf *html,
    size_t feed_index, struct postlist *out)
{
	struct post *p = postlist_push(out);
	const char *anchor = heading_anchor(pg, h->node);
	char *base = page_base(pg->url), *s;

	p->feed = feed_index;
	p->title = xstrdup(h->title);
	if (!html->data)
		buf_puts(html, "");
	p->text = text_from_html(html->data, html->len, pg->url, p);
	/* Links inside resolve against the page, not against the fragment. */
	if (anchor) {
		p->link = xasprintf("%s#%s", base, anchor);
		p->guid = unique_guid(pg, xstrdup(p->link));
	} else {
		p->link = xstrdup(pg->url);
		s = slug(h->title);
		p->guid = unique_guid(pg, xasprintf("%s#%s", base, s));
		free(s);
	}
	text_sanitize_line(p->link);
	text_sanitize_line(p->guid);
	/* The post's own "Published ..." line is the most precise date; a
	 * <time> element next; the heading ("... - November 2018") last. */
	p->date = published_date(p->text);
	if (!p->date && pg->time_attr)
		p->date = date_parse(pg->time_attr, NULL);
	if (!p->date)
		p->date = date_find(h->title, NULL);
	post_finish(p, pg->url);
	free(base);
}

/* The walk that splits the content: cur is the heading whose post is being
 * written, or NULL between posts (the intro, year headings). */
struct split {
	const struct heading *cur;
	struct buf html;
	size_t next;            /* index into pg->h of the next heading */
	size_t feed_index;
	struct postlist *out;
};

/* Closes the post being written, if any. */
static void
split_end(struct page *pg, struct split *sp)
{
	if (sp->cur)
		post_make(pg, sp->cur, &sp->html, sp->feed_index, sp->out);
	sp->cur = NULL;
	sp->html.len = 0;
	if (sp->html.data)
		sp->html.data[0] = '\0';
	free(pg->time_attr);
	pg->time_attr = NULL;
}

/* The heading record of node n.  The walk meets headings in document
 * order, the order of pg->h, so the search starts where the last one was
 * found (*hint): linear over a page, not quadratic in its headings. */
static const struct heading *
find_heading(const struct page *pg, xmlNodePtr n, size_t *hint)
{
	size_t i, k;

	for (k = 0; k < pg->nh; k++) {
		i = (*hint + k) % pg->nh;
		if (pg->h[i].node == n) {
			*hint = i + 1;
			return &pg->h[i];
		}
	}
	return NULL;
}

static void
split_walk(struct page *pg, struct split *sp, xmlNodePtr n)
{
	const struct heading *h;

	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE && excluded(n))
			continue;
		if (heading_level(n) && (h = find_heading(pg, n, &sp->next)) &&
		    is_boundary(pg, h)) {
			split_end(pg, sp);
			if (h->level == pg->split && h->kind == HK_POST)
				sp->cur = h;
			continue;
		}
		if (n->type == XML_ELEMENT_NODE && n->_private) {
			/* Cut by a boundary: walk in, keeping paragraphs apart. */
			if (sp->cur)
				buf_puts(&sp->html, "<div></div>");
			split_walk(pg, sp, n->children);
			if (sp->cur)
				buf_puts(&sp->html, "<div></div>");
			continue;
		}
		if (sp->cur)
			serialize(pg, n, &sp->html);
	}
}

/* The first element that matches, in document order, not looking inside
 * page furniture. */
static xmlNodePtr
find_element(xmlNodePtr n, bool (*match)(xmlNodePtr, const void *),
    const void *arg)
{
	xmlNodePtr r;

	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (match(n, arg))
			return n;
		if (!excluded(n) && (r = find_element(n->children, match, arg)))
			return r;
	}
	return NULL;
}

static bool
match_name(xmlNodePtr n, const void *arg)
{
	return name_is(n, arg);
}

static bool
match_role_main(xmlNodePtr n, const void *arg)
{
	const char *v = attr(n, "role");

	(void)arg;
	return v && strcmp(v, "main") == 0;
}

static bool
match_id(xmlNodePtr n, const void *arg)
{
	const char *v = attr(n, "id");

	return v && strcmp(v, arg) == 0;
}

static bool
match_class(xmlNodePtr n, const void *arg)
{
	const char *v = attr(n, "class"), *p;
	size_t len = strlen(arg);

	/* A whole class token, not a substring of one. */
	for (p = v; p && (p = strstr(p, arg)); p += len)
		if ((p == v || p[-1] == ' ') && (p[len] == '\0' || p[len] == ' '))
			return true;
	return false;
}

static size_t
count_elements(xmlNodePtr n, const char *name)
{
	size_t c = 0;

	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (name_is(n, name))
			c++;
		c += count_elements(n->children, name);
	}
	return c;
}

/* Bytes of text under n, leaving out page furniture. */
static size_t
content_size(xmlNodePtr n)
{
	size_t total = 0;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
		return text_size(n);
	if (n->type != XML_ELEMENT_NODE || excluded(n))
		return 0;
	for (n = n->children; n; n = n->next)
		total += content_size(n);
	return total;
}

/* The h2-h4 headings under n, outside page furniture. */
static size_t
count_headings(xmlNodePtr n)
{
	size_t c = 0;

	for (n = n->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || excluded(n))
			continue;
		if (heading_level(n) >= 2 && heading_level(n) <= 4)
			c++;
		else
			c += count_headings(n);
	}
	return c;
}

/* With no landmark, goes down from body while one child holds most of the
 * text and all the headings. */
static xmlNodePtr
best_block(xmlNodePtr n)
{
	xmlNodePtr c, best;
	size_t total, heads, size, best_size;

	for (;;) {
		total = content_size(n);
		heads = count_headings(n);
		best = NULL;
		best_size = 0;
		for (c = n->children; c; c = c->next) {
			if (c->type != XML_ELEMENT_NODE || excluded(c) ||
			    heading_level(c))
				continue;
			size = content_size(c);
			if (size > best_size) {
				best = c;
				best_size = size;
			}
		}
		if (!best || best_size * 10 < total * 7 ||
		    count_headings(best) < heads)
			return n;
		n = best;
	}
}

/* A landmark is only believed when it holds some of the page's text. */
static bool
root_ok(xmlNodePtr n, size_t page_text)
{
	size_t size;

	if (!n)
		return false;
	size = content_size(n);
	return size > 0 && (size * 5 >= page_text || size >= 500);
}

/* The element that holds the news: the XPath the user gave, else a
 * landmark (main, role=main, a content id or class, a lone article),
 * else the block that holds most of the text. */
static xmlNodePtr
find_root(xmlDocPtr doc, const struct feed_opts *opts, char *err,
    size_t errlen)
{
	static const char *const ids[] = {
		"main-content", "content", "main", "maincontent", "primary",
	};
	static const char *const classes[] = {
		"main-content", "content", "page-content",
	};
	xmlNodePtr html = xmlDocGetRootElement(doc), body, r;
	size_t page_text, i;

	if (opts && opts->xpath && *opts->xpath) {
		xmlXPathContextPtr x = xmlXPathNewContext(doc);
		xmlXPathObjectPtr o = x ? xmlXPathEvalExpression(
		    (const xmlChar *)opts->xpath, x) : NULL;

		r = NULL;
		if (o && o->type == XPATH_NODESET && o->nodesetval)
			for (i = 0; !r && i < (size_t)o->nodesetval->nodeNr; i++)
				if (o->nodesetval->nodeTab[i]->type ==
				    XML_ELEMENT_NODE)
					r = o->nodesetval->nodeTab[i];
		if (!o)
			snprintf(err, errlen, "the XPath %.200s is not valid",
			    opts->xpath);
		else if (!r)
			snprintf(err, errlen, "the XPath %.200s matches nothing "
			    "on the page", opts->xpath);
		xmlXPathFreeObject(o);
		xmlXPathFreeContext(x);
		return r;
	}
	body = html ? find_element(html, match_name, "body") : NULL;
	if (!body)
		body = html;
	if (!body)
		return NULL;
	page_text = content_size(body);
	r = find_element(body->children, match_name, "main");
	if (root_ok(r, page_text))
		return r;
	r = find_element(body->children, match_role_main, NULL);
	if (root_ok(r, page_text))
		return r;
	/* Common CMS names for the content column. */
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (root_ok(r = find_element(body->children, match_id, ids[i]),
		    page_text))
			return r;
	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (root_ok(r = find_element(body->children, match_class,
		    classes[i]), page_text))
			return r;
	if (count_elements(body->children, "article") == 1 &&
	    root_ok(r = find_element(body->children, match_name, "article"),
	    page_text))
		return r;
	return best_block(body);
}

/* Pages without a charset are read as UTF-8 when they are valid UTF-8
 * (libxml2 would assume Latin-1). */
static const char *
page_encoding(const char *body, size_t len)
{
	size_t n = len < 4096 ? len : 4096;
	const unsigned char *s = (const unsigned char *)body, *e = s + len;
	int follow;

	if (memmem(body, n, "charset", 7) || memmem(body, n, "CHARSET", 7) ||
	    memmem(body, n, "encoding=", 9))
		return NULL;
	while (s < e) {
		if (*s < 0x80) {
			s++;
			continue;
		}
		follow = (*s & 0xe0) == 0xc0 ? 1 : (*s & 0xf0) == 0xe0 ? 2 :
		    (*s & 0xf8) == 0xf0 ? 3 : -1;
		if (follow < 0 || e - s <= follow)
			return "windows-1252";
		for (s++; follow > 0; follow--, s++)
			if ((*s & 0xc0) != 0x80)
				return "windows-1252";
	}
	return "UTF-8";
}

/* The first element called name, page furniture included. */
static xmlNodePtr
find_any(xmlNodePtr n, const char *name)
{
	xmlNodePtr r;

	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (name_is(n, name))
			return n;
		if ((r = find_any(n->children, name)))
			return r;
	}
	return NULL;
}

/* The page's name for the feed list: <title>, else the first h1. */
static void
page_info(xmlDocPtr doc, const char *url, struct feed_info *info)
{
	xmlNodePtr html = xmlDocGetRootElement(doc), t;

	info->format = FEED_HTML;
	info->link = xstrdup(url);
	if (!html)
		return;
	t = find_any(html, "title");
	if (!t)
		t = find_any(html, "h1");
	if (t) {
		info->title = clean_title(t);
		if (!*info->title) {
			free(info->title);
			info->title = NULL;
		}
	}
}

/* One post for a single-article page: the h1 and its text, believed only
 * when the text carries a date ("Published Friday, 15th November 2019"). */
static int
single_article(struct page *pg, size_t feed_index, struct postlist *out)
{
	struct split sp;
	size_t i, before = out->len;

	for (i = 0; i < pg->nh; i++)
		if (pg->h[i].level == 1 && heading_qualifies(pg, i))
			break;
	if (i == pg->nh)
		return 0;
	pg->split = 1;
	mark_boundaries(pg);
	memset(&sp, 0, sizeof(sp));
	sp.feed_index = feed_index;
	sp.out = out;
	split_walk(pg, &sp, pg->root->children);
	split_end(pg, &sp);
	buf_free(&sp.html);
	/* Keep only what looks like an article: a dated post. */
	while (out->len > before && !out->v[out->len - 1].date)
		post_free(&out->v[--out->len]);
	return (int)(out->len - before);
}

static void
page_free(struct page *pg)
{
	size_t i;

	headings_free(pg);
	for (i = 0; i < pg->capguids; i++)
		free(pg->guids[i]);
	free(pg->guids);
	free(pg->gnext);
	free(pg->time_attr);
}

int
page_parse_info(const char *body, size_t len, const char *url,
    size_t feed_index, const struct feed_opts *opts, struct postlist *out,
    struct feed_info *info, char *err, size_t errlen)
{
	htmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	struct page pg;
	struct split sp;
	bool too_deep;
	int n = 0;
	size_t before = out->len, i;

	feed_init();
	if (errlen)
		err[0] = '\0';
	if (!url)
		url = "";
	if (len > FEED_MAX_BODY || len > INT_MAX) {
		snprintf(err, errlen, "the page is too large (more than %u MB)",
		    FEED_MAX_BODY / (1024 * 1024));
		return -1;
	}
	/* A context of our own, to read its last error after the parse. */
	ctxt = htmlNewParserCtxt();
	if (!ctxt)
		die("out of memory");
	doc = htmlCtxtReadMemory(ctxt, body, (int)len, url,
	    page_encoding(body, len), PAGE_HTML_OPTIONS);
	/* Past 256 levels libxml2 stops and returns what it had so far. */
	too_deep = ctxt->lastError.code == XML_ERR_INTERNAL_ERROR &&
	    ctxt->lastError.message &&
	    strstr(ctxt->lastError.message, "depth");
	htmlFreeParserCtxt(ctxt);
	if (info) {
		memset(info, 0, sizeof(*info));
		info->format = FEED_HTML;
		if (doc)
			page_info(doc, url, info);
	}
	memset(&pg, 0, sizeof(pg));
	pg.url = url;
	if (doc && !(pg.root = find_root(doc, opts, err, errlen)) && err[0]) {
		xmlFreeDoc(doc);
		return -1;
	}
	/* @heading= wins; else the level the headings themselves suggest. */
	if (pg.root) {
		headings_collect(&pg, pg.root->children);
		pg.split = opts && opts->heading >= 1 && opts->heading <= 6 ?
		    opts->heading : choose_level(&pg);
	}
	if (pg.split) {
		mark_boundaries(&pg);
		memset(&sp, 0, sizeof(sp));
		sp.feed_index = feed_index;
		sp.out = out;
		split_walk(&pg, &sp, pg.root->children);
		split_end(&pg, &sp);
		buf_free(&sp.html);
		n = (int)(out->len - before);
	} else if (pg.root && !(opts && opts->heading)) {
		n = single_article(&pg, feed_index, out);
	}
	page_free(&pg);
	if (doc)
		xmlFreeDoc(doc);
	if (n > 0 && opts && opts->finish)
		for (i = before; i < out->len; i++)
			opts->finish(opts->finish_ctx, &out->v[i]);
	if (n > 0)
		return n;
	if (too_deep)
		snprintf(err, errlen, "the page is nested too deeply (more than "
		    "%d levels) to be read", 256);
	else if (!doc || !pg.root)
		snprintf(err, errlen, "the page could not be read");
	else
		snprintf(err, errlen, "no news posts found on the page "
		    "(try @heading= or @xpath=)");
	return -1;
}

int
page_parse(const char *body, size_t len, const char *url,
    size_t feed_index, const struct feed_opts *opts, struct postlist *out,
    char *err, size_t errlen)
{
	return page_parse_info(body, len, url, feed_index, opts, out, NULL,
	    err, errlen);
}

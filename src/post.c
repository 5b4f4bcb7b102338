#include "post.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct post *
postlist_push(struct postlist *l)
{
	if (l->len == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	memset(&l->v[l->len], 0, sizeof(l->v[0]));
	return &l->v[l->len++];
}

void
post_free(struct post *p)
{
	size_t i;

	free(p->id);
	free(p->guid);
	free(p->title);
	free(p->link);
	free(p->text);
	free(p->read_text);
	for (i = 0; i < p->nlinks; i++)
		free(p->links[i]);
	free(p->links);
	memset(p, 0, sizeof(*p));
}

void
postlist_free(struct postlist *l)
{
	size_t i;

	for (i = 0; i < l->len; i++)
		post_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->len = l->cap = 0;
}

void
post_finish(struct post *p, const char *feed_url)
{
	const char *key;
	uint64_t h;

	if (!p->title)
		p->title = xstrdup("");
	if (!p->link)
		p->link = xstrdup("");
	if (!p->text)
		p->text = xstrdup("");
	key = p->guid && *p->guid ? p->guid : *p->link ? p->link : p->title;
	h = util_hash(feed_url, strlen(feed_url), UTIL_HASH_SEED);
	h = util_hash("\n", 1, h);
	h = util_hash(key, strlen(key), h);
	free(p->id);
	p->id = xasprintf("%012llx", (unsigned long long)(h & 0xffffffffffffULL));
	h = util_hash(p->title, strlen(p->title), UTIL_HASH_SEED);
	p->hash = util_hash(p->text, strlen(p->text), h);
}

size_t
post_add_link(struct post *p, const char *url)
{
	p->links = xreallocarray(p->links, p->nlinks + 1, sizeof(*p->links));
	p->links[p->nlinks++] = xstrdup(url);
	return p->nlinks;
}

static int
post_cmp(const void *a, const void *b)
{
	const struct post *x = a, *y = b;

	if (x->date != y->date) {
		if (!x->date || !y->date)
			return x->date ? -1 : 1;
		return x->date > y->date ? -1 : 1;
	}
	return strcmp(x->title, y->title);
}

void
postlist_sort(struct postlist *l)
{
	if (l->len > 1)
		qsort(l->v, l->len, sizeof(*l->v), post_cmp);
}

#ifndef POST_H
#define POST_H

#include <stddef.h>
#include <stdint.h>

/* The one post model every view reads.  All strings are UTF-8, sanitised
 * (text_sanitize) and owned by the post. */
struct post {
	char *id;          /* stable: 12 hex digits from feed URL + guid */
	char *guid;        /* the feed's own id (guid, atom:id, or link) */
	size_t feed;       /* index into the caller's feed list */
	char *title;       /* plain text, one line */
	char *link;        /* absolute URL, or "" */
	long long date;    /* seconds since the epoch; 0 when unknown */
	char *text;        /* body as plain text, links as [n] */
	char **links;      /* links[i] is reference [i + 1] in text */
	size_t nlinks;
	uint64_t topics;   /* bit i: topic i of the rules; 0 until matched */
	uint64_t hash;     /* content hash of title and text */
	/* Kept by the store (store.h); zero for freshly parsed posts. */
	long long first_seen;  /* when this post was first fetched */
	long long gone;        /* when it left its feed (archived), or 0 */
	unsigned flags;        /* POST_READ, POST_UPDATED, POST_BODY */
	unsigned long long body_off; /* where its body sits in the feed's body file */
	unsigned long body_len;
	char *read_text;   /* for updated posts: the text as it was read, or NULL */
	long long deadline; /* closing day found in the text (deadline.h), or 0 */
};

#define POST_READ    1u  /* the user has opened it (this version or an older one) */
#define POST_UPDATED 2u  /* read, and its text changed since */
#define POST_BODY    4u  /* text and links are loaded */

struct postlist {
	struct post *v;
	size_t len;
	size_t cap;
};

/* Appends an empty post and returns it; valid until the next push. */
struct post *postlist_push(struct postlist *l);
/* Frees every post; leaves the list empty. */
void postlist_free(struct postlist *l);
void post_free(struct post *p);

/* Fills p->id from the feed URL and p->guid (or link, or title), and
 * p->hash from title and text.  Call once title, link, guid and text are
 * final. */
void post_finish(struct post *p, const char *feed_url);

/* Adds a link reference to p and returns its number (1-based). */
size_t post_add_link(struct post *p, const char *url);

/* Sorts newest first; undated posts last, then by title. */
void postlist_sort(struct postlist *l);

#endif

#ifndef TOPICS_H
#define TOPICS_H

#include <stddef.h>
#include <stdint.h>

#include "post.h"

#define TOPICS_MAX 63   /* bit 63 is never used: mask 0 means "Other" */
#define TOPICS_PHRASE_WORDS 8  /* most words in one phrase */
#define TOPICS_WORD_MAX 64     /* longest word of a phrase, in bytes */

struct topics_index;            /* private to topics.c */

/* A phrase to look for: lower-cased words, matched whole and
 * case-insensitively against the words of a title or text. */
struct topic_phrase {
	char *text;       /* as written, lower-cased */
	int weight;       /* title matches count title_weight x this */
};

struct topic {
	char *name;                 /* "Inspections & improvement" */
	struct topic_phrase *phrases;
	size_t nphrases;
	struct topic_phrase *nots;  /* phrases that veto this topic */
	size_t nnots;
};

struct topics {
	struct topic *v;            /* in display order; "Other" is implicit */
	size_t len;
	int threshold;              /* score a post needs (default 1) */
	int title_weight;           /* default 2 */
	uint64_t hash;              /* of the rules text: stored in the cache */
	struct topics_index *index; /* built by topics_parse for matching */
};

/* Parses rules text (format in sendnews(5)); returns 0, or -1 with
 * "line N: why" in err.  t must be zeroed or freed before. */
int topics_parse(struct topics *t, const char *text, size_t len,
    char *err, size_t errlen);
int topics_load(struct topics *t, const char *path, char *err, size_t errlen);
void topics_free(struct topics *t);

/* Bitmask of the topics post p belongs to (0: Other).  Reads t only, so
 * one struct topics can serve several threads. */
uint64_t topics_match(const struct topics *t, const struct post *p);

/* Index of the topic whose name matches name case-insensitively (or a
 * unique prefix of it); t->len for "Other"; -1 when none, -2 when name
 * begins several names. */
long topics_find(const struct topics *t, const char *name);

/* Name of topic i, "Other" for i == t->len; owned by t. */
const char *topics_name(const struct topics *t, size_t i);

#endif

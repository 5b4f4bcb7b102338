#ifndef CLASSIFY_H
#define CLASSIFY_H

struct post;
struct postlist;
struct topics;

/* Sets every post's topics (topics_match against t; t may be NULL, which
 * gives none) and deadline (deadline_find) in l.  A long list is shared
 * between threads (util_parallel): both matchers only read the rules and
 * write their own post. */
void classify_posts(const struct topics *t, struct postlist *l);

/* The same for one post, in the shape of feed_opts.finish: topics is a
 * const struct topics *, or NULL. */
void classify_post(const void *topics, struct post *p);

#endif

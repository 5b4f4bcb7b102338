#ifndef CLASSIFY_H
#define CLASSIFY_H

struct postlist;
struct topics;

/* Sets every post's topics (topics_match against t; t may be NULL, which
 * gives none) and deadline (deadline_find) in l.  A long list is shared
 * between threads (util_parallel): both matchers only read the rules and
 * write their own post. */
void classify_posts(const struct topics *t, struct postlist *l);

#endif

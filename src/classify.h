#ifndef CLASSIFY_H
#define CLASSIFY_H

struct post;

/* Sets the post's topics (topics_match against topics, a const struct
 * topics *, or none when it is NULL) and its deadline (deadline_find).
 * Shaped as feed_opts.finish, so a parse finds both beside its reading:
 * it only reads the rules and writes the post it is given, and may run on
 * several threads at once. */
void classify_post(const void *topics, struct post *p);

#endif

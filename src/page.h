#ifndef PAGE_H
#define PAGE_H

#include <stddef.h>

#include "feed.h"
#include "post.h"

/* Splits an HTML news page into posts.  Finds the main content (<main>,
 * role=main, #content and similar, else the element with the most text
 * that is not nav/header/footer/aside/cookie banner), picks the heading
 * level that separates news items (h2 or h3 ...: the level whose headings
 * introduce text of their own, not update sub-headings or year headings of
 * an archive), and makes one post per such heading: its text up to the
 * next heading of that level or above, its date from a "Published ..."
 * line or the heading itself ("... - September 2018"), its link the page
 * URL with the heading's id as fragment when it has one (so ids stay
 * stable), else the page URL.  opts may force the heading level or the
 * content XPath.  Same contract as feed_parse. */
int page_parse(const char *body, size_t len, const char *url,
    size_t feed_index, const struct feed_opts *opts, struct postlist *out,
    char *err, size_t errlen);

/* As page_parse, and when info is not NULL also sets info->title from the
 * page's <title> (else its h1) and info->link to url. */
int page_parse_info(const char *body, size_t len, const char *url,
    size_t feed_index, const struct feed_opts *opts, struct postlist *out,
    struct feed_info *info, char *err, size_t errlen);

#endif

#ifndef DIFF_H
#define DIFF_H

/* What was added to a post's text: a comparison, line by line, of the
 * text as the user read it with the text now.  Paragraphs are separated
 * by blank lines and list items sit on lines of their own, as text.h
 * writes them, so a line is a paragraph, a heading or a list item. */

/* Returns the lines of now that are not in before, in their order: lines
 * that follow each other in a paragraph of now stay together, the others
 * are separated by blank lines.  A string the caller frees, or NULL when
 * nothing was added (text only removed, or the same).  Lines are matched
 * in order (a longest common subsequence), so a line repeated under a new
 * heading counts as added where it is new.  Leading and trailing spaces
 * do not count. */
char *diff_added(const char *before, const char *now);

#endif

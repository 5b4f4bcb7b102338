#include "diff.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Past this many pairs of lines the table would be large: lines are then
 * matched as a multiset (in any order) instead. */
#define DIFF_MAX_CELLS (1024u * 1024)

/* One line of a text (trimmed, never empty). */
struct line {
	const char *s;
	size_t len;
	uint64_t hash;
	bool starts;     /* first line of a paragraph (after a blank line) */
};

/* Splits text into its non-empty lines; returns the count.  The caller
 * frees *v. */
static size_t
split(const char *text, struct line **v)
{
	size_t n = 0, cap = 16;
	const char *p = text ? text : "";
	bool blank = true;

	*v = xreallocarray(NULL, cap, sizeof(**v));
	while (*p) {
		const char *nl = strchr(p, '\n'), *e;
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		while (len && *p == ' ') {
			p++;
			len--;
		}
		for (e = p + len; e > p && e[-1] == ' '; e--)
			;
		if (e == p) {
			blank = true;
		} else {
			if (n == cap) {
				cap *= 2;
				*v = xreallocarray(*v, cap, sizeof(**v));
			}
			(*v)[n].s = p;
			(*v)[n].len = (size_t)(e - p);
			(*v)[n].hash = util_hash(p, (size_t)(e - p), UTIL_HASH_SEED);
			(*v)[n].starts = blank;
			blank = false;
			n++;
		}
		p += len;
		if (*p == '\n')
			p++;
	}
	return n;
}

static bool
same(const struct line *a, const struct line *b)
{
	return a->hash == b->hash && a->len == b->len && !memcmp(a->s, b->s, a->len);
}

/* Marks in kept[j] the paragraphs of b that a longest common subsequence
 * with a matches. */
static void
match_lcs(const struct line *a, size_t na, const struct line *b, size_t nb, bool *kept)
{
	/* t[i][j]: length of the LCS of a[i..] and b[j..]. */
	uint32_t *t = xcalloc((na + 1) * (nb + 1), sizeof(*t));
	size_t i, j, w = nb + 1;

	for (i = na; i-- > 0; )
		for (j = nb; j-- > 0; )
			t[i * w + j] = same(&a[i], &b[j]) ? t[(i + 1) * w + j + 1] + 1 :
			    t[(i + 1) * w + j] > t[i * w + j + 1] ? t[(i + 1) * w + j] :
			    t[i * w + j + 1];
	for (i = j = 0; i < na && j < nb; ) {
		if (same(&a[i], &b[j])) {
			kept[j] = true;
			i++;
			j++;
		} else if (t[(i + 1) * w + j] >= t[i * w + j + 1]) {
			i++;
		} else {
			j++;
		}
	}
	free(t);
}

/* The fallback for long texts: each line of a matches one equal line of
 * b, wherever it is. */
static void
match_any(const struct line *a, size_t na, const struct line *b, size_t nb, bool *kept)
{
	bool *used = xcalloc(na + 1, sizeof(*used));
	size_t i, j;

	for (j = 0; j < nb; j++) {
		for (i = 0; i < na; i++) {
			if (!used[i] && same(&a[i], &b[j])) {
				used[i] = kept[j] = true;
				break;
			}
		}
	}
	free(used);
}

char *
diff_added(const char *before, const char *now)
{
	struct line *a, *b;
	size_t na = split(before, &a), nb = split(now, &b), j;
	bool *kept = xcalloc(nb + 1, sizeof(*kept));
	struct buf out = {0};

	if ((na + 1) * (nb + 1) <= DIFF_MAX_CELLS)
		match_lcs(a, na, b, nb, kept);
	else
		match_any(a, na, b, nb, kept);
	/* Added lines that follow each other in a paragraph stay together;
	 * anything else is a paragraph of its own. */
	for (j = 0; j < nb; j++) {
		if (kept[j])
			continue;
		if (out.len)
			buf_append(&out, j && !kept[j - 1] && !b[j].starts ? "\n" : "\n\n",
			    j && !kept[j - 1] && !b[j].starts ? 1 : 2);
		buf_append(&out, b[j].s, b[j].len);
	}
	free(a);
	free(b);
	free(kept);
	return out.len ? buf_steal(&out) : NULL;
}

#include "topics.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/*
 * Rules are matched word by word.  A tokenizer turns text into lower-cased
 * words (letters and digits, ASCII or not, with inner apostrophes kept and
 * a final "'s" dropped), single-character symbol tokens (currency signs
 * and the like, so "£" is matchable) and "&", read as the word "and";
 * all other punctuation separates words and is dropped.  Rules text goes
 * through the same tokenizer, so a phrase matches exactly when its tokens
 * appear consecutively in the post.
 *
 * Phrases are indexed by their last word: a text is scanned once, keeping
 * the last TOPICS_PHRASE_WORDS tokens in a ring, and each new token is
 * looked up in a hash table of last words; the few candidates found are
 * checked against the ring.  A last word ending in '*' is a prefix: the
 * prefixes are kept in a trie too, and each token walks it byte by byte,
 * trying the rules of every prefix word it passes.
 */

#define RULES_MAX (1u << 20)    /* largest rules file read */
#define WEIGHT_MAX 100
#define SETTING_MAX 1000

enum cls {
	C_SEP,          /* separates words, dropped */
	C_WORD,         /* part of a word */
	C_APOS,         /* apostrophe: inside a word when between letters */
	C_SYM,          /* a token of its own */
	C_AMP,          /* "&": the word "and" */
	C_SKIP,         /* ignored, does not split a word (soft hyphen) */
	C_STAR,         /* '*': a wildcard in rules, a separator in text */
};

struct tok {
	size_t len;             /* real length; only TOPICS_WORD_MAX kept */
	char s[TOPICS_WORD_MAX];
};

struct word {
	size_t off;             /* into index->strs */
	size_t len;
	bool prefix;            /* written with a trailing '*' */
};

struct rule {
	size_t topic;
	int weight;
	bool veto;
	size_t word0;           /* first of nwords in index->words */
	size_t nwords;
};

struct key {
	uint64_t hash;
	size_t word;            /* a word with this text */
	size_t first;           /* candidates: index->cands[first..+count) */
	size_t count;
};

/* A trie node of the prefix words: the byte that leads to it, its first
 * child and next sibling (node numbers, 0 for none), and the key + 1 of
 * the prefix word ending here, or 0. */
struct pnode {
	uint32_t child;
	uint32_t next;
	uint32_t key;
	unsigned char c;
};

struct topics_index {
	struct buf strs;        /* word texts, back to back */
	struct word *words;
	size_t nwords;
	struct rule *rules;
	size_t nrules;
	struct key *keys;
	size_t nkeys;
	size_t *slots;          /* key index + 1, or 0: open addressing */
	size_t mask;
	size_t *cands;          /* rule indexes grouped by last word */
	uint32_t proot[256];    /* prefix trie: the node of each first byte */
	struct pnode *pnodes;   /* pnodes[0] is unused */
	size_t npnodes;
	uint8_t quick[8192];    /* bit per (first two bytes, length) of the keys */
};

static inline bool
ascii_alnum(unsigned char c)
{
	return (unsigned)((c | 0x20) - 'a') < 26 || (unsigned)(c - '0') < 10;
}

static inline enum cls
ascii_class(unsigned char c)
{
	if (ascii_alnum(c))
		return C_WORD;
	switch (c) {
	case '\'':
		return C_APOS;
	case '&':
		return C_AMP;
	case '*':
		return C_STAR;
	case '$': case '%': case '+': case '#': case '@':
		return C_SYM;
	default:
		return C_SEP;
	}
}

/* Rough classes for code points beyond ASCII: letters of every script are
 * word characters; punctuation blocks separate; symbol blocks tokenise. */
static enum cls
uni_class(unsigned long cp)
{
	if (cp < 0x80)
		return ascii_class((unsigned char)cp);
	if (cp <= 0xa0)
		return C_SEP;
	if (cp <= 0xbf) {
		switch (cp) {
		case 0xaa: case 0xb5: case 0xba:        /* letters */
		case 0xb2: case 0xb3: case 0xb9:        /* superscript digits */
		case 0xbc: case 0xbd: case 0xbe:        /* fractions */
			return C_WORD;
		case 0xa2: case 0xa3: case 0xa4: case 0xa5: case 0xa6:
		case 0xa7: case 0xa9: case 0xac: case 0xae: case 0xb0:
		case 0xb1:
			return C_SYM;
		case 0xad:
			return C_SKIP;
		default:
			return C_SEP;
		}
	}
	if (cp == 0xd7 || cp == 0xf7)
		return C_SYM;
	if (cp == 0x2018 || cp == 0x2019 || cp == 0x02bc)
		return C_APOS;
	if (cp >= 0x2000 && cp <= 0x206f)
		return C_SEP;
	if (cp >= 0x20a0 && cp <= 0x214f)       /* currency, letterlike */
		return C_SYM;
	if (cp >= 0x2190 && cp <= 0x2bff)       /* arrows ... dingbats */
		return C_SYM;
	if ((cp >= 0x2e00 && cp <= 0x2e7f) || (cp >= 0x3000 && cp <= 0x303f))
		return C_SEP;
	if (cp >= 0xfe00 && cp <= 0xfe0f)       /* variation selectors */
		return C_SKIP;
	if ((cp >= 0xfe10 && cp <= 0xfe6f) || (cp >= 0xff01 && cp <= 0xff0f) ||
	    cp == 0xfffd)
		return C_SEP;
	if (cp >= 0x1f000 && cp <= 0x1faff)     /* emoji */
		return C_SYM;
	return C_WORD;
}

/* Decodes one code point at p (p < end); invalid bytes read as U+FFFD,
 * one byte long. */
static unsigned long
utf8_next(const unsigned char *p, const unsigned char *end, size_t *n)
{
	unsigned long cp;
	size_t need, i;

	if (*p < 0x80) {
		*n = 1;
		return *p;
	}
	if (*p >= 0xc2 && *p <= 0xdf) {
		need = 1;
		cp = *p & 0x1f;
	} else if (*p >= 0xe0 && *p <= 0xef) {
		need = 2;
		cp = *p & 0x0f;
	} else if (*p >= 0xf0 && *p <= 0xf4) {
		need = 3;
		cp = *p & 0x07;
	} else {
		*n = 1;
		return 0xfffd;
	}
	if ((size_t)(end - p) <= need) {
		*n = 1;
		return 0xfffd;
	}
	for (i = 1; i <= need; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*n = 1;
			return 0xfffd;
		}
		cp = cp << 6 | (p[i] & 0x3f);
	}
	*n = need + 1;
	return cp;
}

static void
tok_add(struct tok *t, const unsigned char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++, t->len++)
		if (t->len < sizeof(t->s))
			t->s[t->len] = (char)s[i];
}

/* Appends the code point at s (n bytes) case-folded: ASCII and the
 * Latin-1 capitals. */
static void
tok_add_folded(struct tok *t, const unsigned char *s, size_t n)
{
	unsigned char c[2];

	if (n == 1) {
		c[0] = s[0] >= 'A' && s[0] <= 'Z' ? s[0] | 0x20 : s[0];
		tok_add(t, c, 1);
	} else if (n == 2 && s[0] == 0xc3 && s[1] >= 0x80 && s[1] <= 0x9e &&
	    s[1] != 0x97) {
		c[0] = 0xc3;
		c[1] = s[1] + 0x20;
		tok_add(t, c, 2);
	} else {
		tok_add(t, s, n);
	}
}

/* Reads the next token from *pp into t; returns false at the end.  With
 * star not NULL (rules), a '*' right after a word sets *star and is
 * consumed; a '*' anywhere else sets *star to -1.  In text, '*' is a
 * separator. */
static bool
next_token(const unsigned char **pp, const unsigned char *end, struct tok *t,
    int *star)
{
	const unsigned char *p = *pp;
	unsigned long cp;
	enum cls c;
	size_t n, n2, len;

	t->len = 0;
	if (star)
		*star = 0;
	for (;;) {                      /* skip to a token */
		if (p >= end) {
			*pp = p;
			return false;
		}
		if (*p < 0x80) {
			n = 1;
			c = ascii_class(*p);
		} else {
			cp = utf8_next(p, end, &n);
			c = uni_class(cp);
		}
		if (c == C_WORD)
			break;
		if (c == C_SYM) {
			tok_add(t, p, n);
			*pp = p + n;
			return true;
		}
		if (c == C_AMP) {
			tok_add(t, (const unsigned char *)"and", 3);
			*pp = p + n;
			return true;
		}
		if (c == C_STAR && star)
			*star = -1;
		p += n;
	}
	for (;;) {                      /* p is at a word character */
		if (c == C_WORD)
			tok_add_folded(t, p, n);
		p += n;
		/* The common case: a run of ASCII letters and digits (the
		 * length in a local: the stores would make it reread). */
		len = t->len;
		for (; p < end && ascii_alnum(*p); p++, len++)
			if (len < sizeof(t->s))
				t->s[len] = (char)(*p >= 'A' && *p <= 'Z' ?
				    *p | 0x20 : *p);
		t->len = len;
		if (p >= end)
			break;
		if (*p < 0x80) {
			n = 1;
			c = ascii_class(*p);
		} else {
			cp = utf8_next(p, end, &n);
			c = uni_class(cp);
		}
		if (c == C_WORD || c == C_SKIP)
			continue;
		if (c != C_APOS || p + n >= end)
			break;
		/* An apostrophe joins only when a letter follows it. */
		if (p[n] < 0x80)
			c = ascii_class(p[n]);
		else
			c = uni_class(utf8_next(p + n, end, &n2));
		if (c != C_WORD)
			break;
		tok_add(t, (const unsigned char *)"'", 1);
		p += n;
		if (*p < 0x80)
			n = 1;
		else
			utf8_next(p, end, &n);
	}
	/* "children's" is "children", "let's" is "let". */
	if (t->len > 2 && t->len <= sizeof(t->s) &&
	    !memcmp(t->s + t->len - 2, "'s", 2))
		t->len -= 2;
	if (star && !*star && p < end && *p == '*') {
		*star = 1;
		/* "a*b": the '*' must end the word. */
		if (++p < end && (*p < 0x80 ? ascii_class(*p) :
		    uni_class(utf8_next(p, end, &n))) == C_WORD)
			*star = -1;
	}
	*pp = p;
	return true;
}

/* Eight bytes at a time, inline: the scan hashes most words of a text. */
static inline uint64_t
key_hash(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, w;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s, len);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 29);
}

/* Finds the key whose text is s[0..len) and hash h; NULL when none. */
static const struct key *
index_find(const struct topics_index *ix, uint64_t h, const char *s,
    size_t len)
{
	size_t i, k;
	const struct word *w;

	for (i = h & ix->mask; (k = ix->slots[i]) != 0; i = (i + 1) & ix->mask) {
		const struct key *key = &ix->keys[k - 1];

		if (key->hash != h)
			continue;
		w = &ix->words[key->word];
		if (w->len == len && !memcmp(ix->strs.data + w->off, s, len))
			return key;
	}
	return NULL;
}

/* Where a word's bit sits in ix->quick: its first two bytes and length. */
static inline unsigned
quick_bit(const char *s, size_t len)
{
	unsigned a = (unsigned char)s[0], b = len > 1 ? (unsigned char)s[1] : 0;

	return ((a * 131 + b) * 67 + (unsigned)(len < 63 ? len : 63)) & 0xffff;
}

/* Most words of a text are no key: one bit per (first two bytes, length)
 * turns them away before any hashing. */
static const struct key *
index_lookup(const struct topics_index *ix, const char *s, size_t len)
{
	unsigned q;

	if (!len)
		return NULL;
	q = quick_bit(s, len);
	if (!(ix->quick[q >> 3] >> (q & 7) & 1))
		return NULL;
	return index_find(ix, key_hash(s, len), s, len);
}

static bool
word_matches(const struct topics_index *ix, const struct word *w,
    const struct tok *t)
{
	const char *s = ix->strs.data + w->off;

	if (w->prefix)
		return t->len >= w->len && !memcmp(t->s, s, w->len);
	return t->len == w->len && !memcmp(t->s, s, w->len);
}

/* Tries every rule whose last word has key; ring holds the n tokens read
 * so far (the last TOPICS_PHRASE_WORDS of them). */
static void
try_rules(const struct topics_index *ix, const struct key *key,
    const struct tok *ring, size_t n, long long mult, long long *score,
    uint64_t *veto)
{
	size_t c, j;

	for (c = key->first; c < key->first + key->count; c++) {
		const struct rule *r = &ix->rules[ix->cands[c]];

		if (r->nwords > n)
			continue;
		for (j = 0; j < r->nwords; j++) {
			const struct tok *t =
			    &ring[(n - r->nwords + j) % TOPICS_PHRASE_WORDS];

			if (!word_matches(ix, &ix->words[r->word0 + j], t))
				break;
		}
		if (j < r->nwords)
			continue;
		if (r->veto)
			*veto |= 1ULL << r->topic;
		else
			score[r->topic] += mult * r->weight;
	}
}

/* Adds to score the weighted matches in s, mult times each. */
static void
scan(const struct topics_index *ix, const char *s, long long mult,
    long long *score, uint64_t *veto)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + strlen(s);
	struct tok ring[TOPICS_PHRASE_WORDS];
	const struct key *key;
	struct tok *t;
	size_t n = 0, i, kl;
	uint32_t node;

	for (;;) {
		t = &ring[n % TOPICS_PHRASE_WORDS];
		if (!next_token(&p, end, t, NULL))
			break;
		n++;
		kl = t->len < sizeof(t->s) ? t->len : sizeof(t->s);
		if ((key = index_lookup(ix, t->s, kl)))
			try_rules(ix, key, ring, n, mult, score, veto);
		/* Prefix words shorter than the token: the whole token was
		 * looked up above. */
		node = kl ? ix->proot[(unsigned char)t->s[0]] : 0;
		for (i = 1; node; i++) {
			const struct pnode *pn = &ix->pnodes[node];

			if (pn->key && i < t->len)
				try_rules(ix, &ix->keys[pn->key - 1], ring, n, mult,
				    score, veto);
			if (i >= kl)
				break;
			for (node = pn->child; node &&
			    ix->pnodes[node].c != (unsigned char)t->s[i];
			    node = ix->pnodes[node].next)
				;
		}
	}
}

uint64_t
topics_match(const struct topics *t, const struct post *p)
{
	long long score[TOPICS_MAX] = {0};
	uint64_t veto = 0, mask = 0;
	size_t i;

	if (!t->index || !t->len)
		return 0;
	if (p->title)
		scan(t->index, p->title, t->title_weight, score, &veto);
	if (p->text)
		scan(t->index, p->text, 1, score, &veto);
	for (i = 0; i < t->len; i++)
		if (score[i] >= t->threshold && !(veto & 1ULL << i))
			mask |= 1ULL << i;
	return mask;
}

/* Tokenises phrase s into the index as a rule of topic; returns NULL or
 * what is wrong with it. */
static const char *
add_rule(struct topics_index *ix, const char *s, size_t topic, int weight,
    bool veto)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + strlen(s);
	struct tok t;
	struct rule r = {topic, weight, veto, ix->nwords, 0};
	int star;

	while (next_token(&p, end, &t, &star)) {
		if (r.nwords == TOPICS_PHRASE_WORDS)
			return "too many words in one phrase (at most 8)";
		if (t.len > sizeof(t.s))
			return "word too long (at most 64 bytes)";
		if (star < 0)
			return "'*' belongs at the end of a word";
		ix->words = xreallocarray(ix->words, ix->nwords + 1,
		    sizeof(*ix->words));
		ix->words[ix->nwords++] = (struct word){ix->strs.len, t.len,
		    star > 0};
		buf_append(&ix->strs, t.s, t.len);
		r.nwords++;
	}
	if (star < 0)
		return "'*' belongs at the end of a word";
	if (!r.nwords)
		return "no words to match in the phrase";
	ix->rules = xreallocarray(ix->rules, ix->nrules + 1, sizeof(*ix->rules));
	ix->rules[ix->nrules++] = r;
	return NULL;
}

static uint32_t
trie_node(struct topics_index *ix, unsigned char c)
{
	if (!ix->npnodes)
		ix->npnodes = 1;
	ix->pnodes = xreallocarray(ix->pnodes, ix->npnodes + 1,
	    sizeof(*ix->pnodes));
	ix->pnodes[ix->npnodes] = (struct pnode){0, 0, 0, c};
	return (uint32_t)ix->npnodes++;
}

/* Puts prefix word s (len bytes, len > 0) in the trie, ending at key. */
static void
trie_add(struct topics_index *ix, const char *s, size_t len,
    const struct key *key)
{
	unsigned char c = (unsigned char)s[0];
	uint32_t node, child;
	size_t i;

	if (!ix->proot[c])
		ix->proot[c] = trie_node(ix, c);
	node = ix->proot[c];
	for (i = 1; i < len; i++) {
		c = (unsigned char)s[i];
		for (child = ix->pnodes[node].child;
		    child && ix->pnodes[child].c != c;
		    child = ix->pnodes[child].next)
			;
		if (!child) {
			child = trie_node(ix, c);
			ix->pnodes[child].next = ix->pnodes[node].child;
			ix->pnodes[node].child = child;
		}
		node = child;
	}
	ix->pnodes[node].key = (uint32_t)(key - ix->keys) + 1;
}

/* Builds the last-word hash table once all rules are in. */
static void
index_build(struct topics_index *ix)
{
	size_t nslots = 16, i, h, k;
	size_t *fill;

	while (nslots < 4 * ix->nrules + 4)     /* sparse: most words miss */
		nslots *= 2;
	ix->slots = xcalloc(nslots, sizeof(*ix->slots));
	ix->mask = nslots - 1;
	ix->keys = xcalloc(ix->nrules + 1, sizeof(*ix->keys));
	for (i = 0; i < ix->nrules; i++) {
		size_t lw = ix->rules[i].word0 + ix->rules[i].nwords - 1;
		const struct word *w = &ix->words[lw];
		const char *s = ix->strs.data + w->off;
		const struct key *found = index_lookup(ix, s, w->len);

		if (found) {
			ix->keys[found - ix->keys].count++;
		} else {
			ix->keys[ix->nkeys] = (struct key){key_hash(s, w->len),
			    lw, 0, 1};
			if (w->len) {
				unsigned q = quick_bit(s, w->len);

				ix->quick[q >> 3] |= (uint8_t)(1u << (q & 7));
			}
			h = ix->keys[ix->nkeys].hash & ix->mask;
			while (ix->slots[h])
				h = (h + 1) & ix->mask;
			ix->slots[h] = ++ix->nkeys;
		}
		if (w->prefix)
			trie_add(ix, s, w->len, index_lookup(ix, s, w->len));
	}
	for (i = 0, k = 0; i < ix->nkeys; i++) {
		ix->keys[i].first = k;
		k += ix->keys[i].count;
	}
	ix->cands = xcalloc(k + 1, sizeof(*ix->cands));
	fill = xcalloc(ix->nkeys + 1, sizeof(*fill));
	for (i = 0; i < ix->nrules; i++) {
		const struct word *w =
		    &ix->words[ix->rules[i].word0 + ix->rules[i].nwords - 1];
		const struct key *key =
		    index_lookup(ix, ix->strs.data + w->off, w->len);

		k = (size_t)(key - ix->keys);
		ix->cands[key->first + fill[k]++] = i;
	}
	free(fill);
}

static void
index_free(struct topics_index *ix)
{
	if (!ix)
		return;
	buf_free(&ix->strs);
	free(ix->words);
	free(ix->rules);
	free(ix->keys);
	free(ix->slots);
	free(ix->cands);
	free(ix->pnodes);
	free(ix);
}

/* Parses a positive integer no larger than max; -1 when s is not one. */
static int
parse_int(const char *s, int max)
{
	long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -1;
		v = v * 10 + (*s - '0');
		if (v > max)
			return -1;
	}
	return v > 0 ? (int)v : -1;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static void
lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Splits a phrase line into its phrase (quotes removed) and weight:
 * `phrase`, `phrase N`, `"phrase"` or `"phrase" N`.  *weight is 0 when
 * none is given.  Returns NULL or what is wrong. */
static const char *
split_phrase(char *s, char **phrase, int *weight)
{
	char *q, *sp = NULL;
	const char *d;

	*weight = 0;
	if (*s == '"') {
		if (!(q = strchr(s + 1, '"')))
			return "a quote is not closed";
		*q = '\0';
		*phrase = s + 1;
		s = trim(q + 1);
		if (*s && (*weight = parse_int(s, WEIGHT_MAX)) < 0)
			return "after a quoted phrase only a weight (1-100) may follow";
		return NULL;
	}
	*phrase = s;
	for (q = s; *q; q++)
		if (*q == ' ' || *q == '\t')
			sp = q;
	if (!sp)
		return NULL;
	for (d = sp + 1; isdigit((unsigned char)*d); d++)
		;
	if (*d)                         /* the last word is not a number */
		return NULL;
	if ((*weight = parse_int(sp + 1, WEIGHT_MAX)) < 0)
		return "a weight must be a whole number from 1 to 100 "
		    "(quote a phrase that ends in a number)";
	*sp = '\0';
	*phrase = trim(s);
	return NULL;
}

static bool
starts_word(const char *s, const char *w)
{
	size_t n = strlen(w);

	return !util_strncasecmp(s, w, n) &&
	    (s[n] == ' ' || s[n] == '\t' || !s[n]);
}

static void
add_phrase(struct topic_phrase **v, size_t *n, const char *text, int weight)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n].text = xstrdup(text);
	lower((*v)[*n].text);
	(*v)[(*n)++].weight = weight;
}

/* Handles one line of the rules; returns NULL or what is wrong. */
static const char *
parse_line(struct topics *t, char *s)
{
	struct topic *tp;
	char *phrase, *e;
	const char *why;
	bool veto = false;
	int weight;
	size_t i;

	if (*s == '[') {
		if (!(e = strchr(s, ']')))
			return "a topic name needs a closing ']'";
		if (*trim(e + 1))
			return "nothing may follow ']' on a topic line";
		*e = '\0';
		s = trim(s + 1);
		if (!*s)
			return "empty topic name";
		if (!util_strncasecmp(s, "other", 6))
			return "\"Other\" is implicit: it holds what matches no topic";
		for (i = 0; i < t->len; i++)
			if (!util_strncasecmp(t->v[i].name, s, strlen(s) + 1))
				return "this topic is already defined";
		if (t->len == TOPICS_MAX)
			return "too many topics (at most 63)";
		t->v = xreallocarray(t->v, t->len + 1, sizeof(*t->v));
		memset(&t->v[t->len], 0, sizeof(t->v[0]));
		t->v[t->len++].name = xstrdup(s);
		return NULL;
	}
	if (!t->len) {
		if (starts_word(s, "threshold"))
			t->threshold = parse_int(trim(s + 9), SETTING_MAX);
		else if (starts_word(s, "title-weight"))
			t->title_weight = parse_int(trim(s + 12), SETTING_MAX);
		else
			return "expected a setting (threshold N, title-weight N) "
			    "or a [topic] line";
		if (t->threshold < 0 || t->title_weight < 0)
			return "a setting needs a whole number from 1 to 1000";
		return NULL;
	}
	tp = &t->v[t->len - 1];
	if (!util_strncasecmp(s, "not:", 4)) {
		veto = true;
		s = trim(s + 4);
	}
	if ((why = split_phrase(s, &phrase, &weight)))
		return why;
	if (veto && weight)
		return "a not: phrase takes no weight";
	if (!weight)
		weight = 1;
	if ((why = add_rule(t->index, phrase, t->len - 1, weight, veto)))
		return why;
	if (veto)
		add_phrase(&tp->nots, &tp->nnots, phrase, 0);
	else
		add_phrase(&tp->phrases, &tp->nphrases, phrase, weight);
	return NULL;
}

int
topics_parse(struct topics *t, const char *text, size_t len, char *err,
    size_t errlen)
{
	char *copy = xstrndup(text, len), *line, *next;
	const char *why = NULL;
	int lineno = 0;

	memset(t, 0, sizeof(*t));
	t->threshold = 1;
	t->title_weight = 2;
	t->hash = util_hash(text, len, UTIL_HASH_SEED);
	t->index = xcalloc(1, sizeof(*t->index));
	for (line = copy; line && !why; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		else if (line + strlen(line) < copy + len)
			why = "a NUL byte in the rules";
		line = trim(line);
		if (!why && *line && *line != '#')
			why = parse_line(t, line);
	}
	free(copy);
	if (why) {
		snprintf(err, errlen, "line %d: %s", lineno, why);
		topics_free(t);
		return -1;
	}
	index_build(t->index);
	return 0;
}

int
topics_load(struct topics *t, const char *path, char *err, size_t errlen)
{
	char *data, msg[256];
	size_t len;
	int r;

	memset(t, 0, sizeof(*t));
	if (util_read_file(path, RULES_MAX, &data, &len, err, errlen) < 0)
		return -1;
	r = topics_parse(t, data, len, msg, sizeof(msg));
	if (r < 0)
		snprintf(err, errlen, "%s: %s", path, msg);
	free(data);
	return r;
}

void
topics_free(struct topics *t)
{
	size_t i, j;

	for (i = 0; i < t->len; i++) {
		for (j = 0; j < t->v[i].nphrases; j++)
			free(t->v[i].phrases[j].text);
		for (j = 0; j < t->v[i].nnots; j++)
			free(t->v[i].nots[j].text);
		free(t->v[i].phrases);
		free(t->v[i].nots);
		free(t->v[i].name);
	}
	free(t->v);
	index_free(t->index);
	memset(t, 0, sizeof(*t));
}

long
topics_find(const struct topics *t, const char *name)
{
	size_t n = strlen(name), i;
	long found = -1;
	int hits = 0;

	if (!n)
		return -1;
	for (i = 0; i <= t->len; i++) {
		const char *s = i < t->len ? t->v[i].name : "Other";

		if (!util_strncasecmp(s, name, n + 1))
			return (long)i;
		if (!util_strncasecmp(s, name, n)) {
			found = (long)i;
			hits++;
		}
	}
	return hits == 1 ? found : hits ? -2 : -1;
}

const char *
topics_name(const struct topics *t, size_t i)
{
	return i < t->len ? t->v[i].name : "Other";
}
